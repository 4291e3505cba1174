import type { IncomingHttpHeaders } from 'node:http';
import { BulwarkError } from '../errors/bulwark-error.ts';
import { strongest } from '../policy/decide.ts';
import { canaryStateKey } from '../scanners/canary/index.ts';
import { rememberSystemPrompts } from '../scanners/system-prompt/index.ts';
import type { WireFormat } from '../wire/types.ts';
import { blockedError } from './blocked.ts';
import { dialects, type Dialect } from './dialects.ts';
import { admit, type RequestAccess } from './admission.ts';
import { gatewayFor, REQUEST_POLICY_HEADER } from './policy-views.ts';
import { applyEditsToBody } from './edits.ts';
import { EventDraft } from './event-draft.ts';
import type { Gateway } from './gateway.ts';
import { readBodyText } from './read-body.ts';
import { assertValid, failUpstream, guardRequest, routeFor } from './request-guard.ts';
import { beginPseudonyms, commitPseudonyms, restoreResponseBody } from './pseudonymisation.ts';
import { plantCanary, spotlight } from './request-transforms.ts';
import { scanPhase } from './scan-phase.ts';
import type { ResponseSink } from './sink.ts';
import { relayStream } from './streaming/relay.ts';
import { usageOf } from './usage.ts';
import type { CancelSignal } from '../runtime/cancel-signal.ts';

export interface ChatCall {
  format: WireFormat;
  route: string;
  body: Record<string, unknown>;
  requestId: string;
  /** Aborts when the client disconnects. */
  signal: CancelSignal;
  sink: ResponseSink;
  /** Request headers (the conversation id for pseudonymisation). */
  headers?: IncomingHttpHeaders;
  /** The caller's tenant (the vault's scope); 'default' for a gateway without keys. */
  tenant?: string;
  /** The authenticated caller and its limit tickets (absent or principal null: anonymous). */
  access?: RequestAccess;
}

const noRestorations: ReadonlyMap<string, string> = new Map();

/** THE request flow for chat routes in either format: validate, scan, call upstream, scan the answer, record. */
export async function handleChat(global: Gateway, call: ChatCall): Promise<void> {
  const client = dialects[call.format];
  assertValid(client.validate(call.body));
  const body = call.body;
  const model = String(body.model);
  const stream = body.stream === true;
  const route = routeFor(global, model);

  const draft = new EventDraft(call.requestId, call.route, global.config.policy.name, global.config.storage.content);
  draft.model = model;
  draft.streamed = stream;
  const state = new Map<string, unknown>();
  // Sampled requests get a trace (telemetry.otlp); it continues the client's traceparent.
  const trace = global.tracer?.start(draft.id, call.headers?.traceparent, `bulwark ${call.route}`, { 'bulwark.route': call.route, 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': model, 'bulwark.stream': stream }) ?? null;
  // 0. The caller's model allow-list and rate limits, before any scanning or upstream cost.
  const admitted = admit(global, call.access, { model, providers: route.providers, draft, body });
  if (admitted) await admitted;
  // The caller's effective policy: the global one tightened by its tenant's and project's (policy precedence).
  const gateway = gatewayFor(global, call.access?.principal ?? null, call.headers?.[REQUEST_POLICY_HEADER]);
  draft.policy = gateway.config.policy.name;
  const policy = gateway.config.policy.name;

  // 1. Scan every segment of the request, whatever its origin; pseudonymised values go to the conversation's vault.
  const begun = beginPseudonyms(gateway, call.headers, call.tenant ?? 'default', state, draft);
  // The embedded vault answers synchronously; only a PostgreSQL vault costs an await.
  const pseudonyms = begun instanceof Promise ? await begun : begun;
  const requestSegments = client.requestSegments(body);
  // The client's own system text, for leak/system-prompt on the answer (before canary or spotlighting change it).
  rememberSystemPrompts(state, requestSegments);
  const request = await guardRequest(gateway, { body, segments: requestSegments, draft, state });
  if (pseudonyms) {
    const committed = commitPseudonyms(gateway, pseudonyms, draft);
    if (committed) await committed;
  }
  const restorations = pseudonyms?.restorations ?? noRestorations;

  // 2. Plant the canary and mark untrusted content; after the scan, so neither counts as the client's text.
  const { canary, spotlighting } = gateway.config.policy;
  // Spotlighting first: it finds segments by path, and the system notes both add can shift message indexes.
  if (spotlighting.origins.length > 0) spotlight(call.format, body, requestSegments, spotlighting);
  if (canary.enabled) state.set(canaryStateKey, plantCanary(call.format, body));

  // 3. Call the upstream, translating the body for whichever provider the route tries; the client span's traceparent goes with it.
  const upstreamSpan = trace?.startUpstream('chat', route.model ?? model) ?? null;
  const result = await gateway.upstream.call(route, {
    headers: upstreamSpan ? { traceparent: upstreamSpan.traceparent } : undefined,
    operation: 'chat',
    model,
    stream,
    signal: call.signal,
    requestId: call.requestId,
    body: upstreamBodies(client, body, stream),
  });
  if (!result.ok) return failUpstream(gateway, draft, result);
  draft.provider = result.provider.id;
  draft.upstreamLatencyMs = Math.round(result.latencyMs * 1000) / 1000;
  if (trace && upstreamSpan) trace.setProvider(upstreamSpan, result.provider);

  // 4. Scan the answer before any of it reaches the client.
  if (stream) {
    const outcome = await relayStream(gateway, { client, upstreamFormat: result.format, upstream: result.body, sink: call.sink, draft, state, model, signal: call.signal, requestVerdict: request.verdict.decision, restorations });
    gateway.record(draft.finish(outcome.decision, outcome.status));
    return;
  }
  const text = await readBodyText(result.body, gateway.config.server.bodyLimitBytes * 8);
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch {
    const error = new BulwarkError('BULWARK_UPSTREAM_ERROR', 'Upstream returned a body that is not JSON.', { details: { eventId: draft.id, provider: result.provider.id } });
    draft.error = error.message;
    gateway.record(draft.finish('error', error.status));
    throw error;
  }
  const usage = usageOf(result.format, parsed);
  upstreamSpan?.set({ 'gen_ai.response.model': typeof parsed.model === 'string' ? parsed.model.slice(0, 200) : undefined });
  upstreamSpan?.end();
  draft.inputTokens = usage.inputTokens;
  draft.outputTokens = usage.outputTokens;
  let out: Record<string, unknown> | string = text;
  let clientBody = parsed;
  if (result.format !== client.format) {
    clientBody = client.fromCanonicalResponse(dialects[result.format].toCanonicalResponse(parsed));
    out = clientBody;
  }
  const responseSegments = client.responseSegments(clientBody);
  const response = await scanPhase(gateway, 'response', responseSegments, draft, state);
  if (response.verdict.decision === 'redact') {
    if (applyEditsToBody(clientBody, responseSegments, response.verdict.edits)) out = clientBody;
    else response.verdict.decision = 'block';
  }
  if (response.verdict.decision === 'block') {
    const error = blockedError(response.verdict, { policy, eventId: draft.id, phase: 'response' });
    gateway.record(draft.finish('block', error.status));
    throw error;
  }
  if (restoreResponseBody(clientBody, responseSegments, restorations)) out = clientBody;
  call.sink.json(200, out, { 'x-bulwark-event-id': draft.id });
  gateway.record(draft.finish(strongest(request.verdict.decision, response.verdict.decision), 200));
}

/** Builds the upstream body for whichever provider the route tries (a returned arrow: tsx names none per request). */
function upstreamBodies(client: Dialect, body: Record<string, unknown>, stream: boolean): (target: WireFormat, model: string) => Record<string, unknown> {
  return (target, model) => upstreamBody(client, body, target, model, stream);
}

function upstreamBody(client: Dialect, body: Record<string, unknown>, target: WireFormat, model: string, stream: boolean): Record<string, unknown> {
  if (target === client.format) return { ...body, model };
  const translated = dialects[target].fromCanonicalRequest({ ...client.toCanonicalRequest(body), model });
  if (stream && target === 'openai') translated.stream_options = { include_usage: true };
  return translated;
}
