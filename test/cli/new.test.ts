import * as assert from 'node:assert/strict';
import { examplesFs, run } from './helpers';

const A = '/ws/examples/audit-deployment';
const IAI = '/ws/examples/all_use_iai_project';

describe('phasegate new', () => {
  it('creates the next audit phase with every document and folder, and prints what it created', async () => {
    const fsys = examplesFs();
    const r = await run(['new', 'phase', 'examples/audit-deployment', '--title', 'Infrastructure as Code'], fsys);
    assert.equal(r.code, 0, r.stderr);
    const created = [
      '00-PHASE_BRIEF.md',
      '01-INPUT_HANDOFF.md',
      '02-EXECUTION_PLAN.md',
      '05-DECISIONS.md',
      '06-OUTPUT_HANDOFF.md',
      '07-VALIDATION.md',
      '03-FINDINGS/.gitkeep',
      '04-ARTIFACTS/.gitkeep',
    ];
    for (const f of created) {
      assert.ok(fsys.has(`${A}/phase-4/${f}`), f);
      assert.match(r.stdout, new RegExp(`^created {2}examples/audit-deployment/phase-4/${f.replace('.', '\\.')}$`, 'm'));
    }
    assert.match(fsys.text(`${A}/phase-4/00-PHASE_BRIEF.md`) ?? '', /^# Phase 4: Infrastructure as Code$/m);
    // The new phase is a phase of the workspace: check sees it (placeholders are warnings, not errors).
    const status = await run(['status', 'examples/audit-deployment/phase-4'], fsys);
    assert.match(status.stdout, /^phase-4\s+Infrastructure as Code\s+audit\s/m);
  });

  it('never overwrites: an existing document is reported as skipped and left as it was (exit 1)', async () => {
    const fsys = examplesFs();
    const before = fsys.text(`${A}/phase-3/06-OUTPUT_HANDOFF.md`);
    const r = await run(['new', 'handoff', 'phase-3'], fsys, '/ws/examples/audit-deployment');
    assert.equal(r.code, 1);
    assert.equal(r.stdout, 'skipped  phase-3/06-OUTPUT_HANDOFF.md  (already exists)\n');
    assert.equal(fsys.text(`${A}/phase-3/06-OUTPUT_HANDOFF.md`), before);
  });

  it('never overwrites a file that appears between the plan and the write', async () => {
    const fsys = examplesFs();
    fsys.racing.set(`${A}/phase-4/00-PHASE_BRIEF.md`, 'written by someone else\n');
    const r = await run(['new', 'phase', 'examples/audit-deployment'], fsys);
    assert.equal(r.code, 0);
    assert.equal(fsys.text(`${A}/phase-4/00-PHASE_BRIEF.md`), 'written by someone else\n');
    assert.match(r.stdout, /^skipped {2}examples\/audit-deployment\/phase-4\/00-PHASE_BRIEF\.md {2}\(already exists\)$/m);
    assert.match(r.stdout, /^created {2}examples\/audit-deployment\/phase-4\/07-VALIDATION\.md$/m);
  });

  it('creates an iAI prompt in a new workstream, then the response skeleton from it', async () => {
    const fsys = examplesFs();
    const r = await run(
      ['new', 'prompt', '--workstream', 'Deploy', '--title', 'Environment Configuration & Management'],
      fsys,
      '/ws/examples/all_use_iai_project',
    );
    assert.equal(r.code, 0, r.stderr);
    const folder = `${IAI}/workstreams/Deploy/Phase_1_Environment_Configuration_Management`;
    assert.equal(
      r.stdout,
      'created  workstreams/Deploy/Phase_1_Environment_Configuration_Management/implementation_prompt.md\n' +
        'updated  project_implementation_plan.md  (row of Deploy/Phase_1_Environment_Configuration_Management added)\n',
    );
    assert.match(fsys.text(`${folder}/implementation_prompt.md`) ?? '', /Environment Configuration & Management/);
    const resp = await run(['new', 'response', 'Deploy/Phase_1_Environment_Configuration_Management'], fsys, '/ws/examples/all_use_iai_project');
    assert.equal(resp.code, 0, resp.stderr);
    assert.ok(fsys.has(`${folder}/implementation_response_from_AI.md`));
    const again = await run(['new', 'response', 'Deploy/Phase_1_Environment_Configuration_Management'], fsys, '/ws/examples/all_use_iai_project');
    assert.equal(again.code, 1);
  });

  it('creates an iAI phase with new phase --workstream', async () => {
    const fsys = examplesFs();
    const r = await run(['new', 'phase', 'examples/all_use_iai_project', '--workstream', 'Build', '--title', 'Advanced CI'], fsys);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(fsys.has(`${IAI}/workstreams/Build/Phase_3_Advanced_CI/implementation_prompt.md`));
  });

  it('exits 2 with a one-line reason on bad usage', async () => {
    const cases: [string[], RegExp][] = [
      [['new'], /needs what to create/],
      [['new', 'widget'], /cannot create 'widget'/],
      [['new', 'prompt', '--title', 'T'], /needs --workstream W and --title T/],
      [['new', 'response'], /needs a PHASE_ID/],
      [['new', 'handoff', 'phase-9'], /no phase 'phase-9'/],
      [['new', 'handoff', 'phase-3', '--title', 'x'], /does not apply/],
      [['new', 'phase', '--layout', 'waterfall'], /--layout must be audit or iai/],
      [['new', 'phase', '--format', 'json'], /does not apply to 'new'/],
      [['new', 'phase', 'phase-1/00-PHASE_BRIEF.md'], /not a folder/],
    ];
    for (const [argv, reason] of cases) {
      const fsys = examplesFs();
      const before = fsys.paths().length;
      const r = await run(argv, fsys, '/ws/examples/audit-deployment');
      assert.equal(r.code, 2, argv.join(' '));
      assert.match(r.stderr.split('\n')[0], reason, argv.join(' '));
      assert.equal(fsys.paths().length, before, 'nothing written');
    }
  });
});
