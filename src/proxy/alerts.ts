import type { Principal } from '../auth/types.ts';
import { EventDraft } from './event-draft.ts';
import type { Gateway } from './gateway.ts';

/** One alert finding: `budget/soft-limit`, `abuse/<signal>`, `abuse/throttle` ... */
export interface AlertFinding {
  ruleId: string;
  message: string;
  score: number;
  severity: 'low' | 'medium' | 'high';
}

/**
 * Records an alert as its own event (decision `flag`, route `alert.budget` or `alert.abuse`, the
 * caller's tenant, project and key) and logs one warn line. Messages carry ids, amounts and
 * scores only: never prompt text or key secrets.
 */
export function recordAlert(gateway: Gateway, alert: { kind: 'budget' | 'abuse'; requestId: string; principal: Principal; model: string | null; findings: readonly AlertFinding[]; log: string }): void {
  const draft = new EventDraft(alert.requestId, `alert.${alert.kind}`, gateway.config.policy.name, 'none');
  draft.model = alert.model;
  draft.tenant = alert.principal.tenant;
  draft.project = alert.principal.project;
  draft.keyId = alert.principal.keyId;
  for (const finding of alert.findings) {
    draft.addFinding({ instance: alert.kind, scanner: alert.kind, ruleId: finding.ruleId, severity: finding.severity, score: finding.score, segmentId: '', origin: '', span: [0, 0], action: 'flag', message: finding.message });
  }
  gateway.record(draft.finish('flag', 200));
  gateway.logger.warn({ alert: alert.kind, event: draft.id, requestId: alert.requestId, tenant: alert.principal.tenant, project: alert.principal.project, keyId: alert.principal.keyId, findings: alert.findings.map((finding) => finding.ruleId) }, alert.log);
}
