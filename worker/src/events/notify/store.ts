import { sql } from 'kysely';

import type { Db } from '../../core/db';

/** The attendee notices' state on the tickets: claims so two workers never email the same ticket. */
export class NoticeStore {
  constructor(private readonly db: Db) {}

  /** The event's name and organizer, the notices' sender; undefined when the event is gone. */
  event(eventId: number) {
    return this.db
      .selectFrom('synchub_events as e')
      .innerJoin('synchub_event_organizers as o', 'o.id', 'e.organizer_id')
      .select(['e.name', 'o.name as organizer_name', 'o.email as organizer_email'])
      .where('e.id', '=', eventId)
      .executeTakeFirst();
  }

  /** Claims up to `limit` pending notices of valid tickets under `claim`; resolves with how many. */
  async claim(eventId: number, claim: string, limit: number): Promise<number> {
    const claimed = await this.db
      .updateTable('synchub_event_tickets')
      .set({ notify_state: 'sending', notify_claim: claim, notify_claimed_at: sql<Date>`CURRENT_TIMESTAMP(3)` })
      .where('event_id', '=', eventId)
      .where('notify_state', '=', 'pending')
      .where('status', '=', 'valid')
      .limit(limit)
      .executeTakeFirst();
    return Number(claimed.numUpdatedRows);
  }

  claimed(claim: string) {
    return this.db
      .selectFrom('synchub_event_tickets as t')
      .innerJoin('synchub_event_ticket_tiers as r', 'r.id', 't.tier_id')
      .innerJoin('synchub_event_ticket_orders as o', 'o.id', 't.ticket_order_id')
      .select(['t.id', 't.attendee_name', 't.attendee_email', 'r.name as tier_name', 'o.woocommerce_order_id'])
      .where('t.notify_claim', '=', claim)
      .orderBy('t.id')
      .execute();
  }

  /** Puts the claim's unsent notices back to pending. */
  async release(claim: string): Promise<void> {
    await this.db
      .updateTable('synchub_event_tickets')
      .set({ notify_state: 'pending', notify_claim: null })
      .where('notify_claim', '=', claim)
      .where('notify_state', '=', 'sending')
      .execute();
  }

  async markSent(ticketId: number): Promise<void> {
    await this.db
      .updateTable('synchub_event_tickets')
      .set({ notify_state: 'sent', notified_at: sql<Date>`CURRENT_TIMESTAMP(3)` })
      .where('id', '=', ticketId)
      .execute();
  }

  /** Claims older than `cutoff` go back to pending; resolves with their events. */
  async releaseOlderThan(cutoff: Date): Promise<number[]> {
    // One fixed cutoff for both statements: a claim made in between is never released unnoticed.
    const stale = sql<boolean>`notify_state = 'sending' AND (notify_claimed_at IS NULL OR notify_claimed_at < ${cutoff})`;
    const events = await this.db.selectFrom('synchub_event_tickets').select('event_id').distinct().where(stale).execute();
    if (events.length === 0) return [];
    await this.db.updateTable('synchub_event_tickets').set({ notify_state: 'pending', notify_claim: null, notify_claimed_at: null }).where(stale).execute();
    return events.map((row) => Number(row.event_id));
  }
}
