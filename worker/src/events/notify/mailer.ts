// nodemailer is loaded on the first mail: a worker without SMTP never holds it in memory.
import type { Transporter } from 'nodemailer';

import type { Logger } from '../../core/logger';
import { ticketEmailText, type EmailLocale } from './email-text';

export interface TicketEmail {
  ticketId: number;
  to: string;
  attendeeName: string;
  eventName: string;
  tierName: string;
  organizerName: string;
  organizerEmail: string;
  wooOrderId: number;
}

/** Attendee notices and failure alerts through `SMTP_URL`; no URL → nothing can be sent. */
export class EventsMailer {
  private transport: Transporter | undefined;

  constructor(
    private readonly smtpUrl: string | undefined,
    private readonly adminEmails: string[],
    private readonly logger: Logger,
    private readonly locale: EmailLocale = 'en',
  ) {}

  get configured(): boolean {
    return Boolean(this.smtpUrl);
  }

  private async transporter(): Promise<Transporter> {
    if (!this.smtpUrl) throw new Error('SMTP_URL is not set; attendee emails cannot be sent.');
    if (!this.transport) {
      // A pooled transport keeps one SMTP session for a run's worth of notices.
      const url = new URL(this.smtpUrl);
      if (!url.searchParams.has('pool')) url.searchParams.set('pool', 'true');
      const { createTransport } = await import('nodemailer');
      this.transport ??= createTransport(url.toString());
    }
    return this.transport;
  }

  /** The Message-ID is derived from the ticket, so a resend after a crash is recognisable as the same notice. */
  async sendTicket(email: TicketEmail, host: string): Promise<void> {
    const { subject, text } = ticketEmailText(email, this.locale);
    await (
      await this.transporter()
    ).sendMail({
      from: { name: email.organizerName, address: email.organizerEmail },
      to: { name: email.attendeeName, address: email.to },
      subject,
      messageId: `<ticket-${email.ticketId}@${host}>`,
      headers: { 'X-SyncHub-Ticket': String(email.ticketId), 'Content-Language': this.locale },
      text,
    });
  }

  /** Best effort: an alert that cannot be sent is logged, never thrown. */
  async alert(subject: string, text: string): Promise<void> {
    if (!this.smtpUrl || this.adminEmails.length === 0) {
      this.logger.warn({ subject }, 'events alert not emailed: SMTP_URL or ADMIN_EMAILS missing');
      return;
    }
    try {
      await (await this.transporter()).sendMail({ from: 'Sync Hub <sync-hub@localhost>', to: this.adminEmails, subject: `[Sync Hub] ${subject}`, text });
    } catch (error) {
      this.logger.error({ err: error, subject }, 'events alert could not be emailed');
    }
  }

  close(): void {
    this.transport?.close();
    this.transport = undefined;
  }
}
