import type { Logger } from 'pino';
import type { Config, Route } from '../config/schema.ts';
import { ConfigError } from '../config/load.ts';
import { expandPacks } from '../config/packs.ts';
import { createUpstreamClient, type UpstreamClient } from '../providers/upstream-client.ts';
import { scannerRegistry } from '../scanners/registry.ts';
import { buildScannerSlots, ScannerRunner } from '../scanners/runner.ts';
import type { EventStore, GatewayEvent } from '../store/types.ts';
import type { AccessControl } from './access-control.ts';
import { createModelRouter } from './model-router.ts';
import { createJudgeClient, offlineJudge } from './judge-client.ts';
import { judgeProblems } from './judge-setup.ts';
import type { JudgeClient } from '../scanners/types.ts';
import { createPseudonymizer } from './pseudonymizer-setup.ts';
import type { Pseudonymizer } from '../pseudonyms/pseudonymizer.ts';
import type { ReviewRuntime } from '../review/runtime.ts';
import { AlertEngine, alertConfigProblems } from '../alerts/engine.ts';
import { GatewayMetrics } from '../telemetry/metrics.ts';
import { resolveSecretRef } from '../config/secret-ref.ts';
import { createTracer, type Tracer } from '../telemetry/tracing.ts';
import type { RulesSource } from '../rules/active-rules.ts';
import { RulesRuntime } from '../rules/runtime.ts';

/** Everything a request needs, built once at startup from a validated config. */
export interface Gateway {
  config: Config;
  logger: Logger;
  runner: ScannerRunner;
  upstream: UpstreamClient;
  store: EventStore;
  /** The pseudonym vault, when the policy pseudonymises. */
  pseudonymizer: Pseudonymizer | null;
  /** API keys and rate limits; null when built without them (unit tests), and then nothing is authenticated. */
  access: AccessControl | null;
  /** The review queue and its allow-list (src/review/); null when built without it. */
  review?: ReviewRuntime | null;
  /** Prometheus metrics (null when `metrics.enabled` is false). */
  metrics?: GatewayMetrics | null;
  /** Request tracing (null unless `telemetry.otlp` is configured). */
  tracer?: Tracer | null;
  /** Alert rules and channels (null when none are configured). */
  alerts?: AlertEngine | null;
  /** The active detection rules (built-in, or a verified signed bundle; hot-reloaded); shown by /readyz. */
  rules?: RulesRuntime | null;
  resolveRoute(model: string): Route | null;
  /** Compiles another policy with this gateway's data directory and judge (tenant and project policies). */
  compile(config: Config): ScannerRunner;
  /** Queues an event (and at debug level logs a one-line summary, never content). */
  record(event: GatewayEvent): void;
  close(): Promise<void>;
}

export interface GatewayOptions {
  config: Config;
  logger: Logger;
  store: EventStore;
  dataDir: string;
  env?: NodeJS.ProcessEnv;
  /** Keys and limits (startGateway always passes them); closed with the gateway. */
  access?: AccessControl;
  /** The review queue (startGateway opens it when `review.enabled`); closed with the gateway. */
  review?: ReviewRuntime;
  /** The pseudonym vault as `openPseudonymizer` opened it (startGateway: PostgreSQL when storage.kind is postgres); closed with the gateway. Absent: the embedded SQLite vault when the policy pseudonymises. */
  pseudonymizer?: Pseudonymizer | null;
}

/**
 * Checks the policy's scanner settings; used by `config check` and at startup. Without `judge` (no
 * upstream: config check, eval) scanners that need the configured judge get one that always fails.
 */
export function compilePolicy(config: Config, logger: Logger, dataDir: string, judge?: JudgeClient, rules?: RulesSource): ScannerRunner {
  // Alert rules must name configured channels (checked here so `config check` reports it too).
  const alertProblems = alertConfigProblems(config.alerts, config.alerting);
  if (alertProblems.length > 0) throw new ConfigError('alerts', alertProblems);
  const instances = expandPacks(config.policy).scanners;
  const liveJudge = judge ?? (config.judge ? offlineJudge : undefined);
  const { slots, problems } = buildScannerSlots(instances, scannerRegistry, { logger, dataDir, ...(liveJudge ? { judge: liveJudge } : {}), ...(rules ? { rules } : {}) });
  problems.push(...judgeProblems(config, instances));
  if (problems.length > 0) throw new ConfigError('policy', problems);
  for (const slot of slots) {
    if (slot.settings.onError === 'allow') logger.warn({ instance: slot.settings.id }, 'scanner instance fails open (onError: allow)');
  }
  return new ScannerRunner(slots, logger);
}

/** Wires config, scanners, providers and the store together. */
export function createGateway(options: GatewayOptions): Gateway {
  const { config, logger, store } = options;
  const upstream = createUpstreamClient({ providers: config.providers, logger, env: options.env ?? process.env });
  const resolveRoute = createModelRouter(config.routes);
  const judgeRoute = config.judge ? resolveRoute(config.judge.model) : null;
  const judge = config.judge && judgeRoute ? createJudgeClient({ config: config.judge, route: judgeRoute, upstream, logger: logger.child({ component: 'judge' }) }) : undefined;
  let rules: RulesRuntime;
  try {
    rules = new RulesRuntime({ config: config.rules, dataDir: options.dataDir, logger });
  } catch (error) {
    throw new ConfigError('rules', [{ path: 'rules', message: error instanceof Error ? error.message : String(error) }]);
  }
  const runner = compilePolicy(config, logger, options.dataDir, judge, rules);
  const pseudonymizer = options.pseudonymizer !== undefined ? options.pseudonymizer : createPseudonymizer(config, options.dataDir, options.env ?? process.env, logger);
  const env = options.env ?? process.env;
  const alerts = config.alerting.channels.length > 0 ? new AlertEngine({ rules: config.alerts, alerting: config.alerting, policy: config.policy.name, logger: logger.child({ component: 'alerts' }), env }) : null;
  const tracer = createTracer(config.telemetry, logger.child({ component: 'tracing' }), env);
  const metrics = config.metrics.enabled ? new GatewayMetrics({ pricing: config.pricing, ...(config.metrics.token !== undefined ? { scrapeToken: resolveSecretRef(config.metrics.token, 'metrics.token', env) } : {}), sources: { store, ...(tracer ? { traceDrops: () => tracer.dropped } : {}), ...(alerts ? { alerts: () => alerts.stats() } : {}) } }) : null;
  return {
    config,
    logger,
    runner,
    upstream,
    store,
    pseudonymizer,
    access: options.access ?? null,
    review: options.review ?? null,
    metrics,
    tracer,
    alerts,
    rules,
    resolveRoute,
    compile: (other) => compilePolicy(other, logger, options.dataDir, judge, rules),
    record(event) {
      store.append(event);
      // `full` content is plaintext until the store seals it: the review queue (its own database) never gets it.
      options.review?.consider(event.contentMode === 'full' && event.content !== null ? { ...event, content: null } : event);
      // Metrics count in place (a few map lookups); tracing queues spans and alerts queue the event: neither waits.
      metrics?.recordEvent(event);
      tracer?.finish(event);
      alerts?.observe(event);
      // The event store is the access record; a log line per request is for debugging only (it cost ~15% of a core at 1,000 req/s).
      if (logger.isLevelEnabled('debug')) logger.debug(
        { event: event.id, requestId: event.requestId, route: event.route, model: event.model, provider: event.provider, decision: event.decision, status: event.status, findings: event.findings.length, ms: event.totalLatencyMs },
        'request',
      );
    },
    async close() {
      rules.close();
      await upstream.close();
      await pseudonymizer?.close();
      await options.access?.close();
      options.review?.close();
      await alerts?.close();
      await tracer?.close();
      metrics?.close();
      await store.close();
    },
  };
}
