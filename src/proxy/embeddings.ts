import type { IncomingHttpHeaders } from 'node:http';
import { openAIEmbeddingsSegments, validateOpenAIEmbeddingsRequest } from '../wire/index.ts';
import { gatewayFor, REQUEST_POLICY_HEADER } from './policy-views.ts';
import { admit, type RequestAccess } from './admission.ts';
import { EventDraft } from './event-draft.ts';
import type { Gateway } from './gateway.ts';
import { readBodyText } from './read-body.ts';
import { assertValid, failUpstream, guardRequest, routeFor } from './request-guard.ts';
import type { ResponseSink } from './sink.ts';
import { usageOf } from './usage.ts';
import type { CancelSignal } from '../runtime/cancel-signal.ts';

/** POST /v1/embeddings: the input is scanned like a prompt, the vectors pass through. */
export async function handleEmbeddings(gateway: Gateway, call: { body: Record<string, unknown>; requestId: string; signal: CancelSignal; sink: ResponseSink; access?: RequestAccess; headers?: IncomingHttpHeaders }): Promise<void> {
  assertValid(validateOpenAIEmbeddingsRequest(call.body));
  const model = String(call.body.model);
  const route = routeFor(gateway, model);
  const draft = new EventDraft(call.requestId, 'openai.embeddings', gateway.config.policy.name, gateway.config.storage.content);
  draft.model = model;
  const trace = gateway.tracer?.start(draft.id, call.headers?.traceparent, 'bulwark openai.embeddings', { 'bulwark.route': 'openai.embeddings', 'gen_ai.operation.name': 'embeddings', 'gen_ai.request.model': model }) ?? null;
  await admit(gateway, call.access, { model, providers: route.providers, draft, body: call.body });
  // The caller's effective policy (policy precedence: global, tenant, project).
  gateway = gatewayFor(gateway, call.access?.principal ?? null, call.headers?.[REQUEST_POLICY_HEADER]);
  draft.policy = gateway.config.policy.name;
  const segments = openAIEmbeddingsSegments(call.body);
  const request = await guardRequest(gateway, { body: call.body, segments, draft, state: new Map() });
  const upstreamSpan = trace?.startUpstream('embeddings', route.model ?? model) ?? null;
  const result = await gateway.upstream.call(route, {
    ...(upstreamSpan ? { headers: { traceparent: upstreamSpan.traceparent } } : {}),
    operation: 'embeddings',
    model,
    stream: false,
    signal: call.signal,
    requestId: call.requestId,
    body: (_format, upstreamModel) => ({ ...call.body, model: upstreamModel }),
  });
  if (!result.ok) failUpstream(gateway, draft, result);
  draft.provider = result.provider.id;
  draft.upstreamLatencyMs = result.latencyMs;
  if (trace && upstreamSpan) trace.setProvider(upstreamSpan, result.provider);
  const text = await readBodyText(result.body, 256 * 1024 * 1024);
  try {
    draft.inputTokens = usageOf('openai', JSON.parse(text) as Record<string, unknown>).inputTokens;
  } catch {
    // Usage is informational; the body is still relayed as the upstream sent it.
  }
  call.sink.json(200, text, { 'x-bulwark-event-id': draft.id });
  gateway.record(draft.finish(request.verdict.decision, 200));
}
