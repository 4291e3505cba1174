import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { after, before, beforeEach, describe, it } from 'node:test';
import OpenAI from 'openai';
import { postRaw, startHarness, type Harness } from './harness.ts';

const waitFor = async (check: () => boolean, ms = 3000): Promise<void> => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

describe('resilience and bad input', () => {
  let h: Harness;
  const logLines: string[] = [];
  before(async () => {
    h = await startHarness({ timeoutMs: 400, server: { bodyLimitBytes: 64 * 1024 }, logLines });
  });
  beforeEach(() => {
    h.primary.behavior = 'normal';
    h.backup.behavior = 'normal';
  });
  after(() => h?.close());

  const healthy = async (): Promise<void> => {
    const response = await fetch(`${h.gateway.url}/healthz`);
    assert.equal(response.status, 200);
  };

  it('answers an upstream timeout with a 504 in the OpenAI error shape', async () => {
    h.primary.behavior = 'hang';
    await assert.rejects(h.openai.chat.completions.create({ model: 'gpt-test', messages: [{ role: 'user', content: 'hi' }] }), (error: unknown) => {
      assert.ok(error instanceof OpenAI.APIError);
      assert.equal(error.status, 504);
      assert.equal(error.code, 'BULWARK_UPSTREAM_TIMEOUT');
      return true;
    });
    await healthy();
  });

  it('answers an upstream 5xx with a clear error when no fallback is configured', async () => {
    h.primary.behavior = 'error-500';
    await assert.rejects(h.openai.chat.completions.create({ model: 'gpt-test', messages: [{ role: 'user', content: 'hi' }] }), (error: unknown) => error instanceof OpenAI.APIError && error.status === 502 && error.code === 'BULWARK_UPSTREAM_ERROR');
  });

  it('falls back to the second provider when the first fails', async () => {
    h.primary.behavior = 'error-500';
    const backupBefore = h.backup.requests.length;
    const result = await h.openai.chat.completions.create({ model: 'fallback-model', messages: [{ role: 'user', content: 'fall back please' }] });
    assert.equal(result.choices[0]?.message.content, 'Echo: fall back please');
    assert.equal(h.backup.requests.length, backupBefore + 1);
    assert.equal(h.backup.requests.at(-1)!.headers.authorization, 'Bearer sk-backup-secret');
    h.primary.behavior = 'hang';
    const afterTimeout = await h.openai.chat.completions.create({ model: 'fallback-model', messages: [{ role: 'user', content: 'after a timeout' }] });
    assert.equal(afterTimeout.choices[0]?.message.content, 'Echo: after a timeout');
  });

  it('aborts the upstream request when the client disconnects mid-stream', async () => {
    h.primary.behavior = { streamDelayMs: 40 };
    const controller = new AbortController();
    const before = h.primary.requests.length;
    const stream = await h.openai.chat.completions.create(
      { model: 'gpt-test', stream: true, messages: [{ role: 'user', content: `say: ${'a long streamed answer '.repeat(40)}` }] },
      { signal: controller.signal },
    );
    let chunks = 0;
    try {
      for await (const _chunk of stream) {
        chunks += 1;
        if (chunks === 2) controller.abort();
      }
    } catch {
      // Some SDK versions surface the abort as an error, others end the iteration: both are a disconnect.
    }
    assert.ok(chunks >= 2 && chunks < 20, `client stopped early (got ${chunks} chunks)`);
    await waitFor(() => h.primary.requests.length > before && h.primary.requests.at(-1)!.aborted);
    assert.equal(h.primary.requests.at(-1)!.completed, false);
    await healthy();
  });

  it('answers malformed JSON, wrong shapes, oversized bodies and unknown models clearly', async () => {
    const chat = `${h.gateway.url}/v1/chat/completions`;
    const bad = await postRaw(chat, '{"model": "gpt-test", "messages": [');
    assert.equal(bad.status, 400);
    assert.equal((bad.json.error as Record<string, unknown>).code, 'BULWARK_BAD_JSON');

    const shape = await postRaw(chat, JSON.stringify({ model: 'gpt-test', messages: 'not a list' }));
    assert.equal(shape.status, 400);
    const shapeError = shape.json.error as Record<string, unknown>;
    assert.equal(shapeError.code, 'BULWARK_INVALID_REQUEST');
    assert.match(String(shapeError.message), /messages/);

    const big = await postRaw(chat, JSON.stringify({ model: 'gpt-test', messages: [{ role: 'user', content: 'x'.repeat(100 * 1024) }] }));
    assert.equal(big.status, 413);
    assert.equal((big.json.error as Record<string, unknown>).code, 'BULWARK_BODY_TOO_LARGE');

    const anthropicBad = await postRaw(`${h.gateway.url}/v1/messages`, '{nope');
    assert.equal(anthropicBad.status, 400);
    assert.equal(anthropicBad.json.type, 'error');
    assert.equal((anthropicBad.json.error as Record<string, unknown>).type, 'invalid_request_error');

    await assert.rejects(h.openai.chat.completions.create({ model: 'no-such-model', messages: [{ role: 'user', content: 'hi' }] }), (error: unknown) => {
      assert.ok(error instanceof OpenAI.NotFoundError);
      assert.equal(error.code, 'BULWARK_UNKNOWN_MODEL');
      assert.match(error.message, /no-such-model/);
      return true;
    });

    const notFound = await fetch(`${h.gateway.url}/v1/nothing-here`);
    assert.equal(notFound.status, 404);
    await healthy();
  });

  it('survives a client that sends half a body and vanishes', async () => {
    await new Promise<void>((resolve) => {
      const request = httpRequest(`${h.gateway.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': '1000' } });
      request.on('error', () => resolve());
      request.write('{"model":"gpt-test",');
      setTimeout(() => {
        request.destroy();
        resolve();
      }, 50);
    });
    await healthy();
  });

  it('never logs provider credentials, even when upstream calls fail', () => {
    assert.ok(logLines.some((line) => line.includes('upstream attempt failed')), 'failures were logged');
    for (const secret of ['sk-primary-secret', 'sk-backup-secret', 'sk-ant-secret']) {
      assert.ok(!logLines.some((line) => line.includes(secret)), `${secret} must not appear in logs`);
    }
  });
});
