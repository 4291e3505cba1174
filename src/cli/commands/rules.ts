/**
 * `bulwark rules keygen|sign|verify|import`: the publisher side (a key pair, signing RULES.json
 * into a bundle) and the site side (verifying a bundle against the configured trusted keys and
 * installing it where the running gateway picks it up).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Command } from 'commander';
import { resolveDataDir } from '../../main.ts';
import { RulesBundleError, signBundle, verifyBundle, type VerifiedBundle } from '../../rules/format.ts';
import { generatePublisherKey, parseTrustedKeys, readSigningKey } from '../../rules/keys.ts';
import { bundlePathOf } from '../../rules/runtime.ts';
import { exitCodes, type CliIo } from '../io.ts';
import { configFor } from '../load-config.ts';

export interface RulesKeygenOptions {
  out?: string;
}

/** Writes `<out>.pem` (private, 0600) and `<out>.pub.pem`; refuses to overwrite either. */
export function rulesKeygenCommand(options: RulesKeygenOptions, io: CliIo): number {
  const prefix = options.out ?? 'rules-signing-key';
  const key = generatePublisherKey();
  writeFileSync(`${prefix}.pem`, key.privatePem, { mode: 0o600, flag: 'wx' });
  writeFileSync(`${prefix}.pub.pem`, key.publicPem, { mode: 0o644, flag: 'wx' });
  io.stdout(`${JSON.stringify({ keyId: key.keyId, privateKey: `${prefix}.pem`, publicKey: `${prefix}.pub.pem` })}\n`);
  io.stderr(`keep ${prefix}.pem offline; give ${prefix}.pub.pem to sites (rules.trustedKeys)\n`);
  return exitCodes.ok;
}

export interface RulesSignOptions {
  key: string;
  in: string;
  out: string;
}

export function rulesSignCommand(options: RulesSignOptions, io: CliIo): number {
  const key = readSigningKey(options.key);
  const rulesText = readFileSync(options.in, 'utf8');
  let bundle: string;
  try {
    bundle = signBundle(rulesText, key);
  } catch (error) {
    if (error instanceof RulesBundleError) return refused(io, `${options.in}: ${error.message}`);
    throw error;
  }
  writeFileSync(options.out, bundle);
  const envelope = JSON.parse(bundle) as { keyId: string };
  io.stdout(`${JSON.stringify({ out: options.out, keyId: envelope.keyId })}\n`);
  return exitCodes.ok;
}

export interface RulesImportOptions {
  config?: string;
  dataDir?: string;
  json?: boolean;
}

function refused(io: CliIo, message: string): number {
  io.stderr(`bulwark: rule bundle refused: ${message}\n`);
  return exitCodes.blocked;
}

function summary(bundle: VerifiedBundle): Record<string, unknown> {
  return { version: bundle.rules.version, issuedAt: bundle.rules.issuedAt, keyId: bundle.keyId, sha256: bundle.sha256, signatures: bundle.rules.signatures.length, builtinOverrides: Object.keys(bundle.rules.builtin).length };
}

function verifyWithConfig(file: string, options: RulesImportOptions, io: CliIo): { bundle: VerifiedBundle; destination: string } {
  const config = configFor(options.config, io.env);
  const destination = bundlePathOf(config.rules, resolveDataDir(options.dataDir, io.env));
  return { bundle: verifyBundle(readFileSync(file), parseTrustedKeys(config.rules.trustedKeys)), destination };
}

/** Verifies FILE against `rules.trustedKeys` without installing it; exit 1 when refused. */
export function rulesVerifyCommand(file: string, options: RulesImportOptions, io: CliIo): number {
  let bundle: VerifiedBundle;
  try {
    ({ bundle } = verifyWithConfig(file, options, io));
  } catch (error) {
    if (error instanceof RulesBundleError) return refused(io, error.message);
    throw error;
  }
  io.stdout(`${JSON.stringify(summary(bundle))}\n`);
  return exitCodes.ok;
}

/**
 * Verifies FILE and installs it atomically (temp file + rename) at the configured bundle path; a
 * running gateway swaps to it at its next poll. Refuses a bundle older than the installed one.
 */
export function rulesImportCommand(file: string, options: RulesImportOptions, io: CliIo): number {
  let bundle: VerifiedBundle;
  let destination: string;
  try {
    ({ bundle, destination } = verifyWithConfig(file, options, io));
    if (existsSync(destination)) {
      const config = configFor(options.config, io.env);
      let installed: VerifiedBundle | null = null;
      try {
        installed = verifyBundle(readFileSync(destination), parseTrustedKeys(config.rules.trustedKeys));
      } catch {
        // An unverifiable installed file is simply replaced by the verified one.
      }
      if (installed && Date.parse(bundle.rules.issuedAt) < Date.parse(installed.rules.issuedAt)) {
        throw new RulesBundleError('rules.issuedAt', `${bundle.rules.version} (${bundle.rules.issuedAt}) is older than the installed ${installed.rules.version} (${installed.rules.issuedAt})`);
      }
    }
  } catch (error) {
    if (error instanceof RulesBundleError) return refused(io, error.message);
    throw error;
  }
  mkdirSync(dirname(destination), { recursive: true });
  const temporary = `${destination}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  writeFileSync(temporary, readFileSync(file), { mode: 0o644, flag: 'wx' });
  try {
    renameSync(temporary, destination);
  } catch (error) {
    unlinkSync(temporary);
    throw error;
  }
  if (options.json) io.stdout(`${JSON.stringify({ installed: destination, ...summary(bundle) })}\n`);
  else io.stdout(`installed rule bundle ${bundle.rules.version} (key ${bundle.keyId}) at ${destination}\n`);
  return exitCodes.ok;
}

export function registerRulesCommands(program: Command, context: { io: CliIo; dataDir: () => string | undefined; done: (code: number) => void }): void {
  const { io, done } = context;
  const withDataDir = <T extends object>(options: T): T & { dataDir?: string } => {
    const dataDir = context.dataDir();
    return dataDir === undefined ? options : { ...options, dataDir };
  };
  const rules = program.command('rules').description('signed detection rule bundles (src/rules/README.md): publish, verify, install');
  rules
    .command('keygen')
    .description('create a publisher Ed25519 key pair: <out>.pem (private) and <out>.pub.pem')
    .option('--out <prefix>', 'file name prefix (default rules-signing-key)')
    .action((options: RulesKeygenOptions) => done(rulesKeygenCommand(options, io)));
  rules
    .command('sign')
    .description('check RULES.json and sign it into a bundle file')
    .requiredOption('--key <file>', 'publisher private key (PKCS#8 PEM)')
    .requiredOption('--in <file>', 'rules document (format bulwark-rules/1)')
    .requiredOption('--out <file>', 'bundle file to write')
    .action((options: RulesSignOptions) => done(rulesSignCommand(options, io)));
  rules
    .command('verify')
    .description('verify a bundle against rules.trustedKeys without installing it; exit 1 when refused')
    .argument('<file>')
    .option('-c, --config <file>', 'YAML config file (default: $BULWARK_CONFIG, else environment defaults)')
    .action((file: string, options: RulesImportOptions) => done(rulesVerifyCommand(file, withDataDir(options), io)));
  rules
    .command('import')
    .description('verify a bundle and install it at rules.bundlePath (a running gateway picks it up); exit 1 when refused')
    .argument('<file>')
    .option('-c, --config <file>', 'YAML config file (default: $BULWARK_CONFIG, else environment defaults)')
    .option('--json', 'print JSON')
    .action((file: string, options: RulesImportOptions) => done(rulesImportCommand(file, withDataDir(options), io)));
}
