import { describe, expect, it } from 'vitest';
import { threadKey, type Corpus, type CorpusPost } from '#test/support/chaos-corpus';
import { checkInvariants, ticketStates, type ArchivedEvent, type Item } from '#test/support/ticket-store-invariants';

// The fault-injection test (nothing-lost-under-faults.test.ts) is only as good as its checker:
// here it is handed a correct state and hand-broken ones, and must tell them apart.

const AT = '2026-11-22T10:00:00.000Z';

function post(id: string, queue: string | null, authorId = 'customer-1'): CorpusPost {
  return {
    id,
    author: { id: authorId, handle: `@${authorId}` },
    text: 'text',
    createdAt: AT,
    expected: { queue, category: queue === null ? 'not_issue' : 'delay', priority: queue === null ? 'P4' : 'P3' },
  };
}

/** customer-1 writes twice to delays (one thread), once to baggage, and once no issue at all. */
const corpus: Corpus = {
  seed: 1,
  posts: [post('p1', 'delays'), post('p2', 'delays'), post('p3', 'baggage'), post('p4', null)],
  threads: new Map([
    [threadKey('customer-1', 'delays'), ['p1', 'p2']],
    [threadKey('customer-1', 'baggage'), ['p3']],
  ]),
};

function ticket(id: string, queue: string, postIds: string[], overrides: Item = {}): Item[] {
  return [
    {
      pk: `TICKET#${id}`,
      sk: 'TICKET',
      type: 'ticket',
      id,
      queue,
      status: 'new',
      priority: 'P3',
      version: postIds.length,
      postCount: postIds.length,
      postIds: new Set(postIds),
      firstPostId: postIds[0],
      author: { platform: 'generic', id: 'customer-1' },
      ...overrides,
    },
    ...postIds.flatMap((postId) => [
      { pk: `TICKET#${id}`, sk: `POST#generic#${postId}`, type: 'post', post: { id: postId } },
      { pk: `POSTREF#generic#${postId}`, sk: 'POSTREF', type: 'post-ref', ticketId: id },
    ]),
    { pk: `AUTHOR#generic#customer-1#QUEUE#${queue}`, sk: 'AUTHOR', type: 'author', ticketId: id },
  ];
}

// A post that is no issue leaves no dedupe record and no Post.Classified (config ingest.publishNotIssues off).
const issuePosts = corpus.posts.filter((candidate) => candidate.expected.queue !== null);
const dedupe: Item[] = issuePosts.map((candidate) => ({ pk: `DEDUPE#generic::${candidate.id}`, sk: 'DEDUPE', status: 'done' }));
const correctItems: Item[] = [...ticket('t1', 'delays', ['p1', 'p2']), ...ticket('t3', 'baggage', ['p3']), ...dedupe];

function event(detailType: string, detail: Record<string, unknown>, time = '2026-11-22T10:00:00Z'): ArchivedEvent {
  return { id: `${detailType}-${JSON.stringify(detail)}-${time}`, 'detail-type': detailType, source: 'redress', time, detail };
}
const correctArchive: ArchivedEvent[] = [
  ...issuePosts.map((candidate) => event('Post.Classified', { post: { id: candidate.id }, queue: candidate.expected.queue })),
  event('Ticket.Created', { ticketId: 't1', postId: 'p1' }),
  event('Ticket.Created', { ticketId: 't3', postId: 'p3' }),
  event('Ticket.Updated', { ticketId: 't1', change: 'follow_up', postId: 'p2' }),
];

describe('the G8 invariant checker', () => {
  it('finds nothing wrong with one stored post each and one ticket per thread', () => {
    const report = checkInvariants(corpus, correctItems, correctArchive);
    expect(report.violations).toEqual([]);
    expect(report.repeats).toEqual({ postsHandedOnTwice: [], ticketEvents: [] });
  });

  it('catches a follow-up stored a second time, under a second ticket of the same thread', () => {
    const items = [...correctItems, ...ticket('t2', 'delays', ['p2']).filter((item) => item.sk !== 'AUTHOR')];
    const { violations } = checkInvariants(corpus, items, [...correctArchive, event('Ticket.Created', { ticketId: 't2', postId: 'p2' })]);
    expect(violations).toEqual(
      expect.arrayContaining([
        'post p2 (customer-1 in delays) is stored 2 times, under tickets t1, t2',
        'post p2 has 2 POSTREF items, not 1',
        'thread customer-1 in delays (posts p1, p2) has 2 tickets: t1, t2, not 1',
      ]),
    );
    expect(ticketStates(items)).not.toEqual(ticketStates(correctItems));
  });

  it('catches a lost post and a ticket that counts a post it does not store', () => {
    const items = correctItems.filter((item) => item.sk !== 'POST#generic#p2');
    expect(checkInvariants(corpus, items, correctArchive).violations).toEqual(
      expect.arrayContaining([
        'post p2 (customer-1 in delays) was lost: stored under no ticket',
        'ticket t1 (customer-1 in delays) has postCount 2 but 1 stored posts',
      ]),
    );
  });

  it('catches a post that is no issue creating something, and an event never published', () => {
    const items = [...correctItems, { pk: 'TICKET#t1', sk: 'POST#generic#p4', type: 'post', post: { id: 'p4' } }];
    const archive = correctArchive.filter((candidate) => !(candidate['detail-type'] === 'Ticket.Created' && candidate.detail.ticketId === 't3'));
    expect(checkInvariants(corpus, items, archive).violations).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^post p4 is no issue but is stored under ticket\(s\) t1/),
        'ticket t3 (customer-1 in baggage) was never announced: no Ticket.Created in the archive',
      ]),
    );
  });

  it('reports a ticket announced twice, apart from the violations', () => {
    const archive = [...correctArchive, event('Ticket.Created', { ticketId: 't1', postId: 'p1' }, '2026-11-22T10:00:31Z')];
    const report = checkInvariants(corpus, correctItems, archive);
    expect(report.violations).toEqual([]);
    expect(report.repeats.ticketEvents).toEqual([
      { ticketId: 't1', thread: 'customer-1 in delays', detailType: 'Ticket.Created', postId: 'p1', times: ['2026-11-22T10:00:00Z', '2026-11-22T10:00:31Z'] },
    ]);
  });
});
