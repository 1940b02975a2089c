// A TCP pass-through in front of a fake peer that the drill can take down (connection refused,
// open sockets cut) and bring back on the same port: the peer is unreachable, not answering errors.
import { createServer, connect, type Server, type Socket } from 'node:net';

export class Gate {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(private readonly target: URL) {}

  /** The target URL with the gate's port in place of the peer's. */
  get url(): string {
    const url = new URL(this.target.toString());
    url.port = String(this.port);
    return url.toString().replace(/\/$/, '');
  }

  async open(): Promise<void> {
    const server = createServer((client) => {
      const upstream = connect({ host: this.target.hostname, port: Number(this.target.port) });
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.once('close', () => this.sockets.delete(socket));
        socket.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream);
      upstream.pipe(client);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    const address = server.address();
    this.port = typeof address === 'object' && address ? address.port : this.port;
    this.server = server;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const socket of this.sockets) socket.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
