import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { join } from 'node:path';
import { createSqliteEventStore } from '../../src/store/sqlite-event-store.ts';
import { createLogger } from '../../src/telemetry/logger.ts';
import { startHarness, type Harness } from './harness.ts';

describe('graceful shutdown', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h?.close());

  it('drains an in-flight stream, flushes its event, and refuses new connections', async () => {
    h.primary.behavior = { streamDelayMs: 15 };
    const words = 'the quick brown fox jumps over the lazy dog and every word reaches the client';
    const stream = await h.openai.chat.completions.create({ model: 'gpt-test', stream: true, messages: [{ role: 'user', content: `say: ${words}` }] });
    let text = '';
    let closing: Promise<void> | null = null;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      closing ??= h.gateway.close(5000);
    }
    assert.equal(text, words);
    await closing;
    await assert.rejects(fetch(`${h.gateway.url}/healthz`), 'the listener is closed after draining');
    const reopened = createSqliteEventStore({ path: join(h.dataDir, 'events.db'), logger: createLogger({ level: 'silent' }) });
    const events = await reopened.list({ limit: 10 });
    await reopened.close();
    const streamed = events.find((event) => event.streamed);
    assert.ok(streamed, 'the drained stream was recorded');
    assert.equal(streamed.status, 200);
    assert.equal(streamed.decision, 'allow');
  });
});
