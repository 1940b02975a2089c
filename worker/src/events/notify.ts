import { randomBytes } from 'node:crypto';

import { sql } from 'kysely';

import type { AppContext } from '../core/domain';
import type { EventsMailer } from './mailer';

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
  const event = await ctx.db
    .selectFrom('synchub_events as e')
    .innerJoin('synchub_event_organizers as o', 'o.id', 'e.organizer_id')
    .select(['e.name', 'o.name as organizer_name', 'o.email as organizer_email'])
    .where('e.id', '=', eventId)
    .executeTakeFirst();
  if (!event) return 0;
  const host = new URL(ctx.config.mail.smtpUrl ?? 'smtp://localhost').hostname || 'localhost';
  let sent = 0;
  for (;;) {
    const claim = randomBytes(16).toString('base64url').slice(0, 22);
    const claimed = await ctx.db
      .updateTable('synchub_event_tickets')
      .set({ notify_state: 'sending', notify_claim: claim, notify_claimed_at: sql<Date>`CURRENT_TIMESTAMP(3)` })
      .where('event_id', '=', eventId)
      .where('notify_state', '=', 'pending')
      .where('status', '=', 'valid')
      .limit(CLAIM)
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) === 0) return sent;
    const tickets = await ctx.db
      .selectFrom('synchub_event_tickets as t')
      .innerJoin('synchub_event_ticket_tiers as r', 'r.id', 't.tier_id')
      .innerJoin('synchub_event_ticket_orders as o', 'o.id', 't.ticket_order_id')
      .select(['t.id', 't.attendee_name', 't.attendee_email', 'r.name as tier_name', 'o.woocommerce_order_id'])
      .where('t.notify_claim', '=', claim)
      .orderBy('t.id')
      .execute();
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
        await ctx.db
          .updateTable('synchub_event_tickets')
          .set({ notify_state: 'pending', notify_claim: null })
          .where('notify_claim', '=', claim)
          .where('notify_state', '=', 'sending')
          .execute();
        throw error;
      }
      await ctx.db
        .updateTable('synchub_event_tickets')
        .set({ notify_state: 'sent', notified_at: sql<Date>`CURRENT_TIMESTAMP(3)` })
        .where('id', '=', ticket.id)
        .execute();
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
  // One fixed cutoff for both statements: a claim made in between is never released unnoticed.
  const cutoff = new Date(Date.now() - olderThanMs);
  const stale = sql<boolean>`notify_state = 'sending' AND (notify_claimed_at IS NULL OR notify_claimed_at < ${cutoff})`;
  const events = await ctx.db.selectFrom('synchub_event_tickets').select('event_id').distinct().where(stale).execute();
  if (events.length === 0) return [];
  await ctx.db.updateTable('synchub_event_tickets').set({ notify_state: 'pending', notify_claim: null, notify_claimed_at: null }).where(stale).execute();
  return events.map((row) => Number(row.event_id));
}
