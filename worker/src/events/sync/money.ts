/** Money as integer cents (2 decimals), so fees and sums never drift. Pure. */

/** `"12.345"` → 1235 (half away from zero); anything unparsable → 0. */
export function toCents(value: string | number): number {
  const text = String(value).trim();
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) return 0;
  const sign = match[1] === '-' ? -1 : 1;
  const whole = Number(match[2]);
  const fraction = (match[3] ?? '').padEnd(3, '0');
  const cents = whole * 100 + Number(fraction.slice(0, 2)) + (Number(fraction[2]) >= 5 ? 1 : 0);
  return sign * cents;
}

export const fromCents = (cents: number): string => {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
};

/** A percentage with up to 2 decimals → basis points (`"7.5"` → 750). */
export const toBasisPoints = (percentage: string | number): number => toCents(percentage);

/** `cents × bp / 10 000`, rounded half away from zero. */
export function percentOf(cents: number, basisPoints: number): number {
  const product = cents * basisPoints;
  const sign = product < 0 ? -1 : 1;
  return sign * Math.floor((Math.abs(product) + 5_000) / 10_000);
}

/** Splits `cents` into `parts` integer shares that add up exactly (earlier shares take the remainder). */
export function splitCents(cents: number, parts: number): number[] {
  if (parts <= 0) return [];
  const base = Math.trunc(cents / parts);
  const remainder = cents - base * parts;
  const shares = new Array<number>(parts);
  for (let index = 0; index < parts; index += 1) shares[index] = base + (index < Math.abs(remainder) ? Math.sign(remainder) : 0);
  return shares;
}
