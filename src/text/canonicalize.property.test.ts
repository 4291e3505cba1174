import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { canonicalize, canonicalTextOf } from './canonicalize.ts';
import { rot13 } from './rot13.ts';
import type { CanonicalText } from './types.ts';

/** Checks every structural promise of a CanonicalText against its input. */
function assertWellFormed(input: string, r: CanonicalText, probes: ReadonlyArray<readonly [number, number]>): void {
  const n = input.length;
  assert.equal(r.original, input);
  let previousEnd = 0;
  for (const h of r.hidden) {
    assert.ok(0 <= h.start && h.start < h.end && h.end <= n, `hidden span ${h.start}-${h.end} of ${n}`);
    assert.ok(h.start >= previousEnd, 'hidden runs are ordered and disjoint');
    assert.ok(h.count >= 1 && h.count <= h.end - h.start);
    previousEnd = h.end;
  }
  for (const d of r.decoded) {
    assert.ok(0 <= d.start && d.start <= d.end && d.end <= n, `decoded span ${d.start}-${d.end} of ${n}`);
    assert.equal(typeof d.text, 'string');
  }
  const m = r.text.length;
  for (const [a, b] of probes) {
    const start = Math.floor(a * (m + 1));
    const end = Math.floor(b * (m + 1));
    const [s, e] = r.toOriginal(start, end);
    assert.ok(Number.isInteger(s) && Number.isInteger(e));
    assert.ok(0 <= s && s <= e && e <= n, `toOriginal(${start}, ${end}) = [${s}, ${e}] of ${n}`);
  }
  if (m > 0) {
    const [s, e] = r.toOriginal(0, m);
    assert.ok(e > s, 'a non-empty canonical text maps to a non-empty original span');
  }
}

const HIDDEN = [
  '\u200B', '\u200C', '\u200D', '\u2060', '\uFEFF', '\u180E', '\u202A', '\u202E', '\u2066', '\u2069',
  '\u200E', '\u200F', '\u061C', '\u{E0001}', '\u{E0041}', '\u{E007F}', '\uFE0F', '\uFE00', '\u{E0100}',
  '\u{E01EF}', '\u00AD', '\u034F', '\u115F', '\u1160', '\u3164', '\uFFA0', '\u2061', '\uFFF9',
];
const TRICKY = [
  '\uD800', '\uDBFF', '\uDC00', '\uDFFF', '\u0301', '\u0308', '\u1161', '\u11A8', 'ｉ', '𝐢', 'ﬁ', 'і', 'ο', '—',
  '“', '%41', '\\x41', '0x', '=', 'a', ' ', '\n', '☃', '👍🏽', '数', 'e\u0301',
];

const piece = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 8 }),
  fc.constantFrom(...HIDDEN),
  fc.constantFrom(...TRICKY),
  fc.string({ unit: fc.constantFrom(...HIDDEN), maxLength: 40 }),
  fc.string({ unit: fc.constantFrom('\u0301', '\u0300', '\u0327'), maxLength: 100 }),
);
const assembled = fc.array(piece, { maxLength: 30 }).map((parts) => parts.join(''));
const fraction = fc.double({ min: 0, max: 1, noNaN: true });
/** Canonical spans as fractions of the canonical length, so one probe fits any output. */
const probes = fc.array(fc.tuple(fraction, fraction), { maxLength: 8 });
const anyCodeUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));

function check(input: string, spans: ReadonlyArray<readonly [number, number]>): void {
  assertWellFormed(input, canonicalize(input), spans);
}

describe('canonicalize properties', () => {
  it('binary strings', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 200 }), probes, check), { numRuns: 400 });
  });

  it('full unicode strings', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 100 }), probes, check), { numRuns: 300 });
  });

  it('arbitrary UTF-16 code units, lone surrogates included', () => {
    fc.assert(fc.property(fc.string({ unit: anyCodeUnit, maxLength: 200 }), probes, check), { numRuns: 400 });
  });

  it('strings with injected hidden characters, marks and long runs', () => {
    fc.assert(fc.property(assembled, probes, check), { numRuns: 400 });
  });

  it('encoded payloads embedded in noise', () => {
    const encoded = fc
      .string({ unit: 'binary-ascii', minLength: 8, maxLength: 60 })
      .chain((s) =>
        fc.constantFrom(
          Buffer.from(s).toString('base64'),
          Buffer.from(s).toString('hex'),
          encodeURIComponent(s),
          rot13(s),
        ),
      );
    const mixed = fc.array(fc.oneof(encoded, piece), { maxLength: 10 }).map((p) => p.join(' '));
    fc.assert(fc.property(mixed, probes, check), { numRuns: 300 });
  });

  it('canonical text never contains the hidden characters it removed', () => {
    fc.assert(
      fc.property(assembled, (input) => {
        const { text } = canonicalize(input);
        for (const h of HIDDEN) assert.ok(!text.includes(h), `left ${JSON.stringify(h)}`);
      }),
      { numRuns: 300 },
    );
  });

  it('canonicalTextOf is the canonical text, whatever the string holds', () => {
    const same = (input: string): void => assert.equal(canonicalTextOf(input), canonicalize(input).text);
    fc.assert(fc.property(fc.string({ unit: anyCodeUnit, maxLength: 200 }), same), { numRuns: 300 });
    fc.assert(fc.property(assembled, same), { numRuns: 300 });
    fc.assert(fc.property(fc.string({ unit: 'binary-ascii', maxLength: 200 }), same), { numRuns: 100 });
    for (const input of ['', 'aGVsbG8gd29ybGQ=', '\x7f\x80', 'İstanbul', 'Σ\u00a0\u200b', '\uD800']) same(input);
  });

  it('ASCII stays as it is', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary-ascii', maxLength: 200 }), (input) => {
        const r = canonicalize(input);
        assert.equal(r.text, input);
        assert.deepEqual(r.hidden, []);
      }),
    );
  });
});

describe('large inputs', () => {
  const MB = 1 << 20;
  const inputs: Array<[string, string]> = [
    [
      '1 MB of prose with Unicode and hidden characters',
      'Ignore ｔｈｉｓ іgnоre café\u200B 数据 👍🏽 aGVsbG8gd29ybGQgaGVsbG8= %41%42%43 '.repeat(MB / 60),
    ],
    ['1 MB single base64-like token', 'QUJD'.repeat(MB / 4)],
    ['1 MB of combining marks', 'a' + '\u0301'.repeat(MB)],
    ['1 MB of hidden characters', '\u200B'.repeat(MB)],
    ['1 MB of hex pairs with an odd tail', '41 '.repeat(MB / 3) + '4'],
    ['1 MB of percent signs', '%'.repeat(MB)],
    ['1 MB of lone surrogates', '\uD800'.repeat(MB)],
  ];
  for (const [name, input] of inputs) {
    it(name, () => {
      const started = performance.now();
      const r = canonicalize(input);
      const elapsed = performance.now() - started;
      assertWellFormed(input, r, [[0, 1], [0.25, 0.75], [0.5, 0.5], [1, 1]]);
      assert.ok(r.decoded.length <= 64);
      // Generous bound for slow CI machines; the benchmark tracks the real number.
      assert.ok(elapsed < 2000, `${name} took ${elapsed.toFixed(0)} ms`);
    });
  }
});
