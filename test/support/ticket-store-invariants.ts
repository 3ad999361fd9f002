import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { localDynamoDbClient } from '#infra/local/dynamodb';
import { threadKey, type Corpus } from './chaos-corpus.ts';

/**
 * What must hold after any number of duplicate deliveries, retries, replays and redrives
 * (G8: nothing lost, nothing duplicated), checked on the ticket table as stored and on the
 * bus archive. Pure over its inputs, so a test can hand it a broken state and see it complain.
 */

export type Item = Record<string, unknown>;

export interface ArchivedEvent {
  id: string;
  'detail-type': string;
  source: string;
  time: string;
  detail: Record<string, unknown>;
}

/** A ticket as the fault-free and the faulted run must agree on it (times and ids are random). */
export interface TicketState {
  thread: string;
  postIds: string[];
  postCount: number;
  status: string;
  priority: string;
  version: number;
}

export interface RepeatedTicketEvent {
  ticketId: string;
  thread: string;
  detailType: 'Ticket.Created' | 'Ticket.Updated';
  /** The post the event is about: the ticket's first post, or the follow-up. */
  postId: string;
  /** When each copy was put on the bus. */
  times: string[];
}

export interface InvariantReport {
  /** Each broken invariant, one sentence naming the post or ticket. Empty when all hold. */
  violations: string[];
  /** What happened more than once where the design promises at least once. */
  repeats: {
    /** Posts whose Post.Classified is in the archive more than once (handed on again after a failed acknowledgement). */
    postsHandedOnTwice: string[];
    /** Ticket.Created, and follow-up Ticket.Updated, events in the archive more than once for the same change. */
    ticketEvents: RepeatedTicketEvent[];
  };
}

/** Every item of the table, read consistently, as the document client returns them. */
export async function scanTable(endpoint: string, tableName: string): Promise<Item[]> {
  const base = localDynamoDbClient(endpoint);
  const client = DynamoDBDocumentClient.from(base);
  try {
    const items: Item[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await client.send(new ScanCommand({ TableName: tableName, ConsistentRead: true, ExclusiveStartKey }));
      items.push(...(page.Items ?? []));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return items;
  } finally {
    base.destroy();
  }
}

/** The bus archive the local stack keeps in its data directory (events.jsonl), replays excluded (it never archives them). */
export function readArchive(dataDir: string): ArchivedEvent[] {
  const text = readFileSync(path.join(dataDir, 'events.jsonl'), 'utf8').trim();
  return text === '' ? [] : text.split('\n').map((line) => JSON.parse(line) as ArchivedEvent);
}

const isTicket = (item: Item) => item.sk === 'TICKET' && String(item.pk).startsWith('TICKET#');
const isPost = (item: Item) => String(item.pk).startsWith('TICKET#') && String(item.sk).startsWith('POST#');
const ticketIdOf = (item: Item) => String(item.pk).slice('TICKET#'.length);
const postIdOf = (item: Item) => String((item.post as { id?: unknown } | undefined)?.id ?? String(item.sk).split('#').slice(2).join('#'));
const threadOf = (ticket: Item) => threadKey(String((ticket.author as { id?: unknown }).id), String(ticket.queue));
const idsOf = (value: unknown) => [...((value as Iterable<string> | undefined) ?? [])].map(String).sort();

/** The tickets in the table, by thread, with what a fault-free run must reproduce. */
export function ticketStates(items: readonly Item[]): TicketState[] {
  const postsByTicket = new Map<string, string[]>();
  for (const item of items.filter(isPost)) postsByTicket.set(ticketIdOf(item), [...(postsByTicket.get(ticketIdOf(item)) ?? []), postIdOf(item)]);
  return items
    .filter(isTicket)
    .map((ticket) => ({
      thread: threadOf(ticket),
      postIds: (postsByTicket.get(ticketIdOf(ticket)) ?? []).sort(),
      postCount: Number(ticket.postCount),
      status: String(ticket.status),
      priority: String(ticket.priority),
      version: Number(ticket.version),
    }))
    .sort((a, b) => a.thread.localeCompare(b.thread) || a.postIds.join().localeCompare(b.postIds.join()));
}

export function checkInvariants(corpus: Corpus, items: readonly Item[], archive: readonly ArchivedEvent[]): InvariantReport {
  const violations: string[] = [];
  const fail = (message: string) => violations.push(message);
  const expectedQueue = new Map(corpus.posts.map((post) => [post.id, post.expected.queue]));
  const threadOfPost = new Map<string, string>();
  for (const [thread, postIds] of corpus.threads) for (const postId of postIds) threadOfPost.set(postId, thread);

  const tickets = new Map(items.filter(isTicket).map((ticket) => [ticketIdOf(ticket), ticket]));
  const postItems = items.filter(isPost);
  const postRefs = new Map<string, Item[]>();
  for (const item of items.filter((candidate) => candidate.sk === 'POSTREF')) {
    const postId = String(item.pk).split('#').slice(2).join('#');
    postRefs.set(postId, [...(postRefs.get(postId) ?? []), item]);
  }
  const storedUnder = new Map<string, string[]>();
  for (const item of postItems) storedUnder.set(postIdOf(item), [...(storedUnder.get(postIdOf(item)) ?? []), ticketIdOf(item)]);

  // Each issue post stored exactly once, under one ticket, with one reference to that ticket;
  // a post that is no issue leaves nothing.
  for (const post of corpus.posts) {
    const under = storedUnder.get(post.id) ?? [];
    const refs = postRefs.get(post.id) ?? [];
    if (post.expected.queue === null) {
      if (under.length > 0 || refs.length > 0) fail(`post ${post.id} is no issue but is stored under ticket(s) ${under.join(', ') || '(none)'} with ${refs.length} POSTREF(s)`);
      continue;
    }
    if (under.length === 0) fail(`post ${post.id} (${threadOfPost.get(post.id)}) was lost: stored under no ticket`);
    if (under.length > 1) fail(`post ${post.id} (${threadOfPost.get(post.id)}) is stored ${under.length} times, under tickets ${under.join(', ')}`);
    if (refs.length !== 1) fail(`post ${post.id} has ${refs.length} POSTREF items, not 1`);
    else if (under.length === 1 && refs[0]!.ticketId !== under[0]) fail(`post ${post.id} is stored under ${under[0]} but its POSTREF names ${String(refs[0]!.ticketId)}`);
  }
  for (const postId of storedUnder.keys()) if (!expectedQueue.has(postId)) fail(`a post ${postId} that was never sent is stored`);

  // One ticket per (author, queue) thread, holding exactly that thread's posts, counted once each.
  const ticketsByThread = new Map<string, string[]>();
  for (const [ticketId, ticket] of tickets) ticketsByThread.set(threadOf(ticket), [...(ticketsByThread.get(threadOf(ticket)) ?? []), ticketId]);
  for (const [thread, postIds] of corpus.threads) {
    const found = ticketsByThread.get(thread) ?? [];
    if (found.length !== 1) fail(`thread ${thread} (posts ${postIds.join(', ')}) has ${found.length} tickets${found.length ? `: ${found.join(', ')}` : ''}, not 1`);
  }
  for (const [thread, found] of ticketsByThread) if (!corpus.threads.has(thread)) fail(`ticket(s) ${found.join(', ')} belong to no thread of the corpus (${thread})`);
  const storedPosts = new Map<string, string[]>();
  for (const item of postItems) storedPosts.set(ticketIdOf(item), [...(storedPosts.get(ticketIdOf(item)) ?? []), postIdOf(item)]);
  for (const [ticketId, ticket] of tickets) {
    const stored = (storedPosts.get(ticketId) ?? []).sort();
    const expected = [...(corpus.threads.get(threadOf(ticket)) ?? [])].sort();
    if (stored.join() !== expected.join()) fail(`ticket ${ticketId} (${threadOf(ticket)}) holds posts [${stored.join(', ')}], expected [${expected.join(', ')}]`);
    if (Number(ticket.postCount) !== stored.length) fail(`ticket ${ticketId} (${threadOf(ticket)}) has postCount ${String(ticket.postCount)} but ${stored.length} stored posts`);
    if (idsOf(ticket.postIds).join() !== stored.join()) fail(`ticket ${ticketId} (${threadOf(ticket)}) counts posts [${idsOf(ticket.postIds).join(', ')}] but stores [${stored.join(', ')}]`);
    const outbox = (ticket.outbox as unknown[] | undefined) ?? [];
    if (outbox.length > 0) fail(`ticket ${ticketId} still has ${outbox.length} unpublished event(s) in its outbox`);
  }

  // The author's pointer in each queue names the thread's ticket.
  for (const [thread, found] of ticketsByThread) {
    if (found.length !== 1) continue;
    const [authorId, queue] = thread.split(' in ');
    const pointer = items.find((item) => item.pk === `AUTHOR#generic#${authorId}#QUEUE#${queue}`);
    if (pointer?.ticketId !== found[0]) fail(`the author pointer of ${thread} names ${String(pointer?.ticketId)}, not its ticket ${found[0]}`);
  }

  // Every issue post acknowledged was remembered as handed on; a post that is no issue (and goes to
  // no queue) has nothing to hand on, and leaves no dedupe record either (config ingest.publishNotIssues).
  for (const post of corpus.posts) {
    const dedupe = items.find((item) => item.pk === `DEDUPE#generic::${post.id}`);
    if (post.expected.category === 'not_issue' && post.expected.queue === null) {
      if (dedupe) fail(`post ${post.id} is no issue but left a dedupe record in status ${String(dedupe.status)}`);
      continue;
    }
    if (dedupe?.status !== 'done') fail(`post ${post.id} has dedupe record ${dedupe ? `in status ${String(dedupe.status)}` : 'missing'}, not done`);
  }

  // The archive: each issue post handed on at least once, always to its queue (one that is no
  // issue never); each ticket created
  // once; each follow-up announced.
  const classified = new Map<string, ArchivedEvent[]>();
  for (const event of archive.filter((candidate) => candidate['detail-type'] === 'Post.Classified')) {
    const postId = String((event.detail.post as { id?: unknown }).id);
    classified.set(postId, [...(classified.get(postId) ?? []), event]);
  }
  const postsHandedOnTwice: string[] = [];
  for (const post of corpus.posts) {
    const events = classified.get(post.id) ?? [];
    if (post.expected.category === 'not_issue' && post.expected.queue === null) {
      if (events.length > 0) fail(`post ${post.id} is no issue but was handed on ${events.length} time(s)`);
      continue;
    }
    if (events.length === 0) fail(`post ${post.id} was never handed on (no Post.Classified in the archive)`);
    if (events.length > 1) postsHandedOnTwice.push(post.id);
    const queues = new Set(events.map((event) => event.detail.queue as string | null));
    if (queues.size > 1 || (events.length > 0 && !queues.has(post.expected.queue))) {
      fail(`post ${post.id} was handed on to queue(s) ${[...queues].join(', ')}, expected ${String(post.expected.queue)}`);
    }
  }
  for (const postId of classified.keys()) if (!expectedQueue.has(postId)) fail(`a post ${postId} that was never sent was handed on`);

  const ticketEvents: RepeatedTicketEvent[] = [];
  const created = new Map<string, ArchivedEvent[]>();
  for (const event of archive.filter((candidate) => candidate['detail-type'] === 'Ticket.Created')) {
    const ticketId = String(event.detail.ticketId);
    created.set(ticketId, [...(created.get(ticketId) ?? []), event]);
  }
  for (const [ticketId, ticket] of tickets) {
    const events = created.get(ticketId) ?? [];
    if (events.length === 0) fail(`ticket ${ticketId} (${threadOf(ticket)}) was never announced: no Ticket.Created in the archive`);
    if (events.length > 1) {
      ticketEvents.push({ ticketId, thread: threadOf(ticket), detailType: 'Ticket.Created', postId: String(ticket.firstPostId), times: events.map((event) => event.time) });
    }
  }
  for (const ticketId of created.keys()) if (!tickets.has(ticketId)) fail(`Ticket.Created announces ${ticketId}, which is not in the table`);

  const followUps = new Map<string, Map<string, ArchivedEvent[]>>();
  for (const event of archive.filter((candidate) => candidate['detail-type'] === 'Ticket.Updated' && candidate.detail.change === 'follow_up')) {
    const byPost = followUps.get(String(event.detail.ticketId)) ?? new Map<string, ArchivedEvent[]>();
    followUps.set(String(event.detail.ticketId), byPost);
    byPost.set(String(event.detail.postId), [...(byPost.get(String(event.detail.postId)) ?? []), event]);
  }
  for (const [ticketId, ticket] of tickets) {
    const announced = [...(followUps.get(ticketId)?.keys() ?? [])].sort();
    const joined = (storedPosts.get(ticketId) ?? []).filter((postId) => postId !== ticket.firstPostId).sort();
    if (announced.join() !== joined.join()) fail(`ticket ${ticketId} (${threadOf(ticket)}) announced follow-ups [${announced.join(', ')}], but [${joined.join(', ')}] joined it`);
    for (const [postId, events] of followUps.get(ticketId) ?? []) {
      if (events.length > 1) ticketEvents.push({ ticketId, thread: threadOf(ticket), detailType: 'Ticket.Updated', postId, times: events.map((event) => event.time) });
    }
  }

  return { violations, repeats: { postsHandedOnTwice, ticketEvents } };
}
