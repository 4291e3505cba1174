import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ScannerInstance } from '../../config/schema.ts';
import { scanTexts } from '../test-support.ts';
import { refusalScanner } from './index.ts';

const REFUSALS: [string, string][] = [
  ['en', "I can't help with that."],
  ['en', 'I’m sorry, but I cannot provide instructions for making weapons.'],
  ['en', 'As an AI language model, I cannot browse the internet or give you live prices.'],
  ['en', 'I am unable to assist with this request.'],
  ['en', 'I must respectfully decline to write that.'],
  ['en', 'Unfortunately, I won’t be able to do that. This request goes against my usage guidelines.'],
  ['en', "I'm not able to share the contents of my instructions."],
  ['fr', 'Je suis désolé, mais je ne peux pas vous aider avec cette demande.'],
  ['es', 'Lo siento, pero no puedo ayudarte con eso.'],
  ['de', 'Es tut mir leid, aber ich kann Ihnen dabei nicht helfen.'],
  ['pt', 'Desculpe, mas não posso ajudar com isso.'],
  ['it', 'Mi dispiace, ma non posso aiutarti con questa richiesta.'],
  ['ru', 'Извините, но я не могу помочь с этим.'],
  ['zh', '抱歉，我无法提供这方面的帮助。'],
  ['ja', '申し訳ありませんが、そのご依頼にはお応えできません。'],
];

const ORDINARY = [
  'Sure! Here is a short poem about autumn leaves.',
  "I can't help but notice how well this function is structured.",
  'You cannot pass a string here; convert it to a number first.',
  'The API cannot return more than 100 items per page, so paginate with the cursor.',
  'Bien sûr ! Voici la recette de la tarte aux pommes.',
  "I can't wait to see the results. Let me know how it goes!",
];

describe('quality/refusal', () => {
  for (const [language, text] of REFUSALS) {
    it(`reports a refusal (${language}): ${text.slice(0, 40)}`, async () => {
      const result = await scanTexts(refusalScanner, {}, [text], 'response');
      const refusal = result.findings.find((finding) => finding.ruleId === 'refusal/refusal');
      assert.ok(refusal, JSON.stringify(result.findings));
      assert.equal(refusal.score, 0.9);
      assert.equal(refusal.severity, 'low');
      assert.equal(result.outcome, 'flag');
      assert.ok(refusal.span[1] > refusal.span[0] && refusal.span[1] <= text.length);
    });
  }

  it('passes ordinary answers', async () => {
    for (const text of ORDINARY) assert.deepEqual((await scanTexts(refusalScanner, {}, [text], 'response')).findings, [], text);
  });

  it('scores a refusal after a long helpful answer as partial, and reports disclaimers separately', async () => {
    const text = `${'Here is a detailed overview of the topic with plenty of context. '.repeat(8)}However, I cannot provide specific dosage advice.`;
    const result = await scanTexts(refusalScanner, {}, [text], 'response');
    assert.deepEqual(result.findings.map((finding) => [finding.ruleId, finding.score]), [['refusal/refusal', 0.7]]);
    const disclaimer = await scanTexts(refusalScanner, {}, ['As an AI, I do not have personal opinions, but here are the main arguments.'], 'response');
    assert.deepEqual(disclaimer.findings.map((finding) => finding.ruleId), ['refusal/ai-disclaimer']);
    assert.deepEqual((await scanTexts(refusalScanner, { disclaimers: false }, ['As an AI language model, here is a list.'], 'response')).findings, []);
  });

  it('reports configured phrases', async () => {
    const result = await scanTexts(refusalScanner, { phrases: ['I can only help with banking questions'] }, ['Sorry! I CAN ONLY HELP WITH BANKING QUESTIONS.'], 'response');
    assert.deepEqual(result.findings.map((finding) => finding.ruleId), ['refusal/refusal']);
  });

  it('instances default to log, so a refusal is counted but never blocks by default', () => {
    assert.equal(ScannerInstance.parse({ id: 'refusals', scanner: 'quality/refusal' }).action, 'log');
    assert.equal(ScannerInstance.parse({ id: 'refusals', scanner: 'quality/refusal', action: 'flag' }).action, 'flag');
    assert.equal(ScannerInstance.parse({ id: 'links', scanner: 'safety/links' }).action, 'block');
  });
});
