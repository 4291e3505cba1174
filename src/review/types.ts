import type { GatewayEvent } from '../store/types.ts';

export const reviewLabels = ['true-positive', 'false-positive', 'needs-policy-change'] as const;
export type ReviewLabel = (typeof reviewLabels)[number];

/** One queued event and its latest label. */
export interface ReviewItem {
  id: string;
  eventId: string;
  time: string;
  tenant: string;
  policy: string;
  decision: GatewayEvent['decision'];
  /** `decision`: its decision is in `review.includeDecisions`; `sample`: a sampled allowed event. */
  reason: 'decision' | 'sample';
  /** The event as recorded (content redacted, or null when content storage is off). */
  event: GatewayEvent;
  label: ReviewLabel | null;
  comment: string | null;
  reviewer: string | null;
  labelledAt: string | null;
}

/** An allow-list entry: this match of this rule is not to act for the tenant (or the policy). */
export interface AllowEntry {
  id: string;
  scope: 'tenant' | 'policy';
  tenant?: string;
  policy?: string;
  instance: string;
  ruleId: string;
  /** matchFingerprint of the finding it was made from (src/review/fingerprint.ts). */
  fingerprint: string;
  /** The review item it was made from, if any. */
  itemId?: string;
  createdBy: string;
  createdAt: string;
  comment: string;
}

export interface ItemQuery {
  /** `unlabelled`, one label, or all when absent. */
  label?: ReviewLabel | 'unlabelled';
  tenant?: string;
  /** ISO times, inclusive from, exclusive to. */
  from?: string;
  to?: string;
  limit?: number;
}
