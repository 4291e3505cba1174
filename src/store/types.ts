import type { VerifyOptions, VerifyResult } from '../audit/verify.ts';

/** One scanner's part in an event. */
export interface ScannerRecord {
  /** Instance id from the policy. */
  instance: string;
  scanner: string;
  phase: string;
  outcome: 'pass' | 'flag' | 'fail' | 'error' | 'timeout';
  score: number | null;
  latencyMs: number;
}

export interface FindingRecord {
  instance: string;
  scanner: string;
  ruleId: string;
  severity: string;
  score: number;
  segmentId: string;
  origin: string;
  span: [number, number];
  action: string;
  message: string;
  evidence?: string;
  /** Regulatory clause the policy cites for this rule (compliance packs). */
  clause?: string;
}

/** Everything the gateway remembers about one request. */
export interface GatewayEvent {
  id: string;
  requestId: string;
  time: string;
  route: string;
  model: string | null;
  provider: string | null;
  policy: string;
  decision: 'allow' | 'flag' | 'redact' | 'block' | 'error';
  status: number;
  findings: FindingRecord[];
  scanners: ScannerRecord[];
  inputTokens: number | null;
  outputTokens: number | null;
  upstreamLatencyMs: number | null;
  totalLatencyMs: number;
  streamed: boolean;
  /** Redacted request/response text, or null when content storage is off. */
  content: { request?: string; response?: string } | null;
  error?: string;
  /** Tenant the event belongs to; its audit chain partition. Absent means `default`. */
  tenant?: string;
  /** Project of the API key that made the request (absent: anonymous loopback caller). */
  project?: string;
  /** Id (never the secret) of the API key that made the request. */
  keyId?: string;
}

export interface EventQuery {
  limit?: number;
  since?: string;
  decision?: GatewayEvent['decision'];
}

/** The event store; SQLite now, PostgreSQL later, one contract test suite for both. */
export interface EventStore {
  /** Queues an event; never blocks on disk. */
  append(event: GatewayEvent): void;
  /** Writes everything queued. */
  flush(): Promise<void>;
  get(id: string): Promise<GatewayEvent | null>;
  list(query?: EventQuery): Promise<GatewayEvent[]>;
  count(): Promise<number>;
  /** Flushes and releases resources; append after close throws. */
  close(): Promise<void>;
}

/** verifyChain options of a store: the store supplies its own verification key. */
export type StoreVerifyOptions = Omit<VerifyOptions, 'verifyKey'>;

/** An event store whose records form the tamper-evident audit chain (src/audit/README.md). */
export interface AuditedEventStore extends EventStore {
  /** Verifies the stored chain (flushed records only; call `flush()` first). */
  verifyChain(options?: StoreVerifyOptions): Promise<VerifyResult>;
}
