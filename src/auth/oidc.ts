import { verify as verifySignature } from 'node:crypto';
import type { AdminOidc, OidcAlgorithm } from './admin-config.ts';
import type { AdminUser } from './admin-types.ts';
import type { JwksKey, JwksSource } from './jwks.ts';
import { isRole, strongestRole, type AdminPrincipal, type Role } from './roles.ts';

/** Why an OIDC token was refused; `invalid`/`expired` are 401s, `forbidden` (no role or tenant) a 403. */
export class OidcError extends Error {
  constructor(
    readonly reason: 'invalid' | 'expired' | 'forbidden',
    message: string,
  ) {
    super(message);
    this.name = 'OidcError';
  }
}

/** The digest and key type each algorithm needs; the JWK must have that type, so a key cannot be used with another algorithm family. */
const algorithms: Record<OidcAlgorithm, { digest: string | null; kty: string; crv?: string; ecdsa?: boolean }> = {
  RS256: { digest: 'sha256', kty: 'RSA' },
  RS384: { digest: 'sha384', kty: 'RSA' },
  RS512: { digest: 'sha512', kty: 'RSA' },
  ES256: { digest: 'sha256', kty: 'EC', crv: 'P-256', ecdsa: true },
  ES384: { digest: 'sha384', kty: 'EC', crv: 'P-384', ecdsa: true },
  EdDSA: { digest: null, kty: 'OKP', crv: 'Ed25519' },
};

const maxTokenLength = 16 * 1024;

function decodePart(part: string, what: string): Record<string, unknown> {
  if (!/^[A-Za-z0-9_-]+$/.test(part)) throw new OidcError('invalid', `token ${what} is not base64url`);
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    throw new OidcError('invalid', `token ${what} is not JSON`);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new OidcError('invalid', `token ${what} is not a JSON object`);
  return value as Record<string, unknown>;
}

/** Whether a bearer string looks like a JWT (three base64url parts). */
export function looksLikeJwt(token: string): boolean {
  return token.length <= maxTokenLength && /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(token);
}

function keyFits(key: JwksKey, alg: OidcAlgorithm): boolean {
  const spec = algorithms[alg];
  if (key.kty !== spec.kty || (key.alg !== null && key.alg !== alg)) return false;
  // RSA keys under 2048 bits are factorable in practice; refuse them rather than trust the JWKS.
  if (spec.kty === 'RSA' && (key.key.asymmetricKeyDetails?.modulusLength ?? 0) < 2048) return false;
  return spec.crv === undefined || key.crv === spec.crv;
}

/**
 * Verifies a JWT's signature against the JWKS and its registered claims (`iss`, `aud`, `exp`
 * required, `nbf` when present, with `clockSkewSeconds`); returns the claims or throws OidcError.
 */
export async function verifyOidcToken(token: string, config: AdminOidc, jwks: JwksSource, nowMs: number = Date.now()): Promise<Record<string, unknown>> {
  if (!looksLikeJwt(token)) throw new OidcError('invalid', 'bearer token is not a JWT');
  const [headerPart, payloadPart, signaturePart] = token.split('.') as [string, string, string];
  const header = decodePart(headerPart, 'header');
  const alg = header.alg;
  if (typeof alg !== 'string' || !(config.algorithms as readonly string[]).includes(alg)) throw new OidcError('invalid', `token algorithm ${JSON.stringify(String(alg)).slice(0, 40)} is not accepted (admin.oidc.algorithms)`);
  if (header.crit !== undefined) throw new OidcError('invalid', 'token has critical header extensions, which are not supported');
  const kid = typeof header.kid === 'string' ? header.kid : null;
  const candidates = (await jwks.keysFor(kid)).filter((key) => keyFits(key, alg as OidcAlgorithm));
  if (candidates.length === 0) throw new OidcError('invalid', 'no key in the JWKS matches the token\'s kid and algorithm');
  const spec = algorithms[alg as OidcAlgorithm];
  const data = Buffer.from(`${headerPart}.${payloadPart}`, 'ascii');
  const signature = Buffer.from(signaturePart, 'base64url');
  const valid = candidates.some((candidate) => {
    try {
      return verifySignature(spec.digest, data, spec.ecdsa ? { key: candidate.key, dsaEncoding: 'ieee-p1363' } : candidate.key, signature);
    } catch {
      return false;
    }
  });
  if (!valid) throw new OidcError('invalid', 'token signature does not verify');
  const claims = decodePart(payloadPart, 'payload');
  if (claims.iss !== config.issuer) throw new OidcError('invalid', 'token issuer (iss) is not the configured admin.oidc.issuer');
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!audiences.includes(config.audience)) throw new OidcError('invalid', 'token audience (aud) does not include admin.oidc.audience');
  const now = nowMs / 1000;
  const skew = config.clockSkewSeconds;
  if (typeof claims.exp !== 'number') throw new OidcError('invalid', 'token has no numeric exp claim');
  if (now - skew >= claims.exp) throw new OidcError('expired', 'token has expired');
  if (claims.nbf !== undefined && (typeof claims.nbf !== 'number' || now + skew < claims.nbf)) throw new OidcError('invalid', 'token is not valid yet (nbf)');
  if (typeof claims.sub !== 'string' || claims.sub === '') throw new OidcError('invalid', 'token has no sub claim');
  return claims;
}

/** Reads a claim by dotted path (`realm_access.roles`). */
export function claimAt(claims: Record<string, unknown>, path: string): unknown {
  let value: unknown = claims;
  for (const part of path.split('.')) {
    if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/**
 * Turns verified claims into an admin principal: the strongest role `roleMap` gives the role claim's
 * values, else the role of the subject's enabled `oidc` admin user; the tenant from `tenantClaim`
 * (or the user row). Non-owners need a tenant. Throws OidcError('forbidden') when nothing grants a role.
 */
export function principalFromClaims(claims: Record<string, unknown>, config: AdminOidc, lookup: { findTenant(idOrName: string): { id: string } | null; findUser(subject: string): AdminUser | null }): AdminPrincipal {
  const subject = claims.sub as string;
  const raw = claimAt(claims, config.roleClaim);
  const values = (Array.isArray(raw) ? raw : [raw]).filter((value): value is string => typeof value === 'string');
  const mapped = values.map((value) => config.roleMap[value]).filter((role): role is Role => isRole(role));
  const user = lookup.findUser(subject);
  const enabledUser = user && !user.disabledAt ? user : null;
  const role = strongestRole(mapped) ?? enabledUser?.role ?? null;
  if (role === null) throw new OidcError('forbidden', 'no Bulwark role is mapped for this subject (admin.oidc.roleMap or an oidc admin user)');
  const tenantValue = claimAt(claims, config.tenantClaim);
  let tenant: string | null;
  if (typeof tenantValue === 'string' && tenantValue !== '') {
    const found = lookup.findTenant(tenantValue);
    if (!found) throw new OidcError('forbidden', 'the token\'s tenant claim names no tenant of this gateway');
    tenant = found.id;
  } else tenant = strongestRole(mapped) === null ? (enabledUser?.tenantId ?? null) : null;
  if (tenant === null && role !== 'owner') throw new OidcError('forbidden', `the ${role} role needs a tenant claim (${config.tenantClaim})`);
  return { id: enabledUser?.id ?? `oidc:${subject}`, subject, role, tenant, via: 'oidc' };
}
