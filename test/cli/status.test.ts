import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { NodeFileSystem } from '../../server/src/node/assets';
import { PhasegateService } from '../../server/src/service';
import { assets, REPO } from '../helpers/workspace';
import { examplesFs, run, WritableMemoryFileSystem } from './helpers';
import { displayWidth } from '../../server/src/service/width';

describe('phasegate status', () => {
  it('lists every phase of the examples with layout, status, documents and gates', async () => {
    const svc = new PhasegateService({ fs: new NodeFileSystem(), assets });
    await svc.load(`${REPO.replace(/\\/g, '/')}/examples`);
    const ids = svc.model.phases.map((p) => p.id);
    assert.equal(ids.length, 6);
    const r = await run(['status', 'examples'], examplesFs());
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.split('\n');
    assert.match(lines[0], /^PHASE\s+TITLE\s+LAYOUT\s+STATUS\s+DOCS\s+GATES$/);
    for (const id of ids)
      assert.ok(
        lines.some((l) => l.startsWith(id + ' ')),
        `${id} missing from\n${r.stdout}`,
      );
    const p1 = lines.find((l) => l.startsWith('phase-1 ')) ?? '';
    assert.match(p1, /\baudit\s+complete\s+6\/6\s+✓ Completeness {2}✓ Quality {2}✓ Documentation {2}✓ Testing {2}✓ Review {2}✓ Approval$/);
    const iai = lines.find((l) => l.startsWith('Build/Phase_1_Source_Code_Management ')) ?? '';
    assert.match(iai, /\biai\s+complete\s+2\/2\s+✓ Completeness {2}✓ Tests {2}✓ Proof$/);
    // Phase 3 is in progress: its pending gates and why are listed under it.
    const i3 = lines.findIndex((l) => l.startsWith('phase-3 '));
    assert.match(lines[i3], /in-progress\s+6\/6\s+… Completeness/);
    assert.match(lines[i3 + 1], /^ {4}needs: Completeness \(pending\): 1 item unchecked$/);
    assert.match(lines[i3 + 2], /^ {11}Quality \(pending\): 1 item unchecked$/);
    assert.match(r.stdout, /\n5 of 6 phases complete\.\n$/);
  });

  it('reads the gates written one checklist item each, as the phase system design lists them; a box-less item is reported by check too', async () => {
    const rel = 'examples/audit-deployment/phase-1/07-VALIDATION.md';
    const heading = fs.readFileSync(path.join(REPO, rel), 'utf8');
    const items = [
      '- [x] **Completeness**: All deliverables produced — Evidence: [handoff summary](06-OUTPUT_HANDOFF.md)',
      '- [x] **Quality**: Every finding has a severity — Evidence: [security baseline](03-FINDINGS/security-baseline.md)',
      '3. [x] **Documentation**: All decisions documented — Evidence: [decisions](05-DECISIONS.md)',
      '4. [x] **Testing**: The test suite passes — Evidence: [coverage analysis](03-FINDINGS/test-coverage-analysis.md)',
      '- [x] **Review**: Findings reviewed — Evidence: [the roadmap](04-ARTIFACTS/remediation-roadmap.md)',
      '- [x] **Approval**: Roadmap signed off — Evidence: [handoff](06-OUTPUT_HANDOFF.md)',
    ];
    const listed = heading.replace(/## Gate 1[\s\S]*?(?=## Success Metrics)/, `## Validation Gates\n\n${items.join('\n')}\n\n`);
    assert.notEqual(listed, heading);
    const target = 'examples/audit-deployment/phase-1';
    const fsys = examplesFs({ [rel]: listed });
    const check = await run(['check', target], fsys);
    assert.equal(check.code, 0, check.stdout);
    assert.doesNotMatch(check.stdout, /missing-section|gate-item/);
    const status = await run(['status', target], fsys);
    assert.match(
      status.stdout.split('\n')[1],
      /\baudit\s+complete\s+6\/6\s+✓ Completeness {2}✓ Quality {2}✓ Documentation {2}✓ Testing {2}✓ Review {2}✓ Approval$/,
    );
    // An emoji for a box: status holds the gate, and check says why (it no longer passes in silence).
    const emoji = examplesFs({ [rel]: listed.replace('- [x] **Approval**', '- ✅ **Approval**') });
    const held = await run(['status', target], emoji);
    assert.match(held.stdout, /in-progress[^\n]*… Approval\n {4}needs: Approval \(pending\): checklist has no checkbox items\n/);
    const warned = await run(['check', target], emoji);
    assert.equal(warned.code, 0);
    assert.match(warned.stdout, /07-VALIDATION\.md:\d+:\d+ {2}warning {2}Approval gate: its checklist has no checkbox items[^\n]*\[gate-item-unchecked\]/);
  });

  it('shows missing documents and failed gates as blockers', async () => {
    const fsys = examplesFs();
    fsys.delete('/ws/examples/audit-deployment/phase-2/05-DECISIONS.md');
    const r = await run(['status', 'examples/audit-deployment/phase-2'], fsys);
    assert.equal(r.code, 0);
    const lines = r.stdout.split('\n');
    assert.match(lines[1], /^phase-2\s+Testing & Quality Enhancement\s+audit\s+blocked\s+5\/6\s+✗ Completeness/);
    assert.equal(lines[2], '    blocked by: missing 05-DECISIONS.md');
    // Each fact once: the missing document is said where it says what to write, not again as what fails Completeness
    // (was: `Completeness (failed): 1 × missing-document`); the GATES column shows the gate failed.
    assert.equal(lines[3], '                Documentation (failed): 1 × broken-link');
    assert.equal(lines[4], '');
    assert.doesNotMatch(r.stdout, /missing-document/);
  });

  it('says what blocks a blocked phase apart from what it still needs: a pending gate is needed, not blocking', async () => {
    const fsys = examplesFs();
    const validation = '/ws/examples/audit-deployment/phase-2/07-VALIDATION.md';
    // A Review item unticked (pending) beside the broken link that fails Documentation.
    fsys.write(validation, fsys.text(validation)!.replace(/- \[x\] (.*[Rr]eview)/, '- [ ] $1'));
    fsys.write(validation, fsys.text(validation)! + '\nSee [the log](04-ARTIFACTS/gone.md).\n');
    const lines = (await run(['status', 'examples/audit-deployment/phase-2'], fsys)).stdout.split('\n');
    assert.match(lines[1], /\bblocked\b/);
    assert.deepEqual(lines.slice(2, 5), ['    blocked by: Documentation (failed): 1 × broken-link', '    needs:      Review (pending): 1 item unchecked', '']);
  });

  it('reads a phase new just made as not started until someone writes in a document beyond its brief', async () => {
    const fsys = new WritableMemoryFileSystem();
    assert.equal((await run(['new', 'phase', '--title', 'Audit'], fsys)).code, 0);
    assert.equal((await run(['new', 'phase', '--title', 'Next'], fsys)).code, 0);
    const statuses = async () =>
      (JSON.parse((await run(['check', '--format', 'json'], fsys)).stdout) as { phases: { id: string; status: string }[] }).phases.map(
        (p) => `${p.id} ${p.status}`,
      );
    // Phase 2's input handoff is taken from phase 1's output handoff: still what new wrote (was: both in progress).
    assert.deepEqual(await statuses(), ['phase-1 not-started', 'phase-2 not-started']);
    // Its brief filled in (deliverables the execution plan would now list): still not started.
    const brief = '/ws/phase-2/00-PHASE_BRIEF.md';
    fsys.write(brief, fsys.text(brief)!.replace('- [Deliverable]', '- Coverage report'));
    assert.deepEqual(await statuses(), ['phase-1 not-started', 'phase-2 not-started']);
    // A line written in its execution plan, or its decisions' status set: in progress.
    const plan = '/ws/phase-1/02-EXECUTION_PLAN.md';
    fsys.write(plan, fsys.text(plan)!.replace('[How the phase will be executed]', 'Scan, then review.'));
    const decisions = '/ws/phase-2/05-DECISIONS.md';
    fsys.write(decisions, fsys.text(decisions)!.replace(/^status: draft.*$/m, 'status: in-progress'));
    assert.deepEqual(await statuses(), ['phase-1 in-progress', 'phase-2 in-progress']);
    // So is an iAI phase whose response new wrote from the prompt: not started, until it is written.
    const iai = new WritableMemoryFileSystem();
    assert.equal((await run(['new', 'phase', '--workstream', 'Build', '--title', 'CI'], iai)).code, 0);
    assert.equal((await run(['new', 'response', 'Build/Phase_1_CI'], iai)).code, 0);
    const status = async () => (JSON.parse((await run(['status', '--format', 'json'], iai)).stdout) as { phases: { status: string }[] }).phases[0].status;
    assert.equal(await status(), 'not-started');
    const response = '/ws/workstreams/Build/Phase_1_CI/implementation_response_from_AI.md';
    iai.write(response, iai.text(response)! + '\nFirst notes.\n');
    assert.equal(await status(), 'in-progress');
  });

  it('shows a front matter title written over several lines (a folded scalar, an escaped line break) on one line', async () => {
    const fsys = new WritableMemoryFileSystem();
    assert.equal((await run(['new', 'phase', '--workstream', 'Build', '--title', 'CI'], fsys)).code, 0);
    const prompt = '/ws/workstreams/Build/Phase_1_CI/implementation_prompt.md';
    // Without its heading, the phase is titled from its front matter.
    const headless = fsys.text(prompt)!.replace(/^# .*\n/m, '');
    for (const [title, shown] of [
      ['title: "Line one\\nLine two\\u2028three\\tfour"', 'Line one Line two three four'],
      ['title: >\n  Continuous\n  integration', 'Continuous integration'],
      ['title: |\n  Continuous\n  delivery', 'Continuous delivery'],
    ]) {
      fsys.write(prompt, headless.replace(/^title: .*$/m, title));
      const json = JSON.parse((await run(['status', '--format', 'json'], fsys)).stdout) as { phases: { title: string }[] };
      assert.equal(json.phases[0].title, shown, title);
      const rows = (await run(['status'], fsys)).stdout.split('\n');
      assert.match(rows[1], new RegExp(`^Build/Phase_1_CI +${shown} +iai `), title);
      assert.match(rows[2], /^ {4}needs: /, title);
    }
  });

  it("says an iAI phase's missing response once, under needs, not again in each gate it holds", async () => {
    const fsys = new WritableMemoryFileSystem();
    assert.equal((await run(['new', 'phase', '--workstream', 'Build', '--title', 'Advanced CI'], fsys)).code, 0);
    const r = await run(['status'], fsys);
    assert.deepEqual(r.stdout.split('\n').slice(1, 4), [
      'Build/Phase_1_Advanced_CI  Advanced CI  iai     not-started  1/2   … Completeness  … Tests  … Proof',
      '    needs: missing implementation_response_from_AI.md',
      // Was: `1 × missing-document, 7 × unfilled-placeholder, implementation_response_from_AI.md not written yet`, and Tests
      // and Proof each `(pending): implementation_response_from_AI.md not written yet`.
      '           Completeness (pending): 7 × unfilled-placeholder',
    ]);
    assert.equal(r.stdout.split('\n')[4], '');
    // JSON: blockedBy as the text says it; each gate keeps all its reasons.
    const json = JSON.parse((await run(['status', '--format', 'json'], fsys)).stdout) as {
      phases: { blockedBy: string[]; gates: { name: string; reasons: string[] }[] }[];
    };
    assert.deepEqual(json.phases[0].blockedBy, ['missing implementation_response_from_AI.md', 'Completeness (pending): 7 × unfilled-placeholder']);
    assert.deepEqual(json.phases[0].gates[1], { name: 'Tests', status: 'pending', reasons: ['implementation_response_from_AI.md not written yet'] });
    // A missing-document problem that says more than that the document is not there (a file of its name in another
    // case, to rename) stays counted under its gate.
    fsys.write('/ws/workstreams/Build/Phase_1_Advanced_CI/Implementation_Response_From_AI.md', '# x\n');
    const cased = (await run(['status'], fsys)).stdout.split('\n');
    assert.equal(cased[3], '           Completeness (pending): 1 × missing-document, 7 × unfilled-placeholder');
  });

  it('says what a phase not started or in progress still needs, not what blocks it: a phase is blocked only when a gate failed', async () => {
    const fsys = examplesFs();
    const audit = '/ws/examples/audit-deployment';
    fsys.write(`${audit}/phase-4/00-PHASE_BRIEF.md`, fsys.text(`${audit}/phase-3/00-PHASE_BRIEF.md`)!.replace(/Phase 3/g, 'Phase 4'));
    const r = await run(['status', 'examples/audit-deployment'], fsys);
    const lines = r.stdout.split('\n');
    const i4 = lines.findIndex((l) => l.startsWith('phase-4 '));
    assert.match(lines[i4], /\baudit\s+not-started\s+1\/6\s+… Completeness/);
    assert.match(lines[i4 + 1], /^ {4}needs: missing 01-INPUT_HANDOFF\.md, 02-EXECUTION_PLAN\.md, 05-DECISIONS\.md, 06-OUTPUT_HANDOFF\.md, 07-VALIDATION\.md$/);
    assert.equal(lines[i4 + 2], '           Completeness (pending): 1 × copied-document');
    assert.doesNotMatch(r.stdout, /missing-document|not written yet|no validation checklist/);
    assert.doesNotMatch(r.stdout, /blocked by/);
    // JSON keeps its field: what holds the handoff, whatever the status.
    const json = JSON.parse((await run(['status', 'examples/audit-deployment', '--format', 'json'], fsys)).stdout) as {
      phases: { id: string; status: string; blockedBy: string[] }[];
    };
    const p4 = json.phases.find((p) => p.id === 'phase-4')!;
    assert.equal(p4.status, 'not-started');
    assert.equal(p4.blockedBy[0], 'missing 01-INPUT_HANDOFF.md, 02-EXECUTION_PLAN.md, 05-DECISIONS.md, 06-OUTPUT_HANDOFF.md, 07-VALIDATION.md');
  });

  it("does not show a custom layout's phase that new just made as complete when its gates do not answer for its placeholders", async () => {
    const fsys = new WritableMemoryFileSystem();
    const layout = (gates: string) =>
      'layouts:\n  - name: sprint\n    phases: "sprints/sprint-*"\n    number: "sprint-(\\\\d+)"\n    documents:\n' +
      '      - {kind: brief, file: GOALS.md, sections: [Goals]}\n      - {kind: retro, file: RETRO.md, sections: [Went well]}\n' +
      gates;
    fsys.write('/ws/phasegate.yaml', layout('    gates:\n      - {name: Review, failOn: [missing-section]}\n'));
    assert.equal((await run(['new', 'phase', '--layout', 'sprint', '--title', 'First'], fsys)).code, 0);
    const row = async () => (await run(['status'], fsys)).stdout.split('\n').slice(1, 3);
    // Its documents the templates' text: not started (nobody has written in it; was: in progress, and before that
    // complete, ✓ Review), needing its placeholders filled in.
    assert.deepEqual(await row(), ['sprints/sprint-1-first  First  sprint  not-started  2/2   ✓ Review', '    needs: 2 × unfilled-placeholder']);
    const json = JSON.parse((await run(['status', '--format', 'json'], fsys)).stdout) as { phases: { status: string; blockedBy: string[] }[] };
    assert.deepEqual([json.phases[0].status, json.phases[0].blockedBy], ['not-started', ['2 × unfilled-placeholder']]);
    // Written in, its placeholders not all filled in: in progress.
    const retro = '/ws/sprints/sprint-1-first/RETRO.md';
    const template = fsys.text(retro)!;
    fsys.write(retro, template + '\nThe demo went well.\n');
    assert.deepEqual(await row(), ['sprints/sprint-1-first  First  sprint  in-progress  2/2   ✓ Review', '    needs: 2 × unfilled-placeholder']);
    fsys.write(retro, template);
    // A layout without gates alike.
    fsys.write('/ws/phasegate.yaml', layout(''));
    assert.match((await row())[0], /\bsprint\s+not-started\s+2\/2$/);
    // Written: complete.
    for (const f of ['GOALS.md', 'RETRO.md']) {
      const p = `/ws/sprints/sprint-1-first/${f}`;
      fsys.write(p, fsys.text(p)!.replace(/\[[A-Za-z ]+\]/g, 'Written.'));
    }
    assert.deepEqual(await row(), ['sprints/sprint-1-first  First  sprint  complete  2/2', '']);
    // Placeholders the workspace does not count (information): complete with them.
    fsys.write('/ws/sprints/sprint-1-first/RETRO.md', '# retro\n\n## Went well\n\nThe demo.\n\n[Content]\n');
    assert.match((await row())[0], /\bin-progress\b/);
    fsys.write('/ws/phasegate.yaml', layout('rules:\n  unfilled-placeholder: information\n'));
    assert.match((await row())[0], /\bcomplete\b/);
  });

  it('blocks a phase on an error no gate answers for (a duplicate phase number, a rule made an error), as check fails on it', async () => {
    const audit = '/ws/examples/audit-deployment';
    // A rule the workspace made an error: the brief's sections out of order.
    const fsys = examplesFs({ 'examples/phasegate.yaml': 'rules:\n  section-order: error\n' });
    const brief = `${audit}/phase-1/00-PHASE_BRIEF.md`;
    const text = fsys.text(brief)!;
    const scope = text.slice(text.indexOf('## Scope'), text.indexOf('## Deliverables'));
    fsys.write(brief, text.replace(scope, '').replace('## Objectives', `${scope}## Objectives`));
    let r = await run(['status', 'examples/audit-deployment'], fsys);
    const lines = r.stdout.split('\n');
    const i = lines.findIndex((l) => l.startsWith('phase-1 '));
    assert.match(lines[i], /\baudit\s+blocked\s+6\/6\s+✓ Completeness {2}✓ Quality {2}✓ Documentation {2}✓ Testing {2}✓ Review {2}✓ Approval$/);
    assert.equal(lines[i + 1], '    blocked by: 1 × section-order');
    assert.equal((await run(['check', 'examples/audit-deployment/phase-1'], fsys)).code, 1);
    // As a warning (the default) it holds nothing.
    fsys.write('/ws/examples/phasegate.yaml', 'rules:\n  section-order: warning\n');
    r = await run(['status', 'examples/audit-deployment/phase-1'], fsys);
    assert.match(r.stdout.split('\n')[1], /\baudit\s+complete\s/);
    // Two folders numbered 2: both blocked by it.
    const dup = examplesFs();
    for (const f of dup.paths().filter((x) => x.startsWith(`${audit}/phase-2/`))) dup.write(f.replace('/phase-2/', '/phase-02/'), dup.text(f)!);
    r = await run(['status', 'examples/audit-deployment', '--format', 'json'], dup);
    const json = JSON.parse(r.stdout) as { phases: { id: string; status: string; blockedBy: string[] }[] };
    for (const id of ['phase-2', 'phase-02']) {
      const p = json.phases.find((x) => x.id === id)!;
      assert.equal(p.status, 'blocked', id);
      assert.ok(p.blockedBy.includes('1 × phase-numbering-duplicate'), `${id}: ${p.blockedBy.join('; ')}`);
    }
  });

  it('shows a title written with emphasis markup as it reads: "**Phase 2: Testing** (Weeks 3-4)" is "Testing (Weeks 3-4)"', async () => {
    const fsys = examplesFs();
    const brief = '/ws/examples/audit-deployment/phase-2/00-PHASE_BRIEF.md';
    fsys.write(brief, fsys.text(brief)!.replace(/^# .*$/m, '# **Phase 2: Testing & Quality Enhancement** (Weeks 3-4)'));
    const phase3 = '/ws/examples/audit-deployment/phase-3/00-PHASE_BRIEF.md';
    fsys.write(phase3, fsys.text(phase3)!.replace(/^# .*$/m, '# Phase 3: _Containers_ for snake_case_services'));
    const r = await run(['status', 'examples/audit-deployment'], fsys);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^phase-2 {2}Testing & Quality Enhancement \(Weeks 3-4\) +audit /m);
    assert.match(r.stdout, /^phase-3 {2}Containers for snake_case_services +audit /m);
  });

  it('prints the phases as JSON with --format json', async () => {
    const r = await run(['status', 'examples/all_use_iai_project', '--format', 'json'], examplesFs());
    const out = JSON.parse(r.stdout) as { phases: { id: string; documents: { present: number; required: number }; blockedBy: string[] }[] };
    assert.deepEqual(
      out.phases.map((p) => [p.id, p.documents.present, p.documents.required, p.blockedBy.length]),
      [
        ['Build/Phase_1_Source_Code_Management', 2, 2, 0],
        ['Build/Phase_2_Dependency_Management_Containerization', 2, 2, 0],
        ['Test/Phase_1_Unit_Integration_Testing', 2, 2, 0],
      ],
    );
  });

  it('titles a phase without documents by the words of its folder name, as new writes its prompt', async () => {
    const fsys = new WritableMemoryFileSystem();
    fsys.write('/ws/workstreams/Build/Phase_1_Source_Control/.keep', '');
    fsys.write('/ws/phase-1/.keep', '');
    const r = await run(['status', '--format', 'json'], fsys, '/ws');
    const phases = (JSON.parse(r.stdout) as { phases: { id: string; title: string }[] }).phases;
    assert.deepEqual(phases.map((p) => [p.id, p.title]).sort(), [
      ['Build/Phase_1_Source_Control', 'Source Control'],
      ['phase-1', 'phase-1'],
    ]);
  });

  it('says so when there is no phase, and exits 2 for a bad path', async () => {
    const fsys = new WritableMemoryFileSystem({ '/ws/README.md': '# Nothing\n' });
    assert.deepEqual(await run(['status'], fsys), { code: 0, stdout: 'No phases found.\n', stderr: '' });
    const bad = await run(['status', 'nowhere'], fsys);
    assert.deepEqual(bad, { code: 2, stdout: '', stderr: 'phasegate: path not found: nowhere\n' });
    assert.equal((await run(['status', 'a', 'b'], fsys)).code, 2);
  });

  it('names the problems of an invalid phasegate.yaml before the table and exits 1, as check does', async () => {
    const fsys = new WritableMemoryFileSystem({
      '/ws/phasegate.yaml': [
        'layouts:',
        '  - name: sprint',
        '    phases: "sprints/sprint-*"',
        '    documents:',
        '      - kind: goals',
        '        file: GOALS.md',
        '        sections: [Objectives]',
        '    gates:',
        '      - name: Done',
        '        failOn: [missing-sections]',
        '',
      ].join('\n'),
      '/ws/sprints/sprint-1/GOALS.md': '# Sprint 1\n\n## Objectives\nx\n',
    });
    const check = await run(['check'], fsys);
    assert.equal(check.code, 1);
    const text = await run(['status'], fsys);
    assert.equal(text.code, 1, text.stdout + text.stderr);
    const lines = text.stdout.split('\n');
    assert.match(
      lines[0],
      /^phasegate\.yaml:10:18 {2}error {2}layouts\[0\]\.gates\[0\]\.failOn\[0\]: `missing-sections` is not a known rule id: did you mean `missing-section`\? {2}\[invalid-config\]$/,
    );
    assert.equal(lines[0], check.stdout.split('\n')[0]);
    assert.match(lines[1], /^✖ 1 config error: .*not applied/);
    assert.deepEqual(lines.slice(2), ['', 'No phases found.', '']);
    const json = await run(['status', '--format', 'json'], fsys);
    assert.equal(json.code, 1);
    const out = JSON.parse(json.stdout) as {
      phases: unknown[];
      configProblems: { file: string; range: { start: { line: number } }; severity: string; code: string }[];
    };
    assert.deepEqual(out.phases, []);
    assert.deepEqual(
      out.configProblems.map((d) => [d.file, d.range.start.line, d.severity, d.code]),
      [['phasegate.yaml', 9, 'error', 'invalid-config']],
    );
    // Once fixed, the phases are back and nothing more is said.
    fsys.write('/ws/phasegate.yaml', (fsys.text('/ws/phasegate.yaml') ?? '').replace('missing-sections', 'missing-section'));
    const fixed = await run(['status', '--format', 'json'], fsys);
    assert.equal(fixed.code, 0);
    assert.deepEqual(JSON.parse(fixed.stdout), {
      phases: [
        {
          id: 'sprints/sprint-1',
          title: 'sprint-1',
          layout: 'sprint',
          folder: 'sprints/sprint-1',
          status: 'complete',
          documents: { present: 1, required: 1, missing: [] },
          gates: [{ name: 'Done', status: 'passed', reasons: [] }],
          blockedBy: [],
        },
      ],
      configProblems: [],
    });
  });

  it('says that a config with warnings alone is applied, not that its settings are not', async () => {
    const fsys = examplesFs({ 'examples/audit-deployment/phasegate.yaml': 'ignore: ["Phase-3/**"]\n' });
    const r = await run(['status', 'examples/audit-deployment'], fsys);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const lines = r.stdout.split('\n');
    assert.match(lines[0], /^examples\/audit-deployment\/phasegate\.yaml:1:10 {2}warning {2}ignore\[0\]: `Phase-3\/\*\*` does not leave out `phase-3`/);
    assert.equal(lines[1], '⚠ 1 config warning: the config is applied as it is written.');
    // The glob is used as written: phase-3 is still checked.
    assert.ok(
      lines.some((l) => l.startsWith('phase-3 ')),
      r.stdout,
    );
  });

  it('measures cells in terminal columns: wide, emoji and combining characters keep the columns aligned', async () => {
    const fsys = new WritableMemoryFileSystem({
      '/ws/phasegate.yaml': [
        'layouts:',
        '  - name: 短距離',
        '    phases: "スプリント/*"',
        '    documents:',
        '      - kind: brief',
        '        file: 目標.md',
        '        sections: [目的]',
        '    gates:',
        '      - name: 完了',
        '        failOn: [missing-section]',
        '',
      ].join('\n'),
      '/ws/スプリント/スプリント-1/目標.md': '# 認証の実装 🚀\n\n## 目的\nx\n',
      '/ws/スプリント/スプリント-2/目標.md': '# Cafe\u0301 design\n\n## 目的\nx\n',
      '/ws/phase-1/00-PHASE_BRIEF.md': '# Phase 1: Plain ASCII title\n\n## Objectives\nx\n',
    });
    const r = await run(['status'], fsys);
    assert.equal(r.code, 0, r.stderr);
    const rows = r.stdout.split('\n').filter((l) => l !== '' && !l.startsWith(' ') && !/phases? complete\.$/.test(l));
    // PHASE: 23 columns (スプリント/スプリント-1), TITLE: 17 (Plain ASCII title), LAYOUT: 6 (短距離, LAYOUT).
    assert.deepEqual(rows, [
      'PHASE                    TITLE              LAYOUT  STATUS       DOCS  GATES',
      'phase-1                  Plain ASCII title  audit   not-started  1/6   ✗ Completeness  … Quality  … Documentation  … Testing  … Review  … Approval',
      // Their brief alone written: not started, though their layout requires nothing else and their gate passed.
      'スプリント/スプリント-1  認証の実装 🚀      短距離  not-started  1/1   ✓ 完了',
      'スプリント/スプリント-2  Cafe\u0301 design        短距離  not-started  1/1   ✓ 完了',
    ]);
  });

  it('counts the terminal columns of a string by grapheme cluster', () => {
    const cases: [string, number][] = [
      ['', 0],
      ['plain', 5],
      ['Café', 4],
      ['Cafe\u0301', 4], // e + combining acute accent
      ['認証', 4],
      ['한국어', 6],
      ['\u1112\u1161\u11ab', 2], // 한 as conjoining jamo: one cluster, one wide syllable
      ['ＡＢ', 4], // fullwidth forms
      ['ｶﾞ', 2], // halfwidth katakana and halfwidth voiced sound mark
      ['🚀', 2],
      ['👍🏽', 2], // with a skin tone modifier
      ['👩\u200d💻', 2], // a zero-width joiner sequence
      ['🇯🇵', 2], // a flag (two regional indicators)
      ['1\ufe0f\u20e3', 2], // a keycap
      ['❤\ufe0f', 2], // text character with emoji presentation
      ['a\u200bb', 2], // zero-width space
      ['\u00ad', 0], // soft hyphen
      ['\u0301', 0], // a combining mark alone
      ['…✓✗', 3], // ambiguous and neutral marks: one column each
      ['x\u0007', 1], // a control character
    ];
    for (const [text, width] of cases) assert.equal(displayWidth(text), width, JSON.stringify(text));
  });
});
