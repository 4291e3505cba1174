import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AdminOidc } from './admin-config.ts';
import { JwksSource } from './jwks.ts';
import { jwksOf, makeSigner, signJwt } from './oidc-test-support.ts';
import { OidcError, principalFromClaims, verifyOidcToken } from './oidc.ts';

const rsa = makeSigner('RS256', 'rsa-1');
const ec = makeSigner('ES256', 'ec-1');
const ed = makeSigner('EdDSA', 'ed-1');
const issuer = 'https://idp.example.test/realms/ops';
const now = Date.parse('2026-01-01T00:00:00Z');
const seconds = now / 1000;
const claims = (extra: Record<string, unknown> = {}) => ({ iss: issuer, aud: 'bulwark', sub: 'alice', exp: seconds + 300, iat: seconds, roles: ['ops-admins'], tenant: 'acme', ...extra });

const dir = mkdtempSync(join(tmpdir(), 'bulwark-oidc-'));
const jwksFile = join(dir, 'jwks.json');
writeFileSync(jwksFile, jwksOf(rsa, ec, ed));
const config = AdminOidc.parse({ issuer, audience: 'bulwark', jwksFile, roleMap: { 'ops-admins': 'admin', 'ops-owners': 'owner', 'ops-audit': 'auditor' } });
const fileSource = () => new JwksSource({ file: jwksFile, ttlMs: 60_000, timeoutMs: 1000 });

async function reason(token: string, at = now, source = fileSource()): Promise<string> {
  try {
    await verifyOidcToken(token, config, source, at);
    return 'ok';
  } catch (error) {
    if (error instanceof OidcError) return `${error.reason}: ${error.message}`;
    throw error;
  }
}

describe('OIDC token verification', () => {
  it('accepts RS256, ES256 and EdDSA tokens signed by a JWKS key', async () => {
    for (const signer of [rsa, ec, ed]) assert.equal(await reason(signJwt(signer, claims())), 'ok', signer.alg);
  });

  const refusals: [string, () => string, RegExp][] = [
    ['a wrong issuer', () => signJwt(rsa, claims({ iss: 'https://evil.example' })), /^invalid: .*issuer/],
    ['a wrong audience', () => signJwt(rsa, claims({ aud: ['other', 'another'] })), /^invalid: .*audience/],
    ['no exp', () => signJwt(rsa, claims({ exp: undefined })), /^invalid: .*exp/],
    ['an expired token beyond the skew', () => signJwt(ec, claims({ exp: seconds - 61 })), /^expired/],
    ['nbf in the future beyond the skew', () => signJwt(ec, claims({ nbf: seconds + 61 })), /^invalid: .*nbf/],
    ['a tampered payload', () => { const [h, , s] = signJwt(rsa, claims()).split('.'); return `${h}.${Buffer.from(JSON.stringify(claims({ sub: 'mallory' }))).toString('base64url')}.${s}`; }, /^invalid: .*signature/],
    ['alg none', () => { const [, p] = signJwt(rsa, claims()).split('.'); return `${Buffer.from(JSON.stringify({ alg: 'none', kid: 'rsa-1' })).toString('base64url')}.${p}.`; }, /^invalid: .*algorithm/],
    ['HS256 keyed with the public key (algorithm confusion)', () => { const head = Buffer.from(JSON.stringify({ alg: 'HS256', kid: 'rsa-1' })).toString('base64url'); const body = Buffer.from(JSON.stringify(claims())).toString('base64url'); const mac = createHmac('sha256', JSON.stringify(rsa.jwk)).update(`${head}.${body}`).digest('base64url'); return `${head}.${body}.${mac}`; }, /^invalid: .*algorithm/],
    ['an EC key presented as RS256 (key type mismatch)', () => signJwt(ec, claims(), { alg: 'RS256' }), /^invalid: no key/],
    ['an unknown kid', () => signJwt(makeSigner('ES256', 'stranger'), claims()), /^invalid: no key/],
    ['a key not in the JWKS under a known kid', () => signJwt({ ...makeSigner('ES256', 'ec-1') }, claims()), /^invalid: .*signature/],
    ['garbage', () => 'not.a.jwt!', /^invalid: .*not a JWT/],
  ];
  for (const [what, token, pattern] of refusals) {
    it(`refuses ${what}`, async () => assert.match(await reason(token()), pattern));
  }

  it('tolerates clock skew within clockSkewSeconds on exp and nbf', async () => {
    assert.equal(await reason(signJwt(ed, claims({ exp: seconds - 30 }))), 'ok');
    assert.equal(await reason(signJwt(ed, claims({ nbf: seconds + 30 }))), 'ok');
  });
});

describe('JWKS from a URL', () => {
  let server: ReturnType<typeof createServer>;
  let url = '';
  let served = jwksOf(rsa);
  let fetches = 0;
  before(async () => {
    server = createServer((request, response) => {
      fetches += 1;
      response.writeHead(200, { 'content-type': 'application/json' }).end(served);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/jwks`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('fetches once, caches for the TTL, and refetches on an unknown kid (key rotation at the identity provider)', async () => {
    let clock = now;
    const source = new JwksSource({ url, ttlMs: 60_000, timeoutMs: 2000, now: () => clock, minRefreshIntervalMs: 5_000 });
    assert.equal(await reason(signJwt(rsa, claims()), now, source), 'ok');
    assert.equal(await reason(signJwt(rsa, claims()), now, source), 'ok');
    assert.equal(fetches, 1, 'cached');
    served = jwksOf(rsa, ec);
    assert.equal(await reason(signJwt(ec, claims()), now, source), 'ok', 'unknown kid triggers a refetch');
    assert.equal(fetches, 2);
    assert.match(await reason(signJwt(makeSigner('ES256', 'forged'), claims()), now, source), /no key/);
    assert.equal(fetches, 2, 'a second unknown kid within minRefreshIntervalMs does not refetch');
    clock += 61_000;
    assert.equal(await reason(signJwt(rsa, claims()), now, source), 'ok');
    assert.equal(fetches, 3, 'TTL expiry reloads');
  });

  it('keeps the last good keys when the identity provider fails, and fails closed without any', async () => {
    let clock = now;
    const source = new JwksSource({ url, ttlMs: 1_000, timeoutMs: 2000, now: () => clock });
    served = jwksOf(rsa);
    assert.equal(await reason(signJwt(rsa, claims()), now, source), 'ok');
    served = 'not json';
    clock += 5_000;
    assert.equal(await reason(signJwt(rsa, claims()), now, source), 'ok');
    const empty = new JwksSource({ url, ttlMs: 1_000, timeoutMs: 2000 });
    await assert.rejects(verifyOidcToken(signJwt(rsa, claims()), config, empty, now), /expected a JWKS JSON document/);
  });
});

describe('claims to principal', () => {
  const tenants = new Map([['acme', { id: 'ten_acme' }], ['ten_acme', { id: 'ten_acme' }]]);
  const lookup = { findTenant: (id: string) => tenants.get(id) ?? null, findUser: () => null };

  it('maps the role claim through roleMap (strongest wins) and the tenant claim to a tenant id', () => {
    const principal = principalFromClaims(claims({ roles: ['ops-audit', 'ops-admins', 'unmapped'] }), config, lookup);
    assert.deepEqual({ role: principal.role, tenant: principal.tenant, via: principal.via, id: principal.id }, { role: 'admin', tenant: 'ten_acme', via: 'oidc', id: 'oidc:alice' });
  });

  it('reads dotted claim paths and single strings', () => {
    const nested = AdminOidc.parse({ ...config, jwksFile, roleClaim: 'realm_access.roles', roleMap: { auditors: 'auditor' } });
    assert.equal(principalFromClaims(claims({ realm_access: { roles: 'auditors' } }), nested, lookup).role, 'auditor');
  });

  it('refuses without a mapped role, with an unknown tenant, and a non-owner without a tenant; owners may be platform-wide', () => {
    assert.throws(() => principalFromClaims(claims({ roles: ['nobody'] }), config, lookup), (error: unknown) => error instanceof OidcError && error.reason === 'forbidden');
    assert.throws(() => principalFromClaims(claims({ tenant: 'globex' }), config, lookup), /names no tenant/);
    assert.throws(() => principalFromClaims(claims({ tenant: undefined }), config, lookup), /needs a tenant claim/);
    assert.equal(principalFromClaims(claims({ roles: 'ops-owners', tenant: undefined }), config, lookup).tenant, null);
  });

  it('falls back to the subject\'s oidc admin user when no claim maps', () => {
    const user = { id: 'adm_1', kind: 'oidc' as const, subject: 'alice', role: 'reviewer' as const, tenantId: 'ten_acme', createdAt: '', disabledAt: null };
    const principal = principalFromClaims(claims({ roles: [], tenant: undefined }), config, { ...lookup, findUser: () => user });
    assert.deepEqual([principal.id, principal.role, principal.tenant], ['adm_1', 'reviewer', 'ten_acme']);
    assert.throws(() => principalFromClaims(claims({ roles: [] }), config, { ...lookup, findUser: () => ({ ...user, disabledAt: '2026-01-01T00:00:00Z' }) }), /no Bulwark role/);
  });

  it('config needs exactly one JWKS source', () => {
    assert.equal(AdminOidc.safeParse({ issuer, audience: 'x' }).success, false);
    assert.equal(AdminOidc.safeParse({ issuer, audience: 'x', jwksFile, jwksUrl: 'https://x.test/jwks' }).success, false);
  });
});
