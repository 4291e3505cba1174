import { Pool } from 'undici';

/** Result of one fixed-rate run: per-request latencies in ms, and how many failed. */
export interface LoadResult {
  latencies: number[];
  errors: number;
  durationMs: number;
  sent: number;
}

/** Open-loop load: sends `rate` requests per second for `seconds`, whatever the server's pace, and times each. */
export async function runFixedRate(options: { origin: string; path: string; body: string; rate: number; seconds: number; connections: number; headers?: Record<string, string> }): Promise<LoadResult> {
  const pool = new Pool(options.origin, { connections: options.connections, pipelining: 1, keepAliveTimeout: 30_000 });
  const latencies: number[] = [];
  let errors = 0;
  let sent = 0;
  const total = Math.round(options.rate * options.seconds);
  const intervalMs = 1000 / options.rate;
  const inflight = new Set<Promise<void>>();
  const started = performance.now();
  const fire = (): void => {
    const begin = performance.now();
    const job = pool
      .request({ method: 'POST', path: options.path, body: options.body, headers: { 'content-type': 'application/json', ...options.headers } })
      .then(async (response) => {
        await response.body.arrayBuffer();
        if (response.statusCode !== 200) errors += 1;
        else latencies.push(performance.now() - begin);
      })
      .catch(() => {
        errors += 1;
      })
      .finally(() => inflight.delete(job));
    inflight.add(job);
  };
  await new Promise<void>((resolve) => {
    const tick = (): void => {
      const due = Math.min(total, Math.floor((performance.now() - started) / intervalMs) + 1);
      while (sent < due) {
        sent += 1;
        fire();
      }
      if (sent >= total) resolve();
      else setTimeout(tick, Math.max(0, Math.min(1, started + sent * intervalMs - performance.now())));
    };
    tick();
  });
  await Promise.all(inflight);
  const durationMs = performance.now() - started;
  await pool.close();
  return { latencies, errors, durationMs, sent };
}

/** The q-quantile (0..1) of unsorted values. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}
