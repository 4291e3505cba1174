import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Command } from 'commander';
import { createSqliteAdminStore } from '../../auth/sqlite-admin-store.ts';
import type { AdminStore } from '../../auth/admin-types.ts';
import { parseDuration } from '../../auth/key-format.ts';
import { isRole, ROLES } from '../../auth/roles.ts';
import { loadMasterKeyring } from '../../crypto/master-key.ts';
import { resolveDataDir } from '../../main.ts';
import { exitCodes, type CliIo } from '../io.ts';
import { table, tenantOf, withStore, type AccessCommandOptions } from './access.ts';

/** `bulwark admin-tokens create|list|revoke`: tokens for the admin API (/admin/v1), each bound to a token user with one role. */

export interface AdminTokensCreateOptions extends AccessCommandOptions {
  role: string;
  tenant?: string;
  name?: string;
  expiresIn?: string;
}

function withAdminStore<T>(options: AccessCommandOptions, io: CliIo, work: (store: AdminStore) => T): T {
  const dataDir = resolveDataDir(options.dataDir, io.env);
  const store = createSqliteAdminStore({ path: join(dataDir, 'control.db'), keyring: () => loadMasterKeyring(dataDir, io.env) });
  try {
    return work(store);
  } finally {
    store.close();
  }
}

export function adminTokensCreateCommand(options: AdminTokensCreateOptions, io: CliIo): number {
  if (!isRole(options.role)) throw new Error(`--role: expected one of ${ROLES.join(', ')}, got "${options.role}"`);
  const role = options.role;
  const tenantId = options.tenant === undefined ? null : withStore(options, io, (keys) => tenantOf(keys, options.tenant!).id);
  if (tenantId === null && role !== 'owner') throw new Error(`--tenant: the ${role} role needs a tenant (only owners may be platform-wide)`);
  const expiresAt = options.expiresIn === undefined ? null : new Date(Date.now() + parseDuration(options.expiresIn, '--expires-in')).toISOString();
  const created = withAdminStore(options, io, (store) => {
    const user = store.createUser({ kind: 'token', subject: options.name ?? `${role}-${randomBytes(4).toString('hex')}`, role, tenantId });
    return store.createToken(user.id, { expiresAt });
  });
  if (options.json) io.stdout(`${JSON.stringify({ token: created.token, ...created.record, role, tenantId, subject: created.user.subject })}\n`);
  else {
    io.stdout(`${created.token}\n`);
    io.stderr(`created admin token ${created.record.id} for user ${created.user.id} (${role}${tenantId ? ` of ${tenantId}` : ', platform-wide'}); it is shown once, store it now\n`);
  }
  return exitCodes.ok;
}

export function adminTokensListCommand(options: AccessCommandOptions, io: CliIo): number {
  const rows = withAdminStore(options, io, (store) => store.listUsers().filter((user) => user.kind === 'token').flatMap((user) => store.listTokens(user.id).map((token) => ({ ...token, role: user.role, tenantId: user.tenantId, subject: user.subject }))));
  if (options.json) io.stdout(`${JSON.stringify(rows)}\n`);
  else io.stdout(rows.length === 0 ? 'no admin tokens\n' : table([['ID', 'USER', 'SUBJECT', 'ROLE', 'TENANT', 'CREATED', 'STATUS'], ...rows.map((row) => [row.id, row.userId, row.subject, row.role, row.tenantId ?? '(platform)', row.createdAt, row.revokedAt ? 'revoked' : row.expiresAt && Date.parse(row.expiresAt) <= Date.now() ? 'expired' : 'active'])]));
  return exitCodes.ok;
}

export function adminTokensRevokeCommand(id: string, options: AccessCommandOptions, io: CliIo): number {
  const record = withAdminStore(options, io, (store) => store.revokeToken(id));
  io.stdout(options.json ? `${JSON.stringify(record)}\n` : `revoked admin token ${record.id}\n`);
  return exitCodes.ok;
}

/** Registers `admin-tokens` on the program. */
export function registerAdminTokenCommands(program: Command, context: { io: CliIo; dataDir: () => string | undefined; done: (code: number) => void }): void {
  const { io, done } = context;
  const base = <T extends object>(options: T): T & { dataDir?: string } => {
    const dataDir = context.dataDir();
    return dataDir === undefined ? options : { ...options, dataDir };
  };
  const tokens = program.command('admin-tokens').description('manage admin API tokens (bwa_…); a token is shown once, only its hash is stored');
  tokens
    .command('create')
    .description('create an admin user with one role and print its token once')
    .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`)
    .option('--tenant <tenant>', 'tenant id or name the token is confined to (required except for owners)')
    .option('--name <name>', 'a label for the token user')
    .option('--expires-in <duration>', 'lifetime such as 30d, 12h (default: never)')
    .option('--json', 'print JSON (includes the token)')
    .action((options: AdminTokensCreateOptions) => done(adminTokensCreateCommand(base(options), io)));
  tokens.command('list').option('--json', 'print JSON').description('list admin tokens (never secrets or hashes)').action((options: { json?: boolean }) => done(adminTokensListCommand(base(options), io)));
  tokens.command('revoke').argument('<id>').option('--json', 'print JSON').description('revoke an admin token at once').action((id: string, options: { json?: boolean }) => done(adminTokensRevokeCommand(id, base(options), io)));
}
