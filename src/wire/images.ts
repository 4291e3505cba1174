import type { ContentPart } from './types.ts';

type ImagePart = Extract<ContentPart, { type: 'image' }>;

/** Turns an image URL into a canonical image part, decoding data URLs so Anthropic's base64 source can carry them. */
export function imagePartFromUrl(url: string): ImagePart {
  const match = /^data:([^;,]*)((?:;[^;,]*)*),(.*)$/s.exec(url);
  if (match === null) return { type: 'image', url };
  const mediaType = match[1] !== undefined && match[1] !== '' ? match[1] : 'image/png';
  const params = match[2] ?? '';
  const payload = match[3] ?? '';
  const data = /;base64/i.test(params)
    ? payload
    : Buffer.from(decodeURIComponent(payload), 'utf8').toString('base64');
  return { type: 'image', mediaType, data };
}

/** The URL form of a canonical image: its own URL, or a base64 data URL. */
export function imagePartToUrl(part: ImagePart): string {
  if (part.data !== undefined) return `data:${part.mediaType ?? 'image/png'};base64,${part.data}`;
  return part.url ?? '';
}
