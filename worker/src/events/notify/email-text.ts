import type { TicketEmail } from './mailer';

export const EMAIL_LOCALES = ['en', 'es', 'fa'] as const;
export type EmailLocale = (typeof EMAIL_LOCALES)[number];

type Parts = Pick<TicketEmail, 'attendeeName' | 'eventName' | 'tierName' | 'ticketId' | 'wooOrderId' | 'organizerName'>;

const TEMPLATES: Record<EmailLocale, (email: Parts) => { subject: string; lines: string[] }> = {
  en: (e) => ({
    subject: `Your ticket for ${e.eventName}`,
    lines: [
      `Hello ${e.attendeeName},`,
      '',
      `Your ticket for ${e.eventName} (${e.tierName}) is confirmed.`,
      `Ticket number: ${e.ticketId}. WooCommerce order: ${e.wooOrderId}.`,
    ],
  }),
  es: (e) => ({
    subject: `Tu entrada para ${e.eventName}`,
    lines: [
      `Hola ${e.attendeeName}:`,
      '',
      `Tu entrada para ${e.eventName} (${e.tierName}) está confirmada.`,
      `Número de entrada: ${e.ticketId}. Pedido de WooCommerce: ${e.wooOrderId}.`,
    ],
  }),
  fa: (e) => ({
    subject: `بلیت شما برای ${e.eventName}`,
    lines: [
      `${e.attendeeName} عزیز، سلام.`,
      '',
      `بلیت شما برای ${e.eventName} (${e.tierName}) تأیید شد.`,
      `شماره بلیت: ${e.ticketId}. شماره سفارش ووکامرس: ${e.wooOrderId}.`,
    ],
  }),
};

/** The attendee notice in the store's language (EVENTS_EMAIL_LOCALE), signed by the organizer. */
export function ticketEmailText(email: Parts, locale: EmailLocale): { subject: string; text: string } {
  const { subject, lines } = TEMPLATES[locale](email);
  return { subject, text: [...lines, '', email.organizerName].join('\n') };
}
