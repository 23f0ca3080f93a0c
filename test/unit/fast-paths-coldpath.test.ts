/**
 * Fast paths of the CLI's read path (performance only) against the plain code they replace: the same
 * results on generated and edge-case inputs.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { SyncNodeFileSystem } from '../../server/src/node/sync-fs';
import { joinPath, normalizePath, relativePath } from '../../server/src/service/host';
import { pathBelow, plainName } from '../../server/src/service/workspace';
import { MemoryFileSystem, PhasegateService } from '../../server/src/service';
import { MAX_PARSE_BYTES } from '../../server/src/service/markdown';
import { ALL_RULES } from '../../server/src/service/rules/index';
import type { Rule } from '../../server/src/service/rules/rule';
import { range } from '../../server/src/service/types';
import { ROOT, assets, workspace } from '../helpers/workspace';

/** What `readSmallFileSync` stands for: the file's bytes when it holds at most `maxBytes`, else its size. */
function plainRead(p: string, maxBytes: number): Uint8Array | number {
  const size = fs.statSync(p).size;
  return size > maxBytes ? size : new Uint8Array(fs.readFileSync(p));
}

function asPlain(r: Uint8Array | number): Uint8Array | number {
  return typeof r === 'number' ? r : new Uint8Array(r);
}

describe('fast paths (coldpath): reading small files into shared slabs', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-slab-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** Bytes 0..255 in a pattern of the file's own, so that one file's bytes cannot pass for another's. */
  function bytesOf(size: number, seed: number): Uint8Array {
    const b = new Uint8Array(size);
    for (let i = 0; i < size; i++) b[i] = (i * 31 + seed * 17) & 0xff;
    return b;
  }

  it('gives every file its own bytes (or its size past the limit), which later reads leave as they were', () => {
    // Sizes around the slab's bounds (256 KiB, 32 KiB free) and the limit, in an order that fills slabs part-way.
    const sizes = [0, 1, 7, 8, 9, 4095, 4096, 32 * 1024 - 1, 32 * 1024, 32 * 1024 + 1, 100_000, 256 * 1024 - 8, 256 * 1024, 256 * 1024 + 1, 600_000, 3];
    const files = sizes.map((size, i) => {
      const p = path.join(dir, `f${i}.bin`);
      fs.writeFileSync(p, bytesOf(size, i));
      return p;
    });
    for (const maxBytes of [0, 1, 8, 4096, 32 * 1024, 256 * 1024, 16 * 1024 * 1024]) {
      const sfs = new SyncNodeFileSystem();
      // Twice over, all results kept: a later read must not write over what an earlier one returned.
      const got = [...files, ...files].map((p) => sfs.readSmallFileSync(p, maxBytes));
      const want = [...files, ...files].map((p) => plainRead(p, maxBytes));
      assert.deepEqual(got.map(asPlain), want, `maxBytes ${maxBytes}`);
    }
  });

  it('reads random sizes and limits as a plain read does', () => {
    const sfs = new SyncNodeFileSystem();
    const kept: { p: string; r: Uint8Array | number; maxBytes: number }[] = [];
    let n = 0;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 300_000 }), fc.integer({ min: 0, max: 400_000 }), (size, maxBytes) => {
        const p = path.join(dir, `r${n++}.bin`);
        fs.writeFileSync(p, bytesOf(size, n));
        const r = sfs.readSmallFileSync(p, maxBytes);
        assert.deepEqual(asPlain(r), plainRead(p, maxBytes));
        kept.push({ p, r, maxBytes });
      }),
      { numRuns: 150 },
    );
    for (const { p, r, maxBytes } of kept) assert.deepEqual(asPlain(r), plainRead(p, maxBytes), p);
  });

  it('fails as a plain read fails: a missing file, a folder', () => {
    const sfs = new SyncNodeFileSystem();
    assert.throws(() => sfs.readSmallFileSync(path.join(dir, 'none.md'), 100), /ENOENT/);
    assert.throws(() => sfs.readSmallFileSync(dir, 100), /EISDIR/);
    // And reads on after it.
    const p = path.join(dir, 'after.md');
    fs.writeFileSync(p, 'text');
    assert.equal(Buffer.from(sfs.readSmallFileSync(p, 100) as Uint8Array).toString(), 'text');
  });
});

describe('fast paths (coldpath): paths below a folder, names in a folder', () => {
  /** Paths of parts that matter to normalising and relating them: slashes, dots, drives, backslashes, case. */
  const part = fc.constantFrom('a', 'B', 'phase-1', '.', '..', '', 'x.md', '.hidden', 'C:', '\\', 'a\\b', ' ', '...');
  const pathOf = fc
    .tuple(fc.constantFrom('/', '', '//', 'C:/', '\\\\'), fc.array(part, { maxLength: 6 }), fc.constantFrom('', '/'))
    .map(([lead, parts, end]) => lead + parts.join('/') + end);

  it('pathBelow is relativePath, for any two paths and for a folder and a path below it', () => {
    fc.assert(
      fc.property(pathOf, pathOf, (folder, other) => {
        assert.equal(pathBelow(folder, other), relativePath(folder, other));
        for (const below of [`${folder}/${other}`, `${folder}${other}`, `${normalizePath(folder)}/${other}`]) {
          assert.equal(pathBelow(folder, below), relativePath(folder, below), below);
          assert.equal(pathBelow(normalizePath(folder), below), relativePath(normalizePath(folder), below), below);
        }
      }),
      { numRuns: 3000 },
    );
    for (const [folder, p] of [
      ['/w', '/w/a/b.md'],
      ['/w', '/w'],
      ['/w', '/w/'],
      ['/w', '/wx/a'],
      ['/', '/a'],
      ['C:/', 'C:/a'],
      ['//srv/share', '//srv/share/a/b'],
      ['/w/./x', '/w/x/a'],
      ['/w', '/w//a'],
      ['/w', '/w/a/../b'],
      ['a/b', 'a/b/c'],
    ])
      assert.equal(pathBelow(folder, p), relativePath(folder, p), `${folder} ${p}`);
  });

  it('plainName holds exactly for the names joinPath appends as they are, below a normal folder', () => {
    const name = fc.array(fc.constantFrom('a', '.', '/', '\\', 'M', ' '), { maxLength: 5 }).map((a) => a.join(''));
    fc.assert(
      fc.property(name, (n) => {
        if (plainName(n) && !n.includes('\\')) assert.equal(joinPath('/w/x', n), `/w/x/${n}`, n);
        if (joinPath('/w/x', n) !== `/w/x/${n}`) assert.ok(!plainName(n) || n.includes('\\'), n);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('fast paths (coldpath): the batch check runs each rule as runRule does', () => {
  const brief = '# Phase 1 Brief\n\n## Objective\n\nShip it.\n';
  /** Two phases, one document too large for the Markdown model. */
  function files(): Record<string, string> {
    return {
      'audit/phase-1/00-PHASE_BRIEF.md': brief,
      'audit/phase-1/01-INPUT_HANDOFF.md': '# Input\n',
      'audit/phase-2/00-PHASE_BRIEF.md': brief.replace(/1/g, '2') + 'x'.repeat(MAX_PARSE_BYTES + 10) + '\n',
    };
  }

  it('logs a rule that throws and runs the others; runs a rule that needs the model only on modelled documents, as a method of the rule', async () => {
    const seen: string[] = [];
    const logged: string[] = [];
    const throws: Rule = {
      ids: ['test-throws'],
      check(ctx) {
        seen.push(`throws ${ctx.path}`);
        throw new Error('boom');
      },
    };
    const modelOnly: Rule = {
      ids: ['test-model-only'],
      check(ctx) {
        seen.push(`model ${ctx.path}`);
        ctx.report('test-model-only', range(0, 0, 0, 0), 'modelled');
      },
    };
    const anyDoc: Rule = {
      ids: ['test-any'],
      withoutModel: true,
      check(this: Rule, ctx) {
        // Called as a method of its rule.
        seen.push(`any ${ctx.path} ${this.ids[0]}`);
      },
    };
    const fresh = await workspace(files());
    const expected = new Map(fresh.svc.checkedFiles().map((f) => [f, fresh.svc.diagnose(f)]));
    ALL_RULES.unshift(throws, modelOnly, anyDoc);
    try {
      const fsys = new MemoryFileSystem();
      for (const [p, t] of Object.entries(files())) fsys.write(`${ROOT}/${p}`, t);
      const svc = new PhasegateService({ fs: fsys, assets, logger: { log: (m) => logged.push(m) } });
      await svc.load(ROOT);
      svc.checkPhases();
      const docs = svc.checkedFiles();
      const big = `${ROOT}/audit/phase-2/00-PHASE_BRIEF.md`;
      assert.equal(docs.length, 3);
      assert.deepEqual(
        logged.map((m) => m.split('\n')[0]),
        docs.filter((f) => f !== big).map((f) => `rule test-throws failed on ${f}: Error: boom`),
      );
      for (const f of docs) {
        assert.ok(seen.includes(`any ${f} test-any`), f);
        assert.equal(seen.includes(`throws ${f}`), f !== big, f);
        assert.equal(seen.includes(`model ${f}`), f !== big, f);
        const got = svc.diagnose(f);
        assert.deepEqual(
          got.filter((d) => d.code !== 'test-model-only'),
          expected.get(f),
          f,
        );
        assert.equal(got.filter((d) => d.code === 'test-model-only').length, f === big ? 0 : 1, f);
      }
    } finally {
      for (const r of [throws, modelOnly, anyDoc]) ALL_RULES.splice(ALL_RULES.indexOf(r), 1);
    }
  });
});
