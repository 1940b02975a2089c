/** Money as integer cents (2 decimals), so fees and sums never drift. Pure. */

/** `"12.345"` → 1235 (half away from zero); anything unparsable → 0. */
export function toCents(value: string | number): number {
  const text = String(value).trim();
  if (!DECIMAL.test(text)) return 0;
  // Read digit by digit (several amounts per ticket in a sync): no match array, no substrings.
  const negative = text.charCodeAt(0) === MINUS;
  const point = text.indexOf('.');
  let whole = 0;
  for (let index = negative ? 1 : 0; index < (point === -1 ? text.length : point); index += 1) whole = whole * 10 + digitAt(text, index);
  const cents = whole * 100 + (point === -1 ? 0 : digitAt(text, point + 1) * 10 + digitAt(text, point + 2) + (digitAt(text, point + 3) >= 5 ? 1 : 0));
  return negative ? -cents : cents;
}

const DECIMAL = /^-?\d+(?:\.\d+)?$/;
const MINUS = 45;
const ZERO = 48;
/** The digit at `index` of a decimal string, 0 past its end. */
const digitAt = (text: string, index: number): number => (index < text.length ? text.charCodeAt(index) - ZERO : 0);

export const fromCents = (cents: number): string => {
  const abs = Math.abs(cents);
  const fraction = abs % 100;
  return `${cents < 0 ? '-' : ''}${Math.floor(abs / 100)}${fraction < 10 ? '.0' : '.'}${fraction}`;
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
