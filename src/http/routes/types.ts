import type { IncomingMessage } from 'node:http';
import type { RequestAccess } from '../../proxy/admission.ts';
import type { Gateway } from '../../proxy/gateway.ts';
import type { ResponseSink } from '../../proxy/sink.ts';
import type { WireFormat } from '../../wire/types.ts';

export interface RouteContext {
  gateway: Gateway;
  /** The authenticated caller and its limit tickets (principal null: public route or anonymous loopback). */
  access: RequestAccess;
  request: IncomingMessage;
  requestId: string;
  /** Aborts when the client goes away. */
  signal: AbortSignal;
  sink: ResponseSink;
  readBody(): Promise<Record<string, unknown>>;
  isReady(): boolean;
}

/** One HTTP route: its errors are rendered in `format`. */
export interface RouteDefinition {
  method: 'GET' | 'POST';
  path: string;
  /** Stable name used in events and metrics. */
  name: string;
  format: WireFormat;
  handle(context: RouteContext): Promise<void> | void;
}
