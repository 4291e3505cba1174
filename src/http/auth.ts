import type { IncomingMessage } from 'node:http';
import type { KeyRejection, Principal } from '../auth/types.ts';
import { BulwarkError } from '../errors/bulwark-error.ts';
import type { ErrorCode } from '../errors/catalog.ts';
import type { Gateway } from '../proxy/gateway.ts';

/** Routes that take no API key: health checks (load balancers, orchestrators), and metrics, which check a scrape token or loopback themselves. */
const publicRoutes = new Set(['healthz', 'readyz', 'metrics']);
/** The scope each route needs; any route not listed needs `inference` (new routes are closed by default). */
const routeScopes: Record<string, string> = { scan: 'scan' };

const rejection: Record<KeyRejection, { code: ErrorCode; message: string }> = {
  invalid: { code: 'BULWARK_AUTH_INVALID', message: 'The API key is not valid.' },
  expired: { code: 'BULWARK_AUTH_EXPIRED', message: 'The API key has expired; ask your administrator for a new one.' },
  revoked: { code: 'BULWARK_AUTH_REVOKED', message: 'The API key was revoked.' },
  rotated: { code: 'BULWARK_AUTH_ROTATED', message: 'The API key was rotated and its overlap window has closed; use its replacement.' },
};

/** Whether the TCP peer is this machine (IPv4 127/8, IPv6 ::1, or IPv4-mapped loopback). */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

/** The key a client presented: `x-api-key` (Anthropic SDK) or `Authorization: Bearer` (OpenAI SDK). */
export function presentedKey(request: IncomingMessage): string | null {
  const header = request.headers['x-api-key'];
  if (typeof header === 'string' && header.trim() !== '') return header.trim();
  const authorization = request.headers.authorization;
  if (typeof authorization === 'string') {
    const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization);
    if (match) return match[1]!;
  }
  return null;
}

/**
 * Decides who is calling `routeName`: null for public routes and for anonymous loopback callers
 * while no key exists (the secure default of a fresh install); otherwise the key's principal, or
 * a 401/403 BulwarkError naming what is wrong.
 */
export function authenticate(gateway: Gateway, request: IncomingMessage, routeName: string): Principal | null {
  const keys = gateway.access?.keys;
  if (!keys || publicRoutes.has(routeName)) return null;
  if (!keys.hasKeys()) {
    if (isLoopback(request.socket.remoteAddress)) return null;
    throw new BulwarkError('BULWARK_AUTH_MISSING', 'No API keys exist on this gateway yet, so only callers on the same machine are served; create a key with `bulwark keys create` and send it.');
  }
  const presented = presentedKey(request);
  if (presented === null) throw new BulwarkError('BULWARK_AUTH_MISSING', 'An API key is required: send "Authorization: Bearer <key>" or "x-api-key: <key>".');
  const verified = keys.verify(presented);
  if (!verified.ok) {
    const { code, message } = rejection[verified.reason];
    throw new BulwarkError(code, message);
  }
  const scope = routeScopes[routeName] ?? 'inference';
  if (!verified.principal.scopes.includes(scope)) throw new BulwarkError('BULWARK_FORBIDDEN_SCOPE', `This API key lacks the "${scope}" scope needed here.`, { details: { keyId: verified.principal.keyId } });
  const projectScopes = verified.principal.projectScopes;
  if (projectScopes.length > 0 && !projectScopes.includes(scope)) throw new BulwarkError('BULWARK_FORBIDDEN_SCOPE', `This API key's project does not allow the "${scope}" scope needed here.`, { details: { keyId: verified.principal.keyId } });
  return verified.principal;
}
