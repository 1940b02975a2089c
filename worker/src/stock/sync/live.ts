import type { Response } from 'express';

import type { Logger } from '../../core/logger';
import type { RedisClient } from '../../core/redis';

/**
 * One stock change as the admin page shows it, with the original SIIGO stock service's field names
 * beside ours (`productId` … `timestamp`), so its live clients read our feed unchanged.
 */
export interface LiveChange {
  id: number;
  code: string;
  name: string;
  woo_product_id: number | null;
  siigo_id: string | null;
  old_quantity: number | null;
  new_quantity: number;
  source: string;
  result: string;
  created_at: string;
  productId: number | null;
  siigoProductId: string | null;
  productName: string;
  oldStock: number | null;
  newStock: number;
  timestamp: string;
}

/** Builds a notice from the columns of a change row. */
export function liveChange(row: Omit<LiveChange, 'productId' | 'siigoProductId' | 'productName' | 'oldStock' | 'newStock' | 'timestamp'>): LiveChange {
  return {
    ...row,
    productId: row.woo_product_id,
    siigoProductId: row.siigo_id,
    productName: row.name,
    oldStock: row.old_quantity,
    newStock: row.new_quantity,
    timestamp: row.created_at,
  };
}

/** Server-Sent Events frame; `id` lets a reconnecting client resume with Last-Event-ID. */
export function sseFrame(event: string, data: unknown, id?: number): string {
  return `${id === undefined ? '' : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/**
 * Stock changes published on Redis pub/sub (so every worker process sees every change) and fanned
 * out to the Server-Sent Events clients of this process. One subscriber connection per process,
 * opened with the first client.
 */
export class LiveFeed {
  private readonly clients = new Set<Response>();
  private subscriber: RedisClient | null = null;
  private heartbeat: NodeJS.Timeout | null = null;

  constructor(
    private readonly redis: RedisClient,
    private readonly channel: string,
    private readonly heartbeatMs: number,
    private readonly logger: Logger,
  ) {}

  async publish(changes: LiveChange[]): Promise<void> {
    if (changes.length === 0) return;
    await this.redis.publish(this.channel, JSON.stringify(changes)).catch((error: unknown) => {
      this.logger.warn({ err: error }, 'could not publish stock changes');
    });
  }

  /** Takes over an HTTP response as an event stream; `backlog` is sent first (missed changes). */
  async attach(res: Response, backlog: LiveChange[]): Promise<void> {
    res.status(200);
    res.set({
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.flushHeaders();
    res.write(`retry: 3000\n\n`);
    for (const change of backlog) res.write(sseFrame('change', change, change.id));
    this.clients.add(res);
    res.on('close', () => {
      this.clients.delete(res);
      if (this.clients.size === 0) this.stopHeartbeat();
    });
    await this.ensureSubscribed();
    this.heartbeat ??= setInterval(() => {
      for (const client of this.clients) client.write(': ping\n\n');
    }, this.heartbeatMs).unref();
  }

  get clientCount(): number {
    return this.clients.size;
  }

  async close(): Promise<void> {
    this.stopHeartbeat();
    for (const client of this.clients) client.end();
    this.clients.clear();
    const subscriber = this.subscriber;
    this.subscriber = null;
    if (subscriber) await subscriber.quit().catch(() => subscriber.disconnect());
  }

  private stopHeartbeat(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
  }

  private async ensureSubscribed(): Promise<void> {
    if (this.subscriber) return;
    const subscriber = this.redis.duplicate();
    this.subscriber = subscriber;
    subscriber.on('message', (_channel: string, message: string) => {
      let changes: LiveChange[];
      try {
        changes = JSON.parse(message) as LiveChange[];
      } catch {
        return;
      }
      for (const client of this.clients) {
        for (const change of changes) client.write(sseFrame('change', change, change.id));
      }
    });
    subscriber.on('error', (error) => this.logger.warn({ err: error }, 'stock live feed subscriber error'));
    await subscriber.subscribe(this.channel);
  }
}
