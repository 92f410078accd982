#!/usr/bin/env node
// The `invoicer` command: loads the TypeScript CLI through ./ts-hooks.mjs (no build step).
import { clearInterval, setInterval } from 'node:timers';

const [major] = process.versions.node.split('.').map(Number);
if (major < 24) {
  console.error(
    `invoicer needs Node >= 24 (this is ${process.versions.node}). Run scripts/bin/invoicer (or npx invoicer), which use the project's own Node in node_modules/node.`,
  );
  process.exit(2);
}
// Started by npm (`npx invoicer`, `npm start`): npm does not pass SIGTERM on to its child, so a
// process manager's `kill -TERM` of npm would orphan this process, its server and its DynamoDB
// Local. When npm goes, this process takes it as the SIGTERM that was meant for it (once). The
// background service of `local up` is meant to outlive its parent and says so (INVOICER_DETACHED).
if (process.env.npm_command !== undefined && process.env.INVOICER_DETACHED === undefined) {
  const parent = process.ppid;
  const watch = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(watch);
    process.kill(process.pid, 'SIGTERM');
  }, 250);
  watch.unref();
}
await import('./ts-hooks.mjs');
// A query on a data dir whose stack runs is answered by that stack (scripts/cli/query-client.ts).
const { runOnLocalStack } = await import('../cli/query-client.ts');
if (!(await runOnLocalStack(process.argv.slice(2)))) await import('../cli/invoicer.ts');
