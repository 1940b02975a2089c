import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { generateKeyHex, loadOrCreateSecretFile } from '../../../worker/src/core/crypto';
import { DataDirError } from '../../../worker/src/core/data-dir';

const ROOT = path.resolve(__dirname, '../../..');
const KEY = 'a'.repeat(64);
const mode = (target: string): number => statSync(target).mode & 0o777;
const isRoot = process.getuid?.() === 0;
const NOBODY = 65534;

/** A data directory made the way an installer or a loose umask leaves it: 0755, key 0644. */
function looseDataDir(withKey = true): { dir: string; key: string } {
  const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'synchub-data-')), 'data');
  mkdirSync(dir);
  chmodSync(dir, 0o755);
  const key = path.join(dir, 'secret.key');
  if (withKey) {
    writeFileSync(key, `${KEY}\n`);
    chmodSync(key, 0o644);
  }
  return { dir, key };
}

describe('data directory permissions', () => {
  it('narrows a pre-existing 0755 directory to 0700 and a 0644 key to 0600, keeping the key', () => {
    const { dir, key } = looseDataDir();
    const result = loadOrCreateSecretFile(key, undefined, generateKeyHex);
    expect(result.value).toBe(KEY);
    expect(mode(dir)).toBe(0o700);
    expect(mode(key)).toBe(0o600);
    expect(result.tightened).toEqual([`${dir} (directory, was 0755, now 0700)`, `${key} (file, was 0644, now 0600)`]);
    // Second start: nothing left to narrow.
    expect(loadOrCreateSecretFile(key, undefined, generateKeyHex).tightened).toEqual([]);
  });

  it('narrows a pre-existing 0755 directory before generating a new secret in it', () => {
    const { dir } = looseDataDir(false);
    const token = path.join(dir, 'admin-token');
    loadOrCreateSecretFile(token, undefined, () => 'shat_generated');
    expect(mode(dir)).toBe(0o700);
    expect(mode(token)).toBe(0o600);
    expect(readFileSync(token, 'utf8').trim()).toBe('shat_generated');
  });

  it('leaves a stricter key (0400) as it is', () => {
    const { dir, key } = looseDataDir();
    chmodSync(dir, 0o700);
    chmodSync(key, 0o400);
    expect(loadOrCreateSecretFile(key, undefined, generateKeyHex).tightened).toEqual([]);
    expect(mode(key)).toBe(0o400);
  });

  it('touches nothing when the secret comes from the environment', () => {
    const { dir, key } = looseDataDir();
    loadOrCreateSecretFile(key, 'configured', generateKeyHex);
    expect(mode(dir)).toBe(0o755);
    expect(mode(key)).toBe(0o644);
  });

  it('refuses a data directory path that is a file', () => {
    const { dir } = looseDataDir();
    const file = path.join(dir, 'secret.key');
    expect(() => loadOrCreateSecretFile(path.join(file, 'admin-token'), undefined, generateKeyHex)).toThrow(/EEXIST|ENOTDIR|not a directory/);
  });

  it.skipIf(!isRoot)('refuses a directory owned by another user (it could swap the key), changing nothing', () => {
    const { dir, key } = looseDataDir();
    chownSync(dir, NOBODY, NOBODY);
    expect(() => loadOrCreateSecretFile(key, undefined, generateKeyHex)).toThrow(DataDirError);
    expect(() => loadOrCreateSecretFile(key, undefined, generateKeyHex)).toThrow(`${dir} belongs to uid ${NOBODY} but the worker runs as uid 0`);
    expect(mode(dir)).toBe(0o755);
    expect(mode(key)).toBe(0o644);
  });

  it.skipIf(!isRoot)('refuses a key file owned by another user', () => {
    const { key } = looseDataDir();
    chownSync(key, NOBODY, NOBODY);
    expect(() => loadOrCreateSecretFile(key, undefined, generateKeyHex)).toThrow(/belongs to uid 65534/);
    expect(mode(key)).toBe(0o644);
  });

  it.skipIf(!isRoot)('the worker refuses to start with a clear message when the directory is not its own', () => {
    const { dir } = looseDataDir();
    chownSync(dir, NOBODY, NOBODY);
    const env: NodeJS.ProcessEnv = { ...process.env, SYNCHUB_DATA_DIR: dir, LOG_LEVEL: 'silent', PORT: '0' };
    delete env.SYNCHUB_SECRET_KEY;
    delete env.SYNCHUB_ADMIN_TOKEN;
    const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'worker/src/main.ts')], {
      cwd: ROOT,
      env,
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`sync-hub worker failed to start: ${dir} belongs to uid ${NOBODY}`);
    expect(existsSync(path.join(dir, 'admin-token'))).toBe(false);
  });
});
