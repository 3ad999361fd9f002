/** Event sources and detail-types on the `redress` bus (../shared/DESIGN.md "Contracts"). */
export const EventSource = {
  ingest: 'redress.ingest',
  tickets: 'redress.tickets',
} as const;

export const DetailType = {
  postClassified: 'Post.Classified',
  postRemoved: 'Post.Removed',
  ticketCreated: 'Ticket.Created',
  ticketUpdated: 'Ticket.Updated',
  ticketResponded: 'Ticket.Responded',
  ticketResolved: 'Ticket.Resolved',
  ticketReopened: 'Ticket.Reopened',
  ticketSlaWarning: 'Ticket.SlaWarning',
  ticketSlaBreached: 'Ticket.SlaBreached',
} as const;

/** An event ready to publish: what PutEvents needs besides the bus. */
export interface OutgoingEvent {
  source: (typeof EventSource)[keyof typeof EventSource];
  detailType: (typeof DetailType)[keyof typeof DetailType];
  detail: Record<string, unknown>;
}
