import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import type { z } from 'zod';
import { defaultPolicy } from '../../src/config/defaults.ts';
import { Config } from '../../src/config/schema.ts';
import { startGateway, type RunningGateway } from '../../src/main.ts';
import { createLogger } from '../../src/telemetry/logger.ts';
import { startUpstreamFixture, type UpstreamFixture } from '../fixtures/upstream.ts';

/** A gateway on a real port in front of two upstream fixtures (primary and backup), plus SDK clients. */
export interface Harness {
  gateway: RunningGateway;
  primary: UpstreamFixture;
  backup: UpstreamFixture;
  openai: OpenAI;
  anthropic: Anthropic;
  /** Where the gateway keeps its state (events.db). */
  dataDir: string;
  close(): Promise<void>;
}

export interface HarnessOptions {
  /** The policy to run (validated by the config schema); the default policy when absent. */
  policy?: z.input<typeof Config>['policy'];
  timeoutMs?: number;
  chunkSize?: number | readonly number[];
  server?: z.input<typeof Config>['server'];
  /** Collects the gateway's log lines (debug level) instead of discarding them. */
  logLines?: string[];
  /** Rate-limit settings (the memory store unless set). */
  limits?: z.input<typeof Config>['limits'];
  /** Model prices for budgets (none unless set). */
  pricing?: z.input<typeof Config>['pricing'];
  /** Abuse detection settings (off unless set). */
  abuse?: z.input<typeof Config>['abuse'];
  /** The LLM judge section; route `judge-*` goes to the backup fixture (which then plays the judge). */
  judge?: z.input<typeof Config>['judge'];
  /** The review queue section (src/review/); its defaults unless set. */
  review?: z.input<typeof Config>['review'];
  /** The storage section (embedded SQLite in the data directory unless set), e.g. PostgreSQL with the spool. */
  storage?: z.input<typeof Config>['storage'];
  /** Metrics, tracing and alerting sections (src/telemetry/, src/alerts/); their defaults unless set. */
  observability?: Pick<z.input<typeof Config>, 'metrics' | 'telemetry' | 'alerts' | 'alerting'>;
}

/** Starts fixtures and a gateway whose routes exercise both wire formats and fallback. */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const primary = await startUpstreamFixture({ chunkSize: options.chunkSize ?? 8 });
  const backup = await startUpstreamFixture({ chunkSize: options.chunkSize ?? 8 });
  const timeoutMs = options.timeoutMs ?? 2000;
  // Failure tests share providers; a high threshold keeps one test's failures from opening another's circuit.
  const circuitBreaker = { failureThreshold: 100 };
  const config = Config.parse({
    version: 1,
    logging: { level: 'silent' },
    ...(options.server ? { server: options.server } : {}),
    ...(options.limits ? { limits: options.limits } : {}),
    ...(options.pricing ? { pricing: options.pricing } : {}),
    ...(options.abuse ? { abuse: options.abuse } : {}),
    ...(options.judge ? { judge: options.judge } : {}),
    ...(options.review ? { review: options.review } : {}),
    ...(options.storage ? { storage: options.storage } : {}),
    ...(options.observability ?? {}),
    providers: [
      { id: 'primary-openai', type: 'openai-compatible', baseUrl: `${primary.url}/v1`, apiKey: 'sk-primary-secret', models: ['gpt-test'] },
      { id: 'backup-openai', type: 'openai-compatible', baseUrl: `${backup.url}/v1`, apiKey: 'sk-backup-secret' },
      { id: 'primary-anthropic', type: 'anthropic', baseUrl: primary.url, apiKey: 'sk-ant-secret', models: ['claude-test'] },
    ],
    routes: [
      { match: 'claude-*', providers: ['primary-anthropic'], timeoutMs, retry: { attempts: 0 }, circuitBreaker },
      { match: 'fallback-*', providers: ['primary-openai', 'backup-openai'], timeoutMs, retry: { attempts: 1, backoffMs: 10 }, circuitBreaker },
      { match: 'gpt-via-claude', providers: ['primary-anthropic'], model: 'claude-test', timeoutMs, retry: { attempts: 0 }, circuitBreaker },
      { match: 'gpt-*', providers: ['primary-openai'], timeoutMs, retry: { attempts: 0 }, circuitBreaker },
      { match: 'text-embed-*', providers: ['primary-openai'], timeoutMs, retry: { attempts: 0 }, circuitBreaker },
      { match: 'judge-*', providers: ['backup-openai'], timeoutMs, retry: { attempts: 0 }, circuitBreaker },
    ],
    policy: options.policy ?? defaultPolicy,
  });
  const dataDir = mkdtempSync(join(tmpdir(), 'bulwark-e2e-'));
  // A gateway that fails to start (a bad test config) must not leave the fixtures listening: the file
  // would then hang until the runner's timeout instead of failing with the config error.
  const gateway = await startGateway({ config, dataDir, port: 0, host: '127.0.0.1', logger: options.logLines ? createLogger({ level: 'debug', destination: { write: (line: string) => void options.logLines!.push(line) } }) : createLogger({ level: 'silent' }), env: {} }).catch(async (error: unknown) => {
    await primary.close();
    await backup.close();
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  });
  const openai = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'client-key', maxRetries: 0, timeout: 10_000 });
  const anthropic = new Anthropic({ baseURL: gateway.url, apiKey: 'client-key', maxRetries: 0, timeout: 10_000 });
  return {
    gateway,
    primary,
    backup,
    openai,
    anthropic,
    dataDir,
    async close() {
      await gateway.close(1000);
      await primary.close();
      await backup.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Posts raw bytes to the gateway, for inputs SDKs refuse to send. */
export async function postRaw(url: string, body: string, headers: Record<string, string> = {}): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
  const text = await response.text();
  return { status: response.status, json: JSON.parse(text) as Record<string, unknown> };
}
