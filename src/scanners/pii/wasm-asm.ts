/**
 * A tiny WebAssembly assembler: just enough of the binary format (one memory, imported and
 * exported functions with i32 parameters, i32/v128 locals, the opcodes named in `op`) to write
 * the PII kernels as readable listings in TypeScript, with no toolchain. See `wasm-tagger.ts`.
 */

/** Unsigned LEB128. */
export function uleb(value: number): number[] {
  const out: number[] = [];
  let v = value >>> 0;
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}

/** Signed LEB128 of a 32-bit integer. */
export function sleb(value: number): number[] {
  const out: number[] = [];
  let v = value | 0;
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

export const I32 = 0x7f;
export const F32 = 0x7d;
export const V128 = 0x7b;
const EMPTY = 0x40;

/** Memory argument: alignment (log2 bytes) and a constant offset. */
const mem = (code: number[], align: number) => (offset = 0): number[] => [...code, align, ...uleb(offset)];
const simd = (code: number): number[] => [0xfd, ...uleb(code)];

/** Instructions, each a byte sequence (those with an immediate are functions). */
export const op = {
  get: (local: number): number[] => [0x20, ...uleb(local)],
  set: (local: number): number[] => [0x21, ...uleb(local)],
  tee: (local: number): number[] => [0x22, ...uleb(local)],
  i32: (value: number): number[] => [0x41, ...sleb(value)],
  f32zero: [0x43, 0, 0, 0, 0],
  load: mem([0x28], 2),
  load16u: mem([0x2f], 1),
  load8u: mem([0x2d], 0),
  store: mem([0x36], 2),
  store8: mem([0x3a], 0),
  storef32: mem([0x38], 2),
  add: [0x6a],
  sub: [0x6b],
  mul: [0x6c],
  and: [0x71],
  or: [0x72],
  xor: [0x73],
  shl: [0x74],
  shrU: [0x76],
  eqz: [0x45],
  eq: [0x46],
  ne: [0x47],
  ltS: [0x48],
  ltU: [0x49],
  leS: [0x4c],
  geU: [0x4f],
  return: [0x0f],
  call: (index: number): number[] => [0x10, ...uleb(index)],
  geS: [0x4e],
  gtS: [0x4a],
  select: [0x1b],
  f32FromI32: [0xb2],
  block: [0x02, EMPTY],
  loop: [0x03, EMPTY],
  if: [0x04, EMPTY],
  else: [0x05],
  end: [0x0b],
  br: (depth: number): number[] => [0x0c, ...uleb(depth)],
  brIf: (depth: number): number[] => [0x0d, ...uleb(depth)],
  v128load: (offset = 0): number[] => [...simd(0), 4, ...uleb(offset)],
  i32x4Add: simd(174),
  i32x4ExtendLowI16s: simd(167),
  i32x4ExtendHighI16s: simd(168),
  i32x4Lane: (lane: number): number[] => [...simd(27), lane],
};

export interface WasmFunction {
  name: string;
  params: number;
  /** Result types (none when omitted). */
  results?: number[];
  /** Extra locals in order after the parameters, as [count, type] runs. */
  locals: [number, number][];
  body: number[][];
}

function section(id: number, content: number[]): number[] {
  return [id, ...uleb(content.length), ...content];
}

function vec(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

/** A module with one exported memory (`memory`, `pages` initial) and the given exported functions (i32 params). */
/** A function the module imports from JavaScript (i32 parameters). */
export interface WasmImport {
  module: string;
  name: string;
  params: number;
  results?: number[];
}

const signature = (f: { params: number; results?: number[] }): number[] => [0x60, ...uleb(f.params), ...new Array<number>(f.params).fill(I32), ...uleb(f.results?.length ?? 0), ...(f.results ?? [])];

/**
 * A module with one exported memory (`memory`, `pages` initial), the given imported functions
 * (function indices 0..imports-1, for `op.call`) and the given exported functions after them.
 */
export function assemble(functions: readonly WasmFunction[], pages: number, imports: readonly WasmImport[] = []): Uint8Array<ArrayBuffer> {
  const types = [...imports.map(signature), ...functions.map(signature)];
  const name = (s: string): number[] => [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];
  const bodies = functions.map((f) => {
    const code = [...vec(f.locals.map(([count, type]) => [...uleb(count), type])), ...f.body.flat(), 0x0b];
    return [...uleb(code.length), ...code];
  });
  const first = imports.length;
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0,
    ...section(1, vec(types)),
    ...(imports.length > 0 ? section(2, vec(imports.map((f, k) => [...name(f.module), ...name(f.name), 0x00, ...uleb(k)]))) : []),
    ...section(3, vec(functions.map((_, k) => uleb(first + k)))),
    ...section(5, vec([[0x00, ...uleb(pages)]])),
    ...section(7, vec([[...name('memory'), 0x02, 0], ...functions.map((f, k) => [...name(f.name), 0x00, ...uleb(first + k)])])),
    ...section(10, vec(bodies)),
  ]);
}
