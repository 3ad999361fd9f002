import { embeddedClassifier } from '#adapters/embedded-classifier';
import { loadConfig } from '#config/load-config';
import type { OutgoingEvent } from '#contracts/events';
import { PublishError } from '#domain/errors';
import type { Classifier, DedupeClaim, DedupeStore, EventPublisher } from '#domain/ports';

/** A dedupe store in memory: `done` keys are duplicates, `held` keys are held by another request. */
export class InMemoryDedupeStore implements DedupeStore {
  readonly done = new Set<string>();
  readonly held = new Set<string>();
  readonly released: string[] = [];
  private next = 0;
  private readonly tokens = new Map<string, string>();

  async claim(key: string): Promise<DedupeClaim> {
    if (this.done.has(key)) return { outcome: 'duplicate' };
    if (this.held.has(key) || this.tokens.has(key)) return { outcome: 'in_progress' };
    const token = `t${this.next++}`;
    this.tokens.set(key, token);
    return { outcome: 'claimed', token };
  }

  async complete(claims: ReadonlyArray<{ key: string; token: string }>): Promise<void> {
    for (const { key } of claims) {
      this.tokens.delete(key);
      this.done.add(key);
    }
  }

  async release(key: string, token: string): Promise<void> {
    if (this.tokens.get(key) !== token) return;
    this.tokens.delete(key);
    this.released.push(key);
  }
}

/** Records what it publishes; `failAt` names positions (in one publish call) it fails to hand on. */
export class RecordingPublisher implements EventPublisher {
  readonly published: OutgoingEvent[] = [];
  failAt = new Set<number>();

  async publish(events: OutgoingEvent[]): Promise<void> {
    const failed = events.flatMap((_, index) => (this.failAt.has(index) ? [index] : []));
    this.published.push(...events.filter((_, index) => !this.failAt.has(index)));
    if (failed.length > 0) throw new PublishError('the bus took only some events', failed);
  }
}

let shippedClassifier: Classifier | undefined;

/** The shipped model with the default configuration, as the webhook uses it; loaded once per test file. */
export function shippedTestClassifier(): Classifier {
  shippedClassifier ??= embeddedClassifier(loadConfig({}).config.classifier);
  return shippedClassifier;
}

/** A classifier that fails: the model backend is down. */
export const failingClassifier: Classifier = {
  async classify() {
    throw new Error('the classifier backend is unavailable');
  },
};
