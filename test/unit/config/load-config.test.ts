import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '#config/load-config';

function configFile(content: unknown): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'redress-config-')), 'config.json');
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

describe('configuration', () => {
  it('has valid defaults: six queues, safety first', () => {
    const { config, origin } = loadConfig({});
    expect(origin).toBe('defaults');
    expect(config.queues.map((queue) => queue.name)).toEqual(['safety', 'delays', 'catering', 'baggage', 'triage', 'general']);
    expect(config.sla.policies.P1).toEqual({ firstResponse: 900, nextResponse: 1800, resolution: 14_400 });
    expect(config.sla.warningThreshold).toBe(0.8);
    expect(config.ops).toEqual({ alarmEmails: [], oldestOpenTicketAlarm: 86_400, webhook5xxPercent: 1 });
  });

  it('overrides from REDRESS_CONFIG: objects merge key by key, lists replace', () => {
    const file = configFile({
      sla: { policies: { P3: { firstResponse: '10s' } } },
      local: { scheduleIntervalSeconds: 1 },
      queues: [{ name: 'everything', description: 'all issues', pattern: { detail: { classification: { isIssue: [true] } } } }],
    });
    const { config, origin } = loadConfig({ REDRESS_CONFIG: file });
    expect(origin).toBe(file);
    expect(config.sla.policies.P3).toEqual({ firstResponse: 10, nextResponse: 28_800, resolution: 259_200 });
    expect(config.sla.policies.P1.firstResponse).toBe(900);
    expect(config.local.scheduleIntervalSeconds).toBe(1);
    expect(config.queues.map((queue) => queue.name)).toEqual(['everything']);
  });

  it("rejects a queue pattern EventBridge would reject, with EventBridge's reason", () => {
    const file = configFile({ queues: [{ name: 'bad', description: 'x', pattern: { detail: { priority: [{ prefix: 1 }] } } }] });
    expect(() => loadConfig({ REDRESS_CONFIG: file })).toThrow(ConfigError);
    expect(() => loadConfig({ REDRESS_CONFIG: file })).toThrow(/Event pattern is not valid\. Reason: prefix match pattern must be a string[\s\S]*queues\[0\]\.pattern/);
  });

  it('rejects two queues with the same name, and names the field', () => {
    const queue = { name: 'twice', description: 'x', pattern: { detail: { queue: ['a'] } } };
    const file = configFile({ queues: [queue, queue] });
    expect(() => loadConfig({ REDRESS_CONFIG: file })).toThrow(/queue "twice" is defined twice[\s\S]*queues\[1\]\.name/);
  });

  it('rejects a duration it cannot read, saying what a duration looks like', () => {
    const file = configFile({ sla: { policies: { P1: { firstResponse: '15 minutes' } } } });
    expect(() => loadConfig({ REDRESS_CONFIG: file })).toThrow(/expected a duration such as "30s", "15m", "4h" or "2d"/);
  });

  it('reads per-queue business hours and SLA overrides, and names what is wrong with them', () => {
    const queue = { name: 'delays', description: 'x', pattern: { detail: { queue: ['delays'] } } };
    const hours = { timeZone: 'Europe/London', windows: [{ days: ['mon'], from: '09:00', to: '17:00' }] };
    const file = configFile({ queues: [{ ...queue, businessHours: hours, sla: { P2: { firstResponse: '10s' } } }], sla: { warningThreshold: 0.5 } });
    const { config } = loadConfig({ REDRESS_CONFIG: file });
    expect(config.queues[0]).toMatchObject({ businessHours: { ...hours, holidays: [] }, sla: { P2: { firstResponse: 10 } } });
    expect(config.sla.warningThreshold).toBe(0.5);

    const badZone = configFile({ queues: [{ ...queue, businessHours: { ...hours, timeZone: 'Mars/Olympus' } }] });
    expect(() => loadConfig({ REDRESS_CONFIG: badZone })).toThrow(/Mars\/Olympus[\s\S]*queues\[0\]\.businessHours\.timeZone/);
    expect(() => loadConfig({ REDRESS_CONFIG: configFile({ sla: { warningThreshold: 1 } }) })).toThrow(/sla\.warningThreshold/);
    expect(() => loadConfig({ REDRESS_CONFIG: configFile({ sla: { onReopen: ['lunch'] } }) })).toThrow(/sla\.onReopen/);
    expect(() => loadConfig({ REDRESS_CONFIG: configFile({ ops: { alarmEmails: ['not an address'] } }) })).toThrow(/ops\.alarmEmails/);
  });

  it("reads the classifier's time zone, which is unset by default, and names a zone that is not one", () => {
    expect(loadConfig({}).config.classifier.timeZone).toBeUndefined();
    const file = configFile({ classifier: { timeZone: 'America/Chicago' } });
    expect(loadConfig({ REDRESS_CONFIG: file }).config.classifier).toMatchObject({ timeZone: 'America/Chicago', coveredLanguages: ['en'] });
    for (const zone of ['Mars/Olympus', '+05:30']) {
      expect(() => loadConfig({ REDRESS_CONFIG: configFile({ classifier: { timeZone: zone } }) })).toThrow(/is not a time zone[\s\S]*classifier\.timeZone/);
    }
  });

  it('reads the issue threshold, 0.5 by default, and rejects one outside 0.05 to 0.95 or not a number', () => {
    expect(loadConfig({}).config.classifier.issueThreshold).toBe(0.5);
    expect(loadConfig({ REDRESS_CONFIG: configFile({ classifier: { issueThreshold: 0.35 } }) }).config.classifier).toMatchObject({ issueThreshold: 0.35, coveredLanguages: ['en'] });
    for (const issueThreshold of [0, 0.01, 1, 1.5, '0.4', null]) {
      expect(() => loadConfig({ REDRESS_CONFIG: configFile({ classifier: { issueThreshold } }) })).toThrow(/classifier\.issueThreshold/);
    }
  });

  it('reads subscribers (any pattern, to ops), and rejects a bad pattern or a name given twice', () => {
    const { config } = loadConfig({});
    expect(config.subscribers.map((subscriber) => subscriber.name)).toEqual(['safety-to-ops']);
    const subscriber = { name: 'all-breaches', description: 'x', pattern: { 'detail-type': ['Ticket.SlaBreached'] }, target: 'ops' };
    expect(loadConfig({ REDRESS_CONFIG: configFile({ subscribers: [subscriber] }) }).config.subscribers).toEqual([subscriber]);
    const bad = configFile({ subscribers: [{ ...subscriber, pattern: { detail: { priority: [{ prefix: 1 }] } } }] });
    expect(() => loadConfig({ REDRESS_CONFIG: bad })).toThrow(/Event pattern is not valid[\s\S]*subscribers\[0\]\.pattern/);
    expect(() => loadConfig({ REDRESS_CONFIG: configFile({ subscribers: [subscriber, subscriber] }) })).toThrow(/subscriber "all-breaches" is defined twice/);
    expect(() => loadConfig({ REDRESS_CONFIG: configFile({ subscribers: [{ ...subscriber, target: 'pager' }] }) })).toThrow(/subscribers\[0\]\.target/);
  });

  it('says which file could not be read', () => {
    expect(() => loadConfig({ REDRESS_CONFIG: '/nonexistent/redress.json' })).toThrow('REDRESS_CONFIG=/nonexistent/redress.json could not be read as JSON');
    expect(() => loadConfig({ REDRESS_CONFIG: configFile('{ not json') })).toThrow(/could not be read as JSON/);
  });
});
