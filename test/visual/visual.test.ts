/**
 * Every visual fixture, rendered to PNG by pdftoppm, looks like its reviewed reference image
 * (test/visual/references/) within a small pixel tolerance. A failing page is kept, with an image
 * of the differences, in test/visual/.actual/ for review; `npm run visual:update` makes the new
 * rendering the reference once a person has looked at it.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import {
  comparePage,
  keepForReview,
  MAX_DIFF_SHARE,
  REFERENCE_DIR,
  referencePath,
  renderPages,
} from './compare.js';
import { VISUAL_FIXTURES } from './fixtures.js';

describe('visual fixtures', () => {
  it('cover the scripts, language groups and conventions the invoices are printed in', () => {
    expect(VISUAL_FIXTURES.length).toBeGreaterThanOrEqual(16);
    const names = VISUAL_FIXTURES.map((f) => f.name);
    expect(new Set(names).size).toBe(names.length);
    const currencies = new Set(VISUAL_FIXTURES.map((f) => f.detail.currency));
    expect(currencies.size).toBeGreaterThanOrEqual(10);
    expect(VISUAL_FIXTURES.some((f) => f.detail.paymentCode === 'SWISS_QR_BILL')).toBe(true);
    expect(VISUAL_FIXTURES.some((f) => f.detail.paymentCode === 'EPC_QR')).toBe(true);
  });

  it('has references for every fixture and none left over', () => {
    const expected = new Set<string>();
    for (const fixture of VISUAL_FIXTURES) {
      let page = 1;
      while (existsSync(referencePath(fixture.name, page))) expected.add(`${fixture.name}-p${page++}.png`);
      expect({ fixture: fixture.name, referencePages: page - 1 > 0 }).toEqual({
        fixture: fixture.name,
        referencePages: true,
      });
    }
    expect(readdirSync(REFERENCE_DIR).sort()).toEqual([...expected].sort());
  });

  it.each(VISUAL_FIXTURES.map((f) => [f.name, f] as const))(
    '%s looks like its reference',
    async (name, fixture) => {
      const pages = await renderPages(fixture);
      const references: Buffer[] = [];
      for (let page = 1; existsSync(referencePath(name, page)); page++)
        references.push(readFileSync(referencePath(name, page)));
      expect(pages.length).toBe(references.length);
      pages.forEach((actual, i) => {
        const { share, diff } = comparePage(actual, references[i]!);
        const where = share > MAX_DIFF_SHARE ? keepForReview(name, i + 1, actual, diff) : '';
        expect({ page: i + 1, share: share > MAX_DIFF_SHARE ? share : 0, where }).toEqual({
          page: i + 1,
          share: 0,
          where: '',
        });
      });
    },
  );
});
