// Publishing a ticket's events once while DynamoDB throttles: deliverOutbox with the DynamoDB
// repository (shared/adapters/ticket-repository.ts) over a mocked document client, so each
// write can be throttled on cue; the clearing write must land after a publish, or the events go
// out again once the lease runs out.
import { ConditionalCheckFailedException, DynamoDBClient, ProvisionedThroughputExceededException, ThrottlingException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, UpdateCommand, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DynamoTicketRepository } from '#adapters/ticket-repository';
import { RECORD_DONE } from '#adapters/transient-errors';
import { deliverOutbox } from '#domain/tickets/deliver-outbox';
import { openTicket } from '#domain/tickets/open-ticket';
import { aClassifiedPost } from '#test/support/builders';
import { RecordingPublisher } from '#test/support/in-memory-ports';
import { DEFAULT_SLA } from '#test/support/sla';
import { settled } from '#test/support/fake-timers';

const dynamo = mockClient(DynamoDBDocumentClient);
const tickets = new DynamoTicketRepository(DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' })), 'tickets-test', 90);
const { ticket, events } = openTicket({ ...aClassifiedPost(), queue: 'delays' }, DEFAULT_SLA);
const NOW = new Date('2026-11-22T10:00:01.000Z');

const throttled = () =>
  new ProvisionedThroughputExceededException({ message: 'The level of configured provisioned throughput for the table was exceeded.', $metadata: { httpStatusCode: 400 } });
const conditionFailed = () => new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: { httpStatusCode: 400 } });

type Write = 'claim' | 'complete' | 'completePart' | 'release';
const writeOf = (input: UpdateCommandInput): Write => {
  if (input.ReturnValues === 'ALL_NEW') return 'claim';
  if (input.UpdateExpression?.startsWith('REMOVE outbox,')) return 'complete';
  if (input.UpdateExpression?.startsWith('REMOVE outbox[')) return 'completePart';
  return 'release';
};
const writes = () => dynamo.commandCalls(UpdateCommand).map((call) => writeOf(call.args[0].input));

/** The ticket's UpdateItems answered as DynamoDB would, except that `fail` picks the ones to fail first. */
function table(fail: Partial<Record<Write, () => Error>> & { times?: number }) {
  let failuresLeft = fail.times ?? Number.POSITIVE_INFINITY;
  dynamo.on(UpdateCommand).callsFake((input: UpdateCommandInput) => {
    const write = writeOf(input);
    const failure = fail[write];
    if (failure && failuresLeft > 0) {
      failuresLeft--;
      throw failure();
    }
    return write === 'claim' ? { Attributes: { ...ticket, pk: `TICKET#${ticket.id}`, sk: 'TICKET', outbox: events } } : {};
  });
}


beforeEach(() => {
  vi.useFakeTimers({ now: NOW });
  dynamo.reset();
  dynamo.on(PutCommand).resolves({});
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('publishing a ticket outbox while DynamoDB throttles', () => {
  it('clears the events after a throttled clearing write succeeds on a later try, having published them once', async () => {
    table({ complete: throttled, times: 4 });
    const publisher = new RecordingPublisher();

    const { value } = await settled(deliverOutbox(ticket.id, { tickets, events: publisher, now: () => NOW }));

    expect(value).toBe(events.length);
    expect(publisher.published).toEqual(events);
    expect(writes()).toEqual(['claim', 'complete', 'complete', 'complete', 'complete', 'complete']);
  });

  it('retries each kind of throttling the SDK reports', async () => {
    table({ complete: () => new ThrottlingException({ message: 'Rate of requests exceeds the allowed throughput.', $metadata: { httpStatusCode: 400 } }), times: 2 });
    await settled(tickets.completeOutbox({ ticketId: ticket.id, token: 'lease-1', events, ticket }));
    expect(writes()).toEqual(['complete', 'complete', 'complete']);
  });

  it('does not retry a condition failure: the lease is another runner\'s, or the ticket moved on and only the published events come off', async () => {
    table({ complete: conditionFailed, completePart: conditionFailed });
    const publisher = new RecordingPublisher();

    const { value, error } = await settled(deliverOutbox(ticket.id, { tickets, events: publisher, now: () => NOW }));

    expect(error).toBeUndefined();
    expect(value).toBe(events.length);
    expect(writes()).toEqual(['claim', 'complete', 'completePart']);
  });

  it(`gives up after ${RECORD_DONE.attempts} tries and throws, leaving the events under the lease for the next runner (at least once)`, async () => {
    table({ complete: throttled });
    const publisher = new RecordingPublisher();
    // The longest waits the jitter can draw: all the attempts still fit in the budget.
    vi.spyOn(Math, 'random').mockReturnValue(0.999_999);

    const { error } = await settled(deliverOutbox(ticket.id, { tickets, events: publisher, now: () => NOW }));

    expect(error).toBeInstanceOf(ProvisionedThroughputExceededException);
    expect(publisher.published).toEqual(events);
    // Never released: that would let the next runner publish them again at once.
    expect(writes()).toEqual(['claim', ...Array.from({ length: RECORD_DONE.attempts }, () => 'complete')]);
    expect(Date.now() - NOW.getTime()).toBeLessThanOrEqual(RECORD_DONE.budgetMs);
  });

  it('gives the lease up, retrying that through throttling, when the events could not be published', async () => {
    table({ release: throttled, times: 2 });
    const publisher = new RecordingPublisher();
    publisher.failAt = new Set([0]);

    const { error } = await settled(deliverOutbox(ticket.id, { tickets, events: publisher, now: () => NOW }));

    expect(error).toBeDefined();
    expect(writes()).toEqual(['claim', 'release', 'release', 'release']);
  });
});
