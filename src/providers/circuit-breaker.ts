/** closed: calls flow; open: calls refused; half-open: one trial call decides. */
export type CircuitState = 'closed' | 'open' | 'half-open';

/** Options for {@link createCircuitBreaker}. */
export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit. */
  failureThreshold: number;
  /** How long the circuit stays open before one trial call is let through. */
  cooldownMs: number;
  /** Clock in ms; injected by tests. */
  now?: () => number;
}

/** A per-provider circuit breaker; callers ask `canPass()` before a call and report its outcome. */
export interface CircuitBreaker {
  readonly state: CircuitState;
  /** True when a call may go ahead; in half-open this claims the single trial slot. */
  canPass(): boolean;
  /** The call succeeded (or the provider answered sanely): close the circuit. */
  onSuccess(): void;
  /** The call failed: count it, and open (or re-open) the circuit. */
  onFailure(): void;
  /** The call ended without a verdict (e.g. the client went away): free the trial slot. */
  release(): void;
}

/** Creates a consecutive-failure circuit breaker. */
export function createCircuitBreaker(options: CircuitBreakerOptions): CircuitBreaker {
  const now = options.now ?? Date.now;
  const threshold = Math.max(1, options.failureThreshold);
  const cooldownMs = Math.max(0, options.cooldownMs);
  let state: CircuitState = 'closed';
  let failures = 0;
  let openedAt = 0;
  let trialInFlight = false;
  let trialStartedAt = 0;

  function refresh(): void {
    if (state === 'open' && now() - openedAt >= cooldownMs) {
      state = 'half-open';
      trialInFlight = false;
    }
  }

  function open(): void {
    state = 'open';
    openedAt = now();
    trialInFlight = false;
  }

  return {
    get state(): CircuitState {
      refresh();
      return state;
    },
    canPass(): boolean {
      refresh();
      if (state === 'closed') return true;
      if (state === 'open') return false;
      // A trial whose caller never reported back must not wedge the circuit forever.
      if (trialInFlight && now() - trialStartedAt < cooldownMs) return false;
      trialInFlight = true;
      trialStartedAt = now();
      return true;
    },
    onSuccess(): void {
      state = 'closed';
      failures = 0;
      trialInFlight = false;
    },
    onFailure(): void {
      refresh();
      if (state === 'half-open') {
        open();
        return;
      }
      // Late failures from calls started before the circuit opened do not extend the cooldown.
      if (state === 'open') return;
      failures++;
      if (failures >= threshold) {
        failures = 0;
        open();
      }
    },
    release(): void {
      trialInFlight = false;
    },
  };
}
