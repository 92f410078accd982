/** Options and settings every command shares. */
import { Option } from 'commander';
import { sellerConfig } from '../../lambdas/shared/config.js';
import { ENV } from '../../lambdas/shared/contracts/env.js';
import { DATA_DIR_ENV, defaultDataDir } from './data-dir.js';
import { STACK_ENV, TARGET_ENV, TARGET_KINDS } from './target.js';

export const targetOption = () =>
  new Option('--target <where>', `local (default) or aws (then --stack)`)
    .choices(TARGET_KINDS)
    .env(TARGET_ENV);

export const stackOption = () =>
  new Option('--stack <name>', 'the deployed CloudFormation stack (with --target aws)').env(STACK_ENV);

export const dataDirOption = () =>
  new Option(
    '--data-dir <dir>',
    `where the local stack keeps its state (default: $${DATA_DIR_ENV}, else the project's .data)`,
  ).default(defaultDataDir(), `$${DATA_DIR_ENV} or .data`);

/** Diagnostics (handler logs, stack traces) are wanted: `--verbose` or INVOICER_DEBUG. */
export const debugRequested = (): boolean => Boolean(process.env.INVOICER_DEBUG);

/** The seller on local invoices: SELLER_JSON when set (as on Lambda), else the demo seller. */
export const localSeller = () => (process.env[ENV.sellerJson] ? sellerConfig(process.env) : undefined);
