import { describe, expect, inject, it } from 'vitest';
import { DynamoReplyStore } from '#adapters/reply-store';
import { deliverOutbox } from '#domain/tickets/deliver-outbox';
import { agentChange } from '#domain/tickets/ticket-changes';
import { aSocialPost } from '#test/support/builders';
import { at, freshTicketTablePerTest, later, opened, recordingPublisher } from './harness.ts';

const RECEIVED_AT = '2026-11-22T10:00:00.000Z';
const REPLIED_AT = '2026-11-22T10:05:00.000Z';
/** The reply store's lease (60 s), plus a second. */
const PAST_THE_LEASE_MS = 61_000;

describe.each(inject('dynamoDbTargets'))('$name', (target) => {
  const table = freshTicketTablePerTest(target);

  /** A ticket on an X post with one agent reply recorded, as the support API leaves it. */
  async function aRepliedTicket() {
    const created = opened({ post: aSocialPost({ platform: 'x', id: '1860000000000000001', kind: 'mention' }), receivedAt: RECEIVED_AT });
    await table.tickets.createTicket(created.ticket, created.post, created.events, new Date(created.ticket.createdAt));
    const reply = agentChange(created.ticket, { kind: 'reply', replyId: 'rpl_1', text: 'So sorry, we are rebooking you now.' }, { id: 'agent-7' }, new Date(REPLIED_AT));
    expect(await table.tickets.saveChange(created.ticket, reply, { now: new Date(reply.ticket.updatedAt) })).not.toBeNull();
    await deliverOutbox(created.ticket.id, { tickets: table.tickets, events: recordingPublisher(), now: at(REPLIED_AT) });
    return { ticketId: created.ticket.id, post: created.post.post, store: new DynamoReplyStore(table.client, table.name) };
  }

  it('finds the reply with the customer post it answers', async () => {
    const { ticketId, post, store } = await aRepliedTicket();

    const found = await store.find(ticketId, 'rpl_1');

    expect(found?.post).toEqual(post);
    expect(found?.reply).toMatchObject({ replyId: 'rpl_1', text: 'So sorry, we are rebooking you now.', delivery: { status: 'pending', attempts: 0 } });
    expect(await store.find(ticketId, 'rpl_unknown')).toBeNull();
  });

  it('lets exactly one of many runners take a reply for sending', async () => {
    const { ticketId, store } = await aRepliedTicket();

    const claims = await Promise.all(Array.from({ length: 10 }, () => new DynamoReplyStore(table.anotherRunnerClient(), table.name).claim(ticketId, 'rpl_1', new Date(REPLIED_AT))));

    expect(claims.filter((claim) => claim.outcome === 'claimed')).toHaveLength(1);
    expect(claims.filter((claim) => claim.outcome === 'busy')).toHaveLength(9);
    expect((await store.find(ticketId, 'rpl_1'))?.reply.delivery).toEqual({ status: 'sending', attempts: 1 });
  });

  it('records the platform id once sent, and never hands the reply out again', async () => {
    const { ticketId, store } = await aRepliedTicket();
    const claim = await store.claim(ticketId, 'rpl_1', new Date(REPLIED_AT));
    if (claim.outcome !== 'claimed') throw new Error(claim.outcome);

    await store.recordSent(ticketId, 'rpl_1', claim.token, '1860000000000000999', new Date(REPLIED_AT));

    const again = await store.claim(ticketId, 'rpl_1', later(REPLIED_AT, PAST_THE_LEASE_MS));
    expect(again).toMatchObject({ outcome: 'done', reply: { delivery: { status: 'sent', platformId: '1860000000000000999', attempts: 1 } } });
  });

  it('takes a released reply back for another attempt, with the reason the last one failed', async () => {
    const { ticketId, store } = await aRepliedTicket();
    const first = await store.claim(ticketId, 'rpl_1', new Date(REPLIED_AT));
    if (first.outcome !== 'claimed') throw new Error(first.outcome);
    await store.release(ticketId, 'rpl_1', first.token, 'X answered 503', new Date(REPLIED_AT));

    expect((await store.find(ticketId, 'rpl_1'))?.reply.delivery).toMatchObject({ status: 'pending', attempts: 1, reason: 'X answered 503' });
    expect(await store.claim(ticketId, 'rpl_1', new Date(REPLIED_AT))).toMatchObject({ outcome: 'claimed', attempt: 2 });
  });

  it('reports a lease that ran out without an outcome as abandoned, and only its holder may finish it', async () => {
    const { ticketId, store } = await aRepliedTicket();
    const claim = await store.claim(ticketId, 'rpl_1', new Date(REPLIED_AT));
    if (claim.outcome !== 'claimed') throw new Error(claim.outcome);

    expect(await store.claim(ticketId, 'rpl_1', later(REPLIED_AT, 30_000))).toEqual({ outcome: 'busy' });
    const late = await store.claim(ticketId, 'rpl_1', later(REPLIED_AT, PAST_THE_LEASE_MS));
    expect(late).toEqual({ outcome: 'abandoned', token: claim.token });
    await expect(store.recordSent(ticketId, 'rpl_1', 'someone-else', '1', new Date(REPLIED_AT))).rejects.toThrow('the lease was lost');
    await store.recordFailed(ticketId, 'rpl_1', claim.token, 'may have been posted', new Date(REPLIED_AT));
    expect((await store.find(ticketId, 'rpl_1'))?.reply.delivery).toMatchObject({ status: 'failed', reason: 'may have been posted' });
  });
});
