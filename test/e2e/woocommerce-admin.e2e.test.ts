// External dependencies
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

// Internal dependencies
import { logIn, openBrowser, screenshot, type Browser } from '../support/browser';
import { until } from '../support/until';
import { STORAGE_MODES, wooSkipReason } from '../support/woocommerce';
import { installFarsiCoreCatalogue } from '../support/wordpress';
import { startWooHarness, type WooHarness } from './woocommerce/harness';

// The admin page on the real WordPress 6.5.3 + WooCommerce 8.9.1 (under WooCommerce's menu, with
// WooCommerce's own admin scripts on the page) in headless Chromium, in both order storage
// modes: every tab in English, Spanish and Persian (right to left), a screenshot of each under
// test/artifacts/, the event product picked by SKU, and no script error.

const skip = wooSkipReason();
if (skip) console.log(`woocommerce-admin: ${skip}`);

const TABS = ['overview', 'events', 'bookings', 'products', 'stock'] as const;
const LOCALES = [
  { locale: 'en_US', overview: 'Overview', rtl: false },
  { locale: 'es_ES', overview: 'Resumen', rtl: false },
  { locale: 'fa_IR', overview: 'نمای کلی', rtl: true },
] as const;

describe.skipIf(skip !== null).each(STORAGE_MODES)('Sync Hub admin page on the real WooCommerce (%s)', (mode) => {
  let h: WooHarness;
  let browser: Browser;
  let page: Page;
  let productId: number;

  const openTab = async (tab: string): Promise<void> => {
    await page.goto(`${h.site.url}/wp-admin/admin.php?page=sync-hub&tab=${tab}`);
    await page.locator('#synchub-admin-root .synchub-page').waitFor({ timeout: 30_000 });
    await page.locator(`.synchub-tab--${tab}.is-active`).waitFor();
    // Let the tab's first requests through the proxy settle (loading states gone).
    await expect.poll(() => page.locator('#synchub-admin-root .components-spinner').count(), { timeout: 20_000 }).toBe(0);
  };
  const setLocale = (locale: string) =>
    h.php<null>(
      `$user = get_user_by( 'login', $input['login'] ); update_user_meta( $user->ID, 'locale', 'en_US' === $input['locale'] ? '' : $input['locale'] ); return null;`,
      { login: h.site.adminUser, locale },
    );

  beforeAll(async () => {
    h = await startWooHarness(mode, 'admin');
    productId = await h.site.crud<number>('create_simple', { name: `Gala night ${mode}`, sku: `GALA-${mode}`, price: '40.00' });
    await h.site.crud<number>('create_simple', { name: 'Other product', sku: 'OTHER-1', price: '1.00' });
    await installFarsiCoreCatalogue(h.site);
    browser = await openBrowser();
    page = browser.page;
  });

  afterAll(async () => {
    await browser?.close();
    await h?.dispose();
  });

  // A failure here once left a whole storage mode's site unanswering (on a full `npm test` run, not
  // reproduced alone): say where the browser was and what PHP and WordPress logged.
  afterEach(({ task }) => {
    if (task.result?.state === 'fail') console.log(`woocommerce-admin (${mode}): failed at ${page?.url()}\n${h?.site.logs()}`);
  });

  it('logs in; the page sits in the WooCommerce menu and sees the worker healthy', async () => {
    await logIn(page, h.site);
    await page.goto(`${h.site.url}/wp-admin/`);
    const link = page.locator('#toplevel_page_woocommerce a[href$="page=sync-hub"]');
    await expect.poll(() => link.count(), { message: 'Sync Hub under WooCommerce' }).toBe(1);
    await openTab('overview');
    await page.locator('.synchub-health [data-status="healthy"]').waitFor({ timeout: 30_000 });
  });

  for (const { locale, overview, rtl } of LOCALES) {
    it(`every tab renders in ${locale}${rtl ? ', right to left' : ''}`, async () => {
      await setLocale(locale);
      try {
        for (const tab of TABS) {
          await openTab(tab);
          expect((await page.locator('html').getAttribute('dir')) === 'rtl').toBe(rtl);
          await page.getByRole('tab', { name: overview }).waitFor();
          await screenshot(page, `woocommerce-${mode}-${locale}-${tab}.png`);
        }
        const direction = await page.locator('.synchub-page').evaluate((element) => getComputedStyle(element).direction);
        expect(direction).toBe(rtl ? 'rtl' : 'ltr');
      } finally {
        await setLocale('en_US');
      }
    });
  }

  it('the event product is picked by SKU, and the configuration form has room between its fields', async () => {
    await setLocale('en_US');
    await openTab('events');
    await page.getByRole('button', { name: 'Add configuration' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name', { exact: true }).fill(`Gala ${mode}`);
    const picker = dialog.getByLabel('Event product');
    await picker.click();
    await picker.fill(`GALA-${mode}`);
    const option = dialog.getByRole('option', { name: new RegExp(`Gala night ${mode} \\(GALA-${mode}\\) — #${productId}`) });
    await option.waitFor({ timeout: 15_000 });
    expect(await dialog.locator('.synchub-product-picker').getByRole('option').count()).toBe(1);
    await option.click();

    // Fields are spaced apart: the gap between one field and the next is at least 12 px.
    const boxes = await dialog
      .locator('form.synchub-events-form > *')
      .evaluateAll((elements) => elements.map((element) => element.getBoundingClientRect()).map((rect) => ({ top: rect.top, bottom: rect.bottom })));
    const gaps = boxes.slice(1).map((box, index) => box.top - (boxes[index]?.bottom ?? 0));
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(12);
    await screenshot(page, `woocommerce-${mode}-events-form.png`);

    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.locator('.synchub-snackbars').waitFor();
    const saved = await until(
      'the configuration in the worker',
      async () =>
        (
          await h.api<Array<{ name: string; woocommerce_product_id: number }> | { results: Array<{ name: string; woocommerce_product_id: number }> }>(
            'GET',
            '/api/v1/sync-woocommerce/configurations/',
          )
        ).body,
      (body) => (Array.isArray(body) ? body : body.results).some((row) => row.name === `Gala ${mode}`),
    );
    expect((Array.isArray(saved) ? saved : saved.results).find((row) => row.name === `Gala ${mode}`)?.woocommerce_product_id).toBe(productId);
  });

  it("the Stock tab's toggle keeps its distance from the buttons above it", async () => {
    await openTab('stock');
    const toggle = page.locator('.synchub-stock__manage');
    if ((await toggle.count()) === 0) return; // The worker has no stock write settings to show.
    const buttons = await page
      .locator('.synchub-stock-connection button')
      .evaluateAll((elements) => elements.map((element) => element.getBoundingClientRect().bottom));
    const top = (await toggle.boundingBox())?.y ?? 0;
    expect(top - Math.max(...buttons.filter((bottom) => bottom <= top + 1))).toBeGreaterThanOrEqual(16);
    await screenshot(page, `woocommerce-${mode}-stock-toggle.png`);
  });

  it('left no script errors in the browser', () => {
    expect(browser.errors).toEqual([]);
  });
});
