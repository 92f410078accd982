/**
 * `npm run bench:cli -- [--runs N] [--json FILE]`: the `invoicer` command as users type it, on a
 * running local stack. Starts `invoicer local up` in a fresh data dir, issues a month for 12 demo
 * customers, then times whole processes — start to exit, as a shell sees them — of queries
 * through the installed launcher (scripts/bin/invoicer) and through `npx invoicer`, N times each
 * (one after another), and stops the stack. Prints the median and p95 per command.
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

const opts = new Command('bench-cli')
  .option('--runs <n>', 'times each command is run', integerOption(3, 1000), 15)
  .option('--json <file>', 'also write the figures to FILE as JSON')
  .parse(process.argv)
  .opts<{ runs: number; json?: string }>();

const LAUNCHER = resolve('scripts/bin/invoicer');
const dataDir = mkdtempSync(join(tmpdir(), 'invoicer-bench-cli-'));
const env = { ...process.env, INVOICER_DATA_DIR: dataDir };

function invoicer(args: string[], via: 'launcher' | 'npx' = 'launcher'): { ms: number; stdout: string } {
  const started = performance.now();
  const out =
    via === 'launcher'
      ? spawnSync(LAUNCHER, args, { env, encoding: 'utf8' })
      : spawnSync('npx', ['invoicer', ...args], { env, encoding: 'utf8' });
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
  const rows: { command: string; launcher: ReturnType<typeof stats>; npx: ReturnType<typeof stats> }[] = [];
  for (const [name, args] of QUERIES) {
    invoicer(args); // the first start compiles what changed since the last one
    const viaLauncher = Array.from({ length: opts.runs }, () => invoicer(args).ms);
    const viaNpx = Array.from({ length: Math.min(opts.runs, 5) }, () => invoicer(args, 'npx').ms);
    rows.push({ command: name, launcher: stats(viaLauncher), npx: stats(viaNpx) });
  }
  figures = { runs: opts.runs, commands: rows };
} finally {
  spawnSync(LAUNCHER, ['local', 'down'], { env });
  rmSync(dataDir, { recursive: true, force: true });
}

if (opts.json) writeFileSync(opts.json, `${JSON.stringify(figures, null, 2)}\n`);
print(false, figures, () =>
  table(
    ['command (running local stack)', 'launcher median ms', 'launcher p95 ms', 'npx median ms'],
    figures.commands.map((r) => [
      r.command,
      String(r.launcher.medianMs),
      String(r.launcher.p95Ms),
      String(r.npx.medianMs),
    ]),
  ),
);
