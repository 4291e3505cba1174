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
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const { path, insertSql, busyTimeoutMs, autocheckpointPages, journalSizeLimit, checkpointIntervalMs } = workerData;

let db = null;
let insertMany = null;
let insertOne = null;
let checkpointTimer = null;
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
    const insert = conn.prepare(insertSql);
    insertOne = insert;
    insertMany = conn.transaction((rows) => {
      let duplicates = 0;
      for (const row of rows) if (insert.run(row).changes === 0) duplicates++;
      return duplicates;
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
  if (conn === null) return;
  try {
    conn.close();
  } catch (err) {
    log('warn', 'event store writer could not close the database cleanly', { err: describe(err) });
  }
}

/** Retries a batch row by row so one bad row cannot block the rest forever. */
function insertIsolated(rows) {
  let duplicates = 0;
  let dropped = 0;
  const run = db.transaction(() => {
    for (const row of rows) {
      try {
        if (insertOne.run(row).changes === 0) duplicates++;
      } catch (err) {
        if (!isDataError(err)) throw err;
        dropped++;
        log('error', 'event store dropped an event it could not write', { eventId: row.id, err: describe(err) });
      }
    }
  });
  run();
  return { duplicates, dropped };
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
      result = { duplicates: insertMany(rows), dropped: 0 };
    } catch (err) {
      if (!isDataError(err)) throw err;
      result = insertIsolated(rows);
    }
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
      // The last connection to close checkpoints the WAL and removes it, here rather than on the main thread.
      closeDb();
      post({ type: 'closed' });
      parentPort.close();
      break;
    default:
      log('warn', 'event store writer ignored an unknown message', { type: String(message?.type) });
  }
});
