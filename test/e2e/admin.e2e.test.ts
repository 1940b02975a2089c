// External dependencies
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Internal dependencies
import { logIn, openBrowser, screenshot, type Browser } from '../support/browser';
import { createTestDatabase, uniquePrefix, type TestDatabase } from '../support/db';
import { installFarsiCoreCatalogue, startWordPress, type WordPressSite } from '../support/wordpress';
import { startWorker, type WorkerProcess } from '../support/worker';

// The admin page in a real browser: headless Chromium logs into a real WordPress with the plugin
// (WooCommerce absent, so the page sits under Tools), connects it to a running worker, sees the
// worker healthy, then switches the user to Persian and sees the page right to left.

const WEBHOOK_SECRET = 'e2e-admin-webhook-secret-0123456789abcdef';

/** Two core menu labels in Persian, beside the text direction installFarsiCoreCatalogue gives. */
const CORE_FA_IR_EXTRA = `
msgid "Dashboard"
msgstr "پیشخوان"

msgid "Tools"
msgstr "ابزارها"
`;

describe('admin page in headless Chromium', () => {
  let workerDb: TestDatabase;
  let worker: WorkerProcess;
  let site: WordPressSite;
  let browser: Browser;
  let page: Page;

  /** The Sync Hub page, opened through the admin menu as a person would. */
  const openSyncHub = async (): Promise<void> => {
    await page.goto(`${site.url}/wp-admin/`);
    const link = page.locator('#adminmenu a[href$="page=sync-hub"]');
    await expect.poll(() => link.count(), { message: 'Sync Hub menu entry' }).toBe(1);
    await link.evaluate((element: HTMLAnchorElement) => element.click());
    await page.waitForURL(/page=sync-hub/);
    await page.locator('#synchub-admin-root .synchub-page').waitFor({ timeout: 20_000 });
  };

  beforeAll(async () => {
    workerDb = await createTestDatabase('e2eadmin');
    worker = await startWorker({
      DATABASE_URL: workerDb.url,
      BULLMQ_PREFIX: uniquePrefix('e2e-admin'),
      WEBHOOK_SECRET,
    });
    site = await startWordPress({ env: { SYNCHUB_NO_WC_DOUBLE: '1' } });

    browser = await openBrowser();
    page = browser.page;
  });

  afterAll(async () => {
    await browser?.close();
    await site?.stop();
    await worker?.stop();
    await workerDb?.drop();
  });

  it('logs into wp-admin', async () => {
    await logIn(page, site);
    await expect(page.locator('#wpadminbar').count()).resolves.toBe(1);
  });

  it('shows the server error until the worker is configured', async () => {
    await openSyncHub();
    // No admin token yet (and the default URL): the proxy answers with an error, shown as is.
    const error = page.locator('.synchub-health .synchub-state--error');
    await error.waitFor();
    expect(await error.innerText(), site.logs()).toMatch(/worker|token/i);
    await page.locator('.synchub-settings form').waitFor();
    expect(await page.getByLabel('Admin token').inputValue()).toBe('');
    await screenshot(page, 'admin-overview-not-configured.png');
  });

  it('saves the connection, tests it and shows the worker healthy', async () => {
    await page.fill('.synchub-settings input[type="url"]', worker.url);
    const [token, secret] = [page.getByLabel('Admin token'), page.getByLabel('Webhook secret')];
    await token.fill(worker.adminToken);
    await secret.fill(WEBHOOK_SECRET);
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.locator('.synchub-snackbars').getByText('Settings saved.').waitFor();

    // Secrets are write-only: gone from the form and never in the page.
    await expect.poll(() => token.inputValue()).toBe('');
    expect(await page.content()).not.toContain(worker.adminToken);
    expect(await page.content()).not.toContain(WEBHOOK_SECRET);
    expect(await page.locator('.synchub-settings').getByText('A value is saved. Leave blank to keep it.').count()).toBe(2);

    await page.getByRole('button', { name: 'Test connection' }).click();
    await page.locator('.synchub-snackbars').getByText('Connected to the worker.').waitFor();
    await screenshot(page, 'admin-connection-tested.png');

    const badge = page.locator('.synchub-health [data-status="healthy"]');
    await badge.waitFor();
    expect(await badge.innerText()).toBe('Healthy');
    // The queues table comes from the worker through the plugin's proxy.
    expect(await page.locator('.synchub-queues tr[data-queue="events"]').count()).toBe(1);
    // Empty states from the real outbox and the real dead-letter list.
    await page.locator('.synchub-outbox').getByText('No failed deliveries.').waitFor();
    await page.locator('.synchub-dead-letters').getByText('No failed jobs.').waitFor();
    expect(await page.locator('html').getAttribute('dir')).not.toBe('rtl');

    // Still healthy after a reload: the settings were stored by the plugin.
    await page.reload();
    await page.locator('.synchub-health [data-status="healthy"]').waitFor();
    await screenshot(page, 'admin-overview-en.png');
  });

  it('runs right to left, in Persian, for a user whose locale is fa_IR', async () => {
    await installFarsiCoreCatalogue(site, CORE_FA_IR_EXTRA);

    // The language is now installed, so the profile form offers it: switch as a user would.
    await page.goto(`${site.url}/wp-admin/profile.php`);
    const language = page.locator('select#locale');
    await language.waitFor();
    await language.selectOption('fa_IR');
    await Promise.all([page.waitForURL(/profile\.php\?updated=1/), page.click('#submit')]);

    const userLocale = await site.runPhp(`
      $user = get_user_by( 'login', ${JSON.stringify(site.adminUser)} );
      wp_set_current_user( $user->ID );
      switch_to_locale( get_user_locale( $user ) );
      echo wp_json_encode( array( 'locale' => get_user_locale( $user ), 'rtl' => is_rtl() ) );
    `);
    expect(JSON.parse(userLocale)).toEqual({ locale: 'fa_IR', rtl: true });

    await openSyncHub();
    expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
    expect(await page.locator('body').getAttribute('class')).toMatch(/\brtl\b/);
    const bootstrap = await page.evaluate(() => (window as Window & { syncHubAdmin?: unknown }).syncHubAdmin);
    expect(bootstrap).toMatchObject({ locale: 'fa_IR', isRtl: true, namespace: 'sync-hub/v1' });
    // WordPress swaps in the RTL stylesheet of the page.
    const stylesheet = page.locator('link[rel="stylesheet"][href*="/sync-hub/build/index"]');
    expect(await stylesheet.getAttribute('href')).toContain('/build/index-rtl.css');

    // Persian strings from the plugin's shipped JSON, Persian digits from Intl.
    await page.getByRole('tab', { name: 'نمای کلی' }).waitFor();
    await page.getByText('سلامت ورکر').waitFor();
    const badge = page.locator('.synchub-health [data-status="healthy"]');
    await badge.waitFor();
    expect(await badge.innerText()).toBe('سالم');
    // The outbox card loads on its own request, after the health badge.
    const emptyOutbox = page.locator('.synchub-outbox').getByText('هیچ ارسال ناموفقی وجود ندارد.');
    await emptyOutbox.waitFor();
    expect(await emptyOutbox.count()).toBe(1);

    // The layout is mirrored: the admin menu on the right, the page text starting on the right.
    const viewport = page.viewportSize()?.width ?? 1280;
    const menu = await page.locator('#adminmenuwrap').boundingBox();
    expect(menu?.x ?? 0).toBeGreaterThan(viewport / 2);
    const direction = await page.locator('.synchub-page').evaluate((element) => getComputedStyle(element).direction);
    expect(direction).toBe('rtl');
    const title = await page.locator('.synchub-health .synchub-card__title').boundingBox();
    const card = await page.locator('.synchub-health').boundingBox();
    expect(title && card ? card.x + card.width - (title.x + title.width) : Infinity).toBeLessThan(40);

    await screenshot(page, 'admin-overview-fa_IR.png');
  });

  it('left no script errors in the browser', () => {
    expect(browser.errors).toEqual([]);
  });
});
