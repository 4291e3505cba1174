import { chainHash, GENESIS_HASH } from '../chain-format.mjs';
import type { ChainedValue } from '../chain-format.mjs';
import { memoryChainSource, type ChainRecord, type ChainSource } from '../verify.ts';

/** Fixed stored rows for the export tests and golden files (CHAINED_FIELDS order), chained per partition. */
const ROWS: Record<string, ChainedValue[][]> = {
  default: [
    ['evt_0001', 'req_0001', '2026-01-15T10:00:00.000Z', Date.parse('2026-01-15T10:00:00.000Z'), 'openai.chat', 'gpt-4o-mini', 'openai', 'default', 'allow', 200, 12, 40, 310.5, 325.25, 0, null,
      '[]', '[{"instance":"pii","scanner":"pii","phase":"request","outcome":"pass","score":0,"latencyMs":1.2}]', '{"request":"hello","response":"hi there"}'],
    ['evt_0002', 'req_0002', '2026-01-15T10:05:00.000Z', Date.parse('2026-01-15T10:05:00.000Z'), 'anthropic.messages', 'claude-test', null, 'strict', 'block', 400, null, null, null, 12, 1, null,
      JSON.stringify([
        { instance: 'injection', scanner: 'prompt-injection', ruleId: 'ignore-previous', severity: 'high', score: 0.97, segmentId: 'm0', origin: 'user', span: [0, 27], action: 'block', message: 'instruction override | "ignore previous" = attack\\path\nline 2' },
        { instance: 'secrets', scanner: 'secrets', ruleId: 'aws-access-key', severity: 'critical', score: 1, segmentId: 'm0', origin: 'user', span: [30, 50], action: 'block', message: 'AWS access key', clause: 'PCI-DSS 3.4' },
      ]),
      '[]', null],
  ],
  acme: [
    ['evt_0003', 'req_0003', '2026-01-16T08:30:00.000Z', Date.parse('2026-01-16T08:30:00.000Z'), 'openai.embeddings', 'text-embed-small', 'openai', 'default', 'error', 502, null, null, 1500, 1510, 0, 'upstream: connection reset',
      '[{"instance":"pii","scanner":"pii","ruleId":"email","severity":"low","score":0.8,"segmentId":"i0","origin":"user","span":[3,20],"action":"flag","message":"email address"}]', '[]', null],
  ],
};

/** The fixture records with their seq and chain hashes. */
export function fixtureChain(): Record<string, ChainRecord[]> {
  const out: Record<string, ChainRecord[]> = {};
  for (const [partition, rows] of Object.entries(ROWS)) {
    let prev = GENESIS_HASH;
    out[partition] = rows.map((values, i) => {
      const hash = chainHash(partition, i + 1, prev, values);
      const record = { seq: i + 1, prevHash: prev, hash, values };
      prev = hash;
      return record;
    });
  }
  return out;
}

export function fixtureSource(): ChainSource {
  return memoryChainSource(fixtureChain());
}
