import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Config } from '../../config/schema.ts';
import { BulwarkError } from '../../errors/bulwark-error.ts';
import type { Gateway } from '../../proxy/gateway.ts';
import { GatewayMetrics } from '../../telemetry/metrics.ts';
import { metricsRoute } from './metrics.ts';
import type { RouteContext } from './types.ts';

function scrape(options: { metrics: Record<string, unknown>; address: string; authorization?: string; token?: string }): { status: number; code?: string } {
  const config = Config.parse({ metrics: options.metrics });
  const metrics = new GatewayMetrics({ eventLoop: false, ...(options.token ? { scrapeToken: options.token } : {}) });
  let status = 0;
  const context = {
    gateway: { config, metrics } as unknown as Gateway,
    request: { socket: { remoteAddress: options.address }, headers: options.authorization ? { authorization: options.authorization } : {} },
    sink: { json: (code: number) => (status = code) },
  } as unknown as RouteContext;
  try {
    void metricsRoute.handle(context);
    return { status };
  } catch (error) {
    assert.ok(error instanceof BulwarkError);
    return { status: error.status, code: error.code };
  } finally {
    metrics.close();
  }
}

describe('metrics route access', () => {
  it('serves loopback callers and refuses others by default', () => {
    assert.equal(scrape({ metrics: {}, address: '127.0.0.1' }).status, 200);
    assert.equal(scrape({ metrics: {}, address: '::ffff:127.0.0.1' }).status, 200);
    assert.deepEqual(scrape({ metrics: {}, address: '10.1.2.3' }), { status: 403, code: 'BULWARK_FORBIDDEN_SCOPE' });
    assert.equal(scrape({ metrics: { loopbackOnly: false }, address: '10.1.2.3' }).status, 200);
  });

  it('with a token, serves any address that presents it and nobody else', () => {
    const token = { metrics: { token: 'tok-123' }, token: 'tok-123' };
    assert.equal(scrape({ ...token, address: '10.1.2.3', authorization: 'Bearer tok-123' }).status, 200);
    assert.deepEqual(scrape({ ...token, address: '127.0.0.1' }), { status: 401, code: 'BULWARK_AUTH_MISSING' });
    assert.deepEqual(scrape({ ...token, address: '10.1.2.3', authorization: 'Bearer tok-1234' }), { status: 401, code: 'BULWARK_AUTH_INVALID' });
  });
});
