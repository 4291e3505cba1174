// Writer thread of the SQLite event store: every insert and WAL checkpoint runs here,
// off the gateway's event loop. The main-thread side is sqlite-writer.ts, which also
// types the messages exchanged below; keep the two in step.
//
// Why plain JavaScript: Node 20 worker threads do not reliably inherit tsx's loader.
// bin/bulwark.js installs it with register(), which hooks the thread that called it,
// so a .ts worker could load under `node --import tsx` (tests) yet fail in production.
// This file therefore runs under bare Node and imports nothing from the TypeScript
// sources: the INSERT statement and the rows (already converted and validated by
// toRow on the main thread) arrive ready to use. The schema is migrated by the main
// thread before this thread starts, so the database file must already exist here.
//
// The audit chain (src/audit/README.md) is computed here, inside each batch's write
// transaction: this thread is the only writer of its database, the transaction is
// IMMEDIATE (so even a second process on the same file waits its turn), and the head
// of each partition is read inside it. A row that is not inserted (duplicate id,
// dropped bad row) takes no seq, and a batch re-sent after a crash finds its rows
// already there, so it can neither leave a gap nor fork the chain. Its byte format
// lives in ../audit/chain-format.mjs, plain JavaScript shared with the TypeScript side.
import { createPrivateKey } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { chainRow, GENESIS_HASH, signCheckpoint } from '../audit/chain-format.mjs';

const { path, insertSql, busyTimeoutMs, autocheckpointPages, journalSizeLimit, checkpointIntervalMs, audit } = workerData;

let db = null;
let insertMany = null;
let insertOne = null;
let selectHead = null;
let selectLastCheckpoint = null;
let insertCheckpoint = null;
let checkpointTimer = null;
// Audit checkpoints: the signing key (never logged), the last checkpoint per partition
// (updated only after a commit) and the partitions with records not yet covered by one.
const signingKey = audit ? createPrivateKey(audit.privateKeyPem) : null;
const lastCheckpoints = new Map();
const uncovered = new Set();
let auditTimer = null;
// Test-only faults, armed by a 'fault' message; each applies to the next write.
const faults = [];

function post(message) {
  parentPort.postMessage(message);
}

/** Logs through the main thread's logger: only messages, codes and ids, never row content. */
function log(level, msg, fields) {
  post({ type: 'log', level, msg, fields });
}

/** Only the message and SQLite code: error objects may carry bound parameters. */
function describe(err) {
  const message = err instanceof Error ? err.message : String(err);
  const code = err !== null && typeof err === 'object' && typeof err.code === 'string' ? err.code : undefined;
  return code === undefined ? { message } : { message, code };
}

/** Errors caused by one row's data rather than the database; retrying them can never succeed. */
function isDataError(err) {
  if (err instanceof TypeError || err instanceof RangeError) return true;
  const code = err !== null && typeof err === 'object' ? err.code : undefined;
  return typeof code === 'string' && (code.startsWith('SQLITE_CONSTRAINT') || code === 'SQLITE_MISMATCH' || code === 'SQLITE_TOOBIG');
}

function open() {
  if (db !== null) return;
  // fileMustExist: a vanished file must fail loudly, not be recreated empty and unmigrated.
  const conn = new Database(path, { fileMustExist: true, timeout: busyTimeoutMs });
  try {
    conn.pragma('journal_mode = WAL');
    // NORMAL: a commit survives a process crash without an fsync per batch.
    conn.pragma('synchronous = NORMAL');
    // A backstop only: the periodic PASSIVE checkpoint below normally keeps the WAL smaller.
    conn.pragma(`wal_autocheckpoint = ${Number(autocheckpointPages)}`);
    conn.pragma(`journal_size_limit = ${Number(journalSizeLimit)}`);
    insertOne = conn.prepare(insertSql);
    selectHead = conn.prepare('SELECT seq, hash FROM events WHERE partition = ? AND seq IS NOT NULL ORDER BY seq DESC LIMIT 1');
    selectLastCheckpoint = conn.prepare('SELECT seq, time FROM audit_checkpoints WHERE partition = ? ORDER BY seq DESC LIMIT 1');
    insertCheckpoint = conn.prepare(
      'INSERT INTO audit_checkpoints (partition, seq, hash, time, key_id, signature) VALUES (@partition, @seq, @hash, @time, @key_id, @signature) ON CONFLICT DO NOTHING',
    );
    insertMany = conn.transaction((rows, isolate) => {
      const result = chainInsert(rows, isolate);
      result.checkpoints = writeDueCheckpoints(result.heads, Date.now());
      return result;
    });
  } catch (err) {
    conn.close();
    throw err;
  }
  db = conn;
}

function closeDb() {
  if (checkpointTimer !== null) clearTimeout(checkpointTimer);
  checkpointTimer = null;
  const conn = db;
  db = null;
  insertMany = null;
  insertOne = null;
  selectHead = null;
  selectLastCheckpoint = null;
  insertCheckpoint = null;
  if (conn === null) return;
  try {
    conn.close();
  } catch (err) {
    log('warn', 'event store writer could not close the database cleanly', { err: describe(err) });
  }
}

/** The committed head of a partition as this transaction sees it. */
function readHead(partition) {
  const row = selectHead.get(partition);
  return row ? { seq: row.seq, hash: row.hash, advanced: false } : { seq: 0, hash: GENESIS_HASH, advanced: false };
}

/**
 * Inserts rows in order inside the open transaction, giving each inserted row the next
 * seq of its partition and its chain hash. With `isolate`, a row that fails on its own
 * data is dropped (logged by id) instead of failing the batch; it takes no seq.
 */
function chainInsert(rows, isolate) {
  const heads = new Map();
  let duplicates = 0;
  let dropped = 0;
  for (const row of rows) {
    let head = heads.get(row.partition);
    if (head === undefined) {
      head = readHead(row.partition);
      heads.set(row.partition, head);
    }
    const seq = head.seq + 1;
    chainRow(row, seq, head.hash);
    let changes;
    try {
      changes = insertOne.run(row).changes;
    } catch (err) {
      if (!isolate || !isDataError(err)) throw err;
      dropped++;
      log('error', 'event store dropped an event it could not write', { eventId: row.id, err: describe(err) });
      continue;
    }
    // An id already stored (kept first, or a re-sent batch): it takes no seq.
    if (changes === 0) duplicates++;
    else heads.set(row.partition, { seq, hash: row.hash, advanced: true });
  }
  return { duplicates, dropped, heads, checkpoints: [] };
}

function lastCheckpointOf(partition, now) {
  let last = lastCheckpoints.get(partition);
  if (last === undefined) {
    const row = selectLastCheckpoint.get(partition);
    const atMs = row ? Date.parse(row.time) : NaN;
    last = { seq: row ? row.seq : 0, atMs: Number.isNaN(atMs) ? now : atMs };
    lastCheckpoints.set(partition, last);
  }
  return last;
}

/** Signs and inserts a checkpoint for each advanced head that is due (every N records or T ms); returns them for after the commit. */
function writeDueCheckpoints(heads, now, force = false) {
  const written = [];
  if (signingKey === null) return written;
  for (const [partition, head] of heads) {
    if (!head.advanced) continue;
    const last = lastCheckpointOf(partition, now);
    if (head.seq <= last.seq) continue;
    if (!force && head.seq - last.seq < audit.checkpointEveryRecords && now - last.atMs < audit.checkpointIntervalMs) continue;
    const time = new Date(now).toISOString();
    const signature = signCheckpoint(signingKey, partition, head.seq, head.hash, time);
    insertCheckpoint.run({ partition, seq: head.seq, hash: head.hash, time, key_id: audit.keyId, signature });
    written.push({ partition, seq: head.seq, atMs: now });
  }
  return written;
}

/** After a commit: remembers checkpoints written and which partitions still have uncovered records. */
function afterCommit(heads, checkpoints) {
  if (signingKey === null) return;
  for (const cp of checkpoints) lastCheckpoints.set(cp.partition, { seq: cp.seq, atMs: cp.atMs });
  for (const [partition, head] of heads) {
    if (!head.advanced) continue;
    if ((lastCheckpoints.get(partition)?.seq ?? 0) >= head.seq) uncovered.delete(partition);
    else uncovered.add(partition);
  }
  if (uncovered.size > 0 && auditTimer === null) {
    auditTimer = setTimeout(checkpointUncovered, audit.checkpointIntervalMs);
    auditTimer.unref();
  }
}

/** Writes a checkpoint for every partition whose newest records no checkpoint covers yet (on the interval, and on close). */
function checkpointUncovered() {
  if (auditTimer !== null) clearTimeout(auditTimer);
  auditTimer = null;
  if (uncovered.size === 0 || signingKey === null) return;
  try {
    open();
    const partitions = [...uncovered];
    const run = db.transaction(() => {
      const heads = new Map(partitions.map((p) => [p, { ...readHead(p), advanced: true }]));
      return { heads, checkpoints: writeDueCheckpoints(heads, Date.now(), true) };
    });
    const { heads, checkpoints } = run.immediate();
    uncovered.clear();
    afterCommit(heads, checkpoints);
  } catch (err) {
    closeDb();
    log('warn', 'event store could not write an audit checkpoint; will retry', { err: describe(err) });
    auditTimer = setTimeout(checkpointUncovered, audit.checkpointIntervalMs);
    auditTimer.unref();
  }
}

function checkpoint() {
  checkpointTimer = null;
  if (db === null) return;
  try {
    // PASSIVE never waits for readers, so the admin API is never blocked by it.
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (err) {
    log('warn', 'event store WAL checkpoint failed', { err: describe(err) });
  }
}

function scheduleCheckpoint() {
  if (checkpointTimer !== null || !(checkpointIntervalMs > 0)) return;
  checkpointTimer = setTimeout(checkpoint, checkpointIntervalMs);
  // The parent port keeps this thread alive; the timer alone must not.
  checkpointTimer.unref();
}

function write(seq, rows) {
  const fault = faults.shift();
  // An uncaught throw ends this thread the way a native crash or OOM would.
  if (fault === 'crash-before-commit') throw new Error('injected writer crash before commit');
  let result;
  try {
    open();
    if (fault === 'fail-write') throw Object.assign(new Error('injected write failure'), { code: 'SQLITE_IOERR' });
    try {
      // IMMEDIATE: the partition heads read inside are the ones this commit extends.
      result = insertMany.immediate(rows, false);
    } catch (err) {
      if (!isDataError(err)) throw err;
      // Retry row by row so one bad row cannot block the rest forever.
      result = insertMany.immediate(rows, true);
    }
    afterCommit(result.heads, result.checkpoints);
  } catch (err) {
    // The connection may be unusable after an I/O error or a replaced file: reopen next time.
    closeDb();
    post({ type: 'failed', seq, error: describe(err) });
    return;
  }
  if (fault === 'crash-after-commit') throw new Error('injected writer crash after commit');
  post({ type: 'ack', seq, duplicates: result.duplicates, dropped: result.dropped });
  scheduleCheckpoint();
}

parentPort.on('message', (message) => {
  switch (message?.type) {
    case 'write':
      write(message.seq, message.rows);
      break;
    case 'fault':
      faults.push(message.fault);
      break;
    case 'close':
      // Records written since the last audit checkpoint get one before the thread ends.
      checkpointUncovered();
      if (auditTimer !== null) clearTimeout(auditTimer);
      // The last connection to close checkpoints the WAL and removes it, here rather than on the main thread.
      closeDb();
      post({ type: 'closed' });
      parentPort.close();
      break;
    default:
      log('warn', 'event store writer ignored an unknown message', { type: String(message?.type) });
  }
});
