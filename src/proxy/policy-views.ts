import type { Principal } from '../auth/types.ts';
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
 * for the caller's tenant and project (`src/policy/precedence.ts`). Views are compiled once per
 * set of documents and cached; callers without stored documents get the gateway itself. A
 * document that does not compile fails the request (fail closed) with the reason.
 */
export function gatewayFor(gateway: Gateway, principal: Principal | null): Gateway {
  const store = gateway.access?.admin?.store;
  if (!principal || !store) return gateway;
  let views = byGateway.get(gateway);
  if (!views) {
    views = { documents: new Map(), compiled: new Map() };
    byGateway.set(gateway, views);
  }
  const now = Date.now();
  let cached = views.documents.get(principal.tenant);
  if (!cached || now - cached.at > DOCUMENT_TTL_MS) {
    const documents = store.listPolicies(principal.tenant);
    cached = { at: now, levels: documents.map((doc) => ({ level: doc.projectId ? `project:${doc.projectId}` : `tenant:${doc.tenantId}`, document: doc.policy, stamp: `${doc.projectId ?? ''}@${doc.updatedAt}` })) };
    views.documents.set(principal.tenant, cached);
  }
  const tenantLevel = cached.levels.filter((level) => level.level.startsWith('tenant:'));
  const projectLevel = cached.levels.filter((level) => level.level === `project:${principal.project}`);
  const levels = [...tenantLevel, ...projectLevel];
  if (levels.length === 0) return gateway;
  const key = `${principal.tenant}|${levels.map((level) => level.stamp).join('|')}`;
  const known = views.compiled.get(key);
  if (known) return known;
  const policy = effectivePolicy(gateway.config.policy, levels);
  const config = { ...gateway.config, policy };
  const view: Gateway = { ...gateway, config, runner: gateway.compile(config) };
  if (views.compiled.size >= MAX_VIEWS) views.compiled.delete(views.compiled.keys().next().value!);
  views.compiled.set(key, view);
  return view;
}

/** Forgets a tenant's cached documents (after an admin change in this process; other processes pick it up within the TTL). */
export function forgetTenantPolicies(gateway: Gateway, tenant: string): void {
  byGateway.get(gateway)?.documents.delete(tenant);
}
