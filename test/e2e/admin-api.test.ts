import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { join } from 'node:path';
import OpenAI from 'openai';
import type { AdminStore } from '../../src/auth/admin-types.ts';
import type { Role } from '../../src/auth/roles.ts';
import type { AuditedEventStore } from '../../src/store/types.ts';
import { startHarness, type Harness } from './harness.ts';

interface Reply {
  status: number;
  body: Record<string, unknown> & { error?: { code: string; message: string } };
}

const SECRET = 'sk-upstream-SECRET-0123456789abcdef';

describe('admin API over HTTP: roles, tenant isolation, audit', () => {
  let h: Harness;
  let store: AdminStore;
  let ownerToken = '';
  const ids: Record<string, string> = {};
  const tokens = {} as Record<Role, string>;

  const call = async (token: string | null, method: string, path: string, body?: unknown): Promise<Reply> => {
    const response = await fetch(`${h.gateway.url}/admin/v1${path}`, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: (response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : { text }) as Reply['body'] };
  };
  const ok = async (token: string, method: string, path: string, body?: unknown): Promise<Record<string, unknown>> => {
    const reply = await call(token, method, path, body);
    assert.ok(reply.status >= 200 && reply.status < 300, `${method} ${path}: ${reply.status} ${JSON.stringify(reply.body)}`);
    return reply.body;
  };

  before(async () => {
    h = await startHarness({ policy: { name: 'admin-test', scanners: [] } });
    store = h.gateway.gateway.access!.admin!.store;
    const owner = store.createUser({ kind: 'token', subject: 'root', role: 'owner', tenantId: null });
    ownerToken = store.createToken(owner.id).token;
    for (const name of ['alpha', 'beta']) {
      const tenant = await ok(ownerToken, 'POST', '/tenants', { name });
      ids[name] = tenant.id as string;
      const project = await ok(ownerToken, 'POST', `/tenants/${name}/projects`, { name: 'app' });
      ids[`${name}-project`] = project.id as string;
      const key = await ok(ownerToken, 'POST', `/tenants/${name}/keys`, { project: 'app', name: 'seed' });
      ids[`${name}-key`] = key.id as string;
      const credential = await ok(ownerToken, 'POST', `/tenants/${name}/credentials`, { provider: 'openai', name: 'main', secret: SECRET });
      ids[`${name}-credential`] = credential.id as string;
      const user = await ok(ownerToken, 'POST', '/users', { kind: 'token', subject: `${name}-ops`, role: 'admin', tenant: name });
      ids[`${name}-user`] = user.id as string;
    }
    for (const role of ['admin', 'policy-editor', 'reviewer', 'auditor', 'application'] as const) {
      const user = await ok(ownerToken, 'POST', '/users', { kind: 'token', subject: `alpha-${role}`, role, tenant: ids.alpha });
      tokens[role] = (await ok(ownerToken, 'POST', `/users/${user.id as string}/tokens`)).token as string;
    }
    tokens.owner = ownerToken;
  });
  after(() => h?.close());

  it('needs an admin credential always: none (even from loopback), an API key, or garbage is a 401 in the OpenAI error shape', async () => {
    const missing = await call(null, 'GET', '/tenants');
    assert.equal(missing.status, 401);
    assert.equal(missing.body.error?.code, 'BULWARK_AUTH_MISSING');
    const apiKey = await ok(ownerToken, 'POST', '/tenants/alpha/keys', { project: 'app' });
    assert.equal((await call(apiKey.key as string, 'GET', '/tenants')).body.error?.code, 'BULWARK_AUTH_INVALID');
    assert.equal((await call('bwa_AAAAAAAA_BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB', 'GET', '/tenants')).body.error?.code, 'BULWARK_AUTH_INVALID');
  });

  // Tenant isolation: an alpha credential against beta's resources is refused exactly like a missing resource.
  const crossTenant: [string, string, (ids: Record<string, string>) => string, unknown?][] = [
    ['get tenant', 'GET', (i) => `/tenants/${i.beta}`],
    ['get tenant by name', 'GET', () => '/tenants/beta'],
    ['list projects', 'GET', (i) => `/tenants/${i.beta}/projects`],
    ['create project', 'POST', (i) => `/tenants/${i.beta}/projects`, { name: 'intruder' }],
    ['list keys', 'GET', (i) => `/tenants/${i.beta}/keys`],
    ['create key', 'POST', (i) => `/tenants/${i.beta}/keys`, { project: 'app' }],
    ['revoke key', 'POST', (i) => `/tenants/${i.beta}/keys/${i['beta-key']}/revoke`],
    ['revoke key via own tenant path', 'POST', (i) => `/tenants/${i.alpha}/keys/${i['beta-key']}/revoke`],
    ['rotate key via own tenant path', 'POST', (i) => `/tenants/${i.alpha}/keys/${i['beta-key']}/rotate`],
    ['list policies', 'GET', (i) => `/tenants/${i.beta}/policies`],
    ['put policy', 'PUT', (i) => `/tenants/${i.beta}/policies`, { policy: { name: 'x' } }],
    ['list credentials', 'GET', (i) => `/tenants/${i.beta}/credentials`],
    ['create credential', 'POST', (i) => `/tenants/${i.beta}/credentials`, { provider: 'openai', name: 'x', secret: 'x' }],
    ['rotate credential via own tenant path', 'POST', (i) => `/tenants/${i.alpha}/credentials/${i['beta-credential']}/rotate`, { secret: 'x' }],
    ['delete credential via own tenant path', 'DELETE', (i) => `/tenants/${i.alpha}/credentials/${i['beta-credential']}`],
    ['disable user', 'DELETE', (i) => `/users/${i['beta-user']}`],
    ['mint token for user', 'POST', (i) => `/users/${i['beta-user']}/tokens`],
    ['create user in tenant', 'POST', () => '/users', { kind: 'token', subject: 'sneaky', role: 'auditor', tenant: 'beta' }],
    ['read events of tenant', 'GET', () => '/events?tenant=beta'],
  ];
  for (const role of ['admin', 'policy-editor', 'reviewer', 'auditor', 'application'] as const) {
    it(`${role} of alpha: every request against beta is refused exactly like one for a missing resource`, async () => {
      for (const [what, method, path, body] of crossTenant) {
        const reply = await call(tokens[role], method, path(ids), body);
        // 404 from isolation; a 403 only where the role lacks the action on its own tenant, before any lookup.
        const expected = role === 'admin' || path(ids).includes('beta') || path(ids).includes(ids.beta!) ? [404] : [403, 404];
        assert.ok(expected.includes(reply.status), `${what}: ${reply.status} ${JSON.stringify(reply.body)}`);
        const missing = await call(tokens[role], method, path(ids).replace(/beta|ten_[0-9a-f]+|key_[0-9a-f]+|cred_[0-9a-f]+|adm_[0-9a-f]+/g, (m) => (m === ids.alpha ? m : `${m.split('_')[0]}_0000000000000000`)), body);
        assert.deepEqual([missing.status, missing.body.error?.code], [reply.status, reply.body.error?.code], `${what}: same answer as a missing resource`);
        assert.equal(reply.body.error?.message.includes(ids.beta!) && !path(ids).includes(ids.beta!), false, `${what}: message does not reveal beta`);
      }
      assert.equal((await store.getCredential(ids['beta-credential']!))?.id, ids['beta-credential'], 'beta credential untouched');
      assert.equal(h.gateway.gateway.access!.keys.getKey(ids['beta-key']!)?.revokedAt, null, 'beta key untouched');
    });
  }

  // Roles within their own tenant: 2xx when the role has the right, 403 BULWARK_FORBIDDEN_ROLE otherwise.
  const operations: [string, string, (role: string) => string, (role: string) => unknown][] = [
    ['tenants:read', 'GET', () => '/tenants/alpha', () => undefined],
    ['projects:write', 'POST', () => '/tenants/alpha/projects', (role) => ({ name: `p-${role}` })],
    ['keys:read', 'GET', () => '/tenants/alpha/keys', () => undefined],
    ['keys:write', 'POST', () => '/tenants/alpha/keys', () => ({ project: 'app' })],
    ['policies:write', 'PUT', () => '/tenants/alpha/policies', (role) => ({ policy: { name: `by-${role}`, scanners: [] } })],
    ['credentials:read', 'GET', () => '/tenants/alpha/credentials', () => undefined],
    ['credentials:write', 'POST', () => '/tenants/alpha/credentials', (role) => ({ provider: 'anthropic', name: `c-${role}`, secret: SECRET })],
    ['users:read', 'GET', () => '/users', () => undefined],
    ['users:write', 'POST', () => '/users', (role) => ({ kind: 'oidc', subject: `sub-${role}`, role: 'reviewer' })],
    ['events:read', 'GET', () => '/events?limit=5', () => undefined],
  ];
  const granted: Record<string, string> = {
    admin: 'tenants:read projects:write keys:read keys:write policies:write credentials:read credentials:write users:read users:write events:read',
    'policy-editor': 'tenants:read policies:write events:read',
    reviewer: 'tenants:read events:read',
    auditor: 'tenants:read keys:read credentials:read users:read events:read',
    application: '',
  };
  for (const role of Object.keys(granted)) {
    it(`${role} of alpha: allowed exactly its role's actions in its own tenant`, async () => {
      for (const [action, method, path, body] of operations) {
        const reply = await call(tokens[role as Role], method, path(role), body(role));
        if (granted[role]!.split(' ').includes(action)) assert.ok(reply.status >= 200 && reply.status < 300, `${role} ${action}: ${reply.status} ${JSON.stringify(reply.body)}`);
        else {
          assert.equal(reply.status, 403, `${role} ${action}: ${JSON.stringify(reply.body)}`);
          assert.equal(reply.body.error?.code, 'BULWARK_FORBIDDEN_ROLE');
        }
      }
    });
  }

  it('serves its OpenAPI document to any administrator, and nothing to anonymous callers', async () => {
    const reply = await fetch(`${h.gateway.url}/admin/v1/openapi.yaml`, { headers: { authorization: `Bearer ${tokens.reviewer}` } });
    assert.equal(reply.status, 200);
    assert.match(reply.headers.get('content-type') ?? '', /yaml/);
    assert.match(await reply.text(), /^openapi: 3\.1\.0/);
    assert.equal((await call(null, 'GET', '/openapi.yaml')).status, 401);
  });

  it('tenant-scoped callers cannot create tenants, see other tenants in lists, or grant owner', async () => {
    assert.equal((await call(tokens.admin, 'POST', '/tenants', { name: 'gamma' })).status, 403);
    const listed = (await ok(tokens.auditor, 'GET', '/tenants')).data as { id: string }[];
    assert.deepEqual(listed.map((tenant) => tenant.id), [ids.alpha]);
    const users = (await ok(tokens.admin, 'GET', '/users')).data as { tenantId: string | null }[];
    assert.ok(users.length > 0 && users.every((user) => user.tenantId === ids.alpha));
    const escalate = await call(tokens.admin, 'POST', '/users', { kind: 'token', subject: 'wannabe', role: 'owner' });
    assert.deepEqual([escalate.status, escalate.body.error?.code], [403, 'BULWARK_FORBIDDEN_ROLE']);
  });

  it('keys: a created key serves inference, rotation overlaps, revocation ends it', async () => {
    const created = await ok(tokens.admin, 'POST', '/tenants/alpha/keys', { project: 'app', name: 'svc', models: ['gpt-*'] });
    assert.match(created.key as string, /^bwk_/);
    assert.equal('hash' in created, false);
    const client = (apiKey: string) => new OpenAI({ baseURL: `${h.gateway.url}/v1`, apiKey, maxRetries: 0 });
    const chat = { model: 'gpt-test', messages: [{ role: 'user' as const, content: 'hi' }] };
    assert.equal((await client(created.key as string).chat.completions.create(chat)).object, 'chat.completion');
    const rotated = await ok(tokens.admin, 'POST', `/tenants/alpha/keys/${created.id as string}/rotate`, { overlapSeconds: 0 });
    assert.equal(rotated.replaces, created.id);
    assert.equal((await client(rotated.key as string).chat.completions.create(chat)).object, 'chat.completion');
    await ok(tokens.admin, 'POST', `/tenants/alpha/keys/${rotated.id as string}/revoke`);
    await assert.rejects(client(rotated.key as string).chat.completions.create(chat), (error: unknown) => error instanceof OpenAI.APIError && error.code === 'BULWARK_AUTH_REVOKED');
    const listed = (await ok(tokens.auditor, 'GET', '/tenants/alpha/keys')).data as Record<string, unknown>[];
    assert.ok(listed.every((key) => !('key' in key) && !('hash' in key)));
  });

  it('credentials: sealed at rest, never returned; rotation changes the fingerprint; delete removes it', async () => {
    const created = await ok(tokens.admin, 'POST', '/tenants/alpha/credentials', { provider: 'openai', name: 'rotating', secret: SECRET });
    assert.deepEqual(Object.keys(created).sort(), ['createdAt', 'fingerprint', 'id', 'name', 'provider', 'rotatedAt', 'tenantId']);
    assert.equal(JSON.stringify(await ok(tokens.auditor, 'GET', '/tenants/alpha/credentials')).includes(SECRET), false);
    const db = new BetterSqlite3(join(h.dataDir, 'control.db'), { readonly: true });
    const rows = db.prepare('SELECT * FROM provider_credentials').all();
    db.close();
    assert.equal(JSON.stringify(rows).includes(SECRET), false, 'no plaintext in control.db');
    assert.equal(store.openCredential(created.id as string), SECRET, 'opens with the master keyring');
    const rotated = await ok(tokens.admin, 'POST', `/tenants/alpha/credentials/${created.id as string}/rotate`, { secret: `${SECRET}-2` });
    assert.notEqual(rotated.fingerprint, created.fingerprint);
    assert.equal(store.openCredential(created.id as string), `${SECRET}-2`);
    await ok(tokens.admin, 'DELETE', `/tenants/alpha/credentials/${created.id as string}`);
    assert.equal((await call(tokens.admin, 'DELETE', `/tenants/alpha/credentials/${created.id as string}`)).status, 404);
  });

  it('policies: validated by the Policy schema, stored per tenant and project, applied by precedence', async () => {
    const bad = await call(tokens['policy-editor'], 'PUT', '/tenants/alpha/policies', { policy: { name: 'x', scanners: [{ id: 'BAD ID', scanner: 'pii/detect' }] } });
    assert.equal(bad.status, 400);
    assert.match(bad.body.error!.message, /^policy\.scanners\.0\.id: /);
    await ok(tokens['policy-editor'], 'PUT', '/tenants/alpha/policies', { project: 'app', policy: { name: 'project-policy' } });
    const listed = await ok(tokens.reviewer, 'GET', '/tenants/alpha/policies');
    assert.equal(listed.applied, true);
    const documents = listed.data as { projectId: string | null; policy: { name: string } }[];
    assert.ok(documents.some((doc) => doc.projectId === ids['alpha-project'] && doc.policy.name === 'project-policy'));
    assert.ok(documents.some((doc) => doc.projectId === null));
  });

  it('a disabled user\'s tokens stop at once', async () => {
    const user = await ok(tokens.admin, 'POST', '/users', { kind: 'token', subject: 'temp', role: 'auditor' });
    const token = (await ok(tokens.admin, 'POST', `/users/${user.id as string}/tokens`)).token as string;
    await ok(token, 'GET', '/tenants/alpha');
    await ok(tokens.admin, 'DELETE', `/users/${user.id as string}`);
    assert.equal((await call(token, 'GET', '/tenants/alpha')).body.error?.code, 'BULWARK_AUTH_REVOKED');
  });

  it('every admin call is an event in the audit chain: actor and target named, no secrets, refusals included; events are read per tenant', async () => {
    const eventStore = h.gateway.gateway.store as AuditedEventStore;
    await eventStore.flush();
    const events = (await eventStore.list({ limit: 10_000 })).filter((event) => event.route.startsWith('admin.'));
    const create = events.find((event) => event.route === 'admin.keys.create' && event.tenant === ids.alpha);
    assert.ok(create, 'admin.keys.create recorded in alpha\'s partition');
    assert.match(create.findings[0]!.message, /^actor adm_[0-9a-f]+ \(/);
    assert.match(create.findings[0]!.message, /target key key_[0-9a-f]+ in project prj_/);
    assert.ok(events.some((event) => event.route === 'admin.policies.put' && event.decision === 'block' && event.status === 403), 'a refused policy change is recorded');
    assert.ok(events.some((event) => event.route === 'admin.credentials.create'));
    const serialised = JSON.stringify(events);
    assert.equal(serialised.includes(SECRET), false, 'no credential secret in events');
    assert.equal(/bw[ka]_[A-Za-z0-9]{8}_[A-Za-z0-9]{32}/.test(serialised), false, 'no key or token secrets in events');
    const verified = await eventStore.verifyChain();
    assert.equal(verified.ok, true, JSON.stringify(verified.problems?.slice(0, 3)));
    const read = (await ok(tokens.auditor, 'GET', '/events?limit=1000')).data as { tenant?: string; route: string }[];
    assert.ok(read.length > 0 && read.every((event) => event.tenant === ids.alpha));
    const blocked = (await ok(tokens.auditor, 'GET', '/events?decision=block&limit=1000')).data as { decision: string }[];
    assert.ok(blocked.length > 0 && blocked.every((event) => event.decision === 'block'));
    const all = (await ok(ownerToken, 'GET', '/events?limit=1000')).data as { tenant?: string }[];
    assert.ok(all.some((event) => event.tenant === ids.beta));
    assert.equal((await call(tokens.auditor, 'GET', '/events?limit=abc')).status, 400);
  });
});
