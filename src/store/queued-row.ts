import type { Logger } from '../telemetry/logger.ts';
import { toRow, type EventRow } from './event-row.ts';
import { describeError } from './sqlite-writer.ts';
import type { GatewayEvent } from './types.ts';

/**
 * The row a store queues for an appended event, or null (logged) for a malformed one. Both stores convert at
 * append rather than in their batch timer: a few µs on each request (after its response is written) instead of
 * one long callback of a whole batch's conversions, and only the flat row waits for the batch (ADR 0001).
 */
export function queuedRow(event: GatewayEvent, log: Logger): EventRow | null {
  try {
    return toRow(event);
  } catch (err) {
    log.error({ eventId: typeof event?.id === 'string' ? event.id : null, err: describeError(err) }, 'event store dropped a malformed event');
    return null;
  }
}
