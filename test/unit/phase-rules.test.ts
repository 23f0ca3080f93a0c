import * as assert from 'node:assert/strict';
import { workspace, diagnosticsOf, ROOT } from '../helpers/workspace';
import { applyEdits, codeActions, fixAll, parseDocument, renderKind, Diagnostic, Range } from '../../server/src/service';
import { completeHandoff, STATUS_LABELS } from '../../server/src/service/fixes/phase';
import { planNew } from '../../server/src/service/scaffold';
import { assertLinear, overlaid } from '../helpers/linear';

/** Range of the `nth` occurrence of `needle` in `text` (0-based lines and characters). */
function rangeOf(text: string, needle: string, nth = 0): Range {
  let i = -1;
  for (let k = 0; k <= nth; k++) {
    i = text.indexOf(needle, i + 1);
    if (i < 0) throw new Error(`"${needle}" not found`);
  }
  const before = text.slice(0, i);
  const line = before.split(/\r?\n/).length - 1;
  const character = i - (before.lastIndexOf('\n') + 1);
  return { start: { line, character }, end: { line, character: character + needle.length } };
}

const fence = '```';

// ---------------------------------------------------------------- iAI fixtures

const PROMPT = `# Phase 1: CI Setup

## Objective

Set up continuous integration.

## Deliverables

- **GitHub Actions** workflow for builds on every pull request
- Linter configuration for Python and JavaScript
- Branching strategy document

## Tests Required

- Unit tests for the workflow definition

## Acceptance Criteria

- [ ] CI runs on every pull request
`;

const response = (opts: { deliverables?: string; tests?: string; proof?: string } = {}) => `# Phase 1 Response: CI Setup

## Summary

Implemented the CI pipeline.

## Deliverables

${opts.deliverables ?? '- [x] GitHub Actions workflow: `.github/workflows/ci.yml`\n- [x] Linter configuration (Python, JavaScript): `.pylintrc` and `.eslintrc.json`\n- [x] Branching strategy: `docs/branching.md`'}

## Tests

${opts.tests ?? '- `tests/test_ci.py::test_workflow_is_valid_yaml`\n- `tests/test_ci.py::test_workflow_runs_linters`'}

## Execution Proof

${opts.proof ?? `${fence}text\n$ pytest -q\n..\n2 passed, 0 failed in 0.12s\n${fence}`}
`;

const IAI = 'proj/workstreams/Build/Phase_1_CI';
const RESP = `${IAI}/implementation_response_from_AI.md`;

async function iai(resp: string, extra: Record<string, string> = {}) {
  return workspace({ [`${IAI}/implementation_prompt.md`]: PROMPT, [RESP]: resp, ...extra });
}

describe('phase rules: iAI response', () => {
  it('passes a response with tests and passing proof', async () => {
    const { svc } = await iai(response());
    for (const code of ['missing-tests', 'missing-test-proof', 'failing-test-proof', 'unaddressed-deliverable']) {
      assert.deepEqual(diagnosticsOf(svc, RESP, code), [], code);
    }
  });

  it("holds an iAI phase on its documents' own errors: a broken link, a missed metric, front matter off its schema", async () => {
    const status = async (text: string) => {
      const { svc } = await iai(text);
      const phase = svc.findPhase('Build/Phase_1_CI')!;
      return [
        svc.status(phase),
        svc
          .gates(phase)
          .filter((g) => g.status === 'failed')
          .map((g) => g.name),
      ];
    };
    assert.deepEqual(await status(response()), ['complete', []]);
    assert.deepEqual(await status(response() + '\nSee [the runbook](runbook.md).\n'), ['blocked', ['Completeness']]);
    assert.deepEqual(await status(response() + '\n## Metrics\n\n- Code coverage: 54%\n'), ['blocked', ['Proof']]);
    assert.deepEqual(await status('---\nstatus: finished\n---\n' + response()), ['blocked', ['Completeness']]);
  });

  it('reports missing-tests on the H1 when there is no Tests section', async () => {
    const text = response().replace(/## Tests\n\n[^#]*/, '');
    const { svc } = await iai(text);
    const [d] = diagnosticsOf(svc, RESP, 'missing-tests');
    assert.deepEqual(d.range, { start: { line: 0, character: 0 }, end: { line: 0, character: '# Phase 1 Response: CI Setup'.length } });
    assert.equal(d.severity, 'error');
  });

  it('reports missing-tests on the heading when the Tests section lists nothing', async () => {
    const text = response({ tests: '<!-- list the tests -->' });
    const { svc } = await iai(text);
    const [d] = diagnosticsOf(svc, RESP, 'missing-tests');
    assert.deepEqual(d.range, rangeOf(text, 'Tests', 0));
    assert.equal(rangeOf(text, 'Tests').start.line, text.split('\n').indexOf('## Tests'));
  });

  it('reports missing-test-proof without the section, without a code block, and without test output', async () => {
    const noSection = response().replace(/## Execution Proof[\s\S]*$/, '');
    let { svc } = await iai(noSection);
    assert.deepEqual(
      diagnosticsOf(svc, RESP, 'missing-test-proof').map((d) => d.range),
      [{ start: { line: 0, character: 0 }, end: { line: 0, character: 28 } }],
    );

    const noBlock = response({ proof: 'All tests passed, trust me.' });
    ({ svc } = await iai(noBlock));
    const [d1] = diagnosticsOf(svc, RESP, 'missing-test-proof');
    assert.deepEqual(d1.range, rangeOf(noBlock, 'Execution Proof'));
    assert.match(d1.message, /code block/);

    const noOutput = response({ proof: `${fence}\n$ make deploy\ndeployed\n${fence}` });
    ({ svc } = await iai(noOutput));
    const [d2] = diagnosticsOf(svc, RESP, 'missing-test-proof');
    assert.deepEqual(d2.range, rangeOf(noOutput, 'Execution Proof'));
    assert.match(d2.message, /no test run output/);
  });

  it("keeps the Tests and Proof gates pending, not failed, while the template's placeholders stand for the tests and the proof", async () => {
    const text = response({
      tests: '- Test: [Test file] - [What it covers]\n- [Unit test]: [Covers]',
      proof: `Command: [Test command]\n\n${fence}text\n[Output of the test run]\n${fence}`,
    });
    const { svc } = await iai(text);
    // Each item of the Tests section is the template's placeholders: they tell what to write, one problem each,
    // and hold the Tests gate in missing-tests' place.
    assert.deepEqual(diagnosticsOf(svc, RESP, 'missing-tests'), []);
    const testLines = [rangeOf(text, '[Test file]').start.line, rangeOf(text, '[Unit test]').start.line];
    assert.deepEqual(
      diagnosticsOf(svc, RESP, 'unfilled-placeholder')
        .filter((d) => testLines.includes(d.range.start.line))
        .map((d) => [d.range.start.line, d.severity]),
      [testLines[0], testLines[0], testLines[1], testLines[1]].map((l) => [l, 'warning']),
    );
    // Without the placeholders' rule, missing-tests tells it again.
    const told = await workspace({ [`${IAI}/implementation_prompt.md`]: PROMPT, [RESP]: text, 'phasegate.yaml': 'rules:\n  unfilled-placeholder: off\n' });
    const tests = diagnosticsOf(told.svc, RESP, 'missing-tests');
    assert.deepEqual(
      tests.map((d) => [d.range, d.severity]),
      [[rangeOf(text, 'Tests', 0), 'warning']],
    );
    assert.match(tests[0].message, /only the template's placeholders/);
    assert.equal(told.svc.gates(told.svc.findPhase('Build/Phase_1_CI')!).find((g) => g.name === 'Tests')?.status, 'pending');
    const proof = diagnosticsOf(svc, RESP, 'missing-test-proof');
    assert.deepEqual(
      proof.map((d) => [d.range, d.severity]),
      [[rangeOf(text, 'Execution Proof'), 'warning']],
    );
    const gates = svc.gates(svc.findPhase('Build/Phase_1_CI')!);
    assert.deepEqual(
      gates.filter((g) => g.name !== 'Completeness').map((g) => [g.name, g.status, g.reasons]),
      [
        ['Tests', 'pending', ['4 × unfilled-placeholder']],
        ['Proof', 'pending', ['1 × missing-test-proof']],
      ],
    );
    // unfilled-placeholder as an error fails Completeness; the Tests gate stays pending, as missing-tests kept it.
    const strict = await workspace({ [`${IAI}/implementation_prompt.md`]: PROMPT, [RESP]: text, 'phasegate.yaml': 'rules:\n  unfilled-placeholder: error\n' });
    assert.deepEqual(
      strict.svc.gates(strict.svc.findPhase('Build/Phase_1_CI')!).map((g) => [g.name, g.status]),
      [
        ['Completeness', 'failed'],
        ['Tests', 'pending'],
        ['Proof', 'pending'],
      ],
    );
    // A placeholder in a code block is not unfilled-placeholder's: missing-tests tells it.
    const block = response({ tests: `${fence}text\n[Test file]\n${fence}` });
    assert.deepEqual(
      diagnosticsOf((await iai(block)).svc, RESP, 'missing-tests').map((d) => d.severity),
      ['warning'],
    );
    // A test written beside a placeholder item counts; so does a proof beside a placeholder block; a label alone is no test.
    const written = response({ tests: '- Test: [Test file] - [What it covers]\n- Test: `tests/test_ci.py` - the workflow parses' });
    assert.deepEqual(diagnosticsOf((await iai(written)).svc, RESP, 'missing-tests'), []);
    const prose = response({ proof: `${fence}\n[Output of the test run]\n${fence}\n\n${fence}\n$ make deploy\ndeployed\n${fence}` });
    assert.deepEqual(
      diagnosticsOf((await iai(prose)).svc, RESP, 'missing-test-proof').map((d) => d.severity),
      ['error'],
      'a block of real output that is no test run is still an error',
    );
    // A severity set below warning stays as set; the placeholders tell it, and the Tests gate does not count them.
    const quiet = await workspace({
      [`${IAI}/implementation_prompt.md`]: PROMPT,
      [RESP]: text,
      'phasegate.yaml': 'rules:\n  missing-tests: information\n  unfilled-placeholder: hint\n',
    });
    assert.deepEqual(
      diagnosticsOf(quiet.svc, RESP, 'missing-tests').map((d) => d.severity),
      ['information'],
    );
    const lowered = await workspace({ [`${IAI}/implementation_prompt.md`]: PROMPT, [RESP]: text, 'phasegate.yaml': 'rules:\n  missing-tests: information\n' });
    assert.deepEqual(diagnosticsOf(lowered.svc, RESP, 'missing-tests'), []);
    assert.equal(lowered.svc.gates(lowered.svc.findPhase('Build/Phase_1_CI')!).find((g) => g.name === 'Tests')?.status, 'passed');
  });

  const failing: [string, string][] = [
    ['summary counts', '3 passed, 1 failed'],
    ['jest summary', 'Tests:       1 failed, 4 passed, 5 total'],
    ['pytest FAILED line', 'FAILED tests/test_ci.py::test_workflow - AssertionError'],
    ['mocha failing', '  2 failing'],
    ['jest FAIL line', 'FAIL src/app.test.js'],
    ['exit code', 'Process finished with exit code 1'],
    ['pytest ERRORS', '==================== ERRORS ===================='],
    ['pytest summary', '=== 1 failed, 2 passed in 0.30s ==='],
    ['JUnit', 'Tests run: 5, Failures: 1, Errors: 0, Skipped: 0'],
    ['jest failed test', '    ✕ deploys (5 ms)'],
    ['vitest failed test', '   × deploys 5ms'],
    ['ava failed test', '  ✖ deploys'],
    ['bats failed test', ' ✗ deploys'],
    ['failed test marked with an emoji', '❌ deploy smoke test'],
    ['unittest verbose FAIL', 'test_deploy (test_app.AppTest) ... FAIL'],
    ['unittest verbose ERROR', 'test_deploy (test_app.AppTest.test_deploy) ... ERROR'],
  ];
  for (const [name, line] of failing) {
    it(`reports failing-test-proof on the failing line (${name})`, async () => {
      const text = response({ proof: `${fence}\n$ run tests\n${line}\n${fence}` });
      const { svc } = await iai(text);
      const ds = diagnosticsOf(svc, RESP, 'failing-test-proof');
      assert.equal(ds.length, 1, JSON.stringify(ds));
      assert.deepEqual(ds[0].range, rangeOf(text, line.trim()));
      assert.deepEqual(diagnosticsOf(svc, RESP, 'missing-test-proof'), []);
    });
  }

  it('reads a line a runner prints for a passing test as a pass, whatever numbers its title holds', async () => {
    const passed = [
      '    ✓ returns exit code 2 on bad usage (12 ms)',
      '  ✔ reports 2 errors for a broken handoff',
      'tests/test_cli.py::test_exit_code_1_on_errors PASSED    [ 50%]',
      '--- PASS: TestExitCode1 (0.00s)',
      'ok 3 - lists 3 failed jobs',
      'test_two_failures (test_cli.Case) ... ok',
      ' PASS  test/exit-code-1.test.ts',
    ];
    const failed = ['    ✕ lists 3 failed jobs (5 ms)', 'tests/test_cli.py::test_exit_code_1 FAILED    [100%]'];
    const text = response({ proof: `${fence}\n${[...passed, ...failed].join('\n')}\n${fence}` });
    const { svc } = await iai(text);
    assert.deepEqual(
      diagnosticsOf(svc, RESP, 'failing-test-proof').map((d) => d.range),
      failed.map((l) => rangeOf(text, l.trim())),
    );
  });

  it('reads a line a runner prints for one failed test as a failure, beside passed ones, and blocks the phase on it', async () => {
    const jest = ['     ✓ checkout (2ms)', '     ✕ deploys (5ms)'];
    const unittest = ['test_checkout (test_app.AppTest) ... ok', 'test_deploy (test_app.AppTest) ... FAIL', 'test_rollback (test_app.AppTest) ... ERROR'];
    for (const [lines, failed] of [
      [jest, [jest[1]]],
      [unittest, unittest.slice(1)],
    ]) {
      const text = response({ proof: `${fence}\n${lines.join('\n')}\n${fence}` });
      const { svc } = await iai(text);
      assert.deepEqual(
        diagnosticsOf(svc, RESP, 'failing-test-proof').map((d) => d.range),
        failed.map((l) => rangeOf(text, l.trim())),
      );
      assert.deepEqual(diagnosticsOf(svc, RESP, 'missing-test-proof'), []);
      const phase = svc.findPhase('Build/Phase_1_CI')!;
      assert.equal(svc.gates(phase).find((g) => g.name === 'Proof')?.status, 'failed');
      assert.equal(svc.status(phase), 'blocked');
    }
  });

  it('reads passed tests whose titles or verdicts hold failure words and marks as passes', async () => {
    const passed = [
      '  ✓ reports FAIL lines (3 ms)',
      '  ✓ draws ✕ on a failed job',
      '  ✔ prints ... FAIL for a failed test',
      'test_fail_fast (test_cli.Case) ... ok',
      'test_error_on_bad_input (test_cli.Case) ... ok',
      'test_x_mark_is_failure (test_cli.Case) ... expected failure',
      '  ✖ 0 failing',
      '12 passed, 0 failed',
    ];
    const text = response({ proof: `${fence}\n${passed.join('\n')}\n${fence}` });
    const { svc } = await iai(text);
    assert.deepEqual(diagnosticsOf(svc, RESP, 'failing-test-proof'), []);
    assert.deepEqual(diagnosticsOf(svc, RESP, 'missing-test-proof'), []);
  });

  it('reads a summary line that starts with a failure mark by its counts, not as a failed test', async () => {
    const passes = [
      '✅ Passed: 4',
      '❌ Failed: 0',
      '⏭️ Skipped: 0',
      '✗ Skipped: 0',
      '✖ 1 problem (0 errors, 1 warning)',
      '✗ No failures',
      '❌ No failed tests',
      '× 2 replicas',
      '❌ FAILED: 0',
    ];
    const text = response({ proof: `${fence}text\n4 passed in 38.21s\n${passes.join('\n')}\n${fence}` });
    assert.deepEqual(diagnosticsOf((await iai(text)).svc, RESP, 'failing-test-proof'), []);
    const failures = ['❌ Failed: 2', '✖ 2 problems (2 errors, 0 warnings)', '✕ 3 failed', '✗ Failures: 1', '✕ deploys', '❌ deploy smoke test'];
    const failing = response({ proof: `${fence}text\n4 passed in 38.21s\n${failures.join('\n')}\n${fence}` });
    assert.deepEqual(
      diagnosticsOf((await iai(failing)).svc, RESP, 'failing-test-proof').map((d) => d.range),
      failures.map((l) => rangeOf(failing, l)),
    );
  });

  it('treats "0 failed", "0 failing" and exit code 0 as a pass', async () => {
    const text = response({ proof: `${fence}\n12 passed, 0 failed\n  12 passing\n  0 failing\nTests: 0 failed, 12 passed\nexit code 0\n${fence}` });
    const { svc } = await iai(text);
    assert.deepEqual(diagnosticsOf(svc, RESP, 'failing-test-proof'), []);
    assert.deepEqual(diagnosticsOf(svc, RESP, 'missing-test-proof'), []);
  });

  it('takes lines a runner prints for each passing test, without a summary, as the run (pytest -v, unittest -v, TAP)', async () => {
    for (const run of [
      'tests/test_api.py::test_health PASSED\ntests/test_api.py::test_login PASSED',
      'test_health (tests.test_api.ApiTest) ... ok\ntest_login (tests.test_api.ApiTest) ... ok',
      'ok 1 - health\nok 2 - login',
    ]) {
      const { svc } = await iai(response({ proof: `${fence}text\n${run}\n${fence}` }));
      assert.deepEqual(diagnosticsOf(svc, RESP, 'missing-test-proof'), [], run);
      assert.deepEqual(diagnosticsOf(svc, RESP, 'failing-test-proof'), [], run);
    }
    // Prose in the block is still no run.
    const { svc } = await iai(response({ proof: `${fence}text\nAll good, trust me.\n${fence}` }));
    assert.equal(diagnosticsOf(svc, RESP, 'missing-test-proof').length, 1);
  });
});

// ---------------------------------------------------------------- test runs in an audit phase

const auditValidation = (testing: string) => `# Phase 1 Validation

## Gate 1: Completeness

- [x] All deliverables produced — Evidence: [handoff](06-OUTPUT_HANDOFF.md)

## Gate 4: Testing

- [x] Validation tests pass — Evidence: [coverage](03-FINDINGS/coverage.md)

${testing}

## Gate 5: Review

- [x] Peer review completed — Evidence: \`review.md\`
`;

const VAL = 'phase-1/07-VALIDATION.md';

async function auditPhase(testing: string, extra: Record<string, string> = {}) {
  const text = auditValidation(testing);
  // The evidence auditValidation's items cite is there.
  const { svc } = await workspace({ [VAL]: text, 'phase-1/03-FINDINGS/coverage.md': '# Coverage\n', ...extra });
  const phase = svc.findPhase('phase-1')!;
  return { svc, text, phase, testing: svc.gates(phase).find((g) => g.name === 'Testing')! };
}

describe('phase rules: test runs in an audit validation', () => {
  it('reports a failing test run in 07-VALIDATION.md at its failing line, failing the Testing gate', async () => {
    const run = '======== 140 passed, 3 failed in 41.2s ========';
    const { svc, text, testing } = await auditPhase(`${fence}\n$ pytest\n${run}\n${fence}`);
    const ds = diagnosticsOf(svc, VAL, 'failing-test-proof');
    assert.deepEqual(
      ds.map((d) => [d.range, d.severity]),
      [[rangeOf(text, run), 'error']],
    );
    assert.match(ds[0].message, /validation shows failing tests/);
    assert.equal(testing.status, 'failed');
    // A line longer than the message quotes is cut with an ellipsis, not as though it ended there.
    const long = `FAILED tests/test_pipeline.py::test_runner_${'x'.repeat(120)} - AssertionError`;
    const { svc: cut } = await auditPhase(`${fence}\n$ pytest\n${long}\n1 failed in 2.0s\n${fence}`);
    assert.deepEqual(
      diagnosticsOf(cut, VAL, 'failing-test-proof').map((d) => d.message),
      [`The validation shows failing tests: "${long.slice(0, 119)}…".`, 'The validation shows failing tests: "1 failed in 2.0s".'],
    );
    assert.deepEqual(testing.reasons, ['1 × failing-test-proof']);
  });

  it('reports a failing run summed up on a checklist item of the tests, not one beside a baseline nor one of another gate', async () => {
    const failing = '- [x] Suite green in CI — Evidence: 249 passed, 2 failed in CI run #502';
    const text =
      auditValidation(
        [
          failing,
          '- [x] No regressions — Evidence: baseline 200 passed, 5 failed; now all pass in `ci/502`',
          '- [x] Suite green — Evidence: 251 passed, 0 failed in CI run #503',
        ].join('\n'),
      ).replace('# Phase 1 Validation', '# Phase 1 Validation: Testing & Quality') +
      '\n## Gate 6: Approval\n\n- [x] Sign-off — Evidence: 3 passed, 1 failed dry runs of the demo script\n';
    const { svc } = await workspace({ [VAL]: text, 'phase-1/03-FINDINGS/coverage.md': '# Coverage\n' });
    assert.deepEqual(
      diagnosticsOf(svc, VAL, 'failing-test-proof').map((d) => d.range),
      [rangeOf(text, failing)],
    );
    const testing = svc.gates(svc.findPhase('phase-1')!).find((g) => g.name === 'Testing')!;
    assert.equal(testing.status, 'failed');
  });

  it('reports a failing run summed up on the item labelled Testing, as the phase system design lists its gates', async () => {
    const labelled = '4. [x] **Testing**: Validation tests pass — Evidence: 12 tests passing, 1 failing on staging';
    const text = [
      '# Phase 1 Validation',
      '',
      '## Validation Gates',
      '',
      '1. [x] **Completeness**: All deliverables produced — Evidence: [findings](03-FINDINGS/coverage.md)',
      '2. [x] **Quality**: Meets defined quality criteria — Evidence: 3 passed, 1 failed lint rules waived in `lint.md`',
      labelled,
      '',
    ].join('\n');
    const { svc } = await workspace({ [VAL]: text, 'phase-1/03-FINDINGS/coverage.md': '# Coverage\n' });
    assert.deepEqual(
      diagnosticsOf(svc, VAL, 'failing-test-proof').map((d) => d.range),
      [rangeOf(text, labelled)],
    );
    assert.equal(svc.gates(svc.findPhase('phase-1')!).find((g) => g.name === 'Testing')!.status, 'failed');
  });

  it('reports each failed test and failure summary of a run, beside its passed tests', async () => {
    const failed = [
      '    ✕ deploys (5 ms)',
      'FAILED tests/test_deploy.py::test_rollback - AssertionError',
      'test_smoke (test_app.Case) ... ERROR',
      'Tests:       2 failed, 40 passed, 42 total',
    ];
    const passed = ['    ✓ checkout (2 ms)', '    ✓ reports FAIL lines (3 ms)', 'test_fail_fast (test_app.Case) ... ok'];
    const { svc, text, testing } = await auditPhase(
      `${fence}text\n${[passed[0], failed[0], passed[1], failed[1], passed[2], failed[2], failed[3]].join('\n')}\n${fence}`,
    );
    assert.deepEqual(
      diagnosticsOf(svc, VAL, 'failing-test-proof').map((d) => d.range),
      failed.map((l) => rangeOf(text, l.trim())),
    );
    assert.equal(testing.status, 'failed');
  });

  it('passes a passing run, and asks for no run: an audit phase has no missing-test-proof', async () => {
    const passing = `${fence}console\n$ pytest\n  ✓ reports FAIL lines\ntest_fail_fast (test_app.Case) ... ok\n======== 143 passed, 0 failed in 41.2s ========\n${fence}`;
    for (const testing of [passing, 'Ran in CI: all green.']) {
      const { svc, testing: gate } = await auditPhase(testing);
      assert.deepEqual(
        svc.phaseDiagnostics(svc.findPhase('phase-1')!).filter((d) => /test-proof/.test(d.code)),
        [],
      );
      assert.equal(gate.status, 'passed', JSON.stringify(gate));
    }
  });

  it('reads a run made before a milestone, a go test or TAP failure under ```bash, and a failed test whose title starts with digits', async () => {
    const cases: [string, string][] = [
      [`Final full-suite run before sign-off:\n\n${fence}\n===== 2 failed, 40 passed in 12.1s =====\n${fence}`, '===== 2 failed, 40 passed in 12.1s ====='],
      [`${fence}bash\n$ go test ./...\n--- FAIL: TestDeploy (0.01s)\n${fence}`, '--- FAIL: TestDeploy (0.01s)'],
      [`${fence}sh\n$ prove -v t/\nok 1 - health\nnot ok 2 - deploy\n${fence}`, 'not ok 2 - deploy'],
      [`${fence}text\n ✓ 404 page renders\n ✕ 2FA code is rejected when expired (5 ms)\n${fence}`, '✕ 2FA code is rejected when expired (5 ms)'],
    ];
    for (const [testing, failing] of cases) {
      const { svc, text } = await auditPhase(testing);
      assert.ok(
        diagnosticsOf(svc, VAL, 'failing-test-proof').some((d) => JSON.stringify(d.range) === JSON.stringify(rangeOf(text, failing))),
        testing,
      );
    }
    // A run quoted from before the fix is still left alone.
    const { svc } = await auditPhase(`Before the fix:\n\n${fence}\n===== 2 failed, 40 passed in 12.1s =====\n${fence}`);
    assert.deepEqual(diagnosticsOf(svc, VAL, 'failing-test-proof'), []);
  });

  it('leaves blocks of source, configuration and logs in the validation, and failing runs in findings and artifacts, alone', async () => {
    const code = [
      `${fence}yaml\n- name: Test\n  run: pytest || (echo FAILED; exit 1)\n${fence}`,
      `${fence}python\nFAILED = "failed"\nstatus = FAILED\n${fence}`,
      // An alerting check's log: an ERROR line, but no test run.
      `${fence}\nERROR payment-service timeout after 30s\nalert fired: PaymentLatency\n${fence}`,
    ].join('\n\n');
    const baseline = `# Test coverage baseline\n\n## Evidence\n\n${fence}\nFAILED tests/test_x.py::test_y\n======== 140 passed, 3 failed in 41.2s ========\n${fence}\n`;
    const { svc, testing } = await auditPhase(code, {
      'phase-1/03-FINDINGS/coverage.md': baseline,
      'phase-1/04-ARTIFACTS/test-report.md': baseline,
    });
    assert.deepEqual(
      svc.phaseDiagnostics(svc.findPhase('phase-1')!).filter((d) => /test-proof/.test(d.code)),
      [],
    );
    assert.equal(testing.status, 'passed', JSON.stringify(testing));
  });

  it("reads a shell block as a script, unless it holds a runner's summary (a run pasted under ```bash)", async () => {
    const scripts = [
      `${fence}bash\n#!/usr/bin/env bash\n# Gate check: coverage must stay above 80 %\npytest --cov=src --cov-fail-under=80 || { echo "Validation FAILED"; exit 1; }\n${fence}`,
      `${fence}sh\npytest -q && echo "OK" || echo "FAILED"\n${fence}`,
      `${fence}powershell\nif ($LASTEXITCODE -ne 0) { Write-Output "FAILED"; exit 1 }\n${fence}`,
      `${fence}zsh\n[[ $? -eq 0 ]] || echo "FAIL: tests"\n${fence}`,
    ];
    for (const script of scripts) {
      const { svc, testing } = await auditPhase(script);
      assert.deepEqual(diagnosticsOf(svc, VAL, 'failing-test-proof'), [], script);
      assert.equal(testing.status, 'passed', script);
    }
    const run = '=== 1 failed, 40 passed in 3.10s ===';
    for (const info of ['bash', 'sh', 'console', 'shell-session', 'text', '']) {
      const { svc, text } = await auditPhase(`${fence}${info}\n$ pytest -q\nFAILED tests/test_api.py::test_login\n${run}\n${fence}`);
      assert.deepEqual(
        diagnosticsOf(svc, VAL, 'failing-test-proof').map((d) => d.range),
        [rangeOf(text, 'FAILED tests/test_api.py::test_login'), rangeOf(text, run)],
        info,
      );
    }
  });

  it('leaves a run quoted as a baseline for comparison alone, and reads the run after it', async () => {
    const earlier = `${fence}\n$ pytest -q\n3 failed, 412 passed in 221.40s\n${fence}`;
    for (const intro of ['Phase 1 baseline (for comparison):\n\n', 'Before this phase:\n', '### Previous run\n\n', 'Earlier run, on main:\n\n']) {
      const { svc, testing } = await auditPhase(`## Before and After\n\n${intro}${earlier}\n\nAfter this phase:\n\n${fence}\n486 passed in 252.10s\n${fence}`);
      assert.deepEqual(diagnosticsOf(svc, VAL, 'failing-test-proof'), [], intro);
      assert.equal(testing.status, 'passed', intro);
    }
    // A section titled as a baseline holds earlier runs; under "Before and After" the line above each block decides.
    const { svc: base } = await auditPhase(`## Baseline\n\nOn main at the start of the phase:\n\n${earlier}`);
    assert.deepEqual(diagnosticsOf(base, VAL, 'failing-test-proof'), []);
    const after = `${fence}\n$ pytest -q\n2 failed, 484 passed in 252.10s\n${fence}`;
    for (const intro of [
      'After this phase:\n\n',
      'Run on the release branch:\n\n',
      'Before: 3 failed; now:\n\n',
      // A list item above the block is no caption of it, whatever it says.
      '- [x] The existing test suite passes on the baseline — Evidence: `ci.log`\n\n',
    ]) {
      const { svc, text, testing } = await auditPhase(`## Before and After\n\n${intro}${after}`);
      assert.deepEqual(
        diagnosticsOf(svc, VAL, 'failing-test-proof').map((d) => d.range),
        [rangeOf(text, '2 failed, 484 passed in 252.10s')],
        intro,
      );
      assert.equal(testing.status, 'failed', intro);
    }
  });

  it("reports a failing run in a custom layout's document of kind validation, and only there", async () => {
    const config = `layouts:
  - name: sprint
    phases: "sprints/sprint-*"
    documents:
      - kind: validation
        file: REVIEW.md
      - kind: report
        file: REPORT.md
    gates:
      - name: Tests
        failOn: [failing-test-proof, missing-test-proof]
`;
    const run = `${fence}\n  ✓ checkout\n  ✕ deploys\n${fence}\n`;
    const { svc } = await workspace({
      'phasegate.yaml': config,
      'sprints/sprint-1/REVIEW.md': `# Sprint 1 review\n\n${run}`,
      'sprints/sprint-1/REPORT.md': `# Sprint 1 report\n\n${run}`,
      'sprints/sprint-2/REVIEW.md': '# Sprint 2 review\n\nNo run pasted.\n',
      'sprints/sprint-2/REPORT.md': '# Sprint 2 report\n',
    });
    assert.deepEqual(svc.config.problems, []);
    assert.deepEqual(
      diagnosticsOf(svc, 'sprints/sprint-1/REVIEW.md', 'failing-test-proof').map((d) => d.range.start.line),
      [4],
    );
    assert.deepEqual(diagnosticsOf(svc, 'sprints/sprint-1/REPORT.md', 'failing-test-proof'), []);
    const tests = (id: string) => svc.gates(svc.findPhase(id)!).find((g) => g.name === 'Tests')!.status;
    assert.equal(tests('sprints/sprint-1'), 'failed');
    assert.equal(tests('sprints/sprint-2'), 'passed');
  });
});

/**
 * Every item that keeps a gate pending is named by a diagnostic in the file and on the line the gate reads
 * it from, and no checklist diagnostic names an item that holds no gate: what the tree and `status` say and
 * what the Problems view shows agree.
 */
describe("phase rules: the iAI framework's own section names", () => {
  const PROMPT_FW = `# Phase 1: CI Setup (iAI Prompt-Driven)

## Description

Set up continuous integration.

## Key Activities (via iAI Prompt)

- GitHub Actions workflow
- Branching strategy document

## Tests

- Unit tests for the workflow definition

## Acceptance Criteria

- [ ] CI runs on every pull request
`;
  const PROMPT_PATH = `${IAI}/implementation_prompt.md`;
  const codes = (svc: Awaited<ReturnType<typeof workspace>>['svc'], rel: string) => diagnosticsOf(svc, rel).map((d) => `${d.code}: ${d.message}`);

  it('reads Description as the Objective and Key Activities (with a note) as the Deliverables of a prompt', async () => {
    const { svc } = await workspace({ [PROMPT_PATH]: PROMPT_FW, [RESP]: response() });
    assert.deepEqual(
      codes(svc, PROMPT_PATH).filter((c) => !c.startsWith('missing-front-matter')),
      [],
    );
    // The activities are the deliverables the response must address.
    const { svc: svc2 } = await workspace({ [PROMPT_PATH]: PROMPT_FW.replace('- Branching strategy document', '- Release notes'), [RESP]: response() });
    assert.deepEqual(
      diagnosticsOf(svc2, RESP, 'unaddressed-deliverable').map((d) => d.message),
      [`Deliverable "Release notes" of the prompt is not addressed in the response's "Deliverables" section.`],
    );
    // Without the activities the Deliverables section is missing, under its own name.
    const { svc: svc3 } = await workspace({ [PROMPT_PATH]: PROMPT_FW.replace('## Key Activities (via iAI Prompt)', '## Activities'), [RESP]: response() });
    assert.deepEqual(
      diagnosticsOf(svc3, PROMPT_PATH, 'missing-section').map((d) => d.message),
      ['Missing section "## Deliverables".'],
    );
  });

  it('reads Unit & Integration Tests and Test Execution Proof as the Tests and Execution Proof of a response', async () => {
    const text = response()
      .replace('## Tests', '## Unit and Integration Tests')
      .replace('## Execution Proof', '## Test Execution Proof')
      .replace('2 passed, 0 failed', '1 passed, 1 failed');
    const { svc } = await iai(text);
    assert.deepEqual(
      codes(svc, RESP).filter((c) => !c.startsWith('missing-front-matter')),
      ['failing-test-proof: The execution proof shows failing tests: "1 passed, 1 failed in 0.12s".'],
    );
    const empty = response({ tests: '<!-- none -->' }).replace('## Tests', '## Unit & Integration Tests');
    const { svc: svc2 } = await iai(empty);
    assert.deepEqual(
      diagnosticsOf(svc2, RESP, 'missing-tests').map((d) => d.message),
      ['Section "Unit & Integration Tests" lists no tests: add one item per unit or integration test.'],
    );
  });

  it('reads every section that counts as the Execution Proof, the Tests or the Deliverables, not only the first', async () => {
    const failingRun = '1 failed, 3 passed in 38.21s';
    const twoProofs = response().replace(/\n$/, `\n## Test Execution Proof\n\n${fence}text\n$ pytest tests/ci -q\n${failingRun}\n${fence}\n`);
    const { svc } = await iai(twoProofs);
    assert.deepEqual(
      diagnosticsOf(svc, RESP, 'failing-test-proof').map((d) => d.range),
      [rangeOf(twoProofs, failingRun)],
    );
    assert.equal(svc.gates(svc.findPhase('Build/Phase_1_CI')!).find((g) => g.name === 'Proof')?.status, 'failed');
    // The failing run first, the passing one after it: still failing.
    const failingFirst = response({ proof: `${fence}text\n${failingRun}\n${fence}` }).replace(
      /\n$/,
      `\n## Test Execution Proof\n\n${fence}text\n4 passed in 38.21s\n${fence}\n`,
    );
    assert.equal(diagnosticsOf((await iai(failingFirst)).svc, RESP, 'failing-test-proof').length, 1);
    // Tests listed under a second Tests section count.
    const testsLater = response({ tests: '<!-- see below -->' }).replace(
      /\n$/,
      '\n## Unit & Integration Tests\n\n- `tests/test_ci.py::test_workflow_is_valid_yaml`\n',
    );
    assert.deepEqual(diagnosticsOf((await iai(testsLater)).svc, RESP, 'missing-tests'), []);
    // A prompt with both Deliverables and Key Activities asks for both sections' deliverables.
    const prompt = PROMPT.replace('## Tests Required', '## Key Activities (via iAI Prompt)\n\n- Release notes\n\n## Tests Required');
    const { svc: svc2 } = await workspace({ [`${IAI}/implementation_prompt.md`]: prompt, [RESP]: response() });
    assert.deepEqual(
      diagnosticsOf(svc2, RESP, 'unaddressed-deliverable').map((d) => d.message),
      [`Deliverable "Release notes" of the prompt is not addressed in the response's "Deliverables" section.`],
    );
    // … and a response that addresses them in a second Deliverables section addresses them.
    const spread = response().replace('## Tests\n', '## Deliverables\n\n- Release notes: `docs/release-notes.md`\n\n## Tests\n');
    assert.deepEqual(
      diagnosticsOf((await workspace({ [`${IAI}/implementation_prompt.md`]: prompt, [RESP]: spread })).svc, RESP, 'unaddressed-deliverable'),
      [],
    );
  });

  it('reads one "Tests and Execution Proof" section as both: its items are the tests, its code block the proof', async () => {
    const combined = response().replace(/## Tests\n\n([\s\S]*?)\n## Execution Proof\n/, '## Tests and Execution Proof\n\n$1');
    assert.match(combined, /## Tests and Execution Proof\n\n- `tests/);
    const { svc } = await iai(combined);
    assert.deepEqual(
      codes(svc, RESP).filter((c) => !c.startsWith('missing-front-matter')),
      [],
    );
    // A run output alone lists no tests.
    const proofOnly = combined.replace(/- `tests[^\n]*\n/g, '');
    const { svc: svc2 } = await iai(proofOnly);
    assert.deepEqual(
      codes(svc2, RESP).filter((c) => !c.startsWith('missing-front-matter')),
      ['missing-tests: Section "Tests and Execution Proof" lists no tests: add one item per unit or integration test.'],
    );
  });
});

function assertChecklistsAgree(svc: Awaited<ReturnType<typeof workspace>>['svc']): void {
  for (const phase of svc.model.phases) {
    const held: string[] = [];
    for (const g of svc.gates(phase)) {
      for (const i of g.items) {
        if (!i.checked) held.push(`${g.file}:${i.line} gate-item-unchecked ${g.name}`);
        else if (!i.evidence) held.push(`${g.file}:${i.line} gate-item-no-evidence ${g.name}`);
      }
    }
    const reported = phase.markdown.flatMap((f) =>
      svc
        .diagnose(f)
        .filter((d) => d.code === 'gate-item-unchecked' || d.code === 'gate-item-no-evidence')
        .map((d) => `${f}:${d.range.start.line} ${d.code} ${d.message.replace(/ gate: .*/, '')}`),
    );
    assert.deepEqual(reported.sort(), held.sort(), phase.id);
  }
}

describe('phase rules: iAI gate checklists', () => {
  it("reads the response's Tests list and Execution Proof as what they are, not as the Tests and Proof gates' checklists", async () => {
    // Tests written as task items (the seed asks for tests, not for a checklist of them), and a note with a box in the proof.
    const text = response({
      tests: '- [ ] test_workflow_is_valid_yaml\n- [x] test_workflow_runs_linters',
      proof: `${fence}text\n$ pytest -q\n2 passed, 0 failed in 0.12s\n${fence}\n\n- [ ] rerun on the CI runner`,
    });
    const { svc } = await iai(text);
    const gates = svc.gates(svc.findPhase('Build/Phase_1_CI')!);
    assert.deepEqual(
      gates.map((g) => [g.name, g.status, g.reasons, g.items.length, g.file]),
      [
        ['Completeness', 'passed', [], 0, undefined],
        ['Tests', 'passed', [], 0, undefined],
        ['Proof', 'passed', [], 0, undefined],
      ],
    );
    assert.deepEqual(diagnosticsOf(svc, RESP, 'missing-tests'), [], 'the items are the tests listed');
    assert.deepEqual(diagnosticsOf(svc, RESP, 'gate-item-unchecked'), []);
    assert.deepEqual(diagnosticsOf(svc, RESP, 'gate-item-no-evidence'), []);
    assert.equal(svc.status(svc.findPhase('Build/Phase_1_CI')!), 'complete');
    assertChecklistsAgree(svc);
  });

  it('a checklist headed as the gate (## Gate 2: Tests) holds it, and each item that holds it is reported at its box or text', async () => {
    const text = response() + '\n## Gate 2: Tests\n\n- [x] Reviewed by QA\n- [ ] Coverage above 80%\n- [x] Linters pass — Evidence: `ci.log`\n';
    const prompt = PROMPT + '\n## Gate: Completeness\n\n- [x] Every deliverable has an owner\n';
    const { svc } = await workspace({ [`${IAI}/implementation_prompt.md`]: prompt, [RESP]: text });
    const phase = svc.findPhase('Build/Phase_1_CI')!;
    assert.deepEqual(
      svc.gates(phase).map((g) => [g.name, g.status, g.reasons]),
      [
        ['Completeness', 'pending', ['1 item without evidence']],
        ['Tests', 'pending', ['1 item unchecked', '1 item without evidence']],
        ['Proof', 'passed', []],
      ],
    );
    assert.deepEqual(
      diagnosticsOf(svc, RESP, 'gate-item-unchecked').map((d) => [d.range, d.message]),
      [[rangeOf(text, '[ ]'), 'Tests gate: "Coverage above 80%" is not checked.']],
    );
    assert.deepEqual(
      diagnosticsOf(svc, RESP, 'gate-item-no-evidence').map((d) => [d.range, d.message]),
      [[rangeOf(text, 'Reviewed by QA'), 'Tests gate: "Reviewed by QA" is checked but cites no evidence (add a link, a `path` or "Evidence: …").']],
    );
    const PROMPT_PATH = `${IAI}/implementation_prompt.md`;
    assert.deepEqual(
      diagnosticsOf(svc, PROMPT_PATH, 'gate-item-no-evidence').map((d) => [d.range, d.message]),
      [
        [
          rangeOf(prompt, 'Every deliverable has an owner'),
          'Completeness gate: "Every deliverable has an owner" is checked but cites no evidence (add a link, a `path` or "Evidence: …").',
        ],
      ],
    );
    // The prompt's Acceptance Criteria are no gate's checklist: its unchecked item holds nothing and is not reported.
    assert.deepEqual(diagnosticsOf(svc, PROMPT_PATH, 'gate-item-unchecked'), []);
    assertChecklistsAgree(svc);
  });

  it("a custom layout's checklist in any of its documents is reported where the gate reads it (the first document that has one)", async () => {
    const cfg = [
      'layouts:',
      '  - name: sprint',
      '    phases: "sprints/sprint-*"',
      "    number: 'sprint-(\\d+)'",
      '    documents:',
      '      - kind: brief',
      '        file: GOALS.md',
      '        sections: [Objectives]',
      '      - kind: checks',
      '        file: CHECKS.md',
      '    gates:',
      '      - name: Review',
      '      - name: Demo',
    ].join('\n');
    const goals = '# Sprint 1\n\n## Objectives\n\nShip.\n';
    const checks = '# Checks\n\n## Review\n\n- [ ] Code reviewed\n\n## Gate 2: Demo\n\n- [x] Demo given\n';
    const { svc } = await workspace({
      'phasegate.yaml': cfg,
      'sprints/sprint-1/GOALS.md': goals,
      'sprints/sprint-1/CHECKS.md': checks,
      // The same gate's checklist in an earlier document: that one is the gate's, the later one is not read.
      'sprints/sprint-2/GOALS.md': goals.replace('1', '2') + '\n## Demo\n\n- [x] Demo given — Evidence: [video](GOALS.md)\n',
      'sprints/sprint-2/CHECKS.md': checks,
    });
    assert.deepEqual(svc.config.problems, []);
    assert.deepEqual(
      svc.gates(svc.findPhase('sprints/sprint-1')!).map((g) => [g.name, g.status, g.reasons]),
      [
        ['Review', 'pending', ['1 item unchecked']],
        ['Demo', 'pending', ['1 item without evidence']],
      ],
    );
    assert.deepEqual(
      diagnosticsOf(svc, 'sprints/sprint-1/CHECKS.md')
        .filter((d) => d.code.startsWith('gate-item'))
        .map((d) => [d.code, d.range, d.message.replace(/ \(add .*/, '')]),
      [
        ['gate-item-unchecked', rangeOf(checks, '[ ]'), 'Review gate: "Code reviewed" is not checked.'],
        ['gate-item-no-evidence', rangeOf(checks, 'Demo given'), 'Demo gate: "Demo given" is checked but cites no evidence'],
      ],
    );
    assert.deepEqual(
      svc.gates(svc.findPhase('sprints/sprint-2')!).map((g) => [g.name, g.status]),
      [
        ['Review', 'pending'],
        ['Demo', 'passed'],
      ],
    );
    assert.deepEqual(
      diagnosticsOf(svc, 'sprints/sprint-2/CHECKS.md')
        .filter((d) => d.code.startsWith('gate-item'))
        .map((d) => d.code),
      ['gate-item-unchecked'],
    );
    assertChecklistsAgree(svc);
  });
});

describe('phase rules: deliverables', () => {
  it('reports each deliverable the response does not address, on its Deliverables heading', async () => {
    const text = response({ deliverables: '- [x] GitHub Actions workflow: `.github/workflows/ci.yml`' });
    const { svc } = await iai(text);
    const ds = diagnosticsOf(svc, RESP, 'unaddressed-deliverable');
    assert.equal(ds.length, 2);
    assert.match(ds[0].message, /Linter configuration for Python and JavaScript/);
    assert.match(ds[1].message, /Branching strategy document/);
    for (const d of ds) assert.deepEqual(d.range, rangeOf(text, 'Deliverables'));
  });

  it('matches by the bold key term alone', async () => {
    const text = response({ deliverables: '- [x] GitHub Actions: done\n- [x] Linter configuration (Python, JavaScript)\n- [x] Branching strategy' });
    const { svc } = await iai(text);
    assert.deepEqual(diagnosticsOf(svc, RESP, 'unaddressed-deliverable'), []);
  });

  it('falls back to the whole response without a Deliverables section, reporting on the H1', async () => {
    const text =
      response().replace(/## Deliverables\n\n[^#]*/, '') + '\nWe added a GitHub Actions workflow and a linter configuration for Python and JavaScript.\n';
    const { svc } = await iai(text);
    const ds = diagnosticsOf(svc, RESP, 'unaddressed-deliverable');
    assert.equal(ds.length, 1);
    assert.match(ds[0].message, /Branching strategy document/);
    assert.deepEqual(ds[0].range, { start: { line: 0, character: 0 }, end: { line: 0, character: 28 } });
  });

  it('fixes an unaddressed deliverable by appending an item to the Deliverables section', async () => {
    const text = response({ deliverables: '- [x] GitHub Actions workflow: `.github/workflows/ci.yml`\n- [x] Linter configuration (Python, JavaScript)' });
    const { svc } = await iai(text);
    const [d] = diagnosticsOf(svc, RESP, 'unaddressed-deliverable');
    const [a] = codeActions(svc, [d]);
    const fixed = applyEdits(text, a.change.edits[0].edits);
    assert.match(fixed, /- \[x\] Linter configuration \(Python, JavaScript\)\n- \[ \] Branching strategy document — \[Where it is\]\n\n## Tests/);
    svc.setOverlay(`${ROOT}/${RESP}`, fixed);
    assert.deepEqual(diagnosticsOf(svc, RESP, 'unaddressed-deliverable'), []);
  });

  it('audit: compares the brief deliverables with the output handoff summary and artifacts', async () => {
    const brief =
      '# Phase 1: Foundation Audit\n\n## Objectives\n\nAudit.\n\n## Scope\n\nAll.\n\n## Deliverables\n\n- Code quality audit report\n- Dependency vulnerability scan\n\n## Risks\n\n- Risk: late - start early\n';
    const out = (artifacts: string) => `# Phase 1 → Phase 2 Handoff\n\n## Phase 1 Summary\n\n- Audit done\n\n## Artifacts Produced\n\n${artifacts}\n`;
    const good = out('- Code quality report: [report](04-ARTIFACTS/report.md) - audit\n- Dependency scan: `04-ARTIFACTS/deps.json` - vulnerability scan');
    let { svc } = await workspace({ 'phase-1/00-PHASE_BRIEF.md': brief, 'phase-1/06-OUTPUT_HANDOFF.md': good });
    assert.deepEqual(diagnosticsOf(svc, 'phase-1/06-OUTPUT_HANDOFF.md', 'unaddressed-deliverable'), []);
    const bad = out('- Code quality report: [report](04-ARTIFACTS/report.md) - audit');
    ({ svc } = await workspace({ 'phase-1/00-PHASE_BRIEF.md': brief, 'phase-1/06-OUTPUT_HANDOFF.md': bad }));
    const [d] = diagnosticsOf(svc, 'phase-1/06-OUTPUT_HANDOFF.md', 'unaddressed-deliverable');
    assert.match(d.message, /Dependency vulnerability scan/);
    assert.deepEqual(d.range, rangeOf(bad, 'Artifacts Produced'));
    const [a] = codeActions(svc, [d]);
    assert.match(applyEdits(bad, a.change.edits[0].edits), /- audit\n- Dependency vulnerability scan: \[Location\] - \[Purpose\]\n$/);
  });

  it("audit: reports the brief's deliverables as a warning while the output handoff holds only the template's placeholders", async () => {
    const brief =
      '# Phase 1: Foundation Audit\n\n## Objectives\n\nAudit.\n\n## Scope\n\nAll.\n\n## Deliverables\n\n- Code quality audit report\n- Dependency vulnerability scan\n\n## Risks\n\n- Risk: late - start early\n';
    const out = (summary: string) =>
      `# Phase 1 → Phase 2 Handoff\n\n## Phase 1 Summary\n\n${summary}\n\n## Critical Findings\n\n- Issues discovered: none\n\n## Artifacts Produced\n\n- Artifact: [Location] - [Purpose]\n`;
    const template = out('- Objectives achieved: [Objectives achieved]\n- Key deliverables: [Key deliverables]\n- Metrics and KPIs: [Metrics and KPIs]');
    const path = 'phase-1/06-OUTPUT_HANDOFF.md';
    let { svc } = await workspace({ 'phase-1/00-PHASE_BRIEF.md': brief, [path]: template });
    assert.deepEqual(
      diagnosticsOf(svc, path, 'unaddressed-deliverable').map((d) => d.severity),
      ['warning', 'warning'],
    );
    const completeness = () => svc.gates(svc.findPhase('phase-1')!).find((g) => g.name === 'Completeness')!;
    // The phase's other documents are not written: the gate fails on them, not on the deliverables.
    assert.ok(!completeness().reasons.some((r) => r.includes('unaddressed-deliverable')), completeness().reasons.join('; '));
    // Once a line of them is written, what it leaves out is an error again.
    const started = out('- Objectives achieved: baseline taken\n- Key deliverables: [Key deliverables]');
    ({ svc } = await workspace({ 'phase-1/00-PHASE_BRIEF.md': brief, [path]: started }));
    assert.deepEqual(
      diagnosticsOf(svc, path, 'unaddressed-deliverable').map((d) => d.severity),
      ['error', 'error'],
    );
    assert.ok(completeness().reasons.includes('2 × unaddressed-deliverable'), completeness().reasons.join('; '));
  });
});

// ---------------------------------------------------------------- numbering

describe('phase rules: numbering', () => {
  const brief = (n: string) => `# Phase ${n}: Work\n\n## Objectives\n\nA.\n`;

  it('reports a gap on the phase after it, naming the missing numbers', async () => {
    const { svc } = await workspace({ 'a/phase-1/00-PHASE_BRIEF.md': brief('1'), 'a/phase-4/00-PHASE_BRIEF.md': brief('4') });
    const [d] = diagnosticsOf(svc, 'a/phase-4/00-PHASE_BRIEF.md', 'phase-numbering-gap');
    assert.match(d.message, /phases 2, 3 are missing/);
    assert.deepEqual(d.range, { start: { line: 0, character: 2 }, end: { line: 0, character: 15 } });
    assert.deepEqual(diagnosticsOf(svc, 'a/phase-1/00-PHASE_BRIEF.md', 'phase-numbering-gap'), []);
  });

  it('names a long gap by its ends, also a far phase number (phase-999999999)', async () => {
    const { svc } = await workspace({ 'a/phase-1/00-PHASE_BRIEF.md': brief('1'), 'a/phase-999999999/00-PHASE_BRIEF.md': brief('999999999') });
    const [d] = diagnosticsOf(svc, 'a/phase-999999999/00-PHASE_BRIEF.md', 'phase-numbering-gap');
    assert.match(d.message, /skips from 1 to 999999999 in a\/: phases 2–999999998 are missing\./);
  });

  it('passes consecutive phases', async () => {
    const { svc } = await workspace({ 'phase-1/00-PHASE_BRIEF.md': brief('1'), 'phase-2/00-PHASE_BRIEF.md': brief('2') });
    for (const f of ['phase-1/00-PHASE_BRIEF.md', 'phase-2/00-PHASE_BRIEF.md']) {
      assert.deepEqual(
        diagnosticsOf(svc, f).filter((d) => d.code.startsWith('phase-numbering')),
        [],
      );
    }
  });

  it('reports duplicates (phase-2 and phase-02) on each', async () => {
    const { svc } = await workspace({
      'phase-1/00-PHASE_BRIEF.md': brief('1'),
      'phase-2/00-PHASE_BRIEF.md': brief('2'),
      'phase-02/00-PHASE_BRIEF.md': brief('2'),
    });
    for (const f of ['phase-2/00-PHASE_BRIEF.md', 'phase-02/00-PHASE_BRIEF.md']) {
      const [d] = diagnosticsOf(svc, f, 'phase-numbering-duplicate');
      assert.match(d.message, /phase-02, phase-2/);
      assert.equal(d.severity, 'error');
    }
  });

  it('numbers iAI phases per workstream, and uses 0:0 without a title', async () => {
    const { svc } = await workspace({
      'p/workstreams/Build/Phase_1_CI/implementation_prompt.md': '# Phase 1\n',
      'p/workstreams/Build/Phase_3_Art/implementation_prompt.md': 'No title.\n',
      'p/workstreams/Test/Phase_1_Unit/implementation_prompt.md': '# Phase 1\n',
    });
    const [d] = diagnosticsOf(svc, 'p/workstreams/Build/Phase_3_Art/implementation_prompt.md', 'phase-numbering-gap');
    assert.match(d.message, /phase 2 is missing/);
    assert.match(d.message, /workstream Build/);
    assert.deepEqual(d.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } });
    assert.deepEqual(diagnosticsOf(svc, 'p/workstreams/Test/Phase_1_Unit/implementation_prompt.md', 'phase-numbering-gap'), []);
  });
});

// ---------------------------------------------------------------- handoffs

const OUT1 = `# Phase 1 → Phase 2 Handoff

## Phase 1 Summary

- Audit completed

## Critical Findings

- None critical

## Decisions Made

- Decision: use pytest → the team knows it

## Artifacts Produced

- Audit report: [report](04-ARTIFACTS/audit-report.md) - findings

## Phase 2 Prerequisites

- [ ] Test environment provisioned
- [x] Audit findings reviewed

## Phase 2 Inputs

- Audit report: [report](04-ARTIFACTS/audit-report.md) - the code quality findings
- Coverage baseline: \`04-ARTIFACTS/coverage.json\` - current coverage
- Remediation roadmap: [roadmap](03-FINDINGS/roadmap.md#top) - prioritised fixes

## Recommended Next Steps

1. Raise coverage

## Open Questions

- Which CI runner do we standardise on?

## Risks & Dependencies

- Risk: flaky tests - quarantine them
`;

const IN2 = `# Phase 2 Input Handoff

## Source

- Previous phase: [Phase 1 output handoff](../phase-1/06-OUTPUT_HANDOFF.md)

## Inputs Received

- Audit report: [report](../phase-1/04-ARTIFACTS/audit-report.md) - findings

## Prerequisites

- [x] Audit findings reviewed

## Open Questions

`;

const IN2_COMPLETE = `# Phase 2 Input Handoff

## Source

- [Phase 1 output handoff](../phase-1/06-OUTPUT_HANDOFF.md)

## Inputs Received

- Audit report: [report](../phase-1/04-ARTIFACTS/audit-report.md) - findings
- Coverage baseline: \`../phase-1/04-ARTIFACTS/coverage.json\` - current coverage
- Remediation roadmap: [roadmap](../phase-1/03-FINDINGS/roadmap.md) - prioritised fixes

## Prerequisites

- [x] Test environment provisioned
- [x] Audit findings reviewed

## Open Questions

- Which CI runner do we standardise on?
`;

const PHASE1_FILES = {
  'phase-1/04-ARTIFACTS/audit-report.md': '# Report\n',
  'phase-1/04-ARTIFACTS/coverage.json': '{}\n',
  'phase-1/03-FINDINGS/roadmap.md': '# Roadmap\n',
};

const IN_PATH = 'phase-2/01-INPUT_HANDOFF.md';
const OUT_PATH = 'phase-1/06-OUTPUT_HANDOFF.md';

async function handoffs(input: string | undefined, output = OUT1) {
  const files: Record<string, string> = { ...PHASE1_FILES, [OUT_PATH]: output, 'phase-2/00-PHASE_BRIEF.md': '# Phase 2: Testing\n' };
  if (input !== undefined) files[IN_PATH] = input;
  return workspace(files);
}

const handoffCodes = (svc: Awaited<ReturnType<typeof handoffs>>['svc']): Diagnostic[] =>
  diagnosticsOf(svc, IN_PATH).filter((d) => d.code === 'handoff-mismatch' || d.code === 'prerequisite-unmet');

describe('phase rules: handoffs', () => {
  it('passes an input handoff that receives everything phase 1 hands off', async () => {
    const { svc } = await handoffs(IN2_COMPLETE);
    assert.deepEqual(handoffCodes(svc), []);
    assert.deepEqual(diagnosticsOf(svc, OUT_PATH, 'handoff-mismatch'), []);
  });

  it('reports inputs handed off but not received, on the Inputs Received heading', async () => {
    const { svc } = await handoffs(IN2);
    const ds = diagnosticsOf(svc, IN_PATH, 'handoff-mismatch');
    assert.deepEqual(
      ds.map((d) => d.message.match(/"([^"]+)"/)?.[1]),
      ['Coverage baseline', 'Remediation roadmap'],
    );
    for (const d of ds) {
      assert.deepEqual(d.range, rangeOf(IN2, 'Inputs Received'));
      assert.equal(d.data?.fix, 'complete-handoff');
    }
  });

  it('reports an input that phase 1 did not hand off, on the item', async () => {
    const text = IN2_COMPLETE.replace('- Remediation roadmap', '- Secret sauce: [notes](notes.md) - ours\n- Remediation roadmap');
    const { svc } = await handoffs(text);
    const [d] = diagnosticsOf(svc, IN_PATH, 'handoff-mismatch');
    assert.match(d.message, /"Secret sauce" was not handed off by phase-1/);
    assert.deepEqual(d.range, rangeOf(text, 'Secret sauce: [notes](notes.md) - ours'));
  });

  it('matches an input named from the workspace root on one side and from the handoff on the other', async () => {
    // Phase 1 names its inputs from the workspace root (as missing-artifact accepts); phase 2 from its own folder.
    const rootOut = OUT1.replace('[report](04-ARTIFACTS/audit-report.md) - the code', '[report](phase-1/04-ARTIFACTS/audit-report.md) - the code')
      .replace('`04-ARTIFACTS/coverage.json`', '`phase-1/04-ARTIFACTS/coverage.json`')
      .replace('[roadmap](03-FINDINGS/roadmap.md#top)', '[roadmap](phase-1/03-FINDINGS/roadmap.md#top)');
    // Unnamed items: only their paths can match them.
    const unnamed = (t: string) => t.replace(/- (Audit report|Coverage baseline|Remediation roadmap): /g, '- ');
    let { svc } = await handoffs(unnamed(IN2_COMPLETE), unnamed(rootOut));
    assert.deepEqual(diagnosticsOf(svc, IN_PATH, 'handoff-mismatch'), []);
    assert.deepEqual(diagnosticsOf(svc, OUT_PATH, 'missing-artifact'), []);
    // And the other way round: phase 2 names them from the root.
    const rootIn = IN2_COMPLETE.replace(/\.\.\/phase-1\/(?=0[34])/g, 'phase-1/');
    ({ svc } = await handoffs(unnamed(rootIn), unnamed(OUT1)));
    assert.deepEqual(diagnosticsOf(svc, IN_PATH, 'handoff-mismatch'), []);
    assert.deepEqual(diagnosticsOf(svc, IN_PATH, 'missing-artifact'), []);
    // Another file is still another input.
    const other = unnamed(rootIn).replace('phase-1/04-ARTIFACTS/coverage.json', 'phase-1/04-ARTIFACTS/audit-report.md');
    ({ svc } = await handoffs(other, unnamed(OUT1)));
    assert.deepEqual(
      diagnosticsOf(svc, IN_PATH, 'handoff-mismatch').map((d) => d.message.match(/"([^"]+)"/)?.[1]),
      ['`04-ARTIFACTS/coverage.json` - current coverage'],
    );
  });

  it('reads backslash escapes in link targets as Markdown does (`audit\\-report.md` is `audit-report.md`), in code spans not', async () => {
    const unnamed = (t: string) => t.replace(/- (Audit report|Coverage baseline|Remediation roadmap): /g, '- ');
    // Phase 2 escapes its link targets (as some editors write them): the same files, still received.
    const escaped = unnamed(IN2_COMPLETE).replace('audit-report.md', 'audit\\-report.md').replace('03-FINDINGS/roadmap', '03\\-FINDINGS/roadmap');
    let { svc } = await handoffs(escaped, unnamed(OUT1));
    assert.deepEqual(diagnosticsOf(svc, IN_PATH, 'handoff-mismatch'), []);
    assert.deepEqual(diagnosticsOf(svc, IN_PATH, 'broken-link'), []);
    // And in the Source link.
    ({ svc } = await handoffs(IN2_COMPLETE.replace('06-OUTPUT_HANDOFF.md)', '06-OUTPUT\\_HANDOFF.md)')));
    assert.deepEqual(handoffCodes(svc), []);
    // A backslash in a code span is itself: another file.
    const code = unnamed(IN2_COMPLETE).replace('`../phase-1/04-ARTIFACTS/coverage.json`', '`../phase-1/04-ARTIFACTS/coverage\\.json`');
    ({ svc } = await handoffs(code, unnamed(OUT1)));
    assert.equal(diagnosticsOf(svc, IN_PATH, 'handoff-mismatch').length, 2);
    // Phase 1 escapes them: complete handoff copies links that resolve from phase 2, read as phase 1's are.
    const out = OUT1.replace('[roadmap](03-FINDINGS/roadmap.md#top)', '[roadmap](03\\-FINDINGS/roadmap.md#top)').replace(
      '[report](04-ARTIFACTS/audit-report.md)',
      '[report](phase\\-1/04-ARTIFACTS/audit-report.md)',
    );
    ({ svc } = await handoffs(undefined, out));
    assert.deepEqual(diagnosticsOf(svc, OUT_PATH, 'missing-artifact'), []);
    const [created] = completeHandoff(svc, svc.findPhase('phase-2'))!.change.creates;
    assert.match(created.text, /\[roadmap\]\(\.\.\/phase-1\/03-FINDINGS\/roadmap\.md#top\)/);
    assert.match(created.text, /\[report\]\(\.\.\/phase-1\/04-ARTIFACTS\/audit-report\.md\)/);
    ({ svc } = await handoffs(created.text, out));
    assert.deepEqual(diagnosticsOf(svc, IN_PATH, 'handoff-mismatch'), []);
    assert.deepEqual(diagnosticsOf(svc, IN_PATH, 'broken-link'), []);
  });

  it('complete handoff rewrites a link written from the workspace root so that it resolves from phase 2', async () => {
    const rootOut = OUT1.replace('[roadmap](03-FINDINGS/roadmap.md#top)', '[roadmap](phase-1/03-FINDINGS/roadmap.md#top)');
    const { svc } = await handoffs(undefined, rootOut);
    const [created] = completeHandoff(svc, svc.findPhase('phase-2'))!.change.creates;
    assert.match(created.text, /- Remediation roadmap: \[roadmap\]\(\.\.\/phase-1\/03-FINDINGS\/roadmap\.md#top\) - prioritised fixes/);
  });

  it("reads an input handoff that keeps the output handoff's names for its sections (## Phase 2 Inputs), and completes it there", async () => {
    const named = IN2_COMPLETE.replace('## Inputs Received', '## Phase 2 Inputs').replace('## Prerequisites', '## Phase 2 Prerequisites');
    assert.notEqual(named, IN2_COMPLETE);
    const { svc } = await handoffs(named);
    assert.deepEqual(
      diagnosticsOf(svc, IN_PATH).filter((d) => ['missing-section', 'handoff-mismatch', 'prerequisite-unmet'].includes(d.code)),
      [],
    );
    // Without one input and one prerequisite: complete handoff adds them to those sections, no new ones.
    const short = named.replace(/- Remediation roadmap:.*\n/, '').replace('- [x] Test environment provisioned\n', '');
    const { svc: s2 } = await handoffs(short);
    assert.equal(diagnosticsOf(s2, IN_PATH, 'handoff-mismatch').length, 1);
    const action = completeHandoff(s2, s2.findPhase('phase-2'))!;
    const fixed = applyEdits(short, action.change.edits[0].edits);
    assert.doesNotMatch(fixed, /## Inputs Received|^## Prerequisites/m);
    assert.match(fixed, /## Phase 2 Inputs\n\n(- .*\n)*- Remediation roadmap: /);
    assert.match(fixed, /## Phase 2 Prerequisites\n\n(- .*\n)*- \[ \] Test environment provisioned/);
  });

  it("complete handoff puts what is handed off in place of a scaffolded input handoff's template placeholders", async () => {
    const scaffolded = [
      '# Phase 2 Input Handoff',
      '',
      '## Source',
      '',
      '[Starting point of the phase]',
      '',
      '## Inputs Received',
      '',
      '- Input: [Location] - [Description]',
      '',
      '## Prerequisites',
      '',
      '- [ ] [Prerequisite]',
      '',
      '## Open Questions',
      '',
      '- [Open question]',
      '',
    ].join('\n');
    const { svc } = await handoffs(scaffolded);
    const fixed = applyEdits(scaffolded, completeHandoff(svc, svc.findPhase('phase-2'))!.change.edits[0].edits);
    assert.doesNotMatch(fixed, /\[(Location|Description|Prerequisite|Open question|Starting point of the phase)\]/);
    const { svc: after } = await handoffs(fixed);
    assert.deepEqual(
      diagnosticsOf(after, IN_PATH).filter((d) => ['unfilled-placeholder', 'handoff-mismatch', 'missing-section', 'empty-section'].includes(d.code)),
      [],
    );
    // A section that says something of its own keeps it: the items go after it.
    const written = scaffolded.replace('- Input: [Location] - [Description]', '- Lab access: granted by IT');
    const { svc: s2 } = await handoffs(written);
    const kept = applyEdits(written, completeHandoff(s2, s2.findPhase('phase-2'))!.change.edits[0].edits);
    assert.match(kept, /- Lab access: granted by IT\n- Audit report: /);
  });

  it('complete handoff rewrites a bare path so that it resolves from phase 2, and the copy matches what was handed off', async () => {
    const bareOut = OUT1.replace('[roadmap](03-FINDINGS/roadmap.md#top)', '03-FINDINGS/roadmap.md');
    assert.notEqual(bareOut, OUT1);
    const { svc } = await handoffs(undefined, bareOut);
    const [created] = completeHandoff(svc, svc.findPhase('phase-2'))!.change.creates;
    assert.match(created.text, /- Remediation roadmap: \.\.\/phase-1\/03-FINDINGS\/roadmap\.md - prioritised fixes/);
    const { svc: filled } = await handoffs(created.text, bareOut);
    assert.deepEqual(
      diagnosticsOf(filled, IN_PATH).filter((d) => ['handoff-mismatch', 'missing-artifact'].includes(d.code)),
      [],
    );
    assert.equal(completeHandoff(filled, filled.findPhase('phase-2')), undefined);
    // Received written from the workspace root, or as a link: the same file, no mismatch.
    for (const received of ['phase-1/03-FINDINGS/roadmap.md', '[roadmap](../phase-1/03-FINDINGS/roadmap.md)']) {
      const { svc: other } = await handoffs(created.text.replace('../phase-1/03-FINDINGS/roadmap.md', received), bareOut);
      assert.deepEqual(diagnosticsOf(other, IN_PATH, 'handoff-mismatch'), [], received);
    }
    // Named as handed off, the input is that one (names identify inputs); a file that is not there is reported.
    const { svc: wrong } = await handoffs(created.text.replace('../phase-1/03-FINDINGS/roadmap.md', '../phase-1/03-FINDINGS/other.md'), bareOut);
    assert.deepEqual(
      diagnosticsOf(wrong, IN_PATH, 'missing-artifact').map((d) => d.message),
      ['Input "../phase-1/03-FINDINGS/other.md" does not exist (looked in the phase folder, the folder of the phases and the workspace root).'],
    );
  });

  it('complete handoff rewrites a bare path with a #fragment (04-ARTIFACTS/x.md#part), its fragment kept', async () => {
    const bareOut = OUT1.replace('[roadmap](03-FINDINGS/roadmap.md#top)', '03-FINDINGS/roadmap.md#top');
    assert.notEqual(bareOut, OUT1);
    const { svc } = await handoffs(undefined, bareOut);
    assert.deepEqual(diagnosticsOf(svc, OUT_PATH, 'missing-artifact'), []);
    const [created] = completeHandoff(svc, svc.findPhase('phase-2'))!.change.creates;
    assert.match(created.text, /- Remediation roadmap: \.\.\/phase-1\/03-FINDINGS\/roadmap\.md#top - prioritised fixes/);
    const { svc: filled } = await handoffs(created.text, bareOut);
    assert.deepEqual(
      diagnosticsOf(filled, IN_PATH).filter((d) => ['handoff-mismatch', 'missing-artifact'].includes(d.code)),
      [],
    );
  });

  it("complete handoff leaves the output handoff's own directive comments behind", async () => {
    const out = OUT1.replace(
      '[roadmap](03-FINDINGS/roadmap.md#top) - prioritised fixes',
      '[roadmap](03-FINDINGS/roadmap.md#top) - prioritised fixes <!-- phasegate-disable-line missing-artifact -- lands in phase 3 -->',
    );
    assert.notEqual(out, OUT1);
    const { svc } = await handoffs(undefined, out);
    const [created] = completeHandoff(svc, svc.findPhase('phase-2'))!.change.creates;
    assert.match(created.text, /prioritised fixes\n/);
    assert.doesNotMatch(created.text, /phasegate-/);
    // The copy is the item handed off (also one with neither name nor path): nothing is missing, nothing is left to add.
    const unnamed = out.replace('## Recommended', '- Read access to the dashboard <!-- phasegate-disable-line unfilled-placeholder -->\n\n## Recommended');
    const { svc: bare } = await handoffs(undefined, unnamed);
    const [copy] = completeHandoff(bare, bare.findPhase('phase-2'))!.change.creates;
    assert.match(copy.text, /- Read access to the dashboard\n/);
    const { svc: filled } = await handoffs(copy.text, unnamed);
    assert.deepEqual(diagnosticsOf(filled, IN_PATH, 'handoff-mismatch'), []);
    assert.equal(completeHandoff(filled, filled.findPhase('phase-2')), undefined);
  });

  it('does not flag received inputs while phase 1 has handed off none yet', async () => {
    const template = OUT1.replace(/## Phase 2 Inputs\n\n[^#]*/, '## Phase 2 Inputs\n\n- Input 1: [Location] - [Description]\n\n');
    const { svc } = await handoffs(IN2_COMPLETE, template);
    assert.deepEqual(diagnosticsOf(svc, IN_PATH, 'handoff-mismatch'), []);
  });

  it("neither compares nor copies the template's unnamed placeholder input (`- Input: [Location] - [Description]`)", async () => {
    const template = OUT1.replace(/## Phase 2 Inputs\n\n[^#]*/, '## Phase 2 Inputs\n\n- Input: [Location] - [Description]\n\n');
    let { svc } = await handoffs(IN2_COMPLETE, template);
    assert.deepEqual(diagnosticsOf(svc, IN_PATH, 'handoff-mismatch'), []);
    ({ svc } = await handoffs(undefined, template));
    const [created] = completeHandoff(svc, svc.findPhase('phase-2'))!.change.creates;
    assert.doesNotMatch(created.text, /\[Location\]/);
    assert.match(created.text, /No inputs were handed off by phase-1\./);
    // Nor does the template's own item on phase 2's side count as an input received.
    const received = IN2_COMPLETE.replace('## Inputs Received\n\n', '## Inputs Received\n\n- Input: [Location] - [Description]\n');
    ({ svc } = await handoffs(received));
    assert.deepEqual(diagnosticsOf(svc, IN_PATH, 'handoff-mismatch'), []);
  });

  it('reads a link target with balanced parentheses whole: no broken link, no missing artifact', async () => {
    const out = OUT1.replace('- Audit report: [report](04-ARTIFACTS/audit-report.md) - findings', '- Chart: [chart](04-ARTIFACTS/chart_(v1).md) - the chart');
    assert.notEqual(out, OUT1);
    const files = { ...PHASE1_FILES, 'phase-1/04-ARTIFACTS/chart_(v1).md': '# Chart\n', [OUT_PATH]: out };
    const { svc } = await workspace(files);
    const codes = diagnosticsOf(svc, OUT_PATH).map((d) => d.code);
    assert.ok(!codes.includes('broken-link') && !codes.includes('missing-artifact'), codes.join(', '));
    const doc = svc.getDocument(`${ROOT}/${OUT_PATH}`)!;
    assert.ok(doc.links.some((l) => l.target === '04-ARTIFACTS/chart_(v1).md'));
  });

  it('accepts a Source that names the output handoff from the workspace root, as a link, a backticked or a bare path', async () => {
    for (const source of [
      '- [Phase 1 output handoff](phase-1/06-OUTPUT_HANDOFF.md)',
      '- Handoff: `phase-1/06-OUTPUT_HANDOFF.md`',
      'Output handoff of Phase 1: phase-1/06-OUTPUT_HANDOFF.md',
      '- ../phase-1/06-OUTPUT_HANDOFF.md',
    ]) {
      const text = IN2_COMPLETE.replace('- [Phase 1 output handoff](../phase-1/06-OUTPUT_HANDOFF.md)', source);
      assert.notEqual(text, IN2_COMPLETE);
      const { svc } = await handoffs(text);
      assert.deepEqual(diagnosticsOf(svc, IN_PATH, 'handoff-mismatch'), [], source);
      assert.equal(completeHandoff(svc, svc.findPhase('phase-2')), undefined, source);
    }
  });

  it("fixes a Source that names another phase's output handoff as a bare path in place", async () => {
    const text = IN2_COMPLETE.replace('- [Phase 1 output handoff](../phase-1/06-OUTPUT_HANDOFF.md)', 'From ../phase-3/06-OUTPUT_HANDOFF.md, the last phase.');
    const { svc } = await handoffs(text);
    assert.deepEqual(
      diagnosticsOf(svc, IN_PATH, 'handoff-mismatch').map((d) => d.range),
      [rangeOf(text, '../phase-3/06-OUTPUT_HANDOFF.md')],
    );
    const fixed = applyEdits(text, completeHandoff(svc, svc.findPhase('phase-2'))!.change.edits[0].edits);
    assert.match(fixed, /## Source\n\nFrom \.\.\/phase-1\/06-OUTPUT_HANDOFF\.md, the last phase\.\n/);
  });

  it('reads paths written from the folder that holds the phase folders (`phase-1/…` from `audit/`), the workspace being the folder above', async () => {
    const unnamed = (t: string) => t.replace(/- (Audit report|Coverage baseline|Remediation roadmap): /g, '- ');
    const under = (files: Record<string, string>) => Object.fromEntries(Object.entries(files).map(([k, v]) => [`audit/${k}`, v]));
    const fromPhases = unnamed(IN2_COMPLETE)
      .replace('- [Phase 1 output handoff](../phase-1/06-OUTPUT_HANDOFF.md)', '- Handoff: `phase-1/06-OUTPUT_HANDOFF.md`')
      .replace(/\.\.\/phase-1\/(?=0[34])/g, 'phase-1/');
    assert.doesNotMatch(fromPhases, /\.\.\//);
    const files = { ...PHASE1_FILES, [OUT_PATH]: unnamed(OUT1), 'phase-2/00-PHASE_BRIEF.md': '# Phase 2: Testing\n', [IN_PATH]: fromPhases };
    let { svc } = await workspace(under(files));
    assert.equal(svc.findPhase('phase-2')?.folder, `${ROOT}/audit/phase-2`);
    assert.deepEqual(diagnosticsOf(svc, `audit/${IN_PATH}`, 'handoff-mismatch'), []);
    assert.deepEqual(diagnosticsOf(svc, `audit/${IN_PATH}`, 'missing-artifact'), []);
    // Another file is still another input.
    const other = fromPhases.replace('phase-1/04-ARTIFACTS/coverage.json', 'phase-1/04-ARTIFACTS/audit-report.md');
    ({ svc } = await workspace(under({ ...files, [IN_PATH]: other })));
    assert.equal(diagnosticsOf(svc, `audit/${IN_PATH}`, 'handoff-mismatch').length, 1);
    // Complete handoff rewrites a link phase 1 wrote from there so that it resolves from phase 2.
    const out = OUT1.replace('[roadmap](03-FINDINGS/roadmap.md#top)', '[roadmap](phase-1/03-FINDINGS/roadmap.md#top)');
    ({ svc } = await workspace(under({ ...files, [OUT_PATH]: out, [IN_PATH]: '' })));
    const action = completeHandoff(svc, svc.findPhase('phase-2'))!;
    const fixed = applyEdits('', action.change.edits[0].edits);
    assert.match(fixed, /\[roadmap\]\(\.\.\/phase-1\/03-FINDINGS\/roadmap\.md#top\)/);
  });

  it('reads reference-style links: in Source, and in items, which complete handoff copies with the target inline', async () => {
    const source =
      IN2_COMPLETE.replace('- [Phase 1 output handoff](../phase-1/06-OUTPUT_HANDOFF.md)', '- [Phase 1 output handoff][src]') +
      '\n[src]: ../phase-1/06-OUTPUT_HANDOFF.md\n';
    let { svc } = await handoffs(source);
    assert.deepEqual(diagnosticsOf(svc, IN_PATH, 'handoff-mismatch'), []);
    assert.equal(completeHandoff(svc, svc.findPhase('phase-2')), undefined);
    // A definition leading to another phase's handoff is reported on the link, and retargeted.
    const wrong = source.replace('[src]: ../phase-1/', '[src]: ../phase-3/');
    ({ svc } = await handoffs(wrong));
    const [d] = diagnosticsOf(svc, IN_PATH, 'handoff-mismatch');
    assert.deepEqual(d.range, rangeOf(wrong, '[Phase 1 output handoff][src]'));
    const [a] = codeActions(svc, [d]);
    assert.equal(applyEdits(wrong, a.change.edits[0].edits), source);
    // Its definition in the Source section too: told once, on the link (was: again on the definition's target, as a bare path).
    const inside = wrong.replace('- [Phase 1 output handoff][src]', '- [Phase 1 output handoff][src]\n\n[src]: ../phase-3/06-OUTPUT_HANDOFF.md');
    ({ svc } = await handoffs(inside));
    assert.deepEqual(
      diagnosticsOf(svc, IN_PATH, 'handoff-mismatch').map((x) => x.range),
      [rangeOf(inside, '[Phase 1 output handoff][src]')],
    );
    // An item whose path is a reference-style link: matched by its path, copied with the target inline.
    const unnamed = (t: string) => t.replace(/- (Audit report|Coverage baseline|Remediation roadmap): /g, '- ');
    const out =
      unnamed(OUT1).replace('[roadmap](03-FINDINGS/roadmap.md#top) - prioritised', '[roadmap][rm] - prioritised') + '\n[rm]: 03-FINDINGS/roadmap.md#top\n';
    ({ svc } = await handoffs(unnamed(IN2_COMPLETE), out));
    assert.deepEqual(diagnosticsOf(svc, IN_PATH, 'handoff-mismatch'), []);
    ({ svc } = await handoffs(undefined, out));
    const [created] = completeHandoff(svc, svc.findPhase('phase-2'))!.change.creates;
    assert.match(created.text, /^- \[roadmap\]\(\.\.\/phase-1\/03-FINDINGS\/roadmap\.md#top\) - prioritised fixes$/m);
  });

  it("reports a Source that links another phase's output handoff, and one that links none", async () => {
    const wrong = IN2_COMPLETE.replace('../phase-1/06-OUTPUT_HANDOFF.md', '../phase-3/06-OUTPUT_HANDOFF.md');
    let { svc } = await handoffs(wrong);
    let [d] = diagnosticsOf(svc, IN_PATH, 'handoff-mismatch');
    assert.deepEqual(d.range, rangeOf(wrong, '[Phase 1 output handoff](../phase-3/06-OUTPUT_HANDOFF.md)'));
    let [a] = codeActions(svc, [d]);
    assert.equal(applyEdits(wrong, a.change.edits[0].edits), IN2_COMPLETE);

    const none = IN2_COMPLETE.replace('- [Phase 1 output handoff](../phase-1/06-OUTPUT_HANDOFF.md)', 'The audit.');
    ({ svc } = await handoffs(none));
    [d] = diagnosticsOf(svc, IN_PATH, 'handoff-mismatch');
    assert.deepEqual(d.range, rangeOf(none, 'Source'));
    [a] = codeActions(svc, [d]);
    assert.match(
      applyEdits(none, a.change.edits[0].edits),
      /## Source\n\nThe audit\.\n\n- Previous phase: \[Phase 1 output handoff\]\(\.\.\/phase-1\/06-OUTPUT_HANDOFF\.md\)\n\n## Inputs/,
    );
  });

  it('reads an item with a long run of spaces before a comment in linear time', async () => {
    const item = (n: number) => `- Audit report${' '.repeat(n)}x <!-- from the audit -->`;
    const input = (n: number) => IN2_COMPLETE.replace('## Open Questions', `${item(n)}\n\n## Open Questions`);
    const output = (n: number) => OUT1.replace('## Recommended Next Steps', `${item(n)}\n\n## Recommended Next Steps`);
    const { svc } = await handoffs(input(100_000), output(100_000));
    diagnosticsOf(svc, IN_PATH);
    // Both handoffs set again in each run, so that each is read again.
    assertLinear(
      'a run of spaces before a comment',
      (n) => {
        const [i, o] = [input(n), output(n)];
        return () => {
          svc.setOverlay(`${ROOT}/${IN_PATH}`, i);
          svc.setOverlay(`${ROOT}/${OUT_PATH}`, o);
          diagnosticsOf(svc, IN_PATH);
        };
      },
      { n: 6250 },
    );
  });

  it('reports an output handoff addressed to the wrong phase and renumbers it', async () => {
    const out = OUT1.replace('# Phase 1 → Phase 2 Handoff', '# Phase 1 → Phase 3 Handoff');
    const { svc } = await handoffs(IN2_COMPLETE, out);
    const [d] = diagnosticsOf(svc, OUT_PATH, 'handoff-mismatch');
    assert.deepEqual(d.range, rangeOf(out, 'Phase 3'));
    const [a] = codeActions(svc, [d]);
    assert.equal(applyEdits(out, a.change.edits[0].edits).split('\n')[0], '# Phase 1 → Phase 2 Handoff');
    // One problem, one report: heading-mismatch leaves the target to this rule…
    assert.deepEqual(diagnosticsOf(svc, OUT_PATH, 'heading-mismatch'), []);
    // …but reports a title whose own number is wrong too, or that names the target in other words.
    for (const title of ['# Phase 4 → Phase 3 Handoff', '# Handoff of Phase 1 ⇒ Phase 3']) {
      const { svc: other } = await handoffs(IN2_COMPLETE, OUT1.replace('# Phase 1 → Phase 2 Handoff', title));
      assert.equal(diagnosticsOf(other, OUT_PATH, 'heading-mismatch').length, 1, title);
      assert.deepEqual(diagnosticsOf(other, OUT_PATH, 'handoff-mismatch'), [], title);
    }
  });

  it('reports Inputs and Prerequisites sections addressed to another phase, and renumbers them', async () => {
    const out = OUT1.replace('## Phase 2 Inputs', '## Phase 7 Inputs').replace('## Phase 2 Prerequisites', '## Phase 7 Prerequisites');
    const { svc } = await handoffs(IN2_COMPLETE, out);
    const ds = diagnosticsOf(svc, OUT_PATH, 'handoff-mismatch');
    assert.deepEqual(
      ds.map((d) => [d.range, d.message]),
      [
        [rangeOf(out, 'Phase 7', 0), 'Phase 1 hands off to phase 2, not phase 7: the section should read "Phase 2 Prerequisites".'],
        [rangeOf(out, 'Phase 7', 1), 'Phase 1 hands off to phase 2, not phase 7: the section should read "Phase 2 Inputs".'],
      ],
    );
    let fixed = out;
    for (const d of ds) fixed = applyEdits(fixed, codeActions(svc, [d])[0].change.edits[0].edits);
    assert.equal(fixed, OUT1);
    const { svc: after } = await handoffs(IN2_COMPLETE, fixed);
    assert.deepEqual(diagnosticsOf(after, OUT_PATH, 'handoff-mismatch'), []);
  });

  it('reports prerequisites missing or unchecked, and marks them done', async () => {
    const text = IN2_COMPLETE.replace('- [x] Test environment provisioned\n', '').replace('- [x] Audit findings reviewed', '- [ ] Audit findings reviewed');
    const { svc } = await handoffs(text);
    const ds = diagnosticsOf(svc, IN_PATH, 'prerequisite-unmet');
    assert.equal(ds.length, 2);
    const missing = ds.find((d) => d.data?.action === 'add')!;
    const unchecked = ds.find((d) => d.data?.action === 'check')!;
    assert.deepEqual(missing.range, rangeOf(text, 'Prerequisites'));
    assert.deepEqual(unchecked.range, rangeOf(text, '[ ]'));
    const [check] = codeActions(svc, [unchecked]);
    assert.deepEqual(check.change.edits[0].edits, [{ range: rangeOf(text, '[ ]'), newText: '[x]' }]);
    // Only the team knows a prerequisite is met: Fix all leaves the box as it is.
    assert.equal(check.manual, true);
    const all = fixAll(svc, `${ROOT}/${IN_PATH}`);
    assert.ok(!all || !applyEdits(text, all.change.edits[0].edits).includes('- [x] Audit findings reviewed'));
    const [add] = codeActions(svc, [missing]);
    const added = applyEdits(text, add.change.edits[0].edits);
    assert.match(added, /- \[ \] Audit findings reviewed\n- \[ \] Test environment provisioned\n/);
  });

  it('reads prerequisites written as table rows, on either side: met by their Status cell, missing ones added as rows', async () => {
    const table = (rows: string) => `## Prerequisites\n\n| # | Prerequisite | Status |\n|---|---|---|\n${rows}\n## Open Questions`;
    const list = '## Prerequisites\n\n- [x] Test environment provisioned\n- [x] Audit findings reviewed\n\n## Open Questions';
    const met = table('| 1 | Test environment provisioned | ✅ Met |\n| 2 | Audit findings reviewed | Yes (Jan 12) |\n');
    const inText = (section: string) => IN2_COMPLETE.replace(list, section);
    // Received in a table, every one met: nothing to report (was each "not in Prerequisites").
    let { svc } = await handoffs(inText(met));
    assert.deepEqual(diagnosticsOf(svc, IN_PATH, 'prerequisite-unmet'), []);
    // Handed off in a table too.
    const outTable = OUT1.replace(
      '- [ ] Test environment provisioned\n- [x] Audit findings reviewed',
      '| Prerequisite | Owner |\n|---|---|\n| Test environment provisioned | Infra |\n| Audit findings reviewed | QA |',
    );
    ({ svc } = await handoffs(inText(met), outTable));
    assert.deepEqual(diagnosticsOf(svc, IN_PATH, 'prerequisite-unmet'), []);
    // A row whose status says it is not met, or nothing, is unmet, reported at its status cell; no fix says it is met.
    const pending = inText(table('| 1 | Test environment provisioned | ⏳ Pending |\n| 2 | Audit findings reviewed |  |\n'));
    ({ svc } = await handoffs(pending));
    const ds = diagnosticsOf(svc, IN_PATH, 'prerequisite-unmet');
    assert.deepEqual(
      ds.map((d) => [d.range.start.line, d.message]),
      [
        [rangeOf(pending, '⏳').start.line, 'Prerequisite "Test environment provisioned" from phase-1 is not marked as met.'],
        [rangeOf(pending, '| 2 |').start.line, 'Prerequisite "Audit findings reviewed" from phase-1 is not marked as met.'],
      ],
    );
    assert.deepEqual(ds[0].range, rangeOf(pending, '⏳ Pending'));
    assert.deepEqual(codeActions(svc, ds), []);
    // One missing: added as a row, numbered on, its status left for the team (then reported as not met).
    const missing = inText(table('| 1 | Audit findings reviewed | ✅ |\n'));
    ({ svc } = await handoffs(missing));
    const [d, ...more] = diagnosticsOf(svc, IN_PATH, 'prerequisite-unmet');
    assert.equal(more.length, 0);
    assert.equal(d.message, 'Prerequisite "Test environment provisioned" from phase-1 is not in "Prerequisites".');
    const [add] = codeActions(svc, [d]);
    const added = applyEdits(missing, add.change.edits[0].edits);
    assert.equal(
      added,
      missing.replace('| 1 | Audit findings reviewed | ✅ |\n', '| 1 | Audit findings reviewed | ✅ |\n| 2 | Test environment provisioned |  |\n'),
    );
    // Complete handoff writes the same row, never a list item beside the table.
    const done = applyEdits(missing, completeHandoff(svc, svc.findPhase('phase-2'))!.change.edits[0].edits);
    assert.equal(done, added);
    ({ svc } = await handoffs(added));
    assert.deepEqual(
      diagnosticsOf(svc, IN_PATH, 'prerequisite-unmet').map((x) => x.message),
      ['Prerequisite "Test environment provisioned" from phase-1 is not marked as met.'],
    );
    // A table without a Status column lists prerequisites but confirms none.
    const bare = inText('## Prerequisites\n\n| Prerequisite |\n|---|\n| Test environment provisioned |\n| Audit findings reviewed |\n\n## Open Questions');
    ({ svc } = await handoffs(bare));
    assert.deepEqual(
      diagnosticsOf(svc, IN_PATH, 'prerequisite-unmet').map((x) => x.message),
      [
        'Prerequisite "Test environment provisioned" from phase-1 is not marked as met: its table has no Status column.',
        'Prerequisite "Audit findings reviewed" from phase-1 is not marked as met: its table has no Status column.',
      ],
    );
  });

  it('adds missing prerequisites as items beside a table that has no column for their names (| # | Status |)', async () => {
    // Found by fuzz-tables-plans: neither the add fix nor complete handoff offered anything, and the prerequisites stayed missing.
    const list = '## Prerequisites\n\n- [x] Test environment provisioned\n- [x] Audit findings reviewed\n\n## Open Questions';
    const text = IN2_COMPLETE.replace(list, '## Prerequisites\n\n| # | Status |\n| --- | --- |\n\n## Open Questions');
    const { svc } = await handoffs(text);
    const missing = diagnosticsOf(svc, IN_PATH, 'prerequisite-unmet');
    assert.deepEqual(
      missing.map((d) => d.message),
      [
        'Prerequisite "Test environment provisioned" from phase-1 is not in "Prerequisites".',
        'Prerequisite "Audit findings reviewed" from phase-1 is not in "Prerequisites".',
      ],
    );
    const [add] = codeActions(svc, [missing[0]]);
    assert.ok(add, 'the add fix is offered');
    const added = applyEdits(text, add.change.edits[0].edits);
    assert.match(added, /\| # \| Status \|\n\| --- \| --- \|\n\n- \[ \] Test environment provisioned\n/);
    const action = completeHandoff(svc, svc.findPhase('phase-2'));
    assert.ok(action, 'complete handoff is offered');
    const done = applyEdits(text, action.change.edits[0].edits);
    svc.setOverlay(`${ROOT}/${IN_PATH}`, done);
    assert.deepEqual(
      diagnosticsOf(svc, IN_PATH, 'prerequisite-unmet').map((d) => d.message),
      [
        'Prerequisite "Test environment provisioned" from phase-1 is not checked as met.',
        'Prerequisite "Audit findings reviewed" from phase-1 is not checked as met.',
      ],
    );
  });

  it("complete handoff writes a prerequisite that only the template's [Prerequisite] item it replaces seemed to hold", async () => {
    // Found by fuzz-tables-plans: `[Prerequisite] — owner: Infra` was taken as held by `- [ ] [Prerequisite]`, which the fix writes over.
    const out = OUT1.replace(
      '- [ ] Test environment provisioned\n- [x] Audit findings reviewed',
      '- [ ] [Prerequisite] — owner: Infra\n- [ ] Test environment provisioned',
    );
    const list = '## Prerequisites\n\n- [x] Test environment provisioned\n- [x] Audit findings reviewed\n';
    const text = IN2_COMPLETE.replace(list, '## Prerequisites\n\n- [ ] [Prerequisite]\n');
    const { svc } = await handoffs(text, out);
    const done = applyEdits(text, completeHandoff(svc, svc.findPhase('phase-2'))!.change.edits[0].edits);
    assert.match(done, /## Prerequisites\n\n- \[ \] \[Prerequisite\] — owner: Infra\n- \[ \] Test environment provisioned\n/);
    svc.setOverlay(`${ROOT}/${IN_PATH}`, done);
    assert.deepEqual(
      diagnosticsOf(svc, IN_PATH, 'prerequisite-unmet').filter((d) => /is not in/.test(d.message)),
      [],
    );
  });

  it('adds a prerequisite that starts as a list item (1. …) to a table without outer pipes as a row, not as a list', async () => {
    // Found by fuzz-tables-plans: `1. Test environment provisioned |` after the table's rows started an ordered list and ended the table.
    const out = OUT1.replace('- [ ] Test environment provisioned', '- [ ] 1. Test environment provisioned');
    const list = '## Prerequisites\n\n- [x] Test environment provisioned\n- [x] Audit findings reviewed\n';
    const text = IN2_COMPLETE.replace(list, '## Prerequisites\n\nPrerequisite | Met\n--- | ---\nAudit findings reviewed | Yes\n');
    const { svc } = await handoffs(text, out);
    const [d] = diagnosticsOf(svc, IN_PATH, 'prerequisite-unmet');
    assert.equal(d.message, 'Prerequisite "1. Test environment provisioned" from phase-1 is not in "Prerequisites".');
    const expected = text.replace('Audit findings reviewed | Yes\n', 'Audit findings reviewed | Yes\n| 1. Test environment provisioned |\n');
    assert.equal(applyEdits(text, codeActions(svc, [d])[0].change.edits[0].edits), expected);
    assert.equal(applyEdits(text, completeHandoff(svc, svc.findPhase('phase-2'))!.change.edits[0].edits), expected);
    svc.setOverlay(`${ROOT}/${IN_PATH}`, expected);
    assert.deepEqual(
      diagnosticsOf(svc, IN_PATH, 'prerequisite-unmet').filter((x) => /is not in/.test(x.message)),
      [],
    );
  });

  it('reports a row short of its Status cell as not marked as met, not as a table without a Status column', async () => {
    const list = '## Prerequisites\n\n- [x] Test environment provisioned\n- [x] Audit findings reviewed\n';
    const text = IN2_COMPLETE.replace(
      list,
      '## Prerequisites\n\n| Prerequisite | Status |\n| --- | --- |\n| Test environment provisioned |\n| Audit findings reviewed | ✅ |\n',
    );
    const { svc } = await handoffs(text);
    const ds = diagnosticsOf(svc, IN_PATH, 'prerequisite-unmet');
    assert.deepEqual(
      ds.map((x) => x.message),
      ['Prerequisite "Test environment provisioned" from phase-1 is not marked as met.'],
    );
    assert.deepEqual(ds[0].range, rangeOf(text, 'Test environment provisioned'));
  });

  it('reads a table of prerequisites in a block quote by its own columns, and adds a missing one there as a row', async () => {
    // Found by fuzz-tables-plans: `> ` was read as a first, empty cell of every row, so the names were read from the wrong column.
    const list = '## Prerequisites\n\n- [x] Test environment provisioned\n- [x] Audit findings reviewed\n';
    const text = IN2_COMPLETE.replace(
      list,
      '## Prerequisites\n\n> | # | Prerequisite | Status |\n> | --- | --- | --- |\n> | 1 | Audit findings reviewed | ✅ |\n',
    );
    const table = parseDocument(text).tables[0];
    assert.deepEqual(
      [table.header, ...table.rows.map((r) => r.cells)].map((cells) => cells.map((c) => c.text)),
      [
        ['#', 'Prerequisite', 'Status'],
        ['1', 'Audit findings reviewed', '✅'],
      ],
    );
    assert.deepEqual(table.rows[0].cells[1].range, rangeOf(text, 'Audit findings reviewed'));
    const { svc } = await handoffs(text);
    const ds = diagnosticsOf(svc, IN_PATH, 'prerequisite-unmet');
    assert.deepEqual(
      ds.map((d) => d.message),
      ['Prerequisite "Test environment provisioned" from phase-1 is not in "Prerequisites".'],
    );
    const added = applyEdits(text, codeActions(svc, ds)[0].change.edits[0].edits);
    assert.equal(added, text.replace('| ✅ |\n', '| ✅ |\n> | 2 | Test environment provisioned |  |\n'));
  });

  it('adds a missing prerequisite whole: its further lines too, their links rewritten, its directives left behind', async () => {
    const out = OUT1.replace(
      '- [ ] Test environment provisioned',
      '- [ ] Test environment provisioned\n   in eu-west-1, see [notes](03-FINDINGS/roadmap.md) <!-- phasegate-disable-line broken-link -->',
    );
    const text = IN2_COMPLETE.replace('- [x] Test environment provisioned\n', '');
    const { svc } = await handoffs(text, out);
    const missing = diagnosticsOf(svc, IN_PATH, 'prerequisite-unmet').find((d) => d.data?.action === 'add')!;
    const [add] = codeActions(svc, [missing]);
    const added = applyEdits(text, add.change.edits[0].edits);
    assert.match(added, /- \[ \] Test environment provisioned\n {3}in eu-west-1, see \[notes\]\(\.\.\/phase-1\/03-FINDINGS\/roadmap\.md\)\n/);
    assert.doesNotMatch(added, /phasegate-/);
  });

  it("cross-file: editing phase 1's output handoff changes phase 2's input diagnostics", async () => {
    const { svc } = await handoffs(IN2_COMPLETE);
    assert.deepEqual(handoffCodes(svc), []);
    const changed = OUT1.replace('## Recommended Next Steps', '- Quality gates: [gates](04-ARTIFACTS/gates.md) - thresholds\n\n## Recommended Next Steps');
    const affected = svc.setOverlay(`${ROOT}/${OUT_PATH}`, changed);
    assert.ok(affected.includes(`${ROOT}/${IN_PATH}`), affected.join(', '));
    const ds = handoffCodes(svc);
    assert.equal(ds.length, 1);
    assert.match(ds[0].message, /"Quality gates"/);
  });

  it('complete handoff fills the input handoff, then finds nothing to do', async () => {
    const { svc } = await handoffs(IN2);
    const before = handoffCodes(svc);
    assert.ok(before.length >= 3);
    const [action] = codeActions(svc, [before.find((d) => d.data?.fix === 'complete-handoff')!]);
    assert.equal(action.title, 'Complete handoff from phase-1');
    const filled = applyEdits(IN2, action.change.edits[0].edits);
    assert.equal(
      filled,
      `# Phase 2 Input Handoff

## Source

- Previous phase: [Phase 1 output handoff](../phase-1/06-OUTPUT_HANDOFF.md)

## Inputs Received

- Audit report: [report](../phase-1/04-ARTIFACTS/audit-report.md) - findings
- Coverage baseline: \`../phase-1/04-ARTIFACTS/coverage.json\` - current coverage
- Remediation roadmap: [roadmap](../phase-1/03-FINDINGS/roadmap.md#top) - prioritised fixes

## Prerequisites

- [x] Audit findings reviewed
- [ ] Test environment provisioned

## Open Questions

- Which CI runner do we standardise on?
`,
    );
    svc.setOverlay(`${ROOT}/${IN_PATH}`, filled);
    assert.deepEqual(diagnosticsOf(svc, IN_PATH, 'handoff-mismatch'), []);
    assert.equal(completeHandoff(svc, svc.findPhase('phase-2')), undefined);
    // The added prerequisite is unchecked: the team confirms it.
    const [unchecked] = diagnosticsOf(svc, IN_PATH, 'prerequisite-unmet');
    assert.equal(unchecked.data?.action, 'check');
    const [check] = codeActions(svc, [unchecked]);
    svc.setOverlay(`${ROOT}/${IN_PATH}`, applyEdits(filled, check.change.edits[0].edits));
    assert.deepEqual(handoffCodes(svc), []);
    assert.equal(completeHandoff(svc, svc.findPhase('phase-2')), undefined);
  });

  it('complete handoff and new phase carry the text of a link as the output handoff wrote it, a path it shows too (was: `[../phase-1/…]`)', async () => {
    for (const shown of ['03-FINDINGS/roadmap.md', '`03-FINDINGS/roadmap.md`', 'phase-1/03-FINDINGS/roadmap.md', 'the roadmap']) {
      const out = OUT1.replace('[roadmap](03-FINDINGS/roadmap.md#top)', `[${shown}](03-FINDINGS/roadmap.md)`);
      assert.notEqual(out, OUT1);
      const carried = `- Remediation roadmap: [${shown}](../phase-1/03-FINDINGS/roadmap.md) - prioritised fixes`;
      const { svc } = await handoffs(IN2, out);
      const filled = applyEdits(IN2, completeHandoff(svc, svc.findPhase('phase-2'))!.change.edits[0].edits);
      assert.ok(filled.includes(`\n${carried}\n`), filled);
      svc.setOverlay(`${ROOT}/${IN_PATH}`, filled);
      // Read as the output handoff's item: the same file, nothing to report, nothing left to complete.
      assert.deepEqual(diagnosticsOf(svc, IN_PATH, 'handoff-mismatch'), [], shown);
      assert.equal(completeHandoff(svc, svc.findPhase('phase-2')), undefined, shown);
      const { svc: fresh } = await handoffs(undefined, out);
      assert.ok(completeHandoff(fresh, fresh.findPhase('phase-2'))!.change.creates[0].text.includes(`\n${carried}\n`), shown);
      const input = planNew(fresh, { what: 'phase', folder: 'phase-2', layout: 'audit', date: '2026-01-05' }).creates.find((c) =>
        c.file.endsWith('01-INPUT_HANDOFF.md'),
      );
      assert.ok(input?.text.includes(`\n${carried}\n`), input?.text);
    }
  });

  it('complete handoff copies whole items: continuation lines and nested items, their paths rewritten', async () => {
    const out = OUT1.replace(
      '- Remediation roadmap: [roadmap](03-FINDINGS/roadmap.md#top) - prioritised fixes',
      '- Remediation roadmap: [roadmap](03-FINDINGS/roadmap.md#top) - prioritised fixes\n  agreed with the platform team <!-- phasegate-disable-line unfilled-placeholder -->\n  <!-- phasegate-disable-next-line missing-artifact -->\n  - Baseline: `04-ARTIFACTS/coverage.json`\n',
    ).replace('- [ ] Test environment provisioned', '- [ ] Test environment provisioned\n   in eu-west-1, see [notes](03-FINDINGS/roadmap.md)');
    const { svc } = await handoffs(IN2, out);
    const action = completeHandoff(svc, svc.findPhase('phase-2'))!;
    const filled = applyEdits(IN2, action.change.edits[0].edits);
    assert.match(
      filled,
      /- Remediation roadmap: \[roadmap\]\(\.\.\/phase-1\/03-FINDINGS\/roadmap\.md#top\) - prioritised fixes\n {2}agreed with the platform team\n {2}- Baseline: `\.\.\/phase-1\/04-ARTIFACTS\/coverage\.json`\n/,
    );
    // Indented as it was under its item (one column more than the item's text, here).
    assert.match(filled, /- \[ \] Test environment provisioned\n {3}in eu-west-1, see \[notes\]\(\.\.\/phase-1\/03-FINDINGS\/roadmap\.md\)\n/);
    assert.doesNotMatch(filled, /phasegate-/);
    svc.setOverlay(`${ROOT}/${IN_PATH}`, filled);
    assert.deepEqual(diagnosticsOf(svc, IN_PATH, 'handoff-mismatch'), []);
    assert.equal(completeHandoff(svc, svc.findPhase('phase-2')), undefined);
    // A new input handoff holds the whole items too.
    const { svc: none } = await handoffs(undefined, out);
    const [created] = completeHandoff(none, none.findPhase('phase-2'))!.change.creates;
    assert.match(created.text, /prioritised fixes\n {2}agreed with the platform team\n {2}- Baseline: /);
    // So does the input handoff the template writes (new phase, the missing-document fix), without the directives.
    const phase2 = none.findPhase('phase-2')!;
    const rendered = renderKind(none, phase2.documents.find((d) => d.spec.kind === 'input-handoff')!.spec, phase2);
    assert.match(
      rendered,
      /- Remediation roadmap: \[roadmap\]\(\.\.\/phase-1\/03-FINDINGS\/roadmap\.md#top\) - prioritised fixes\n {2}agreed with the platform team\n {2}- Baseline: `\.\.\/phase-1\/04-ARTIFACTS\/coverage\.json`\n/,
    );
    assert.match(rendered, /- \[ \] Test environment provisioned\n {3}in eu-west-1, see \[notes\]\(\.\.\/phase-1\/03-FINDINGS\/roadmap\.md\)\n/);
    assert.doesNotMatch(rendered, /phasegate-/);
  });

  it('complete handoff inserts missing sections in template order', async () => {
    const text = '# Phase 2 Input Handoff\n\n## Prerequisites\n\n- [x] Audit findings reviewed\n- [x] Test environment provisioned\n';
    const { svc } = await handoffs(text);
    const action = completeHandoff(svc, svc.findPhase('phase-2'))!;
    const filled = applyEdits(text, action.change.edits[0].edits);
    assert.deepEqual(
      filled.split('\n').filter((l) => l.startsWith('## ')),
      ['## Source', '## Inputs Received', '## Prerequisites', '## Open Questions'],
    );
    svc.setOverlay(`${ROOT}/${IN_PATH}`, filled);
    assert.deepEqual(handoffCodes(svc), []);
    assert.equal(completeHandoff(svc, svc.findPhase('phase-2')), undefined);
  });

  it('Fix all inserts a missing Inputs Received once, though missing-section and complete handoff both insert it', async () => {
    const text = IN2.replace(/## Inputs Received\n\n[^#]*/, '## Notes\n\nSome notes.\n\n');
    const { svc } = await handoffs(text);
    const codes = diagnosticsOf(svc, IN_PATH).map((d) => d.code);
    assert.ok(codes.includes('missing-section') && codes.includes('handoff-mismatch'), codes.join(', '));
    const all = fixAll(svc, `${ROOT}/${IN_PATH}`)!;
    const fixed = applyEdits(text, all.change.edits[0].edits);
    assert.equal(fixed.split('\n').filter((l) => l === '## Inputs Received').length, 1, fixed);
    svc.setOverlay(`${ROOT}/${IN_PATH}`, fixed);
    const again = fixAll(svc, `${ROOT}/${IN_PATH}`);
    const twice = again ? applyEdits(fixed, again.change.edits[0].edits) : fixed;
    assert.equal(twice.split('\n').filter((l) => l === '## Inputs Received').length, 1, twice);
    assert.match(twice, /- Remediation roadmap: /);
  });

  it('Fix all inserts a missing section once whatever the line endings (CRLF, or a CR alone)', async () => {
    for (const eol of ['\r\n', '\r']) {
      const text = IN2.replace(/## Inputs Received\n\n[^#]*/, '## Notes\n\nSome notes.\n\n').replace(/\n/g, eol);
      const { svc } = await handoffs(text);
      const all = fixAll(svc, `${ROOT}/${IN_PATH}`)!;
      const fixed = applyEdits(text, all.change.edits[0].edits);
      const headings = fixed.split(/\r\n|\r|\n/).filter((l) => l.startsWith('## '));
      assert.equal(headings.filter((l) => l === '## Inputs Received').length, 1, JSON.stringify(eol) + ' ' + headings.join(' | '));
      assert.equal(new Set(headings).size, headings.length, JSON.stringify(eol) + ' ' + headings.join(' | '));
    }
  });

  it("Fix all writes each prerequisite once into a Prerequisites section holding the template's placeholder, as new phase writes it", async () => {
    // Complete handoff puts the prerequisites in place of `- [ ] [Prerequisite]`; the fixes of prerequisite-unmet
    // that add them one by one after it are not applied with it.
    const text = IN2.replace('- [x] Audit findings reviewed', '- [ ] [Prerequisite]');
    const { svc } = await handoffs(text);
    const codes = diagnosticsOf(svc, IN_PATH).map((d) => d.code);
    assert.ok(codes.includes('prerequisite-unmet') && codes.includes('handoff-mismatch'), codes.join(', '));
    // The quick fix alone puts the prerequisite in place of the placeholder too.
    const unmet = diagnosticsOf(svc, IN_PATH, 'prerequisite-unmet').find((d) => d.message.includes('Test environment provisioned'))!;
    const add = codeActions(svc, [unmet]).find((a) => a.title.startsWith('Add prerequisite'))!;
    assert.match(applyEdits(text, add.change.edits[0].edits), /## Prerequisites\n\n- \[ \] Test environment provisioned\n\n## Open Questions/);
    let fixed = text;
    for (let round = 0; round < 3; round++) {
      const all = fixAll(svc, `${ROOT}/${IN_PATH}`);
      if (!all) break;
      fixed = applyEdits(fixed, all.change.edits[0].edits);
      svc.setOverlay(`${ROOT}/${IN_PATH}`, fixed);
    }
    const prerequisites = fixed.slice(fixed.indexOf('## Prerequisites'), fixed.indexOf('## Open Questions'));
    assert.deepEqual(
      prerequisites.split('\n').filter((l) => l.startsWith('- ')),
      ['- [ ] Test environment provisioned', '- [ ] Audit findings reviewed'],
      fixed,
    );
  });

  it('complete handoff keeps CRLF line endings', async () => {
    const crlf = IN2.replace(/\n/g, '\r\n');
    const { svc } = await handoffs(crlf);
    const action = completeHandoff(svc, svc.findPhase('phase-2'))!;
    const filled = applyEdits(crlf, action.change.edits[0].edits);
    assert.ok(!/[^\r]\n/.test(filled), 'a bare LF was written');
    assert.match(filled, /- Coverage baseline: `\.\.\/phase-1\/04-ARTIFACTS\/coverage\.json` - current coverage\r\n/);
    svc.setOverlay(`${ROOT}/${IN_PATH}`, filled);
    assert.deepEqual(diagnosticsOf(svc, IN_PATH, 'handoff-mismatch'), []);
    assert.equal(completeHandoff(svc, svc.findPhase('phase-2')), undefined);
  });

  it('complete handoff creates the input handoff when phase 2 has none', async () => {
    const { svc, fs } = await handoffs(undefined);
    const action = completeHandoff(svc, svc.findPhase('phase-2'))!;
    assert.deepEqual(action.change.edits, []);
    const [created] = action.change.creates;
    assert.equal(created.file, `${ROOT}/${IN_PATH}`);
    assert.match(created.text, /^# Phase 2 Input Handoff\n/);
    assert.match(created.text, /- Remediation roadmap: \[roadmap\]\(\.\.\/phase-1\/03-FINDINGS\/roadmap\.md#top\) - prioritised fixes/);
    fs.write(created.file, created.text);
    await svc.filesChanged([{ path: created.file, type: 'created' }]);
    assert.deepEqual(diagnosticsOf(svc, IN_PATH, 'handoff-mismatch'), []);
    assert.deepEqual(
      diagnosticsOf(svc, IN_PATH).filter((d) => d.code === 'missing-section' || d.code === 'empty-section'),
      [],
    );
    assert.equal(completeHandoff(svc, svc.findPhase('phase-2')), undefined);
  });

  it('offers nothing for a first phase', async () => {
    const { svc } = await handoffs(IN2_COMPLETE);
    assert.equal(completeHandoff(svc, svc.findPhase('phase-1')), undefined);
  });
});

// ---------------------------------------------------------------- project plan

describe('phase rules: project plan', () => {
  const PLAN = 'proj/project_implementation_plan.md';
  const plan = (rows: string) => `# Project Implementation Plan\n\n## Phase Status\n\n| Workstream | Phase | Status |\n| --- | --- | --- |\n${rows}\n`;
  const files = (planText: string, resp = response()) => ({
    [PLAN]: planText,
    [`${IAI}/implementation_prompt.md`]: PROMPT,
    [RESP]: resp,
    'proj/workstreams/Build/Phase_2_Deps/implementation_prompt.md': PROMPT.replace('Phase 1', 'Phase 2'),
  });

  it('passes a plan whose rows match the phases and whose Complete phase passed its gates', async () => {
    const { svc } = await workspace(files(plan('| Build | Phase_1_CI | Complete |\n| Build | Phase 2: Dependencies | Not started |')));
    assert.deepEqual(
      svc.gates(svc.findPhase('Build/Phase_1_CI')!).map((g) => g.status),
      ['passed', 'passed', 'passed'],
    );
    assert.deepEqual(diagnosticsOf(svc, PLAN, 'plan-status-mismatch'), []);
  });

  it('reports a Complete row whose gates fail, a row naming no phase, and a phase without a row', async () => {
    const text = plan('| Build | Phase_1_CI | Complete |\n| Build | Phase_9_Ghost | Not started |');
    const { svc } = await workspace(files(text, response({ proof: `${fence}\n1 passed, 1 failed\n${fence}` })));
    const ds = diagnosticsOf(svc, PLAN, 'plan-status-mismatch');
    const complete = ds.find((d) => /marks Build\/Phase_1_CI Complete/.test(d.message))!;
    assert.deepEqual(complete.range, rangeOf(text, 'Complete'));
    assert.match(complete.message, /Proof failed/);
    const ghost = ds.find((d) => /Phase_9_Ghost/.test(d.message))!;
    assert.deepEqual(ghost.range, rangeOf(text, 'Phase_9_Ghost'));
    const missing = ds.find((d) => /Build\/Phase_2_Deps has no row/.test(d.message))!;
    assert.deepEqual(missing.range, rangeOf(text, 'Phase Status'));
    assert.equal(ds.length, 3);

    const [a] = codeActions(svc, [missing]);
    const fixed = applyEdits(text, a.change.edits[0].edits);
    // In the order of Build's numbers: before the row of phase 9.
    assert.match(fixed, /\| Build \| Phase_2_Deps \| Not started \|\n\| Build \| Phase_9_Ghost \| Not started \|\n$/);
    svc.setOverlay(`${ROOT}/${PLAN}`, fixed);
    assert.deepEqual(
      diagnosticsOf(svc, PLAN, 'plan-status-mismatch').filter((d) => /has no row/.test(d.message)),
      [],
    );
  });

  it('reports a row marked not started for a phase whose gates have all passed, not one for a phase still open', async () => {
    for (const status of ['Not started', 'Planned', '⏳ Pending']) {
      const text = plan(`| Build | Phase_1_CI | ${status} |\n| Build | Phase_2_Deps | Not started |`);
      const { svc } = await workspace(files(text));
      const ds = diagnosticsOf(svc, PLAN, 'plan-status-mismatch');
      assert.deepEqual(
        ds.map((d) => [d.range, d.message]),
        [
          [
            rangeOf(text, status),
            `The plan marks Build/Phase_1_CI ${status.replace(/^⏳ /, '')}, but it is complete: every gate has passed. Mark it complete in the plan.`,
          ],
        ],
        status,
      );
    }
    // A phase whose proof fails is not complete: "Not started" is out of date, but not reported as complete.
    const text = plan('| Build | Phase_1_CI | Not started |\n| Build | Phase_2_Deps | Not started |');
    const { svc } = await workspace(files(text, response({ proof: `${fence}\n1 passed, 1 failed\n${fence}` })));
    assert.deepEqual(diagnosticsOf(svc, PLAN, 'plan-status-mismatch'), []);
  });

  it('reports an item of a checklist plan marked not started, by its words or its heading, for a phase whose gates have all passed', async () => {
    const text = `# Project Implementation Plan\n\n## Phase Status\n\n### Build\n\n- [ ] Phase_1_CI — Not started\n- [ ] Phase_2_Deps — Not started\n`;
    let { svc } = await workspace(files(text));
    assert.deepEqual(
      diagnosticsOf(svc, PLAN, 'plan-status-mismatch').map((d) => [d.range, d.message]),
      [[rangeOf(text, 'Not started'), 'The plan marks Build/Phase_1_CI Not started, but it is complete: every gate has passed. Mark it complete in the plan.']],
    );
    const headed = `# Project Implementation Plan\n\n## Phase Status\n\n### Planned\n\n- Build Phase_1_CI\n- Build Phase_2_Deps\n`;
    ({ svc } = await workspace(files(headed)));
    assert.deepEqual(
      diagnosticsOf(svc, PLAN, 'plan-status-mismatch').map((d) => d.message),
      ['The plan marks Build/Phase_1_CI Planned (under "Planned"), but it is complete: every gate has passed. Mark it complete in the plan.'],
    );
    // Ticked, the item says it is done, whatever its heading.
    ({ svc } = await workspace(files(text.replace('- [ ] Phase_1_CI — Not started', '- [x] Phase_1_CI'))));
    assert.deepEqual(diagnosticsOf(svc, PLAN, 'plan-status-mismatch'), []);
  });

  it('reports a row under a not-started heading for a phase whose gates have all passed', async () => {
    const text = `# Project Implementation Plan\n\n## Phase Status\n\n### Not Started\n\n| Workstream | Phase |\n| --- | --- |\n| Build | Phase_1_CI |\n| Build | Phase_2_Deps |\n`;
    const { svc } = await workspace(files(text));
    const ds = diagnosticsOf(svc, PLAN, 'plan-status-mismatch');
    assert.deepEqual(
      ds.map((d) => [d.range, d.message]),
      [
        [
          rangeOf(text, 'Phase_1_CI'),
          'The plan marks Build/Phase_1_CI Not Started (under "Not Started"), but it is complete: every gate has passed. Mark it complete in the plan.',
        ],
      ],
    );
  });

  it("reads the iAI framework's Verified and Integrated as complete: a failing phase so marked is reported", async () => {
    const failing = response({ proof: `${fence}\n1 passed, 1 failed\n${fence}` });
    for (const status of ['Verified', 'Integrated', 'Verified & Integrated', '✅ Verified and Integrated']) {
      const text = plan(`| Build | Phase_1_CI | ${status} |\n| Build | Phase_2_Deps | Not started |`);
      const { svc } = await workspace(files(text, failing));
      const ds = diagnosticsOf(svc, PLAN, 'plan-status-mismatch');
      assert.deepEqual(
        ds.map((d) => d.message.replace(/:.*/, '')),
        [`The plan marks Build/Phase_1_CI ${status.replace(/^✅ /, '')}, but its gates have not all passed`],
        status,
      );
      assert.deepEqual(ds[0].range, rangeOf(text, status));
    }
    // A phase still being verified is not marked done.
    const text = plan('| Build | Phase_1_CI | Being verified |\n| Build | Phase_2_Deps | Not started |');
    const { svc } = await workspace(files(text, failing));
    assert.deepEqual(diagnosticsOf(svc, PLAN, 'plan-status-mismatch'), []);
  });

  it('matches a workstream written with a trailing "Workstream" word to its folder', async () => {
    const text = plan('| Build Workstream | Phase 1: CI Setup | Complete |\n| Build workstream | Phase_2_Deps | Not started |');
    const { svc } = await workspace(files(text));
    assert.deepEqual(diagnosticsOf(svc, PLAN, 'plan-status-mismatch'), []);
    // Another workstream's name still does not match.
    const other = plan('| Deploy Workstream | Phase 1: CI Setup | Complete |\n| Build | Phase_2_Deps | Not started |');
    const { svc: svc2 } = await workspace(files(other));
    assert.deepEqual(
      diagnosticsOf(svc2, PLAN, 'plan-status-mismatch').map((d) => d.message),
      [
        'No phase "Phase 1: CI Setup" exists under workstreams/: the plan lists a phase the project does not have.',
        'Build/Phase_1_CI has no row in the "Phase Status" table.',
      ],
    );
  });

  it("reads a plan of one table per workstream, each under its workstream's heading, and adds a new workstream's table", async () => {
    const deploy = { 'proj/workstreams/Deploy/Phase_1_CI/implementation_prompt.md': PROMPT };
    const table = (rows: string) => `| Phase | Status |\n| --- | --- |\n${rows}\n`;
    const text = [
      '# Project Implementation Plan\n\n## Phase Status\n',
      `### Build Workstream\n\n${table('| Phase_1_CI | Complete |\n| Phase_2_Deps | Not started |')}`,
      `### 3.2. Deploy Workstream (iAI Managed)\n\n${table('| Phase_1_CI | Complete |')}`,
    ].join('\n');
    const { svc } = await workspace({ ...files(text), ...deploy });
    // Each table's rows are its heading's workstream's: Deploy's Phase_1_CI (no response yet) is not complete, Build's is.
    const ds = diagnosticsOf(svc, PLAN, 'plan-status-mismatch');
    assert.deepEqual(
      ds.map((d) => [d.range.start.line, d.message.replace(/:.*/, '')]),
      [[15, 'The plan marks Deploy/Phase_1_CI Complete, but its gates have not all passed']],
    );
    // The same, with a Phase Status section under each workstream's heading.
    const nested = `# Plan\n\n## Build\n\n### Phase Status\n\n${table('| Phase_1_CI | Complete |\n| Phase_2_Deps | Not started |')}\n## Deploy\n\n### Phase Status\n\n${table('| Phase_1_CI | Not started |')}`;
    const { svc: svc2 } = await workspace({ ...files(nested), ...deploy });
    assert.deepEqual(diagnosticsOf(svc2, PLAN, 'plan-status-mismatch'), []);
    // A workstream without a table of its own: its phase has no row, and the fix adds its table as the others are written.
    const buildOnly = [
      '# Project Implementation Plan\n\n## Phase Status\n',
      `### Build Workstream\n\n${table('| Phase_1_CI | Complete |\n| Phase_2_Deps | Not started |')}`,
      '## Notes\n\nNone.\n',
    ].join('\n');
    const { svc: svc3 } = await workspace({ ...files(buildOnly), ...deploy });
    const missing = diagnosticsOf(svc3, PLAN, 'plan-status-mismatch');
    assert.deepEqual(
      missing.map((d) => d.message),
      ['Deploy/Phase_1_CI has no row in the "Phase Status" table.'],
    );
    const fixed = applyEdits(buildOnly, codeActions(svc3, missing)[0].change.edits[0].edits);
    assert.match(
      fixed,
      /\| Phase_2_Deps \| Not started \|\n\n### Deploy Workstream\n\n\| Phase \| Status \|\n\| --- \| --- \|\n\| Phase_1_CI \| [^|]+ \|\n\n## Notes\n/,
    );
    svc3.setOverlay(`${ROOT}/${PLAN}`, fixed);
    assert.deepEqual(diagnosticsOf(svc3, PLAN, 'plan-status-mismatch'), []);
  });

  it("adds a missing phase's row in the table's own format, with the phase's status", async () => {
    const text = [
      '# Project Implementation Plan',
      '',
      '## Phase Status',
      '',
      '| Workstream | Phase                 | Status      |',
      '|------------|-----------------------|-------------|',
      '| Build      | Phase 1: CI Setup     | ✅ Complete |',
      '',
    ].join('\n');
    const { svc } = await workspace(files(text));
    const missing = diagnosticsOf(svc, PLAN, 'plan-status-mismatch').find((d) => /Build\/Phase_2_Deps has no row/.test(d.message))!;
    const [a] = codeActions(svc, [missing]);
    const fixed = applyEdits(text, a.change.edits[0].edits);
    const row = fixed.split('\n')[7];
    assert.equal(row, `| Build      | Phase 2: CI Setup     | ${STATUS_LABELS[svc.status(svc.findPhase('Build/Phase_2_Deps')!)]} |`);
    svc.setOverlay(`${ROOT}/${PLAN}`, fixed);
    assert.deepEqual(diagnosticsOf(svc, PLAN, 'plan-status-mismatch'), []);
  });

  it("links a missing phase's row as the other rows link, also when their targets hold parentheses", async () => {
    const text = plan('| Build | [Phase 1 (CI)](workstreams/Build/Phase_1_(CI)/implementation_prompt.md) | Complete |');
    const { svc } = await workspace(files(text));
    const missing = diagnosticsOf(svc, PLAN, 'plan-status-mismatch').find((d) => /Build\/Phase_2_Deps has no row/.test(d.message))!;
    const [a] = codeActions(svc, [missing]);
    const fixed = applyEdits(text, a.change.edits[0].edits);
    assert.match(fixed, /^\| Build \| \[[^\]]+\]\(workstreams\/Build\/Phase_2_Deps\/implementation_prompt\.md\) \|/m);
  });

  it('reads backslash escapes in a row link as Markdown does', async () => {
    const text = plan(
      '| Build | [first](workstreams/Build/Phase\\_1\\_CI/) | Complete |\n| Build | [second](workstreams/Build/Phase\\_2\\_Deps/) | Not started |',
    );
    const { svc } = await workspace(files(text));
    assert.deepEqual(diagnosticsOf(svc, PLAN, 'plan-status-mismatch'), []);
  });

  it('follows new phases and plan edits between checks of the same plan', async () => {
    const { svc, fs } = await workspace(files(plan('| Build | Phase_1_CI | Complete |\n| Build | Phase_2_Deps | Not started |')));
    assert.deepEqual(diagnosticsOf(svc, PLAN, 'plan-status-mismatch'), []);
    // A third phase appears: the unchanged plan lacks its row.
    const third = `${ROOT}/proj/workstreams/Build/Phase_3_Release/implementation_prompt.md`;
    fs.write(third, PROMPT.replace('Phase 1', 'Phase 3'));
    await svc.filesChanged([{ path: third, type: 'created' }]);
    assert.deepEqual(
      diagnosticsOf(svc, PLAN, 'plan-status-mismatch').map((d) => d.message),
      ['Build/Phase_3_Release has no row in the "Phase Status" table.'],
    );
    // The plan names it now, and names phase 2 by a phase that does not exist.
    svc.setOverlay(
      `${ROOT}/${PLAN}`,
      plan('| Build | Phase_1_CI | Complete |\n| Build | Phase_9_Deps | Not started |\n| Build | Phase_3_Release | Not started |'),
    );
    assert.deepEqual(
      diagnosticsOf(svc, PLAN, 'plan-status-mismatch').map((d) => d.message),
      [
        'No phase "Phase_9_Deps" exists under workstreams/: the plan lists a phase the project does not have.',
        'Build/Phase_2_Deps has no row in the "Phase Status" table.',
      ],
    );
  });

  it("leaves a row of the template's placeholders to unfilled-placeholder", async () => {
    const { svc } = await workspace(files(plan('| [Workstream] | [Phase] | Not started |\n| Build | Phase_1_CI | Complete |')));
    assert.deepEqual(
      diagnosticsOf(svc, PLAN, 'plan-status-mismatch').map((d) => d.message),
      ['Build/Phase_2_Deps has no row in the "Phase Status" table.'],
    );
    assert.deepEqual(
      diagnosticsOf(svc, PLAN, 'unfilled-placeholder').map((d) => d.message),
      ['Placeholder [Workstream] is not filled in.', 'Placeholder [Phase] is not filled in.'],
    );
  });

  it("the quick fix puts a phase's row in place of the template's only row of placeholders", async () => {
    const text = plan('| [Workstream] | [Phase] | Not started |');
    const { svc } = await workspace(files(text));
    const missing = diagnosticsOf(svc, PLAN, 'plan-status-mismatch').find((d) => /Build\/Phase_1_CI has no row/.test(d.message))!;
    const [a] = codeActions(svc, [missing]);
    const fixed = applyEdits(text, a.change.edits[0].edits);
    assert.equal(fixed, plan('| Build | Phase_1_CI | Complete |'));
    svc.setOverlay(`${ROOT}/${PLAN}`, fixed);
    assert.deepEqual(diagnosticsOf(svc, PLAN, 'unfilled-placeholder'), []);
  });

  it("heads a new workstream's table as the last one's heading, renamed and numbered on", async () => {
    const deploy = { 'proj/workstreams/Deploy/Phase_1_CI/implementation_prompt.md': PROMPT };
    const table = '| Phase | Status |\n| --- | --- |\n';
    const text = `# Plan\n\n## Phase Status\n\n### 3.1. Build Workstream (iAI Managed)\n\n${table}| Phase_1_CI | Complete |\n| Phase_2_Deps | Not started |\n`;
    const { svc } = await workspace({ ...files(text), ...deploy });
    const ds = diagnosticsOf(svc, PLAN, 'plan-status-mismatch');
    const fixed = applyEdits(text, codeActions(svc, ds)[0].change.edits[0].edits);
    assert.match(
      fixed,
      /\| Phase_2_Deps \| Not started \|\n\n### 3\.2\. Deploy Workstream \(iAI Managed\)\n\n\| Phase \| Status \|\n\| --- \| --- \|\n\| Phase_1_CI \| [^|]+ \|\n$/,
    );
    svc.setOverlay(`${ROOT}/${PLAN}`, fixed);
    assert.deepEqual(diagnosticsOf(svc, PLAN, 'plan-status-mismatch'), []);
  });

  it('re-checks the plan when a phase document changes', async () => {
    const { svc } = await workspace(files(plan('| Build | Phase_1_CI | Complete |\n| Build | Phase_2_Deps | Not started |')));
    assert.deepEqual(diagnosticsOf(svc, PLAN, 'plan-status-mismatch'), []);
    const affected = svc.setOverlay(`${ROOT}/${RESP}`, response({ tests: '' }).replace(/## Tests\n\n/, ''));
    assert.ok(affected.includes(`${ROOT}/${PLAN}`));
    assert.equal(diagnosticsOf(svc, PLAN, 'plan-status-mismatch').length, 1);
  });
});

describe('phase rules: project plan as checklists', () => {
  const PLAN = 'proj/project_implementation_plan.md';
  const failing = response({ proof: `${fence}\n1 passed, 1 failed\n${fence}` });
  const files = (planText: string, resp = response()) => ({
    [PLAN]: planText,
    [`${IAI}/implementation_prompt.md`]: PROMPT,
    [RESP]: resp,
    'proj/workstreams/Build/Phase_2_Deps/implementation_prompt.md': PROMPT.replace('Phase 1', 'Phase 2'),
  });
  const plan = (items: string, heading = '### Build Workstream\n') => `# Project Implementation Plan\n\n## Phase Status\n\n${heading}${items}\n`;
  const mismatches = (svc: Awaited<ReturnType<typeof workspace>>['svc']) => diagnosticsOf(svc, PLAN, 'plan-status-mismatch');

  it('reads the items of a Phase Status list as rows: by number under the workstream heading, link, folder name, id', async () => {
    for (const items of [
      '- [x] Phase 1: CI Setup — Verified & Integrated\n- [ ] Phase 2: Dependencies — In progress',
      '- [x] Phase_1_CI\n- [ ] [Phase_2_Deps](workstreams/Build/Phase_2_Deps/implementation_prompt.md)',
      '* Build/Phase_1_CI (complete)\n* [Dependencies](workstreams/Build/Phase_2_Deps/) — not started',
      '1. **Phase 1**: Complete\n2. Phase 2 - Pending',
      '- [x] CI Setup ([prompt](workstreams/Build/Phase_1_CI/implementation_prompt.md))\n- [ ] Dependencies, see [Phase_2_Deps](workstreams/Build/Phase_2_Deps/)',
    ]) {
      const { svc } = await workspace(files(plan(items)));
      assert.deepEqual(mismatches(svc), [], items);
    }
    // An item's links name its phase only before its first separator: phase 2 linked after phase 1's name is not checked off.
    const linked = plan('- [x] Phase 1: CI Setup — after [Deps](workstreams/Build/Phase_2_Deps/)\n- [ ] Phase 2: Deps');
    const { svc: svc0 } = await workspace(files(linked));
    assert.deepEqual(mismatches(svc0), []);
    // Without a workstream heading, a number names no phase (as in a table without a Workstream column); a folder name does.
    // The phase of that number is not reported missing either (`Phase 2` may be its item); one of another number is.
    const { svc } = await workspace(files(plan('- [x] Phase_1_CI (Weeks 1-2)\n- [ ] Phase 2: Dependencies', '')));
    assert.deepEqual(mismatches(svc), []);
    const { svc: other } = await workspace(files(plan('- [x] Phase_1_CI (Weeks 1-2)\n- [ ] Phase 3: Dependencies', '')));
    assert.deepEqual(
      mismatches(other).map((d) => d.message),
      ['Build/Phase_2_Deps has no item in the "Phase Status" list.'],
    );
  });

  it('reports a checked item, or one whose status is a completion word, whose phase has not passed its gates', async () => {
    const cases: [string, string, string][] = [
      ['- [x] Phase 1: CI Setup\n- [ ] Phase 2: Deps', '[x]', 'Complete ([x])'],
      ['- [X] Phase 1: CI Setup — In progress\n- [ ] Phase 2: Deps', '[X]', 'Complete ([X])'],
      ['- [ ] Phase 1: CI Setup — Done\n- [ ] Phase 2: Deps', 'Done', 'Complete'],
      ['- Phase 1: CI Setup (Verified & Integrated)\n- Phase 2: Deps (pending)', 'Verified & Integrated', 'Verified & Integrated'],
      ['- [ ] Phase_1_CI: **Completed**\n- [ ] Phase_2_Deps', '**Completed**', 'Complete'],
      ['- [ ] Phase 1 – ✅\n- [ ] Phase 2', '✅', 'Complete (✅)'],
      ['- Phase 1 — Complete (2025-03-01)\n- Phase 2 — Not started', 'Complete', 'Complete'],
    ];
    for (const [items, at, marked] of cases) {
      const text = plan(items);
      const { svc } = await workspace(files(text, failing));
      const ds = mismatches(svc);
      assert.deepEqual(
        ds.map((d) => d.message.replace(/: .*/, '')),
        [`The plan marks Build/Phase_1_CI ${marked}, but its gates have not all passed`],
        items,
      );
      assert.match(ds[0].message, /Proof failed/);
      assert.deepEqual(ds[0].range, rangeOf(text, at), items);
    }
    // Not done: an unchecked box, a status that is no completion word, a completion word that is the phase's title.
    for (const items of ['- [ ] Phase 1: CI Setup\n- [ ] Phase 2', '- Phase 1 — Being verified\n- Phase 2', '- [ ] Phase 1: Complete the CI\n- [ ] Phase 2']) {
      const { svc } = await workspace(files(plan(items), failing));
      assert.deepEqual(mismatches(svc), [], items);
    }
    // A phase that passed its gates may be checked.
    const { svc } = await workspace(files(plan('- [x] Phase 1: CI Setup\n- [ ] Phase 2')));
    assert.deepEqual(mismatches(svc), []);
  });

  it('leaves the phases a plan lists ahead, not started, alone; reports them beside a phase the plan has no item for (a misspelling)', async () => {
    // The plan tracks every phase of the project, those to come too: no folder yet for phases 3 and 4.
    const ahead = [
      '- [x] Phase 1: CI Setup',
      '- [ ] Phase 2: Deps',
      '- [ ] Phase 3: Release',
      '- Phase 4: Hardening — Not started',
      '- Phase 5: Audit — In progress',
      '- [x] Phase 6: Cutover',
    ];
    const { svc } = await workspace(files(plan(ahead.join('\n'))));
    assert.deepEqual(
      mismatches(svc).map((d) => d.message),
      [
        'No phase "Phase 5: Audit" exists under workstreams/: the plan lists a phase the project does not have.',
        'No phase "Phase 6: Cutover" exists under workstreams/: the plan lists a phase the project does not have.',
      ],
    );
    // A table's row too, by its Status column or by its status heading.
    const table = (rows: string, heading = '') =>
      `# Project Implementation Plan\n\n## Phase Status\n\n${heading}| Workstream | Phase | Status |\n| --- | --- | --- |\n${rows}\n`;
    const rows = '| Build | Phase_1_CI | Complete |\n| Build | Phase_2_Deps | In progress |\n| Build | Phase_3_Release | Not started |';
    assert.deepEqual(mismatches((await workspace(files(table(rows)))).svc), []);
    // Beside a phase without an item (Phase 2, spelt Phase 9 in the plan), the one not started is reported too.
    const typo = (await workspace(files(plan('- [x] Phase 1: CI Setup\n- [ ] Phase 9: Deps')))).svc;
    assert.deepEqual(
      mismatches(typo).map((d) => d.message),
      [
        'No phase "Phase 9: Deps" exists under workstreams/: the plan lists a phase the project does not have.',
        'Build/Phase_2_Deps has no item in the "Phase Status" list.',
      ],
    );
  });

  it('reports an item that names a phase the project does not have, and a phase without an item', async () => {
    const text = plan('- [x] Phase 1: CI Setup\n- [ ] Phase 9: Ghost — Not started');
    const { svc } = await workspace(files(text));
    const ds = mismatches(svc);
    assert.deepEqual(
      ds.map((d) => d.message),
      [
        'No phase "Phase 9: Ghost" exists under workstreams/: the plan lists a phase the project does not have.',
        'Build/Phase_2_Deps has no item in the "Phase Status" list.',
      ],
    );
    assert.deepEqual(ds[0].range, rangeOf(text, 'Phase 9: Ghost'));
    assert.deepEqual(ds[1].range, rangeOf(text, 'Phase Status'));
    // Another workstream's heading: its phase 1 is not Build's.
    const other = plan('- [x] Phase 1: CI Setup\n- [ ] Phase 2: Deps\n\n### Deploy\n\n- [ ] Phase 1: Environments');
    const { svc: svc2 } = await workspace({ ...files(other), 'proj/workstreams/Deploy/Phase_2_Rollout/implementation_prompt.md': PROMPT });
    assert.deepEqual(
      mismatches(svc2).map((d) => d.message),
      [
        'No phase "Phase 1: Environments" exists under workstreams/: the plan lists a phase the project does not have.',
        'Deploy/Phase_2_Rollout has no item in the "Phase Status" list.',
      ],
    );
  });

  it('takes notes for notes: items that name no phase, sub-items, a number without a workstream, lists beside a table', async () => {
    const notes = [
      '- [x] Phase 1: CI Setup',
      '  - [x] Phase 7 follow-up: docs — Done',
      '  - Phase 2 waits on it',
      '- [ ] Phase 2: Deps',
      '- Reviewed weekly: every Monday — Done',
      '- [x] Order the build servers',
      '- See [the design](docs/design.md) (complete)',
      '- [ ] [Phase]',
      '- Phases 3 to 5 are planned for Q3',
      '- Phase two follows the first',
      '- Phase 9 waits on the vendor',
      '- ~~Phase 4: Mobile~~ — dropped',
    ].join('\n');
    const { svc } = await workspace(files(plan(notes), failing));
    // The only report is phase 1's checked box: its failing proof.
    assert.deepEqual(
      mismatches(svc).map((d) => d.message.replace(/: .*/, '')),
      ['The plan marks Build/Phase_1_CI Complete ([x]), but its gates have not all passed'],
    );
    // Without a workstream heading, "Phase 9: Ghost" may be any workstream's: not reported; a folder name is.
    const { svc: svc2 } = await workspace(files(plan('- Phase_1_CI\n- Phase_2_Deps\n- Phase 9: Ghost\n- Phase_9_Ghost', '')));
    assert.deepEqual(
      mismatches(svc2).map((d) => d.message),
      ['No phase "Phase_9_Ghost" exists under workstreams/: the plan lists a phase the project does not have.'],
    );
    // A section of notes only is no list of phases, and a table's section keeps its lists as notes.
    const table = `# Plan\n\n## Phase Status\n\n| Workstream | Phase | Status |\n| --- | --- | --- |\n| Build | Phase_1_CI | Complete |\n\n- [x] Phase_2_Deps\n\n### Remarks\n\n- [x] All reviewed — Done\n`;
    const { svc: svc3 } = await workspace(files(table, failing));
    assert.deepEqual(
      mismatches(svc3).map((d) => d.message.replace(/: .*/, '')),
      ['The plan marks Build/Phase_1_CI Complete, but its gates have not all passed', 'Build/Phase_2_Deps has no row in the "Phase Status" table.'],
    );
  });

  it('reads hostile items in time linear in their length', async () => {
    const items = (n: number) =>
      [
        `- Phase 1${' '.repeat(n)}x`,
        `- [ ] a${'_'.repeat(n)}b`,
        `- [ ] Phase_1_CI ${'<!--'.repeat(n / 4)}`,
        `- [ ] Phase 1 ${' '.repeat(n)}(`,
        `- Phase 1 — Verified ${'!'.repeat(n)}a Integrated`,
        `- [ ] Phase 2${' -'.repeat(n / 2)}`,
        `- [ ] Phase 2${':  '.repeat(n / 3)}`,
        `- [ ] Phase 2 ${'`'.repeat(n)}`,
        `- [ ] Phase 2 ${'[a]('.repeat(n / 4)}`,
      ].join('\n');
    const { svc } = await workspace(files(plan(items(60_000))));
    assert.deepEqual(mismatches(svc), []);
    // The plan set again in each run, so that each reads it again.
    assertLinear(
      'hostile plan items',
      overlaid(
        svc,
        `${ROOT}/${PLAN}`,
        (n) => plan(items(n)),
        () => assert.deepEqual(mismatches(svc), []),
      ),
      { n: 3750 },
    );
  });

  it('follows plan edits between checks of the same list plan', async () => {
    const { svc } = await workspace(files(plan('- [x] Phase 1: CI Setup\n- [ ] Phase 2: Deps')));
    assert.deepEqual(mismatches(svc), []);
    svc.setOverlay(`${ROOT}/${PLAN}`, plan('- [x] Phase 1: CI Setup'));
    assert.deepEqual(
      mismatches(svc).map((d) => d.message),
      ['Build/Phase_2_Deps has no item in the "Phase Status" list.'],
    );
    const affected = svc.setOverlay(`${ROOT}/${RESP}`, failing);
    assert.ok(affected.includes(`${ROOT}/${PLAN}`));
    assert.equal(mismatches(svc).length, 2);
  });

  it("the quick fix adds the missing phase's item to its workstream's list, in the list's own shape, never a table", async () => {
    const cases: [string, string][] = [
      // Marker, checkbox, "Phase N: Title", status after the same dash, not started in the plan's words.
      [
        '- [x] Phase 1: CI Setup — Verified & Integrated\n- Reviewed weekly.',
        '- [x] Phase 1: CI Setup — Verified & Integrated\n- [ ] Phase 2: CI Setup — Not started\n- Reviewed weekly.',
      ],
      // A link as the neighbour's, to the prompt; no status when the neighbour has none.
      [
        '* [ ] [Phase_1_CI](workstreams/Build/Phase_1_CI/implementation_prompt.md)',
        '* [ ] [Phase_1_CI](workstreams/Build/Phase_1_CI/implementation_prompt.md)\n* [ ] [Phase_2_Deps](workstreams/Build/Phase_2_Deps/implementation_prompt.md)',
      ],
      // An ordered list counts on; a status in parentheses; a loose list stays loose.
      ['1. Phase_1_CI (complete)\n\n2. Other work (pending)', '1. Phase_1_CI (complete)\n\n2. Phase_2_Deps (Not started)\n\n2. Other work (pending)'],
      ['3) Phase 1', '3) Phase 1\n4) Phase 2'],
      // Emphasis and the separator after the number kept; a list numbered `1.` throughout stays so.
      ['1. [x] **Phase 1**: CI Setup — Done\n1. Notes', '1. [x] **Phase 1**: CI Setup — Done\n1. [ ] **Phase 2**: CI Setup — Not started\n1. Notes'],
      ['+ phase 1 - CI Setup', '+ phase 1 - CI Setup\n+ phase 2 - CI Setup'],
    ];
    for (const [items, expected] of cases) {
      const text = plan(items) + '\n## Notes\n\nNone.\n';
      const { svc } = await workspace(files(text));
      const missing = mismatches(svc).find((d) => /Build\/Phase_2_Deps has no item/.test(d.message))!;
      assert.ok(missing, items);
      const [a] = codeActions(svc, [missing]);
      assert.equal(a.title, 'Add Build/Phase_2_Deps to the Phase Status list');
      const fixed = applyEdits(text, a.change.edits[0].edits);
      assert.equal(fixed, plan(expected) + '\n## Notes\n\nNone.\n', items);
      svc.setOverlay(`${ROOT}/${PLAN}`, fixed);
      assert.deepEqual(mismatches(svc), [], items);
    }
  });

  it('writes the new item with a status as the last item that has one, when the last item of a phase has none (`- Phase 9: Ghost`)', async () => {
    const cases: [string, string][] = [
      // A checkbox, a status word after a dash, a `Status:` sub-item: the last of them gives the shape; in a list in the
      // order of its phases' numbers, the item goes before the first of a greater number, else after the last item.
      ['- [ ] Phase 2: Deps\n- Phase 9: Ghost', '- [x] Phase 1: CI Setup\n- [ ] Phase 2: Deps\n- Phase 9: Ghost'],
      [
        '- [x] Phase 2: Deps\n- Phase 3: Tests — Done\n- Phase 9: Ghost',
        '- Phase 1: CI Setup — Complete\n- [x] Phase 2: Deps\n- Phase 3: Tests — Done\n- Phase 9: Ghost',
      ],
      [
        '- Phase 9: Ghost\n- Phase 2: Deps\n  - Status: Not started',
        '- Phase 9: Ghost\n- Phase 2: Deps\n  - Status: Not started\n- Phase 1: CI Setup\n  - Status: Complete',
      ],
      // An ordered list counts on from the last item, whichever item gives the shape (its numbers out of order: after the last).
      ['1. [ ] Phase 2: Deps\n2. Phase 9: Ghost\n3. Phase 4: Later', '1. [ ] Phase 2: Deps\n2. Phase 9: Ghost\n3. Phase 4: Later\n4. [x] Phase 1: CI Setup'],
      // No item with a status: none written, as the list writes its items.
      ['- Phase 2: Deps\n- Phase 9: Ghost', '- Phase 1: CI Setup\n- Phase 2: Deps\n- Phase 9: Ghost'],
    ];
    for (const [items, expected] of cases) {
      const text = plan(items);
      const { svc } = await workspace(files(text));
      const missing = mismatches(svc).find((d) => /Build\/Phase_1_CI has no item/.test(d.message));
      assert.ok(missing, items);
      const fixed = applyEdits(text, codeActions(svc, [missing])[0].change.edits[0].edits);
      assert.equal(fixed, plan(expected), items);
      svc.setOverlay(`${ROOT}/${PLAN}`, fixed);
      assert.ok(!mismatches(svc).some((d) => /Phase_1_CI/.test(d.message)), fixed);
    }
  });

  it("gives a new workstream of a plan kept under each workstream's heading its own heading and Phase Status, table or list", async () => {
    const deploy = { 'proj/workstreams/Deploy/Phase_1_Envs/implementation_prompt.md': PROMPT };
    const tail = '\n### Risks\n\nNone.\n';
    const table = '| Phase | Status |\n| --- | --- |\n';
    for (const [phases, added] of [
      [`${table}| Phase_1_CI | Complete |\n| Phase_2_Deps | Not started |\n`, (st: string) => `${table}| Phase_1_Envs | ${st} |`],
      ['- [x] Phase 1: CI Setup\n- [ ] Phase 2: Deps\n', (st: string) => `- [ ] Phase 1: CI Setup — ${st}`.replace(/ — .*/, '')],
    ] as const) {
      const text = `# Plan\n\n## Build\n\n### Phase Status\n\n${phases}${tail}`;
      const { svc } = await workspace({ ...files(text), ...deploy });
      const ds = mismatches(svc);
      assert.deepEqual(
        ds.map((d) => d.message.replace(/ in the .*/, '')),
        ['Deploy/Phase_1_Envs has no ' + (phases.startsWith('|') ? 'row' : 'item')],
      );
      const fixed = applyEdits(text, codeActions(svc, ds)[0].change.edits[0].edits);
      const status = STATUS_LABELS[svc.status(svc.findPhase('Deploy/Phase_1_Envs')!)];
      assert.equal(fixed, `${text}\n## Deploy\n\n### Phase Status\n\n${added(status)}\n`);
      svc.setOverlay(`${ROOT}/${PLAN}`, fixed);
      assert.deepEqual(mismatches(svc), []);
    }
  });

  it("writes a plan in the iAI framework's own style: numbered workstream headings, bold phase names with sub-items", async () => {
    const deploy = { 'proj/workstreams/Deploy/Phase_1_Envs/implementation_prompt.md': PROMPT };
    const text = [
      '# Plan',
      '',
      '## Phase Status',
      '',
      '### 3.1. Build Workstream (iAI Managed)',
      '',
      '-   **Phase 1: CI Setup (iAI Prompt-Driven)** — Verified & Integrated',
      '    -   **Description:** Initial CI pipeline.',
      '',
      '## Notes',
      '',
    ].join('\n');
    const { svc } = await workspace({ ...files(text), ...deploy });
    let fixed = text;
    for (const id of ['Build/Phase_2_Deps', 'Deploy/Phase_1_Envs']) {
      const d = mismatches(svc).find((x) => x.message.includes(`${id} has no item`))!;
      fixed = applyEdits(fixed, codeActions(svc, [d])[0].change.edits[0].edits);
      svc.setOverlay(`${ROOT}/${PLAN}`, fixed);
    }
    const st = (id: string) => STATUS_LABELS[svc.status(svc.findPhase(id)!)];
    assert.equal(
      fixed,
      text.replace(
        '    -   **Description:** Initial CI pipeline.\n',
        '    -   **Description:** Initial CI pipeline.\n' +
          `-   **Phase 2: CI Setup** — ${st('Build/Phase_2_Deps')}\n` +
          '\n### 3.2. Deploy Workstream (iAI Managed)\n\n' +
          `-   **Phase 1: CI Setup** — ${st('Deploy/Phase_1_Envs')}\n`,
      ),
    );
    assert.deepEqual(mismatches(svc), []);
  });

  it('the quick fix checks the box of a complete phase, keeps CRLF, and gives a workstream without a list its own', async () => {
    const deploy = { 'proj/workstreams/Deploy/Phase_1_Envs/implementation_prompt.md': PROMPT };
    const text = '# Plan\r\n\r\n## Phase Status\r\n\r\n### Build Workstream\r\n- [ ] Phase 2: Deps\r\n\r\n## Notes\r\n\r\nNone.\r\n';
    const { svc } = await workspace({ ...files(text), ...deploy });
    const ds = mismatches(svc);
    assert.deepEqual(
      ds.map((d) => d.message),
      ['Build/Phase_1_CI has no item in the "Phase Status" list.', 'Deploy/Phase_1_Envs has no item in the "Phase Status" list.'],
    );
    let fixed = text;
    for (const id of ['Build/Phase_1_CI', 'Deploy/Phase_1_Envs']) {
      const d = mismatches(svc).find((x) => x.message.includes(`${id} has no item`))!;
      fixed = applyEdits(fixed, codeActions(svc, [d])[0].change.edits[0].edits);
      svc.setOverlay(`${ROOT}/${PLAN}`, fixed);
    }
    assert.equal(
      fixed,
      '# Plan\r\n\r\n## Phase Status\r\n\r\n### Build Workstream\r\n- [x] Phase 1: CI Setup\r\n- [ ] Phase 2: Deps\r\n\r\n### Deploy Workstream\r\n- [ ] Phase 1: CI Setup\r\n\r\n## Notes\r\n\r\nNone.\r\n',
    );
    svc.setOverlay(`${ROOT}/${PLAN}`, fixed);
    assert.deepEqual(mismatches(svc), []);
    // A list that checks its items `[X]` gets `[X]`.
    const upper = plan('- [X] Phase 2: Deps');
    const { svc: svc2 } = await workspace(files(upper));
    const d = mismatches(svc2).find((x) => x.message.includes('Build/Phase_1_CI has no item'))!;
    assert.equal(applyEdits(upper, codeActions(svc2, [d])[0].change.edits[0].edits), plan('- [X] Phase 1: CI Setup\n- [X] Phase 2: Deps'));
  });
});

describe('phase rules: project plan as checklists, other shapes', () => {
  const PLAN = 'proj/project_implementation_plan.md';
  const failing = response({ proof: `${fence}\n1 passed, 1 failed\n${fence}` });
  const DEPLOY = { 'proj/workstreams/Deploy/Phase_1_Envs/implementation_prompt.md': PROMPT };
  const files = (planText: string, resp = response()) => ({
    [PLAN]: planText,
    [`${IAI}/implementation_prompt.md`]: PROMPT,
    [RESP]: resp,
    'proj/workstreams/Build/Phase_2_Deps/implementation_prompt.md': PROMPT.replace('Phase 1', 'Phase 2'),
  });
  const plan = (body: string) => `# Project Implementation Plan\n\n## Phase Status\n\n${body}\n\n## Notes\n\nNone.\n`;
  const mismatches = (svc: Awaited<ReturnType<typeof workspace>>['svc']) => diagnosticsOf(svc, PLAN, 'plan-status-mismatch');
  /** The messages up to their reasons, and the ranges of the plan's findings. */
  const found = (svc: Awaited<ReturnType<typeof workspace>>['svc'], text: string) =>
    mismatches(svc).map((d) => [
      d.message.replace(/, but its gates .*/, ''),
      text.split('\n')[d.range.start.line].slice(d.range.start.character, d.range.end.character),
    ]);
  /** The plan after the quick fix of each missing phase's finding, in turn. */
  const fixEach = async (text: string, ids: string[], extra: Record<string, string> = {}) => {
    const { svc } = await workspace({ ...files(text), ...extra });
    let fixed = text;
    for (const id of ids) {
      const d = mismatches(svc).find((x) => x.message.includes(`${id} has no item`));
      assert.ok(
        d,
        `${id}: ${mismatches(svc)
          .map((x) => x.message)
          .join('; ')}`,
      );
      fixed = applyEdits(fixed, codeActions(svc, [d])[0].change.edits[0].edits);
      svc.setOverlay(`${ROOT}/${PLAN}`, fixed);
    }
    assert.deepEqual(mismatches(svc), [], fixed);
    return { fixed, st: (id: string) => STATUS_LABELS[svc.status(svc.findPhase(id)!)] };
  };

  it('reads a table with no Status column under a status heading (`### Completed`) as of that status; a new row goes into the table of its own', async () => {
    const table = (rows: string[]) => `| Workstream | Phase |\n|---|---|\n${rows.join('\n')}`;
    const text = plan(`### Completed\n\n${table(['| Build | Phase_1_CI |'])}\n\n### Not Started\n\n${table(['| Build | Phase_2_Deps |'])}`);
    const { svc } = await workspace(files(text, failing));
    assert.deepEqual(found(svc, text), [['The plan marks Build/Phase_1_CI Complete (under "Completed")', 'Phase_1_CI']]);
    const { svc: ok } = await workspace(files(text));
    assert.deepEqual(mismatches(ok), []);
    // A phase not in the plan (not started) is added to the Not Started table, not to its workstream's first table.
    const { svc: add } = await workspace({ ...files(text), ...DEPLOY });
    const d = mismatches(add).find((x) => x.message.includes('Deploy/Phase_1_Envs has no row'));
    assert.ok(d, JSON.stringify(mismatches(add).map((x) => x.message)));
    const fixed = applyEdits(text, codeActions(add, [d])[0].change.edits[0].edits);
    assert.match(fixed, /### Not Started\n\n\| Workstream \| Phase \|\n\|---\|---\|\n\| Build \| Phase_2_Deps \|\n\| Deploy \| Phase_1_Envs \|\n/);
    // With no table under its status's heading, no row is written under another status: no fix is offered.
    const completedOnly = plan(`### Completed\n\n${table(['| Build | Phase_1_CI |', '| Build | Phase_2_Deps |'])}`);
    const { svc: none } = await workspace({ ...files(completedOnly), ...DEPLOY });
    const d2 = mismatches(none).find((x) => x.message.includes('Deploy/Phase_1_Envs has no row'));
    assert.ok(d2);
    assert.deepEqual(codeActions(none, [d2]), []);
    // A plan with a table that has a Status column takes the row there, whatever table of another status it also keeps.
    const mixed = plan(`### Build\n\n| Phase | Status |\n|---|---|\n| Phase_2_Deps | Not started |\n\n### Completed\n\n${table(['| Build | Phase_1_CI |'])}`);
    const { svc: both } = await workspace({ ...files(mixed), ...DEPLOY });
    const d3 = mismatches(both).find((x) => x.message.includes('Deploy/Phase_1_Envs has no row'));
    assert.ok(d3);
    assert.equal(codeActions(both, [d3]).length, 1);
  });

  it('reads an item that names its own workstream before its phase (`Build Phase 1: …`), under no workstream heading', async () => {
    for (const [body, at, marked] of [
      ['- [x] Build Phase 1: CI Setup\n- [ ] Build Phase 2: Deps', '[x]', 'Complete ([x])'],
      ['### Q3 Milestones\n\n- [x] **Build** — Phase 1: CI Setup\n- [ ] Build Workstream: Phase 2: Deps (in progress)', '[x]', 'Complete ([x])'],
      ['1. Build/Phase 1 — CI Setup — Done\n2. Build/Phase 2 — Deps', 'Done', 'Complete'],
      ['- build phase_1 (Verified & Integrated)\n- BUILD PHASE 2', 'Verified & Integrated', 'Verified & Integrated'],
    ]) {
      const text = plan(body);
      const { svc } = await workspace(files(text, failing));
      assert.deepEqual(found(svc, text), [[`The plan marks Build/Phase_1_CI ${marked}`, at]], body);
      const { svc: ok } = await workspace(files(text));
      assert.deepEqual(mismatches(ok), [], body);
    }
    // Its own workstream is the one it names, not its heading's; a phase of that workstream it does not have is reported.
    const text = plan('### Deploy\n\n- [x] Build Phase 1: CI Setup\n- Build Phase 2: Deps\n- Phase 1: Envs\n- Build Phase 9: Ghost');
    const { svc } = await workspace({ ...files(text, failing), ...DEPLOY });
    assert.deepEqual(found(svc, text), [
      ['The plan marks Build/Phase_1_CI Complete ([x])', '[x]'],
      ['No phase "Build Phase 9: Ghost" exists under workstreams/: the plan lists a phase the project does not have.', 'Build Phase 9: Ghost'],
    ]);
    // Words before `Phase N` that are no workstream's name, or a phase not named alone or before its title: a note.
    const notes = plan(
      '- [x] Build Phase 1: CI Setup\n- [ ] Build Phase 2: Deps\n- [x] Ghost Phase 1: done\n- [x] Review of Phase 2 — Done\n- [x] Build Phase 2 once staging is up',
    );
    const { svc: svc2 } = await workspace(files(notes, failing));
    assert.deepEqual(found(svc2, notes), [['The plan marks Build/Phase_1_CI Complete ([x])', '[x]']]);
  });

  it('reads the words after the colon or dash that follows `Phase N` as its title when its status is given elsewhere, also a status word (`Phase 1: Testing`)', async () => {
    for (const [body, at, marked] of [
      ['### Completed\n\n- Build Phase 1: Testing\n\n### In Progress\n\n- Build Phase 2: Review', 'Build Phase 1: Testing', 'Complete (under "Completed")'],
      ['- Build\n  - Phase 1: Testing\n    - Status: Done\n  - Phase 2: Review\n    - Status: In progress', 'Done', 'Complete'],
      ['### Build\n\n#### Done\n\n- Phase 1 — Review\n\n#### Planned\n\n- Phase 2: Testing', 'Phase 1 — Review', 'Complete (under "Done")'],
      ['- Build\n  - **Phase 1** - Testing\n    - Status: ✅\n  - Phase 2', '✅', 'Complete (✅)'],
    ]) {
      const text = plan(body);
      const { svc } = await workspace(files(text, failing));
      assert.deepEqual(found(svc, text), [[`The plan marks Build/Phase_1_CI ${marked}`, at]], body);
      const { svc: ok } = await workspace(files(text));
      assert.deepEqual(mismatches(ok), [], body);
    }
    // A status of its own after its title or in parentheses still says two things with its heading's: not reported.
    const text = plan('### Completed\n\n- Build Phase 1: CI Setup — In progress\n- Build Phase 2 (testing)');
    const { svc } = await workspace(files(text, failing));
    assert.deepEqual(mismatches(svc), []);
  });

  it('reads a check mark after a colon as the status of an item whose title after a dash is a status word (`Phase 1 — Testing: ✅`)', async () => {
    for (const [body, at] of [
      ['- Build\n  - Phase 1 — Testing: ✅\n  - Phase 2', '✅'],
      ['- Build Phase 1 – Review: ✔\n- Build Phase 2', '✔'],
      ['### Build\n\n1. Phase 1 — Complete: ✅\n2. Phase 2', '✅'],
    ]) {
      const text = plan(body);
      const { svc } = await workspace(files(text, failing));
      assert.deepEqual(found(svc, text), [[`The plan marks Build/Phase_1_CI Complete (${at})`, at]], body);
      const { svc: ok } = await workspace(files(text));
      assert.deepEqual(mismatches(ok), [], body);
    }
  });

  it("adds a missing phase's item naming its workstream as its neighbours do, after its workstream's last", async () => {
    const text = plan('- [x] Build Phase 1: CI Setup — Done\n- [ ] Deploy Phase 1: Envs — Not started');
    const { fixed } = await fixEach(text, ['Build/Phase_2_Deps'], DEPLOY);
    assert.equal(fixed, plan('- [x] Build Phase 1: CI Setup — Done\n- [ ] Build Phase 2: CI Setup — Not started\n- [ ] Deploy Phase 1: Envs — Not started'));
    // Emphasis and separators kept, the workstream respelled for another workstream's phase.
    const bold = plan('- [x] **Build** — Phase 1: CI Setup\n- [ ] **Build** — Phase 2: Deps');
    const { fixed: fixed2, st } = await fixEach(bold, ['Deploy/Phase_1_Envs'], DEPLOY);
    assert.equal(
      fixed2,
      plan(
        `- [x] **Build** — Phase 1: CI Setup\n- [ ] **Build** — Phase 2: Deps\n- [${st('Deploy/Phase_1_Envs') === 'Complete' ? 'x' : ' '}] **Deploy** — Phase 1: CI Setup`,
      ),
    );
  });

  it('reads the phases under a parent item that names their workstream (`- Build` › `  - [x] Phase 1: …`)', async () => {
    for (const body of [
      '- Build\n  - [x] Phase 1: CI Setup\n  - [ ] Phase 2: Deps',
      '- **Build Workstream**:\n\n  1. [x] Phase 1: CI Setup\n  2. [ ] Phase 2: Deps — In progress',
      '1. 3.1. Build Workstream (iAI Managed)\n   - [x] Phase 1: CI Setup\n     - [x] Phase 7: notes of its own\n   - Phase 2: Deps',
    ]) {
      const text = plan(body);
      const { svc } = await workspace(files(text, failing));
      assert.deepEqual(found(svc, text), [['The plan marks Build/Phase_1_CI Complete ([x])', '[x]']], body);
    }
    // Another workstream's parent item: its phase 1 is not Build's; a parent item's own box is not read. (Deploy's phase
    // 2 is ticked: one not ticked would be a phase the plan lists ahead, not reported.)
    const text = plan('- [x] Build\n  - [ ] Phase 1: CI Setup\n  - [ ] Phase 2: Deps\n- Deploy\n  - [ ] Phase 1: Envs\n  - [x] Phase 2: Rollout');
    const { svc } = await workspace({ ...files(text, failing), ...DEPLOY });
    assert.deepEqual(found(svc, text), [
      ['No phase "Phase 2: Rollout" exists under workstreams/: the plan lists a phase the project does not have.', 'Phase 2: Rollout'],
    ]);
  });

  it("adds a missing phase's item under its workstream's parent item, or a parent item of its own", async () => {
    const text = plan('- **Build Workstream**\n  - [x] Phase 1: CI Setup — Done\n- **Test Workstream**\n  - [ ] Phase 1: Smoke — Not started');
    const extra = { ...DEPLOY, 'proj/workstreams/Test/Phase_1_Smoke/implementation_prompt.md': PROMPT };
    const { fixed, st } = await fixEach(text, ['Build/Phase_2_Deps', 'Deploy/Phase_1_Envs'], extra);
    assert.equal(
      fixed,
      plan(
        '- **Build Workstream**\n  - [x] Phase 1: CI Setup — Done\n  - [ ] Phase 2: CI Setup — Not started\n' +
          `- **Test Workstream**\n  - [ ] Phase 1: Smoke — Not started\n- **Deploy Workstream**\n  - [ ] Phase 1: CI Setup — ${st('Deploy/Phase_1_Envs')}`,
      ),
    );
    // An ordered, loose list of parent items counts on and stays loose.
    const loose = plan('1. Build\n\n   1. [x] Phase 1: CI Setup\n   2. [ ] Phase 2: Deps');
    const { fixed: fixed2 } = await fixEach(loose, ['Deploy/Phase_1_Envs'], DEPLOY);
    assert.match(fixed2, /\n {3}2\. \[ \] Phase 2: Deps\n\n2\. Deploy\n\n {3}1\. \[[ x]\] Phase 1: CI Setup\n\n## Notes/);
  });

  it('reads a status heading (`### Completed`, `### In Progress`) as the status of the items under it', async () => {
    for (const [body, heading] of [
      ['### Completed\n\n- Build/Phase_1_CI\n\n### In Progress\n\n- [Phase_2_Deps](workstreams/Build/Phase_2_Deps/)', 'Completed'],
      ['### ✅ Done (1)\n\n- Build Phase 1: CI Setup\n\n### Not started\n\n- Build Phase 2: Deps', '✅ Done (1)'],
      ['### Build Workstream\n\n#### Completed Phases\n\n- Phase 1: CI Setup\n\n#### Planned\n\n- Phase 2: Deps', 'Completed Phases'],
    ]) {
      const text = plan(body);
      const { svc } = await workspace(files(text, failing));
      const name = body.includes('Build/Phase_1_CI') ? 'Build/Phase_1_CI' : body.includes('Build Phase 1') ? 'Build Phase 1: CI Setup' : 'Phase 1: CI Setup';
      assert.deepEqual(found(svc, text), [[`The plan marks Build/Phase_1_CI Complete (under "${heading}")`, name]], body);
      const { svc: ok } = await workspace(files(text));
      assert.deepEqual(mismatches(ok), [], body);
    }
    // The item's own word or box first: an unchecked box or a status of its own under Completed is no completion.
    for (const item of ['- [ ] Build Phase 1: CI Setup', '- Build Phase 1: CI Setup — In progress']) {
      const { svc } = await workspace(files(plan(`### Completed\n\n${item}\n\n### In progress\n\n- Build Phase 2: Deps`), failing));
      assert.deepEqual(mismatches(svc), [], item);
    }
  });

  it("adds a missing phase's item under the heading of its status, or a heading of its own after the last", async () => {
    const text = plan('### Completed\n\n- [x] Build Phase 1: CI Setup\n\n### Not started\n\n- [ ] Deploy Phase 1: Envs');
    const { fixed } = await fixEach(text, ['Build/Phase_2_Deps'], DEPLOY);
    assert.equal(fixed, plan('### Completed\n\n- [x] Build Phase 1: CI Setup\n\n### Not started\n\n- [ ] Deploy Phase 1: Envs\n- [ ] Build Phase 2: CI Setup'));
    const two = plan('### Completed\n\n- [x] Build Phase 1: CI Setup\n\n### In Progress\n\n- [ ] Build/Phase_2_Deps');
    const { fixed: fixed2, st } = await fixEach(two, ['Deploy/Phase_1_Envs'], DEPLOY);
    const status = st('Deploy/Phase_1_Envs');
    const title = status === 'Not started' ? 'Not Started' : status === 'In progress' ? 'In Progress' : status;
    // Named as the last item of the last status's list names its phase: by its id.
    const where = status === 'In progress' ? two.replace('- [ ] Build/Phase_2_Deps', '- [ ] Build/Phase_2_Deps\n- [ ] Deploy/Phase_1_Envs') : '';
    assert.equal(fixed2, where || two.replace('- [ ] Build/Phase_2_Deps\n', `- [ ] Build/Phase_2_Deps\n\n### ${title}\n\n- [ ] Deploy/Phase_1_Envs\n`));
    // Status headings under each workstream's: a new workstream's heading with the heading of its status under it.
    const byWs = plan('### Build Workstream\n\n#### Completed\n\n- [x] Phase 1: CI Setup\n\n#### In Progress\n\n- [ ] Phase 2: Deps');
    const { fixed: fixed3 } = await fixEach(byWs, ['Deploy/Phase_1_Envs'], DEPLOY);
    const known = status === 'Complete' ? 'Completed' : title;
    const box = status === 'Complete' ? 'x' : ' ';
    assert.equal(
      fixed3,
      byWs.replace('- [ ] Phase 2: Deps\n', `- [ ] Phase 2: Deps\n\n### Deploy Workstream\n\n#### ${known}\n\n- [${box}] Phase 1: CI Setup\n`),
    );
    // Workstream headings under each status's: under the heading of its status (one of its own after the last when there is none).
    const byStatus = plan('### Completed\n\n#### Build\n\n- [x] Phase 1: CI Setup\n\n### In Progress\n\n#### Build\n\n- [ ] Phase 2: Deps');
    const { fixed: fixed4 } = await fixEach(byStatus, ['Deploy/Phase_1_Envs'], DEPLOY);
    const section = status === 'In progress' || status === 'Complete' ? '' : `\n\n### ${title}`;
    const at = status === 'Complete' ? '- [x] Phase 1: CI Setup\n' : '- [ ] Phase 2: Deps\n';
    assert.equal(fixed4, byStatus.replace(at, `${at.trimEnd()}${section}\n\n#### Deploy\n\n- [${box}] Phase 1: CI Setup\n`));
  });

  it('reads a `Status: …` sub-item as its item’s status, and writes a missing phase’s item with one', async () => {
    const body =
      '### Build Workstream\n\n- Phase 1: CI Setup\n  - Owner: Dana\n  - **Status:** ✅ Complete (2025-03-01)\n- Phase 2: Deps\n  - Status: In progress';
    const text = plan(body);
    const { svc } = await workspace(files(text, failing));
    assert.deepEqual(found(svc, text), [['The plan marks Build/Phase_1_CI Complete', '✅ Complete']]);
    const vi = plan('- **Phase 1: CI Setup (iAI Prompt-Driven)**\n    - **Description:** CI.\n    - Status — Verified & Integrated\n- Phase 2');
    const { svc: svc2 } = await workspace(files(vi.replace('## Phase Status\n\n', '## Phase Status\n\n### 3.1. Build Workstream (iAI Managed)\n\n'), failing));
    assert.deepEqual(
      mismatches(svc2).map((d) => d.message.replace(/, but .*/, '')),
      ['The plan marks Build/Phase_1_CI Verified & Integrated'],
    );
    // Its own status or an unchecked box first.
    for (const item of ['- [ ] Phase 1: CI Setup\n  - Status: Complete', '- Phase 1: CI Setup — In progress\n  - Status: Complete']) {
      const { svc: svc3 } = await workspace(files(plan(`### Build Workstream\n\n${item}\n- Phase 2: Deps`), failing));
      assert.deepEqual(mismatches(svc3), [], item);
    }
    // The quick fix writes the status in a sub-item as the neighbour's; a new workstream's list has its own heading.
    const one = plan('### Build Workstream\n\n- Phase 1: CI Setup\n  - Owner: Dana\n  - **Status:** Complete');
    const { fixed, st } = await fixEach(one, ['Build/Phase_2_Deps', 'Deploy/Phase_1_Envs'], DEPLOY);
    assert.equal(
      fixed,
      plan(
        '### Build Workstream\n\n- Phase 1: CI Setup\n  - Owner: Dana\n  - **Status:** Complete\n- Phase 2: CI Setup\n  - **Status:** Not started\n\n' +
          `### Deploy Workstream\n\n- Phase 1: CI Setup\n  - **Status:** ${st('Deploy/Phase_1_Envs')}`,
      ),
    );
  });

  it('reads hostile items and headings of these shapes in time linear in their length', async () => {
    const body = (n: number) =>
      [
        `### Completed${' 1'.repeat(n / 2)} x`,
        '',
        `- Build${' '.repeat(n)}x`,
        `- Build ${'-'.repeat(n)} Phase 1`,
        `- Build${' Phase'.repeat(n / 6)}`,
        `- Build${' Phase_'.repeat(n / 7)}`,
        `- ${'Build '.repeat(n / 6)}Phase 1: CI Setup`,
        `- Build${'_'.repeat(n)}:Phase 2`,
        '- Build',
        `  - Status:${' '.repeat(n)}x`,
        `  - **Status**${' '.repeat(n)}`,
        `  - Status: Done${' ('.repeat(n / 2)}`,
        `- 1${'.1'.repeat(n / 2)}x`,
        `  - Phase 1${' - '.repeat(n / 3)}`,
      ].join('\n');
    const text = (n: number) => plan(`### Build Workstream\n\n- Phase 1: CI Setup\n- Phase 2: Deps\n\n${body(n)}`);
    const { svc } = await workspace(files(text(60_000)));
    assert.deepEqual(mismatches(svc), []);
    // The plan set again in each run, so that each reads it again.
    assertLinear(
      'hostile plan items and headings',
      overlaid(svc, `${ROOT}/${PLAN}`, text, () => assert.deepEqual(mismatches(svc), [])),
      { n: 3750 },
    );
  });

  it('`new prompt` adds the new phase to a plan of these shapes as the quick fix does', async () => {
    for (const [body, added] of [
      ['- [x] Build Phase 1: CI Setup\n- [ ] Build Phase 2: Deps', '\n- [ ] Build Phase 3: Registry'],
      ['- Build\n  - [x] Phase 1: CI Setup\n  - [ ] Phase 2: Deps', '\n  - [ ] Phase 3: Registry'],
      ['### Completed\n\n- Build/Phase_1_CI\n\n### Planned\n\n- Build/Phase_2_Deps', '\n- Build/Phase_3_Registry'],
      ['### Build\n\n- Phase 1: CI Setup\n  - Status: Done\n- Phase 2: Deps\n  - Status: Planned', '\n- Phase 3: Registry\n  - Status: Planned'],
    ]) {
      const text = plan(body);
      const { svc } = await workspace(files(text));
      const made = planNew(svc, { what: 'prompt', workstream: 'Build', title: 'Registry', date: '2025-01-07' });
      assert.deepEqual(
        made.edits.map((e) => e.reason),
        ['item of Build/Phase_3_Registry added'],
        body,
      );
      assert.equal(applyEdits(made.edits[0].text, made.edits[0].edits), plan(body + added), body);
    }
  });
});
