import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createEventsDomain } from '../../../worker/src/events';
import { createWooCommerceFixture, type WooFixture } from '../../fakes/woocommerce-db/fixture';
import { EVENT_PRODUCT_ID } from '../../fakes/woocommerce-db/data';
import { startTestRuntime, type TestRuntime } from '../../support/runtime';
import { api, BASE, runSync } from './support';

type Configuration = { id: number; event_name: string; organizer_email: string; organizer_name: string; tier_name_template: string; sync_frequency: string };
type Fields = { error: { code: string; details?: { fields: Record<string, string[]> } } };

/** The original migration's minimal request, with defaults read from the store. */
describe('events configurations: defaults from the store', () => {
  let fixture: WooFixture;
  let runtime: TestRuntime;
  const count = () =>
    runtime.ctx.db
      .selectFrom('synchub_event_configurations')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
      .then((row) => Number(row.n));

  beforeAll(async () => {
    fixture = await createWooCommerceFixture({ storage: 'hpos', label: 'dfl', spec: { paidOrders: 12, unpaidOrders: 2, seed: 5 } });
    runtime = await startTestRuntime({ env: { ...fixture.env, EVENTS_EMAIL_LOCALE: 'es', MIGRATION_MODE: 'true' }, domains: [createEventsDomain] });
  });
  afterAll(async () => {
    await runtime?.dispose();
    await fixture?.drop();
  });

  it('creates from name, woocommerce_product_id and sync_frequency: product name, store admin, Spanish tier names', async () => {
    const created = await api<Configuration>(runtime.url, 'POST', `${BASE}/configurations/`, {
      name: 'Año Nuevo',
      woocommerce_product_id: EVENT_PRODUCT_ID,
      sync_frequency: 'daily',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      event_name: 'Concierto de Año Nuevo — Bogotá',
      organizer_email: 'admin@tienda.example.co',
      organizer_name: 'María Organizadora',
      sync_frequency: 'daily',
      tier_name_template: 'Tickets {EventName} (Migrados WooCommerce)',
    });
    const execution = await runSync(runtime.url, created.body.id);
    expect(execution.status).toBe('completed');
    const tiers = await runtime.ctx.db.selectFrom('synchub_event_ticket_tiers').select('name').execute();
    expect(tiers.length).toBeGreaterThan(0);
    for (const tier of tiers) expect(tier.name).toMatch(/^Tickets Concierto de Año Nuevo — Bogotá \(Migrados WooCommerce\)/);
    const organizer = await runtime.ctx.db.selectFrom('synchub_event_organizers').selectAll().executeTakeFirstOrThrow();
    expect(organizer).toMatchObject({ email: 'admin@tienda.example.co', name: 'María Organizadora' });
  });

  it('keeps what is sent, validated', async () => {
    const bad = await api<Fields>(runtime.url, 'POST', `${BASE}/configurations/`, {
      name: 'x',
      woocommerce_product_id: EVENT_PRODUCT_ID,
      organizer_email: 'nope',
    });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.error.details?.fields ?? {})).toContain('organizer_email');
    const blank = await api<Fields>(runtime.url, 'POST', `${BASE}/configurations/`, { name: 'x', woocommerce_product_id: EVENT_PRODUCT_ID, event_name: '  ' });
    expect(blank.status).toBe(400);
    expect(Object.keys(blank.body.error.details?.fields ?? {})).toContain('event_name');

    const own = await api<Configuration>(runtime.url, 'POST', `${BASE}/configurations/`, {
      name: 'Propio',
      woocommerce_product_id: EVENT_PRODUCT_ID,
      event_name: 'Mi evento',
      organizer_email: 'Yo@Example.co',
      organizer_name: 'Yo',
      tier_name_template: 'Entradas {Event}',
    });
    expect(own.body).toMatchObject({ event_name: 'Mi evento', organizer_email: 'yo@example.co', organizer_name: 'Yo', tier_name_template: 'Entradas {Event}' });
  });

  it('edits the tier name template; an empty one goes back to the locale default', async () => {
    const created = await api<Configuration>(runtime.url, 'POST', `${BASE}/configurations/`, { name: 'Editar', woocommerce_product_id: EVENT_PRODUCT_ID });
    const edited = await api<Configuration>(runtime.url, 'PUT', `${BASE}/configurations/${created.body.id}/`, { tier_name_template: 'Boletas {EventName}' });
    expect(edited.body.tier_name_template).toBe('Boletas {EventName}');
    const reset = await api<Configuration>(runtime.url, 'PUT', `${BASE}/configurations/${created.body.id}/`, { tier_name_template: '' });
    expect(reset.body.tier_name_template).toBe('Tickets {EventName} (Migrados WooCommerce)');
  });

  it('names the organizer after the site when no user has the admin email, and refuses when the store has none', async () => {
    await fixture.query(`DELETE FROM \`${fixture.prefix}users\` WHERE ID = 1`);
    const bySite = await api<Configuration>(runtime.url, 'POST', `${BASE}/configurations/`, { name: 'Sitio', woocommerce_product_id: EVENT_PRODUCT_ID });
    expect(bySite.body).toMatchObject({ organizer_email: 'admin@tienda.example.co', organizer_name: 'Tienda de Eventos' });

    await fixture.query(`UPDATE \`${fixture.prefix}options\` SET option_value = '' WHERE option_name = 'admin_email'`);
    const before = await count();
    const refused = await api<Fields>(runtime.url, 'POST', `${BASE}/configurations/`, { name: 'Sin admin', woocommerce_product_id: EVENT_PRODUCT_ID });
    expect(refused.status).toBe(400);
    expect(Object.keys(refused.body.error.details?.fields ?? {})).toEqual(['organizer_email']);
    expect(await count()).toBe(before);
  });
});
