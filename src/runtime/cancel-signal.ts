/**
 * Request cancellation without a Node.js AbortSignal per request.
 *
 * On Node 20 every AbortSignal is built as an EventTarget whose prototype is then swapped and extended,
 * which gives each signal its own hidden classes: ~1.3 KB allocated and ~0.45 KB surviving each
 * young-generation GC, per signal. The gateway made three per request (the request's and one per scan
 * phase), and the survivors (with V8 pretenuring what they reach) set the length of GC pauses, which is
 * the gateway's p99 (ADR 0001, update 2026-11-26). `Cancellation` is a plain class (one shared shape)
 * with the part of AbortSignal the request path uses, so a real AbortSignal is a `CancelSignal` too.
 */

/** What request code needs of a cancellation signal: a structural subset of AbortSignal. */
export interface CancelSignal {
  readonly aborted: boolean;
  readonly reason: unknown;
  throwIfAborted(): void;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

/** A cancellation source and its signal in one object: `abort()` runs every listener once. */
export class Cancellation implements CancelSignal {
  #aborted = false;
  #reason: unknown = undefined;
  #listeners: (() => void)[] | null = null;
  #parent: CancelSignal | null = null;
  #onParentAbort: (() => void) | null = null;

  get aborted(): boolean {
    return this.#aborted;
  }

  get reason(): unknown {
    return this.#reason;
  }

  throwIfAborted(): void {
    if (this.#aborted) throw this.#reason;
  }

  /** Listeners run once, at abort, in the order added; the `once` option is implied. */
  addEventListener(type: 'abort', listener: () => void): void {
    if (type !== 'abort' || this.#aborted) return;
    (this.#listeners ??= []).push(listener);
  }

  removeEventListener(type: 'abort', listener: () => void): void {
    if (type !== 'abort' || !this.#listeners) return;
    const index = this.#listeners.indexOf(listener);
    if (index >= 0) this.#listeners.splice(index, 1);
  }

  /** Aborts once; a listener that throws does not stop the others (its error is dropped, like an EventTarget's reported one). */
  abort(reason: unknown = new DOMException('This operation was aborted', 'AbortError')): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#reason = reason;
    this.unfollow();
    const listeners = this.#listeners;
    this.#listeners = null;
    if (!listeners) return;
    for (const listener of listeners) {
      try {
        listener();
      } catch {
        // A listener's failure is its own; cancellation of the rest must go on.
      }
    }
  }

  /** Aborts (with the parent's reason) when `parent` does, or now if it already has; `unfollow()` detaches. */
  follow(parent: CancelSignal | undefined): this {
    if (!parent) return this;
    if (parent.aborted) {
      this.abort(parent.reason);
      return this;
    }
    this.unfollow();
    this.#parent = parent;
    this.#onParentAbort = () => this.abort(parent.reason);
    parent.addEventListener('abort', this.#onParentAbort, { once: true });
    return this;
  }

  /** Stops following the parent (so a finished phase is not kept alive by the request's signal). */
  unfollow(): void {
    if (this.#parent && this.#onParentAbort) this.#parent.removeEventListener('abort', this.#onParentAbort);
    this.#parent = null;
    this.#onParentAbort = null;
  }
}
