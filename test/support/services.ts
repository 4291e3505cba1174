// Probes for the external services some tests need (PostgreSQL, Redis), and the
// skip-or-fail rule: a missing service skips the test with a message naming what is
// missing, unless BULWARK_REQUIRE_SERVICES=1 (CI), where it fails instead.
// The API below is shared with other test files: keep it stable.
import pg from 'pg';
import { Redis } from 'ioredis';
import { accessSync, constants } from 'node:fs';

export type ServiceKind = 'postgres' | 'redis' | 'chromium';
export type ServiceProbe = { ok: true } | { ok: false; reason: string };

/** The part of node:test's TestContext that {@link skipOrFail} needs. */
export interface SkippableContext {
  skip(message?: string): void;
}

/** Connection string tests use for PostgreSQL; `BULWARK_TEST_POSTGRES_URL` overrides it. */
export const POSTGRES_TEST_URL = process.env.BULWARK_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
/** Connection string tests use for Redis; `BULWARK_TEST_REDIS_URL` overrides it. */
export const REDIS_TEST_URL = process.env.BULWARK_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

const PROBE_TIMEOUT_MS = 2_000;
const cache = new Map<ServiceKind, Promise<ServiceProbe>>();

/** Whether CI asked for every service to be present (`BULWARK_REQUIRE_SERVICES=1`). */
export function servicesRequired(): boolean {
  return process.env.BULWARK_REQUIRE_SERVICES === '1';
}

function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable url)';
  }
}

async function probePostgres(): Promise<ServiceProbe> {
  const client = new pg.Client({ connectionString: POSTGRES_TEST_URL, connectionTimeoutMillis: PROBE_TIMEOUT_MS });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return { ok: true };
  } catch (err) {
    return { ok: false, reason: `PostgreSQL not reachable at ${redact(POSTGRES_TEST_URL)} (${(err as Error).message}); set BULWARK_TEST_POSTGRES_URL or start PostgreSQL` };
  } finally {
    await client.end().catch(() => {});
  }
}

async function probeRedis(): Promise<ServiceProbe> {
  const client = new Redis(REDIS_TEST_URL, { lazyConnect: true, connectTimeout: PROBE_TIMEOUT_MS, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
  client.on('error', () => {});
  try {
    await client.connect();
    const pong = await client.ping();
    return pong === 'PONG' ? { ok: true } : { ok: false, reason: `Redis at ${redact(REDIS_TEST_URL)} answered PING with ${JSON.stringify(pong)}` };
  } catch (err) {
    return { ok: false, reason: `Redis not reachable at ${redact(REDIS_TEST_URL)} (${(err as Error).message}); set BULWARK_TEST_REDIS_URL or start Redis` };
  } finally {
    client.disconnect();
  }
}

/** Path of the headless Chromium the report tests use; `BULWARK_CHROMIUM_PATH` overrides it. */
export const CHROMIUM_PATH = process.env.BULWARK_CHROMIUM_PATH ?? '/usr/bin/chromium';

async function probeChromium(): Promise<ServiceProbe> {
  try {
    accessSync(CHROMIUM_PATH, constants.X_OK);
    return { ok: true };
  } catch {
    return { ok: false, reason: `headless Chromium not found at ${CHROMIUM_PATH}; install Debian chromium (.ci/run does) or set BULWARK_CHROMIUM_PATH` };
  }
}

/** Probes a service once per process (the result is cached). Never throws. */
export async function servicesAvailable(kind: ServiceKind): Promise<ServiceProbe> {
  let probe = cache.get(kind);
  if (!probe) {
    probe = kind === 'postgres' ? probePostgres() : kind === 'redis' ? probeRedis() : probeChromium();
    cache.set(kind, probe);
  }
  return probe;
}

/**
 * Skips the test with `reason`, or throws (failing it) when BULWARK_REQUIRE_SERVICES=1.
 * `t.skip` does not stop the test body: return right after calling this.
 */
export function skipOrFail(t: SkippableContext, reason: string): void {
  if (servicesRequired()) throw new Error(`required service missing (BULWARK_REQUIRE_SERVICES=1): ${reason}`);
  t.skip(reason);
}
