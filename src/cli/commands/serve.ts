import { setFlagsFromString } from 'node:v8';
import { resolveDataDir, startGateway } from '../../main.ts';
import { createLogger } from '../../telemetry/logger.ts';
import { configFor } from '../load-config.ts';
import { exitCodes, type CliIo } from '../io.ts';

export interface ServeOptions {
  config?: string;
  port?: string;
  host?: string;
  dataDir?: string;
}

/** `bulwark serve`: runs until SIGINT/SIGTERM, then drains and exits. */
export async function serveCommand(options: ServeOptions, io: CliIo): Promise<number> {
  // Latency over peak throughput: V8's allocation-site pretenuring moves request-shaped objects straight to the
  // old generation once some survive, and those dead objects then keep younger ones alive through every
  // young-generation GC, lengthening the pauses that set the gateway's p99 (ADR 0001, update 2026-11-26).
  setFlagsFromString('--no-allocation-site-pretenuring');
  const config = configFor(options.config, io.env);
  const port = options.port === undefined ? undefined : Number(options.port);
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) {
    io.stderr(`bulwark serve: --port expected an integer 0-65535, got "${options.port}"\n`);
    return exitCodes.usage;
  }
  const logger = createLogger({ level: config.logging.level });
  const dataDir = resolveDataDir(options.dataDir, io.env);
  const running = await startGateway({ config, dataDir, logger, env: io.env, ...(port !== undefined ? { port } : {}), ...(options.host ? { host: options.host } : {}) });
  logger.info(
    { url: running.url, dataDir, policy: config.policy.name, scanners: config.policy.scanners.length, providers: config.providers.map((provider) => ({ id: provider.id, type: provider.type })) },
    'bulwark gateway listening',
  );
  if (running.gateway.access && !running.gateway.access.keys.hasKeys()) logger.warn({ dataDir }, 'no API keys exist yet: only loopback callers are served; create one with `bulwark keys create` to require keys');
  await new Promise<void>((resolve) => {
    const stop = (signal: string): void => {
      logger.info({ signal }, 'shutting down: draining in-flight requests');
      running.close().then(resolve, (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        resolve();
      });
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
  logger.info('stopped');
  return exitCodes.ok;
}
