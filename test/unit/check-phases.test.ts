/**
 * `checkPhases`, the batch check phase by phase that drops parsed models behind it, finds exactly what
 * diagnosing every file with every model kept finds, on the benchmark's generated workspace (both
 * layouts, cross-phase handoffs, a plan, and defects of every kind). So do the server's batches with
 * few models kept; an edit drops only the results it can change, and only those are computed again.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { PhasegateService, normalizePath } from '../../server/src/service';
import { NodeFileSystem } from '../../server/src/node/assets';
import { isInside } from '../../server/src/service/host';
import { REPO, assets } from '../helpers/workspace';
import { ALL_RULES } from '../../server/src/service/rules/index';
import type { Rule } from '../../server/src/service/rules/rule';
import type { Phase } from '../../server/src/service/workspace';
import * as markdown from '../../server/src/service/markdown';
import { range } from '../../server/src/service/types';

interface Generator {
  writeWorkspace(dir: string, opts: { n: number; seed: number }): unknown;
}

/** A new temporary folder holding the workspace the benchmark's generator writes: `n` phases of each layout, seed 10. */
async function generated(prefix: string, n: number): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const gen = (await import(pathToFileURL(path.join(REPO, 'bench', 'generate.mjs')).href)) as Generator;
  gen.writeWorkspace(dir, { n, seed: 10 });
  return dir;
}

/** An engine loaded over `dir`, with at most `maxParsed` parsed models kept when given. */
async function engineOver(dir: string, maxParsed?: number): Promise<PhasegateService> {
  const svc = new PhasegateService({ fs: new NodeFileSystem(), assets, maxParsed });
  await svc.load(normalizePath(dir));
  return svc;
}

describe('checkPhases: the batch check, phase by phase', () => {
  let dir: string;
  // Seed 10 at this size has defects of eleven kinds, a handoff mismatch between two phases among them.
  before(async () => (dir = await generated('pg-check-phases-', 100)));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const engine = (maxParsed?: number) => engineOver(dir, maxParsed);

  it('gives the diagnostics and gates of the whole-workspace check, and drops models it is done with', async () => {
    const all = await engine();
    const expected = all.diagnoseAll();
    const expectedGates = all.model.phases.map((p) => all.gates(p));
    const codes = new Set(expected.map((d) => d.code));
    assert.ok(codes.size >= 10 && codes.has('handoff-mismatch'), `the generated defects should trigger many rules: ${[...codes].join(', ')}`);

    const svc = await engine();
    const first = svc.model.phases[0];
    const before = svc.getDocument(first.markdown[0]);
    const visited: string[] = [];
    svc.checkPhases(svc.model.phases, (p) => {
      // The visitor sees the phase while its documents are parsed.
      visited.push(p.id);
      assert.ok(svc.getDocument(p.markdown[0] ?? p.folder) !== undefined || p.markdown.length === 0);
    });
    assert.equal(visited.length, svc.model.phases.length);
    assert.deepEqual(svc.diagnoseAll(), expected);
    assert.deepEqual(
      svc.model.phases.map((p) => svc.gates(p)),
      expectedGates,
    );
    // The first phase's model was dropped (its next phase is done) and is parsed again, the same, on demand.
    const after = svc.getDocument(first.markdown[0]);
    assert.notEqual(after, before);
    assert.deepEqual(after, before);
  });

  it('runs the rules over a batch rule by rule, each file once, even when one rule diagnoses another file of the batch', async () => {
    const svc = await engine();
    const [a, b] = svc.model.phases[0].markdown;
    // Two test rules: one that, on file a, diagnoses file b (as the plan rule asks for other phases'
    // gates), and one that reports once on every file, after it.
    const reach: Rule = {
      ids: ['test-reach'],
      check(ctx) {
        if (ctx.path === a) svc.diagnose(b);
      },
    };
    const mark: Rule = {
      ids: ['test-mark'],
      check(ctx) {
        ctx.report('test-mark', range(0, 0, 0, 0), 'seen');
      },
    };
    ALL_RULES.unshift(reach);
    ALL_RULES.push(mark);
    try {
      svc.checkPhases(svc.model.phases.slice(0, 3));
      const fresh = await engine();
      for (const f of [a, b, ...svc.model.phases[2].markdown]) {
        const got = svc.diagnose(f);
        assert.equal(got.filter((d) => d.code === 'test-mark').length, 1, f);
        assert.deepEqual(got, fresh.diagnose(f), f);
      }
    } finally {
      ALL_RULES.splice(ALL_RULES.indexOf(reach), 1);
      ALL_RULES.splice(ALL_RULES.indexOf(mark), 1);
    }
  });

  it("keeps the most recently used models, up to its bound, and every open document's", async () => {
    const svc = await engine(3);
    const f = svc.model.phases.flatMap((p) => p.markdown).slice(0, 12);
    assert.equal(f.length, 12);
    const a = svc.getDocument(f[0]);
    const b = svc.getDocument(f[1]);
    svc.getDocument(f[2]);
    assert.equal(svc.getDocument(f[0]), a, 'kept, and now the most recently used');
    const d = svc.getDocument(f[3]);
    // Four models for a bound of three: f[1], the least recently used, was dropped; parsed again, it is the same.
    const b2 = svc.getDocument(f[1]);
    assert.notEqual(b2, b);
    assert.deepEqual(b2, b);
    // That dropped f[2] (the least recently used then); f[0] and f[3] stay.
    assert.equal(svc.getDocument(f[0]), a);
    assert.equal(svc.getDocument(f[3]), d);

    // An open document keeps its model however many others are parsed after it.
    svc.setOverlay(f[4], `${svc.getText(f[4])}\nEdited.\n`);
    const open = svc.getDocument(f[4]);
    for (const g of f.slice(5)) svc.getDocument(g);
    assert.equal(svc.getDocument(f[4]), open);
    assert.notEqual(svc.getDocument(f[0]), a, 'dropped meanwhile');
  });

  it('finds the same with a few models kept as with many, in batches as the server checks', async () => {
    const all = await engine();
    const expected = all.diagnoseAll();
    const expectedGates = all.model.phases.map((p) => all.gates(p));
    // Four models for batches of up to 256 files: most are dropped before their rules run, and parsed again.
    const svc = await engine(4);
    const phases = svc.model.phases;
    for (let i = 0; i < phases.length;) i += svc.checkBatch(phases, i);
    assert.deepEqual(
      phases.map((p) => svc.gates(p)),
      expectedGates,
    );
    assert.deepEqual(svc.diagnoseAll(), expected);
    const cli = await engine(4);
    cli.checkPhases();
    assert.deepEqual(cli.diagnoseAll(), expected);
  });

  it('after an edit, keeps the gates of the phases it cannot change and finds the others as a fresh check does', async () => {
    const svc = await engine();
    const before = new Map(svc.model.phases.map((p) => [p, svc.gates(p)]));
    const plans = svc.model.plans.map((p) => p.path);
    assert.ok(plans.length > 0, 'the generated workspace has a plan');
    plans.forEach((p) => svc.diagnose(p));
    // A phase in the middle of a chain: untick a ticked item of one of its gates' checklists.
    const ticked = (p: Phase) => before.get(p)!.find((g) => g.file && g.items.some((i) => i.checked));
    const x = svc.model.phases.find((p) => p.prev && p.next && ticked(p))!;
    const gate = ticked(x)!;
    const file = gate.file!;
    const lines = svc.getText(file)!.split('\n');
    const line = gate.items.find((i) => i.checked)!.line;
    lines[line] = lines[line].replace('[x]', '[ ]');
    const edited = lines.join('\n');
    svc.setOverlay(file, edited);
    const fresh = await engine();
    fresh.setOverlay(file, edited);
    // The previous phase reads nothing of this one (its documents name their own phase): its gates are kept too. The
    // phase after next compares its documents with this one's (copied-document: a copy of the phase before the previous),
    // those that claim progress and are not the next phase's but for their numbers.
    const near = new Set([x, x.next, x.next?.next]);
    for (const p of svc.model.phases) {
      const now = svc.gates(p);
      if (!near.has(p)) assert.equal(now, before.get(p), `${p.id}: kept`);
      assert.deepEqual(now, fresh.gates(fresh.findPhase(p.id)!), p.id);
    }
    assert.notDeepEqual(svc.gates(x), before.get(x), 'the edit changes the gates of its own phase');
    for (const p of plans) assert.deepEqual(svc.diagnose(p), fresh.diagnose(p));
  });

  it("after an edit of an audit phase's document, checks again its phase, the next one and the input handoff after it: not the previous phase, nor the plans, which track iAI phases alone", async () => {
    const svc = await engine();
    const files = [...new Set(svc.diagnosedPaths().concat(svc.model.plans.map((p) => p.path)))];
    const before = new Map(files.map((f) => [f, svc.diagnose(f)]));
    const gatesBefore = new Map(svc.model.phases.map((p) => [p, svc.gates(p)]));
    // A phase with one before it, one after it and one after that, whose next phase reads its output handoff.
    const x = svc.model.phases.find((p) => p.prev?.markdown.length && p.next?.next && p.layout.name === 'audit')!;
    assert.ok(x, 'the generated workspace has such a phase');
    for (const doc of x.documents.filter((d) => d.exists)) {
      svc.setOverlay(doc.path, `${svc.getText(doc.path)}\nEdited.\n`);
      const rechecked = files.filter((f) => svc.diagnose(f) !== before.get(f));
      const afterNext = x.next!.next!.documents.find((d) => d.spec.kind === 'input-handoff' && d.exists)?.path;
      // The phase after next's document of the same file, which copied-document compares with this one (it claims progress
      // and is not the next phase's but for its numbers), and the input handoff after it, which reads its phase's gates.
      const third = x.next!.next!.markdown.filter((f) => f.endsWith(`/${doc.spec.file}`));
      const input = x.next!.next!.next?.documents.find((d) => d.spec.kind === 'input-handoff' && d.exists)?.path;
      const expected = [...x.markdown, ...x.next!.markdown, ...(afterNext ? [afterNext] : []), ...third, ...(third.length && input ? [input] : [])];
      assert.deepEqual(rechecked.sort(), [...new Set(expected)].sort(), doc.spec.file);
      assert.equal(svc.gates(x.prev!), gatesBefore.get(x.prev!), `${doc.spec.file}: the previous phase's gates are kept`);
      // As a fresh check finds them.
      const fresh = await engine();
      fresh.setOverlay(doc.path, svc.getText(doc.path)!);
      for (const f of [...x.prev!.markdown, ...svc.model.plans.map((p) => p.path)]) assert.deepEqual(svc.diagnose(f), fresh.diagnose(f), f);
      for (const p of [x.prev!, x, x.next!]) assert.deepEqual(svc.gates(p), fresh.gates(fresh.findPhase(p.id)!), p.id);
      for (const f of files) before.set(f, svc.diagnose(f));
      for (const p of svc.model.phases) gatesBefore.set(p, svc.gates(p));
    }
  });

  it("after an edit of an iAI phase's document, checks the plans again too, and finds them as a fresh check does", async () => {
    const svc = await engine();
    const files = [...new Set(svc.diagnosedPaths().concat(svc.model.plans.map((p) => p.path)))];
    const plans = svc.model.plans.map((p) => p.path);
    assert.ok(plans.length > 0, 'the generated workspace has a plan');
    const before = new Map(files.map((f) => [f, svc.diagnose(f)]));
    const { path: edited, text } = failAGate(svc, () => true);
    const rechecked = files.filter((f) => svc.diagnose(f) !== before.get(f));
    for (const p of plans) assert.ok(rechecked.includes(p), `${p}: checked again`);
    const fresh = await engine();
    fresh.setOverlay(edited, text);
    for (const p of plans) assert.deepEqual(svc.diagnose(p), fresh.diagnose(p), p);
    assert.notDeepEqual(
      plans.map((p) => svc.diagnose(p)),
      plans.map((p) => before.get(p)),
      'the plan marks the phase complete, and its gates no longer all pass',
    );
  });

  it('parses again, over a checked workspace, only the documents an edit made stale', async () => {
    // As the server's workspace diagnostics do after an edit: batches over every phase, with most
    // models dropped (a bound of 8) and most diagnostics still valid.
    const svc = await engine(8);
    const phases = svc.model.phases;
    const pass = () => {
      for (let i = 0; i < phases.length;) i += svc.checkBatch(phases, i);
    };
    pass();
    const file = phases[5].markdown[0];
    svc.setOverlay(file, `${svc.getText(file)}\nEdited.\n`);
    const md = markdown as unknown as Record<'parseDocument' | 'parseDocuments', (t: unknown) => unknown>;
    const [one, many] = [md.parseDocument, md.parseDocuments];
    let texts = 0;
    md.parseDocument = (t) => (texts++, one(t));
    md.parseDocuments = (t) => ((texts += (t as string[]).length), many(t));
    try {
      pass();
    } finally {
      [md.parseDocument, md.parseDocuments] = [one, many];
    }
    const stale = svc.dependents(file);
    assert.ok(texts >= 1 && texts <= stale.length, `${texts} documents parsed again for ${stale.length} stale ones`);
  });
});

/**
 * Takes out the proof of execution of the response of a complete iAI phase (one with a phase before and after it)
 * that `pick` accepts, which fails one of its gates a plan reads; returns the response's path and new text.
 */
function failAGate(svc: PhasegateService, pick: (p: Phase) => boolean): { phase: Phase; path: string; text: string } {
  const phase = svc.model.phases.find(
    (p) =>
      p.workstream !== undefined &&
      p.prev &&
      p.next &&
      pick(p) &&
      svc.gates(p).every((g) => g.status === 'passed') &&
      p.documents.some((d) => d.exists && /response/i.test(d.spec.kind)),
  );
  assert.ok(phase, 'the workspace has such a phase');
  const doc = phase.documents.find((d) => d.exists && /response/i.test(d.spec.kind))!;
  const old = svc.getText(doc.path)!;
  const text = old.replace(/## [^\n]*(Proof|Results)[^\n]*\n[\s\S]*?(?=\n## |$)/i, '');
  assert.notEqual(text, old, 'the response has a proof of execution');
  svc.setOverlay(doc.path, text);
  return { phase, path: doc.path, text };
}

describe('plans of several iAI projects', () => {
  let dir: string;
  before(async () => {
    dir = await generated('pg-check-plans-', 30);
    // A second project with its own plan and workstreams/, and a plan at the top, over no workstreams/ of its own.
    fs.cpSync(path.join(dir, 'all_use_iai_project'), path.join(dir, 'second_project'), { recursive: true });
    fs.copyFileSync(path.join(dir, 'all_use_iai_project', 'project_implementation_plan.md'), path.join(dir, 'project_implementation_plan.md'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const engine = () => engineOver(dir);

  it("after an edit of one project's phase, checks again its own plan and a plan that tracks every iAI phase, not the other project's plan", async () => {
    const svc = await engine();
    const plan = (project: string) => normalizePath(path.join(dir, project, 'project_implementation_plan.md'));
    const [own, other, top] = [plan('all_use_iai_project'), plan('second_project'), plan('')];
    assert.deepEqual(svc.model.plans.map((p) => p.path).sort(), [own, other, top].sort());
    const before = new Map([own, other, top].map((f) => [f, svc.diagnose(f)]));
    const { path: edited, text } = failAGate(svc, (p) => isInside(normalizePath(path.join(dir, 'all_use_iai_project')), p.folder));
    assert.notEqual(svc.diagnose(own), before.get(own), 'its own plan is checked again');
    assert.notEqual(svc.diagnose(top), before.get(top), 'the plan that tracks every iAI phase is checked again');
    assert.equal(svc.diagnose(other), before.get(other), "the other project's plan keeps its results");
    const fresh = await engine();
    fresh.setOverlay(edited, text);
    for (const p of [own, other, top]) assert.deepEqual(svc.diagnose(p), fresh.diagnose(p), p);
    assert.notDeepEqual(svc.diagnose(own), before.get(own), 'the plan marks the phase complete, and its gates no longer all pass');
  });
});
