import type { ExportRecord } from './records.ts';

/**
 * JSON Lines: one object per stored event, the row exactly as stored and chained (JSON
 * columns `findings`, `scanners`, `content` kept as their stored text, so a consumer can
 * recompute each `hash` with the v1 byte format) plus `partition`, `seq`, `prev_hash`, `hash`.
 */
export function toJsonl(record: ExportRecord): string {
  return JSON.stringify({
    partition: record.partition,
    seq: record.seq,
    prev_hash: record.prev_hash,
    hash: record.hash,
    id: record.id,
    request_id: record.request_id,
    time: record.time,
    time_ms: record.time_ms,
    route: record.route,
    model: record.model,
    provider: record.provider,
    policy: record.policy,
    decision: record.decision,
    status: record.status,
    input_tokens: record.input_tokens,
    output_tokens: record.output_tokens,
    upstream_latency_ms: record.upstream_latency_ms,
    total_latency_ms: record.total_latency_ms,
    streamed: record.streamed,
    error: record.error,
    findings: record.findings,
    scanners: record.scanners,
    content: record.content,
  });
}
