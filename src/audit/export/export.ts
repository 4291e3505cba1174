import type { ChainSource } from '../verify.ts';
import { toCef, toSyslog } from './cef.ts';
import { toJsonl } from './jsonl.ts';
import { toOcsf } from './ocsf.ts';
import { exportRecords, type ExportFilter, type ExportRecord } from './records.ts';
import type { ExportSink } from './sinks.ts';

export const EXPORT_FORMATS = ['jsonl', 'ocsf', 'cef'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Content type of a format's lines (webhook bodies). */
export function contentTypeOf(format: ExportFormat): string {
  return format === 'cef' ? 'text/plain; charset=utf-8' : 'application/x-ndjson';
}

/** The output lines of one record: JSONL one, OCSF one per OCSF event, CEF one (in its RFC 5424 envelope unless `envelope: false`). */
export function linesOf(format: ExportFormat, record: ExportRecord, options: { host?: string; envelope?: boolean } = {}): string[] {
  switch (format) {
    case 'jsonl':
      return [toJsonl(record)];
    case 'ocsf':
      return toOcsf(record).map((event) => JSON.stringify(event));
    case 'cef':
      return [options.envelope === false ? toCef(record) : toSyslog(record, options.host)];
  }
}

export interface ExportSummary {
  records: number;
  lines: number;
}

/** Streams the store's events through a format into a sink, one page at a time (constant memory). */
export async function runExport(source: ChainSource, options: { format: ExportFormat; filter?: ExportFilter; sink: ExportSink; host?: string; envelope?: boolean }): Promise<ExportSummary> {
  let records = 0;
  let lines = 0;
  for await (const page of exportRecords(source, options.filter)) {
    const out: string[] = [];
    for (const record of page) out.push(...linesOf(options.format, record, options));
    records += page.length;
    lines += out.length;
    await options.sink.write(out);
  }
  await options.sink.close();
  return { records, lines };
}
