import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pino from 'pino';
import { BulwarkError } from '../errors/bulwark-error.ts';
import type { GatewayEvent } from '../store/types.ts';
import { EventDraft } from './event-draft.ts';
import type { Gateway } from './gateway.ts';
import { beginPseudonyms } from './pseudonymisation.ts';

function gatewayWithoutVault(enabled: boolean, recorded: GatewayEvent[]): Gateway {
  return {
    pseudonymizer: null,
    logger: pino({ level: 'silent' }),
    config: { policy: { pseudonymisation: { enabled, conversationHeader: 'x-bulwark-conversation-id' } } },
    record: (event: GatewayEvent) => recorded.push(event),
  } as unknown as Gateway;
}

describe('beginPseudonyms without a vault', () => {
  it('refuses (fails closed) when the effective policy pseudonymises but no vault was provisioned', () => {
    const recorded: GatewayEvent[] = [];
    const draft = new EventDraft('req_1', 'openai.chat', 'p', 'none');
    assert.throws(
      () => beginPseudonyms(gatewayWithoutVault(true, recorded), {}, 'tenant-a', new Map(), draft),
      (error: unknown) => error instanceof BulwarkError && error.code === 'BULWARK_VAULT_UNAVAILABLE',
    );
    assert.equal(recorded.length, 1, 'the refused request is recorded');
    assert.match(recorded[0]!.error ?? '', /no vault/);
  });

  it('does nothing when the policy does not pseudonymise', () => {
    const recorded: GatewayEvent[] = [];
    const draft = new EventDraft('req_2', 'openai.chat', 'p', 'none');
    assert.equal(beginPseudonyms(gatewayWithoutVault(false, recorded), {}, 'tenant-a', new Map(), draft), null);
    assert.equal(recorded.length, 0);
  });
});
