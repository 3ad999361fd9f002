import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readValidationReport, unacknowledgedNagFindings } from './nag-report.ts';
import { addNagChecks, buildRedress } from './synth.ts';

// The stack as deployed passes the same check in deployable-app.test.ts; this is its control.
const outdir = mkdtempSync(path.join(tmpdir(), 'redress-infra-nag-'));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

describe('the cdk-nag check', () => {
  it('fails the synth and names the finding when a non-compliant resource is added', () => {
    const { app, stack } = buildRedress({ outdir });
    addNagChecks(app, stack);
    new Queue(stack, 'Unencrypted', { encryption: QueueEncryption.UNENCRYPTED });

    expect(() => app.synth()).toThrow(/AwsSolutions-SQS2/);

    const open = unacknowledgedNagFindings(readValidationReport(outdir));
    expect(open).toContainEqual({ pack: 'AwsSolutions', rule: 'AwsSolutions-SQS2', constructPath: 'Redress/Unencrypted/Resource' });
    // Everything else in the stack stays acknowledged: the only open findings are on the added queue.
    expect(open.filter((finding) => !finding.constructPath.startsWith('Redress/Unencrypted/'))).toEqual([]);
  });
});
