import type { OutgoingEvent, TicketRespondedDetail } from '#contracts/events';
import type { ReplyRecord } from '../ports.ts';

/** The reply record a Ticket.Responded event stands for, as stored and shown before it is sent. */
export function pendingReplyRecord(event: OutgoingEvent): ReplyRecord {
  const detail = event.detail as TicketRespondedDetail;
  return {
    replyId: detail.replyId,
    ticketId: detail.ticketId,
    text: detail.text,
    agent: detail.actor,
    replyTo: detail.replyTo,
    createdAt: detail.at,
    delivery: { status: 'pending', attempts: 0 },
  };
}
