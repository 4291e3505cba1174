import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { instantiate, scanContext, segment } from '../test-support.ts';
import { canaryScanner, canaryStateKey } from './index.ts';

describe('leak/canary', () => {
  const scanner = instantiate(canaryScanner, {});
  const token = 'bwc7f3a9e21d4';
  const scan = (text: string, withToken = true) => {
    const context = scanContext();
    if (withToken) context.state.set(canaryStateKey, token);
    return scanner.scan({ phase: 'response', segments: [segment(text)] }, context);
  };
  const table: [string, string, boolean][] = [
    ['verbatim', `My instructions say ${token}.`, true],
    ['upper-cased', `TOKEN: ${token.toUpperCase()}`, true],
    ['spaced out', `it is ${[...token].join(' ')} ok`, true],
    ['reversed', [...token].reverse().join(''), true],
    ['base64', Buffer.from(`the secret marker is ${token}`).toString('base64'), true],
    ['fullwidth', [...token].map((c) => String.fromCodePoint(c.codePointAt(0)! + 0xfee0)).join(''), true],
    ['clean answer', 'Paris is the capital of France.', false],
  ];
  for (const [name, text, leaked] of table) {
    it(`${name}: ${leaked ? 'leak' : 'no leak'}`, async () => {
      const result = await scan(text);
      assert.equal(result.findings.length > 0, leaked);
      if (leaked) {
        assert.equal(result.findings[0]?.ruleId, 'canary/leak');
        const [start, end] = result.findings[0]!.span;
        assert.ok(start >= 0 && end <= text.length && start <= end);
      }
    });
  }
  it('finds nothing when the request carried no canary', async () => {
    assert.equal((await scan(`x ${token}`, false)).findings.length, 0);
  });
});
