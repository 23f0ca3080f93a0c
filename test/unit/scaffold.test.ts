/**
 * What `new` (the CLI's and the editor's, one planner) creates and refuses: custom layouts named by the
 * request, folders the scan leaves out, empty phase folders, findings' file names, titles.
 */
import * as assert from 'node:assert/strict';
import { toNewRequest } from '../../server/src/lsp/scaffold';
import { outsideTargets, planNew } from '../../server/src/service/scaffold';
import { ROOT, workspace } from '../helpers/workspace';

const SPRINTS =
  'layouts:\n  - name: sprint\n    phases: "sprints/sprint-*"\n    number: "sprint-(\\\\d+)"\n    documents:\n      - kind: brief\n        file: GOALS.md\n';

const files = (plan: { creates: { file: string }[] }) => plan.creates.map((c) => c.file.slice(ROOT.length + 1));

describe('new: a layout named by the request', () => {
  it("the editor's New Phase on a custom layout's group (layout: its name) creates the next phase of that layout", async () => {
    const { svc } = await workspace({ 'phasegate.yaml': SPRINTS, 'sprints/sprint-1/GOALS.md': '# Sprint 1\n', 'sprints/sprint-2/GOALS.md': '# Sprint 2\n' });
    assert.deepEqual(svc.config.problems, []);
    // As client/src/commands/newPhase.ts asks: the group's last phase, its layout's name, the next number.
    const req = toNewRequest(svc, 'phase', `${ROOT}/sprints/sprint-2`, { layout: 'sprint', number: 3, title: 'Third' });
    assert.deepEqual(files(planNew(svc, req)), ['sprints/sprint-3-third/GOALS.md']);
    // Also with no folder: the layout's one folder of phases.
    assert.deepEqual(files(planNew(svc, { what: 'phase', layout: 'sprint' })), ['sprints/sprint-3/GOALS.md']);
    // A folder that is not the layout's, or a layout the workspace does not have: refused, never an audit phase.
    assert.throws(() => planNew(svc, { what: 'phase', layout: 'sprint', folder: 'other' }), /other is not a folder of sprint phases/);
    assert.throws(
      () => planNew(svc, { what: 'phase', layout: 'waterfall', folder: 'sprints' }),
      /no layout 'waterfall' in this workspace \(layouts: audit, iai, sprint\)/,
    );
  });
});

describe("new: a custom layout's next phase is named", () => {
  const MISSIONS = (glob: string) =>
    `layouts:\n  - name: mission\n    phases: "${glob}"\n    number: "^M-(\\\\d+)"\n    documents:\n      - {kind: charter, file: CHARTER.md, sections: [Goals]}\n`;

  it('by its title (--title), not after the words of the phase before it', async () => {
    const { svc } = await workspace({ 'phasegate.yaml': MISSIONS('missions/*'), 'missions/M-1-kickoff/CHARTER.md': '# M\n\n## Goals\n\nGo.\n' });
    assert.deepEqual(svc.config.problems, []);
    assert.deepEqual(files(planNew(svc, { what: 'phase', layout: 'mission', title: 'Harbour survey' })), ['missions/M-2-harbour-survey/CHARTER.md']);
    assert.deepEqual(files(planNew(svc, { what: 'phase', layout: 'mission', title: 'Ünter Dock #2' })), ['missions/M-2-unter-dock-2/CHARTER.md']);
    // Without a title: its number alone.
    assert.deepEqual(files(planNew(svc, { what: 'phase', layout: 'mission' })), ['missions/M-2/CHARTER.md']);
    // The case and the separator of the names there.
    const upper = await workspace({ 'phasegate.yaml': MISSIONS('missions/*'), 'missions/M-1_Kickoff/CHARTER.md': '# M\n' });
    assert.deepEqual(files(planNew(upper.svc, { what: 'phase', layout: 'mission', title: 'Harbour survey' })), ['missions/M-2_Harbour_survey/CHARTER.md']);
  });

  it("as the one before it when only that name is one the layout's globs find", async () => {
    const { svc } = await workspace({ 'phasegate.yaml': MISSIONS('missions/M-*-kickoff'), 'missions/M-1-kickoff/CHARTER.md': '# M\n' });
    assert.deepEqual(files(planNew(svc, { what: 'phase', layout: 'mission', title: 'Harbour survey' })), ['missions/M-2-kickoff/CHARTER.md']);
  });
});

describe('new: folders the scan leaves out', () => {
  it('a phase or workstream where check and status never look is refused with the reason, nothing planned', async () => {
    const { svc } = await workspace({
      'phasegate.yaml': 'ignore: ["archive/**"]\n',
      'workstreams/Build/Phase_1_Setup/implementation_prompt.md': '# Phase 1: Setup\n',
    });
    for (const [req, why] of [
      [
        { what: 'prompt', workstream: 'dist', title: 'Packaging' },
        /ScaffoldError: workstreams\/dist\/Phase_1_Packaging\/implementation_prompt\.md would not be checked: it lies in dist, a folder Phasegate does not look into; nothing is created$/,
      ],
      [{ what: 'phase', workstream: '.ops', title: 'Deploy' }, /it lies in \.ops, a folder Phasegate does not look into/],
      [
        { what: 'phase', layout: 'audit', folder: 'node_modules/x' },
        /ScaffoldError: node_modules\/x\/phase-1\/00-PHASE_BRIEF\.md would not be checked: it lies in node_modules/,
      ],
      [
        { what: 'phase', layout: 'audit', folder: 'archive/phase-4' },
        /ScaffoldError: archive\/phase-4\/00-PHASE_BRIEF\.md would not be checked: it matches "archive\/\*\*" of ignore in phasegate\.yaml/,
      ],
    ] as const)
      assert.throws(() => planNew(svc, req), why, JSON.stringify(req));
    // The workspace's own folders are fine.
    assert.deepEqual(files(planNew(svc, { what: 'prompt', workstream: 'Build', title: 'CI' })), ['workstreams/Build/Phase_2_CI/implementation_prompt.md']);
  });
});

describe('new: the next number where an ignore glob leaves out its folder', () => {
  const skipped = (plan: { skipped: { file: string; reason: string }[] }) => plan.skipped.map((c) => `${c.file.slice(ROOT.length + 1)}: ${c.reason}`);

  it("audit: phase 3 ignored (on disk, not in the model): the CLI's and the editor's new phase is phase 4, phase 3 told passed over", async () => {
    const { svc } = await workspace({
      'phasegate.yaml': 'ignore: ["phase-3/**"]\n',
      'phase-1/00-PHASE_BRIEF.md': '# Phase 1 Brief\n',
      'phase-2/00-PHASE_BRIEF.md': '# Phase 2 Brief\n',
      'phase-3/00-PHASE_BRIEF.md': '# Phase 3 Brief\n',
    });
    assert.deepEqual(
      svc.model.phases.map((p) => p.id),
      ['phase-1', 'phase-2'],
    );
    const told = [
      'phase-3: not the new phase: it matches "phase-3/**" of ignore in phasegate.yaml; the new phase is phase-4, and nothing in phase-3 is overwritten',
    ];
    const cli = planNew(svc, { what: 'phase' });
    assert.ok(files(cli).every((f) => f.startsWith('phase-4/')) && files(cli).length > 0, files(cli).join(', '));
    assert.deepEqual(skipped(cli), told);
    // As client/src/commands/newPhase.ts asks: the group's last phase, the number after those it shows.
    const editor = planNew(svc, toNewRequest(svc, 'phase', `${ROOT}/phase-2`, { layout: 'audit', number: 3, title: 'Rollout' }));
    assert.deepEqual(files(editor), files(cli));
    assert.deepEqual(skipped(editor), told);
    // The number planned, which the editor asks for before the title (renderTemplate, no title yet): 4, not 3.
    assert.equal(cli.phase?.number, 4);
    assert.equal(planNew(svc, toNewRequest(svc, 'phase', `${ROOT}/phase-2`, { layout: 'audit', number: 3 })).phase?.number, 4);
    // Another number asked for is that one (refused there, as before); a folder named is that folder.
    assert.throws(() => planNew(svc, { what: 'phase', folder: 'phase-3' }), /phase-3\/00-PHASE_BRIEF\.md would not be checked/);
  });

  it('iAI and a custom layout: the next number free of the ignore glob', async () => {
    const { svc } = await workspace({
      'phasegate.yaml': SPRINTS + 'ignore: ["sprints/sprint-2/**", "workstreams/Build/Phase_2_*/**"]\n',
      'sprints/sprint-1/GOALS.md': '# Sprint 1\n',
      'sprints/sprint-2/GOALS.md': '# Sprint 2\n',
      'workstreams/Build/Phase_1_Setup/implementation_prompt.md': '# Phase 1: Setup\n',
    });
    assert.deepEqual(svc.config.problems, []);
    const sprint = planNew(svc, { what: 'phase', layout: 'sprint' });
    assert.deepEqual(files(sprint), ['sprints/sprint-3/GOALS.md']);
    assert.equal(sprint.phase?.number, 3);
    assert.deepEqual(skipped(sprint), [
      'sprints/sprint-2: not the new phase: it matches "sprints/sprint-2/**" of ignore in phasegate.yaml; the new phase is sprint-3, and nothing in sprint-2 is overwritten',
    ]);
    const prompt = planNew(svc, { what: 'prompt', workstream: 'Build', title: 'CI' });
    assert.deepEqual(files(prompt), ['workstreams/Build/Phase_3_CI/implementation_prompt.md']);
    assert.equal(prompt.phase?.number, 3);
    assert.equal(skipped(prompt).length, 1);
  });
});

describe('new: an empty phase folder', () => {
  it('an existing iAI phase folder without any document gets its prompt (not a new Phase_2), and its row in the plan', async () => {
    const { svc, fs } = await workspace({
      'workstreams/Build/Phase_1_Setup/notes.txt': 'made by hand\n',
      'project_implementation_plan.md': '# Plan\n\n## Phase Status\n\n| Workstream | Phase | Status |\n| --- | --- | --- |\n',
    });
    assert.equal(fs.has(`${ROOT}/workstreams/Build/Phase_1_Setup/implementation_prompt.md`), false);
    const plan = planNew(svc, { what: 'phase', folder: 'workstreams/Build/Phase_1_Setup', date: '2025-01-07' });
    assert.deepEqual(files(plan), ['workstreams/Build/Phase_1_Setup/implementation_prompt.md']);
    assert.match(plan.creates[0].text, /^# Build Phase 1: Setup/m);
    assert.deepEqual(
      plan.edits.map((e) => e.reason),
      ['row of Build/Phase_1_Setup added'],
    );
    // Its number and workstream are its own.
    assert.throws(() => planNew(svc, { what: 'phase', folder: 'workstreams/Build/Phase_1_Setup', number: 2 }), /is phase 1, not phase 2/);
    assert.throws(() => planNew(svc, { what: 'phase', folder: 'workstreams/Build/Phase_1_Setup', workstream: 'Ops' }), /is in workstream Build, not Ops/);
  });
});

describe('new: a half-written phase folder', () => {
  it('an audit phase with some of its documents gets the others, its own kept (not a new phase-3 beside it)', async () => {
    const { svc } = await workspace({
      'phase-1/00-PHASE_BRIEF.md': '# Phase 1: One\n',
      'phase-2/00-PHASE_BRIEF.md': '# Phase 2: Mine\n\n## Objectives\n\n- mine\n',
      'phase-2/03-FINDINGS/a.md': '# A\n',
    });
    const plan = planNew(svc, { what: 'phase', folder: 'phase-2', date: '2025-01-07' });
    assert.deepEqual(files(plan), [
      'phase-2/01-INPUT_HANDOFF.md',
      'phase-2/02-EXECUTION_PLAN.md',
      'phase-2/05-DECISIONS.md',
      'phase-2/06-OUTPUT_HANDOFF.md',
      'phase-2/07-VALIDATION.md',
      'phase-2/04-ARTIFACTS/.gitkeep',
    ]);
    assert.deepEqual(
      plan.skipped.map((f) => f.file.slice(ROOT.length + 1)),
      ['phase-2/00-PHASE_BRIEF.md', 'phase-2/03-FINDINGS'],
    );
    // Titled by its brief.
    assert.match(plan.creates[0].text, /^# Phase 2 Input Handoff$/m);
    assert.match(
      planNew(svc, { what: 'phase', folder: 'phase-2' }).creates.find((c) => c.file.endsWith('06-OUTPUT_HANDOFF.md'))!.text,
      /^# Phase 2 → Phase 3 Handoff$/m,
    );
    // The editor's New Phase (the last phase of the sequence, the next number) still makes the next phase beside it.
    assert.deepEqual(files(planNew(svc, { what: 'phase', folder: 'phase-2', number: 3 })).slice(0, 1), ['phase-3/00-PHASE_BRIEF.md']);
    // A phase with all its documents: the next one beside it, as before.
    const whole = planNew(svc, { what: 'phase', folder: 'phase-2' });
    const done = await workspace(
      Object.fromEntries(whole.creates.map((c) => [c.file.slice(ROOT.length + 1), c.text]).concat([['phase-2/00-PHASE_BRIEF.md', '# Phase 2: Mine\n']])),
    );
    assert.deepEqual(files(planNew(done.svc, { what: 'phase', folder: 'phase-2' })).slice(0, 1), ['phase-3/00-PHASE_BRIEF.md']);
  });

  it('an iAI phase folder with its response but no prompt gets its prompt', async () => {
    const { svc } = await workspace({ 'workstreams/Build/Phase_1_Setup/implementation_response_from_AI.md': '# Response\n' });
    assert.deepEqual(files(planNew(svc, { what: 'phase', folder: 'workstreams/Build/Phase_1_Setup' })), [
      'workstreams/Build/Phase_1_Setup/implementation_prompt.md',
    ]);
  });
});

describe('new: a phase folder whose number another phase has', () => {
  it('is refused, empty or half-written, as a new folder of that number is (not filled in as a duplicate)', async () => {
    const { svc } = await workspace({
      'phase-5/00-PHASE_BRIEF.md': '# Phase 5: Five\n',
      'phase-05/notes.txt': 'made by hand\n',
      'phase-005/00-PHASE_BRIEF.md': '# Phase 5: Again\n',
      'workstreams/Build/Phase_2_A/implementation_prompt.md': '# Build Phase 2: A\n',
      'workstreams/Build/phase-02/notes.txt': 'made by hand\n',
    });
    assert.throws(
      () => planNew(svc, { what: 'phase', folder: 'phase-05' }),
      /^ScaffoldError: phase 5 exists already: phase-005 \(not filling in phase-05 beside it\)$/,
    );
    assert.throws(() => planNew(svc, { what: 'phase', folder: 'phase-005' }), /phase 5 exists already: phase-05 \(not filling in phase-005 beside it\)/);
    assert.throws(() => planNew(svc, { what: 'phase', folder: 'phase-0005' }), /phase 5 exists already: .* \(not creating phase-0005 beside it\)/);
    assert.throws(
      () => planNew(svc, { what: 'phase', folder: 'workstreams/Build/phase-02' }),
      /phase 2 exists already: workstreams\/Build\/Phase_2_A \(not filling in workstreams\/Build\/phase-02 beside it\)/,
    );
    const custom = await workspace({
      'phasegate.yaml': SPRINTS,
      'sprints/sprint-2/GOALS.md': '# Sprint 2\n',
      'sprints/sprint-02/notes.txt': 'made by hand\n',
    });
    assert.throws(
      () => planNew(custom.svc, { what: 'phase', folder: 'sprints/sprint-02' }),
      /phase 2 exists already: sprints\/sprint-2 \(not filling in sprints\/sprint-02 beside it\)/,
    );
  });
});

describe('new: symbolic links to outside the workspace', () => {
  it('outsideTargets names the planned files whose deepest existing folder resolves outside the workspace (what the editor refuses too)', async () => {
    const { svc, fs } = await workspace({ 'phase-1/00-PHASE_BRIEF.md': '# Phase 1: One\n', 'phase-1/03-FINDINGS/a.md': '# A\n' });
    // phase-1/03-FINDINGS is a link to /elsewhere/findings.
    fs.realpath = async (p: string) => {
      if (p.startsWith(`${ROOT}/phase-1/03-FINDINGS/`)) throw new Error('ENOENT');
      if (p === `${ROOT}/phase-1/03-FINDINGS`) return '/elsewhere/findings';
      if (!(await fs.stat(p))) throw new Error('ENOENT');
      return p;
    };
    const plan = planNew(svc, { what: 'finding', phase: 'phase-1', title: 'Leak' });
    assert.deepEqual(await outsideTargets(svc, plan), [
      { file: `${ROOT}/phase-1/03-FINDINGS/leak.md`, reason: 'it leads outside the workspace folder (to /elsewhere/findings)' },
    ]);
    assert.deepEqual(await outsideTargets(svc, planNew(svc, { what: 'phase', layout: 'audit' })), []);
  });
});

describe('new: the file name of a finding', () => {
  it('titles that read alike get -2, -3…; a title without a Latin letter gives finding-N (as the editor asks too)', async () => {
    const { svc } = await workspace({
      'phase-1/00-PHASE_BRIEF.md': '# Phase 1: One\n',
      'phase-1/03-FINDINGS/outdated-deps.md': '# Finding 1: Outdated deps\n',
      'phase-1/03-FINDINGS/outdated-deps-2.md': '# Finding 2: Outdated Deps\n',
    });
    const fileOf = (title: string) => files(planNew(svc, { what: 'finding', phase: 'phase-1', title }));
    assert.deepEqual(fileOf('outdated DEPS!'), ['phase-1/03-FINDINGS/outdated-deps-3.md']);
    assert.deepEqual(fileOf('SQL injection in /login'), ['phase-1/03-FINDINGS/sql-injection-in-login.md']);
    assert.deepEqual(fileOf('認証の不備 2'), ['phase-1/03-FINDINGS/finding-3.md']);
    assert.deepEqual(fileOf('認証の不備'), ['phase-1/03-FINDINGS/finding-3.md']);
    // The editor's request (a title from the input box) plans the same file.
    assert.deepEqual(files(planNew(svc, toNewRequest(svc, 'finding', `${ROOT}/phase-1`, { title: 'Outdated DEPS!' }))), [
      'phase-1/03-FINDINGS/outdated-deps-3.md',
    ]);
    // The very same title asks for a new finding too: a file of its own, nothing written over, nothing skipped.
    const same = planNew(svc, { what: 'finding', phase: 'phase-1', title: 'Outdated Deps' });
    assert.deepEqual(files(same), ['phase-1/03-FINDINGS/outdated-deps-3.md']);
    assert.deepEqual(same.skipped, []);
    assert.match(same.creates[0].text, /^# Finding 3: Outdated Deps$/m);
    // A file the host found on disk that the engine does not know of yet (the editor's finding of a moment ago) is taken.
    const taken = [`${ROOT}/phase-1/03-FINDINGS/outdated-deps-3.md`];
    assert.deepEqual(files(planNew(svc, { what: 'finding', phase: 'phase-1', title: 'Outdated Deps', taken })), ['phase-1/03-FINDINGS/outdated-deps-4.md']);
    // Without a title, numbered after it: finding-4.md, and after a finding-N.md found so too.
    assert.deepEqual(files(planNew(svc, { what: 'finding', phase: 'phase-1', taken })), ['phase-1/03-FINDINGS/finding-4.md']);
    const numbered = [`${ROOT}/phase-1/03-FINDINGS/finding-3.md`, `${ROOT}/phase-1/03-FINDINGS/finding-7.md`];
    assert.deepEqual(files(planNew(svc, { what: 'finding', phase: 'phase-1', taken: numbered })), ['phase-1/03-FINDINGS/finding-8.md']);
  });
});

describe('new: titles', () => {
  it('a title or workstream with a line break is refused, as the editor refuses it', async () => {
    const { svc } = await workspace({ 'phase-1/00-PHASE_BRIEF.md': '# Phase 1: One\n' });
    assert.throws(
      () => planNew(svc, { what: 'phase', title: 'Auth\n## Objectives\n- done' }),
      /a title is one line: "Auth\\n## Objectives\\n- done" has a line break/,
    );
    assert.throws(() => planNew(svc, { what: 'finding', phase: 'phase-1', title: 'A\rB' }), /a title is one line/);
    assert.throws(() => planNew(svc, { what: 'prompt', workstream: 'Build\nOps', title: 'CI' }), /a workstream is one line/);
  });
});

describe('new: the date', () => {
  it('is refused unless the front matter schemas read it as one: no document is written with a date they report', async () => {
    const { svc } = await workspace({ 'phase-1/00-PHASE_BRIEF.md': '# Phase 1: One\n' });
    for (const date of ['2025-13-01', '2025-00-10', '2025-01-32', '2025-01-00', '9999-99-99', '2025-1-7'])
      assert.throws(() => planNew(svc, { what: 'phase', date }), new RegExp(`date must read YYYY-MM-DD, not '${date}'`), date);
    const brief = planNew(svc, { what: 'phase', date: '2025-12-31' }).creates.find((c) => c.file.endsWith('00-PHASE_BRIEF.md'));
    assert.match(brief!.text, /^date: "2025-12-31"$/m);
  });
});

describe('new: spaces around a title or a workstream', () => {
  it('are no part of them: the existing workstream is the one named, the title is written without them', async () => {
    const { svc } = await workspace({ 'workstreams/Build/Phase_1_Setup/implementation_prompt.md': '# Build Phase 1: Setup\n' });
    const plan = planNew(svc, { what: 'prompt', workstream: '  Build ', title: ' Advanced   CI\t', date: '2025-01-07' });
    assert.deepEqual(files(plan), ['workstreams/Build/Phase_2_Advanced_CI/implementation_prompt.md']);
    assert.match(plan.creates[0].text, /^title: "Phase 2: Advanced {3}CI"$/m);
    assert.match(plan.creates[0].text, /^# Build Phase 2: Advanced {3}CI — Implementation Prompt$/m);
    const audit = await workspace({ 'phase-1/00-PHASE_BRIEF.md': '# Phase 1: Start\n' });
    const brief = planNew(audit.svc, { what: 'phase', title: '   Rollout  ', date: '2025-01-07' }).creates.find((c) => c.file.endsWith('00-PHASE_BRIEF.md'));
    assert.match(brief!.text, /^title: "Phase 2: Rollout"$/m);
    assert.match(brief!.text, /^# Phase 2: Rollout$/m);
    // Spaces alone are no title: the phase is named as without one.
    const untitled = planNew(audit.svc, { what: 'phase', title: '   ', date: '2025-01-07' }).creates.find((c) => c.file.endsWith('00-PHASE_BRIEF.md'));
    assert.equal(untitled!.text, planNew(audit.svc, { what: 'phase', date: '2025-01-07' }).creates.find((c) => c.file.endsWith('00-PHASE_BRIEF.md'))!.text);
  });
});
