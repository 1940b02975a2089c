import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export interface IntegrationTokensTable {
  id: Generated<number>;
  name: string;
  token_type: string;
  owner: string;
  /** SHA-256 (hex) of the token: the token itself is never stored. */
  token_hash: string;
  preview: string;
  is_active: number;
  expires_at: NullableTimestamp;
  /** JSON array of IPs / CIDR ranges; null = any address. */
  ip_allowlist: string | null;
  rate_limit_per_minute: number | null;
  last_used_at: NullableTimestamp;
  last_used_ip: string | null;
  usage_count: ColumnType<number, number | undefined, number>;
  created_at: Timestamp;
  revoked_at: NullableTimestamp;
}

export type ProductEventStatus = 'received' | 'processed' | 'stale' | 'failed';

export interface ProductEventsTable {
  id: Generated<number>;
  owner: string;
  event_id: string;
  token_id: number | null;
  event_type: string;
  product_id: number;
  payload: string;
  /** Order of events for one product: the event's sequence, else its time in microseconds. */
  version: number | null;
  source_ip: string | null;
  user_agent: string | null;
  status: ProductEventStatus;
  success: number | null;
  error: string | null;
  processing_ms: number | null;
  attempts: ColumnType<number, number | undefined, number>;
  intake_token: string;
  received_at: Timestamp;
  processed_at: NullableTimestamp;
}

export interface ProductsTable {
  id: Generated<number>;
  owner: string;
  external_id: string;
  woo_id: number;
  sku: string | null;
  name: string;
  short_description: string;
  description: string;
  price: string | null;
  regular_price: string | null;
  sale_price: string | null;
  on_sale: ColumnType<number, number | undefined, number>;
  currency: string | null;
  stock_quantity: number | null;
  stock_status: string | null;
  categories: string;
  tags: string;
  image: string | null;
  /** JSON array of image URLs besides the main one. */
  gallery_images: ColumnType<string, string | undefined, string>;
  permalink: string | null;
  /** Where the product comes from (`woocommerce`), as the original backend recorded it. */
  external_source: ColumnType<string, string | undefined, string>;
  variations: string;
  content_hash: string | null;
  embedded_hash: string | null;
  needs_embedding: number;
  is_active: number;
  deleted_at: NullableTimestamp;
  source_version: number | null;
  last_event_log_id: number;
  last_event_id: string;
  /** How many events were applied to this product (each exactly once). */
  revision: number;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ProductChunksTable {
  id: Generated<number>;
  product_id: number;
  chunk_index: number;
  content: string;
  content_hash: string;
  embedding: string;
  /** Unit-length float32 vector, little-endian (null for chunks embedded before search existed). */
  vector: ColumnType<Buffer | null, Buffer | null | undefined, Buffer | null>;
  model: string;
  created_at: Timestamp;
}

declare module '../core/db/schema' {
  interface Database {
    synchub_integration_tokens: IntegrationTokensTable;
    synchub_product_events: ProductEventsTable;
    synchub_products: ProductsTable;
    synchub_product_chunks: ProductChunksTable;
  }
}
