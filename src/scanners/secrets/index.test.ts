import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RequestPlaceholders, PLACEHOLDER_ALLOCATOR_KEY } from '../shared/placeholders.ts';
import { instantiate, scanContext, scanInput, scanTexts } from '../test-support.ts';
import { secretsScanner, SecretsConfig } from './index.ts';

// Built at run time so no credential-shaped literal sits in the source.
const token = ['ghp', '_', 'R7kQ2mXw9TzP4vLc8NbY3hJd6FsG1aWe5UoZ'].join('');
const stripe = ['sk', '_live_', 'Hq4Tz9Wm2Kx7Rb5Nc8Vd3Jf6'].join('');

describe('data/secrets scanner', () => {
  it('reports a secret with a redacted hint and proposes a numbered placeholder', async () => {
    const text = `deploy with GITHUB_TOKEN=${token} and STRIPE_KEY=${stripe} then ${token}`;
    const result = await scanTexts(secretsScanner, {}, [text]);
    assert.equal(result.outcome, 'fail');
    assert.deepEqual(result.findings.map((f) => f.ruleId), ['secrets/github-token', 'secrets/stripe-key', 'secrets/github-token']);
    for (const finding of result.findings) {
      assert.ok(!finding.evidence!.includes(token) && !finding.evidence!.includes(stripe), finding.evidence);
      assert.ok(finding.evidence!.length < 40);
    }
    assert.deepEqual(result.edits?.map((e) => [text.slice(e.start, e.end), e.replacement]), [[token, '<SECRET_1>'], [stripe, '<SECRET_2>'], [token, '<SECRET_1>']]);
  });

  it('uses the request allocator from the context state', async () => {
    const scanner = instantiate(secretsScanner, {});
    const context = scanContext();
    const shared = new RequestPlaceholders();
    shared.placeholderFor('SECRET', 'earlier');
    context.state.set(PLACEHOLDER_ALLOCATOR_KEY, shared);
    const result = await scanner.scan(scanInput([`key ${token}`]), context);
    assert.equal(result.edits?.[0]?.replacement, '<SECRET_2>');
  });

  it('finds a token split by zero-width characters and maps the span back', async () => {
    const hidden = `${token.slice(0, 10)}\u200B${token.slice(10)}`;
    const text = `token: ${hidden}.`;
    const result = await scanTexts(secretsScanner, {}, [text]);
    const finding = result.findings.find((f) => f.ruleId === 'secrets/github-token');
    assert.ok(finding);
    assert.equal(text.slice(...finding.span), hidden);
  });

  it('finds a secret inside a base64 run and reports the run', async () => {
    const encoded = Buffer.from(`export GH=${token}`).toString('base64');
    const text = `run: ${encoded}`;
    const result = await scanTexts(secretsScanner, { groups: ['providers'] }, [text]);
    assert.equal(result.findings.length, 1);
    assert.match(result.findings[0]!.message, /base64-decoded/);
    assert.equal(text.slice(...result.findings[0]!.span), encoded);
  });

  it('passes ordinary text and placeholders', async () => {
    const result = await scanTexts(secretsScanner, {}, ['Set OPENAI_API_KEY=<your-key> and password = ${DB_PASSWORD}; see https://docs.example.com.']);
    assert.equal(result.outcome, 'pass');
    assert.equal(result.score, 0);
  });

  it('applies the allow list and custom rules from the config', async () => {
    const config = { allowList: { strings: [token] }, customRules: [{ id: 'acme', pattern: '\\bACME-([0-9]{8})\\b', severity: 'medium', description: 'ACME licence key' }] };
    const result = await scanTexts(secretsScanner, config, [`${token} ACME-48213377`]);
    assert.deepEqual(result.findings.map((f) => [f.ruleId, f.severity, f.message]), [['secrets/custom/acme', 'medium', 'Possible secret: ACME licence key']]);
    assert.equal(result.outcome, 'flag');
  });

  it('rejects a bad custom pattern with the path of the field', () => {
    const parsed = SecretsConfig.safeParse({ customRules: [{ id: 'x', pattern: '(a)\\1' }] });
    assert.ok(!parsed.success);
    assert.deepEqual(parsed.error.issues[0]!.path, ['customRules', 0, 'pattern']);
    const allow = SecretsConfig.safeParse({ allowList: { patterns: ['(?=x)'] } });
    assert.ok(!allow.success);
    assert.deepEqual(allow.error.issues[0]!.path, ['allowList', 'patterns', 0]);
  });
});
