import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PII_TYPES } from './entities.ts';
import { detectPii } from './detect.ts';
import { confidenceDivisor, marginConfidence, tagTokensFast } from './infer.ts';
import { mayBeValidPhone } from './structured.ts';
import { defaultTaggerModel, prepareTokens, sentencePositions, skippable, tagTokens, tokenContext } from './tagger.ts';
import { Tokens, tokenize } from './tokens.ts';

// Varied shapes: names, addresses, numbers, punctuation, line breaks, non-Latin letters, colons.
const SAMPLES = [
  'Please send the contract to Maria Gonzalez, 742 Evergreen Terrace, Springfield.',
  'Leonard Arntsen\n\n353 Buerlia 227\n Apt. 391\n SANDEFJORD\n Norway 66455',
  'The U.N. office is at 2519 Semperweg 150 Suite 691 Birmensdorf',
  'Dr. Ōkubo met Ms. Šťastná and Mr. O\'Neil at Acme Corp in São Paulo on Monday, aged 42.',
  'Card 4111 1111 1111 1111, phone +1 (212) 555-0134, mail jane@example.com',
  'say: Hello. Note: Meeting moved. He wrote: Thanks! Q: why? A: because',
  'all lowercase prose with no names at all, just words and commas, and more words.',
  'ÉCOLE NATIONALE SUPÉRIEURE; 東京 大阪; Αθήνα; Москва — “quoted” ‘names’',
  '',
  '12345 67890 x1y2z3 A1B2C3 --- ... ::: ???',
];

describe('pii tagger: compiled inference', () => {
  const model = defaultTaggerModel();

  it('gives the same labels and confidences as the plain tagger', { skip: model === null ? 'no committed model' : false }, () => {
    const tokens = new Tokens();
    for (const text of [...SAMPLES, SAMPLES.join(' '), SAMPLES.join('\n').repeat(20)]) {
      tokenize(text, tokens);
      const n = tokens.count;
      const slow = { labels: new Uint8Array(n), confidence: new Float32Array(n) };
      const fast = { labels: new Uint8Array(n), confidence: new Float32Array(n) };
      const margins = new Float32Array(n);
      tagTokens(model!, tokens, slow.labels, slow.confidence);
      tagTokensFast(model!, tokens, fast.labels, margins);
      for (let i = 0; i < n; i++) fast.confidence[i] = fast.labels[i] === 0 ? 0 : marginConfidence(margins[i]!, confidenceDivisor(model!));
      assert.deepEqual(fast.labels, slow.labels, text.slice(0, 60));
      assert.deepEqual(fast.confidence, slow.confidence, text.slice(0, 60));
    }
  });
});

describe('pii tokenizer and sentence positions', () => {
  it('tokenizes words, digits, punctuation and line starts', () => {
    const tokens = new Tokens();
    const text = 'Hi Ann,\n  call 555-0134 now';
    tokenize(text, tokens);
    const words = Array.from({ length: tokens.count }, (_, i) => text.slice(tokens.start[i], tokens.end[i]));
    assert.deepEqual(words, ['Hi', 'Ann', ',', 'call', '555', '-', '0134', 'now']);
  });

  it('restarts the sentence position after . ! ? : and at line starts', () => {
    const tokens = new Tokens();
    const text = 'Then say: Goodbye and leave. Next one\nLast';
    tokenize(text, tokens);
    const sent = new Int32Array(tokens.count);
    sentencePositions(tokens, sent);
    const at = (word: string): number => sent[Array.from({ length: tokens.count }, (_, i) => text.slice(tokens.start[i], tokens.end[i])).indexOf(word)]!;
    assert.equal(at('Then'), 0);
    assert.equal(at('Goodbye'), 0);
    assert.equal(at('Next'), 0);
    assert.equal(at('Last'), 0);
    assert.equal(at('leave'), 2);
  });
});

describe('pii tagger: skip rule', () => {
  /** The words the skip rule leaves unscored in `text` when every token before them is O. */
  const skipped = (text: string): string[] => {
    const tokens = new Tokens();
    tokenize(text, tokens);
    const ctx = tokenContext(tokens.count);
    prepareTokens(tokens, () => false, ctx);
    const out: string[] = [];
    for (let i = 0; i < tokens.count; i++) if (skippable(tokens, i, 0, ctx)) out.push(text.slice(tokens.start[i], tokens.end[i]));
    return out;
  };

  it('skips capitalised function words and lowercase person and place cue words after an O token', () => {
    assert.deepEqual(skipped('The I Please What My'), ['The', 'I', 'Please', 'What', 'My']);
    assert.deepEqual(skipped('moved to Oslo with Maria in May'), ['moved', 'to', 'with', 'in']);
  });

  it('scores names, listed words, age words and words that are also names or months', () => {
    assert.deepEqual(skipped('Maria Oslo May Will Mark Street Inc'), []);
    assert.deepEqual(skipped('his age is 44 years old'), ['his', 'is']);
  });
});

describe('pii tagger: capitals after a colon or at a sentence start', () => {
  const names = (text: string): string[] =>
    detectPii(text, { types: PII_TYPES })
      .filter((e) => ['PERSON', 'ORGANIZATION', 'LOCATION'].includes(e.type))
      .map((e) => text.slice(e.start, e.end));

  // Ordinary words capitalised only because they open a sentence or follow a colon.
  for (const text of ['Then say: Goodbye to the old office.', 'He wrote: Thanks for the quick reply.', 'Please say: Hello to the new team.', 'Translate this and say: Goodbye', 'Reply: Sure.', 'Reminder: Submit the form by noon.', 'It worked. Markets rallied after that.']) {
    it(`finds no name in ${JSON.stringify(text)}`, () => assert.deepEqual(names(text), []));
  }

  it('still finds a name after a colon', () => {
    assert.ok(names('Contact: Jane Doe').includes('Jane Doe'));
    assert.ok(names('Patient: John Smith').includes('John Smith'));
  });
});

describe('pii phone prefilter', () => {
  it('lets through every shape libphonenumber can call valid without a + (US region)', () => {
    for (const value of ['2125550134', '212-555-0134', '(212) 555-0134 x12', '1 212 555 0134', '12125550134', '011 44 20 7946 0958', '310-9000', '3105550']) {
      assert.equal(mayBeValidPhone(value), true, value);
    }
    assert.equal(mayBeValidPhone('+442079460958'), true);
  });

  it('rejects lengths no NANP number has', () => {
    for (const value of ['5550134', '20794609581', '02079460958', '923456789', '5551234567890']) assert.equal(mayBeValidPhone(value), false, value);
  });
});
