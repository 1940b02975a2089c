// The configuration slices the worker is made of: the core composes them (core/config.ts), each
// connector and domain owns its own (its config.ts). A slice declared but not listed here does
// not compile.
import { embeddingsEnvConfig } from './connectors/embeddings/config';
import { odooConfig } from './connectors/odoo/config';
import { siigoEnvConfig } from './connectors/siigo/config';
import { woocommerceConfig } from './connectors/woocommerce-db/config';
import { composeConfig, type Config, type ConfigSlices } from './core/config';
import { bookingsConfig } from './bookings/config';
import { eventsConfig } from './events/config';
import { productsConfig } from './products/config';
import { stockConfig } from './stock/config';

export { ConfigError, type Config } from './core/config';

export const CONFIG_SLICES = [
  woocommerceConfig,
  odooConfig,
  siigoEnvConfig,
  embeddingsEnvConfig,
  eventsConfig,
  bookingsConfig,
  stockConfig,
  productsConfig,
] as const;

type Unlisted = Exclude<keyof ConfigSlices, (typeof CONFIG_SLICES)[number]['key']>;
export const EVERY_SLICE_LISTED: [Unlisted] extends [never] ? true : never = true;

/** Parses the environment; throws ConfigError naming each invalid variable. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  return composeConfig(CONFIG_SLICES, source);
}
