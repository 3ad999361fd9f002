import type { RedressConfigInput } from '#contracts/config';

/** Languages the classifier covers; a post in any other language goes to human triage. */
const COVERED_LANGUAGES = ['en'];

/**
 * The default configuration. Queue order matters: a post goes to the first queue whose pattern
 * matches, so safety comes first whatever the category.
 */
export const defaultConfig: RedressConfigInput = {
  busName: 'redress',
  queues: [
    {
      name: 'safety',
      description: 'Safety and health issues (P1), whatever the category',
      pattern: { detail: { classification: { priority: ['P1'] } } },
    },
    {
      name: 'delays',
      description: 'Delays and cancellations',
      pattern: { detail: { classification: { category: ['delay', 'cancellation'] } } },
    },
    {
      name: 'catering',
      description: 'Meals and food on board or in lounges',
      pattern: { detail: { classification: { category: ['meal'] } } },
    },
    {
      name: 'baggage',
      description: 'Lost, delayed or damaged baggage',
      pattern: { detail: { classification: { category: ['baggage'] } } },
    },
    {
      name: 'triage',
      description: 'Issues in languages the classifier does not cover, for a person to read',
      pattern: {
        detail: { classification: { isIssue: [true], language: [{ 'anything-but': COVERED_LANGUAGES }] } },
      },
    },
    {
      name: 'general',
      description: 'Every other complaint',
      pattern: { detail: { classification: { category: ['other_complaint'] } } },
    },
  ],
  subscribers: [
    {
      name: 'safety-to-ops',
      description: 'Every safety or health post (P1), to the ops topic as well as to the safety queue',
      pattern: { source: ['redress.ingest'], 'detail-type': ['Post.Classified'], detail: { classification: { priority: ['P1'] } } },
      target: 'ops',
    },
  ],
  ingest: {
    publishNotIssues: false,
  },
  classifier: {
    coveredLanguages: COVERED_LANGUAGES,
    issueThreshold: 0.5,
    priority: { severeDelayMinutes: 180, safetyTerms: [], severeDisruptionTerms: [] },
  },
  sla: {
    policies: {
      P1: { firstResponse: '15m', nextResponse: '30m', resolution: '4h' },
      P2: { firstResponse: '1h', nextResponse: '2h', resolution: '1d' },
      P3: { firstResponse: '4h', nextResponse: '8h', resolution: '3d' },
      P4: { firstResponse: '2d', nextResponse: '2d', resolution: '7d' },
    },
    warningThreshold: 0.8,
    onReopen: ['next_response', 'resolution'],
  },
  tickets: {
    followUpWindow: '72h',
  },
  retentionDays: 90,
  deployment: {
    deletionProtection: true,
    logRetentionDays: 30,
  },
  ops: {
    alarmEmails: [],
    oldestOpenTicketAlarm: '1d',
    webhook5xxPercent: 1,
  },
  local: {
    scheduleIntervalSeconds: 5,
  },
};
