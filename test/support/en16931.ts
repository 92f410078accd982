/**
 * Validates e-invoices against the official EN 16931 business rules: the CEN/TC 434 schematron,
 * compiled to XSLT (vendored in test/vendor/en16931 with its version and licence) and run by
 * SaxonJS. The result is the SVRL report's failed assertions: `fatal` ones break EN 16931,
 * `warning` ones are advice.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import SaxonJS from 'saxon-js';
import type { EInvoiceSyntax } from '../../lambdas/shared/domain/types.js';

export const EN16931_DIR = join(process.cwd(), 'test/vendor/en16931');

export const EN16931_ARTEFACTS: Record<EInvoiceSyntax, { xslt: string; sef: string }> = {
  UBL: { xslt: 'EN16931-UBL-validation.xslt', sef: 'EN16931-UBL-validation.sef.json.gz' },
  CII: { xslt: 'EN16931-CII-validation.xslt', sef: 'EN16931-CII-validation.sef.json.gz' },
};

export interface ArtefactManifest {
  release: string;
  commit: string;
  sha256: Record<string, string>;
}

export interface FailedRule {
  id: string;
  flag: string;
  text: string;
}

export interface ValidationReport {
  /** Rules that applied to the document (SVRL fired-rule): proves the rules ran at all. */
  firedRules: number;
  failed: FailedRule[];
}

const stylesheets = new Map<EInvoiceSyntax, unknown>();

function stylesheet(syntax: EInvoiceSyntax): unknown {
  let sef = stylesheets.get(syntax);
  if (sef === undefined) {
    sef = JSON.parse(
      gunzipSync(readFileSync(join(EN16931_DIR, EN16931_ARTEFACTS[syntax].sef))).toString('utf8'),
    );
    stylesheets.set(syntax, sef);
  }
  return sef;
}

const FAILED = /<svrl:failed-assert\b([^>]*)>[\s\S]*?<svrl:text>([\s\S]*?)<\/svrl:text>/g;
const attribute = (attributes: string, name: string): string =>
  new RegExp(`\\b${name}="([^"]*)"`).exec(attributes)?.[1] ?? '';

/** The EN 16931 business rules `xml` breaks. */
export function validateEn16931(xml: string, syntax: EInvoiceSyntax): ValidationReport {
  const result = SaxonJS.transform(
    { stylesheetInternal: stylesheet(syntax), sourceText: xml, destination: 'serialized' },
    'sync',
  ) as { principalResult: string };
  const svrl = result.principalResult;
  return {
    firedRules: (svrl.match(/<svrl:fired-rule\b/g) ?? []).length,
    failed: [...svrl.matchAll(FAILED)].map((m) => ({
      id: attribute(m[1] ?? '', 'id'),
      flag: attribute(m[1] ?? '', 'flag'),
      text: (m[2] ?? '').trim(),
    })),
  };
}

/** The rules `xml` breaks that EN 16931 does not allow (warnings left out). */
export const fatalRules = (report: ValidationReport): FailedRule[] =>
  report.failed.filter((rule) => rule.flag !== 'warning');
