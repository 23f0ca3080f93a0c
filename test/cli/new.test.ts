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

  it('links a previous phase whose folder name holds a blank (`Phase 3`) in `<…>`, so that the links resolve', async () => {
    const fsys = examplesFs();
    for (const p of fsys.paths().filter((x) => x.startsWith(`${A}/phase-3/`))) {
      fsys.write(p.replace('/phase-3/', '/Phase 3/'), fsys.text(p)!);
      fsys.delete(p);
    }
    const r = await run(['new', 'phase', 'examples/audit-deployment'], fsys);
    assert.equal(r.code, 0, r.stderr);
    const input = fsys.text(`${A}/phase-4/01-INPUT_HANDOFF.md`)!;
    // Was: `](../Phase 3/06-OUTPUT_HANDOFF.md)`, no link, and the inputs' links likewise.
    assert.match(input, /^Output handoff of Phase 3: \[Phase 3\/06-OUTPUT_HANDOFF\.md\]\(<\.\.\/Phase 3\/06-OUTPUT_HANDOFF\.md>\)$/m);
    assert.match(input, /^- Container images: \[04-ARTIFACTS\/Dockerfile\]\(<\.\.\/Phase 3\/04-ARTIFACTS\/Dockerfile>\) - what the infrastructure runs\.$/m);
    const check = await run(['check', 'examples/audit-deployment/phase-4', '--format', 'json'], fsys);
    const codes = (JSON.parse(check.stdout) as { diagnostics: { code: string }[] }).diagnostics.map((d) => d.code);
    assert.deepEqual(
      codes.filter((c) => c === 'handoff-mismatch' || c === 'broken-link' || c === 'missing-artifact'),
      [],
    );
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

  it('says which other rows of the plan disagree with their phases, and leaves them as they are', async () => {
    const plan = `${IAI}/project_implementation_plan.md`;
    const fsys = examplesFs();
    // A complete phase the plan still marks not started, and one marked complete whose tests failed.
    const stale = fsys
      .text(plan)!
      .replace(
        '| Build | Phase_2_Dependency_Management_Containerization | Complete |',
        '| Build | Phase_2_Dependency_Management_Containerization | Not started |',
      );
    fsys.write(plan, stale);
    const resp = `${IAI}/workstreams/Test/Phase_1_Unit_Integration_Testing/implementation_response_from_AI.md`;
    fsys.write(resp, fsys.text(resp)!.replace(/(\d+) passed/, '$1 passed, 1 failed'));
    const r = await run(['new', 'prompt', '--workstream', 'Deploy', '--title', 'Environments'], fsys, IAI);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      r.stdout,
      'created  workstreams/Deploy/Phase_1_Environments/implementation_prompt.md\n' +
        'updated  project_implementation_plan.md  (row of Deploy/Phase_1_Environments added)\n',
    );
    assert.equal(
      r.stderr,
      'phasegate: project_implementation_plan.md: 2 other rows disagree with their phases (Build/Phase_2_Dependency_Management_Containerization is complete, ' +
        'Test/Phase_1_Unit_Integration_Testing is blocked): phasegate check --fix updates 1 of them; update the other in the plan\n',
    );
    // The new row added, the others left as they were.
    assert.equal(fsys.text(plan), stale.replace('| Complete |\n\n', '| Complete |\n| Deploy | Phase_1_Environments | Not started |\n\n'));
    // check --fix does as it says.
    const fixed = await run(['check', '--fix', '.'], fsys, IAI);
    assert.match(fixed.stdout, /^fixed project_implementation_plan\.md: 1 × plan-status-mismatch$/m);
    assert.match(fsys.text(plan)!, /\| Build \| Phase_2_Dependency_Management_Containerization \| Complete \|\n/);
    const next = await run(['new', 'prompt', '--workstream', 'Deploy', '--title', 'Staging'], fsys, IAI);
    assert.equal(next.code, 0, next.stderr);
    assert.equal(
      next.stderr,
      'phasegate: project_implementation_plan.md: 1 other row disagrees with its phase (Test/Phase_1_Unit_Integration_Testing is blocked): update it in the plan\n',
    );
    // A plan whose rows agree with their phases: nothing said.
    fsys.write(
      plan,
      fsys.text(plan)!.replace('| Test | Phase_1_Unit_Integration_Testing | Complete |', '| Test | Phase_1_Unit_Integration_Testing | Blocked |'),
    );
    const last = await run(['new', 'prompt', '--workstream', 'Deploy', '--title', 'Production'], fsys, IAI);
    assert.equal(last.code, 0, last.stderr);
    assert.equal(last.stderr, '');
  });

  it('creates an iAI phase with new phase --workstream', async () => {
    const fsys = examplesFs();
    const r = await run(['new', 'phase', 'examples/all_use_iai_project', '--workstream', 'Build', '--title', 'Advanced CI'], fsys);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(fsys.has(`${IAI}/workstreams/Build/Phase_3_Advanced_CI/implementation_prompt.md`));
  });

  it('creates a finding of an audit phase, named by its title or numbered, and never overwrites one (a title that reads alike, or the same title, is a finding of its own)', async () => {
    const fsys = examplesFs();
    const r = await run(['new', 'finding', 'phase-3', '--title', 'Base image CVEs'], fsys, A);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'created  phase-3/03-FINDINGS/base-image-cves.md\n');
    const text = fsys.text(`${A}/phase-3/03-FINDINGS/base-image-cves.md`) ?? '';
    assert.match(
      text,
      /^---\nphase: "phase-3"\ntitle: "Finding 2: Base image CVEs"\nstatus: draft  # draft \| in-progress \| review \| complete \| blocked\ndate: "\d{4}-\d{2}-\d{2}"\n---\n/,
    );
    assert.match(text, /^# Finding 2: Base image CVEs$/m);
    // Without a title: finding-N.md, numbered after the findings of the folder.
    const numbered = await run(['new', 'finding', 'phase-3'], fsys, A);
    assert.equal(numbered.code, 0, numbered.stderr);
    assert.equal(numbered.stdout, 'created  phase-3/03-FINDINGS/finding-3.md\n');
    // The finding checks with no error (its placeholders are warnings).
    const check = await run(['check', 'phase-3/03-FINDINGS/base-image-cves.md', '--format', 'json'], fsys, A);
    assert.equal(check.code, 0, check.stdout);
    const codes = (JSON.parse(check.stdout) as { diagnostics: { code: string }[] }).diagnostics.map((d) => d.code);
    assert.deepEqual([...new Set(codes)], ['unfilled-placeholder']);
    const again = await run(['new', 'finding', 'phase-3', '--title', 'Base image CVEs!'], fsys, A);
    assert.equal(again.code, 0);
    assert.equal(again.stdout, 'created  phase-3/03-FINDINGS/base-image-cves-2.md\n');
    assert.equal(fsys.text(`${A}/phase-3/03-FINDINGS/base-image-cves.md`), text);
    // The very same title: a new finding all the same, as asked (`new` means new; findings are numbered), nothing written over.
    const same = await run(['new', 'finding', 'phase-3', '--title', 'Base image CVEs'], fsys, A);
    assert.equal(same.code, 0, same.stderr);
    assert.equal(same.stdout, 'created  phase-3/03-FINDINGS/base-image-cves-3.md\n');
    assert.match(fsys.text(`${A}/phase-3/03-FINDINGS/base-image-cves-3.md`) ?? '', /^# Finding 5: Base image CVEs$/m);
    assert.equal(fsys.text(`${A}/phase-3/03-FINDINGS/base-image-cves.md`), text);
  });

  it("takes a PHASE_ID that is no phase's id as a path from the current folder to a phase's folder, or into one", async () => {
    const fsys = examplesFs();
    // In the phase's folder, `.`; in its findings folder, `..`.
    const here = await run(['new', 'finding', '.', '--title', 'Slow tests'], fsys, `${A}/phase-3`);
    assert.deepEqual([here.code, here.stderr, here.stdout], [0, '', 'created  03-FINDINGS/slow-tests.md\n']);
    const up = await run(['new', 'finding', '..'], fsys, `${A}/phase-3/03-FINDINGS`);
    assert.deepEqual([up.code, up.stderr, up.stdout], [0, '', 'created  finding-3.md\n']);
    // From a workstream's folder, the phase folder's name.
    const ws = `${IAI}/workstreams/Build`;
    const resp = await run(['new', 'response', 'Phase_1_Source_Code_Management'], fsys, ws);
    assert.deepEqual(
      [resp.code, resp.stderr, resp.stdout],
      [1, '', 'skipped  Phase_1_Source_Code_Management/implementation_response_from_AI.md  (already exists)\n'],
    );
    // A phase id still wins, and a name that is neither is refused as before.
    const none = await run(['new', 'finding', 'phase-9'], fsys, `${A}/phase-3`);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /^phasegate: no phase 'phase-9' in this workspace/);
  });

  it('creates the project plan of an iAI project, with a row per phase, and never overwrites it', async () => {
    const fsys = examplesFs();
    const plan = `${IAI}/project_implementation_plan.md`;
    const before = fsys.text(plan);
    const kept = await run(['new', 'plan'], fsys, IAI);
    assert.equal(kept.code, 1);
    assert.equal(kept.stdout, 'skipped  project_implementation_plan.md  (already exists)\n');
    assert.equal(fsys.text(plan), before);
    fsys.delete(plan);
    // From the workspace root, naming the project folder.
    const r = await run(['new', 'plan', 'examples/all_use_iai_project'], fsys);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'created  examples/all_use_iai_project/project_implementation_plan.md\n');
    const text = fsys.text(plan) ?? '';
    assert.match(text, /^# Project Implementation Plan$/m);
    assert.match(text, /^\| Build \| Phase_1_\w+ \| \w[\w ]* \|$/m);
    // From inside the project, without PATH: the same file.
    fsys.delete(plan);
    const inside = await run(['new', 'plan'], fsys, `${IAI}/workstreams/Build`);
    assert.equal(inside.code, 0, inside.stderr);
    assert.equal(inside.stdout, 'created  ../../project_implementation_plan.md\n');
    assert.equal(fsys.text(plan), text);
    const check = await run(['check', 'project_implementation_plan.md'], fsys, IAI);
    assert.equal(check.code, 0, check.stdout);
  });

  it('exits 2 with a one-line reason on bad usage', async () => {
    const cases: [string[], RegExp][] = [
      [['new'], /needs what to create/],
      [['new', 'widget'], /cannot create 'widget'/],
      [['new', 'prompt', '--title', 'T'], /needs --workstream W and --title T/],
      [['new', 'response'], /needs a PHASE_ID/],
      [['new', 'handoff', 'phase-9'], /no phase 'phase-9'/],
      [['new', 'handoff', 'phase-3', '--title', 'x'], /does not apply/],
      [['new', 'phase', '--layout', 'waterfall'], /no layout 'waterfall' in this workspace \(layouts: audit, iai\)/],
      [['new', 'phase', '--layout', ''], /option '--layout' needs a value/],
      [['new', 'phase', '--format', 'json'], /does not apply to 'new'/],
      [['new', 'phase', 'phase-1/00-PHASE_BRIEF.md'], /not a folder/],
      [['new', 'finding'], /'new finding' needs a PHASE_ID/],
      [['new', 'finding', 'phase-9'], /no phase 'phase-9'/],
      [['new', 'finding', 'phase-1', 'phase-2'], /unexpected argument 'phase-2'/],
      [['new', 'finding', 'phase-1', '--workstream', 'W'], /does not apply to 'new finding'/],
      [['new', 'plan', 'nowhere'], /no such folder: nowhere/],
      [['new', 'plan', '--title', 'T'], /does not apply to 'new plan'/],
      [['new', 'plan', 'phase-1/00-PHASE_BRIEF.md'], /not a folder/],
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

  it('names paths in a refusal relative to the current folder, never absolute: the workspace when it is not the current folder, a template', async () => {
    const AUDIT = '/ws/examples/audit-deployment';
    const there = await run(['new', 'handoff', 'phase-9'], examplesFs(), AUDIT);
    assert.deepEqual([there.code, there.stderr], [2, "phasegate: no phase 'phase-9' in this workspace; its phases: phase-1, phase-2, phase-3\n"]);
    const below = await run(['new', 'response', 'phase-9'], examplesFs(), `${AUDIT}/phase-1`);
    assert.deepEqual(
      [below.code, below.stderr],
      [2, "phasegate: no phase 'phase-9' in this workspace (the workspace folder ..); its phases: phase-1, phase-2, phase-3\n"],
    );
    // A phase named by its folder alone, without its workstream: the id to write.
    const iai = await run(['new', 'response', 'Phase_1_Source_Code_Management'], examplesFs(), '/ws/examples/all_use_iai_project');
    assert.deepEqual(
      [iai.code, iai.stderr],
      [2, "phasegate: no phase 'Phase_1_Source_Code_Management' in this workspace: did you mean 'Build/Phase_1_Source_Code_Management'?\n"],
    );
    const none = await run(['new', 'handoff', 'phase-1'], examplesFs({ 'empty/notes.md': '# Notes\n' }), '/ws/empty');
    assert.match(none.stderr, /no phase 'phase-1' in this workspace; it has no phase yet/);
    const fsys = examplesFs({ 'examples/audit-deployment/.phasegate/templates/validation.md.hbs': '{{#if}}\n' });
    const broken = await run(['new', 'phase'], fsys, `${AUDIT}/phase-1`);
    assert.equal(broken.code, 2);
    assert.match(broken.stderr, /^phasegate: Template \.\.\/\.phasegate\/templates\/validation\.md\.hbs, line 2: [^\n/]*\n$/);
  });
});
