/**
 * Fast paths of the path functions (performance only) against the plain code they replace: the same
 * results on generated and edge-case paths (Windows drives, UNC, backslashes, `..` above the root, line
 * breaks).
 */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { normalizedStepByStep } from '../helpers/fuzz';
import { isNormalPath, joinPath, normalizePath, relativePath } from '../../server/src/service/host';
import { workspace } from '../helpers/workspace';

/** The paths normalizePath changes, as the engine tested them before `isNormalPath`. */
const NOT_NORMAL = /\\|[\s\S]\/\/|^\/\/(?:\/|$)|(?:^|\/)\.\.?(?:\/|$)|\/$|^[A-Za-z]:$/;
const plainIsNormal = (p: string): boolean => p.length >= 2 && !NOT_NORMAL.test(p);

/** relativePath as it was: both paths split into their segments. */
function plainRelativePath(from: string, to: string): string {
  const a = normalizePath(from).split('/').filter(Boolean);
  const b = normalizePath(to).split('/').filter(Boolean);
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const rel = [...a.slice(i).map(() => '..'), ...b.slice(i)].join('/');
  return rel === '' ? '.' : rel;
}

const CHARS = ['a', 'b', '/', '/', '\\', '.', ':', 'C', ' ', '\n', '\r', '\u2028', '\u2029', 'é'];
const SEGMENTS = ['a', 'b c', '..', '.', '', 'x.md', '...', '.hidden', 'C:', '\\', 'a\n', '\r', 'é', '..a'];
const chars = (max: number) => fc.array(fc.constantFrom(...CHARS), { maxLength: max }).map((a) => a.join(''));
const segments = (max: number) => fc.array(fc.constantFrom(...SEGMENTS), { maxLength: max }).map((a) => a.join('/'));
const RUNS = { numRuns: 5000 };

/** Paths of the kinds the engine meets and the kinds it must survive. */
const EDGE_PATHS = [
  '',
  '/',
  '//',
  '///',
  '//server/share/x',
  '\\\\server\\share\\x',
  'C:',
  'c:',
  'C:/',
  'C:/x',
  'C:\\x\\..\\y',
  '1:',
  '/C:',
  '/a//b',
  '/a\n//b',
  '/a\r//b',
  '/a\u2028//b',
  '\n//',
  '/a/./b',
  '/a/../b',
  '/..',
  '/../a',
  '/a/..',
  '/a/.',
  '.',
  '..',
  './a',
  '../a',
  '.a',
  '..a',
  '/a/.hidden/b',
  '/a/...',
  '/a/b/',
  '/ws/audit-deployment/phase-12/03-FINDINGS/report.md',
];

describe('fast paths (paths): path functions', () => {
  it('isNormalPath is the regex test of a normal path it replaces', () => {
    fc.assert(
      fc.property(chars(10), (p) => assert.equal(isNormalPath(p), plainIsNormal(p), JSON.stringify(p))),
      RUNS,
    );
    fc.assert(
      fc.property(segments(6), fc.boolean(), (p, abs) => {
        const q = abs ? '/' + p : p;
        assert.equal(isNormalPath(q), plainIsNormal(q), JSON.stringify(q));
      }),
      RUNS,
    );
    for (const p of EDGE_PATHS) assert.equal(isNormalPath(p), plainIsNormal(p), JSON.stringify(p));
    assert.equal(isNormalPath('/a\n//b'), false);
    assert.equal(isNormalPath('/a//b'), false);
    assert.equal(isNormalPath('Z:'), false);
    assert.equal(isNormalPath('é:'), true);
  });

  it('normalizePath is its step-by-step definition, line breaks and other characters included', () => {
    fc.assert(
      fc.property(chars(10), (p) => assert.equal(normalizePath(p), normalizedStepByStep(p), JSON.stringify(p))),
      RUNS,
    );
    for (const p of EDGE_PATHS) if (p !== '') assert.equal(normalizePath(p), normalizedStepByStep(p), JSON.stringify(p));
    // A `//` after a line break is one `/` like any other: two spellings of one path normalise alike.
    assert.equal(normalizePath('/a\n//b'), '/a\n/b');
    assert.equal(normalizePath('/a\u2028//b/.'), normalizePath('/a\u2028//b'));
  });

  it('joinPath joins as normalizing the joined path does', () => {
    const base = fc.oneof(
      segments(6).map((p) => '/' + p),
      segments(6),
      chars(8),
      fc.constantFrom(...EDGE_PATHS),
    );
    const rel = fc.oneof(segments(6), chars(8), fc.constantFrom(...EDGE_PATHS));
    fc.assert(
      fc.property(base, rel, (b, r) => assert.equal(joinPath(b, r), normalizePath([b, r].join('/')), JSON.stringify([b, r]))),
      { numRuns: 20000 },
    );
    for (const b of EDGE_PATHS) {
      for (const r of EDGE_PATHS) assert.equal(joinPath(b, r), normalizePath([b, r].join('/')), JSON.stringify([b, r]));
    }
    assert.equal(joinPath('/ws/phase-2', '03-FINDINGS/report.md'), '/ws/phase-2/03-FINDINGS/report.md');
    assert.equal(joinPath('/ws/phase-2', '../phase-1/06-OUTPUT_HANDOFF.md'), '/ws/phase-1/06-OUTPUT_HANDOFF.md');
    assert.equal(joinPath('/ws/phase-2', './.github/../x/.y'), '/ws/phase-2/x/.y');
    // `..` above the root stays, as normalizePath keeps it.
    assert.equal(joinPath('/ws', '../../x'), '/../x');
    assert.equal(joinPath('/a\n//b', '../x'), '/a\n/x');
    assert.equal(joinPath('/a\n//b', '.'), '/a\n/b');
  });

  it('relativePath is the segment-by-segment comparison it replaces', () => {
    const path = fc.oneof(
      segments(5).map((p) => '/' + p),
      chars(8),
      fc.constantFrom(...EDGE_PATHS),
    );
    fc.assert(
      fc.property(path, path, (a, b) => assert.equal(relativePath(a, b), plainRelativePath(a, b), JSON.stringify([a, b]))),
      { numRuns: 10000 },
    );
    // A path below the folder, the case the fast path takes, spelled in every way.
    fc.assert(
      fc.property(path, segments(4), (a, rest) => {
        for (const b of [`${a}/${rest}`, `${normalizePath(a)}/${rest}`, `${a}${rest}`]) {
          assert.equal(relativePath(a, b), plainRelativePath(a, b), JSON.stringify([a, b]));
        }
      }),
      { numRuns: 10000 },
    );
    for (const a of EDGE_PATHS) {
      if (a === '') continue;
      for (const b of EDGE_PATHS) if (b !== '') assert.equal(relativePath(a, b), plainRelativePath(a, b), JSON.stringify([a, b]));
    }
    assert.equal(relativePath('/work/main', '/work/main/bench/ws/a.md'), 'bench/ws/a.md');
    assert.equal(relativePath('/a\n', '/a\n//b'), 'b');
    assert.equal(relativePath('/w', '/w/x\n//y'), 'x\n/y');
  });
});

describe('fast paths (paths): the service finds files however their paths are spelled', () => {
  const files: Record<string, string> = {
    'audit-deployment/phase-1/01-PHASE_BRIEF.md': '# Brief\n',
    'audit-deployment/phase-1/03-FINDINGS/report.md': '# Report\n',
  };
  const spellings = (p: string): string[] => [
    p,
    p + '/',
    p.replace(/\//g, '\\'),
    p.replace('/audit-deployment/', '/audit-deployment//'),
    p.replace('/audit-deployment/', '/audit-deployment/./'),
    p.replace('/audit-deployment/', '/audit-deployment/phase-1/../'),
  ];

  it('exists, isFolder and getDocument answer for a path as for its normal form', async () => {
    const { svc } = await workspace(files);
    const paths = [
      '/ws/audit-deployment/phase-1/01-PHASE_BRIEF.md',
      '/ws/audit-deployment/phase-1/03-FINDINGS/report.md',
      '/ws/audit-deployment/phase-1/03-FINDINGS',
      '/ws/audit-deployment/phase-1',
      '/ws/audit-deployment/phase-1/missing.md',
      '/ws/audit-deployment/phase-1/03-FINDINGS/missing',
    ];
    for (const p of paths) {
      const exists = svc.exists(p);
      const folder = svc.isFolder(p);
      const doc = svc.getDocument(p);
      assert.equal(exists, !p.includes('missing'), p);
      assert.equal(folder, exists && !p.endsWith('.md'), p);
      assert.equal(doc !== undefined, exists && p.endsWith('.md'), p);
      for (const q of spellings(p)) {
        assert.equal(svc.exists(q), exists, q);
        assert.equal(svc.isFolder(q), folder, q);
        assert.equal(svc.getDocument(q), doc, q);
      }
    }
    // Each document is checked under its normal path, however it is asked for.
    const brief = '/ws/audit-deployment/phase-1/01-PHASE_BRIEF.md';
    for (const q of spellings(brief)) assert.deepEqual(svc.diagnose(q), svc.diagnose(brief), q);
  });
});
