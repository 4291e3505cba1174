import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../config/schema.ts';
import { loadMasterKeyring, type MasterKeyring } from '../crypto/master-key.ts';
import { openPostgresVaultStore } from '../pseudonyms/postgres-vault-store.ts';
import { Pseudonymizer } from '../pseudonyms/pseudonymizer.ts';
import { createSqliteVaultStore } from '../pseudonyms/vault-store.ts';
import { postgresUrl } from '../store/open.ts';

/** Expired vault rows are deleted this often (and once at startup). */
const PURGE_INTERVAL_MS = 10 * 60_000;

function keyringFor(dataDir: string, env: NodeJS.ProcessEnv, logger: Logger): MasterKeyring {
  const keyring = loadMasterKeyring(dataDir, env);
  if (keyring.source === 'generated') logger.warn({ path: join(dataDir, 'master.key') }, 'generated a master key for data at rest; back it up or set BULWARK_MASTER_KEY');
  return keyring;
}

/**
 * The embedded vault (`<dataDir>/vault.db`, sealed under the master key) when the policy
 * pseudonymises, else null. Synchronous: for callers that serve one node (the CLI scan);
 * `startGateway` uses {@link openPseudonymizer}, which follows `storage.kind`.
 */
export function createPseudonymizer(config: Config, dataDir: string, env: NodeJS.ProcessEnv, logger: Logger): Pseudonymizer | null {
  const settings = config.policy.pseudonymisation;
  if (!settings.enabled) return null;
  const store = createSqliteVaultStore(join(dataDir, 'vault.db'), keyringFor(dataDir, env, logger));
  const pseudonymizer = new Pseudonymizer(store, { ttlSeconds: settings.ttlSeconds, purgeIntervalMs: PURGE_INTERVAL_MS }, logger);
  pseudonymizer.purgeExpired();
  return pseudonymizer;
}

/**
 * The vault the configuration calls for: with `storage.kind: postgres` the shared PostgreSQL vault
 * in `storage.postgres.schema` (migrated here), so every gateway on the database serves the same
 * conversations; otherwise the embedded SQLite one. Null when the policy does not pseudonymise.
 */
export async function openPseudonymizer(config: Config, dataDir: string, env: NodeJS.ProcessEnv, logger: Logger): Promise<Pseudonymizer | null> {
  const settings = config.policy.pseudonymisation;
  if (!settings.enabled) return null;
  if (config.storage.kind !== 'postgres') return createPseudonymizer(config, dataDir, env, logger);
  const keyring = keyringFor(dataDir, env, logger);
  const { postgres } = config.storage;
  let store;
  try {
    store = await openPostgresVaultStore({
      connectionString: postgresUrl(postgres.url, env),
      schema: postgres.schema,
      keyring,
      poolSize: postgres.poolSize,
      onIdleError: (error) => logger.warn({ err: error.message }, 'pseudonym vault lost an idle PostgreSQL connection'),
    });
  } catch (error) {
    throw new Error(`policy.pseudonymisation: cannot open the pseudonym vault in PostgreSQL schema ${postgres.schema} (${error instanceof Error ? error.message : String(error)})`);
  }
  const pseudonymizer = new Pseudonymizer(store, { ttlSeconds: settings.ttlSeconds, purgeIntervalMs: PURGE_INTERVAL_MS }, logger);
  try {
    await pseudonymizer.purgeExpired();
    // Every gateway sharing the vault needs the same master key, or conversations do not carry across instances.
    const foreign = await store.foreignKeys(Date.now() - settings.ttlSeconds * 1000);
    if (foreign.length > 0) logger.warn({ keyIds: foreign, keyId: keyring.current.id }, 'pseudonym vault: other gateways on this database seal with a master key this one does not hold; give every instance the same BULWARK_MASTER_KEY');
    else if (keyring.source !== 'env' && keyring.source !== 'file') logger.info({ keyId: keyring.current.id }, 'pseudonym vault in PostgreSQL: every gateway sharing it needs this master key (BULWARK_MASTER_KEY or BULWARK_MASTER_KEY_FILE)');
  } catch (error) {
    await pseudonymizer.close();
    throw new Error(`policy.pseudonymisation: the pseudonym vault in PostgreSQL schema ${postgres.schema} is not usable (${error instanceof Error ? error.message : String(error)})`);
  }
  return pseudonymizer;
}
