import { join } from 'node:path';
import { parseDuration } from '../../auth/key-format.ts';
import { createSqliteKeyStore } from '../../auth/sqlite-key-store.ts';
import type { ApiKeyRecord, KeyStore, LimitScope, Project, Tenant } from '../../auth/types.ts';
import { resolveDataDir } from '../../main.ts';
import { exitCodes, type CliIo } from '../io.ts';

/** `bulwark tenants|projects|keys|limits …`: manage the control store (control.db) of the data directory. */

export interface AccessCommandOptions {
  dataDir?: string;
  json?: boolean;
}

export function withStore<T>(options: AccessCommandOptions, io: CliIo, work: (store: KeyStore) => T): T {
  const store = createSqliteKeyStore({ path: join(resolveDataDir(options.dataDir, io.env), 'control.db'), cacheTtlMs: 0 });
  try {
    return work(store);
  } finally {
    store.close();
  }
}

export function tenantOf(store: KeyStore, idOrName: string): Tenant {
  const tenant = store.findTenant(idOrName);
  if (!tenant) throw new Error(`--tenant: no tenant with id or name "${idOrName}" (see \`bulwark tenants list\`)`);
  return tenant;
}

export function projectOf(store: KeyStore, tenant: Tenant, idOrName: string): Project {
  const project = store.findProject(idOrName, tenant.id);
  if (!project) throw new Error(`--project: no project with id or name "${idOrName}" in tenant ${tenant.name} (see \`bulwark projects list\`)`);
  return project;
}

export const table = (rows: string[][]): string => {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return `${rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd()).join('\n')}\n`;
};

const list = (value: string | undefined): string[] => (value === undefined ? [] : value.split(',').map((item) => item.trim()).filter((item) => item !== ''));

export function tenantsCreateCommand(name: string, options: AccessCommandOptions, io: CliIo): number {
  const tenant = withStore(options, io, (store) => store.createTenant(name));
  io.stdout(options.json ? `${JSON.stringify(tenant)}\n` : `created tenant ${tenant.name} (${tenant.id})\n`);
  return exitCodes.ok;
}

export function tenantsListCommand(options: AccessCommandOptions, io: CliIo): number {
  const tenants = withStore(options, io, (store) => store.listTenants());
  if (options.json) io.stdout(`${JSON.stringify(tenants)}\n`);
  else io.stdout(tenants.length === 0 ? 'no tenants\n' : table([['ID', 'NAME', 'CREATED'], ...tenants.map((tenant) => [tenant.id, tenant.name, tenant.createdAt])]));
  return exitCodes.ok;
}

export function projectsCreateCommand(name: string, options: AccessCommandOptions & { tenant: string }, io: CliIo): number {
  const project = withStore(options, io, (store) => store.createProject(tenantOf(store, options.tenant).id, name));
  io.stdout(options.json ? `${JSON.stringify(project)}\n` : `created project ${project.name} (${project.id}) in tenant ${project.tenantId}\n`);
  return exitCodes.ok;
}

/** `bulwark projects set P --tenant T [--models GLOBS] [--providers IDS] [--scopes S]`: the project's allow-lists (comma-separated; an empty string clears one). */
export function projectsSetCommand(project: string, options: AccessCommandOptions & { tenant: string; models?: string; providers?: string; scopes?: string }, io: CliIo): number {
  if (options.models === undefined && options.providers === undefined && options.scopes === undefined) {
    io.stderr('bulwark projects set: give --models, --providers and/or --scopes (comma-separated; "" clears)\n');
    return exitCodes.usage;
  }
  const list = (value: string | undefined) => (value === undefined ? undefined : value.split(',').map((item) => item.trim()).filter((item) => item !== ''));
  const updated = withStore(options, io, (store) => {
    const found = projectOf(store, tenantOf(store, options.tenant), project);
    const models = list(options.models);
    const providers = list(options.providers);
    const scopes = list(options.scopes);
    return store.setProjectAllowLists(found.id, { ...(models ? { models } : {}), ...(providers ? { providers } : {}), ...(scopes ? { scopes } : {}) });
  });
  io.stdout(options.json ? `${JSON.stringify(updated)}\n` : `project ${updated.name}: models ${updated.models.join(',') || 'any'}; providers ${updated.providers.join(',') || 'any'}; scopes ${updated.scopes.join(',') || 'any'}\n`);
  return exitCodes.ok;
}

export function projectsListCommand(options: AccessCommandOptions & { tenant?: string }, io: CliIo): number {
  const projects = withStore(options, io, (store) => store.listProjects(options.tenant === undefined ? undefined : tenantOf(store, options.tenant).id));
  if (options.json) io.stdout(`${JSON.stringify(projects)}\n`);
  else io.stdout(projects.length === 0 ? 'no projects\n' : table([['ID', 'TENANT', 'NAME', 'CREATED'], ...projects.map((project) => [project.id, project.tenantId, project.name, project.createdAt])]));
  return exitCodes.ok;
}

export interface KeysCreateOptions extends AccessCommandOptions {
  tenant: string;
  project: string;
  name?: string;
  models?: string;
  providers?: string;
  scopes?: string;
  expiresIn?: string;
}

function printKeyOnce(key: string, record: ApiKeyRecord, options: AccessCommandOptions, io: CliIo, verb: string): void {
  if (options.json) io.stdout(`${JSON.stringify({ key, ...record })}\n`);
  else io.stdout(`${verb} key ${record.id} (tenant ${record.tenantId}, project ${record.projectId})\n${key}\nThis is the only time the key is shown; store it now.\n`);
}

export function keysCreateCommand(options: KeysCreateOptions, io: CliIo): number {
  const expiresAt = options.expiresIn === undefined ? null : new Date(Date.now() + parseDuration(options.expiresIn, '--expires-in')).toISOString();
  const created = withStore(options, io, (store) => {
    const tenant = tenantOf(store, options.tenant);
    const project = projectOf(store, tenant, options.project);
    return store.createKey({
      tenantId: tenant.id,
      projectId: project.id,
      ...(options.name !== undefined ? { name: options.name } : {}),
      models: list(options.models),
      providers: list(options.providers),
      ...(options.scopes !== undefined ? { scopes: list(options.scopes) } : {}),
      expiresAt,
    });
  });
  printKeyOnce(created.key, created.record, options, io, 'created');
  return exitCodes.ok;
}

function keyStatus(key: ApiKeyRecord, now: number): string {
  if (key.revokedAt) return 'revoked';
  if (key.overlapUntil) return now >= Date.parse(key.overlapUntil) ? 'rotated' : `rotating until ${key.overlapUntil}`;
  if (key.expiresAt && now >= Date.parse(key.expiresAt)) return 'expired';
  return 'active';
}

export function keysListCommand(options: AccessCommandOptions & { tenant?: string }, io: CliIo): number {
  // listKeys returns records without hashes; the secret is never stored at all.
  const { keys, suspended } = withStore(options, io, (store) => {
    const keys = store.listKeys(options.tenant === undefined ? {} : { tenantId: tenantOf(store, options.tenant).id });
    return { keys, suspended: new Set(keys.filter((key) => store.suspension(key.id) !== null).map((key) => key.id)) };
  });
  const now = Date.now();
  const status = (key: ApiKeyRecord, at: number): string => {
    const base = keyStatus(key, at);
    return base === 'active' && suspended.has(key.id) ? 'suspended' : base;
  };
  if (options.json) io.stdout(`${JSON.stringify(keys.map((key) => ({ ...key, status: status(key, now) })))}\n`);
  else
    io.stdout(
      keys.length === 0
        ? 'no keys\n'
        : table([['ID', 'PREFIX', 'TENANT', 'PROJECT', 'NAME', 'SCOPES', 'MODELS', 'EXPIRES', 'STATUS'], ...keys.map((key) => [key.id, `bwk_${key.prefix}_…`, key.tenantId, key.projectId, key.name, key.scopes.join(','), key.models.join(',') || '*', key.expiresAt ?? 'never', status(key, now)])]),
    );
  return exitCodes.ok;
}

export function keysRevokeCommand(id: string, options: AccessCommandOptions, io: CliIo): number {
  const key = withStore(options, io, (store) => store.revokeKey(id));
  io.stdout(options.json ? `${JSON.stringify(key)}\n` : `revoked key ${key.id} at ${key.revokedAt}; gateways refuse it within their auth.cacheTtlMs\n`);
  return exitCodes.ok;
}

export function keysRotateCommand(id: string, options: AccessCommandOptions & { overlap?: string }, io: CliIo): number {
  const overlapMs = options.overlap === undefined ? 3_600_000 : parseDuration(options.overlap, '--overlap');
  const created = withStore(options, io, (store) => store.rotateKey(id, overlapMs));
  printKeyOnce(created.key, created.record, options, io, `rotated ${id} (valid for ${overlapMs / 1000} s more) to`);
  return exitCodes.ok;
}

export interface LimitsSetOptions extends AccessCommandOptions {
  tenant?: string;
  project?: string;
  key?: string;
  rpm?: string;
  tpm?: string;
  concurrent?: string;
}

/** `bulwark limits set`: stores an override for one key, project or tenant (fields left out fall back to the config defaults). */
export function limitsSetCommand(options: LimitsSetOptions, io: CliIo): number {
  const count = (value: string | undefined, flag: string): number | null => {
    if (value === undefined || value === 'none') return null;
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < 0) throw new Error(`${flag}: expected an integer >= 0 or "none", got "${value}"`);
    return parsed;
  };
  const override = { requestsPerMinute: count(options.rpm, '--rpm'), tokensPerMinute: count(options.tpm, '--tpm'), concurrent: count(options.concurrent, '--concurrent') };
  const target = withStore(options, io, (store): { scope: LimitScope; id: string } => {
    let target: { scope: LimitScope; id: string };
    if (options.key !== undefined) {
      if (!store.getKey(options.key)) throw new Error(`--key: no key with id "${options.key}"`);
      target = { scope: 'key', id: options.key };
    } else {
      if (options.tenant === undefined) throw new Error('expected --key ID, or --tenant T with an optional --project P');
      const tenant = tenantOf(store, options.tenant);
      target = options.project === undefined ? { scope: 'tenant', id: tenant.id } : { scope: 'project', id: projectOf(store, tenant, options.project).id };
    }
    store.setLimitOverride(target.scope, target.id, override);
    return target;
  });
  io.stdout(options.json ? `${JSON.stringify({ ...target, ...override })}\n` : `limits for ${target.scope} ${target.id}: ${JSON.stringify(override)} (null: config default)\n`);
  return exitCodes.ok;
}
