/**
 * Turns a period's events, review items and chain verification into the numbers a compliance report
 * shows. Pure: the CLI reads the stores, this counts, html.ts renders.
 */
import type { Pack } from '../config/packs.ts';
import type { Policy } from '../config/schema.ts';
import type { VerifyResult } from '../audit/verify.ts';
import { familyOf, type Family } from '../review/families.ts';
import type { ReviewItem } from '../review/types.ts';
import type { GatewayEvent } from '../store/types.ts';
import { controlsFor, type Control, type Framework } from './frameworks.ts';

export interface InstanceInForce {
  id: string;
  scanner: string;
  action: string;
  phases: string[];
  enabled: boolean;
  pack: string | null;
  family: Family;
  controls: string[];
  clauses: string[];
}

export interface ControlRow {
  control: Control;
  /** Enabled instances whose family the control names. */
  instances: string[];
  /** Findings in the period whose family the control names. */
  findings: number;
  status: 'in force' | 'evidence only' | 'not covered';
}

export interface Bucket {
  start: string;
  allow: number;
  flag: number;
  redact: number;
  block: number;
  error: number;
  findings: number;
}

export interface ReportData {
  framework: Framework;
  from: string;
  to: string;
  policy: { name: string; description?: string };
  packs: Pick<Pack, 'name' | 'version' | 'title'>[];
  instances: InstanceInForce[];
  controls: ControlRow[];
  totals: { events: number; findings: number; allowListed: number; byDecision: Record<GatewayEvent['decision'], number>; tenants: string[] };
  byRule: { instance: string; ruleId: string; family: Family; findings: number; blocked: number }[];
  byClause: { clause: string; findings: number }[];
  series: { bucketMs: number; buckets: Bucket[] };
  review: { truePositive: number; falsePositive: number; needsPolicyChange: number; unlabelled: number; precision: number | null };
  chain: VerifyResult | { error: string };
  /** Events the period held beyond what was read (the report then covers the newest ones only). */
  truncated: boolean;
  generated: { at: string; by: string; version: string; store: string };
}

export interface CollectInput {
  framework: Framework;
  from: string;
  to: string;
  policy: Policy;
  packs: Pick<Pack, 'name' | 'version' | 'title'>[];
  events: readonly GatewayEvent[];
  reviewItems: readonly ReviewItem[];
  chain: ReportData['chain'];
  truncated: boolean;
  generated: ReportData['generated'];
}

/** Whether a clause text cites a control id ("HIPAA §164.514(b)(2)(i)(G): ..." cites "§164.514(b)"). */
export function cites(clause: string, controlId: string): boolean {
  const at = clause.indexOf(controlId);
  if (at < 0) return false;
  const next = clause[at + controlId.length];
  // "Art. 5" must not match "Art. 50", "3.4.1" not "3.4.10"; a following "(" continues a sub-clause, which counts.
  return next === undefined || !/[0-9A-Za-z.]/.test(next) || (next === '.' && !/[0-9]/.test(clause[at + controlId.length + 1] ?? ''));
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Bucket width for a period: hours up to three days, days up to about a year, else weeks. */
export function bucketWidth(fromMs: number, toMs: number): number {
  const span = toMs - fromMs;
  return span <= 3 * DAY ? HOUR : span <= 400 * DAY ? DAY : 7 * DAY;
}

export function collectReport(input: CollectInput): ReportData {
  const { framework, policy } = input;
  const instances: InstanceInForce[] = policy.scanners.map((instance) => {
    const family = familyOf(instance.scanner, '');
    const dot = instance.id.indexOf('.');
    const pack = dot > 0 && input.packs.some((p) => p.name === instance.id.slice(0, dot)) ? instance.id.slice(0, dot) : null;
    const clauses = [...new Set(Object.values(instance.clauses))];
    // A control answers an instance by family, or by being cited in one of its clauses (packs cite e.g. "HIPAA §164.514(b)(2)(i)(G)").
    const controls = framework.controls.filter((control) => controlsFor(framework, family).includes(control) || clauses.some((clause) => cites(clause, control.id))).map((control) => control.id);
    return { id: instance.id, scanner: instance.scanner, action: instance.action, phases: instance.phases, enabled: instance.enabled, pack, family, controls, clauses };
  });

  const byDecision: ReportData['totals']['byDecision'] = { allow: 0, flag: 0, redact: 0, block: 0, error: 0 };
  const rules = new Map<string, ReportData['byRule'][number]>();
  const clauses = new Map<string, number>();
  const controlCounts = new Map<string, number>();
  const tenants = new Set<string>();
  const fromMs = Date.parse(input.from);
  const toMs = Date.parse(input.to);
  const width = bucketWidth(fromMs, toMs);
  // Buckets on UTC hour/day boundaries (weeks from the epoch), so a label names the whole bucket.
  const origin = Math.floor(fromMs / width) * width;
  const bucketCount = Math.max(1, Math.ceil((toMs - origin) / width));
  const buckets: Bucket[] = Array.from({ length: bucketCount }, (_, i) => ({ start: new Date(origin + i * width).toISOString(), allow: 0, flag: 0, redact: 0, block: 0, error: 0, findings: 0 }));
  let findings = 0;
  let allowListed = 0;
  for (const event of input.events) {
    byDecision[event.decision] += 1;
    tenants.add(event.tenant ?? 'default');
    const bucket = buckets[Math.min(bucketCount - 1, Math.max(0, Math.floor((Date.parse(event.time) - origin) / width)))]!;
    bucket[event.decision] += 1;
    for (const finding of event.findings) {
      findings += 1;
      bucket.findings += 1;
      if (finding.allowListed) allowListed += 1;
      const family = familyOf(finding.scanner, finding.ruleId);
      for (const control of framework.controls) {
        if (control.families?.includes(family) || (finding.clause !== undefined && cites(finding.clause, control.id))) controlCounts.set(control.id, (controlCounts.get(control.id) ?? 0) + 1);
      }
      const key = `${finding.instance}\u0000${finding.ruleId}`;
      const row = rules.get(key) ?? { instance: finding.instance, ruleId: finding.ruleId, family, findings: 0, blocked: 0 };
      row.findings += 1;
      if (finding.action === 'block') row.blocked += 1;
      rules.set(key, row);
      if (finding.clause) clauses.set(finding.clause, (clauses.get(finding.clause) ?? 0) + 1);
    }
  }

  const controls: ControlRow[] = framework.controls.map((control) => {
    const covering = instances.filter((instance) => instance.enabled && instance.controls.includes(control.id)).map((instance) => instance.id);
    const count = controlCounts.get(control.id) ?? 0;
    const status: ControlRow['status'] = covering.length > 0 ? 'in force' : (control.evidence?.length ?? 0) > 0 ? 'evidence only' : 'not covered';
    return { control, instances: covering, findings: count, status };
  });

  const review = { truePositive: 0, falsePositive: 0, needsPolicyChange: 0, unlabelled: 0, precision: null as number | null };
  for (const item of input.reviewItems) {
    if (item.label === 'true-positive') review.truePositive += 1;
    else if (item.label === 'false-positive') review.falsePositive += 1;
    else if (item.label === 'needs-policy-change') review.needsPolicyChange += 1;
    else review.unlabelled += 1;
  }
  if (review.truePositive + review.falsePositive > 0) review.precision = review.truePositive / (review.truePositive + review.falsePositive);

  return {
    framework,
    from: input.from,
    to: input.to,
    policy: { name: policy.name, ...(policy.description !== undefined ? { description: policy.description } : {}) },
    packs: input.packs,
    instances,
    controls,
    totals: { events: input.events.length, findings, allowListed, byDecision, tenants: [...tenants].sort() },
    byRule: [...rules.values()].sort((a, b) => b.findings - a.findings || a.ruleId.localeCompare(b.ruleId)),
    byClause: [...clauses.entries()].map(([clause, n]) => ({ clause, findings: n })).sort((a, b) => b.findings - a.findings || a.clause.localeCompare(b.clause)),
    series: { bucketMs: width, buckets },
    review,
    chain: input.chain,
    truncated: input.truncated,
    generated: input.generated,
  };
}
