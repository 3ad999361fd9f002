import { describe, expect, inject, it } from 'vitest';
import { enqueuePost } from '#domain/tickets/enqueue-post';
import { aClassifiedPost, aSocialPost } from '#test/support/builders';
import { at, FOLLOW_UP_WINDOW, freshTicketTablePerTest, recordingPublisher, QUEUES } from './harness.ts';
import { DEFAULT_SLA } from '#test/support/sla';

const RECEIVED_AT = '2026-11-22T10:00:00.000Z';

describe.each(inject('dynamoDbTargets'))('$name', (target) => {
  const table = freshTicketTablePerTest(target);
  const enqueue = (text: string, editedAt?: string) =>
    enqueuePost(aClassifiedPost({ post: aSocialPost({ id: 'edited-post', text, ...(editedAt ? { editedAt } : {}) }), receivedAt: RECEIVED_AT }), {
      tickets: table.tickets,
      events: recordingPublisher(),
      now: at(RECEIVED_AT),
      sla: DEFAULT_SLA,
      followUpWindowSeconds: FOLLOW_UP_WINDOW,
      queues: QUEUES,
    });
  const storedPosts = async (ticketId: string) => (await table.itemsOf(ticketId)).filter((item) => item.type === 'post');

  describe('edits of a post', () => {
    it('replace the text of the post under its ticket, without a second post or ticket', async () => {
      const first = await enqueue('My flight is delayed');
      await enqueue('My flight is delayed 5 hours now', '2026-11-22T10:05:00.000Z');

      if (first.outcome !== 'ticket') throw new Error('expected a ticket');
      const posts = await storedPosts(first.ticketId);
      expect(posts).toHaveLength(1);
      expect(posts[0]).toMatchObject({ post: { text: 'My flight is delayed 5 hours now' }, editedAt: '2026-11-22T10:05:00.000Z' });
    });

    it('keep the latest edit when edits arrive out of order', async () => {
      const first = await enqueue('v1');
      await enqueue('v3', '2026-11-22T10:10:00.000Z');
      await enqueue('v2', '2026-11-22T10:05:00.000Z');

      if (first.outcome !== 'ticket') throw new Error('expected a ticket');
      expect((await storedPosts(first.ticketId))[0]).toMatchObject({ post: { text: 'v3' } });
    });

    it('open the ticket when the first the stack hears of a post is its edit', async () => {
      const edit = await enqueue('Now my bag is missing too', '2026-11-22T10:05:00.000Z');
      if (edit.outcome !== 'ticket') throw new Error('expected a ticket');
      expect(await storedPosts(edit.ticketId)).toHaveLength(1);
    });
  });
});
