import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config/load.ts';
import { registerAccessCommands } from './commands/access-commands.ts';
import { registerAdminTokenCommands } from './commands/admin-tokens.ts';
import { auditVerifyCommand, type AuditVerifyOptions } from './commands/audit.ts';
import { registerAuditRetention } from './commands/audit-retention.ts';
import { registerAuditExport } from './commands/audit-export.ts';
import { configCheckCommand, configSchemaCommand } from './commands/config.ts';
import { evalCommand, type EvalOptions } from './commands/eval.ts';
import { registerReviewCommands } from './commands/review.ts';
import { reportCommand, type ReportOptions } from './commands/report.ts';
import { registerRulesCommands } from './commands/rules.ts';
import { scanCommand } from './commands/scan.ts';
import { serveCommand } from './commands/serve.ts';
import { exitCodes, processIo, type CliIo } from './io.ts';

/** Parses argv, runs one command, and returns its exit code (the only place exit codes are decided). */
export async function run(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  let code: number = exitCodes.ok;
  const program = new Command('bulwark')
    .description('Bulwark: a security gateway for generative-AI inference')
    .version('0.1.0')
    .option('--data-dir <dir>', 'directory for all local state (default: $BULWARK_DATA_DIR or ./.bulwark)')
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.stdout(text), writeErr: (text) => io.stderr(text) });
  const dataDir = (): string | undefined => program.opts<{ dataDir?: string }>().dataDir;

  program
    .command('serve')
    .description('run the gateway (embedded SQLite, default policy unless --config)')
    .option('-c, --config <file>', 'YAML config file (default: $BULWARK_CONFIG, else environment defaults)')
    .option('-p, --port <n>', 'port to listen on (default 8700)')
    .option('-H, --host <host>', 'address to bind (default 127.0.0.1)')
    .action(async (options: { config?: string; port?: string; host?: string }) => {
      code = await serveCommand({ ...options, ...optional('dataDir', dataDir()) }, io);
    });

  program
    .command('scan')
    .description('scan TEXT (or stdin with "-") with the policy; exit 1 when it would be blocked')
    .argument('<text>', 'text to scan, or - for stdin')
    .option('--json', 'print the full result as JSON')
    .option('--output', 'scan the text as a model response instead of a prompt')
    .option('-c, --config <file>', 'YAML config file')
    .action(async (text: string, options: { json?: boolean; output?: boolean; config?: string }) => {
      code = await scanCommand(text, { ...options, ...optional('dataDir', dataDir()) }, io);
    });

  program
    .command('eval')
    .description('measure a detector on labelled JSONL (text, label, category?, source?); exit 2 on bad usage or data')
    .requiredOption('--detector <name>', 'prompt-injection, indirect-injection, input (the default policy request phase), harmful, toxicity, secrets, or pii (span metrics)')
    .requiredOption('--data <file>', 'JSONL file to score')
    .option('--json', 'print exactly one JSON object')
    .option('--threshold <x>', 'flag at or above this score (default: the model\'s calibrated threshold)')
    .option('--transform <name>', 'evasion applied to every positive: base64, hex, rot13, leet, homoglyph, zero-width, tag-smuggle, emoji-smuggle, split')
    .option('--transform-negatives', 'apply --transform to the negatives too: how often benign text under that evasion is flagged')
    .option('--split <part>', 'for --detector pii (rows {text, spans}): tune, measure or all (default all)')
    .option('--category <names>', 'score only rows whose `category` is one of these (comma-separated), e.g. benign_hard')
    .action(async (options: EvalOptions) => {
      code = await evalCommand(options, io);
    });

  registerAccessCommands(program, { io, dataDir, done: (result) => (code = result) });
  registerAdminTokenCommands(program, { io, dataDir, done: (result) => (code = result) });
  registerReviewCommands(program, { io, dataDir, done: (result) => (code = result) });
  registerRulesCommands(program, { io, dataDir, done: (result) => (code = result) });
  program
    .command('report')
    .description('write a compliance report for a period: controls in force, what fired, review outcomes, audit chain check')
    .requiredOption('--framework <name>', 'hipaa, gdpr, pci-dss, eu-ai-act, owasp-llm-top10 or nist-ai-rmf')
    .requiredOption('--from <iso>', 'period start (inclusive), e.g. 2026-01-01')
    .requiredOption('--to <iso>', 'period end (exclusive)')
    .requiredOption('--out <file>', 'report.html (self-contained) or report.pdf (needs headless Chromium)')
    .option('-c, --config <file>', 'YAML config file (default: $BULWARK_CONFIG, else environment defaults)')
    .action(async (options: ReportOptions) => {
      code = await reportCommand({ ...options, ...optional('dataDir', dataDir()) }, io);
    });

  const audit = program
    .command('audit')
    .description('work with the tamper-evident audit chain of stored events');
  audit
    .command('verify')
    .description('verify the audit chain of the configured store; exit 0 ok, 1 problem found, 2 usage or config error')
    .option('--from <seq>', 'first seq to check (default 1)')
    .option('--to <seq>', 'last seq to check (default: the head)')
    .option('--partition <name>', 'only this partition (tenant; default: all)')
    .option('--workers <n>', 'worker threads checking seq ranges in parallel (default: up to 4 by CPUs; 0: one thread)')
    .option('--json', 'print exactly one JSON object')
    .option('-c, --config <file>', 'YAML config file (default: $BULWARK_CONFIG, else environment defaults)')
    .action(async (options: AuditVerifyOptions) => {
      code = await auditVerifyCommand({ ...options, ...optional('dataDir', dataDir()) }, io);
    });
  registerAuditExport(audit, { io, dataDir, done: (result) => (code = result) });
  registerAuditRetention(audit, { io, dataDir, done: (result) => (code = result) });

  const config = program.command('config').description('work with configuration files');
  config
    .command('check')
    .description('validate a config file (schema and scanner settings) without starting anything')
    .argument('<file>')
    .action((file: string) => {
      code = configCheckCommand(file, io);
    });
  config
    .command('schema')
    .description('print the JSON Schema of the config file')
    .action(() => {
      code = configSchemaCommand(io);
    });

  try {
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? exitCodes.ok : exitCodes.usage;
    if (error instanceof ConfigError) {
      io.stderr(`bulwark: invalid configuration\n${error.message}\n`);
      return exitCodes.usage;
    }
    io.stderr(`bulwark: ${error instanceof Error ? error.message : String(error)}\n`);
    return exitCodes.usage;
  }
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}
