/**
 * Debian's poppler-utils (pdftotext, pdffonts, pdftoppm), the tools a reader of a PDF uses: the
 * tests read invoices with them. .ci/run installs the package; a machine without it fails here
 * with a sentence saying so.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

function poppler(tool: string, args: string[]): string {
  try {
    return execFileSync(tool, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error(
        `${tool} not found: install Debian's poppler-utils (apt-get install -y poppler-utils)`,
        {
          cause: error,
        },
      );
    }
    throw error;
  }
}

/** Run `work` with the PDF written to a temporary file. */
export function withPdfFile<T>(pdf: Buffer, work: (file: string) => T): T {
  const dir = mkdtempSync(path.join(tmpdir(), 'invoicer-pdf-'));
  try {
    const file = path.join(dir, 'invoice.pdf');
    writeFileSync(file, pdf);
    return work(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Extracted text as a reader compares it: NFKC (Thai SARA AM prints as its decomposition,
 * pdf-writer.ts), without the embedding controls pdftotext puts around right-to-left runs, one
 * space for any run of white space (a wrapped cell comes out with a break inside).
 */
export const readableText = (text: string): string =>
  text
    .normalize('NFKC')
    .replace(/[\u200e\u200f\u202a-\u202e]/gu, '')
    .replace(/\s+/gu, ' ');

/** The text pdftotext extracts, in reading order (its default mode). */
export const pdfText = (pdf: Buffer): string => withPdfFile(pdf, (file) => poppler('pdftotext', [file, '-']));

/** The base names of the fonts pdffonts lists, subset tags stripped ("NotoSansArabic-Regular"). */
export const pdfFontNames = (pdf: Buffer): string[] =>
  withPdfFile(pdf, (file) =>
    poppler('pdffonts', [file])
      .split('\n')
      .slice(2)
      .filter((line) => line.trim() !== '')
      .map((line) => line.split(/\s+/)[0]!.replace(/^[A-Z]{6}\+/, '')),
  );

/** Each page as PNG bytes at `dpi`, rendered by pdftoppm. */
export function pdfPages(pdf: Buffer, dpi: number): Buffer[] {
  return withPdfFile(pdf, (file) => {
    const prefix = path.join(path.dirname(file), 'page');
    poppler('pdftoppm', ['-png', '-r', String(dpi), file, prefix]);
    const pages: Buffer[] = [];
    // pdftoppm pads page numbers to the width of the page count.
    for (let n = 1; ; n++) {
      const name = [1, 2, 3]
        .map((width) => `${prefix}-${String(n).padStart(width, '0')}.png`)
        .find((candidate) => existsSync(candidate));
      if (name === undefined) return pages;
      pages.push(readFileSync(name));
    }
  });
}
