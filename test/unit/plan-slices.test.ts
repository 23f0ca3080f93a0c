/**
 * The project plan's check in the language server's workspace diagnostics: the plan rule's work that grows with the
 * project (which phases each row and item names) is done ahead in slices (`preparePlansInSlices`, `planSteps`), and
 * the rule finds it done. The plan's diagnostics are those of a check without it, whether it ran to its end or a
 * change ended it; it stops (lets the host run) within a large plan; and the check after it finds the look-ups done.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { MemoryFileSystem, PhasegateService } from '../../server/src/service';
import { planSteps } from '../../server/src/service/rules/phase-plan';
import { loudOn } from '../helpers/fuzz';
import { REPO, ROOT } from '../helpers/workspace';

type Generate = (o: { n: number; seed: number }) => Iterable<[string, string]>;
let generateFiles: Generate;

before(async () => {
  ({ generateFiles } = (await import(pathToFileURL(path.join(REPO, 'bench', 'generate.mjs')).href)) as { generateFiles: Generate });
});

const PROMPT = '# Prompt\n\n## Objective\n\nDo it.\n';

/** Plans of several shapes over two workstreams: a table, tables per workstream, checklists, status sections, links, unknown phases. */
function handMade(): Record<string, string>[] {
  const phases: Record<string, string> = {};
  for (const w of ['Build', 'Deploy']) for (let i = 1; i <= 4; i++) phases[`workstreams/${w}/Phase_${i}_${w}_Step/implementation_prompt.md`] = PROMPT;
  const plan = (body: string) => ({ ...phases, 'project_implementation_plan.md': `# Plan\n\n${body}` });
  return [
    plan(
      '## Phase Status\n\n| Workstream | Phase | Status |\n| --- | --- | --- |\n| Build | Phase_1_Build_Step | Complete |\n| Build | Phase 2 | In progress |\n| Deploy | [Phase_1](workstreams/Deploy/Phase_1_Deploy_Step/implementation_prompt.md) | ✅ |\n| Deploy | Phase_9_Nowhere | Not started |\n| Test | Phase_1_Test | Done |\n',
    ),
    plan(
      '## Phase Status\n\n### Build Workstream\n\n| Phase | Status |\n| --- | --- |\n| Phase_1_Build_Step | Complete |\n| Phase 3 | Not started |\n\n### Deploy\n\n| Phase | Status |\n| --- | --- |\n| Phase 2 | Verified & Integrated |\n',
    ),
    plan(
      '## Phase Status\n\n### Build\n\n- [x] Phase 1: Build step\n- [ ] Phase 2: Build step — In progress\n- [ ] Phase 7: nothing\n\n### Deploy\n\n1. [Phase_3_Deploy_Step](workstreams/Deploy/Phase_3_Deploy_Step/implementation_prompt.md) (done)\n2. Deploy/Phase_4_Deploy_Step\n',
    ),
    plan(
      '## Completed\n\n- Build/Phase_1_Build_Step\n- Deploy Phase 1\n\n## In Progress\n\n- Build/Phase_2_Build_Step\n\n## Not Started\n\n- Phase_5_Unknown\n',
    ),
  ];
}

function memoryFs(files: Record<string, string>): MemoryFileSystem {
  const fs = new MemoryFileSystem();
  for (const [p, t] of Object.entries(files)) fs.write(`${ROOT}/${p}`, t);
  return fs;
}

/** The diagnostics of every plan of `svc`. */
function planDiagnostics(svc: PhasegateService): string {
  return JSON.stringify(svc.model.plans.map((p) => svc.diagnose(p.path)));
}

/** A pause that counts how often it was called, and runs `during` at the first call. */
function countingPause(during?: () => void): { pause: () => Promise<void>; count: () => number } {
  let n = 0;
  return {
    pause: async () => {
      if (n++ === 0) during?.();
      await new Promise<void>((r) => setImmediate(r));
    },
    count: () => n,
  };
}

describe('plan check in slices (preparePlansInSlices)', () => {
  it('the plans diagnose as without it: hand-made shapes and generated workspaces, stopping at every step', async function () {
    this.timeout(120_000);
    const workspaces = [...handMade(), ...[1, 2].map((seed) => Object.fromEntries(generateFiles({ n: 100, seed })))];
    for (const [k, files] of workspaces.entries()) {
      const plain = await loudOn(memoryFs(files));
      assert.ok(plain.model.plans.length, `workspace ${k} has a plan`);
      const expected = planDiagnostics(plain);
      const sliced = await loudOn(memoryFs(files));
      // A slice of no time: it stops wherever it can.
      const p = countingPause();
      await sliced.preparePlansInSlices(p.pause, 0);
      assert.equal(planDiagnostics(sliced), expected, `workspace ${k}`);
    }
  });

  it('a change taken during a pause ends it; the plans then diagnose as a fresh engine after that change', async function () {
    this.timeout(120_000);
    const files = Object.fromEntries(generateFiles({ n: 100, seed: 3 }));
    const svc = await loudOn(memoryFs(files));
    const phase = svc.model.phases.find((q) => q.workstream !== undefined)!;
    const added = `${phase.folder}/zz-notes.md`;
    const p = countingPause(() => svc.setOverlay(added, '# Notes\n'));
    await svc.preparePlansInSlices(p.pause, 0);
    // It stopped at the change's pause.
    assert.equal(p.count(), 1);
    const fresh = await loudOn(memoryFs({ ...files, [added.slice(ROOT.length + 1)]: '# Notes\n' }));
    assert.equal(planDiagnostics(svc), planDiagnostics(fresh));
  });

  it('several small plans: the host is let run between them once the slice is spent (one slice for them all)', async function () {
    this.timeout(120_000);
    // Eight projects, each with a plan of a few rows over a few phases: no plan's own look-ups reach a stop.
    const files: Record<string, string> = {};
    for (let k = 0; k < 8; k++) {
      const rows: string[] = [];
      for (let i = 1; i <= 3; i++) {
        files[`p${k}/workstreams/W/Phase_${i}_Task/implementation_prompt.md`] = PROMPT;
        rows.push(`| W | Phase_${i}_Task | Not started |`);
      }
      files[`p${k}/project_implementation_plan.md`] = `# Plan\n\n## Phase Status\n\n| Workstream | Phase | Status |\n| --- | --- | --- |\n${rows.join('\n')}\n`;
    }
    const svc = await loudOn(memoryFs(files));
    assert.equal(svc.model.plans.length, 8);
    const expected = planDiagnostics(await loudOn(memoryFs(files)));
    // A slice of no time: spent after each plan's work at the latest.
    const p = countingPause();
    await svc.preparePlansInSlices(p.pause, 0);
    assert.ok(p.count() >= 7, `${p.count()} pauses over 8 plans`);
    assert.equal(planDiagnostics(svc), expected);
  });

  it('a large plan: it stops many times within, and the check afterwards finds its look-ups done', async function () {
    this.timeout(300_000);
    const files: Record<string, string> = {};
    const rows: string[] = [];
    for (let w = 0; w < 10; w++)
      for (let i = 1; i <= 300; i++) {
        files[`workstreams/W${w}/Phase_${i}_Task/implementation_prompt.md`] = PROMPT;
        rows.push(`| W${w} | Phase_${i}_Task | Not started |`);
      }
    files['project_implementation_plan.md'] = `# Plan\n\n## Phase Status\n\n| Workstream | Phase | Status |\n| --- | --- | --- |\n${rows.join('\n')}\n`;
    const plan = `${ROOT}/project_implementation_plan.md`;
    /** The stops the plan's steps make when every slice is spent at once: none when their work was done already. */
    const stops = (svc: PhasegateService) => {
      let n = 0;
      for (const run = planSteps(svc.model, plan, svc.getDocument(plan)!, () => true); !run.next().done;) n++;
      return n;
    };
    const a = await loudOn(memoryFs(files));
    const p = countingPause();
    await a.preparePlansInSlices(p.pause, 0);
    assert.ok(p.count() >= 3000 / 64, `${p.count()} pauses`);
    assert.equal(stops(a), 0, 'prepared: the rows already read');
    const b = await loudOn(memoryFs(files));
    assert.ok(stops(b) >= 3000 / 64, 'not prepared: the rows read in steps');
    const c = await loudOn(memoryFs(files));
    assert.deepEqual(a.diagnose(plan), c.diagnose(plan));
  });
});
