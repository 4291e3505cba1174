import { BulwarkError } from '../errors/bulwark-error.ts';
import type { UpstreamResult } from '../providers/upstream-client.ts';

/** Turns a failed upstream call into the client-facing error; upstream bodies are summarised, never forwarded raw. */
export function upstreamError(result: Extract<UpstreamResult, { ok: false }>, eventId: string): BulwarkError {
  const details = { eventId, provider: result.provider ?? null, attempts: result.attempts.length };
  switch (result.kind) {
    case 'http': {
      const status = result.status ?? 502;
      const message = upstreamMessage(result.errorBody) ?? `upstream answered ${status}`;
      // Client errors (bad parameters) keep their status so SDKs raise the right class.
      return new BulwarkError('BULWARK_UPSTREAM_ERROR', `Upstream error: ${message}`, { status: status >= 400 && status < 500 ? status : 502, details });
    }
    case 'timeout':
      return new BulwarkError('BULWARK_UPSTREAM_TIMEOUT', `Upstream did not answer in time (${result.message}).`, { details });
    case 'unsupported':
      return new BulwarkError('BULWARK_UNSUPPORTED_OPERATION', result.message, { details });
    default:
      return new BulwarkError('BULWARK_UPSTREAM_UNAVAILABLE', `No upstream provider could serve the request (${result.message}).`, { details });
  }
}

function upstreamMessage(body: unknown): string | null {
  if (!body || typeof body !== 'object') return null;
  const error = (body as { error?: unknown }).error;
  if (error && typeof error === 'object' && typeof (error as { message?: unknown }).message === 'string') return ((error as { message: string }).message).slice(0, 500);
  return null;
}
