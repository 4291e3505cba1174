import { join } from 'node:path';
import { loadMasterKeyring, type MasterKeyring } from '../crypto/master-key.ts';
import type { AdminConfig } from './admin-config.ts';
import type { AdminStore } from './admin-types.ts';
import { JwksSource } from './jwks.ts';
import { createSqliteAdminStore } from './sqlite-admin-store.ts';

/** What the admin API needs besides the key store: the admin store (control.db) and, when configured, the OIDC key source. */
export interface AdminAccess {
  config: AdminConfig;
  store: AdminStore;
  /** Null when `admin.oidc` is absent (admin tokens only). */
  jwks: JwksSource | null;
  close(): void;
}

/** Opens the admin store in the data directory; the master keyring is loaded on first credential use. */
export function createAdminAccess(options: { config: AdminConfig; dataDir: string; env?: NodeJS.ProcessEnv }): AdminAccess {
  let keyring: MasterKeyring | null = null;
  const store = createSqliteAdminStore({
    path: join(options.dataDir, 'control.db'),
    keyring: () => (keyring ??= loadMasterKeyring(options.dataDir, options.env ?? process.env)),
  });
  const oidc = options.config.oidc;
  const jwks = oidc
    ? new JwksSource({ ...(oidc.jwksUrl !== undefined ? { url: oidc.jwksUrl } : { file: oidc.jwksFile! }), ttlMs: oidc.jwksCacheTtlMs, timeoutMs: oidc.jwksTimeoutMs })
    : null;
  return { config: options.config, store, jwks, close: () => store.close() };
}
