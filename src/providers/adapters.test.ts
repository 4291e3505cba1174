import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Provider } from '../config/schema.ts';
import { buildRequestTarget, compileProvider, formatOf, ProviderConfigError, resolveSecret, targetUrl } from './adapters.ts';

function provider(overrides: Partial<Provider> & Pick<Provider, 'id' | 'type' | 'baseUrl'>): Provider {
  return { headers: {}, models: [], ...overrides };
}

const env = { OPENAI_KEY: 'sk-env', EMPTY: '' };

test('openai: POST chat/embeddings under the versioned base, bearer auth, GET models', () => {
  const p = provider({ id: 'oa', type: 'openai', baseUrl: 'https://api.openai.com/v1/', apiKey: 'sk-inline' });
  const chat = buildRequestTarget(p, 'chat', 'gpt-4o', env)!;
  assert.equal(chat.method, 'POST');
  assert.equal(targetUrl(chat), 'https://api.openai.com/v1/chat/completions');
  assert.equal(chat.headers.authorization, 'Bearer sk-inline');
  assert.equal(chat.headers['content-type'], 'application/json');
  assert.equal(targetUrl(buildRequestTarget(p, 'embeddings', 'x', env)!), 'https://api.openai.com/v1/embeddings');
  const models = buildRequestTarget(p, 'models', 'x', env)!;
  assert.equal(models.method, 'GET');
  assert.equal(targetUrl(models), 'https://api.openai.com/v1/models');
  assert.equal(models.headers['content-type'], undefined);
});

test('openai-compatible without a key sends no authorization header', () => {
  const p = provider({ id: 'ollama', type: 'openai-compatible', baseUrl: 'http://localhost:11434/v1' });
  const chat = buildRequestTarget(p, 'chat', 'llama3', env)!;
  assert.equal(targetUrl(chat), 'http://localhost:11434/v1/chat/completions');
  assert.equal('authorization' in chat.headers, false);
});

test('azure-openai: deployment path, api-version query, api-key header', () => {
  const p = provider({ id: 'az', type: 'azure-openai', baseUrl: 'https://acme.openai.azure.com', apiKey: { env: 'OPENAI_KEY' }, deployments: { 'gpt-4o': 'prod-4o' } });
  const mapped = buildRequestTarget(p, 'chat', 'gpt-4o', env)!;
  assert.equal(targetUrl(mapped), 'https://acme.openai.azure.com/openai/deployments/prod-4o/chat/completions?api-version=2024-10-21');
  assert.equal(mapped.headers['api-key'], 'sk-env');
  assert.equal('authorization' in mapped.headers, false);
  const unmapped = buildRequestTarget({ ...p, apiVersion: '2025-01-01-preview' }, 'embeddings', 'text-embedding-3-small', env)!;
  assert.equal(targetUrl(unmapped), 'https://acme.openai.azure.com/openai/deployments/text-embedding-3-small/embeddings?api-version=2025-01-01-preview');
  const models = buildRequestTarget(p, 'models', 'x', env)!;
  assert.equal(models.method, 'GET');
  assert.equal(targetUrl(models), 'https://acme.openai.azure.com/openai/models?api-version=2024-10-21');
});

test('azure-openai: a compiled provider keeps per-model targets apart', () => {
  const compiled = compileProvider(provider({ id: 'az', type: 'azure-openai', baseUrl: 'https://acme.openai.azure.com/openai/', deployments: { a: 'dep-a' } }), env);
  assert.match(compiled.target('chat', 'a')!.path, /deployments\/dep-a\//);
  assert.match(compiled.target('chat', 'b')!.path, /deployments\/b\//);
  assert.match(compiled.target('chat', 'a')!.path, /^\/openai\/deployments\/dep-a\//);
});

test('anthropic: /v1/messages, x-api-key and anthropic-version; a trailing /v1 is not doubled', () => {
  for (const baseUrl of ['https://api.anthropic.com', 'https://api.anthropic.com/', 'https://api.anthropic.com/v1', 'https://api.anthropic.com/v1/']) {
    const p = provider({ id: 'an', type: 'anthropic', baseUrl, apiKey: 'ak' });
    const chat = buildRequestTarget(p, 'chat', 'claude', env)!;
    assert.equal(targetUrl(chat), 'https://api.anthropic.com/v1/messages', baseUrl);
    assert.equal(chat.headers['x-api-key'], 'ak');
    assert.equal(chat.headers['anthropic-version'], '2023-06-01');
    assert.equal('authorization' in chat.headers, false);
    assert.equal(buildRequestTarget(p, 'embeddings', 'claude', env), null);
    assert.equal(targetUrl(buildRequestTarget(p, 'models', 'claude', env)!), 'https://api.anthropic.com/v1/models');
  }
  const versioned = buildRequestTarget(provider({ id: 'an', type: 'anthropic', baseUrl: 'https://api.anthropic.com', apiVersion: '2024-01-01' }), 'chat', 'c', env)!;
  assert.equal(versioned.headers['anthropic-version'], '2024-01-01');
});

test('extra headers are sent, case-insensitively replace defaults, and never override the key', () => {
  const p = provider({ id: 'oa', type: 'openai', baseUrl: 'https://api.openai.com/v1', apiKey: 'k', headers: { 'OpenAI-Organization': 'org-1', Authorization: 'Bearer nope', 'Content-Type': 'application/json; charset=utf-8' } });
  const chat = buildRequestTarget(p, 'chat', 'm', env)!;
  assert.equal(chat.headers['openai-organization'], 'org-1');
  assert.equal(chat.headers.authorization, 'Bearer k');
  assert.equal(chat.headers['content-type'], 'application/json; charset=utf-8');
  assert.equal(Object.keys(chat.headers).filter((h) => h.toLowerCase() === 'authorization').length, 1);
});

test('secrets: inline, from env, and a clear error naming provider and variable', () => {
  assert.equal(resolveSecret(undefined, 'p', env), undefined);
  assert.equal(resolveSecret('inline', 'p', env), 'inline');
  assert.equal(resolveSecret({ env: 'OPENAI_KEY' }, 'p', env), 'sk-env');
  for (const name of ['MISSING_KEY', 'EMPTY']) {
    assert.throws(
      () => compileProvider(provider({ id: 'prod-openai', type: 'openai', baseUrl: 'https://x.test/v1', apiKey: { env: name } }), env),
      (err: Error) => err instanceof ProviderConfigError && err.message.includes('prod-openai') && err.message.includes(name),
    );
  }
});

test('formatOf: anthropic speaks anthropic, everything else openai', () => {
  assert.equal(formatOf({ type: 'anthropic' }), 'anthropic');
  assert.equal(formatOf({ type: 'openai' }), 'openai');
  assert.equal(formatOf({ type: 'azure-openai' }), 'openai');
  assert.equal(formatOf({ type: 'openai-compatible' }), 'openai');
});
