import type { KeyObject } from 'node:crypto';

/** A stored value covered by the hash. */
export type ChainedValue = string | number | null;

export declare const CHAIN_FORMAT: 'bulwark-audit-v1';
export declare const CHECKPOINT_FORMAT: 'bulwark-audit-checkpoint-v1';
export declare const GENESIS_HASH: string;
export declare const DEFAULT_PARTITION: 'default';
export declare const CHAINED_FIELDS: readonly string[];
export declare function chainedValues(row: Record<string, unknown>): ChainedValue[];
export declare function recordBytes(partition: string, seq: number, prevHash: string, values: readonly ChainedValue[]): Buffer;
export declare function chainHash(partition: string, seq: number, prevHash: string, values: readonly ChainedValue[]): string;
export declare function checkpointBytes(partition: string, seq: number, hash: string, time: string): Buffer;
export declare function signCheckpoint(privateKey: KeyObject | string, partition: string, seq: number, hash: string, time: string): string;
