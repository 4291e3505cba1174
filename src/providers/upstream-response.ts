import type { Readable } from 'node:stream';

/** Statuses worth another try on the same provider: overload, rate limits, timeouts, server faults. */
export function isRetryableStatus(status: number): boolean {
  return status >= 500 || status === 408 || status === 429;
}

/** Non-retryable 4xx: the client's request is at fault, so no retry and no fallback. */
export function isClientError(status: number): boolean {
  return status >= 400 && status < 500 && !isRetryableStatus(status);
}

const TIMEOUT_CODES: ReadonlySet<string> = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT']);

/** Classifies a thrown transport error; only a short code is kept, since messages can name hosts. */
export function classifyError(err: unknown): { kind: 'timeout' | 'network'; code: string } {
  const code = (err as { code?: unknown } | null)?.code;
  const name = typeof code === 'string' ? code : err instanceof Error ? err.name : 'unknown';
  return { kind: TIMEOUT_CODES.has(name) ? 'timeout' : 'network', code: name };
}

type RawHeaders = Record<string, string | string[] | undefined>;

function headerValue(headers: RawHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Milliseconds the upstream asked us to wait (`retry-after-ms`, or `retry-after` seconds or date); null when absent. */
export function retryAfterMs(headers: RawHeaders, now: number = Date.now()): number | null {
  const ms = headerValue(headers, 'retry-after-ms');
  if (ms !== undefined && ms.trim() !== '') {
    const value = Number(ms);
    if (Number.isFinite(value) && value >= 0) return value;
  }
  const raw = headerValue(headers, 'retry-after');
  if (raw === undefined || raw.trim() === '') return null;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return seconds >= 0 ? seconds * 1000 : null;
  const date = Date.parse(raw);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/** Flattens undici's headers; reuses the object when no header repeats (the common case). */
export function flattenHeaders(headers: RawHeaders): Record<string, string> {
  for (const value of Object.values(headers)) {
    if (typeof value !== 'string') return copyFlattened(headers);
  }
  return headers as Record<string, string>;
}

function copyFlattened(headers: RawHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/** Largest error body read; the rest is discarded so a hostile upstream cannot balloon memory. */
export const ERROR_BODY_LIMIT = 64 * 1024;

/**
 * Reads a failed response's body (parsed as JSON when it is JSON, else text) so the
 * socket goes back to the pool; never throws.
 */
export async function readErrorBody(body: Readable, limit: number = ERROR_BODY_LIMIT): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body) {
      const buf = chunk as Buffer;
      size += buf.length;
      if (size > limit) {
        // Too big to keep: close it rather than download the rest.
        body.destroy();
        break;
      }
      chunks.push(buf);
    }
  } catch {
    // A broken error body is no worse than an empty one.
  }
  if (chunks.length === 0) return undefined;
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text.slice(0, 2_000);
  }
}
