/**
 * A document the editor opens that is not on disk (a new `06-OUTPUT_HANDOFF.md` not saved yet) joins the workspace's
 * files, and leaves them when it is closed unsaved: the engine changes its model for that file's phase and group
 * alone (`modelWithFile`) instead of building it again. Differential: after random joins and leaves on generated
 * workspaces and on hand-made ones (documents that make a folder a phase, layouts' names in another case, plans,
 * a custom layout), the model, the layouts' names in another case, the index of paths in lower case and the files
 * said affected are those a whole rebuild gives; the phases outside the file's group are the objects they were.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { MemoryFileSystem, PhasegateService } from '../../server/src/service';
import { Phase, WorkspaceModel, buildModel, modelWithFile } from '../../server/src/service/workspace';
import { layoutCaseProblems } from '../../server/src/service/layout-case';
import { AUDIT_LAYOUT, IAI_LAYOUT, PLAN_FILE } from '../../server/src/service/layout';
import { loudOn } from '../helpers/fuzz';
import { REPO, ROOT } from '../helpers/workspace';

type Generate = (o: { n: number; seed: number }) => Iterable<[string, string]>;
let generateFiles: Generate;

before(async () => {
  ({ generateFiles } = (await import(pathToFileURL(path.join(REPO, 'bench', 'generate.mjs')).href)) as { generateFiles: Generate });
});

function generated(n: number, seed: number): MemoryFileSystem {
  const fs = new MemoryFileSystem();
  for (const [p, t] of generateFiles({ n, seed })) fs.write(`${ROOT}/${p}`, t);
  return fs;
}

/** Folders whose being a phase turns on their documents, names in another case, plans, a custom layout, nested folders. */
const TRICKY: Record<string, string> = {
  'phasegate.yaml':
    'layouts:\n  - name: sprint\n    phases: "sprints/sprint-*"\n    number: "sprint-(\\\\d+)"\n    documents:\n      - {kind: goals, file: GOALS.md, sections: [Goals]}\n',
  'sprints/sprint-1/GOALS.md': '# Goals\n',
  'sprints/sprint-2/notes.md': '# Notes\n',
  'proj/workstreams/Alpha/Phase_1_Setup/implementation_prompt.md': '# Prompt\n',
  'proj/workstreams/Alpha/Phase_2_Build/implementation_prompt.md': '# Prompt\n',
  'proj/workstreams/Alpha/design/implementation_prompt.md': '# Prompt\n',
  'proj/workstreams/Alpha/notes/readme.md': '# Notes\n',
  'proj/workstreams/Beta/drafts/other.md': '# Other\n',
  'proj/project_implementation_plan.md': '# Plan\n',
  'proj/Workstreams/Gamma/Phase_1/x.md': '# X\n',
  'proj/Workstreams/Gamma/misc/y.md': '# Y\n',
  'audit/phase-1/00-PHASE_BRIEF.md': '# Brief\n',
  'audit/phase-1/03-FINDINGS/a.md': '# A\n',
  'audit/phase-1/sub/phase-4/00-PHASE_BRIEF.md': '# Brief\n',
  'audit/phase-2/06-OUTPUT_HANDOFF.md': '# Output\n',
  'audit/phase_3/00-PHASE_BRIEF.md': '# Brief\n',
  'audit/phase_5/notes.md': '# Notes\n',
  'audit/Phase 6/readme.md': '# Readme\n',
  'other/Project_Implementation_Plan.md': '# Plan\n',
  'other/deep/a.txt': 'text\n',
};

function tricky(): MemoryFileSystem {
  const fs = new MemoryFileSystem();
  for (const [p, t] of Object.entries(TRICKY)) fs.write(`${ROOT}/${p}`, t);
  return fs;
}

/** Names a file that joins may take: every built-in document's, in its case and in others, the plan's, and plain ones. */
const NAMES = [
  ...[...AUDIT_LAYOUT.documents, ...IAI_LAYOUT.documents].flatMap((d) => [d.file, d.file.toLowerCase(), d.file.toUpperCase()]),
  PLAN_FILE,
  'Project_Implementation_Plan.md',
  'GOALS.md',
  'goals.md',
  'notes.md',
  'zz.markdown',
  'a.txt',
  'README.MD',
];

/** The model as plain data: phases with their neighbours by folder. */
function shape(m: WorkspaceModel) {
  const phase = (p: Phase) => ({
    id: p.id,
    title: p.title,
    layout: p.layout.name,
    folder: p.folder,
    number: p.number,
    workstream: p.workstream,
    group: p.group,
    documents: p.documents.map((d) => [d.spec.kind, d.path, d.exists]),
    markdown: p.markdown,
    files: p.files,
    unreadable: p.unreadable,
    prev: p.prev?.folder,
    next: p.next?.folder,
  });
  return {
    root: m.root,
    phases: m.phases.map(phase),
    byFolder: [...m.byFolder.keys()],
    groups: [...m.groups].map(([k, list]) => [k, list.map((p) => p.folder)]),
    plans: m.plans,
  };
}

/** Every phase that the maps and the links reach is one of the model's phases. */
function assertLinked(m: WorkspaceModel): void {
  const phases = new Set(m.phases);
  assert.equal(m.byFolder.size, m.phases.length);
  for (const p of m.phases) {
    assert.equal(m.byFolder.get(p.folder), p);
    if (p.prev) assert.ok(phases.has(p.prev), `${p.folder}: prev is not the model's`);
    if (p.next) assert.ok(phases.has(p.next), `${p.folder}: next is not the model's`);
  }
  for (const list of m.groups.values()) for (const p of list) assert.ok(phases.has(p));
}

interface Inside {
  caseProblems: unknown[];
  pathsByLowerCase: Map<string, string[]> | undefined;
  lowerCaseCollisions: Set<string>;
}

/** The engine's state after a join or leave against a whole rebuild from its scan. */
function assertAsRebuilt(svc: PhasegateService, affected: string[], before: string[], label: string): void {
  const full = buildModel(svc.root, svc.scan, svc.config);
  assert.deepEqual(shape(svc.model), shape(full), label);
  assertLinked(svc.model);
  const inside = svc as unknown as Inside;
  const cases = layoutCaseProblems(svc.config, svc.scan, full);
  assert.deepEqual(inside.caseProblems, cases, label);
  // What fileSetTaken says: every path diagnosed (the checked files, the folders of phases without a document), then
  // those folders before, and the files of the names in another case before and after (`before` holds both).
  const checked = svc.diagnosedPaths();
  assert.deepEqual(affected.slice(0, checked.length), checked, label);
  const extra = new Set([...before, ...cases.map((c) => (c as { file: string }).file)]);
  if (svc.config.file) extra.add(svc.config.file);
  for (const f of affected.slice(checked.length)) assert.ok(extra.has(f), `${label}: ${f} said affected`);
  for (const f of extra) if (f !== svc.config.file) assert.ok(affected.includes(f), `${label}: ${f} not said affected`);
  if (inside.pathsByLowerCase) {
    const index = new Map<string, string[]>();
    for (const set of [svc.scan.dirs, svc.scan.files]) for (const d of set) index.set(d.toLowerCase(), [...(index.get(d.toLowerCase()) ?? []), d]);
    const sorted = (m: Map<string, string[]>) => [...m].map(([k, v]) => [k, [...v].sort()] as const).sort((a, b) => (a[0] < b[0] ? -1 : 1));
    assert.deepEqual(sorted(inside.pathsByLowerCase), sorted(index), label);
    const collisions = [...index].filter(([, v]) => v.length > 1).map(([k]) => k);
    assert.deepEqual([...inside.lowerCaseCollisions].sort(), collisions.sort(), label);
  }
}

/** Random joins and leaves: `steps` of [folder index, name index, text]; a file not on disk that joined leaves when drawn again. */
async function run(fs: MemoryFileSystem, steps: [number, number][]): Promise<void> {
  const svc = await loudOn(fs);
  // The index of paths in lower case built, as a rule asking for names in another case builds it.
  svc.foldersInOtherCase(`${ROOT}/x`);
  const open = new Set<string>();
  for (const [k, [fi, ni]] of steps.entries()) {
    const folders = [...svc.scan.dirs].sort();
    const p = `${folders[fi % folders.length]}/${NAMES[ni % NAMES.length]}`;
    const before = [
      ...(svc as unknown as Inside).caseProblems.map((c) => (c as { file: string }).file),
      ...svc.model.phases.filter((q) => q.markdown.length === 0).map((q) => q.folder),
    ];
    const joins = !svc.scan.files.has(p);
    if (open.has(p)) {
      open.delete(p);
      const affected = await svc.clearOverlay(p);
      // Not on disk: it leaves the scan's files, whether a phase checks it or not (a README beside the phases).
      assert.ok(!svc.scan.files.has(p), `step ${k}: ${p} still among the scan's files`);
      assertAsRebuilt(svc, affected, before, `step ${k}: ${p} left`);
    } else {
      const affected = svc.setOverlay(p, `# ${k}\n`);
      if (!joins) continue;
      open.add(p);
      assert.ok(svc.scan.files.has(p));
      assertAsRebuilt(svc, affected, before, `step ${k}: ${p} joined`);
    }
  }
  // All closed: the files and the model the workspace had at load.
  for (const p of open) await svc.clearOverlay(p);
  const fresh = await loudOn(fs);
  assert.deepEqual([...svc.scan.files].sort(), [...fresh.scan.files].sort());
  assert.deepEqual(shape(svc.model), shape(fresh.model));
}

const steps = (max: number) => fc.array(fc.tuple(fc.nat(), fc.nat()), { minLength: 1, maxLength: max });

describe('overlay model: a new document joins and leaves without a rebuild', () => {
  it('generated workspaces: the model after random joins and leaves is the one buildModel builds', async function () {
    this.timeout(300_000);
    for (const seed of [1, 2]) {
      const fs = generated(4, seed);
      await fc.assert(
        fc.asyncProperty(steps(24), (s) => run(fs, s)),
        { numRuns: 25, seed },
      );
    }
  });

  it('hand-made workspace (documents that make a phase, names in another case, plans, a custom layout): the same', async function () {
    this.timeout(300_000);
    const fs = tricky();
    await fc.assert(
      fc.asyncProperty(steps(40), (s) => run(fs, s)),
      { numRuns: 300, seed: 7 },
    );
  });

  it('a config with ignore globs, a nested project, custom layouts by ** globs and plans in phases: the same', async function () {
    this.timeout(300_000);
    const fs = new MemoryFileSystem();
    const files: Record<string, string> = {
      'phasegate.yaml':
        'ignore:\n  - "**/drafts/**"\n  - "**/*.tmp.md"\nlayouts:\n  - name: track\n    phases: "tracks/**/step-*"\n    number: "step-(\\\\d+)"\n    documents:\n      - {kind: plan, file: PLAN.md, sections: [Plan]}\n',
      'tracks/a/step-1/PLAN.md': '# Plan\n',
      'tracks/a/step-2/sub/step-3/notes.md': '# Notes\n',
      'tracks/b/c/step-1/project_implementation_plan.md': '# Plan\n',
      'audit/phase-1/00-PHASE_BRIEF.md': '# Brief\n',
      'audit/phase-1/03-FINDINGS/deep/x.md': '# X\n',
      'audit/phase-2/drafts/00-PHASE_BRIEF.md': '# Brief\n',
      'audit/phase_7/x.txt': 'x\n',
      'nested/phasegate.yaml': 'rules: {}\n',
      'nested/phase-1/00-PHASE_BRIEF.md': '# Brief\n',
      'workstreams/W/Phase_1_A/implementation_prompt.md': '# Prompt\n',
      'workstreams/W/misc/a.md': '# A\n',
    };
    for (const [p, t] of Object.entries(files)) fs.write(`${ROOT}/${p}`, t);
    await fc.assert(
      fc.asyncProperty(steps(40), (s) => run(fs, s)),
      { numRuns: 200, seed: 11 },
    );
  });

  it('each name in each folder of the hand-made workspace, joining then leaving', async function () {
    this.timeout(300_000);
    const fs = tricky();
    const svc = await loudOn(fs);
    svc.foldersInOtherCase(`${ROOT}/x`);
    for (const dir of [...svc.scan.dirs].sort())
      for (const name of NAMES) {
        const p = `${dir}/${name}`;
        if (svc.scan.files.has(p)) continue;
        const cases = () => (svc as unknown as Inside).caseProblems.map((c) => (c as { file: string }).file);
        let before = cases();
        assertAsRebuilt(svc, svc.setOverlay(p, '# New\n'), before, `${p} joined`);
        before = cases();
        const affected = await svc.clearOverlay(p);
        assert.ok(!svc.scan.files.has(p), `${p} still among the scan's files`);
        assertAsRebuilt(svc, affected, before, `${p} left`);
      }
  });

  it('a document that makes its folder a phase, or ends one, is left to a rebuild (modelWithFile says undefined)', async () => {
    const svc = await loudOn(tricky());
    const scanWith = (p: string) => ({ ...svc.scan, files: new Set([...svc.scan.files, p]) });
    const scanWithout = (p: string) => ({ ...svc.scan, files: new Set([...svc.scan.files].filter((f) => f !== p)) });
    // A workstream's folder that an iAI document makes a phase.
    const notes = `${ROOT}/proj/workstreams/Alpha/notes/implementation_prompt.md`;
    assert.equal(modelWithFile(svc.model, scanWith(notes), svc.config, notes, true), undefined);
    // A `phase_5` folder that an audit document makes one.
    const loose = `${ROOT}/audit/phase_5/00-PHASE_BRIEF.md`;
    assert.equal(modelWithFile(svc.model, scanWith(loose), svc.config, loose, true), undefined);
    // Its only document leaving ends the `design` phase.
    const design = `${ROOT}/proj/workstreams/Alpha/design/implementation_prompt.md`;
    assert.equal(modelWithFile(svc.model, scanWithout(design), svc.config, design, false), undefined);
    // A phase by its name stays one: changed in place.
    const output = `${ROOT}/audit/phase-1/06-OUTPUT_HANDOFF.md`;
    const m = modelWithFile(svc.model, scanWith(output), svc.config, output, true);
    assert.ok(m);
    assert.equal(m.byFolder.get(`${ROOT}/audit/phase-1`)!.documents.find((d) => d.path === output)!.exists, true);
    // The model it was made from is left as it was.
    assert.equal(svc.model.byFolder.get(`${ROOT}/audit/phase-1`)!.documents.find((d) => d.path === output)!.exists, false);
  });

  it('a new document in a phase changes that phase and its group alone: every other phase is the object it was', async function () {
    this.timeout(300_000);
    const svc = await loudOn(generated(40, 1));
    const phase = svc.model.phases.find((p) => p.documents.some((d) => !d.exists)) ?? svc.model.phases[0];
    const group = new Set(svc.model.groups.get(phase.group));
    const others = svc.model.phases.filter((q) => !group.has(q));
    assert.ok(others.length > 40);
    const p = `${phase.folder}/zz-new-document.md`;
    const kept = (m: WorkspaceModel) => others.filter((q) => m.byFolder.get(q.folder) === q).length;
    svc.setOverlay(p, '# New\n');
    // A rebuild makes every phase anew (buildModel's objects are its own): none of them would be kept.
    assert.equal(kept(svc.model), others.length, 'joined');
    assert.notEqual(svc.model.byFolder.get(phase.folder), phase);
    assert.ok(svc.model.byFolder.get(phase.folder)!.files.includes(p));
    await svc.clearOverlay(p);
    assert.equal(kept(svc.model), others.length, 'left');
    assert.ok(!svc.model.byFolder.get(phase.folder)!.files.includes(p));
    assert.equal(kept(buildModel(svc.root, svc.scan, svc.config)), 0, 'a rebuild keeps none');
  });
});
