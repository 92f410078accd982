/**
 * Compiles the vendored EN 16931 validation artefacts (test/vendor/en16931/*.xslt, the official
 * schematron of CEN/TC 434 compiled to XSLT) to SaxonJS SEF files, gzipped beside them, and records
 * the hash of each source in VERSION.json: `node scripts/bin/run-ts.mjs scripts/compile-en16931.ts`.
 * Run it after replacing the .xslt files with a newer release (and update `release` and `commit`).
 * Compiling takes about 25 s a file, which is why the tests load the compiled form.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { EN16931_ARTEFACTS, EN16931_DIR, type ArtefactManifest } from '../test/support/en16931.js';

const manifestPath = join(EN16931_DIR, 'VERSION.json');
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as ArtefactManifest;
const work = mkdtempSync(join(tmpdir(), 'en16931-'));
try {
  for (const [syntax, artefact] of Object.entries(EN16931_ARTEFACTS)) {
    const source = join(EN16931_DIR, artefact.xslt);
    const sef = join(work, `${syntax}.sef.json`);
    execFileSync(
      process.execPath,
      [
        join('node_modules', 'xslt3', 'xslt3.js'),
        `-xsl:${source}`,
        `-export:${sef}`,
        '-nogo',
        '-relocate:on',
      ],
      { stdio: 'inherit' },
    );
    writeFileSync(join(EN16931_DIR, artefact.sef), gzipSync(readFileSync(sef), { level: 9 }));
    manifest.sha256[artefact.xslt] = createHash('sha256').update(readFileSync(source)).digest('hex');
  }
  writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
