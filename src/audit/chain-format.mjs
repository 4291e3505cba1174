// The audit chain's byte format, version 1: the one implementation of it. Plain
// JavaScript because the SQLite writer thread (src/store/sqlite-writer.worker.mjs)
// runs under bare Node and computes the chain; TypeScript code imports it through
// chain-format.d.mts. Changing anything here changes every hash: add a version instead.
import { createHash, sign } from 'node:crypto';

/** Tag at the start of every hashed record; a new format gets a new tag. */
export const CHAIN_FORMAT = 'bulwark-audit-v1';
/** Tag at the start of every signed checkpoint message. */
export const CHECKPOINT_FORMAT = 'bulwark-audit-checkpoint-v1';
/** prev_hash of the first record of a partition. */
export const GENESIS_HASH = '0'.repeat(64);
/** Partition of events without a tenant. */
export const DEFAULT_PARTITION = 'default';

/** Stored event columns covered by the hash, in hashing order (the EventRow columns). */
export const CHAINED_FIELDS = Object.freeze([
  'id', 'request_id', 'time', 'time_ms', 'route', 'model', 'provider', 'policy', 'decision', 'status',
  'input_tokens', 'output_tokens', 'upstream_latency_ms', 'total_latency_ms', 'streamed', 'error',
  'findings', 'scanners', 'content',
]);

/** The chained values of a row object (column name -> value), in CHAINED_FIELDS order. */
export function chainedValues(row) {
  const values = new Array(CHAINED_FIELDS.length);
  for (let i = 0; i < CHAINED_FIELDS.length; i++) values[i] = row[CHAINED_FIELDS[i]] ?? null;
  return values;
}

// The record bytes are written into one reused buffer (grown when a record needs more),
// then hashed from it: no intermediate strings, and each string is UTF-8 encoded once.
// Safe because every caller uses it synchronously on its own thread.
let scratch = Buffer.allocUnsafe(16 * 1024);
let offset = 0;

function ensure(extra) {
  if (offset + extra <= scratch.length) return;
  const bigger = Buffer.allocUnsafe(Math.max(scratch.length * 2, offset + extra));
  scratch.copy(bigger, 0, 0, offset);
  scratch = bigger;
}

/**
 * Appends one value: null -> `~` (0x7E); a finite number -> `n` + ECMAScript
 * Number.prototype.toString (shortest round trip: `200`, `101.25`, `1e+21`) + `;`;
 * a string -> `s` (0x73) + its UTF-8 length as a 4-byte big-endian unsigned integer + its
 * UTF-8 bytes. The length prefix makes the concatenation unambiguous without escaping.
 */
function put(value) {
  if (value === null || value === undefined) {
    ensure(1);
    scratch[offset++] = 0x7e;
  } else if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError('audit chain values must be finite numbers');
    const text = `n${value};`;
    ensure(text.length);
    offset += scratch.write(text, offset, 'latin1');
  } else if (typeof value === 'string') {
    // A UTF-16 code unit never takes more than 3 UTF-8 bytes.
    ensure(5 + value.length * 3);
    scratch[offset] = 0x73;
    const length = scratch.write(value, offset + 5, 'utf8');
    scratch.writeUInt32BE(length, offset + 1);
    offset += 5 + length;
  } else {
    throw new TypeError(`audit chain values must be strings, numbers or null, got ${typeof value}`);
  }
}

function start(tag) {
  offset = 0;
  ensure(tag.length + 1);
  offset += scratch.write(`${tag}\n`, 0, 'latin1');
}

/** Writes the record bytes into the scratch buffer; returns their length. */
function writeRecord(partition, seq, prevHash, values) {
  start(CHAIN_FORMAT);
  put(partition);
  put(seq);
  put(prevHash);
  for (let i = 0; i < values.length; i++) put(values[i]);
  return offset;
}

/**
 * The exact bytes hashed for one record: `bulwark-audit-v1` LF, then put(partition),
 * put(seq), put(prevHash) and put(v) for each value in CHAINED_FIELDS order (see put()).
 */
export function recordBytes(partition, seq, prevHash, values) {
  return Buffer.from(scratch.subarray(0, writeRecord(partition, seq, prevHash, values)));
}

/** hash = lowercase hex SHA-256 of recordBytes(...). */
export function chainHash(partition, seq, prevHash, values) {
  return createHash('sha256').update(scratch.subarray(0, writeRecord(partition, seq, prevHash, values))).digest('hex');
}

/** The exact bytes an Ed25519 checkpoint signature covers: `bulwark-audit-checkpoint-v1` LF, then put(partition), put(seq), put(hash), put(time). */
export function checkpointBytes(partition, seq, hash, time) {
  start(CHECKPOINT_FORMAT);
  put(partition);
  put(seq);
  put(hash);
  put(time);
  return Buffer.from(scratch.subarray(0, offset));
}

/** Signs a checkpoint with an Ed25519 private key (KeyObject or PEM); base64 signature. */
export function signCheckpoint(privateKey, partition, seq, hash, time) {
  return sign(null, checkpointBytes(partition, seq, hash, time), privateKey).toString('base64');
}
