import { loadAuditVerifyKey } from '../../audit/signing-key.ts';
import { verifyChain } from '../../audit/verify.ts';
import type { VerifyResult } from '../../audit/verify.ts';
import { resolveDataDir } from '../../main.ts';
import { openChainSource } from '../../store/open.ts';
import { configFor } from '../load-config.ts';
import { exitCodes, type CliIo } from '../io.ts';

export interface AuditVerifyOptions {
  from?: string;
  to?: string;
  partition?: string;
  workers?: string;
  json?: boolean;
  config?: string;
  dataDir?: string;
}

/** Exit code when verification finds a problem. */
const PROBLEM_FOUND = 1;

function seqOption(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^[1-9][0-9]{0,15}$/.test(value)) throw new Error(`${name}: expected a positive integer seq, got ${JSON.stringify(value)}`);
  return Number(value);
}

/**
 * `bulwark audit verify`: verifies the audit chain of the configured store (read-only).
 * Exit 0 when it holds, 1 when a problem is found, 2 on bad usage or configuration.
 */
export async function auditVerifyCommand(options: AuditVerifyOptions, io: CliIo): Promise<number> {
  const from = seqOption('--from', options.from);
  const to = seqOption('--to', options.to);
  if (from !== undefined && to !== undefined && to < from) throw new Error(`--to (${to}) is before --from (${from})`);
  if (options.partition !== undefined && options.partition.length === 0) throw new Error('--partition: expected a partition (tenant) name');
  if (options.workers !== undefined && !/^[0-9]{1,2}$/.test(options.workers)) throw new Error(`--workers: expected a number of worker threads (0-99), got ${JSON.stringify(options.workers)}`);
  const config = configFor(options.config, io.env);
  const dataDir = resolveDataDir(options.dataDir, io.env);
  const verifyKey = loadAuditVerifyKey(dataDir, io.env);
  const opened = await openChainSource(config, dataDir, io.env);
  let result: VerifyResult;
  try {
    result = await verifyChain(opened.source, {
      verifyKey,
      ...(from !== undefined ? { from } : {}),
      ...(to !== undefined ? { to } : {}),
      ...(options.partition !== undefined ? { partition: options.partition } : {}),
      ...(options.workers !== undefined ? { workers: Number(options.workers) } : {}),
    });
  } finally {
    await opened.close();
  }
  if (options.json) {
    io.stdout(`${JSON.stringify({ store: opened.describe, keyId: verifyKey?.keyId ?? null, ...result })}\n`);
  } else {
    for (const p of result.problems) io.stdout(`PROBLEM partition ${p.partition} position ${p.position} kind ${p.kind}: ${p.detail}\n`);
    const status = result.ok ? 'ok' : `${result.problems.length} partition(s) with problems`;
    io.stdout(
      `audit chain ${status}: ${result.records} records and ${result.checkpoints} checkpoints checked in ${result.partitions.length} partition(s) of ${opened.describe}, ` +
        `${result.elapsedMs.toFixed(0)} ms, ${result.recordsPerSecond} records/s${result.workers ? ` on ${result.workers} worker threads` : ''}` +
        `${result.contentCleared ? `; ${result.contentCleared} records have their content cleared by retention (their digest is chained)` : ''}\n`,
    );
    if (!result.signaturesChecked) io.stderr('warning: no audit public key (BULWARK_AUDIT_SIGNING_KEY or audit-signing-key.pub.pem in the data directory): checkpoint signatures were not checked\n');
  }
  return result.ok ? exitCodes.ok : PROBLEM_FOUND;
}
