#!/usr/bin/env node
// The `invoicer` command: loads the TypeScript CLI through tsx (no build step).
import { clearInterval, setInterval } from 'node:timers';
import { register } from 'tsx/esm/api';

const [major] = process.versions.node.split('.').map(Number);
if (major < 22) {
  console.error(
    `invoicer needs Node >= 22 (this is ${process.versions.node}). Run it through npm (npm start, npx invoicer) so the project's own Node in node_modules/.bin is used.`,
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
register();
await import('../cli/invoicer.ts');
