/**
 * A phase folder copied to start the next phase (`cp -r phase-2 phase-3`) keeps the numbers of the phase it was
 * copied from: what Phasegate reports of them, and what Fix all (and so `check --fix`) renumbers.
 */
import * as assert from 'node:assert/strict';
import { workspace, ROOT, diagnosticsOf } from '../helpers/workspace';
import { MemoryFileSystem, PhasegateService, applyEdits, codeActions, fixAllRepeated } from '../../server/src/service';
import { planNew } from '../../server/src/service/scaffold';
import { basename } from '../../server/src/service/host';

const DATE = '2026-01-02';

/** Writes what `new phase` (or `new prompt`) would for `request`. */
async function scaffold(svc: PhasegateService, fs: MemoryFileSystem, request: Parameters<typeof planNew>[1]): Promise<void> {
  for (const c of planNew(svc, { date: DATE, ...request }).creates) fs.write(c.file, c.text);
  await svc.load(ROOT);
}

/** Copies every file under folder `from` to folder `to` (both relative to the workspace), as `cp -r` does. */
function copyFolder(fs: MemoryFileSystem, from: string, to: string): void {
  const prefix = `${ROOT}/${from}/`;
  for (const p of fs.paths()) if (p.startsWith(prefix)) fs.write(`${ROOT}/${to}/${p.slice(prefix.length)}`, fs.text(p)!);
}

/** Applies Fix all (as `check --fix` does, rounds included) to every Markdown file under `folder`, then reloads. */
async function fixAllUnder(svc: PhasegateService, fs: MemoryFileSystem, folder: string): Promise<void> {
  for (const p of fs.paths()) {
    if (!p.startsWith(`${ROOT}/${folder}/`) || !p.endsWith('.md')) continue;
    const action = fixAllRepeated(svc, p);
    if (!action) continue;
    fs.write(p, applyEdits(fs.text(p)!, action.change.edits[0].edits));
    await svc.load(ROOT);
  }
}

/** The `title:` line of a document's front matter. */
function titleLine(fs: MemoryFileSystem, rel: string): string | undefined {
  return fs
    .text(`${ROOT}/${rel}`)
    ?.split('\n')
    .find((l) => l.startsWith('title:'));
}

/** heading-mismatch problems of a file as `line:start-end message`, front matter titles only. */
function titleProblems(svc: PhasegateService, rel: string): string[] {
  return diagnosticsOf(svc, rel, 'heading-mismatch')
    .filter((d) => d.message.startsWith('Front matter title'))
    .map((d) => `${d.range.start.line}:${d.range.start.character}-${d.range.end.character} ${d.message}`);
}

describe('a copied phase folder: the front matter title', () => {
  it("reports the audit documents' titles of phase 2 in phase-3, ranged on their numbers, and Fix all renumbers them, quotes kept", async () => {
    const { svc, fs } = await workspace({});
    await scaffold(svc, fs, { what: 'phase', folder: 'phase-1', title: 'Foundation' });
    await scaffold(svc, fs, { what: 'phase', folder: 'phase-2', title: 'Testing' });
    copyFolder(fs, 'phase-2', 'phase-3');
    await svc.load(ROOT);
    assert.equal(titleLine(fs, 'phase-3/00-PHASE_BRIEF.md'), 'title: "Phase 2: Testing"');
    assert.deepEqual(titleProblems(svc, 'phase-3/00-PHASE_BRIEF.md'), [
      '2:14-15 Front matter title "Phase 2: Testing" names another phase than phase-3: it should read "Phase 3: Testing".',
    ]);
    // Both numbers of the output handoff's title, from the first to the last.
    assert.deepEqual(titleProblems(svc, 'phase-3/06-OUTPUT_HANDOFF.md'), [
      '2:14-25 Front matter title "Phase 2 → Phase 3 Handoff" names another phase than phase-3: it should read "Phase 3 → Phase 4 Handoff".',
    ]);
    for (const f of ['01-INPUT_HANDOFF.md', '02-EXECUTION_PLAN.md', '05-DECISIONS.md', '07-VALIDATION.md'])
      assert.equal(titleProblems(svc, `phase-3/${f}`).length, 1, f);
    // The phase copied from is right.
    for (const p of fs.paths())
      if (p.startsWith(`${ROOT}/phase-2/`) && p.endsWith('.md')) assert.deepEqual(titleProblems(svc, p.slice(ROOT.length + 1)), [], p);

    await fixAllUnder(svc, fs, 'phase-3');
    assert.equal(titleLine(fs, 'phase-3/00-PHASE_BRIEF.md'), 'title: "Phase 3: Testing"');
    assert.equal(titleLine(fs, 'phase-3/01-INPUT_HANDOFF.md'), 'title: "Phase 3 Input Handoff"');
    assert.equal(titleLine(fs, 'phase-3/06-OUTPUT_HANDOFF.md'), 'title: "Phase 3 → Phase 4 Handoff"');
    assert.equal(titleLine(fs, 'phase-3/07-VALIDATION.md'), 'title: "Phase 3 Validation"');
    for (const p of fs.paths())
      if (p.startsWith(`${ROOT}/phase-3/`) && p.endsWith('.md')) assert.deepEqual(diagnosticsOf(svc, p.slice(ROOT.length + 1), 'heading-mismatch'), [], p);
  });

  it('keeps the YAML style of the title: single quotes, plain, a comment after it; its other numbers as they are', async () => {
    const brief = (title: string) => `---\nphase: phase-3\n${title}\nstatus: draft\n---\n\n# Phase 3: Testing\n\n## Objectives\n\n- Test.\n`;
    const { svc, fs } = await workspace({
      'phase-3/00-PHASE_BRIEF.md': brief("title: 'Phase 2: Q3 2024 testing'  # copied"),
      'phase-3/02-EXECUTION_PLAN.md': '---\nphase: phase-3\ntitle: Phase 2 Execution Plan\nstatus: draft\n---\n\n# Phase 3 Execution Plan\n',
    });
    assert.deepEqual(titleProblems(svc, 'phase-3/00-PHASE_BRIEF.md'), [
      '2:14-15 Front matter title "Phase 2: Q3 2024 testing" names another phase than phase-3: it should read "Phase 3: Q3 2024 testing".',
    ]);
    const [d] = diagnosticsOf(svc, 'phase-3/00-PHASE_BRIEF.md', 'heading-mismatch');
    assert.deepEqual(
      codeActions(svc, [d]).map((a) => [a.title, a.isPreferred]),
      [['Number the front matter title for this phase: "3"', true]],
    );
    await fixAllUnder(svc, fs, 'phase-3');
    assert.equal(titleLine(fs, 'phase-3/00-PHASE_BRIEF.md'), "title: 'Phase 3: Q3 2024 testing'  # copied");
    assert.equal(titleLine(fs, 'phase-3/02-EXECUTION_PLAN.md'), 'title: Phase 3 Execution Plan');
  });

  it("leaves alone a title naming its own phase, one without the heading's words, and one written over several lines", async () => {
    const { svc } = await workspace({
      'phase-3/00-PHASE_BRIEF.md': '---\nphase: phase-3\ntitle: "Phase 3: Testing"\n---\n\n# Phase 3: Testing\n',
      'phase-3/02-EXECUTION_PLAN.md': '---\nphase: phase-3\ntitle: Q2 2024 plan, after milestone 2\n---\n\n# Phase 3 Execution Plan\n',
      'phase-3/05-DECISIONS.md': '---\nphase: phase-3\ntitle: >-\n  Phase 2\n  Decisions\n---\n\n# Phase 3 Decisions\n',
    });
    for (const f of ['00-PHASE_BRIEF.md', '02-EXECUTION_PLAN.md', '05-DECISIONS.md']) assert.deepEqual(titleProblems(svc, `phase-3/${f}`), [], f);
  });

  it("reports and renumbers an iAI prompt's title in a copied phase folder", async () => {
    const { svc, fs } = await workspace({});
    await scaffold(svc, fs, { what: 'prompt', workstream: 'Build', title: 'CI' });
    await scaffold(svc, fs, { what: 'prompt', workstream: 'Build', title: 'Testing' });
    await svc.load(ROOT);
    const from = svc.model.phases.find((p) => p.number === 2)!.folder.slice(ROOT.length + 1);
    assert.equal(from, 'workstreams/Build/Phase_2_Testing');
    copyFolder(fs, from, 'workstreams/Build/Phase_3_Testing');
    await svc.load(ROOT);
    const prompt = 'workstreams/Build/Phase_3_Testing/implementation_prompt.md';
    assert.equal(titleLine(fs, prompt), 'title: "Phase 2: Testing"');
    assert.deepEqual(titleProblems(svc, prompt), [
      '3:14-15 Front matter title "Phase 2: Testing" names another phase than Phase_3_Testing: it should read "Phase 3: Testing".',
    ]);
    await fixAllUnder(svc, fs, 'workstreams/Build/Phase_3_Testing');
    assert.equal(titleLine(fs, prompt), 'title: "Phase 3: Testing"');
    assert.deepEqual(diagnosticsOf(svc, prompt, 'heading-mismatch'), []);
  });

  it("reports and renumbers a custom layout's title by the heading it declares (`Sprint {N}: `)", async () => {
    const { svc, fs } = await workspace({
      'phasegate.yaml':
        'layouts:\n  - name: sprint\n    phases: "sprints/sprint-*"\n    number: "sprint-(\\\\d+)"\n    documents:\n' +
        "      - {kind: brief, file: GOALS.md, heading: 'Sprint {N}: ', sections: [Goals]}\n" +
        "      - {kind: retro, file: RETRO.md, heading: 'Sprint {N} Retro', sections: [What went well]}\n",
    });
    await scaffold(svc, fs, { what: 'phase', folder: 'sprints/sprint-2', title: 'Kickoff' });
    copyFolder(fs, 'sprints/sprint-2', 'sprints/sprint-3');
    await svc.load(ROOT);
    assert.equal(titleLine(fs, 'sprints/sprint-3/GOALS.md'), 'title: "Sprint 2: Kickoff"');
    assert.deepEqual(titleProblems(svc, 'sprints/sprint-3/GOALS.md'), [
      '2:15-16 Front matter title "Sprint 2: Kickoff" names another phase than sprint-3: it should read "Sprint 3: Kickoff".',
    ]);
    await fixAllUnder(svc, fs, 'sprints/sprint-3');
    assert.equal(titleLine(fs, 'sprints/sprint-3/GOALS.md'), 'title: "Sprint 3: Kickoff"');
    assert.deepEqual(diagnosticsOf(svc, 'sprints/sprint-3/GOALS.md', 'heading-mismatch'), []);
  });
});

describe("a custom layout's phase without a number: the sections' {N}", () => {
  const CONFIG =
    'layouts:\n  - name: sprint\n    phases: "sprints/sprint-*"\n    number: "sprint-(\\\\d+)"\n    documents:\n' +
    "      - kind: brief\n        file: GOALS.md\n        heading: 'Sprint {N}: '\n        sections:\n" +
    "          - Sprint {N} Goals\n          - {title: Scope, description: 'What sprint {N} covers, before sprint {N+1}.'}\n";

  it('`new` writes the section titles and placeholders without their {N}s, and the rules expect them so', async () => {
    const { svc, fs } = await workspace({ 'phasegate.yaml': CONFIG });
    assert.deepEqual(svc.config.problems, []);
    const plan = planNew(svc, { what: 'phase', folder: 'sprints/sprint-beta', title: 'Spike', date: DATE });
    const goals = plan.creates.find((c) => c.file.endsWith('/GOALS.md'))!.text;
    assert.doesNotMatch(goals, /\{N/);
    assert.deepEqual(
      goals.split('\n').filter((l) => l.startsWith('## ') || l.startsWith('[')),
      ['## Sprint Goals', '[Content]', '## Scope', '[What sprint covers, before sprint]'],
    );
    for (const c of plan.creates) fs.write(c.file, c.text);
    await svc.load(ROOT);
    assert.deepEqual(diagnosticsOf(svc, 'sprints/sprint-beta/GOALS.md', 'missing-section'), []);

    // Without it, the section is missing as `new` writes it, and its quick fix inserts it so.
    fs.write(`${ROOT}/sprints/sprint-beta/GOALS.md`, goals.replace('## Sprint Goals\n\n[Content]\n\n', ''));
    await svc.load(ROOT);
    const missing = diagnosticsOf(svc, 'sprints/sprint-beta/GOALS.md', 'missing-section');
    assert.deepEqual(
      missing.map((d) => d.message),
      ['Missing section "## Sprint Goals".'],
    );
    const inserted = codeActions(svc, missing).flatMap((a) => a.change.edits.flatMap((e) => e.edits.map((x) => x.newText)));
    assert.equal(inserted.length, 1);
    assert.match(inserted[0], /^## Sprint Goals\n/m);
    assert.doesNotMatch(inserted[0], /\{N/);
  });

  it('still finds the section written with a number, or with its {N} as written before', async () => {
    for (const heading of ['## Sprint {N} Goals', '## Sprint 4 Goals', '## Sprint Goals']) {
      const { svc } = await workspace({
        'phasegate.yaml': CONFIG,
        'sprints/sprint-beta/GOALS.md': `# Spike\n\n${heading}\n\nShip it.\n\n## Scope\n\nAll of it.\n`,
      });
      assert.deepEqual(
        diagnosticsOf(svc, 'sprints/sprint-beta/GOALS.md').filter((d) => /section/.test(String(d.code))),
        [],
        heading,
      );
    }
  });
});

describe('a phase without a number: sections whose titles differ by their numbers alone, written alike', () => {
  const CONFIG =
    'layouts:\n  - name: sprint\n    phases: "sprints/sprint-*"\n    number: "sprint-(\\\\d+)"\n    documents:\n' +
    '      - kind: brief\n        file: GOALS.md\n        sections: ["Sprints {N-1}-{N}", Notes, "Sprints {N-2}-{N-1}"]\n';
  const GOALS = 'sprints/sprint-beta/GOALS.md';
  const sectionProblems = (svc: PhasegateService) =>
    diagnosticsOf(svc, GOALS)
      .filter((d) => /section/.test(String(d.code)))
      .map((d) => `${d.code} ${d.range.start.line} ${d.message}`);

  it('`new` writes both `## Sprints`, and check finds each in its turn: no section-order (was: both the first, told out of order)', async () => {
    const { svc, fs } = await workspace({ 'phasegate.yaml': CONFIG });
    assert.deepEqual(svc.config.problems, []);
    const plan = planNew(svc, { what: 'phase', folder: 'sprints/sprint-beta', title: 'Spike', date: DATE });
    const goals = plan.creates.find((c) => c.file.endsWith('/GOALS.md'))!.text;
    assert.deepEqual(
      goals.split('\n').filter((l) => l.startsWith('## ')),
      ['## Sprints', '## Notes', '## Sprints'],
    );
    for (const c of plan.creates) fs.write(c.file, c.text);
    await svc.load(ROOT);
    assert.deepEqual(sectionProblems(svc), []);
    // The second is a section of its own: empty, it is told so (was: the first read for both, and nothing told).
    fs.write(`${ROOT}/${GOALS}`, '# Spike\n\n## Sprints\n\nDone.\n\n## Notes\n\nNone.\n\n## Sprints\n');
    await svc.load(ROOT);
    assert.deepEqual(sectionProblems(svc), ['empty-section 10 Section "Sprints" is empty.']);
  });
});

describe('a copied phase folder: what else it keeps of the phase it was copied from', () => {
  async function copied(): Promise<{ svc: PhasegateService; fs: MemoryFileSystem }> {
    const { svc, fs } = await workspace({});
    await scaffold(svc, fs, { what: 'phase', folder: 'phase-1', title: 'Foundation' });
    await scaffold(svc, fs, { what: 'phase', folder: 'phase-2', title: 'Testing' });
    copyFolder(fs, 'phase-2', 'phase-3');
    await svc.load(ROOT);
    return { svc, fs };
  }
  const lineOf = (fs: MemoryFileSystem, rel: string, start: string) =>
    fs
      .text(`${ROOT}/${rel}`)!
      .split('\n')
      .find((l) => l.startsWith(start));

  it("reports the input handoff's front matter `from` naming the phase before the one copied from, and Fix all names the phase before", async () => {
    const { svc, fs } = await copied();
    assert.equal(lineOf(fs, 'phase-3/01-INPUT_HANDOFF.md', 'from:'), 'from: "phase-1"');
    const from = diagnosticsOf(svc, 'phase-3/01-INPUT_HANDOFF.md', 'heading-mismatch').filter((d) => d.range.start.line === 2);
    assert.deepEqual(
      from.map((d) => `${d.range.start.character}-${d.range.end.character} ${d.message}`),
      ['6-15 Front matter says the inputs come from phase-1, but phase-3 follows phase-2: `from` should be phase-2.'],
    );
    assert.deepEqual(
      codeActions(svc, from).map((a) => a.title),
      ['Name the phase the inputs come from: phase-2'],
    );
    // The phase copied from names its own predecessor.
    assert.deepEqual(
      diagnosticsOf(svc, 'phase-2/01-INPUT_HANDOFF.md', 'heading-mismatch').map((d) => d.message),
      [],
    );
    await fixAllUnder(svc, fs, 'phase-3');
    assert.equal(lineOf(fs, 'phase-3/01-INPUT_HANDOFF.md', 'from:'), 'from: "phase-2"');
  });

  it("reports the output handoff's `## Phase 2 Summary` in phase-3, and Fix all renumbers it", async () => {
    const { svc, fs } = await copied();
    assert.deepEqual(
      diagnosticsOf(svc, 'phase-3/06-OUTPUT_HANDOFF.md', 'heading-mismatch')
        .filter((d) => d.message.startsWith('Section'))
        .map((d) => `${d.range.start.line}:${d.range.start.character}-${d.range.end.character} ${d.message}`),
      ['9:3-18 Section "Phase 2 Summary" names another phase than phase-3: it should read "Phase 3 Summary".'],
    );
    await fixAllUnder(svc, fs, 'phase-3');
    assert.equal(lineOf(fs, 'phase-3/06-OUTPUT_HANDOFF.md', '## Phase 3 Summary'), '## Phase 3 Summary');
    // Its sections for the next phase are handoff-mismatch's, renumbered too.
    assert.equal(lineOf(fs, 'phase-3/06-OUTPUT_HANDOFF.md', '## Phase 4 Inputs'), '## Phase 4 Inputs');
    assert.deepEqual(diagnosticsOf(svc, 'phase-3/06-OUTPUT_HANDOFF.md', 'heading-mismatch'), []);
    assert.deepEqual(diagnosticsOf(svc, 'phase-3/06-OUTPUT_HANDOFF.md', 'handoff-mismatch'), []);
  });

  it("renumbers a custom layout's section named for the phase (`Sprint {N} Goals`)", async () => {
    const { svc, fs } = await workspace({
      'phasegate.yaml':
        'layouts:\n  - name: sprint\n    phases: "sprints/sprint-*"\n    number: "sprint-(\\\\d+)"\n    documents:\n' +
        "      - {kind: brief, file: GOALS.md, heading: 'Sprint {N}: ', sections: ['Sprint {N} Goals']}\n",
    });
    await scaffold(svc, fs, { what: 'phase', folder: 'sprints/sprint-2', title: 'Kickoff' });
    copyFolder(fs, 'sprints/sprint-2', 'sprints/sprint-3');
    await svc.load(ROOT);
    assert.deepEqual(
      diagnosticsOf(svc, 'sprints/sprint-3/GOALS.md', 'heading-mismatch')
        .filter((d) => d.message.startsWith('Section'))
        .map((d) => d.message),
      ['Section "Sprint 2 Goals" names another phase than sprint-3: it should read "Sprint 3 Goals".'],
    );
    await fixAllUnder(svc, fs, 'sprints/sprint-3');
    assert.equal(lineOf(fs, 'sprints/sprint-3/GOALS.md', '## '), '## Sprint 3 Goals');
    assert.deepEqual(diagnosticsOf(svc, 'sprints/sprint-3/GOALS.md', 'heading-mismatch'), []);
  });

  it("retargets the input handoff's Source and renumbers the words naming the phase it linked (as the template writes them)", async () => {
    const { svc, fs } = await copied();
    assert.equal(
      lineOf(fs, 'phase-3/01-INPUT_HANDOFF.md', 'Output handoff'),
      'Output handoff of Phase 1: [phase-1/06-OUTPUT_HANDOFF.md](../phase-1/06-OUTPUT_HANDOFF.md)',
    );
    await fixAllUnder(svc, fs, 'phase-3');
    assert.equal(
      lineOf(fs, 'phase-3/01-INPUT_HANDOFF.md', 'Output handoff'),
      'Output handoff of Phase 2: [phase-2/06-OUTPUT_HANDOFF.md](../phase-2/06-OUTPUT_HANDOFF.md)',
    );
    assert.deepEqual(diagnosticsOf(svc, 'phase-3/01-INPUT_HANDOFF.md', 'handoff-mismatch'), []);
  });

  it("retargets a Source link in the user's own words: the number of the phase it linked renumbered in its text, the words around it kept; and the fix's own label", async () => {
    const { svc, fs } = await copied();
    const file = `${ROOT}/phase-3/01-INPUT_HANDOFF.md`;
    const text = fs.text(file)!;
    const own = 'We start from [the Phase 1 notes, as agreed](../phase-1/06-OUTPUT_HANDOFF.md), see Phase 1: above.';
    fs.write(file, text.replace(/^Output handoff of Phase 1: .*$/m, own));
    await svc.load(ROOT);
    await fixAllUnder(svc, fs, 'phase-3');
    assert.equal(
      lineOf(fs, 'phase-3/01-INPUT_HANDOFF.md', 'We start'),
      'We start from [the Phase 2 notes, as agreed](../phase-2/06-OUTPUT_HANDOFF.md), see Phase 1: above.',
    );
    fs.write(file, text.replace(/^Output handoff of Phase 1: .*$/m, 'Previous phase: [Phase 1 output handoff](../phase-1/06-OUTPUT_HANDOFF.md)'));
    await svc.load(ROOT);
    await fixAllUnder(svc, fs, 'phase-3');
    assert.equal(lineOf(fs, 'phase-3/01-INPUT_HANDOFF.md', 'Previous phase'), 'Previous phase: [Phase 2 output handoff](../phase-2/06-OUTPUT_HANDOFF.md)');
    // Named by the linked handoff's title, which names the phase it handed off to too (was: `Phase 2 → Phase 2 Handoff`).
    fs.write(file, text.replace(/^Output handoff of Phase 1: .*$/m, 'From: [Phase 1 → Phase 2 Handoff](../phase-1/06-OUTPUT_HANDOFF.md)'));
    await svc.load(ROOT);
    await fixAllUnder(svc, fs, 'phase-3');
    assert.equal(lineOf(fs, 'phase-3/01-INPUT_HANDOFF.md', 'From'), 'From: [Phase 2 → Phase 3 Handoff](../phase-2/06-OUTPUT_HANDOFF.md)');
  });

  it('retargets a Source link written `[text](<target>)` or reference-style with its text renumbered too, as an inline one', async () => {
    const { svc, fs } = await copied();
    const file = `${ROOT}/phase-3/01-INPUT_HANDOFF.md`;
    const text = fs.text(file)!;
    // Was: the target retargeted, its text left naming phase-1's handoff.
    fs.write(file, text.replace('(../phase-1/06-OUTPUT_HANDOFF.md)', '(<../phase-1/06-OUTPUT_HANDOFF.md>)'));
    await svc.load(ROOT);
    await fixAllUnder(svc, fs, 'phase-3');
    assert.equal(
      lineOf(fs, 'phase-3/01-INPUT_HANDOFF.md', 'Output handoff'),
      'Output handoff of Phase 2: [phase-2/06-OUTPUT_HANDOFF.md](<../phase-2/06-OUTPUT_HANDOFF.md>)',
    );
    fs.write(
      file,
      text.replace(
        /^Output handoff of Phase 1: .*$/m,
        'See the [Phase 1 handoff][src] (Phase 1: [its output][src]).\n\n[src]: ../phase-1/06-OUTPUT_HANDOFF.md',
      ),
    );
    await svc.load(ROOT);
    await fixAllUnder(svc, fs, 'phase-3');
    assert.equal(lineOf(fs, 'phase-3/01-INPUT_HANDOFF.md', 'See the'), 'See the [Phase 2 handoff][src] (Phase 2: [its output][src]).');
    assert.equal(lineOf(fs, 'phase-3/01-INPUT_HANDOFF.md', '[src]:'), '[src]: ../phase-2/06-OUTPUT_HANDOFF.md');
  });
});

describe('a copied phase folder: the Source link text retargeted names the folder it links', () => {
  for (const [prefix, what] of [
    ['Phase ', 'a blank'],
    ['Phase', 'nothing'],
  ] as const)
    it(`where the phase folders are named \`${prefix}1\` (the word Phase and ${what} before the number): renumbered once`, async () => {
      const { svc, fs } = await workspace({});
      await scaffold(svc, fs, { what: 'phase', folder: 'phase-1', title: 'Foundation' });
      await scaffold(svc, fs, { what: 'phase', folder: 'phase-2', title: 'Testing' });
      // The folders renamed, and the links between them with them (in `<…>` once the name holds a blank).
      const dest = (k: number) => (prefix.includes(' ') ? `<../${prefix}${k}/06-OUTPUT_HANDOFF.md>` : `../${prefix}${k}/06-OUTPUT_HANDOFF.md`);
      for (const k of [1, 2]) {
        copyFolder(fs, `phase-${k}`, `${prefix}${k}`);
        for (const p of fs.paths()) if (p.startsWith(`${ROOT}/phase-${k}/`)) fs.delete(p);
      }
      const input2 = `${ROOT}/${prefix}2/01-INPUT_HANDOFF.md`;
      fs.write(
        input2,
        fs
          .text(input2)!
          .replace(/^Output handoff of Phase 1: .*$/m, `Output handoff of Phase 1: [${prefix}1/06-OUTPUT_HANDOFF.md](${dest(1)})`)
          .replace(/^from: .*$/m, `from: "${prefix}1"`),
      );
      copyFolder(fs, `${prefix}2`, `${prefix}3`);
      await svc.load(ROOT);
      assert.deepEqual(
        svc.model.phases.map((p) => basename(p.folder)),
        [1, 2, 3].map((k) => `${prefix}${k}`),
      );
      const file = `${ROOT}/${prefix}3/01-INPUT_HANDOFF.md`;
      const source = () =>
        fs
          .text(file)!
          .split('\n')
          .find((l) => l.startsWith('Output handoff'));
      assert.match(source()!, new RegExp(`^Output handoff of Phase 1: \\[${prefix}1/06-OUTPUT_HANDOFF\\.md\\]`));
      await fixAllUnder(svc, fs, `${prefix}3`);
      // Was: `[Phase 3/06-OUTPUT_HANDOFF.md]` (the folder's name put in, then its number renumbered again): no such folder.
      assert.equal(source(), `Output handoff of Phase 2: [${prefix}2/06-OUTPUT_HANDOFF.md](${dest(2)})`);
    });
});

describe("a copied phase folder: Fix all (the editor's, on save too)", () => {
  it('renumbers a copied input handoff but does not complete its handoff, after which it would no longer read as a copy', async () => {
    const { svc, fs } = await workspace({});
    await scaffold(svc, fs, { what: 'phase', folder: 'phase-1', title: 'Foundation' });
    await scaffold(svc, fs, { what: 'phase', folder: 'phase-2', title: 'Testing' });
    const output = `${ROOT}/phase-2/06-OUTPUT_HANDOFF.md`;
    // Phase 2 hands off an input to phase 3; its input handoff claims progress (complete, a prerequisite ticked).
    fs.write(output, fs.text(output)!.replace(/(## Phase 3 Inputs\n\n)[\s\S]*?(\n## )/, '$1- Test report: [report](03-FINDINGS/report.md)\n$2'));
    const input = `${ROOT}/phase-2/01-INPUT_HANDOFF.md`;
    fs.write(
      input,
      fs
        .text(input)!
        .replace(/^status: draft$/m, 'status: complete')
        .replace('- [ ]', '- [x]'),
    );
    copyFolder(fs, 'phase-2', 'phase-3');
    await svc.load(ROOT);
    const rel = 'phase-3/01-INPUT_HANDOFF.md';
    assert.equal(diagnosticsOf(svc, rel, 'copied-document').length, 1);
    assert.ok(diagnosticsOf(svc, rel, 'handoff-mismatch').some((d) => /Test report/.test(d.message)));

    const action = fixAllRepeated(svc, `${ROOT}/${rel}`)!;
    assert.deepEqual(action.codes, ['heading-mismatch']);
    fs.write(`${ROOT}/${rel}`, applyEdits(fs.text(`${ROOT}/${rel}`)!, action.change.edits[0].edits)!);
    await svc.load(ROOT);
    assert.match(fs.text(`${ROOT}/${rel}`)!, /^# Phase 3 Input Handoff$/m);
    assert.doesNotMatch(fs.text(`${ROOT}/${rel}`)!, /Test report/);
    assert.equal(diagnosticsOf(svc, rel, 'copied-document').length, 1);
    // The fix is still offered on its own, to apply by hand.
    assert.ok(codeActions(svc, diagnosticsOf(svc, rel)).some((a) => a.codes.includes('handoff-mismatch')));
  });
});
