import { createHash } from 'node:crypto';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';

// ssh2 is loaded when a tunnel opens: a store reached directly never holds it in memory.
import type { Client, ConnectConfig } from 'ssh2';

import type { WooDbSshConfig } from './config';
import { WooDbSshError } from './errors';

/** OpenSSH's fingerprint of a host key (`ssh-keygen -lf`): `SHA256:` + unpadded base64. */
export const hostKeyFingerprint = (key: Buffer): string => `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;

const sameFingerprint = (a: string, b: string): boolean => a.trim().replace(/=+$/, '') === b.trim().replace(/=+$/, '');

/**
 * A local TCP port on 127.0.0.1 that leads, through one SSH session, to the store's MySQL server
 * as the SSH server sees it. The host key is pinned when `hostKey` is set; every other key is refused.
 */
export class SshTunnel {
  private constructor(
    private readonly client: Client,
    private readonly server: Server,
    private readonly sockets: Set<Socket>,
    readonly port: number,
    readonly hostKey: string,
  ) {}

  static async open(ssh: WooDbSshConfig, target: { host: string; port: number }): Promise<SshTunnel> {
    const { Client: SshClient } = await import('ssh2');
    const client = new SshClient();
    let seenKey = '';
    let keyRefused = false;
    const options: ConnectConfig = {
      host: ssh.host,
      port: ssh.port,
      username: ssh.username,
      readyTimeout: ssh.readyTimeoutMs,
      keepaliveInterval: 15_000,
      hostVerifier: (key: Buffer) => {
        seenKey = hostKeyFingerprint(key);
        keyRefused = ssh.hostKey !== undefined && !sameFingerprint(ssh.hostKey, seenKey);
        return !keyRefused;
      },
      ...(ssh.password !== undefined ? { password: ssh.password } : {}),
      ...(ssh.privateKey !== undefined ? { privateKey: ssh.privateKey } : {}),
      ...(ssh.passphrase !== undefined ? { passphrase: ssh.passphrase } : {}),
    };
    await new Promise<void>((resolve, reject) => {
      const fail = (error: Error & { level?: string }) => {
        client.removeListener('ready', ready);
        client.end();
        reject(WooDbSshError.from(error, { keyRefused, seenKey, expected: ssh.hostKey, host: ssh.host, port: ssh.port, username: ssh.username }));
      };
      const ready = () => {
        client.removeListener('error', fail);
        resolve();
      };
      client.once('ready', ready);
      client.once('error', fail);
      try {
        client.connect(options);
      } catch (error) {
        fail(error instanceof Error ? error : new Error(String(error)));
      }
    });
    // Errors after the session is up end the tunnel; the next query reports the lost connection.
    client.on('error', () => undefined);

    const sockets = new Set<Socket>();
    const server = createServer((socket) => {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
      client.forwardOut('127.0.0.1', socket.remotePort ?? 0, target.host, target.port, (error, stream) => {
        if (error) {
          socket.destroy(error);
          return;
        }
        socket.pipe(stream).pipe(socket);
        stream.once('close', () => socket.destroy());
        socket.once('close', () => stream.close());
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    return new SshTunnel(client, server, sockets, (server.address() as AddressInfo).port, seenKey);
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
    this.client.end();
  }
}
