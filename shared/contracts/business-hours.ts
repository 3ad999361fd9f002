import { businessHoursProblems } from '#domain/sla/business-calendar';
import * as z from './zod.ts';

export const Weekday = z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);
export type Weekday = z.infer<typeof Weekday>;

export const BusinessWindowConfig = z.object({
  days: z.array(Weekday),
  /** `HH:MM` on the queue's wall clock. */
  from: z.string(),
  /** `HH:MM`, or `24:00` for the end of the day; earlier than `from` when the window crosses midnight. */
  to: z.string(),
});
export type BusinessWindowConfig = z.infer<typeof BusinessWindowConfig>;

/**
 * A queue's business hours, during which its SLA clocks run; a queue without them is open around
 * the clock. How windows read on daylight-saving nights, across midnight and on holidays is set
 * out in shared/domain/sla/business-calendar.ts, which also owns the checks below, so a calendar
 * built in code is held to the same rules as one read from the config.
 */
export const BusinessHoursConfig = z
  .object({
    /** An IANA zone such as `Europe/London`. */
    timeZone: z.string(),
    windows: z.array(BusinessWindowConfig),
    /** Local dates (`2026-12-25`) on which no window opens. */
    holidays: z._default(z.array(z.string()), []),
  })
  .check(
    z.superRefine((hours, ctx) => {
      for (const problem of businessHoursProblems(hours)) {
        ctx.addIssue({ code: 'custom', message: problem.message, path: problem.path, input: hours });
      }
    }),
  );
export type BusinessHoursConfig = z.infer<typeof BusinessHoursConfig>;
