import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ExportSink } from './sinks.ts';

/** Header carrying `t=<unix seconds>,v1=<hex HMAC-SHA256 over "<t>.<body>">`. */
export const SIGNATURE_HEADER = 'x-bulwark-signature';
/** Header carrying the batch's idempotency key (SHA-256 of the body, hex): a retried or re-exported batch keeps its key. */
export const IDEMPOTENCY_HEADER = 'idempotency-key';

/** The signature header value for a body at time `t` (unix seconds). */
export function signBody(secret: string, t: number, body: string): string {
  const mac = createHmac('sha256', secret).update(`${t}.${body}`, 'utf8').digest('hex');
  return `t=${t},v1=${mac}`;
}

/**
 * Checks a signature header as a receiver should: HMAC over `t.body`, constant-time compare,
 * and a timestamp within `toleranceSeconds` of `now` (replay protection).
 */
export function verifySignature(secret: string, header: string | undefined, body: string, now = Math.floor(Date.now() / 1000), toleranceSeconds = 300): boolean {
  if (header === undefined) return false;
  const match = /^t=(\d{1,12}),v1=([0-9a-f]{64})$/.exec(header);
  if (!match) return false;
  const t = Number(match[1]);
  if (Math.abs(now - t) > toleranceSeconds) return false;
  const expected = Buffer.from(signBody(secret, t, body).slice(`t=${t},v1=`.length), 'hex');
  return timingSafeEqual(expected, Buffer.from(match[2]!, 'hex'));
}

export interface WebhookOptions {
  url: string;
  /** HMAC key; never logged. */
  secret: string;
  contentType: string;
  /** Lines per POST (default 500). */
  batchSize?: number;
  /** Tries per batch, the first included (default 5). */
  maxAttempts?: number;
  /** Back-off before the second try; doubles each time, capped at 30 s (default 500). */
  baseDelayMs?: number;
  /** Per-request timeout (default 10 000). */
  timeoutMs?: number;
  /** Reports each failed try (status or error message; never the secret or the body). */
  onRetry?: (info: { attempt: number; status: number | null; error: string | null; delayMs: number }) => void;
}

/** Whether a response status is worth retrying: 408, 425, 429 and 5xx. */
function retryable(status: number): boolean {
  return status === 408 || status === 425 || status === 429 || status >= 500;
}

/** POSTs batches of lines with an HMAC signature and an idempotency key; retries with exponential back-off. */
export function webhookSink(options: WebhookOptions): ExportSink & { batches: number } {
  const batchSize = Math.max(1, options.batchSize ?? 500);
  const maxAttempts = Math.max(1, options.maxAttempts ?? 5);
  const baseDelayMs = Math.max(0, options.baseDelayMs ?? 500);
  let pending: string[] = [];
  const sink = {
    batches: 0,
    async write(lines: readonly string[]): Promise<void> {
      for (const line of lines) {
        pending.push(line);
        if (pending.length >= batchSize) await send();
      }
    },
    async close(): Promise<void> {
      if (pending.length > 0) await send();
    },
  };

  async function send(): Promise<void> {
    const body = `${pending.join('\n')}\n`;
    pending = [];
    const key = createHash('sha256').update(body, 'utf8').digest('hex');
    for (let attempt = 1; ; attempt++) {
      let status: number | null = null;
      let error: string | null = null;
      try {
        const t = Math.floor(Date.now() / 1000);
        const response = await fetch(options.url, {
          method: 'POST',
          body,
          headers: { 'content-type': options.contentType, [SIGNATURE_HEADER]: signBody(options.secret, t, body), [IDEMPOTENCY_HEADER]: key },
          signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
        });
        await response.arrayBuffer().catch(() => undefined);
        status = response.status;
        if (response.ok) {
          sink.batches++;
          return;
        }
        if (!retryable(status)) throw new Error(`webhook answered ${status} (not retryable); batch ${key.slice(0, 16)} not delivered`);
      } catch (err) {
        if (status !== null && !retryable(status)) throw err;
        error = (err as Error).message;
      }
      if (attempt >= maxAttempts) throw new Error(`webhook: batch ${key.slice(0, 16)} not delivered after ${attempt} tries (last: ${status ?? error})`);
      const delayMs = Math.min(30_000, baseDelayMs * 2 ** (attempt - 1));
      options.onRetry?.({ attempt, status, error, delayMs });
      await sleep(delayMs);
    }
  }
  return sink;
}
