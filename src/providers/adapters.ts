import type { Provider, ProviderType, SecretRef } from '../config/schema.ts';
import type { WireFormat } from '../wire/types.ts';

/** Upstream operations the gateway forwards. */
export type Operation = 'chat' | 'embeddings' | 'models';

/** Environment variables used to resolve `{ env: NAME }` secrets. */
export type Env = Readonly<Record<string, string | undefined>>;

/** Where and how to send one upstream request. `origin` + `path` is the URL, kept split for undici. */
export interface RequestTarget {
  method: 'GET' | 'POST';
  origin: string;
  path: string;
  /** Shared between requests: never mutate. */
  headers: Readonly<Record<string, string>>;
}

/** A provider setting that cannot work (e.g. its secret's environment variable is unset). */
export class ProviderConfigError extends Error {
  readonly providerId: string;
  constructor(providerId: string, message: string) {
    super(`provider "${providerId}": ${message}`);
    this.name = 'ProviderConfigError';
    this.providerId = providerId;
  }
}

/** The wire format a provider speaks. */
export function formatOf(provider: Pick<Provider, 'type'>): WireFormat {
  return provider.type === 'anthropic' ? 'anthropic' : 'openai';
}

/** Resolves a secret; `{ env }` reads the injected environment and fails clearly when unset. */
export function resolveSecret(ref: SecretRef | undefined, providerId: string, env: Env): string | undefined {
  if (ref === undefined) return undefined;
  if (typeof ref === 'string') return ref;
  const value = env[ref.env];
  if (value === undefined || value === '') {
    throw new ProviderConfigError(providerId, `environment variable ${ref.env} (apiKey) is not set`);
  }
  return value;
}

const DEFAULT_AZURE_API_VERSION = '2024-10-21';
const DEFAULT_ANTHROPIC_VERSION = '2023-06-01';
const MAX_CACHED_TARGETS = 256;

/** Everything about a provider that does not change per request, computed once. */
interface Base {
  provider: Provider;
  origin: string;
  /** Base path without a trailing slash ('' for a bare host). */
  basePath: string;
  getHeaders: Readonly<Record<string, string>>;
  postHeaders: Readonly<Record<string, string>>;
}

type TargetBuilder = (base: Base, operation: Operation, model: string) => RequestTarget | null;

function openAiTarget(base: Base, operation: Operation): RequestTarget {
  if (operation === 'models') return { method: 'GET', origin: base.origin, path: `${base.basePath}/models`, headers: base.getHeaders };
  const path = operation === 'chat' ? `${base.basePath}/chat/completions` : `${base.basePath}/embeddings`;
  return { method: 'POST', origin: base.origin, path, headers: base.postHeaders };
}

function azureTarget(base: Base, operation: Operation, model: string): RequestTarget {
  const version = encodeURIComponent(base.provider.apiVersion ?? DEFAULT_AZURE_API_VERSION);
  if (operation === 'models') {
    return { method: 'GET', origin: base.origin, path: `${base.basePath}/openai/models?api-version=${version}`, headers: base.getHeaders };
  }
  const deployment = encodeURIComponent(base.provider.deployments?.[model] ?? model);
  const suffix = operation === 'chat' ? 'chat/completions' : 'embeddings';
  return {
    method: 'POST',
    origin: base.origin,
    path: `${base.basePath}/openai/deployments/${deployment}/${suffix}?api-version=${version}`,
    headers: base.postHeaders,
  };
}

function anthropicTarget(base: Base, operation: Operation): RequestTarget | null {
  if (operation === 'embeddings') return null;
  const path = operation === 'chat' ? `${base.basePath}/v1/messages` : `${base.basePath}/v1/models`;
  return { method: operation === 'chat' ? 'POST' : 'GET', origin: base.origin, path, headers: operation === 'chat' ? base.postHeaders : base.getHeaders };
}

const BUILDERS: Readonly<Record<ProviderType, TargetBuilder>> = {
  openai: openAiTarget,
  'openai-compatible': openAiTarget,
  'azure-openai': azureTarget,
  anthropic: anthropicTarget,
};

/** Credential headers per provider type; an absent key sends none (e.g. a local Ollama). */
function authHeaders(type: ProviderType, key: string | undefined, provider: Provider): Record<string, string> {
  const headers: Record<string, string> = {};
  if (type === 'anthropic') {
    headers['anthropic-version'] = provider.apiVersion ?? DEFAULT_ANTHROPIC_VERSION;
    if (key !== undefined) headers['x-api-key'] = key;
  } else if (type === 'azure-openai') {
    if (key !== undefined) headers['api-key'] = key;
  } else if (key !== undefined) {
    headers.authorization = `Bearer ${key}`;
  }
  return headers;
}

function splitBaseUrl(provider: Provider): { origin: string; basePath: string } {
  let url: URL;
  try {
    url = new URL(provider.baseUrl);
  } catch {
    throw new ProviderConfigError(provider.id, 'baseUrl is not a valid URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ProviderConfigError(provider.id, 'baseUrl must be http or https');
  let basePath = url.pathname.replace(/\/+$/, '');
  // The anthropic adapter adds /v1 itself; azure adds /openai. Accept either in the config without doubling it.
  if (provider.type === 'anthropic') basePath = basePath.replace(/\/v1$/, '');
  if (provider.type === 'azure-openai') basePath = basePath.replace(/\/openai$/, '');
  return { origin: url.origin, basePath };
}

/** A provider prepared for the hot path: secrets resolved, headers built once. */
export interface CompiledProvider {
  provider: Provider;
  format: WireFormat;
  /** The request target for an operation, or null when the provider type does not support it. */
  target(operation: Operation, model: string): RequestTarget | null;
}

/** Resolves a provider's secret and precomputes its URLs and headers; throws ProviderConfigError on bad settings. */
export function compileProvider(provider: Provider, env: Env = process.env): CompiledProvider {
  const key = resolveSecret(provider.apiKey, provider.id, env);
  const { origin, basePath } = splitBaseUrl(provider);
  // Extra headers are lower-cased so they replace, rather than duplicate, the defaults; credentials win last.
  const extra: Record<string, string> = {};
  for (const [name, value] of Object.entries(provider.headers ?? {})) extra[name.toLowerCase()] = value;
  const auth = authHeaders(provider.type, key, provider);
  const getHeaders = Object.freeze({ accept: 'application/json', ...extra, ...auth });
  const postHeaders = Object.freeze({ 'content-type': 'application/json', ...extra, ...auth });
  const base: Base = { provider, origin, basePath, getHeaders, postHeaders };
  const build = BUILDERS[provider.type];
  // Targets are built once and reused; only azure's depend on the model, so the key includes it there.
  const cache = new Map<string, RequestTarget | null>();
  const perModel = provider.type === 'azure-openai';
  return {
    provider,
    format: formatOf(provider),
    target(operation, model) {
      const cacheKey = perModel && operation !== 'models' ? `${operation}\n${model}` : operation;
      let target = cache.get(cacheKey);
      if (target === undefined) {
        target = build(base, operation, model);
        // Model names come from clients, so the cache is bounded.
        if (cache.size < MAX_CACHED_TARGETS) cache.set(cacheKey, target);
      }
      return target;
    },
  };
}

/** One-off target for a provider and operation (tests, CLI checks); the client uses compiled providers instead. */
export function buildRequestTarget(provider: Provider, operation: Operation, model: string, env: Env = process.env): RequestTarget | null {
  return compileProvider(provider, env).target(operation, model);
}

/** The full URL of a target; for tests and diagnostics only, never for logs (it may reveal internal hosts). */
export function targetUrl(target: RequestTarget): string {
  return target.origin + target.path;
}
