import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DestinationStream } from 'pino';
import { createLogger } from './logger.ts';

function capture(): { stream: DestinationStream; lines: () => Record<string, unknown>[]; raw: () => string } {
  let buffer = '';
  const stream: DestinationStream = { write: (chunk: string) => { buffer += chunk; } };
  return {
    stream,
    raw: () => buffer,
    lines: () => buffer.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

test('secrets in redacted paths never reach the output', () => {
  const out = capture();
  const logger = createLogger({ level: 'info', destination: out.stream });
  logger.info(
    {
      headers: { authorization: 'Bearer SECRET-A', 'x-api-key': 'SECRET-B', 'api-key': 'SECRET-C', accept: 'json' },
      req: { headers: { Authorization: 'Bearer SECRET-D' } },
      provider: { id: 'openai', apiKey: 'SECRET-E' },
      config: { providers: [{ id: 'x', apiKey: 'SECRET-F' }] },
      apiKey: 'SECRET-G',
    },
    'request',
  );
  const raw = out.raw();
  for (const s of ['SECRET-A', 'SECRET-B', 'SECRET-C', 'SECRET-D', 'SECRET-E', 'SECRET-F', 'SECRET-G']) {
    assert.ok(!raw.includes(s), `${s} leaked: ${raw}`);
  }
  const [line] = out.lines();
  assert.ok(line);
  assert.equal(line.service, 'bulwark');
  assert.equal(line.msg, 'request');
  assert.deepEqual((line.headers as Record<string, unknown>).accept, 'json');
  assert.equal((line.provider as Record<string, unknown>).id, 'openai');
});

test('level filters lower levels', () => {
  const out = capture();
  const logger = createLogger({ level: 'warn', destination: out.stream });
  logger.info('hidden');
  logger.warn('shown');
  assert.deepEqual(out.lines().map((l) => l.msg), ['shown']);
});
