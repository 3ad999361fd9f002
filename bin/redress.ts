import { parseArgs } from 'node:util';
import { loadConfig } from '#config/load-config';
import { issueDevToken } from '#infra/local/dev-auth';
import { devSecret } from '#infra/local/dev-secrets';

const USAGE = `Usage: npx redress <command> [options]

Commands:
  token     Print a bearer token for the local support API
              --agent <id>      the agent the token names (default: dev-agent)
              --name <name>     the agent's display name (default: the id)
              --queues <a,b>    queues the agent may work (default: every configured queue)
              --ttl <hours>     hours until it expires (default: 12)
            Signed with LOCAL_JWT_SECRET (default: the local dev secret the stack prints).
`;

async function token(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      agent: { type: 'string', default: 'dev-agent' },
      name: { type: 'string' },
      queues: { type: 'string' },
      ttl: { type: 'string', default: '12' },
    },
  });
  const ttlHours = Number(values.ttl);
  if (!Number.isFinite(ttlHours) || ttlHours <= 0 || ttlHours > 24 * 30) throw new UsageError('--ttl takes a number of hours from 0 to 720');
  const configured = loadConfig().config.queues.map((queue) => queue.name);
  const queues = values.queues === undefined ? configured : values.queues.split(',').map((queue) => queue.trim()).filter(Boolean);
  const unknown = queues.filter((queue) => !configured.includes(queue));
  if (unknown.length > 0) throw new UsageError(`unknown queue(s): ${unknown.join(', ')}; configured: ${configured.join(', ')}`);
  const secret = devSecret('LOCAL_JWT_SECRET');
  const jwt = await issueDevToken({ agent: values.agent, name: values.name, queues, ttlSeconds: Math.round(ttlHours * 3600) }, secret);
  process.stdout.write(`${jwt}\n`);
}

class UsageError extends Error {}

const commands: Record<string, (args: string[]) => Promise<void>> = { token };

async function main(argv: string[]): Promise<void> {
  const [command, ...args] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(USAGE);
    return;
  }
  const run = commands[command];
  if (!run) throw new UsageError(`unknown command "${command}"`);
  await run(args);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  const usage = error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
  process.stderr.write(`redress: ${(error as Error).message}\n${usage ? `\n${USAGE}` : ''}`);
  process.exit(usage ? 2 : 1);
});
