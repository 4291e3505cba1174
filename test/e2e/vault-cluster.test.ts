/**
 * Reversible pseudonymisation across a cluster: two gateways share one PostgreSQL database
 * (storage.kind: postgres) and so one pseudonym vault. A conversation that moves between them
 * keeps its placeholders, and each restores what the other stored.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import OpenAI from 'openai';
import pg from 'pg';
import { Config } from '../../src/config/schema.ts';
import { startGateway, type RunningGateway } from '../../src/main.ts';
import { createLogger } from '../../src/telemetry/logger.ts';
import { startUpstreamFixture } from '../fixtures/upstream.ts';
import { POSTGRES_TEST_URL, servicesAvailable, skipOrFail } from '../support/services.ts';

const originals = ['Jane Doe', 'jane.doe@example.com', 'John Smith', 'Mary Johnson'];

function configFor(upstreamUrl: string, schema: string) {
  return Config.parse({
    version: 1,
    logging: { level: 'silent' },
    storage: { kind: 'postgres', postgres: { url: POSTGRES_TEST_URL, schema, poolSize: 2 } },
    providers: [{ id: 'up', type: 'openai-compatible', baseUrl: `${upstreamUrl}/v1`, apiKey: 'sk-upstream' }],
    routes: [{ match: 'gpt-*', providers: ['up'], timeoutMs: 5000, retry: { attempts: 0 } }],
    policy: {
      name: 'cluster-pseudonymise',
      pseudonymisation: { enabled: true },
      scanners: [{ id: 'pii', scanner: 'data/pii', phases: ['request'], action: 'redact', timeoutMs: 2000, config: { entities: ['PERSON', 'EMAIL_ADDRESS'], defaultStyle: 'pseudonymise' } }],
    },
  });
}

describe('pseudonym vault shared by two gateways through PostgreSQL', () => {
  it('turn 1 on instance A, turn 2 on instance B: B reuses and restores A\'s placeholders, and back', { timeout: 60_000 }, async (t) => {
    const probe = await servicesAvailable('postgres');
    if (!probe.ok) return skipOrFail(t, probe.reason);
    const schema = `bulwark_vault_e2e_${randomBytes(4).toString('hex')}`;
    const upstream = await startUpstreamFixture({ chunkSize: 3 });
    // Every instance of a cluster holds the same master key (a per-instance generated key could not open the others' rows).
    const env = { BULWARK_MASTER_KEY: randomBytes(32).toString('hex') };
    const dirs = [mkdtempSync(join(tmpdir(), 'bulwark-vault-a-')), mkdtempSync(join(tmpdir(), 'bulwark-vault-b-'))];
    const gateways: RunningGateway[] = [];
    try {
      for (const dataDir of dirs) gateways.push(await startGateway({ config: configFor(upstream.url, schema), dataDir, port: 0, host: '127.0.0.1', logger: createLogger({ level: 'silent' }), env }));
      const [a, b] = gateways.map((gateway) => new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'client-key', maxRetries: 0, timeout: 10_000 }));
      assert.notEqual(gateways[0]!.port, gateways[1]!.port);
      const headers = { 'x-bulwark-conversation-id': 'conv-cluster-1' };
      const upstreamSaw = () => JSON.stringify(upstream.requests.at(-1)!.body);

      // Turn 1, instance A.
      const turn1 = 'say: Hello Jane Doe, we will mail jane.doe@example.com.';
      const first = await a!.chat.completions.create({ model: 'gpt-test', messages: [{ role: 'user', content: turn1 }] }, { headers });
      assert.match(upstreamSaw(), /Hello <PERSON_1>, we will mail <EMAIL_ADDRESS_1>\./);
      const reply1 = first.choices[0]!.message.content!;
      assert.equal(reply1, 'Hello Jane Doe, we will mail jane.doe@example.com.');

      // Turn 2, instance B, same conversation. The client sends only the new message (as one relying on
      // provider-side state does) and the model refers to a value of turn 1 by its placeholder: only
      // A's vault can restore it, and only A's numbering makes Jane Doe <PERSON_1> and John Smith <PERSON_2>.
      const second = await b!.chat.completions.create({ model: 'gpt-test', messages: [{ role: 'user', content: 'say: John Smith will write to Jane Doe at <EMAIL_ADDRESS_1>.' }] }, { headers });
      const sent = upstreamSaw();
      for (const value of originals) assert.ok(!sent.includes(value), `${value} reached the provider through B`);
      assert.match(sent, /<PERSON_2> will write to <PERSON_1> at <EMAIL_ADDRESS_1>\./, 'B continues A\'s numbering');
      assert.equal(second.choices[0]!.message.content, 'John Smith will write to Jane Doe at jane.doe@example.com.', 'B restores A\'s placeholders');

      // Turn 3, back on A, streamed: A continues B's numbering and restores the placeholder B allocated.
      const stream = await a!.chat.completions.create({ model: 'gpt-test', stream: true, messages: [{ role: 'user', content: 'say: Ask Mary Johnson to call <PERSON_2>.' }] }, { headers });
      let text = '';
      for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
      assert.match(upstreamSaw(), /Ask <PERSON_3> to call <PERSON_2>\./);
      assert.equal(text, 'Ask Mary Johnson to call John Smith.');

      // Another conversation starts its own numbering on either instance.
      await b!.chat.completions.create({ model: 'gpt-test', messages: [{ role: 'user', content: 'say: Remind John Smith.' }] }, { headers: { 'x-bulwark-conversation-id': 'conv-cluster-2' } });
      assert.match(upstreamSaw(), /Remind <PERSON_1>\./);

      // The mappings live in PostgreSQL, sealed; neither instance wrote a local vault.
      const client = new pg.Client({ connectionString: POSTGRES_TEST_URL });
      await client.connect();
      try {
        const { rows } = await client.query(`SELECT * FROM ${schema}.vault_entries`);
        assert.equal(rows.length, 5, 'four mappings of the first conversation and one of the second');
        const dump = JSON.stringify(rows);
        for (const value of [...originals, 'conv-cluster']) assert.ok(!dump.includes(value), `the database holds ${value} in clear`);
      } finally {
        await client.end();
      }
      for (const dataDir of dirs) assert.ok(!existsSync(join(dataDir, 'vault.db')), 'no local SQLite vault');

      // The vault fails (here: its table is gone): a conversation's request is refused before the provider sees it (fail closed).
      const admin = new pg.Client({ connectionString: POSTGRES_TEST_URL });
      await admin.connect();
      await admin.query(`DROP TABLE ${schema}.vault_entries`);
      await admin.end();
      const calls = upstream.requests.length;
      await assert.rejects(a!.chat.completions.create({ model: 'gpt-test', messages: [{ role: 'user', content: 'say: Hello Jane Doe.' }] }, { headers }), (error: unknown) => {
        assert.ok(error instanceof OpenAI.APIError, String(error));
        assert.equal(error.status, 503);
        assert.match(error.message, /pseudonym vault cannot be reached/);
        return true;
      });
      assert.equal(upstream.requests.length, calls, 'nothing reached the provider');
      // Without a conversation id the mapping lives in the request alone and needs no vault.
      const single = await b!.chat.completions.create({ model: 'gpt-test', messages: [{ role: 'user', content: 'say: Hello Jane Doe.' }] });
      assert.equal(single.choices[0]!.message.content, 'Hello Jane Doe.');
    } finally {
      for (const gateway of gateways) await gateway.close(1000);
      await upstream.close();
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
      const client = new pg.Client({ connectionString: POSTGRES_TEST_URL });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    }
  });
});
