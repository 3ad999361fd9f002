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
    expect(config.sla.firstResponse).toEqual({ P1: 900, P2: 3600, P3: 14_400, P4: 172_800 });
  });

  it('overrides from REDRESS_CONFIG: objects merge key by key, lists replace', () => {
    const file = configFile({
      sla: { firstResponse: { P3: '10s' } },
      local: { scheduleIntervalSeconds: 1 },
      queues: [{ name: 'everything', description: 'all issues', pattern: { detail: { classification: { isIssue: [true] } } } }],
    });
    const { config, origin } = loadConfig({ REDRESS_CONFIG: file });
    expect(origin).toBe(file);
    expect(config.sla.firstResponse).toEqual({ P1: 900, P2: 3600, P3: 10, P4: 172_800 });
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
    const file = configFile({ sla: { firstResponse: { P1: '15 minutes' } } });
    expect(() => loadConfig({ REDRESS_CONFIG: file })).toThrow(/expected a duration such as "30s", "15m", "4h" or "2d"/);
  });

  it('says which file could not be read', () => {
    expect(() => loadConfig({ REDRESS_CONFIG: '/nonexistent/redress.json' })).toThrow('REDRESS_CONFIG=/nonexistent/redress.json could not be read as JSON');
    expect(() => loadConfig({ REDRESS_CONFIG: configFile('{ not json') })).toThrow(/could not be read as JSON/);
  });
});
