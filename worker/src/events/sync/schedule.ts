import { zonedParts, zonedTimeToUtc } from '../../connectors/woocommerce-db/dates';
import type { SyncFrequency } from '../schema';

/** Daily, weekly and monthly runs happen at 02:00 store time. */
export const RUN_HOUR = 2;

/**
 * The most recent slot at or before `now` for a frequency, in the store's time zone: hourly →
 * the hour; daily → 02:00; weekly → Monday 02:00; monthly → day 1, 02:00. Manual → null.
 */
export function latestSlot(frequency: SyncFrequency, now: Date, timeZone: string): Date | null {
  if (frequency === 'manual') return null;
  const local = zonedParts(now, timeZone);
  if (frequency === 'hourly') return zonedTimeToUtc({ ...local, minute: 0, second: 0 }, timeZone);
  const at = (year: number, month: number, day: number) => zonedTimeToUtc({ year, month, day, hour: RUN_HOUR, minute: 0, second: 0 }, timeZone);
  const shiftDays = (days: number) => {
    const date = new Date(Date.UTC(local.year, local.month - 1, local.day - days));
    return at(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate());
  };
  if (frequency === 'daily') {
    const today = at(local.year, local.month, local.day);
    return today.getTime() <= now.getTime() ? today : shiftDays(1);
  }
  if (frequency === 'weekly') {
    const sinceMonday = (local.weekday + 6) % 7;
    const thisWeek = shiftDays(sinceMonday);
    return thisWeek.getTime() <= now.getTime() ? thisWeek : shiftDays(sinceMonday + 7);
  }
  const thisMonth = at(local.year, local.month, 1);
  if (thisMonth.getTime() <= now.getTime()) return thisMonth;
  return local.month === 1 ? at(local.year - 1, 12, 1) : at(local.year, local.month - 1, 1);
}

/**
 * The slot a configuration is due for, or null. A slot counts once (after the last one run) and
 * never before the configuration existed, so a new daily configuration waits for the next 02:00.
 */
export function dueSlot(frequency: SyncFrequency, now: Date, timeZone: string, lastSlot: Date | null, createdAt: Date): Date | null {
  const slot = latestSlot(frequency, now, timeZone);
  if (!slot) return null;
  if (slot.getTime() < createdAt.getTime()) return null;
  if (lastSlot && slot.getTime() <= lastSlot.getTime()) return null;
  return slot;
}
