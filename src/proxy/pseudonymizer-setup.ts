import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../config/schema.ts';
import { loadMasterKeyring } from '../crypto/master-key.ts';
import { Pseudonymizer } from '../pseudonyms/pseudonymizer.ts';
import { createSqliteVaultStore } from '../pseudonyms/vault-store.ts';

/** The vault when the policy pseudonymises (`<dataDir>/vault.db`, sealed under the master key), else null. */
export function createPseudonymizer(config: Config, dataDir: string, env: NodeJS.ProcessEnv, logger: Logger): Pseudonymizer | null {
  const settings = config.policy.pseudonymisation;
  if (!settings.enabled) return null;
  const keyring = loadMasterKeyring(dataDir, env);
  if (keyring.source === 'generated') logger.warn({ path: join(dataDir, 'master.key') }, 'generated a master key for data at rest; back it up or set BULWARK_MASTER_KEY');
  const store = createSqliteVaultStore(join(dataDir, 'vault.db'), keyring);
  const pseudonymizer = new Pseudonymizer(store, { ttlSeconds: settings.ttlSeconds }, logger);
  pseudonymizer.purgeExpired();
  return pseudonymizer;
}
