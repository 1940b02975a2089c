import { isSerialized, unserialize } from 'php-serialize';

/**
 * WordPress's `maybe_unserialize`: values that look like PHP `serialize()` output are parsed,
 * anything else is returned as is. Objects of unknown classes are read as plain arrays; a value
 * that fails to parse is kept as its raw string, as WordPress does.
 */
export function maybeUnserialize(value: string | null): unknown {
  if (value === null) return null;
  const trimmed = value.trim();
  if (!isSerialized(trimmed)) return value;
  try {
    return unserialize(trimmed, {}, { strict: false, encoding: 'utf8' }) as unknown;
  } catch {
    return value;
  }
}
