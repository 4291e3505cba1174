import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canaryScanner, canaryStateKey } from '../canary/index.ts';
import { hiddenCharactersScanner } from '../hidden-characters/index.ts';
import { termListScanner } from '../term-list/index.ts';
import { instantiate, scanContext, scanInput, scanTexts } from '../test-support.ts';
import { unsettledTail } from './stream-tail.ts';

describe('stream tails: what a growing answer must keep back', () => {
  it('holds trailing invisible characters and long encoded-looking runs only', () => {
    assert.equal(unsettledTail('Hello there '), 0);
    assert.equal(unsettledTail('Hello there'), 0, 'a short word is settled');
    assert.equal(unsettledTail('payload aGVsbG8gd29y'), 12);
    assert.equal(unsettledTail('hi\u200b\u200c'), 2);
    assert.equal(unsettledTail(`x${String.fromCodePoint(0xe0041)}`), 2);
  });

  it('term-list keeps back exactly the beginning of a listed phrase', async () => {
    const config = { terms: ['forbidden phrase'] };
    assert.equal((await scanTexts(termListScanner, config, ['all fine here. '], 'response-stream')).tail, 0);
    assert.equal((await scanTexts(termListScanner, config, ['all fine here. the forbid'], 'response-stream')).tail, 'forbid'.length);
    assert.equal((await scanTexts(termListScanner, config, ['all fine here. the Forbidden  phr'], 'response-stream')).tail, 'Forbidden  phr'.length);
    assert.equal((await scanTexts(termListScanner, config, ['all fine here. the forbidden phr'], 'request')).tail, undefined, 'no tail outside streams');
  });

  it('canary keeps back a possible start of the token, spaced or reversed', async () => {
    const scanner = instantiate(canaryScanner, {});
    const context = scanContext();
    context.state.set(canaryStateKey, 'bwc0123456789ab');
    const tail = async (text: string) => (await scanner.scan(scanInput([text], 'response-stream'), context)).tail;
    assert.equal(await tail('The answer is 42. '), 0);
    assert.equal(await tail('marker: bwc01'), 5);
    assert.equal(await tail('marker: b w c 0'), 7);
    assert.equal(await tail('reversed: ba98'), 4);
  });

  it('hidden characters keep back a trailing invisible run', async () => {
    assert.equal((await scanTexts(hiddenCharactersScanner, {}, ['ok\u200d'], 'response-stream')).tail, 1);
    assert.equal((await scanTexts(hiddenCharactersScanner, {}, ['ok'], 'response-stream')).tail, 0);
  });
});
