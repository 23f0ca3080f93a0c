/** `phasegate check` on workspaces written the way a team following the seeds would write them. */
import * as assert from 'node:assert/strict';
import { run, WritableMemoryFileSystem } from './helpers';

describe('phasegate check: seed fidelity', () => {
  const brief =
    '# Phase 1: Foundation Audit & Baseline\n\n**Output**: Audit report\n\n## Scope\n\nThe repository.\n\n**Deliverables**:\n- Code quality audit report\n';

  it('checks an audit phase folder named phase_1 (or Phase 2) that holds the layout’s documents, not "0 phases"', async () => {
    const fsys = new WritableMemoryFileSystem();
    fsys.write('/ws/audit-deployment/phase_1/00-PHASE_BRIEF.md', brief);
    fsys.write('/ws/audit-deployment/Phase 2/00-PHASE_BRIEF.md', brief.replace('Phase 1', 'Phase 2'));
    fsys.write('/ws/audit-deployment/Phase 2/05-DECISIONS.md', '# Phase 2 Decisions\n\n## Decision Log\n\n### Decision 1: Use Trivy\n');
    // A folder so named without a phase document is no phase.
    fsys.write('/ws/src/phase3/notes.md', '# Notes\n');
    for (const target of ['.', 'audit-deployment/Phase 2', 'audit-deployment/Phase 2/05-DECISIONS.md']) {
      const r = await run(['check', target, '--format', 'json'], fsys);
      const out = JSON.parse(r.stdout) as { phases: { folder: string }[]; diagnostics: { file: string; code: string }[] };
      assert.equal(r.code, 1, target);
      assert.ok(
        out.phases.some((p) => p.folder === 'audit-deployment/Phase 2'),
        target,
      );
      assert.ok(
        out.diagnostics.some((d) => d.code === 'decision-without-rationale' && d.file === 'audit-deployment/Phase 2/05-DECISIONS.md'),
        target,
      );
    }
    const all = await run(['check', '.', '--format', 'json'], fsys);
    const out = JSON.parse(all.stdout) as { phases: { id: string; folder: string }[]; diagnostics: { code: string; message: string }[] };
    assert.deepEqual(out.phases.map((p) => p.folder).sort(), ['audit-deployment/Phase 2', 'audit-deployment/phase_1']);
    // Numbered as phase 1 and phase 2: no gap, no duplicate.
    assert.deepEqual(
      out.diagnostics.filter((d) => /phase-numbering/.test(d.code)),
      [],
    );
  });
});
