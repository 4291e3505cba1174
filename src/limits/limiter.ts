import { randomUUID } from 'node:crypto';
import type { LimitStore, WindowCheck } from './types.ts';

export type LimitScopeName = 'key' | 'project' | 'tenant';
export type LimitMetric = 'requests' | 'tokens' | 'concurrent';

/** Per-scope limits; null means unlimited. */
export interface ScopeLimits {
  requestsPerMinute: number | null;
  tokensPerMinute: number | null;
  concurrent: number | null;
}

/** Who is being counted: one id per scope. */
export interface LimitSubject {
  tenant: string;
  project: string;
  key: string;
}

export interface LimiterOptions {
  store: LimitStore;
  defaults: Record<LimitScopeName, ScopeLimits>;
  /** Stored overrides (control.db); a non-null field replaces the default. */
  overrides?: (scope: LimitScopeName, id: string) => Partial<ScopeLimits> | null;
  /** How long a concurrency lease lives if never released (a crashed process). */
  leaseTtlMs: number;
  windowMs?: number;
}

/** What an admitted request holds until it is settled. */
export interface Ticket {
  subject: LimitSubject;
  leaseId: string;
  leaseKeys: string[];
  /** Token counters charged with the estimate, to correct once real usage is known. */
  tokenKeys: string[];
  estimate: number;
}

export type AdmitResult =
  | { ok: true; ticket: Ticket }
  /** `throttled`: the refusing limit was the temporary per-key cap (abuse throttle), not the configured one. */
  | { ok: false; scope: LimitScopeName; metric: LimitMetric; limit: number; retryAfterMs: number; throttled: boolean };

const scopes: readonly LimitScopeName[] = ['key', 'project', 'tenant'];

/** Turns a subject and its limits into store calls: concurrency first (cheap to undo), then the windows. */
export class Limiter {
  readonly #windowMs: number;

  constructor(private readonly options: LimiterOptions) {
    this.#windowMs = options.windowMs ?? 60_000;
  }

  /** The limits that apply to one scope id: the default with any stored override laid over it. */
  limitsFor(scope: LimitScopeName, id: string): ScopeLimits {
    const base = this.options.defaults[scope];
    const override = this.options.overrides?.(scope, id) ?? null;
    if (!override) return base;
    return {
      requestsPerMinute: override.requestsPerMinute ?? base.requestsPerMinute,
      tokensPerMinute: override.tokensPerMinute ?? base.tokensPerMinute,
      concurrent: override.concurrent ?? base.concurrent,
    };
  }

  /**
   * Admits one request costing an estimated `estimateTokens`, or says which limit refused it.
   * `keyRequestsCap` temporarily lowers the key's requests per minute (an abuse throttle); it
   * counts on the key's usual requests counter, so requests made before the throttle count too.
   */
  async admit(subject: LimitSubject, estimateTokens: number, options: { keyRequestsCap?: number | null } = {}): Promise<AdmitResult> {
    const group = subject.tenant;
    const leases: { key: string; limit: number; scope: LimitScopeName }[] = [];
    const checks: (WindowCheck & { scope: LimitScopeName; metric: LimitMetric; throttled?: boolean })[] = [];
    const tokenKeys: string[] = [];
    for (const scope of scopes) {
      const id = subject[scope];
      // A copy: limitsFor may return the shared defaults object.
      const limits = { ...this.limitsFor(scope, id) };
      const cap = scope === 'key' ? (options.keyRequestsCap ?? null) : null;
      const throttled = cap !== null && (limits.requestsPerMinute === null || cap < limits.requestsPerMinute);
      if (throttled) limits.requestsPerMinute = cap;
      if (limits.concurrent !== null) leases.push({ key: `${scope}:${id}:concurrent`, limit: limits.concurrent, scope });
      if (limits.requestsPerMinute !== null) checks.push({ key: `${scope}:${id}:requests`, limit: limits.requestsPerMinute, cost: 1, windowMs: this.#windowMs, scope, metric: 'requests', throttled });
      if (limits.tokensPerMinute !== null) {
        checks.push({ key: `${scope}:${id}:tokens`, limit: limits.tokensPerMinute, cost: estimateTokens, windowMs: this.#windowMs, scope, metric: 'tokens' });
        tokenKeys.push(`${scope}:${id}:tokens`);
      }
    }
    const leaseId = randomUUID();
    if (leases.length > 0) {
      const acquired = await this.options.store.acquire(leases, { group, id: leaseId, ttlMs: this.options.leaseTtlMs });
      if (!acquired.acquired) {
        const refused = leases[acquired.refused]!;
        return { ok: false, scope: refused.scope, metric: 'concurrent', limit: refused.limit, retryAfterMs: 1000, throttled: false };
      }
    }
    const leaseKeys = leases.map((lease) => lease.key);
    try {
      const consumed = await this.options.store.consume(checks, { group });
      if (!consumed.allowed) {
        await this.options.store.release(leaseKeys, { group, id: leaseId });
        const refused = checks[consumed.refused]!;
        return { ok: false, scope: refused.scope, metric: refused.metric, limit: refused.limit, retryAfterMs: consumed.retryAfterMs, throttled: refused.throttled === true };
      }
    } catch (error) {
      await this.options.store.release(leaseKeys, { group, id: leaseId }).catch(() => {});
      throw error;
    }
    return { ok: true, ticket: { subject, leaseId, leaseKeys, tokenKeys, estimate: estimateTokens } };
  }

  /** Releases the concurrency leases and charges the difference between real and estimated tokens. */
  async settle(ticket: Ticket, actualTokens: number | null): Promise<void> {
    const group = ticket.subject.tenant;
    try {
      if (actualTokens !== null && ticket.tokenKeys.length > 0 && actualTokens !== ticket.estimate) {
        await this.options.store.add(ticket.tokenKeys.map((key) => ({ key, amount: actualTokens - ticket.estimate, windowMs: this.#windowMs })), { group });
      }
    } finally {
      await this.options.store.release(ticket.leaseKeys, { group, id: ticket.leaseId });
    }
  }
}
