import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { instantiate, scanTexts } from '../test-support.ts';
import { compilePattern } from './compile.ts';
import { regexScanner } from './index.ts';

const employee = { patterns: [{ id: 'employee-id', pattern: 'EMP-[0-9]{6}', severity: 'high' }] };

function schemaIssues(config: unknown): string[] {
  const parsed = regexScanner.configSchema.safeParse(config);
  return parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

describe('text/regex', () => {
  it('finds a match, maps it, and proposes a redaction', async () => {
    const text = 'my id is EMP-123456, ok';
    const result = await scanTexts(regexScanner, employee, [text]);
    assert.equal(result.outcome, 'fail');
    assert.equal(result.score, 1);
    const finding = result.findings[0]!;
    assert.equal(finding.ruleId, 'regex/employee-id');
    assert.deepEqual(finding.span, [9, 19]);
    assert.equal(finding.evidence, 'E… (10 chars)');
    assert.deepEqual(result.edits, [{ segmentId: 's0', start: 9, end: 19, replacement: '[REDACTED]' }]);
  });

  const rejected: [string, string, RegExp][] = [
    ['a backreference', '(a)\\1', /RE2 cannot compile pattern "bad": .*backreferences are not supported/],
    ['a lookahead', 'foo(?=bar)', /RE2 cannot compile pattern "bad": .*lookahead and lookbehind are not supported/],
    ['a lookbehind', '(?<!x)foo', /RE2 cannot compile pattern "bad": .*lookahead and lookbehind/],
    ['broken syntax', 'a[b', /RE2 cannot compile pattern "bad": missing \]/],
  ];
  for (const [name, pattern, message] of rejected) {
    it(`rejects ${name} with the pattern id and the reason`, () => {
      const issues = schemaIssues({ patterns: [{ id: 'ok', pattern: 'x' }, { id: 'bad', pattern }] });
      assert.equal(issues.length, 1, issues.join('\n'));
      assert.match(issues[0]!, /^patterns\.1\.pattern: /);
      assert.match(issues[0]!, message);
      // create() checks again, for callers that skip the schema.
      assert.throws(() => compilePattern('bad', pattern, ''), message);
    });
  }

  it('rejects duplicate ids and unknown flags', () => {
    assert.deepEqual(schemaIssues({ patterns: [{ id: 'a', pattern: 'x' }, { id: 'a', pattern: 'y' }] }), ['patterns.1.id: duplicate pattern id "a"']);
    assert.equal(schemaIssues({ patterns: [{ id: 'a', pattern: 'x', flags: 'g' }] }).length, 1);
    assert.equal(schemaIssues({ patterns: [{ id: 'a', pattern: 'x', flags: 'ii' }] }).length, 1);
  });

  it('runs a catastrophic-backtracking pattern in linear time', async () => {
    const config = { patterns: [{ id: 'evil', pattern: '(a+)+$' }] };
    const started = performance.now();
    const miss = await scanTexts(regexScanner, config, [`${'a'.repeat(30_000)}!`]);
    const elapsed = performance.now() - started;
    assert.equal(miss.outcome, 'pass');
    assert.ok(elapsed < 250, `took ${elapsed} ms`);
    const hit = await scanTexts(regexScanner, config, ['a'.repeat(30_000)]);
    assert.deepEqual(hit.findings.map((f) => f.span), [[0, 30_000]]);
  });

  it('honours flags', async () => {
    const config = { patterns: [{ id: 'ci', pattern: 'secret', flags: 'i' }, { id: 'dot', pattern: 'a.b', flags: 's' }, { id: 'line', pattern: '^x$', flags: 'm' }] };
    const result = await scanTexts(regexScanner, config, ['SeCrEt a\nb\nx\n']);
    assert.deepEqual(result.findings.map((f) => f.ruleId).sort(), ['regex/ci', 'regex/dot', 'regex/line']);
  });

  it('matches the canonical view and maps spans back', async () => {
    const fullwidth = 'id ＥＭＰ－１２３４５６ end';
    const result = await scanTexts(regexScanner, employee, [fullwidth, 'id EMP-12\u200b3456']);
    assert.deepEqual(result.findings.map((f) => [f.segmentId, f.span]), [['s0', [3, 13]], ['s1', [3, 14]]]);
    const off = await scanTexts(regexScanner, { ...employee, scanCanonical: false }, [fullwidth]);
    assert.equal(off.outcome, 'pass');
  });

  it('reports a match found in both views once', async () => {
    const result = await scanTexts(regexScanner, employee, ['EMP-123456 \u200b']);
    assert.equal(result.findings.length, 1);
  });

  it('finds matches inside decoded runs', async () => {
    const encoded = Buffer.from('the id is EMP-654321 fyi').toString('base64');
    const text = `see ${encoded}`;
    const result = await scanTexts(regexScanner, employee, [text]);
    assert.deepEqual(result.findings.map((f) => f.span), [[4, text.length]]);
    assert.match(result.findings[0]!.message, /base64/);
  });

  it('skips empty matches without looping', async () => {
    const result = await scanTexts(regexScanner, { patterns: [{ id: 'empty', pattern: 'x*' }] }, ['ab😀c\uD800 x']);
    assert.deepEqual(result.findings.map((f) => f.span), [[7, 8]]);
  });

  it('reports UTF-16 spans after astral characters', async () => {
    const text = '😀😀 EMP-111111';
    const result = await scanTexts(regexScanner, employee, [text]);
    assert.equal(text.slice(...result.findings[0]!.span), 'EMP-111111');
  });

  it('gives the same matches with the set prefilter as without', async () => {
    const patterns = [
      { id: 'named', pattern: '(?<k>key)-\\d+' },
      { id: 'letters', pattern: '\\p{Lu}\\p{Ll}+', severity: 'low' },
      { id: 'word', pattern: '\\bcat\\b', flags: 'i' },
      { id: 'never', pattern: 'zzzz' },
    ];
    const text = 'Key-1 key-22 CAT concat Émile';
    const together = await scanTexts(regexScanner, { patterns }, [text]);
    const alone = (await Promise.all(patterns.map((p) => scanTexts(regexScanner, { patterns: [p] }, [text])))).flatMap((r) => r.findings);
    const key = (f: { ruleId: string; span: [number, number] }): string => `${f.ruleId}@${f.span.join('-')}`;
    assert.deepEqual(together.findings.map(key).sort(), alone.map(key).sort());
    assert.equal(together.findings.length, 4);
  });

  it('caps findings but not edits, and merges touching edits', async () => {
    const result = await scanTexts(regexScanner, { patterns: [{ id: 'digit', pattern: '[0-9]' }], maxFindings: 2 }, ['1 2 3 45']);
    assert.equal(result.findings.length, 2);
    assert.deepEqual(result.edits?.map((e) => [e.start, e.end]), [[0, 1], [2, 3], [4, 5], [6, 8]]);
  });

  it('uses the severity for the outcome', async () => {
    const result = await scanTexts(regexScanner, { patterns: [{ id: 'soft', pattern: 'maybe', severity: 'medium' }] }, ['maybe']);
    assert.equal(result.outcome, 'flag');
  });

  it('creates with defaults and passes everything', async () => {
    const scanner = instantiate(regexScanner);
    assert.equal((await scanTexts(regexScanner, {}, ['anything'])).outcome, 'pass');
    assert.ok(scanner);
  });
});
