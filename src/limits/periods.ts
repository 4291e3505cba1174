/** Budget periods on UTC calendar boundaries: the same instant maps to the same period id in every process. */

export type BudgetPeriod = 'day' | 'week' | 'month' | 'total';
export const BUDGET_PERIODS: readonly BudgetPeriod[] = ['day', 'week', 'month', 'total'];

export interface PeriodWindow {
  /** Stable id used in counter keys: `2030-01-31`, `2030-01-27` (the ISO week's Monday), `2030-01`, `total`. */
  id: string;
  /** Epoch ms of the period's start (0 for total). */
  start: number;
  /** Epoch ms of the next period's start; null for total (never ends). */
  end: number | null;
}

const day = 86_400_000;
const pad = (value: number): string => String(value).padStart(2, '0');
const dateId = (ms: number): string => {
  const date = new Date(ms);
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
};

/** The period containing `now`: days start at 00:00 UTC, weeks on Monday 00:00 UTC, months on the 1st 00:00 UTC. */
export function periodWindow(period: BudgetPeriod, now: number): PeriodWindow {
  const date = new Date(now);
  const midnight = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
  switch (period) {
    case 'day':
      return { id: dateId(midnight), start: midnight, end: midnight + day };
    case 'week': {
      // getUTCDay: 0 = Sunday; ISO weeks start on Monday.
      const monday = midnight - ((date.getUTCDay() + 6) % 7) * day;
      return { id: dateId(monday), start: monday, end: monday + 7 * day };
    }
    case 'month': {
      const start = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
      return { id: `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}`, start, end: Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1) };
    }
    case 'total':
      return { id: 'total', start: 0, end: null };
  }
}
