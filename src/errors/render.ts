import type { WireFormat } from '../wire/types.ts';
import { BulwarkError } from './bulwark-error.ts';
import { errorCatalog } from './catalog.ts';

export interface RenderedError {
  status: number;
  body: Record<string, unknown>;
}

/** Unknown errors become BULWARK_INTERNAL with no internals exposed. */
export function toBulwarkError(error: unknown, requestId: string): BulwarkError {
  if (error instanceof BulwarkError) return error;
  return new BulwarkError('BULWARK_INTERNAL', `Internal error; quote request id ${requestId} to your administrator.`);
}

/** Renders an error in the wire shape of the route the client called, so its SDK can parse it. */
export function renderError(error: BulwarkError, format: WireFormat, requestId: string): RenderedError {
  const entry = errorCatalog[error.code];
  const bulwark = { code: error.code, requestId, ...(error.details ?? {}) };
  if (format === 'anthropic') {
    return {
      status: error.status,
      body: { type: 'error', error: { type: entry.anthropic, message: error.message, code: error.code, bulwark }, request_id: requestId },
    };
  }
  return {
    status: error.status,
    body: { error: { message: error.message, type: entry.openai, param: error.param, code: error.code, bulwark } },
  };
}

/** The same error as one SSE frame, for failures after a stream has started. */
export function renderStreamError(error: BulwarkError, format: WireFormat, requestId: string): string {
  const { body } = renderError(error, format, requestId);
  return format === 'anthropic' ? `event: error\ndata: ${JSON.stringify(body)}\n\n` : `data: ${JSON.stringify(body)}\n\n`;
}
