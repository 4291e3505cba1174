import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import type { KeyStore } from '../../src/auth/types.ts';
import type { GatewayEvent } from '../../src/store/types.ts';
import { extractionCampaign } from '../../src/abuse/simulated-traffic.ts';
import { startHarness, type Harness } from './harness.ts';

/** Budgets and abuse detection over HTTP with the official openai SDK. */

type Failure = { status: number | undefined; code: string | null | undefined; message: string; bulwark: Record<string, unknown> };

async function attempt(client: OpenAI, content: string): Promise<Failure | null> {
  try {
    await client.chat.completions.create({ model: 'gpt-test', max_tokens: 20, messages: [{ role: 'user', content }] });
    return null;
  } catch (error) {
    if (!(error instanceof OpenAI.APIError)) throw error;
    const body = error.error as { bulwark?: Record<string, unknown> } | undefined;
    return { status: error.status, code: error.code, message: error.message, bulwark: body?.bulwark ?? {} };
  }
}

function keyFor(keys: KeyStore, tenantName: string): { key: string; keyId: string; tenantId: string } {
  const tenant = keys.createTenant(tenantName);
  const project = keys.createProject(tenant.id, 'app');
  const { key, record } = keys.createKey({ tenantId: tenant.id, projectId: project.id, name: tenantName });
  return { key, keyId: record.id, tenantId: tenant.id };
}

describe('budgets and abuse detection over HTTP (openai SDK)', () => {
  let h: Harness;
  let keys: KeyStore;
  const client = (apiKey: string): OpenAI => new OpenAI({ baseURL: `${h.gateway.url}/v1`, apiKey, maxRetries: 0, timeout: 10_000 });
  // Events as the gateway records them (the event store does not persist tenant, project and keyId yet).
  const recorded: GatewayEvent[] = [];
  const events = async () => recorded;

  before(async () => {
    h = await startHarness({
      policy: { name: 'budget-abuse', scanners: [] },
      // One token costs 0.01 USD, so a short call costs cents.
      pricing: [{ match: 'gpt-*', inputPerMillion: 10_000, outputPerMillion: 10_000, currency: 'USD' }],
      abuse: { enabled: true, throttleRequestsPerMinute: 3, suspendAt: null },
    });
    keys = h.gateway.gateway.access!.keys;
    const gateway = h.gateway.gateway;
    const record = gateway.record.bind(gateway);
    gateway.record = (event) => {
      recorded.push(event);
      record(event);
    };
  });
  after(() => h?.close());

  it('refuses a key once its recorded spend passes its hard budget (402 naming scope, amount and spend); the soft threshold alerts once', async () => {
    const { key, keyId } = keyFor(keys, 'budgeted');
    keys.setBudget({ scope: 'key', scopeId: keyId, period: 'month', amount: 2, currency: 'USD', soft: 0.5 });
    const sdk = client(key);
    let served = 0;
    let refusal: Failure | null = null;
    for (let call = 0; call < 40 && !refusal; call += 1) {
      refusal = await attempt(sdk, `Tell me something nice about day ${call}.`);
      if (!refusal) served += 1;
    }
    assert.ok(refusal, 'the budget must refuse a call');
    assert.ok(served >= 2, `several calls fit the budget first (served ${served})`);
    assert.equal(refusal.status, 402);
    assert.equal(refusal.code, 'BULWARK_BUDGET_EXCEEDED');
    assert.match(refusal.message, new RegExp(`Budget exceeded for key ${keyId}: \\d+\\.\\d\\d of 2\\.00 USD spent this month`));
    assert.match(refusal.message, /resets at \d{4}-\d\d-01T00:00:00\.000Z/);
    assert.equal(refusal.bulwark.scope, 'key');
    assert.equal(refusal.bulwark.budget, 2);
    const spent = refusal.bulwark.spent as number;
    const estimate = refusal.bulwark.estimate as number;
    assert.ok(spent > 1 && spent + estimate > 2, `spent ${spent} + estimate ${estimate} passes 2 USD`);
    // The refusal itself is an event; so is exactly one soft alert for this key.
    const all = await events();
    assert.ok(all.some((event) => event.keyId === keyId && event.error === 'BULWARK_BUDGET_EXCEEDED' && event.status === 402));
    const alerts = all.filter((event) => event.route === 'alert.budget' && event.keyId === keyId);
    assert.equal(alerts.length, 1);
    assert.equal(alerts[0]!.decision, 'flag');
    assert.deepEqual(alerts[0]!.findings.map((finding) => finding.ruleId), ['budget/soft-limit']);
    assert.match(alerts[0]!.findings[0]!.message, /of its 2\.00 USD month budget \(soft threshold 50%/);
    // Other keys are untouched.
    const other = keyFor(keys, 'unbudgeted');
    assert.equal(await attempt(client(other.key), 'hello'), null);
  });

  it('an extraction sweep is flagged, then throttled: 429 BULWARK_RATE_LIMITED with reason abuse-throttle, each step an alert event', async () => {
    const { key, keyId } = keyFor(keys, 'sweeper');
    const sdk = client(key);
    let refusal: Failure | null = null;
    let sent = 0;
    for (const prompt of extractionCampaign(150)) {
      sent += 1;
      refusal = await attempt(sdk, prompt);
      if (refusal) break;
    }
    console.log(`extraction sweep over HTTP: first refusal after ${sent} requests`);
    assert.ok(refusal, 'the sweep must be throttled');
    assert.ok(sent <= 100, `throttled within 100 requests (took ${sent})`);
    assert.equal(refusal.status, 429);
    assert.equal(refusal.code, 'BULWARK_RATE_LIMITED');
    assert.equal(refusal.bulwark.reason, 'abuse-throttle');
    assert.equal(refusal.bulwark.limit, 3);
    assert.match(refusal.message, /throttled by abuse detection/);
    const alerts = (await events()).filter((event) => event.route === 'alert.abuse' && event.keyId === keyId);
    assert.deepEqual(alerts.map((event) => event.findings.at(-1)!.ruleId), ['abuse/flag', 'abuse/throttle']);
    assert.ok(alerts[0]!.findings.some((finding) => finding.ruleId === 'abuse/template'));
    // Nothing of the prompts reaches alert findings.
    assert.ok(alerts.every((event) => event.content === null && event.findings.every((finding) => !/Translate|What is/.test(finding.message))));
    // A legitimate key of the same gateway keeps working.
    const other = keyFor(keys, 'neighbour');
    assert.equal(await attempt(client(other.key), 'Can you explain photosynthesis to a beginner?'), null);
  });

  it('a model without a price is refused for a key under a budget (403 BULWARK_MODEL_UNPRICED), served for keys without one', async () => {
    const budgeted = keyFor(keys, 'unpriced-budgeted');
    keys.setBudget({ scope: 'project', scopeId: keys.getKey(budgeted.keyId)!.projectId, period: 'day', amount: 10, currency: 'USD', soft: null });
    try {
      await client(budgeted.key).embeddings.create({ model: 'text-embed-small', input: 'hello' });
      assert.fail('expected a refusal');
    } catch (error) {
      assert.ok(error instanceof OpenAI.APIError);
      assert.deepEqual([error.status, error.code], [403, 'BULWARK_MODEL_UNPRICED']);
      assert.match(error.message, /"text-embed-small" has no USD price/);
    }
    const free = keyFor(keys, 'unpriced-free');
    const answer = await client(free.key).embeddings.create({ model: 'text-embed-small', input: 'hello' });
    assert.equal(answer.object, 'list');
  });

  it('a suspended key is refused with 403 BULWARK_KEY_SUSPENDED until it is unsuspended', async () => {
    const { key, keyId } = keyFor(keys, 'suspended');
    keys.suspendKey(keyId, 'manual review');
    const refusal = await attempt(client(key), 'hello');
    assert.equal(refusal?.status, 403);
    assert.equal(refusal?.code, 'BULWARK_KEY_SUSPENDED');
    assert.match(refusal!.message, new RegExp(`bulwark keys unsuspend ${keyId}`));
    assert.equal(keys.unsuspendKey(keyId), true);
    assert.equal(await attempt(client(key), 'hello'), null);
  });
});
