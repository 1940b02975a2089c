import type { Job } from 'bullmq';

export interface InboundEvent {
  id: number;
  eventId: string;
  topic: string;
  source: string | null;
  resourceId: string | null;
  /** The exact JSON body that was signed. */
  payload: unknown;
  receivedAt: Date;
}

/** `ignored` marks events the domain acknowledged but had nothing to do for (logged, not failed). */
export type InboundOutcome = 'processed' | 'ignored';

export type InboundHandler = (event: InboundEvent, job: Job, signal: AbortSignal) => Promise<InboundOutcome | void>;
