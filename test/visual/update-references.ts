/**
 * `npm run visual:update [name...]`: renders the visual fixtures (all, or those named) and writes
 * their pages as the new reference images. A reference changes only through this command, and a
 * changed one is reviewed by looking at it (git shows the PNGs that changed) before it is committed.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { REFERENCE_DIR, referencePath, renderPages } from './compare.js';
import { VISUAL_FIXTURES } from './fixtures.js';

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !VISUAL_FIXTURES.some((f) => f.name === name));
if (unknown.length > 0) {
  process.stderr.write(
    `unknown fixture(s): ${unknown.join(', ')} (known: ${VISUAL_FIXTURES.map((f) => f.name).join(', ')})\n`,
  );
  process.exit(2);
}
mkdirSync(REFERENCE_DIR, { recursive: true });
for (const fixture of VISUAL_FIXTURES.filter((f) => wanted.length === 0 || wanted.includes(f.name))) {
  for (const old of readdirSync(REFERENCE_DIR).filter((f) => f.startsWith(`${fixture.name}-p`)))
    rmSync(path.join(REFERENCE_DIR, old));
  const pages = await renderPages(fixture);
  pages.forEach((png, i) => writeFileSync(referencePath(fixture.name, i + 1), png));
  process.stdout.write(`${fixture.name}: ${pages.length} page(s)\n`);
}
