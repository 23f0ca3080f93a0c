/**
 * `phasegate new` refuses what it cannot create as asked, with a one-line reason (exit 2), and writes
 * nothing then: a workspace config with an error, a folder the scan leaves out, a target through a
 * symbolic link to outside the workspace, a title of several lines; a write that fails is not "skipped".
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SyncNodeFileSystem } from '../../server/src/node/sync-fs';
import { WritableMemoryFileSystem, readTree, run } from './helpers';

/** A real temporary folder holding `ws/` (the workspace) and `outside/`, removed after `body`. */
async function inTemp(body: (ws: string, outside: string) => Promise<void>): Promise<void> {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'phasegate-new-')));
  const ws = path.join(dir, 'ws');
  const outside = path.join(dir, 'outside');
  fs.mkdirSync(ws);
  fs.mkdirSync(outside);
  try {
    await body(ws, outside);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const SPRINTS =
  'layouts:\n  - name: sprint\n    phases: "sprints/sprint-*"\n    number: "sprint-(\\\\d+)"\n    documents:\n      - kind: brief\n        file: GOALS.md\n';

function memFs(files: Record<string, string>): WritableMemoryFileSystem {
  const m = new WritableMemoryFileSystem();
  for (const [rel, text] of Object.entries(files)) m.write(`/ws/${rel}`, text);
  return m;
}

describe('phasegate new: refusals', () => {
  it("a workspace phasegate.yaml with an error: exit 2 naming the file and line, nothing written (not another layout's documents)", async () => {
    const fsys = memFs({ 'phasegate.yaml': SPRINTS + '        requird: true\n', 'sprints/README.md': 'Sprints.\n' });
    const before = fsys.paths();
    const r = await run(['new', 'phase', 'sprints/sprint-1'], fsys);
    assert.equal(r.code, 2, r.stdout);
    assert.match(
      r.stderr,
      /^phasegate: invalid config phasegate\.yaml:8:9: layouts\[0\]\.documents\[0\]: `requird` is not an allowed key: did you mean `required`\?; nothing is created\n$/,
    );
    assert.deepEqual(fsys.paths(), before);
    // A templates folder outside the workspace is such an error too.
    const outside = memFs({ 'phasegate.yaml': 'templates: ../outside\n' });
    const o = await run(['new', 'phase'], outside);
    assert.equal(o.code, 2, o.stdout);
    assert.match(
      o.stderr,
      /^phasegate: invalid config phasegate\.yaml:1:12: templates folder '..\/outside' is outside the workspace; .*; nothing is created\n$/,
    );
    assert.deepEqual(outside.paths(), ['/ws/phasegate.yaml']);
  });

  it('names the place of the config problem as check does (file:line:col), also on its first line', async () => {
    const fsys = memFs({ 'phasegate.yaml': 'ignore: ["../x"]\n', 'sub/keep.txt': '' });
    const why = "ignore[0]: must be a glob inside the workspace folder, without '..'";
    const check = await run(['check'], fsys);
    assert.match(check.stdout, new RegExp(`^phasegate\\.yaml:1:10 {2}error {2}${why.replace(/[[\]]/g, '\\$&')} {2}\\[invalid-config\\]$`, 'm'));
    for (const [argv, cwd, file] of [
      [['new', 'phase'], '/ws', 'phasegate.yaml'],
      [['new', 'phase', '.'], '/ws/sub', '../phasegate.yaml'],
    ] as const) {
      const r = await run([...argv], fsys, cwd);
      assert.deepEqual([r.code, r.stdout, r.stderr], [2, '', `phasegate: invalid config ${file}:1:10: ${why}; nothing is created\n`], cwd);
    }
    // A config named by --config is named as given; one that cannot be read is named whole (not by its base name).
    fsys.write('/ci/strict.yaml', 'rules:\n  bogus: error\n');
    const given = await run(['new', 'phase', '--config', '../ci/strict.yaml'], fsys);
    assert.equal(given.stderr, 'phasegate: invalid config ../ci/strict.yaml:2:3: rules: `bogus` is not a known rule id; nothing is created\n');
    const folder = await run(['new', 'phase', '--config', '/ci'], fsys);
    assert.deepEqual([folder.code, folder.stderr], [2, 'phasegate: config /ci cannot be read: it is a folder; nothing is created\n']);
    assert.deepEqual(fsys.paths().sort(), ['/ci/strict.yaml', '/ws/phasegate.yaml', '/ws/sub/keep.txt']);
  });

  it('a phase or workstream in a folder the scan leaves out (dist, a hidden one, an ignore glob): exit 2 with the reason, nothing written', async () => {
    const fsys = memFs({ 'phasegate.yaml': 'ignore: ["old/**"]\n' });
    const cases: [string[], string][] = [
      [['new', 'prompt', '--workstream', 'dist', '--title', 'Packaging'], 'it lies in dist, a folder Phasegate does not look into'],
      [['new', 'phase', '--workstream', '.ops', '--title', 'Deploy'], 'it lies in .ops, a folder Phasegate does not look into'],
      [['new', 'phase', 'old/phase-1'], 'it matches "old/**" of ignore in phasegate.yaml'],
    ];
    for (const [argv, why] of cases) {
      const r = await run(argv, fsys);
      assert.equal(r.code, 2, argv.join(' '));
      assert.equal(r.stdout, '');
      assert.ok(r.stderr.startsWith('phasegate: ') && r.stderr.includes(`would not be checked: ${why}; nothing is created`), r.stderr);
    }
    assert.deepEqual(fsys.paths(), ['/ws/phasegate.yaml']);
  });

  it('the next phase number whose folder an ignore glob leaves out (phase 3 on disk): passed over, the new phase is phase 4, phase-3 untouched', async () => {
    const fsys = memFs({
      'phasegate.yaml': 'ignore: ["phase-3/**"]\n',
      'phase-1/00-PHASE_BRIEF.md': '# Phase 1 Brief\n',
      'phase-2/00-PHASE_BRIEF.md': '# Phase 2 Brief\n',
      'phase-3/00-PHASE_BRIEF.md': '# Phase 3 Brief\n',
    });
    const r = await run(['new', 'phase'], fsys);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    const lines = r.stdout.split('\n');
    assert.equal(
      lines[0],
      'skipped  phase-3  (not the new phase: it matches "phase-3/**" of ignore in phasegate.yaml; the new phase is phase-4, and nothing in phase-3 is overwritten)',
    );
    assert.equal(lines[1], 'created  phase-4/00-PHASE_BRIEF.md');
    assert.deepEqual(
      fsys.paths().filter((p) => p.startsWith('/ws/phase-3/')),
      ['/ws/phase-3/00-PHASE_BRIEF.md'],
    );
    assert.equal(new TextDecoder().decode(await fsys.readFile('/ws/phase-3/00-PHASE_BRIEF.md')), '# Phase 3 Brief\n');
  });

  it('a target through a symbolic link to outside the workspace is not created and is named on stderr (exit 2)', async () => {
    await inTemp(async (ws, outside) => {
      const nfs = new SyncNodeFileSystem();
      assert.equal((await run(['new', 'phase'], nfs, ws)).code, 0);
      fs.rmSync(path.join(ws, 'phase-1', '03-FINDINGS'), { recursive: true });
      fs.mkdirSync(path.join(outside, 'findings'));
      fs.symlinkSync(path.join(outside, 'findings'), path.join(ws, 'phase-1', '03-FINDINGS'));
      const finding = await run(['new', 'finding', 'phase-1', '--title', 'Leak'], nfs, ws);
      assert.equal(finding.code, 2, finding.stdout);
      assert.equal(finding.stdout, '');
      assert.equal(finding.stderr, `phasegate: phase-1/03-FINDINGS/leak.md is not created: it leads outside the workspace folder (to ${outside}/findings)\n`);
      // A phase folder that is a link to elsewhere gets nothing.
      fs.mkdirSync(path.join(outside, 'phase'));
      fs.symlinkSync(path.join(outside, 'phase'), path.join(ws, 'phase-2'));
      const phase = await run(['new', 'phase', 'phase-2'], nfs, ws);
      assert.equal(phase.code, 2, phase.stdout);
      assert.match(phase.stderr, /^phasegate: phase-2\/00-PHASE_BRIEF\.md is not created: it leads outside the workspace folder/);
      assert.deepEqual(readTree(outside), {});
    });
  });

  it('a .phasegate/templates folder that is a link to outside the workspace: new exits 2 with the reason, check reports it as invalid-config', async () => {
    await inTemp(async (ws, outside) => {
      const nfs = new SyncNodeFileSystem();
      fs.writeFileSync(path.join(outside, 'brief.md.hbs'), '# HOUSE TEMPLATE\n');
      fs.mkdirSync(path.join(ws, '.phasegate'));
      fs.symlinkSync(outside, path.join(ws, '.phasegate', 'templates'));
      const why =
        "templates folder '.phasegate/templates' leads outside the workspace through a symbolic link; it is not read and the built-in templates apply";
      const r = await run(['new', 'phase'], nfs, ws);
      assert.equal(r.code, 2, r.stdout);
      assert.equal(r.stderr, `phasegate: .phasegate/templates: ${why}; nothing is created\n`);
      assert.ok(!fs.existsSync(path.join(ws, 'phase-1')));
      const check = await run(['check', '--format', 'json'], nfs, ws);
      assert.equal(check.code, 1);
      const diags = (JSON.parse(check.stdout) as { diagnostics: { file: string; code: string; message: string }[] }).diagnostics;
      assert.deepEqual(
        diags.map((d) => [d.file, d.code, d.message]),
        [['.phasegate/templates', 'invalid-config', why]],
      );
      // With a config file (without a templates key), the problem is the config's.
      fs.writeFileSync(path.join(ws, 'phasegate.yaml'), 'rules: {}\n');
      const again = await run(['new', 'phase'], nfs, ws);
      assert.equal(again.code, 2);
      assert.equal(again.stderr, `phasegate: invalid config phasegate.yaml:1:1: ${why}; nothing is created\n`);
    });
  });

  it('a file that cannot be written is not "skipped (already exists)": it is named on stderr with the reason (exit 2)', async () => {
    await inTemp(async (ws) => {
      fs.writeFileSync(path.join(ws, 'phasegate.yaml'), SPRINTS + '      - kind: retro\n        file: docs/RETRO.md\n        sections: [What went well]\n');
      fs.mkdirSync(path.join(ws, 'sprints', 'sprint-1'), { recursive: true });
      // A file where the layout wants a folder.
      fs.writeFileSync(path.join(ws, 'sprints', 'sprint-1', 'docs'), 'some notes\n');
      const r = await run(['new', 'phase', 'sprints/sprint-1'], new SyncNodeFileSystem(), ws);
      assert.equal(r.code, 2);
      assert.equal(r.stdout, 'created  sprints/sprint-1/GOALS.md\n');
      assert.equal(r.stderr, 'phasegate: could not create sprints/sprint-1/docs/RETRO.md: sprints/sprint-1/docs is a file, not a folder\n');
    });
  });

  it('a file where a phase folder belongs (03-FINDINGS) is not "skipped (already exists)": it is named on stderr (exit 2), and check says so', async () => {
    await inTemp(async (ws) => {
      fs.mkdirSync(path.join(ws, 'phase-1'));
      fs.writeFileSync(path.join(ws, 'phase-1', '00-PHASE_BRIEF.md'), '# Phase 1: Audit\n');
      fs.writeFileSync(path.join(ws, 'phase-1', '03-FINDINGS'), 'some notes\n');
      const r = await run(['new', 'phase', 'phase-1'], new SyncNodeFileSystem(), ws);
      assert.equal(r.code, 2);
      assert.doesNotMatch(r.stdout, /03-FINDINGS/);
      assert.match(r.stdout, /created {2}phase-1\/04-ARTIFACTS\/\.gitkeep\n/);
      assert.equal(r.stderr, 'phasegate: could not create phase-1/03-FINDINGS/.gitkeep: phase-1/03-FINDINGS is a file, not a folder\n');
      const check = await run(['check', '--format', 'json'], new SyncNodeFileSystem(), ws);
      const diags = (JSON.parse(check.stdout) as { diagnostics: { code: string; message: string }[] }).diagnostics;
      assert.deepEqual(
        diags.filter((d) => d.code === 'missing-folder').map((d) => d.message),
        ['phase-1 has no 03-FINDINGS/ folder, for audit findings and analysis: 03-FINDINGS is a file, not a folder.'],
      );
    });
  });

  it('a folder where a phase document belongs (05-DECISIONS.md/) is not "skipped (already exists)": it is named on stderr (exit 2), and check says so', async () => {
    await inTemp(async (ws) => {
      fs.mkdirSync(path.join(ws, 'phase-1', '05-DECISIONS.md'), { recursive: true });
      fs.writeFileSync(path.join(ws, 'phase-1', '00-PHASE_BRIEF.md'), '# Phase 1: Audit\n');
      const r = await run(['new', 'phase', 'phase-1'], new SyncNodeFileSystem(), ws);
      assert.equal(r.code, 2);
      assert.doesNotMatch(r.stdout, /05-DECISIONS/);
      assert.match(r.stdout, /created {2}phase-1\/06-OUTPUT_HANDOFF\.md\n/);
      assert.equal(r.stderr, 'phasegate: could not create phase-1/05-DECISIONS.md: phase-1/05-DECISIONS.md is a folder, not a file\n');
      fs.rmSync(path.join(ws, 'phase-1', '06-OUTPUT_HANDOFF.md'));
      const check = await run(['check', '--format', 'json'], new SyncNodeFileSystem(), ws);
      const diags = (JSON.parse(check.stdout) as { diagnostics: { code: string; message: string; severity: string }[] }).diagnostics;
      assert.deepEqual(
        diags.filter((d) => d.code === 'missing-document').map((d) => [d.severity, d.message]),
        [
          ['error', 'phase-1 has no decisions (05-DECISIONS.md): 05-DECISIONS.md is a folder, not a file.'],
          ['error', 'phase-1 has no output handoff (06-OUTPUT_HANDOFF.md).'],
        ],
      );
    });
  });

  it('new phase PATH that does not exist, whose nearest folder is no workspace: exit 2 naming it, and that folder is not scanned', async () => {
    // A folder listed for the refused PATH would be `/`: the whole file system, for a mistyped `/nonexistent/x`.
    class Listing extends WritableMemoryFileSystem {
      readonly listed: string[] = [];
      override async readDirectory(p: string) {
        this.listed.push(p);
        return super.readDirectory(p);
      }
    }
    const fsys = new Listing();
    const files: Record<string, string> = {
      '/ws/phase-1/00-PHASE_BRIEF.md': '# Phase 1: Audit\n',
      '/data/big/notes.txt': '',
      '/data/cfg/phasegate.yaml': SPRINTS,
      '/data/cfg/sprints/sprint-1/GOALS.md': '# Goals\n',
      '/data/audit/phase-1/00-PHASE_BRIEF.md': '# Phase 1: Audit\n',
      '/data/plain/keep.txt': '',
      '/ci/sprints.yaml': SPRINTS,
    };
    for (const [f, t] of Object.entries(files)) fsys.write(f, t);
    const before = fsys.paths();
    for (const [path, folder, abs] of [
      ['/nonexistent/x', '/', '/'],
      ['/data/big/phase-9', '/data/big', '/data/big'],
      ['../data/plain/sub/phase-1', '../data/plain', '/data/plain'],
    ]) {
      fsys.listed.length = 0;
      const r = await run(['new', 'phase', path], fsys);
      assert.equal(r.code, 2, `${path}: ${r.stdout}`);
      assert.equal(r.stderr, `phasegate: path not found: ${path} (its nearest existing folder, ${folder}, is no workspace: no phasegate.yaml, no phases)\n`);
      // That folder is looked into for phases, nothing more: no scan.
      assert.deepEqual([...new Set(fsys.listed)], [abs], path);
    }
    // With --config, a folder its globs do not name as a workspace is none either.
    const cfg = await run(['new', 'phase', '--config', '/ci/sprints.yaml', '/nonexistent/sprints/sprint-1'], fsys);
    assert.equal(cfg.code, 2, cfg.stdout);
    assert.match(cfg.stderr, /^phasegate: path not found: \/nonexistent\/sprints\/sprint-1 \(its nearest existing folder, \/, is no workspace/);
    assert.deepEqual(fsys.paths(), before);
    // A workspace is found as before: by its config, by the phases it holds, by --config's globs, or the current folder.
    for (const [args, created] of [
      [['/data/cfg/sprints/sprint-2'], '/data/cfg/sprints/sprint-2/GOALS.md'],
      [['/data/audit/phase-2'], '/data/audit/phase-2/00-PHASE_BRIEF.md'],
      [['--config', '/ci/sprints.yaml', '/data/plain/sprints/sprint-1'], '/data/plain/sprints/sprint-1/GOALS.md'],
      [['fresh/phase-1'], '/ws/fresh/phase-1/00-PHASE_BRIEF.md'],
    ] as const) {
      const r = await run(['new', 'phase', ...args], fsys);
      assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
      assert.ok(fsys.has(created), `${args.join(' ')}: ${r.stdout}`);
    }
  });

  it('new plan where the phases are audit phases and there is no iAI project: exit 2 naming the layout, no plan written', async () => {
    const fsys = memFs({
      'phase-1/00-PHASE_BRIEF.md': '# Phase 1: Audit\n',
      'phase-1/04-ARTIFACTS/report.md': '# Report\n',
      'phase-2/00-PHASE_BRIEF.md': '# Phase 2: Testing\n',
    });
    const before = fsys.paths();
    const plan =
      "project_implementation_plan.md is the iAI layout's plan, a row for each phase in workstreams/, and lists no audit phase (their status: 'phasegate status'); nothing is created";
    for (const [argv, message] of [
      [
        ['new', 'plan'],
        `the workspace folder holds phases of the audit layout (phase-1, phase-2) and no iAI project: ${plan} (an iAI project here starts with its first phase: 'phasegate new phase --layout iai --workstream W')`,
      ],
      [['new', 'plan', 'phase-1'], `phase-1 is a phase of the audit layout, not an iAI project: ${plan}`],
      [['new', 'plan', 'phase-1/04-ARTIFACTS'], `phase-1/04-ARTIFACTS lies in phase-1, a phase of the audit layout, not in an iAI project: ${plan}`],
    ] as const) {
      const r = await run([...argv], fsys);
      assert.deepEqual([r.code, r.stdout, r.stderr], [2, '', `phasegate: ${message}\n`], argv.join(' '));
    }
    assert.deepEqual(fsys.paths(), before);
    // Beside them, a folder of its own (or one with workstreams/) is an iAI project to be: it gets its plan.
    fsys.write('/ws/project/README.md', 'The project.\n');
    const r = await run(['new', 'plan', 'project'], fsys);
    assert.deepEqual([r.code, r.stdout, r.stderr], [0, 'created  project/project_implementation_plan.md\n', '']);
  });

  it("a document the phase's layout has not: exit 2 naming the layout's documents (was: its kind id alone, `output-handoff`)", async () => {
    const fsys = memFs({
      'phase-1/00-PHASE_BRIEF.md': '# Phase 1: Audit\n',
      'workstreams/Build/Phase_1_Setup/implementation_prompt.md': '# Build Phase 1: Setup\n',
    });
    const before = fsys.paths();
    const handoff = await run(['new', 'handoff', 'Build/Phase_1_Setup'], fsys);
    assert.deepEqual(
      [handoff.code, handoff.stderr],
      [
        2,
        "phasegate: Build/Phase_1_Setup (iai layout) has no output handoff document: the iai layout's documents are implementation_prompt.md (prompt) and implementation_response_from_AI.md (response)\n",
      ],
    );
    const response = await run(['new', 'response', 'phase-1'], fsys);
    assert.equal(response.code, 2);
    assert.match(
      response.stderr,
      /^phasegate: phase-1 \(audit layout\) has no response document: the audit layout's documents are 00-PHASE_BRIEF\.md \(brief\), 01-INPUT_HANDOFF\.md \(input handoff\), .* and 07-VALIDATION\.md \(validation\)\n$/,
    );
    assert.deepEqual(fsys.paths(), before);
  });

  it('a title of several lines: exit 2, nothing written', async () => {
    const fsys = memFs({});
    const r = await run(['new', 'phase', '--title', 'Auth\n## Objectives\n- done'], fsys);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, 'phasegate: a title is one line: "Auth\\n## Objectives\\n- done" has a line break\n');
    assert.deepEqual(fsys.paths(), []);
  });

  describe('a name there in another case', () => {
    const WHY = '(names match case-sensitively on every system, as CI on Linux does)';

    it('new prompt beside Workstreams/: exit 2 naming it and what to rename it to, no workstreams/ made beside it', async () => {
      await inTemp(async (ws) => {
        fs.mkdirSync(path.join(ws, 'Workstreams/Build/Phase_1_Setup'), { recursive: true });
        fs.writeFileSync(path.join(ws, 'Workstreams/Build/Phase_1_Setup/implementation_prompt.md'), '# Phase 1: Setup\n');
        const before = readTree(ws);
        const r = await run(['new', 'prompt', '--workstream', 'Build', '--title', 'X'], new SyncNodeFileSystem(), ws);
        assert.deepEqual(
          [r.code, r.stdout, r.stderr],
          [2, '', `phasegate: Workstreams/ is named in another case than workstreams/ ${WHY}: rename it workstreams; nothing is created\n`],
        );
        assert.deepEqual(readTree(ws), before);
        assert.deepEqual(fs.readdirSync(ws), ['Workstreams']);
      });
    });

    it('new finding beside 03-findings/, new handoff beside 06-output_handoff.md, new plan beside Project_Implementation_Plan.md: exit 2, nothing written', async () => {
      const fsys = memFs({
        'phase-1/00-PHASE_BRIEF.md': '# Phase 1: Setup\n',
        'phase-1/03-findings/a.md': '# A\n',
        'phase-1/06-output_handoff.md': '# Out\n',
        'Project_Implementation_Plan.md': '# Plan\n',
      });
      const before = fsys.paths();
      for (const [argv, existing, wanted] of [
        [['new', 'finding', 'phase-1', '--title', 'Leak'], 'phase-1/03-findings/', 'phase-1/03-FINDINGS/'],
        [['new', 'handoff', 'phase-1'], 'phase-1/06-output_handoff.md', 'phase-1/06-OUTPUT_HANDOFF.md'],
        [['new', 'plan'], 'Project_Implementation_Plan.md', 'project_implementation_plan.md'],
      ] as const) {
        const r = await run([...argv], fsys);
        const name = wanted.replace(/\/$/, '').split('/').pop();
        assert.deepEqual(
          [r.code, r.stdout, r.stderr],
          [2, '', `phasegate: ${existing} is named in another case than ${wanted} ${WHY}: rename it ${name}; nothing is created\n`],
          argv.join(' '),
        );
      }
      assert.deepEqual(fsys.paths(), before);
    });
  });
});
