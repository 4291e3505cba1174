/** Stable error codes: clients and runbooks depend on them, so never rename one. */
export const errorCatalog = {
  BULWARK_BAD_JSON: { status: 400, openai: 'invalid_request_error', anthropic: 'invalid_request_error' },
  BULWARK_INVALID_REQUEST: { status: 400, openai: 'invalid_request_error', anthropic: 'invalid_request_error' },
  BULWARK_UNSUPPORTED_MEDIA_TYPE: { status: 415, openai: 'invalid_request_error', anthropic: 'invalid_request_error' },
  BULWARK_BODY_TOO_LARGE: { status: 413, openai: 'invalid_request_error', anthropic: 'request_too_large' },
  BULWARK_UNKNOWN_MODEL: { status: 404, openai: 'invalid_request_error', anthropic: 'not_found_error' },
  BULWARK_NOT_FOUND: { status: 404, openai: 'invalid_request_error', anthropic: 'not_found_error' },
  BULWARK_METHOD_NOT_ALLOWED: { status: 405, openai: 'invalid_request_error', anthropic: 'invalid_request_error' },
  BULWARK_POLICY_BLOCKED: { status: 400, openai: 'invalid_request_error', anthropic: 'invalid_request_error' },
  BULWARK_UNSUPPORTED_OPERATION: { status: 400, openai: 'invalid_request_error', anthropic: 'invalid_request_error' },
  BULWARK_UPSTREAM_ERROR: { status: 502, openai: 'server_error', anthropic: 'api_error' },
  BULWARK_UPSTREAM_TIMEOUT: { status: 504, openai: 'server_error', anthropic: 'api_error' },
  BULWARK_UPSTREAM_UNAVAILABLE: { status: 503, openai: 'server_error', anthropic: 'overloaded_error' },
  BULWARK_SHUTTING_DOWN: { status: 503, openai: 'server_error', anthropic: 'overloaded_error' },
  BULWARK_INTERNAL: { status: 500, openai: 'server_error', anthropic: 'api_error' },
} as const satisfies Record<string, { status: number; openai: string; anthropic: string }>;

export type ErrorCode = keyof typeof errorCatalog;
