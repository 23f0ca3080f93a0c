/**
 * unvalidated-handoff: phase N+1's input handoff is reported while phase N's gates have not all passed;
 * no gate answers for it, its results follow phase N's gates as they change, and a long chain of phases
 * is checked without recursing along it.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MemoryFileSystem, PhasegateService, AUDIT_GATES, IAI_GATES, ruleInfo, type Diagnostic } from '../../server/src/service';
import { MAX_PARSE_BYTES } from '../../server/src/service/markdown';
import { assets, REPO, ROOT, diagnosticsOf, workspace } from '../helpers/workspace';

const CODE = 'unvalidated-handoff';
const fence = '```';

/** The bundled audit example (phases 1 and 2 complete, phase 3 in progress) as files relative to /ws, with `edit` applied. */
function auditExample(edit: Record<string, (text: string) => string> = {}): Record<string, string> {
  const files: Record<string, string> = {};
  const base = path.join(REPO, 'examples', 'audit-deployment');
  const walk = (dir: string, rel: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(path.join(dir, e.name), r);
      else files[r] = fs.readFileSync(path.join(dir, e.name), 'utf8');
    }
  };
  walk(base, '');
  for (const [f, change] of Object.entries(edit)) files[f] = change(files[f] ?? '');
  return files;
}

/** Range of the first occurrence of `needle` in `text`. */
function rangeOf(text: string, needle: string) {
  const i = text.indexOf(needle);
  assert.ok(i >= 0, `"${needle}" not found`);
  const before = text.slice(0, i);
  const line = before.split('\n').length - 1;
  const character = i - (before.lastIndexOf('\n') + 1);
  return { start: { line, character }, end: { line, character: character + needle.length } };
}

const IN2 = 'phase-2/01-INPUT_HANDOFF.md';
const VAL1 = 'phase-1/07-VALIDATION.md';
const REVIEW1 = '- [x] Findings reviewed by the engineering lead — Evidence: review notes in [the roadmap](04-ARTIFACTS/remediation-roadmap.md)';
const TESTING1 = '- [x] The existing test suite passes on the baseline — Evidence: [coverage analysis](03-FINDINGS/test-coverage-analysis.md)';
/** A failing test run under phase 1's Testing gate: `failing-test-proof` fails it. */
const failingRun = (t: string) => t.replace(TESTING1, `${TESTING1}\n\n${fence}\n$ pytest\n===== 140 passed, 3 failed in 41.2s =====\n${fence}`);
const reviewUnchecked = (t: string) => t.replace(REVIEW1, '- [ ] Findings reviewed by the engineering lead');

const messages = (ds: Diagnostic[]) => ds.map((d) => d.message);

describe('unvalidated-handoff', () => {
  it('reports nothing when the previous phase passed every gate, nor on the first phase', async () => {
    const { svc } = await workspace({ ...auditExample(), 'phase-4/01-INPUT_HANDOFF.md': '# Phase 4 Input Handoff\n' });
    assert.deepEqual(
      svc.model.phases.map((p) => [p.id, svc.gates(p).every((g) => g.status === 'passed')]),
      [
        ['phase-1', true],
        ['phase-2', true],
        ['phase-3', false],
        ['phase-4', false],
      ],
    );
    assert.deepEqual(diagnosticsOf(svc, 'phase-1/01-INPUT_HANDOFF.md', CODE), []);
    assert.deepEqual(diagnosticsOf(svc, IN2, CODE), []);
    assert.deepEqual(diagnosticsOf(svc, 'phase-3/01-INPUT_HANDOFF.md', CODE), []);
    // Phase 3 is in progress: phase 4 takes its inputs too early.
    assert.equal(diagnosticsOf(svc, 'phase-4/01-INPUT_HANDOFF.md', CODE).length, 1);
  });

  it('reports a failed gate of the previous phase on the Source heading, as a warning', async () => {
    const files = auditExample({ [VAL1]: failingRun });
    const { svc } = await workspace(files);
    const ds = diagnosticsOf(svc, IN2, CODE);
    assert.deepEqual(
      ds.map((d) => [d.severity, d.range, d.message]),
      [['warning', rangeOf(files[IN2], 'Source'), 'phase-1 has not passed validation (Testing failed): its handoff is not final.']],
    );
    // Phase 2's own gates do not answer for it: they still pass.
    assert.ok(svc.gates(svc.findPhase('phase-2')!).every((g) => g.status === 'passed'));
    assert.equal(svc.status(svc.findPhase('phase-2')!), 'complete');
  });

  it('reports pending gates, after the failed ones', async () => {
    let { svc } = await workspace(auditExample({ [VAL1]: reviewUnchecked }));
    assert.deepEqual(messages(diagnosticsOf(svc, IN2, CODE)), ['phase-1 has not passed validation (Review pending): its handoff is not final.']);
    ({ svc } = await workspace(auditExample({ [VAL1]: (t) => reviewUnchecked(failingRun(t)) })));
    assert.deepEqual(messages(diagnosticsOf(svc, IN2, CODE)), [
      'phase-1 has not passed validation (Testing failed; Review pending): its handoff is not final.',
    ]);
  });

  it('lists every gate not passed, on the title when the input handoff has no Source section', async () => {
    const input = '# Phase 4 Input Handoff\n\n## Inputs Received\n\n- Nothing yet\n';
    const { svc } = await workspace({ ...auditExample(), 'phase-4/01-INPUT_HANDOFF.md': input });
    const ds = diagnosticsOf(svc, 'phase-4/01-INPUT_HANDOFF.md', CODE);
    assert.deepEqual(
      ds.map((d) => [d.range, d.message]),
      [
        [
          rangeOf(input, '# Phase 4 Input Handoff'),
          'phase-3 has not passed validation (Completeness, Quality, Documentation, Testing, Review, Approval pending): its handoff is not final.',
        ],
      ],
    );
  });

  it('reports in an input handoff too large to model, on its front matter’s closing line (its title is not known)', async () => {
    const paragraph = 'Some ordinary paragraph text of a long appendix.\n\n';
    const files = auditExample({
      [VAL1]: failingRun,
      [IN2]: (t) => `${t}\n## Appendix\n\n${paragraph.repeat(Math.ceil(MAX_PARSE_BYTES / paragraph.length) + 1)}`,
    });
    const { svc } = await workspace(files);
    assert.deepEqual(
      svc
        .diagnose(`${ROOT}/${IN2}`)
        .filter((d) => d.code !== 'document-too-large')
        .map((d) => [d.code, d.range.start.line, d.message]),
      [[CODE, files[IN2].split('\n').indexOf('---', 1), 'phase-1 has not passed validation (Testing failed): its handoff is not final.']],
    );
  });

  it('reports a previous phase whose folder holds no documents: its gates wait for everything', async () => {
    const { svc } = await workspace({ 'phase-1/notes.txt': 'later\n', 'phase-2/01-INPUT_HANDOFF.md': '# Phase 2 Input Handoff\n\n## Source\n\nNone yet.\n' });
    const prev = svc.findPhase('phase-1')!;
    assert.deepEqual(prev.markdown, []);
    assert.ok(svc.gates(prev).every((g) => g.status !== 'passed'));
    const [d, ...more] = diagnosticsOf(svc, 'phase-2/01-INPUT_HANDOFF.md', CODE);
    assert.deepEqual(more, []);
    assert.match(d.message, /^phase-1 has not passed validation \(.*\): its handoff is not final\.$/);
    for (const g of AUDIT_GATES) assert.ok(d.message.includes(g.name), g.name);
  });

  it('reports nothing in the iAI layout, which has no input handoff', async () => {
    const ws = 'proj/workstreams/Build';
    const { svc } = await workspace({
      [`${ws}/Phase_1_CI/implementation_prompt.md`]: '# Phase 1: CI\n\n## Objective\n\nSet up CI.\n',
      [`${ws}/Phase_2_Deploy/implementation_prompt.md`]: '# Phase 2: Deploy\n\n## Objective\n\nDeploy.\n',
      // Beside them, an audit phase 2 after an empty phase 1 is told.
      'audit/phase-1/notes.txt': 'later\n',
      'audit/phase-2/01-INPUT_HANDOFF.md': '# Phase 2 Input Handoff\n',
    });
    const [p1, p2] = svc.model.phases.filter((p) => p.layout.name === 'iai');
    assert.equal(p2.prev, p1);
    assert.deepEqual(
      svc.gates(p1).map((g) => g.name),
      IAI_GATES.map((g) => g.name),
    );
    assert.ok(svc.gates(p1).some((g) => g.status !== 'passed'));
    assert.deepEqual(
      svc
        .diagnoseAll()
        .filter((d) => d.code === CODE)
        .map((d) => d.file),
      [`${ROOT}/audit/phase-2/01-INPUT_HANDOFF.md`],
    );
  });

  const stageConfig = (gates: string) =>
    [
      'layouts:',
      '  - name: stage',
      '    phases: [stages/*]',
      "    number: 'stage-(\\d+)'",
      '    documents:',
      '      - kind: input-handoff',
      '        file: IN.md',
      '        sections: [Source]',
      '      - kind: review',
      '        file: REVIEW.md',
      gates,
      '',
    ].join('\n');
  const stageInput = (n: number) => `# Stage ${n} input\n\n## Source\n\n- [Stage ${n - 1}](../stage-${n - 1}/REVIEW.md)\n`;
  const stageReview = (n: number, checked: boolean) =>
    `# Stage ${n} review\n\n## Sign-off\n\n- [${checked ? 'x' : ' '}] Signed off — Evidence: \`sign-off.md\`\n`;

  it('reports in a custom layout with an input-handoff document and gates', async () => {
    const config = stageConfig('    gates:\n      - name: Sign-off\n        failOn: [missing-section]');
    const files = (checked: boolean) => ({
      'phasegate.yaml': config,
      'stages/stage-1/REVIEW.md': stageReview(1, checked),
      'stages/stage-1/IN.md': '# Stage 1 input\n\n## Source\n\nThe brief.\n',
      'stages/stage-2/IN.md': stageInput(2),
      'stages/stage-2/REVIEW.md': stageReview(2, false),
    });
    let { svc } = await workspace(files(false));
    assert.deepEqual(svc.config.problems, []);
    assert.deepEqual(
      diagnosticsOf(svc, 'stages/stage-2/IN.md', CODE).map((d) => [d.range, d.message]),
      [[rangeOf(stageInput(2), 'Source'), 'Phase stages/stage-1 has not passed validation (Sign-off pending): its handoff is not final.']],
    );
    assert.deepEqual(diagnosticsOf(svc, 'stages/stage-1/IN.md', CODE), []);
    ({ svc } = await workspace(files(true)));
    assert.deepEqual(diagnosticsOf(svc, 'stages/stage-2/IN.md', CODE), []);
  });

  it('reports nothing in a custom layout without gates', async () => {
    const files = {
      'stages/stage-1/IN.md': '# Stage 1 input\n\n## Source\n\nThe brief.\n',
      'stages/stage-2/IN.md': stageInput(2),
    };
    let { svc } = await workspace({ ...files, 'phasegate.yaml': stageConfig('') });
    assert.deepEqual(svc.config.problems, []);
    const prev = svc.model.phases[0];
    assert.deepEqual(svc.gates(prev), []);
    assert.notEqual(svc.status(prev), 'complete', 'REVIEW.md is missing');
    assert.deepEqual(diagnosticsOf(svc, 'stages/stage-2/IN.md', CODE), []);
    // With a gate, whose checklist waits for its sign-off, the same phases are told.
    ({ svc } = await workspace({
      ...files,
      'stages/stage-1/REVIEW.md': stageReview(1, false),
      'phasegate.yaml': stageConfig('    gates:\n      - name: Sign-off'),
    }));
    assert.deepEqual(messages(diagnosticsOf(svc, 'stages/stage-2/IN.md', CODE)), [
      'Phase stages/stage-1 has not passed validation (Sign-off pending): its handoff is not final.',
    ]);
  });

  it('refuses the rule in a custom gate’s failOn, at its place, and applies the rest of the config', async () => {
    const config = stageConfig('    gates:\n      - name: Sign-off\n        failOn: [missing-section, unvalidated-handoff]');
    const { svc } = await workspace({ 'phasegate.yaml': config, 'stages/stage-1/IN.md': '# Stage 1 input\n' });
    assert.deepEqual(
      svc.config.problems.map((d) => [d.code, d.range, d.message]),
      [
        [
          'invalid-config',
          rangeOf(config, 'unvalidated-handoff'),
          'layouts[0].gates[0].failOn[1]: no gate answers for `unvalidated-handoff`, which reports that the previous phase has not passed its gates: a gate that did would hold every later phase with the one before; left out',
        ],
      ],
    );
    assert.deepEqual(svc.config.layouts[0].gates, [{ name: 'Sign-off', description: '', failOn: ['missing-section'] }]);
    assert.equal(svc.model.phases[0].layout.name, 'stage');
  });

  it('is a warning of the catalog that no built-in gate answers for', () => {
    assert.equal(ruleInfo(CODE)?.severity, 'warning');
    for (const g of [...AUDIT_GATES, ...IAI_GATES]) assert.ok(!g.failOn.includes(CODE), g.name);
  });

  it('follows the severity in force, and is silenced by off', async () => {
    const edit = { [VAL1]: failingRun };
    let { svc } = await workspace({ ...auditExample(edit), 'phasegate.yaml': 'rules:\n  unvalidated-handoff: error\n' });
    assert.deepEqual(
      diagnosticsOf(svc, IN2, CODE).map((d) => d.severity),
      ['error'],
    );
    // Even as an error, phase 2's gates do not count it.
    assert.ok(svc.gates(svc.findPhase('phase-2')!).every((g) => g.status === 'passed'));
    ({ svc } = await workspace({ ...auditExample(edit), 'phasegate.yaml': "rules:\n  unvalidated-handoff: 'off'\n" }));
    assert.deepEqual(diagnosticsOf(svc, IN2, CODE), []);
  });

  it("follows the previous phase's gates as they change, also from the phase before it", async () => {
    // Phase 3 and 4 added: phase 4's input handoff reads phase 3's gates.
    const in4 = '# Phase 4 Input Handoff\n\n## Source\n\n- [Phase 3 output handoff](../phase-3/06-OUTPUT_HANDOFF.md)\n';
    const { svc } = await workspace({ ...auditExample(), 'phase-4/01-INPUT_HANDOFF.md': in4 });
    const abs = (rel: string) => `${ROOT}/${rel}`;
    const IN3 = 'phase-3/01-INPUT_HANDOFF.md';
    assert.deepEqual(diagnosticsOf(svc, IN3, CODE), []);
    // Phase 1's validation: phase 2's gates stand (no gate of phase 2 reads it), phase 2's input handoff changes.
    const val1 = svc.getText(abs(VAL1))!;
    let affected = svc.setOverlay(abs(VAL1), failingRun(val1));
    assert.ok(affected.includes(abs(IN2)));
    assert.equal(diagnosticsOf(svc, IN2, CODE).length, 1);
    assert.deepEqual(diagnosticsOf(svc, IN3, CODE), []);
    svc.setOverlay(abs(VAL1), val1);
    assert.deepEqual(diagnosticsOf(svc, IN2, CODE), []);

    // Phase 1's output handoff hands off an input phase 2 does not receive: phase 2's input handoff
    // mismatches, its Approval gate fails, and phase 3's input handoff says so.
    const OUT1 = 'phase-1/06-OUTPUT_HANDOFF.md';
    const out1 = svc.getText(abs(OUT1))!;
    const more = out1.replace(
      '## Recommended Next Steps',
      '- Audit script: [run-audit.sh](04-ARTIFACTS/run-audit.sh) - reruns the audit\n\n## Recommended Next Steps',
    );
    assert.notEqual(more, out1);
    affected = svc.setOverlay(abs(OUT1), more);
    assert.ok(affected.includes(abs(IN3)), 'the input handoff of the phase after next');
    assert.ok(!affected.includes(abs('phase-3/07-VALIDATION.md')), 'not the whole phase after next');
    assert.deepEqual(
      svc
        .gates(svc.findPhase('phase-2')!)
        .filter((g) => g.status !== 'passed')
        .map((g) => [g.name, g.status]),
      [['Approval', 'failed']],
    );
    assert.deepEqual(messages(diagnosticsOf(svc, IN3, CODE)), ['phase-2 has not passed validation (Approval failed): its handoff is not final.']);
    // Phase 4's still reads phase 3's, which do not change.
    assert.deepEqual(messages(diagnosticsOf(svc, 'phase-4/01-INPUT_HANDOFF.md', CODE)), [
      'phase-3 has not passed validation (Completeness, Quality, Documentation, Testing, Review, Approval pending): its handoff is not final.',
    ]);
    affected = svc.setOverlay(abs(OUT1), out1);
    assert.ok(affected.includes(abs(IN3)));
    assert.deepEqual(diagnosticsOf(svc, IN3, CODE), []);
  });

  it('checks a batch of phases as it checks each file alone', async () => {
    const files = auditExample({ [VAL1]: failingRun });
    files['phase-4/01-INPUT_HANDOFF.md'] = '# Phase 4 Input Handoff\n\n## Source\n\nPhase 3.\n';
    const alone = (await workspace(files)).svc;
    const batched = (await workspace(files)).svc;
    batched.checkPhases();
    for (const f of alone.checkedFiles()) assert.deepEqual(batched.diagnose(f), alone.diagnose(f), f);
    assert.equal(batched.diagnoseAll().filter((d) => d.code === CODE).length, 2);
  });

  it('checks a chain of thousands of phases from its end without recursing along it', async function () {
    this.timeout(120_000);
    const N = 3000;
    const m = new MemoryFileSystem();
    for (let n = 1; n <= N; n++) m.write(`${ROOT}/phase-${n}/01-INPUT_HANDOFF.md`, `# Phase ${n} Input Handoff\n\n## Source\n\nPhase ${n - 1}.\n`);
    const logs: string[] = [];
    const svc = new PhasegateService({ fs: m, assets, logger: { log: (s: string) => logs.push(s) } });
    await svc.load(ROOT);
    assert.equal(svc.model.phases.length, N);
    // The last phase's input handoff first, nothing known: every phase before it has its gates evaluated.
    const ds = svc.diagnose(`${ROOT}/phase-${N}/01-INPUT_HANDOFF.md`).filter((d) => d.code === CODE);
    assert.deepEqual(logs, []);
    assert.equal(ds.length, 1);
    assert.match(ds[0].message, new RegExp(`^phase-${N - 1} has not passed validation`));
    assert.equal(svc.diagnoseAll().filter((d) => d.code === CODE).length, N - 1);
    assert.deepEqual(logs, []);
  });
});
