import { z } from 'zod';

/** The fields of a SIIGO product the stock job reads; the rest passes through untouched. */
const warehouseQuantity = z.object({
  id: z.union([z.string(), z.number()]).transform(String),
  name: z.string().nullish(),
  quantity: z.coerce.number().catch(0),
});

export const productSchema = z
  .object({
    id: z.string().min(1),
    code: z.string().min(1),
    name: z
      .string()
      .nullish()
      .transform((value) => value ?? ''),
    type: z.string().nullish(),
    stock_control: z
      .boolean()
      .nullish()
      .transform((value) => value ?? false),
    active: z
      .boolean()
      .nullish()
      .transform((value) => value ?? true),
    available_quantity: z.coerce
      .number()
      .nullish()
      .transform((value) => value ?? 0),
    warehouses: z
      .array(warehouseQuantity)
      .nullish()
      .transform((value) => value ?? []),
    metadata: z.object({ created: z.string().nullish(), last_updated: z.string().nullish() }).partial().nullish(),
    stock_updated: z.string().nullish(),
  })
  .passthrough();

export type SiigoProduct = z.infer<typeof productSchema>;

export const productPageSchema = z.object({
  pagination: z.object({
    page: z.coerce.number().int(),
    page_size: z.coerce.number().int(),
    total_results: z.coerce.number().int().min(0),
  }),
  results: z.array(productSchema),
});

export type SiigoProductPage = z.infer<typeof productPageSchema>;

export const authResponseSchema = z.object({
  access_token: z.string().min(1),
  expires_in: z.coerce.number().positive(),
  token_type: z.string().optional(),
});

export const warehouseSchema = z.object({
  id: z.union([z.string(), z.number()]).transform(String),
  name: z.string(),
  active: z.boolean().nullish(),
  has_movements: z.boolean().nullish(),
});

export type SiigoWarehouse = z.infer<typeof warehouseSchema>;

export const WEBHOOK_TOPICS = ['public.siigoapi.products.create', 'public.siigoapi.products.update', 'public.siigoapi.products.stock.update'] as const;
export type WebhookTopic = (typeof WEBHOOK_TOPICS)[number];

export const subscriptionSchema = z
  .object({
    id: z.union([z.string(), z.number()]).transform(String),
    application_id: z.string().nullish(),
    url: z.string(),
    topic: z.string(),
    company_key: z.string().nullish(),
    active: z.boolean().nullish(),
    created_at: z.string().nullish(),
  })
  .passthrough();

export type SiigoSubscription = z.infer<typeof subscriptionSchema>;

/** GET /v1/webhooks: the blueprint shows a paginated object, clients see a plain array. */
export const subscriptionListSchema = z.union([
  z.array(subscriptionSchema),
  z.object({ results: z.array(subscriptionSchema) }).transform((page) => page.results),
]);

/**
 * A webhook notification: company and user, the topic, then the product flat. Dates may sit at the
 * top level or under `metadata`; parse defensively.
 */
export const notificationSchema = z
  .object({
    company_key: z.string().min(1),
    username: z.string().nullish(),
    topic: z.enum(WEBHOOK_TOPICS),
    id: z.string().min(1),
    code: z.string().min(1).max(100),
    name: z.string().nullish(),
    available_quantity: z.coerce.number().nullish(),
    warehouses: z.array(warehouseQuantity).nullish(),
    stock_control: z.boolean().nullish(),
    active: z.boolean().nullish(),
    last_updated: z.string().nullish(),
    stock_updated: z.string().nullish(),
    metadata: z.object({ created: z.string().nullish(), last_updated: z.string().nullish() }).partial().nullish(),
  })
  .passthrough();

export type SiigoNotification = z.infer<typeof notificationSchema>;
