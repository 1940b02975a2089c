import { z, type ZodType } from 'zod';

import { SiigoProtocolError } from './errors';
import type { SiigoGateway } from './gateway';
import {
  productPageSchema,
  productSchema,
  subscriptionListSchema,
  subscriptionSchema,
  warehouseSchema,
  type SiigoProduct,
  type SiigoProductPage,
  type SiigoSubscription,
  type SiigoWarehouse,
  type WebhookTopic,
} from './schemas';
import type { SiigoRequest } from './transport';

/** SIIGO's largest page (third-party clients; the blueprint does not say). */
export const MAX_PAGE_SIZE = 100;

export interface ProductQuery {
  page: number;
  pageSize?: number;
  /** `yyyy-MM-ddTHH:mm:ssZ`: products whose properties or balances changed since then. */
  updatedStart?: string;
  code?: string;
}

/** Typed SIIGO operations; every call goes through the gateway (limiter, token, breaker). */
export class SiigoClient {
  constructor(private readonly gateway: SiigoGateway) {}

  async listProducts(query: ProductQuery): Promise<SiigoProductPage> {
    const params: Record<string, string | number> = { page: query.page, page_size: query.pageSize ?? MAX_PAGE_SIZE };
    if (query.updatedStart) params.updated_start = query.updatedStart;
    if (query.code) params.code = query.code;
    return this.request({ method: 'GET', path: '/v1/products', query: params }, productPageSchema);
  }

  async getProduct(id: string): Promise<SiigoProduct> {
    return this.request({ method: 'GET', path: `/v1/products/${encodeURIComponent(id)}` }, productSchema);
  }

  async warehouses(): Promise<SiigoWarehouse[]> {
    return this.request({ method: 'GET', path: '/v1/warehouses' }, z.array(warehouseSchema));
  }

  async subscriptions(): Promise<SiigoSubscription[]> {
    return this.request({ method: 'GET', path: '/v1/webhooks' }, subscriptionListSchema);
  }

  async subscribe(input: { applicationId: string; topic: WebhookTopic; url: string }): Promise<SiigoSubscription> {
    return this.request(
      { method: 'POST', path: '/v1/webhooks', body: { application_id: input.applicationId, topic: input.topic, url: input.url } },
      subscriptionSchema,
    );
  }

  async unsubscribe(id: string): Promise<void> {
    await this.gateway.call({ method: 'DELETE', path: `/v1/webhooks/${encodeURIComponent(id)}` });
  }

  private async request<T>(request: SiigoRequest, schema: ZodType<T>): Promise<T> {
    const response = await this.gateway.call(request);
    const parsed = schema.safeParse(response.body);
    if (!parsed.success)
      throw new SiigoProtocolError(`SIIGO ${request.method} ${request.path} answered an unexpected shape: ${z.prettifyError(parsed.error)}`, response.status);
    return parsed.data;
  }
}
