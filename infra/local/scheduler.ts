import { randomUUID } from 'node:crypto';
import { invoke, type LocalFunction } from './invoke.ts';

export interface LocalLogger {
  info(message: string): void;
  error(message: string): void;
}

/**
 * Fires a scheduled function every `intervalSeconds`, as an EventBridge schedule would, with the
 * "Scheduled Event" envelope. A run never overlaps the previous one; stop() waits for it.
 */
export function startSchedule(fn: LocalFunction, intervalSeconds: number, log: LocalLogger): { stop(): Promise<void> } {
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const tick = () => {
    running = (async () => {
      const event = {
        version: '0',
        id: randomUUID(),
        'detail-type': 'Scheduled Event',
        source: 'aws.events',
        account: '000000000000',
        time: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
        region: process.env.AWS_REGION ?? 'us-east-1',
        resources: [`arn:aws:events:us-east-1:000000000000:rule/${fn.name}-schedule`],
        detail: {},
      };
      try {
        await invoke(fn, event);
      } catch (error) {
        log.error(`scheduled ${fn.name} failed: ${(error as Error).message}`);
      }
    })();
    void running.then(() => {
      if (!stopped) timer = setTimeout(tick, intervalSeconds * 1000);
    });
  };
  let timer = setTimeout(tick, intervalSeconds * 1000);
  return {
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
