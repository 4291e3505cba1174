import type { IncomingMessage } from 'node:http';
import { BulwarkError } from '../errors/bulwark-error.ts';
import { readBounded } from '../proxy/read-body.ts';

/** Reads a JSON object body within the size limit; every failure names what was expected. */
export async function readJsonBody(request: IncomingMessage, limitBytes: number): Promise<Record<string, unknown>> {
  const type = request.headers['content-type'];
  if (type !== undefined && !/^application\/([a-z.+-]*\+)?json\b/i.test(type)) {
    throw new BulwarkError('BULWARK_UNSUPPORTED_MEDIA_TYPE', `Expected content-type application/json, got "${type.slice(0, 100)}".`);
  }
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limitBytes) {
    request.resume();
    throw new BulwarkError('BULWARK_BODY_TOO_LARGE', `Request body of ${declared} bytes exceeds the limit of ${limitBytes} bytes.`);
  }
  const bytes = await readBounded(request, limitBytes, () => request.resume());
  if (bytes === null) throw new BulwarkError('BULWARK_BODY_TOO_LARGE', `Request body exceeds the limit of ${limitBytes} bytes.`);
  const text = bytes.toString('utf8');
  if (text.trim() === '') throw new BulwarkError('BULWARK_BAD_JSON', 'Request body is empty; expected a JSON object.');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new BulwarkError('BULWARK_BAD_JSON', `Request body is not valid JSON: ${error instanceof Error ? error.message : 'parse error'}.`);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new BulwarkError('BULWARK_BAD_JSON', 'Request body must be a JSON object.');
  return value as Record<string, unknown>;
}
