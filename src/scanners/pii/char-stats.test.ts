import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { countChars, hasUppers, stats } from './char-stats.ts';
import { colonPair, RE } from './structured.ts';

/**
 * Each recogniser runs only when `countChars` says its match can occur; these check that a text
 * in which a pattern does match always opens that pattern's gate. (findStructured also skips IBAN
 * and VAT below 7 digits: no valid value has fewer, though the bare patterns can match.)
 */
const GATES: [string, RegExp, (text: string) => boolean][] = [
  ['ssn', RE.ssn, () => stats.ssnLike > 0],
  ['nine', RE.nine, () => stats.nineLike > 0],
  ['ten', RE.ten, () => stats.tenLike > 0],
  ['twelve', RE.twelve, () => stats.twelveLike > 0],
  ['pan', RE.pan, (text) => stats.panLike > 0 && hasUppers(text, 6)],
  ['nino', RE.nino, () => stats.spaced >= 6 && stats.ninoLike > 0 && stats.ninoTail > 0],
  ['iban', RE.iban, () => stats.ibanLike > 0],
  ['vat', RE.vat, () => stats.vatWords > 0],
  ['dateNum', RE.dateNum, () => stats.dates > 0],
  ['dateName', RE.dateName, () => stats.longestRun >= 4 && stats.months > 0],
  ['idContext', RE.idContext, () => stats.idWords > 0],
  ['zip', RE.zip, () => stats.digits >= 2 && stats.zipWords > 0],
];

// Texts around values shaped like each pattern (fast-check's stringMatching), glued to random pieces
// (keywords in both cases, letters and digits, separators) that may or may not let them match.
const PIECES = ['passport', 'DL', 'MRN', 'Zip', 'DE', 'AB', 'ABCPE', 'Jan', 'x', 'is', 'un', 'C', '0', '12', '2020', '-', '.', '/', ' ', ':', '#', '\n', ',', 'é', '_'];
const SHAPES = [
  /\d{3}-\d{2}-\d{4}|\d{3} \d{2} \d{4}/,
  /\d{9}/,
  /\d{3}[ -]?\d{3}[ -]?\d{4}/,
  /\d{4}[ -]?\d{4}[ -]?\d{4}/,
  /[A-Z]{5}\d{4}[A-Z]/,
  /[A-Za-z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-Da-d]/,
  /[A-Za-z]{2}\d{2}( ?[A-Za-z0-9]){10,30}/,
  /(DE|IT|BE|PL|NL|FR) ?[0-9A-Z]{9,12}/,
  /\d{4}-\d{2}-\d{2}|\d{1,2}[./-]\d{1,2}[./-](\d{4}|\d{2})/,
  /\d{1,2} (jan|Feb|MAR|dec)[a-z]{0,6},? \d{4}|(jan|Feb|MAR|dec)[a-z]{0,6} \d{1,2}(st|th)?,? \d{4}/,
  /(passport|[Dd]river'?s? ?[Ll]icen[cs]e|driving licen[cs]e|licen[cs]e (no|number|#)|dl|DL|medical record|MRN|mrn|patient id|health plan|member id|insurance id|policy (no|number)|beneficiary)[ :#]{0,3}[A-Z0-9]{1,3}\d{0,8}/,
  /(zip( ?code)?|ZIP|post(al)? ?code|postcode|PLZ)([\s:#]|is){0,6}([0-9]{3,5}([ -][0-9]{2,4})?|[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}|[0-9]{4} ?[A-Z]{2})/,
];
const glue = fc.array(fc.constantFrom(...PIECES), { maxLength: 4 }).map((parts) => parts.join(''));
const TEXT = fc.tuple(glue, fc.oneof(...SHAPES.map((shape) => fc.stringMatching(shape))), glue, fc.oneof(...SHAPES.map((shape) => fc.stringMatching(shape))), glue).map((parts) => parts.join(''));

function matches(re: RegExp, text: string): boolean {
  re.lastIndex = 0;
  const found = re.exec(text) !== null;
  re.lastIndex = 0;
  return found;
}

describe('pii char stats: pattern gates', () => {
  const samples = [
    'Pay to DE89 3704 0044 0532 0130 00', 'VAT DE136695976', 'PAN ABCPE1234F', 'NI AB 12 34 56 C', 'ni ab123456c', 'born 04/12/1985', 'on 2024-01-31 10:00',
    'since 5 March 2020', "Driver's License: D1234-5678", 'MRN: 00123456', 'zip code 90210', 'Postcode SW1A 1AA', 'PLZ 10115', 'policy no 77-1234',
  ];
  for (const text of samples) {
    it(`opens every gate whose pattern matches ${JSON.stringify(text)}`, () => {
      countChars(text);
      const open = GATES.filter(([, re]) => matches(re, text));
      assert.ok(open.length > 0, 'the sample matches some pattern');
      for (const [name, , gate] of open) assert.ok(gate(text), name);
    });
  }

  it('never closes the gate of a pattern that matches (random texts)', () => {
    fc.assert(
      fc.property(TEXT, (value) => {
        countChars(value);
        for (const [name, re, gate] of GATES) if (matches(re, value)) assert.ok(gate(value), `${name}: ${JSON.stringify(value)}`);
      }),
      { numRuns: 20000, seed: 42 },
    );
  });

  it('does not take a keyword inside a longer word as a context word', () => {
    assert.equal(matches(RE.idContext, 'unlicense no 12345'), false);
    assert.equal(matches(RE.idContext, 'licence no 12345'), true);
  });
});

describe('pii char stats: the digit window', () => {
  // findStructured runs these on text.slice(firstDigit - 2, lastDigit + 3) only.
  const DIGIT_PATTERNS = [RE.card, RE.ssn, RE.nine, RE.ten, RE.twelve, RE.ipv4, RE.dateNum, RE.phone];
  const all = (re: RegExp, text: string, offset: number): string[] => {
    const found: string[] = [];
    re.lastIndex = 0;
    for (let m = re.exec(text); m !== null; m = re.exec(text)) found.push(`${m.index + offset}:${m[0]}`);
    re.lastIndex = 0;
    return found;
  };
  const PHONEY = fc.stringMatching(/(\+\d{1,3}[ .-]?)?(\(\d{1,4}\)[ .-]?)?\d{2,5}([ .-]\d{2,8}){1,4}( ?(x|ext\.?) ?\d{1,5})?|\d{1,3}(\.\d{1,3}){3}/);
  const TEXT = fc.tuple(glue, fc.oneof(PHONEY, ...SHAPES.slice(0, 6).map((shape) => fc.stringMatching(shape))), glue, fc.oneof(PHONEY, fc.stringMatching(/\d{1,4}[ .\/-]?\d{0,4}/)), glue).map((parts) => parts.join(''));

  it('holds every match of the digit patterns', () => {
    fc.assert(
      fc.property(TEXT, (value) => {
        countChars(value);
        if (stats.firstDigit < 0) return;
        const from = Math.max(0, stats.firstDigit - 2);
        const window = value.slice(from, Math.min(value.length, stats.lastDigit + 3));
        for (const re of DIGIT_PATTERNS) assert.deepEqual(all(re, window, from), all(re, value, 0), `${re.source}: ${JSON.stringify(value)}`);
      }),
      { numRuns: 5000, seed: 7 },
    );
  });

  it('counts a phone core wherever the phone pattern matches', () => {
    for (const text of ['call 555-0134', '+1 (212) 555 0134', '+442079460958', '2125550134', '4111 1111 1111 1111']) {
      countChars(text);
      assert.ok(matches(RE.phone, text) && stats.phoneCore > 0, text);
    }
    for (const text of ['card 4111111111111111', 'a 1-2 b 3.4', '12345678901234']) {
      countChars(text);
      assert.ok(!matches(RE.phone, text) && stats.phoneCore === 0, text);
    }
    fc.assert(
      fc.property(TEXT, (value) => {
        countChars(value);
        if (matches(RE.phone, value)) assert.ok(stats.phoneCore > 0, JSON.stringify(value));
      }),
      { numRuns: 20000, seed: 9 },
    );
  });
});

describe('pii structured: the IPv6 gate', () => {
  // findStructured runs RE.ipv6 only when colonPair finds two colons at most four hex digits apart.
  const HEXY = fc.stringMatching(/([0-9A-Fa-f]{0,5}:{1,2}){1,8}[0-9A-Fa-g]{0,5}|::[0-9a-f]{1,4}/);
  const TEXT = fc.tuple(glue, HEXY, fc.constantFrom('', ' ', ':', 'g', '.', '1'), HEXY, glue).map((parts) => parts.join(''));

  it('is open whenever the pattern matches', () => {
    for (const text of ['::1', 'fe80::1', '2001:db8:0:0:0:0:2:1', 'a:b:c', '1:2:3', 'x ::ffff y']) assert.equal(colonPair(text), true, text);
    for (const text of ['Note: a:', '1:2', 'time 10: 30: 00', 'a:12345:b', '']) assert.equal(colonPair(text), false, text);
    fc.assert(
      fc.property(TEXT, (value) => {
        if (matches(RE.ipv6, value)) assert.ok(colonPair(value), JSON.stringify(value));
      }),
      { numRuns: 20000, seed: 11 },
    );
  });
});

describe('pii char stats: where the letter-led patterns start', () => {
  // findStructured runs these from the index given here on (lastIndex), not from 0.
  const STARTS: [string, RegExp, () => number][] = [
    ['pan', RE.pan, () => Math.max(0, stats.firstDigit - 5)],
    ['nino', RE.nino, () => Math.max(0, stats.firstDigit - 3)],
    ['iban', RE.iban, () => Math.max(0, stats.firstDigit - 2)],
    ['dateName', RE.dateName, () => Math.min(stats.firstDigit, stats.firstMonth)],
    ['idContext', RE.idContext, () => stats.firstIdWord],
  ];
  const first = (re: RegExp, text: string): number => {
    re.lastIndex = 0;
    const m = re.exec(text);
    re.lastIndex = 0;
    return m === null ? -1 : m.index;
  };

  it('finds no match before that index (random texts)', () => {
    for (const text of ['Pay DE89 3704 0044 0532 0130 00', 'since 5 March 2020', 'March 5, 2020 and 2021', 'x passport X1234567', 'NI AB 12 34 56 C', 'PAN ABCPE1234F']) {
      countChars(text);
      for (const [name, re, start] of STARTS) {
        const at = first(re, text);
        if (at >= 0) assert.ok(at >= start(), `${name}: ${JSON.stringify(text)}`);
      }
    }
    fc.assert(
      fc.property(TEXT, (value) => {
        countChars(value);
        for (const [name, re, start] of STARTS) {
          const at = first(re, value);
          if (at >= 0) assert.ok(at >= start() && start() >= 0, `${name}: ${JSON.stringify(value)}`);
        }
      }),
      { numRuns: 20000, seed: 23 },
    );
  });
});
