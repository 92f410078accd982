/**
 * `npm run fonts:coverage`: writes lambdas/shared/documents/glyph-coverage.generated.ts, the code
 * points the embedded fonts print (the union of every family's cmap, as ranges). Compute and import
 * check records against it without loading 60 MB of fonts; test/unit/documents/glyph-coverage.test.ts
 * fails when it no longer matches the fonts (after a font package update: run this, review, commit).
 */
import { writeFileSync } from 'node:fs';
import { coveredRangesOfFonts, GENERATED_COVERAGE_FILE, serializeRanges } from './coverage-source.js';

writeFileSync(GENERATED_COVERAGE_FILE, serializeRanges(coveredRangesOfFonts()));
