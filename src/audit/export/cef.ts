import { hostname } from 'node:os';
import { findingsOf, type ExportRecord } from './records.ts';
import { PRODUCT } from './ocsf.ts';

/** CEF header fields: backslash and pipe are escaped; a newline cannot appear in a header, so it becomes a space. */
export function escapeHeader(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r\n|\r|\n/g, ' ');
}

/** CEF extension values: backslash, equals sign and newlines (as \n and \r) are escaped. */
export function escapeExtension(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/=/g, '\\=').replace(/\r\n|\n/g, '\\n').replace(/\r/g, '\\r');
}

/** CEF severity 0-10 from the worst finding: none 1, low 3, medium 5, high 8, critical 10. */
export function cefSeverity(severities: readonly string[]): number {
  const scale: Record<string, number> = { low: 3, medium: 5, high: 8, critical: 10 };
  return severities.reduce((max, s) => Math.max(max, scale[s] ?? 1), 1);
}

/** RFC 5424 severity for a CEF severity: 10 crit(2), 8 err(3), 5 warning(4), 3 notice(5), else info(6). */
function syslogSeverity(cef: number): number {
  if (cef >= 10) return 2;
  if (cef >= 8) return 3;
  if (cef >= 5) return 4;
  if (cef >= 3) return 5;
  return 6;
}

/** Syslog facility 13, "log audit". */
const FACILITY = 13;

/** One ArcSight CEF:0 line (no envelope) for a stored event. */
export function toCef(record: ExportRecord): string {
  const findings = findingsOf(record);
  const severity = cefSeverity(findings.map((f) => f.severity));
  const rules = [...new Set(findings.map((f) => `${f.scanner}/${f.ruleId}`))];
  const header = ['CEF:0', PRODUCT.vendor_name, PRODUCT.name, PRODUCT.version, `request-${record.decision}`, `LLM request ${record.decision}`, String(severity)].map((v, i) => (i === 0 ? v : escapeHeader(v)));
  const messages = findings.map((f) => f.message).join('; ');
  const fields: [string, string | number | null][] = [
    ['rt', record.time_ms],
    ['externalId', record.id],
    ['requestContext', record.request_id],
    ['act', record.decision],
    ['outcome', String(record.status)],
    ['app', record.route],
    ['cnt', findings.length],
  ];
  // Custom fields go as label/value pairs; a null value drops its label too.
  const custom: [string, string, string | number | null][] = [
    ['cs1', 'partition', record.partition],
    ['cn1', 'seq', record.seq],
    ['cs2', 'hash', record.hash],
    ['cs3', 'model', record.model],
    ['cs4', 'policy', record.policy],
    ['cs5', 'provider', record.provider],
    ['cs6', 'rules', rules.length > 0 ? rules.join(',') : null],
  ];
  for (const [key, label, value] of custom) if (value !== null) fields.push([`${key}Label`, label], [key, value]);
  // Scanner messages describe the rule, never the matched text; the error is the gateway's own.
  const msg = [record.error, messages].filter((m) => m !== null && m !== '').join('; ');
  if (msg !== '') fields.push(['msg', msg.slice(0, 1000)]);
  const extension = fields.filter(([, v]) => v !== null).map(([k, v]) => `${k}=${escapeExtension(String(v))}`).join(' ');
  return `${header.join('|')}|${extension}`;
}

/** RFC 5424 syslog envelope around a CEF line: `<PRI>1 TIMESTAMP HOST bulwark - audit - CEF:0|...`. */
export function toSyslog(record: ExportRecord, host: string = hostname()): string {
  const cef = toCef(record);
  const severity = cefSeverity(findingsOf(record).map((f) => f.severity));
  const pri = FACILITY * 8 + syslogSeverity(severity);
  const time = record.time_ms === null ? '-' : new Date(record.time_ms).toISOString();
  // RFC 5424 HOSTNAME: printable US-ASCII without spaces, at most 255 characters.
  const safeHost = host.replace(/[^\x21-\x7e]/g, '').slice(0, 255) || '-';
  return `<${pri}>1 ${time} ${safeHost} bulwark - audit - ${cef}`;
}
