import type { GatewayEvent } from '../store/types.ts';
import type { Review } from './config.ts';
import type { ReviewItem } from './types.ts';

/** Why an event goes to the review queue, or null when it does not. `random` is in [0, 1). */
export function queueReason(event: GatewayEvent, config: Pick<Review, 'includeDecisions' | 'sampleRate'>, random: () => number = Math.random): ReviewItem['reason'] | null {
  if ((config.includeDecisions as readonly string[]).includes(event.decision)) return 'decision';
  if (event.decision === 'allow' && config.sampleRate > 0 && random() < config.sampleRate) return 'sample';
  return null;
}
