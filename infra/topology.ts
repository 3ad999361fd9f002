import type { RedressConfig } from '#contracts/config';
import { DetailType, EventSource } from '#contracts/events';
import { LANGUAGE_DETECTOR_FILES, type BundledFile } from './bundling.ts';

/**
 * One manifest of functions, routes, bus rules and schedules, read by the CDK constructs and by
 * the local runtime (infra/local), so the cloud stack and its offline twin cannot drift.
 */

export type FunctionName = 'webhook' | 'enqueue' | 'slaMonitor' | 'supportApi' | 'reply';

export interface FunctionSpec {
  /** Handler module, relative to the repository root; it exports `handler`. */
  entry: string;
  description: string;
  memorySize: number;
  timeoutSeconds: number;
  /** Files the handler reads or imports at run time, copied into its bundle directory. */
  files?: readonly BundledFile[];
}

export const functions: Record<FunctionName, FunctionSpec> = {
  webhook: {
    entry: 'functions/webhook/handler.ts',
    description: 'Verifies, classifies and routes posts from the platforms',
    memorySize: 512,
    // X wants an answer within 3 s; anything slower is a failed delivery anyway.
    timeoutSeconds: 10,
    // The classifier's weights (shared/adapters/embedded-classifier.ts reads them beside index.mjs),
    // and the language detector it imports when a post needs one.
    files: [{ from: 'shared/adapters/classifier-model.bin', to: 'classifier-model.bin' }, ...LANGUAGE_DETECTOR_FILES],
  },
  enqueue: {
    entry: 'functions/enqueue/handler.ts',
    description: 'Turns a routed issue post into a ticket in its queue',
    memorySize: 256,
    timeoutSeconds: 30,
  },
  slaMonitor: {
    entry: 'functions/sla-monitor/handler.ts',
    description: 'Raises SLA warnings and breaches once and publishes pending ticket events',
    memorySize: 256,
    // A run watches the coming minute for deadlines (infra/constructs/sla-monitor.ts), then reads the queues.
    timeoutSeconds: 90,
  },
  supportApi: {
    entry: 'functions/support-api/handler.ts',
    description: 'The support API agents work their queues with',
    memorySize: 256,
    timeoutSeconds: 10,
  },
  reply: {
    entry: 'functions/reply/handler.ts',
    description: "Sends agents' replies to the platforms, at most once",
    memorySize: 256,
    // Three attempts with 1 s and 4 s waits, each call capped at 10 s; well inside the
    // 60 s lease a reply is held under while it is sent (shared/adapters/reply-store.ts).
    timeoutSeconds: 45,
  },
};

export interface RouteSpec {
  /** `ANY` routes every method to the function, which answers 405 itself where it must. */
  method: 'ANY' | 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
  /** API Gateway path template, e.g. `/api/queues/{queue}/tickets`. */
  path: string;
  function: FunctionName;
  /** `jwt`: a bearer token checked by the API's JWT authorizer before the function runs. */
  auth: 'none' | 'jwt';
}

export const routes: RouteSpec[] = [
  // X and Meta verify the endpoint with a GET, deliver with a POST; any other method gets a 405.
  { method: 'ANY', path: '/webhooks/{platform}', function: 'webhook', auth: 'none' },
  // The support API (functions/support-api/routes.ts); agents' groups in the token name their queues.
  { method: 'GET', path: '/api/queues', function: 'supportApi', auth: 'jwt' },
  { method: 'GET', path: '/api/queues/{queue}/tickets', function: 'supportApi', auth: 'jwt' },
  { method: 'GET', path: '/api/tickets/{id}', function: 'supportApi', auth: 'jwt' },
  { method: 'POST', path: '/api/tickets/{id}/claim', function: 'supportApi', auth: 'jwt' },
  { method: 'POST', path: '/api/tickets/{id}/replies', function: 'supportApi', auth: 'jwt' },
  { method: 'POST', path: '/api/tickets/{id}/pending', function: 'supportApi', auth: 'jwt' },
  { method: 'POST', path: '/api/tickets/{id}/resolve', function: 'supportApi', auth: 'jwt' },
  { method: 'POST', path: '/api/tickets/{id}/reopen', function: 'supportApi', auth: 'jwt' },
  // First-response SLA outcomes per queue and priority, for the queues the agent works.
  { method: 'GET', path: '/api/reports/sla', function: 'supportApi', auth: 'jwt' },
  // The API's description, for anyone building a client; it holds no data.
  { method: 'GET', path: '/api/openapi.json', function: 'supportApi', auth: 'none' },
];

export const routeKey = (route: RouteSpec) => `${route.method} ${route.path}`;

export interface BusRuleSpec {
  /** Stable id for the rule (CDK construct id, local rule name). */
  id: string;
  description: string;
  eventPattern: Record<string, unknown>;
  target: FunctionName;
}

/**
 * One rule per configured queue, on the queue the webhook stamped. Matching the stamp rather
 * than each queue's own pattern is what puts every issue in exactly one queue.
 */
export function busRules(config: RedressConfig): BusRuleSpec[] {
  return config.queues.map((queue) => ({
    id: `queue-${queue.name}`,
    description: `Issues for the ${queue.name} queue: ${queue.description}`,
    eventPattern: {
      source: [EventSource.ingest],
      'detail-type': [DetailType.postClassified],
      detail: { queue: [queue.name] },
    },
    target: 'enqueue',
  }));
}

/**
 * Posts that are no issue: the webhook hands on those that may answer an agent (a direct message,
 * a reply in a thread), and the enqueue function adds one to its author's open ticket, if they
 * have one, whatever the classifier made of it: "here is my booking ref", or a photo the agent
 * asked for ("[image]"). A post with no ticket to join is dropped there. A post that is no issue
 * but was routed to a queue (a custom queue pattern) comes by both rules; enqueue takes the
 * second delivery as the repeat it is.
 */
export const followUpRules: BusRuleSpec[] = [
  {
    id: 'follow-ups',
    description: "Posts that are no issue, for their author's open ticket",
    eventPattern: {
      source: [EventSource.ingest],
      'detail-type': [DetailType.postClassified],
      detail: { classification: { isIssue: [false] } },
    },
    target: 'enqueue',
  },
];

/** A configured subscriber's rule (config `subscribers`): any pattern, to the ops topic. */
export interface SubscriberRuleSpec {
  id: string;
  description: string;
  eventPattern: Record<string, unknown>;
  target: 'ops';
}

export function subscriberRules(config: RedressConfig): SubscriberRuleSpec[] {
  return config.subscribers.map((subscriber) => ({
    id: `subscriber-${subscriber.name}`,
    description: subscriber.description,
    eventPattern: subscriber.pattern,
    target: subscriber.target,
  }));
}

/** Every rule on the bus that invokes a function: one per queue, the follow-ups', and the reply function's on Ticket.Responded. */
export function allBusRules(config: RedressConfig): BusRuleSpec[] {
  return [...busRules(config), ...followUpRules, ...replyRules];
}

/** Agents' replies go out as soon as they are recorded. */
export const replyRules: BusRuleSpec[] = [
  {
    id: 'replies',
    description: "Agents' replies, to send to the platforms",
    eventPattern: { source: [EventSource.tickets], 'detail-type': [DetailType.ticketResponded] },
    target: 'reply',
  },
];

export interface ScheduleSpec {
  id: string;
  target: FunctionName;
  /** In AWS; the local runtime uses config `local.scheduleIntervalSeconds` instead. */
  everyMinutes: number;
}

export const schedules: ScheduleSpec[] = [{ id: 'sla-monitor', target: 'slaMonitor', everyMinutes: 1 }];

/**
 * Delivery guarantees for asynchronous targets (../shared/specs/eventbridge.md §6).
 * `rule`: EventBridge retrying the hand-over to Lambda (throttling, missing permissions), at its
 * own maximum. `asyncInvoke`: Lambda retrying a handler that threw, twice, as AWS allows at most.
 * Locally the handler runs inside the delivery, so the local bus applies `asyncInvoke`'s retries.
 */
export const deliveryPolicy = {
  rule: { maximumRetryAttempts: 185, maximumEventAgeSeconds: 86_400 },
  asyncInvoke: { retryAttempts: 2, maximumEventAgeSeconds: 21_600 },
} as const;
