/** Options and settings every command shares. */
import { hostname, userInfo } from 'node:os';
import { Option } from 'commander';
import { sellerConfig } from '../../lambdas/shared/config.js';
import { ENV } from '../../lambdas/shared/contracts/env.js';
import { DATA_DIR_ENV, defaultDataDir } from './data-dir.js';

export const dataDirOption = () =>
  new Option(
    '--data-dir <dir>',
    `where the local stack keeps its state (default: $${DATA_DIR_ENV}, else the project's .data)`,
  ).default(defaultDataDir(), `$${DATA_DIR_ENV} or .data`);

/** Diagnostics (handler logs, stack traces) are wanted: `--verbose` or INVOICER_DEBUG. */
export const debugRequested = (): boolean => Boolean(process.env.INVOICER_DEBUG);

/** The seller on local invoices: SELLER_JSON when set (as on Lambda), else the demo seller. */
export const localSeller = () => (process.env[ENV.sellerJson] ? sellerConfig(process.env) : undefined);

/** Who is acting, for the operator log and the records it signs: the local user and machine. */
export const operatorIdentity = (): string => `local:${userInfo().username}@${hostname()}`;
