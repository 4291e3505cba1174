import type { ServerResponse } from 'node:http';
import type { ResponseSink } from '../proxy/sink.ts';

/**
 * A ResponseSink over a Node ServerResponse, honouring backpressure.
 *
 * A class, not an object literal: V8 gives every evaluation of an object literal with a getter its own
 * hidden class, allocated in old space; that dead map then keeps the getter's closure (and through it the
 * whole request: response, socket buffers, handler contexts) alive across young-generation GCs, so every
 * request was promoted (~2.4 KB each on GET /healthz) and scavenges took milliseconds. See ADR 0001.
 */
class HttpSink implements ResponseSink {
  constructor(
    private readonly response: ServerResponse,
    private readonly baseHeaders: Record<string, string>,
  ) {}

  json(status: number, body: unknown, headers: Record<string, string> = {}): void {
    const payload = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
    this.response.writeHead(status, { ...this.baseHeaders, 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), ...headers });
    this.response.end(payload);
  }

  startStream(status: number, headers: Record<string, string>): void {
    this.response.writeHead(status, { ...this.baseHeaders, ...headers });
    this.response.flushHeaders();
  }

  write(frame: string): Promise<void> {
    const response = this.response;
    if (response.destroyed || response.writableEnded) return Promise.resolve();
    if (response.write(frame)) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        response.off('drain', done);
        response.off('close', done);
        resolve();
      };
      response.on('drain', done);
      response.on('close', done);
    });
  }

  end(): void {
    if (!this.response.writableEnded) this.response.end();
  }

  get closed(): boolean {
    return this.response.destroyed && !this.response.writableFinished;
  }
}

export function createHttpSink(response: ServerResponse, baseHeaders: Record<string, string>): ResponseSink {
  return new HttpSink(response, baseHeaders);
}
