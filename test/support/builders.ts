import { Classification } from '#contracts/classification';
import { PostClassifiedDetail } from '#contracts/events';
import { SocialPost } from '#contracts/social-post';
import { Ticket } from '#contracts/ticket';
import { openingSla } from '#domain/sla/ticket-clocks';
import { DEFAULT_SLA } from './sla.ts';

/**
 * Builders for contract values: a valid default, overridden only where a test cares. Each result
 * is parsed by its contract, so a builder can never hand a test something producers cannot send.
 */

let posts = 0;

/** A public post on a Standard Webhooks source; every call gets its own post id and author. */
export function aSocialPost(overrides: Partial<SocialPost> = {}): SocialPost {
  posts += 1;
  return SocialPost.parse({
    platform: 'generic',
    kind: 'post',
    id: `post-${posts}`,
    author: { id: `author-${posts}`, handle: '@stranded_traveller', name: 'Sam Traveller' },
    text: 'Flight UA123 from SFO delayed 4 hours and still no update at the gate. Booking ABC123.',
    createdAt: '2026-11-22T09:59:30.000Z',
    source: 'trustpilot',
    ...overrides,
  });
}

/** A P2 delay in English, as the classifier would describe the default post. */
export function aClassification(overrides: Partial<Classification> = {}): Classification {
  return Classification.parse({
    isIssue: true,
    category: 'delay',
    priority: 'P2',
    confidence: 0.86,
    entities: { flightNumbers: ['UA123'], airports: ['SFO'], bookingRefs: ['ABC123'], delayMinutes: 240 },
    language: 'en',
    reasons: [
      { decision: 'issue', rule: 'complaint-words', evidence: ['delayed', 'no update'] },
      { decision: 'priority', rule: 'delay-3h-plus', evidence: ['4 hours'] },
    ],
    ...overrides,
  });
}

/** The Post.Classified detail the webhook emits, routed to the `delays` queue. */
export function aClassifiedPost(overrides: Partial<PostClassifiedDetail> = {}): PostClassifiedDetail {
  return PostClassifiedDetail.parse({
    post: overrides.post ?? aSocialPost(),
    classification: aClassification(),
    queue: 'delays',
    receivedAt: '2026-11-22T10:00:00.000Z',
    ...overrides,
  });
}

const TICKET_CREATED = '2026-11-22T10:00:00.000Z';

/**
 * A new P2 ticket in `delays` (id tkt_1), created at 10:00 on 2026-11-22 with the default SLA
 * clocks running (first response due 11:00), as the enqueue function opens one.
 */
export function aTicket(overrides: Partial<Ticket> = {}): Ticket {
  return Ticket.parse({
    id: 'tkt_1',
    queue: 'delays',
    status: 'new',
    priority: 'P2',
    category: 'delay',
    version: 1,
    createdAt: TICKET_CREATED,
    updatedAt: TICKET_CREATED,
    author: { platform: 'generic', id: 'user-1', handle: '@traveller' },
    preview: 'Flight delayed 4 hours',
    postCount: 1,
    firstPostId: 'post-1',
    sla: openingSla('delays', 'P2', new Date(TICKET_CREATED), DEFAULT_SLA),
    assignee: null,
    firstResponseAt: null,
    solvedAt: null,
    ...overrides,
  });
}
