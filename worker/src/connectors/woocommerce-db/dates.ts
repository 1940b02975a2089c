/** Date helpers for WooCommerce's storage formats. Pure; all results are ISO-8601 UTC strings. */

export interface ZonedParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** 0 = Sunday … 6 = Saturday. */
  weekday: number;
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const formatters = new Map<string, Intl.DateTimeFormat>();

const FIXED_OFFSET = /^([+-])(\d{2}):(\d{2})$/;

function fixedOffsetMinutes(timeZone: string): number | undefined {
  const match = FIXED_OFFSET.exec(timeZone);
  if (!match) return undefined;
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  return match[1] === '-' ? -minutes : minutes;
}

function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      weekday: 'short',
    });
    formatters.set(timeZone, format);
  }
  return format;
}

/** Wall-clock parts of `instant` in `timeZone` (an IANA name or a fixed `+HH:MM` offset). */
export function zonedParts(instant: Date, timeZone: string): ZonedParts {
  const fixed = fixedOffsetMinutes(timeZone);
  if (fixed !== undefined) {
    const shifted = new Date(instant.getTime() + fixed * 60_000);
    return {
      year: shifted.getUTCFullYear(),
      month: shifted.getUTCMonth() + 1,
      day: shifted.getUTCDate(),
      hour: shifted.getUTCHours(),
      minute: shifted.getUTCMinutes(),
      second: shifted.getUTCSeconds(),
      weekday: shifted.getUTCDay(),
    };
  }
  const parts: Record<string, string> = {};
  for (const part of formatter(timeZone).formatToParts(instant)) parts[part.type] = part.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
    weekday: WEEKDAYS.indexOf(parts.weekday ?? 'Sun'),
  };
}

/** The instant at which the wall clock in `timeZone` shows the given local time. */
export function zonedTimeToUtc(local: Omit<ZonedParts, 'weekday'>, timeZone: string): Date {
  const asUtc = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second);
  let guess = asUtc;
  // Two passes settle the offset, including across DST changes.
  for (let pass = 0; pass < 2; pass += 1) {
    const seen = zonedParts(new Date(guess), timeZone);
    const seenAsUtc = Date.UTC(seen.year, seen.month - 1, seen.day, seen.hour, seen.minute, seen.second);
    guess += asUtc - seenAsUtc;
  }
  return new Date(guess);
}

const SQL_DATETIME = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})/;

/** A MySQL DATETIME holding UTC (`*_gmt` columns) → ISO; zero dates and blanks → null. */
export function sqlUtcToIso(value: string | null | undefined): string | null {
  // Four dates per order in a sync: checked with test() and sliced, not taken apart into a match array.
  if (!value || !SQL_DATETIME.test(value) || value.startsWith('0000')) return null;
  return `${value.slice(0, 10)}T${value.slice(11, 19)}.000Z`;
}

/** A local `Y-m-d H:i:s` string of the store (legacy `_paid_date`) → ISO UTC. */
export function sqlLocalToIso(value: string | null | undefined, timeZone: string): string | null {
  if (!value) return null;
  const match = SQL_DATETIME.exec(value);
  if (!match || match[1] === '0000') return null;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [number, number, number, number, number, number];
  return zonedTimeToUtc({ year, month, day, hour, minute, second }, timeZone).toISOString();
}

/** Legacy `_date_paid` (Unix seconds, UTC) → ISO. */
export function unixToIso(value: string | null | undefined): string | null {
  if (!value || !/^\d+$/.test(value.trim())) return null;
  const seconds = Number(value.trim());
  return seconds > 0 ? new Date(seconds * 1000).toISOString() : null;
}

/** ISO UTC → MySQL DATETIME text for comparisons against `*_gmt` columns. */
export function isoToSqlUtc(iso: string): string {
  return iso.replace('T', ' ').replace(/(\.\d+)?Z$/, '');
}
