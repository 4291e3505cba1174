import type { CancelSignal } from '../runtime/cancel-signal.ts';
/** Backoff settings; the route's `retry` block fits this shape. */
export interface BackoffOptions {
  backoffMs: number;
  maxBackoffMs: number;
  /** full: anywhere in [0, cap]; equal (default): in [cap/2, cap], so a retry always waits a little. */
  jitter?: 'full' | 'equal';
}

/** Delay before retry number `attempt` (1 = first retry): exponential, capped, jittered. */
export function backoffDelay(attempt: number, options: BackoffOptions, random: () => number = Math.random): number {
  const exponent = Math.max(0, Math.min(attempt - 1, 30));
  const cap = Math.max(0, Math.min(options.maxBackoffMs, options.backoffMs * 2 ** exponent));
  const r = Math.min(1, Math.max(0, random()));
  const delay = options.jitter === 'full' ? cap * r : cap / 2 + (cap / 2) * r;
  return Math.round(delay);
}

function abortError(signal: CancelSignal): unknown {
  return signal.reason ?? new DOMException('The operation was aborted', 'AbortError');
}

/** Waits `ms`; rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: CancelSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(abortError(signal));
  if (ms <= 0 && !signal) return Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortError(signal!));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, Math.max(0, ms));
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
