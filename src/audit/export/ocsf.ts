import { findingsOf, type ExportFinding, type ExportRecord } from './records.ts';

/** OCSF schema version the events follow. */
export const OCSF_VERSION = '1.1.0';
export const PRODUCT = { name: 'Bulwark', vendor_name: 'Bulwark', version: '0.1.0' } as const;

/** OCSF severity_id: 1 Informational, 2 Low, 3 Medium, 4 High, 5 Critical (0 Unknown). */
export function severityId(severity: string | undefined): number {
  switch (severity) {
    case 'low':
      return 2;
    case 'medium':
      return 3;
    case 'high':
      return 4;
    case 'critical':
      return 5;
    default:
      return 0;
  }
}

const SEVERITY_NAMES = ['Unknown', 'Informational', 'Low', 'Medium', 'High', 'Critical'];

/** API Activity activity_id: reads of the model list are Read (2); every other route is a POST that creates a completion, embedding or scan: Create (1). */
function activityOf(route: string): { id: number; name: string } {
  return route === 'openai.models' ? { id: 2, name: 'Read' } : { id: 1, name: 'Create' };
}

/** Security-control action: 1 Allowed, 2 Denied, 99 Other (redacted), 0 Unknown (error). */
function actionOf(decision: string): { action_id: number; action: string } {
  switch (decision) {
    case 'allow':
    case 'flag':
      return { action_id: 1, action: 'Allowed' };
    case 'block':
      return { action_id: 2, action: 'Denied' };
    case 'redact':
      return { action_id: 99, action: 'Redacted' };
    default:
      return { action_id: 0, action: 'Unknown' };
  }
}

function metadata(record: ExportRecord, uid: string): Record<string, unknown> {
  return {
    version: OCSF_VERSION,
    product: { ...PRODUCT },
    uid,
    correlation_uid: record.request_id,
    original_time: record.time,
    logged_time: record.time_ms,
  };
}

function eventTime(record: ExportRecord): number {
  return record.time_ms ?? 0;
}

/** API Activity (class 6003, category 6 Application Activity) for one gateway request. */
export function apiActivity(record: ExportRecord, findings: readonly ExportFinding[] = findingsOf(record)): Record<string, unknown> {
  const activity = activityOf(record.route);
  const worst = findings.reduce((max, f) => Math.max(max, severityId(f.severity)), 1);
  const success = record.status < 400;
  return {
    class_uid: 6003,
    class_name: 'API Activity',
    category_uid: 6,
    category_name: 'Application Activity',
    activity_id: activity.id,
    activity_name: activity.name,
    type_uid: 6003 * 100 + activity.id,
    type_name: `API Activity: ${activity.name}`,
    severity_id: worst,
    severity: SEVERITY_NAMES[worst],
    time: eventTime(record),
    status_id: success ? 1 : 2,
    status: success ? 'Success' : 'Failure',
    status_code: String(record.status),
    ...(record.error !== null ? { status_detail: record.error } : {}),
    ...actionOf(record.decision),
    metadata: metadata(record, record.id),
    api: {
      operation: record.route,
      request: { uid: record.request_id },
      ...(record.provider !== null ? { service: { name: record.provider } } : {}),
    },
    duration: Math.round(record.total_latency_ms),
    unmapped: {
      bulwark: {
        partition: record.partition,
        seq: record.seq,
        hash: record.hash,
        prev_hash: record.prev_hash,
        decision: record.decision,
        policy: record.policy,
        model: record.model,
        findings: findings.length,
        input_tokens: record.input_tokens,
        output_tokens: record.output_tokens,
        streamed: record.streamed === 1,
      },
    },
  };
}

/** Detection Finding (class 2004, category 2 Findings) for one finding of a request. */
export function detectionFinding(record: ExportRecord, finding: ExportFinding, index: number): Record<string, unknown> {
  const severity = severityId(finding.severity);
  return {
    class_uid: 2004,
    class_name: 'Detection Finding',
    category_uid: 2,
    category_name: 'Findings',
    activity_id: 1,
    activity_name: 'Create',
    type_uid: 2004 * 100 + 1,
    type_name: 'Detection Finding: Create',
    severity_id: severity,
    severity: SEVERITY_NAMES[severity],
    time: eventTime(record),
    status_id: 1,
    status: 'New',
    ...actionOf(record.decision),
    confidence_score: Math.round(Math.max(0, Math.min(1, finding.score)) * 100),
    metadata: metadata(record, `${record.id}:${index}`),
    finding_info: {
      uid: `${record.id}:${index}`,
      title: `${finding.scanner}: ${finding.ruleId}`,
      desc: finding.message,
      types: [finding.scanner],
      analytic: { name: finding.ruleId, uid: finding.instance, type_id: 1, type: 'Rule' },
      related_events: [{ uid: record.id, type_uid: 6003 * 100 + activityOf(record.route).id }],
    },
    unmapped: {
      bulwark: { partition: record.partition, seq: record.seq, event_id: record.id, action: finding.action, origin: finding.origin ?? null, segment: finding.segmentId ?? null, ...(finding.clause !== undefined ? { clause: finding.clause } : {}) },
    },
  };
}

/** The OCSF events of one stored record: its API Activity, then one Detection Finding per finding. */
export function toOcsf(record: ExportRecord): Record<string, unknown>[] {
  const findings = findingsOf(record);
  return [apiActivity(record, findings), ...findings.map((f, i) => detectionFinding(record, f, i))];
}
