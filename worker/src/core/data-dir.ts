import { chmodSync, mkdirSync, statSync, type Stats } from 'node:fs';

/** The data directory or a secret in it cannot be made private to the worker's user. */
export class DataDirError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DataDirError';
  }
}

const DIR_MODE = 0o700;
const FILE_MODE = 0o600;

/**
 * The data directory holds the generated encryption key and admin token. A directory that was
 * already there (created by hand, by an installer, under a loose umask) keeps whatever mode it
 * had, so on every start it is checked: it must belong to the worker's user and is narrowed to
 * 0700. Returns the paths whose mode was narrowed; throws DataDirError when it cannot be done.
 */
export function securePrivateDir(dir: string): string[] {
  mkdirSync(dir, { recursive: true, mode: DIR_MODE });
  const stats = statOrFail(dir);
  if (!stats.isDirectory()) throw new DataDirError(`${dir} is not a directory; point SYNCHUB_DATA_DIR at a directory the worker owns.`);
  return narrow(dir, stats, DIR_MODE, 'directory');
}

/** The same for one secret file in it: owned by the worker's user, mode 0600. */
export function securePrivateFile(file: string): string[] {
  const stats = statOrFail(file);
  if (!stats.isFile()) throw new DataDirError(`${file} is not a regular file; remove it or set the secret in the environment.`);
  return narrow(file, stats, FILE_MODE, 'file');
}

function statOrFail(target: string): Stats {
  try {
    return statSync(target);
  } catch (error) {
    throw new DataDirError(`${target} cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)}); check SYNCHUB_DATA_DIR.`);
  }
}

function narrow(target: string, stats: Stats, mode: number, kind: string): string[] {
  // Windows has no POSIX owners or modes to check.
  if (process.platform === 'win32') return [];
  const uid = process.getuid?.();
  if (uid !== undefined && stats.uid !== uid) {
    // Whoever owns it can read or replace the key, whatever its mode.
    throw new DataDirError(
      `${target} belongs to uid ${stats.uid} but the worker runs as uid ${uid}; chown it to the worker's user or point SYNCHUB_DATA_DIR elsewhere.`,
    );
  }
  // Stricter than asked (0400 for a key) is fine: only group and other bits are taken away.
  if ((stats.mode & 0o077) === 0) return [];
  try {
    chmodSync(target, mode);
  } catch (error) {
    throw new DataDirError(
      `${target} has mode ${octal(stats.mode)} and could not be set to ${octal(mode)} (${(error as NodeJS.ErrnoException).code ?? String(error)}); run chmod ${octal(mode)} ${target} and start again.`,
    );
  }
  return [`${target} (${kind}, was ${octal(stats.mode)}, now ${octal(mode)})`];
}

const octal = (mode: number): string => `0${(mode & 0o777).toString(8).padStart(3, '0')}`;
