import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chainHash, GENESIS_HASH } from './chain-format.mjs';
import type { ChainedValue } from './chain-format.mjs';
import { memoryChainSource, verifyChain } from './verify.ts';
import type { ChainRecord } from './verify.ts';

function chain(partition: string, n: number): ChainRecord[] {
  const out: ChainRecord[] = [];
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const values: ChainedValue[] = [`id-${partition}-${seq}`, seq * 1.5, seq % 2 === 0 ? null : 'x'];
    const hash = chainHash(partition, seq, prev, values);
    out.push({ seq, prevHash: prev, hash, values });
    prev = hash;
  }
  return out;
}

const run = (records: Record<string, ChainRecord[]>, options: { from?: number; to?: number; partition?: string } = {}) =>
  verifyChain(memoryChainSource(records), { verifyKey: null, ...options });

describe('verifyChain', () => {
  test('an intact chain verifies; ranges and partitions narrow what is read', async () => {
    const records = { a: chain('a', 50), b: chain('b', 7) };
    const all = await run(records);
    assert.equal(all.ok, true);
    assert.equal(all.records, 57);
    assert.equal(all.signaturesChecked, false);
    assert.equal((await run(records, { partition: 'b' })).records, 7);
    const mid = await run(records, { partition: 'a', from: 10, to: 20 });
    assert.equal(mid.ok, true);
    assert.equal(mid.records, 11);
  });

  test('the partition is part of the hash: a record moved to another partition does not verify', async () => {
    const result = await run({ b: chain('a', 3) });
    assert.deepEqual(result.problems.map((p) => [p.partition, p.position, p.kind]), [['b', 1, 'edited']]);
  });

  test('kinds: edited, missing (gap and broken link), reordered', async () => {
    const edited = chain('p', 10);
    edited[3]!.values[1] = 99;
    assert.deepEqual((await run({ p: edited })).problems.map((p) => [p.position, p.kind]), [[4, 'edited']]);

    const gap = chain('p', 10).filter((r) => r.seq !== 1);
    assert.deepEqual((await run({ p: gap })).problems.map((p) => [p.position, p.kind]), [[1, 'missing']]);

    // Deleted and the later seqs renumbered without rehashing: the link names a record that is gone.
    const renumbered = chain('p', 10).filter((r) => r.seq !== 6).map((r) => (r.seq > 6 ? { ...r, seq: r.seq - 1 } : r));
    assert.deepEqual((await run({ p: renumbered })).problems.map((p) => [p.position, p.kind]), [[6, 'missing']]);

    const swapped = chain('p', 10);
    [swapped[7], swapped[8]] = [{ ...swapped[8]!, seq: 8 }, { ...swapped[7]!, seq: 9 }];
    assert.deepEqual((await run({ p: swapped })).problems.map((p) => [p.position, p.kind]), [[8, 'reordered']]);
  });

  test('only the first problem per partition is reported, every partition is checked', async () => {
    const a = chain('a', 10);
    a[2]!.values[0] = 'changed';
    a[6]!.values[0] = 'changed too';
    const b = chain('b', 10).filter((r) => r.seq !== 9);
    const result = await run({ a, b, c: chain('c', 4) });
    assert.deepEqual(result.problems.map((p) => [p.partition, p.position, p.kind]), [['a', 3, 'edited'], ['b', 9, 'missing']]);
  });

  test('reads one batch per await, not one record (throughput itself: npm run bench:audit)', async () => {
    const records = chain('default', 3_000);
    let pulls = 0;
    const source = memoryChainSource({ default: records });
    const counting = {
      ...source,
      async *records(partition: string, range: { from?: number; to?: number }) {
        for (let i = 0; i < records.length; i += 1_000) {
          pulls++;
          yield records.slice(i, i + 1_000);
        }
        void partition;
        void range;
      },
    };
    const result = await verifyChain(counting, { verifyKey: null });
    assert.equal(result.ok, true);
    assert.equal(result.records, 3_000);
    assert.equal(pulls, 3);
  });
});
