/**
 * Data protection end to end with the official SDKs: reversible pseudonymisation (the provider
 * only ever sees placeholders; the client gets its values back, streamed or not, whatever the
 * chunking), conversation-stable placeholders, and a compliance pack that cites its clause.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import pino from 'pino';
import { createSqliteEventStore } from '../../src/store/sqlite-event-store.ts';
import { startHarness, type Harness } from './harness.ts';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const pseudonymising = {
  name: 'pseudonymise',
  pseudonymisation: { enabled: true },
  scanners: [{ id: 'pii', scanner: 'data/pii', phases: ['request' as const], action: 'redact' as const, timeoutMs: 2000, config: { entities: ['PERSON', 'EMAIL_ADDRESS', 'CREDIT_CARD'], defaultStyle: 'pseudonymise' } }],
};
const originals = ['Jane Doe', 'jane.doe@example.com', '4111 1111 1111 1111'];
const prompt = 'say: Please confirm the appointment for Jane Doe, email jane.doe@example.com, card 4111 1111 1111 1111.';
const restored = 'Please confirm the appointment for Jane Doe, email jane.doe@example.com, card 4111 1111 1111 1111.';

function upstreamSaw(h: Harness): string {
  return JSON.stringify(h.primary.requests.at(-1)!.body);
}

for (const chunkSize of [1, 3, 8]) {
  describe(`reversible pseudonymisation (${chunkSize}-character upstream chunks)`, () => {
    let h: Harness;
    before(async () => {
      h = await startHarness({ policy: pseudonymising, chunkSize });
      h.primary.behavior = { streamDelayMs: 1 };
    });
    after(() => h?.close());

    it('the provider sees placeholders only and the client gets its values back (non-streamed)', async () => {
      const completion = await h.openai.chat.completions.create({ model: 'gpt-test', messages: [{ role: 'user', content: prompt }] });
      const sent = upstreamSaw(h);
      for (const value of originals) assert.ok(!sent.includes(value), `${value} reached the provider`);
      assert.match(sent, /<PERSON_1>/);
      assert.match(sent, /<EMAIL_ADDRESS_1>/);
      assert.match(sent, /<CREDIT_CARD_1>/);
      assert.equal(completion.choices[0]!.message.content, restored);
    });

    it('restores values split across SSE chunks (OpenAI stream)', async () => {
      const stream = await h.openai.chat.completions.create({ model: 'gpt-test', stream: true, messages: [{ role: 'user', content: prompt }] });
      let text = '';
      let chunks = 0;
      for await (const chunk of stream) {
        text += chunk.choices[0]?.delta?.content ?? '';
        chunks += 1;
      }
      assert.equal(text, restored);
      assert.ok(chunks > 3, 'the answer was streamed in pieces');
      for (const value of originals) assert.ok(!upstreamSaw(h).includes(value));
    });

    it('restores in the Anthropic format, streamed, through translation too', async () => {
      const stream = await h.anthropic.messages.create({ model: 'claude-test', max_tokens: 200, stream: true, messages: [{ role: 'user', content: prompt }] });
      let text = '';
      for await (const event of stream) if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') text += event.delta.text;
      assert.equal(text, restored);
      const viaClaude = await h.openai.chat.completions.create({ model: 'gpt-via-claude', messages: [{ role: 'user', content: prompt }] });
      assert.equal(viaClaude.choices[0]!.message.content, restored);
      for (const value of originals) assert.ok(!upstreamSaw(h).includes(value));
    });
  });
}

describe('pseudonyms across the turns of a conversation', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ policy: pseudonymising });
  });
  after(() => h?.close());

  it('keeps the same placeholder for the same value across requests of one conversation only', async () => {
    const headers = { 'x-bulwark-conversation-id': 'conv-42' };
    await h.openai.chat.completions.create({ model: 'gpt-test', messages: [{ role: 'user', content: 'say: Hello Jane Doe.' }] }, { headers });
    assert.match(upstreamSaw(h), /<PERSON_1>/);
    const second = await h.openai.chat.completions.create({ model: 'gpt-test', messages: [{ role: 'user', content: 'say: We told John Smith and Jane Doe.' }] }, { headers });
    assert.match(upstreamSaw(h), /We told <PERSON_2> and <PERSON_1>\./);
    assert.equal(second.choices[0]!.message.content, 'We told John Smith and Jane Doe.');
    await h.openai.chat.completions.create({ model: 'gpt-test', messages: [{ role: 'user', content: 'say: We told John Smith.' }] }, { headers: { 'x-bulwark-conversation-id': 'conv-other' } });
    assert.match(upstreamSaw(h), /We told <PERSON_1>\./, 'another conversation starts its own numbering');
  });

  it('refuses a malformed conversation id naming the header', async () => {
    await assert.rejects(h.openai.chat.completions.create({ model: 'gpt-test', messages: [{ role: 'user', content: 'hi' }] }, { headers: { 'x-bulwark-conversation-id': 'bad id with spaces' } }), (error: unknown) => error instanceof OpenAI.BadRequestError && /x-bulwark-conversation-id/.test(error.message));
  });
});

describe('HIPAA pack', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ policy: { name: 'clinic', packs: ['hipaa'] } });
  });
  after(() => h?.close());

  it('blocks a note with a medical record number and cites the clause, in the error and the event', async () => {
    const before = h.primary.requests.length;
    let eventId = '';
    await assert.rejects(h.openai.chat.completions.create({ model: 'gpt-test', messages: [{ role: 'user', content: 'Summarise this note. Patient MRN 00482913 presented with a cough.' }] }), (error: unknown) => {
      assert.ok(error instanceof OpenAI.BadRequestError);
      assert.match(error.message, /HIPAA §164\.514\(b\)\(2\)\(i\)\(H\): medical record numbers/);
      eventId = /evt_[0-9a-f]+/.exec(error.message)?.[0] ?? '';
      return true;
    });
    assert.equal(h.primary.requests.length, before, 'the note never reached the provider');
    await h.gateway.gateway.store.flush();
    const store = createSqliteEventStore({ path: join(h.dataDir, 'events.db'), logger: pino({ level: 'silent' }) });
    try {
      const event = await store.get(eventId);
      assert.ok(event, 'event recorded');
      assert.equal(event.decision, 'block');
      assert.ok(event.findings.some((finding) => finding.ruleId === 'pii/MEDICAL_RECORD_NUMBER' && finding.clause?.includes('§164.514(b)(2)(i)(H)')));
      assert.ok(!JSON.stringify(event).includes('00482913'), 'the raw identifier is not stored');
    } finally {
      await store.close();
    }
  });
});

describe('confidential documents', () => {
  let h: Harness;
  const secretPlan = 'The Falcon programme will replace the legacy billing platform in three phases, starting with the migration of all enterprise accounts in the second quarter, followed by the retirement of the regional data centres and a price increase of eleven percent for premium customers.';
  before(async () => {
    const folder = mkdtempSync(join(tmpdir(), 'bulwark-protected-'));
    mkdirSync(join(folder, 'strategy'));
    writeFileSync(join(folder, 'strategy', 'falcon-plan.md'), `# Falcon\n\n${secretPlan}\n`);
    writeFileSync(join(folder, 'menu.txt'), 'The canteen serves soup on Mondays and fish on Fridays, with vegetarian options every day of the week for all staff members.');
    h = await startHarness({ policy: { name: 'ip-protection', scanners: [{ id: 'protected-docs', scanner: 'data/documents', phases: ['response', 'response-stream'], action: 'block', config: { folder } }] } });
  });
  after(() => h?.close());

  it('blocks a response quoting a protected document, near-verbatim, and the event names the document', async () => {
    const quoted = secretPlan.replace('three phases', 'three stages').replace('eleven percent', '11 percent');
    let eventId = '';
    await assert.rejects(h.openai.chat.completions.create({ model: 'gpt-test', messages: [{ role: 'user', content: `say: Sure. ${quoted}` }] }), (error: unknown) => {
      assert.ok(error instanceof OpenAI.BadRequestError);
      assert.match(error.message, /documents\/leak/);
      eventId = /evt_[0-9a-f]+/.exec(error.message)?.[0] ?? '';
      return true;
    });
    await h.gateway.gateway.store.flush();
    const store = createSqliteEventStore({ path: join(h.dataDir, 'events.db'), logger: pino({ level: 'silent' }) });
    try {
      const event = await store.get(eventId);
      assert.ok(event);
      const leak = event.findings.find((finding) => finding.ruleId === 'documents/leak');
      assert.ok(leak?.evidence?.includes('strategy/falcon-plan.md'), `evidence names the document: ${leak?.evidence}`);
    } finally {
      await store.close();
    }
  });

  it('blocks the same quote in a stream before it reaches the client, and passes unrelated text', async () => {
    const response = await fetch(`${h.gateway.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'gpt-test', stream: true, messages: [{ role: 'user', content: `say: Here is what I found in the files. ${secretPlan}` }] }) });
    const raw = await response.text();
    assert.match(raw, /BULWARK_POLICY_BLOCKED/);
    // Not one word of the passage leaves: the scanner holds an open passage back until it is long enough to report.
    for (const phrase of ['Falcon programme', 'replace the legacy', 'retirement of the regional data centres']) assert.ok(!raw.includes(phrase), `"${phrase}" reached the client`);
    const fine = await h.openai.chat.completions.create({ model: 'gpt-test', messages: [{ role: 'user', content: 'say: Our billing platform is being modernised; details will follow from your account manager.' }] });
    assert.match(fine.choices[0]!.message.content ?? '', /modernised/);
  });
});
