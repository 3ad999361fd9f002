import type { Agent } from '#contracts/support-api';
import { AccessDeniedError } from '../errors.ts';

/** An agent works the queues their groups name (`cognito:groups`), and no others. */
export function requireQueueAccess(agent: Agent, queue: string): void {
  if (!agent.queues.includes(queue)) throw new AccessDeniedError(`agent ${agent.id} may not work tickets in queue "${queue}"`);
}
