import type { ActivityWindow } from './rules';

/** One line of a chart: a count per bucket of the window. */
export interface ActivitySeries {
  /** Stable key the admin page names and colours, e.g. `stock.webhook`. */
  key: string;
  /** The chart it belongs to, e.g. `stock_changes`. */
  chart: string;
  values: number[];
}

export type ActivitySource = (window: ActivityWindow) => Promise<ActivitySeries[]>;
