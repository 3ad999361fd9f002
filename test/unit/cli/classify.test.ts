import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { Classification } from '#contracts/classification';
import { shippedTestClassifier } from '#test/support/in-memory-ports';
import { runClassify } from '../../../bin/classify/command.ts';

async function classifyLines(input: string, pretty = false) {
  const output = new PassThrough();
  const chunks: string[] = [];
  output.on('data', (chunk: Buffer) => chunks.push(chunk.toString('utf8')));
  const errors = await runClassify({ input: Readable.from([input]), output, classifier: shippedTestClassifier(), pretty });
  return { errors, text: chunks.join('') };
}

describe('npx redress classify', () => {
  it('writes one classification per post, in input order, carrying the id and the line number', async () => {
    const { errors, text } = await classifyLines(
      ['{"id": "p-1", "text": "my bag never arrived"}', 'Thanks for the smooth flight!', '', '{"id": 42, "text": "flight delayed 4 hours"}'].join('\n'),
    );
    const lines = text.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(errors).toBe(0);
    expect(lines.map((line) => [line.id, line.line])).toEqual([
      ['p-1', 1],
      [null, 2],
      ['42', 4],
    ]);
    for (const line of lines) {
      const { id: _id, line: _line, ...classification } = line;
      expect(Classification.safeParse(classification).success).toBe(true);
    }
    expect(lines.map((line) => line.isIssue)).toEqual([true, false, true]);
  });

  it('answers a line it cannot read with an error object for that line and goes on', async () => {
    const { errors, text } = await classifyLines(['{"id": "a", "text": ""}', '{broken json', '{"id": "b", "text": "cancelled again"}'].join('\n'));
    const lines = text.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(errors).toBe(2);
    expect(lines[0]).toEqual({ id: 'a', line: 1, error: expect.stringContaining('text') });
    expect(lines[1]).toEqual({ id: null, line: 2, error: expect.stringMatching(/^not valid JSON/) });
    expect(lines[2]).toMatchObject({ id: 'b', line: 3, isIssue: true });
  });

  it('keeps the order across chunks of a long input', async () => {
    const input = Array.from({ length: 1300 }, (_, index) => JSON.stringify({ id: `n${index}`, text: index % 2 ? 'lost luggage again' : 'lovely crew' })).join('\n');
    const { text } = await classifyLines(input);
    const ids = text.trim().split('\n').map((line) => (JSON.parse(line) as { id: string }).id);
    expect(ids).toEqual(Array.from({ length: 1300 }, (_, index) => `n${index}`));
  });

  it('prints a readable summary with the reasons for people with --pretty', async () => {
    const { text } = await classifyLines('{"id": "x1", "text": "UA123 delayed 4 hours at ORD"}', true);
    expect(text).toMatch(/^line 1 \(x1\): ISSUE delay P2 · confidence \d\.\d\d · en/);
    expect(text).toContain('priority: P2 severe disruption: delay of 180 minutes or more [240 minutes]');
  });
});
