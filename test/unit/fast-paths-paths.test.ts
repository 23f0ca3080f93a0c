/**
 * Fast paths of the path functions (performance only) against the plain code they replace: the same
 * results on generated and edge-case paths (Windows drives, UNC, backslashes, `..` above the root, line
 * breaks, which a regex's `.` does not match).
 */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { joinPath, normalizePath } from '../../server/src/service/host';

/** normalizePath step by step: slashes, a UNC start kept, `.` and `..` segments resolved, a bare drive given its `/`. */
function stepByStep(p: string): string {
  const s = p.replace(/\\/g, '/');
  const unc = /^\/\/[^/]/.test(s);
  const parts: string[] = [];
  for (const part of s.replace(/\/+/g, '/').split('/')) {
    if (part === '.' || (part === '' && parts.length > 0)) continue;
    if (part === '..' && parts.length > 1) parts.pop();
    else parts.push(part);
  }
  const out = (unc ? '/' : '') + parts.join('/');
  return /^[A-Za-z]:$/.test(out) ? out + '/' : out || '/';
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
  it('normalizePath is its step-by-step definition, line breaks and other characters included', () => {
    fc.assert(
      fc.property(chars(10), (p) => assert.equal(normalizePath(p), stepByStep(p), JSON.stringify(p))),
      RUNS,
    );
    for (const p of EDGE_PATHS) if (p !== '') assert.equal(normalizePath(p), stepByStep(p), JSON.stringify(p));
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
});
