/**
 * metric-threshold and the values a phase records as baselines (the Foundation Audit & Baseline phase of the phase system
 * design measures them), and targets written without a comparison (`80 %`): how they are read, and what the message says.
 */
import * as assert from 'node:assert/strict';
import { workspace, diagnosticsOf } from '../helpers/workspace';

const VALIDATION = 'phase-1/07-VALIDATION.md';

async function messages(body: string[]): Promise<string[]> {
  const text = ['# Phase 1 Validation', '', ...body, ''].join('\n');
  const { svc } = await workspace({ [VALIDATION]: text });
  return diagnosticsOf(svc, VALIDATION, 'metric-threshold')
    .sort((a, b) => a.range.start.line - b.range.start.line)
    .map((d) => `${d.range.start.line}: ${d.message}`);
}

describe('metric-threshold: baselines and bare targets', () => {
  it('in phase 1 (and 0) says how to mark a baseline, which written so is then not judged; in another phase it does not', async () => {
    const body = (v: string) =>
      [
        '# Validation',
        '',
        '| Metric | Target | Actual |',
        '|---|---|---|',
        `| Code coverage | > 80% | ${v} |`,
        '',
        '## Success Metrics',
        '',
        `- Test execution time: ${v === '62%' ? '9 min' : v}`,
        '',
      ].join('\n');
    const files: Record<string, string> = {};
    for (const n of [0, 1, 2, 3]) files[`phase-${n}/07-VALIDATION.md`] = body('62%');
    const { svc } = await workspace(files);
    const of = (n: number) => diagnosticsOf(svc, `phase-${n}/07-VALIDATION.md`, 'metric-threshold').map((d) => d.message);
    for (const n of [0, 1])
      assert.deepEqual(of(n), [
        `Code coverage is 62%; target > 80%. In phase ${n}, mark a baseline so that it is not judged: \`62% (baseline)\``,
        `Test execution time is 9 min; target < 5 minutes. In phase ${n}, mark a baseline so that it is not judged: \`9 min (baseline)\``,
      ]);
    for (const n of [2, 3]) assert.deepEqual(of(n), ['Code coverage is 62%; target > 80%', 'Test execution time is 9 min; target < 5 minutes']);
    // Written as the hint says, neither is judged.
    const marked = body('62%').replace('| 62% |', '| 62% (baseline) |').replace('9 min', '9 min (baseline)');
    const { svc: after } = await workspace({ 'phase-1/07-VALIDATION.md': marked });
    assert.deepEqual(diagnosticsOf(after, 'phase-1/07-VALIDATION.md', 'metric-threshold'), []);
  });

  it('does not judge a table row whose value or name is marked as a baseline, as it does not judge such a list item', async () => {
    assert.deepEqual(
      await messages([
        '## Success Metrics',
        '',
        '| Metric | Target | Actual |',
        '|---|---|---|',
        '| Code coverage | > 80% | 45 % (baseline) |',
        '| Critical vulnerabilities | 0 | 2 (baseline) |',
        '| Code coverage (before) | > 80% | 45% |',
        '| Test execution time | < 5 minutes | baseline 9 minutes |',
        '| High vulnerabilities | < 5 | 9 |',
        '',
        '## Quality Metrics',
        '',
        '- Coverage: 45 % (baseline)',
        '- Coverage: 45 %',
      ]),
      // The unmarked ones are results, and judged.
      [
        '10: High vulnerabilities is 9; target < 5. In phase 1, mark a baseline so that it is not judged: `9 (baseline)`',
        '15: Coverage is 45 %; target > 80%. In phase 1, mark a baseline so that it is not judged: `45 % (baseline)`',
      ],
    );
  });

  it('says how it read a target written without a comparison, and, where no threshold of its metric gave the direction, how to write it', async () => {
    assert.deepEqual(
      await messages([
        '## Quality Metrics',
        '',
        '- Code coverage: 70 % (Target: 80 %)',
        '- Lint score: 70 % (Target: 80 %)',
        '- Test execution time: 7 minutes (target: 5 minutes)',
        '- Open incidents: 3 (target: 0)',
        '- Lint score: 70 % (target: >= 80 %)',
        '',
        '## Success Metrics',
        '',
        '| Metric | Target | Actual |',
        '|---|---|---|',
        '| Mutation score | 80 | 60 |',
      ]),
      [
        '4: Code coverage is 70 %; target 80 % (read as >= 80 %, in the direction of the threshold for Code coverage, > 80%). In phase 1, mark a baseline so that it is not judged: `70 % (baseline)`',
        '5: Lint score is 70 %; target 80 % (read as >= 80 %: write the comparison, `>= 80 %` or `<= 80 %`). In phase 1, mark a baseline so that it is not judged: `70 % (baseline)`',
        '6: Test execution time is 7 minutes; target 5 minutes (read as <= 5 minutes, in the direction of the threshold for Test execution time, < 5 minutes). In phase 1, mark a baseline so that it is not judged: `7 minutes (baseline)`',
        // `0` is at most, and a comparison written is read as written: nothing to add.
        '7: Open incidents is 3; target 0. In phase 1, mark a baseline so that it is not judged: `3 (baseline)`',
        '8: Lint score is 70 %; target >= 80 %. In phase 1, mark a baseline so that it is not judged: `70 % (baseline)`',
        '14: Mutation score is 60; target 80 (read as >= 80: write the comparison, `>= 80` or `<= 80`). In phase 1, mark a baseline so that it is not judged: `60 (baseline)`',
      ],
    );
  });

  it('holds Documentation coverage to its built-in threshold with a comparison: the template row, and a bare 100 %, need no hint to write one', async () => {
    assert.deepEqual(
      await messages([
        '## Success Metrics',
        '',
        '| Metric | Target | Actual |',
        '|---|---|---|',
        '| Documentation coverage | >= 100% | 71% |',
        '| Documentation coverage | 100% | 71% |',
        '| Documentation coverage | 100% | 100% |',
      ]),
      [
        '6: Documentation coverage is 71%; target >= 100%. In phase 1, mark a baseline so that it is not judged: `71% (baseline)`',
        '7: Documentation coverage is 71%; target 100% (read as >= 100%, in the direction of the threshold for Documentation coverage, >= 100%). In phase 1, mark a baseline so that it is not judged: `71% (baseline)`',
      ],
    );
  });

  it('reads a bare target of a time taken (`Page load time`, `API latency`) as at most, as every built-in time is, and says so', async () => {
    assert.deepEqual(
      await messages([
        '## Success Metrics',
        '',
        '| Metric | Target | Actual |',
        '|---|---|---|',
        '| Page load time | 2s | 1.4s |',
        '| Page load time | 2s | 3.1s |',
        '| API latency (p95) | 300 ms | 250 ms |',
        '| Build duration | 10 minutes | 12 minutes |',
        '| Mean time between failures | 30 days | 12 days |',
        '| Session time | >= 5 minutes | 3 minutes |',
      ]),
      [
        '7: Page load time is 3.1s; target 2s (read as <= 2s, as a time taken is: write `>= 2s` for at least). In phase 1, mark a baseline so that it is not judged: `3.1s (baseline)`',
        '9: Build duration is 12 minutes; target 10 minutes (read as <= 10 minutes, as a time taken is: write `>= 10 minutes` for at least). In phase 1, mark a baseline so that it is not judged: `12 minutes (baseline)`',
        '10: Mean time between failures is 12 days; target 30 days (read as >= 30 days: write the comparison, `>= 30 days` or `<= 30 days`). In phase 1, mark a baseline so that it is not judged: `12 days (baseline)`',
        '11: Session time is 3 minutes; target >= 5 minutes. In phase 1, mark a baseline so that it is not judged: `3 minutes (baseline)`',
      ],
    );
  });
});
