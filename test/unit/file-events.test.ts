import * as assert from 'node:assert/strict';
import { workspace, diagnosticsOf, ROOT } from '../helpers/workspace';
import { PhasegateService } from '../../server/src/service';

const BRIEF = (n: number) => `# Phase ${n}: Title\n\n## Objectives\n\n- One\n`;

const phaseIds = (svc: PhasegateService) => svc.model.phases.map((p) => p.id).sort();

describe('file events: the workspace as a fresh scan would find it', () => {
  it('leaves out what appears in an ignored or skipped folder, and re-checks nothing for it', async () => {
    const { svc, fs } = await workspace({ 'phasegate.yaml': 'ignore: ["drafts/**"]\n', 'phase-1/00-PHASE_BRIEF.md': BRIEF(1) });
    const before = svc.diagnose(`${ROOT}/phase-1/00-PHASE_BRIEF.md`);
    const files = [
      'drafts/phase-5/00-PHASE_BRIEF.md',
      'dist/phase-2/00-PHASE_BRIEF.md',
      'node_modules/pkg/phase-3/00-PHASE_BRIEF.md',
      '.history/phase-4/00-PHASE_BRIEF.md',
    ];
    for (const f of files) fs.write(`${ROOT}/${f}`, BRIEF(Number(/phase-(\d)/.exec(f)![1])));
    // Events for the files, and for the folders that hold them (a watcher reports either).
    const affected = await svc.filesChanged([
      ...files.map((f) => ({ path: `${ROOT}/${f}`, type: 'created' as const })),
      ...['drafts', 'dist/phase-2', 'node_modules', '.history'].map((d) => ({ path: `${ROOT}/${d}`, type: 'created' as const })),
    ]);
    assert.deepEqual(phaseIds(svc), ['phase-1']);
    assert.deepEqual(affected, [], 'nothing the scan holds changed');
    // The cached result stands (the same object): nothing was checked again.
    assert.equal(svc.diagnose(`${ROOT}/phase-1/00-PHASE_BRIEF.md`), before);
    const fresh = new PhasegateService({ fs, assets: svc.assets });
    await fresh.load(ROOT);
    assert.deepEqual(phaseIds(fresh), phaseIds(svc));
    // A phase created where the scan looks is found.
    fs.write(`${ROOT}/phase-2/00-PHASE_BRIEF.md`, BRIEF(2));
    await svc.filesChanged([{ path: `${ROOT}/phase-2/00-PHASE_BRIEF.md`, type: 'created' }]);
    assert.deepEqual(phaseIds(svc), ['phase-1', 'phase-2']);
  });

  it('keeps a document the editor holds when its file is deleted on disk, until the editor lets it go', async () => {
    const { svc, fs } = await workspace({ 'phase-1/00-PHASE_BRIEF.md': BRIEF(1), 'phase-1/05-DECISIONS.md': '# Phase 1 Decisions\n' });
    const brief = `${ROOT}/phase-1/00-PHASE_BRIEF.md`;
    svc.setOverlay(brief, `${BRIEF(1)}\nTyped, not saved.\n`);
    const exists = () => svc.findPhase('phase-1')!.documents.find((d) => d.path === brief)!.exists;
    const before = diagnosticsOf(svc, 'phase-1/00-PHASE_BRIEF.md');
    fs.delete(brief);
    await svc.filesChanged([{ path: brief, type: 'deleted' }]);
    assert.equal(exists(), true, 'the editor still holds it');
    assert.deepEqual(diagnosticsOf(svc, 'phase-1/00-PHASE_BRIEF.md'), before);
    // Deleted with its folder: the same.
    fs.delete(`${ROOT}/phase-1`);
    await svc.filesChanged([{ path: `${ROOT}/phase-1`, type: 'deleted' }]);
    assert.equal(exists(), true);
    // Closed unsaved: gone, with the phase.
    await svc.clearOverlay(brief);
    assert.equal(svc.findPhase('phase-1'), undefined);
  });

  it('reads again a file written anew over one it holds (a created event for a known file)', async () => {
    const { svc, fs } = await workspace({ 'phase-1/05-DECISIONS.md': '# Phase 1 Decisions\n' });
    const file = `${ROOT}/phase-1/05-DECISIONS.md`;
    assert.deepEqual(diagnosticsOf(svc, 'phase-1/05-DECISIONS.md', 'heading-mismatch'), []);
    fs.write(file, '# Phase 4 Decisions\n');
    const affected = await svc.filesChanged([{ path: file, type: 'created' }]);
    assert.ok(affected.includes(file));
    assert.equal(diagnosticsOf(svc, 'phase-1/05-DECISIONS.md', 'heading-mismatch').length, 1);
  });
});
