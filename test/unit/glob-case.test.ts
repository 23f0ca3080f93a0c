/** Names that differ from the config or the layout by case alone: matched case-sensitively everywhere, and said so. */
import * as assert from 'node:assert/strict';
import { ROOT, diagnosticsOf, workspace } from '../helpers/workspace';
import { assertLinear } from '../helpers/linear';
import { defaultConfig } from '../../server/src/service/config';
import { globCaseProblems } from '../../server/src/service/glob-case';
import { CASE_WHY, layoutCaseProblems } from '../../server/src/service/layout-case';
import type { WorkspaceModel } from '../../server/src/service/workspace';

const WHY = 'globs match case-sensitively on every system (as CI on Linux does), also where the file system ignores case (Windows, macOS)';

const CONFIG = [
  'ignore: ["Drafts/**"]',
  'layouts:',
  '  - name: sprint',
  '    phases: "Sprints/Sprint-*"',
  '    documents:',
  '      - kind: brief',
  '        file: GOALS.md',
  '',
].join('\n');

describe('globs and names that miss by case alone', () => {
  it('a layout `phases` glob that matches no folder but would ignoring case, and an `ignore` glob that leaves in what it would ignoring case: a warning at the glob', async () => {
    const { svc } = await workspace({
      'phasegate.yaml': CONFIG,
      'sprints/sprint-1/GOALS.md': '# Sprint 1\n',
      'sprints/sprint-2/GOALS.md': '# Sprint 2\n',
      'drafts/phase-9/00-PHASE_BRIEF.md': '# Phase 9\n',
      'drafts/notes.md': '# Notes\n',
    });
    assert.deepEqual(
      svc.config.problems.map((p) => [p.code, p.severity, p.range, p.message]),
      [
        [
          'invalid-config',
          'warning',
          { start: { line: 3, character: 12 }, end: { line: 3, character: 30 } },
          `layouts[0].phases: \`Sprints/Sprint-*\` matches no folder, but would match \`sprints/sprint-1\` (and 1 more) ignoring case: ${WHY}; write it as the folders are named`,
        ],
        [
          'invalid-config',
          'warning',
          { start: { line: 0, character: 9 }, end: { line: 0, character: 20 } },
          `ignore[0]: \`Drafts/**\` does not leave out \`drafts\`, which it would match ignoring case: ${WHY}; write it as the files and folders are named`,
        ],
      ],
    );
    // The same phases as on a file system that keeps case: the sprints are none, the draft phase is checked.
    assert.deepEqual(
      svc.model.phases.map((p) => p.id),
      ['phase-9'],
    );
    assert.ok(svc.diagnoseAll().some((d) => d.file === `${ROOT}/phasegate.yaml` && d.message.startsWith('layouts[0].phases:')));
  });

  it('nothing to say of a glob that matches as written, or that matches nothing in any case', async () => {
    const { svc } = await workspace({
      'phasegate.yaml': [
        'ignore: ["drafts/**", "Archive/**"]',
        'layouts:',
        '  - name: sprint',
        '    phases: ["sprints/sprint-*", "Iterations/*"]',
        '    documents: [{ kind: brief, file: GOALS.md }]',
        '',
      ].join('\n'),
      'sprints/sprint-1/GOALS.md': '# Sprint 1\n',
      'drafts/notes.md': '# Notes\n',
    });
    assert.deepEqual(svc.config.problems, []);
    assert.deepEqual(
      svc.model.phases.map((p) => p.id),
      ['sprints/sprint-1'],
    );
  });

  it('follows folders that come and go: the warning comes with the first folder the glob misses by case, and goes with the last', async () => {
    const { svc, fs } = await workspace({ 'phasegate.yaml': CONFIG, 'phase-1/00-PHASE_BRIEF.md': '# Phase 1\n' });
    const config = `${ROOT}/phasegate.yaml`;
    const warned = () => svc.config.problems.filter((p) => p.message.startsWith('layouts[0].phases:')).length;
    assert.equal(warned(), 0);
    fs.write(`${ROOT}/sprints/sprint-1/GOALS.md`, '# Sprint 1\n');
    const affected = await svc.filesChanged([{ path: `${ROOT}/sprints`, type: 'created' }]);
    assert.equal(warned(), 1);
    assert.ok(affected.includes(config), 'the config file is reported again');
    fs.delete(`${ROOT}/sprints`);
    assert.ok((await svc.filesChanged([{ path: `${ROOT}/sprints`, type: 'deleted' }])).includes(config));
    assert.equal(warned(), 0);
    assert.equal(svc.config.problems.length, 0);
  });

  it('a document named in another case is missing, and the message says which file to rename; no fix creates a second one', async () => {
    // Only the brief is written, in another case: the phase has not come to its other documents yet.
    const { svc } = await workspace({ 'phase-1/00-phase_brief.md': '# Phase 1: Start\n' });
    const missing = diagnosticsOf(svc, 'phase-1/00-phase_brief.md', 'missing-document');
    assert.deepEqual(
      missing.slice(0, 2).map((d) => [d.severity, d.message, d.data]),
      [
        [
          'warning',
          'phase-1 has no phase brief (00-PHASE_BRIEF.md): 00-phase_brief.md is named in another case (file names match case-sensitively on every system, as CI on Linux does); rename it 00-PHASE_BRIEF.md.',
          undefined,
        ],
        [
          'warning',
          'phase-1 has no input handoff (01-INPUT_HANDOFF.md) yet.',
          { fix: 'create-document', file: `${ROOT}/phase-1/01-INPUT_HANDOFF.md`, kind: 'input-handoff', phase: 'phase-1' },
        ],
      ],
    );
  });
  it('a `Workstreams/` folder: a warning at it that names what to rename, rather than no phase in silence; it goes once renamed', async () => {
    const prompt = '# Phase 1: Source Control\n';
    const { svc, fs } = await workspace({
      'Workstreams/Build/Phase_1_Source_Control/implementation_prompt.md': prompt,
      'Workstreams/Build/Spike/Implementation_Prompt.md': prompt,
      'Workstreams/Build/notes/readme.md': '# Notes\n',
    });
    assert.equal(svc.model.phases.length, 0);
    const told = () => svc.scanDiagnostics().filter((d) => d.code === 'missing-folder');
    assert.deepEqual(
      told().map((d) => [d.file, d.severity, d.message]),
      [
        [
          `${ROOT}/Workstreams`,
          'warning',
          `Workstreams/ is not the iAI layout's workstreams/ folder (${CASE_WHY}): its phases (Build/Phase_1_Source_Control (and 1 more)) are not checked; rename it workstreams.`,
        ],
      ],
    );
    assert.ok(svc.diagnoseAll().some((d) => d.file === `${ROOT}/Workstreams` && d.code === 'missing-folder'));
    // Renamed: the warning goes, the phase is checked.
    fs.delete(`${ROOT}/Workstreams`);
    fs.write(`${ROOT}/workstreams/Build/Phase_1_Source_Control/implementation_prompt.md`, prompt);
    const affected = await svc.filesChanged([
      { path: `${ROOT}/Workstreams`, type: 'deleted' },
      { path: `${ROOT}/workstreams`, type: 'created' },
    ]);
    assert.ok(affected.includes(`${ROOT}/Workstreams`));
    assert.deepEqual(told(), []);
    assert.deepEqual(
      svc.model.phases.map((p) => p.id),
      ['Build/Phase_1_Source_Control'],
    );
  });

  it('a folder that would be a phase by a document named in another case, and a project plan in another case: a warning at the file, naming the name to give it', async () => {
    const { svc } = await workspace({
      'phase_1/00-phase_brief.md': '# Phase 1: Start\n',
      'workstreams/Build/Notes/Implementation_Prompt.md': '# Phase 1: Start\n',
      'workstreams/Build/misc/readme.md': '# Misc\n',
      'Project_Implementation_Plan.md': '# Plan\n',
    });
    assert.equal(svc.model.phases.length, 0);
    assert.deepEqual(
      svc.scanDiagnostics().map((d) => [d.file, d.severity, d.code, d.message]),
      [
        [
          `${ROOT}/Project_Implementation_Plan.md`,
          'warning',
          'missing-document',
          `Project_Implementation_Plan.md is not read as the project plan (${CASE_WHY}); rename it project_implementation_plan.md.`,
        ],
        [
          `${ROOT}/phase_1/00-phase_brief.md`,
          'warning',
          'missing-document',
          `phase_1 is not checked as a phase: 00-phase_brief.md is named in another case (${CASE_WHY}); rename it 00-PHASE_BRIEF.md.`,
        ],
        [
          `${ROOT}/workstreams/Build/Notes/Implementation_Prompt.md`,
          'warning',
          'missing-document',
          `Notes is not checked as a phase: Implementation_Prompt.md is named in another case (${CASE_WHY}); rename it implementation_prompt.md.`,
        ],
      ],
    );
    // Off in the config or the editor's setting: not said.
    svc.setRuleOverrides({ 'missing-document': 'off' });
    assert.deepEqual(svc.scanDiagnostics(), []);
  });

  it('nothing to say of the layouts names as written, nor of an audit phase folder in any case (`Phase-1`)', async () => {
    const { svc } = await workspace({
      'Phase-1/00-PHASE_BRIEF.md': '# Phase 1: Start\n',
      'Phase-1/03-FINDINGS/f.md': '# Finding\n',
      'Phase-1/04-ARTIFACTS/a.txt': 'a',
      'workstreams/Build/Phase_1_X/implementation_prompt.md': '# Phase 1: X\n',
      'project_implementation_plan.md': '# Plan\n',
    });
    assert.deepEqual(
      svc.model.phases.map((p) => p.id),
      ['phase-1', 'Build/Phase_1_X'],
    );
    assert.deepEqual(svc.scanDiagnostics(), []);
    assert.deepEqual(diagnosticsOf(svc, 'Phase-1/00-PHASE_BRIEF.md', 'missing-folder'), []);
  });

  it('a required folder named in another case (`03-findings/`) is missing, and the message says which folder to rename; no fix creates a second one', async () => {
    const { svc } = await workspace({
      'phase-1/00-PHASE_BRIEF.md': '# Phase 1: Start\n',
      'phase-1/03-findings/f.md': '# Finding\n',
      'phase-1/04-ARTIFACTS/a.txt': 'a',
      // Another phase's folder of the name is not this one's.
      'phase-2/00-PHASE_BRIEF.md': '# Phase 2: Next\n',
      'phase-2/03-FINDINGS/f.md': '# Finding\n',
    });
    assert.deepEqual(
      diagnosticsOf(svc, 'phase-1/00-PHASE_BRIEF.md', 'missing-folder').map((d) => [d.severity, d.message, d.data]),
      [
        [
          'warning',
          'phase-1 has no 03-FINDINGS/ folder, for audit findings and analysis: 03-findings/ is named in another case (folder names match case-sensitively on every system, as CI on Linux does); rename it 03-FINDINGS.',
          undefined,
        ],
      ],
    );
    assert.deepEqual(
      diagnosticsOf(svc, 'phase-2/00-PHASE_BRIEF.md', 'missing-folder').map((d) => [d.message, d.data]),
      [['phase-2 has no 04-ARTIFACTS/ folder, for generated artifacts (configs, scripts).', { fix: 'create-folder', folder: `${ROOT}/phase-2/04-ARTIFACTS` }]],
    );
  });

  it('the layouts names are looked for in time linear in the paths (100,000 files, 20,000 folders)', () => {
    const tree = (n: number) => {
      const files = new Set<string>();
      const dirs = new Set<string>([ROOT]);
      for (let i = 0; i < n; i++) {
        // Half are phases by their names, half by a document in another case among others.
        const d = `${ROOT}/Workstreams/W${i % 50}/${i % 2 ? 'Spike' : 'phase'}_${i}`;
        dirs.add(d);
        for (let j = 0; j < 4; j++) files.add(`${d}/notes_${j}.md`);
        files.add(`${d}/IMPLEMENTATION_PROMPT.md`);
      }
      for (let w = 0; w < 50; w++) dirs.add(`${ROOT}/Workstreams/W${w}`);
      dirs.add(`${ROOT}/Workstreams`);
      return { files, dirs };
    };
    const model: WorkspaceModel = { root: ROOT, phases: [], byFolder: new Map(), groups: new Map(), plans: [] };
    const found = layoutCaseProblems(defaultConfig(ROOT), tree(20_000), model);
    // The folder, and each would-be phase's prompt in another case with it.
    assert.equal(found.length, 20_001);
    assert.equal(found[0].file, `${ROOT}/Workstreams`);
    assert.match(found[0].message, /its phases \(W0\/phase_0 \(and 19999 more\)\)/);
    assert.equal(found.filter((p) => p.code === 'missing-document' && p.file.endsWith('/IMPLEMENTATION_PROMPT.md')).length, 20_000);
    assertLinear(
      'layoutCaseProblems',
      (n) => {
        const t = tree(n);
        return () => layoutCaseProblems(defaultConfig(ROOT), t, model);
      },
      // Up to the same 20,000 folders from 2,500, not 1,250: sets and maps of that size outgrow the processor's caches,
      // and a path cost twice as much at 20,000 as at 1,250 (44 to 50 times as long, 64 allowed). Work quadratic in
      // the paths still takes 64 times as long at 8 times as many (32 allowed).
      { n: 2500, factor: 8 },
    );
  });

  it('an ignore glob that misses 50,000 files by case is told in time linear in them (each file was compared with every one kept before it)', () => {
    const config = { ...defaultConfig(ROOT), file: `${ROOT}/phasegate.yaml` };
    config.globRefs = [{ glob: '**/*.MD', key: 'ignore', at: 'ignore[0]', range: undefined }];
    const tree = (n: number) => {
      const files = new Set<string>();
      for (let i = 0; i < n; i++) files.add(`${ROOT}/notes/n-${i}.md`);
      files.add(`${ROOT}/notes/deep/inner.md`);
      return { files, dirs: new Set([ROOT, `${ROOT}/notes`, `${ROOT}/notes/deep`]) };
    };
    const found = globCaseProblems(config, ROOT, tree(50_000));
    assert.equal(found.length, 1);
    assert.match(found[0].message, /^ignore\[0\]: `\*\*\/\*\.MD` does not leave out `notes\/deep\/inner\.md` \(and 50000 more\)/);
    assertLinear(
      'globCaseProblems',
      (n) => {
        const t = tree(n);
        return () => globCaseProblems(config, ROOT, t);
      },
      // Up to the same 50,000 files from 6,250 (see layoutCaseProblems' above: the caches, 36 to 46 times from 3,125).
      { n: 6250, factor: 8 },
    );
  });
});
