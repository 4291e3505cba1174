import type { KeyObject } from 'node:crypto';

/** A stored value covered by the hash. */
export type ChainedValue = string | number | null;

export declare const CHAIN_FORMAT: 'bulwark-audit-v1';
export declare const CHECKPOINT_FORMAT: 'bulwark-audit-checkpoint-v1';
export declare const GENESIS_HASH: string;
export declare const DEFAULT_PARTITION: 'default';
export declare const CHAIN_FORMAT_V2: 'bulwark-audit-v2';
/** Record format: 1 (content hashed by value) or 2 (content committed by content_digest). */
export type ChainFormatVersion = 1 | 2;
export declare const CURRENT_CHAIN_FORMAT: 2;
export declare const CHAINED_FIELDS: readonly string[];
export declare const CHAINED_FIELDS_V2: readonly string[];
export declare function chainFormat(format: ChainFormatVersion): { tag: string; fields: readonly string[] };
export declare function chainedValues(row: Record<string, unknown>, format?: ChainFormatVersion): ChainedValue[];
export declare const CHAIN_READ_COLUMNS: readonly string[];
/** One record as verification reads it (verify.ts names it ChainRecord). */
export interface ChainRecordShape {
  seq: number;
  prevHash: string;
  hash: string;
  /** Byte format (chain-format.mjs); absent means 1. */
  format?: ChainFormatVersion;
  values: ChainedValue[];
  /** v2 only: the stored content, checked against content_digest when present (null: cleared by retention). */
  content?: string | null;
}
export declare function recordFromRow(row: readonly unknown[]): ChainRecordShape;
export declare function recordIntact(partition: string, record: ChainRecordShape): boolean | 'content';
export declare function contentDigest(content: string | null | undefined): string | null;
export declare function chainRow(row: { partition: string; content: string | null; [column: string]: unknown }, seq: number, prevHash: string): string;
export declare function recordBytes(partition: string, seq: number, prevHash: string, values: readonly ChainedValue[], format?: ChainFormatVersion): Buffer;
export declare function chainHash(partition: string, seq: number, prevHash: string, values: readonly ChainedValue[], format?: ChainFormatVersion): string;
export declare function checkpointBytes(partition: string, seq: number, hash: string, time: string): Buffer;
export declare function signCheckpoint(privateKey: KeyObject | string, partition: string, seq: number, hash: string, time: string): string;
