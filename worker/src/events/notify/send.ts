import { randomBytes } from 'node:crypto';

import type { AppContext } from '../../core/domain';
import type { EventsMailer } from './mailer';
import { NoticeStore } from './store';

const CLAIM = 50;
/** Longer than sending one claim of notices takes, even over a slow SMTP server. */
export const NOTICE_CLAIM_STALE_MS = 15 * 60_000;

/**
 * Sends the pending attendee notices of an event. Each ticket is claimed before sending, so two
 * workers never email the same ticket; a failed send puts it back to pending and the job retries.
 */
export async function notifyPendingTickets(ctx: AppContext, mailer: EventsMailer, eventId: number): Promise<number> {
  if (!mailer.configured) {
    ctx.logger.warn({ eventId }, 'attendee emails pending: SMTP_URL is not set');
    return 0;
  }
  const store = new NoticeStore(ctx.db);
  const event = await store.event(eventId);
  if (!event) return 0;
  const host = new URL(ctx.config.mail.smtpUrl ?? 'smtp://localhost').hostname || 'localhost';
  let sent = 0;
  for (;;) {
    const claim = randomBytes(16).toString('base64url').slice(0, 22);
    if ((await store.claim(eventId, claim, CLAIM)) === 0) return sent;
    const tickets = await store.claimed(claim);
    for (const ticket of tickets) {
      try {
        await mailer.sendTicket(
          {
            ticketId: Number(ticket.id),
            to: ticket.attendee_email,
            attendeeName: ticket.attendee_name,
            eventName: event.name,
            tierName: ticket.tier_name,
            organizerName: event.organizer_name,
            organizerEmail: event.organizer_email,
            wooOrderId: Number(ticket.woocommerce_order_id),
          },
          host,
        );
      } catch (error) {
        await store.release(claim);
        throw error;
      }
      await store.markSent(Number(ticket.id));
      sent += 1;
    }
  }
}

/**
 * Notices claimed by a process that died before sending them go back to pending; resolves with
 * the events to notify again. The notice being sent at the moment of the crash may have left
 * the SMTP server already, so its attendee can get it twice: a duplicate beats a missing ticket.
 */
export async function releaseStaleClaims(ctx: AppContext, olderThanMs: number): Promise<number[]> {
  return new NoticeStore(ctx.db).releaseOlderThan(new Date(Date.now() - olderThanMs));
}
