import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { createHash, createPublicKey } from 'node:crypto';
import { join } from 'node:path';
import { chainedValues, CHAIN_FORMAT, CHAIN_FORMAT_V2, GENESIS_HASH, recordBytes } from './chain-format.mjs';
import { goldenVectors } from './golden/generate.ts';
import type { GoldenVector } from './golden/generate.ts';
import { keyIdOf } from './signing-key.ts';
import { memoryChainSource, verifyChain } from './verify.ts';

const dir = join(import.meta.dirname, 'golden');
const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
const load = (name: string): GoldenVector => JSON.parse(readFileSync(join(dir, name), 'utf8')) as GoldenVector;

async function verifyVector(vector: GoldenVector) {
  const publicKey = createPublicKey(vector.publicKeyPem);
  const records = vector.records.map((r) =>
    r.format === 2
      ? { seq: r.seq, prevHash: r.prevHash, hash: r.hash, format: 2 as const, values: chainedValues(r.row, 2), content: r.row.content as string | null }
      : { seq: r.seq, prevHash: r.prevHash, hash: r.hash, values: chainedValues(r.row) },
  );
  return verifyChain(memoryChainSource({ [vector.partition]: records }, vector.checkpoints), { verifyKey: { publicKey, keyId: keyIdOf(publicKey) } });
}

describe('audit golden vectors (committed files)', () => {
  test('the committed set is complete', () => {
    assert.deepEqual(files, ['bad-checkpoint.json', 'chain-v2.json', 'chain.json', 'content-edited-v2.json', 'deleted.json', 'edited.json', 'swapped.json']);
  });

  test('byte format v1: the first record hashes exactly the documented bytes', () => {
    const vector = load('chain.json');
    assert.equal(vector.format, CHAIN_FORMAT);
    const first = vector.records[0]!;
    assert.equal(first.prevHash, GENESIS_HASH);
    const bytes = recordBytes(vector.partition, 1, GENESIS_HASH, chainedValues(first.row));
    assert.equal(bytes.toString('hex'), vector.firstRecordBytesHex);
    assert.equal(createHash('sha256').update(Buffer.from(vector.firstRecordBytesHex, 'hex')).digest('hex'), first.hash);
    // Spot-check the layout by hand: tag line, then `s` + 4-byte big-endian length + UTF-8 for the partition.
    assert.equal(bytes.subarray(0, 17).toString('latin1'), 'bulwark-audit-v1\n');
    assert.deepEqual([...bytes.subarray(17, 22)], [0x73, 0, 0, 0, 7]);
    assert.equal(bytes.subarray(22, 29).toString('utf8'), 'default');
    assert.equal(bytes.subarray(29, 32).toString('latin1'), 'n1;');
  });

  test('byte format v2: tag, content committed by digest, content itself outside the hash', async () => {
    const vector = load('chain-v2.json');
    assert.equal(vector.format, CHAIN_FORMAT_V2);
    const first = vector.records[0]!;
    const bytes = recordBytes(vector.partition, 1, GENESIS_HASH, chainedValues(first.row, 2), 2);
    assert.equal(bytes.toString('hex'), vector.firstRecordBytesHex);
    assert.equal(bytes.subarray(0, 17).toString('latin1'), 'bulwark-audit-v2\n');
    assert.equal(createHash('sha256').update(bytes).digest('hex'), first.hash);
    const withContent = vector.records.find((r) => r.row.content !== null)!;
    assert.equal(withContent.row.content_digest, createHash('sha256').update(withContent.row.content as string, 'utf8').digest('hex'));
    const result = await verifyVector(vector);
    assert.deepEqual(result.problems, []);
    assert.deepEqual([result.records, result.checkpoints, result.contentCleared], [6, 1, 1]);
  });

  test('chain.json verifies, checkpoints and signatures included', async () => {
    const result = await verifyVector(load('chain.json'));
    assert.deepEqual(result.problems, []);
    assert.equal(result.records, 8);
    assert.equal(result.checkpoints, 2);
    assert.equal(result.signaturesChecked, true);
  });

  for (const name of files.filter((f) => f !== 'chain.json' && f !== 'chain-v2.json')) {
    test(`${name}: reported as the expected kind at the expected position`, async () => {
      const vector = load(name);
      assert.ok(vector.expected, 'a tampered vector names its expected problem');
      const result = await verifyVector(vector);
      assert.equal(result.ok, false);
      assert.deepEqual(result.problems.map((p) => ({ position: p.position, kind: p.kind })), [vector.expected]);
    });
  }

  test('the generator still produces the committed files (regenerate with scripts/generate-audit-golden.ts)', () => {
    for (const [name, vector] of Object.entries(goldenVectors())) assert.deepEqual(load(name), JSON.parse(JSON.stringify(vector)), name);
  });
});
