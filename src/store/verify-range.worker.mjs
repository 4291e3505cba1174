// Worker thread of parallel audit verification (src/audit/parallel-verify.ts): checks seq
// ranges of one partition on its own read connection, SQLite or PostgreSQL, and answers
// whether each range is intact, with the prev_hash of its first record and the hash of its
// last so the calling thread can join the ranges. It never classifies a problem: any
// failure answers ok: false and the caller verifies the partition again sequentially,
// which reports the first problem exactly. Plain JavaScript, like the SQLite writer
// thread, because worker threads do not reliably inherit tsx's loader; the page query
// comes ready in workerData (sqlite-chain-source.ts, postgres-reader.ts).
import { createPublicKey, verify as verifySignature } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';
import { checkpointBytes, recordFromRow } from '../audit/chain-format.mjs';
import { checkRange } from '../audit/range-check.mjs';

const { kind, pageSql, pageSize, verifyKey } = workerData;
const publicKey = verifyKey ? createPublicKey(verifyKey.publicKeyPem) : null;

/** Returns fetch(partition, after, to) -> rows (arrays in CHAIN_READ_COLUMNS order). */
async function openReader() {
  if (kind === 'sqlite') {
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(workerData.path, { readonly: true, fileMustExist: true });
    const page = db.prepare(pageSql).raw(true);
    return async (partition, after, to) => page.all(partition, after, to);
  }
  if (kind === 'postgres') {
    const { default: pg } = await import('pg');
    const client = new pg.Client({ connectionString: workerData.connectionString });
    client.on('error', () => {});
    await client.connect();
    return async (partition, after, to) => (await client.query({ text: pageSql, values: [partition, after, to], rowMode: 'array' })).rows;
  }
  throw new Error(`unknown chain source kind ${String(kind)}`);
}

const reader = openReader();
// A failed connection must not become an unhandled rejection before the first job awaits it.
reader.catch(() => {});

function checkpointValid(cp) {
  if (publicKey === null) return true;
  if (cp.keyId !== verifyKey.keyId) return false;
  try {
    return verifySignature(null, checkpointBytes(cp.partition, cp.seq, cp.hash, cp.time), publicKey, Buffer.from(cp.signature, 'base64'));
  } catch {
    return false;
  }
}

/** Pages of records lo..hi in seq order, read with the page query. */
async function* pages(fetch, partition, lo, hi) {
  let after = lo - 1;
  for (;;) {
    const rows = await fetch(partition, after, hi);
    if (rows.length === 0) return;
    const page = rows.map(recordFromRow);
    yield page;
    if (rows.length < pageSize) return;
    after = page[page.length - 1].seq;
  }
}

async function verifyRange(job) {
  const fetch = await reader;
  return checkRange(job, pages(fetch, job.partition, job.lo, job.hi), checkpointValid);
}

parentPort.on('message', (job) => {
  verifyRange(job).then(
    (result) => parentPort.postMessage(result),
    (err) => parentPort.postMessage({ id: job.id, ok: false, error: err instanceof Error ? err.message : String(err) }),
  );
});
