import { mkdirSync, readFileSync, writeFileSync, renameSync, existsSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { GatewayEvent } from './types.ts';

/**
 * The durability spool: an append-only file of events that could not be committed to the
 * backing store, replayed in order when it comes back (src/store/README.md, ADR 0015).
 *
 * Record format, one per line: `<crc32 as 8 lowercase hex digits> <event JSON>\n`. The CRC
 * (IEEE 802.3, the zlib one) covers the UTF-8 bytes of the JSON. A last line without its
 * newline or with a wrong CRC is a torn write: it is ignored and cut off on open. A bad line
 * followed by good ones is corruption: it is skipped and counted (`corrupt`).
 *
 * Position: `<file>.pos` holds the byte offset up to which records have been committed to
 * the store (written by rename after each replayed batch). A crash between the commit and the
 * position write replays that batch again; the stores ignore ids they already hold, so each
 * event is still stored exactly once. When everything is replayed the file is truncated.
 *
 * fsync policy: every `append` ends with `datasync` before it resolves, so a spooled batch
 * survives a process crash and a power cut (as far as the disk honours fsync). The position
 * file is not fsync'd: losing it only causes a harmless replay.
 */

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 (IEEE) of bytes. */
export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** One spool line for an event. */
export function encodeRecord(event: GatewayEvent): Buffer {
  const json = Buffer.from(JSON.stringify(event), 'utf8');
  const head = Buffer.from(`${crc32(json).toString(16).padStart(8, '0')} `, 'ascii');
  return Buffer.concat([head, json, Buffer.from('\n')]);
}

export interface ParsedRecords {
  events: GatewayEvent[];
  /** Byte length of the complete lines consumed (valid or corrupt). */
  consumed: number;
  /** Complete lines whose CRC or JSON was wrong. */
  corrupt: number;
}

/** Parses complete lines from `buf` (a partial last line is left unconsumed). */
export function parseRecords(buf: Buffer, limit = Number.POSITIVE_INFINITY): ParsedRecords {
  const events: GatewayEvent[] = [];
  let offset = 0;
  let corrupt = 0;
  while (offset < buf.length && events.length < limit) {
    const nl = buf.indexOf(0x0a, offset);
    if (nl < 0) break;
    const line = buf.subarray(offset, nl);
    const event = decodeLine(line);
    if (event === null) corrupt++;
    else events.push(event);
    offset = nl + 1;
  }
  return { events, consumed: offset, corrupt };
}

function decodeLine(line: Buffer): GatewayEvent | null {
  if (line.length < 10 || line[8] !== 0x20) return null;
  const crc = Number.parseInt(line.subarray(0, 8).toString('ascii'), 16);
  const json = line.subarray(9);
  if (!/^[0-9a-f]{8}$/.test(line.subarray(0, 8).toString('ascii')) || crc32(json) !== crc) return null;
  try {
    const value = JSON.parse(json.toString('utf8')) as GatewayEvent;
    return typeof value === 'object' && value !== null && typeof value.id === 'string' ? value : null;
  } catch {
    return null;
  }
}

export interface SpoolStats {
  /** Bytes of records not yet replayed. */
  bytes: number;
  /** Records not yet replayed. */
  records: number;
}

export interface SpoolOpenResult {
  spool: Spool;
  /** Bytes cut off the end on open (a torn last record). */
  tornBytes: number;
  /** Corrupt records skipped in the middle of the file. */
  corrupt: number;
}

const READ_CHUNK = 1 << 20;

/** An append-only spool file; one caller at a time (the spooling store serialises its calls). */
export class Spool {
  readonly path: string;
  private readonly posPath: string;
  private file: FileHandle;
  private size: number;
  private readOffset: number;
  private records: number;
  /** Corrupt lines met while replaying. */
  corrupt = 0;

  private constructor(path: string, file: FileHandle, size: number, readOffset: number, records: number) {
    this.path = path;
    this.posPath = `${path}.pos`;
    this.file = file;
    this.size = size;
    this.readOffset = readOffset;
    this.records = records;
  }

  /** Opens (creating) the spool, cuts a torn tail and counts the records left to replay. */
  static async open(path: string): Promise<SpoolOpenResult> {
    mkdirSync(dirname(path), { recursive: true });
    const file = await open(path, 'a+', 0o600);
    try {
      const { size } = await file.stat();
      let readOffset = readPosition(`${path}.pos`);
      if (readOffset > size) readOffset = 0;
      // Scan what is left to replay: count records, find where the valid data ends. Bad lines
      // followed by a good one are corruption (skipped on replay); bad or partial lines after
      // the last good one are a torn tail and are cut off.
      let offset = readOffset;
      let records = 0;
      let corrupt = 0;
      let pendingBad = 0;
      let validEnd = readOffset;
      while (offset < size) {
        const length = Math.min(READ_CHUNK, size - offset);
        const buf = Buffer.alloc(length);
        await file.read(buf, 0, length, offset);
        let pos = 0;
        for (let nl = buf.indexOf(0x0a); nl >= 0; nl = buf.indexOf(0x0a, pos)) {
          if (decodeLine(buf.subarray(pos, nl)) === null) {
            pendingBad++;
          } else {
            records++;
            corrupt += pendingBad;
            pendingBad = 0;
            validEnd = offset + nl + 1;
          }
          pos = nl + 1;
        }
        if (pos === 0) break; // a partial last line (or one longer than a chunk): torn
        offset += pos;
      }
      const tornBytes = size - validEnd;
      if (tornBytes > 0) await file.truncate(validEnd);
      return { spool: new Spool(path, file, validEnd, readOffset, records), tornBytes, corrupt };
    } catch (err) {
      await file.close();
      throw err;
    }
  }

  stats(): SpoolStats {
    return { bytes: this.size - this.readOffset, records: this.records };
  }

  /** Bytes the events would take in the spool. */
  static sizeOf(records: readonly Buffer[]): number {
    let total = 0;
    for (const r of records) total += r.length;
    return total;
  }

  /** Appends encoded records and fsyncs; resolves once they are durable. */
  async append(records: readonly Buffer[]): Promise<void> {
    if (records.length === 0) return;
    const buf = Buffer.concat(records);
    await this.file.write(buf, 0, buf.length, this.size);
    await this.file.datasync();
    this.size += buf.length;
    this.records += records.length;
  }

  /** Reads up to `limit` events from the replay position; `end` is the offset to pass to {@link advance} once they are committed. */
  async peek(limit: number): Promise<{ events: GatewayEvent[]; end: number }> {
    let offset = this.readOffset;
    const events: GatewayEvent[] = [];
    while (offset < this.size && events.length < limit) {
      const length = Math.min(READ_CHUNK, this.size - offset);
      const buf = Buffer.alloc(length);
      await this.file.read(buf, 0, length, offset);
      const parsed = parseRecords(buf, limit - events.length);
      this.corrupt += parsed.corrupt;
      events.push(...parsed.events);
      if (parsed.consumed === 0) {
        // A line longer than the chunk cannot be a record we wrote in one piece; skip to the end.
        offset = this.size;
        this.corrupt++;
        break;
      }
      offset += parsed.consumed;
    }
    return { events, end: offset };
  }

  /** Marks records up to `end` as committed; truncates the file once everything is replayed. */
  async advance(end: number, count: number): Promise<void> {
    this.readOffset = Math.min(end, this.size);
    this.records = Math.max(0, this.records - count);
    if (this.readOffset >= this.size) {
      await this.file.truncate(0);
      this.size = 0;
      this.readOffset = 0;
      this.records = 0;
    }
    writePosition(this.posPath, this.readOffset);
  }

  async close(): Promise<void> {
    await this.file.close();
  }
}

function readPosition(path: string): number {
  if (!existsSync(path)) return 0;
  const value = Number(readFileSync(path, 'utf8').trim());
  return Number.isSafeInteger(value) && value >= 0 ? value : 0;
}

function writePosition(path: string, offset: number): void {
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, `${offset}\n`, { mode: 0o600 });
  renameSync(tmp, path);
}
