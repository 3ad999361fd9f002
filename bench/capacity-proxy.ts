import { Agent, createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A DynamoDB endpoint on 127.0.0.1 that forwards every request to another one (dynalite) and
 * counts the capacity units each request costs, by operation and by kind of item. Point the
 * local stack's DYNAMODB_ENDPOINT at it and read `ledger()` before and after a batch of posts.
 *
 * Two figures per request:
 * - `reported`: the ConsumedCapacity dynalite answers once the proxy has added
 *   `"ReturnConsumedCapacity": "TOTAL"` to the request. Changing the body breaks its SigV4
 *   signature, which is harmless here: dynalite checks that an Authorization header is there
 *   and well-formed, never the signature itself.
 * - `wru` / `rru`: what DynamoDB on-demand would bill, by its documented rules. dynalite's
 *   figures miss three things for writes, so the proxy works writes out itself from the item
 *   before and after (read with a consistent GetItem around the write, which is not counted):
 *   1. secondary indexes: dynalite reports the base-table write only. DynamoDB also writes every
 *      global secondary index the item enters, leaves or changes in (a change counts when it
 *      changes the projected entry: with ALL projection any attribute, with INCLUDE the listed
 *      ones, with KEYS_ONLY only the keys): one write to put, one to delete, two when the index key
 *      moves, each rounded up per 1 KB of the index entry (the table and index keys plus what the
 *      index projects).
 *      `indexWruWithOverhead` counts the same writes with the 100 bytes DynamoDB adds to each
 *      index entry for storage ("Storage considerations" for GSIs) in case it bills writes on
 *      that size too: the guide does not say, and an item within 100 bytes of a 1 KB step then
 *      costs one unit more per index write;
 *   2. failed conditional writes: dynalite answers ConditionalCheckFailedException with no
 *      capacity; DynamoDB bills the size of the existing item, 1 WRU at least;
 *   3. string sizes: dynalite counts UTF-16 code units, DynamoDB UTF-8 bytes.
 *   A successful write bills the larger of the item before and after, 1 WRU per 1 KB started
 *   (DynamoDB developer guide, "Read/write capacity mode" and "Global secondary indexes").
 *   Reads take dynalite's figure (1 RRU per 4 KB started, strongly consistent; half that
 *   eventually consistent; 1 for an item not found), except that a Query or Scan that read
 *   nothing still bills the minimum read, which dynalite reports as 0.
 * Writes to the same item are serialized in the proxy so that the before and after images are
 * those of that write; dynalite serializes writes to one item itself, so this changes no outcome.
 */

export type AttributeValue = Record<string, unknown>;
export type Item = Record<string, AttributeValue>;

export interface KeySchema {
  partitionKey: string;
  sortKey?: string;
}

export interface IndexSchema extends KeySchema {
  name: string;
  /** What the index copies besides the keys; ALL when absent. */
  projection?: { type: 'ALL' | 'KEYS_ONLY' | 'INCLUDE'; attributes: readonly string[] };
}

export interface CapacityProxyOptions {
  /** The DynamoDB endpoint to forward to, e.g. dynalite's `http://127.0.0.1:4567`. */
  target: string;
  /** The table's primary key and its global secondary indexes, with their projections. */
  table: KeySchema & { indexes: readonly IndexSchema[] };
  /** 0 picks a free port. */
  port?: number;
  /** Names the kind of item a key belongs to; by default the key values' prefixes up to `#`. */
  kindOf?: (key: Item) => string;
}

/** What the requests of one operation on one kind of item cost. */
export interface CapacityCount {
  requests: number;
  /** Write request units as DynamoDB would bill them (base table, indexes, failed conditions). */
  wru: number;
  /** Of `wru`, the global secondary index writes. */
  indexWru: number;
  /** The index writes again, had each index entry 100 bytes of overhead (see above). */
  indexWruWithOverhead: number;
  /** Of `wru`, the writes whose condition failed. */
  failedConditionWru: number;
  failedConditions: number;
  /** The larger of each successful write's item before and after, in bytes, summed: how close items come to a 1 KB step. */
  writtenBytes: number;
  /** Read request units as DynamoDB would bill them. */
  rru: number;
  /** What dynalite put in ConsumedCapacity, as write and as read units. */
  reportedWru: number;
  reportedRru: number;
  /** Requests answered with another error (not billed). */
  errors: number;
}

/** Counts keyed by `${operation} ${kind}`, e.g. `PutItem DEDUPE`, `UpdateItem TICKET`, `Query index queue-due`. */
export type CapacityLedger = Record<string, CapacityCount>;

export interface CapacityProxy {
  url: string;
  /** A copy of the counts so far. */
  ledger(): CapacityLedger;
  stop(): Promise<void>;
}

/** Operations that accept ReturnConsumedCapacity (TransactWrite/Get: dynalite has none, and redress uses none). */
const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);
const READS = new Set(['GetItem', 'Query', 'Scan', 'BatchGetItem', 'TransactGetItems']);
const KB = 1024;
/** DynamoDB's per-entry overhead in a global secondary index, for storage ("Storage considerations" for GSIs). */
const INDEX_ENTRY_OVERHEAD_BYTES = 100;

export async function startCapacityProxy(options: CapacityProxyOptions): Promise<CapacityProxy> {
  const target = new URL(options.target);
  const agent = new Agent({ keepAlive: true });
  const counts: CapacityLedger = {};
  const locks = new Map<string, Promise<void>>();
  const kindOf = options.kindOf ?? keyPrefixKind(options.table);
  const { table } = options;

  const forward = (headers: IncomingHttpHeaders, operation: string, body: Buffer) =>
    new Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
      const { connection: _connection, 'keep-alive': _keepAlive, 'transfer-encoding': _encoding, ...kept } = headers;
      const outgoing = { ...kept, 'x-amz-target': `DynamoDB_20120810.${operation}`, 'content-length': String(body.length), host: target.host };
      const request = httpRequest(
        { host: target.hostname, port: target.port, path: '/', method: 'POST', headers: outgoing, agent },
        (response) => {
          readAll(response).then((responseBody) => resolve({ status: response.statusCode ?? 500, headers: response.headers, body: responseBody }), reject);
        },
      );
      request.on('error', reject);
      request.end(body);
    });

  /** A consistent read of one item straight from the target, outside the counts. */
  const readItem = async (headers: IncomingHttpHeaders, tableName: string, key: Item): Promise<Item | undefined> => {
    const response = await forward(headers, 'GetItem', Buffer.from(JSON.stringify({ TableName: tableName, Key: key, ConsistentRead: true })));
    if (response.status !== 200) throw new Error(`capacity proxy: reading an item for the counts failed: ${response.body.toString('utf8')}`);
    return (JSON.parse(response.body.toString('utf8')) as { Item?: Item }).Item;
  };

  const add = (operation: string, kind: string, change: Partial<CapacityCount>) => {
    const count = (counts[`${operation} ${kind}`] ??= emptyCount());
    for (const [field, value] of Object.entries(change) as Array<[keyof CapacityCount, number]>) count[field] += value;
  };

  /** Holds every item the request writes, in one step, so that two writes of one item take turns. */
  const lock = async (keys: readonly string[]): Promise<() => void> => {
    const releases: Array<() => void> = [];
    const waits: Array<Promise<void>> = [];
    for (const key of new Set(keys)) {
      const previous = locks.get(key) ?? Promise.resolve();
      let release!: () => void;
      const mine = new Promise<void>((resolve) => (release = resolve));
      const tail = previous.then(() => mine);
      locks.set(key, tail);
      waits.push(previous);
      releases.push(() => {
        release();
        if (locks.get(key) === tail) locks.delete(key);
      });
    }
    await Promise.all(waits);
    return () => releases.forEach((release) => release());
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const raw = await readAll(request);
    const operation = String(request.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
    const counted = WRITES.has(operation) || READS.has(operation);
    let input: Record<string, unknown> | undefined;
    if (counted) {
      try {
        input = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
      } catch {
        input = undefined;
      }
    }
    if (!input) {
      const answer = await forward(request.headers, operation, raw);
      return reply(response, answer);
    }
    if (input.ReturnConsumedCapacity !== 'INDEXES') input.ReturnConsumedCapacity = 'TOTAL';
    const body = Buffer.from(JSON.stringify(input));

    if (READS.has(operation)) {
      const answer = await forward(request.headers, operation, body);
      const kind = readKind(operation, input, kindOf);
      if (answer.status !== 200) {
        add(operation, kind, { requests: 1, errors: 1 });
        return reply(response, answer);
      }
      const reported = consumed(answer.body);
      const strong = input.ConsistentRead === true;
      // A Query or Scan page that read nothing still bills the smallest read.
      const billed = (operation === 'Query' || operation === 'Scan') && reported === 0 ? (strong ? 1 : 0.5) : reported;
      add(operation, kind, { requests: 1, rru: billed, reportedRru: reported });
      return reply(response, answer);
    }

    const writes = writesOf(operation, input, table);
    const release = await lock(writes.map((write) => `${write.tableName}\u0000${canonical(write.key)}`));
    try {
      const before = await Promise.all(writes.map((write) => readItem(request.headers, write.tableName, write.key)));
      const answer = await forward(request.headers, operation, body);
      const kinds = writes.map((write) => kindOf(write.key));
      if (answer.status === 200) {
        const unprocessed = unprocessedKeys(answer.body, table);
        const after = await Promise.all(
          writes.map((write) => (write.type === 'update' ? readItem(request.headers, write.tableName, write.key) : Promise.resolve(write.item))),
        );
        const reported = consumed(answer.body);
        writes.forEach((write, index) => {
          if (unprocessed.has(`${write.tableName}\u0000${canonical(write.key)}`)) return;
          const cost = writeCost(before[index], after[index], table.indexes, table);
          // dynalite reports one figure for a whole batch: it goes with the first item.
          add(operation, kinds[index]!, {
            requests: index === 0 ? 1 : 0,
            wru: cost.base + cost.index,
            indexWru: cost.index,
            indexWruWithOverhead: cost.indexWithOverhead,
            writtenBytes: cost.bytes,
            reportedWru: index === 0 ? reported : 0,
          });
        });
      } else if (isConditionFailure(answer.body)) {
        // Only single-item writes carry a condition.
        add(operation, kinds[0]!, { requests: 1, wru: failedConditionCost(before[0]), failedConditionWru: failedConditionCost(before[0]), failedConditions: 1 });
      } else {
        add(operation, kinds[0] ?? 'unknown', { requests: 1, errors: 1 });
      }
      return reply(response, answer);
    } finally {
      release();
    }
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'application/x-amz-json-1.0' });
      response.end(JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: `capacity proxy: ${(error as Error).message}` }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    ledger: () => structuredClone(counts),
    async stop() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await closed;
      agent.destroy();
    },
  };
}

/** The counts in `after` that were not yet in `before`: what a batch cost. */
export function ledgerDifference(after: CapacityLedger, before: CapacityLedger): CapacityLedger {
  const difference: CapacityLedger = {};
  for (const [key, count] of Object.entries(after)) {
    const earlier = before[key] ?? emptyCount();
    const delta = Object.fromEntries(Object.entries(count).map(([field, value]) => [field, value - earlier[field as keyof CapacityCount]])) as unknown as CapacityCount;
    if (Object.values(delta).some((value) => value !== 0)) difference[key] = delta;
  }
  return difference;
}

/** Adds up the counts whose `${operation} ${kind}` key passes `include`. */
export function sumLedger(ledger: CapacityLedger, include: (operation: string, kind: string) => boolean = () => true): CapacityCount {
  const total = emptyCount();
  for (const [key, count] of Object.entries(ledger)) {
    const [operation = '', ...kind] = key.split(' ');
    if (!include(operation, kind.join(' '))) continue;
    for (const field of Object.keys(total) as Array<keyof CapacityCount>) total[field] += count[field];
  }
  return total;
}

export function emptyCount(): CapacityCount {
  return { requests: 0, wru: 0, indexWru: 0, indexWruWithOverhead: 0, failedConditionWru: 0, failedConditions: 0, writtenBytes: 0, rru: 0, reportedWru: 0, reportedRru: 0, errors: 0 };
}

/**
 * An item's size as DynamoDB counts it: each attribute's name plus its value, in UTF-8 bytes;
 * a number 1 byte plus 1 per two significant digits; a list or map 3 bytes plus 1 per element
 * (DynamoDB developer guide, "Item sizes and formats").
 */
export function itemBytes(item: Item): number {
  let size = 0;
  for (const [name, value] of Object.entries(item)) size += Buffer.byteLength(name, 'utf8') + valueBytes(value);
  return size;
}

function valueBytes(value: AttributeValue): number {
  const [type, content] = Object.entries(value)[0] ?? ['NULL', true];
  switch (type) {
    case 'S':
      return Buffer.byteLength(content as string, 'utf8');
    case 'N':
      return numberBytes(content as string);
    case 'B':
      return Buffer.from(content as string, 'base64').length;
    case 'SS':
      return (content as string[]).reduce((sum, text) => sum + Buffer.byteLength(text, 'utf8'), 0);
    case 'NS':
      return (content as string[]).reduce((sum, text) => sum + numberBytes(text), 0);
    case 'BS':
      return (content as string[]).reduce((sum, data) => sum + Buffer.from(data, 'base64').length, 0);
    case 'L':
      return 3 + (content as AttributeValue[]).reduce((sum, element) => sum + 1 + valueBytes(element), 0);
    case 'M':
      return 3 + Object.entries(content as Item).reduce((sum, [name, element]) => sum + 1 + Buffer.byteLength(name, 'utf8') + valueBytes(element), 0);
    default:
      // BOOL, NULL
      return 1;
  }
}

function numberBytes(text: string): number {
  const digits = text.replace(/^[-+]/, '').split(/e/i)[0]!.replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
  return 1 + Math.ceil(Math.max(1, digits.length) / 2);
}

interface Write {
  type: 'put' | 'update' | 'delete';
  tableName: string;
  key: Item;
  /** The item a put writes. */
  item?: Item;
}

function writesOf(operation: string, input: Record<string, unknown>, table: KeySchema): Write[] {
  const tableName = String(input.TableName ?? '');
  switch (operation) {
    case 'PutItem':
      return [{ type: 'put', tableName, key: keyOf(input.Item as Item, table), item: input.Item as Item }];
    case 'UpdateItem':
      return [{ type: 'update', tableName, key: input.Key as Item }];
    case 'DeleteItem':
      return [{ type: 'delete', tableName, key: input.Key as Item }];
    case 'BatchWriteItem':
      return Object.entries(input.RequestItems as Record<string, Array<{ PutRequest?: { Item: Item }; DeleteRequest?: { Key: Item } }>>).flatMap(([name, requests]) =>
        requests.map((request): Write =>
          request.PutRequest
            ? { type: 'put', tableName: name, key: keyOf(request.PutRequest.Item, table), item: request.PutRequest.Item }
            : { type: 'delete', tableName: name, key: request.DeleteRequest!.Key },
        ),
      );
    default:
      // TransactWriteItems: dynalite does not implement it, and redress does not use it.
      throw new Error(`capacity proxy: ${operation} is not supported`);
  }
}

/** Base-table and index write units for one successful write, from the item before and after. */
export function writeCost(
  before: Item | undefined,
  after: Item | undefined,
  indexes: readonly IndexSchema[],
  tableKey: KeySchema,
): { base: number; index: number; indexWithOverhead: number; bytes: number } {
  const units = (bytes: number) => Math.max(1, Math.ceil(bytes / KB));
  const bytes = Math.max(before ? itemBytes(before) : 0, after ? itemBytes(after) : 0);
  const base = units(bytes);
  const indexWrites = (overhead: number) => {
    const entry = (item: Item) => units(itemBytes(item) + overhead);
    let total = 0;
    for (const schema of indexes) {
      const was = before && inIndex(before, schema) ? projected(before, schema, tableKey) : undefined;
      const is = after && inIndex(after, schema) ? projected(after, schema, tableKey) : undefined;
      if (was && is) {
        const sameKey = canonical(keyOf(was, schema)) === canonical(keyOf(is, schema));
        if (!sameKey) total += entry(was) + entry(is);
        else if (canonical(was) !== canonical(is)) total += entry(is);
      } else if (was) {
        total += entry(was);
      } else if (is) {
        total += entry(is);
      }
    }
    return total;
  };
  return { base, index: indexWrites(0), indexWithOverhead: indexWrites(INDEX_ENTRY_OVERHEAD_BYTES), bytes };
}

/** A write whose condition failed bills the existing item's size, 1 WRU at least. */
function failedConditionCost(existing: Item | undefined): number {
  return Math.max(1, Math.ceil((existing ? itemBytes(existing) : 0) / KB));
}

/** The item as the index holds it: the table's and the index's keys, and what it projects. */
function projected(item: Item, schema: IndexSchema, tableKey: KeySchema): Item {
  const projection = schema.projection ?? { type: 'ALL', attributes: [] };
  if (projection.type === 'ALL') return item;
  const kept = new Set([tableKey.partitionKey, tableKey.sortKey, schema.partitionKey, schema.sortKey, ...(projection.type === 'INCLUDE' ? projection.attributes : [])]);
  return Object.fromEntries(Object.entries(item).filter(([name]) => kept.has(name)));
}

function inIndex(item: Item, schema: KeySchema): boolean {
  return item[schema.partitionKey] !== undefined && (schema.sortKey === undefined || item[schema.sortKey] !== undefined);
}

function keyOf(item: Item, schema: KeySchema): Item {
  const key: Item = { [schema.partitionKey]: item[schema.partitionKey]! };
  if (schema.sortKey !== undefined) key[schema.sortKey] = item[schema.sortKey]!;
  return key;
}

/** `TICKET` for pk TICKET#1/sk TICKET, `TICKET/POST` for pk TICKET#1/sk POST#x#2, `DEDUPE` for DEDUPE#k/DEDUPE. */
function keyPrefixKind(table: KeySchema): (key: Item) => string {
  const prefix = (value: AttributeValue | undefined) => String(Object.values(value ?? {})[0] ?? '').split('#')[0]!;
  return (key) => {
    const partition = prefix(key[table.partitionKey]);
    const sort = table.sortKey === undefined ? partition : prefix(key[table.sortKey]);
    return sort === partition ? partition : `${partition}/${sort}`;
  };
}

function readKind(operation: string, input: Record<string, unknown>, kindOf: (key: Item) => string): string {
  if (operation === 'GetItem') return kindOf(input.Key as Item);
  if (operation === 'Query' || operation === 'Scan') return typeof input.IndexName === 'string' ? `index ${input.IndexName}` : 'table';
  return 'batch';
}

/** The sum of ConsumedCapacity in an answer: one object, or a list of them (the batch operations). */
function consumed(body: Buffer): number {
  const { ConsumedCapacity } = JSON.parse(body.toString('utf8')) as { ConsumedCapacity?: unknown };
  const entries = (Array.isArray(ConsumedCapacity) ? ConsumedCapacity : ConsumedCapacity ? [ConsumedCapacity] : []) as Array<{
    CapacityUnits?: number;
    ReadCapacityUnits?: number;
    WriteCapacityUnits?: number;
  }>;
  return entries.reduce((sum, entry) => sum + (entry.CapacityUnits ?? (entry.ReadCapacityUnits ?? 0) + (entry.WriteCapacityUnits ?? 0)), 0);
}

function unprocessedKeys(body: Buffer, table: KeySchema): Set<string> {
  const { UnprocessedItems } = JSON.parse(body.toString('utf8')) as { UnprocessedItems?: Record<string, Array<{ PutRequest?: { Item: Item }; DeleteRequest?: { Key: Item } }>> };
  const keys = new Set<string>();
  for (const [name, requests] of Object.entries(UnprocessedItems ?? {})) {
    for (const request of requests) keys.add(`${name}\u0000${canonical(request.PutRequest ? keyOf(request.PutRequest.Item, table) : request.DeleteRequest!.Key)}`);
  }
  return keys;
}

function isConditionFailure(body: Buffer): boolean {
  return /ConditionalCheckFailedException/.test(body.toString('utf8'));
}

/** JSON with object keys sorted, so two images of one item compare equal whatever their key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

function reply(response: ServerResponse, answer: { status: number; headers: IncomingHttpHeaders; body: Buffer }): void {
  // The answer goes back as dynalite wrote it (its x-amz-crc32 covers these bytes).
  const headers = { ...answer.headers };
  delete headers['transfer-encoding'];
  delete headers.connection;
  delete headers['keep-alive'];
  headers['content-length'] = String(answer.body.length);
  response.writeHead(answer.status, headers);
  response.end(answer.body);
}

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
