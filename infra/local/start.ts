import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { ticketTableCreateInput } from '#adapters/ticket-table';
import { loadConfig, type LoadedConfig } from '#config/load-config';
import { METRICS_NAMESPACE } from '#contracts/metrics';
import { runtimeConfigJson } from '#config/runtime-config';
import { allBusRules, deliveryPolicy, functions, routes, schedules, subscriberRules, type FunctionName, type RouteSpec } from '#infra/topology';
import { DEV_SECRETS, devSecret, type DevSecretName } from './dev-secrets.ts';
import { ensureTables, localDynamoDbClient, startDynalite, type RunningDynamoDb } from './dynamodb.ts';
import { LocalEventBus, type LocalLog, type LocalRule } from './event-bus/bus.ts';
import { startEventBusServer } from './event-bus/server.ts';
import { opsConsoleRule } from './event-bus/ops-console.ts';
import { slaConsoleRule } from './event-bus/sla-console.ts';
import { startFakePlatform, type FakePlatform } from './fake-platform.ts';
import { startFunctionThread, type ThreadedFunction } from './function-thread.ts';
import { startHttpGateway } from './http-gateway.ts';
import type { Handler, LocalFunction } from './invoke.ts';
import { invoke } from './invoke.ts';
import { startSchedule } from './scheduler.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
export const LOCAL_TABLE_NAME = 'redress-local';
const ACCOUNT = '000000000000';
const DRAIN_TIMEOUT_MS = 10_000;

export interface LocalStackOptions {
  /** Keep nothing on disk (tests, `npm start -- --in-memory`). */
  inMemory?: boolean;
  dataDir?: string;
  /** 0 picks a free port. */
  port?: number;
  dynamoDbPort?: number;
  eventBridgePort?: number;
  /**
   * The fake X and Graph APIs replies go to (0 picks a free port); not started when
   * X_API_BASE_URL or META_GRAPH_BASE_URL points somewhere else.
   */
  fakePlatformPort?: number;
  /** Use this DynamoDB (e.g. DynamoDB Local) instead of starting dynalite. */
  dynamoDbEndpoint?: string;
  /** Secrets in use; any not given comes from its environment variable or its printed dev default. */
  secrets?: Partial<Record<DevSecretName, string>>;
  config?: LoadedConfig;
  scheduleIntervalSeconds?: number;
  log?: (line: string) => void;
}

export interface LocalStack {
  url: string;
  dynamoDbEndpoint: string;
  eventBridgeEndpoint: string;
  /** The fake platform replies go to, unless the environment names real or other ones. */
  fakePlatform: FakePlatform | undefined;
  bus: LocalEventBus;
  config: LoadedConfig;
  dataDir: string | undefined;
  secrets: Record<DevSecretName, string>;
  stop(): Promise<void>;
}

/**
 * Starts the whole stack in this process with the real handlers: DynamoDB (dynalite, or the one
 * at `dynamoDbEndpoint`), the local EventBridge with the rules CDK deploys, the HTTP API and the
 * schedules. stop() shuts it down in the order that loses nothing.
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const log = options.log ?? ((line: string) => console.log(line));
  // Lambda runs Node 22; the SDK's notice that it will need Node 22 from 2027 is known (README).
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const loaded = options.config ?? loadConfig();
  const { config } = loaded;
  const dataDir = options.inMemory ? undefined : path.resolve(options.dataDir ?? path.join(ROOT, '.data'));
  const secrets = Object.fromEntries(
    (Object.keys(DEV_SECRETS) as DevSecretName[]).map((name) => [name, options.secrets?.[name] ?? devSecret(name)]),
  ) as Record<DevSecretName, string>;
  const stops: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop();
  };

  try {
    let dynamoDbEndpoint = options.dynamoDbEndpoint;
    if (!dynamoDbEndpoint) {
      const dynalite: RunningDynamoDb = await startDynalite({
        port: options.dynamoDbPort ?? 4567,
        path: dataDir && path.join(dataDir, 'dynamodb'),
      });
      stops.push(dynalite.stop);
      dynamoDbEndpoint = dynalite.endpoint;
    }
    // Function threads end after the bus has stopped (stops run in reverse), so that nothing the
    // bus still delivers finds its target gone.
    const threads: ThreadedFunction[] = [];
    stops.push(async () => {
      for (const thread of threads) await thread.stop();
    });
    const dynamoDb = localDynamoDbClient(dynamoDbEndpoint);
    await ensureTables(dynamoDb, [ticketTableCreateInput(LOCAL_TABLE_NAME)]);

    // Replies never leave this machine unless the environment says where they go.
    let fakePlatform: FakePlatform | undefined;
    if (!process.env.X_API_BASE_URL && !process.env.META_GRAPH_BASE_URL) {
      fakePlatform = await startFakePlatform({
        port: options.fakePlatformPort ?? 4020,
        xAccessToken: secrets.X_ACCESS_TOKEN,
        metaPageAccessToken: secrets.META_PAGE_ACCESS_TOKEN,
        onReply: log,
      });
      stops.push(fakePlatform.stop);
    }

    // The handlers read their environment once, when first imported, as in a Lambda cold start.
    Object.assign(process.env, {
      AWS_REGION: process.env.AWS_REGION ?? 'us-east-1',
      // Placeholder credentials: the SDK never looks for real ones, and nothing leaves this machine.
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      TABLE_NAME: LOCAL_TABLE_NAME,
      EVENT_BUS_NAME: config.busName,
      DYNAMODB_ENDPOINT: dynamoDbEndpoint,
      WEBHOOK_SECRETS: secrets.WEBHOOK_SECRETS,
      X_CONSUMER_SECRET: secrets.X_CONSUMER_SECRET,
      META_APP_SECRET: secrets.META_APP_SECRET,
      META_VERIFY_TOKEN: secrets.META_VERIFY_TOKEN,
      X_ACCESS_TOKEN: secrets.X_ACCESS_TOKEN,
      META_PAGE_ACCESS_TOKEN: secrets.META_PAGE_ACCESS_TOKEN,
      ...(fakePlatform ? { X_API_BASE_URL: fakePlatform.xBaseUrl, META_GRAPH_BASE_URL: fakePlatform.graphBaseUrl } : {}),
      REDRESS_CONFIG_JSON: runtimeConfigJson(config),
      POWERTOOLS_SERVICE_NAME: 'redress-local',
      POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
      POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
      // EMF lines are for CloudWatch; on a console they would drown everything else.
      POWERTOOLS_METRICS_DISABLED: process.env.POWERTOOLS_METRICS_DISABLED ?? 'true',
    });

    const busLog = localBusLog(log);
    const fns = new Map<FunctionName, LocalFunction>();
    const fn = (name: FunctionName) => fns.get(name)!;
    const bus = new LocalEventBus({
      busName: config.busName,
      account: ACCOUNT,
      region: process.env.AWS_REGION!,
      dataDir,
      log: busLog,
      rules: allBusRules(config).map<LocalRule>((rule) => ({
        name: rule.id,
        eventPattern: rule.eventPattern,
        targetId: rule.target,
        invoke: async (event) => {
          await invoke(fn(rule.target), event);
        },
        retryPolicy: {
          maximumRetryAttempts: deliveryPolicy.asyncInvoke.retryAttempts,
          maximumEventAgeSeconds: deliveryPolicy.asyncInvoke.maximumEventAgeSeconds,
        },
      }))
        // Subscribers (config `subscribers`): the ops topic in AWS, a console line here.
        .concat(subscriberRules(config).map((rule) => opsConsoleRule(rule, log)))
        // Local only: each SLA warning and breach as one line on the console.
        .concat(slaConsoleRule(log)),
    });
    const busServer = await startEventBusServer({ bus, port: options.eventBridgePort ?? 4010, log: busLog });
    stops.push(async () => {
      await busServer.close();
      await bus.stop();
    });
    process.env.EVENTBRIDGE_ENDPOINT = busServer.url;

    // The HTTP API's functions run in this thread, behind the gateway; the ones the bus and the
    // schedules invoke run in worker threads of their own, as each Lambda function has its own
    // environment, so that ticket writes and SLA runs do not queue between webhook requests.
    const httpFunctions = new Set<FunctionName>(routes.map((route) => route.function));
    for (const [name, spec] of Object.entries(functions) as Array<[FunctionName, (typeof functions)[FunctionName]]>) {
      const entry = pathToFileURL(path.join(ROOT, spec.entry)).href;
      if (httpFunctions.has(name)) {
        const module = (await import(entry)) as { handler: Handler };
        fns.set(name, { name, spec, handler: module.handler });
      } else {
        const thread = await startFunctionThread(name, spec, entry);
        threads.push(thread);
        fns.set(name, thread);
      }
    }
    // Resume deliveries a previous run persisted, now that their targets exist.
    await bus.start();
    // Before the bus closes, since deliveries in flight may still publish (e.g. Ticket.Created);
    // bounded, because bus.stop() persists whatever is still queued and resumes it next start.
    stops.push(() => Promise.race([bus.drain(), new Promise<void>((resolve) => setTimeout(resolve, DRAIN_TIMEOUT_MS).unref())]));

    const intervalSeconds = options.scheduleIntervalSeconds ?? config.local.scheduleIntervalSeconds;
    for (const schedule of schedules) {
      const running = startSchedule(fn(schedule.target), intervalSeconds, { info: log, error: log });
      stops.push(running.stop);
    }

    const gateway = await startHttpGateway({
      port: options.port ?? 3000,
      jwtSecret: secrets.LOCAL_JWT_SECRET,
      log,
      routes: routes.map((route) => ({ ...route, fn: fn(route.function) })),
      health: async () => {
        try {
          await dynamoDb.send(new DescribeTableCommand({ TableName: LOCAL_TABLE_NAME }));
          return { status: 'ok', dynamodb: dynamoDbEndpoint, eventBridge: busServer.url, table: LOCAL_TABLE_NAME, bus: config.busName };
        } catch (error) {
          return { status: 'unavailable', dynamodb: (error as Error).message };
        }
      },
    });
    stops.push(gateway.stop);

    return {
      url: gateway.url,
      dynamoDbEndpoint,
      eventBridgeEndpoint: busServer.url,
      fakePlatform,
      bus,
      config: loaded,
      dataDir,
      secrets,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

function localBusLog(log: (line: string) => void): LocalLog {
  const line = (level: string) => (message: string, data?: Record<string, unknown>) =>
    log(`${level}${message}${data ? ` ${JSON.stringify(data)}` : ''}`);
  // Successful deliveries are the normal case; say only what needs a person's attention.
  return { info: () => undefined, warn: line('warning: '), error: line('error: ') };
}

/** One line per endpoint a person calls: each webhook platform, and the support routes. */
function routeLines(url: string, route: RouteSpec): string[] {
  if (route.path === '/webhooks/{platform}') {
    return [
      `                POST ${url}/webhooks/generic   (Standard Webhooks, signed with WEBHOOK_SECRETS)`,
      `                GET  ${url}/webhooks/x?crc_token=...   POST ${url}/webhooks/x   (X_CONSUMER_SECRET)`,
      `                GET  ${url}/webhooks/meta?hub.mode=subscribe&...   POST ${url}/webhooks/meta   (META_VERIFY_TOKEN, META_APP_SECRET)`,
    ];
  }
  const auth = route.auth === 'jwt' ? '   (Authorization: Bearer $(npx redress token))' : '';
  return [`                ${route.method.padEnd(5)}${url}${route.path}${auth}`];
}

function banner(stack: LocalStack, options: { dynalite: boolean }): string {
  const { config } = stack.config;
  const table = LOCAL_TABLE_NAME;
  const data = stack.dataDir ? path.relative(process.cwd(), stack.dataDir) || '.' : undefined;
  const storage = data ? `data in ${data}/` : 'in memory, nothing kept';
  return [
    '',
    'redress local stack is running',
    `  HTTP API      ${stack.url}`,
    ...routes.flatMap((route) => routeLines(stack.url, route)),
    `                GET  ${stack.url}/health`,
    `  DynamoDB      ${stack.dynamoDbEndpoint}  table ${table}  (${options.dynalite ? `dynalite, ${storage}` : 'DYNAMODB_ENDPOINT'})`,
    `  EventBridge   ${stack.eventBridgeEndpoint}  bus ${config.busName}, one rule per queue: ${config.queues.map((queue) => queue.name).join(', ')}`,
    ...(config.subscribers.length > 0
      ? [`                subscribers to the ops topic, printed here as [ops] lines: ${config.subscribers.map((subscriber) => subscriber.name).join(', ')}`]
      : []),
    `                ${data ? `archive ${data}/events.jsonl, dead letters ${data}/dead-letters.jsonl` : 'archive and dead letters in memory'}`,
    stack.fakePlatform
      ? `  Platforms     ${stack.fakePlatform.url}  fake X and Graph APIs: agents' replies land here (GET ${stack.fakePlatform.url}/__calls)`
      : `  Platforms     X_API_BASE_URL=${process.env.X_API_BASE_URL ?? '(default)'}  META_GRAPH_BASE_URL=${process.env.META_GRAPH_BASE_URL ?? '(default)'}`,
    `  Schedules     ${schedules.map((schedule) => schedule.id).join(', ')} every ${config.local.scheduleIntervalSeconds} s; SLA warnings and breaches print here as [sla] lines`,
    `  Config        ${stack.config.origin === 'defaults' ? 'defaults (set REDRESS_CONFIG to a JSON file to override)' : `REDRESS_CONFIG=${stack.config.origin}`}`,
    '',
    'Dev secrets in use (local only; set these variables to change them):',
    ...Object.entries(stack.secrets).map(([name, value]) => `  ${name}=${value}`),
    '',
    'Press Ctrl-C to stop.',
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { 'in-memory': { type: 'boolean', default: false } } });
  const port = (name: string, fallback: number) => {
    const value = process.env[name];
    if (value === undefined) return fallback;
    if (!/^\d+$/.test(value) || Number(value) > 65_535) throw new Error(`${name} must be a port number, got "${value}"`);
    return Number(value);
  };
  const externalDynamoDb = process.env.DYNAMODB_ENDPOINT !== undefined;
  const ports = {
    PORT: port('PORT', 3000),
    DYNAMODB_PORT: port('DYNAMODB_PORT', 4567),
    EVENTBRIDGE_PORT: port('EVENTBRIDGE_PORT', 4010),
    FAKE_PLATFORM_PORT: port('FAKE_PLATFORM_PORT', 4020),
  };
  const stack = await startLocalStack({
    inMemory: values['in-memory'],
    dataDir: process.env.REDRESS_DATA_DIR,
    port: ports.PORT,
    dynamoDbPort: ports.DYNAMODB_PORT,
    eventBridgePort: ports.EVENTBRIDGE_PORT,
    fakePlatformPort: ports.FAKE_PLATFORM_PORT,
    dynamoDbEndpoint: process.env.DYNAMODB_ENDPOINT,
  }).catch((error: NodeJS.ErrnoException & { port?: number }) => {
    const variable = Object.entries(ports).find(([, value]) => value === error.port)?.[0];
    if (error.code === 'EADDRINUSE' && variable) {
      throw new Error(`port ${error.port} is in use (is another redress running?); stop it or set ${variable} to a free port`);
    }
    throw error;
  });
  console.log(banner(stack, { dynalite: !externalDynamoDb }));
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) {
      console.log('stopping at once; deliveries not yet persisted can be replayed from the archive.');
      process.exit(130);
    }
    stopping = true;
    console.log(`\n${signal}: stopping; finishing requests and deliveries in flight (Ctrl-C again to stop at once)...`);
    stack.stop().then(
      () => {
        console.log('stopped cleanly.');
        process.exit(0);
      },
      (error: unknown) => {
        console.error('stopping failed:', error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(`redress: could not start the local stack: ${(error as Error).message}`);
    process.exit(1);
  });
}
