import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatJsonPath, getAtPath, setAtPath } from './json-path.ts';

describe('json-path', () => {
  const body = () => ({ messages: [{ content: 'a' }, { content: [{ type: 'text', text: 'b' }] }] });

  it('reads nested values and returns undefined for missing steps', () => {
    const b = body();
    assert.equal(getAtPath(b, ['messages', 1, 'content', 0, 'text']), 'b');
    assert.equal(getAtPath(b, ['messages', 5, 'content']), undefined);
    assert.equal(getAtPath(b, ['messages', 'x']), undefined);
    assert.equal(getAtPath(b, ['messages', 0, 'content', 'length']), undefined);
    assert.equal(getAtPath(b, []), b);
  });

  it('does not treat inherited properties as present', () => {
    assert.equal(getAtPath({}, ['toString']), undefined);
  });

  it('writes in place and refuses paths that do not exist', () => {
    const b = body();
    setAtPath(b, ['messages', 0, 'content'], 'edited');
    setAtPath(b, ['messages', 1, 'content', 0, 'text'], 'also');
    assert.equal(b.messages[0]?.content, 'edited');
    assert.equal(getAtPath(b, ['messages', 1, 'content', 0, 'text']), 'also');
    assert.throws(() => setAtPath(b, ['messages', 9, 'content'], 'x'), RangeError);
    assert.throws(() => setAtPath(b, ['messages', 2], 'x'), RangeError);
    assert.throws(() => setAtPath(b, [], 'x'), RangeError);
  });

  it('formats paths for messages', () => {
    assert.equal(formatJsonPath(['messages', 2, 'content']), 'messages[2].content');
    assert.equal(formatJsonPath([0, 'a']), '[0].a');
    assert.equal(formatJsonPath([]), '');
  });
});
