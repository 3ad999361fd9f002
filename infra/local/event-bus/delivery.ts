import type { EventPattern } from '#event-patterns/validate';
import type { BusEvent } from './envelope.ts';
import type { RecordStore } from './record-store.ts';

export interface LocalRule {
  /** Rule name; its ARN is arn:aws:events:<region>:<account>:rule/<bus>/<name>. */
  name: string;
  /** Already validated with parseEventPattern. */
  eventPattern: EventPattern;
  /** The target's id on the rule, e.g. the function name. */
  targetId: string;
  /** The target's ARN for dead letters; defaults to the Lambda function named `targetId`. */
  targetArn?: string;
  /** Delivers one event; a throw is a failed delivery (see DeliveryError for non-retryable ones). */
  invoke(event: BusEvent): Promise<void>;
  /** §6 Target.RetryPolicy. */
  retryPolicy: { maximumRetryAttempts: number; maximumEventAgeSeconds: number };
}

export interface LocalLog {
  info(message: string, data?: Record<string, unknown>): void;
  warn(message: string, data?: Record<string, unknown>): void;
  error(message: string, data?: Record<string, unknown>): void;
}

export const silentLog: LocalLog = { info: () => undefined, warn: () => undefined, error: () => undefined };

/**
 * Thrown by a target to say how the delivery failed. §6: only retriable errors are retried;
 * errors such as a missing function go straight to the dead-letter store. Any other thrown value
 * counts as a retriable failure.
 */
export class DeliveryError extends Error {
  override readonly name = 'DeliveryError';
  readonly code: string;
  readonly retryable: boolean;

  constructor(options: { code: string; message: string; retryable?: boolean; cause?: unknown }) {
    super(options.message, { cause: options.cause });
    this.code = options.code;
    this.retryable = options.retryable ?? true;
  }
}

/** One event on its way to one rule's target: what is persisted across a restart. */
export interface PendingDelivery {
  deliveryId: string;
  ruleName: string;
  event: BusEvent;
  /** Retries already spent; the first attempt is not a retry. */
  retryAttempts: number;
  /** ISO time the bus accepted the event (or replayed it); §6 event age counts from here. */
  ingestedAt: string;
  /** ISO time of the next attempt, for a delivery waiting out a retry backoff. */
  nextAttemptAt?: string;
  lastError?: { code: string; message: string };
}

export type ExhaustedRetryCondition = 'MaximumRetryAttempts' | 'MaximumEventAgeInSeconds';

/** A delivery that gave up, with the attributes an SQS dead-letter queue message carries (§6). */
export interface DeadLetter {
  deadLetterId: string;
  deadLetteredAt: string;
  ruleName: string;
  targetId: string;
  event: BusEvent;
  attributes: {
    RULE_ARN: string;
    TARGET_ARN: string;
    ERROR_CODE: string;
    ERROR_MESSAGE: string;
    /** Absent when the error was not retriable and no retry was attempted (§6). */
    EXHAUSTED_RETRY_CONDITION?: ExhaustedRetryCondition;
    RETRY_ATTEMPTS: number;
  };
}

export interface DeliveryQueueOptions {
  rules: ReadonlyMap<string, LocalRule>;
  ruleArn(ruleName: string): string;
  targetArn(rule: LocalRule | undefined, ruleName: string): string;
  deadLetters: RecordStore<DeadLetter>;
  retryBackoff: { baseMs: number; maxMs: number };
  now(): Date;
  newId(): string;
  log: LocalLog;
  random?: () => number;
}

/** The code recorded for a target that threw something other than a DeliveryError (local only). */
export const GENERIC_FAILURE_CODE = 'INVOCATION_FAILED';

/**
 * Delivers each (event, rule) pair asynchronously, retrying failures with exponential backoff and
 * jitter until the rule's retry policy is spent, then writing a dead letter (§6).
 */
export class DeliveryQueue {
  readonly #options: DeliveryQueueOptions;
  readonly #waiting = new Map<string, { delivery: PendingDelivery; timer: NodeJS.Timeout }>();
  readonly #inFlight = new Map<string, { delivery: PendingDelivery; done: Promise<void> }>();
  readonly #deadLetterWrites = new Set<Promise<void>>();
  /** Deliveries that failed or arrived while stopping: persisted instead of scheduled. */
  #parked: PendingDelivery[] = [];
  #idleWaiters: Array<() => void> = [];
  #stopping = false;
  #stopped = false;

  constructor(options: DeliveryQueueOptions) {
    this.#options = options;
  }

  /** Schedules a delivery: now, or at its `nextAttemptAt` when it was waiting out a backoff. */
  enqueue(delivery: PendingDelivery): void {
    if (this.#stopping) {
      this.#parked.push(delivery);
      return;
    }
    const dueAt = delivery.nextAttemptAt ? Date.parse(delivery.nextAttemptAt) : Number.NaN;
    const delay = Number.isNaN(dueAt)
      ? 0
      : Math.min(Math.max(0, dueAt - this.#options.now().getTime()), this.#options.retryBackoff.maxMs);
    const timer = setTimeout(() => this.#attempt(delivery.deliveryId), delay);
    this.#waiting.set(delivery.deliveryId, { delivery, timer });
  }

  /** Resolves once nothing is queued, in flight, waiting for a retry or being dead-lettered. */
  drain(): Promise<void> {
    if (this.#isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /**
   * Stops scheduling, lets in-flight invocations finish for up to `timeoutMs`, and returns every
   * delivery that has not succeeded: waiting for a retry, failed while stopping, or still running
   * at the deadline (that last kind may be delivered twice, which §6's at-least-once allows).
   */
  async stop(timeoutMs: number): Promise<PendingDelivery[]> {
    this.#stopping = true;
    const pending: PendingDelivery[] = [];
    for (const { delivery, timer } of this.#waiting.values()) {
      clearTimeout(timer);
      pending.push(delivery);
    }
    this.#waiting.clear();

    let deadline: NodeJS.Timeout | undefined;
    const timedOut = new Promise<void>((resolve) => {
      deadline = setTimeout(resolve, timeoutMs);
    });
    await Promise.race([Promise.allSettled([...this.#inFlight.values()].map((entry) => entry.done)), timedOut]);
    clearTimeout(deadline);

    for (const { delivery } of this.#inFlight.values()) {
      this.#options.log.warn('event-bus: target still running at shutdown; it will be delivered again on restart', {
        rule: delivery.ruleName,
        eventId: delivery.event.id,
      });
      pending.push(delivery);
    }
    this.#inFlight.clear();
    pending.push(...this.#parked);
    this.#parked = [];
    this.#stopped = true;
    await Promise.allSettled([...this.#deadLetterWrites]);
    this.#notifyIfIdle();
    return pending;
  }

  async #attempt(deliveryId: string): Promise<void> {
    const waiting = this.#waiting.get(deliveryId);
    if (!waiting) return;
    this.#waiting.delete(deliveryId);
    const { delivery } = waiting;
    const rule = this.#options.rules.get(delivery.ruleName);
    let resolveDone!: () => void;
    const done = new Promise<void>((resolve) => (resolveDone = resolve));
    this.#inFlight.set(deliveryId, { delivery, done });
    try {
      if (!rule) {
        throw new DeliveryError({
          code: 'NO_RESOURCE',
          message: `Rule ${delivery.ruleName} does not exist on this bus.`,
          retryable: false,
        });
      }
      // A copy, so a target that mutates its input cannot change what a retry or dead letter holds.
      await rule.invoke(structuredClone(delivery.event));
      if (!this.#stopped) {
        this.#options.log.info('event-bus: delivered', {
          rule: rule.name,
          target: rule.targetId,
          eventId: delivery.event.id,
          retryAttempts: delivery.retryAttempts,
        });
      }
    } catch (error) {
      // After stop() gave up waiting, this delivery is already persisted as pending.
      if (!this.#stopped) this.#afterFailure(delivery, rule, describeFailure(error));
    } finally {
      this.#inFlight.delete(deliveryId);
      resolveDone();
      this.#notifyIfIdle();
    }
  }

  #afterFailure(delivery: PendingDelivery, rule: LocalRule | undefined, failure: Failure): void {
    const context = { rule: delivery.ruleName, eventId: delivery.event.id, retryAttempts: delivery.retryAttempts };
    if (!rule || !failure.retryable) {
      this.#deadLetter(delivery, rule, failure, undefined);
      return;
    }
    // §6: retrying stops at whichever limit is reached first.
    const policy = rule.retryPolicy;
    if (delivery.retryAttempts >= policy.maximumRetryAttempts) {
      this.#deadLetter(delivery, rule, failure, 'MaximumRetryAttempts');
      return;
    }
    const delay = this.#backoff(delivery.retryAttempts);
    const now = this.#options.now().getTime();
    const ageAtNextAttempt = now + delay - Date.parse(delivery.ingestedAt);
    if (ageAtNextAttempt > policy.maximumEventAgeSeconds * 1000) {
      this.#deadLetter(delivery, rule, failure, 'MaximumEventAgeInSeconds');
      return;
    }
    this.#options.log.warn('event-bus: delivery failed; retrying', { ...context, error: failure.message, delayMs: delay });
    const retry: PendingDelivery = {
      ...delivery,
      retryAttempts: delivery.retryAttempts + 1,
      nextAttemptAt: new Date(now + delay).toISOString(),
      lastError: { code: failure.code, message: failure.message },
    };
    if (this.#stopping) {
      this.#parked.push(retry);
      return;
    }
    const timer = setTimeout(() => this.#attempt(retry.deliveryId), delay);
    this.#waiting.set(retry.deliveryId, { delivery: retry, timer });
  }

  /** Exponential backoff with "equal jitter": half the capped delay fixed, half random. */
  #backoff(retriesSpent: number): number {
    const { baseMs, maxMs } = this.#options.retryBackoff;
    const capped = Math.min(maxMs, baseMs * 2 ** retriesSpent);
    return Math.round(capped / 2 + (this.#options.random ?? Math.random)() * (capped / 2));
  }

  #deadLetter(
    delivery: PendingDelivery,
    rule: LocalRule | undefined,
    failure: Failure,
    exhausted: ExhaustedRetryCondition | undefined,
  ): void {
    const deadLetter: DeadLetter = {
      deadLetterId: this.#options.newId(),
      deadLetteredAt: this.#options.now().toISOString(),
      ruleName: delivery.ruleName,
      targetId: rule?.targetId ?? '',
      event: delivery.event,
      attributes: {
        RULE_ARN: this.#options.ruleArn(delivery.ruleName),
        TARGET_ARN: this.#options.targetArn(rule, delivery.ruleName),
        ERROR_CODE: failure.code,
        ERROR_MESSAGE: failure.message,
        ...(exhausted ? { EXHAUSTED_RETRY_CONDITION: exhausted } : {}),
        RETRY_ATTEMPTS: delivery.retryAttempts,
      },
    };
    this.#options.log.error('event-bus: delivery gave up; written to the dead-letter store', {
      rule: delivery.ruleName,
      eventId: delivery.event.id,
      ...deadLetter.attributes,
    });
    const write = this.#options.deadLetters
      .append([deadLetter])
      .catch((error: unknown) => {
        // The local twin of InvocationsFailedToBeSentToDLQ (§6): the event is lost, say so loudly.
        this.#options.log.error('event-bus: could not write the dead letter; the event is lost', {
          rule: delivery.ruleName,
          eventId: delivery.event.id,
          error: String(error),
        });
      })
      .finally(() => {
        this.#deadLetterWrites.delete(write);
        this.#notifyIfIdle();
      });
    this.#deadLetterWrites.add(write);
  }

  #isIdle(): boolean {
    return this.#waiting.size === 0 && this.#inFlight.size === 0 && this.#deadLetterWrites.size === 0;
  }

  #notifyIfIdle(): void {
    if (!this.#isIdle()) return;
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}

interface Failure {
  code: string;
  message: string;
  retryable: boolean;
}

function describeFailure(error: unknown): Failure {
  if (error instanceof DeliveryError) return { code: error.code, message: error.message, retryable: error.retryable };
  const message = error instanceof Error ? error.message : String(error);
  return { code: GENERIC_FAILURE_CODE, message, retryable: true };
}
