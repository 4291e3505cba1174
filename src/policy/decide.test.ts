import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { ScannerInstance } from '../config/schema.ts';
import type { InstanceRun } from '../scanners/runner.ts';
import type { ScanResult, ScanSegment } from '../scanners/types.ts';
import { applyEdits, decide, explain, ruleAction } from './decide.ts';

const segment = (id: string, origin: ScanSegment['origin'], text: string): ScanSegment => ({ id, role: 'user', origin, text, canonical: { original: text, text, hidden: [], decoded: [], toOriginal: (s, e) => [s, e] } });
const run = (settings: z.input<typeof ScannerInstance>, result: ScanResult | null, status: InstanceRun['status'] = 'ok'): InstanceRun => ({
  slot: { settings: ScannerInstance.parse(settings), definition: { id: 'test/scanner', description: '', phases: ['request'], configSchema: z.object({}), create: () => ({ scan: () => ({ outcome: 'pass', score: null, findings: [] }) }) }, scanner: { scan: () => ({ outcome: 'pass', score: null, findings: [] }) } },
  status,
  result,
  segmentIds: [],
  latencyMs: 0,
  ...(status === 'ok' ? {} : { error: 'boom' }),
});
const finding = (segmentId: string, score = 1, span: [number, number] = [0, 3]) => ({ ruleId: 'r/x', message: 'm', severity: 'high' as const, score, segmentId, span });

describe('policy decisions', () => {
  const segments = [segment('a', 'user', 'abc def'), segment('b', 'document', 'xyz')];
  const table: { name: string; runs: InstanceRun[]; expected: string }[] = [
    { name: 'no findings allow', runs: [run({ id: 'i', scanner: 's' }, { outcome: 'pass', score: 0, findings: [] })], expected: 'allow' },
    { name: 'block action blocks', runs: [run({ id: 'i', scanner: 's', action: 'block' }, { outcome: 'fail', score: 1, findings: [finding('a')] })], expected: 'block' },
    { name: 'below threshold ignored', runs: [run({ id: 'i', scanner: 's', threshold: 0.9 }, { outcome: 'fail', score: 0.5, findings: [finding('a', 0.5)] })], expected: 'allow' },
    { name: 'log is shadow mode', runs: [run({ id: 'i', scanner: 's', action: 'log' }, { outcome: 'fail', score: 1, findings: [finding('a')] })], expected: 'allow' },
    { name: 'flag', runs: [run({ id: 'i', scanner: 's', action: 'flag' }, { outcome: 'flag', score: 1, findings: [finding('a')] })], expected: 'flag' },
    { name: 'per-origin override', runs: [run({ id: 'i', scanner: 's', action: 'flag', originActions: { document: 'block' } }, { outcome: 'flag', score: 1, findings: [finding('b')] })], expected: 'block' },
    { name: 'redact with edits', runs: [run({ id: 'i', scanner: 's', action: 'redact' }, { outcome: 'fail', score: 1, findings: [finding('a')], edits: [{ segmentId: 'a', start: 0, end: 3, replacement: '[X]' }] })], expected: 'redact' },
    { name: 'redact without edits fails closed', runs: [run({ id: 'i', scanner: 's', action: 'redact' }, { outcome: 'fail', score: 1, findings: [finding('a')] })], expected: 'block' },
    { name: 'scanner error fails closed by default', runs: [run({ id: 'i', scanner: 's' }, null, 'error')], expected: 'block' },
    { name: 'scanner timeout with onError allow passes', runs: [run({ id: 'i', scanner: 's', onError: 'allow' }, null, 'timeout')], expected: 'allow' },
    { name: 'rule action beats origin and instance action', runs: [run({ id: 'i', scanner: 's', action: 'flag', originActions: { user: 'log' }, ruleActions: { 'r/x': 'block' } }, { outcome: 'flag', score: 1, findings: [finding('a')] })], expected: 'block' },
    { name: 'rule glob applies', runs: [run({ id: 'i', scanner: 's', action: 'block', ruleActions: { 'r/*': 'flag' } }, { outcome: 'fail', score: 1, findings: [finding('a')] })], expected: 'flag' },
    { name: 'unmatched rule keeps instance action', runs: [run({ id: 'i', scanner: 's', action: 'flag', ruleActions: { 'q/*': 'block' } }, { outcome: 'flag', score: 1, findings: [finding('a')] })], expected: 'flag' },
    { name: 'strongest wins', runs: [run({ id: 'i', scanner: 's', action: 'flag' }, { outcome: 'flag', score: 1, findings: [finding('a')] }), run({ id: 'j', scanner: 's', action: 'block' }, { outcome: 'fail', score: 1, findings: [finding('b')] })], expected: 'block' },
  ];
  for (const row of table) {
    it(row.name, () => {
      const verdict = decide(row.runs, segments);
      assert.equal(verdict.decision, row.expected, explain(verdict, 'p'));
    });
  }

  it('drops overlapping edits, keeping policy order, and applies the rest', () => {
    const verdict = decide(
      [
        run({ id: 'i', scanner: 's', action: 'redact' }, { outcome: 'fail', score: 1, findings: [finding('a')], edits: [{ segmentId: 'a', start: 0, end: 3, replacement: '[1]' }] }),
        run({ id: 'j', scanner: 's', action: 'redact' }, { outcome: 'fail', score: 1, findings: [finding('a', 1, [2, 5])], edits: [{ segmentId: 'a', start: 2, end: 5, replacement: '[2]' }, { segmentId: 'a', start: 4, end: 7, replacement: '[3]' }] }),
      ],
      segments,
    );
    assert.deepEqual(verdict.edits.map((edit) => edit.replacement), ['[1]', '[3]']);
    assert.equal(applyEdits('abc def', verdict.edits), '[1] [3]');
  });

  it('explains each reason in one line', () => {
    const verdict = decide([run({ id: 'inst', scanner: 's' }, { outcome: 'fail', score: 1, findings: [finding('a')] })], segments);
    assert.match(explain(verdict, 'pol'), /policy "pol" decided block\n- inst: r\/x in user segment a \[0,3\) score 1.00 -> block/);
  });
});

describe('per-rule actions', () => {
  it('prefers an exact id, then the most specific glob', () => {
    const actions = { 'pii/*': 'redact', 'pii/CREDIT_*': 'flag', 'pii/CREDIT_CARD': 'block', '*': 'log' } as const;
    assert.equal(ruleAction(actions, 'pii/CREDIT_CARD'), 'block');
    assert.equal(ruleAction(actions, 'pii/CREDIT_SCORE'), 'flag');
    assert.equal(ruleAction(actions, 'pii/EMAIL'), 'redact');
    assert.equal(ruleAction(actions, 'secrets/aws'), 'log');
    assert.equal(ruleAction({}, 'pii/EMAIL'), undefined);
  });

  it('applies only the edits of findings the policy redacts', () => {
    const text = segment('a', 'user', 'card 4111 mail a@b.c');
    const verdict = decide(
      [
        run(
          { id: 'i', scanner: 's', action: 'flag', ruleActions: { 'pii/EMAIL': 'redact' } },
          {
            outcome: 'fail',
            score: 1,
            findings: [
              { ruleId: 'pii/CARD', message: 'm', severity: 'high', score: 1, segmentId: 'a', span: [5, 9] },
              { ruleId: 'pii/EMAIL', message: 'm', severity: 'medium', score: 1, segmentId: 'a', span: [15, 20] },
            ],
            edits: [
              { segmentId: 'a', start: 5, end: 9, replacement: '<CARD_1>' },
              { segmentId: 'a', start: 15, end: 20, replacement: '<EMAIL_1>' },
            ],
          },
        ),
      ],
      [text],
    );
    assert.equal(verdict.decision, 'redact');
    assert.equal(applyEdits(text.text, verdict.edits), 'card 4111 mail <EMAIL_1>');
  });
});
