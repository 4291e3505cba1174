import { randomUUID } from 'node:crypto';
import type { GatewayEvent } from './types.ts';

/** What an administrative action records: one `log` finding whose message names actor, target and outcome (never content or secrets). */
export interface AdminEventInput {
  requestId: string;
  /** Route name, e.g. `admin.keys.create`; the finding's rule id is `admin/<name without admin.>`. */
  route: string;
  policy: string;
  status: number;
  message: string;
  /** Set for a refused or failed action: the event's decision is then `block`. */
  error?: string;
  tenant?: string | null;
  project?: string | null;
  /** The admin token id of the actor, when there is one. */
  keyId?: string;
  time?: string;
  /** Recorded content mode (admin events never carry content). */
  contentMode?: 'none';
}

/** The audit event of one administrative action (admin API calls, retention runs): same shape everywhere, chained like any event. */
export function adminEvent(input: AdminEventInput): GatewayEvent {
  return {
    id: `evt_${randomUUID().replace(/-/g, '')}`,
    requestId: input.requestId,
    time: input.time ?? new Date().toISOString(),
    route: input.route,
    model: null,
    provider: null,
    policy: input.policy,
    decision: input.error ? 'block' : 'allow',
    status: input.status,
    findings: [{ instance: 'admin', scanner: 'admin', ruleId: `admin/${input.route.replace(/^admin\./, '')}`, severity: 'low', score: 0, segmentId: '', origin: '', span: [0, 0], action: 'log', message: input.message.slice(0, 1000) }],
    scanners: [],
    inputTokens: null,
    outputTokens: null,
    upstreamLatencyMs: null,
    totalLatencyMs: 0,
    streamed: false,
    content: null,
    ...(input.contentMode ? { contentMode: input.contentMode } : {}),
    ...(input.error ? { error: input.error } : {}),
    ...(input.tenant ? { tenant: input.tenant } : {}),
    ...(input.project ? { project: input.project } : {}),
    ...(input.keyId ? { keyId: input.keyId } : {}),
  };
}
