import * as z from './zod.ts';

export const Category = z.enum(['delay', 'cancellation', 'meal', 'baggage', 'other_complaint', 'not_issue']);
export type Category = z.infer<typeof Category>;

export const Priority = z.enum(['P1', 'P2', 'P3', 'P4']);
export type Priority = z.infer<typeof Priority>;

export const Entities = z.object({
  /** Normalised like `UA123`. */
  flightNumbers: z.array(z.string()),
  /** IATA codes. */
  airports: z.array(z.string()),
  /** 6-character record locators. */
  bookingRefs: z.array(z.string()),
  delayMinutes: z.nullable(z.number()),
});
export type Entities = z.infer<typeof Entities>;

/** A reason an agent can read: which words or rule drove which part of the decision. */
export const Reason = z.object({
  decision: z.enum(['issue', 'category', 'priority', 'language', 'entity']),
  rule: z.string(),
  evidence: z.array(z.string()),
});
export type Reason = z.infer<typeof Reason>;

export const Classification = z.object({
  isIssue: z.boolean(),
  category: Category,
  priority: Priority,
  confidence: z.number().check(z.gte(0), z.lte(1)),
  entities: Entities,
  /** BCP 47 language tag, or `und` when it cannot be told. */
  language: z.string(),
  reasons: z.array(Reason),
});
export type Classification = z.infer<typeof Classification>;
