/**
 * A strict parser of the Prometheus text exposition format 0.0.4, for tests: every line must
 * be a HELP, TYPE or sample line; label values may only use the \\ \" \n escapes; a family's
 * TYPE comes before its samples, which are contiguous; histograms need ascending `le` buckets
 * ending at +Inf, cumulative counts, and `_sum`/`_count` per series with `_count` equal to the
 * +Inf bucket. Throws an Error naming the line on the first violation.
 */

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface MetricFamily {
  name: string;
  type: 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';
  help: string | null;
  samples: Sample[];
}

const metricName = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const labelName = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

function parseValue(text: string, line: number): number {
  if (text === '+Inf') return Number.POSITIVE_INFINITY;
  if (text === '-Inf') return Number.NEGATIVE_INFINITY;
  if (text === 'NaN') return Number.NaN;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) throw new Error(`line ${line}: "${text}" is not a sample value`);
  return Number(text);
}

/** Parses `{a="x",b="y"}` starting at `start` (the `{`); returns the labels and the index after `}`. */
function parseLabels(text: string, start: number, line: number): { labels: Record<string, string>; end: number } {
  const labels: Record<string, string> = {};
  let i = start + 1;
  while (true) {
    if (text[i] === '}') return { labels, end: i + 1 };
    let j = i;
    while (j < text.length && /[a-zA-Z0-9_]/.test(text[j]!)) j++;
    const name = text.slice(i, j);
    if (!labelName.test(name)) throw new Error(`line ${line}: bad label name "${name}"`);
    if (name in labels) throw new Error(`line ${line}: label ${name} repeated`);
    if (text[j] !== '=' || text[j + 1] !== '"') throw new Error(`line ${line}: expected ="..." after label ${name}`);
    j += 2;
    let value = '';
    while (true) {
      const c = text[j];
      if (c === undefined) throw new Error(`line ${line}: unterminated label value`);
      if (c === '"') break;
      if (c === '\n') throw new Error(`line ${line}: raw line feed in a label value`);
      if (c === '\\') {
        const next = text[j + 1];
        if (next === '\\') value += '\\';
        else if (next === '"') value += '"';
        else if (next === 'n') value += '\n';
        else throw new Error(`line ${line}: bad escape \\${next ?? ''} in a label value`);
        j += 2;
        continue;
      }
      value += c;
      j++;
    }
    labels[name] = value;
    j++;
    if (text[j] === ',') {
      i = j + 1;
      continue;
    }
    if (text[j] === '}') return { labels, end: j + 1 };
    throw new Error(`line ${line}: expected , or } after a label value`);
  }
}

const suffixes = ['_bucket', '_sum', '_count'];

function familyOf(sampleName: string, families: Map<string, MetricFamily>): MetricFamily | undefined {
  const direct = families.get(sampleName);
  if (direct && direct.type !== 'histogram' && direct.type !== 'summary') return direct;
  for (const suffix of suffixes) {
    if (!sampleName.endsWith(suffix)) continue;
    const family = families.get(sampleName.slice(0, -suffix.length));
    if (family && (family.type === 'histogram' || (family.type === 'summary' && suffix !== '_bucket'))) return family;
  }
  return undefined;
}

export function parsePrometheusText(text: string): Map<string, MetricFamily> {
  if (text.length > 0 && !text.endsWith('\n')) throw new Error('exposition must end with a line feed');
  const families = new Map<string, MetricFamily>();
  const finished = new Set<string>();
  let current: string | null = null;
  const lines = text.split('\n');
  lines.pop();
  lines.forEach((raw, index) => {
    const line = index + 1;
    if (raw === '') throw new Error(`line ${line}: empty line`);
    if (raw.startsWith('#')) {
      const match = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(raw);
      if (!match) return; // other comments are allowed
      const [, kind, name, rest] = match as unknown as [string, string, string, string];
      if (!metricName.test(name)) throw new Error(`line ${line}: bad metric name "${name}"`);
      let family = families.get(name);
      if (finished.has(name)) throw new Error(`line ${line}: ${name} appears again after other families`);
      if (!family) {
        family = { name, type: 'untyped', help: null, samples: [] };
        families.set(name, family);
      }
      if (current !== null && current !== name) finished.add(current);
      current = name;
      if (kind === 'HELP') {
        if (family.help !== null) throw new Error(`line ${line}: second HELP for ${name}`);
        if (/\\[^\\n]/.test(rest.replace(/\\\\/g, ''))) throw new Error(`line ${line}: bad escape in HELP`);
        family.help = rest.replace(/\\n/g, '\n').replace(/\\\\/g, '\\');
      } else {
        if (family.samples.length > 0) throw new Error(`line ${line}: TYPE of ${name} after its samples`);
        if (!['counter', 'gauge', 'histogram', 'summary', 'untyped'].includes(rest)) throw new Error(`line ${line}: unknown type "${rest}"`);
        family.type = rest as MetricFamily['type'];
      }
      return;
    }
    const nameMatch = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(raw);
    if (!nameMatch) throw new Error(`line ${line}: not a sample line: ${raw}`);
    const name = nameMatch[0];
    let rest = nameMatch[0].length;
    let labels: Record<string, string> = {};
    if (raw[rest] === '{') ({ labels, end: rest } = parseLabels(raw, rest, line));
    if (raw[rest] !== ' ') throw new Error(`line ${line}: expected a space before the value`);
    const parts = raw.slice(rest + 1).split(' ');
    if (parts.length > 2 || parts[0] === '') throw new Error(`line ${line}: expected "value [timestamp]"`);
    if (parts[1] !== undefined && !/^-?\d+$/.test(parts[1])) throw new Error(`line ${line}: bad timestamp`);
    const value = parseValue(parts[0]!, line);
    const family = familyOf(name, families);
    if (!family) throw new Error(`line ${line}: sample ${name} has no TYPE line before it`);
    if (family.name !== current) throw new Error(`line ${line}: samples of ${family.name} are not contiguous`);
    if (family.type === 'counter' && !(value >= 0)) throw new Error(`line ${line}: counter ${name} is ${value}`);
    family.samples.push({ name, labels, value });
  });
  for (const family of families.values()) if (family.type === 'histogram') checkHistogram(family);
  return families;
}

function seriesKey(labels: Record<string, string>): string {
  return JSON.stringify(Object.entries(labels).filter(([name]) => name !== 'le').sort(([a], [b]) => (a < b ? -1 : 1)));
}

function checkHistogram(family: MetricFamily): void {
  const series = new Map<string, { buckets: { le: number; value: number }[]; sum?: number; count?: number }>();
  const get = (key: string) => {
    let entry = series.get(key);
    if (!entry) series.set(key, (entry = { buckets: [] }));
    return entry;
  };
  for (const sample of family.samples) {
    const entry = get(seriesKey(sample.labels));
    if (sample.name === `${family.name}_bucket`) {
      if (sample.labels.le === undefined) throw new Error(`${family.name}: a bucket without le`);
      entry.buckets.push({ le: parseValue(sample.labels.le, 0), value: sample.value });
    } else if (sample.name === `${family.name}_sum`) {
      if (entry.sum !== undefined) throw new Error(`${family.name}: two _sum samples for ${seriesKey(sample.labels)}`);
      entry.sum = sample.value;
    } else if (sample.name === `${family.name}_count`) {
      if (entry.count !== undefined) throw new Error(`${family.name}: two _count samples for ${seriesKey(sample.labels)}`);
      entry.count = sample.value;
    } else throw new Error(`${family.name}: unexpected sample ${sample.name}`);
  }
  for (const [key, entry] of series) {
    const where = `${family.name}${key}`;
    if (entry.buckets.length === 0) throw new Error(`${where}: no buckets`);
    for (let i = 1; i < entry.buckets.length; i++) {
      if (!(entry.buckets[i]!.le > entry.buckets[i - 1]!.le)) throw new Error(`${where}: le not ascending`);
      if (entry.buckets[i]!.value < entry.buckets[i - 1]!.value) throw new Error(`${where}: bucket counts not cumulative`);
    }
    const last = entry.buckets.at(-1)!;
    if (last.le !== Number.POSITIVE_INFINITY) throw new Error(`${where}: no +Inf bucket`);
    if (entry.count === undefined || entry.sum === undefined) throw new Error(`${where}: _sum or _count missing`);
    if (entry.count !== last.value) throw new Error(`${where}: _count ${entry.count} differs from the +Inf bucket ${last.value}`);
  }
}
