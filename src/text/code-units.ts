/**
 * A string's UTF-16 code units copied into a typed array, for the decoders' scans. Indexing a
 * Uint16Array costs a fraction of `String.prototype.charCodeAt`, which must re-check the string's
 * representation (one-byte, two-byte, sliced, ...) on every call and deoptimises on a read past the
 * end; one native copy up front pays for itself within a few dozen characters.
 */

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
/** Zero units written after the text, so scans can read up to two units past the end without bounds checks. */
export const SENTINEL_UNITS = 2;
/** Largest scratch kept between calls (in code units); longer texts get a buffer of their own. */
const MAX_KEPT_UNITS = 1 << 16;

let scratch = new Uint16Array(1024);
/** Byte view of `scratch`, the target of the native UTF-16 copy. */
let scratchBytes = Buffer.from(scratch.buffer, scratch.byteOffset, scratch.byteLength);

/**
 * The code units of `s` (lone surrogates included, exactly as they are), followed by SENTINEL_UNITS
 * zeros: `units[s.length]` and `units[s.length + 1]` are 0. The array may be longer than that, and it is
 * shared: it stays valid only until the next call, so callers finish reading it before anything they
 * call can copy another string.
 */
export function codeUnitsOf(s: string): Uint16Array {
  const len = s.length;
  const needed = len + SENTINEL_UNITS;
  let units = scratch;
  let bytes = scratchBytes;
  if (needed > units.length) {
    units = new Uint16Array(Math.max(needed, Math.min(units.length * 2, MAX_KEPT_UNITS)));
    bytes = Buffer.from(units.buffer, units.byteOffset, units.byteLength);
    if (units.length <= MAX_KEPT_UNITS) {
      scratch = units;
      scratchBytes = bytes;
    }
  }
  if (LITTLE_ENDIAN) {
    bytes.write(s, 0, len * 2, 'utf16le');
  } else {
    for (let i = 0; i < len; i++) units[i] = s.charCodeAt(i);
  }
  units[len] = 0;
  units[len + 1] = 0;
  return units;
}
