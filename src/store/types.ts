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
  /** Detection rules version the scanner ran with (injection scanners: built-in signatures `/` signed bundle version). */
  rulesVersion?: string;
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
  /** Keyed HMAC of the normalised matched text (never the text): what review allow-list entries match (src/review/). */
  matchFingerprint?: string;
  /** True when a review allow-list entry lowered this finding's action to `log`. */
  allowListed?: boolean;
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
  /**
   * Request/response text per the tenant's content mode: null (`none`), the redacted text
   * (`redacted`), or for `full` the original text, which the store seals before it is written
   * or spooled (then `{ sealed }`: an AES-256-GCM envelope under the tenant's period data key).
   */
  content: { request?: string; response?: string; sealed?: string } | null;
  /** Content storage mode of the event's tenant when it was recorded (absent: not recorded). */
  contentMode?: 'none' | 'redacted' | 'full';
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

/** What `EventStore.stats()` reports: `queued` and `dropped` from every store; the rest from the spooling wrapper (src/store/spooling-event-store.ts). */
export interface EventStoreStats {
  /** Events accepted but not committed (queued and in flight). */
  queued: number;
  /** Events dropped because the queue (or the spool) was full. */
  dropped: number;
  /** The durability spool: unreplayed bytes and records, its cap, and whether it is full. */
  spool?: { bytes: number; records: number; maxBytes: number; full: boolean };
  /** Whether the last write to the backing store failed. */
  failing?: boolean;
  /** False while the store refuses new events (spool full with onFull: fail-closed). */
  accepting?: boolean;
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
  /** Queue lengths for metrics: events accepted but not committed (queued and in flight), and events dropped because the queue was full. Cheap and synchronous. */
  stats?(): EventStoreStats;
  /** Flushes and releases resources; append after close throws. */
  close(): Promise<void>;
  /** Optional: false while the store cannot take events and the gateway must refuse requests (absent: always true). */
  isAccepting?(): boolean;
}

/** verifyChain options of a store: the store supplies its own verification key. */
export type StoreVerifyOptions = Omit<VerifyOptions, 'verifyKey'>;

/** An event store whose records form the tamper-evident audit chain (src/audit/README.md). */
export interface AuditedEventStore extends EventStore {
  /** Verifies the stored chain (flushed records only; call `flush()` first). */
  verifyChain(options?: StoreVerifyOptions): Promise<VerifyResult>;
}
