// Reads V8's `--trace-gc-nvp` lines from a child's stdout: young-generation GCs (scavenges) while `recording`.

/** Scavenge pauses and bytes that survived them, over the recorded windows. */
export class ScavengeTrace {
  recording = false;
  readonly pausesMs: number[] = [];
  survivedBytes = 0;
  promotedBytes = 0;
  #partial = '';

  /** Feed stdout chunks; non-GC lines (the gateway's JSON logs) are ignored. */
  feed(data: Buffer): void {
    const lines = (this.#partial + data.toString('latin1')).split('\n');
    this.#partial = lines.pop() ?? '';
    if (!this.recording) return;
    for (const line of lines) {
      if (!line.includes(' gc=s ')) continue;
      this.pausesMs.push(field(line, 'pause'));
      this.survivedBytes += field(line, 'new_space_survived');
      this.promotedBytes += field(line, 'promoted');
    }
  }
}

function field(line: string, name: string): number {
  const match = new RegExp(`\\b${name}=([0-9.]+)`).exec(line);
  return match ? Number(match[1]) : 0;
}
