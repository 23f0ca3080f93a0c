/**
 * The engine's change log (`changeMark`, `changedSince`): the paths whose results a change since a mark may have
 * changed — each file an edit or a change on disk reaches (its phase, the next phase, the input handoff of the phase
 * after next, the plans) — or undefined when any result may have (a load, a new file set, new rule severities).
 * The language server's workspace diagnostics and phase tree visit only these after a change.
 */
import * as assert from 'node:assert/strict';
import { ROOT, workspace } from '../helpers/workspace';

const BRIEF = (n: number) => `---\nphase: ${n}\nstatus: in-progress\n---\n\n# Phase ${n}: Work\n\n## Objectives\n\nDo the work.\n`;
const HANDOFF = (n: number) => `# Phase ${n} → Phase ${n + 1} Handoff\n\n## Outputs\n\n- Output 1: done\n`;
const INPUT = (n: number) => `# Phase ${n} Input Handoff\n\n## Inputs\n\n- Output 1: done\n`;

async function setup() {
  const files: Record<string, string> = {};
  for (let n = 1; n <= 5; n++) {
    files[`phase-${n}/00-PHASE_BRIEF.md`] = BRIEF(n);
    files[`phase-${n}/01-INPUT_HANDOFF.md`] = INPUT(n);
    files[`phase-${n}/06-OUTPUT_HANDOFF.md`] = HANDOFF(n);
  }
  return workspace(files);
}

const at = (rel: string) => `${ROOT}/${rel}`;
const sorted = (s: Set<string> | undefined) => (s ? [...s].sort() : s);

describe('engine: the change log', () => {
  it('lists what an edit reaches: its phase, the next phase, the input handoff after next', async () => {
    const { svc } = await setup();
    const mark = svc.changeMark();
    assert.deepEqual(sorted(svc.changedSince(mark)), [], 'nothing changed yet');
    svc.setOverlay(at('phase-2/06-OUTPUT_HANDOFF.md'), `${HANDOFF(2)}- Output 2: more\n`);
    const changed = svc.changedSince(mark)!;
    for (const f of [
      'phase-2/00-PHASE_BRIEF.md',
      'phase-2/06-OUTPUT_HANDOFF.md',
      'phase-3/00-PHASE_BRIEF.md',
      'phase-3/01-INPUT_HANDOFF.md',
      'phase-4/01-INPUT_HANDOFF.md',
    ])
      assert.ok(changed.has(at(f)), `${f} in ${[...changed].join(' ')}`);
    for (const f of ['phase-1/00-PHASE_BRIEF.md', 'phase-4/00-PHASE_BRIEF.md', 'phase-5/01-INPUT_HANDOFF.md']) assert.ok(!changed.has(at(f)), f);
    // Since a later mark: the later changes alone.
    const later = svc.changeMark();
    assert.ok(later > mark);
    assert.deepEqual(sorted(svc.changedSince(later)), []);
    svc.setOverlay(at('phase-5/00-PHASE_BRIEF.md'), `${BRIEF(5)}\nMore.\n`);
    assert.deepEqual(sorted(svc.changedSince(later)), [at('phase-5/00-PHASE_BRIEF.md'), at('phase-5/01-INPUT_HANDOFF.md'), at('phase-5/06-OUTPUT_HANDOFF.md')]);
    assert.ok(svc.changedSince(mark)!.has(at('phase-3/01-INPUT_HANDOFF.md')), 'the earlier mark still sees the earlier change');
  });

  it('every result that did not change is the same array after a change (what the log leaves out stands)', async () => {
    const { svc } = await setup();
    const files = svc.diagnosedPaths();
    const before = new Map(files.map((f) => [f, svc.diagnose(f)]));
    const gates = new Map(svc.model.phases.map((p) => [p.folder, svc.gates(p)]));
    const mark = svc.changeMark();
    svc.setOverlay(at('phase-3/06-OUTPUT_HANDOFF.md'), `${HANDOFF(3)}- Output 2: more\n`);
    await svc.filesChanged([{ path: at('phase-1/00-PHASE_BRIEF.md'), type: 'changed' }]);
    const changed = svc.changedSince(mark)!;
    for (const f of files) if (!changed.has(f)) assert.equal(svc.diagnose(f), before.get(f), f);
    for (const p of svc.model.phases) if (!p.markdown.some((f) => changed.has(f))) assert.equal(svc.gates(p), gates.get(p.folder), p.folder);
  });

  it('undefined after a load, files that came or went, new rule severities', async () => {
    const { svc, fs } = await setup();
    let mark = svc.changeMark();
    svc.setRuleOverrides({ 'missing-document': 'off' });
    assert.equal(svc.changedSince(mark), undefined, 'rule severities');
    mark = svc.changeMark();
    assert.deepEqual(sorted(svc.changedSince(mark)), []);
    fs.write(at('phase-2/03-FINDINGS/new.md'), '# New\n');
    await svc.filesChanged([{ path: at('phase-2/03-FINDINGS/new.md'), type: 'created' }]);
    assert.equal(svc.changedSince(mark), undefined, 'a file came');
    mark = svc.changeMark();
    await svc.load(ROOT);
    assert.equal(svc.changedSince(mark), undefined, 'a load');
    assert.deepEqual(sorted(svc.changedSince(svc.changeMark())), []);
  });

  it('undefined once the changes since a mark are too many to list', async () => {
    const { svc } = await setup();
    const mark = svc.changeMark();
    // Each edit lists its phase's files, the next phase's and an input handoff: under ten paths.
    for (let k = 0; k < 65_536 / 5; k++) svc.setOverlay(at('phase-1/00-PHASE_BRIEF.md'), `${BRIEF(1)}\n${k}\n`);
    assert.equal(svc.changedSince(mark), undefined);
    const later = svc.changeMark();
    svc.setOverlay(at('phase-1/00-PHASE_BRIEF.md'), BRIEF(1));
    assert.ok(svc.changedSince(later)?.has(at('phase-1/00-PHASE_BRIEF.md')));
  });
});
