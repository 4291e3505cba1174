/**
 * Growable UTF-16 buffer for building the canonical text: cheaper than collecting millions of
 * small string pieces when nearly every character is rewritten.
 */

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const utf16 = new TextDecoder('utf-16le');
const CHUNK = 4096;
/** Slices at least this long are copied by one native UTF-16 write rather than unit by unit. */
const NATIVE_COPY_UNITS = 48;

/** Appends code units and strings, then produces one flat string. */
export class TextBuilder {
  private units: Uint16Array;
  /** Byte view of `units`, the target of the native copy. */
  private bytes: Buffer;
  private length = 0;
  /** Set when a lone surrogate was written; TextDecoder would replace it, so the slow path is used. */
  private loneSurrogate = false;

  constructor(capacity: number) {
    this.units = new Uint16Array(Math.max(16, capacity));
    this.bytes = Buffer.from(this.units.buffer, this.units.byteOffset, this.units.byteLength);
  }

  /** Appends one code unit. */
  push(unit: number): void {
    if (this.length === this.units.length) this.reserve(1);
    this.units[this.length++] = unit;
  }

  /** Copies s[start, end) into the buffer. */
  appendSlice(s: string, start: number, end: number): void {
    this.reserve(end - start);
    if (LITTLE_ENDIAN && end - start >= NATIVE_COPY_UNITS) {
      // Buffer's UTF-16 write copies the units as they are, lone surrogates included.
      this.bytes.write(s.slice(start, end), this.length * 2, (end - start) * 2, 'utf16le');
      this.length += end - start;
      return;
    }
    const units = this.units;
    let n = this.length;
    for (let i = start; i < end; i++) units[n++] = s.charCodeAt(i);
    this.length = n;
  }

  /** Appends a whole string. */
  append(s: string): void {
    this.appendSlice(s, 0, s.length);
  }

  /** Records that a lone surrogate went into the buffer. */
  markLoneSurrogate(): void {
    this.loneSurrogate = true;
  }

  /** The built string; exact even for lone surrogates. */
  toString(): string {
    const view = this.units.subarray(0, this.length);
    if (LITTLE_ENDIAN && !this.loneSurrogate) {
      return utf16.decode(new Uint8Array(view.buffer, view.byteOffset, view.byteLength));
    }
    let out = '';
    for (let i = 0; i < view.length; i += CHUNK) {
      out += String.fromCharCode(...view.subarray(i, i + CHUNK));
    }
    return out;
  }

  private reserve(extra: number): void {
    if (this.length + extra <= this.units.length) return;
    const next = new Uint16Array(Math.max(this.units.length * 2, this.length + extra));
    next.set(this.units.subarray(0, this.length));
    this.units = next;
    this.bytes = Buffer.from(next.buffer, next.byteOffset, next.byteLength);
  }
}
