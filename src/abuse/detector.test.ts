import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Abuse } from './config.ts';
import { AbuseDetector } from './detector.ts';
import { hamming, jaccard, promptFeatures } from './features.ts';
import { lastUserText } from './prompt-text.ts';
import { driveKey, extractionCampaign, legitimateTraffic } from './simulated-traffic.ts';

const config = Abuse.parse({ enabled: true });
const t0 = Date.parse('2030-01-01T00:00:00Z');

describe('abuse features', () => {
  it('SimHash: a one-word edit stays close, unrelated prompts are far apart', () => {
    const a = promptFeatures('Please summarise the quarterly sales report for the northern region in three bullet points');
    const b = promptFeatures('Please summarise the quarterly sales report for the southern region in three bullet points');
    const c = promptFeatures('How do I repot a fiddle leaf fig without hurting its roots?');
    assert.ok(hamming(a.simhash, b.simhash) <= 10, `near: ${hamming(a.simhash, b.simhash)}`);
    assert.ok(hamming(a.simhash, c.simhash) >= 20, `far: ${hamming(a.simhash, c.simhash)}`);
  });

  it('masked skeletons: numbers and capitalised names become slots, so enumerated templates match', () => {
    const x = promptFeatures('What is 17 + 23?');
    const y = promptFeatures('What is 85 + 4?');
    assert.equal(jaccard(x.skeleton, y.skeleton), 1);
    const p = promptFeatures('Translate the word apple into French.');
    const q = promptFeatures('Translate the word candle into Greek.');
    assert.ok(jaccard(p.skeleton, q.skeleton) >= 0.6);
    assert.ok(jaccard(p.skeleton, promptFeatures('Write a limerick about my cat.').skeleton) < 0.2);
  });

  it('reads the last user turn of OpenAI and Anthropic bodies, and embeddings or scan input', () => {
    assert.equal(lastUserText({ messages: [{ role: 'user', content: 'first' }, { role: 'assistant', content: 'x' }, { role: 'user', content: 'second' }] }), 'second');
    assert.equal(lastUserText({ messages: [{ role: 'user', content: [{ type: 'text', text: 'part one' }, { type: 'image' }, { type: 'text', text: 'part two' }] }] }), 'part one\npart two');
    assert.equal(lastUserText({ input: ['a', 'b'] }), 'a\nb');
    assert.equal(lastUserText({ input: 'scan me' }), 'scan me');
    assert.equal(lastUserText({ messages: [{ role: 'user', content: 'x'.repeat(10_000) }] }).length, 4000);
    assert.equal(lastUserText(null), '');
  });
});

describe('AbuseDetector', () => {
  it('flags, then throttles, an extraction campaign of 2,400 templated prompts within 300 requests; a busy legitimate key at the same rate is never flagged', () => {
    // One request every 400 ms (150 per minute) for both keys: rate alone cannot tell them apart.
    const attacker = driveKey(new AbuseDetector(config), extractionCampaign(2400), { gapMs: 400 });
    const legitimate = driveKey(new AbuseDetector(config), legitimateTraffic(2400), { gapMs: 400 });
    const line = (name: string, result: ReturnType<typeof driveKey>) =>
      `${name}: first flag at request ${result.firstFlag ?? '-'}, first throttle at ${result.firstThrottle ?? '-'}, flag rate ${(result.flagRate * 100).toFixed(2)}%, throttle rate ${(result.throttleRate * 100).toFixed(2)}%, max score ${result.maxScore.toFixed(3)}`;
    console.log(line('extraction campaign (2400 requests)', attacker));
    console.log(line('legitimate generated mix (2400 requests)', legitimate));
    assert.ok(attacker.firstFlag !== null && attacker.firstThrottle !== null, 'the campaign must be flagged and throttled');
    assert.ok(attacker.firstFlag <= attacker.firstThrottle, 'flagged no later than throttled');
    assert.ok(attacker.firstThrottle <= 300, `throttled within 300 requests (was ${attacker.firstThrottle})`);
    assert.deepEqual(attacker.escalations.slice(0, 2).map((entry) => entry.split('@')[0]), ['flag', 'throttle']);
    assert.ok(attacker.throttleRate > 0.9, 'stays throttled while the sweep goes on');
    assert.equal(legitimate.flagRate, 0, 'the busy legitimate key is never flagged');
    assert.ok(legitimate.maxScore < config.flagAt);
  });

  it('suspends when a template sweep comes with repeated policy blocks, and forgets the key on reset', () => {
    const detector = new AbuseDetector(config);
    const prompts = extractionCampaign(200);
    let suspendedAt: number | null = null;
    prompts.forEach((prompt, index) => {
      const now = t0 + index * 1000;
      if (detector.observe('key_b', prompt, now).level === 'suspend' && suspendedAt === null) suspendedAt = index + 1;
      // Every fourth request is blocked by the policy (probing guardrails alongside the sweep).
      detector.recordOutcome('key_b', { inputTokens: 10, outputTokens: 5, blocked: index % 4 === 0 }, now + 1);
    });
    assert.ok(suspendedAt !== null && suspendedAt <= 100, `suspended at ${suspendedAt}`);
    assert.equal(detector.suspended('key_b'), true);
    detector.reset('key_b');
    assert.equal(detector.suspended('key_b'), false);
    assert.equal(detector.observe('key_b', 'hello there', t0 + 500_000).level, 'none');
  });

  it('scores a rate spike against the key\'s own baseline', () => {
    const detector = new AbuseDetector(config);
    const prompts = legitimateTraffic(400, 3);
    // Ten minutes at 12 per minute build the baseline...
    for (let index = 0; index < 120; index += 1) detector.observe('key_c', prompts[index]!, t0 + index * 5_000);
    // ...then 200 requests in the next 40 seconds.
    let spike = 0;
    for (let index = 0; index < 200; index += 1) spike = Math.max(spike, detector.observe('key_c', prompts[120 + index]!, t0 + 600_000 + index * 200).signals['rate-spike']);
    assert.ok(spike >= 0.9, `rate-spike ${spike}`);
  });

  it('keeps bounded memory: least recently seen keys are evicted beyond maxKeys', () => {
    const detector = new AbuseDetector(Abuse.parse({ enabled: true, maxKeys: 100 }));
    for (let index = 0; index < 1000; index += 1) detector.observe(`key_${index}`, 'hello', t0 + index);
    assert.equal(detector.size, 100);
    detector.observe('key_900', 'again', t0 + 2000);
    detector.observe('key_new', 'hi', t0 + 2001);
    // key_900 was touched, so the oldest untouched key (key_901) went instead.
    assert.equal(detector.size, 100);
    assert.equal(detector.tracks('key_900'), true);
    assert.equal(detector.tracks('key_901'), false);
    assert.equal(detector.tracks('key_902'), true);
  });

  it('rejects inconsistent thresholds with a clear message', () => {
    const parsed = Abuse.safeParse({ flagAt: 0.7, throttleAt: 0.5 });
    assert.equal(parsed.success, false);
    assert.match(JSON.stringify(parsed.error?.issues), /flagAt <= throttleAt <= suspendAt/);
  });
});
