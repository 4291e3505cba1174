import type { AllowEntry } from './types.ts';

const SEP = '\u0000';

function key(scope: 'tenant' | 'policy', owner: string, instance: string, ruleId: string, fingerprint: string): string {
  return [scope, owner, instance, ruleId, fingerprint].join(SEP);
}

/** Allow-list entries as a set of keys: one lookup per scope per finding on the request path. */
export class AllowList {
  readonly #keys: Set<string>;

  constructor(entries: readonly AllowEntry[]) {
    this.#keys = new Set(entries.map((entry) => key(entry.scope, (entry.scope === 'tenant' ? entry.tenant : entry.policy) ?? '', entry.instance, entry.ruleId, entry.fingerprint)));
  }

  get size(): number {
    return this.#keys.size;
  }

  /** Whether an entry for the tenant, or for the policy, covers this finding. */
  allows(tenant: string, policy: string, instance: string, ruleId: string, fingerprint: string): boolean {
    if (this.#keys.size === 0) return false;
    return this.#keys.has(key('tenant', tenant, instance, ruleId, fingerprint)) || this.#keys.has(key('policy', policy, instance, ruleId, fingerprint));
  }
}
