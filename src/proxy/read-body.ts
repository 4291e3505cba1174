import type { Readable } from 'node:stream';
import { finished } from 'node:stream';
import { BulwarkError } from '../errors/bulwark-error.ts';

/**
 * Collects a stream's bytes, or null as soon as they pass `limitBytes`; the stream is then handed to
 * `onOverflow` (default: destroyed). Rejects with the stream's error, or when it closes before its end.
 *
 * Listeners, not `for await`: the async iterator costs about 2 KB per body (its end-of-stream watcher and a
 * promise per chunk), paid twice per chat request; young-generation GCs follow bytes allocated (ADR 0001).
 */
export function readBounded(body: Readable, limitBytes: number, onOverflow?: () => void): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    let first: Buffer | null = null;
    let more: Buffer[] | null = null;
    let size = 0;
    let overflowed = false;
    body.on('data', (chunk: Buffer | string) => {
      if (overflowed) return;
      const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      size += buffer.length;
      if (size > limitBytes) {
        overflowed = true;
        first = null;
        more = null;
        if (onOverflow) onOverflow();
        else body.destroy();
        resolve(null);
        return;
      }
      if (first === null) first = buffer;
      else (more ??= [first]).push(buffer);
    });
    finished(body, (error) => {
      if (overflowed) return;
      if (error) {
        reject(error);
        return;
      }
      const bytes = more !== null ? Buffer.concat(more, size) : (first ?? Buffer.alloc(0));
      // The listener stays on the stream, which may outlive this read: it must not keep the chunks.
      first = null;
      more = null;
      resolve(bytes);
    });
  });
}

/** Reads an upstream body as UTF-8, refusing bodies over the limit instead of buffering without end. */
export async function readBodyText(body: Readable, limitBytes: number): Promise<string> {
  const bytes = await readBounded(body, limitBytes);
  if (bytes === null) throw new BulwarkError('BULWARK_UPSTREAM_ERROR', `Upstream response exceeded ${limitBytes} bytes.`);
  return bytes.toString('utf8');
}
