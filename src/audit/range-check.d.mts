import type { ChainRecordShape } from './chain-format.mjs';

export interface RangeCheckJob {
  id: number;
  partition: string;
  lo: number;
  hi: number;
  anchor: string | null;
  checkpoints: { partition: string; seq: number; hash: string; time: string; keyId: string; signature: string }[];
}

export type RangeCheckResult =
  | { id: number; ok: true; records: number; checkpoints: number; contentCleared: number; firstPrev: string; lastHash: string }
  | { id: number; ok: false; error?: string };

export declare function checkRange(job: RangeCheckJob, pages: AsyncIterable<readonly ChainRecordShape[]>, checkpointValid: (cp: RangeCheckJob['checkpoints'][number]) => boolean): Promise<RangeCheckResult>;
