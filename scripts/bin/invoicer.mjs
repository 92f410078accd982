#!/usr/bin/env node
// The `invoicer` command: loads the TypeScript CLI through tsx (no build step).
import { register } from 'tsx/esm/api';

const [major] = process.versions.node.split('.').map(Number);
if (major < 22) {
  console.error(
    `invoicer needs Node >= 22 (this is ${process.versions.node}). Run it through npm (npm start, npx invoicer) so the project's own Node in node_modules/.bin is used.`,
  );
  process.exit(2);
}
register();
await import('../cli/invoicer.ts');
