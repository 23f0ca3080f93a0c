/**
 * `phasegate new`: a PATH that names the new phase folder itself, the new iAI phase's row in the
 * project plan, and the phase title taken from the prompt (for the response, `status` and JSON).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SyncNodeFileSystem } from '../../server/src/node/sync-fs';
import { WritableMemoryFileSystem, examplesFs, run } from './helpers';

const IAI = '/ws/examples/all_use_iai_project';
const PLAN = `${IAI}/project_implementation_plan.md`;
const P3 = 'workstreams/Build/Phase_3_Advanced_CI_Artifact_Management';

/** Error-severity diagnostics of `check` at `cwd`, as "file code" lines. */
async function errors(fsys: WritableMemoryFileSystem, cwd: string): Promise<string[]> {
  const r = await run(['check', '--format', 'json'], fsys, cwd);
  const json = JSON.parse(r.stdout) as { diagnostics: { file: string; code: string; severity: string }[] };
  return json.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.file} ${d.code}`);
}

function planCodes(json: string): string[] {
  const r = JSON.parse(json) as { diagnostics: { file: string; code: string; message: string }[] };
  return r.diagnostics.filter((d) => d.file.endsWith('project_implementation_plan.md')).map((d) => `${d.code}: ${d.message}`);
}

describe('phasegate new: a PATH that names the new phase', () => {
  it('audit: `new phase phase-2` creates phase-2 itself (not phase-2/phase-1), which check accepts', async () => {
    const fsys = new WritableMemoryFileSystem();
    fsys.write('/ws/README.md', '# Project\n');
    assert.equal((await run(['new', 'phase', '--title', 'Foundation Audit'], fsys)).code, 0);
    const r = await run(['new', 'phase', '--title', 'Testing', 'phase-2'], fsys);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^created {2}phase-2\/00-PHASE_BRIEF\.md$/m);
    assert.ok(!fsys.paths().some((p) => p.startsWith('/ws/phase-2/phase-')), fsys.paths().join('\n'));
    assert.match(fsys.text('/ws/phase-2/00-PHASE_BRIEF.md') ?? '', /^# Phase 2: Testing$/m);
    assert.deepEqual(await errors(fsys, '/ws'), []);
    const status = await run(['status'], fsys);
    assert.match(status.stdout, /^phase-2\s+Testing\s+audit\s/m);
  });

  it('audit: a number another phase of the sequence has already is refused (exit 2, one line, nothing written)', async () => {
    const fsys = examplesFs();
    const before = fsys.paths().length;
    const r = await run(['new', 'phase', 'phase-02'], fsys, '/ws/examples/audit-deployment');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^phasegate: phase 2 exists already: phase-2 \(not creating phase-02 beside it\)\n$/);
    assert.equal(fsys.paths().length, before);
  });

  it('audit: an empty phase folder made by hand gets its documents', async () => {
    const fsys = examplesFs();
    fsys.write('/ws/examples/audit-deployment/phase-4/.keep', '');
    const r = await run(['new', 'phase', 'phase-4', '--title', 'Infrastructure as Code'], fsys, '/ws/examples/audit-deployment');
    assert.equal(r.code, 0, r.stderr);
    assert.match(fsys.text('/ws/examples/audit-deployment/phase-4/00-PHASE_BRIEF.md') ?? '', /^# Phase 4: Infrastructure as Code$/m);
    assert.ok(!fsys.paths().some((p) => /phase-5/.test(p)));
  });

  it("custom layout: a PATH its globs name is a phase of that layout, with the layout's documents; beside its phases, the next one", async () => {
    const fsys = new WritableMemoryFileSystem();
    fsys.write(
      '/ws/phasegate.yaml',
      [
        'layouts:',
        '  - name: sprint',
        '    phases: "sprints/sprint-*"',
        "    number: 'sprint-(\\d+)'",
        '    documents:',
        '      - kind: brief',
        '        file: GOALS.md',
        '        sections: [Objectives, Scope, Deliverables]',
        '    gates:',
        '      - name: Review',
        '        failOn: [missing-section]',
        '',
      ].join('\n'),
    );
    fsys.write('/ws/sprints/sprint-1/GOALS.md', '# Sprint 1\n\n## Objectives\n\nShip.\n\n## Scope\n\nAll.\n\n## Deliverables\n\n- A\n');
    let r = await run(['new', 'phase', '--title', 'Hardening', 'sprints/sprint-2'], fsys);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.stdout.trim().split('\n'), ['created  sprints/sprint-2/GOALS.md']);
    assert.match(fsys.text('/ws/sprints/sprint-2/GOALS.md') ?? '', /^# Phase 2: Hardening$/m);
    // Beside them (the folder holding them, or no PATH at all): the next number, named as they are.
    r = await run(['new', 'phase', 'sprints'], fsys);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(fsys.has('/ws/sprints/sprint-3/GOALS.md'), fsys.paths().join('\n'));
    r = await run(['new', 'phase'], fsys);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(fsys.has('/ws/sprints/sprint-4/GOALS.md'), fsys.paths().join('\n'));
    assert.ok(!fsys.paths().some((p) => /\/phase-\d+\//.test(p)), 'no audit phase made');
    // Named by --layout, the layout's next phase; a name the workspace does not have is refused with the ones it has.
    r = await run(['new', 'phase', '--layout', 'sprint'], fsys);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(fsys.has('/ws/sprints/sprint-5/GOALS.md'), fsys.paths().join('\n'));
    r = await run(['new', 'phase', '--layout', 'waterfall'], fsys);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, "phasegate: no layout 'waterfall' in this workspace (layouts: audit, iai, sprint)\n");
    r = await run(['new', 'phase', '--layout', 'sprint', '--workstream', 'W'], fsys);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--workstream applies to iai phases only/);
    // A number taken: refused.
    r = await run(['new', 'phase', 'sprints/sprint-03'], fsys);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /phase 3 exists already/);
    const status = await run(['status', '--format', 'json'], fsys);
    const phases = (JSON.parse(status.stdout) as { phases: { id: string; layout: string }[] }).phases;
    assert.deepEqual(
      phases.map((p) => [p.id, p.layout]),
      [1, 2, 3, 4, 5].map((n) => [`sprints/sprint-${n}`, 'sprint']),
    );
    assert.deepEqual(await errors(fsys, '/ws'), []);
  });

  it("custom layout: a kind without a template is written with the new phase's number in its heading and sections", async () => {
    const fsys = new WritableMemoryFileSystem();
    fsys.write(
      '/ws/phasegate.yaml',
      [
        'layouts:',
        '  - name: sprint',
        '    phases: "sprints/sprint-*"',
        '    documents:',
        '      - kind: goals',
        '        file: GOALS.md',
        '        heading: "Sprint {N} Goals"',
        '        sections:',
        '          - Objectives',
        '          - title: "Carry-over to sprint {N+1}"',
        '            description: What the next sprint inherits',
        '    folders:',
        '      - name: artifacts',
        '        required: true',
        '    gates:',
        '      - name: Done',
        '        failOn: [missing-section, empty-section, missing-folder, heading-mismatch, unfilled-placeholder]',
        '',
      ].join('\n'),
    );
    fsys.write('/ws/sprints/sprint-1/GOALS.md', '# Sprint 1 Goals\n\n## Objectives\nx\n\n## Carry-over to sprint 2\nnothing\n');
    fsys.write('/ws/sprints/sprint-1/artifacts/.gitkeep', '');
    for (const argv of [
      ['new', 'phase', 'sprints'],
      ['new', 'phase', 'sprints/sprint-3'],
    ]) {
      const r = await run(argv, fsys);
      assert.equal(r.code, 0, r.stderr);
    }
    for (const n of [2, 3]) {
      assert.equal(
        fsys.text(`/ws/sprints/sprint-${n}/GOALS.md`),
        `# Sprint ${n} Goals\n\n## Objectives\n\n[Content]\n\n## Carry-over to sprint ${n + 1}\n\n[What the next sprint inherits]\n`,
      );
      // Nothing to fix but its placeholders.
      const check = await run(['check', '--format', 'json', `sprints/sprint-${n}`], fsys);
      const found = (JSON.parse(check.stdout) as { diagnostics: { code: string }[] }).diagnostics.map((d) => d.code);
      assert.deepEqual(found, ['unfilled-placeholder', 'unfilled-placeholder'], check.stdout);
    }
  });

  it('custom layout from a --config file kept elsewhere: the new phase goes where its globs name it', async () => {
    const fsys = new WritableMemoryFileSystem({
      '/repo/cfg/phasegate.yaml': [
        'layouts:',
        '  - name: sprint',
        '    phases: "sprints/*"',
        '    documents:',
        '      - kind: goals',
        '        file: GOALS.md',
        '        sections: [Objectives]',
        '',
      ].join('\n'),
      '/repo/ws/sprints/sprint-1/GOALS.md': '# Sprint 1\n\n## Objectives\nx\n',
    });
    let r = await run(['new', 'phase', '--config', '../../cfg/phasegate.yaml'], fsys, '/repo/ws/sprints');
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.stdout.trim().split('\n'), ['created  sprint-2/GOALS.md']);
    r = await run(['new', 'phase', '--config', 'cfg/phasegate.yaml', 'ws/sprints/sprint-3'], fsys, '/repo');
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.stdout.trim().split('\n'), ['created  ws/sprints/sprint-3/GOALS.md']);
    assert.ok(!fsys.paths().some((p) => /phase-\d/.test(p)), fsys.paths().join('\n'));
  });

  it('a PATH that is no phase name still makes a new folder of phases', async () => {
    const fsys = new WritableMemoryFileSystem();
    fsys.write('/ws/README.md', '# Project\n');
    const r = await run(['new', 'phase', 'audit'], fsys);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(fsys.has('/ws/audit/phase-1/00-PHASE_BRIEF.md'));
  });

  it('iAI: a new Phase_N_… folder under a workstream is that phase, titled by its name; a taken number is refused', async () => {
    const fsys = examplesFs();
    const r = await run(['new', 'phase', `${P3.replace('Phase_3_Advanced_CI_Artifact_Management', 'Phase_3_Advanced_CI')}`], fsys, IAI);
    assert.equal(r.code, 0, r.stderr);
    const prompt = fsys.text(`${IAI}/workstreams/Build/Phase_3_Advanced_CI/implementation_prompt.md`) ?? '';
    assert.match(prompt, /^# Build Phase 3: Advanced CI — Implementation Prompt$/m);
    assert.ok(!fsys.paths().some((p) => p.includes('Phase_3_Advanced_CI/') && p.includes('Phase_1')));
    const dup = await run(['new', 'phase', 'workstreams/Build/Phase_2_Containers'], fsys, IAI);
    assert.equal(dup.code, 2);
    assert.match(dup.stderr, /phase 2 exists already: .*Phase_2_Dependency_Management_Containerization/);
    assert.ok(!fsys.paths().some((p) => p.includes('Phase_2_Containers')));
  });
});

describe('phasegate new: the new iAI phase in the project plan', () => {
  it('leaves a plan that cannot be read (binary, not UTF-8) as it is, and says on stderr that the row is not added', async () => {
    for (const [bytes, why] of [
      [new TextEncoder().encode('# Plan\n\0'), 'binary content'],
      [new Uint8Array([0x23, 0x20, 0xc3, 0x28, 0x0a]), 'UTF-8'],
    ] as const) {
      const fsys = examplesFs();
      fsys.write(PLAN, bytes);
      const r = await run(['new', 'prompt', '--workstream', 'Build', '--title', 'Advanced CI'], fsys, IAI);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, `created  ${P3.replace('_Artifact_Management', '')}/implementation_prompt.md\n`);
      assert.match(
        r.stderr,
        new RegExp(
          `^phasegate: warning: project_implementation_plan\\.md is not updated: it cannot be read \\(.*${why}.*\\): the row of Build/Phase_3_Advanced_CI is not added\\n$`,
        ),
      );
      assert.deepEqual(await fsys.readFile(PLAN), bytes);
    }
  });

  it('adds the row to the Phase Status table, keeping every other byte, and says so', async () => {
    const fsys = examplesFs();
    const before = fsys.text(PLAN)!;
    const r = await run(['new', 'prompt', '--workstream', 'Build', '--title', 'Advanced CI & Artifact Management'], fsys, IAI);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      r.stdout,
      `created  ${P3}/implementation_prompt.md\nupdated  project_implementation_plan.md  (row of Build/Phase_3_Advanced_CI_Artifact_Management added)\n`,
    );
    // After Build's last row, before Test's.
    const row = '| Build | Phase_3_Advanced_CI_Artifact_Management | Not started |';
    const test = '| Test | Phase_1_Unit_Integration_Testing | Complete |\n';
    assert.equal(fsys.text(PLAN), before.replace(test, `${row}\n${test}`));
    // The plan rule matches the row: no plan-status-mismatch.
    const check = await run(['check', '--format', 'json', '.'], fsys, IAI);
    assert.deepEqual(planCodes(check.stdout), []);
  });

  it('writes the row in the plan’s own format: line endings, byte order mark, padding, outer pipes, status words, links', async () => {
    const plan = [
      '\ufeff# Plan',
      '',
      '## Phase Status',
      '',
      'Stream | Phase                                 | Status     | Title',
      '------ | ------------------------------------- | ---------- | -----',
      'Build  | [Phase 1](workstreams/Build/Phase_1_Source_Code_Management/) | ✅ Done     | SCM',
      'Build  | [Phase 2](workstreams/Build/Phase_2_Dependency_Management_Containerization/) | ⏳ Pending  | Deps',
      'Test   | [Phase 1](workstreams/Test/Phase_1_Unit_Integration_Testing/) | ⏳ Pending  | Unit',
      '',
      'Notes after the table.',
    ].join('\r\n');
    const fsys = examplesFs();
    fsys.write(PLAN, plan);
    const r = await run(['new', 'prompt', '--workstream', 'Build', '--title', 'Advanced CI & Artifact Management'], fsys, IAI);
    assert.equal(r.code, 0, r.stderr);
    const after = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await fsys.readFile(PLAN));
    const row = `Build | [Phase 3](${P3}/) | ⏳ Pending | Advanced CI & Artifact Management`;
    const at = plan.indexOf('\r\nTest   |');
    assert.equal(after, plan.slice(0, at) + '\r\n' + row + plan.slice(at));
    const check = await run(['check', '--format', 'json', '.'], fsys, IAI);
    // The plan rule matches the new row (the plan's Pending rows of the example's complete phases are out of date, as
    // the rule says, which is not what this test is about).
    assert.deepEqual(
      planCodes(check.stdout).filter((c) => c.startsWith('plan-status-mismatch') && !c.includes('but it is complete')),
      [],
    );
  });

  it('pads the row of an aligned table and uses a status word of the plan’s case', async () => {
    const fsys = examplesFs();
    const text = fsys
      .text(PLAN)!
      .replace(
        /\| Workstream \| Phase \| Status \|[\s\S]*?\n\n/,
        [
          '| Workstream | Phase                                          | Status      |',
          '|------------|------------------------------------------------|-------------|',
          '| Build      | Phase_1_Source_Code_Management                 | Complete    |',
          '| Build      | Phase_2_Dependency_Management_Containerization | Complete    |',
          '| Test       | Phase_1_Unit_Integration_Testing               | In Progress |',
          '',
          '',
        ].join('\n'),
      );
    fsys.write(PLAN, text);
    const r = await run(['new', 'prompt', '--workstream', 'Test', '--title', 'E2E'], fsys, IAI);
    assert.equal(r.code, 0, r.stderr);
    assert.match(fsys.text(PLAN)!, /\| Test {7}\| Phase_1_Unit_Integration_Testing {15}\| In Progress \|\n\| Test {7}\| Phase_2_E2E {36}\| Not Started \|\n\n/);
  });

  it('never loses a change made to the plan after it was read: the row is added to the plan as it reads then', async () => {
    const fsys = examplesFs();
    fsys.changing.set(PLAN, (t) => t.replace('## Next Phases', '## Next Phases\n\n- Written meanwhile.'));
    const r = await run(['new', 'prompt', '--workstream', 'Build', '--title', 'Advanced CI'], fsys, IAI);
    assert.equal(r.code, 0, r.stderr);
    const after = fsys.text(PLAN)!;
    assert.match(after, /- Written meanwhile\./);
    assert.match(after, /^\| Build \| Phase_3_Advanced_CI \| Not started \|$/m);
  });

  it('replaces the row of placeholders `new plan` writes for a project without phases; a row a user wrote is kept', async () => {
    const fsys = new WritableMemoryFileSystem();
    fsys.write('/ws/proj/README.md', '# Project\n');
    assert.equal((await run(['new', 'plan'], fsys, '/ws/proj')).code, 0);
    const plan = '/ws/proj/project_implementation_plan.md';
    assert.match(fsys.text(plan)!, /^\| \[Workstream\] \| \[Phase\] \| Not started \|$/m);
    const r = await run(['new', 'prompt', '--workstream', 'Build', '--title', 'Source Code Management'], fsys, '/ws/proj');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^updated {2}project_implementation_plan\.md {2}\(row of Build\/Phase_1_Source_Code_Management added\)$/m);
    assert.match(fsys.text(plan)!, /\n\|---\|---\|---\|\n\| Build \| Phase_1_Source_Code_Management \| Not started \|\n$/);
    assert.equal((await run(['new', 'prompt', '--workstream', 'Build', '--title', 'Deps'], fsys, '/ws/proj')).code, 0);
    assert.match(fsys.text(plan)!, /\| Build \| Phase_1_Source_Code_Management \| Not started \|\n\| Build \| Phase_2_Deps \| Not started \|\n$/);
    const check = await run(['check', '--format', 'json', '.'], fsys, '/ws/proj');
    assert.deepEqual(planCodes(check.stdout), []);

    // A row with a placeholder the user filled in part of is theirs: the new row goes after it.
    const mine = new WritableMemoryFileSystem();
    mine.write('/ws/proj/README.md', '# Project\n');
    await run(['new', 'plan'], mine, '/ws/proj');
    mine.write(plan, mine.text(plan)!.replace('| [Workstream] | [Phase] |', '| Build | [Phase] |'));
    await run(['new', 'prompt', '--workstream', 'Build', '--title', 'Source Code Management'], mine, '/ws/proj');
    assert.match(mine.text(plan)!, /\| Build \| \[Phase\] \| Not started \|\n\| Build \| Phase_1_Source_Code_Management \| Not started \|\n$/);
  });

  it('adds no row for a phase the plan lists already, and touches nothing when there is no plan', async () => {
    const fsys = examplesFs();
    fsys.write(PLAN, fsys.text(PLAN)!.replace('| Test | Phase_1', '| Build | Phase 3: Advanced CI | Planned |\n| Test | Phase_1'));
    const before = fsys.text(PLAN);
    const r = await run(['new', 'prompt', '--workstream', 'Build', '--title', 'Advanced CI'], fsys, IAI);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'created  workstreams/Build/Phase_3_Advanced_CI/implementation_prompt.md\n');
    assert.equal(fsys.text(PLAN), before);

    const none = examplesFs();
    none.delete(PLAN);
    const paths = none.paths().length;
    const r2 = await run(['new', 'prompt', '--workstream', 'Build', '--title', 'Advanced CI'], none, IAI);
    assert.equal(r2.stdout, 'created  workstreams/Build/Phase_3_Advanced_CI/implementation_prompt.md\n');
    assert.equal(none.paths().length, paths + 1);
  });

  it('on disk: updates the plan in place (CRLF and byte order mark kept)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phasegate-new-'));
    try {
      const proj = path.join(dir, 'proj');
      fs.cpSync(path.join(__dirname, '../../../examples/all_use_iai_project'), proj, { recursive: true });
      const planFile = path.join(proj, 'project_implementation_plan.md');
      const crlf = '\ufeff' + fs.readFileSync(planFile, 'utf8').replace(/\n/g, '\r\n');
      fs.writeFileSync(planFile, crlf);
      const r = await run(['new', 'prompt', '--workstream', 'Build', '--title', 'Advanced CI'], new SyncNodeFileSystem(), proj.replace(/\\/g, '/'));
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^updated {2}project_implementation_plan\.md {2}\(row of Build\/Phase_3_Advanced_CI added\)$/m);
      const test = '| Test | Phase_1_Unit_Integration_Testing | Complete |\r\n';
      assert.equal(fs.readFileSync(planFile, 'utf8'), crlf.replace(test, `| Build | Phase_3_Advanced_CI | Not started |\r\n${test}`));
      assert.deepEqual(
        fs.readdirSync(proj).filter((f) => f.endsWith('.tmp')),
        [],
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('phasegate new: the new iAI phase in a project plan kept as checklists', () => {
  const LIST = [
    '## Phase Status',
    '',
    '### Build Workstream',
    '- [x] Phase 1: Source Code Management — Verified & Integrated',
    '- [x] Phase 2: Dependency Management & Containerization — Verified & Integrated',
    '- Reviewed weekly by the build lead.',
    '',
    '### Test Workstream',
    '- [x] [Phase_1_Unit_Integration_Testing](workstreams/Test/Phase_1_Unit_Integration_Testing/implementation_prompt.md)',
    '',
  ].join('\n');
  /** The example project with its plan's table as a checklist per workstream. */
  function listFs(eol = '\n'): WritableMemoryFileSystem {
    const fsys = examplesFs();
    fsys.write(
      PLAN,
      fsys
        .text(PLAN)!
        .replace(/## Phase Status\n\n\|[\s\S]*?\n\n/, LIST + '\n')
        .replace(/\n/g, eol),
    );
    return fsys;
  }

  it('reads the checklist as the table: no plan-status-mismatch for a plan that lists every phase', async () => {
    const fsys = listFs();
    assert.match(fsys.text(PLAN)!, /- \[x\] Phase 1: Source/);
    const check = await run(['check', '--format', 'json', '.'], fsys, IAI);
    assert.deepEqual(planCodes(check.stdout), []);
  });

  it('adds an item in the workstream’s list, as its neighbours are written, keeping every other byte (CRLF too)', async () => {
    for (const eol of ['\n', '\r\n']) {
      const fsys = listFs(eol);
      const before = fsys.text(PLAN)!;
      const r = await run(['new', 'prompt', '--workstream', 'Build', '--title', 'Advanced CI & Artifact Management'], fsys, IAI);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(
        r.stdout,
        `created  ${P3}/implementation_prompt.md\nupdated  project_implementation_plan.md  (item of Build/Phase_3_Advanced_CI_Artifact_Management added)\n`,
      );
      const last = `- [x] Phase 2: Dependency Management & Containerization — Verified & Integrated${eol}`;
      assert.equal(fsys.text(PLAN), before.replace(last, `${last}- [ ] Phase 3: Advanced CI & Artifact Management — Not started${eol}`));
      const check = await run(['check', '--format', 'json', '.'], fsys, IAI);
      assert.deepEqual(planCodes(check.stdout), []);
    }
  });

  it('gives a new workstream a list of its own after the last, headed as theirs; a link as its neighbour links', async () => {
    const fsys = listFs();
    const before = fsys.text(PLAN)!;
    const r = await run(['new', 'prompt', '--workstream', 'Test', '--title', 'E2E'], fsys, IAI);
    assert.equal(r.code, 0, r.stderr);
    const test = '- [x] [Phase_1_Unit_Integration_Testing](workstreams/Test/Phase_1_Unit_Integration_Testing/implementation_prompt.md)\n';
    const added = '- [ ] [Phase_2_E2E](workstreams/Test/Phase_2_E2E/implementation_prompt.md)\n';
    assert.equal(fsys.text(PLAN), before.replace(test, test + added));
    const r2 = await run(['new', 'prompt', '--workstream', 'Deploy', '--title', 'Environments'], fsys, IAI);
    assert.equal(r2.code, 0, r2.stderr);
    assert.equal(
      fsys.text(PLAN),
      before.replace(
        test,
        test + added + '\n### Deploy Workstream\n- [ ] [Phase_1_Environments](workstreams/Deploy/Phase_1_Environments/implementation_prompt.md)\n',
      ),
    );
    const check = await run(['check', '--format', 'json', '.'], fsys, IAI);
    assert.deepEqual(planCodes(check.stdout), []);
  });

  it('never loses a change made to the plan after it was read, and adds no item for a phase it lists already', async () => {
    const fsys = listFs();
    fsys.changing.set(PLAN, (t) => t.replace('- Reviewed weekly', '- [ ] Phase 9: Later — Planned\n- Reviewed weekly'));
    const r = await run(['new', 'prompt', '--workstream', 'Build', '--title', 'Advanced CI'], fsys, IAI);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^updated {2}project_implementation_plan\.md {2}\(item of Build\/Phase_3_Advanced_CI added\)$/m);
    // Planned again on the plan as it reads then: before the item of a greater number, the one written meanwhile.
    assert.match(fsys.text(PLAN)!, /Integrated\n- \[ \] Phase 3: Advanced CI — Planned\n- \[ \] Phase 9: Later — Planned\n- Reviewed weekly/);

    // An item written meanwhile that names the new phase is kept, and no second one is added.
    const other = listFs();
    other.changing.set(PLAN, (t) => t.replace('- Reviewed weekly', '- [ ] Phase 3: Advanced CI — Planned\n- Reviewed weekly'));
    const before = other.text(PLAN)!.replace('- Reviewed weekly', '- [ ] Phase 3: Advanced CI — Planned\n- Reviewed weekly');
    const r2 = await run(['new', 'prompt', '--workstream', 'Build', '--title', 'Advanced CI'], other, IAI);
    assert.equal(r2.code, 0, r2.stderr);
    assert.match(r2.stdout, /^skipped {2}project_implementation_plan\.md {2}\(it has that item already\)$/m);
    assert.equal(other.text(PLAN), before);
  });
});

describe('phasegate new: the phase title as the prompt gives it', () => {
  it('the response takes the prompt’s title ("&" kept); status and JSON show the title, not the whole H1', async () => {
    const fsys = examplesFs();
    await run(['new', 'prompt', '--workstream', 'Build', '--title', 'Advanced CI & Artifact Management'], fsys, IAI);
    const r = await run(['new', 'response', 'Build/Phase_3_Advanced_CI_Artifact_Management'], fsys, IAI);
    assert.equal(r.code, 0, r.stderr);
    const response = fsys.text(`${IAI}/${P3}/implementation_response_from_AI.md`) ?? '';
    assert.match(response, /^title: "Phase 3: Advanced CI & Artifact Management"$/m);
    assert.match(response, /^# Build Phase 3: Advanced CI & Artifact Management — Implementation Response$/m);
    const status = await run(['status', '.'], fsys, IAI);
    assert.match(status.stdout, /^Build\/Phase_3_Advanced_CI_Artifact_Management\s+Advanced CI & Artifact Management\s+iai\s/m);
    const json = JSON.parse((await run(['check', '--format', 'json', '.'], fsys, IAI)).stdout) as { phases: { id: string; title: string }[] };
    assert.equal(json.phases.find((p) => p.id === 'Build/Phase_3_Advanced_CI_Artifact_Management')?.title, 'Advanced CI & Artifact Management');
    // The bundled examples keep their titles.
    assert.equal(json.phases.find((p) => p.id === 'Build/Phase_1_Source_Code_Management')?.title, 'Source Code Management & Initial CI Setup');
  });
});
