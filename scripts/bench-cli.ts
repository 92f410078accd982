/**
 * `npm run bench:cli -- [--runs N] [--json FILE]`: the `invoicer` command as users type it, on a
 * running local stack. Starts `invoicer local up` in a fresh data dir, issues a month for 12 demo
 * customers, then times whole processes — start to exit, as a shell sees them — of queries
 * through the installed launcher (scripts/bin/invoicer; a query is answered by the stack's warm
 * worker), the launcher with INVOICER_IN_PROCESS=1 (the command loads and runs in its own
 * process), and `npx invoicer`, N times each (one after another; npx at most 5), and stops the
 * stack. Prints the median and p95 per command.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import { percentile } from '../workflows/local/instrumentation.js';
import { table } from './cli/format.js';
import { integerOption } from './cli/options.js';
import { print } from './cli/output.js';
import { IN_PROCESS_ENV } from './cli/query-client.js';

const opts = new Command('bench-cli')
  .option('--runs <n>', 'times each command is run', integerOption(3, 1000), 15)
  .option('--json <file>', 'also write the figures to FILE as JSON')
  .parse(process.argv)
  .opts<{ runs: number; json?: string }>();

const LAUNCHER = resolve('scripts/bin/invoicer');
const dataDir = mkdtempSync(join(tmpdir(), 'invoicer-bench-cli-'));
const env = { ...process.env, INVOICER_DATA_DIR: dataDir };

type Via = 'launcher' | 'in-process' | 'npx';

function invoicer(args: string[], via: Via = 'launcher'): { ms: number; stdout: string } {
  const started = performance.now();
  const out =
    via === 'npx'
      ? spawnSync('npx', ['invoicer', ...args], { env, encoding: 'utf8' })
      : spawnSync(LAUNCHER, args, {
          env: via === 'in-process' ? { ...env, [IN_PROCESS_ENV]: '1' } : env,
          encoding: 'utf8',
        });
  const ms = performance.now() - started;
  if (out.status !== 0) throw new Error(`invoicer ${args.join(' ')} exited ${out.status}: ${out.stderr}`);
  return { ms, stdout: out.stdout };
}

const QUERIES: [string, string[]][] = [
  ['--version', ['--version']],
  ['runs list', ['runs', 'list']],
  ['invoices list', ['invoices', 'list', '--period', '2026-11']],
  ['search müller', ['search', 'müller']],
  ['invoices show', ['invoices', 'show', 'INV-2026-000001']],
];

const round = (ms: number) => Math.round(ms);
const stats = (times: number[]) => {
  const sorted = [...times].sort((a, b) => a - b);
  return { medianMs: round(percentile(sorted, 50)), p95Ms: round(percentile(sorted, 95)) };
};

let figures;
try {
  invoicer(['local', 'up']);
  invoicer(['run', '--period', '2026-11', '--demo-customers', '12']);
  const rows: ({ command: string } & Record<Via, ReturnType<typeof stats>>)[] = [];
  const timed = (args: string[], via: Via, times: number) =>
    stats(Array.from({ length: times }, () => invoicer(args, via).ms));
  for (const [name, args] of QUERIES) {
    invoicer(args, 'in-process'); // the first start compiles what changed since the last one
    rows.push({
      command: name,
      launcher: timed(args, 'launcher', opts.runs),
      'in-process': timed(args, 'in-process', opts.runs),
      npx: timed(args, 'npx', Math.min(opts.runs, 5)),
    });
  }
  figures = { runs: opts.runs, commands: rows };
} finally {
  spawnSync(LAUNCHER, ['local', 'down'], { env });
  rmSync(dataDir, { recursive: true, force: true });
}

if (opts.json) writeFileSync(opts.json, `${JSON.stringify(figures, null, 2)}\n`);
print(false, figures, () =>
  table(
    [
      'command (running local stack)',
      'launcher median ms',
      'launcher p95 ms',
      'in-process median ms',
      'npx median ms',
    ],
    figures.commands.map((r) => [
      r.command,
      String(r.launcher.medianMs),
      String(r.launcher.p95Ms),
      String(r['in-process'].medianMs),
      String(r.npx.medianMs),
    ]),
  ),
);
