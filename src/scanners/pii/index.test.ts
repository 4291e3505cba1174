import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { instantiate, scanContext, scanInput, scanTexts } from '../test-support.ts';
import type { ScanResult } from '../types.ts';
import { detectPii, piiScanner } from './index.ts';
import { luhnValid } from './validators.ts';

const types = (text: string): string[] => detectPii(text).map((e) => e.type);
const found = (text: string): string[] => detectPii(text).map((e) => `${e.type}:${text.slice(e.start, e.end)}`);
const ruleIds = (result: ScanResult): string[] => result.findings.map((f) => f.ruleId);

describe('detectPii: precision cases', () => {
  const clean: [string, string][] = [
    ['Call me at 5 pm', 'a time is not a phone number'],
    ['Upgrade to version 1.2.3.4 today', 'a version is not an IP address'],
    ['Order #4111111111111112 has shipped', 'Luhn-invalid order number'],
    ['Your order number 1234567812345678 is confirmed', 'no issuer range starts with 1'],
    ['Invoice ref 4539 1488 0343 6467 was paid', 'a valid-looking card after an order/reference word'],
    ['The meeting moved to room 42 on the third floor.', 'small numbers'],
    ['The weather is nice today and we went for a walk.', 'plain prose'],
    ['Pi is 3.14159265 and e is 2.71828', 'decimals'],
  ];
  for (const [text, why] of clean) {
    it(`finds nothing sensitive in ${JSON.stringify(text)} (${why})`, () => {
      const sensitive = types(text).filter((type) => !['DATE_TIME', 'TITLE', 'NRP', 'AGE'].includes(type));
      assert.deepEqual(sensitive, []);
    });
  }
});

describe('detectPii: recognisers', () => {
  const cases: [string, string][] = [
    ['Email jane.doe@acme.co.uk now', 'EMAIL_ADDRESS:jane.doe@acme.co.uk'],
    ['My card is 4111 1111 1111 1111.', 'CREDIT_CARD:4111 1111 1111 1111'],
    ['Pay to DE89 3704 0044 0532 0130 00 please', 'IBAN_CODE:DE89 3704 0044 0532 0130 00'],
    ['My SSN is 536-22-1234', 'US_SSN:536-22-1234'],
    ['ITIN 912-70-1234 on file', 'US_ITIN:912-70-1234'],
    ['routing number 021000021', 'US_BANK_ROUTING:021000021'],
    ['NHS number 943 476 5919', 'UK_NHS:943 476 5919'],
    ['National Insurance AB 12 34 56 C', 'UK_NINO:AB 12 34 56 C'],
    ['Aadhaar 2345 6789 0124', 'IN_AADHAAR:2345 6789 0124'],
    ['PAN ABCPE1234F', 'IN_PAN:ABCPE1234F'],
    ['VAT id DE136695976', 'EU_VAT:DE136695976'],
    ['passport number X1234567', 'PASSPORT:X1234567'],
    ["driver's license: D1234-5678", 'US_DRIVER_LICENSE:D1234-5678'],
    ['Patient MRN: 00123456', 'MEDICAL_RECORD_NUMBER:00123456'],
    ['health plan member id HP-99812345', 'HEALTH_PLAN_NUMBER:HP-99812345'],
    ['Call +44 20 7946 0958 tomorrow', 'PHONE_NUMBER:+44 20 7946 0958'],
    ['phone (212) 555-0134', 'PHONE_NUMBER:(212) 555-0134'],
    ['server 10.0.0.1 is down', 'IP_ADDRESS:10.0.0.1'],
    ['host fe80::1ff:fe23:4567:890a', 'IP_ADDRESS:fe80::1ff:fe23:4567:890a'],
    ['nic 00:1A:2B:3C:4D:5E', 'MAC_ADDRESS:00:1A:2B:3C:4D:5E'],
    ['see https://bob:hunter2@example.com/x.', 'URL_CREDENTIALS:https://bob:hunter2@example.com/x'],
    ['see https://www.example.org/page.', 'URL:https://www.example.org/page'],
    ['I was born on 04/12/1985', 'DATE_OF_BIRTH:04/12/1985'],
  ];
  for (const [text, expected] of cases) it(`finds ${expected}`, () => assert.ok(found(text).includes(expected), found(text).join(', ')));

  it('tags names, addresses and places in a hand-written sentence', () => {
    const text = 'Please send the contract to Maria Gonzalez, 742 Evergreen Terrace, Springfield.';
    const got = detectPii(text);
    const person = got.find((e) => e.type === 'PERSON');
    assert.equal(person && text.slice(person.start, person.end), 'Maria Gonzalez');
    assert.ok(got.some((e) => e.type === 'STREET_ADDRESS' && text.slice(e.start, e.end).startsWith('742 Evergreen')));
  });

  it('keeps spans on the original text and sorted without overlaps', () => {
    const text = 'x'.repeat(10) + ' mail a@b.io card 4111111111111111 ip 1.2.3.4';
    const got = detectPii(text);
    for (let i = 1; i < got.length; i++) assert.ok(got[i]!.start >= got[i - 1]!.end);
    assert.ok(got.every((e) => e.start >= 0 && e.end <= text.length && e.score > 0 && e.score <= 1));
  });

  it('does not call a number after a measure word an age, but keeps ages', () => {
    const all = (text: string): string[] => detectPii(text, { types: ['AGE'] }).map((e) => `${e.type}:${text.slice(e.start, e.end)}`);
    assert.deepEqual(all('his shoe size is 44'), []);
    assert.deepEqual(all('the room number is 44'), []);
    assert.deepEqual(all('the score is 44'), []);
    assert.deepEqual(all('his age is 44'), ['AGE:44']);
    assert.deepEqual(all('he is 44 years old'), ['AGE:44']);
  });

  it('calls a number stated as an age an AGE (rule, whatever the tagger says)', () => {
    const all = (text: string): string[] => detectPii(text, { types: ['AGE'] }).map((e) => `${e.type}:${text.slice(e.start, e.end)}`);
    assert.deepEqual(all('the patient, 67 years old, was admitted'), ['AGE:67']);
    assert.deepEqual(all('a 9-year-old boy'), ['AGE:9']);
    assert.deepEqual(all('Age: 52'), ['AGE:52']);
    assert.deepEqual(all('it took 3 years to build'), []);
    assert.deepEqual(all('page 52 of the report'), []);
  });

  it('honours types and thresholds', () => {
    assert.deepEqual(types2('a@b.io 4111111111111111', { types: ['CREDIT_CARD'] }), ['CREDIT_CARD']);
    assert.deepEqual(types2('a@b.io', { thresholds: { EMAIL_ADDRESS: 0.99 } }), []);
  });
});

function types2(text: string, options: Parameters<typeof detectPii>[1]): string[] {
  return detectPii(text, options).map((e) => e.type);
}

describe('data/pii scanner', () => {
  it('reports rule ids, severities, scores and redacted evidence', async () => {
    const result = await scanTexts(piiScanner, {}, ['mail jane@corp.com, card 4111 1111 1111 1111']);
    assert.deepEqual(ruleIds(result), ['pii/EMAIL_ADDRESS', 'pii/CREDIT_CARD']);
    assert.equal(result.outcome, 'fail');
    const [email, card] = result.findings;
    assert.equal(email!.severity, 'medium');
    assert.equal(card!.severity, 'high');
    assert.equal(email!.evidence, 'EMAIL_ADDRESS ***@***.com');
    for (const finding of result.findings) assert.ok(!finding.evidence!.includes('jane') && !finding.evidence!.includes('4111'));
  });

  it('proposes placeholders from the request allocator, stable across segments and scans', () => {
    const scanner = instantiate(piiScanner, {});
    const context = scanContext();
    const first = scanner.scan(scanInput(['a@x.io and b@x.io', 'again a@x.io']), context) as ScanResult;
    assert.deepEqual(first.edits!.map((e) => e.replacement), ['<EMAIL_ADDRESS_1>', '<EMAIL_ADDRESS_2>', '<EMAIL_ADDRESS_1>']);
    const second = scanner.scan(scanInput(['b@x.io']), context) as ScanResult;
    assert.equal(second.edits![0]!.replacement, '<EMAIL_ADDRESS_2>');
  });

  it('masks cards keeping the configured tail', async () => {
    const result = await scanTexts(piiScanner, { style: { CREDIT_CARD: 'mask' }, maskKeep: 4 }, ['card 4111 1111 1111 1236']);
    assert.deepEqual(ruleIds(result), ['pii/CREDIT_CARD']);
    assert.equal(result.edits![0]!.replacement, '**** **** **** 1236');
  });

  it('hashes with the key: stable, short hex with the type, different under another key', async () => {
    const a = await scanTexts(piiScanner, { defaultStyle: 'hash', hashKey: 'k1' }, ['a@x.io']);
    const b = await scanTexts(piiScanner, { defaultStyle: 'hash', hashKey: 'k1' }, ['a@x.io']);
    const c = await scanTexts(piiScanner, { defaultStyle: 'hash', hashKey: 'k2' }, ['a@x.io']);
    assert.match(a.edits![0]!.replacement, /^<EMAIL_ADDRESS:[0-9a-f]{8}>$/);
    assert.equal(a.edits![0]!.replacement, b.edits![0]!.replacement);
    assert.notEqual(a.edits![0]!.replacement, c.edits![0]!.replacement);
  });

  it('fakes values deterministically and format-preserving', async () => {
    const config = { defaultStyle: 'fake' };
    const a = await scanTexts(piiScanner, config, ['card 4111 1111 1111 1111 mail jane@corp.com']);
    const b = await scanTexts(piiScanner, config, ['card 4111 1111 1111 1111 mail jane@corp.com']);
    assert.deepEqual(a.edits, b.edits);
    const [card, email] = a.edits!;
    assert.match(card!.replacement, /^\d{4} \d{4} \d{4} \d{4}$/);
    assert.ok(luhnValid(card!.replacement.replace(/ /g, '')));
    assert.notEqual(card!.replacement, '4111 1111 1111 1111');
    assert.match(email!.replacement, /^user-[0-9a-f]{8}@example\.com$/);
  });

  it('pseudonymise uses the allocator the proxy put into state', async () => {
    const scanner = instantiate(piiScanner, { defaultStyle: 'pseudonymise' });
    const context = scanContext();
    context.state.set('placeholder-allocator', { placeholderFor: (type: string) => `<${type}_VAULT>` });
    const result = (await scanner.scan(scanInput(['a@x.io']), context)) as ScanResult;
    assert.equal(result.edits![0]!.replacement, '<EMAIL_ADDRESS_VAULT>');
  });

  it('skips allow-listed values (strings case-insensitive, RE2 patterns)', async () => {
    const result = await scanTexts(piiScanner, { allowList: ['Support@Example.com'], allowPatterns: ['@corp\\.internal$'] }, ['support@example.com, x@corp.internal, jane@acme.io']);
    assert.deepEqual(result.findings.map((f) => f.evidence), ['EMAIL_ADDRESS ***@***.io']);
  });

  it('always reports deny-listed strings and patterns', async () => {
    const result = await scanTexts(piiScanner, { denyList: ['Project Bluebird'], denyPatterns: ['EMP-[0-9]{4}'] }, ['about project BLUEBIRD and emp-1234']);
    assert.deepEqual(ruleIds(result), ['pii/DENY_LIST', 'pii/DENY_LIST']);
    assert.deepEqual(result.edits!.map((e) => [e.start, e.end]), [[6, 22], [27, 35]]);
  });

  it('finds a listed given name + surname as a person even when only PERSON is enabled', async () => {
    const text = 'Please confirm the appointment for Jane Doe, email jane.doe@example.com.';
    const result = await scanTexts(piiScanner, { entities: ['PERSON', 'EMAIL_ADDRESS'] }, [text]);
    const person = result.findings.find((f) => f.ruleId === 'pii/PERSON');
    assert.ok(person, ruleIds(result).join(', '));
    assert.equal(text.slice(person.span[0], person.span[1]), 'Jane Doe');
  });

  it('can run without the tagger', async () => {
    const text = 'Maria Gonzalez wrote from jane@corp.com';
    assert.ok(ruleIds(await scanTexts(piiScanner, {}, [text])).includes('pii/PERSON'));
    assert.deepEqual(ruleIds(await scanTexts(piiScanner, { tagger: false }, [text])), ['pii/EMAIL_ADDRESS']);
  });

  it('rejects a bad RE2 pattern naming it', () => {
    assert.throws(() => piiScanner.configSchema.parse({ denyPatterns: ['(a)\\1'] }), /backreferences/);
  });

  it('catches obfuscated values through the canonical view, spanning the original', async () => {
    const text = 'card ４１１１ １１１１ １１１１ １１１１ and jane\u200B@corp.com';
    const result = await scanTexts(piiScanner, {}, [text]);
    assert.ok(ruleIds(result).includes('pii/CREDIT_CARD'));
    const card = result.findings.find((f) => f.ruleId === 'pii/CREDIT_CARD')!;
    assert.equal(text.slice(card.span[0], card.span[1]), '４１１１ １１１１ １１１１ １１１１');
    const email = result.findings.find((f) => f.ruleId === 'pii/EMAIL_ADDRESS')!;
    assert.equal(text.slice(email.span[0], email.span[1]), 'jane\u200B@corp.com');
  });
});
