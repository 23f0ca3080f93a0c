/** `phasegate new phase`, a phase folder copied to start the next one (`cp -r phase-2 phase-3`), then `check --fix`. */
import * as assert from 'node:assert/strict';
import { WritableMemoryFileSystem, examplesFs, run } from './helpers';

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

describe('phasegate check and status: a complete phase folder copied to start the next phase', () => {
  it('tells each copied document, holds the copy from complete, also once check --fix renumbered it; an edit makes it its own', async () => {
    const fsys = examplesFs();
    const ws = '/ws/examples/all_use_iai_project/workstreams/Build';
    const from = `${ws}/Phase_2_Dependency_Management_Containerization/`;
    const to = `${ws}/Phase_3_Dependency_Management_Containerization/`;
    for (const p of fsys.paths()) if (p.startsWith(from)) fsys.write(p.replace(from, to), fsys.text(p)!);
    const copied = async () =>
      (
        JSON.parse((await run(['check', 'examples', '--format', 'json'], fsys)).stdout) as { diagnostics: { file: string; code: string; message: string }[] }
      ).diagnostics
        .filter((d) => d.code === 'copied-document')
        .map((d) => `${d.file.replace(/^.*\//, '')}: ${d.message}`);
    const message = (f: string) =>
      `${f}: Same text as all_use_iai_project/workstreams/Build/Phase_2_Dependency_Management_Containerization/${f} but for its numbers: its status is Phase_2_Dependency_Management_Containerization's (a copied folder?). Write this phase's own, or reset it.`;
    const both = [message('implementation_prompt.md'), message('implementation_response_from_AI.md')];
    assert.deepEqual(await copied(), both);
    const phase3 = async () => (await run(['status', 'examples'], fsys)).stdout.split('\n').find((l) => l.startsWith('Build/Phase_3_'))!;
    assert.match(await phase3(), /\biai\s+in-progress\s+2\/2\s+… Completeness\s+✓ Tests\s+✓ Proof$/);

    // check --fix renumbers the copy's titles and front matter: still the copy it was.
    assert.equal((await run(['check', 'examples', '--fix'], fsys)).code, 0);
    assert.match(fsys.text(`${to}implementation_prompt.md`)!, /^# Phase 3:/m);
    assert.deepEqual(await copied(), both);
    assert.match(await phase3(), /\bin-progress\b/);

    // Its status alone set for this phase: still a copy (the ticks and evidence are phase 2's).
    const response = `${to}implementation_response_from_AI.md`;
    fsys.write(response, fsys.text(response)!.replace(/^status: .*$/m, 'status: in-progress'));
    assert.deepEqual(await copied(), both);
    // Its response written for this phase (here, a line of its own): the prompt alone is still a copy.
    fsys.write(response, `${fsys.text(response)!}\nWritten for phase 3.\n`);
    assert.deepEqual(await copied(), [message('implementation_prompt.md')]);
  });
});

describe('phasegate check --fix: a copied input handoff', () => {
  it('renumbers it but does not complete its handoff, which would hide the copy, and says why; reset, it is completed', async () => {
    const fsys = examplesFs();
    const A = '/ws/examples/audit-deployment';
    for (const p of fsys.paths()) if (p.startsWith(`${A}/phase-3/`)) fsys.delete(p);
    for (const p of fsys.paths()) if (p.startsWith(`${A}/phase-2/`)) fsys.write(p.replace('/phase-2/', '/phase-3/'), fsys.text(p)!);
    const handoff = `${A}/phase-3/01-INPUT_HANDOFF.md`;
    const copies = async () =>
      (JSON.parse((await run(['check', 'examples', '--format', 'json'], fsys)).stdout) as { diagnostics: { file: string; code: string }[] }).diagnostics
        .filter((d) => d.code === 'copied-document')
        .map((d) => d.file);
    assert.ok((await copies()).includes('examples/audit-deployment/phase-3/01-INPUT_HANDOFF.md'));

    const fixed = await run(['check', 'examples', '--fix'], fsys);
    assert.ok(
      fixed.stderr.includes(
        "phasegate: examples/audit-deployment/phase-3/01-INPUT_HANDOFF.md: the fixes for handoff-mismatch, prerequisite-unmet not applied: it is a copy of examples/audit-deployment/phase-2/01-INPUT_HANDOFF.md (copied-document), and they would make it read as this phase's own while its status and ticks stay that phase's; write this phase's own, or reset it, then fix again\n",
      ),
      fixed.stderr,
    );
    assert.match(fixed.stdout, /^fixed examples\/audit-deployment\/phase-3\/01-INPUT_HANDOFF\.md: 2 × heading-mismatch$/m);
    // Renumbered, still the copy it was: still told, its status and ticks phase 2's, none of phase 2's inputs added.
    const text = fsys.text(handoff)!;
    assert.match(text, /^# Phase 3 Input Handoff$/m);
    assert.match(text, /^status: complete$/m);
    assert.doesNotMatch(text, /CI workflow/);
    assert.ok((await copies()).includes('examples/audit-deployment/phase-3/01-INPUT_HANDOFF.md'));
    // Nothing more to do while it is a copy: the next run writes nothing to it, and says why again.
    const again = await run(['check', 'examples', '--fix'], fsys);
    assert.doesNotMatch(again.stdout, /^fixed examples\/audit-deployment\/phase-3\/01-INPUT_HANDOFF\.md/m);
    assert.match(again.stderr, /phase-3\/01-INPUT_HANDOFF\.md: the fixes for handoff-mismatch, prerequisite-unmet not applied/);
    assert.equal(fsys.text(handoff), text);

    // Reset to a draft, nothing ticked: no copy, and its handoff is completed.
    fsys.write(handoff, text.replace(/^status: complete$/m, 'status: draft').replace(/- \[x\]/g, '- [ ]'));
    const reset = await run(['check', 'examples', '--fix'], fsys);
    assert.doesNotMatch(reset.stderr, /01-INPUT_HANDOFF\.md: the fixes/);
    assert.match(reset.stdout, /^fixed examples\/audit-deployment\/phase-3\/01-INPUT_HANDOFF\.md: .*handoff-mismatch/m);
    assert.match(fsys.text(handoff)!, /^- CI workflow: \[04-ARTIFACTS\/ci\.yml\]\(\.\.\/phase-2\/04-ARTIFACTS\/ci\.yml\)/m);
    assert.match(fsys.text(handoff)!, /\]\(\.\.\/phase-2\/06-OUTPUT_HANDOFF\.md\)/);
  });
});
