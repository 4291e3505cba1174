import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startHarness } from './harness.ts';

describe('e2e harness', () => {
  it('a gateway that cannot start rejects with the config error and leaves nothing listening', async () => {
    await assert.rejects(
      startHarness({ policy: { name: 'broken', scanners: [{ id: 'twice', scanner: 'limits/size', phases: ['request'] }, { id: 'twice', scanner: 'limits/size', phases: ['request'] }] } }),
      /duplicate instance id "twice"/,
    );
    // The file ends promptly only if the fixture servers were closed (an open server keeps the process alive).
  });
});
