import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { loadConfig } from '#config/load-config';
import { acknowledgeNagFindings } from './nag-suppressions.ts';
import { RedressStack } from './stack.ts';

// The one place that reads the environment and the config file; everything below gets props.
const app = new App();
const stack = new RedressStack(app, 'Redress', {
  config: loadConfig(),
  description: 'redress: social-complaint responder (webhooks, routing, tickets, SLAs)',
});
// cdk-nag's packs run as validation plugins at synth: any finding not acknowledged fails it.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }), new ServerlessChecks(app, { verbose: true }));
acknowledgeNagFindings(stack);
