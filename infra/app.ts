import { App } from 'aws-cdk-lib';
import { loadConfig } from '#config/load-config';
import { addNagChecks } from './nag-checks.ts';
import { RedressStack } from './stack.ts';

// The one place that reads the environment and the config file; everything below gets props.
const app = new App();
const stack = new RedressStack(app, 'Redress', {
  config: loadConfig(),
  description: 'redress: social-complaint responder (webhooks, routing, tickets, SLAs)',
});
addNagChecks(app, stack);
