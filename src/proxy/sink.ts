/** How the pipeline answers, without knowing about HTTP servers. */
export interface ResponseSink {
  /** Sends a complete JSON (or pre-serialised) body. */
  json(status: number, body: unknown, headers?: Record<string, string>): void;
  /** Starts a server-sent-events response. */
  startStream(status: number, headers: Record<string, string>): void;
  /** Writes a frame; resolves when the client can take more (backpressure). */
  write(frame: string): Promise<void>;
  end(): void;
  /** True once the client went away. */
  readonly closed: boolean;
}
