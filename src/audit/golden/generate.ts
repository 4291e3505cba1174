import { createPrivateKey, createPublicKey } from 'node:crypto';
import { chainedValues, chainHash, CHAINED_FIELDS, CHAINED_FIELDS_V2, CHAIN_FORMAT, CHAIN_FORMAT_V2, contentDigest, GENESIS_HASH, recordBytes, signCheckpoint } from '../chain-format.mjs';
import type { ChainedValue } from '../chain-format.mjs';
import { keyIdOf } from '../signing-key.ts';

/**
 * Builds the golden vectors in src/audit/golden/*.json: a small chain with checkpoints,
 * and copies of it with one record edited, one deleted, two swapped and one checkpoint
 * forged, each with the problem verification must report. Everything is deterministic
 * (fixed Ed25519 seed, fixed times; Ed25519 signatures are deterministic), so running
 * `node --import tsx scripts/generate-audit-golden.ts` again rewrites identical files.
 */

/** A stored record as the vectors spell it: chain fields plus the row, column by column. */
export interface GoldenRecord {
  seq: number;
  prevHash: string;
  hash: string;
  /** 2 for format v2 records (their `row` also holds the stored `content`, outside the hash); absent: v1. */
  format?: 2;
  row: Record<string, ChainedValue>;
}

export interface GoldenCheckpoint {
  partition: string;
  seq: number;
  hash: string;
  time: string;
  keyId: string;
  signature: string;
}

export interface GoldenVector {
  format: string;
  description: string;
  partition: string;
  publicKeyPem: string;
  keyId: string;
  records: GoldenRecord[];
  checkpoints: GoldenCheckpoint[];
  /** The exact bytes hashed for the first record (hex), for other implementations to compare against. */
  firstRecordBytesHex: string;
  /** null when the chain verifies. */
  expected: { position: number; kind: string } | null;
}

// PKCS#8 DER prefix of an Ed25519 private key; the 32-byte seed follows. Test key only.
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SEED = Buffer.alloc(32, 0x42);
const PARTITION = 'default';

function row(i: number): Record<string, ChainedValue> {
  const time = new Date(Date.UTC(2025, 0, 2, 3, 4, 5, i * 10)).toISOString();
  const values: Record<string, ChainedValue> = {
    id: `golden-${i}`,
    request_id: `req-${i}`,
    time,
    time_ms: Date.parse(time),
    route: 'gpt-*',
    model: i % 3 === 0 ? null : 'gpt-4o-mini',
    provider: i % 3 === 0 ? null : 'openai',
    policy: 'default',
    decision: i === 4 ? 'block' : i === 6 ? 'redact' : 'allow',
    status: i === 4 ? 403 : 200,
    input_tokens: i === 4 ? null : 10 + i,
    output_tokens: i === 4 ? null : 20 * i,
    upstream_latency_ms: i === 4 ? null : 100.25 + i,
    total_latency_ms: 110.5 + i,
    streamed: i % 2,
    error: i === 7 ? 'upstream slow' : null,
    findings: i === 6 ? JSON.stringify([{ instance: 'pii.email', scanner: 'text/regex', ruleId: 'email', severity: 'high', score: 0.93, segmentId: 'm0', origin: 'user', span: [5, 22], action: 'redact', message: 'e-mail address' }]) : '[]',
    scanners: '[]',
    content: i === 6 ? JSON.stringify({ request: 'mail [EMAIL] — ünïcødé 🚀' }) : null,
  };
  return Object.fromEntries(CHAINED_FIELDS.map((f) => [f, values[f] ?? null]));
}

export function goldenVectors(): Record<string, GoldenVector> {
  const privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, SEED]), format: 'der', type: 'pkcs8' });
  const publicKey = createPublicKey(privateKey);
  const keyId = keyIdOf(publicKey);
  const records: GoldenRecord[] = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= 8; seq++) {
    const r = row(seq);
    const hash = chainHash(PARTITION, seq, prevHash, chainedValues(r));
    records.push({ seq, prevHash, hash, row: r });
    prevHash = hash;
  }
  const checkpoints: GoldenCheckpoint[] = [4, 8].map((seq, n) => {
    const time = new Date(Date.UTC(2025, 0, 2, 3, 5, n)).toISOString();
    const hash = records[seq - 1]!.hash;
    return { partition: PARTITION, seq, hash, time, keyId, signature: signCheckpoint(privateKey, PARTITION, seq, hash, time) };
  });
  const base = {
    format: CHAIN_FORMAT,
    partition: PARTITION,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    keyId,
    firstRecordBytesHex: recordBytes(PARTITION, 1, GENESIS_HASH, chainedValues(records[0]!.row)).toString('hex'),
  };
  const copy = (): GoldenRecord[] => records.map((r) => ({ ...r, row: { ...r.row } }));

  const edited = copy();
  edited[2]!.row.status = 500;

  const deleted = copy().filter((r) => r.seq !== 5);

  // Rows 6 and 7 exchange positions (seq), each keeping its content and links.
  const swapped = copy();
  swapped[5]!.seq = 7;
  swapped[6]!.seq = 6;
  swapped.sort((a, b) => a.seq - b.seq);

  const forged = checkpoints.map((c) => ({ ...c }));
  forged[0]!.time = '2025-01-02T03:05:59.000Z';

  const v2 = goldenVectorsV2(privateKey, keyId, base.publicKeyPem);
  return {
    ...v2,
    'chain.json': { ...base, description: 'Eight records and two signed checkpoints; verifies.', records, checkpoints, expected: null },
    'edited.json': { ...base, description: 'Record 3 has its status changed after it was chained.', records: edited, checkpoints, expected: { position: 3, kind: 'edited' } },
    'deleted.json': { ...base, description: 'Record 5 is deleted.', records: deleted, checkpoints, expected: { position: 5, kind: 'missing' } },
    'swapped.json': { ...base, description: 'Records 6 and 7 exchange positions.', records: swapped, checkpoints, expected: { position: 6, kind: 'reordered' } },
    'bad-checkpoint.json': { ...base, description: 'The checkpoint at seq 4 has its time changed after signing.', records, checkpoints: forged, expected: { position: 4, kind: 'bad-checkpoint' } },
  };
}

/** Row i in format v2: the v1 row's values plus project, key id and content mode, content committed by its digest. */
function rowV2(i: number): Record<string, ChainedValue> {
  const v1 = row(i);
  const content = i === 3 ? JSON.stringify({ sealed: 'c1.ck_00000000000000aa.AAAAAAAAAAAAAAAA.c2VhbGVk' }) : i % 2 === 0 ? JSON.stringify({ request: `prompt ${i} [EMAIL] — ünïcødé 🚀` }) : null;
  const values: Record<string, ChainedValue> = { ...v1, project: i === 5 ? null : 'prj_golden', key_id: i === 5 ? null : 'key_golden', content_mode: i === 3 ? 'full' : content === null ? 'none' : 'redacted', content_digest: contentDigest(content) };
  return { ...Object.fromEntries(CHAINED_FIELDS_V2.map((f) => [f, values[f] ?? null])), content };
}

/** Format v2 vectors: a chain whose record 4 had its content cleared by retention (verifies), and one whose stored content was edited. */
function goldenVectorsV2(privateKey: ReturnType<typeof createPrivateKey>, keyId: string, publicKeyPem: string): Record<string, GoldenVector> {
  const records: GoldenRecord[] = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= 6; seq++) {
    const r = rowV2(seq);
    const hash = chainHash(PARTITION, seq, prevHash, chainedValues(r, 2), 2);
    records.push({ seq, prevHash, hash, format: 2, row: r });
    prevHash = hash;
  }
  const time = new Date(Date.UTC(2026, 10, 26, 0, 0, 0)).toISOString();
  const checkpoints: GoldenCheckpoint[] = [{ partition: PARTITION, seq: 6, hash: records[5]!.hash, time, keyId, signature: signCheckpoint(privateKey, PARTITION, 6, records[5]!.hash, time) }];
  const base = { format: CHAIN_FORMAT_V2, partition: PARTITION, publicKeyPem, keyId, firstRecordBytesHex: recordBytes(PARTITION, 1, GENESIS_HASH, chainedValues(records[0]!.row, 2), 2).toString('hex') };
  const cleared = records.map((r) => ({ ...r, row: { ...r.row } }));
  cleared[3]!.row.content = null;
  const edited = records.map((r) => ({ ...r, row: { ...r.row } }));
  edited[5]!.row.content = JSON.stringify({ request: 'prompt 6 changed' });
  return {
    'chain-v2.json': { ...base, description: 'Format v2: six records (content committed by content_digest), record 4 with its content cleared by retention, one signed checkpoint; verifies.', records: cleared, checkpoints, expected: null },
    'content-edited-v2.json': { ...base, description: 'Format v2: the stored content of record 6 no longer matches its chained content_digest.', records: edited, checkpoints, expected: { position: 6, kind: 'edited' } },
  };
}
