/**
 * A layout's `{N-1}` names the previous phase's number: in phase 0 there is none, and `new` writes no `-1` (was:
 * `## Carried over from sprint -1`, `# After Sprint -1: Kickoff`). It is dropped with the blank before it, as a
 * phase without a number drops its `{N}`s, and the rules find the section so written; as templates see `phase.prev`
 * absent for a first phase.
 */
import * as assert from 'node:assert/strict';
import { planNew } from '../../server/src/service/scaffold';
import { applyEdits, codeActions } from '../../server/src/service';
import { ROOT, diagnosticsOf, workspace } from '../helpers/workspace';

const SPRINTS = [
  'layouts:',
  '  - name: sprint',
  '    phases: "sprints/sprint-*"',
  '    number: "sprint-(\\\\d+)"',
  '    documents:',
  '      - kind: retro',
  '        file: RETRO.md',
  '        heading: "Sprint {N}: "',
  '        sections:',
  '          - title: Carried over from sprint {N-1}',
  '            description: What sprint {N-1} left open',
  '          - Sprint {N} Goals',
  '      - kind: brief',
  '        file: BRIEF.md',
  '        heading: "After Sprint {N-1}: "',
  '        sections: [Goals, "Lessons of sprint {N-1}"]',
  '      - kind: review',
  '        file: REVIEW.md',
  '        name: Review of sprints {N-1} and {N}',
  '        sections: [Verdict]',
  '',
].join('\n');

/** The files `new phase` plans for sprint `n`, by name, and what each one's `#`, `##` and placeholder lines read. */
async function sprint(n: number): Promise<Record<string, string[]>> {
  const { svc } = await workspace({ 'phasegate.yaml': SPRINTS, 'sprints/.keep': '' });
  assert.deepEqual(svc.config.problems, []);
  const out: Record<string, string[]> = {};
  for (const c of planNew(svc, { what: 'phase', layout: 'sprint', number: n, title: 'Kickoff' }).creates)
    out[c.file.slice(c.file.lastIndexOf('/') + 1)] = c.text.split('\n').filter((l) => /^(#|title:|\[)/.test(l));
  return out;
}

describe('new: {N-1} in the first phase, numbered 0', () => {
  it('writes no -1: the number is dropped with the blank before it, in headings, sections, descriptions and names', async () => {
    assert.deepEqual(await sprint(0), {
      'RETRO.md': ['# Sprint 0: Kickoff', '## Carried over from sprint', '[What sprint left open]', '## Sprint 0 Goals', '[Content]'],
      'BRIEF.md': ['title: "After Sprint: Kickoff"', '# After Sprint: Kickoff', '## Goals', '[Content]', '## Lessons of sprint', '[Content]'],
      // `and` joins a range's numbers, as `to` and `-` do (was: `Review of sprints and 0`).
      'REVIEW.md': ['# Review of sprints 0', '## Verdict', '[Content]'],
    });
  });

  it('writes the previous number where there is one (sprint 1: 0)', async () => {
    assert.deepEqual(await sprint(1), {
      'RETRO.md': ['# Sprint 1: Kickoff', '## Carried over from sprint 0', '[What sprint 0 left open]', '## Sprint 1 Goals', '[Content]'],
      'BRIEF.md': ['title: "After Sprint 0: Kickoff"', '# After Sprint 0: Kickoff', '## Goals', '[Content]', '## Lessons of sprint 0', '[Content]'],
      'REVIEW.md': ['# Review of sprints 0 and 1', '## Verdict', '[Content]'],
    });
  });

  it('what it writes in sprint 0, filled in, passes: the rules find the sections so written (and as written before, with -1)', async () => {
    const { svc } = await workspace({ 'phasegate.yaml': SPRINTS, 'sprints/.keep': '' });
    const plan = planNew(svc, { what: 'phase', layout: 'sprint', number: 0, title: 'Kickoff' });
    const files = Object.fromEntries(plan.creates.map((c) => [c.file.slice(ROOT.length + 1), c.text.replace(/\[[A-Z][^\]\n]*\]/g, 'Done.')]));
    const filled = await workspace({ 'phasegate.yaml': SPRINTS, ...files });
    for (const f of Object.keys(files)) assert.deepEqual(diagnosticsOf(filled.svc, f), [], f);
    // A document written with the -1 (by an earlier `new`) keeps its sections.
    const before = await workspace({
      'phasegate.yaml': SPRINTS,
      ...files,
      'sprints/sprint-0-kickoff/BRIEF.md': '# After Sprint -1: Kickoff\n\n## Goals\n\nGo.\n\n## Lessons of sprint -1\n\nNone.\n',
    });
    assert.deepEqual(diagnosticsOf(before.svc, 'sprints/sprint-0-kickoff/BRIEF.md', 'missing-section'), []);
    // A section of neither form is missing, as before.
    const none = await workspace({
      'phasegate.yaml': SPRINTS,
      ...files,
      'sprints/sprint-0-kickoff/BRIEF.md': '# After Sprint: Kickoff\n\n## Goals\n\nGo.\n\n## Lessons\n\nNone.\n',
    });
    const missing = diagnosticsOf(none.svc, 'sprints/sprint-0-kickoff/BRIEF.md', 'missing-section');
    // Named, and inserted by its fix, as `new` writes it: no -1.
    assert.deepEqual(
      missing.map((d) => d.message),
      ['Missing section "## Lessons of sprint".'],
    );
    const [action] = codeActions(none.svc, missing);
    const text = none.svc.getText(`${ROOT}/sprints/sprint-0-kickoff/BRIEF.md`)!;
    const fixed = applyEdits(
      text,
      action.change.edits.flatMap((e) => e.edits),
    );
    assert.match(fixed, /^## Lessons of sprint$/m, fixed);
    none.svc.setOverlay(`${ROOT}/sprints/sprint-0-kickoff/BRIEF.md`, fixed);
    assert.deepEqual(diagnosticsOf(none.svc, 'sprints/sprint-0-kickoff/BRIEF.md', 'missing-section'), []);
  });

  it("a workspace template's phase.prev is absent for the first phase, as before", async () => {
    const template = '# {{#if phase.prev}}After phase {{phase.prev}}{{else}}First phase{{/if}}: {{phase.title}}\n';
    const { svc } = await workspace({ '.phasegate/templates/brief.md.hbs': template, 'phase-1/00-PHASE_BRIEF.md': '# Phase 1: A\n' }, { trusted: true });
    const brief = (n: number) =>
      planNew(svc, { what: 'phase', layout: 'audit', number: n, title: 'T' }).creates.find((c) => c.file.endsWith('00-PHASE_BRIEF.md'))?.text;
    assert.equal(brief(0), '# First phase: T\n');
    assert.equal(brief(2), '# After phase 1: T\n');
  });

  // phase.prev follows the phase before: phase 1's is phase 0 where there is one (was: absent for phase 1 always).
  const PREV = '# {{#if phase.prev includeZero=true}}After phase {{phase.prev}}{{else}}First phase{{/if}}: {{phase.title}}\n';
  const OUT0 = '# Phase 0 → Phase 1 Handoff\n\n## Phase 1 Inputs\n\n- Input: [plan](../phase-0/plan.md) - the plan\n';

  it("phase.prev is 0 for phase 1 after a phase 0 (audit), as prevHandoff is phase 0's output handoff", async () => {
    const { svc } = await workspace(
      {
        '.phasegate/templates/brief.md.hbs': PREV,
        'phase-0/00-PHASE_BRIEF.md': '# Phase 0: Setup\n',
        'phase-0/06-OUTPUT_HANDOFF.md': OUT0,
        'phase-0/plan.md': 'x\n',
      },
      { trusted: true },
    );
    const creates = planNew(svc, { what: 'phase', layout: 'audit', number: 1, title: 'T' }).creates;
    assert.equal(creates.find((c) => c.file.endsWith('00-PHASE_BRIEF.md'))?.text, '# After phase 0: T\n');
    assert.match(creates.find((c) => c.file.endsWith('01-INPUT_HANDOFF.md'))!.text, /Output handoff of Phase 0: \[phase-0\/06-OUTPUT_HANDOFF\.md\]/);
    // An existing phase 1 (its documents filled in, as a fix preview renders them): the same.
    const filled = await workspace(
      {
        '.phasegate/templates/brief.md.hbs': PREV,
        'phase-0/00-PHASE_BRIEF.md': '# Phase 0: Setup\n',
        'phase-1/01-INPUT_HANDOFF.md': '# Phase 1 Input Handoff\n',
      },
      { trusted: true },
    );
    const brief = planNew(filled.svc, { what: 'phase', layout: 'audit', number: 1, title: 'T' }).creates.find((c) => c.file.endsWith('00-PHASE_BRIEF.md'));
    assert.equal(brief?.text, '# After phase 0: T\n');
  });

  it('phase.prev is absent for phase 1 without a phase 0, and for phase 0', async () => {
    const { svc } = await workspace({ '.phasegate/templates/brief.md.hbs': PREV, 'phase-2/00-PHASE_BRIEF.md': '# Phase 2: B\n' }, { trusted: true });
    const brief = (n: number) =>
      planNew(svc, { what: 'phase', layout: 'audit', number: n, title: 'T' }).creates.find((c) => c.file.endsWith('00-PHASE_BRIEF.md'))?.text;
    assert.equal(brief(0), '# First phase: T\n');
    assert.equal(brief(1), '# First phase: T\n');
  });

  it("phase.prev is 0 for an iAI workstream's phase 1 after its phase 0", async () => {
    const prompt = '# Phase {{phase.number}}: {{#if phase.prev includeZero=true}}after {{phase.prev}}{{else}}first{{/if}}\n';
    const { svc } = await workspace(
      { '.phasegate/templates/prompt.md.hbs': prompt, 'workstreams/Build/Phase_0_Setup/implementation_prompt.md': '# Phase 0: Setup\n' },
      { trusted: true },
    );
    const text = planNew(svc, { what: 'phase', layout: 'iai', workstream: 'Build', title: 'Next' }).creates.find((c) =>
      c.file.endsWith('implementation_prompt.md'),
    )?.text;
    assert.equal(text, '# Phase 1: after 0\n');
    const other = await workspace({ '.phasegate/templates/prompt.md.hbs': prompt, 'workstreams/Build/.keep': '' }, { trusted: true });
    const first = planNew(other.svc, { what: 'phase', layout: 'iai', workstream: 'Build', number: 1, title: 'First' }).creates.find((c) =>
      c.file.endsWith('implementation_prompt.md'),
    )?.text;
    assert.equal(first, '# Phase 1: first\n');
  });
});
