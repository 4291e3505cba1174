import type { ScannerSlot } from '../../scanners/runner.ts';
import type { Phase } from '../../scanners/types.ts';
import type { SpanEdit } from '../../scanners/types.ts';
import { placeholderSafeEnd, restorePlaceholders } from '../../pseudonyms/restore.ts';
import type { StreamEvent } from '../../wire/types.ts';

/** An edit of the streamed answer, in the guard's text coordinates. */
export type StreamEdit = Omit<SpanEdit, 'segmentId'>;

interface Pending {
  event: StreamEvent;
  /** The event's range of the answer text (empty for events that carry no text). */
  start: number;
  end: number;
}

type Delta = Extract<StreamEvent, { type: 'text_delta' | 'tool_call_delta' }>;

/**
 * Re-encodes a stream instead of passing upstream frames through, so the text that leaves can
 * differ from the text that arrived: redactions decided while streaming are applied exactly, and
 * pseudonymised placeholders are turned back into the client's values. Text is released up to a
 * position the relay has scanned; a release never cuts an edit or a placeholder in two, and
 * consecutive deltas of one block are merged before rewriting, so an edit spanning chunks is
 * applied whole.
 */
export class StreamRewriter {
  readonly #pending: Pending[] = [];
  #edits: StreamEdit[] = [];
  #emitted = 0;

  constructor(
    private readonly encode: (event: StreamEvent) => string,
    private readonly restorations: ReadonlyMap<string, string>,
  ) {}

  push(event: StreamEvent, start: number, end: number): void {
    this.#pending.push({ event, start, end });
  }

  /** How far the answer has been released. */
  get emitted(): number {
    return this.#emitted;
  }

  /** Adds edits; false when one touches text already released (the caller must block). Where edits overlap, the longer is kept. */
  addEdits(edits: readonly StreamEdit[]): boolean {
    for (const edit of edits) {
      if (edit.start < this.#emitted) return false;
      const overlapping = this.#edits.filter((other) => edit.start < other.end && other.start < edit.end);
      if (overlapping.some((other) => other.end - other.start >= edit.end - edit.start)) continue;
      this.#edits = [...this.#edits.filter((other) => !overlapping.includes(other)), edit].sort((a, b) => a.start - b.start);
    }
    return true;
  }

  /** The largest position <= upTo that cuts neither an edit nor a placeholder (`final`: the stream is complete). */
  boundary(text: string, upTo: number, final = false): number {
    let end = Math.min(upTo, text.length);
    for (const edit of this.#edits) if (edit.start < end && end < edit.end) end = edit.start;
    if (!final) end = placeholderSafeEnd(text, end);
    return Math.max(end, this.#emitted);
  }

  /** Frames for everything up to `upTo` (already passed through `boundary`). */
  release(upTo: number): string {
    let out = '';
    while (this.#pending.length > 0) {
      const head = this.#pending[0]!;
      if (head.event.type !== 'text_delta' && head.event.type !== 'tool_call_delta') {
        if (head.start > upTo || (head.start === upTo && this.#emitted < upTo)) break;
        out += this.encode(head.event);
        this.#pending.shift();
        continue;
      }
      const before = this.#pending.length;
      const run = this.#run(upTo);
      if (run.end > run.start) out += this.encode(this.#rewrite(run.event, run.start, run.end, run.source));
      else if (this.#pending.length === before) break;
    }
    return out;
  }

  /** Takes the longest run of consecutive deltas of the same block starting at the head, up to `upTo`. */
  #run(upTo: number): { event: Delta; start: number; end: number; source: string } {
    const head = this.#pending[0]!.event as Delta;
    const start = Math.max(this.#pending[0]!.start, this.#emitted);
    let end = start;
    let source = '';
    while (this.#pending.length > 0) {
      const item = this.#pending[0]!;
      const event = item.event;
      if (event.type !== head.type || event.index !== head.index) break;
      const from = Math.max(item.start, this.#emitted, end);
      const to = Math.min(item.end, upTo);
      const whole = event.type === 'text_delta' ? event.text : event.argumentsDelta;
      if (to > from) source += whole.slice(from - item.start, to - item.start);
      end = Math.max(end, to);
      if (item.end <= upTo) this.#pending.shift();
      else break;
    }
    this.#emitted = Math.max(this.#emitted, end);
    return { event: head, start, end, source };
  }

  #rewrite(event: Delta, start: number, end: number, source: string): StreamEvent {
    let text = source;
    const remaining: StreamEdit[] = [];
    const applied: StreamEdit[] = [];
    for (const edit of this.#edits) {
      if (edit.end <= start && edit.start < edit.end) continue;
      if (edit.start >= end) remaining.push(edit);
      else {
        // An edit running past this run is clipped: its replacement goes here, the rest of its span is removed later.
        applied.push({ start: Math.max(edit.start, start), end: Math.min(edit.end, end), replacement: edit.start >= start ? edit.replacement : '' });
        if (edit.end > end) remaining.push({ start: end, end: edit.end, replacement: '' });
      }
    }
    this.#edits = remaining;
    for (const edit of applied.reverse()) text = text.slice(0, edit.start - start) + edit.replacement + text.slice(edit.end - start);
    text = restorePlaceholders(text, this.restorations, event.type === 'tool_call_delta');
    return event.type === 'text_delta' ? { ...event, text } : { ...event, argumentsDelta: text };
  }
}

/** Whether any instance running in `phases` may redact (its action, an origin action or a rule action). */
export function policyMayRedact(slots: readonly ScannerSlot[], phases: readonly Phase[]): boolean {
  return slots.some(({ settings }) => settings.phases.some((phase) => phases.includes(phase)) && [settings.action, ...Object.values(settings.originActions), ...Object.values(settings.ruleActions)].includes('redact'));
}
