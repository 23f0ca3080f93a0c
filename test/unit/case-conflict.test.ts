/**
 * case-conflict: a checked document beside a file whose name differs only in case (`scan.md` beside `Scan.md`), which
 * Windows and macOS take for one file. Told at each checked one; a layout's own name in another case is left to its
 * own warning; the engine that follows file events says what a fresh one says.
 */
import * as assert from 'node:assert/strict';
import { MemoryFileSystem } from '../../server/src/service';
import { loudOn } from '../helpers/fuzz';
import { ROOT, diagnosticsOf, workspace } from '../helpers/workspace';

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
});
