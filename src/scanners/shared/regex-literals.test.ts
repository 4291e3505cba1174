import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SIGNATURES } from '../injection/signatures.ts';
import { patternAnchor } from './anchors.ts';
import { regexBranches } from './regex-branches.ts';
import { buildFoldTable, requiredLiterals, type Formula } from './regex-literals.ts';

const fold = buildFoldTable();

/** Formula as text: `a & b`, `[a|b]`, `*` for no requirement. */
function show(formula: Formula): string {
  if (formula === true) return '*';
  if ('atom' in formula) return JSON.stringify(formula.atom);
  if ('and' in formula) return `(${formula.and.map(show).join(' & ')})`;
  return `[${formula.or.map(show).join('|')}]`;
}

const of = (pattern: RegExp): string => show(requiredLiterals(pattern, fold));

function atomsOf(formula: Formula, into: Set<string>): Set<string> {
  if (formula !== true) {
    if ('atom' in formula) into.add(formula.atom);
    else for (const part of 'and' in formula ? formula.and : formula.or) atomsOf(part, into);
  }
  return into;
}

describe('required literals of a RegExp', () => {
  it('folds case and reads a run of whitespace as one space', () => {
    assert.equal(of(/Ignore\s+Previous/iu), '"ignore previous"');
    assert.equal(of(/from\s+now\s*,?\s+on/iu), '["from now on"|"from now, on"|"from now , on"]');
    assert.equal(of(/a[ \t]+b/u), '"a b"');
    assert.equal(of(/a\n\s*b/u), '"a b"');
  });

  it('expands small finite pieces and joins the rest with AND', () => {
    assert.equal(of(/instructions?/iu), '["instruction"|"instructions"]');
    assert.equal(of(/(?:dan|god)\s+mode\b/iu), '["dan mode"|"god mode"]');
    assert.equal(of(/pr[ée]vias/iu), '["prévias"|"previas"]');
    assert.equal(of(/ignore\s+(?:\w+\s+){0,3}rules/iu), '("ignore " & "rules")');
    assert.equal(of(/x+yz/u), '("x" & "yz")');
  });

  it('keeps pieces either side of zero-width assertions adjacent', () => {
    assert.equal(of(/\bfoo\b(?!bar)baz/u), '"foobaz"');
    assert.equal(of(/(?<![\p{L}])über/iu), '"über"');
  });

  it('asks nothing of what it does not read: classes, dots, backreferences, optional pieces', () => {
    assert.equal(of(/[a-z]+/u), '*');
    assert.equal(of(/.{3}/u), '*');
    assert.equal(of(/(a)\1/u), '"a"');
    assert.equal(of(/\cJx/), '"x"');
    assert.equal(of(new RegExp(String.raw`\12x`)), '"x"');
    assert.equal(of(/(?:secret)?/u), '*');
    assert.equal(of(/foo|[^a]/u), '*');
    assert.equal(of(new RegExp(String.raw`[\p{L}--[a-z]]`, 'v')), '*');
  });

  it('folds every code unit a case-insensitive signature treats as equal to the same unit', () => {
    // Each code unit of the BMP (surrogates excluded) in one string; each atom character of the
    // signatures (and of their branches' leading strings, anchors.ts) is searched for
    // case-insensitively, and every unit found must fold like it.
    let all = '';
    for (let unit = 0; unit < 65536; unit++) if (unit < 0xd800 || unit > 0xdfff) all += String.fromCharCode(unit);
    const chars = new Set<string>();
    for (const signature of SIGNATURES) for (const atom of atomsOf(requiredLiterals(signature.pattern, fold), new Set())) for (const char of atom) chars.add(char);
    for (const signature of SIGNATURES) for (const branch of regexBranches(signature.pattern)) for (const atom of patternAnchor(branch, fold)?.strings ?? []) for (const char of atom) chars.add(char);
    assert.ok(chars.size > 100, `expected the signatures' atoms to use many characters, got ${chars.size}`);
    let checked = 0;
    for (const char of chars) {
      if (char === ' ') continue;
      for (const flags of ['giu', 'gi']) {
        const escaped = char.replace(/[\\\]^-]/g, '\\$&');
        for (const match of all.matchAll(new RegExp(`[${escaped}]`, flags))) {
          checked++;
          assert.equal(fold[match[0].charCodeAt(0)], fold[char.charCodeAt(0)], `U+${match[0].charCodeAt(0).toString(16)} matches ${JSON.stringify(char)} under ${flags} but folds differently`);
        }
      }
    }
    assert.ok(checked > chars.size, 'upper and lower case forms were checked');
  });
});
