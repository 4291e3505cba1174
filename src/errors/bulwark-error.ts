import { errorCatalog, type ErrorCode } from './catalog.ts';

/** The one error type the gateway throws on purpose; rendered in one place per wire format. */
export class BulwarkError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  /** The request field at fault, when there is one (OpenAI's `param`). */
  readonly param: string | null;
  /** Extra machine-readable detail sent to the client (never internals). */
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, options: { status?: number; param?: string | null; details?: Record<string, unknown>; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'BulwarkError';
    this.code = code;
    this.status = options.status ?? errorCatalog[code].status;
    this.param = options.param ?? null;
    this.details = options.details;
  }
}
