import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { PhasegateService, normalizePath } from '../../server/src/service';
import { NodeFileSystem } from '../../server/src/node/assets';
import { REPO, assets } from '../helpers/workspace';

interface Generator {
  writeWorkspace(dir: string, opts: { n: number; seed: number }): { files: number; markdown: number; bytes: number };
  benchTargets(n: number): { longDocument: string; outputHandoff: string; nextInputHandoff: string };
}

/** The benchmark's generator (an ES module; a computed specifier keeps tsc from resolving it). */
async function generator(): Promise<Generator> {
  const url = pathToFileURL(path.join(REPO, 'bench', 'generate.mjs')).href;
  return (await import(url)) as Generator;
}

/** Every file under `dir` with its bytes, by relative path. */
function snapshot(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.set(path.relative(dir, p), fs.readFileSync(p));
    }
  };
  walk(dir);
  return out;
}

describe('bench workspace generator', () => {
  let tmp: string;
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-bench-smoke-'));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('writes the same bytes for the same seed, and other bytes for another seed', async () => {
    const gen = await generator();
    const a = gen.writeWorkspace(path.join(tmp, 'a'), { n: 3, seed: 7 });
    gen.writeWorkspace(path.join(tmp, 'b'), { n: 3, seed: 7 });
    gen.writeWorkspace(path.join(tmp, 'c'), { n: 3, seed: 8 });
    const sa = snapshot(path.join(tmp, 'a'));
    const sb = snapshot(path.join(tmp, 'b'));
    const sc = snapshot(path.join(tmp, 'c'));
    assert.equal(sa.size, a.files);
    assert.deepEqual([...sa.keys()].sort(), [...sb.keys()].sort());
    for (const [rel, bytes] of sa) assert.ok(bytes.equals(sb.get(rel)!), `${rel} differs between two runs with one seed`);
    assert.ok(
      [...sa].some(([rel, bytes]) => !sc.get(rel)?.equals(bytes)),
      'another seed gives the same workspace',
    );
  });

  it('generates both layouts and a plan that the engine loads and checks', async () => {
    const gen = await generator();
    const dir = path.join(tmp, 'ws');
    gen.writeWorkspace(dir, { n: 3, seed: 1 });
    const svc = new PhasegateService({ fs: new NodeFileSystem(), assets });
    await svc.load(normalizePath(dir));
    const layouts = svc.model.phases.map((p) => p.layout.name);
    assert.equal(layouts.filter((l) => l === 'audit').length, 3);
    assert.equal(layouts.filter((l) => l === 'iai').length, 3);
    assert.equal(svc.model.plans.length, 1);
    // Complete audit phases chain N → N+1, and every document of theirs exists.
    const audit = svc.model.phases.filter((p) => p.layout.name === 'audit');
    assert.deepEqual(
      audit.map((p) => p.next?.id),
      ['phase-2', 'phase-3', undefined],
    );
    for (const p of audit)
      assert.ok(
        p.documents.every((d) => d.exists),
        `${p.id} lacks a document`,
      );
    const targets = gen.benchTargets(3);
    for (const rel of Object.values(targets)) assert.ok(svc.getDocument(normalizePath(path.join(dir, rel))), `${rel} is not a parsed document`);
    // The clean phases of a small workspace have no error-severity diagnostics (defects start at phase 7).
    const errors = svc.diagnoseAll().filter((d) => d.severity === 'error');
    assert.deepEqual(
      errors.map((d) => `${path.relative(dir, d.file)} ${d.code}: ${d.message}`),
      [],
    );
  });

  it('measures the raw floor on it: every Markdown file read and parsed, yaml only when asked, the tuned parser for reference', async () => {
    const gen = await generator();
    const dir = path.join(tmp, 'floor');
    const written = gen.writeWorkspace(dir, { n: 2, seed: 3 });
    const floor = (...args: string[]) =>
      JSON.parse(execFileSync(process.execPath, [path.join(REPO, 'bench', 'floor.mjs'), dir, ...args], { encoding: 'utf8' })) as {
        yaml: boolean;
        files: number;
        bytes: number;
        tokens: number;
        totalMs: number;
      };
    const plain = floor();
    const withYaml = floor('--yaml');
    assert.equal(plain.files, written.markdown);
    assert.equal(withYaml.files, written.markdown);
    assert.equal(plain.yaml, false);
    assert.equal(withYaml.yaml, true);
    assert.ok(plain.tokens > plain.files, `${plain.tokens} tokens for ${plain.files} files`);
    assert.equal(withYaml.tokens, plain.tokens);
    assert.ok(plain.totalMs > 0);
    // The reference with the engine's tuned markdown-it reads the same files and makes fewer tokens
    // (no paragraph or table cell tokens), but not none.
    const tuned = floor('--mode', 'tuned');
    assert.equal(tuned.files, written.markdown);
    assert.ok(tuned.tokens > 0 && tuned.tokens < plain.tokens, `${tuned.tokens} tuned tokens against ${plain.tokens}`);
  });

  it('builds the CLI without rules for its reference row: the same phases, no diagnostics, gates still judged', async function () {
    this.timeout(120_000);
    const gen = await generator();
    const dir = path.join(tmp, 'norules');
    gen.writeWorkspace(dir, { n: 8, seed: 1 });
    const url = pathToFileURL(path.join(REPO, 'bench', 'without-rules.mjs')).href;
    const { buildWithoutRules } = (await import(url)) as { buildWithoutRules(outdir: string): Promise<string> };
    // Below the repository, as the benchmark builds it, so that the CLI finds its schemas and templates.
    fs.mkdirSync(path.join(REPO, 'bench', 'out'), { recursive: true });
    const outdir = fs.mkdtempSync(path.join(REPO, 'bench', 'out', 'test-without-rules-'));
    try {
      const cli = await buildWithoutRules(outdir);
      assert.ok(fs.existsSync(path.join(outdir, 'cli-bundle.js.cache')), 'built with its code cache, as the shipped CLI');
      type Report = { diagnostics: { code: string }[]; phases: { id: string; gates: { status: string }[] }[] };
      const check = (js: string): Report => {
        try {
          return JSON.parse(execFileSync(process.execPath, [js, 'check', dir, '--format', 'json'], { encoding: 'utf8' })) as Report;
        } catch (e) {
          // Exit code 1: errors found; the report is on stdout all the same.
          return JSON.parse((e as { stdout: string }).stdout) as Report;
        }
      };
      const bare = check(cli);
      const engine = new PhasegateService({ fs: new NodeFileSystem(), assets });
      await engine.load(normalizePath(dir));
      // The workspace has defects from phase 7 on: the engine with its rules finds some, the bare CLI none.
      assert.ok(engine.diagnoseAll().length > 0, 'the generated workspace has something to find');
      assert.deepEqual(bare.diagnostics, []);
      assert.equal(bare.phases.length, 16);
      assert.ok(
        bare.phases.every((p) => p.gates.length > 0),
        'every phase still has its gates judged',
      );
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
});
