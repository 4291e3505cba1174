import { writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { resolveDataDir } from '../../main.ts';
import { htmlToPdf } from '../../reports/chromium.ts';
import { frameworkOf } from '../../reports/frameworks.ts';
import { gatherReport, parsePeriod } from '../../reports/gather.ts';
import { renderReportHtml } from '../../reports/html.ts';
import { createLogger } from '../../telemetry/logger.ts';
import { configFor } from '../load-config.ts';
import { exitCodes, type CliIo } from '../io.ts';

export interface ReportOptions {
  framework: string;
  from?: string;
  to?: string;
  out: string;
  config?: string;
  dataDir?: string;
}

/** `bulwark report`: a compliance report for a period, as self-contained HTML or (through headless Chromium) PDF. */
export async function reportCommand(options: ReportOptions, io: CliIo): Promise<number> {
  const framework = frameworkOf(options.framework);
  const { from, to } = parsePeriod(options.from, options.to);
  const format = options.out.endsWith('.pdf') ? 'pdf' : options.out.endsWith('.html') || options.out.endsWith('.htm') ? 'html' : null;
  if (format === null) throw new Error(`--out: expected a file ending in .html or .pdf, got ${JSON.stringify(options.out)}`);
  const config = configFor(options.config, io.env);
  const dataDir = resolveDataDir(options.dataDir, io.env);
  let by = 'unknown';
  try {
    by = userInfo().username;
  } catch {
    // no user name (container without passwd entry)
  }
  const data = await gatherReport({ config, dataDir, env: io.env, logger: createLogger({ level: 'silent' }), framework, from, to, by });
  const html = renderReportHtml(data);
  writeFileSync(options.out, format === 'pdf' ? await htmlToPdf(html) : html);
  const chain = 'error' in data.chain ? `not verified (${data.chain.error})` : data.chain.ok ? 'ok' : 'PROBLEMS FOUND';
  io.stdout(`wrote ${options.out}: ${framework.id}, ${data.totals.events} events, ${data.totals.findings} findings, audit chain ${chain}\n`);
  return exitCodes.ok;
}
