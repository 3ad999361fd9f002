import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { captureEmf } from '#test/support/emf';
import { signMetaBody } from '#platforms/meta/signature';
import { httpEvent, importHandler, lambdaContext } from '#test/support/lambda';
import { mockWebhookAws } from '#test/support/webhook-aws';

const APP_SECRET = 'meta-app-secret-for-tests';
const aws = mockWebhookAws();
const emf = captureEmf();

let handler: (event: unknown, context: unknown) => Promise<APIGatewayProxyStructuredResultV2>;
beforeAll(async () => {
  handler = await importHandler(() => import('../../../functions/webhook/handler.ts'), { META_APP_SECRET: APP_SECRET, POWERTOOLS_SERVICE_NAME: 'redress-webhook' });
});
afterAll(() => {
  vi.unstubAllEnvs();
  emf.restore();
});
beforeEach(() => aws.answerAll());
afterEach(() => emf.clear());

/** One Meta page-feed delivery holding a visitor post per text, as Meta batches changes. */
function delivery(texts: string[]) {
  const changes = texts.map((message, index) => ({
    field: 'feed',
    value: { from: { id: `visitor-${index}`, name: 'A Visitor' }, message, post_id: `104881129370011_${1000 + index}`, created_time: 1795341600, item: 'status', published: 1, verb: 'add' },
  }));
  const body = JSON.stringify({ object: 'page', entry: [{ id: '104881129370011', time: 1795341600, changes }] });
  return httpEvent({ path: '/webhooks/meta', headers: { 'content-type': 'application/json', 'x-hub-signature-256': signMetaBody(body, APP_SECRET) }, body });
}

describe('webhook metrics', () => {
  it('counts the issues handed on per category, each category on its own {service, category} line, and leaves PostsAccepted per platform', async () => {
    const response = await handler(
      delivery(['My flight UA123 was cancelled', 'They lost my bag at LHR', 'Our flight was cancelled again, no rebooking', 'Lovely crew, thank you!']),
      lambdaContext('webhook'),
    );
    expect(response.statusCode).toBe(200);

    const issues = emf.named('IssuesDetected');
    const byCategory = issues.map(({ dimensions: { service, category }, value }) => ({ service, category, value })).sort((a, b) => a.category!.localeCompare(b.category!));
    expect(byCategory).toEqual([
      { service: 'redress-webhook', category: 'baggage', value: 1 },
      { service: 'redress-webhook', category: 'cancellation', value: 2 },
    ]);
    for (const metric of issues) {
      expect(metric).toMatchObject({ namespace: 'redress', unit: 'Count', dimensionSets: [['service', 'category']] });
    }
    expect(emf.named('PostsAccepted')).toEqual([
      expect.objectContaining({ value: 4, unit: 'Count', dimensionSets: [['service', 'platform']], dimensions: { service: 'redress-webhook', platform: 'meta' } }),
    ]);
  });

  it('emits no IssuesDetected for a delivery with no issue in it', async () => {
    await handler(delivery(['Lovely crew, thank you!']), lambdaContext('webhook'));
    expect(emf.named('IssuesDetected')).toEqual([]);
    expect(emf.named('PostsAccepted')[0]?.value).toBe(1);
  });

  it('answers the platform with the counts it always did: issues per category stay in the metric and the log', async () => {
    const response = await handler(delivery(['They lost my bag at LHR']), lambdaContext('webhook'));
    expect(JSON.parse(response.body!)).toEqual({ accepted: 1, duplicates: 0, removals: 0, ignored: 0, queues: { baggage: 1 } });
  });
});
