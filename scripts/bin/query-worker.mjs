// A query worker of the running local stack (scripts/cli/query-worker.ts), with the `invoicer`
// bin's TypeScript hooks: module hooks belong to the thread that registers them.
await import('./ts-hooks.mjs');
await import('../cli/query-worker.ts');
