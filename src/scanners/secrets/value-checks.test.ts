import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { keyKind } from './keys.ts';
import { charClasses, hasFakeMarker, hasRepeat, hasSequence, isPlaceholder, isUuid, isWordLike, plausiblePassword, plausibleToken, shannonEntropy } from './value-checks.ts';

describe('secret value checks', () => {
  it('computes Shannon entropy and character classes', () => {
    assert.equal(shannonEntropy(''), 0);
    assert.equal(shannonEntropy('aaaa'), 0);
    assert.equal(shannonEntropy('abcd'), 2);
    assert.deepEqual(charClasses('aB3$'), { lower: 1, upper: 1, digit: 1, symbol: 1, kinds: 4 });
  });

  it('recognises placeholders and references', () => {
    for (const value of ['${DB_PASSWORD}', '$TOKEN', '%API_KEY%', '{{ secret }}', '<your-key>', '[REDACTED]', '********', 'xxxxxxxx', 'ENC(Zm9vYmFyYmF6)', 'getenv("X")', 'changeme', 'None']) {
      assert.ok(isPlaceholder(value), value);
    }
    for (const value of ['Vq7!mR2x', 'hunter2x9', 'R7kQ2mXw9TzP4vLc']) assert.ok(!isPlaceholder(value), value);
  });

  it('spots documentation markers, hand-typed sequences and repeats', () => {
    assert.ok(hasFakeMarker('AKIAIOSFODNN7EXAMPLE'));
    assert.ok(hasFakeMarker('these-are-not-the-tokens-you-are-looking-for'));
    assert.ok(!hasFakeMarker('R7kQ2mXw9TzP4vLc'));
    assert.ok(hasSequence('x123456y') && hasSequence('abcdefgh') && hasSequence('zz76543210'));
    assert.ok(!hasSequence('a1b2c3d4e5') && !hasSequence('12345'));
    assert.ok(hasRepeat('aaaaaa') && !hasRepeat('aaaaa'));
  });

  it('tells words and UUIDs from secrets', () => {
    for (const value of ['upload_slot_2', 'blue_river_delta', 'Integer', 'NEVER', 'camelCaseName']) assert.ok(isWordLike(value), value);
    assert.ok(!isWordLike('qzvbnt4'));
    assert.ok(isUuid('3f2b8c1e-9a7d-4e2b-8c1f-2a9b7d4e6c10'));
  });

  it('judges password and token plausibility', () => {
    assert.ok(plausiblePassword('marble!') && plausiblePassword('qzvbnt4') && plausiblePassword('TRqwPLmzNk'));
    assert.ok(!plausiblePassword('Lisbon') && !plausiblePassword('4417') && !plausiblePassword('***'));
    assert.ok(plausibleToken('Wm4rTq8zKp2Lx7Nc', 3));
    assert.ok(!plausibleToken('upload_slot_2', 3) && !plausibleToken('aaaaaaaaaaaa', 3) && !plausibleToken('https://example.org/a.png', 3));
  });

  it('reads what a name says about its value', () => {
    assert.equal(keyKind('db_password'), 'password');
    assert.equal(keyKind('MYSQL_ROOT_PASSWORD'), 'password');
    assert.equal(keyKind('PSWRD'), 'password');
    assert.equal(keyKind('AwsSecretKey'), 'secret');
    assert.equal(keyKind('api_key'), 'secret');
    assert.equal(keyKind('key_wrap'), 'key');
    for (const name of ['password_id', 'token_url', 'bypass', 'passing', 'author', 'secret_name', 'user_name']) assert.equal(keyKind(name), null, name);
  });
});
