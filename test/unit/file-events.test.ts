import * as assert from 'node:assert/strict';
import { assets, workspace, diagnosticsOf, ROOT } from '../helpers/workspace';
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

  it("names a phase's folder among the files affected when its last document goes (its problems are told there) and when one comes back", async () => {
    const { svc, fs } = await workspace({ 'phase-1/00-PHASE_BRIEF.md': BRIEF(1), 'phase-2/00-PHASE_BRIEF.md': BRIEF(2) });
    const folder = `${ROOT}/phase-2`;
    const brief = `${folder}/00-PHASE_BRIEF.md`;
    // The folder stays on disk, empty.
    fs.mkdir(folder);
    fs.delete(brief);
    const gone = await svc.filesChanged([{ path: brief, type: 'deleted' }]);
    assert.ok(svc.diagnosedPaths().includes(folder), 'a phase without a document is told at its folder');
    assert.ok(gone.includes(folder), `affected: ${gone.join(', ')}`);
    assert.ok(svc.diagnose(folder).some((d) => d.code === 'missing-document' && d.file === folder));
    // A fresh engine's scan finds it so too.
    const fresh = new PhasegateService({ fs, assets: svc.assets });
    await fresh.load(ROOT);
    assert.deepEqual(fresh.diagnosedPaths().sort(), svc.diagnosedPaths().sort());
    // Its document back: the folder's problems are gone, and it is affected again (its report cleared).
    fs.write(brief, BRIEF(2));
    const back = await svc.filesChanged([{ path: brief, type: 'created' }]);
    assert.ok(!svc.diagnosedPaths().includes(folder));
    assert.ok(back.includes(folder), `affected: ${back.join(', ')}`);
  });

  it('keeps a document the editor holds when its file alone is deleted on disk, until the editor lets it go; not when its folder goes', async () => {
    const { svc, fs } = await workspace({ 'phase-1/00-PHASE_BRIEF.md': BRIEF(1), 'phase-1/05-DECISIONS.md': '# Phase 1 Decisions\n' });
    const brief = `${ROOT}/phase-1/00-PHASE_BRIEF.md`;
    svc.setOverlay(brief, `${BRIEF(1)}\nTyped, not saved.\n`);
    const exists = () => svc.findPhase('phase-1')!.documents.find((d) => d.path === brief)!.exists;
    const before = diagnosticsOf(svc, 'phase-1/00-PHASE_BRIEF.md');
    fs.delete(brief);
    await svc.filesChanged([{ path: brief, type: 'deleted' }]);
    assert.equal(exists(), true, 'the editor still holds it');
    assert.deepEqual(diagnosticsOf(svc, 'phase-1/00-PHASE_BRIEF.md'), before);
    // Deleted with its folder: it goes with it, and the phase with them (the editor's buffer makes no folder
    // exist); the engine keeps its text for a save that writes it back.
    fs.delete(`${ROOT}/phase-1`);
    await svc.filesChanged([{ path: `${ROOT}/phase-1`, type: 'deleted' }]);
    assert.equal(svc.findPhase('phase-1'), undefined);
    assert.equal(svc.exists(brief), false);
    assert.deepEqual(diagnosticsOf(svc, 'phase-1/00-PHASE_BRIEF.md'), []);
    // Edited still: no phase either.
    svc.setOverlay(brief, `${BRIEF(1)}\nTyped, not saved, still.\n`);
    assert.equal(svc.findPhase('phase-1'), undefined);
    // Saved: the file (and its folder) on disk again, with the editor's text.
    fs.write(brief, `${BRIEF(1)}\nTyped, not saved, still.\n`);
    await svc.filesChanged([{ path: `${ROOT}/phase-1`, type: 'created' }]);
    assert.equal(exists(), true);
    assert.match(svc.getText(brief) ?? '', /still\.\n$/);
    // Closed: the disk's text, the phase stays.
    await svc.clearOverlay(brief);
    assert.equal(exists(), true);
  });

  it('a document opened in a folder not on disk makes no phase; one opened in a folder that is there joins its phase', async () => {
    const { svc } = await workspace({ 'phase-1/00-PHASE_BRIEF.md': BRIEF(1) });
    svc.setOverlay(`${ROOT}/phase-2/00-PHASE_BRIEF.md`, BRIEF(2));
    assert.equal(svc.findPhase('phase-2'), undefined);
    assert.equal(svc.exists(`${ROOT}/phase-2/00-PHASE_BRIEF.md`), false);
    const handoff = `${ROOT}/phase-1/06-OUTPUT_HANDOFF.md`;
    svc.setOverlay(handoff, '# Phase 1 Output Handoff\n');
    assert.equal(svc.findPhase('phase-1')!.documents.find((d) => d.path === handoff)?.exists, true);
  });

  it('a document no phase checks, opened unsaved beside the phases, then closed: a link to it is broken again', async () => {
    const { svc } = await workspace({ 'phase-1/00-PHASE_BRIEF.md': `${BRIEF(1)}\nSee [notes](../NOTES.md).\n` });
    const brief = `${ROOT}/phase-1/00-PHASE_BRIEF.md`;
    const broken = () => svc.diagnose(brief).filter((d) => d.code === 'broken-link').length;
    assert.equal(broken(), 1);
    svc.setOverlay(`${ROOT}/NOTES.md`, '# Notes\n');
    assert.equal(broken(), 0, 'open: the editor holds it');
    await svc.clearOverlay(`${ROOT}/NOTES.md`);
    assert.equal(svc.exists(`${ROOT}/NOTES.md`), false);
    assert.equal(broken(), 1, 'closed unsaved: nothing there');
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

  it('lists the plans in the order a fresh engine does, whatever the order they were created in', async () => {
    const { svc, fs } = await workspace({ 'README.md': '# Readme\n' });
    for (const rel of ['project_implementation_plan.md', 'drafts/project_implementation_plan.md']) {
      fs.write(`${ROOT}/${rel}`, '# Plan\n');
      await svc.filesChanged([{ path: `${ROOT}/${rel}`, type: 'created' }]);
    }
    const fresh = new PhasegateService({ fs, assets });
    await fresh.load(ROOT);
    assert.deepEqual(svc.diagnosedPaths(), fresh.diagnosedPaths());
    assert.deepEqual(
      svc.model.plans.map((p) => p.path),
      [`${ROOT}/drafts/project_implementation_plan.md`, `${ROOT}/project_implementation_plan.md`],
    );
  });

  it('a changed file it does not check (an artifact, a README beside the phases) changes nothing: no revision, no phase edit, no file checked again', async () => {
    const { svc, fs } = await workspace({
      'README.md': '# Project\n',
      'phase-1/00-PHASE_BRIEF.md': BRIEF(1) + '\nSee `04-ARTIFACTS/config.json`.\n',
      'phase-1/04-ARTIFACTS/config.json': '{}\n',
    });
    const brief = `${ROOT}/phase-1/00-PHASE_BRIEF.md`;
    const phase = svc.model.phases[0];
    const before = svc.diagnose(brief);
    const [revision, edited] = [svc.revision, svc.phaseEdited(phase)];
    fs.write(`${ROOT}/phase-1/04-ARTIFACTS/config.json`, '{ "a": 1 }\n');
    fs.write(`${ROOT}/README.md`, '# Project, again\n');
    const affected = await svc.filesChanged([
      { path: `${ROOT}/phase-1/04-ARTIFACTS/config.json`, type: 'changed' },
      { path: `${ROOT}/README.md`, type: 'changed' },
    ]);
    assert.deepEqual(affected, []);
    assert.equal(svc.revision, revision, 'a background check going on is not ended by it');
    assert.equal(svc.phaseEdited(phase), edited, 'the phase tree does not send the phase again');
    assert.equal(svc.diagnose(brief), before, 'the cached result stands (the same object)');
    // A document it checks, changed on disk, is read again and counts.
    fs.write(brief, BRIEF(1).replace('Title', 'Other'));
    const again = await svc.filesChanged([{ path: brief, type: 'changed' }]);
    assert.ok(again.includes(brief));
    assert.ok(svc.revision > revision);
    assert.notEqual(svc.phaseEdited(phase), edited);
    assert.notEqual(svc.diagnose(brief), before);
  });
});
