import type { StoredEventColumns } from '../audit/export/records.ts';
import type { FindingRecord, GatewayEvent, ScannerRecord } from './types.ts';

/** The flat SQL shape of one event; named parameters match the column names. */
export interface EventRow extends StoredEventColumns {
  /** Project and API key id of the caller (never the secret); null for anonymous callers. */
  project: string | null;
  key_id: string | null;
  /** How content is kept for this event's tenant: none, redacted or full (sealed); null for events without a mode. */
  content_mode: string | null;
  /** Audit chain partition: the event's tenant, or `default`. */
  partition: string;
}

/** Column list shared by INSERT and SELECT so the two never drift apart. */
export const EVENT_COLUMNS = [
  'id', 'request_id', 'time', 'time_ms', 'route', 'model', 'provider', 'policy', 'decision', 'status',
  'input_tokens', 'output_tokens', 'upstream_latency_ms', 'total_latency_ms', 'streamed', 'error',
  'findings', 'scanners', 'content', 'project', 'key_id', 'content_mode', 'partition',
] as const;

/** Partition of events without a tenant (see src/audit/README.md). */
export const DEFAULT_PARTITION = 'default';

// ES2024 string methods (Node 20 has them; the TypeScript lib targets ES2022).
type WellFormed = { isWellFormed(): boolean; toWellFormed(): string };

function requireString(value: unknown, field: string): string {
  if (typeof value !== 'string') throw new TypeError(`event.${field} must be a string`);
  // A lone surrogate would be stored as U+FFFD (UTF-8), so the row would no longer match
  // the audit hash computed from it: replace it here, before hashing. JSON columns need
  // nothing, JSON.stringify escapes lone surrogates.
  return (value as unknown as WellFormed).isWellFormed() ? value : (value as unknown as WellFormed).toWellFormed();
}

function requireNumber(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new TypeError(`event.${field} must be a finite number`);
  return value;
}

const DECISIONS: ReadonlySet<string> = new Set(['allow', 'flag', 'redact', 'block', 'error']);

function requireDecision(value: unknown): string {
  if (typeof value !== 'string' || !DECISIONS.has(value)) throw new TypeError('event.decision must be allow, flag, redact, block or error');
  return value;
}

function optionalNumber(value: unknown, field: string): number | null {
  return value === null || value === undefined ? null : requireNumber(value, field);
}

function optionalString(value: unknown, field: string): string | null {
  return value === null || value === undefined ? null : requireString(value, field);
}

/** Parses an ISO time to epoch ms for ordering and `since` filters; null when unparsable. */
export function timeToMs(time: string): number | null {
  const ms = Date.parse(time);
  return Number.isNaN(ms) ? null : ms;
}

/**
 * Converts an event to a row, validating types first: a malformed event must fail
 * here, alone, rather than poison a whole batch inside the write transaction.
 */
export function toRow(event: GatewayEvent): EventRow {
  const time = requireString(event.time, 'time');
  return {
    id: requireString(event.id, 'id'),
    request_id: requireString(event.requestId, 'requestId'),
    time,
    time_ms: timeToMs(time),
    route: requireString(event.route, 'route'),
    model: optionalString(event.model, 'model'),
    provider: optionalString(event.provider, 'provider'),
    policy: requireString(event.policy, 'policy'),
    decision: requireDecision(event.decision),
    status: requireNumber(event.status, 'status'),
    input_tokens: optionalNumber(event.inputTokens, 'inputTokens'),
    output_tokens: optionalNumber(event.outputTokens, 'outputTokens'),
    upstream_latency_ms: optionalNumber(event.upstreamLatencyMs, 'upstreamLatencyMs'),
    total_latency_ms: requireNumber(event.totalLatencyMs, 'totalLatencyMs'),
    streamed: event.streamed ? 1 : 0,
    error: optionalString(event.error, 'error'),
    findings: JSON.stringify(event.findings ?? []),
    scanners: JSON.stringify(event.scanners ?? []),
    content: event.content === null || event.content === undefined ? null : contentJson(event.content),
    project: optionalString(event.project, 'project'),
    key_id: optionalString(event.keyId, 'keyId'),
    content_mode: optionalContentMode(event.contentMode),
    partition: partitionOf(event.tenant),
  };
}

/** Characters JSON.stringify escapes in a string: quote, backslash, controls, and (lone) surrogates. */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/**
 * Exactly JSON.stringify(content). When every field is a string with nothing to escape (nearly every prompt
 * and answer) the JSON is built by concatenation: JSON.stringify writes a 1 KB text through a buffer that
 * grows by doubling (about 2.3 KB allocated for a 1 KB text), on every request (ADR 0001).
 */
function contentJson(content: object): string {
  if (Array.isArray(content)) return JSON.stringify(content);
  let json = '';
  for (const key in content) {
    if (!Object.hasOwn(content, key)) continue;
    const value: unknown = (content as Record<string, unknown>)[key];
    if (value === undefined) continue;
    if (typeof value !== 'string' || NEEDS_ESCAPE.test(value) || NEEDS_ESCAPE.test(key)) return JSON.stringify(content);
    json = `${json === '' ? '{' : `${json},`}"${key}":"${value}"`;
  }
  return json === '' ? '{}' : `${json}}`;
}

const CONTENT_MODES: ReadonlySet<string> = new Set(['none', 'redacted', 'full']);

function optionalContentMode(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || !CONTENT_MODES.has(value)) throw new TypeError('event.contentMode must be none, redacted or full');
  return value;
}

function partitionOf(tenant: unknown): string {
  if (tenant === undefined || tenant === null) return DEFAULT_PARTITION;
  if (typeof tenant !== 'string' || tenant.length === 0 || tenant.length > 200) throw new TypeError('event.tenant must be a non-empty string of at most 200 characters');
  return requireString(tenant, 'tenant');
}

/** Rebuilds an event from a stored row. */
export function fromRow(row: EventRow): GatewayEvent {
  const event: GatewayEvent = {
    id: row.id,
    requestId: row.request_id,
    time: row.time,
    route: row.route,
    model: row.model,
    provider: row.provider,
    policy: row.policy,
    decision: row.decision as GatewayEvent['decision'],
    status: row.status,
    findings: JSON.parse(row.findings) as FindingRecord[],
    scanners: JSON.parse(row.scanners) as ScannerRecord[],
    inputTokens: row.input_tokens,
    outputTokens: row.output_tokens,
    upstreamLatencyMs: row.upstream_latency_ms,
    totalLatencyMs: row.total_latency_ms,
    streamed: row.streamed === 1,
    content: row.content === null ? null : (JSON.parse(row.content) as GatewayEvent['content']),
  };
  if (row.error !== null) event.error = row.error;
  if (row.project !== null && row.project !== undefined) event.project = row.project;
  if (row.key_id !== null && row.key_id !== undefined) event.keyId = row.key_id;
  if (row.content_mode !== null && row.content_mode !== undefined) event.contentMode = row.content_mode as NonNullable<GatewayEvent['contentMode']>;
  // `default` is the partition of events without a tenant, so it reads back as absent.
  if (row.partition !== DEFAULT_PARTITION) event.tenant = row.partition;
  return event;
}
