import * as assert from 'node:assert/strict';
import { workspace, ROOT, diagnosticsOf } from '../helpers/workspace';
import { MemoryFileSystem, codeActions } from '../../server/src/service';
import { phaseTitle } from '../../server/src/service/templates';
import { NewPlan, planNew } from '../../server/src/service/scaffold';

const DATE = '2026-01-02';

/** A sprint layout: `sprints/sprint-N`, numbered by its folder name, with `documents` (YAML list items). */
function sprint(documents: string, more = ''): string {
  return `layouts:\n  - name: sprint\n    phases: "sprints/sprint-*"\n    number: "sprint-(\\\\d+)"\n    documents:\n${documents}${more}`;
}

/** The text `plan` creates at `file` (relative to the phase folder it creates). */
function created(plan: NewPlan, file: string): string {
  const c = plan.creates.find((x) => x.file.endsWith(`/${file}`));
  assert.ok(c, `${file} is created: ${plan.creates.map((x) => x.file).join(', ')}`);
  return c.text;
}

function write(fs: MemoryFileSystem, plan: NewPlan, edit: (file: string, text: string) => string = (_f, t) => t): void {
  for (const c of plan.creates) fs.write(c.file, edit(c.file, c.text));
}

/** `# ` lines and front matter `title:` lines of a text. */
function titles(text: string): string[] {
  return text.split('\n').filter((l) => l.startsWith('# ') || l.startsWith('title:'));
}

describe('custom layouts: headings the layout declares', () => {
  it("writes a prompt's and a response's declared heading as declared, also when it is the iAI kind's own (`Phase {N}: `)", async () => {
    const { svc } = await workspace({
      'phasegate.yaml': sprint(
        "      - {kind: prompt, file: PROMPT.md, heading: 'Phase {N}: '}\n      - {kind: response, file: RESPONSE.md, heading: 'Phase {N}: '}\n",
      ),
    });
    assert.deepEqual(svc.config.problems, []);
    const plan = planNew(svc, { what: 'phase', folder: 'sprints/sprint-1', title: 'Kickoff', date: DATE });
    // Not the iAI template's `# Phase 1: Kickoff — Implementation Prompt`.
    assert.deepEqual(titles(created(plan, 'PROMPT.md')), ['title: "Phase 1: Kickoff"', '# Phase 1: Kickoff']);
    assert.deepEqual(titles(created(plan, 'RESPONSE.md')), ['title: "Phase 1: Kickoff"', '# Phase 1: Kickoff']);
  });

  it('writes no `{N}` into the documents of a phase without a number', async () => {
    const { svc, fs } = await workspace({
      'phasegate.yaml': sprint(
        "      - {kind: brief, file: GOALS.md, heading: 'Sprint {N}: '}\n" +
          "      - {kind: retro, file: RETRO.md, heading: 'Sprint {N} Retro', sections: [What went well]}\n" +
          "      - {kind: notes, file: NOTES.md, heading: 'Notes for {N}: ', sections: [Notes]}\n",
      ),
    });
    const plan = planNew(svc, { what: 'phase', folder: 'sprints/sprint-beta', title: 'Spike', date: DATE });
    assert.deepEqual(titles(created(plan, 'GOALS.md')), ['title: "Spike"', '# Spike']);
    assert.deepEqual(titles(created(plan, 'RETRO.md')), ['# Sprint Retro']);
    assert.deepEqual(titles(created(plan, 'NOTES.md')), ['# Spike']);
    // Without a title, the folder's name (as a built-in template titles such a phase).
    const untitled = planNew(svc, { what: 'phase', folder: 'sprints/sprint-gamma', date: DATE });
    assert.deepEqual(titles(created(untitled, 'GOALS.md')), ['title: "sprint-gamma"', '# sprint-gamma']);
    write(fs, plan);
    await svc.load(ROOT);
    for (const c of plan.creates) assert.doesNotMatch(c.text, /\{N/, c.file);
  });
});

describe('custom layouts: sections of a phase without a number', () => {
  it("drops a {N-d} glued by a hyphen, at a title's start or in a range as phase 0 does (was: `S- recap`, `. Plan`, `Sprints-`); either form is the section", async () => {
    const layout = sprint("      - {kind: retro, file: RETRO.md, sections: ['S-{N-2} recap', '{N-1}. Plan', 'Sprints {N-1}-{N}', 'Sprint {N} Goals']}\n");
    const { svc, fs } = await workspace({ 'phasegate.yaml': layout });
    const plan = planNew(svc, { what: 'phase', folder: 'sprints/sprint-beta', title: 'Spike', date: DATE });
    const text = created(plan, 'RETRO.md');
    assert.deepEqual(
      text.split('\n').filter((l) => l.startsWith('## ')),
      ['## S recap', '## Plan', '## Sprints', '## Sprint Goals'],
    );
    const filled = text.replace(/\[[^\]\n]*\]/g, 'Done.');
    const earlier = filled.replace('## S recap', '## S- recap').replace('## Plan', '## . Plan').replace('## Sprints\n', '## Sprints-\n');
    assert.notEqual(earlier, filled);
    for (const body of [filled, earlier]) {
      write(fs, plan, () => body);
      await svc.load(ROOT);
      assert.deepEqual(
        diagnosticsOf(svc, 'sprints/sprint-beta/RETRO.md').map((d) => `${d.code}: ${d.message}`),
        [],
        body,
      );
    }
  });
});

describe("custom layouts: a project plan's declared sections", () => {
  it("writes the plan's declared sections and heading, its Phase Status as a table: filled in, the plan has no problem", async () => {
    const { svc, fs } = await workspace({
      'phasegate.yaml': sprint("      - {kind: plan, file: PLAN.md, heading: 'Sprint {N} Plan', sections: [Backlog, Phase Status]}\n"),
    });
    const plan = planNew(svc, { what: 'phase', folder: 'sprints/sprint-1', date: DATE });
    const text = created(plan, 'PLAN.md');
    assert.equal(
      text,
      `---\ntitle: "Sprint 1 Plan"\nstatus: draft  # draft | in-progress | review | complete | blocked\ndate: "${DATE}"\n---\n\n# Sprint 1 Plan\n\n## Backlog\n\n[Content]\n\n## Phase Status\n\n` +
        '| Workstream | Phase | Status |\n|---|---|---|\n| [Workstream] | [Phase] | Not started |\n',
    );
    write(fs, plan, (_f, t) => t.replace('[Content]', 'Story 12, story 14').replace('| [Workstream] | [Phase] | Not started |\n', ''));
    await svc.load(ROOT);
    assert.deepEqual(
      diagnosticsOf(svc, 'sprints/sprint-1/PLAN.md').map((d) => `${d.code}: ${d.message}`),
      [],
    );
  });
});

describe("custom layouts: a document's heading read back", () => {
  it('reads the title after the heading a custom layout declares (`Sprint {N}: `), and adds no second prefix to a later document', async () => {
    const { svc, fs } = await workspace({
      'phasegate.yaml': sprint(
        "      - {kind: brief, file: GOALS.md, heading: 'Sprint {N}: '}\n" +
          "      - {kind: retro, file: RETRO.md, heading: 'Sprint {N} Retro: ', sections: [What went well], required: false}\n",
      ),
    });
    const plan = planNew(svc, { what: 'phase', folder: 'sprints/sprint-1', title: 'Kickoff', date: DATE });
    // The goals alone are written: the retro comes later.
    write(fs, { ...plan, creates: plan.creates.filter((c) => c.file.endsWith('GOALS.md')) });
    await svc.load(ROOT);
    const phase = svc.findPhase('sprints/sprint-1')!;
    assert.equal(phaseTitle(svc, phase), 'Kickoff');
    // The retro written later, to the phase as it is: the title once.
    const later = planNew(svc, { what: 'phase', folder: 'sprints/sprint-1', date: DATE });
    assert.deepEqual(titles(created(later, 'RETRO.md')), ['# Sprint 1 Retro: Kickoff']);
  });

  it("reads a custom layout's title from its document headed `Name {N}: ` when it has no brief or prompt", async () => {
    const { svc } = await workspace({
      'phasegate.yaml': sprint("      - {kind: goals, file: GOALS.md, heading: 'Phase {N}: ', sections: [Goals]}\n      - {kind: retro, file: RETRO.md}\n"),
      'sprints/sprint-2/GOALS.md': '# Phase 2: Harbour survey\n\n## Goals\n\nChart the harbour.\n',
      'sprints/sprint-2/RETRO.md': '# Retro\n',
    });
    assert.equal(phaseTitle(svc, svc.findPhase('sprints/sprint-2')!), 'Harbour survey');
  });

  it("takes off the heading's words once: a title that starts with another phase number keeps it", async () => {
    const { svc } = await workspace({
      'phasegate.yaml': sprint("      - {kind: brief, file: GOALS.md, heading: 'Sprint {N}: ', sections: [Goals]}\n"),
      'sprints/sprint-1/GOALS.md': '# Sprint 1: Phase 2 migration\n\n## Goals\n\nMigrate.\n',
      'phase-3/00-PHASE_BRIEF.md': '# Phase 3: Phase 4 prep\n',
    });
    assert.equal(phaseTitle(svc, svc.findPhase('sprints/sprint-1')!), 'Phase 2 migration');
    assert.equal(phaseTitle(svc, svc.findPhase('phase-3')!), 'Phase 4 prep');
  });

  it('a heading written as it is (`Mission {N} Charter`) is no phase title', async () => {
    const { svc } = await workspace({
      'phasegate.yaml': sprint("      - {kind: brief, file: GOALS.md, heading: 'Mission {N} Charter', sections: [Goals]}\n"),
      'sprints/sprint-2/GOALS.md': '---\ntitle: Mission 2 Charter\n---\n# Mission 2 Charter\n\n## Goals\n\nChart the harbour.\n',
    });
    assert.equal(phaseTitle(svc, svc.findPhase('sprints/sprint-2')!), undefined);
  });

  it("checks the title of a custom layout's document of a built-in kind declared without a heading against the heading its template writes", async () => {
    const { svc, fs } = await workspace({
      'phasegate.yaml': sprint('      - {kind: validation, file: QA.md, sections: [Go/No-Go]}\n      - {kind: output-handoff, file: OUT.md}\n'),
    });
    const plan = planNew(svc, { what: 'phase', folder: 'sprints/sprint-3', date: DATE });
    assert.deepEqual(titles(created(plan, 'QA.md')), ['title: "Phase 3 Validation"', '# Phase 3 Validation']);
    write(fs, plan, (_f, t) => t.replace('# Phase 3 Validation', '# Phase 4 Validation').replace('# Phase 3 → Phase 4 Handoff', '# Phase 2 → Phase 4 Handoff'));
    await svc.load(ROOT);
    const mismatch = (f: string) => diagnosticsOf(svc, `sprints/sprint-3/${f}`, 'heading-mismatch').map((d) => `${d.range.start.line}: ${d.message}`);
    assert.deepEqual(mismatch('QA.md'), ['7: Title should read "Phase 3 Validation…" in sprint-3.']);
    assert.deepEqual(mismatch('OUT.md'), ['7: Title should read "Phase 3 → Phase 4 Handoff…" in sprint-3.']);
    // Its quick fix renumbers the title.
    const d = diagnosticsOf(svc, 'sprints/sprint-3/QA.md', 'heading-mismatch')[0];
    assert.deepEqual(
      codeActions(svc, [d]).map((a) => a.change.edits.flatMap((f) => f.edits.map((e) => `${e.range.start.line}:${e.range.start.character} ${e.newText}`))),
      [['7:2 Phase 3 Validation']],
    );
  });
});

describe('custom layouts: documents written from the declared sections', () => {
  const RETRO =
    "      - {kind: retro, file: RETRO.md, heading: 'Sprint {N} Retro', sections: [{title: What to improve, description: 'Changes for sprint {N+1}.'}, Review, 'Gate 2: Demo']}\n" +
    '      - {kind: output-handoff, file: OUT.md, required: false}\n';
  const GATES = '    gates:\n      - {name: Review, description: Code review of every story, failOn: [empty-section]}\n      - {name: Demo}\n';

  it("writes a section headed as a gate as the gate's checklist, and a description's {N+1} as the next phase's number", async () => {
    const { svc, fs } = await workspace({ 'phasegate.yaml': sprint(RETRO, GATES) });
    assert.deepEqual(svc.config.problems, []);
    const plan = planNew(svc, { what: 'phase', folder: 'sprints/sprint-1', date: DATE });
    assert.equal(
      created(plan, 'RETRO.md'),
      '# Sprint 1 Retro\n\n## What to improve\n\n[Changes for sprint 2]\n\n' +
        '## Review\n\n- [ ] Code review of every story — Evidence: [Evidence]\n\n## Gate 2: Demo\n\n- [ ] Demo — Evidence: [Evidence]\n',
    );
    // Filled in as its user would, the gates pass (with `[Content]` under them they stayed pending).
    write(fs, plan, (_f, t) =>
      t
        .replace('[Changes for sprint 2]', 'Smaller stories.')
        .replace(/- \[ \]/g, '- [x]')
        .replace(/\[Evidence\]/g, '[log](RETRO.md)'),
    );
    await svc.load(ROOT);
    assert.deepEqual(
      diagnosticsOf(svc, 'sprints/sprint-1/RETRO.md').map((d) => `${d.code}: ${d.message}`),
      [],
    );
    assert.deepEqual(
      svc.gates(svc.findPhase('sprints/sprint-1')!).map((g) => `${g.name}: ${g.status}`),
      ['Review: passed', 'Demo: passed'],
    );
  });

  it("says an empty section's description with its {N+1} as the next phase's number", async () => {
    const { svc } = await workspace({
      'phasegate.yaml': sprint(RETRO, GATES),
      'sprints/sprint-1/RETRO.md':
        '# Sprint 1 Retro\n\n## What to improve\n\n## Review\n\n- [x] Done — Evidence: [log](RETRO.md)\n\n## Gate 2: Demo\n\n- [x] Done — Evidence: [log](RETRO.md)\n',
    });
    assert.deepEqual(
      diagnosticsOf(svc, 'sprints/sprint-1/RETRO.md', 'empty-section').map((d) => d.message),
      ['Section "What to improve" is empty: Changes for sprint 2.'],
    );
  });

  it("names a document of a built-in kind declared without a name by the built-in kind's name", async () => {
    const { svc } = await workspace({
      'phasegate.yaml': sprint('      - {kind: output-handoff, file: OUT.md}\n      - {kind: retro, file: RETRO.md}\n'),
      'sprints/sprint-1/RETRO.md': '# Retro\n',
    });
    assert.deepEqual(
      diagnosticsOf(svc, 'sprints/sprint-1/RETRO.md', 'missing-document').map((d) => d.message),
      ['Phase sprints/sprint-1 has no output handoff (OUT.md).'],
    );
  });
});

describe('custom layouts: the first phase', () => {
  const LAYOUT = (phases: string, number: string) =>
    `layouts:\n  - name: sprint\n    phases: "${phases}"\n    number: "${number}"\n    documents:\n      - {kind: goals, file: GOALS.md, sections: [Goals]}\n`;

  it("is named as the layout's glob names its phases, numbered 1, with the title's words", async () => {
    const { svc } = await workspace({ 'phasegate.yaml': LAYOUT('work/sprints/sprint-*', 'sprint-(\\\\d+)') });
    const files = (plan: NewPlan) => plan.creates.map((c) => c.file.slice(ROOT.length + 1));
    assert.deepEqual(files(planNew(svc, { what: 'phase', layout: 'sprint', date: DATE })), ['work/sprints/sprint-1/GOALS.md']);
    assert.deepEqual(files(planNew(svc, { what: 'phase', layout: 'sprint', title: 'Payments MVP', date: DATE })), [
      'work/sprints/sprint-1-payments-mvp/GOALS.md',
    ]);
    // Named by the folder its glob names for the phases, too.
    assert.deepEqual(files(planNew(svc, { what: 'phase', layout: 'sprint', folder: 'work/sprints', date: DATE })), ['work/sprints/sprint-1/GOALS.md']);
  });

  it('is refused, with the reason, when the glob does not name it', async () => {
    for (const [phases, number] of [
      ['sprints/*', 'sprint-(\\\\d+)'],
      ['*/sprint-*', 'sprint-(\\\\d+)'],
      ['sprints/sprint-*-*', 'sprint-(\\\\d+)'],
    ]) {
      const { svc } = await workspace({ 'phasegate.yaml': LAYOUT(phases, number) });
      assert.throws(() => planNew(svc, { what: 'phase', layout: 'sprint', date: DATE }), /no sprint phase yet: give the new phase's folder/, phases);
    }
  });
});

describe('custom layouts: placeholders written otherwise', () => {
  it('reads `{n}`, `{N + 1}` and `{{N}}` in a heading, a section, an alias or a description as `{N}` and `{N+1}`', async () => {
    const { svc, fs } = await workspace({
      'phasegate.yaml': sprint(
        "      - kind: goals\n        file: GOALS.md\n        heading: 'Sprint {n}: '\n        sections:\n          - 'Goals for {N}'\n" +
          "          - 'Plan {N + 1}'\n          - {title: 'Notes {{N}}', aliases: ['Remarks { n }'], description: 'For sprint {n+1}'}\n",
      ),
    });
    assert.deepEqual(svc.config.problems, []);
    const plan = planNew(svc, { what: 'phase', folder: 'sprints/sprint-1', title: 'Kick', date: DATE });
    assert.equal(created(plan, 'GOALS.md'), '# Sprint 1: Kick\n\n## Goals for 1\n\n[Content]\n\n## Plan 2\n\n[Content]\n\n## Notes 1\n\n[For sprint 2]\n');
    write(fs, plan, (_f, t) =>
      t
        .replace('# Sprint 1', '# Sprint 2')
        .replace('## Notes 1', '## Remarks 1')
        .replace(/\[[^\]]+\]/g, 'Done.'),
    );
    await svc.load(ROOT);
    assert.deepEqual(
      diagnosticsOf(svc, 'sprints/sprint-1/GOALS.md').map((d) => `${d.code}: ${d.message}`),
      ['heading-mismatch: Title should read "Sprint 1:…" in sprint-1.'],
    );
  });
});
