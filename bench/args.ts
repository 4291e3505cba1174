/**
 * Command-line options of the bench scripts: `--name=value` and bare `--flag`. A value that should be a
 * number and is not, or an argument that is not an option, stops the bench with a message naming it.
 */
export class BenchArgs {
  readonly #values = new Map<string, string>();

  constructor(argv: readonly string[] = process.argv.slice(2)) {
    for (const arg of argv) {
      if (!arg.startsWith('--') || arg.length === 2) throw new Error(`bench: unexpected argument ${JSON.stringify(arg)}; expected --name=value or --flag`);
      const at = arg.indexOf('=');
      if (at < 0) this.#values.set(arg.slice(2), '');
      else this.#values.set(arg.slice(2, at), arg.slice(at + 1));
    }
  }

  has(name: string): boolean {
    return this.#values.has(name);
  }

  /** The value of `--name=value`, or undefined when absent. */
  string(name: string): string | undefined {
    return this.#values.get(name);
  }

  /** The number given as `--name=N`, or `fallback` when absent. */
  number(name: string, fallback: number): number {
    const text = this.#values.get(name);
    if (text === undefined) return fallback;
    const value = Number(text);
    if (text.trim() === '' || !Number.isFinite(value)) throw new Error(`bench: --${name} expects a number, got ${JSON.stringify(text)}`);
    return value;
  }
}
