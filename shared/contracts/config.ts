import { isTimeZone, notATimeZone } from '#domain/time-zone';
import { InvalidEventPatternError, parseEventPattern } from '#event-patterns/validate';
import { BusinessHoursConfig } from './business-hours.ts';
import { Duration } from './duration.ts';
import { SlaClockName } from './sla.ts';
import * as z from './zod.ts';

export const QueueName = z.string().check(
  z.regex(/^[a-z][a-z0-9-]{0,39}$/, 'queue names are 1-40 lower-case letters, digits or dashes, starting with a letter'),
);

/** An EventBridge event pattern, checked with EventBridge's own rules and error text. */
const EventPatternSchema = z.record(z.string(), z.unknown()).check(
  z.superRefine((pattern, ctx) => {
    try {
      parseEventPattern(pattern);
    } catch (error) {
      if (!(error instanceof InvalidEventPatternError)) throw error;
      ctx.addIssue({ code: 'custom', message: error.message, input: pattern });
    }
  }),
);

/** Targets for one priority, in business time of the ticket's queue. */
export const SlaTargets = z.object({
  /** From the first post to the first agent reply. */
  firstResponse: Duration,
  /** From a customer's post after an agent reply to the next agent reply. */
  nextResponse: Duration,
  /** From the first post (or a reopen) to solved; paused while waiting for the customer. */
  resolution: Duration,
});
export type SlaTargets = z.infer<typeof SlaTargets>;

const PartialTargets = z.partial(SlaTargets);

export const QueueConfig = z.object({
  name: QueueName,
  description: z.string(),
  /** EventBridge pattern over the Post.Classified event; the first queue whose pattern matches wins. */
  pattern: EventPatternSchema,
  /** When the queue's SLA clocks run; without it they run around the clock. */
  businessHours: z.optional(BusinessHoursConfig),
  /** Targets that differ from `sla.policies` for this queue, per priority and clock. */
  sla: z.optional(z.partial(z.object({ P1: PartialTargets, P2: PartialTargets, P3: PartialTargets, P4: PartialTargets }))),
});
export type QueueConfig = z.infer<typeof QueueConfig>;

/**
 * A rule of its own on the bus, besides the queues: any event matching `pattern` (any source and
 * detail-type on the bus: Post.Classified, Ticket.*) goes to `target`.
 */
export const SubscriberConfig = z.object({
  name: QueueName,
  description: z.string(),
  pattern: EventPatternSchema,
  /** `ops`: the SNS topic every alarm notifies (the local stack prints the event on its console). */
  target: z.enum(['ops']),
});
export type SubscriberConfig = z.infer<typeof SubscriberConfig>;

export const RedressConfig = z
  .object({
    /** The EventBridge bus (../shared/DESIGN.md "Contracts"). */
    busName: z.string().check(z.regex(/^[A-Za-z0-9._-]{1,256}$/)),
    /** Ordered: routing stamps the first queue whose pattern matches. */
    queues: z.array(QueueConfig).check(z.minLength(1)),
    /** Extra rules on the bus, e.g. every P1 post to the ops topic. */
    subscribers: z.array(SubscriberConfig),
    ingest: z.object({
      /**
       * Also publish Post.Classified for posts that are no issue and go to no queue (for a
       * subscriber that wants every post). Off, such a post costs no event and no DynamoDB write,
       * unless it is a direct message or a reply, which may belong to its author's open ticket.
       */
      publishNotIssues: z.boolean(),
    }),
    classifier: z.object({
      /** Languages the classifier covers; an issue in any other language goes to human triage. */
      coveredLanguages: z.array(z.string().check(z.minLength(2))).check(z.minLength(1)),
      /**
       * The wall clock a post's "since 6am" is read on when the platform dates it in UTC (X and
       * Meta do): an IANA zone such as `America/Chicago`. Without it such a "since" is not counted.
       */
      timeZone: z.optional(
        z.string().check(
          z.superRefine((name, ctx) => {
            if (!isTimeZone(name)) ctx.addIssue({ code: 'custom', message: notATimeZone(name), input: name });
          }),
        ),
      ),
      /**
       * How sure the model must be that a post is an issue before it is one (default 0.5). Lower
       * finds more complaints and opens more tickets that are none; higher the reverse.
       * `npm run eval` prints precision and recall at several values.
       */
      issueThreshold: z.number().check(z.gte(0.05), z.lte(0.95)),
      /** The priority policy (shared/domain/classification/priority.ts): P1 safety, P2 severe disruption. */
      priority: z.object({
        /** A stated delay at least this long makes a delay or cancellation P2, as does as long on hold after a cancellation (default 180: 3 hours). */
        severeDelayMinutes: z.number().check(z.int(), z.gte(1), z.lte(7 * 24 * 60)),
        /** Words or phrases, besides the built-in rules, that make an issue P1 (matched whole, any case). */
        safetyTerms: z.array(z.string().check(z.minLength(2), z.maxLength(100))).check(z.maxLength(200)),
        /** Words or phrases, besides the built-in rules, that make an issue P2. */
        severeDisruptionTerms: z.array(z.string().check(z.minLength(2), z.maxLength(100))).check(z.maxLength(200)),
      }),
    }),
    sla: z.object({
      /** The targets per priority, for every queue that does not set its own. */
      policies: z.object({ P1: SlaTargets, P2: SlaTargets, P3: SlaTargets, P4: SlaTargets }),
      /** The share of a target after which the monitor warns (0.8: at 80% of the time). */
      warningThreshold: z.number().check(z.gt(0), z.lt(1)),
      /** The clocks a reopened ticket starts afresh (a follow-up or an agent reopening a solved ticket). */
      onReopen: z.array(SlaClockName),
    }),
    tickets: z.object({
      /**
       * A post from the same author in the same queue within this time of their last one joins
       * their ticket (and reopens it if it was solved); a later one opens a new ticket.
       */
      followUpWindow: Duration,
    }),
    /** How long posts and tickets are kept before DynamoDB's TTL removes them (they hold personal data). */
    retentionDays: z.number().check(z.int(), z.gte(1), z.lte(3650)),
    deployment: z.object({
      /** DynamoDB deletion protection for the ticket table. */
      deletionProtection: z.boolean(),
      logRetentionDays: z.number().check(z.int(), z.gte(1)),
    }),
    /** What ops is told, and when (infra/constructs/ops-monitoring.ts). */
    ops: z.object({
      /** Addresses subscribed to the `ops` SNS topic every alarm notifies. */
      alarmEmails: z.array(z.email()),
      /** Alarm when a queue's oldest open ticket is older than this. */
      oldestOpenTicketAlarm: Duration,
      /** Alarm when more than this percentage of webhook requests answer 5xx over 5 minutes. */
      webhook5xxPercent: z.number().check(z.gt(0), z.lte(100)),
    }),
    local: z.object({
      /** How often the local runtime fires scheduled functions such as the SLA monitor (AWS runs them every minute). */
      scheduleIntervalSeconds: z.number().check(z.gte(1), z.lte(3600)),
    }),
  })
  .check(
    z.superRefine((config, ctx) => {
      const seen = new Set<string>();
      config.queues.forEach((queue, index) => {
        if (seen.has(queue.name)) {
          ctx.addIssue({ code: 'custom', message: `queue "${queue.name}" is defined twice`, path: ['queues', index, 'name'], input: queue.name });
        }
        seen.add(queue.name);
      });
      const subscribers = new Set<string>();
      config.subscribers.forEach((subscriber, index) => {
        if (subscribers.has(subscriber.name)) {
          ctx.addIssue({ code: 'custom', message: `subscriber "${subscriber.name}" is defined twice`, path: ['subscribers', index, 'name'], input: subscriber.name });
        }
        subscribers.add(subscriber.name);
      });
    }),
  );
export type RedressConfig = z.infer<typeof RedressConfig>;
/** What a person writes: durations as text, before parsing. */
export type RedressConfigInput = z.input<typeof RedressConfig>;
