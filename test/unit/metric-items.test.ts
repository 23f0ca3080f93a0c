/**
 * Success metrics listed with a dash for the colon (`Code coverage — 70%`) and durations written as clocks
 * (`6:45`, `00:06:12`), and the list items that are no metrics: a risk and its mitigation, a date, a version, a time of day.
 */
import * as assert from 'node:assert/strict';
import { workspace, diagnosticsOf, ROOT } from '../helpers/workspace';
import { assertLinear, overlaid } from '../helpers/linear';
import { parseQuantity, parseThreshold, meets } from '../../server/src/service/rules/doc-quantity';

const VALIDATION = 'phase-6/07-VALIDATION.md';

async function reported(items: string[]): Promise<[number, string][]> {
  const text = ['# Phase 6 Validation', '', '## Success Metrics', '', ...items, ''].join('\n');
  const { svc } = await workspace({ [VALIDATION]: text });
  const lines = text.split('\n');
  return diagnosticsOf(svc, VALIDATION, 'metric-threshold').map((d) => [
    d.range.start.line - 4,
    `${lines[d.range.start.line].slice(d.range.start.character, d.range.end.character)} | ${d.message}`,
  ]);
}

describe('metric-threshold: a dash for the colon, durations as clocks', () => {
  it('reads `Name — value`, `Name - value` and `Name – value` as `Name: value`', async () => {
    assert.deepEqual(
      await reported([
        '- Code coverage — 70%',
        '- Test coverage - 70%',
        '- **Code coverage** – 72% (target: >= 75%)',
        '- ❌ Code coverage—71%',
        '- Documentation coverage - 100%',
        '- Code coverage - 85%',
      ]),
      [
        [0, '70% | Code coverage is 70%; target > 80%'],
        [1, '70% | Test coverage is 70%; target > 80%'],
        [2, '72% | Code coverage is 72%; target >= 75%'],
        [3, '71% | Code coverage is 71%; target > 80%'],
      ],
    );
  });

  it('reads durations written as clocks, minutes:seconds and hours:minutes:seconds, against `< 5 minutes`', async () => {
    assert.deepEqual(
      await reported([
        '- Test execution time: 00:06:12',
        '- Container build time: 6:45',
        '- Alert response time — 4:30',
        '- Deployment time: 1:05:00',
        '- Rollback time: 1:30 min',
        '- MTTR: 0:45 h',
        '- Test execution time: 4:59.',
      ]),
      [
        [0, '00:06:12 | Test execution time is 00:06:12; target < 5 minutes'],
        [1, '6:45 | Container build time is 6:45; target < 5 minutes'],
        [3, '1:05:00 | Deployment time is 1:05:00; target < 10 minutes'],
        [5, '0:45 h | MTTR is 0:45 h; target < 30 minutes'],
      ],
    );
  });

  it('leaves list items that are no metrics alone: a risk and its mitigation, a date, a version, a time of day, a ratio', async () => {
    assert.deepEqual(
      await reported([
        '- Risk - mitigation',
        '- Coverage work slips - timebox per module',
        '- Code coverage - unit tests only',
        '- Release date - 2025-03-01',
        '- Code coverage - 2025-03-01',
        '- Deployment time - 1.2.3',
        '- Deployment time: v1.2.3',
        '- Deployment time: at 14:30',
        '- Deployment time: 14:30 UTC',
        '- Alert response time - 2:30 PM',
        '- Test execution time: 12:00 noon',
        '- Test execution time: 1:2',
        '- Container build time: 6:45:00:00',
        '- Container build time: 10:75',
        '- Deployment time: 6:45 - 7:30',
        '- Test execution time - 6:45 (baseline)',
      ]),
      [],
    );
  });

  it('checks a long list item in time linear in its length, whatever runs of spaces and stars it holds', async () => {
    const items = (n: number) => [`- a${' '.repeat(n)}x -`, `- a${' '.repeat(n)}x:`, `- a: 5${' '.repeat(n)}x`, `- a${' '.repeat(n / 4)}${'*'.repeat(n / 4)}x`];
    const text = (n: number) => ['# Phase 6 Validation', '', '## Success Metrics', '', ...items(n), ''].join('\n');
    assert.deepEqual(await reported(items(20_000)), []);
    // From runs of 1,250 to 20,000, the document set again in each run.
    const { svc } = await workspace({ [VALIDATION]: text(20_000) });
    assertLinear(
      'list items with runs of n spaces and stars',
      overlaid(svc, `${ROOT}/${VALIDATION}`, text, () => assert.deepEqual(diagnosticsOf(svc, VALIDATION, 'metric-threshold'), [])),
      { n: 1250 },
    );
  });

  it('parses clocks as durations, not times of day or what is no clock', () => {
    const cases: [string, number][] = [
      ['6:45', 405],
      ['00:06:12', 372],
      ['1:30 h', 5400],
      ['1:30 hours', 5400],
      ['6:45 min', 405],
      ['6:45 (p95)', 405],
      ['6:45.5', 405.5],
    ];
    for (const [text, s] of cases) assert.deepEqual(parseQuantity(text), { value: s, unit: 's' }, text);
    for (const text of [
      '14:30 UTC',
      '9:00 CET',
      '2:30 PM',
      '2:30 p.m.',
      'at 14:30',
      '12:00 noon',
      '1:2',
      '16:9',
      '1:2:3:4',
      '10:75',
      '00:06:12 min',
      '6:45 30s',
      '5:00-6:00',
    ]) {
      assert.equal(parseQuantity(text), undefined, text);
    }
    assert.equal(meets(parseQuantity('4:59')!, parseThreshold('< 5 minutes')!), true);
    assert.equal(meets(parseQuantity('5:01')!, parseThreshold('< 5 minutes')!), false);
    assert.deepEqual(parseThreshold('< 5:00'), { op: '<', value: 300, unit: 's' });
    // A clock is a duration: never compared with a percentage or a count.
    assert.equal(meets(parseQuantity('6:45')!, parseThreshold('> 80%')!), undefined);
  });
});

describe('metric-threshold: a target written without a comparison', () => {
  it("is read in the direction of its metric's threshold: a time limit is at most, a coverage or a retention at least", async () => {
    const rows = [
      ['Test execution time', '5 minutes', '4.2 minutes'],
      ['Test execution time', '5 minutes', '6 minutes'],
      ['High vulnerabilities', '5', '2'],
      ['High vulnerabilities', '5', '6'],
      ['Log retention', '30 days', '40 days'],
      ['Log retention', '30 days', '20 days'],
      ['Code coverage', '85%', '85%'],
      ['Code coverage', '85%', '84%'],
      ['Critical vulnerabilities', '0', '1'],
      // A metric with no threshold of its own: `0` at most, anything else at least.
      ['Build time', '5 minutes', '4 minutes'],
      // Written with its comparison, a target is read as written.
      ['Test execution time', '>= 5 minutes', '4 minutes'],
      // A part of a compound target, in the direction of the metric its words name (High vulnerabilities: `< 5`).
      ['Security vulnerabilities', '0 critical, 5 high', '0 critical, 3 high'],
      ['Security vulnerabilities', '0 critical, 5 high', '0 critical, 6 high'],
      ['Tests', '100 unit, 20 e2e', '120 unit, 10 e2e'],
    ];
    const text = [
      '# Phase 6 Validation',
      '',
      '## Success Metrics',
      '',
      '| Metric | Target | Actual |',
      '|---|---|---|',
      ...rows.map((r) => `| ${r.join(' | ')} |`),
      '',
    ].join('\n');
    const { svc } = await workspace({ [VALIDATION]: text });
    assert.deepEqual(
      diagnosticsOf(svc, VALIDATION, 'metric-threshold').map((d) => [d.range.start.line - 6, d.message]),
      [
        // How each was read, and, where no threshold of its metric gave the direction, how to write it.
        [
          1,
          'Test execution time is 6 minutes; target 5 minutes (read as <= 5 minutes, in the direction of the threshold for Test execution time, < 5 minutes)',
        ],
        [3, 'High vulnerabilities is 6; target 5 (read as <= 5, in the direction of the threshold for High vulnerabilities, < 5)'],
        [5, 'Log retention is 20 days; target 30 days (read as >= 30 days, in the direction of the threshold for Log retention, >= 30 days)'],
        [7, 'Code coverage is 84%; target 85% (read as >= 85%, in the direction of the threshold for Code coverage, > 80%)'],
        [8, 'Critical vulnerabilities is 1; target 0'],
        // Build time's 4 minutes meets 5 minutes: a time taken is at most.
        [10, 'Test execution time is 4 minutes; target >= 5 minutes'],
        [12, 'Security vulnerabilities is 0 critical, 6 high; target 0 critical, 5 high (missed: high)'],
        [13, 'Tests is 120 unit, 10 e2e; target 100 unit, 20 e2e (missed: e2e)'],
      ],
    );
  });
});

describe('metric-threshold: a configured threshold written without a comparison', () => {
  it('takes the direction of the built-in metric of its name, else is at most for a time taken, else at least (0: at most)', async () => {
    const config = [
      'metrics:',
      '  - name: Test execution time',
      '    threshold: "5 minutes"',
      '  - name: Build time',
      '    threshold: "5 minutes"',
      '  - name: Lint score',
      '    threshold: "80"',
      '',
    ].join('\n');
    const rows = [
      ['Test execution time', '4 minutes'],
      ['Test execution time', '6 minutes'],
      ['Build time', '4 minutes'],
      ['Build time', '6 minutes'],
      ['Lint score', '70'],
    ];
    const text = [
      '# Phase 6 Validation',
      '',
      '## Success Metrics',
      '',
      '| Metric | Actual |',
      '|---|---|',
      ...rows.map((r) => `| ${r.join(' | ')} |`),
      '',
    ].join('\n');
    const { svc } = await workspace({ 'phasegate.yaml': config, [VALIDATION]: text });
    assert.deepEqual(
      diagnosticsOf(svc, VALIDATION, 'metric-threshold').map((d) => [d.range.start.line - 6, d.message]),
      [
        [
          1,
          'Test execution time is 6 minutes; target 5 minutes (read as <= 5 minutes, in the direction of the built-in threshold for Test execution time, < 5 minutes)',
        ],
        [3, 'Build time is 6 minutes; target 5 minutes (read as <= 5 minutes, as a time taken is: write `>= 5 minutes` for at least)'],
        [4, 'Lint score is 70; target 80 (read as >= 80: write the comparison, `>= 80` or `<= 80`)'],
      ],
    );
  });
});
