import { EventBridgeClient, StartReplayCommand } from '@aws-sdk/client-eventbridge';
import { REPLAYED_EVENTS_HEADER } from '#infra/local/event-bus/server';
import { REQUEST_TIMEOUT_MS, unreachable } from './bus-endpoint.ts';
import { parseBusArn, ruleArnFor, type ReplayTarget } from './replay-target.ts';
import { formatTime, newReplayName } from './time-window.ts';

export interface ReplayCommand {
  target: ReplayTarget;
  from: Date;
  to: Date;
  /** Rule names (on the target bus) or rule ARNs; every rule when empty. */
  rules: string[];
  now: Date;
  out?: NodeJS.WritableStream;
  err?: NodeJS.WritableStream;
}

/**
 * `npx redress replay`: StartReplay of the archive window [from, to] onto its bus, with the real
 * EventBridge client. Locally the bus queues every event before it answers and says how many;
 * AWS replays in the background. Resolves to the exit status: 0 when the replay started, 1 when
 * the bus could not be reached or refused it.
 */
export async function runReplay(command: ReplayCommand): Promise<number> {
  const out = command.out ?? process.stdout;
  const err = command.err ?? process.stderr;
  const { target } = command;
  const replayName = newReplayName(command.now);
  const filterArns = command.rules.map((rule) => ruleArnFor(rule, target.busArn)!);
  // The SDK's notice that it will need Node 22 from 2027 is known (README "Notes").
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const client = new EventBridgeClient({
    region: target.region,
    requestHandler: { requestTimeout: REQUEST_TIMEOUT_MS, connectionTimeout: 5_000 },
    ...(target.url === undefined
      ? {}
      : {
          endpoint: target.url,
          // Placeholder credentials, as the local stack uses: the SDK never looks for real ones.
          credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
          // A refused connection is the answer locally; retrying it only delays saying so.
          maxAttempts: 1,
        }),
  });
  let replayed: number | undefined;
  // StartReplay's answer has no count; the local bus adds one in a header (server.ts).
  client.middlewareStack.add(
    (next) => async (args) => {
      const result = await next(args);
      const header = (result.response as { headers?: Record<string, string | undefined> }).headers?.[REPLAYED_EVENTS_HEADER];
      if (header !== undefined && /^\d+$/.test(header)) replayed = Number(header);
      return result;
    },
    { step: 'deserialize', name: 'redressReplayedEventCount' },
  );

  try {
    const answer = await client.send(
      new StartReplayCommand({
        ReplayName: replayName,
        Description: `npx redress replay${command.rules.length > 0 ? ` --rule ${command.rules.join(' --rule ')}` : ''}`,
        EventSourceArn: target.archiveArn,
        EventStartTime: command.from,
        EventEndTime: command.to,
        Destination: { Arn: target.busArn, ...(filterArns.length > 0 ? { FilterArns: filterArns } : {}) },
      }),
    );
    const window = `from ${formatTime(command.from)} to ${formatTime(command.to)}`;
    const bus = parseBusArn(target.busArn)?.busName ?? target.busArn;
    // Like AWS, the count is of the archived events in the window, whether or not a rule matches them.
    const rules = command.rules.length > 0 ? `each to ${command.rules.join(', ')} only, if it matches` : 'each to the rules it matches';
    if (replayed !== undefined) {
      out.write(`replayed ${replayed} event${replayed === 1 ? '' : 's'} ${window} onto bus ${bus}, ${rules} (replay ${replayName})\n`);
      if (replayed === 0) out.write('the archive holds no event in that window\n');
    } else {
      out.write(
        `replay ${replayName} ${answer.State ?? 'STARTING'}: events ${window} onto ${target.busArn}, ${rules}\n` +
          `AWS replays in the background; follow it with: aws events describe-replay --region ${target.region} --replay-name ${replayName}\n`,
      );
    }
    out.write('targets are idempotent: replaying the same window again redelivers the same events (same ids) and changes nothing\n');
    return 0;
  } catch (error) {
    err.write(`redress: ${describeFailure(error, target)}\n`);
    return 1;
  } finally {
    client.destroy();
  }
}

function describeFailure(error: unknown, target: ReplayTarget): string {
  const apiError = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  if (apiError.$metadata?.httpStatusCode !== undefined) {
    const where = target.url ?? `EventBridge in ${target.region}`;
    return `${where} refused the replay: ${apiError.name}: ${apiError.message}`;
  }
  if (target.url !== undefined) return unreachable(target.url, error).message;
  return `could not start the replay in ${target.region}: ${apiError.message ?? String(error)}`;
}
