import { randomUUID } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { matchesEventPattern } from '#event-patterns/match';
import { InvalidEventPatternError, parseEventPattern, type EventPattern } from '#event-patterns/validate';
import {
  DeliveryQueue,
  silentLog,
  type DeadLetter,
  type LocalLog,
  type LocalRule,
  type PendingDelivery,
} from './delivery.ts';
import { busArn, ruleArn, type BusEvent } from './envelope.ts';
import { EventBusApiError, validationError } from './errors.ts';
import { parsePutEventsRequest, toBusEvent, type PutEventsResponse, type PutEventsResultEntry } from './put-events.ts';
import {
  isMissingFile,
  JsonLinesStore,
  MemoryRecordStore,
  writeFileAtomically,
  type RecordStore,
} from './record-store.ts';

export type { BusEvent } from './envelope.ts';
export { DeliveryError, type DeadLetter, type LocalLog, type LocalRule } from './delivery.ts';
export { EventBusApiError } from './errors.ts';
export type { PutEventsResponse, PutEventsResultEntry } from './put-events.ts';

export interface LocalEventBusOptions {
  busName: string;
  account: string;
  region: string;
  rules: LocalRule[];
  /** Where the archive, dead letters and pending deliveries live; undefined keeps everything in memory. */
  dataDir?: string;
  /** Local-scale backoff; AWS retries for up to 24 h (§6), which no developer wants to wait out. */
  retryBackoff?: { baseMs: number; maxMs: number };
  /** How long stop() waits for running targets before persisting them as pending. */
  stopTimeoutMs?: number;
  now?: () => Date;
  log?: LocalLog;
}

export interface ReplayRequest {
  replayName: string;
  /** Inclusive window on the archived events' `time` (§8). */
  from: Date;
  to: Date;
  /** §8 Destination.FilterArns: only these rules receive the replay; all rules when omitted. */
  ruleArns?: string[];
}

/** What a redrive did: the dead letters it put back on the bus, and those it left in the store, with why. */
export interface RedriveResult {
  redriven: Array<{ deadLetterId: string; ruleName: string; eventId: string }>;
  skipped: Array<{ deadLetterId: string; reason: string }>;
}

interface PendingDeliveriesFile {
  version: 1;
  deliveries: PendingDelivery[];
}

const DEFAULT_RETRY_BACKOFF = { baseMs: 100, maxMs: 2000 };
const DEFAULT_STOP_TIMEOUT_MS = 10_000;
/** §5 TestEventPattern: the Event must contain these fields. */
const REQUIRED_TEST_EVENT_FIELDS = ['id', 'account', 'source', 'time', 'region', 'resources', 'detail-type'];

/**
 * The local twin of one EventBridge bus with its rules and one archive of every event: PutEvents
 * (§4), the §5 envelope, asynchronous delivery with retries and a dead-letter store (§6), and
 * archive replay (§8), and a local-only redrive of dead letters. The HTTP face is server.ts.
 *
 * With a dataDir it keeps there:
 *   events.jsonl              every accepted event, one envelope per line (the archive)
 *   dead-letters.jsonl        deliveries that gave up, one DeadLetter per line
 *   pending-deliveries.json   deliveries not yet made at the last clean stop(); start() resumes them
 * Only one bus may use a dataDir at a time.
 */
export class LocalEventBus {
  readonly busName: string;
  readonly account: string;
  readonly region: string;
  readonly busArn: string;
  readonly #rules: Map<string, LocalRule>;
  readonly #dataDir: string | undefined;
  readonly #now: () => Date;
  readonly #log: LocalLog;
  readonly #stopTimeoutMs: number;
  readonly #archive: RecordStore<BusEvent>;
  readonly #deadLetters: RecordStore<DeadLetter>;
  readonly #queue: DeliveryQueue;
  /** PutEvents and replays that have been accepted but not yet handed to the queue. */
  readonly #intake = new Set<Promise<unknown>>();
  readonly #replayNames = new Set<string>();
  /** The tail of the redrives so far: each starts after the previous one settled. */
  #redrives: Promise<unknown> = Promise.resolve();
  #started = false;
  #stopping = false;

  constructor(options: LocalEventBusOptions) {
    this.busName = options.busName;
    this.account = options.account;
    this.region = options.region;
    this.busArn = busArn(options.region, options.account, options.busName);
    this.#rules = new Map(options.rules.map((rule) => [rule.name, rule]));
    if (this.#rules.size !== options.rules.length) throw new Error('LocalEventBus: rule names must be unique');
    this.#dataDir = options.dataDir;
    this.#now = options.now ?? (() => new Date());
    this.#log = options.log ?? silentLog;
    this.#stopTimeoutMs = options.stopTimeoutMs ?? DEFAULT_STOP_TIMEOUT_MS;

    const warnCorrupt = (file: string) => (line: number) =>
      this.#log.warn('event-bus: skipped an unreadable line', { file, line });
    if (this.#dataDir === undefined) {
      this.#archive = new MemoryRecordStore();
      this.#deadLetters = new MemoryRecordStore();
    } else {
      const archivePath = join(this.#dataDir, 'events.jsonl');
      const deadLettersPath = join(this.#dataDir, 'dead-letters.jsonl');
      this.#archive = new JsonLinesStore(archivePath, warnCorrupt(archivePath));
      this.#deadLetters = new JsonLinesStore(deadLettersPath, warnCorrupt(deadLettersPath));
    }

    this.#queue = new DeliveryQueue({
      rules: this.#rules,
      ruleArn: (ruleName) => this.ruleArn(ruleName),
      targetArn: (rule, ruleName) =>
        rule?.targetArn ?? `arn:aws:lambda:${this.region}:${this.account}:function:${rule?.targetId ?? ruleName}`,
      deadLetters: this.#deadLetters,
      retryBackoff: options.retryBackoff ?? DEFAULT_RETRY_BACKOFF,
      now: this.#now,
      newId: randomUUID,
      log: this.#log,
    });
  }

  ruleArn(ruleName: string): string {
    return ruleArn(this.region, this.account, this.busName, ruleName);
  }

  /** The names of the rules on this bus, in the order they were given. */
  ruleNames(): string[] {
    return [...this.#rules.keys()];
  }

  /** Resumes the deliveries a previous clean stop() persisted. Call once, before serving. */
  async start(): Promise<void> {
    if (this.#stopping) throw new Error('LocalEventBus: a stopped bus cannot be started again; construct a new one');
    if (this.#started) return;
    this.#started = true;
    if (this.#dataDir === undefined) return;
    let file: PendingDeliveriesFile;
    try {
      file = JSON.parse(await readFile(this.#pendingPath(), 'utf8')) as PendingDeliveriesFile;
    } catch (error) {
      if (isMissingFile(error)) return;
      throw error;
    }
    // The file stays until the next stop() rewrites it: a crash before then redelivers these
    // (at-least-once, as EventBridge itself) instead of losing them.
    for (const delivery of file.deliveries) this.#queue.enqueue(delivery);
    if (file.deliveries.length > 0) {
      this.#log.info('event-bus: resumed pending deliveries', { count: file.deliveries.length });
    }
  }

  /**
   * §4 PutEvents. Whole-request problems throw an EventBusApiError (HTTP 400); per-entry problems
   * are reported in the entry. Accepted events are archived before this resolves and delivered
   * afterwards: §6, success means ingested, not delivered.
   */
  putEvents(request: unknown): Promise<PutEventsResponse> {
    return this.#track(() => this.#putEvents(request));
  }

  async #putEvents(request: unknown): Promise<PutEventsResponse> {
    const entries = parsePutEventsRequest(request);
    const now = this.#now();
    const context = {
      busName: this.busName,
      busArn: this.busArn,
      account: this.account,
      region: this.region,
      now,
      newEventId: randomUUID,
    };
    const accepted: BusEvent[] = [];
    // §4: entries are processed in order, and one failure does not stop the others.
    const results: PutEventsResultEntry[] = entries.map((entry) => {
      const outcome = toBusEvent(entry, context);
      if ('ErrorCode' in outcome) return outcome;
      accepted.push(outcome.event);
      return { EventId: outcome.event.id };
    });

    await this.#archive.append(accepted);
    for (const event of accepted) this.#route(event, now, undefined);
    return { FailedEntryCount: entries.length - accepted.length, Entries: results };
  }

  /**
   * §5 TestEventPattern. Rejects an invalid pattern with InvalidEventPatternException and an event
   * lacking a required field with ValidationException "Parameter Event is not valid.".
   */
  testEventPattern(pattern: unknown, event: unknown): boolean {
    let parsedPattern: EventPattern;
    try {
      parsedPattern = parseEventPattern(pattern);
    } catch (error) {
      if (error instanceof InvalidEventPatternError) {
        throw new EventBusApiError('InvalidEventPatternException', error.message);
      }
      throw error;
    }
    let parsedEvent: unknown = event;
    if (typeof event === 'string') {
      try {
        parsedEvent = JSON.parse(event);
      } catch {
        throw validationError('Parameter Event is not valid.');
      }
    }
    if (
      typeof parsedEvent !== 'object' ||
      parsedEvent === null ||
      Array.isArray(parsedEvent) ||
      !REQUIRED_TEST_EVENT_FIELDS.every((field) => field in parsedEvent)
    ) {
      throw validationError('Parameter Event is not valid.');
    }
    return matchesEventPattern(parsedPattern, parsedEvent);
  }

  /**
   * §8 replay: re-delivers the archived events whose `time` lies in [from, to] to the matching
   * rules, each with `replay-name`. Replayed events are never archived again. Returns how many
   * events were replayed (an event matching no rule still counts, as in AWS).
   */
  replay(request: ReplayRequest): Promise<number> {
    return this.#track(() => this.#replay(request));
  }

  async #replay({ replayName, from, to, ruleArns }: ReplayRequest): Promise<number> {
    if (this.#replayNames.has(replayName)) {
      throw new EventBusApiError('ResourceAlreadyExistsException', `Replay ${replayName} already exists.`);
    }
    if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime()) || from.getTime() > to.getTime()) {
      throw validationError('Parameter EventStartTime is not valid. Reason: EventStartTime must not be after EventEndTime.');
    }
    this.#replayNames.add(replayName);
    const ruleFilter = ruleArns && ruleArns.length > 0 ? new Set(ruleArns) : undefined;
    const archived = await this.#archive.readAll();
    const now = this.#now();
    let replayed = 0;
    for (const event of archived) {
      const time = Date.parse(event.time);
      if (Number.isNaN(time) || time < from.getTime() || time > to.getTime()) continue;
      replayed += 1;
      this.#route({ ...event, 'replay-name': replayName }, now, ruleFilter);
    }
    this.#log.info('event-bus: replay enqueued', { replayName, events: replayed });
    return replayed;
  }

  /** Dead letters in the order they were written (§6); survives restarts when there is a dataDir. */
  listDeadLetters(): Promise<DeadLetter[]> {
    return this.#deadLetters.readAll();
  }

  /** Removes the dead letters with these ids, e.g. after a redrive. Unknown ids are ignored, so repeating is safe. */
  async removeDeadLetters(deadLetterIds: Iterable<string>): Promise<number> {
    const remove = new Set(deadLetterIds);
    let removed = 0;
    await this.#deadLetters.rewrite((records) =>
      records.filter((record) => {
        const keep = !remove.has(record.deadLetterId);
        if (!keep) removed += 1;
        return keep;
      }),
    );
    return removed;
  }

  /**
   * Puts dead letters back on the bus (all of them, or only `deadLetterIds`): each goes to the
   * rule whose target failed, and only to it, with the same envelope (same event id, so an
   * idempotent target recognises it), a fresh retry budget and a fresh maximum event age, and is
   * then removed from the store. A delivery that fails again is dead-lettered again under a new id.
   *
   * Safe to repeat and to run twice at once: redrives run one at a time, so the second finds the
   * store without what the first took. Each delivery is queued before its dead letter is removed,
   * so a crash in between can redeliver an event, never lose it. A dead letter whose rule no
   * longer exists, and an id that is not in the store, are reported as skipped; the former stays.
   *
   * AWS has no such call: there each rule's DLQ is an SQS queue, and moving its messages back is
   * the operator's job (see server.ts).
   */
  redriveDeadLetters(deadLetterIds?: readonly string[]): Promise<RedriveResult> {
    return this.#track(() => {
      const run = this.#redrives.then(() => this.#redrive(deadLetterIds));
      this.#redrives = run.catch(() => undefined);
      return run;
    });
  }

  async #redrive(deadLetterIds: readonly string[] | undefined): Promise<RedriveResult> {
    const stored = await this.#deadLetters.readAll();
    const result: RedriveResult = { redriven: [], skipped: [] };
    let selected: DeadLetter[];
    if (deadLetterIds === undefined) {
      selected = stored;
    } else {
      const byId = new Map(stored.map((deadLetter) => [deadLetter.deadLetterId, deadLetter]));
      selected = [];
      for (const id of new Set(deadLetterIds)) {
        const deadLetter = byId.get(id);
        if (deadLetter) selected.push(deadLetter);
        else result.skipped.push({ deadLetterId: id, reason: 'No dead letter with this id: already redriven, or never written.' });
      }
    }

    const now = this.#now().toISOString();
    for (const deadLetter of selected) {
      if (!this.#rules.has(deadLetter.ruleName)) {
        result.skipped.push({
          deadLetterId: deadLetter.deadLetterId,
          reason: `Rule ${deadLetter.ruleName} does not exist on event bus ${this.busName}; the dead letter is kept.`,
        });
        continue;
      }
      this.#queue.enqueue({
        deliveryId: randomUUID(),
        ruleName: deadLetter.ruleName,
        event: deadLetter.event,
        retryAttempts: 0,
        ingestedAt: now,
      });
      result.redriven.push({ deadLetterId: deadLetter.deadLetterId, ruleName: deadLetter.ruleName, eventId: deadLetter.event.id });
    }
    await this.removeDeadLetters(result.redriven.map((redriven) => redriven.deadLetterId));
    if (result.redriven.length > 0 || result.skipped.length > 0) {
      this.#log.info('event-bus: redrove dead letters', { redriven: result.redriven.length, skipped: result.skipped.length });
    }
    return result;
  }

  /** Resolves when no delivery is queued, in flight, waiting for a retry or being dead-lettered. */
  async drain(): Promise<void> {
    // Let PutEvents and replays that are still archiving hand their deliveries over first.
    while (this.#intake.size > 0) await Promise.allSettled([...this.#intake]);
    await this.#queue.drain();
  }

  /**
   * Stops accepting events, waits (bounded) for running targets, and persists every delivery not
   * yet made, including those waiting for a retry, so start() on a new bus resumes them.
   */
  async stop(): Promise<void> {
    if (this.#stopping) return;
    this.#stopping = true;
    while (this.#intake.size > 0) await Promise.allSettled([...this.#intake]);
    const pending = await this.#queue.stop(this.#stopTimeoutMs);
    if (this.#dataDir === undefined) {
      if (pending.length > 0) {
        this.#log.warn('event-bus: stopped with undelivered events and no dataDir; they are dropped', {
          count: pending.length,
        });
      }
      return;
    }
    if (pending.length === 0) {
      await rm(this.#pendingPath(), { force: true });
      return;
    }
    const file: PendingDeliveriesFile = { version: 1, deliveries: pending };
    await writeFileAtomically(this.#pendingPath(), `${JSON.stringify(file, null, 2)}\n`);
    this.#log.info('event-bus: persisted pending deliveries', { count: pending.length });
  }

  #route(event: BusEvent, ingestedAt: Date, ruleFilter: Set<string> | undefined): void {
    for (const rule of this.#rules.values()) {
      if (ruleFilter && !ruleFilter.has(this.ruleArn(rule.name))) continue;
      if (!this.#matches(rule, event)) continue;
      this.#queue.enqueue({
        deliveryId: randomUUID(),
        ruleName: rule.name,
        event,
        retryAttempts: 0,
        ingestedAt: ingestedAt.toISOString(),
      });
    }
  }

  #matches(rule: LocalRule, event: BusEvent): boolean {
    try {
      return matchesEventPattern(rule.eventPattern, event);
    } catch (error) {
      // A matcher bug must not fail a PutEvents that AWS would have accepted.
      this.#log.error('event-bus: pattern matching threw; treating as no match', {
        rule: rule.name,
        eventId: event.id,
        error: String(error),
      });
      return false;
    }
  }

  #track<T>(start: () => Promise<T>): Promise<T> {
    if (this.#stopping) {
      return Promise.reject(new EventBusApiError('InternalException', 'The local event bus is stopping.', 500));
    }
    const work = start();
    this.#intake.add(work);
    const forget = () => this.#intake.delete(work);
    work.then(forget, forget);
    return work;
  }

  #pendingPath(): string {
    return join(this.#dataDir!, 'pending-deliveries.json');
  }
}
