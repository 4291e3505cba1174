import type { ServerResponse } from 'node:http';
import type { ResponseSink } from '../proxy/sink.ts';

/** A ResponseSink over a Node ServerResponse, honouring backpressure. */
export function createHttpSink(response: ServerResponse, baseHeaders: Record<string, string>): ResponseSink {
  return {
    json(status, body, headers = {}) {
      const payload = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
      response.writeHead(status, { ...baseHeaders, 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), ...headers });
      response.end(payload);
    },
    startStream(status, headers) {
      response.writeHead(status, { ...baseHeaders, ...headers });
      response.flushHeaders();
    },
    write(frame) {
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
    },
    end() {
      if (!response.writableEnded) response.end();
    },
    get closed() {
      return response.destroyed && !response.writableFinished;
    },
  };
}
