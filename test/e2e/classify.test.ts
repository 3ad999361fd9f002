import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// `npx redress classify` as a person runs it: the bin shim in a node process of its own, posts
// on stdin, classifications on stdout.
const ROOT = path.resolve(import.meta.dirname, '../..');

function classify(args: string[], input: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/redress.js', 'classify', ...args], { cwd: ROOT, env: { ...process.env, REDRESS_CONFIG: '' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

describe('npx redress classify', () => {
  it('reads JSON and plain lines from stdin and writes one classification per post, in order, exit 0 even with a bad line', async () => {
    const run = await classify([], '{"id": "c1", "text": "@SkyLarkAir flight SK 220 cancelled, no rebooking"}\n{not json\n{"id": "c3"}\nlovely crew on the way to Lisbon!\n');
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.map((line) => [line.id, line.line, line.category ?? 'error'])).toEqual([
      ['c1', 1, 'cancellation'],
      [null, 2, 'error'],
      ['c3', 3, 'error'],
      [null, 4, 'not_issue'],
    ]);
    expect(lines[0]).toMatchObject({ priority: 'P2', entities: { flightNumbers: ['SK220'] } });
  });

  it('prints a summary a person can read with --pretty', async () => {
    const run = await classify(['--pretty'], 'my bag never arrived at LHR\n');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^line 1: ISSUE baggage P3/);
    expect(run.stdout).toContain('entity: airports [LHR]');
  });

  it('exits 2 with a usage message when the file to read does not exist', async () => {
    const run = await classify(['--file', 'no-such-file.jsonl'], '');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--file no-such-file.jsonl: no such file');
  });
});
