import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { describe, it } from 'node:test';
import { createSqliteKeyStore } from '../auth/sqlite-key-store.ts';
import { BulwarkError } from '../errors/bulwark-error.ts';
import type { Gateway } from '../proxy/gateway.ts';
import { authenticate, isLoopback, presentedKey } from './auth.ts';

function request(remoteAddress: string, headers: Record<string, string> = {}): IncomingMessage {
  return { headers, socket: { remoteAddress } } as unknown as IncomingMessage;
}

function gatewayWithKeys() {
  const keys = createSqliteKeyStore({ path: ':memory:', cacheTtlMs: 0 });
  return { keys, gateway: { access: { keys } } as unknown as Gateway };
}

const code = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    if (error instanceof BulwarkError) return error.code;
    throw error;
  }
  return 'none';
};

describe('http authentication', () => {
  it('recognises loopback peers only', () => {
    for (const address of ['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1']) assert.equal(isLoopback(address), true, address);
    for (const address of ['10.0.0.1', '::ffff:10.0.0.1', '192.168.1.127', 'fe80::1', undefined]) assert.equal(isLoopback(address), false, String(address));
  });

  it('reads x-api-key first, then a Bearer token', () => {
    assert.equal(presentedKey(request('::1', { 'x-api-key': 'bwk_a' })), 'bwk_a');
    assert.equal(presentedKey(request('::1', { authorization: 'Bearer bwk_b' })), 'bwk_b');
    assert.equal(presentedKey(request('::1', { authorization: 'Basic Zm9vOmJhcg==' })), null);
    assert.equal(presentedKey(request('::1', {})), null);
  });

  it('without keys: serves loopback anonymously, refuses remote callers', () => {
    const { gateway } = gatewayWithKeys();
    assert.equal(authenticate(gateway, request('127.0.0.1'), 'openai.chat'), null);
    assert.equal(code(() => authenticate(gateway, request('10.1.2.3'), 'openai.chat')), 'BULWARK_AUTH_MISSING');
    assert.equal(authenticate(gateway, request('10.1.2.3'), 'healthz'), null, 'health stays open');
  });

  it('with keys: loopback needs a key too; scopes are checked per route', () => {
    const { gateway, keys } = gatewayWithKeys();
    const tenant = keys.createTenant('t');
    const project = keys.createProject(tenant.id, 'p');
    const { key } = keys.createKey({ tenantId: tenant.id, projectId: project.id, scopes: ['inference'] });
    assert.equal(code(() => authenticate(gateway, request('127.0.0.1'), 'openai.chat')), 'BULWARK_AUTH_MISSING');
    assert.equal(authenticate(gateway, request('10.1.2.3', { authorization: `Bearer ${key}` }), 'openai.chat')?.tenant, tenant.id);
    assert.equal(code(() => authenticate(gateway, request('10.1.2.3', { 'x-api-key': key }), 'scan')), 'BULWARK_FORBIDDEN_SCOPE');
    assert.equal(code(() => authenticate(gateway, request('10.1.2.3', { 'x-api-key': 'bwk_nothere_x' }), 'openai.chat')), 'BULWARK_AUTH_INVALID');
    // A route added later without an entry needs `inference`: closed by default.
    assert.equal(authenticate(gateway, request('10.1.2.3', { 'x-api-key': key }), 'some.new.route')?.keyId.startsWith('key_'), true);
  });
});
