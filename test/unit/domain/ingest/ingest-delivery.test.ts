import { describe, expect, it } from 'vitest';
import { defaultConfig } from '#config/defaults';
import { parseConfig } from '#config/load-config';
import type { IncomingPost, ParsedDelivery } from '#contracts/delivery';
import { InProgressError, PublishError } from '#domain/errors';
import { ingestDelivery } from '#domain/ingest/ingest-delivery';
import { failingClassifier, InMemoryDedupeStore, RecordingPublisher, shippedTestClassifier } from '#test/support/in-memory-ports';

const { queues } = parseConfig(defaultConfig, 'defaults');
const NOW = new Date('2026-11-22T10:00:00.000Z');

function incoming(id: string, text: string): IncomingPost {
  return {
    post: { platform: 'facebook', kind: 'comment', id, author: { id: 'u1' }, text, createdAt: '2026-11-22T09:59:00Z' },
    dedupeKey: `facebook:${id}`,
  };
}

function setup(publishNotIssues = false) {
  const dedupe = new InMemoryDedupeStore();
  const events = new RecordingPublisher();
  return { dedupe, events, ports: { dedupe, events, queues, classifier: shippedTestClassifier(), now: () => NOW, publishNotIssues } };
}

const delivery = (posts: IncomingPost[], extra: Partial<ParsedDelivery> = {}): ParsedDelivery => ({ posts, removals: [], ignored: [], ...extra });

describe('handing on a delivery', () => {
  it('classifies and routes every post of a batch, each as its own Post.Classified', async () => {
    const { events, ports } = setup();
    const outcome = await ingestDelivery(delivery([incoming('1', 'My flight was delayed 4 hours'), incoming('2', 'They lost my bag'), incoming('3', 'Lovely crew, thanks!')]), ports);

    expect(outcome).toEqual({ accepted: 3, duplicates: 0, removals: 0, ignored: 0, queues: { delays: 1, baggage: 1, none: 1 }, issues: { delay: 1, baggage: 1 } });
    // The praise goes to no queue: acknowledged, nothing handed on, nothing written.
    expect(events.published.map((event) => [event.detailType, (event.detail as { queue: string | null }).queue])).toEqual([
      ['Post.Classified', 'delays'],
      ['Post.Classified', 'baggage'],
    ]);
    expect(events.published[0]!.detail).toMatchObject({ receivedAt: NOW.toISOString(), post: { id: '1' } });
  });

  it('writes nothing for a post that is no issue, and hands it on when publishNotIssues is set', async () => {
    const quiet = setup();
    const praise = [incoming('3', 'Lovely crew, thanks!')];
    expect(await ingestDelivery(delivery(praise), quiet.ports)).toMatchObject({ accepted: 1, duplicates: 0, queues: { none: 1 } });
    expect(quiet.events.published).toEqual([]);
    expect([...quiet.dedupe.done]).toEqual([]);
    // A redelivery is classified again and again has no effect.
    expect(await ingestDelivery(delivery(praise), quiet.ports)).toMatchObject({ accepted: 1, queues: { none: 1 } });
    expect(quiet.events.published).toEqual([]);

    const everything = setup(true);
    await ingestDelivery(delivery(praise), everything.ports);
    expect(everything.events.published.map((event) => (event.detail as { queue: string | null }).queue)).toEqual([null]);
    expect([...everything.dedupe.done]).toEqual(['facebook:3']);
    expect(await ingestDelivery(delivery(praise), everything.ports)).toMatchObject({ accepted: 0, duplicates: 1 });
  });

  it("hands on a direct message or a reply that is no issue, once, for its author's open ticket", async () => {
    const { events, dedupe, ports } = setup();
    const photo: IncomingPost = { post: { platform: 'messenger', kind: 'direct_message', id: 'm-1', author: { id: 'psid-1' }, text: '[image]', createdAt: '2026-11-22T09:59:00Z' }, dedupeKey: 'messenger:m-1' };
    const reply = { ...incoming('6', 'my booking ref is QX4T9P'), post: { ...incoming('6', 'my booking ref is QX4T9P').post, kind: 'reply' as const } };
    // A top-level comment names its post as its parent on Facebook: that is no conversation.
    const comment = { ...incoming('7', 'Lovely crew, thanks!'), post: { ...incoming('7', 'Lovely crew, thanks!').post, inReplyToId: 'page_post-1' } };

    const outcome = await ingestDelivery(delivery([photo, reply, comment]), ports);

    expect(outcome).toMatchObject({ accepted: 3, duplicates: 0, queues: { none: 3 }, issues: {} });
    expect(events.published.map((event) => [(event.detail as { post: { id: string } }).post.id, (event.detail as { queue: string | null }).queue])).toEqual([
      ['m-1', null],
      ['6', null],
    ]);
    expect([...dedupe.done].sort()).toEqual(['facebook:6', 'messenger:m-1']);
    expect(await ingestDelivery(delivery([photo]), ports)).toMatchObject({ accepted: 0, duplicates: 1 });
    expect(events.published).toHaveLength(2);
  });

  it('hands on the edit of a post that is no issue any more, so the stored post is updated', async () => {
    const { events, ports } = setup();
    const edited = { ...incoming('5', 'Sorted now, thanks'), dedupeKey: 'facebook:5:edited:2026-11-22T09:59:30Z' };
    edited.post = { ...edited.post, editedAt: '2026-11-22T09:59:30Z' };
    await ingestDelivery(delivery([edited]), ports);
    expect(events.published.map((event) => (event.detail as { post: { id: string } }).post.id)).toEqual(['5']);
  });

  it('hands on a post named twice in one batch once', async () => {
    const { events, ports } = setup();
    await ingestDelivery(delivery([incoming('1', 'delayed again'), incoming('1', 'delayed again')]), ports);
    expect(events.published).toHaveLength(1);
  });

  it('acknowledges posts seen before without handing them on again', async () => {
    const { dedupe, events, ports } = setup();
    dedupe.done.add('facebook:1');
    const outcome = await ingestDelivery(delivery([incoming('1', 'delayed again'), incoming('2', 'cancelled')]), ports);
    expect(outcome).toMatchObject({ accepted: 1, duplicates: 1 });
    expect(events.published.map((event) => (event.detail as { post: { id: string } }).post.id)).toEqual(['2']);
  });

  it('records removals as Post.Removed, not classified', async () => {
    const { events, ports } = setup();
    const removal = { platform: 'facebook' as const, postId: '9', removedAt: '2026-11-22T09:00:00.000Z', brandAccountId: 'page-1', dedupeKey: 'facebook:9:removed' };
    const outcome = await ingestDelivery(delivery([], { removals: [removal], ignored: [{ reason: 'a reaction' }] }), ports);
    expect(outcome).toMatchObject({ accepted: 0, removals: 1, ignored: 1 });
    expect(events.published).toEqual([
      { source: 'redress.ingest', detailType: 'Post.Removed', detail: { platform: 'facebook', postId: '9', removedAt: '2026-11-22T09:00:00.000Z', brandAccountId: 'page-1' } },
    ]);
  });

  it('releases the posts the bus did not take and keeps the others done, then fails, so the retry hands on exactly those', async () => {
    const { dedupe, events, ports } = setup();
    events.failAt = new Set([1]);
    const batch = delivery([incoming('1', 'delayed'), incoming('2', 'cancelled'), incoming('3', 'lost bag')]);

    await expect(ingestDelivery(batch, ports)).rejects.toThrow(PublishError);
    expect([...dedupe.done].sort()).toEqual(['facebook:1', 'facebook:3']);
    expect(dedupe.released).toEqual(['facebook:2']);

    events.failAt = new Set();
    const retry = await ingestDelivery(batch, ports);
    expect(retry).toMatchObject({ accepted: 1, duplicates: 2 });
    expect(events.published.map((event) => (event.detail as { post: { id: string } }).post.id).sort()).toEqual(['1', '2', '3']);
  });

  it('hands on the rest and then asks for a retry when another request holds one of the posts', async () => {
    const { dedupe, events, ports } = setup();
    dedupe.held.add('facebook:2');
    await expect(ingestDelivery(delivery([incoming('1', 'delayed'), incoming('2', 'cancelled')]), ports)).rejects.toThrow(InProgressError);
    expect(events.published).toHaveLength(1);
    expect(dedupe.done.has('facebook:1')).toBe(true);
  });

  it('claims nothing and hands nothing on when the classifier fails, so the retry finds the posts unclaimed', async () => {
    const { dedupe, events, ports } = setup();
    const batch = delivery([incoming('1', 'delayed'), incoming('2', 'cancelled')]);
    await expect(ingestDelivery(batch, { ...ports, classifier: failingClassifier })).rejects.toThrow(/classifier backend is unavailable/);
    expect(events.published).toEqual([]);
    expect(dedupe.released).toEqual([]);

    const retry = await ingestDelivery(batch, ports);
    expect(retry).toMatchObject({ accepted: 2, duplicates: 0 });
  });

  it('classifies every post before claiming (what a post is decides whether it needs a claim), and hands a redelivered one on once', async () => {
    const { dedupe, ports } = setup();
    dedupe.done.add('facebook:1');
    const seen: string[] = [];
    const classifier = {
      classify: async (posts: ReadonlyArray<{ text: string }>) => {
        seen.push(...posts.map((post) => post.text));
        return ports.classifier.classify(posts);
      },
    };
    const outcome = await ingestDelivery(delivery([incoming('1', 'my flight is delayed again'), incoming('2', 'my flight is delayed')]), { ...ports, classifier });
    expect(seen).toEqual(['my flight is delayed again', 'my flight is delayed']);
    expect(outcome).toMatchObject({ accepted: 1, duplicates: 1 });
  });

  it('hands on a batch of 1,000 changes, each once', async () => {
    const { events, ports } = setup();
    const posts = Array.from({ length: 1000 }, (_, index) => incoming(String(index), index % 2 ? 'my flight is delayed' : 'thanks for the upgrade'));
    const outcome = await ingestDelivery(delivery(posts), ports);
    expect(outcome.accepted).toBe(1000);
    // The 500 delays, each once; the 500 thanks are acknowledged with nothing to hand on.
    const handedOn = events.published.map((event) => (event.detail as { post: { id: string } }).post.id);
    expect(handedOn).toHaveLength(500);
    expect(new Set(handedOn)).toEqual(new Set(posts.filter((_, index) => index % 2).map((post) => post.post.id)));
  });
});
