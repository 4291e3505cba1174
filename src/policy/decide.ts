import type { Action } from '../config/schema.ts';
import type { InstanceRun } from '../scanners/runner.ts';
import type { Finding, ScanSegment, SpanEdit } from '../scanners/types.ts';

/** The policy's verdict, strongest first. */
export type Decision = 'block' | 'redact' | 'flag' | 'allow';

const strength: Record<Decision, number> = { allow: 0, flag: 1, redact: 2, block: 3 };

/** The strongest of several decisions (an event's decision is the strongest of its phases). */
export function strongest(...decisions: Decision[]): Decision {
  let best: Decision = 'allow';
  for (const next of decisions) if (strength[next] > strength[best]) best = next;
  return best;
}

/** A finding the policy acted on, with the action it chose. */
export interface DecidedFinding extends Finding {
  instance: string;
  scanner: string;
  origin: string;
  action: Action;
  /** The regulatory clause the policy ties to this rule (compliance packs), if any. */
  clause?: string;
  /** Keyed fingerprint of the matched text, when the caller passed {@link FindingHooks}. */
  matchFingerprint?: string;
  /** An allow-list entry lowered the action to `log`. */
  allowListed?: boolean;
}

/**
 * Per-request hooks from the review loop: a keyed fingerprint of each finding's matched text
 * (never the text), and whether an allow-list entry covers (instance, rule, fingerprint); a
 * covered finding is recorded with action `log`, so it no longer moves the decision.
 */
export interface FindingHooks {
  fingerprint(matchedText: string): string;
  allowed(instance: string, ruleId: string, fingerprint: string): boolean;
}

/** Why the decision is what it is; `explain` turns it into words. */
export interface Verdict {
  decision: Decision;
  findings: DecidedFinding[];
  /** Redactions to apply, in policy order, overlaps removed. */
  edits: SpanEdit[];
  /** Instances that failed and the consequence their onError chose. */
  failures: { instance: string; scanner: string; status: string; error: string; consequence: 'block' | 'allow' }[];
}

/** Maps scanner results to a decision; scanners detect, this decides. */
export function decide(runs: readonly InstanceRun[], segments: readonly ScanSegment[], hooks?: FindingHooks): Verdict {
  // Built at the first finding: most phases find nothing.
  let byId: Map<string, ScanSegment> | null = null;
  let decision: Decision = 'allow';
  const findings: DecidedFinding[] = [];
  const edits: SpanEdit[] = [];
  const failures: Verdict['failures'] = [];
  for (const run of runs) {
    const settings = run.slot.settings;
    if (run.status !== 'ok' || !run.result) {
      failures.push({ instance: settings.id, scanner: run.slot.definition.id, status: run.status, error: run.error ?? 'unknown', consequence: settings.onError });
      if (settings.onError === 'block') decision = 'block';
      continue;
    }
    let redactSpans: { segmentId: string; span: [number, number] }[] | null = null;
    for (const finding of run.result.findings) {
      if (finding.score < settings.threshold) continue;
      byId ??= new Map(segments.map((segment) => [segment.id, segment]));
      const segment = byId.get(finding.segmentId);
      const origin = segment?.origin ?? 'user';
      let action = ruleAction(settings.ruleActions, finding.ruleId) ?? settings.originActions[origin as keyof typeof settings.originActions] ?? settings.action;
      const clause = matchRule(settings.clauses, finding.ruleId);
      const matchFingerprint = hooks ? hooks.fingerprint((segment?.text ?? '').slice(finding.span[0], finding.span[1])) : undefined;
      const allowListed = matchFingerprint !== undefined && action !== 'log' && hooks!.allowed(settings.id, finding.ruleId, matchFingerprint);
      if (allowListed) action = 'log';
      findings.push({ ...finding, instance: settings.id, scanner: run.slot.definition.id, origin, action, ...(clause ? { clause } : {}), ...(matchFingerprint !== undefined ? { matchFingerprint } : {}), ...(allowListed ? { allowListed } : {}) });
      if (action === 'redact') (redactSpans ??= []).push({ segmentId: finding.segmentId, span: finding.span });
      const effect: Decision = action === 'log' ? 'allow' : action;
      if (strength[effect] > strength[decision]) decision = effect;
    }
    // Only edits that cover a finding the policy redacts: other findings of the same scanner may be flagged or logged.
    if (run.result.edits === undefined || redactSpans === null) continue;
    for (const edit of run.result.edits) {
      if (redactSpans.some((target) => target.segmentId === edit.segmentId && covers(edit, target.span))) edits.push(edit);
    }
  }
  // A redaction with nothing to replace would silently pass the content: treat it as a block.
  if (decision === 'redact' && edits.length === 0) decision = 'block';
  return { decision, findings, edits: removeOverlaps(edits), failures };
}

/** Whether an edit touches a finding's span (an insertion counts when it lies inside or at its edges). */
function covers(edit: SpanEdit, [start, end]: [number, number]): boolean {
  return edit.start === edit.end ? start <= edit.start && edit.start <= end : edit.start < end && start < edit.end;
}

type RuleMatcher = { exact: ReadonlyMap<string, unknown>; globs: { pattern: RegExp; specificity: number; value: unknown }[] };
const matchers = new WeakMap<object, RuleMatcher>();

/** The entry of a per-rule table for a rule id: an exact key, else the most specific glob (`*` matches any run). */
export function matchRule<T>(table: Readonly<Record<string, T>>, ruleId: string): T | undefined {
  let matcher = matchers.get(table);
  if (!matcher) {
    const exact = new Map<string, T>();
    const globs: RuleMatcher['globs'] = [];
    for (const [key, value] of Object.entries(table)) {
      if (!key.includes('*')) exact.set(key, value);
      else globs.push({ pattern: new RegExp(`^${key.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\/-]/g, '\\$&')).join('.*')}$`), specificity: key.replace(/\*/g, '').length, value });
    }
    globs.sort((a, b) => b.specificity - a.specificity);
    matcher = { exact, globs };
    matchers.set(table, matcher);
  }
  return (matcher.exact.get(ruleId) ?? matcher.globs.find((glob) => glob.pattern.test(ruleId))?.value) as T | undefined;
}

/** The action `ruleActions` sets for a rule id, if any. */
export function ruleAction(ruleActions: Readonly<Record<string, Action>>, ruleId: string): Action | undefined {
  return matchRule(ruleActions, ruleId);
}

/** Keeps the first edit (policy order) where two overlap, so results do not depend on timing. */
function removeOverlaps(edits: SpanEdit[]): SpanEdit[] {
  if (edits.length < 2) return edits;
  const kept: SpanEdit[] = [];
  for (const edit of edits) {
    const clash = kept.some((other) => other.segmentId === edit.segmentId && edit.start < other.end && other.start < edit.end);
    if (!clash) kept.push(edit);
  }
  return kept;
}

/** Applies edits to one text; edits must belong to this segment and not overlap. */
export function applyEdits(text: string, edits: readonly SpanEdit[]): string {
  const ordered = [...edits].sort((a, b) => b.start - a.start);
  let out = text;
  for (const edit of ordered) out = out.slice(0, edit.start) + edit.replacement + out.slice(edit.end);
  return out;
}

/** One line per reason, for logs, CLI output and error messages. */
export function explain(verdict: Verdict, policyName: string): string {
  const lines = [`policy "${policyName}" decided ${verdict.decision}`];
  for (const failure of verdict.failures) lines.push(`- ${failure.instance} (${failure.scanner}) ${failure.status}: ${failure.error}; onError=${failure.consequence}`);
  for (const finding of verdict.findings) lines.push(`- ${finding.instance}: ${finding.ruleId} in ${finding.origin} segment ${finding.segmentId} [${finding.span[0]},${finding.span[1]}) score ${finding.score.toFixed(2)} -> ${finding.action}`);
  return lines.join('\n');
}
