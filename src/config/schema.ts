import { z } from 'zod';

/** Upstream wire dialects; most self-hosted servers speak openai-compatible. */
export const ProviderType = z
  .enum(['openai', 'azure-openai', 'anthropic', 'openai-compatible'])
  .describe('Which upstream API the provider speaks.');
export type ProviderType = z.infer<typeof ProviderType>;

/** A secret given inline, or the name of the environment variable that holds it. */
export const SecretRef = z.union([
  z.string().describe('The secret itself (prefer `env`).'),
  z.object({ env: z.string().min(1).describe('Environment variable holding the secret.') }).strict(),
]);
export type SecretRef = z.infer<typeof SecretRef>;

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

export const ScannerInstance = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9_.-]*$/, 'expected lowercase letters, digits, ., - or _').describe('Unique instance id; findings and events name it.'),
    scanner: z.string().describe('Scanner definition id, e.g. text/term-list.'),
    enabled: z.boolean().default(true),
    phases: z.array(PhaseName).min(1).default(['request']).describe('Phases this instance runs in.'),
    origins: z.array(OriginName).optional().describe('Segment origins scanned (default: all).'),
    action: Action.default('block'),
    originActions: z.partialRecord(OriginName, Action).default({}).describe('Per-origin action overrides, e.g. {document: flag}.'),
    threshold: z.number().min(0).max(1).default(0.5).describe('Findings scoring below this are ignored.'),
    timeoutMs: z.number().int().min(1).max(60_000).default(100).describe('Deadline for one scan.'),
    onError: z.enum(['block', 'allow']).default('block').describe('Consequence of a throw or timeout; allow is logged as fail-open.'),
    config: z.record(z.string(), z.unknown()).default({}).describe('Scanner-specific settings, validated by the scanner schema.'),
  })
  .strict();
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

export const Policy = z
  .object({
    name: z.string().min(1).default('default'),
    description: z.string().optional(),
    scanners: z.array(ScannerInstance).default([]),
    canary: Canary.prefault({}),
    spotlighting: Spotlighting.prefault({}),
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

export const Storage = z
  .object({
    content: z.enum(['none', 'redacted']).default('redacted').describe('What request and response text events keep: nothing, or the text with every finding masked.'),
    flushIntervalMs: z.number().int().min(1).max(10_000).default(50).describe('Event batch flush interval.'),
  })
  .strict();

export const Logging = z
  .object({
    level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  })
  .strict();

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
  })
  .strict();
export type Config = z.infer<typeof Config>;
