import { createHash } from 'node:crypto';
import type { Principal } from '../auth/types.ts';
import { Policy } from '../config/schema.ts';
import { BulwarkError } from '../errors/bulwark-error.ts';
import { effectivePolicy } from '../policy/precedence.ts';
import type { Gateway } from './gateway.ts';

/** How long a tenant's stored policy documents are trusted before they are read again. */
const DOCUMENT_TTL_MS = 5_000;
const MAX_VIEWS = 1_000;

interface Views {
  documents: Map<string, { at: number; levels: { level: string; document: unknown; stamp: string }[] }>;
  compiled: Map<string, Gateway>;
}

const byGateway = new WeakMap<Gateway, Views>();

/**
 * The gateway as one caller sees it: the global policy tightened by the policy documents stored
 * for the caller's tenant, project and key, then by the request's own (`x-bulwark-policy`), in that
 * order (`src/policy/precedence.ts`). Views are compiled once per
 * set of documents and cached; callers without stored documents get the gateway itself. A
 * document that does not compile fails the request (fail closed) with the reason.
 */
export function gatewayFor(gateway: Gateway, principal: Principal | null, requestPolicy?: string | string[]): Gateway {
  let views = byGateway.get(gateway);
  if (!views) {
    views = { documents: new Map(), compiled: new Map() };
    byGateway.set(gateway, views);
  }
  const stored = storedLevels(gateway, views, principal);
  const request = requestLevel(requestPolicy);
  const levels = request ? [...stored, request] : stored;
  if (levels.length === 0) return gateway;
  const key = `${principal?.tenant ?? ''}|${levels.map((level) => level.stamp).join('|')}`;
  const known = views.compiled.get(key);
  if (known) return known;
  const policy = effectivePolicy(gateway.config.policy, levels);
  const config = { ...gateway.config, policy };
  let runner;
  try {
    runner = gateway.compile(config);
  } catch (error) {
    // A bad stored document was refused when it was stored; a bad request document is the caller's error.
    if (!request) throw error;
    throw new BulwarkError('BULWARK_INVALID_REQUEST', `Header ${REQUEST_POLICY_HEADER} does not compile with the policies above it: ${error instanceof Error ? error.message.split('\n').slice(0, 3).join(' ') : String(error)}`, { param: REQUEST_POLICY_HEADER });
  }
  const view: Gateway = { ...gateway, config, runner };
  if (views.compiled.size >= MAX_VIEWS) views.compiled.delete(views.compiled.keys().next().value!);
  views.compiled.set(key, view);
  return view;
}

/** Header carrying a request-level policy document (JSON); like every level it can only tighten. */
export const REQUEST_POLICY_HEADER = 'x-bulwark-policy';
const MAX_REQUEST_POLICY_BYTES = 8 * 1024;

function requestLevel(raw: string | string[] | undefined): { level: string; document: unknown; stamp: string } | null {
  if (raw === undefined) return null;
  if (typeof raw !== 'string' || raw.length > MAX_REQUEST_POLICY_BYTES) throw new BulwarkError('BULWARK_INVALID_REQUEST', `Header ${REQUEST_POLICY_HEADER} must be one JSON policy document of at most ${MAX_REQUEST_POLICY_BYTES} bytes.`, { param: REQUEST_POLICY_HEADER });
  let document: unknown;
  try {
    document = JSON.parse(raw);
  } catch {
    throw new BulwarkError('BULWARK_INVALID_REQUEST', `Header ${REQUEST_POLICY_HEADER} is not valid JSON.`, { param: REQUEST_POLICY_HEADER });
  }
  const checked = Policy.safeParse(document);
  if (!checked.success) {
    const issue = checked.error.issues[0]!;
    throw new BulwarkError('BULWARK_INVALID_REQUEST', `Header ${REQUEST_POLICY_HEADER}: ${issue.path.join('.') || '(root)'}: ${issue.message}`, { param: REQUEST_POLICY_HEADER });
  }
  return { level: 'request', document, stamp: `request:${createHash('sha256').update(raw).digest('base64url')}` };
}

/** The stored levels that apply to a caller: its tenant's document, its project's, its key's. */
function storedLevels(gateway: Gateway, views: Views, principal: Principal | null): { level: string; document: unknown; stamp: string }[] {
  const store = gateway.access?.admin?.store;
  if (!principal || !store) return [];
  const now = Date.now();
  let cached = views.documents.get(principal.tenant);
  if (!cached || now - cached.at > DOCUMENT_TTL_MS) {
    const documents = store.listPolicies(principal.tenant);
    cached = { at: now, levels: documents.map((doc) => ({ level: doc.projectId ? `project:${doc.projectId}` : `tenant:${doc.tenantId}`, document: doc.policy, stamp: `${doc.projectId ?? ''}@${doc.updatedAt}` })) };
    views.documents.set(principal.tenant, cached);
  }
  const tenantLevel = cached.levels.filter((level) => level.level.startsWith('tenant:'));
  const projectLevel = cached.levels.filter((level) => level.level === `project:${principal.project}`);
  const keyLevel = cached.levels.filter((level) => level.level === `project:key:${principal.keyId}`);
  return [...tenantLevel, ...projectLevel, ...keyLevel];
}

/** Forgets a tenant's cached documents (after an admin change in this process; other processes pick it up within the TTL). */
export function forgetTenantPolicies(gateway: Gateway, tenant: string): void {
  byGateway.get(gateway)?.documents.delete(tenant);
}
