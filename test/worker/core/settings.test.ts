import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';

import { generateKeyHex, parseKey, SecretBox } from '../../../worker/src/core/crypto';
import { overEnvironment, SettingsStore } from '../../../worker/src/core/settings';
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

describe('saved settings over the environment: one rule', () => {
  const shape = z.object({ url: z.string().url().optional(), model: z.string().optional() });

  it('reads what is saved in the expected shape, sealed or not', async () => {
    await runtime.ctx.settings.setJson('rule.plain', { url: 'https://a.example/v1', model: 'm1' });
    await runtime.ctx.settings.setJson('rule.sealed', { model: 'm2' }, { secret: true });
    expect(await runtime.ctx.settings.saved('rule.plain', shape)).toEqual({ url: 'https://a.example/v1', model: 'm1' });
    expect(await runtime.ctx.settings.saved('rule.sealed', shape)).toEqual({ model: 'm2' });
  });

  it('treats nothing saved, unreadable JSON, another key’s seal and a wrong shape alike: not saved', async () => {
    expect(await runtime.ctx.settings.saved('rule.missing', shape)).toBeUndefined();
    await runtime.ctx.settings.set('rule.not-json', '{oops');
    expect(await runtime.ctx.settings.saved('rule.not-json', shape)).toBeUndefined();
    const otherKey = new SettingsStore(runtime.ctx.db, new SecretBox(parseKey(generateKeyHex())));
    await otherKey.setJson('rule.other-seal', { model: 'm3' }, { secret: true });
    expect(await runtime.ctx.settings.saved('rule.other-seal', shape)).toBeUndefined();
    await runtime.ctx.settings.setJson('rule.wrong-shape', { url: 'not a url' });
    expect(await runtime.ctx.settings.saved('rule.wrong-shape', shape)).toBeUndefined();
  });

  it('a saved field wins over the environment’s; a field not saved keeps the environment’s', () => {
    const env = { url: 'https://env.example/v1', model: 'env-model', timeoutMs: 15_000 };
    expect(overEnvironment(undefined, env)).toBe(env);
    expect(overEnvironment({ model: 'saved-model', url: undefined }, env)).toEqual({ url: 'https://env.example/v1', model: 'saved-model', timeoutMs: 15_000 });
    expect(overEnvironment({ url: 'https://saved.example/v1' }, env).url).toBe('https://saved.example/v1');
  });
});
