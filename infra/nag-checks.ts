import { Validations, type App } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { acknowledgeNagFindings } from './nag-suppressions.ts';
import type { RedressStack } from './stack.ts';

/**
 * cdk-nag's AwsSolutions and Serverless packs as validation plugins, with our acknowledgements:
 * at synth, any finding not acknowledged fails it (the CLI exits 1, in-process synth throws).
 */
export function addNagChecks(app: App, stack: RedressStack): void {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }), new ServerlessChecks(app, { verbose: true }));
  acknowledgeNagFindings(stack);
}
