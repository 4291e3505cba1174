import type { HiddenKind, HiddenRun } from './types.ts';
import { bytesToText, isPlausibleText } from './text-checks.ts';

/** Longest payload we decode out of one run of tag characters or variation selectors. */
const MAX_PAYLOAD = 16_384;

/** Classifies one code point as a hidden character, or undefined; ordered range checks keep it cheap. */
export function hiddenKindOf(cp: number): HiddenKind | undefined {
  if (cp < 0x00ad) return undefined;
  if (cp === 0x00ad || cp === 0x034f) return 'other-invisible';
  if (cp < 0x061c) return undefined;
  if (cp === 0x061c) return 'bidi-control';
  if (cp < 0x115f) return undefined;
  if (cp <= 0x1160) return 'other-invisible';
  if (cp === 0x17b4 || cp === 0x17b5) return 'other-invisible';
  if (cp === 0x180e) return 'zero-width';
  if ((cp >= 0x180b && cp <= 0x180d) || cp === 0x180f) return 'other-invisible';
  if (cp < 0x200b) return undefined;
  if (cp <= 0x200d) return 'zero-width';
  if (cp <= 0x200f) return 'bidi-control';
  if (cp >= 0x202a && cp <= 0x202e) return 'bidi-control';
  if (cp < 0x2060) return undefined;
  if (cp === 0x2060) return 'zero-width';
  if (cp >= 0x2066 && cp <= 0x2069) return 'bidi-control';
  if (cp <= 0x206f) return 'other-invisible';
  if (cp === 0x3164) return 'other-invisible';
  if (cp < 0xfe00) return undefined;
  if (cp <= 0xfe0f) return 'variation-selector';
  if (cp === 0xfeff) return 'zero-width';
  if (cp === 0xffa0) return 'other-invisible';
  if (cp >= 0xfff9 && cp <= 0xfffb) return 'other-invisible';
  if (cp < 0x1bca0) return undefined;
  if (cp <= 0x1bca3) return 'other-invisible';
  if (cp >= 0x1d173 && cp <= 0x1d17a) return 'other-invisible';
  if (cp < 0xe0000) return undefined;
  if (cp <= 0xe007f) return 'tag-character';
  if (cp >= 0xe0100 && cp <= 0xe01ef) return 'variation-selector';
  return undefined;
}

/** Byte value a variation selector smuggles (VS1-16 -> 0-15, VS17-256 -> 16-255), or -1. */
export function variationSelectorByte(cp: number): number {
  if (cp >= 0xfe00 && cp <= 0xfe0f) return cp - 0xfe00;
  if (cp >= 0xe0100 && cp <= 0xe01ef) return cp - 0xe0100 + 16;
  return -1;
}

/** Groups hidden characters, fed in text order, into runs of one kind and decodes their payloads. */
export class HiddenRunCollector {
  private readonly runs: HiddenRun[] = [];
  /** The run being extended: always the last element of `runs`. */
  private open: HiddenRun | undefined;
  private tagText = '';
  private bytes: Uint8Array | undefined;
  private byteCount = 0;

  /** Records the hidden code point `cp` of kind `kind` at original offset `at`, `width` code units wide. */
  add(kind: HiddenKind, cp: number, at: number, width: number): void {
    let run = this.open;
    if (run === undefined || run.kind !== kind || run.end !== at) {
      if (run !== undefined) this.closePayload(run);
      run = { kind, start: at, end: at, count: 0 };
      this.runs.push(run);
      this.open = run;
    }
    run.end = at + width;
    run.count++;
    if (kind === 'tag-character') {
      if (cp >= 0xe0020 && cp <= 0xe007e && this.tagText.length < MAX_PAYLOAD) {
        this.tagText += String.fromCharCode(cp - 0xe0000);
      }
    } else if (kind === 'variation-selector' && this.byteCount < MAX_PAYLOAD) {
      // Grown as needed: most texts carry one selector (an emoji's), and a zeroed MAX_PAYLOAD buffer
      // for it cost more than the rest of the text's canonicalisation.
      if (this.bytes === undefined || this.byteCount === this.bytes.length) this.growBytes();
      this.bytes![this.byteCount++] = variationSelectorByte(cp);
    }
  }

  /** Closes the last run and returns all runs in text order. */
  finish(): HiddenRun[] {
    if (this.open !== undefined) this.closePayload(this.open);
    this.open = undefined;
    return this.runs;
  }

  private growBytes(): void {
    const grown = new Uint8Array(Math.min(MAX_PAYLOAD, Math.max(16, (this.bytes?.length ?? 0) * 2)));
    if (this.bytes !== undefined) grown.set(this.bytes);
    this.bytes = grown;
  }

  private closePayload(run: HiddenRun): void {
    if (run.kind === 'tag-character' && this.tagText.length > 0) {
      run.decoded = this.tagText;
    } else if (run.kind === 'variation-selector' && this.byteCount > 0 && this.bytes !== undefined) {
      // One selector is usually an emoji presentation selector; a lone byte is never a payload worth decoding.
      const text = this.byteCount > 1 ? bytesToText(this.bytes.subarray(0, this.byteCount)) : undefined;
      if (text !== undefined && isPlausibleText(text)) run.decoded = text;
    }
    this.tagText = '';
    this.byteCount = 0;
  }
}
