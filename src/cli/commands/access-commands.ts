import type { Command } from 'commander';
import type { CliIo } from '../io.ts';
import {
  keysCreateCommand,
  keysListCommand,
  keysRevokeCommand,
  keysRotateCommand,
  limitsSetCommand,
  projectsCreateCommand, projectsSetCommand,
  projectsListCommand,
  tenantsCreateCommand,
  tenantsListCommand,
  type KeysCreateOptions,
  type LimitsSetOptions,
} from './access.ts';
import { registerBudgetCommands } from './budgets-commands.ts';
import { keysUnsuspendCommand } from './budgets.ts';

/** Registers `tenants`, `projects`, `keys` and `limits` on the program; `done` receives each command's exit code. */
export function registerAccessCommands(program: Command, context: { io: CliIo; dataDir: () => string | undefined; done: (code: number) => void }): void {
  const { io, done } = context;
  const base = <T extends object>(options: T): T & { dataDir?: string } => {
    const dataDir = context.dataDir();
    return dataDir === undefined ? options : { ...options, dataDir };
  };

  const tenants = program.command('tenants').description('manage tenants (organisations that own projects and keys) in control.db');
  tenants.command('create').argument('<name>').option('--json', 'print JSON').description('create a tenant').action((name: string, options: { json?: boolean }) => done(tenantsCreateCommand(name, base(options), io)));
  tenants.command('list').option('--json', 'print JSON').description('list tenants').action((options: { json?: boolean }) => done(tenantsListCommand(base(options), io)));

  const projects = program.command('projects').description('manage projects (owned by a tenant, own API keys)');
  projects.command('create').argument('<name>').requiredOption('--tenant <tenant>', 'tenant id or name').option('--json', 'print JSON').description('create a project').action((name: string, options: { tenant: string; json?: boolean }) => done(projectsCreateCommand(name, base(options), io)));
  projects
    .command('set')
    .argument('<project>', 'project id or name')
    .requiredOption('--tenant <tenant>', 'tenant id or name')
    .option('--models <globs>', 'comma-separated model globs every key of the project is limited to ("" clears)')
    .option('--providers <ids>', 'comma-separated provider ids every key of the project is limited to ("" clears)')
    .option('--scopes <scopes>', 'comma-separated scopes (inference, scan) every key of the project is limited to ("" clears)')
    .option('--json', 'print JSON')
    .description("set a project's model, provider and scope allow-lists (a key needs both its own and its project's)")
    .action((project: string, options: { tenant: string; models?: string; providers?: string; scopes?: string; json?: boolean }) => done(projectsSetCommand(project, { ...base(options), tenant: options.tenant, ...(options.models === undefined ? {} : { models: options.models }), ...(options.providers === undefined ? {} : { providers: options.providers }), ...(options.scopes === undefined ? {} : { scopes: options.scopes }) }, io)));
  projects.command('list').option('--tenant <tenant>', 'only this tenant (id or name)').option('--json', 'print JSON').description('list projects').action((options: { tenant?: string; json?: boolean }) => done(projectsListCommand(base(options), io)));

  const keys = program.command('keys').description('manage API keys; a key is shown once, only its hash is stored');
  keys
    .command('create')
    .description('create a key and print it once')
    .requiredOption('--tenant <tenant>', 'tenant id or name')
    .requiredOption('--project <project>', 'project id or name')
    .option('--name <name>', 'a label for the key')
    .option('--models <globs>', 'comma-separated model globs the key may call (default: all)')
    .option('--providers <ids>', 'comma-separated provider ids the key may reach (default: all)')
    .option('--scopes <scopes>', 'comma-separated scopes: inference, scan, admin (default: inference,scan)')
    .option('--expires-in <duration>', 'lifetime such as 30d, 12h (default: never)')
    .option('--json', 'print JSON (includes the key)')
    .action((options: KeysCreateOptions) => done(keysCreateCommand(base(options), io)));
  keys.command('list').option('--tenant <tenant>', 'only this tenant (id or name)').option('--json', 'print JSON').description('list keys (never secrets or hashes)').action((options: { tenant?: string; json?: boolean }) => done(keysListCommand(base(options), io)));
  keys.command('revoke').argument('<id>').option('--json', 'print JSON').description('revoke a key at once').action((id: string, options: { json?: boolean }) => done(keysRevokeCommand(id, base(options), io)));
  keys
    .command('rotate')
    .argument('<id>')
    .option('--overlap <duration>', 'how long the old key keeps working (default 1h)')
    .option('--json', 'print JSON (includes the new key)')
    .description('issue a replacement key; the old one works until the overlap ends')
    .action((id: string, options: { overlap?: string; json?: boolean }) => done(keysRotateCommand(id, base(options), io)));
  keys.command('unsuspend').argument('<id>').option('--json', 'print JSON').description('lift a suspension (set by abuse detection)').action((id: string, options: { json?: boolean }) => done(keysUnsuspendCommand(id, base(options), io)));

  const limits = program.command('limits').description('per-key, per-project and per-tenant rate-limit overrides');
  limits
    .command('set')
    .description('store an override (omitted or "none" fields use the config defaults)')
    .option('--tenant <tenant>', 'tenant id or name')
    .option('--project <project>', 'project id or name (with --tenant)')
    .option('--key <id>', 'key id')
    .option('--rpm <n>', 'requests per minute')
    .option('--tpm <n>', 'tokens per minute')
    .option('--concurrent <n>', 'requests in flight')
    .option('--json', 'print JSON')
    .action((options: LimitsSetOptions) => done(limitsSetCommand(base(options), io)));

  registerBudgetCommands(program, { io, base, done });
}
