import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Logger } from 'pino';
import type { Config } from './config/schema.ts';
import { createGatewayServer } from './http/server.ts';
import { createAccessControl, type AccessControl } from './proxy/access-control.ts';
import { createGateway, type Gateway } from './proxy/gateway.ts';
import { openPseudonymizer } from './proxy/pseudonymizer-setup.ts';
import type { Pseudonymizer } from './pseudonyms/pseudonymizer.ts';
import { openEventStore } from './store/open.ts';
import { startRetentionJob } from './store/retention.ts';
import { openReviewRuntime, type ReviewRuntime } from './review/runtime.ts';
import { createLogger } from './telemetry/logger.ts';

export interface StartOptions {
  config: Config;
  dataDir: string;
  port?: number;
  host?: string;
  logger?: Logger;
  env?: NodeJS.ProcessEnv;
}

/** A running gateway: where it listens and how to stop it. */
export interface RunningGateway {
  url: string;
  port: number;
  gateway: Gateway;
  /** Drains in-flight requests and streams, flushes events, releases everything. */
  close(graceMs?: number): Promise<void>;
}

/** Resolves the data directory the same way for every command. */
export function resolveDataDir(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return resolve(flag ?? env.BULWARK_DATA_DIR ?? '.bulwark');
}

/** Opens the store, builds the gateway and listens. */
export async function startGateway(options: StartOptions): Promise<RunningGateway> {
  const { config } = options;
  const logger = options.logger ?? createLogger({ level: config.logging.level });
  mkdirSync(options.dataDir, { recursive: true });
  // storage.kind picks SQLite (in the data directory) or PostgreSQL; both keep the audit chain.
  const store = await openEventStore({ config, dataDir: options.dataDir, logger, env: options.env ?? process.env });
  let gateway: Gateway;
  let access: AccessControl | undefined;
  let review: ReviewRuntime | undefined;
  let pseudonymizer: Pseudonymizer | null = null;
  try {
    access = await createAccessControl({ config, dataDir: options.dataDir, logger, env: options.env ?? process.env });
    if (config.review.enabled) review = openReviewRuntime({ config: config.review, dataDir: options.dataDir, env: options.env ?? process.env, logger });
    // The pseudonym vault follows storage.kind: shared in PostgreSQL, so a conversation may move between instances.
    pseudonymizer = await openPseudonymizer(config, options.dataDir, options.env ?? process.env, logger);
    gateway = createGateway({ config, logger, store, dataDir: options.dataDir, env: options.env ?? process.env, access, pseudonymizer, ...(review ? { review } : {}) });
  } catch (error) {
    await pseudonymizer?.close();
    review?.close();
    await access?.close();
    await store.close();
    throw error;
  }
  // Content retention and crypto-shredding (src/store/retention.ts), when any tenant has a retention.
  const storage = config.storage;
  const stopRetention =
    storage.retention.days !== null || Object.values(storage.tenants).some((t) => t.retentionDays !== undefined && t.retentionDays !== null)
      ? startRetentionJob({ storage: store.contentStorage, store, config: storage, policy: config.policy.name, actor: 'gateway retention job', logger, intervalMs: storage.retention.intervalMs })
      : () => {};
  const server = createGatewayServer(gateway);
  const host = options.host ?? config.server.host;
  const { port } = await server.listen(options.port ?? config.server.port, host);
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  let closing: Promise<void> | null = null;
  return {
    url,
    port,
    gateway,
    close(graceMs = config.server.shutdownGraceMs) {
      closing ??= (async () => {
        stopRetention();
        await server.shutdown(graceMs);
        await gateway.close();
      })();
      return closing;
    },
  };
}
