/**
 * `phasegate new`: a PATH that names the new phase folder itself, the new iAI phase's row in the
 * project plan, and the phase title taken from the prompt (for the response, `status` and JSON).
 */
import * as assert from 'node:assert/strict';
import { WritableMemoryFileSystem, examplesFs, run } from './helpers';

const IAI = '/ws/examples/all_use_iai_project';
const P3 = 'workstreams/Build/Phase_3_Advanced_CI_Artifact_Management';

/** Error-severity diagnostics of `check` at `cwd`, as "file code" lines. */
async function errors(fsys: WritableMemoryFileSystem, cwd: string): Promise<string[]> {
  const r = await run(['check', '--format', 'json'], fsys, cwd);
  const json = JSON.parse(r.stdout) as { diagnostics: { file: string; code: string; severity: string }[] };
  return json.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.file} ${d.code}`);
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
