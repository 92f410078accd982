/**
 * The house rules that keep production clean, checked on the source itself: no code assigns to
 * process.env, production never imports local or test tooling, no handler imports another handler,
 * pure modules import no store or SDK, and infra reads the font list without the font engine.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = process.cwd();

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(join(ROOT, path)).isDirectory()) return sourceFiles(path);
    return /\.(ts|mjs)$/.test(name) ? [path] : [];
  });
}

/** Module specifiers a file imports (static and dynamic), resolved relative to the repo root. */
function imports(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const specifiers = [...text.matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)].map((m) => m[1] as string);
  return specifiers.map((s) => (s.startsWith('.') ? relative(ROOT, join(ROOT, file, '..', s)) : s));
}

const production = [...sourceFiles('lambdas'), ...sourceFiles('infra')];

describe('architecture', () => {
  it('finds the files it checks', () => {
    expect(sourceFiles('lambdas').length).toBeGreaterThan(30);
    expect(sourceFiles('workflows').length).toBeGreaterThan(10);
  });

  it('never assigns to process.env under scripts/, workflows/ or lambdas/', () => {
    const assignment =
      /process\.env(\.\w+|\[[^\]]+\])?\s*(=(?!=)|\?\?=|\|\|=)|Object\.assign\(\s*process\.env|delete\s+process\.env/;
    // The one exception: a query worker thread stands in for its caller, and a worker's
    // process.env is a copy of its own; the file refuses to adopt an environment on the main thread.
    const THREAD_OWN_ENV = ['scripts/cli/query-worker.ts'];
    const offenders = [
      ...sourceFiles('scripts'),
      ...sourceFiles('workflows'),
      ...sourceFiles('lambdas'),
    ].filter((file) => assignment.test(readFileSync(join(ROOT, file), 'utf8')));
    expect(offenders.filter((file) => !THREAD_OWN_ENV.includes(file))).toEqual([]);
    for (const file of THREAD_OWN_ENV)
      expect(readFileSync(join(ROOT, file), 'utf8')).toMatch(/if \(isMainThread\) throw/);
    expect(assignment.test('process.env.X = "1"')).toBe(true);
    expect(assignment.test('Object.assign(process.env, env)')).toBe(true);
    expect(assignment.test('process.env.X === "1"')).toBe(false);
  });

  it('keeps local and test tooling out of production modules', () => {
    const offenders = production.flatMap((file) =>
      imports(file)
        .filter(
          (target) =>
            /^(workflows\/local|test|scripts)\//.test(target) ||
            /^(fauxqs|aws-local-stepfunctions)$/.test(target),
        )
        .map((target) => `${file} -> ${target}`),
    );
    expect(offenders).toEqual([]);
  });

  it('lets no handler import another handler', () => {
    const offenders = sourceFiles('lambdas')
      .filter((file) => !file.startsWith('lambdas/shared/'))
      .flatMap((file) => {
        const own = file.split('/')[1];
        return imports(file)
          .filter((target) => target.startsWith('lambdas/') && !target.startsWith('lambdas/shared/'))
          .filter((target) => target.split('/')[1] !== own)
          .map((target) => `${file} -> ${target}`);
      });
    expect(offenders).toEqual([]);
  });

  it('keeps the domain and the documents pure: no store, no SDK client', () => {
    const pure = [
      ...sourceFiles('lambdas/shared/domain'),
      ...sourceFiles('lambdas/shared/documents'),
      ...sourceFiles('lambdas/shared/contracts'),
    ];
    const offenders = pure.flatMap((file) =>
      imports(file)
        .filter(
          (t) =>
            t.startsWith('lambdas/shared/store') ||
            t.startsWith('lambdas/shared/aws') ||
            t.startsWith('@aws-sdk/'),
        )
        .map((target) => `${file} -> ${target}`),
    );
    expect(offenders).toEqual([]);
  });

  it('reads the font list in infra without loading the font engine', () => {
    const offenders = sourceFiles('infra').filter((file) =>
      imports(file).some(
        (t) =>
          t === 'lambdas/shared/documents/fonts.js' ||
          t === 'lambdas/shared/documents/pdf.js' ||
          t === 'fontkit',
      ),
    );
    expect(offenders).toEqual([]);
  });
});
