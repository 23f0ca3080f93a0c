import * as assert from 'node:assert/strict';
import { run, RunResult, WritableMemoryFileSystem } from './helpers';

/** A brief with two errors under the defaults (`missing-section`: no Scope, no Deliverables). */
const BRIEF = (title: string) => `# Phase 1: ${title}\n\n## Objectives\nx\n`;

/** The root has no config; projects/a makes missing sections warnings, projects/b turns them off. */
function monorepo(extra: Record<string, string> = {}): WritableMemoryFileSystem {
  const files: Record<string, string> = {
    'phase-1/00-PHASE_BRIEF.md': BRIEF('Root'),
    'projects/a/phasegate.yaml': 'rules:\n  missing-section: warning\n',
    'projects/a/phase-1/00-PHASE_BRIEF.md': BRIEF('A'),
    'projects/b/phasegate.yaml': 'rules:\n  missing-section: "off"\n',
    'projects/b/phase-1/00-PHASE_BRIEF.md': BRIEF('B'),
    ...extra,
  };
  const fsys = new WritableMemoryFileSystem();
  for (const [rel, text] of Object.entries(files)) fsys.write(`/ws/${rel}`, text);
  return fsys;
}

interface Out {
  diagnostics: { file: string; severity: string; code: string; message: string }[];
  phases: { id: string; folder: string; status: string; layout: string }[];
}

async function json(fsys: WritableMemoryFileSystem, ...args: string[]): Promise<{ code: number; out: Out; stderr: string }> {
  const r = await run(['check', '--format', 'json', ...args], fsys);
  return { code: r.code, out: JSON.parse(r.stdout) as Out, stderr: r.stderr };
}

const sections = (o: Out, prefix: string) => o.diagnostics.filter((d) => d.code === 'missing-section' && d.file.startsWith(prefix)).map((d) => d.severity);

describe('phasegate check: nested workspaces (projects with a phasegate.yaml of their own)', () => {
  it("checks what lies in a nested workspace with that workspace's config", async () => {
    const { code, out } = await json(monorepo(), '.');
    assert.deepEqual(sections(out, 'phase-1/'), ['error', 'error']);
    assert.deepEqual(sections(out, 'projects/a/'), ['warning', 'warning']);
    assert.deepEqual(sections(out, 'projects/b/'), []);
    assert.deepEqual(
      out.phases.map((p) => [p.folder, p.id]),
      [
        ['phase-1', 'phase-1'],
        ['projects/a/phase-1', 'phase-1'],
        ['projects/b/phase-1', 'phase-1'],
      ],
    );
    assert.equal(code, 1, 'the root phase has errors');
  });

  it('reports `check .` as `check . projects/a projects/b`: text, JSON, SARIF and status alike', async () => {
    const fsys = monorepo();
    for (const format of ['text', 'json', 'sarif']) {
      const whole = await run(['check', '--format', format, '.'], fsys);
      const named = await run(['check', '--format', format, '.', 'projects/a', 'projects/b'], fsys);
      assert.deepEqual(whole, named, format);
    }
    assert.match((await run(['check', '.'], fsys)).stdout, /✖ 28 problems \(2 errors, 23 warnings, 3 info\) in 3 phases\.\n$/);
    // `status` (one PATH) shows the projects' phases, judged by their configs: projects/a's missing sections are warnings.
    const status = await run(['status', '.'], fsys);
    assert.match(status.stdout, /^projects\/a\/phase-1 {2}A .*\n.*\n {11}Completeness \(pending\): 2 × missing-section$/m);
    // Phases that share an id are named by their folder, so that a row says which one it is.
    assert.deepEqual(
      status.stdout
        .split('\n')
        .filter((l) => /^\S/.test(l))
        .slice(1, 4)
        .map((l) => l.split(' ')[0]),
      ['phase-1', 'projects/a/phase-1', 'projects/b/phase-1'],
    );
    assert.match(status.stdout, /0 of 3 phases complete\.\n$/);
    // A folder that holds the projects without being a workspace covers them too.
    const projects = await json(fsys, 'projects');
    assert.deepEqual(projects.out, {
      diagnostics: (await json(fsys, 'projects/a', 'projects/b')).out.diagnostics,
      phases: (await json(fsys, 'projects/a', 'projects/b')).out.phases,
    });
  });

  it('exits by the nested configs: 0 when their severities leave no error', async () => {
    const fsys = monorepo();
    fsys.delete('/ws/phase-1/00-PHASE_BRIEF.md');
    const r = await run(['check', '.'], fsys);
    assert.equal(r.code, 0, r.stdout);
    assert.match(r.stdout, /in 2 phases\.\n$/);
  });

  it('keeps the equivalence with --config FILE, which applies to every workspace', async () => {
    const fsys = monorepo({ 'ci/strict.yaml': 'rules:\n  missing-front-matter: error\n' });
    const whole = await json(fsys, '--config', 'ci/strict.yaml', '.');
    assert.deepEqual(whole, await json(fsys, '--config', 'ci/strict.yaml', '.', 'projects/a', 'projects/b'));
    // FILE replaces each workspace's own config: the projects' severities do not apply.
    assert.deepEqual(sections(whole.out, 'projects/b/'), ['error', 'error']);
    assert.deepEqual(
      whole.out.diagnostics.filter((d) => d.code === 'missing-front-matter').map((d) => [d.file, d.severity]),
      [
        ['phase-1/00-PHASE_BRIEF.md', 'error'],
        ['projects/a/phase-1/00-PHASE_BRIEF.md', 'error'],
        ['projects/b/phase-1/00-PHASE_BRIEF.md', 'error'],
      ],
    );
  });

  it('finds nested workspaces inside nested ones, by their own scans (their ignore globs)', async () => {
    const fsys = monorepo({
      'projects/a/phasegate.yaml': 'rules:\n  missing-section: warning\nignore: ["drafts/**"]\n',
      'projects/a/sub/phasegate.yaml': 'rules:\n  missing-section: information\n',
      'projects/a/sub/phase-1/00-PHASE_BRIEF.md': BRIEF('Sub'),
      // Ignored by projects/a: neither checked nor a workspace of its own.
      'projects/a/drafts/x/phasegate.yaml': 'rules:\n  missing-section: "off"\n',
      'projects/a/drafts/x/phase-1/00-PHASE_BRIEF.md': BRIEF('Draft'),
    });
    const whole = await json(fsys, '.');
    assert.deepEqual(sections(whole.out, 'projects/a/phase-1/'), ['warning', 'warning']);
    assert.deepEqual(sections(whole.out, 'projects/a/sub/'), ['information', 'information']);
    assert.ok(!whole.out.phases.some((p) => p.folder.includes('drafts')));
    assert.deepEqual(whole, await json(fsys, '.', 'projects/a', 'projects/a/sub', 'projects/b'));
  });

  it('takes no config in a folder the scan does not enter, nor one in a phase folder, for a nested workspace', async () => {
    const fsys = monorepo({
      'phasegate.yaml': 'ignore: ["vendor/**"]\n',
      // Ignored, hidden, node_modules: not scanned, so no workspace, and their phases are not checked.
      'vendor/x/phasegate.yaml': 'rules: {}\n',
      'vendor/x/phase-1/00-PHASE_BRIEF.md': BRIEF('Vendor'),
      '.cache/x/phasegate.yaml': 'rules: {}\n',
      '.cache/x/phase-1/00-PHASE_BRIEF.md': BRIEF('Cache'),
      'node_modules/x/phasegate.yaml': 'rules: {}\n',
      'node_modules/x/phase-1/00-PHASE_BRIEF.md': BRIEF('Module'),
      // In a phase folder: the phase's content (an artifact), checked with the root's config as part of phase-1.
      'phase-1/04-ARTIFACTS/tool/phasegate.yaml': 'rules:\n  broken-link: "off"\n',
      'phase-1/04-ARTIFACTS/tool/NOTES.md': '# Notes\n\nSee [gone](gone.md).\n',
    });
    const { out } = await json(fsys, '.');
    assert.deepEqual(
      out.phases.map((p) => p.folder),
      ['phase-1', 'projects/a/phase-1', 'projects/b/phase-1'],
    );
    assert.ok(out.diagnostics.some((d) => d.file === 'phase-1/04-ARTIFACTS/tool/NOTES.md' && d.code === 'broken-link'));
    // Beside them, the projects are nested workspaces all the same.
    assert.deepEqual(sections(out, 'projects/a/'), ['warning', 'warning']);
    assert.ok(!out.diagnostics.some((d) => /^(vendor|\.cache|node_modules)\//.test(d.file)));
  });

  it('reports a nested config with errors as invalid-config, as for any workspace', async () => {
    const fsys = monorepo({ 'projects/b/phasegate.yaml': 'rules:\n  missing-section: sometimes\n' });
    const whole = await json(fsys, '.');
    assert.equal(whole.code, 1);
    const bad = whole.out.diagnostics.filter((d) => d.code === 'invalid-config');
    assert.deepEqual(
      bad.map((d) => [d.file, d.severity]),
      [['projects/b/phasegate.yaml', 'error']],
    );
    assert.deepEqual(whole, await json(fsys, '.', 'projects/b'));
    const status: RunResult = await run(['status', '.'], fsys);
    assert.equal(status.code, 1, 'status fails on an invalid config, nested too');
  });
});
