import * as assert from 'node:assert/strict';
import { NodeFileSystem } from '../../server/src/node/assets';
import { PhasegateService } from '../../server/src/service';
import { assets, REPO } from '../helpers/workspace';
import { examplesFs, run, WritableMemoryFileSystem } from './helpers';

describe('phasegate status', () => {
  it('lists every phase of the examples with layout, status, documents and gates', async () => {
    const svc = new PhasegateService({ fs: new NodeFileSystem(), assets });
    await svc.load(`${REPO.replace(/\\/g, '/')}/examples`);
    const ids = svc.model.phases.map((p) => p.id);
    assert.equal(ids.length, 6);
    const r = await run(['status', 'examples'], examplesFs());
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.split('\n');
    assert.match(lines[0], /^PHASE\s+TITLE\s+LAYOUT\s+STATUS\s+DOCS\s+GATES$/);
    for (const id of ids)
      assert.ok(
        lines.some((l) => l.startsWith(id + ' ')),
        `${id} missing from\n${r.stdout}`,
      );
    const p1 = lines.find((l) => l.startsWith('phase-1 ')) ?? '';
    assert.match(p1, /\baudit\s+complete\s+6\/6\s+✓ Completeness {2}✓ Quality {2}✓ Documentation {2}✓ Testing {2}✓ Review {2}✓ Approval$/);
    const iai = lines.find((l) => l.startsWith('Build/Phase_1_Source_Code_Management ')) ?? '';
    assert.match(iai, /\biai\s+complete\s+2\/2\s+✓ Completeness {2}✓ Tests {2}✓ Proof$/);
    // Phase 3 is in progress: its pending gates and why are listed under it.
    const i3 = lines.findIndex((l) => l.startsWith('phase-3 '));
    assert.match(lines[i3], /in-progress\s+6\/6\s+… Completeness/);
    assert.match(lines[i3 + 1], /^ {4}blocked by: Completeness \(pending\): 1 item unchecked$/);
    assert.match(r.stdout, /\n5 of 6 phases complete\.\n$/);
  });

  it('shows missing documents and failed gates as blockers', async () => {
    const fsys = examplesFs();
    fsys.delete('/ws/examples/audit-deployment/phase-2/05-DECISIONS.md');
    const r = await run(['status', 'examples/audit-deployment/phase-2'], fsys);
    assert.equal(r.code, 0);
    const lines = r.stdout.split('\n');
    assert.match(lines[1], /^phase-2\s+Testing & Quality Enhancement\s+audit\s+blocked\s+5\/6\s+✗ Completeness/);
    assert.equal(lines[2], '    blocked by: missing 05-DECISIONS.md');
    assert.match(lines[3], /^ {16}Completeness \(failed\): 1 × missing-document$/);
  });

  it('prints the phases as JSON with --format json', async () => {
    const r = await run(['status', 'examples/all_use_iai_project', '--format', 'json'], examplesFs());
    const out = JSON.parse(r.stdout) as { phases: { id: string; documents: { present: number; required: number }; blockedBy: string[] }[] };
    assert.deepEqual(
      out.phases.map((p) => [p.id, p.documents.present, p.documents.required, p.blockedBy.length]),
      [
        ['Build/Phase_1_Source_Code_Management', 2, 2, 0],
        ['Build/Phase_2_Dependency_Management_Containerization', 2, 2, 0],
        ['Test/Phase_1_Unit_Integration_Testing', 2, 2, 0],
      ],
    );
  });

  it('says so when there is no phase, and exits 2 for a bad path', async () => {
    const fsys = new WritableMemoryFileSystem({ '/ws/README.md': '# Nothing\n' });
    assert.deepEqual(await run(['status'], fsys), { code: 0, stdout: 'No phases found.\n', stderr: '' });
    const bad = await run(['status', 'nowhere'], fsys);
    assert.deepEqual(bad, { code: 2, stdout: '', stderr: 'phasegate: path not found: nowhere\n' });
    assert.equal((await run(['status', 'a', 'b'], fsys)).code, 2);
  });
});
