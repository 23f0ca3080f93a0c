/**
 * case-conflict: files or folders of one folder whose names differ only in case (`scan.md` beside `Scan.md`,
 * `workstreams/Build/` beside `workstreams/build/`), which Windows and macOS take for one. A checked document among them
 * tells them at itself (each such one); any other is told once, at the anchor of the phase it is in or holds. A layout's
 * own name in another case is left to its own warning; the engine that follows file events says what a fresh one says.
 */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { MemoryFileSystem } from '../../server/src/service';
import { loudOn } from '../helpers/fuzz';
import { ROOT, diagnosticsOf, workspace } from '../helpers/workspace';
import type { PhasegateService } from '../../server/src/service';

const BRIEF = '# Phase 1: Start\n';
const conflicts = (svc: Awaited<ReturnType<typeof workspace>>['svc'], rel: string) =>
  diagnosticsOf(svc, rel, 'case-conflict').map((d) => [d.severity, d.message, d.range.start.line, d.range.end.character]);

describe('case-conflict: names that differ only in case', () => {
  it('two findings of one name in two cases: a warning at each, on its first line; other files of the folder none', async () => {
    const { svc } = await workspace({
      'phase-1/00-PHASE_BRIEF.md': BRIEF,
      'phase-1/03-FINDINGS/scan.md': '# Scan\n\nFound.\n',
      'phase-1/03-FINDINGS/Scan.md': '# Scan again\n',
      'phase-1/03-FINDINGS/other.md': '# Other\n',
    });
    const msg = (a: string, b: string) =>
      `"${a}" and "${b}" differ only in case: Linux, and CI there, keeps both, but on Windows and macOS they are one file, and a clone there keeps one of them; rename or merge them.`;
    assert.deepEqual(conflicts(svc, 'phase-1/03-FINDINGS/scan.md'), [['warning', msg('scan.md', 'Scan.md'), 0, '# Scan'.length]]);
    assert.deepEqual(conflicts(svc, 'phase-1/03-FINDINGS/Scan.md'), [['warning', msg('Scan.md', 'scan.md'), 0, '# Scan again'.length]]);
    assert.deepEqual(conflicts(svc, 'phase-1/03-FINDINGS/other.md'), []);
    assert.deepEqual(conflicts(svc, 'phase-1/00-PHASE_BRIEF.md'), []);
  });

  it('a file that is no document (an artifact) is named too; files in two folders are no conflict', async () => {
    const { svc } = await workspace({
      'phase-1/00-PHASE_BRIEF.md': BRIEF,
      'phase-1/04-ARTIFACTS/notes.md': '# Notes\n',
      'phase-1/04-ARTIFACTS/NOTES.MD': 'not markdown by its extension',
      'phase-1/03-FINDINGS/notes.md': '# Notes\n',
    });
    assert.match(conflicts(svc, 'phase-1/04-ARTIFACTS/notes.md')[0]?.[1] as string, /^"notes\.md" and "NOTES\.MD" differ only in case/);
    assert.deepEqual(conflicts(svc, 'phase-1/03-FINDINGS/notes.md'), []);
  });

  it("a layout's own name in another case beside the right one is told by its own warning, not twice", async () => {
    const { svc } = await workspace({
      'phase-1/00-PHASE_BRIEF.md': BRIEF,
      'phase-1/01-INPUT_HANDOFF.md': '# Phase 1 Input Handoff\n',
      'phase-1/01-Input_Handoff.md': '# Phase 1 Input Handoff\n',
    });
    assert.deepEqual(conflicts(svc, 'phase-1/01-INPUT_HANDOFF.md'), []);
    assert.ok(svc.scanDiagnostics().some((d) => d.file === `${ROOT}/phase-1/01-Input_Handoff.md` && /merge the two/.test(d.message)));
  });

  it('follows files that come and go: the engine after the events says what a fresh one says', async () => {
    const fs = new MemoryFileSystem();
    fs.write(`${ROOT}/phase-1/00-PHASE_BRIEF.md`, BRIEF);
    fs.write(`${ROOT}/phase-1/03-FINDINGS/scan.md`, '# Scan\n');
    const svc = await loudOn(fs);
    assert.deepEqual(
      svc.diagnose(`${ROOT}/phase-1/03-FINDINGS/scan.md`).filter((d) => d.code === 'case-conflict'),
      [],
    );
    fs.write(`${ROOT}/phase-1/03-FINDINGS/SCAN.md`, '# Scan\n');
    await svc.filesChanged([{ path: `${ROOT}/phase-1/03-FINDINGS/SCAN.md`, type: 'created' }]);
    const after = svc.diagnose(`${ROOT}/phase-1/03-FINDINGS/scan.md`).filter((d) => d.code === 'case-conflict');
    assert.equal(after.length, 1);
    assert.deepEqual(svc.diagnoseAll(), (await loudOn(fs)).diagnoseAll());
    fs.delete(`${ROOT}/phase-1/03-FINDINGS/SCAN.md`);
    await svc.filesChanged([{ path: `${ROOT}/phase-1/03-FINDINGS/SCAN.md`, type: 'deleted' }]);
    assert.deepEqual(
      svc.diagnose(`${ROOT}/phase-1/03-FINDINGS/scan.md`).filter((d) => d.code === 'case-conflict'),
      [],
    );
  });

  it('an unreadable document beside its name in another case tells it too, with its unreadable-file error', async () => {
    const { svc } = await workspace({
      'phase-1/00-PHASE_BRIEF.md': BRIEF,
      'phase-1/03-FINDINGS/scan.md': '\u0000\u0001 binary',
      'phase-1/03-FINDINGS/Scan.md': '# Scan\n',
    });
    const msg = (a: string, b: string) =>
      `"${a}" and "${b}" differ only in case: Linux, and CI there, keeps both, but on Windows and macOS they are one file, and a clone there keeps one of them; rename or merge them.`;
    // Was: the unreadable-file error alone; its twin told the conflict at itself only.
    assert.deepEqual(
      diagnosticsOf(svc, 'phase-1/03-FINDINGS/scan.md').map((d) => [d.code, d.message, d.range.end.character]),
      [
        ['unreadable-file', 'Cannot check this file: binary content (NUL bytes)', 0],
        ['case-conflict', msg('scan.md', 'Scan.md'), 0],
      ],
    );
    assert.deepEqual(conflicts(svc, 'phase-1/03-FINDINGS/Scan.md'), [['warning', msg('Scan.md', 'scan.md'), 0, '# Scan'.length]]);
    // Its rule set off: the error alone.
    svc.setRuleOverrides({ 'case-conflict': 'off' });
    assert.deepEqual(
      diagnosticsOf(svc, 'phase-1/03-FINDINGS/scan.md').map((d) => d.code),
      ['unreadable-file'],
    );
  });

  /** Every case-conflict of the workspace, as [file relative to /ws, message, range end], in the order diagnoseAll gives. */
  const all = (svc: PhasegateService) =>
    svc
      .diagnoseAll()
      .filter((d) => d.code === 'case-conflict')
      .map((d) => [d.file.slice(ROOT.length + 1), d.message, d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character]);
  const WHY = 'differ only in case: Linux, and CI there, keeps both, but on Windows and macOS';
  const FOLDERS = `${WHY} they are one folder, and a clone there mixes their contents in it, keeping one file of each name they share; rename or merge them.`;
  const FILES = `${WHY} they are one file, and a clone there keeps one of them; rename or merge them.`;
  const PROMPT = '# Phase 1: Source control\n';

  it('two workstream folders in two cases: told once, at the first phase in them (its anchor), not at the files inside', async () => {
    const { svc } = await workspace({
      'workstreams/build/Phase_1_Source/implementation_prompt.md': PROMPT,
      'workstreams/build/Phase_1_Source/notes.md': '# Notes\n',
      'workstreams/Build/Phase_1_Source/implementation_prompt.md': PROMPT,
      'workstreams/Build/Phase_1_Source/Notes.md': '# Notes\n',
      'workstreams/Build/Phase_2_Tests/implementation_prompt.md': '# Phase 2: Tests\n',
    });
    assert.deepEqual(all(svc), [
      ['workstreams/Build/Phase_1_Source/implementation_prompt.md', `"workstreams/Build/" and "workstreams/build/" ${FOLDERS}`, 0, 0, 0, PROMPT.length - 1],
    ]);
  });

  it("two phase folders in two cases: at the first one's anchor, or at its folder when it has no document", async () => {
    const { svc } = await workspace({
      'phase-1/00-PHASE_BRIEF.md': BRIEF,
      'Phase-1/00-PHASE_BRIEF.md': BRIEF,
      'Phase-1/notes.md': '# Notes\n',
      'phase-2/00-PHASE_BRIEF.md': '# Phase 2: Next\n',
    });
    assert.deepEqual(all(svc), [['Phase-1/00-PHASE_BRIEF.md', `"Phase-1/" and "phase-1/" ${FOLDERS}`, 0, 0, 0, BRIEF.length - 1]]);
    const bare = await workspace({
      'phase-1/00-PHASE_BRIEF.md': BRIEF,
      'Phase-1/04-ARTIFACTS/run.sh': 'echo\n',
    });
    assert.deepEqual(all(bare.svc), [['Phase-1', `"Phase-1/" and "phase-1/" ${FOLDERS}`, 0, 0, 0, 0]]);
  });

  it("two phase folders in two cases are two phases of one number too: the duplicate's message says why, at the title", async () => {
    const { svc } = await workspace({
      'phase-1/00-PHASE_BRIEF.md': BRIEF,
      'Phase-1/00-PHASE_BRIEF.md': BRIEF,
      'phase-01/00-PHASE_BRIEF.md': BRIEF,
    });
    const dup = (rel: string) => diagnosticsOf(svc, rel, 'phase-numbering-duplicate').map((d) => [d.message, d.range.start.character, d.range.end.character]);
    const msg =
      'Phase number 1 is used by 3 phases in ws/: Phase-1, phase-01, phase-1 (Phase-1 and phase-1 differ only in case, a case-conflict too: merge or rename them).';
    // At the title's text of each, where case-conflict (once, at the first) covers the whole first line.
    for (const rel of ['phase-1/00-PHASE_BRIEF.md', 'Phase-1/00-PHASE_BRIEF.md', 'phase-01/00-PHASE_BRIEF.md'])
      assert.deepEqual(dup(rel), [[msg, 2, BRIEF.length - 1]], rel);
    assert.deepEqual(all(svc), [['Phase-1/00-PHASE_BRIEF.md', `"Phase-1/" and "phase-1/" ${FOLDERS}`, 0, 0, 0, BRIEF.length - 1]]);
    // Numbered alike in one case only: as before.
    const plain = await workspace({ 'phase-1/00-PHASE_BRIEF.md': BRIEF, 'phase-01/00-PHASE_BRIEF.md': BRIEF });
    assert.deepEqual(
      diagnosticsOf(plain.svc, 'phase-1/00-PHASE_BRIEF.md', 'phase-numbering-duplicate').map((d) => d.message),
      ['Phase number 1 is used by 2 phases in ws/: phase-01, phase-1.'],
    );
  });

  it("files and folders in a phase that are no checked document: told once, at the phase's anchor", async () => {
    const { svc } = await workspace({
      'phase-1/00-PHASE_BRIEF.md': BRIEF,
      'phase-1/01-INPUT_HANDOFF.md': '# Phase 1 Input Handoff\n',
      'phase-1/04-ARTIFACTS/Deploy.yaml': 'a: 1\n',
      'phase-1/04-ARTIFACTS/deploy.yaml': 'a: 2\n',
      'phase-1/04-ARTIFACTS/Configs/a.json': '{}',
      'phase-1/04-ARTIFACTS/configs/b.json': '{}',
      'phase-1/03-FINDINGS/Net/a.md': '# A\n',
      'phase-1/03-FINDINGS/net/b.md': '# B\n',
    });
    const at = ['phase-1/00-PHASE_BRIEF.md', 0, 0, 0, BRIEF.length - 1];
    assert.deepEqual(all(svc), [
      [at[0], `"phase-1/03-FINDINGS/Net/" and "phase-1/03-FINDINGS/net/" ${FOLDERS}`, ...at.slice(1)],
      [at[0], `"phase-1/04-ARTIFACTS/Configs/" and "phase-1/04-ARTIFACTS/configs/" ${FOLDERS}`, ...at.slice(1)],
      [at[0], `"phase-1/04-ARTIFACTS/Deploy.yaml" and "phase-1/04-ARTIFACTS/deploy.yaml" ${FILES}`, ...at.slice(1)],
    ]);
  });

  it('a checked document beside a folder of its name in another case is told at the document, as a file and a folder', async () => {
    const { svc } = await workspace({
      'phase-1/00-PHASE_BRIEF.md': BRIEF,
      'phase-1/03-FINDINGS/scan.md': '# Scan\n',
      'phase-1/03-FINDINGS/Scan.md/x.md': '# X\n',
    });
    assert.deepEqual(all(svc), [
      [
        'phase-1/03-FINDINGS/scan.md',
        `"scan.md" and "Scan.md/" ${WHY} a file and a folder cannot both be named so in one folder, and a clone there leaves one of them out; rename one of them.`,
        0,
        0,
        0,
        '# Scan'.length,
      ],
    ]);
  });

  it("what the layouts' warnings tell is not told again; names outside the phases are not told", async () => {
    const { svc } = await workspace({
      'phase-1/00-PHASE_BRIEF.md': BRIEF,
      // Beside the folder as named: layout-case's missing-folder at each.
      'phase-1/03-FINDINGS/a.md': '# A\n',
      'phase-1/03-Findings/b.md': '# B\n',
      'phase-1/03-findings/c.md': '# C\n',
      // None as named: the phase's missing-folder and missing-document name them, to merge.
      'phase-1/04-Artifacts/a.txt': 'a',
      'phase-1/04-artifacts/b.txt': 'b',
      'phase-1/01-Input_Handoff.md': '# Phase 1 Input Handoff\n',
      'phase-1/01-input_handoff.md': '# Phase 1 Input Handoff\n',
      // Beside workstreams/: layout-case's missing-folder.
      'workstreams/Build/Phase_1_Source/implementation_prompt.md': PROMPT,
      'Workstreams/Build/Phase_1_Source/implementation_prompt.md': PROMPT,
      // Nothing checked in them.
      'Docs/a.md': '# A\n',
      'docs/b.md': '# B\n',
      'README.md': '# R\n',
      'readme.md': '# R\n',
    });
    assert.deepEqual(all(svc), []);
    const told = svc
      .diagnoseAll()
      .filter((d) => /04-Artifacts\/ and 04-artifacts\/ are named in another case|01-Input_Handoff\.md and 01-input_handoff\.md are/.test(d.message));
    assert.equal(told.length, 2);
    const cased = svc.scanDiagnostics().map((d) => d.file.slice(ROOT.length + 1));
    assert.deepEqual(cased.sort(), ['Workstreams', 'phase-1/03-Findings', 'phase-1/03-findings']);
  });

  it("names in the folders that hold phases or workstreams are told at their first phase; the workspace folder's are not", async () => {
    const { svc } = await workspace({
      'workstreams/Build/Phase_1_Source/implementation_prompt.md': PROMPT,
      'workstreams/Build/Phase_2_Tests/implementation_prompt.md': '# Phase 2: Tests\n',
      // In a workstream: a folder of notes and a file, each in two cases.
      'workstreams/Build/notes/a.md': '# A\n',
      'workstreams/Build/Notes/b.md': '# B\n',
      'workstreams/Build/README.md': '# R\n',
      'workstreams/Build/readme.md': '# R\n',
      // Beside the workstreams.
      'workstreams/archive/old.md': '# Old\n',
      'workstreams/Archive/old.md': '# Old\n',
      // Deeper, in a folder that holds no phase: the user's own.
      'workstreams/Build/notes/x.md': '# X\n',
      'workstreams/Build/notes/X.md': '# X\n',
      // In the workspace folder: the repository's own.
      'README.md': '# R\n',
      'readme.md': '# R\n',
    });
    const at = ['workstreams/Build/Phase_1_Source/implementation_prompt.md', 0, 0, 0, PROMPT.length - 1];
    // Was: none of them.
    assert.deepEqual(all(svc), [
      [at[0], `"workstreams/Archive/" and "workstreams/archive/" ${FOLDERS}`, ...at.slice(1)],
      [at[0], `"workstreams/Build/Notes/" and "workstreams/Build/notes/" ${FOLDERS}`, ...at.slice(1)],
      [at[0], `"workstreams/Build/README.md" and "workstreams/Build/readme.md" ${FILES}`, ...at.slice(1)],
    ]);
    // A custom layout's folder of phases too.
    const sprints = await workspace({
      'phasegate.yaml': 'layouts:\n  - name: sprint\n    phases: "sprints/sprint-*"\n    documents:\n      - kind: retro\n        file: RETRO.md\n',
      'sprints/sprint-1/RETRO.md': '# Retro\n',
      'sprints/sprint-2/RETRO.md': '# Retro\n',
      'sprints/Plan.txt': 'a',
      'sprints/plan.txt': 'b',
    });
    assert.deepEqual(all(sprints.svc), [['sprints/sprint-1/RETRO.md', `"sprints/Plan.txt" and "sprints/plan.txt" ${FILES}`, 0, 0, 0, '# Retro'.length]]);
    // Followed as the files come and go: the engine after the events says what a fresh one says.
    const fs = new MemoryFileSystem();
    fs.write(`${ROOT}/workstreams/Build/Phase_1_Source/implementation_prompt.md`, PROMPT);
    fs.write(`${ROOT}/workstreams/Build/README.md`, '# R\n');
    const live = await loudOn(fs);
    for (const [path, type] of [
      ['workstreams/Build/readme.md', 'created'],
      ['workstreams/Build/Phase_2_Tests/implementation_prompt.md', 'created'],
      ['workstreams/Build/README.md', 'deleted'],
    ] as const) {
      if (type === 'created') fs.write(`${ROOT}/${path}`, path.endsWith('prompt.md') ? '# Phase 2: Tests\n' : '# R\n');
      else fs.delete(`${ROOT}/${path}`);
      await live.filesChanged([{ path: `${ROOT}/${path}`, type }]);
      assert.deepEqual(all(live), all(await loudOn(fs)), `${type} ${path}`);
    }
  });

  it('follows folders and files that come, are renamed and go: the engine after the events says what a fresh one says', async () => {
    const fs = new MemoryFileSystem();
    fs.write(`${ROOT}/workstreams/Build/Phase_1_Source/implementation_prompt.md`, PROMPT);
    fs.write(`${ROOT}/phase-1/00-PHASE_BRIEF.md`, BRIEF);
    fs.write(`${ROOT}/phase-1/04-ARTIFACTS/deploy.yaml`, 'a: 1\n');
    const svc = await loudOn(fs);
    assert.deepEqual(all(svc), []);
    const step = async (events: { path: string; type: 'created' | 'deleted' }[], count: number) => {
      const affected = await svc.filesChanged(events.map((e) => ({ ...e, path: `${ROOT}/${e.path}` })));
      const fresh = await loudOn(fs);
      assert.deepEqual(all(svc), all(fresh));
      assert.equal(all(svc).length, count);
      assert.deepEqual(svc.diagnoseAll(), fresh.diagnoseAll());
      // The files told at are among those the host is told to diagnose again.
      for (const [file] of all(svc)) assert.ok(affected.includes(`${ROOT}/${file}`), `${file} not said affected`);
      return affected;
    };
    // A workstream folder in another case, made (a folder event alone, as a checkout gives).
    fs.write(`${ROOT}/workstreams/build/Phase_2_Tests/implementation_prompt.md`, '# Phase 2: Tests\n');
    await step([{ path: 'workstreams/build', type: 'created' }], 1);
    // An artifact in another case.
    fs.write(`${ROOT}/phase-1/04-ARTIFACTS/Deploy.yaml`, 'a: 2\n');
    await step([{ path: 'phase-1/04-ARTIFACTS/Deploy.yaml', type: 'created' }], 2);
    // A phase folder in another case, with no document.
    fs.mkdir(`${ROOT}/Phase-1`);
    await step([{ path: 'Phase-1', type: 'created' }], 3);
    // The workstream folder renamed: the conflict goes, and the one told at the phase folder is told at a document.
    fs.delete(`${ROOT}/workstreams/build`);
    fs.write(`${ROOT}/workstreams/Tests/Phase_2_Tests/implementation_prompt.md`, '# Phase 2: Tests\n');
    const affected = await step(
      [
        { path: 'workstreams/build', type: 'deleted' },
        { path: 'workstreams/Tests', type: 'created' },
      ],
      2,
    );
    assert.ok(affected.includes(`${ROOT}/workstreams/Build/Phase_1_Source/implementation_prompt.md`), 'the file the conflict was told at, said affected');
    fs.write(`${ROOT}/Phase-1/00-PHASE_BRIEF.md`, BRIEF);
    await step([{ path: 'Phase-1/00-PHASE_BRIEF.md', type: 'created' }], 2);
    assert.deepEqual(all(svc)[0].slice(0, 1), ['Phase-1/00-PHASE_BRIEF.md']);
    // Deleted: none left.
    fs.delete(`${ROOT}/Phase-1`);
    fs.delete(`${ROOT}/phase-1/04-ARTIFACTS/Deploy.yaml`);
    await step(
      [
        { path: 'Phase-1', type: 'deleted' },
        { path: 'phase-1/04-ARTIFACTS/Deploy.yaml', type: 'deleted' },
      ],
      0,
    );
  });

  it('a document the editor opens, not saved, and closes: its conflict comes and goes (the index in lower case kept)', async () => {
    const { svc } = await workspace({
      'phase-1/00-PHASE_BRIEF.md': BRIEF,
      'phase-1/03-FINDINGS/scan.md': '# Scan\n',
      'phase-1/04-ARTIFACTS/deploy.yaml': 'a: 1\n',
    });
    assert.deepEqual(all(svc), []);
    const scan = `${ROOT}/phase-1/03-FINDINGS/Scan.md`;
    const affected = svc.setOverlay(scan, '# Scan again\n');
    assert.ok(affected.includes(`${ROOT}/phase-1/03-FINDINGS/scan.md`));
    assert.deepEqual(
      all(svc).map((c) => c[0]),
      ['phase-1/03-FINDINGS/Scan.md', 'phase-1/03-FINDINGS/scan.md'],
    );
    await svc.clearOverlay(scan);
    assert.deepEqual(all(svc), []);
  });

  it('property: each set of names of one folder that differ only in case, in a phase or holding one, is told exactly once', async () => {
    /** Some of the casings of `name` (none, one, or two or more: a conflict). */
    const casings = (...names: string[]) => fc.subarray(names);
    const shape = fc.record({
      phases: fc.subarray(['phase-1', 'Phase-1', 'PHASE-1'], { minLength: 1 }),
      brief: fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
      artifacts: fc.array(casings('deploy.yaml', 'Deploy.yaml', 'DEPLOY.YAML'), { minLength: 3, maxLength: 3 }),
      findings: fc.array(casings('net', 'Net', 'NET'), { minLength: 3, maxLength: 3 }),
      workstreams: casings('build', 'Build', 'BUILD'),
      docs: casings('docs', 'Docs'),
    });
    await fc.assert(
      fc.asyncProperty(shape, async (s) => {
        const files: Record<string, string> = { 'phase-2/00-PHASE_BRIEF.md': '# Phase 2: Next\n' };
        s.phases.forEach((p, i) => {
          files[`${p}/${s.brief[i] ? '00-PHASE_BRIEF.md' : 'notes.txt'}`] = s.brief[i] ? BRIEF : 'notes';
          for (const a of s.artifacts[i]) files[`${p}/04-ARTIFACTS/${a}`] = 'a: 1\n';
          for (const f of s.findings[i]) files[`${p}/03-FINDINGS/${f}/a.md`] = '# A\n';
        });
        for (const w of s.workstreams) files[`workstreams/${w}/Phase_1_X/implementation_prompt.md`] = PROMPT;
        for (const d of s.docs) files[`${d}/a.md`] = '# A\n';
        const { svc } = await workspace(files);
        // The sets expected: of the phase folders, of the workstreams, and in each phase folder of its artifacts and
        // of its findings' folders (folders outside the phases holding none, `docs/` and `Docs/`, are not told).
        const expected: string[][] = [];
        const folders = (names: string[]) => names.map((n) => n + '/');
        if (s.phases.length > 1) expected.push(folders(s.phases));
        if (s.workstreams.length > 1) expected.push(folders(s.workstreams.map((w) => `workstreams/${w}`)));
        s.phases.forEach((p, i) => {
          if (s.artifacts[i].length > 1) expected.push(s.artifacts[i].map((a) => `${p}/04-ARTIFACTS/${a}`));
          if (s.findings[i].length > 1) expected.push(folders(s.findings[i].map((f) => `${p}/03-FINDINGS/${f}`)));
        });
        const told = all(svc).map((d) => d[1] as string);
        const key = (names: string[]) => [...names].sort().join('|');
        const names = (m: string) => key([...m.split(' differ only in case')[0].matchAll(/"([^"]+)"/g)].map((x) => x[1]));
        assert.deepEqual(told.map(names).sort(), expected.map(key).sort(), JSON.stringify(s));
        // Each at a path the engine diagnoses, in the phase it is in or holds.
        for (const [file] of all(svc)) assert.ok(svc.diagnosedPaths().includes(`${ROOT}/${file}`), `${file}: ${JSON.stringify(s)}`);
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 100) },
    );
  });
});
