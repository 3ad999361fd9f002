import { TicketStatus } from './ticket.ts';
import * as z from './zod.ts';

/**
 * The agent behind a support API request, from the JWT claims the authorizer checked (a Cognito
 * user pool in AWS, `npx redress token` locally). API Gateway hands claims over as strings, and
 * a list claim such as `cognito:groups` arrives flattened to "[safety delays]".
 */
export const AgentClaims = z.pipe(
  z.object({
    sub: z.string().check(z.minLength(1)),
    name: z.optional(z.string()),
    'cognito:username': z.optional(z.string()),
    'cognito:groups': z.optional(z.union([z.array(z.string()), z.string()])),
  }),
  z.transform((claims) => ({
    id: claims.sub,
    name: claims.name ?? claims['cognito:username'] ?? claims.sub,
    queues: groupList(claims['cognito:groups']),
  })),
);
export type Agent = z.output<typeof AgentClaims>;

function groupList(groups: string | string[] | undefined): string[] {
  if (groups === undefined) return [];
  if (Array.isArray(groups)) return groups;
  return groups.replace(/^\[|\]$/g, '').split(/[\s,]+/).filter(Boolean);
}

const StatusList = z.pipe(
  z.string(),
  z.transform((text, ctx) => {
    const statuses = text.split(',').map((status) => status.trim());
    for (const status of statuses) {
      if (!TicketStatus.safeParse(status).success) {
        ctx.issues.push({ code: 'custom', message: `unknown status "${status}"; use ${TicketStatus.options.join(', ')}`, input: text });
      }
    }
    return [...new Set(statuses)] as TicketStatus[];
  }),
);

export const ListTicketsQuery = z.object({
  /** Comma-separated; by default the statuses a ticket is worked in. */
  status: z.optional(StatusList),
  limit: z._default(
    z.pipe(
      z.string().check(z.regex(/^\d{1,3}$/, 'limit is a whole number from 1 to 100')),
      z.pipe(z.transform(Number), z.number().check(z.gte(1, 'limit is a whole number from 1 to 100'), z.lte(100, 'limit is a whole number from 1 to 100'))),
    ),
    25,
  ),
  cursor: z.optional(z.string().check(z.maxLength(2048))),
});
