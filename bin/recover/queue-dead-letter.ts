import type { Message } from '@aws-sdk/client-sqs';
import type { DeadLetterView } from './dead-letter-report.ts';

/**
 * What a message in the stack's dead-letter queue is, and where it can go again. Two writers
 * share that queue, and they say different things (../shared/specs/eventbridge.md §6):
 * - EventBridge, when a rule could not hand an event to its target: attributes RULE_ARN,
 *   TARGET_ARN, ERROR_CODE, ERROR_MESSAGE, EXHAUSTED_RETRY_CONDITION, RETRY_ATTEMPTS;
 * - Lambda, when a function invoked asynchronously (by a rule or the SLA monitor's schedule)
 *   kept failing after Lambda's own retries. The stack sends these through each function's
 *   on-failure destination: the body is Lambda's invocation record, which names the function
 *   (`requestContext.functionArn`) and holds the event (`requestPayload`) and the error
 *   (`responsePayload`). A function set up with a dead-letter queue instead (attributes
 *   RequestID, ErrorCode, ErrorMessage) leaves the event as the body and does not name itself.
 * For EventBridge and a dead-letter queue the body is the event exactly as the function was given it.
 */

/** A function to invoke: what Invoke's FunctionName takes, the Region to call, and how to show it. */
export interface FunctionRef {
  functionName: string;
  region: string;
  label: string;
}

export type Redrive = { action: 'invoke'; to: FunctionRef } | { action: 'skip'; reason: string };

export interface QueueDeadLetter {
  messageId: string;
  receiptHandle: string;
  /** The message body as the queue holds it. */
  body: string;
  /**
   * What to invoke the function with: the body byte for byte, never re-serialised, except for an
   * on-failure record, whose `requestPayload` is the event (as Lambda serialised it into the record).
   */
  payload: string;
  /** Who wrote it: a rule's target delivery, Lambda's asynchronous invocation, or neither. */
  writer: 'rule' | 'lambda' | 'unknown';
  /** `source/detail-type` of the event, when the body is one. */
  eventKind?: string;
  view: DeadLetterView;
  redrive: Redrive;
}

export interface ReadOptions {
  /** --function: where to send Lambda's dead letters, which do not name their function. */
  lambdaFunction?: FunctionRef;
  /** The stack's function that consumes an event like this one, to say which to pass as --function. */
  consumerOf?: (event: Record<string, unknown>) => string | undefined;
}

const FUNCTION_ARN = /^arn:aws[a-z-]*:lambda:([a-z0-9-]+):(\d{12}):function:([A-Za-z0-9_-]{1,64})(?::(\$LATEST|[A-Za-z0-9_-]{1,128}))?$/;

/** A function ARN (optionally with a version or alias), or undefined. */
export function functionFromArn(arn: string): FunctionRef | undefined {
  const match = FUNCTION_ARN.exec(arn);
  if (!match) return undefined;
  const [, region, , name, qualifier] = match;
  return { functionName: arn, region: region!, label: qualifier === undefined ? name! : `${name}:${qualifier}` };
}

/** --function: a function ARN, or a name (with an optional :version or :alias) in the queue's Region. */
export function functionFromOption(value: string, region: string): FunctionRef | undefined {
  if (value.startsWith('arn:')) return functionFromArn(value);
  return /^[A-Za-z0-9_-]{1,64}(?::(?:\$LATEST|[A-Za-z0-9_-]{1,128}))?$/.test(value) ? { functionName: value, region, label: value } : undefined;
}

export function readDeadLetter(message: Message, options: ReadOptions = {}): QueueDeadLetter {
  const attribute = (name: string) => message.MessageAttributes?.[name]?.StringValue;
  const body = message.Body ?? '';
  const event = jsonObject(body);
  const eventKind = event && typeof event.source === 'string' && typeof event['detail-type'] === 'string' ? `${event.source}/${event['detail-type']}` : undefined;
  const sent = Number(message.Attributes?.SentTimestamp);
  const common = {
    id: message.MessageId ?? '',
    deadLetteredAt: Number.isFinite(sent) ? sent / 1000 : 0,
    event: describeEvent(body, event),
  };
  const base = { messageId: message.MessageId ?? '', receiptHandle: message.ReceiptHandle ?? '', body, payload: body, ...(eventKind === undefined ? {} : { eventKind }) };
  const notJson = `its body is not a JSON event, so no function can take it again: ${quote(body)}`;

  const record = onFailureRecord(event);
  if (record) {
    const payloadKind = `${String(record.requestPayload.source)}/${String(record.requestPayload['detail-type'])}`;
    const target = functionFromArn(record.functionArn);
    const view: DeadLetterView = {
      ...common,
      event: describeEvent(JSON.stringify(record.requestPayload), record.requestPayload),
      rule: '-',
      target: target?.label ?? record.functionArn,
      errorCode: record.errorType ?? record.condition ?? '-',
      errorMessage: record.errorMessage ?? '',
      retries: record.approximateInvokeCount === undefined ? '-' : String(record.approximateInvokeCount - 1),
    };
    const redrive: Redrive = target
      ? { action: 'invoke', to: target }
      : { action: 'skip', reason: `its record names ${record.functionArn}, which is not a Lambda function ARN` };
    return { ...base, payload: JSON.stringify(record.requestPayload), eventKind: payloadKind, writer: 'lambda', view, redrive };
  }

  const ruleArn = attribute('RULE_ARN');
  const targetArn = attribute('TARGET_ARN');
  if (ruleArn !== undefined || targetArn !== undefined) {
    const target = targetArn === undefined ? undefined : functionFromArn(targetArn);
    const view: DeadLetterView = {
      ...common,
      rule: ruleArn?.split('/').at(-1) ?? '-',
      target: target?.label ?? targetArn ?? '-',
      errorCode: attribute('ERROR_CODE') ?? '-',
      errorMessage: attribute('ERROR_MESSAGE') ?? '',
      retries: attribute('RETRY_ATTEMPTS') ?? '-',
    };
    let redrive: Redrive;
    if (targetArn === undefined) redrive = { action: 'skip', reason: 'it has RULE_ARN but no TARGET_ARN, so which target failed is unknown' };
    else if (!target) {
      redrive = {
        action: 'skip',
        reason: `its target ${targetArn} is not a Lambda function; redrive re-invokes Lambda functions only, so send its body to that target yourself, then delete the message`,
      };
    } else if (!event) redrive = { action: 'skip', reason: notJson };
    else redrive = { action: 'invoke', to: target };
    return { ...base, writer: 'rule', view, redrive };
  }

  const requestId = attribute('RequestID');
  if (requestId !== undefined || attribute('ErrorCode') !== undefined) {
    const chosen = options.lambdaFunction;
    const view: DeadLetterView = {
      ...common,
      rule: '-',
      target: chosen?.label ?? 'not named (Lambda async)',
      errorCode: attribute('ErrorCode') ?? '-',
      errorMessage: attribute('ErrorMessage') ?? '',
      retries: '-',
    };
    let redrive: Redrive;
    if (!event) redrive = { action: 'skip', reason: notJson };
    else if (chosen) redrive = { action: 'invoke', to: chosen };
    else {
      const consumer = options.consumerOf?.(event);
      redrive = {
        action: 'skip',
        reason:
          `Lambda dead-lettered it after its own retries (request ${requestId ?? 'not given'}) and does not say which function failed: ` +
          `pass that function's name or ARN with --function${consumer === undefined ? '' : ` (for this event, ${eventKind}, that is ${consumer})`}`,
      };
    }
    return { ...base, writer: 'lambda', view, redrive };
  }

  const view: DeadLetterView = { ...common, rule: '-', target: '-', errorCode: '-', errorMessage: '', retries: '-' };
  return {
    ...base,
    writer: 'unknown',
    view,
    redrive: {
      action: 'skip',
      reason: "it has neither EventBridge's dead-letter attributes (RULE_ARN, TARGET_ARN) nor Lambda's (RequestID, ErrorCode), so where it failed is unknown",
    },
  };
}

interface OnFailureRecord {
  functionArn: string;
  condition?: string;
  approximateInvokeCount?: number;
  requestPayload: Record<string, unknown>;
  errorType?: string;
  errorMessage?: string;
}

/** Lambda's on-failure destination record (version 1.0), or undefined for anything else. */
function onFailureRecord(body: Record<string, unknown> | undefined): OnFailureRecord | undefined {
  const context = body?.requestContext as Record<string, unknown> | undefined;
  const payload = body?.requestPayload;
  if (typeof context?.functionArn !== 'string' || typeof payload !== 'object' || payload === null || Array.isArray(payload)) return undefined;
  const response = (typeof body?.responsePayload === 'object' && body.responsePayload !== null ? body.responsePayload : {}) as Record<string, unknown>;
  return {
    // The record names the version that ran (`…:function:name:$LATEST`); the unqualified name runs the same.
    functionArn: context.functionArn.replace(/:\$LATEST$/, ''),
    ...(typeof context.condition === 'string' ? { condition: context.condition } : {}),
    ...(typeof context.approximateInvokeCount === 'number' ? { approximateInvokeCount: context.approximateInvokeCount } : {}),
    requestPayload: payload as Record<string, unknown>,
    ...(typeof response.errorType === 'string' ? { errorType: response.errorType } : {}),
    ...(typeof response.errorMessage === 'string' ? { errorMessage: response.errorMessage } : {}),
  };
}

function jsonObject(body: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(body);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function describeEvent(body: string, event: Record<string, unknown> | undefined): string {
  if (!event) return `not JSON: ${quote(body)}`;
  const { id, source } = event;
  const detailType = event['detail-type'];
  if (typeof id === 'string' && typeof source === 'string' && typeof detailType === 'string') return `${detailType} ${id} from ${source}`;
  return `a JSON object, not an EventBridge event: ${quote(body)}`;
}

const quote = (text: string) => JSON.stringify(text.length <= 60 ? text : `${text.slice(0, 59)}…`);
