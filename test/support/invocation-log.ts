/**
 * How many times each local function was invoked with each event, for tests that must show a
 * handler ran more than once per event. A test wraps infra/local/invoke.ts's `invoke` with
 * `countInvocation` (vi.mock); the functions themselves are not touched.
 */
const counts = new Map<string, Map<string, number>>();

export function countInvocation(functionName: string, event: unknown): void {
  const id = typeof event === 'object' && event !== null && typeof (event as { id?: unknown }).id === 'string' ? (event as { id: string }).id : '(no id)';
  const byEvent = counts.get(functionName) ?? new Map<string, number>();
  counts.set(functionName, byEvent);
  byEvent.set(id, (byEvent.get(id) ?? 0) + 1);
}

/** Invocations of `functionName` by event id since the last reset. */
export function invocationsOf(functionName: string): ReadonlyMap<string, number> {
  return counts.get(functionName) ?? new Map();
}

export function resetInvocations(): void {
  counts.clear();
}
