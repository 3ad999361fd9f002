// Config `subscribers`: rules of their own on the bus, any pattern, to the ops topic. On the local
// stack the topic is the console: a P1 post sent as a platform would prints one [ops] line.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '#config/defaults';
import { parseConfig } from '#config/load-config';
import { opsConsoleLine } from '#infra/local/event-bus/ops-console';
import type { LocalStack } from '#infra/local/start';
import { startTestStack } from '#test/support/local-stack';
import { subscriberRules } from '#infra/topology';
import { eventually, genericPost, signedHeaders } from '#test/support/signed-post';

let stack: LocalStack;
let dataDir: string;
const printed: string[] = [];

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'redress-subscribers-'));
  const input = {
    ...defaultConfig,
    subscribers: [
      ...(defaultConfig.subscribers ?? []),
      { name: 'baggage-tickets', description: 'New baggage tickets', pattern: { source: ['redress.tickets'], 'detail-type': ['Ticket.Created'], detail: { queue: ['baggage'] } }, target: 'ops' },
    ],
  };
  stack = await startTestStack({
    dataDir,
    config: { config: parseConfig(input, 'subscribers test'), input, origin: 'subscribers test' },
    log: (line) => printed.push(line),
  });
}, 60_000);
afterAll(async () => {
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function deliver(id: string, text: string, author: string): Promise<void> {
  const body = genericPost(id, text, author);
  const response = await fetch(`${stack.url}/webhooks/generic`, { method: 'POST', headers: signedHeaders(body, stack.secrets.WEBHOOK_SECRETS), body });
  expect(response.status).toBe(200);
}

describe('subscriber rules on the local stack', () => {
  it('prints every P1 post (the default subscriber) and every event a configured pattern matches, once each', async () => {
    await deliver('ops-p1', 'My son is having an allergic reaction on flight UA12 and the crew has no EpiPen', 'parent-1');
    await deliver('ops-bag', 'My suitcase never arrived and nobody knows where it is', 'bags-1');
    await deliver('ops-praise', 'Lovely crew on my flight to Lisbon, thank you', 'happy-1');

    const lines = await eventually(async () => {
      const ops = printed.filter((line) => line.startsWith('[ops]'));
      return ops.length >= 2 ? ops : undefined;
    });
    await stack.bus.drain();
    const ops = printed.filter((line) => line.startsWith('[ops]'));
    expect(ops).toHaveLength(2);
    expect(lines.find((line) => line.includes('safety-to-ops'))).toMatch(
      /^\[ops\] safety-to-ops: Post\.Classified generic\/ops-p1 P1 safety "My son is having an allergic reaction on flight UA12 and th…"$/,
    );
    expect(lines.find((line) => line.includes('baggage-tickets'))).toMatch(/^\[ops\] baggage-tickets: Ticket\.Created tkt_[0-9a-z]+ P3 baggage$/);
  });

  it('names the rule, the post or ticket, and marks a replay', () => {
    const [rule] = subscriberRules(parseConfig(defaultConfig, 'defaults'));
    const line = opsConsoleLine(rule!, {
      version: '0',
      id: 'e1',
      'detail-type': 'Post.Classified',
      source: 'redress.ingest',
      account: '000000000000',
      time: '2026-11-22T12:00:08Z',
      region: 'us-east-1',
      resources: [],
      detail: { post: { platform: 'x', id: '1790', text: 'Chest pains on board' }, classification: { priority: 'P1' }, queue: 'safety' },
      'replay-name': 'replay-7',
    });
    expect(line).toBe('[ops] safety-to-ops: Post.Classified x/1790 P1 safety "Chest pains on board" [replay replay-7]');
  });
});
