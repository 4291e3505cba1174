import type { z } from 'zod';
import type { Logger } from 'pino';
import type { CanonicalText } from '../text/types.ts';
import type { Origin, Role } from '../wire/types.ts';
import type { RulesSource } from '../rules/active-rules.ts';
import type { CancelSignal } from '../runtime/cancel-signal.ts';

/** Where in the request flow a scanner runs. */
export type Phase = 'request' | 'response' | 'response-stream';

export type Severity = 'low' | 'medium' | 'high' | 'critical';

/** A segment as a scanner sees it: the original text and its canonical view. */
export interface ScanSegment {
  id: string;
  role: Role;
  origin: Origin;
  text: string;
  canonical: CanonicalText;
}

export interface ScanInput {
  phase: Phase;
  segments: readonly ScanSegment[];
}

export interface ScanContext {
  requestId: string;
  /** Fires when the scanner's deadline passes or the request is abandoned. */
  signal: CancelSignal;
  /** Request-scoped state shared by the scanners of one request (e.g. a pseudonym vault). */
  state: Map<string, unknown>;
}

/** What a scanner saw, where. Spans index the segment's original text, end exclusive. */
export interface Finding {
  ruleId: string;
  message: string;
  severity: Severity;
  /** Confidence in [0,1]. */
  score: number;
  segmentId: string;
  span: [number, number];
  /** A redacted hint of what matched; never the raw sensitive value. */
  evidence?: string;
}

/** A replacement of a span of one segment's original text. */
export interface SpanEdit {
  segmentId: string;
  start: number;
  end: number;
  replacement: string;
}

export type Outcome = 'pass' | 'flag' | 'fail';

export interface ScanResult {
  outcome: Outcome;
  /** Risk in [0,1], or null when the scanner has no notion of a score. */
  score: number | null;
  findings: Finding[];
  /** Proposed redactions; applied only when the policy decides to redact. */
  edits?: SpanEdit[];
  /**
   * Streaming only (one segment, still growing): how many characters at the end of the segment
   * could still become part of a finding once more text arrives. The stream releases everything
   * before them. Absent means "unknown": the policy's whole hold-back window is kept.
   */
  tail?: number;
  /** Finding-free remarks about how the result was reached (e.g. "judge timed out; classifier score kept"); never content. */
  notes?: string[];
  /** Version of the detection rules the scan ran with (injection scanners: built-in signatures plus the signed bundle); recorded on the event. */
  rulesVersion?: string;
}

export interface Scanner {
  scan(input: ScanInput, context: ScanContext): ScanResult | Promise<ScanResult>;
}

/** A chat completion through a configured provider, for LLM-judge scanners (injected: scanners never import providers). */
export interface JudgeClient {
  /** Returns the model's text answer; rejects on upstream failure or when `signal` aborts. */
  complete(request: { system: string; user: string; maxTokens: number; signal: CancelSignal }): Promise<string>;
}

/** Injected dependencies: never reach for globals. */
export interface ScannerDeps {
  logger: Logger;
  /** Directory for local state (models, indexes). */
  dataDir: string;
  /** Present when the configuration names a judge model (see `judge` in the config). */
  judge?: JudgeClient;
  /** The active detection rules (signed bundles, src/rules/); absent: the built-in rules. */
  rules?: RulesSource;
}

/** A static description of a scanner kind; instances come from `create`. */
export interface ScannerDefinition<C = unknown> {
  /** Namespaced, stable id, e.g. "text/term-list". */
  id: string;
  description: string;
  phases: readonly Phase[];
  /** Config schema with defaults; validated before `create`. */
  configSchema: z.ZodType<C>;
  create(config: C, deps: ScannerDeps): Scanner;
}

/** Helper for building definitions with inferred config types. */
export function defineScanner<S extends z.ZodType>(
  definition: Omit<ScannerDefinition<z.output<S>>, 'configSchema'> & { configSchema: S },
): ScannerDefinition<z.output<S>> {
  return definition as ScannerDefinition<z.output<S>>;
}
