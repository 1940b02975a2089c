import { describe, expect, it } from 'vitest';

import { loadConfig } from '../../../worker/src/config';
import { EMAIL_LOCALES, ticketEmailText } from '../../../worker/src/events/notify/email-text';

const ticket = {
  attendeeName: 'Zoë Núñez',
  eventName: 'Concierto de Año Nuevo',
  tierName: 'VIP',
  ticketId: 4711,
  wooOrderId: 905,
  organizerName: 'Teatro Colón',
};

describe('ticketEmailText', () => {
  it.each([
    ['en', 'Your ticket for Concierto de Año Nuevo', 'Hello Zoë Núñez,', 'Ticket number: 4711. WooCommerce order: 905.'],
    ['es', 'Tu entrada para Concierto de Año Nuevo', 'Hola Zoë Núñez:', 'Número de entrada: 4711. Pedido de WooCommerce: 905.'],
    ['fa', 'بلیت شما برای Concierto de Año Nuevo', 'Zoë Núñez عزیز، سلام.', 'شماره بلیت: 4711. شماره سفارش ووکامرس: 905.'],
  ] as const)('writes the notice in %s', (locale, subject, greeting, numbers) => {
    const email = ticketEmailText(ticket, locale);
    expect(email.subject).toBe(subject);
    const lines = email.text.split('\n');
    expect(lines[0]).toBe(greeting);
    expect(lines).toContain(numbers);
    expect(lines.at(-1)).toBe('Teatro Colón');
    expect(email.text).toContain('(VIP)');
  });

  it('is chosen by EVENTS_EMAIL_LOCALE, which accepts exactly the locales with a template', () => {
    for (const locale of EMAIL_LOCALES) expect(loadConfig({ EVENTS_EMAIL_LOCALE: locale }).events.emailLocale).toBe(locale);
    expect(loadConfig({}).events.emailLocale).toBe('en');
    expect(() => loadConfig({ EVENTS_EMAIL_LOCALE: 'de' })).toThrow(/EVENTS_EMAIL_LOCALE/);
  });
});
