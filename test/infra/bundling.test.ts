/**
 * The house function's bundle, built for real with local esbuild (no Docker) and then run: ESM
 * output, the require() shim for CommonJS dependencies, and the renderer's fonts in fonts/.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { FONT_DIR, RENDER_FONTS, copyFontsAfterBundling } from '../../infra/constructs/billing-functions.js';
import { InvoicerFunction } from '../../infra/constructs/function.js';
import { FEATURE_FLAGS } from '../../infra/feature-flags.js';
import { ENV } from '../../lambdas/shared/contracts/env.js';

// Prepare: bundle the fixture entry the way the stack bundles render-documents.
const app = new App({ context: { ...FEATURE_FLAGS, 'aws:cdk:enable-asset-metadata': true } });
const stack = new Stack(app, 'BundleProbe');
new InvoicerFunction(stack, 'Probe', {
  entry: 'test/fixtures/bundle-probe/handler.ts',
  description: 'bundle probe',
  serviceName: 'bundle-probe',
  metricsNamespace: 'Test',
  logRetention: RetentionDays.ONE_DAY,
  environment: { [ENV.fontDir]: FONT_DIR },
  afterBundling: copyFontsAfterBundling,
});
const assembly = app.synth();
const template = assembly.getStackByName('BundleProbe').template;
const fn = Object.values<{ Type: string; Metadata?: Record<string, string> }>(template.Resources).find(
  (r) => r.Type === 'AWS::Lambda::Function',
)!;
const bundleDir = path.join(assembly.directory, fn.Metadata!['aws:asset:path']!);

describe('InvoicerFunction bundle', () => {
  it('is an ES module with a source map and the four fonts', () => {
    expect(existsSync(path.join(bundleDir, 'index.mjs'))).toBe(true);
    expect(existsSync(path.join(bundleDir, 'index.mjs.map'))).toBe(true);
    expect(readdirSync(path.join(bundleDir, 'fonts')).sort()).toEqual(
      RENDER_FONTS.map((f) => path.basename(f)).sort(),
    );
  });

  it('runs on Node.js and renders a PDF with every bundled font', () => {
    const script = `const { handler } = await import(${JSON.stringify(path.join(bundleDir, 'index.mjs'))}); console.log(JSON.stringify(await handler()));`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      env: {
        ...process.env,
        [ENV.fontDir]: path.join(bundleDir, 'fonts'),
        POWERTOOLS_LOG_LEVEL: 'ERROR',
      },
      encoding: 'utf8',
    });
    const result = JSON.parse(out.trim().split('\n').pop()!) as { fonts: string[]; pdfBytes: number };
    expect(result.fonts).toEqual(RENDER_FONTS.map((f) => path.basename(f)).sort());
    expect(result.pdfBytes).toBeGreaterThan(10_000);
  });
});
