// Command-line flags of the training scripts: `--help` prints the usage, an unknown flag or a missing
// value is an error naming it (exit 2), so a typo never starts a long retrain that overwrites models/.

/** One flag: `value` when it takes the next argument (`--task prompt-injection`). */
export interface FlagSpec {
  value?: boolean;
  help: string;
}

/** Parsed flags: `true` for switches, the string for valued flags; absent when not given. */
export type ParsedFlags = Map<string, string | true>;

/** Parses argv against `flags`; prints usage and exits 0 on --help, exits 2 on a bad flag. */
export function parseScriptArgs(argv: readonly string[], script: string, summary: string, flags: Readonly<Record<string, FlagSpec>>): ParsedFlags {
  const usage = (): string =>
    [`usage: ${script} [flags]`, summary, '', ...Object.entries(flags).map(([name, spec]) => `  ${`${name}${spec.value ? ' VALUE' : ''}`.padEnd(26)} ${spec.help}`), `  ${'--help'.padEnd(26)} this text`].join('\n');
  const parsed: ParsedFlags = new Map();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') {
      process.stdout.write(`${usage()}\n`);
      process.exit(0);
    }
    const spec = flags[arg];
    if (!spec) fail(`${script}: unknown flag "${arg}"`, usage());
    if (spec.value) {
      const value = argv[i + 1];
      if (value === undefined || value.startsWith('--')) fail(`${script}: ${arg} expects a value`, usage());
      parsed.set(arg, value);
      i++;
    } else {
      parsed.set(arg, true);
    }
  }
  return parsed;
}

function fail(message: string, usage: string): never {
  process.stderr.write(`${message}\n${usage}\n`);
  process.exit(2);
}
