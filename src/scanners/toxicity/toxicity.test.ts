import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { scanTexts } from '../test-support.ts';
import { toxicityScanner } from './index.ts';

describe('safety/toxicity', () => {
  it('reports per-category findings', async () => {
    const harassment = await scanTexts(toxicityScanner, {}, ['You are a worthless idiot and everyone hates you.']);
    assert.ok(harassment.findings.some((finding) => finding.ruleId === 'toxicity/harassment'));
    const violence = await scanTexts(toxicityScanner, {}, ['I will find you and beat you to death.']);
    assert.ok(violence.findings.some((finding) => finding.ruleId === 'toxicity/violence'));
    assert.ok(violence.score! >= 0.5);
  });

  it('passes ordinary text', async () => {
    const result = await scanTexts(toxicityScanner, {}, ['Thanks, that was really helpful! See you at the meeting tomorrow.', 'The function returns a promise that resolves to the file contents.'], 'response');
    assert.deepEqual(result.findings, []);
    assert.equal(result.outcome, 'pass');
  });

  it('reports only the listed categories, and the overall head when asked', async () => {
    const text = 'You are a worthless idiot and everyone hates you.';
    const only = await scanTexts(toxicityScanner, { categories: ['sexual'] }, [text]);
    assert.ok(only.findings.every((finding) => finding.ruleId === 'toxicity/sexual' || finding.ruleId === 'toxicity/toxic'));
    assert.ok(only.findings.some((finding) => finding.ruleId === 'toxicity/toxic'));
    const none = await scanTexts(toxicityScanner, { categories: ['sexual'], overall: false }, [text]);
    assert.ok(none.findings.every((finding) => finding.ruleId === 'toxicity/sexual'));
  });
});
