import type { Command } from 'commander';
import type { CliIo } from '../io.ts';
import { budgetsRemoveCommand, budgetsSetCommand, budgetsShowCommand, type BudgetsSetOptions, type BudgetTargetOptions } from './budgets.ts';

/** Registers `budgets set|show|remove` on the program (`keys unsuspend` is registered with the other key commands). */
export function registerBudgetCommands(program: Command, context: { io: CliIo; base: <T extends object>(options: T) => T & { dataDir?: string }; done: (code: number) => void }): void {
  const { io, base, done } = context;
  const budgets = program.command('budgets').description('spending budgets per tenant, project or key (priced by the config\'s `pricing`)');
  budgets
    .command('set')
    .description('create or replace the budget of one tenant, project or key for one period')
    .requiredOption('--tenant <tenant>', 'tenant id or name')
    .option('--project <project>', 'project id or name (budget of the project)')
    .option('--key <id>', 'key id (budget of the key)')
    .requiredOption('--amount <n>', 'hard limit in currency units, e.g. 50')
    .option('--period <period>', 'day, week, month or total (UTC calendar periods; default month)')
    .option('--soft <fraction>', 'alert once per period at this fraction, e.g. 0.8 ("none": no alert)')
    .option('--currency <code>', 'currency of the amount (default USD; must match the pricing entries)')
    .option('--json', 'print JSON')
    .action((options: BudgetsSetOptions) => done(budgetsSetCommand(base(options), io)));
  budgets
    .command('show')
    .description('print budgets with the current period\'s spend (spend needs limits.store: redis)')
    .requiredOption('--tenant <tenant>', 'tenant id or name (all its budgets unless --project or --key)')
    .option('--project <project>', 'only this project\'s budgets')
    .option('--key <id>', 'only this key\'s budgets')
    .option('-c, --config <file>', 'YAML config file (where the limit store is)')
    .option('--json', 'print JSON')
    .action(async (options: BudgetTargetOptions & { config?: string }) => done(await budgetsShowCommand(base(options), io)));
  budgets
    .command('remove')
    .description('remove the budget of one tenant, project or key for one period')
    .requiredOption('--tenant <tenant>', 'tenant id or name')
    .option('--project <project>', 'project id or name')
    .option('--key <id>', 'key id')
    .option('--period <period>', 'day, week, month or total (default month)')
    .option('--json', 'print JSON')
    .action((options: BudgetTargetOptions & { period?: string }) => done(budgetsRemoveCommand(base(options), io)));
}
