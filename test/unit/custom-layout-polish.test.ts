import * as assert from 'node:assert/strict';
import { workspace, ROOT, diagnosticsOf } from '../helpers/workspace';
import { MemoryFileSystem } from '../../server/src/service';
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

describe("custom layouts: a project plan's declared sections", () => {
  it("writes the plan's declared sections and heading, its Phase Status as a table: filled in, the plan has no problem", async () => {
    const { svc, fs } = await workspace({
      'phasegate.yaml': sprint("      - {kind: plan, file: PLAN.md, heading: 'Sprint {N} Plan', sections: [Backlog, Phase Status]}\n"),
    });
    const plan = planNew(svc, { what: 'phase', folder: 'sprints/sprint-1', date: DATE });
    const text = created(plan, 'PLAN.md');
    assert.equal(
      text,
      `---\ntitle: "Sprint 1 Plan"\nstatus: draft\ndate: "${DATE}"\n---\n\n# Sprint 1 Plan\n\n## Backlog\n\n[Content]\n\n## Phase Status\n\n` +
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
