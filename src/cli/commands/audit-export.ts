import { createWriteStream } from 'node:fs';
import type { Command } from 'commander';
import { contentTypeOf, EXPORT_FORMATS, runExport, type ExportFormat } from '../../audit/export/export.ts';
import { parseBound } from '../../audit/export/records.ts';
import { parseSyslogTarget, streamSink, syslogSink, type ExportSink } from '../../audit/export/sinks.ts';
import { webhookSink } from '../../audit/export/webhook.ts';
import { resolveDataDir } from '../../main.ts';
import { openChainSource } from '../../store/open.ts';
import { configFor } from '../load-config.ts';
import { exitCodes, processIo, type CliIo } from '../io.ts';

export interface AuditExportOptions {
  format?: string;
  since?: string;
  until?: string;
  partition?: string;
  out?: string;
  webhook?: string;
  webhookSecretEnv?: string;
  syslog?: string;
  config?: string;
  dataDir?: string;
}

/** Environment variable holding the webhook HMAC secret unless `--webhook-secret-env` names another. */
export const DEFAULT_WEBHOOK_SECRET_ENV = 'BULWARK_EXPORT_WEBHOOK_SECRET';

function formatOf(value: string | undefined): ExportFormat {
  if (value === undefined || !(EXPORT_FORMATS as readonly string[]).includes(value)) throw new Error(`--format: expected one of ${EXPORT_FORMATS.join(', ')}, got ${JSON.stringify(value ?? '')}`);
  return value as ExportFormat;
}

/** Lines to the CLI's stdout: the real stream with backpressure, or the injected io (tests). */
function stdoutSink(io: CliIo): ExportSink {
  if (io === processIo) return streamSink(process.stdout, false);
  return {
    async write(lines) {
      if (lines.length > 0) io.stdout(`${lines.join('\n')}\n`);
    },
    async close() {},
  };
}

/**
 * `bulwark audit export`: streams stored events (read-only) as JSONL, OCSF or CEF to stdout,
 * a file, a signed webhook or syslog. Exit 0 on success, 2 on bad usage, config or delivery failure.
 */
export async function auditExportCommand(options: AuditExportOptions, io: CliIo): Promise<number> {
  const format = formatOf(options.format);
  const since = parseBound('--since', options.since);
  const until = parseBound('--until', options.until);
  if (since !== undefined && until !== undefined && until <= since) throw new Error(`--until (${options.until}) must be after --since (${options.since})`);
  if (options.partition !== undefined && options.partition.length === 0) throw new Error('--partition: expected a partition (tenant) name');
  const targets = [options.out, options.webhook, options.syslog].filter((v) => v !== undefined);
  if (targets.length > 1) throw new Error('--out, --webhook and --syslog are exclusive: pick one destination');
  if (options.syslog !== undefined && format !== 'cef') throw new Error('--syslog: sends CEF only; use --format cef');
  let secret: string | undefined;
  if (options.webhook !== undefined) {
    if (!/^https?:\/\//.test(options.webhook)) throw new Error(`--webhook: expected an http(s) URL, got ${JSON.stringify(options.webhook)}`);
    const name = options.webhookSecretEnv ?? DEFAULT_WEBHOOK_SECRET_ENV;
    secret = io.env[name];
    if (secret === undefined || secret.length < 16) throw new Error(`--webhook: environment variable ${name} must hold the HMAC secret (at least 16 characters)`);
  }
  const config = configFor(options.config, io.env);
  const dataDir = resolveDataDir(options.dataDir, io.env);
  const opened = await openChainSource(config, dataDir, io.env);
  try {
    let sink: ExportSink;
    if (options.out !== undefined) sink = streamSink(createWriteStream(options.out, { flags: 'w', mode: 0o600 }));
    else if (options.webhook !== undefined)
      sink = webhookSink({
        url: options.webhook,
        secret: secret!,
        contentType: contentTypeOf(format),
        onRetry: ({ attempt, status, error, delayMs }) => io.stderr(`webhook try ${attempt} failed (${status ?? error}); retrying in ${delayMs} ms\n`),
      });
    else if (options.syslog !== undefined) sink = await syslogSink(parseSyslogTarget(options.syslog));
    else sink = stdoutSink(io);
    const filter = {
      ...(options.since !== undefined ? { since: options.since } : {}),
      ...(options.until !== undefined ? { until: options.until } : {}),
      ...(options.partition !== undefined ? { partition: options.partition } : {}),
    };
    const summary = await runExport(opened.source, { format, filter, sink });
    io.stderr(`exported ${summary.records} events as ${summary.lines} ${format} lines from ${opened.describe}\n`);
    return exitCodes.ok;
  } finally {
    await opened.close();
  }
}

/** Registers `audit export` under the `audit` command. */
export function registerAuditExport(audit: Command, context: { io: CliIo; dataDir: () => string | undefined; done: (code: number) => void }): void {
  audit
    .command('export')
    .description('export stored events as jsonl, ocsf or cef (RFC 5424 syslog) to stdout, --out, --webhook or --syslog; exit 0 ok, 2 usage, config or delivery error')
    .requiredOption('--format <format>', 'jsonl (rows as stored + chain fields), ocsf (OCSF 1.1 API Activity + Detection Finding), cef (CEF:0 in RFC 5424 syslog)')
    .option('--since <iso>', 'only events at or after this time')
    .option('--until <iso>', 'only events before this time')
    .option('--partition <name>', 'only this partition (tenant; default: all)')
    .option('--out <file>', 'write to this file (mode 0600) instead of stdout')
    .option('--webhook <url>', `POST signed batches here (secret in $${DEFAULT_WEBHOOK_SECRET_ENV})`)
    .option('--webhook-secret-env <name>', 'environment variable holding the webhook HMAC secret')
    .option('--syslog <target>', 'send CEF to syslog: host:port (UDP), udp://host:port or tcp://host:port')
    .option('-c, --config <file>', 'YAML config file (default: $BULWARK_CONFIG, else environment defaults)')
    .action(async (options: AuditExportOptions) => {
      const dataDir = context.dataDir();
      context.done(await auditExportCommand(dataDir === undefined ? options : { ...options, dataDir }, context.io));
    });
}
