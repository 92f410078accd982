/** Entry point of the `invoicer` bin (scripts/bin/invoicer.mjs loads it through scripts/bin/ts-hooks.mjs). */
import { main } from './main.js';

process.exitCode = await main(process.argv.slice(2));
