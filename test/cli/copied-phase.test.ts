/** `phasegate new phase`, a phase folder copied to start the next one (`cp -r phase-2 phase-3`), then `check --fix`. */
import * as assert from 'node:assert/strict';
import { WritableMemoryFileSystem, run } from './helpers';

describe('phasegate check --fix: a phase folder copied to start the next phase', () => {
  it('renumbers everything the copy keeps of phase 2, and check then finds no phase named wrongly', async () => {
    const fsys = new WritableMemoryFileSystem();
    assert.equal((await run(['new', 'phase', '--title', 'Foundation'], fsys)).code, 0);
    assert.equal((await run(['new', 'phase', '--title', 'Testing'], fsys)).code, 0);
    assert.equal((await run(['new', 'finding', 'phase-2', '--title', 'Flaky tests'], fsys)).code, 0);
    for (const p of fsys.paths()) if (p.startsWith('/ws/phase-2/')) fsys.write(p.replace('/ws/phase-2/', '/ws/phase-3/'), fsys.text(p)!);

    const before = await run(['check', '--format', 'json'], fsys);
    const mismatches = (out: string) =>
      (JSON.parse(out) as { diagnostics: { file: string; code: string; range: { start: { line: number } } }[] }).diagnostics
        .filter((d) => d.code === 'heading-mismatch' || d.code === 'handoff-mismatch')
        .map((d) => `${d.file}:${d.range.start.line} ${d.code}`);
    assert.ok(mismatches(before.stdout).includes('phase-3/00-PHASE_BRIEF.md:2 heading-mismatch'), before.stdout);

    const fixed = await run(['check', '--fix'], fsys);
    assert.equal(fixed.code, 0, fixed.stdout + fixed.stderr);
    assert.deepEqual(mismatches((await run(['check', '--format', 'json'], fsys)).stdout), []);
    const text = (f: string) => fsys.text(`/ws/phase-3/${f}`)!;
    assert.match(text('00-PHASE_BRIEF.md'), /^phase: "phase-3"\ntitle: "Phase 3: Testing"\n[\s\S]*^# Phase 3: Testing$/m);
    assert.match(text('01-INPUT_HANDOFF.md'), /^from: "phase-2"\ntitle: "Phase 3 Input Handoff"$/m);
    assert.match(text('01-INPUT_HANDOFF.md'), /^Output handoff of Phase 2: \[phase-2\/06-OUTPUT_HANDOFF\.md\]\(\.\.\/phase-2\/06-OUTPUT_HANDOFF\.md\)$/m);
    assert.match(
      text('06-OUTPUT_HANDOFF.md'),
      /^title: "Phase 3 → Phase 4 Handoff"\n[\s\S]*^## Phase 3 Summary$[\s\S]*^## Phase 4 Prerequisites$[\s\S]*^## Phase 4 Inputs$/m,
    );
    assert.match(text('03-FINDINGS/flaky-tests.md'), /^phase: "phase-3"$/m);
    // No other text of phase 3 names phase 2 as its own (the input handoff names it as its source).
    for (const p of fsys.paths()) {
      if (!p.startsWith('/ws/phase-3/')) continue;
      assert.doesNotMatch(fsys.text(p)!, /^phase: "phase-2"$/m, p);
      if (!p.endsWith('/01-INPUT_HANDOFF.md')) assert.doesNotMatch(fsys.text(p)!, /Phase 2\b/, p);
    }
  });
});
