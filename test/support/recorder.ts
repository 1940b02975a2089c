import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';

import { closeServer } from './listen';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface RecorderAnswer {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

export interface Recorder {
  /** `http://<host>:<port>` */
  url: string;
  port: number;
  requests: RecordedRequest[];
  /** Whether any request carried `text` anywhere (URL, headers or body). */
  saw(text: string): boolean;
  answer(next: RecorderAnswer): void;
  close(): Promise<void>;
}

/**
 * An HTTP listener standing in for a URL an attacker names: it records every request (a secret
 * that reaches it was sent) and answers what the test sets.
 */
export async function startRecorder(options: { host?: string; answer?: RecorderAnswer } = {}): Promise<Recorder> {
  const host = options.host ?? '127.0.0.1';
  let current: RecorderAnswer = options.answer ?? { status: 404, body: 'nothing here' };
  const requests: RecordedRequest[] = [];
  const server: Server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (chunk: Buffer) => parts.push(chunk));
    req.on('end', () => {
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(parts).toString('utf8') });
      res.writeHead(current.status, current.headers ?? { 'Content-Type': 'text/plain' }).end(current.body ?? '');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    requests,
    saw: (text) => requests.some((request) => JSON.stringify(request).includes(text)),
    answer(next) {
      current = next;
    },
    close: () => closeServer(server),
  };
}
