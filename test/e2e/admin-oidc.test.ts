import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { jwksOf, makeSigner, signJwt } from '../../src/auth/oidc-test-support.ts';
import { run } from '../../src/cli/main.ts';
import type { CliIo } from '../../src/cli/io.ts';
import { Config } from '../../src/config/schema.ts';
import { startGateway, type RunningGateway } from '../../src/main.ts';
import { createLogger } from '../../src/telemetry/logger.ts';

const rsa = makeSigner('RS256', 'rsa-1');
const ec = makeSigner('ES256', 'ec-1');
const ed = makeSigner('EdDSA', 'ed-1');
const issuer = 'https://idp.example.test';

/** Runs the CLI in-process against the data directory. */
async function cli(dataDir: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (text) => void (stdout += text), stderr: (text) => void (stderr += text), readStdin: async () => '', env: { BULWARK_MASTER_KEY: 'a'.repeat(64) } };
  const code = await run(['--data-dir', dataDir, ...args], io);
  return { code, stdout, stderr };
}

describe('admin sign-in: CLI admin tokens and OIDC tokens (JWKS served over HTTP)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'bulwark-admin-oidc-'));
  let jwksServer: Server;
  let gateway: RunningGateway;
  let ownerToken = '';
  const claims = (extra: Record<string, unknown> = {}) => ({ iss: issuer, aud: 'bulwark-admin', sub: 'alice', exp: Math.floor(Date.now() / 1000) + 300, groups: ['bulwark-admins'], org: 'acme', ...extra });
  const get = async (token: string | null, path: string): Promise<{ status: number; code: string | undefined; body: Record<string, unknown> }> => {
    const response = await fetch(`${gateway.url}/admin/v1${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    const body = (await response.json()) as Record<string, unknown> & { error?: { code: string } };
    return { status: response.status, code: body.error?.code, body };
  };

  before(async () => {
    jwksServer = createServer((_request, response) => response.writeHead(200, { 'content-type': 'application/json' }).end(jwksOf(rsa, ec, ed)));
    await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
    const address = jwksServer.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    assert.equal((await cli(dataDir, ['tenants', 'create', 'acme'])).code, 0);
    assert.equal((await cli(dataDir, ['tenants', 'create', 'globex'])).code, 0);
    const created = await cli(dataDir, ['admin-tokens', 'create', '--role', 'owner', '--name', 'bootstrap', '--json']);
    assert.equal(created.code, 0, created.stderr);
    ownerToken = (JSON.parse(created.stdout) as { token: string }).token;
    const config = Config.parse({
      logging: { level: 'silent' },
      admin: { oidc: { issuer, audience: 'bulwark-admin', jwksUrl: `http://127.0.0.1:${port}/jwks`, roleClaim: 'groups', tenantClaim: 'org', roleMap: { 'bulwark-admins': 'admin', 'bulwark-auditors': 'auditor' } } },
    });
    gateway = await startGateway({ config, dataDir, port: 0, host: '127.0.0.1', logger: createLogger({ level: 'silent' }), env: { BULWARK_MASTER_KEY: 'a'.repeat(64) } });
  });
  after(async () => {
    await gateway?.close(500);
    await new Promise<void>((resolve) => jwksServer.close(() => resolve()));
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('admin-tokens create prints a bwa_ token once; non-owners need --tenant; list never shows secrets', async () => {
    assert.match(ownerToken, /^bwa_[A-Za-z0-9]{8}_[A-Za-z0-9]{43}$/);
    const noTenant = await cli(dataDir, ['admin-tokens', 'create', '--role', 'auditor']);
    assert.equal(noTenant.code, 2);
    assert.match(noTenant.stderr, /--tenant: the auditor role needs a tenant/);
    assert.equal((await cli(dataDir, ['admin-tokens', 'create', '--role', 'superuser'])).code, 2);
    const scoped = await cli(dataDir, ['admin-tokens', 'create', '--role', 'auditor', '--tenant', 'acme']);
    assert.equal(scoped.code, 0, scoped.stderr);
    assert.match(scoped.stdout.trim(), /^bwa_/);
    const listed = await cli(dataDir, ['admin-tokens', 'list']);
    assert.ok(!listed.stdout.includes(scoped.stdout.trim().slice(13)) && !listed.stdout.includes(ownerToken.slice(13)));
    assert.match(listed.stdout, /auditor/);
  });

  it('the CLI owner token works over HTTP; revoking it ends it at once', async () => {
    const listed = await get(ownerToken, '/tenants');
    assert.equal(listed.status, 200);
    assert.equal((listed.body.data as unknown[]).length, 2);
    const temp = JSON.parse((await cli(dataDir, ['admin-tokens', 'create', '--role', 'owner', '--json'])).stdout) as { token: string; id: string };
    assert.equal((await get(temp.token, '/tenants')).status, 200);
    assert.equal((await cli(dataDir, ['admin-tokens', 'revoke', temp.id])).code, 0);
    assert.equal((await get(temp.token, '/tenants')).code, 'BULWARK_AUTH_REVOKED');
  });

  it('OIDC tokens (RS256, ES256, EdDSA) map groups and org claims to role and tenant', async () => {
    for (const signer of [rsa, ec, ed]) {
      const reply = await get(signJwt(signer, claims()), '/tenants/acme');
      assert.equal(reply.status, 200, `${signer.alg}: ${JSON.stringify(reply.body)}`);
      assert.equal(reply.body.name, 'acme');
    }
    assert.equal((await get(signJwt(rsa, claims()), '/tenants/globex')).status, 404, 'confined to its org');
    assert.deepEqual([(await get(signJwt(rsa, claims({ exp: Math.floor(Date.now() / 1000) - 3600 })), '/tenants/acme')).code], ['BULWARK_AUTH_EXPIRED']);
    assert.equal((await get(signJwt(rsa, claims({ aud: 'someone-else' })), '/tenants/acme')).code, 'BULWARK_AUTH_INVALID');
    assert.equal((await get(signJwt(makeSigner('RS256', 'rsa-1'), claims()), '/tenants/acme')).code, 'BULWARK_AUTH_INVALID', 'a key the JWKS does not hold');
    assert.equal((await get(signJwt(rsa, claims({ groups: ['visitors'] })), '/tenants/acme')).code, 'BULWARK_FORBIDDEN_ROLE');
  });

  it('an OIDC subject without mapped claims gets the role of its oidc admin user', async () => {
    const created = await fetch(`${gateway.url}/admin/v1/users`, { method: 'POST', headers: { authorization: `Bearer ${ownerToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'oidc', subject: 'bob', role: 'reviewer', tenant: 'globex' }) });
    assert.equal(created.status, 201);
    const token = signJwt(ec, claims({ sub: 'bob', groups: [], org: undefined }));
    assert.equal((await get(token, '/tenants/globex')).status, 200);
    assert.equal((await get(token, '/tenants/globex/keys')).code, 'BULWARK_FORBIDDEN_ROLE', 'reviewers cannot read keys');
  });

  it('with admin.enabled false the admin API does not exist', async () => {
    const off = await startGateway({ config: Config.parse({ logging: { level: 'silent' }, admin: { enabled: false } }), dataDir, port: 0, host: '127.0.0.1', logger: createLogger({ level: 'silent' }), env: {} });
    try {
      const response = await fetch(`${off.url}/admin/v1/tenants`, { headers: { authorization: `Bearer ${ownerToken}` } });
      assert.equal(response.status, 404);
    } finally {
      await off.close(500);
    }
  });
});
