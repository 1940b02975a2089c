import type { Config } from '../config';
import type { Logger } from '../logger';
import { EgressRefusedError, EgressUnresolvedError, type Egress } from './guard';

/**
 * At start: a URL from the environment that the target policy refuses would only fail at its
 * first call (a stock write, a booking); say so once, naming the variable and the setting.
 */
export async function warnRefusedTargets(config: Config, egress: Egress, logger: Logger): Promise<void> {
  const urls: Array<[string, string | undefined]> = [
    ['ODOO_URL', config.odoo.url],
    ['SIIGO_API_URL', config.siigo.enabled ? config.siigo.apiUrl : undefined],
    ['STORE_URL', config.woocommerce.storeUrl],
    ['EMBEDDINGS_URL', config.embeddings.url],
    ['WEBHOOK_BASE_URL', config.siigo.webhookBaseUrl],
  ];
  for (const [variable, url] of urls) {
    if (!url) continue;
    try {
      await egress.check(url);
    } catch (error) {
      if (error instanceof EgressRefusedError) logger.warn({ variable, address: error.address }, `${variable}: ${error.message}`);
      else if (!(error instanceof EgressUnresolvedError)) logger.warn({ err: error, variable }, `${variable} could not be checked`);
    }
  }
}
