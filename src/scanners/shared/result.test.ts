import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Finding } from '../types.ts';
import { buildResult, mergeEdits, outcomeOf, redactedHint } from './result.ts';

const finding = (severity: Finding['severity'], score = 1): Finding => ({ ruleId: 'r', message: 'm', severity, score, segmentId: 's', span: [0, 1] });

describe('shared result helpers', () => {
  it('derives the outcome from severities', () => {
    assert.equal(outcomeOf([]), 'pass');
    assert.equal(outcomeOf([finding('low'), finding('medium')]), 'flag');
    assert.equal(outcomeOf([finding('low'), finding('high')]), 'fail');
    assert.equal(outcomeOf([finding('critical')]), 'fail');
  });

  it('scores a result by its highest finding', () => {
    assert.equal(buildResult([finding('low', 0.2), finding('medium', 0.6)]).score, 0.6);
    assert.deepEqual(buildResult([]), { outcome: 'pass', score: 0, findings: [] });
  });

  it('merges overlapping and touching edits per segment, keeping the first replacement', () => {
    const merged = mergeEdits([
      { segmentId: 'b', start: 0, end: 2, replacement: 'X' },
      { segmentId: 'a', start: 5, end: 9, replacement: 'Y' },
      { segmentId: 'a', start: 0, end: 3, replacement: 'Z' },
      { segmentId: 'a', start: 3, end: 4, replacement: 'W' },
      { segmentId: 'a', start: 6, end: 12, replacement: 'V' },
    ]);
    assert.deepEqual(merged, [
      { segmentId: 'a', start: 0, end: 4, replacement: 'Z' },
      { segmentId: 'a', start: 5, end: 12, replacement: 'Y' },
      { segmentId: 'b', start: 0, end: 2, replacement: 'X' },
    ]);
  });

  it('hints at a value without revealing it', () => {
    assert.equal(redactedHint('hunter2'), 'h… (7 chars)');
    assert.equal(redactedHint('😀ab'), '😀… (3 chars)');
    assert.equal(redactedHint('\u0000x'), '?… (2 chars)');
    assert.equal(redactedHint(''), '(empty)');
  });
});
