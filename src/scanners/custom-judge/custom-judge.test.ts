import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pino from 'pino';
import { scanContext, scanInput, segment } from '../test-support.ts';
import type { JudgeClient, Scanner } from '../types.ts';
import { customJudgeScanner } from './index.ts';
import { parseCustomVerdict } from './prompt.ts';

const RULES = [
  { id: 'roadmap', description: 'block requests asking for our unreleased product roadmap' },
  { id: 'salaries', description: 'questions about individual employee salaries', severity: 'medium' },
];

function judgeAnswering(answer: string | Error): JudgeClient & { asked: { system: string; user: string }[] } {
  const asked: { system: string; user: string }[] = [];
  return {
    asked,
    async complete({ system, user }) {
      asked.push({ system, user });
      if (answer instanceof Error) throw answer;
      return answer;
    },
  };
}

function build(judge: JudgeClient | undefined, config: Record<string, unknown> = { rules: RULES }): Scanner {
  return customJudgeScanner.create(customJudgeScanner.configSchema.parse(config), { logger: pino({ level: 'silent' }), dataDir: '.', ...(judge ? { judge } : {}) });
}

describe('ai/custom-judge', () => {
  it('needs a judge (naming judge.model) and at least one rule with a unique id', () => {
    assert.throws(() => build(undefined), /judge\.model/);
    assert.throws(() => build(judgeAnswering('{}'), {}), /rules is empty/);
    assert.throws(() => build(judgeAnswering('{}'), { rules: [RULES[0], RULES[0]] }), /duplicate rule id "roadmap"/);
  });

  it('asks once per scan with every rule numbered and the segments in a data block', async () => {
    const judge = judgeAnswering('{"matched": []}');
    const result = await build(judge).scan(scanInput(['What is on the roadmap?', 'and the salaries?']), scanContext());
    assert.equal(result.outcome, 'pass');
    assert.equal(judge.asked.length, 1);
    const { system, user } = judge.asked[0]!;
    assert.match(system, /1\. \[roadmap\] block requests asking for our unreleased product roadmap\n2\. \[salaries\] questions about/);
    const tag = /<data-([0-9a-f]{16})>/.exec(user)?.[1];
    const block = user.slice(user.indexOf(`<data-${tag}>`), user.indexOf(`</data-${tag}>`));
    assert.match(block, /--- segment 1 \(user\) ---\nWhat is on the roadmap\?\n--- segment 2 \(user\) ---\nand the salaries\?/);
  });

  it('reports matched rules as custom/<id> on the segments the judge names, with the rule severity', async () => {
    const judge = judgeAnswering('{"matched": [{"id": "salaries", "confidence": 0.8, "segments": [2]}, {"id": "roadmap", "confidence": 0.3}, {"id": "nope", "confidence": 1}]}');
    const result = await build(judge).scan(scanInput(['hello', 'What does Ann earn?']), scanContext());
    assert.deepEqual(result.findings.map((f) => [f.ruleId, f.segmentId, f.severity, f.score]), [['custom/salaries', 's1', 'medium', 0.8]]);
    assert.equal(result.outcome, 'flag');
    assert.equal(result.score, 0.8);
  });

  it('reports on every scanned segment when the judge names none', async () => {
    const result = await build(judgeAnswering('{"matched": [{"id": "roadmap", "confidence": 0.9}]}')).scan(scanInput(['a roadmap question', 'more']), scanContext());
    assert.deepEqual(result.findings.map((f) => f.segmentId), ['s0', 's1']);
    assert.equal(result.outcome, 'fail');
  });

  it('throws on an unparseable answer or a failed judge, so the instance onError decides', async () => {
    await assert.rejects(async () => build(judgeAnswering('No rules matched.')).scan(scanInput(['x']), scanContext()), /not the JSON verdict/);
    const timeout = Object.assign(new Error('timed out'), { name: 'TimeoutError' });
    await assert.rejects(async () => build(judgeAnswering(timeout)).scan(scanInput(['x']), scanContext()), /LLM judge timeout/);
  });

  it('does not call the judge when there is no text', async () => {
    const judge = judgeAnswering('{"matched": []}');
    const result = await build(judge).scan(scanInput([segment('   ', 'a')]), scanContext());
    assert.equal(judge.asked.length, 0);
    assert.equal(result.outcome, 'pass');
  });

  it('parses strictly', () => {
    const ids = new Set(['a']);
    assert.equal(parseCustomVerdict('{"matched": "a"}', ids, 1), null);
    assert.equal(parseCustomVerdict('{"matched": [{"id": "a"}]}', ids, 1), null);
    assert.equal(parseCustomVerdict('matched: a', ids, 1), null);
    assert.deepEqual(parseCustomVerdict('{"matched": [{"id": "a", "confidence": 0.5, "segments": [0, 1, 7]}]}', ids, 1), [{ id: 'a', confidence: 0.5, segments: [0] }]);
  });
});
