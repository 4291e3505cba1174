/**
 * Policy precedence on live traffic: a tenant's stored policy tightens the global one for that
 * tenant's keys only, a project's tightens its tenant's, and neither can weaken what is above it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import { startHarness, type Harness } from './harness.ts';

describe('policy precedence end to end', () => {
  let h: Harness;
  let owner = '';
  const keys: Record<string, string> = {};

  const admin = async (method: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> => {
    const response = await fetch(`${h.gateway.url}/admin/v1${path}`, { method, headers: { authorization: `Bearer ${owner}`, 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    return { status: response.status, json: (await response.json()) as Record<string, unknown> };
  };
  const client = (key: string) => new OpenAI({ baseURL: `${h.gateway.url}/v1`, apiKey: key, maxRetries: 0 });
  const chat = (key: string, content: string) => client(key).chat.completions.create({ model: 'gpt-test', messages: [{ role: 'user', content }] });

  before(async () => {
    h = await startHarness({ policy: { name: 'global', scanners: [{ id: 'terms', scanner: 'text/term-list', action: 'block', phases: ['request'], config: { terms: ['pelican'] } }] } });
    const store = h.gateway.gateway.access!.admin!.store;
    owner = store.createToken(store.createUser({ kind: 'token', subject: 'root', role: 'owner', tenantId: null }).id).token;
    for (const tenant of ['alpha', 'beta']) {
      assert.equal((await admin('POST', '/tenants', { name: tenant })).status, 201);
      for (const project of ['web', 'batch']) {
        await admin('POST', `/tenants/${tenant}/projects`, { name: project });
        keys[`${tenant}-${project}`] = (await admin('POST', `/tenants/${tenant}/keys`, { project })).json.key as string;
      }
    }
  });
  after(() => h?.close());

  it("applies a tenant's policy to its own keys only, and a project's on top of it", async () => {
    const tenantPolicy = await admin('PUT', '/tenants/alpha/policies', { policy: { name: 'alpha', scanners: [{ id: 'alpha-terms', scanner: 'text/term-list', action: 'block', config: { terms: ['bluebird'] } }] } });
    assert.equal(tenantPolicy.status, 200);
    assert.equal(tenantPolicy.json.applied, true);
    assert.equal((await admin('PUT', '/tenants/alpha/policies', { project: 'batch', policy: { name: 'batch', scanners: [{ id: 'batch-terms', scanner: 'text/term-list', action: 'block', config: { terms: ['heron'] } }] } })).status, 200);

    await assert.rejects(chat(keys['alpha-web']!, 'tell me about bluebird'), (error: unknown) => error instanceof OpenAI.BadRequestError && /global\/alpha/.test(error.message));
    assert.equal((await chat(keys['beta-web']!, 'tell me about bluebird')).object, 'chat.completion', 'another tenant is not affected');
    assert.equal((await chat(keys['alpha-web']!, 'tell me about heron')).object, 'chat.completion', "the project policy applies to that project's keys only");
    await assert.rejects(chat(keys['alpha-batch']!, 'tell me about heron'), (error: unknown) => error instanceof OpenAI.BadRequestError && /global\/alpha\/batch/.test(error.message));
    await assert.rejects(chat(keys['alpha-batch']!, 'tell me about bluebird'), (error: unknown) => error instanceof OpenAI.BadRequestError, 'the project inherits its tenant');
  });

  it('cannot weaken an instance the global policy did not mark overridable', async () => {
    assert.equal((await admin('PUT', '/tenants/beta/policies', { policy: { name: 'beta', scanners: [{ id: 'terms', scanner: 'text/term-list', action: 'log', enabled: false }, { id: 'beta-terms', scanner: 'text/term-list', action: 'block', config: { terms: ['cormorant'] } }] } })).status, 200);
    // The beta policy is in force (its own instance blocks), yet the global instance it tried to weaken still blocks.
    await assert.rejects(chat(keys['beta-web']!, 'a cormorant flew by'), (error: unknown) => error instanceof OpenAI.BadRequestError && /global\/beta/.test(error.message));
    await assert.rejects(chat(keys['beta-web']!, 'a pelican flew by'), (error: unknown) => error instanceof OpenAI.BadRequestError && /terms/.test(error.message));
  });

  it('applies a key-level document after the project, and a request-level header last, both only tightening', async () => {
    const listed = (await admin('GET', '/tenants/beta/keys')).json.data as { id: string; prefix: string }[];
    const batchKey = listed.find((key) => keys['beta-batch']!.startsWith(`bwk_${key.prefix}_`))?.id;
    assert.ok(batchKey, 'found the beta batch key');
    assert.equal((await admin('PUT', '/tenants/beta/policies', { key: batchKey, policy: { name: 'batch-key', scanners: [{ id: 'key-terms', scanner: 'text/term-list', action: 'block', config: { terms: ['egret'] } }] } })).status, 200);
    await assert.rejects(chat(keys['beta-batch']!, 'an egret'), (error: unknown) => error instanceof OpenAI.BadRequestError && /global\/beta\/batch-key/.test(error.message));
    assert.equal((await chat(keys['beta-web']!, 'an egret')).object, 'chat.completion', 'other keys of the tenant are not affected');

    const header = JSON.stringify({ name: 'strict-request', scanners: [{ id: 'request-terms', scanner: 'text/term-list', action: 'block', config: { terms: ['ibis'] } }, { id: 'terms', scanner: 'text/term-list', action: 'log' }] });
    await assert.rejects(client(keys['beta-web']!).chat.completions.create({ model: 'gpt-test', messages: [{ role: 'user', content: 'an ibis' }] }, { headers: { 'x-bulwark-policy': header } }), (error: unknown) => error instanceof OpenAI.BadRequestError && /strict-request/.test(error.message));
    await assert.rejects(client(keys['beta-web']!).chat.completions.create({ model: 'gpt-test', messages: [{ role: 'user', content: 'a pelican' }] }, { headers: { 'x-bulwark-policy': header } }), (error: unknown) => error instanceof OpenAI.BadRequestError, 'the request level cannot weaken either');
    await assert.rejects(client(keys['beta-web']!).chat.completions.create({ model: 'gpt-test', messages: [{ role: 'user', content: 'hi' }] }, { headers: { 'x-bulwark-policy': '{not json' } }), (error: unknown) => error instanceof OpenAI.BadRequestError && /x-bulwark-policy is not valid JSON/.test(error.message));
  });

  it("limits a project's keys to the project's models and providers, on top of each key's own lists", async () => {
    const keyStore = h.gateway.gateway.access!.keys;
    const project = keyStore.findProject('web', keyStore.findTenant('alpha')!.id)!;
    keyStore.setProjectAllowLists(project.id, { models: ['gpt-other*'] });
    await assert.rejects(chat(keys['alpha-web']!, 'hello'), (error: unknown) => error instanceof OpenAI.PermissionDeniedError && /This project may not use the model "gpt-test"/.test(error.message));
    assert.equal((await chat(keys['alpha-batch']!, 'hello')).object, 'chat.completion', 'other projects are not limited');
    keyStore.setProjectAllowLists(project.id, { models: ['gpt-*'], providers: ['backup-openai'] });
    await assert.rejects(chat(keys['alpha-web']!, 'hello'), (error: unknown) => error instanceof OpenAI.PermissionDeniedError && /This project may not use provider\(s\) primary-openai/.test(error.message));
    keyStore.setProjectAllowLists(project.id, { models: [], providers: [], scopes: ['scan'] });
    await assert.rejects(chat(keys['alpha-web']!, 'hello'), (error: unknown) => error instanceof OpenAI.PermissionDeniedError && /project does not allow the "inference" scope/.test(error.message));
    assert.throws(() => keyStore.setProjectAllowLists(project.id, { scopes: ['everything'] }), /scopes: expected any of inference, scan, admin/);
    keyStore.setProjectAllowLists(project.id, { scopes: [] });
    assert.equal((await chat(keys['alpha-web']!, 'hello')).object, 'chat.completion');
  });

  it('refuses a document that does not compile, naming the field', async () => {
    const bad = await admin('PUT', '/tenants/beta/policies', { policy: { name: 'beta', scanners: [{ id: 'nope', scanner: 'no/such-scanner' }] } });
    assert.equal(bad.status, 400);
    assert.match(String((bad.json.error as { message: string }).message), /^policy: does not compile.*no\/such-scanner/);
  });
});
