import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { describe, it } from 'node:test';
import { request } from 'undici';
import { Cancellation } from './cancel-signal.ts';

describe('Cancellation', () => {
  it('runs each listener once, in order, with the reason visible, and then throws it', () => {
    const cancel = new Cancellation();
    const seen: string[] = [];
    cancel.addEventListener('abort', () => seen.push(`a:${(cancel.reason as Error).message}`));
    cancel.addEventListener('abort', () => seen.push('b'));
    assert.equal(cancel.aborted, false);
    assert.doesNotThrow(() => cancel.throwIfAborted());
    cancel.abort(new Error('gone'));
    cancel.abort(new Error('again'));
    assert.deepEqual(seen, ['a:gone', 'b']);
    assert.equal(cancel.aborted, true);
    assert.throws(() => cancel.throwIfAborted(), /gone/);
  });

  it('defaults the reason to an AbortError, skips removed listeners, and survives a throwing listener', () => {
    const cancel = new Cancellation();
    const seen: string[] = [];
    const removed = (): void => {
      seen.push('removed');
    };
    cancel.addEventListener('abort', () => {
      throw new Error('listener bug');
    });
    cancel.addEventListener('abort', removed);
    cancel.addEventListener('abort', () => seen.push('last'));
    cancel.removeEventListener('abort', removed);
    cancel.abort();
    assert.deepEqual(seen, ['last']);
    assert.equal((cancel.reason as DOMException).name, 'AbortError');
  });

  it('follows a parent (an AbortSignal or another Cancellation) until unfollowed', () => {
    const parent = new AbortController();
    const child = new Cancellation().follow(parent.signal);
    parent.abort(new Error('client left'));
    assert.equal(child.aborted, true);
    assert.equal((child.reason as Error).message, 'client left');

    const request = new Cancellation();
    const phase = new Cancellation().follow(request);
    phase.unfollow();
    request.abort();
    assert.equal(phase.aborted, false, 'an unfollowed phase is not aborted by its request');

    const late = new Cancellation().follow(request);
    assert.equal(late.aborted, true, 'following an aborted parent aborts at once');
  });

  it('aborts an undici request in flight (the upstream client passes it as the signal)', async () => {
    const server = createServer(() => {
      // Never answers: only the abort can end the request.
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      const cancel = new Cancellation();
      const pending = request(`http://127.0.0.1:${port}/`, { signal: cancel });
      setTimeout(() => cancel.abort(new Error('client disconnected')), 20);
      await assert.rejects(pending, /client disconnected/);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
