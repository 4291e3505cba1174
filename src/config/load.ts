import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument, isNode } from 'yaml';
import { Config } from './schema.ts';
import { configFromEnvironment, defaultPolicy } from './defaults.ts';

/** One problem found in a config, by path and (when read from a file) line. */
export interface ConfigProblem {
  path: string;
  line?: number;
  message: string;
}

/** Thrown by loaders; carries every problem, not just the first. */
export class ConfigError extends Error {
  readonly problems: ConfigProblem[];
  readonly source: string;
  constructor(source: string, problems: ConfigProblem[]) {
    super(`${source}: ${problems.length} problem(s)\n${problems.map((p) => `  ${p.path}${p.line ? ` (line ${p.line})` : ''}: ${p.message}`).join('\n')}`);
    this.name = 'ConfigError';
    this.source = source;
    this.problems = problems;
  }
}

type Locate = (path: ReadonlyArray<PropertyKey>) => number | undefined;

/** Parses, expands ${VAR} references and validates a YAML config; throws ConfigError listing every problem. */
export function parseConfigText(text: string, source: string, env: NodeJS.ProcessEnv = process.env): Config {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: true });
  if (document.errors.length > 0) {
    throw new ConfigError(source, document.errors.map((error) => ({ path: '(yaml)', line: error.linePos?.[0]?.line, message: error.message.split('\n')[0] ?? error.message })));
  }
  const locate: Locate = (path) => {
    for (let depth = path.length; depth >= 0; depth -= 1) {
      const node = document.getIn(path.slice(0, depth) as unknown[], true);
      if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
    }
    return undefined;
  };
  const raw: unknown = document.toJS() ?? {};
  const problems: ConfigProblem[] = [];
  const expanded = expandEnv(raw, [], env, problems, locate);
  if (expanded && typeof expanded === 'object' && !Array.isArray(expanded) && !('policy' in expanded)) {
    (expanded as Record<string, unknown>).policy = defaultPolicy;
  }
  return validateConfig(expanded, source, locate, problems);
}

/** Reads and validates a config file. */
export function loadConfigFile(file: string, env: NodeJS.ProcessEnv = process.env): Config {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(file, [{ path: '(file)', message: `cannot read config file: ${(error as NodeJS.ErrnoException).code ?? String(error)}` }]);
  }
  return parseConfigText(text, file, env);
}

/** The configuration used when no file is given: environment providers and the default policy. */
export function defaultConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return validateConfig(configFromEnvironment(env), '(environment)', () => undefined, []);
}

function validateConfig(input: unknown, source: string, locate: Locate, problems: ConfigProblem[]): Config {
  const parsed = Config.safeParse(input);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      problems.push({ path: formatPath(issue.path) || '(root)', line: locate(issue.path), message: issue.message });
    }
    throw new ConfigError(source, problems);
  }
  problems.push(...crossCheck(parsed.data, locate));
  if (problems.length > 0) throw new ConfigError(source, problems);
  return parsed.data;
}

/** Checks the schema cannot express: references between sections and unique ids. */
function crossCheck(config: Config, locate: Locate): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const ids = new Set<string>();
  config.providers.forEach((provider, index) => {
    if (ids.has(provider.id)) problems.push({ path: `providers[${index}].id`, line: locate(['providers', index, 'id']), message: `duplicate provider id "${provider.id}"` });
    ids.add(provider.id);
    if (provider.type === 'azure-openai' && !provider.apiKey) problems.push({ path: `providers[${index}].apiKey`, line: locate(['providers', index]), message: 'azure-openai needs an apiKey' });
  });
  config.routes.forEach((route, index) => {
    route.providers.forEach((id, position) => {
      if (!ids.has(id)) problems.push({ path: `routes[${index}].providers[${position}]`, line: locate(['routes', index, 'providers', position]), message: `unknown provider "${id}"; expected one of: ${[...ids].join(', ') || '(none defined)'}` });
    });
  });
  if (config.policy.canary.enabled && !config.policy.scanners.some((instance) => instance.scanner === 'leak/canary' && instance.enabled)) {
    problems.push({ path: 'policy.canary.enabled', line: locate(['policy', 'canary', 'enabled']), message: 'a canary needs a policy.scanners entry with scanner leak/canary to detect leaks' });
  }
  return problems;
}

function expandEnv(value: unknown, path: (string | number)[], env: NodeJS.ProcessEnv, problems: ConfigProblem[], locate: Locate): unknown {
  if (typeof value === 'string') {
    return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_match, name: string) => {
      const found = env[name];
      if (found === undefined) problems.push({ path: formatPath(path), line: locate(path), message: `environment variable ${name} is not set` });
      return found ?? '';
    });
  }
  if (Array.isArray(value)) return value.map((item, index) => expandEnv(item, [...path, index], env, problems, locate));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, expandEnv(item, [...path, key], env, problems, locate)]));
  }
  return value;
}

/** Formats ['routes', 0, 'match'] as routes[0].match. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>((out, key) => (typeof key === 'number' ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)), '');
}
