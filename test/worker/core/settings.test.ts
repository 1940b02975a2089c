import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { generateKeyHex, parseKey, SecretBox } from '../../../worker/src/core/crypto';
import { SettingsStore } from '../../../worker/src/core/settings';
import { startTestRuntime, type TestRuntime } from '../../support/runtime';

let runtime: TestRuntime;
beforeAll(async () => {
  runtime = await startTestRuntime({ processJobs: false, domains: [] });
});
afterAll(async () => {
  await runtime?.dispose();
});

describe('SettingsStore', () => {
  it('stores secrets sealed and reads them back', async () => {
    await runtime.ctx.settings.set('odoo.api_key', 'very-secret-key', { secret: true });
    const raw = await runtime.ctx.db.selectFrom('synchub_settings').selectAll().where('name', '=', 'odoo.api_key').executeTakeFirstOrThrow();
    expect(raw.value).not.toContain('very-secret-key');
    expect(raw.is_secret).toBeTruthy();
    expect(await runtime.ctx.settings.get('odoo.api_key')).toBe('very-secret-key');
  });

  it('stores plain values as they are and overwrites', async () => {
    await runtime.ctx.settings.setJson('bookings.discount', { threshold: 4, percent: 5 });
    await runtime.ctx.settings.setJson('bookings.discount', { threshold: 6, percent: 5 });
    expect(await runtime.ctx.settings.getJson('bookings.discount')).toEqual({ threshold: 6, percent: 5 });
    expect(await runtime.ctx.settings.get('missing')).toBeUndefined();
  });

  it('cannot read secrets with another key', async () => {
    await runtime.ctx.settings.set('siigo.access_key', 'k', { secret: true });
    const other = new SettingsStore(runtime.ctx.db, new SecretBox(parseKey(generateKeyHex())));
    await expect(other.get('siigo.access_key')).rejects.toThrow();
  });
});
