import type { IncomingMessage } from 'node:http';
import type { AdminAccess } from '../auth/admin-access.ts';
import { looksLikeJwt, OidcError, principalFromClaims, verifyOidcToken } from '../auth/oidc.ts';
import type { AdminPrincipal } from '../auth/roles.ts';
import { BulwarkError } from '../errors/bulwark-error.ts';
import type { Gateway } from '../proxy/gateway.ts';
import { presentedKey } from './auth.ts';

/**
 * Who is calling the admin API: an admin token (`bwa_…`) or, when `admin.oidc` is set, an OIDC JWT,
 * sent as `Authorization: Bearer` (or `x-api-key`). Always required, from loopback too. Throws
 * 401 BULWARK_AUTH_MISSING|INVALID|EXPIRED|REVOKED, or 403 BULWARK_FORBIDDEN_ROLE when a valid
 * OIDC token maps to no role or tenant. Messages never echo the presented credential.
 */
export async function authenticateAdmin(gateway: Gateway, admin: AdminAccess, request: IncomingMessage): Promise<AdminPrincipal> {
  const presented = presentedKey(request);
  if (presented === null) throw new BulwarkError('BULWARK_AUTH_MISSING', 'The admin API needs an admin token or an OIDC token: send "Authorization: Bearer <token>".');
  if (presented.startsWith('bwa_')) {
    const checked = admin.store.verifyToken(presented);
    if (!checked.ok) {
      if (checked.reason === 'expired') throw new BulwarkError('BULWARK_AUTH_EXPIRED', 'The admin token has expired.');
      if (checked.reason === 'revoked') throw new BulwarkError('BULWARK_AUTH_REVOKED', 'The admin token was revoked (or its user disabled).');
      throw new BulwarkError('BULWARK_AUTH_INVALID', 'The admin token is not valid.');
    }
    const { user, token } = checked;
    return { id: user.id, subject: user.subject, role: user.role, tenant: user.tenantId, via: 'admin-token', tokenId: token.id };
  }
  const oidc = admin.config.oidc;
  if (!oidc || !admin.jwks || !looksLikeJwt(presented)) throw new BulwarkError('BULWARK_AUTH_INVALID', 'The admin API accepts admin tokens (bwa_…)' + (oidc ? ' or OIDC tokens (JWT).' : '; OIDC is not configured (admin.oidc).'));
  try {
    const claims = await verifyOidcToken(presented, oidc, admin.jwks);
    const keys = gateway.access?.keys;
    return principalFromClaims(claims, oidc, {
      findTenant: (idOrName) => keys?.findTenant(idOrName) ?? null,
      findUser: (subject) => admin.store.findUser('oidc', subject),
    });
  } catch (error) {
    if (!(error instanceof OidcError)) {
      // The JWKS could not be loaded: fail closed, and say so in the log (the client learns only that the token was not accepted).
      gateway.logger.warn({ err: { message: (error as Error).message } }, 'OIDC keys unavailable; admin token refused');
      throw new BulwarkError('BULWARK_AUTH_INVALID', 'The OIDC token could not be verified right now (identity provider keys unavailable).');
    }
    if (error.reason === 'expired') throw new BulwarkError('BULWARK_AUTH_EXPIRED', 'The OIDC token has expired.');
    if (error.reason === 'forbidden') throw new BulwarkError('BULWARK_FORBIDDEN_ROLE', `The OIDC token was verified but grants no admin access: ${error.message}.`);
    throw new BulwarkError('BULWARK_AUTH_INVALID', `The OIDC token was refused: ${error.message}.`);
  }
}
