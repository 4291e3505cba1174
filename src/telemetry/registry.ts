/**
 * A small metrics registry rendered as Prometheus text exposition 0.0.4. Series are children
 * resolved once per label-value tuple through nested maps (no key strings built per
 * observation); each label keeps at most `maxValues` distinct values, later ones fold into
 * `other`, so a label fed by input can never grow the registry without bound.
 */

/** A label of a metric family and how many distinct values it may take. */
export interface LabelSpec {
  name: string;
  /** Distinct values kept before new ones become `other` (default 64). */
  maxValues?: number;
}

const OTHER = 'other';
const labelNamePattern = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const metricNamePattern = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

/** Escapes a label value: backslash, double quote and line feed (exposition format 0.0.4). */
export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** Escapes HELP text: backslash and line feed. */
function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

/** Renders a sample value the way Prometheus parses it. */
export function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(value);
}

interface Node<C> {
  children: Map<string, Node<C>>;
  child: C | null;
}

/** One metric family: its name, help, labels and series. */
abstract class Family<C> {
  readonly #labels: readonly LabelSpec[];
  readonly #root: Node<C> = { children: new Map(), child: null };
  /** Every series in creation order, with its rendered label block (built once). */
  protected readonly series: { labels: string; child: C }[] = [];

  constructor(
    readonly name: string,
    readonly help: string,
    labels: readonly LabelSpec[],
  ) {
    if (!metricNamePattern.test(name)) throw new Error(`metric name "${name}" is not a valid Prometheus name`);
    for (const label of labels) if (!labelNamePattern.test(label.name) || label.name === 'le') throw new Error(`label "${label.name}" of ${name} is not a valid label name`);
    this.#labels = labels;
  }

  protected abstract create(): C;

  /** The series for these label values (in label order), created on first use. */
  labels(...values: string[]): C {
    let node = this.#root;
    for (let index = 0; index < this.#labels.length; index++) {
      const value = values[index] ?? '';
      let next = node.children.get(value);
      if (next === undefined) {
        const cap = this.#labels[index]!.maxValues ?? 64;
        // A new value past the cap folds into `other` (which itself never counts against the cap).
        const key = node.children.size >= cap && value !== OTHER ? OTHER : value;
        next = node.children.get(key);
        if (next === undefined) {
          next = { children: new Map(), child: null };
          node.children.set(key, next);
        }
      }
      node = next;
    }
    if (node.child === null) {
      node.child = this.create();
      this.series.push({ labels: this.#render(values), child: node.child });
    }
    return node.child;
  }

  #render(values: readonly string[]): string {
    // Re-walk to learn which values were folded into `other`.
    let node = this.#root;
    const parts: string[] = [];
    for (let index = 0; index < this.#labels.length; index++) {
      const value = values[index] ?? '';
      const key = node.children.has(value) ? value : OTHER;
      node = node.children.get(key)!;
      parts.push(`${this.#labels[index]!.name}="${escapeLabelValue(key)}"`);
    }
    return parts.join(',');
  }

  protected header(type: string): string {
    return `# HELP ${this.name} ${escapeHelp(this.help)}\n# TYPE ${this.name} ${type}\n`;
  }

  abstract render(): string;
}

/** A monotonically increasing count. */
export class CounterChild {
  value = 0;
  inc(amount = 1): void {
    if (amount > 0) this.value += amount;
  }
}

export class Counter extends Family<CounterChild> {
  protected create(): CounterChild {
    return new CounterChild();
  }
  render(): string {
    let out = this.header('counter');
    for (const { labels, child } of this.series) out += `${this.name}${labels ? `{${labels}}` : ''} ${formatValue(child.value)}\n`;
    return out;
  }
}

/** A value that goes up and down; set directly or read at scrape time. */
export class GaugeChild {
  value = 0;
  set(value: number): void {
    this.value = value;
  }
}

export class Gauge extends Family<GaugeChild> {
  protected create(): GaugeChild {
    return new GaugeChild();
  }
  render(): string {
    let out = this.header('gauge');
    for (const { labels, child } of this.series) out += `${this.name}${labels ? `{${labels}}` : ''} ${formatValue(child.value)}\n`;
    return out;
  }
}

/** Counts of observations per bucket (non-cumulative in memory, cumulative when rendered). */
export class HistogramChild {
  readonly counts: Float64Array;
  sum = 0;
  count = 0;
  constructor(readonly bounds: readonly number[]) {
    this.counts = new Float64Array(bounds.length + 1);
  }
  observe(value: number): void {
    const bounds = this.bounds;
    let index = 0;
    while (index < bounds.length && value > bounds[index]!) index++;
    this.counts[index]! += 1;
    this.sum += value;
    this.count += 1;
  }
}

export class Histogram extends Family<HistogramChild> {
  readonly #bounds: readonly number[];
  readonly #le: readonly string[];

  constructor(name: string, help: string, labels: readonly LabelSpec[], buckets: readonly number[]) {
    super(name, help, labels);
    for (let index = 1; index < buckets.length; index++) if (!(buckets[index]! > buckets[index - 1]!)) throw new Error(`buckets of ${name} must increase`);
    this.#bounds = buckets;
    this.#le = [...buckets.map(formatValue), '+Inf'];
  }
  protected create(): HistogramChild {
    return new HistogramChild(this.#bounds);
  }
  render(): string {
    let out = this.header('histogram');
    for (const { labels, child } of this.series) {
      const prefix = labels ? `${labels},` : '';
      let cumulative = 0;
      for (let index = 0; index < this.#le.length; index++) {
        cumulative += child.counts[index]!;
        out += `${this.name}_bucket{${prefix}le="${this.#le[index]}"} ${cumulative}\n`;
      }
      out += `${this.name}_sum${labels ? `{${labels}}` : ''} ${formatValue(child.sum)}\n`;
      out += `${this.name}_count${labels ? `{${labels}}` : ''} ${child.count}\n`;
    }
    return out;
  }
}

/** The families of one gateway, rendered in registration order; `collect` hooks refresh gauges before each scrape. */
export class Registry {
  readonly #families: { name: string; render(): string }[] = [];
  readonly #collectors: (() => void)[] = [];

  counter(name: string, help: string, labels: readonly LabelSpec[] = []): Counter {
    return this.#add(new Counter(name, help, labels));
  }
  gauge(name: string, help: string, labels: readonly LabelSpec[] = []): Gauge {
    return this.#add(new Gauge(name, help, labels));
  }
  histogram(name: string, help: string, labels: readonly LabelSpec[], buckets: readonly number[]): Histogram {
    return this.#add(new Histogram(name, help, labels, buckets));
  }
  /** Runs before every render (gauges read from elsewhere: queue depth, heap). */
  onCollect(collect: () => void): void {
    this.#collectors.push(collect);
  }

  /** The exposition text (content type `text/plain; version=0.0.4`). */
  render(): string {
    for (const collect of this.#collectors) collect();
    let out = '';
    for (const family of this.#families) out += family.render();
    return out;
  }

  #add<F extends { name: string; render(): string }>(family: F): F {
    if (this.#families.some((existing) => existing.name === family.name)) throw new Error(`metric ${family.name} registered twice`);
    this.#families.push(family);
    return family;
  }
}
