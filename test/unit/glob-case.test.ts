/** Names that differ from the config or the layout by case alone: matched case-sensitively everywhere, and said so. */
import * as assert from 'node:assert/strict';
import { ROOT, diagnosticsOf, workspace } from '../helpers/workspace';
import { defaultConfig } from '../../server/src/service/config';
import { globCaseProblems } from '../../server/src/service/glob-case';

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
          'Phase phase-1 has no Phase brief (00-PHASE_BRIEF.md): 00-phase_brief.md is named in another case (file names match case-sensitively on every system, as CI on Linux does); rename it 00-PHASE_BRIEF.md.',
          undefined,
        ],
        [
          'warning',
          'Phase phase-1 has no Input handoff (01-INPUT_HANDOFF.md) yet.',
          { fix: 'create-document', file: `${ROOT}/phase-1/01-INPUT_HANDOFF.md`, kind: 'input-handoff', phase: 'phase-1' },
        ],
      ],
    );
  });
  it('an ignore glob that misses 50,000 files by case is told in time linear in them (each file was compared with every one kept before it)', () => {
    const config = { ...defaultConfig(ROOT), file: `${ROOT}/phasegate.yaml` };
    config.globRefs = [{ glob: '**/*.MD', key: 'ignore', at: 'ignore[0]', range: undefined }];
    const files = new Set<string>();
    for (let i = 0; i < 50_000; i++) files.add(`${ROOT}/notes/n-${i}.md`);
    files.add(`${ROOT}/notes/deep/inner.md`);
    const t0 = performance.now();
    const found = globCaseProblems(config, ROOT, { files, dirs: new Set([ROOT, `${ROOT}/notes`, `${ROOT}/notes/deep`]) });
    const ms = performance.now() - t0;
    assert.equal(found.length, 1);
    assert.match(found[0].message, /^ignore\[0\]: `\*\*\/\*\.MD` does not leave out `notes\/deep\/inner\.md` \(and 50000 more\)/);
    assert.ok(ms < 3000, `${Math.round(ms)} ms`);
  });
});
