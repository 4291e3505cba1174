import { z } from 'zod';
import { Abuse } from '../abuse/config.ts';
import { AdminConfig } from '../auth/admin-config.ts';
import { Budgets, Pricing } from '../limits/budget-config.ts';
import { SpoolStorage } from '../store/spool-config.ts';
import { Review } from '../review/config.ts';
import { AlertRule, Alerting } from '../alerts/config.ts';
import { Metrics, Telemetry } from '../telemetry/config.ts';
import { SecretRef } from './secret-ref.ts';
import { RulesConfig } from '../rules/config.ts';

/** Upstream wire dialects; most self-hosted servers speak openai-compatible. */
export const ProviderType = z
  .enum(['openai', 'azure-openai', 'anthropic', 'openai-compatible'])
  .describe('Which upstream API the provider speaks.');
export type ProviderType = z.infer<typeof ProviderType>;

/** A secret given inline, or the name of the environment variable that holds it (defined in secret-ref.ts, re-exported here). */
export { SecretRef };

export const Provider = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'expected lowercase letters, digits, - or _').describe('Stable provider id used by routes.'),
    type: ProviderType,
    baseUrl: z.url().describe('Base URL including the version prefix, e.g. https://api.openai.com/v1; for azure-openai the resource URL https://NAME.openai.azure.com.'),
    apiKey: SecretRef.optional().describe('Upstream credential; never logged.'),
    apiVersion: z.string().optional().describe('azure-openai api-version, anthropic-version for anthropic.'),
    deployments: z.record(z.string(), z.string()).optional().describe('azure-openai: model name -> deployment name (default: the model name).'),
    headers: z.record(z.string(), z.string()).default({}).describe('Extra headers sent upstream.'),
    models: z.array(z.string()).default([]).describe('Models listed by GET /v1/models for this provider.'),
  })
  .strict();
export type Provider = z.infer<typeof Provider>;

export const Retry = z
  .object({
    attempts: z.number().int().min(0).max(10).default(1).describe('Retries per provider after the first try (5xx, 429, network errors, timeouts).'),
    backoffMs: z.number().int().min(0).max(60_000).default(200).describe('First backoff; doubles each retry, with jitter.'),
    maxBackoffMs: z.number().int().min(0).max(300_000).default(2_000).describe('Backoff ceiling.'),
  })
  .strict();

export const CircuitBreaker = z
  .object({
    failureThreshold: z.number().int().min(1).default(5).describe('Consecutive failures that open the circuit.'),
    cooldownMs: z.number().int().min(100).default(30_000).describe('How long an open circuit refuses calls before one trial call.'),
  })
  .strict();

export const Route = z
  .object({
    match: z.string().min(1).describe('Model name or glob (`*` wildcard) this route serves.'),
    providers: z.array(z.string()).min(1).describe('Provider ids in fallback order.'),
    model: z.string().optional().describe('Model name to send upstream instead of the requested one.'),
    timeoutMs: z.number().int().min(100).max(3_600_000).default(60_000).describe('Time allowed for upstream response headers (and between stream chunks).'),
    retry: Retry.prefault({}),
    circuitBreaker: CircuitBreaker.prefault({}),
  })
  .strict();
export type Route = z.infer<typeof Route>;

/** What a policy does with a scanner's findings. */
export const Action = z
  .enum(['block', 'redact', 'flag', 'log'])
  .describe('block: refuse; redact: replace matched spans; flag: allow and mark for review; log: record only (shadow mode).');
export type Action = z.infer<typeof Action>;

export const OriginName = z.enum(['system', 'user', 'assistant', 'tool', 'document']);
export const PhaseName = z.enum(['request', 'response', 'response-stream']);

/** Scanners whose instances default to another action than block: detectors kept for reporting (refusals). */
const DEFAULT_ACTIONS: Readonly<Record<string, Action>> = { 'quality/refusal': 'log' };

/** Fills in a scanner's own default action before validation, when the instance names none. */
function withDefaultAction(raw: unknown): unknown {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return raw;
  const instance = raw as Record<string, unknown>;
  const fallback = typeof instance.scanner === 'string' ? DEFAULT_ACTIONS[instance.scanner] : undefined;
  return fallback !== undefined && instance.action === undefined ? { ...instance, action: fallback } : raw;
}

const ScannerInstanceFields = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9_.-]*$/, 'expected lowercase letters, digits, ., - or _').describe('Unique instance id; findings and events name it.'),
    scanner: z.string().describe('Scanner definition id, e.g. text/term-list.'),
    enabled: z.boolean().default(true),
    phases: z.array(PhaseName).min(1).default(['request']).describe('Phases this instance runs in.'),
    origins: z.array(OriginName).optional().describe('Segment origins scanned (default: all).'),
    action: Action.default('block').describe('What the policy does with a finding at or above the threshold (block: refuse; redact: replace matched spans; flag: allow and mark for review; log: record only). Default block; `quality/refusal` instances default to log.'),
    originActions: z.partialRecord(OriginName, Action).default({}).describe('Per-origin action overrides, e.g. {document: flag}.'),
    ruleActions: z
      .record(z.string().regex(/^[A-Za-z0-9_./*-]+$/, 'expected a rule id or a glob such as pii/* '), Action)
      .default({})
      .describe('Per-rule action overrides by rule id or glob, e.g. {"pii/CREDIT_CARD": block, "pii/*": redact}; the most specific match wins and beats originActions.'),
    clauses: z
      .record(z.string().regex(/^[A-Za-z0-9_./*-]+$/, 'expected a rule id or a glob such as pii/* '), z.string().min(1).max(300))
      .default({})
      .describe('Regulatory clause each rule id (or glob) answers, e.g. {"pii/US_SSN": "HIPAA §164.514(b)(2)(i)(G): social security numbers"}; findings, events and block messages cite it.'),
    threshold: z.number().min(0).max(1).default(0.5).describe('Findings scoring below this are ignored.'),
    timeoutMs: z.number().int().min(1).max(60_000).default(100).describe('Deadline for one scan.'),
    onError: z.enum(['block', 'allow']).default('block').describe('Consequence of a throw or timeout; allow is logged as fail-open.'),
    overridable: z.boolean().default(false).describe('Whether a lower level (tenant, then project policy) may replace this instance outright; otherwise it may only tighten it (stronger actions, lower threshold, more phases and origins).'),
    config: z.record(z.string(), z.unknown()).default({}).describe('Scanner-specific settings, validated by the scanner schema.'),
  })
  .strict();
export const ScannerInstance = z.preprocess(withDefaultAction, ScannerInstanceFields);
export type ScannerInstance = z.infer<typeof ScannerInstance>;

export const Canary = z
  .object({
    enabled: z.boolean().default(false).describe('Plant a per-request canary token in the system prompt; a `leak/canary` scanner instance then finds it in responses.'),
  })
  .strict();

export const Spotlighting = z
  .object({
    origins: z.array(z.enum(['tool', 'document'])).default([]).describe('Origins whose text is marked as untrusted before it reaches the model (empty: off).'),
    mode: z.enum(['delimit', 'datamark', 'base64']).default('datamark').describe('delimit: wrap in random-tagged delimiters; datamark: join words with the marker; base64: encode the text.'),
    marker: z.string().min(1).max(4).default('^').describe('Datamarking character placed between words.'),
  })
  .strict();

export const Pseudonymisation = z
  .object({
    enabled: z.boolean().default(false).describe('Keep a per-tenant, per-conversation vault of values replaced with a `pseudonymise` style, and restore them in responses (streamed ones included). The vault follows `storage.kind`: `<dataDir>/vault.db`, or PostgreSQL shared by every gateway on the database (all of them need the same BULWARK_MASTER_KEY).'),
    conversationHeader: z.string().regex(/^[a-z0-9-]+$/, 'expected a lowercase header name').default('x-bulwark-conversation-id').describe('Request header naming the conversation; without it the mapping lasts one request.'),
    ttlSeconds: z.number().int().min(60).max(90 * 86_400).default(86_400).describe('How long a conversation\'s mappings are kept after its last use.'),
  })
  .strict();

export const Policy = z
  .object({
    name: z.string().min(1).default('default'),
    description: z.string().optional(),
    scanners: z.array(ScannerInstance).default([]),
    packs: z
      .array(z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'expected a pack name such as hipaa or pci-dss'))
      .default([])
      .describe('Compliance and vertical packs to include by name (packs/<name>.yaml): their scanner instances are added with ids `<pack>.<id>`; an instance of the policy with the same id replaces the pack\'s.'),
    canary: Canary.prefault({}),
    spotlighting: Spotlighting.prefault({}),
    pseudonymisation: Pseudonymisation.prefault({}),
  })
  .strict();
export type Policy = z.infer<typeof Policy>;

export const Server = z
  .object({
    host: z.string().default('127.0.0.1'),
    port: z.number().int().min(0).max(65535).default(8700),
    bodyLimitBytes: z.number().int().min(1024).max(256 * 1024 * 1024).default(4 * 1024 * 1024).describe('Largest request body accepted.'),
    shutdownGraceMs: z.number().int().min(0).max(600_000).default(15_000).describe('Time in-flight requests and streams get to finish on shutdown.'),
    streamHoldBackChars: z.number().int().min(0).max(100_000).default(64).describe('Characters of a streamed response held back until scanned with what follows (catches matches across chunks).'),
  })
  .strict();

export const PostgresStorage = z
  .object({
    url: SecretRef.default({ env: 'BULWARK_POSTGRES_URL' }).describe('Connection string postgres://user:password@host:port/database, or { env } naming the variable holding it; never logged.'),
    schema: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, 'expected lowercase letters, digits and _ (at most 63, not starting with a digit)').default('bulwark').describe('Schema holding the event tables (and the pseudonym vault\'s); created and migrated at startup.'),
    poolSize: z.number().int().min(1).max(100).default(4).describe('Most connections each gateway process opens.'),
  })
  .strict();

export const AuditStorage = z
  .object({
    checkpointEveryRecords: z.number().int().min(1).max(10_000_000).default(1_000).describe('Sign an audit checkpoint at least every this many events of a partition.'),
    checkpointIntervalMs: z.number().int().min(100).max(86_400_000).default(60_000).describe('...or this long after the first event no checkpoint covers. Signing key: BULWARK_AUDIT_SIGNING_KEY, else generated in the data directory.'),
  })
  .strict();

export const ContentMode = z.enum(['none', 'redacted', 'full']);
export type ContentMode = z.infer<typeof ContentMode>;

export const ContentRetention = z
  .object({
    days: z.number().int().min(1).max(36_500).nullable().default(null).describe('Event content older than this many days is cleared and its data keys destroyed (crypto-shredding); the audit chain still verifies. null: kept forever.'),
    keyPeriod: z.enum(['day', 'month']).default('day').describe('Each tenant gets a new content data key per UTC day or month; retention destroys whole periods, so a period ends up unreadable once it is entirely past the retention.'),
    intervalMs: z.number().int().min(60_000).max(7 * 86_400_000).default(3_600_000).describe('How often the gateway runs the retention job (also `bulwark audit retention --apply`).'),
  })
  .strict();

export const TenantStorage = z
  .object({
    content: ContentMode.optional().describe('This tenant\'s content mode (default: storage.content).'),
    retentionDays: z.number().int().min(1).max(36_500).nullable().optional().describe('This tenant\'s content retention in days; null keeps forever (default: storage.retention.days).'),
  })
  .strict();

export const Storage = z
  .object({
    content: ContentMode.default('redacted').describe('What request and response text events keep: nothing, the text with every finding masked, or the original text sealed with AES-256-GCM under a per-tenant, per-period data key (full). The audit chain commits to it by digest.'),
    tenants: z.record(z.string().min(1).max(200), TenantStorage).default({}).describe('Per-tenant content mode and retention, keyed by tenant id (ten_..., `bulwark tenants list`).'),
    retention: ContentRetention.prefault({}).describe('Content retention and crypto-shredding (ADR 0008, update 2026-11-26).'),
    flushIntervalMs: z.number().int().min(1).max(10_000).default(50).describe('Event batch flush interval.'),
    kind: z.enum(['sqlite', 'postgres']).default('sqlite').describe('Event store: embedded SQLite in the data directory, or PostgreSQL (several gateways may share it).'),
    postgres: PostgresStorage.prefault({}).describe('Used when kind is postgres.'),
    audit: AuditStorage.prefault({}).describe('Tamper-evident audit chain over stored events.'),
    spool: SpoolStorage.prefault({}).describe('Durability spool: events the store cannot commit are kept in a local file and replayed (ADR 0015).'),
  })
  .strict();

export const Logging = z
  .object({
    level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  })
  .strict();

export const Auth = z
  .object({
    cacheTtlMs: z.number().int().min(0).max(60_000).default(5_000).describe('How long a verified key (or an unknown prefix) is cached per process; another process\'s revocation or rotation applies within this time. Keys live in control.db in the data directory; while none exists only loopback callers are served.'),
  })
  .strict();

const limitValue = (what: string) => z.number().int().min(0).nullable().default(null).describe(`${what}; null: unlimited.`);

export const ScopeLimits = z
  .object({
    requestsPerMinute: limitValue('Requests admitted per sliding minute'),
    tokensPerMinute: limitValue('Tokens per sliding minute (estimated from the request before the call, corrected with the upstream usage after it)'),
    concurrent: limitValue('Requests in flight at once'),
  })
  .strict();

export const Limits = z
  .object({
    store: z.enum(['memory', 'redis']).default('memory').describe('Where counters live: this process only, or Redis shared by every gateway process.'),
    redis: z
      .object({
        url: z.string().min(1).default('redis://127.0.0.1:6379').describe('Redis URL (may carry a password; never logged).'),
        keyPrefix: z.string().min(1).max(100).default('bulwark:limits:').describe('Namespace of every key the limit store writes.'),
        commandTimeoutMs: z.number().int().min(10).max(10_000).default(500).describe('A Redis call slower than this counts as an outage (onStoreError applies).'),
      })
      .strict()
      .prefault({}),
    onStoreError: z.enum(['fail-closed', 'local-fallback']).default('fail-closed').describe('When Redis cannot answer: refuse with 503 BULWARK_LIMITS_UNAVAILABLE, or count in this process\'s memory until it is back (logged once per outage).'),
    algorithm: z.enum(['sliding', 'fixed']).default('sliding').describe('sliding: a one-minute window of 60 one-second buckets; fixed: counters reset on each minute boundary (cheaper, allows up to twice the limit across a boundary).'),
    leaseTimeoutMs: z.number().int().min(1_000).max(86_400_000).default(600_000).describe('A concurrency slot not released within this time frees itself (a crashed process); longer requests stop counting against `concurrent` after it.'),
    defaults: z
      .object({
        key: ScopeLimits.prefault({}).describe('Limits of each API key.'),
        project: ScopeLimits.prefault({}).describe('Limits of each project, over all its keys.'),
        tenant: ScopeLimits.prefault({}).describe('Limits of each tenant, over all its projects.'),
      })
      .strict()
      .prefault({})
      .describe('Limits applied when control.db holds no override for the key, project or tenant.'),
  })
  .strict();

export const Judge = z
  .object({
    model: z.string().min(1).describe('Model the LLM judge asks, routed like a client request by `routes` (e.g. gpt-4o-mini); scanners with a judge layer need it.'),
    timeoutMs: z.number().int().min(10).max(60_000).default(1_500).describe('Most time one judge call may take; must be below the `timeoutMs` of every scanner instance that uses the judge.'),
    maxTokens: z.number().int().min(8).max(4_096).default(64).describe('Most tokens a judge answer may use (a scanner may ask for fewer).'),
    cacheSize: z.number().int().min(0).max(1_000_000).default(1_000).describe('Judge answers kept in an in-process LRU cache keyed by a hash of the prompt (0: no cache).'),
  })
  .strict();
export type Judge = z.infer<typeof Judge>;

/** The whole gateway configuration; the single source of truth for config docs and JSON Schema. */
export const Config = z
  .object({
    version: z.literal(1).default(1).describe('Config format version.'),
    server: Server.prefault({}),
    storage: Storage.prefault({}),
    logging: Logging.prefault({}),
    providers: z.array(Provider).default([]),
    routes: z.array(Route).default([]),
    policy: Policy.prefault({}),
    auth: Auth.prefault({}),
    limits: Limits.prefault({}),
    pricing: Pricing,
    budgets: Budgets.prefault({}).describe('Spending budgets per key, project and tenant (amounts in control.db, `bulwark budgets set`).'),
    abuse: Abuse.prefault({}).describe('Per-key abuse and model-extraction detection (src/abuse/README.md).'),
    review: Review.prefault({}).describe('The review queue of flagged events, labels, and allow-list entries made from false positives (src/review/README.md).'),
    admin: AdminConfig.prefault({}).describe('The admin API (/admin/v1): roles, admin tokens and OIDC sign-in (src/http/routes/admin/README.md).'),
    rules: RulesConfig.prefault({}).describe('Signed rule bundles: injection signatures and thresholds updated from an Ed25519-signed file without a release (src/rules/README.md).'),
    judge: Judge.optional().describe('LLM judge used by scanners that ask a model (ai/custom-judge, and the injection scanners with `judge.enabled`); absent: no judge.'),
    metrics: Metrics.prefault({}).describe('Prometheus metrics endpoint (docs/metrics.md).'),
    telemetry: Telemetry.prefault({}).describe('OpenTelemetry tracing over OTLP/HTTP (off unless `telemetry.otlp` is set).'),
    alerts: z.array(AlertRule).default([]).describe('Threshold alert rules over recorded events (docs/adr/0014-metrics-traces-alerts.md).'),
    alerting: Alerting.prefault({}).describe('Alert channels (webhooks), built-in alerts, deduplication and retries.'),
  })
  .strict();
export type Config = z.infer<typeof Config>;
