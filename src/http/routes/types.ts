import type { IncomingMessage } from 'node:http';
import type { RequestAccess } from '../../proxy/admission.ts';
import type { Gateway } from '../../proxy/gateway.ts';
import type { ResponseSink } from '../../proxy/sink.ts';
import type { WireFormat } from '../../wire/types.ts';
import type { CancelSignal } from '../../runtime/cancel-signal.ts';

export interface RouteContext {
  gateway: Gateway;
  /** The authenticated caller and its limit tickets (principal null: public route or anonymous loopback). */
  access: RequestAccess;
  request: IncomingMessage;
  requestId: string;
  /** Aborts when the client goes away. */
  signal: CancelSignal;
  sink: ResponseSink;
  readBody(): Promise<Record<string, unknown>>;
  /** Values of the `{name}` segments of a templated path (admin routes); empty for plain paths. */
  params: Readonly<Record<string, string>>;
  isReady(): boolean;
}

/** One HTTP route: its errors are rendered in `format`. */
export interface RouteDefinition {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** `admin`: skip API-key authentication; the handler authenticates an admin credential itself (`src/http/routes/admin/`), never anonymously. */
  auth?: 'admin';
  path: string;
  /** Stable name used in events and metrics. */
  name: string;
  format: WireFormat;
  handle(context: RouteContext): Promise<void> | void;
}
