import { describe, expect, it } from 'vitest';
import { defaultConfig } from '#config/defaults';
import { parseConfig } from '#config/load-config';
import type { Category, Classification, Priority } from '#contracts/classification';
import { chooseQueue } from '#domain/routing/choose-queue';

const { queues } = parseConfig(defaultConfig, 'defaults');
const post = { platform: 'generic' as const, kind: 'post' as const, id: 'p1', author: { id: 'u1' }, text: 'x', createdAt: '2026-11-22T10:00:00Z' };

function routed(category: Category, priority: Priority, language = 'en') {
  const classification: Classification = {
    isIssue: category !== 'not_issue',
    category,
    priority,
    confidence: 0.9,
    entities: { flightNumbers: [], airports: [], bookingRefs: [], delayMinutes: null },
    language,
    reasons: [],
  };
  return chooseQueue({ post, classification, receivedAt: '2026-11-22T10:00:00.000Z' }, queues);
}

describe('routing with the default queues', () => {
  it.each([
    ['meal', 'P1', 'safety'],
    ['delay', 'P1', 'safety'],
    ['delay', 'P2', 'delays'],
    ['cancellation', 'P3', 'delays'],
    ['meal', 'P3', 'catering'],
    ['baggage', 'P3', 'baggage'],
    ['other_complaint', 'P3', 'general'],
  ] as const)('puts a %s issue at %s in %s', (category, priority, queue) => {
    expect(routed(category, priority)).toBe(queue);
  });

  it('puts an issue in a language the classifier does not cover in triage', () => {
    expect(routed('other_complaint', 'P3', 'es')).toBe('triage');
  });

  it('puts a post that is no issue in no queue', () => {
    expect(routed('not_issue', 'P4')).toBeNull();
  });

  it('takes the first queue whose pattern matches, in configured order', () => {
    const custom = parseConfig({ ...defaultConfig, queues: [defaultConfig.queues[5]!, ...defaultConfig.queues.slice(0, 5)] }, 'test');
    const classification = {
      isIssue: true,
      category: 'other_complaint' as const,
      priority: 'P1' as const,
      confidence: 1,
      entities: { flightNumbers: [], airports: [], bookingRefs: [], delayMinutes: null },
      language: 'en',
      reasons: [],
    };
    expect(chooseQueue({ post, classification, receivedAt: '2026-11-22T10:00:00.000Z' }, custom.queues)).toBe('general');
  });
});
