/**
 * CDK app entry (cdk.json "app"): reads the configuration once from context, validates it, and
 * builds the stack. cdk-nag's AwsSolutions pack checks the whole app on every synth.
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { BillingStack, stackNameFor } from './billing-stack.js';
import { CONFIG_KEYS, ConfigurationError, readConfig } from './config.js';
import { FEATURE_FLAGS } from './feature-flags.js';

const app = new App({ context: FEATURE_FLAGS });
let config;
try {
  config = readConfig((key) => app.node.tryGetContext(key));
} catch (error) {
  if (error instanceof ConfigurationError) {
    console.error(`${error.message}\nknown keys: ${CONFIG_KEYS.join(', ')}`);
    process.exit(1);
  }
  throw error;
}

new BillingStack(app, stackNameFor(config.stage), {
  config,
  description: `invoicer monthly billing run (${config.stage})`,
  // Account and region come from the CLI's credentials at deploy time (environment-agnostic synth).
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
