import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { freePort } from './listen';

/** The system user the tests log in as: no home, no shell, only usable through this sshd. */
export const SSH_TEST_USER = 'synchub-sshtest';
const SSHD = '/usr/sbin/sshd';

export interface TestSshd {
  host: '127.0.0.1';
  port: number;
  username: string;
  /** A fresh random password for this run. */
  password: string;
  /** OpenSSH private key accepted for the user, and the one protected by `passphrase`. */
  privateKey: string;
  encryptedKey: string;
  passphrase: string;
  /** The server's host key fingerprint, `SHA256:…`. */
  hostKey: string;
  /** The fingerprint of another key, for "wrong host key" cases. */
  otherHostKey: string;
  stop(): Promise<void>;
}

/** Why a real sshd cannot run here (not root, openssh-server missing), or null. */
export function sshdUnavailable(): string | null {
  if (process.getuid?.() !== 0) return 'the SSH tests start sshd with a dedicated system user and need root';
  if (!existsSync(SSHD)) return `${SSHD} is missing (Debian package openssh-server; scripts/test.sh installs it)`;
  return null;
}

const keygen = (file: string, passphrase = ''): void => {
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', passphrase, '-C', 'synchub-test', '-f', file]);
};
const fingerprint = (publicKeyFile: string): string => {
  const match = /SHA256:[A-Za-z0-9+/]+/.exec(execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', publicKeyFile]).toString());
  if (!match) throw new Error(`no fingerprint for ${publicKeyFile}`);
  return match[0];
};

/** The dedicated user exists (created once, no login shell, no home) and gets this run's password. */
function prepareUser(password: string): void {
  try {
    execFileSync('id', [SSH_TEST_USER], { stdio: 'ignore' });
  } catch {
    execFileSync('useradd', ['--system', '--no-create-home', '--home-dir', '/nonexistent', '--shell', '/usr/sbin/nologin', SSH_TEST_USER]);
  }
  execFileSync('chpasswd', { input: `${SSH_TEST_USER}:${password}\n` });
}

/**
 * A real OpenSSH server on a free 127.0.0.1 port with keys generated for this run: only the test
 * user may log in, only from loopback, and only to open tunnels to `forwardTo`.
 */
export async function startSshd(forwardTo: { host: string; port: number }): Promise<TestSshd> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'synchub-sshd-'));
  chmodSync(dir, 0o755);
  const hostKeyFile = path.join(dir, 'host_ed25519');
  const otherKeyFile = path.join(dir, 'other_ed25519');
  const userKeyFile = path.join(dir, 'user_ed25519');
  const encryptedKeyFile = path.join(dir, 'user_encrypted_ed25519');
  const passphrase = randomBytes(12).toString('hex');
  keygen(hostKeyFile);
  keygen(otherKeyFile);
  keygen(userKeyFile);
  keygen(encryptedKeyFile, passphrase);
  const authorized = path.join(dir, 'authorized_keys');
  writeFileSync(authorized, `${readFileSync(`${userKeyFile}.pub`, 'utf8')}${readFileSync(`${encryptedKeyFile}.pub`, 'utf8')}`, { mode: 0o644 });
  const password = randomBytes(18).toString('base64url');
  prepareUser(password);
  // sshd's privilege separation directory (absent when the package never started the system service).
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });

  const port = await freePort();
  const config = path.join(dir, 'sshd_config');
  writeFileSync(
    config,
    [
      `ListenAddress 127.0.0.1:${port}`,
      `HostKey ${hostKeyFile}`,
      `PidFile ${path.join(dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${authorized}`,
      `AllowUsers ${SSH_TEST_USER}@127.0.0.1`,
      'PermitRootLogin no',
      'PasswordAuthentication yes',
      'KbdInteractiveAuthentication no',
      'PubkeyAuthentication yes',
      'UsePAM no',
      'StrictModes no',
      'AllowTcpForwarding local',
      `PermitOpen ${forwardTo.host}:${forwardTo.port}`,
      'AllowAgentForwarding no',
      'X11Forwarding no',
      'PermitTTY no',
      'ForceCommand /bin/false',
      'LogLevel ERROR',
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn(SSHD, ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const { createConnection } = await import('node:net');
  for (let tries = 0; ; tries += 1) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ host: '127.0.0.1', port }, () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (open) break;
    if (child.exitCode !== null || tries > 100) {
      child.kill('SIGKILL');
      throw new Error(`sshd did not start: ${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    host: '127.0.0.1',
    port,
    username: SSH_TEST_USER,
    password,
    privateKey: readFileSync(userKeyFile, 'utf8'),
    encryptedKey: readFileSync(encryptedKeyFile, 'utf8'),
    passphrase,
    hostKey: fingerprint(`${hostKeyFile}.pub`),
    otherHostKey: fingerprint(`${otherKeyFile}.pub`),
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      // A fresh password next run; the one of this run stops working now.
      prepareUser(randomBytes(18).toString('base64url'));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
