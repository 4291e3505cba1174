import { BulwarkError } from '../errors/bulwark-error.ts';
import { openAIEmbeddingsSegments, validateOpenAIEmbeddingsRequest } from '../wire/index.ts';
import { blockedError } from './blocked.ts';
import { applyEditsToBody } from './edits.ts';
import { EventDraft } from './event-draft.ts';
import type { Gateway } from './gateway.ts';
import { readBodyText } from './read-body.ts';
import { scanPhase } from './scan-phase.ts';
import type { ResponseSink } from './sink.ts';
import { upstreamError } from './upstream-errors.ts';
import { usageOf } from './usage.ts';

/** POST /v1/embeddings: the input is scanned like a prompt, the vectors pass through. */
export async function handleEmbeddings(gateway: Gateway, call: { body: Record<string, unknown>; requestId: string; signal: AbortSignal; sink: ResponseSink }): Promise<void> {
  const validation = validateOpenAIEmbeddingsRequest(call.body);
  if (!validation.ok) {
    throw new BulwarkError('BULWARK_INVALID_REQUEST', validation.issues.map((issue) => `${issue.path}: ${issue.message}`).join('; '), { param: validation.issues[0]?.path ?? null });
  }
  const model = String(call.body.model);
  const route = gateway.resolveRoute(model);
  if (!route) throw new BulwarkError('BULWARK_UNKNOWN_MODEL', `The model "${model}" is not served by this gateway; no route matches it.`, { param: 'model' });
  const draft = new EventDraft(call.requestId, 'openai.embeddings', gateway.config.policy.name, gateway.config.storage.content);
  draft.model = model;
  const segments = openAIEmbeddingsSegments(call.body);
  const request = await scanPhase(gateway, 'request', segments, draft, new Map());
  if (request.verdict.decision === 'redact' && !applyEditsToBody(call.body, segments, request.verdict.edits)) request.verdict.decision = 'block';
  if (request.verdict.decision === 'block') {
    const error = blockedError(request.verdict, { policy: gateway.config.policy.name, eventId: draft.id, phase: 'request' });
    gateway.record(draft.finish('block', error.status));
    throw error;
  }
  const result = await gateway.upstream.call(route, {
    operation: 'embeddings',
    model,
    stream: false,
    signal: call.signal,
    requestId: call.requestId,
    body: (_format, upstreamModel) => ({ ...call.body, model: upstreamModel }),
  });
  if (!result.ok) {
    const error = upstreamError(result, draft.id);
    draft.error = `${result.kind}: ${result.message}`;
    gateway.record(draft.finish('error', error.status));
    throw error;
  }
  draft.provider = result.provider.id;
  draft.upstreamLatencyMs = result.latencyMs;
  const text = await readBodyText(result.body, 256 * 1024 * 1024);
  try {
    draft.inputTokens = usageOf('openai', JSON.parse(text) as Record<string, unknown>).inputTokens;
  } catch {
    // Usage is informational; the body is still relayed as the upstream sent it.
  }
  call.sink.json(200, text, { 'x-bulwark-event-id': draft.id });
  gateway.record(draft.finish(request.verdict.decision, 200));
}
