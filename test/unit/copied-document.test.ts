/**
 * copied-document: a document of phase N that is phase N-1's of the same kind but for its phase numbers, and claims
 * progress (a status other than draft, a ticked item): a phase folder copied to start the next phase. Told once per
 * document, held by the Completeness gate, followed across an edit of the previous phase, with an offered-only reset.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MemoryFileSystem, PhasegateService, applyEdits, codeActions, fixAll } from '../../server/src/service';
import { ROOT, REPO, assets, diagnosticsOf, loudLogger, workspace } from '../helpers/workspace';

const CODE = 'copied-document';

/** An audit validation document of phase `n` (its numbers written `n`), with the status and box given. */
function validation(n: number, status = 'complete', box = 'x', phase = `phase-${n}`): string {
  return (
    `---\nphase: ${phase}\ntitle: "Phase ${n} Validation"\nstatus: ${status}\ndate: 2026-01-02\n---\n\n` +
    `# Phase ${n} Validation\n\n## Gate 1: Completeness\n\n` +
    `- [${box}] All deliverables produced — Evidence: [report](03-FINDINGS/report.md)\n` +
    `- [${box}] Reviewed with the phase ${n} owners — Evidence: [notes](03-FINDINGS/notes.md)\n`
  );
}

const VAL = (n: number) => `phase-${n}/07-VALIDATION.md`;

/** The copied-document problems of a file as `line:start-end severity message`. */
function copied(svc: PhasegateService, rel: string): string[] {
  return diagnosticsOf(svc, rel, CODE).map((d) => `${d.range.start.line}:${d.range.start.character}-${d.range.end.character} ${d.severity} ${d.message}`);
}

const msg = (prev: string, claims: string, phase: string) =>
  `Same text as ${prev} but for its numbers: ${claims} ${phase}'s (a copied folder?). Write this phase's own, or reset it.`;
const ALL = 'its status, ticked items and evidence are';

describe('copied-document: a document copied from the previous phase', () => {
  it("a validation copied as it is (phase 1's numbers in phase-2): one warning, on its status; phase 1 none", async () => {
    const { svc } = await workspace({ [VAL(1)]: validation(1), [VAL(2)]: validation(1) });
    assert.deepEqual(copied(svc, VAL(2)), [`3:8-16 warning ${msg('phase-1/07-VALIDATION.md', ALL, 'phase-1')}`]);
    assert.deepEqual(copied(svc, VAL(1)), []);
  });

  it('a copy renumbered (by hand, or check --fix: `phase: 1` as `phase: phase-2`) is one still, from 9 to 10 too', async () => {
    const { svc } = await workspace({
      [VAL(1)]: validation(1, 'complete', 'x', '1'),
      [VAL(2)]: validation(2),
      [VAL(9)]: validation(9),
      [VAL(10)]: validation(10, 'complete', 'x', '10'),
    });
    assert.deepEqual(copied(svc, VAL(2)), [`3:8-16 warning ${msg('phase-1/07-VALIDATION.md', ALL, 'phase-1')}`]);
    assert.deepEqual(copied(svc, VAL(10)), [`3:8-16 warning ${msg('phase-9/07-VALIDATION.md', ALL, 'phase-9')}`]);
  });

  it('blank lines, blanks at line ends and CRLF line ends are no difference', async () => {
    const copy = validation(2).replace('\n\n# Phase', '\n\n\n# Phase').replace('notes.md)\n', 'notes.md)   \n\n').replace(/\n/g, '\r\n');
    const { svc } = await workspace({ [VAL(1)]: validation(1), [VAL(2)]: copy });
    assert.deepEqual(copied(svc, VAL(2)), [`3:8-16 warning ${msg('phase-1/07-VALIDATION.md', ALL, 'phase-1')}`]);
  });

  it('what it claims: status complete without ticks; ticks of a draft (on the first box); a draft without ticks claims nothing', async () => {
    const { svc } = await workspace({
      [VAL(1)]: validation(1, 'complete', ' '),
      [VAL(2)]: validation(2, 'complete', ' '),
      'phase-1/05-DECISIONS.md': validation(1, 'draft'),
      'phase-2/05-DECISIONS.md': validation(2, 'draft'),
      'phase-1/02-EXECUTION_PLAN.md': validation(1, 'draft', ' '),
      'phase-2/02-EXECUTION_PLAN.md': validation(2, 'draft', ' '),
      'phase-1/06-OUTPUT_HANDOFF.md': validation(1, 'Draft', 'X'),
      'phase-2/06-OUTPUT_HANDOFF.md': validation(2, 'Draft', 'X'),
    });
    assert.deepEqual(copied(svc, VAL(2)), [`3:8-16 warning ${msg('phase-1/07-VALIDATION.md', 'its status is', 'phase-1')}`]);
    assert.deepEqual(copied(svc, 'phase-2/05-DECISIONS.md'), [
      `11:2-5 warning ${msg('phase-1/05-DECISIONS.md', 'its ticked items and evidence are', 'phase-1')}`,
    ]);
    assert.deepEqual(copied(svc, 'phase-2/06-OUTPUT_HANDOFF.md'), [
      `11:2-5 warning ${msg('phase-1/06-OUTPUT_HANDOFF.md', 'its ticked items and evidence are', 'phase-1')}`,
    ]);
    assert.deepEqual(copied(svc, 'phase-2/02-EXECUTION_PLAN.md'), []);
  });

  it('a copy whose status alone was set (to draft) still claims the ticks it kept, on the first box', async () => {
    const { svc } = await workspace({ [VAL(1)]: validation(1), [VAL(2)]: validation(2, 'draft') });
    assert.deepEqual(copied(svc, VAL(2)), [`11:2-5 warning ${msg('phase-1/07-VALIDATION.md', 'its ticked items and evidence are', 'phase-1')}`]);
  });

  it("a status set on a document the same as a draft of the phase before (two phases `new` wrote) claims nothing of that phase's", async () => {
    // Phase 1 and 2 as `new phase` wrote them; phase 2's plan set in progress before a word of it is written.
    const plan = (n: number, status: string) =>
      `---\nphase: "phase-${n}"\ntitle: "Phase ${n} Execution Plan"\nstatus: ${status}  # draft | in-progress | review | complete | blocked\ndate: "2026-01-02"\n---\n\n# Phase ${n} Execution Plan\n\n## Approach\n\n[How the phase will be executed]\n\n## Tasks\n\n- [ ] [Task]\n`;
    const { svc } = await workspace({
      'phase-1/02-EXECUTION_PLAN.md': plan(1, 'draft'),
      'phase-2/02-EXECUTION_PLAN.md': plan(2, 'in-progress'),
      // Phase 1's status claims progress: phase 2's, the same text, is a copy of it.
      'phase-1/05-DECISIONS.md': plan(1, 'complete'),
      'phase-2/05-DECISIONS.md': plan(2, 'in-progress'),
    });
    assert.deepEqual(copied(svc, 'phase-2/02-EXECUTION_PLAN.md'), []);
    assert.deepEqual(copied(svc, 'phase-2/05-DECISIONS.md'), [`3:8-19 warning ${msg('phase-1/05-DECISIONS.md', 'its status is', 'phase-1')}`]);
  });

  it('without front matter: ticked items claim progress, on the first box; nothing ticked claims nothing', async () => {
    const body = (n: number, box: string) => `# Phase ${n} Decisions\n\n## Decision Log\n\n- [ ] Open one\n- [${box}] Chose Postgres — see ADR ${n}\n`;
    const { svc } = await workspace({
      'phase-1/05-DECISIONS.md': body(1, 'x'),
      'phase-2/05-DECISIONS.md': body(2, 'x'),
      'phase-1/02-EXECUTION_PLAN.md': body(1, ' '),
      'phase-2/02-EXECUTION_PLAN.md': body(2, ' '),
    });
    assert.deepEqual(copied(svc, 'phase-2/05-DECISIONS.md'), [
      `5:2-5 warning ${msg('phase-1/05-DECISIONS.md', 'its ticked items and evidence are', 'phase-1')}`,
    ]);
    assert.deepEqual(copied(svc, 'phase-2/02-EXECUTION_PLAN.md'), []);
  });

  it('a document edited after copying is its own: a word, a date, another number (85% for 80%), one more line', async () => {
    const edits: [string, (t: string) => string][] = [
      ['05-DECISIONS.md', (t) => t.replace('All deliverables', 'Every deliverable')],
      ['06-OUTPUT_HANDOFF.md', (t) => t.replace('2026-01-02', '2026-02-03')],
      ['02-EXECUTION_PLAN.md', (t) => t.replace('the phase 2 owners', 'the phase 2 owners (80%)')],
      ['01-INPUT_HANDOFF.md', (t) => `${t}- [ ] One more\n`],
      // A number of the phases involved, but not the one of the same place in phase 1's (nor the one after it).
      ['00-PHASE_BRIEF.md', (t) => t.replace('the phase 2 owners', 'the phase 0 owners')],
    ];
    const files: Record<string, string> = { [VAL(1)]: validation(1), [VAL(2)]: validation(2) };
    for (const [f, edit] of edits) {
      files[`phase-1/${f}`] = validation(1).replace('the phase 1 owners', 'the phase 1 owners (85%)');
      files[`phase-2/${f}`] = edit(validation(2).replace('the phase 2 owners', 'the phase 2 owners (85%)'));
    }
    files['phase-2/02-EXECUTION_PLAN.md'] = validation(2).replace('the phase 2 owners', 'the phase 2 owners (80%)');
    const { svc } = await workspace(files);
    for (const [f] of edits) assert.deepEqual(copied(svc, `phase-2/${f}`), [], f);
    // The one left as copied is told.
    assert.equal(copied(svc, VAL(2)).length, 1);
  });

  it('no previous phase (phase 1 without a phase 0), no such document there, or an empty one: nothing; phase 0 before phase 1: told', async () => {
    const { svc } = await workspace({
      [VAL(1)]: validation(1),
      'phase-2/00-PHASE_BRIEF.md': validation(2),
      'phase-3/00-PHASE_BRIEF.md': validation(3),
      'phase-2/05-DECISIONS.md': '',
      'phase-3/05-DECISIONS.md': validation(3),
    });
    assert.deepEqual(copied(svc, VAL(1)), []);
    assert.deepEqual(copied(svc, 'phase-2/00-PHASE_BRIEF.md'), []);
    assert.deepEqual(copied(svc, 'phase-3/05-DECISIONS.md'), []);
    assert.equal(copied(svc, 'phase-3/00-PHASE_BRIEF.md').length, 1);

    const zero = await workspace({ [VAL(0)]: validation(0), [VAL(1)]: validation(1) });
    assert.deepEqual(copied(zero.svc, VAL(1)), [`3:8-16 warning ${msg('phase-0/07-VALIDATION.md', ALL, 'phase-0')}`]);
  });

  it('across a gap (`cp -r phase-1 phase-3` without a phase 2): told, as it is and renumbered (by check --fix)', async () => {
    const { svc } = await workspace({ [VAL(1)]: validation(1), [VAL(3)]: validation(1), 'phase-3/05-DECISIONS.md': validation(1) });
    assert.deepEqual(copied(svc, VAL(3)), [`3:8-16 warning ${msg('phase-1/07-VALIDATION.md', ALL, 'phase-1')}`]);
    assert.deepEqual(copied(svc, VAL(1)), []);
    // A document phase 1 lacks: nothing.
    assert.deepEqual(copied(svc, 'phase-3/05-DECISIONS.md'), []);
    // Renumbered: `phase: phase-3` for `phase: 1`, `Phase 9` for `Phase 5`: each number of the earlier phase's the more
    // by as many as the two phases' numbers differ.
    const renumbered = await workspace({
      [VAL(1)]: validation(1, 'complete', 'x', '1'),
      [VAL(3)]: validation(3),
      [VAL(5)]: validation(5, 'complete', 'x', '5'),
      [VAL(9)]: validation(9),
    });
    assert.deepEqual(copied(renumbered.svc, VAL(3)), [`3:8-16 warning ${msg('phase-1/07-VALIDATION.md', ALL, 'phase-1')}`]);
    assert.deepEqual(copied(renumbered.svc, VAL(9)), [`3:8-16 warning ${msg('phase-5/07-VALIDATION.md', ALL, 'phase-5')}`]);
  });

  it("a copy of the phase before the previous one (`cp -r phase-1 phase-3` beside phase-2): told, naming phase 1's", async () => {
    const own = (n: number) => validation(n).replace('the phase', `the ${n === 2 ? 'second' : 'other'} phase`);
    const { svc } = await workspace({
      [VAL(1)]: validation(1),
      [VAL(2)]: own(2),
      [VAL(3)]: validation(1),
      'phase-1/05-DECISIONS.md': validation(1),
      'phase-2/05-DECISIONS.md': own(2),
      'phase-3/05-DECISIONS.md': validation(3),
      'phase-4/05-DECISIONS.md': own(4),
    });
    assert.deepEqual(copied(svc, VAL(3)), [`3:8-16 warning ${msg('phase-1/07-VALIDATION.md', ALL, 'phase-1')}`]);
    assert.deepEqual(copied(svc, 'phase-3/05-DECISIONS.md'), [`3:8-16 warning ${msg('phase-1/05-DECISIONS.md', ALL, 'phase-1')}`]);
    assert.deepEqual(copied(svc, VAL(2)), []);
    assert.deepEqual(copied(svc, 'phase-4/05-DECISIONS.md'), []);
  });

  it("a copy the other way (`cp -r phase-1 phase-0`): phase 0's documents are told, naming phase 1's; phase 1's are not", async () => {
    // Phase 0's names phase 1 where it names its phase (its front matter `phase`, else its title); phase 1's its own.
    const bare = (n: number) => validation(n).replace(/^---\n[^]*?\n---\n/, '');
    const { svc } = await workspace({
      [VAL(0)]: validation(1),
      [VAL(1)]: validation(1),
      'phase-0/05-DECISIONS.md': bare(1),
      'phase-1/05-DECISIONS.md': bare(1),
      'phase-1/06-OUTPUT_HANDOFF.md': validation(1),
      'phase-2/06-OUTPUT_HANDOFF.md': validation(1),
    });
    assert.deepEqual(copied(svc, VAL(0)), [`3:8-16 warning ${msg('phase-1/07-VALIDATION.md', ALL, 'phase-1')}`]);
    assert.deepEqual(copied(svc, VAL(1)), []);
    assert.deepEqual(copied(svc, 'phase-0/05-DECISIONS.md'), [
      `5:2-5 warning ${msg('phase-1/05-DECISIONS.md', 'its ticked items and evidence are', 'phase-1')}`,
    ]);
    assert.deepEqual(copied(svc, 'phase-1/05-DECISIONS.md'), []);
    // The usual way (phase 2's names phase 1, as phase 1's does): phase 2's is the copy.
    assert.deepEqual(copied(svc, 'phase-2/06-OUTPUT_HANDOFF.md'), [`3:8-16 warning ${msg('phase-1/06-OUTPUT_HANDOFF.md', ALL, 'phase-1')}`]);
    assert.deepEqual(copied(svc, 'phase-1/06-OUTPUT_HANDOFF.md'), []);
  });

  it('iAI: the previous phase of its own workstream, not one of another workstream', async () => {
    const response = (n: number) =>
      `---\nphase: ${n}\ntitle: "Phase ${n}: CI"\nstatus: complete\n---\n\n# Phase ${n}: CI\n\n## Tests\n\n- [x] test_build passes\n`;
    const { svc } = await workspace({
      'workstreams/Build/Phase_1_CI/implementation_response_from_AI.md': response(1),
      'workstreams/Build/Phase_2_CI_Again/implementation_response_from_AI.md': response(2),
      'workstreams/Test/Phase_2_CI/implementation_response_from_AI.md': response(2),
    });
    assert.deepEqual(copied(svc, 'workstreams/Build/Phase_2_CI_Again/implementation_response_from_AI.md'), [
      `3:8-16 warning ${msg('workstreams/Build/Phase_1_CI/implementation_response_from_AI.md', ALL, 'Phase_1_CI')}`,
    ]);
    assert.deepEqual(copied(svc, 'workstreams/Test/Phase_2_CI/implementation_response_from_AI.md'), []);
  });

  it('iAI: a copy renumbered by check --fix (`phase: Build/Phase_1_CI` as `Build/Phase_2_Packaging`) is one still', async () => {
    // The id's number is read first, as a phase number: the words after it, which differ, are still of the id.
    const response = (id: string, n: number) =>
      `---\nphase: "${id}"\nworkstream: "Build"\ntitle: "Phase ${n}: CI"\nstatus: complete\n---\n\n# Build Phase ${n}: CI\n\n` +
      `## Tests\n\n- [x] test_build passes (see ${id.slice(6)}/log.txt)\n`;
    const { svc } = await workspace({
      'workstreams/Build/Phase_1_CI/implementation_response_from_AI.md': response('Build/Phase_1_CI', 1),
      'workstreams/Build/Phase_2_Packaging/implementation_response_from_AI.md': response('Build/Phase_2_Packaging', 2),
      'workstreams/Build/Phase_10_Release/implementation_response_from_AI.md': response('Build/Phase_10_Release', 10),
      'workstreams/Build/Phase_9_Docs/implementation_response_from_AI.md': response('Build/Phase_9_Docs', 9),
    });
    assert.deepEqual(copied(svc, 'workstreams/Build/Phase_2_Packaging/implementation_response_from_AI.md'), [
      `4:8-16 warning ${msg('workstreams/Build/Phase_1_CI/implementation_response_from_AI.md', ALL, 'Phase_1_CI')}`,
    ]);
    assert.deepEqual(copied(svc, 'workstreams/Build/Phase_10_Release/implementation_response_from_AI.md'), [
      `4:8-16 warning ${msg('workstreams/Build/Phase_9_Docs/implementation_response_from_AI.md', ALL, 'Phase_9_Docs')}`,
    ]);
  });

  it('a custom layout: a copy renumbered by check --fix (`phase: sprints/sprint-2-refunds`) is one still', async () => {
    const goals = (id: string, n: number) => `---\nphase: "${id}"\nstatus: done\n---\n\n# Sprint ${n}: Kickoff\n\n## Goals\n\n- [x] Ship sprint 1\n`;
    const { svc } = await workspace({
      'phasegate.yaml':
        'layouts:\n  - name: sprint\n    phases: "sprints/sprint-*"\n    number: "sprint-(\\\\d+)"\n    documents:\n' +
        "      - {kind: brief, file: GOALS.md, heading: 'Sprint {N}: ', sections: [Goals]}\n",
      'sprints/sprint-1-payments-mvp/GOALS.md': goals('sprints/sprint-1-payments-mvp', 1),
      'sprints/sprint-2-refunds/GOALS.md': goals('sprints/sprint-2-refunds', 2),
    });
    assert.deepEqual(copied(svc, 'sprints/sprint-2-refunds/GOALS.md'), [
      `2:8-12 warning ${msg('sprints/sprint-1-payments-mvp/GOALS.md', ALL, 'sprint-1-payments-mvp')}`,
    ]);
  });

  it('a custom layout: its document of the same kind and file; a gate that lists the rule is pending', async () => {
    const goals = (n: number) => `---\nstatus: done\n---\n\n# Sprint ${n}: Kickoff\n\n## Goals\n\n- [x] Ship sprint ${n}\n`;
    const { svc } = await workspace({
      'phasegate.yaml':
        'layouts:\n  - name: sprint\n    phases: "sprints/sprint-*"\n    number: "sprint-(\\\\d+)"\n    documents:\n' +
        "      - {kind: brief, file: GOALS.md, heading: 'Sprint {N}: ', sections: [Goals]}\n" +
        '    gates:\n      - {name: Done, failOn: [copied-document]}\n      - {name: Other, failOn: []}\n',
      'sprints/sprint-1/GOALS.md': goals(1),
      'sprints/sprint-1/notes.md': 'notes\n',
      'sprints/sprint-2/GOALS.md': goals(2),
      'sprints/sprint-2/notes.md': 'notes\n',
    });
    assert.deepEqual(copied(svc, 'sprints/sprint-2/GOALS.md'), [`1:8-12 warning ${msg('sprints/sprint-1/GOALS.md', ALL, 'sprint-1')}`]);
    const gates = (n: number) => svc.gates(svc.model.phases.find((p) => p.number === n)!).map((g) => `${g.name} ${g.status}`);
    assert.deepEqual(gates(1), ['Done passed', 'Other passed']);
    assert.deepEqual(gates(2), ['Done pending', 'Other passed']);
  });
});

/** The files of an example folder (relative to examples/), as `{ 'to/<path>': text }`. */
function exampleFiles(from: string, to: string): Record<string, string> {
  const out: Record<string, string> = {};
  const base = path.join(REPO, 'examples', from);
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else out[`${to}/${path.relative(base, p).split(path.sep).join('/')}`] = fs.readFileSync(p, 'utf8');
    }
  };
  walk(base);
  return out;
}

describe('copied-document: gates and phase status', () => {
  it('audit: a copy of a complete phase-2 as phase-3 has its Completeness gate pending (passed with the rule off)', async () => {
    const files = { ...exampleFiles('audit-deployment/phase-1', 'phase-1'), ...exampleFiles('audit-deployment/phase-2', 'phase-2') };
    const copy = exampleFiles('audit-deployment/phase-2', 'phase-3');
    const completeness = async (extra: Record<string, string>) => {
      const { svc } = await workspace({ ...files, ...copy, ...extra });
      const phase = svc.model.phases.find((p) => p.id === 'phase-3')!;
      return svc.gates(phase).find((g) => g.name === 'Completeness')!;
    };
    const held = await completeness({});
    assert.equal(held.status, 'pending');
    assert.ok(
      held.reasons.some((r) => /copied-document/.test(r)),
      held.reasons.join('\n'),
    );
    assert.equal((await completeness({ 'phasegate.yaml': 'rules:\n  copied-document: off\n' })).status, 'passed');
  });

  it('iAI: a copied phase is in progress, not complete (complete with the rule off)', async () => {
    const files = exampleFiles('all_use_iai_project', '.');
    const from = 'workstreams/Build/Phase_2_Dependency_Management_Containerization';
    for (const [p, t] of Object.entries(files)) if (p.startsWith(`./${from}/`)) files[p.replace('Phase_2_', 'Phase_3_')] = t;
    const statusOf = async (extra: Record<string, string>) => {
      const { svc } = await workspace({ ...files, ...extra });
      const phase = svc.model.phases.find((p) => p.id === 'Build/Phase_3_Dependency_Management_Containerization')!;
      return [svc.status(phase), svc.status(phase.prev!)];
    };
    assert.deepEqual(await statusOf({}), ['in-progress', 'complete']);
    assert.deepEqual(await statusOf({ 'phasegate.yaml': 'rules:\n  copied-document: off\n' }), ['complete', 'complete']);
  });
});

describe('copied-document: the reset quick fix', () => {
  it('sets the status to draft (its quotes kept) and unticks every item, every other character as it was; offered only', async () => {
    const written = (n: number) => validation(n).replace('status: complete', 'status: "complete"  # signed off').replace('- [x] Reviewed', '  - [X] Reviewed');
    const copy = written(2);
    const { svc } = await workspace({ [VAL(1)]: written(1), [VAL(2)]: copy });
    const [d] = diagnosticsOf(svc, VAL(2), CODE);
    assert.ok(d, 'the warning');
    const actions = codeActions(svc, [d]).filter((a) => a.codes.includes(CODE) && !/disable/i.test(a.title));
    assert.deepEqual(
      actions.map((a) => [a.title, a.manual, a.isPreferred]),
      [['Reset to a draft: status draft, items unchecked', true, false]],
    );
    const after = applyEdits(copy, actions[0].change.edits[0].edits);
    assert.equal(after, copy.replace('status: "complete"', 'status: "draft"').replace('- [x] All', '- [ ] All').replace('- [X] Reviewed', '- [ ] Reviewed'));
    // Not part of Fix all (nor so of check --fix).
    const all = fixAll(svc, `${ROOT}/${VAL(2)}`);
    assert.ok(!all?.codes.includes(CODE), JSON.stringify(all?.codes));
    // Applied, the document claims nothing: no warning.
    const fresh = await workspace({ [VAL(1)]: written(1), [VAL(2)]: after });
    assert.deepEqual(copied(fresh.svc, VAL(2)), []);
  });

  it('a status that claims no progress is left as it is; the ticks are unticked', async () => {
    const { svc } = await workspace({ [VAL(1)]: validation(1, 'draft'), [VAL(2)]: validation(2, 'draft') });
    const [d] = diagnosticsOf(svc, VAL(2), CODE);
    const [a] = codeActions(svc, [d]).filter((x) => x.title.startsWith('Reset'));
    assert.equal(applyEdits(validation(2, 'draft'), a.change.edits[0].edits), validation(2, 'draft', ' '));
  });
});

describe('copied-document: across an edit of the previous phase', () => {
  it('an edit of phase 1 re-checks the copy of it across a gap (phase 3), before it (phase 0) and past phase 2 (phase 3)', async () => {
    const CONFIG = 'rules:\n  missing-document: off\n  missing-section: off\n';
    const edited = validation(1).replace('All deliverables produced', 'Every deliverable produced');
    const layouts: Record<string, string>[] = [
      { [VAL(1)]: validation(1), [VAL(3)]: validation(1) },
      { [VAL(0)]: validation(1), [VAL(1)]: validation(1) },
      { [VAL(1)]: validation(1), [VAL(2)]: validation(2).replace('the phase', 'our phase'), [VAL(3)]: validation(1) },
    ];
    for (const files of layouts) {
      const engine = async (one: string) => {
        const f = new MemoryFileSystem();
        f.write(`${ROOT}/phasegate.yaml`, CONFIG);
        for (const [rel, text] of Object.entries(files)) f.write(`${ROOT}/${rel}`, rel === VAL(1) ? one : text);
        const s = new PhasegateService({ fs: f, assets, logger: loudLogger });
        await s.load(ROOT);
        return s;
      };
      const svc = await engine(validation(1));
      const copy = `${ROOT}/${Object.keys(files).find((f) => f !== VAL(1) && files[f] === validation(1))!}`;
      const phase = () => svc.model.phases.find((p) => copy.startsWith(p.folder + '/'))!;
      assert.equal(svc.diagnose(copy).filter((d) => d.code === CODE).length, 1, copy);
      const gates = svc.gates(phase());
      svc.setOverlay(`${ROOT}/${VAL(1)}`, edited);
      const other = await engine(edited);
      assert.deepEqual(svc.diagnose(copy), other.diagnose(copy));
      assert.deepEqual(svc.gates(phase()), other.gates(other.model.phases.find((p) => copy.startsWith(p.folder + '/'))!));
      assert.notDeepEqual(svc.gates(phase()), gates);
    }
  });

  it("an edit of phase 1's validation (an overlay) re-checks phase 2's: as a fresh engine says, both ways", async () => {
    // The phases hold only their validation: the documents and sections they lack fail no gate here, which shows what holds it.
    const CONFIG = 'rules:\n  missing-document: off\n  missing-section: off\n';
    const fsys = new MemoryFileSystem();
    fsys.write(`${ROOT}/phasegate.yaml`, CONFIG);
    fsys.write(`${ROOT}/${VAL(1)}`, validation(1));
    fsys.write(`${ROOT}/${VAL(2)}`, validation(2));
    const svc = new PhasegateService({ fs: fsys, assets, logger: loudLogger });
    await svc.load(ROOT);
    const p2 = `${ROOT}/${VAL(2)}`;
    const phase2 = () => svc.model.phases.find((p) => p.id === 'phase-2')!;
    assert.equal(svc.diagnose(p2).filter((d) => d.code === CODE).length, 1);
    const heldBy = () =>
      svc
        .gates(phase2())
        .find((g) => g.name === 'Completeness')!
        .reasons.filter((r) => r.includes(CODE));
    assert.equal(heldBy().length, 1);

    const fresh = async (text: string) => {
      const f = new MemoryFileSystem();
      f.write(`${ROOT}/phasegate.yaml`, CONFIG);
      f.write(`${ROOT}/${VAL(1)}`, text);
      f.write(p2, validation(2));
      const s = new PhasegateService({ fs: f, assets, logger: loudLogger });
      await s.load(ROOT);
      return s;
    };
    const edited = validation(1).replace('All deliverables produced', 'Every deliverable produced');
    const deps = svc.setOverlay(`${ROOT}/${VAL(1)}`, edited);
    assert.ok(deps.includes(p2), deps.join(', '));
    const other = await fresh(edited);
    assert.deepEqual(svc.diagnose(p2), other.diagnose(p2));
    assert.deepEqual(
      svc.diagnose(p2).filter((d) => d.code === CODE),
      [],
    );
    const otherPhase = other.model.phases.find((p) => p.id === 'phase-2')!;
    assert.deepEqual(svc.gates(phase2()), other.gates(otherPhase));
    assert.deepEqual(heldBy(), []);

    // Back as it was: told again.
    svc.setOverlay(`${ROOT}/${VAL(1)}`, validation(1));
    const again = await fresh(validation(1));
    assert.equal(svc.diagnose(p2).filter((d) => d.code === CODE).length, 1);
    assert.deepEqual(svc.diagnose(p2), again.diagnose(p2));
  });
});
