import type { Readable } from 'node:stream';
import { BulwarkError } from '../../errors/bulwark-error.ts';
import { renderStreamError } from '../../errors/render.ts';
import { strongest, type Decision } from '../../policy/decide.ts';
import { createSseParser } from '../../wire/sse.ts';
import type { StreamEvent, WireFormat } from '../../wire/types.ts';
import { blockedError } from '../blocked.ts';
import { dialects, type Dialect } from '../dialects.ts';
import type { EventDraft } from '../event-draft.ts';
import type { Gateway } from '../gateway.ts';
import { scanPhase } from '../scan-phase.ts';
import type { ResponseSink } from '../sink.ts';
import { policyMayRedact, StreamRewriter } from './rewriter.ts';
import { StreamGuard, type StreamScan } from './stream-guard.ts';
import type { CancelSignal } from '../../runtime/cancel-signal.ts';

export interface RelayOptions {
  client: Dialect;
  upstreamFormat: WireFormat;
  upstream: Readable;
  sink: ResponseSink;
  draft: EventDraft;
  state: Map<string, unknown>;
  model: string;
  signal: CancelSignal;
  requestVerdict: Decision;
  /** Pseudonymised placeholders to restore in the answer (empty: none). */
  restorations: ReadonlyMap<string, string>;
}

interface PendingFrame {
  frame: string;
  /** Characters of answer text up to and including this frame. */
  textEnd: number;
}

/** Relays an upstream SSE stream to the client, translated if needed, releasing text only after it is scanned. */
export async function relayStream(gateway: Gateway, options: RelayOptions): Promise<{ decision: Decision | 'error'; status: number }> {
  const { client, upstream, sink, draft } = options;
  const policy = gateway.config.policy.name;
  const same = client.format === options.upstreamFormat;
  const decoder = dialects[options.upstreamFormat].createDecoder();
  // Frames pass through byte for byte unless the text that leaves may differ from what arrived.
  const rewriting = options.restorations.size > 0 || policyMayRedact(gateway.runner.slots, ['response-stream', 'response']);
  const encoder = same && !rewriting ? null : client.createEncoder({ id: draft.id, model: options.model, includeUsage: true });
  const rewriter = rewriting ? new StreamRewriter((event) => encoder!.encode(event), options.restorations) : null;
  const guard = new StreamGuard(gateway, draft.requestId, options.state, rewriting);
  const pending: PendingFrame[] = [];
  const textDecoder = new TextDecoder();
  let decision: Decision = options.requestVerdict;
  let failure: BulwarkError | null = null;

  const absorb = (events: StreamEvent[], raw: string | null): void => {
    for (const item of events) {
      const start = guard.text.length;
      if (item.type === 'text_delta') guard.append(item.text);
      else if (item.type === 'tool_call_delta') guard.append(item.argumentsDelta);
      rewriter?.push(item, start, guard.text.length);
      if (item.type === 'text_delta' || item.type === 'tool_call_delta') continue;
      if (item.type === 'stop' && item.usage) {
        draft.inputTokens = item.usage.inputTokens;
        draft.outputTokens = item.usage.outputTokens;
      } else if (item.type === 'start' && item.inputTokens !== undefined) draft.inputTokens = item.inputTokens;
    }
    if (rewriter) return;
    const frame = same ? (raw ?? '') : events.map((item) => encoder!.encode(item)).join('');
    if (frame) pending.push({ frame, textEnd: guard.text.length });
  };
  // Comments and keep-alives are forwarded too when the formats match, so passthrough stays byte-faithful.
  const parser = createSseParser((event) => absorb(decoder.push(event.event, event.data), event.raw), { onOther: (raw) => absorb([], same && !rewriting ? raw : null) });

  const release = async (upTo: number): Promise<void> => {
    let out = '';
    if (rewriter) {
      const end = rewriter.boundary(guard.text, upTo, upTo === Number.POSITIVE_INFINITY);
      out = rewriter.release(end);
      guard.markReleased(end);
    } else {
      while (pending.length > 0 && pending[0]!.textEnd <= upTo) out += pending.shift()!.frame;
      guard.markReleased(upTo);
    }
    if (out && !sink.closed) await sink.write(out);
  };
  /** Applies a stream scan; false when the stream must stop. */
  const settle = (scan: StreamScan): boolean => {
    if (scan.decision === 'block') return false;
    if (scan.decision === 'flag') decision = strongest(decision, 'flag');
    if (scan.decision === 'redact') {
      decision = strongest(decision, 'redact');
      if (!rewriter!.addEdits(scan.edits)) return false;
    }
    return true;
  };
  let stopped = false;

  sink.startStream(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-bulwark-event-id': draft.id });
  try {
    for await (const chunk of upstream) {
      parser.feed(textDecoder.decode(chunk as Buffer, { stream: true }));
      if (!settle(await guard.scan())) {
        stopped = true;
        break;
      }
      await release(guard.safeEnd(false));
      if (sink.closed || options.signal.aborted) break;
    }
    if (!stopped && !sink.closed && !options.signal.aborted && settle(await guard.scan())) {
      parser.feed(textDecoder.decode());
      parser.end();
      // An upstream that closed without its terminal event still gets a well-formed ending in translation.
      if (!same || rewriting) absorb(decoder.end(), null);
      stopped = !settle(await guard.scan());
    } else stopped = true;
  } catch (error) {
    failure = error instanceof BulwarkError ? error : new BulwarkError('BULWARK_UPSTREAM_ERROR', `Upstream stream failed: ${error instanceof Error ? error.message : String(error)}`, { details: { eventId: draft.id } });
    draft.error = failure.message;
  }

  const streamSummary = guard.summary();
  draft.addPhase('response-stream', streamSummary.runs, streamSummary.verdict, []);
  // The stream phase's scanner spans: one per instance over all scan windows (request scans get theirs in scan-phase.ts).
  if (guard.windows.windows > 0) {
    gateway.tracer?.get(draft.id)?.addStreamScanRuns(guard.windows, streamSummary.runs.map((run) => ({ instance: run.slot.settings.id, scanner: run.slot.definition.id, outcome: run.status === 'ok' ? (run.result?.outcome ?? 'pass') : run.status, latencyMs: run.latencyMs, score: run.result?.score ?? null })));
  }
  if (sink.closed || (options.signal.aborted && !failure)) {
    upstream.destroy();
    draft.error = 'client disconnected';
    return { decision: 'error', status: 499 };
  }
  let blocked = stopped || streamSummary.verdict.decision === 'block';
  if (!blocked && !failure) {
    // Scanners that only take whole responses run once the stream is complete, before the held-back tail is released.
    const whole = await scanPhase(gateway, 'response', [{ id: 'stream', role: 'assistant', origin: 'assistant', text: guard.text, path: [], turn: -1 }], draft, options.state);
    blocked = whole.verdict.decision === 'block' || (whole.verdict.decision === 'redact' && !rewriter?.addEdits(whole.verdict.edits));
    if (whole.verdict.decision === 'redact' && !blocked) decision = strongest(decision, 'redact');
    if (whole.verdict.decision === 'flag') decision = strongest(decision, 'flag');
    if (blocked) streamSummary.verdict.findings.push(...whole.verdict.findings);
    if (!gateway.runner.has('response')) draft.setStreamedContent([{ id: 'stream', origin: 'assistant', text: guard.text }], streamSummary.verdict);
  }
  if (blocked || failure) {
    upstream.destroy();
    const error = failure ?? blockedError(streamSummary.verdict, { policy, eventId: draft.id, phase: 'response' });
    await sink.write(renderStreamError(error, client.format, draft.requestId));
    sink.end();
    return failure ? { decision: 'error', status: error.status } : { decision: 'block', status: 200 };
  }
  await release(Number.POSITIVE_INFINITY);
  sink.end();
  return { decision: strongest(decision, streamSummary.verdict.decision === 'block' ? 'allow' : streamSummary.verdict.decision), status: 200 };
}
