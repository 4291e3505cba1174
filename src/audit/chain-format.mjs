// The audit chain's byte format, version 1: the one implementation of it. Plain
// JavaScript because the SQLite writer thread (src/store/sqlite-writer.worker.mjs)
// runs under bare Node and computes the chain; TypeScript code imports it through
// chain-format.d.mts. Changing anything here changes every hash: add a version instead.
import * as nodeCrypto from 'node:crypto';
import { createHash, sign } from 'node:crypto';

// One-shot crypto.hash (Node >= 20.12) skips the Hash object: about 1.5-2 µs less per call,
// which is a tenth of verifying a record. Same digest either way.
const oneShot = typeof nodeCrypto.hash === 'function' ? nodeCrypto.hash : null;
const sha256Hex = oneShot !== null ? (data) => oneShot('sha256', data, 'hex') : (data) => createHash('sha256').update(data).digest('hex');

/** Tag at the start of every hashed v1 record; a new format gets a new tag. */
export const CHAIN_FORMAT = 'bulwark-audit-v1';
/** Tag of v2 records: the content is committed by digest (content_digest), not by value. */
export const CHAIN_FORMAT_V2 = 'bulwark-audit-v2';
/** The format new records are written in (the `chain_format` column: 1 or 2). */
export const CURRENT_CHAIN_FORMAT = 2;
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

/**
 * Columns covered by a v2 record's hash, in hashing order. `content` itself is not among
 * them: `content_digest` (hex SHA-256 of the stored content text) stands for it, so the
 * content can be cleared or its key destroyed (retention) and the chain still verifies.
 */
export const CHAINED_FIELDS_V2 = Object.freeze([
  'id', 'request_id', 'time', 'time_ms', 'route', 'model', 'provider', 'policy', 'decision', 'status',
  'input_tokens', 'output_tokens', 'upstream_latency_ms', 'total_latency_ms', 'streamed', 'error',
  'findings', 'scanners', 'project', 'key_id', 'content_mode', 'content_digest',
]);

/** Tag and hashed columns of a chain format (1 or 2). */
export function chainFormat(format) {
  if (format === 2) return { tag: CHAIN_FORMAT_V2, fields: CHAINED_FIELDS_V2 };
  if (format === 1) return { tag: CHAIN_FORMAT, fields: CHAINED_FIELDS };
  throw new TypeError(`unknown audit chain format ${String(format)}`);
}

/** The chained values of a row object (column name -> value), in the format's field order (default v1). */
export function chainedValues(row, format = 1) {
  const fields = chainFormat(format).fields;
  const values = new Array(fields.length);
  for (let i = 0; i < fields.length; i++) values[i] = row[fields[i]] ?? null;
  return values;
}

/**
 * Columns a chain reader selects, in this order, for recordFromRow: position and links, the
 * row's format, then every column either format hashes (content included, to check it
 * against content_digest in v2).
 */
export const CHAIN_READ_COLUMNS = Object.freeze([
  'seq', 'prev_hash', 'hash', 'chain_format',
  ...CHAINED_FIELDS, ...CHAINED_FIELDS_V2.filter((field) => !CHAINED_FIELDS.includes(field)),
]);
const V1_AT = CHAINED_FIELDS.map((field) => CHAIN_READ_COLUMNS.indexOf(field));
const V2_AT = CHAINED_FIELDS_V2.map((field) => CHAIN_READ_COLUMNS.indexOf(field));
const CONTENT_AT = CHAIN_READ_COLUMNS.indexOf('content');

/**
 * A chain record ({ seq, prevHash, hash, format, values, content }) from a row read as an
 * array in CHAIN_READ_COLUMNS order. `content` is the stored content for v2 records (checked
 * against the digest in `values`), undefined for v1 ones (it is one of their values).
 */
export function recordFromRow(row) {
  const format = row[3] === 2 ? 2 : row[3] === 1 || row[3] === null || row[3] === undefined ? 1 : row[3];
  const at = format === 2 ? V2_AT : V1_AT;
  const values = new Array(at.length);
  for (let i = 0; i < at.length; i++) values[i] = row[at[i]];
  return { seq: row[0], prevHash: row[1], hash: row[2], format, values, content: format === 2 ? row[CONTENT_AT] : undefined };
}

/**
 * Whether one record is intact: its hash matches its values (in its format) and, for v2, its
 * stored content (when still present) matches content_digest. 'content' when only the content
 * differs; false when the hash does (or a value has a type the format cannot hold).
 */
export function recordIntact(partition, record) {
  let hashOk;
  try {
    hashOk = chainHash(partition, record.seq, record.prevHash, record.values, record.format ?? 1) === record.hash;
  } catch {
    hashOk = false;
  }
  if (!hashOk) return false;
  if (record.format === 2 && record.content !== null && record.content !== undefined) {
    const digest = record.values[record.values.length - 1];
    if (typeof record.content !== 'string' || contentDigest(record.content) !== digest) return 'content';
  }
  return true;
}

/** content_digest of a stored content text: lowercase hex SHA-256 of its UTF-8 bytes; null for no content. */
export function contentDigest(content) {
  if (content === null || content === undefined) return null;
  return sha256Hex(content);
}

/**
 * Chains one row in the current format: sets `chain_format`, `content_digest`, `seq`,
 * `prev_hash` and `hash` on it (both stores' writers call this inside their transaction).
 */
export function chainRow(row, seq, prevHash) {
  row.chain_format = CURRENT_CHAIN_FORMAT;
  row.content_digest = contentDigest(row.content);
  row.seq = seq;
  row.prev_hash = prevHash;
  row.hash = chainHash(row.partition, seq, prevHash, chainedValues(row, CURRENT_CHAIN_FORMAT), CURRENT_CHAIN_FORMAT);
  return row.hash;
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
function writeRecord(partition, seq, prevHash, values, format) {
  start(format === 2 ? CHAIN_FORMAT_V2 : format === 1 || format === undefined ? CHAIN_FORMAT : chainFormat(format).tag);
  put(partition);
  put(seq);
  put(prevHash);
  for (let i = 0; i < values.length; i++) put(values[i]);
  return offset;
}

/**
 * The exact bytes hashed for one record: the format's tag (`bulwark-audit-v1` or `-v2`) LF,
 * then put(partition), put(seq), put(prevHash) and put(v) for each value in the format's
 * field order (see put()).
 */
export function recordBytes(partition, seq, prevHash, values, format = 1) {
  return Buffer.from(scratch.subarray(0, writeRecord(partition, seq, prevHash, values, format)));
}

/** hash = lowercase hex SHA-256 of recordBytes(...). */
export function chainHash(partition, seq, prevHash, values, format = 1) {
  return sha256Hex(scratch.subarray(0, writeRecord(partition, seq, prevHash, values, format)));
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
