import { z } from 'zod';
import { ROLES } from './roles.ts';

/** Signature algorithms an OIDC token may use; symmetric (HS*) and `none` are never accepted. */
export const OIDC_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'EdDSA'] as const;
export type OidcAlgorithm = (typeof OIDC_ALGORITHMS)[number];

export const AdminOidc = z
  .object({
    issuer: z.string().min(1).describe('Expected `iss` claim, exactly as the identity provider writes it (e.g. https://login.example.com/realms/ops).'),
    audience: z.string().min(1).describe('Expected `aud` claim (a string, or one of the array entries): the client id registered for the gateway.'),
    jwksUrl: z.url().optional().describe('URL of the identity provider\'s JWKS (fetched with a timeout, cached for `jwksCacheTtlMs`, refetched when a token names an unknown `kid`).'),
    jwksFile: z.string().min(1).optional().describe('Path of a local JWKS file, for air-gapped sites (read again after `jwksCacheTtlMs` or on an unknown `kid`).'),
    roleClaim: z.string().min(1).default('roles').describe('Claim holding the role name(s), a string or an array; a dotted path such as `realm_access.roles` reads nested objects.'),
    tenantClaim: z.string().min(1).default('tenant').describe('Claim holding the tenant id or name the subject is confined to; owners without it are platform-wide.'),
    roleMap: z.record(z.string(), z.enum(ROLES)).default({}).describe('Role-claim value -> Bulwark role, e.g. {"bulwark-admins": admin}; unmapped values are ignored, and the strongest mapped role wins. A subject with no mapped role falls back to its admin user (`/admin/v1/users`, kind oidc).'),
    algorithms: z.array(z.enum(OIDC_ALGORITHMS)).min(1).default(['RS256', 'ES256', 'EdDSA']).describe('Accepted signature algorithms (the JWK\'s key type must match).'),
    clockSkewSeconds: z.number().int().min(0).max(600).default(60).describe('Tolerance applied to `exp` and `nbf`.'),
    jwksCacheTtlMs: z.number().int().min(1_000).max(86_400_000).default(600_000).describe('How long fetched or read keys are trusted before they are loaded again.'),
    jwksTimeoutMs: z.number().int().min(100).max(60_000).default(5_000).describe('Time allowed to fetch the JWKS URL.'),
  })
  .strict()
  .refine((oidc) => (oidc.jwksUrl === undefined) !== (oidc.jwksFile === undefined), { message: 'expected exactly one of jwksUrl or jwksFile', path: ['jwksUrl'] });
export type AdminOidc = z.infer<typeof AdminOidc>;

export const AdminConfig = z
  .object({
    enabled: z.boolean().default(true).describe('Serve the admin API under /admin/v1 (always behind an admin token or an OIDC token; no loopback exemption).'),
    oidc: AdminOidc.optional().describe('Accept OIDC ID/access tokens (JWT bearer) signed by this issuer; absent: admin tokens only.'),
  })
  .strict();
export type AdminConfig = z.infer<typeof AdminConfig>;
