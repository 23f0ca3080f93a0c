import * as assert from 'node:assert/strict';
import { examplesFs, lineOf, run, WritableMemoryFileSystem } from './helpers';
import { layoutRoot } from '../../server/src/cli/targets';

const A = 'examples/audit-deployment';
const P3V = `${A}/phase-3/07-VALIDATION.md`;

describe('phasegate check', () => {
  it('exits 0 on the bundled examples (warnings only) and prints a summary', async () => {
    const r = await run(['check', 'examples'], examplesFs());
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(r.stderr, '');
    assert.doesNotMatch(r.stdout, /\s error\s/);
    const last = r.stdout.trimEnd().split('\n').pop() ?? '';
    assert.match(last, /in 6 phases\.$/);
  });

  it('names the file it checked when the PATHs cover no phase (a project plan alone), not "0 phases"', async () => {
    const plan = 'examples/all_use_iai_project/project_implementation_plan.md';
    const r = await run(['check', plan], examplesFs());
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(r.stdout.trimEnd().split('\n').pop(), `✔ No problems in ${plan}.`);
    const both = await run(['check', plan, `${A}/phase-1/00-PHASE_BRIEF.md`], examplesFs());
    assert.match(both.stdout, /in 1 phase\.\n$/);
  });

  it('defaults PATH to the current directory', async () => {
    const r = await run(['check', '--format', 'json'], examplesFs(), '/ws/examples');
    assert.equal(r.code, 0);
    const out = JSON.parse(r.stdout) as { phases: { folder: string }[] };
    assert.equal(out.phases.length, 6);
    assert.ok(out.phases.some((p) => p.folder === 'audit-deployment/phase-1'));
  });

  it('exits 1 when a phase has an error-severity diagnostic, printed as file:line:col severity message [rule]', async () => {
    const fsys = examplesFs();
    fsys.delete(`/ws/${A}/phase-2/05-DECISIONS.md`);
    const r = await run(['check', 'examples'], fsys);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^examples\/audit-deployment\/phase-2\/00-PHASE_BRIEF\.md:1:1 {2}error {2}.*05-DECISIONS\.md.* {2}\[missing-document\]$/m);
    assert.match(r.stdout, /✖ \d+ problems \([1-9]\d* errors?, \d+ warnings?\) in 6 phases\.\n$/);
  });

  it('prints positions 1-based in text and 0-based in JSON', async () => {
    const fsys = examplesFs();
    const line = lineOf(fsys.text(`/ws/${P3V}`) ?? '', 'Worker and scheduler images build');
    const text = await run(['check', P3V], fsys);
    assert.match(text.stdout, new RegExp(`^${P3V}:${line + 1}:\\d+ {2}warning {2}.*Worker and scheduler.* {2}\\[gate-item-unchecked\\]$`, 'm'));
    const json = JSON.parse((await run(['check', P3V, '--format', 'json'], fsys)).stdout) as {
      diagnostics: { range: { start: { line: number } }; code: string; message: string }[];
    };
    const d = json.diagnostics.find((x) => x.code === 'gate-item-unchecked' && x.message.includes('Worker and scheduler'));
    assert.equal(d?.range.start.line, line);
  });

  it('prints JSON in exactly the shape of the CLI contract', async () => {
    const r = await run(['check', 'examples', '--format=json'], examplesFs());
    assert.equal(r.code, 0);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    assert.deepEqual(Object.keys(out), ['diagnostics', 'phases']);
    const diags = out.diagnostics as Record<string, unknown>[];
    assert.ok(diags.length > 0);
    for (const d of diags) {
      assert.deepEqual(Object.keys(d), ['file', 'range', 'severity', 'code', 'message']);
      assert.match(d.file as string, /^examples\/[^\\]+\.md$/);
      const range = d.range as { start: Record<string, number>; end: Record<string, number> };
      assert.deepEqual(Object.keys(range), ['start', 'end']);
      for (const p of [range.start, range.end]) {
        assert.deepEqual(Object.keys(p), ['line', 'character']);
        assert.ok(Number.isInteger(p.line) && p.line >= 0 && Number.isInteger(p.character) && p.character >= 0);
      }
      assert.ok(['error', 'warning', 'information', 'hint'].includes(d.severity as string));
      assert.match(d.code as string, /^[a-z]+(-[a-z]+)*$/);
      assert.equal(typeof d.message, 'string');
    }
    const phases = out.phases as Record<string, unknown>[];
    for (const p of phases) {
      assert.deepEqual(Object.keys(p), ['id', 'title', 'layout', 'folder', 'status', 'gates']);
      for (const g of p.gates as Record<string, unknown>[]) {
        assert.deepEqual(Object.keys(g), ['name', 'status']);
        assert.ok(['passed', 'failed', 'pending'].includes(g.status as string));
      }
    }
    const byId = new Map(phases.map((p) => [p.id, p]));
    assert.deepEqual(byId.get('phase-1'), {
      id: 'phase-1',
      title: 'Foundation Audit & Baseline',
      layout: 'audit',
      folder: 'examples/audit-deployment/phase-1',
      status: 'complete',
      gates: ['Completeness', 'Quality', 'Documentation', 'Testing', 'Review', 'Approval'].map((name) => ({ name, status: 'passed' })),
    });
    assert.equal(byId.get('phase-3')?.status, 'in-progress');
    const build1 = byId.get('Build/Phase_1_Source_Code_Management');
    assert.equal(build1?.title, 'Source Code Management & Initial CI Setup');
    assert.equal(build1?.layout, 'iai');
    assert.equal(build1?.folder, 'examples/all_use_iai_project/workstreams/Build/Phase_1_Source_Code_Management');
    assert.deepEqual(
      (build1?.gates as { name: string }[]).map((g) => g.name),
      ['Completeness', 'Tests', 'Proof'],
    );
  });

  it('counts each severity under its own name in the summary: information as info, hints as hints', async () => {
    const fsys = examplesFs({ 'examples/phasegate.yaml': 'rules:\n  gate-item-unchecked: hint\n' });
    const brief = `/ws/${A}/phase-3/00-PHASE_BRIEF.md`;
    fsys.write(brief, (fsys.text(brief) ?? '').replace(/^---\n[\s\S]*?\n---\n/, '')); // missing-front-matter: information
    const summaryOf = async () => (await run(['check', 'examples'], fsys)).stdout.trimEnd().split('\n').pop();
    assert.equal(await summaryOf(), '⚠ 7 problems (0 errors, 0 warnings, 1 info, 6 hints) in 6 phases.');
    fsys.write(`/ws/examples/phasegate.yaml`, 'rules:\n  gate-item-unchecked: hint\n  missing-front-matter: hint\n');
    assert.equal(await summaryOf(), '⚠ 7 problems (0 errors, 0 warnings, 7 hints) in 6 phases.');
    fsys.write(`/ws/examples/phasegate.yaml`, 'rules:\n  gate-item-unchecked: information\n  missing-front-matter: hint\n');
    assert.equal(await summaryOf(), '⚠ 7 problems (0 errors, 0 warnings, 6 info, 1 hint) in 6 phases.');
  });

  it('falls back to the folder name as a title when the brief has no H1', async () => {
    const fsys = new WritableMemoryFileSystem({ '/ws/phase-1/00-PHASE_BRIEF.md': '## Objectives\n\nA.\n' });
    const out = JSON.parse((await run(['check', '--format', 'json'], fsys)).stdout) as { phases: { title: string }[] };
    assert.equal(out.phases[0].title, 'phase-1');
  });

  it('reports only the phase folder given as PATH', async () => {
    const fsys = examplesFs();
    fsys.delete(`/ws/${A}/phase-1/05-DECISIONS.md`);
    assert.equal((await run(['check', 'examples'], fsys)).code, 1);
    const r = await run(['check', `${A}/phase-3`, '--format', 'json'], fsys);
    assert.equal(r.code, 0, 'the error in phase-1 is outside PATH');
    const out = JSON.parse(r.stdout) as { diagnostics: { file: string }[]; phases: { id: string }[] };
    assert.deepEqual(
      out.phases.map((p) => p.id),
      ['phase-3'],
    );
    assert.ok(out.diagnostics.length > 0);
    for (const d of out.diagnostics) assert.ok(d.file.startsWith(`${A}/phase-3/`), d.file);
  });

  it('reports only the single file given as PATH, with its phase, checked in its workspace', async () => {
    const fsys = examplesFs();
    // Phase 2's input handoff must still be compared with phase 1's output handoff: break the match.
    const p1 = `/ws/${A}/phase-1/06-OUTPUT_HANDOFF.md`;
    fsys.write(
      p1,
      (fsys.text(p1) ?? '').replace(
        '- Remediation roadmap: [04-ARTIFACTS/remediation-roadmap.md](04-ARTIFACTS/remediation-roadmap.md) - what Phase 2 fixes first.\n',
        '- Remediation roadmap: [04-ARTIFACTS/remediation-roadmap.md](04-ARTIFACTS/remediation-roadmap.md) - what Phase 2 fixes first.\n- Audit script: [04-ARTIFACTS/run-audit.sh](04-ARTIFACTS/run-audit.sh) - reruns the baseline.\n',
      ),
    );
    const r = await run(['check', `${A}/phase-2/01-INPUT_HANDOFF.md`, '--format', 'json'], fsys);
    const out = JSON.parse(r.stdout) as { diagnostics: { file: string; code: string }[]; phases: { id: string }[] };
    assert.deepEqual(
      out.phases.map((p) => p.id),
      ['phase-2'],
    );
    assert.ok(
      out.diagnostics.every((d) => d.file === `${A}/phase-2/01-INPUT_HANDOFF.md`),
      JSON.stringify(out.diagnostics),
    );
    assert.ok(
      out.diagnostics.some((d) => d.code === 'handoff-mismatch'),
      JSON.stringify(out.diagnostics),
    );
    assert.equal(r.code, 1);
    const p3 = await run(['check', P3V, '--format', 'json'], fsys);
    const out3 = JSON.parse(p3.stdout) as { diagnostics: { file: string }[]; phases: { id: string }[] };
    assert.deepEqual(
      out3.phases.map((p) => p.id),
      ['phase-3'],
    );
    assert.ok(out3.diagnostics.length > 0 && out3.diagnostics.every((d) => d.file === P3V));
  });

  it('accepts several PATHs and reports each once', async () => {
    const r = await run(['check', `${A}/phase-3`, P3V, 'examples/all_use_iai_project', '--format', 'json'], examplesFs());
    const out = JSON.parse(r.stdout) as { diagnostics: unknown[]; phases: { id: string }[] };
    assert.equal(out.phases.filter((p) => p.id === 'phase-3').length, 1);
    assert.equal(out.phases.length, 4);
    const keys = out.diagnostics.map((d) => JSON.stringify(d));
    assert.equal(new Set(keys).size, keys.length);
  });

  it('reports what lies in a nested workspace as that workspace does, whatever the order of the PATHs', async () => {
    // projects/a has its own phasegate.yaml, where missing documents are warnings; the root has none.
    const fsys = new WritableMemoryFileSystem({
      '/ws/projects/a/phasegate.yaml': [
        'rules:',
        '  missing-document: warning',
        'layouts:',
        '  - name: sprint',
        '    phases: "sprints/*"',
        '    documents:',
        '      - kind: goals',
        '        file: GOALS.md',
        '      - kind: review',
        '        file: REVIEW.md',
        '    gates:',
        '      - name: Done',
        '        failOn: [missing-document]',
        '',
      ].join('\n'),
      '/ws/projects/a/sprints/sprint-1/GOALS.md': '# Sprint 1\n',
      '/ws/projects/a/phase-1/00-PHASE_BRIEF.md': '# Phase 1: X\n\n## Objectives\nx\n',
      '/ws/phase-1/00-PHASE_BRIEF.md': '# Phase 1: Root\n\n## Objectives\nx\n',
    });
    type Out = { diagnostics: { file: string; severity: string; code: string }[]; phases: { folder: string; layout: string; status: string }[] };
    const json = async (...paths: string[]) => {
      const r = await run(['check', '--format', 'json', ...paths], fsys);
      return { code: r.code, out: JSON.parse(r.stdout) as Out };
    };
    const alone = await json('projects/a');
    const rootFirst = await json('.', 'projects/a');
    const innerFirst = await json('projects/a', '.');
    assert.deepEqual(innerFirst, rootFirst);
    assert.deepEqual(await json('projects/a/phase-1', '.'), rootFirst);
    // Under projects/a: exactly what checking it alone reports (warnings, the sprint layout).
    const under = (o: Out) => ({
      diagnostics: o.diagnostics.filter((d) => d.file.startsWith('projects/a/')),
      phases: o.phases.filter((p) => p.folder.startsWith('projects/a/')),
    });
    assert.deepEqual(under(rootFirst.out), under(alone.out));
    assert.ok(
      alone.out.diagnostics.some((d) => d.file === 'projects/a/phase-1/00-PHASE_BRIEF.md' && d.code === 'missing-document' && d.severity === 'warning'),
    );
    assert.ok(!rootFirst.out.diagnostics.some((d) => d.file.startsWith('projects/a/') && d.code === 'missing-document' && d.severity === 'error'));
    assert.deepEqual(
      rootFirst.out.phases.map((p) => [p.folder, p.layout]),
      [
        ['phase-1', 'audit'],
        ['projects/a/phase-1', 'audit'],
        ['projects/a/sprints/sprint-1', 'sprint'],
      ],
    );
    // The root's own phase still has its errors, reported once.
    assert.equal(rootFirst.code, 1);
    const rootErrors = rootFirst.out.diagnostics.filter((d) => d.file === 'phase-1/00-PHASE_BRIEF.md' && d.severity === 'error');
    assert.ok(rootErrors.length > 0);
    assert.deepEqual(
      rootErrors,
      (await json('phase-1')).out.diagnostics.filter((d) => d.severity === 'error'),
    );
  });

  it('warns of a PATH its workspace leaves out (ignore, a hidden or skipped folder), rather than passing it as empty', async () => {
    const brief = '# Phase 1: Old\n';
    const fsys = examplesFs({
      'ws2/phasegate.yaml': 'ignore:\n  - "archive/**"\n',
      'ws2/archive/phase-1/00-PHASE_BRIEF.md': brief,
      'ws2/.drafts/phase-1/00-PHASE_BRIEF.md': brief,
      'ws2/node_modules/pkg/phase-1/00-PHASE_BRIEF.md': brief,
      'ws2/phase-1/.notes.md': brief,
    });
    const r = await run(['check', 'archive', 'archive/phase-1/00-PHASE_BRIEF.md', '.drafts/phase-1', 'node_modules/pkg'], fsys, '/ws/ws2');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(
      r.stderr,
      [
        'phasegate: warning: archive is not checked: it matches "archive/**" of ignore in phasegate.yaml.',
        'phasegate: warning: archive/phase-1/00-PHASE_BRIEF.md is not checked: it matches "archive/**" of ignore in phasegate.yaml.',
        'phasegate: warning: .drafts/phase-1 is not checked: it lies in .drafts, a folder Phasegate does not look into.',
        'phasegate: warning: node_modules/pkg is not checked: it lies in node_modules, a folder Phasegate does not look into.',
        '',
      ].join('\n'),
    );
    assert.match(r.stdout, /in 0 phases\.\n$/);
    // A PATH in no phase (a file beside them, a folder without one) is not checked either, and is named.
    fsys.write('/ws/ws2/docs/notes.md', '# Notes\n\n[x](missing.md)\n');
    const none = await run(['check', 'docs/notes.md', 'docs'], fsys, '/ws/ws2');
    assert.equal(
      none.stderr,
      'phasegate: warning: docs/notes.md is not checked: it lies in no phase.\nphasegate: warning: docs is not checked: it holds no phase.\n',
    );
    assert.equal(none.code, 0);
    // A hidden file is a file like any other; a PATH the scan covers gets no warning; status warns too.
    assert.equal((await run(['check', 'phase-1/.notes.md', '.'], fsys, '/ws/ws2')).stderr, '');
    assert.match((await run(['status', 'archive'], fsys, '/ws/ws2')).stderr, /^phasegate: warning: archive is not checked: it matches "archive\/\*\*"/);
    // Said of the PATH itself (a hidden or skipped folder, a folder an ignore glob names) or of the folder it lies in.
    fsys.write('/ws/ws2/phase-1/.hidden/sub/x.md', brief);
    fsys.write('/ws/ws2/dist/x.md', brief);
    fsys.write('/ws/ws2/phasegate.yaml', 'ignore:\n  - "archive/**"\n  - old\n');
    fsys.write('/ws/ws2/old/phase-1/00-PHASE_BRIEF.md', brief);
    const self = await run(['check', 'phase-1/.hidden', 'phase-1/.hidden/sub', 'dist', 'dist/x.md', 'old', 'old/phase-1'], fsys, '/ws/ws2');
    assert.equal(
      self.stderr,
      [
        'phasegate: warning: phase-1/.hidden is not checked: it is a hidden folder, which Phasegate does not look into.',
        'phasegate: warning: phase-1/.hidden/sub is not checked: it lies in .hidden, a folder Phasegate does not look into.',
        'phasegate: warning: dist is not checked: it is a dist folder, which Phasegate does not look into.',
        'phasegate: warning: dist/x.md is not checked: it lies in dist, a folder Phasegate does not look into.',
        'phasegate: warning: old is not checked: it matches "old" of ignore in phasegate.yaml.',
        'phasegate: warning: old/phase-1 is not checked: it lies in old, which matches "old" of ignore in phasegate.yaml.',
        '',
      ].join('\n'),
    );
    // The glob is quoted as phasegate.yaml writes it, which is what the user finds there (was: "old", as it is matched).
    fsys.write('/ws/ws2/phasegate.yaml', 'ignore:\n  - "archive/**"\n  - ./old/\n');
    const written = await run(['check', 'old', 'old/phase-1'], fsys, '/ws/ws2');
    assert.equal(
      written.stderr,
      [
        'phasegate: warning: old is not checked: it matches "./old/" of ignore in phasegate.yaml.',
        'phasegate: warning: old/phase-1 is not checked: it lies in old, which matches "./old/" of ignore in phasegate.yaml.',
        '',
      ].join('\n'),
    );
  });

  it('checks the config file named as a PATH: its problems, without a warning that it lies in no phase', async () => {
    const fsys = examplesFs({ 'ws2/phasegate.yaml': 'rules:\n  no-such-rule: off\n', 'ws2/phase-1/00-PHASE_BRIEF.md': '# Phase 1: Old\n' });
    const r = await run(['check', 'phasegate.yaml'], fsys, '/ws/ws2');
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.equal(r.stderr, '');
    assert.equal(
      r.stdout,
      'phasegate.yaml:2:3  error  rules: `no-such-rule` is not a known rule id  [invalid-config]\n\n✖ 1 problem (1 error, 0 warnings) in phasegate.yaml.\n',
    );
    fsys.write('/ws/ws2/phasegate.yaml', 'rules:\n  section-order: off\n');
    const fixed = await run(['check', 'phasegate.yaml'], fsys, '/ws/ws2');
    assert.deepEqual([fixed.code, fixed.stderr, fixed.stdout], [0, '', '✔ No problems in phasegate.yaml.\n']);
    // Another YAML file is still no file of a phase.
    fsys.write('/ws/ws2/other.yaml', 'rules: {}\n');
    assert.equal((await run(['check', 'other.yaml'], fsys, '/ws/ws2')).stderr, 'phasegate: warning: other.yaml is not checked: it lies in no phase.\n');
  });

  it('says so when the workspace has more files than the scan takes', async function () {
    this.timeout(60_000);
    const fsys = examplesFs();
    for (let i = 0; i <= 200_000; i++) fsys.write(`/ws/examples/data/f${i}.txt`, '');
    const r = await run(['check', 'examples', '--format', 'json'], fsys);
    assert.equal(
      r.stderr,
      'phasegate: warning: the workspace examples is not checked whole: it holds more than 200,000 files or folders: only the first 200,000 found are checked, and links to the others read as broken (leave folders out with ignore: in phasegate.yaml).\n',
    );
    assert.doesNotThrow(() => JSON.parse(r.stdout), 'stdout stays one JSON document');
  });

  it("exits 1 on a failing test run in an audit phase's validation, not on one quoted in its findings", async () => {
    const fence = '```';
    const run1 = `${fence}\n$ pytest\nFAILED tests/test_x.py::test_y - AssertionError\n======== 140 passed, 3 failed in 41.2s ========\n${fence}\n`;
    const V1 = `${A}/phase-1/07-VALIDATION.md`;
    const F1 = `${A}/phase-1/03-FINDINGS/test-coverage-analysis.md`;
    // The baseline's failing run, quoted in a finding of the Foundation Audit: an audit finds it, nothing fails.
    let fsys = examplesFs();
    fsys.write(`/ws/${F1}`, `${fsys.text(`/ws/${F1}`)}\n${run1}`);
    let r = await run(['check', 'examples'], fsys);
    assert.equal(r.code, 0, r.stdout);
    assert.doesNotMatch(r.stdout, /failing-test-proof/);
    assert.match((await run(['status', 'examples'], fsys)).stdout, /\n5 of 6 phases complete\.\n$/);
    // The same run under the validation's Testing gate: the gate fails at the run's failing lines.
    fsys = examplesFs();
    const text = (fsys.text(`/ws/${V1}`) ?? '').replace('## Gate 5: Review', `${run1}\n## Gate 5: Review`);
    fsys.write(`/ws/${V1}`, text);
    r = await run(['check', 'examples'], fsys);
    assert.equal(r.code, 1);
    const reported = r.stdout.split('\n').filter((l) => l.endsWith('[failing-test-proof]'));
    assert.deepEqual(
      reported.map((l) => l.split('  ')[0]),
      [`${V1}:${lineOf(text, 'FAILED tests/') + 1}:1`, `${V1}:${lineOf(text, '140 passed') + 1}:1`],
    );
    const status = (await run(['status', 'examples'], fsys)).stdout;
    assert.match(status, /^phase-1 .*\baudit\s+blocked\s+6\/6\s+✓ Completeness {2}✓ Quality {2}✓ Documentation {2}✗ Testing {2}✓ Review {2}✓ Approval$/m);
    assert.match(status, /\n4 of 6 phases complete\.\n$/);
  });

  it('exits 2 with a one-line reason for a path that does not exist', async () => {
    const r = await run(['check', 'examples', 'nope/phase-9'], examplesFs());
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, 'phasegate: path not found: nope/phase-9\n');
  });

  it('exits 2 with one line on stderr for bad usage: the problem, and where the usage is', async () => {
    const cases: [string[], string][] = [
      [['check', '--bogus'], "unknown option '--bogus'"],
      [['check', '--format', 'xml'], "unknown format 'xml' for 'check': expected text, json, sarif or gitlab"],
      [['frobnicate'], "unknown command 'frobnicate': expected check, status or new"],
      [['check', '--format'], "option '--format' needs a value"],
      [['status', '--format', 'sarif'], "unknown format 'sarif' for 'status': expected text or json"],
      [['status', 'a', 'b'], "unexpected argument 'b': 'status' takes at most one PATH"],
      [['check', '--layout', 'iai'], "option '--layout' does not apply to 'check'"],
      [[], 'no command given: expected check, status or new'],
      [['--format', 'json'], 'no command given: expected check, status or new'],
      [['new', 'widget'], "cannot create 'widget': expected phase, prompt, response, handoff, finding or plan"],
    ];
    for (const [argv, reason] of cases) {
      const r = await run(argv, examplesFs());
      assert.deepEqual([r.code, r.stdout, r.stderr], [2, '', `phasegate: ${reason} (see phasegate --help)\n`], argv.join(' '));
    }
    // A PATH or config that is not there is no misuse of the arguments: the reason alone.
    const missing = await run(['check', 'nope'], examplesFs());
    assert.deepEqual([missing.code, missing.stderr], [2, 'phasegate: path not found: nope\n']);
  });

  it('prints help (to stdout) and version with exit 0', async () => {
    for (const argv of [['--help'], ['-h'], ['check', '--help'], ['help']]) {
      const help = await run(argv, examplesFs());
      assert.deepEqual([help.code, help.stderr], [0, ''], argv.join(' '));
      assert.match(help.stdout, /^Usage: phasegate <command> \[options\]\n[\s\S]*check \[PATH\.\.\.\][\s\S]*-h, --help/);
    }
    for (const argv of [['--version'], ['-v'], ['status', '--version']]) {
      const v = await run(argv, examplesFs());
      assert.deepEqual([v.code, v.stdout, v.stderr], [0, '9.8.7\n', ''], argv.join(' '));
    }
  });

  describe('--config', () => {
    it('applies the given config file', async () => {
      const fsys = examplesFs({ 'ci/strict.yaml': 'rules:\n  gate-item-unchecked: error\n' });
      const r = await run(['check', 'examples', '--config', 'ci/strict.yaml'], fsys);
      assert.equal(r.code, 1, r.stdout + r.stderr);
      assert.match(r.stdout, /error {2}.*\[gate-item-unchecked\]/);
      const off = examplesFs({ 'ci/quiet.yaml': 'rules:\n  gate-item-unchecked: "off"\n' });
      const q = await run(['check', P3V, '--config', 'ci/quiet.yaml', '--format', 'json'], off);
      assert.equal(q.code, 0);
      assert.ok(!(JSON.parse(q.stdout) as { diagnostics: { code: string }[] }).diagnostics.some((d) => d.code === 'gate-item-unchecked'));
    });

    it('exits 2 for a config file that does not parse, does not match its schema, or does not exist: one line, the file as given', async () => {
      const fsys = examplesFs({
        'bad.yaml': 'rules: [unclosed\n',
        'wrong.yaml': 'rules:\n  no-such-rule: error\n',
        'conf/keep.txt': '',
        'ci/conf/keep.txt': '',
        'huge.yaml': `# ${'x'.repeat(1024 * 1024)}\n`,
      });
      for (const [file, reason] of [
        ['bad.yaml', /^invalid config bad\.yaml:2:1: Flow sequence in block collection must be sufficiently indented and end with a \]$/],
        ['wrong.yaml', /^invalid config wrong\.yaml:2:3: rules: `no-such-rule` is not a known rule id$/],
        ['missing.yaml', /^config missing\.yaml cannot be read: no such file$/],
        ['ci/missing.yaml', /^config ci\/missing\.yaml cannot be read: no such file$/],
        ['conf', /^config conf cannot be read: it is a folder$/],
        ['ci/conf', /^config ci\/conf cannot be read: it is a folder$/],
        ['/ws/conf', /^config \/ws\/conf cannot be read: it is a folder$/],
        ['/', /^config \/ cannot be read: it is a folder$/],
        ['huge.yaml', /^config huge\.yaml cannot be read: it is too large/],
      ] as const) {
        const r = await run(['check', 'examples', '--config', file], fsys);
        assert.equal(r.code, 2, file);
        assert.equal(r.stdout, '');
        assert.equal(r.stderr.trimEnd().split('\n').length, 1, r.stderr);
        assert.ok(r.stderr.startsWith('phasegate: '), r.stderr);
        assert.match(r.stderr.slice('phasegate: '.length).trimEnd(), reason);
      }
    });

    it("checks a phase of the config's own layout, or a file or folder in it, in the workspace folder its globs start from", async () => {
      // The config is kept apart from the workspace (ws), which has none of its own.
      const fsys = new WritableMemoryFileSystem({
        '/repo/cfg/phasegate.yaml': [
          'layouts:',
          '  - name: sprint',
          '    phases: "sprints/*"',
          '    documents:',
          '      - kind: goals',
          '        file: GOALS.md',
          '        sections: [Objectives]',
          '    gates:',
          '      - name: Done',
          '        failOn: [missing-section]',
          '',
        ].join('\n'),
        '/repo/ws/sprints/sprint-1/GOALS.md': '# Sprint 1\n',
        '/repo/ws/sprints/sprint-1/notes/idea.md': '# Idea\n',
        '/repo/ws/sprints/sprint-2/GOALS.md': '# Sprint 2\n\n## Objectives\nx\n',
      });
      type Out = { diagnostics: { file: string; code: string }[]; phases: { id: string; layout: string; folder: string; status: string }[] };
      const check = async (path: string) => {
        const r = await run(['check', '--config', 'cfg/phasegate.yaml', '--format', 'json', path], fsys, '/repo');
        return { code: r.code, out: JSON.parse(r.stdout) as Out };
      };
      // The workspace itself, as before: its folder is where the globs start.
      const whole = await check('ws');
      assert.equal(whole.code, 1);
      assert.deepEqual(
        whole.out.phases.map((p) => [p.id, p.layout, p.status]),
        [
          ['sprints/sprint-1', 'sprint', 'blocked'],
          ['sprints/sprint-2', 'sprint', 'complete'],
        ],
      );
      const sprint1 = {
        code: 1,
        out: { diagnostics: whole.out.diagnostics.filter((d) => d.file.startsWith('ws/sprints/sprint-1/')), phases: [whole.out.phases[0]] },
      };
      assert.deepEqual(
        sprint1.out.diagnostics.map((d) => [d.file, d.code]),
        [['ws/sprints/sprint-1/GOALS.md', 'missing-section']],
      );
      // A phase folder, a file in it, a folder in it: that phase, as in the whole workspace.
      assert.deepEqual(await check('ws/sprints/sprint-1'), sprint1);
      assert.deepEqual(await check('ws/sprints/sprint-1/GOALS.md'), sprint1);
      assert.deepEqual((await check('ws/sprints/sprint-1/notes')).out.phases, sprint1.out.phases);
      // The folder of the phases: all of them.
      assert.deepEqual(await check('ws/sprints'), whole);
      const status = await run(['status', '--config', '../../cfg/phasegate.yaml', 'sprint-1'], fsys, '/repo/ws/sprints');
      assert.equal(status.code, 0, status.stderr);
      assert.match(status.stdout, /^sprints\/sprint-1\s+sprint-1\s+sprint\s+blocked\s+1\/1\s+✗ Done$/m);
    });

    it('finds the workspace folder of a PATH by the globs that name it, or the folders below it', () => {
      const cases: [string, string[], string | undefined][] = [
        ['/r/ws/sprints/sprint-1', ['sprints/*'], '/r/ws'], // a phase
        ['/r/ws/sprints/sprint-1/notes', ['sprints/*'], '/r/ws'], // in a phase
        ['/r/ws/sprints', ['sprints/*'], '/r/ws'], // the folder of the phases
        ['/r/ws/sprints/sprints', ['sprints/*'], '/r/ws'], // a phase named like the folder of phases: the phase wins
        ['/r/ws/teams/a', ['other/*', 'teams/*/sprints/*'], '/r/ws'], // on the way, through a literal part
        ['/r/ws/teams/a/sprints/s-1', ['teams/*/sprints/*'], '/r/ws'],
        ['/r/ws/docs/x', ['docs/**/sprint-*'], '/r/ws'],
        ['/r/ws/misc', ['sprints/*'], undefined],
        ['/r/ws/a', ['*/s-*'], undefined], // only wildcards on the way: no telling where the workspace is
        ['/r/ws', [], undefined],
      ];
      for (const [start, globs, root] of cases) assert.equal(layoutRoot(start, globs), root, `${start} ${globs.join(' ')}`);
    });

    it('reports a broken phasegate.yaml found in the workspace as an error diagnostic (exit 1)', async () => {
      const fsys = examplesFs({ 'examples/phasegate.yaml': 'rules: [unclosed\n' });
      const r = await run(['check', 'examples/audit-deployment/phase-1', '--format', 'json'], fsys);
      assert.equal(r.code, 1);
      const out = JSON.parse(r.stdout) as { diagnostics: { file: string; code: string }[] };
      assert.ok(out.diagnostics.some((d) => d.file === 'examples/phasegate.yaml' && d.code === 'invalid-config'));
    });
  });
});
