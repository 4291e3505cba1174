import { formatSse } from '../sse.ts';

/** Anthropic's documented error types (https://docs.anthropic.com/en/api/errors). */
export type AnthropicErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'permission_error'
  | 'not_found_error'
  | 'request_too_large'
  | 'rate_limit_error'
  | 'api_error'
  | 'overloaded_error'
  | (string & {});

/** Anthropic's error envelope, which its SDK turns into typed APIError subclasses. */
export interface AnthropicErrorBody {
  type: 'error';
  error: { type: string; message: string };
  request_id?: string;
}

/** Builds an Anthropic error body; `requestId` adds the top-level request_id Anthropic includes. */
export function anthropicErrorBody(e: { type: AnthropicErrorType; message: string; requestId?: string }): AnthropicErrorBody {
  const body: AnthropicErrorBody = { type: 'error', error: { type: e.type, message: e.message } };
  if (e.requestId !== undefined) body.request_id = e.requestId;
  return body;
}

/** A mid-stream error frame: Anthropic sends `event: error` with the error body. */
export function anthropicStreamErrorFrame(e: { type: AnthropicErrorType; message: string }): string {
  return formatSse({ event: 'error', data: JSON.stringify(anthropicErrorBody(e)) });
}
