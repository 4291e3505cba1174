import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough, Readable } from 'node:stream';
import { BulwarkError } from '../errors/bulwark-error.ts';
import { readBodyText, readBounded } from './read-body.ts';

describe('readBounded / readBodyText', () => {
  it('joins chunks (bytes or strings) and reads an empty body as empty', async () => {
    assert.equal(await readBodyText(Readable.from([Buffer.from('{"a":'), '"é"', Buffer.from('}')]), 100), '{"a":"é"}');
    assert.equal(await readBodyText(Readable.from([Buffer.from('one chunk')]), 100), 'one chunk');
    assert.equal(await readBodyText(Readable.from([]), 100), '');
  });

  it('gives up past the limit: destroys the stream by default, or hands it to onOverflow', async () => {
    const big = Readable.from([Buffer.alloc(60), Buffer.alloc(60)]);
    await assert.rejects(readBodyText(big, 100), (error: unknown) => error instanceof BulwarkError && error.code === 'BULWARK_UPSTREAM_ERROR');
    assert.equal(big.destroyed, true);
    const kept = new PassThrough();
    let handed = 0;
    const read = readBounded(kept, 100, () => (handed += 1));
    kept.write(Buffer.alloc(60));
    kept.write(Buffer.alloc(60));
    kept.write(Buffer.alloc(60));
    assert.equal(await read, null);
    assert.equal(handed, 1);
    assert.equal(kept.destroyed, false);
  });

  it("rejects with the stream's error, and when the stream closes before its end", async () => {
    const failing = new PassThrough();
    const pending = readBodyText(failing, 100);
    failing.write('partial');
    failing.destroy(new Error('socket reset'));
    await assert.rejects(pending, /socket reset/);
    const cut = new PassThrough();
    const cutShort = readBodyText(cut, 100);
    cut.write('partial');
    cut.destroy();
    await assert.rejects(cutShort, (error: unknown) => (error as { code?: string }).code === 'ERR_STREAM_PREMATURE_CLOSE');
  });
});
