/**
 * Rendering the visual fixtures to PNG (Debian's pdftoppm, as a reader's viewer would) and comparing
 * pages with pixelmatch. The resolution is enough to see a box in place of a letter, a glyph out
 * of order or a moved line; small enough to keep the references in the repository.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pixelmatch from 'pixelmatch';
import { PNG } from 'pngjs';
import { renderInvoicePdf } from '../../lambdas/shared/documents/pdf.js';
import { validateInvoiceDetail } from '../../lambdas/shared/documents/schema.js';
import { pdfPages } from '../support/poppler.js';
import type { VisualFixture } from './fixtures.js';

export const VISUAL_DPI = 60;
export const REFERENCE_DIR = fileURLToPath(new URL('./references', import.meta.url));
export const ACTUAL_DIR = fileURLToPath(new URL('./.actual', import.meta.url));
/** Share of a page's pixels allowed to differ (anti-aliasing between poppler builds), and per-pixel tolerance. */
export const MAX_DIFF_SHARE = 0.001;
const PIXEL_THRESHOLD = 0.1;

export const referencePath = (name: string, page: number): string =>
  path.join(REFERENCE_DIR, `${name}-p${page}.png`);

/** The fixture's pages as PNG bytes. */
export async function renderPages(fixture: VisualFixture): Promise<Buffer[]> {
  const pdf = await renderInvoicePdf(validateInvoiceDetail(fixture.detail));
  return pdfPages(pdf, VISUAL_DPI);
}

export interface PageDiff {
  /** Differing pixels, or Infinity when the sizes differ. */
  pixels: number;
  share: number;
  diff?: Buffer;
}

/**
 * How far an actual page is from its reference. The same bytes are the same page (the renderer and
 * pdftoppm are deterministic on one poppler build): only a page that differs is decoded and
 * compared pixel by pixel, which tolerates another build's anti-aliasing.
 */
export function comparePage(actual: Buffer, reference: Buffer): PageDiff {
  if (actual.equals(reference)) return { pixels: 0, share: 0 };
  const a = PNG.sync.read(actual);
  const r = PNG.sync.read(reference);
  if (a.width !== r.width || a.height !== r.height) return { pixels: Infinity, share: 1 };
  const diff = new PNG({ width: a.width, height: a.height });
  const pixels = pixelmatch(a.data, r.data, diff.data, a.width, a.height, { threshold: PIXEL_THRESHOLD });
  return { pixels, share: pixels / (a.width * a.height), diff: PNG.sync.write(diff) };
}

/** Keep a failing page and its diff for a person to look at; returns where. */
export function keepForReview(name: string, page: number, actual: Buffer, diff: Buffer | undefined): string {
  mkdirSync(ACTUAL_DIR, { recursive: true });
  const file = path.join(ACTUAL_DIR, `${name}-p${page}.png`);
  writeFileSync(file, actual);
  if (diff !== undefined) writeFileSync(path.join(ACTUAL_DIR, `${name}-p${page}.diff.png`), diff);
  return file;
}
