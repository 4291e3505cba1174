import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pino from 'pino';
import { usesJudge } from '../shared/judge.ts';
import { scanContext, scanInput, scanTexts, segment } from '../test-support.ts';
import type { JudgeClient } from '../types.ts';
import { findingScore, topicsScanner, TopicsConfig } from './index.ts';
import { KeywordMatcher, cosine, tokenize, vectorize } from './lexical.ts';

const MEDICAL = {
  name: 'medical-advice',
  keywords: ['diagnosis', 'dosage', 'dose', 'prescription', 'prescribed', 'symptoms', 'medication', 'medicine', 'ibuprofen', 'paracetamol', 'antibiotic*', 'fever'],
  examples: ['What medication should I take for my headache?', 'How much ibuprofen can I take per day?', 'Do my symptoms mean I have an infection?', 'Should I stop taking my antibiotics early?'],
};
const BANKING = {
  name: 'banking',
  keywords: ['account', 'card', 'transfer', 'balance', 'loan', 'mortgage', 'payment', 'bank*', 'savings'],
  examples: ['How do I transfer money to another account?', 'My card was declined at the store', 'What is my account balance?', 'How can I apply for a loan?'],
};

const ids = (result: { findings: { ruleId: string }[] }): string[] => result.findings.map((finding) => finding.ruleId);

describe('safety/topics: lexical parts', () => {
  it('matches keywords as whole words, case-folded, with prefix wildcards and phrases', () => {
    const matcher = new KeywordMatcher(['dose', 'antibiotic*', 'blood pressure']);
    assert.equal(matcher.hits(tokenize('Double the DOSE of your Antibiotics? Check your Blood  Pressure first.')), 3);
    assert.equal(matcher.hits(tokenize('The dosed overdose of blood tests')), 0, 'no partial words, no broken phrases');
  });

  it('scores paraphrases above unrelated text', () => {
    const example = vectorize(tokenize('How much ibuprofen can I take per day?').map((token) => token.word));
    const near = cosine(vectorize(tokenize('how many ibuprofen tablets per day can I take').map((token) => token.word)), example);
    const far = cosine(vectorize(tokenize('Can you write a poem about the sea?').map((token) => token.word)), example);
    assert.ok(near > 0.5 && far < 0.05, `near ${near}, far ${far}`);
  });

  it('maps the topic threshold to a finding score of 0.5 and certainty to 1', () => {
    assert.equal(findingScore(0.4, 0.4), 0.5);
    assert.equal(findingScore(1, 0.4), 1);
    assert.ok(findingScore(0.7, 0.4) > 0.5 && findingScore(0.7, 0.4) < 1);
  });
});

describe('safety/topics: banned topics', () => {
  it('reports a banned topic on the window that carries it', async () => {
    const text = 'Thanks for the update on my parcel. Separately, I have a fever and a sore throat: what dose of paracetamol should I take? Also, when do you open?';
    const result = await scanTexts(topicsScanner, { topics: [MEDICAL] }, [text]);
    assert.deepEqual(ids(result), ['topics/medical-advice']);
    const [finding] = result.findings;
    assert.equal(finding!.severity, 'high');
    assert.ok(finding!.score >= 0.5);
    assert.ok(text.slice(...finding!.span).includes('paracetamol'));
    assert.ok(!finding!.evidence!.includes('paracetamol'), 'evidence carries counts, not text');
  });

  it('passes unrelated requests, and a lone keyword in passing', async () => {
    for (const text of ['How do I reset my online banking password?', 'Can you write a poem about the sea?', 'The trial results were published by the university, and the fever of the campaign is over.']) {
      assert.deepEqual((await scanTexts(topicsScanner, { topics: [MEDICAL] }, [text])).findings, [], text);
    }
  });

  it('leaves the system prompt out by default (it names the topics it forbids)', async () => {
    const system = segment('Never give medical advice: no diagnosis, no dosage, no medication or prescription recommendations.', 'sys', 'system');
    assert.deepEqual((await scanTexts(topicsScanner, { topics: [MEDICAL] }, [system])).findings, []);
    assert.deepEqual(ids(await scanTexts(topicsScanner, { topics: [MEDICAL], origins: ['system'] }, [system])), ['topics/medical-advice']);
  });

  it('rejects topics without keywords or examples, bad names and duplicates, naming the field', () => {
    const empty = TopicsConfig.safeParse({ topics: [{ name: 'empty' }] });
    assert.ok(!empty.success && empty.error.issues.some((issue) => issue.path.join('.') === 'topics.0'));
    assert.ok(!TopicsConfig.safeParse({ topics: [{ name: 'Medical Advice', keywords: ['x'] }] }).success);
    assert.throws(() => topicsScanner.create(TopicsConfig.parse({ topics: [MEDICAL], allowedTopics: [MEDICAL] }), { logger: pino({ level: 'silent' }), dataDir: '.' }), /duplicate topic name "medical-advice"/);
  });
});

describe('safety/topics: off-topic', () => {
  const config = { allowedTopics: [BANKING] };

  it('flags text that matches none of the allowed topics, and passes on-topic and short text', async () => {
    const off = await scanTexts(topicsScanner, config, ['Can you write me a poem about the sea and the stars?']);
    assert.deepEqual(ids(off), ['topics/off-topic']);
    assert.equal(off.findings[0]!.severity, 'medium');
    assert.equal(off.findings[0]!.score, 1);
    assert.deepEqual((await scanTexts(topicsScanner, config, ['I lost my debit card yesterday, please block it and send a new card.'])).findings, []);
    assert.deepEqual((await scanTexts(topicsScanner, config, ['Thanks a lot!'])).findings, [], 'short text is never off-topic');
  });
});

describe('safety/topics: LLM judge layer', () => {
  const WARRANTY = { name: 'warranty', keywords: ['warranty', 'repair'], threshold: 0.5, judge: true };

  it('sends uncertain scores to the judge, whose verdict decides', async () => {
    // The test judge matches a rule when its id appears in the judged text.
    const judged = await scanTexts(topicsScanner, { topics: [WARRANTY] }, ['Does my warranty still apply?', 'Can you fix my phone? It needs a repair.']);
    assert.deepEqual(ids(judged), ['topics/warranty']);
    assert.equal(judged.findings[0]!.segmentId, 's0');
    assert.equal(judged.findings[0]!.score, 0.9, 'the judge\'s confidence');
    assert.deepEqual(judged.notes, ['judge on segment s0: 1 of 1 uncertain topic(s) on topic', 'judge on segment s1: 0 of 1 uncertain topic(s) on topic']);
  });

  it('keeps the lexical decision with a note when the judge fails, and needs a judge to start', async () => {
    const failing: JudgeClient = { complete: async () => Promise.reject(new Error('upstream down')) };
    const scanner = topicsScanner.create(TopicsConfig.parse({ topics: [WARRANTY] }), { logger: pino({ level: 'silent' }), dataDir: '.', judge: failing });
    const result = await scanner.scan(scanInput(['Does my warranty still apply?']), scanContext());
    assert.deepEqual(result.findings, [], 'one keyword stays below the threshold');
    assert.ok(result.notes?.some((note) => note.includes('lexical decision kept')));
    assert.throws(() => topicsScanner.create(TopicsConfig.parse({ topics: [WARRANTY] }), { logger: pino({ level: 'silent' }), dataDir: '.' }), /judge\.model/);
    assert.ok(usesJudge('safety/topics', { topics: [WARRANTY] }) && !usesJudge('safety/topics', { topics: [MEDICAL] }));
  });
});
