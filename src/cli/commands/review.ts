import type { Command } from 'commander';
import { resolveDataDir } from '../../main.ts';
import type { ItemText } from '../../review/item-text.ts';
import { openSealedContentSource } from '../../review/sealed-content.ts';
import { openReviewService, ReviewError, type ReviewService, type ReviewServiceOptions } from '../../review/service.ts';
import { reviewLabels, type ItemQuery, type ReviewItem } from '../../review/types.ts';
import { configFor } from '../load-config.ts';
import { exitCodes, type CliIo } from '../io.ts';

interface Context {
  io: CliIo;
  dataDir: () => string | undefined;
  done: (code: number) => void;
}

/** Registers `bulwark review list|show|label|allow|allow-list|export` (review.db in the data directory). */
export function registerReviewCommands(program: Command, context: Context): void {
  const { io } = context;
  const withService = async (action: (service: ReviewService) => number | Promise<number>, configFile?: string | null): Promise<void> => {
    const dataDir = resolveDataDir(context.dataDir(), io.env);
    // show and export open `full` content from the configured event store (read-only), and only ever show it masked.
    const options: ReviewServiceOptions = {};
    if (configFile !== null) {
      const config = configFor(configFile, io.env);
      options.content = () => openSealedContentSource({ config, dataDir, env: io.env });
    }
    const service = openReviewService(dataDir, options);
    try {
      context.done(await action(service));
    } catch (error) {
      if (!(error instanceof ReviewError)) throw error;
      io.stderr(`bulwark review: ${error.message}\n`);
      context.done(exitCodes.usage);
    } finally {
      service.close();
    }
  };
  const review = program.command('review').description('the review queue: flagged and sampled events, labels, allow-list entries, dataset export');

  review
    .command('list')
    .description('list queued events, newest first')
    .option('--label <label>', `unlabelled, ${reviewLabels.join(', ')}`)
    .option('--tenant <tenant>', 'only this tenant')
    .option('--limit <n>', 'most items (default 50)')
    .option('--json', 'print JSON lines')
    .action((options: { label?: string; tenant?: string; limit?: string; json?: boolean }) =>
      withService((service) => {
        const items = service.list(query(options));
        for (const item of items) io.stdout(options.json ? `${JSON.stringify(summary(item))}\n` : `${line(item)}\n`);
        if (!options.json) io.stderr(`${items.length} item(s)\n`);
        return exitCodes.ok;
      }, null),
    );

  review
    .command('show')
    .argument('<item>', 'item id (rv_...) or event id')
    .option('--json', 'print JSON')
    .option('-c, --config <file>', 'YAML config file naming the event store that holds full content (default: $BULWARK_CONFIG, else environment defaults)')
    .description('show one item: the event, its text (redacted form; full content opened and masked), findings, labels and allow entries')
    .action((id: string, options: { json?: boolean; config?: string }) =>
      withService(async (service) => {
        const shown = await service.show(id);
        if (options.json) io.stdout(`${JSON.stringify(shown)}\n`);
        else {
          io.stdout(`${line(shown.item)}\n`);
          shown.item.event.findings.forEach((finding, index) => io.stdout(`  finding ${index}: ${finding.instance} ${finding.ruleId} ${finding.origin} [${finding.span[0]},${finding.span[1]}) -> ${finding.action}${finding.allowListed ? ' (allow-listed)' : ''}${finding.clause ? ` (${finding.clause})` : ''}\n`));
          io.stdout(textLines(shown.text));
          for (const entry of shown.history) io.stdout(`  label ${entry.label} by ${entry.reviewer} at ${entry.time}: ${entry.comment}\n`);
          for (const entry of shown.allow) io.stdout(`  allow ${entry.id} ${entry.scope} ${entry.tenant ?? entry.policy} ${entry.instance} ${entry.ruleId}\n`);
        }
        return exitCodes.ok;
      }, options.config),
    );

  review
    .command('label')
    .argument('<item>', 'item id (rv_...) or event id')
    .argument('<label>', reviewLabels.join(' | '))
    .requiredOption('--reviewer <id>', 'who labels')
    .option('--comment <text>', 'why', '')
    .option('--json', 'print JSON')
    .description('label an item')
    .action((id: string, label: string, options: { reviewer: string; comment: string; json?: boolean }) =>
      withService((service) => {
        const item = service.label(id, label, options.reviewer, options.comment);
        io.stdout(options.json ? `${JSON.stringify(summary(item))}\n` : `${line(item)}\n`);
        return exitCodes.ok;
      }, null),
    );

  review
    .command('allow')
    .argument('<item>', 'item id (rv_...) or event id')
    .requiredOption('--scope <scope>', 'tenant (this item\'s tenant) or policy (this item\'s policy, every tenant)')
    .requiredOption('--reviewer <id>', 'who allows')
    .option('--finding <index>', 'only this finding (see `review show`; default: every finding that acted)')
    .option('--comment <text>', 'why')
    .option('--json', 'print JSON')
    .description('label the item false-positive and allow-list its matches (same rule, same matched text) for the tenant or policy')
    .action((id: string, options: { scope: string; reviewer: string; finding?: string; comment?: string; json?: boolean }) =>
      withService((service) => {
        if (options.scope !== 'tenant' && options.scope !== 'policy') throw new ReviewError(`--scope: expected tenant or policy, got ${JSON.stringify(options.scope)}`);
        if (options.finding !== undefined && !/^\d{1,4}$/.test(options.finding)) throw new ReviewError(`--finding: expected a finding index, got ${JSON.stringify(options.finding)}`);
        const entries = service.allow({ item: id, scope: options.scope, reviewer: options.reviewer, ...(options.comment !== undefined ? { comment: options.comment } : {}), ...(options.finding !== undefined ? { finding: Number(options.finding) } : {}) });
        for (const entry of entries) io.stdout(options.json ? `${JSON.stringify(entry)}\n` : `allow ${entry.id}: ${entry.scope} ${entry.tenant ?? entry.policy} ${entry.instance} ${entry.ruleId}\n`);
        return exitCodes.ok;
      }, null),
    );

  review
    .command('allow-list')
    .option('--remove <id>', 'remove this entry')
    .option('--json', 'print JSON lines')
    .description('list allow-list entries (or remove one)')
    .action((options: { remove?: string; json?: boolean }) =>
      withService((service) => {
        if (options.remove !== undefined) {
          if (!service.removeAllow(options.remove)) throw new ReviewError(`no allow entry ${JSON.stringify(options.remove)}`);
          io.stdout(`removed ${options.remove}\n`);
          return exitCodes.ok;
        }
        for (const entry of service.allowEntries()) io.stdout(options.json ? `${JSON.stringify(entry)}\n` : `${entry.id} ${entry.scope} ${entry.tenant ?? entry.policy} ${entry.instance} ${entry.ruleId} by ${entry.createdBy} at ${entry.createdAt}\n`);
        return exitCodes.ok;
      }, null),
    );

  review
    .command('export')
    .requiredOption('--out <file>', 'JSONL file to write')
    .option('--tenant <tenant>', 'only this tenant')
    .option('--from <iso>', 'items at or after this time')
    .option('--to <iso>', 'items before this time')
    .option('-c, --config <file>', 'YAML config file naming the event store that holds full content (default: $BULWARK_CONFIG, else environment defaults)')
    .description('write labelled items as classification JSONL {text, label, category, source} (text in the redacted form: matched spans are [REDACTED], full content opened and masked)')
    .action((options: { out: string; tenant?: string; from?: string; to?: string; config?: string }) =>
      withService(async (service) => {
        const result = await service.exportDataset(query(options), options.out);
        const { noContent, shredded, unreadable, needsPolicyChange, noFinding } = result.skipped;
        io.stdout(`wrote ${result.rows.length} row(s) to ${options.out} (${result.rows.filter((row) => row.label === 1).length} true positive); skipped ${needsPolicyChange} needs-policy-change, ${noContent} without stored content, ${shredded} shredded by retention, ${unreadable} unreadable full content, ${noFinding} without a finding\n`);
        return exitCodes.ok;
      }, options.config),
    );
}

function query(options: { label?: string; tenant?: string; limit?: string; from?: string; to?: string }): ItemQuery {
  const q: ItemQuery = {};
  if (options.label !== undefined) {
    if (options.label !== 'unlabelled' && !(reviewLabels as readonly string[]).includes(options.label)) throw new ReviewError(`--label: expected unlabelled or one of ${reviewLabels.join(', ')}, got ${JSON.stringify(options.label)}`);
    q.label = options.label as ItemQuery['label'];
  }
  if (options.tenant !== undefined) q.tenant = options.tenant;
  if (options.limit !== undefined) {
    if (!/^[1-9]\d{0,5}$/.test(options.limit)) throw new ReviewError(`--limit: expected a positive integer, got ${JSON.stringify(options.limit)}`);
    q.limit = Number(options.limit);
  } else if (options.from === undefined && options.to === undefined) q.limit = 50;
  for (const name of ['from', 'to'] as const) {
    const value = options[name];
    if (value === undefined) continue;
    if (Number.isNaN(Date.parse(value))) throw new ReviewError(`--${name}: expected an ISO time such as 2026-01-31T00:00:00Z, got ${JSON.stringify(value)}`);
    q[name] = value;
  }
  return q;
}

/** The item's text lines for `review show`: the redacted form, or why there is none. */
function textLines(text: ItemText): string {
  if (!text.available) return `  text: none (${text.reason}): ${text.detail}\n`;
  const from = text.from === 'opened' ? ' (full content, opened and masked)' : '';
  return `${text.request ? `  request${from}: ${text.request}\n` : ''}${text.response ? `  response${from}: ${text.response}\n` : ''}`;
}

function summary(item: ReviewItem): Omit<ReviewItem, 'event'> & { findings: number } {
  const { event, ...rest } = item;
  return { ...rest, findings: event.findings.length };
}

function line(item: ReviewItem): string {
  const rules = [...new Set(item.event.findings.map((finding) => finding.ruleId))].join(',');
  return `${item.id} ${item.time} ${item.tenant} ${item.decision} ${item.reason} ${item.label ?? 'unlabelled'} ${rules}`;
}
