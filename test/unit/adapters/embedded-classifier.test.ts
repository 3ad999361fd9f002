import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../../..');

// Patterns in each state V8 can leave one in before the classifier turns regular-expression
// tier-up off: never run, run once (bytecode, marked for machine code), run twice (machine code),
// and run once on a long subject. Each must still match correctly afterwards, and the process
// must live: flags changed after start are V8's undefined behaviour, and turning tier-up back on
// after patterns were compiled without it crashed node 20 and 22 (segmentation fault).
const SCRIPT = `
const never = /(\\d+)\\s*hours?/i;
const once = /\\bdelay(?:ed)?\\b/g;
const twice = /\\p{L}+/u;
const long = /(?:a|b)+c/;
once.test('flight delayed');
twice.test('héllo'); twice.test('wörld');
long.test('ab'.repeat(1000) + 'c');
const { embeddedClassifier } = await import('#adapters/embedded-classifier');
const { loadConfig } = await import('#config/load-config');
const classifier = embeddedClassifier(loadConfig({}).config.classifier);
once.lastIndex = 0;
const matches = [never.exec('3 hours')?.[1], once.test('we were delayed'), twice.exec('¡olé!')?.[0], long.test('ba'.repeat(600) + 'c'), long.test('ab')];
const [classified] = await classifier.classify([{ text: 'flight UA123 delayed 4 hours at ORD' }]);
console.log(JSON.stringify({ matches, category: classified.category, delayMinutes: classified.entities.delayMinutes }));
`;

describe('the embedded classifier', () => {
  it('leaves patterns compiled before it was built working, and the process alive, after it turns regular-expression tier-up off', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', SCRIPT], {
      cwd: ROOT,
      env: { ...process.env, REDRESS_CONFIG: '' },
      timeout: 60_000,
    });
    expect(JSON.parse(stdout.trim().split('\n').at(-1)!)).toEqual({ matches: ['3', true, 'olé', true, false], category: 'delay', delayMinutes: 240 });
  });
});
