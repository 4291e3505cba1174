/**
 * Policy precedence: global (the config file), then tenant, project and key documents (stored with
 * the admin API), then the request's own document (header `x-bulwark-policy`). A lower level adds
 * instances and tightens the ones above it; it may replace an instance outright only where the
 * level above marked it `overridable`. Absence inherits: a lower level cannot remove or disable
 * anything. "Tighter" means: a stronger action (log < flag < redact < block) per instance, origin
 * and rule; a lower threshold; more phases; more origins; onError block over allow; canaries,
 * spotlighting and pseudonymisation switched on, never off; more packs.
 */
import { Policy, ScannerInstance, type Action } from '../config/schema.ts';

const strength: Record<Action, number> = { log: 0, flag: 1, redact: 2, block: 3 };

function stronger(a: Action, b: Action): Action {
  return strength[b] > strength[a] ? b : a;
}

function strongerRecord<K extends string>(above: Partial<Record<K, Action>>, below: Partial<Record<K, Action>>): Partial<Record<K, Action>> {
  const merged: Partial<Record<K, Action>> = { ...above };
  for (const [key, action] of Object.entries(below) as [K, Action][]) merged[key] = merged[key] === undefined ? action : stronger(merged[key]!, action);
  return merged;
}

function union<T>(a: readonly T[], b: readonly T[]): T[] {
  return [...new Set([...a, ...b])];
}

/** One instance tightened by a lower level's instance of the same id. */
export function tightenInstance(above: ScannerInstance, below: ScannerInstance): ScannerInstance {
  if (above.overridable) return below;
  const { origins: _origins, ...rest } = above;
  // No origins means every origin, already the widest; otherwise the union.
  const origins = above.origins === undefined || below.origins === undefined ? undefined : union(above.origins, below.origins);
  return {
    ...rest,
    ...(origins ? { origins } : {}),
    enabled: above.enabled || below.enabled,
    phases: union(above.phases, below.phases),
    action: stronger(above.action, below.action),
    originActions: strongerRecord(above.originActions, below.originActions),
    ruleActions: strongerRecord(above.ruleActions, below.ruleActions) as Record<string, Action>,
    threshold: Math.min(above.threshold, below.threshold),
    onError: above.onError === 'block' || below.onError === 'block' ? 'block' : 'allow',
    clauses: { ...below.clauses, ...above.clauses },
  };
}

/** Fields a lower level's instance leaves unset take the level above's value, not the schema default (an unset action is not "block"). */
const INHERITED = ['action', 'threshold', 'onError', 'enabled', 'phases'] as const;

function rawInstance(document: unknown, id: string): Record<string, unknown> | undefined {
  const scanners = (document as { scanners?: unknown } | null)?.scanners;
  if (!Array.isArray(scanners)) return undefined;
  return scanners.find((entry): entry is Record<string, unknown> => typeof entry === 'object' && entry !== null && (entry as { id?: unknown }).id === id);
}

function inheritUnset(above: ScannerInstance, parsed: ScannerInstance, raw: Record<string, unknown> | undefined): ScannerInstance {
  if (!raw) return parsed;
  const inherited: Record<string, unknown> = { ...parsed };
  for (const field of INHERITED) if (raw[field] === undefined) inherited[field] = above[field];
  return inherited as ScannerInstance;
}

/** `base` with a lower level's policy document applied; throws a zod error naming the field when the document is invalid. */
export function applyLevel(base: Policy, document: unknown, level: string): Policy {
  const overlay = Policy.parse(document);
  const byId = new Map(base.scanners.map((instance) => [instance.id, instance]));
  const scanners = base.scanners.map((instance) => {
    const lower = overlay.scanners.find((candidate) => candidate.id === instance.id);
    return lower ? tightenInstance(instance, ScannerInstance.parse(inheritUnset(instance, lower, rawInstance(document, instance.id)))) : instance;
  });
  for (const instance of overlay.scanners) if (!byId.has(instance.id)) scanners.push(instance);
  return {
    ...base,
    name: overlay.name !== 'default' ? `${base.name}/${overlay.name}` : `${base.name}/${level}`,
    scanners,
    packs: union(base.packs, overlay.packs),
    canary: { enabled: base.canary.enabled || overlay.canary.enabled },
    spotlighting: base.spotlighting.origins.length > 0 ? { ...base.spotlighting, origins: union(base.spotlighting.origins, overlay.spotlighting.origins) } : overlay.spotlighting,
    pseudonymisation: base.pseudonymisation.enabled ? base.pseudonymisation : overlay.pseudonymisation,
  };
}

/** The effective policy: global, then each lower level's document in order (tenant, project, key, request). */
export function effectivePolicy(global: Policy, levels: readonly { level: string; document: unknown }[]): Policy {
  return levels.reduce((policy, { level, document }) => applyLevel(policy, document, level), global);
}
