import type { Readable } from 'node:stream';
import { BulwarkError } from '../errors/bulwark-error.ts';

/** Reads an upstream body as UTF-8, refusing bodies over the limit instead of buffering without end. */
export async function readBodyText(body: Readable, limitBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buffer.length;
    if (size > limitBytes) {
      body.destroy();
      throw new BulwarkError('BULWARK_UPSTREAM_ERROR', `Upstream response exceeded ${limitBytes} bytes.`);
    }
    chunks.push(buffer);
  }
  return chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8');
}
