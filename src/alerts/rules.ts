import type { GatewayEvent } from '../store/types.ts';
import type { AlertRule, Alerting } from './config.ts';
import { globMatch } from '../text/glob.ts';

/** One rule firing for one group; the engine deduplicates and delivers it. */
export interface AlertTrigger {
  /** Rule id: a configured rule's id, or `builtin/<name>`. */
  rule: string;
  severity: AlertRule['severity'];
  /** Channel ids; empty means every channel. */
  channels: readonly string[];
  /** What the alert is counted per: tenant and key ids, or a rule id for `builtin/new-signature-rule`. */
  group: { tenant?: string; keyId?: string; ruleId?: string };
  groupKey: string;
  /** Matching events behind this trigger. */
  count: number;
  windowSeconds: number | null;
  eventIds: string[];
  /** Rule ids of the findings involved (ids only, never messages or evidence). */
  findingRuleIds: string[];
}

const MAX_GROUPS = 10_000;
const MAX_IDS = 10;
const MAX_SEEN_RULES = 10_000;


/** Timestamps (and event ids) of matching events per group, trimmed to the window; bounded in groups and length. */
class Windows {
  readonly #groups = new Map<string, { times: number[]; ids: string[] }>();

  /** Adds an event; returns the events in the window when they reach `minCount` (and starts the group afresh). */
  add(groupKey: string, at: number, eventId: string, windowMs: number, minCount: number): { count: number; ids: string[] } | null {
    let group = this.#groups.get(groupKey);
    if (group === undefined) {
      if (this.#groups.size >= MAX_GROUPS) this.#groups.delete(this.#groups.keys().next().value!);
      group = { times: [], ids: [] };
      this.#groups.set(groupKey, group);
    }
    group.times.push(at);
    group.ids.push(eventId);
    while (group.times.length > 0 && group.times[0]! <= at - windowMs) {
      group.times.shift();
      group.ids.shift();
    }
    // Only the newest minCount matter for the threshold.
    if (group.times.length > minCount) {
      group.times.splice(0, group.times.length - minCount);
      group.ids.splice(0, group.ids.length - minCount);
    }
    if (group.times.length < minCount) return null;
    const fired = { count: group.times.length, ids: group.ids.slice(-MAX_IDS) };
    this.#groups.delete(groupKey);
    return fired;
  }
}

function matches(event: GatewayEvent, when: AlertRule['when']): string[] | null {
  if (when.decision !== undefined && event.decision !== when.decision) return null;
  if (when.keyId !== undefined && event.keyId !== when.keyId) return null;
  if (when.tenant !== undefined && (event.tenant ?? 'default') !== when.tenant) return null;
  if (when.ruleId === undefined && when.scanner === undefined) return event.findings.map((finding) => finding.ruleId);
  const hits = event.findings.filter((finding) => (when.ruleId === undefined || globMatch(when.ruleId, finding.ruleId)) && (when.scanner === undefined || finding.scanner === when.scanner));
  return hits.length > 0 ? hits.map((finding) => finding.ruleId) : null;
}

function groupOf(event: GatewayEvent, by: 'key' | 'tenant' | 'none'): { group: AlertTrigger['group']; key: string } {
  const tenant = event.tenant ?? 'default';
  if (by === 'none') return { group: {}, key: '*' };
  if (by === 'tenant') return { group: { tenant }, key: `t:${tenant}` };
  const keyId = event.keyId ?? 'anonymous';
  return { group: { tenant, keyId }, key: `k:${tenant}/${keyId}` };
}

const unique = (values: readonly string[]): string[] => [...new Set(values)].slice(0, 20);

/** Turns events into triggers: the configured threshold rules and the built-in ones. */
export class RuleEvaluator {
  readonly #rules: readonly AlertRule[];
  readonly #builtins: Alerting['builtins'];
  readonly #windows = new Windows();
  readonly #seenRules = new Set<string>();

  constructor(rules: readonly AlertRule[], builtins: Alerting['builtins']) {
    this.#rules = rules;
    this.#builtins = builtins;
  }

  evaluate(event: GatewayEvent): AlertTrigger[] {
    const triggers: AlertTrigger[] = [];
    const at = Number.isFinite(Date.parse(event.time)) ? Date.parse(event.time) : Date.now();
    for (const rule of this.#rules) {
      const ruleIds = matches(event, rule.when);
      if (ruleIds === null) continue;
      const { group, key } = groupOf(event, rule.when.groupBy);
      const fired = this.#windows.add(`${rule.id}\u0000${key}`, at, event.id, rule.when.windowSeconds * 1000, rule.when.minCount);
      if (fired) triggers.push({ rule: rule.id, severity: rule.severity, channels: rule.channels, group, groupKey: key, count: fired.count, windowSeconds: rule.when.windowSeconds, eventIds: fired.ids, findingRuleIds: unique(ruleIds) });
    }
    const b = this.#builtins;
    const builtin = (rule: string, severity: AlertRule['severity'], ruleIds: string[], byRule?: string): void => {
      const { group, key } = byRule === undefined ? groupOf(event, 'key') : { group: { ruleId: byRule }, key: `r:${byRule}` };
      triggers.push({ rule, severity, channels: b.channels, group, groupKey: key, count: 1, windowSeconds: null, eventIds: [event.id], findingRuleIds: unique(ruleIds) });
    };
    const canary: string[] = [];
    const budget: string[] = [];
    for (const finding of event.findings) {
      if (b.canaryLeak && finding.ruleId === 'canary/leak') canary.push(finding.ruleId);
      if (b.budget && finding.ruleId.startsWith('budget/')) budget.push(finding.ruleId);
      if (b.newSignatureRule && !this.#seenRules.has(finding.ruleId) && b.signatureRules.some((pattern) => globMatch(pattern, finding.ruleId))) {
        if (this.#seenRules.size < MAX_SEEN_RULES) this.#seenRules.add(finding.ruleId);
        builtin('builtin/new-signature-rule', 'high', [finding.ruleId], finding.ruleId);
      }
    }
    if (canary.length > 0) builtin('builtin/canary-leak', 'critical', canary);
    if (budget.length > 0) builtin('builtin/budget', 'medium', budget);
    if (b.blocksPerMinutePerKey > 0 && event.decision === 'block' && event.keyId !== undefined) {
      const { group, key } = groupOf(event, 'key');
      const fired = this.#windows.add(`builtin/blocks-per-key\u0000${key}`, at, event.id, 60_000, b.blocksPerMinutePerKey);
      if (fired) triggers.push({ rule: 'builtin/blocks-per-key', severity: 'high', channels: b.channels, group, groupKey: key, count: fired.count, windowSeconds: 60, eventIds: fired.ids, findingRuleIds: unique(event.findings.map((finding) => finding.ruleId)) });
    }
    return triggers;
  }
}
