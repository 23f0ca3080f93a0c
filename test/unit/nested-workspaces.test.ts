import * as assert from 'node:assert/strict';
import { workspace, diagnosticsOf, ROOT } from '../helpers/workspace';
import { CONFIG_FILES, defaultConfig } from '../../server/src/service/config';
import { PhasegateService } from '../../server/src/service';
import { ScanResult, buildModel, nestedWorkspaces } from '../../server/src/service/workspace';

const BRIEF = (n: number) => `# Phase ${n}: Title\n\n## Objectives\n\n- One\n`;

const folders = (svc: PhasegateService) => svc.model.phases.map((p) => p.folder.slice(ROOT.length + 1)).sort();

describe('nested workspaces: projects with a config of their own', () => {
  it('are the outermost folders outside the phases that hold a config file', () => {
    const files = [
      'phasegate.yaml',
      'projects/a/phasegate.yaml',
      'projects/a/sub/phasegate.yml',
      'projects/b/.phasegate.yaml',
      'phase-1/00-PHASE_BRIEF.md',
      'phase-1/04-ARTIFACTS/tool/phasegate.yaml',
      'docs/phasegate.json',
    ].map((f) => `${ROOT}/${f}`);
    const scan: ScanResult = { files: new Set(files), dirs: new Set(files.map((f) => f.slice(0, f.lastIndexOf('/')))), problems: [], truncated: false };
    const model = buildModel(ROOT, scan, defaultConfig(ROOT));
    assert.deepEqual(nestedWorkspaces(ROOT, scan, model, CONFIG_FILES), [`${ROOT}/projects/a`, `${ROOT}/projects/b`]);
  });

  it('leave the outer engine: its phases, its files, its links into them', async () => {
    const { svc } = await workspace({
      'phase-1/00-PHASE_BRIEF.md': `${BRIEF(1)}\nSee [a](../projects/a/phase-1/00-PHASE_BRIEF.md) and [gone](../projects/gone.md).\n`,
      'projects/a/phasegate.yaml': 'rules:\n  missing-document: warning\n',
      'projects/a/phase-1/00-PHASE_BRIEF.md': BRIEF(1),
      // In an ignored folder, and in a phase folder: no nested workspace.
      'phasegate.yaml': 'ignore: ["drafts/**"]\n',
      'drafts/x/phasegate.yaml': '',
      'drafts/x/phase-1/00-PHASE_BRIEF.md': BRIEF(1),
      'phase-1/04-ARTIFACTS/tool/phasegate.yaml': '',
    });
    assert.deepEqual(svc.nested, [`${ROOT}/projects/a`]);
    assert.deepEqual(folders(svc), ['phase-1']);
    assert.equal(svc.findPhase('phase-1')?.id, 'phase-1');
    assert.ok(!svc.checkedFiles().some((f) => f.includes('/projects/')));
    assert.match(svc.scanExclusion(`${ROOT}/projects/a/phase-1`, false) ?? '', /projects\/a, a project with a config of its own/);
    // A link into the project is its engine's to know; one beside it still breaks.
    assert.deepEqual(
      diagnosticsOf(svc, 'phase-1/00-PHASE_BRIEF.md', 'broken-link').map((d) => d.message),
      ['Link target "../projects/gone.md" does not exist.'],
    );
  });

  it('come and go with their config files (file events), as a fresh load finds them', async () => {
    const { svc, fs } = await workspace({
      'phase-1/00-PHASE_BRIEF.md': BRIEF(1),
      'projects/a/phase-1/00-PHASE_BRIEF.md': BRIEF(1),
    });
    assert.deepEqual(folders(svc), ['phase-1', 'projects/a/phase-1']);
    const loads = svc.loads;
    fs.write(`${ROOT}/projects/a/phasegate.yaml`, 'rules: {}\n');
    await svc.filesChanged([{ path: `${ROOT}/projects/a/phasegate.yaml`, type: 'created' }]);
    assert.deepEqual(svc.nested, [`${ROOT}/projects/a`]);
    assert.deepEqual(folders(svc), ['phase-1']);
    assert.ok(svc.loads > loads, 'reloaded');
    // A file created in the project is not the outer engine's.
    fs.write(`${ROOT}/projects/a/phase-2/00-PHASE_BRIEF.md`, BRIEF(2));
    await svc.filesChanged([{ path: `${ROOT}/projects/a/phase-2/00-PHASE_BRIEF.md`, type: 'created' }]);
    assert.deepEqual(folders(svc), ['phase-1']);
    // Its config deleted: the project is the outer engine's again.
    fs.delete(`${ROOT}/projects/a/phasegate.yaml`);
    await svc.filesChanged([{ path: `${ROOT}/projects/a/phasegate.yaml`, type: 'deleted' }]);
    assert.deepEqual(svc.nested, []);
    assert.deepEqual(folders(svc), ['phase-1', 'projects/a/phase-1', 'projects/a/phase-2']);
    // A folder holding a project, created at once (one event for the folder).
    fs.write(`${ROOT}/projects/c/phasegate.yaml`, '');
    fs.write(`${ROOT}/projects/c/phase-1/00-PHASE_BRIEF.md`, BRIEF(1));
    await svc.filesChanged([{ path: `${ROOT}/projects/c`, type: 'created' }]);
    assert.deepEqual(svc.nested, [`${ROOT}/projects/c`]);
    // The project's folder deleted.
    fs.delete(`${ROOT}/projects/c`);
    await svc.filesChanged([{ path: `${ROOT}/projects/c`, type: 'deleted' }]);
    assert.deepEqual(svc.nested, []);
    const fresh = new PhasegateService({ fs, assets: svc.assets });
    await fresh.load(ROOT);
    assert.deepEqual(folders(svc), folders(fresh));
  });

  it('a given scan brings the nested workspaces it left out (a worker thread builds the same engine)', async () => {
    const { svc, fs } = await workspace({
      'projects/a/phasegate.yaml': '',
      'projects/a/phase-1/00-PHASE_BRIEF.md': BRIEF(1),
      'phase-1/00-PHASE_BRIEF.md': BRIEF(1),
    });
    const worker = new PhasegateService({ fs, assets: svc.assets });
    await worker.load(ROOT, undefined, { scan: structuredClone(svc.scan) });
    assert.deepEqual(worker.nested, svc.nested);
    assert.equal(worker.leftOut(`${ROOT}/projects/a/phase-1/x.md`), true);
  });
});
