/**
 * Metric thresholds scoped by phase (`metrics[].phases` in phasegate.yaml), as the phase system design sets
 * success metrics per group of phases (Phase 1-2, Phase 3-5): how the config reads them, which threshold the
 * metric rule holds a phase to, and which thresholds a phase's templates list.
 */
import * as assert from 'node:assert/strict';
import { workspace, diagnosticsOf, ROOT } from '../helpers/workspace';
import { PhasegateService, baseContext, renderKind } from '../../server/src/service';
import { planNew } from '../../server/src/service/scaffold';

const DATE = '2026-01-02';

/** The invalid-config problems of `config`: the text each is reported at, and its message. */
async function configProblems(config: string): Promise<[string, string][]> {
  const { svc } = await workspace({ 'phasegate.yaml': config });
  const lines = config.split('\n');
  return svc.config.problems.map((p) => [lines[p.range.start.line].slice(p.range.start.character, p.range.end.character), p.message]);
}

/** The metrics in force of the workspace config: name, threshold and scope label of each (scoped ones first). */
function scopes(svc: PhasegateService): string[] {
  return svc.config.metrics
    .filter((m) => (m as { scope?: unknown }).scope)
    .map((m) => `${m.name}: ${m.threshold} (${(m as { scope?: { label: string } }).scope?.label})`);
}

/** A validation document of phase `n` whose Success Metrics table reports `rows` (metric, actual), without targets. */
function validation(n: number, rows: [string, string][]): string {
  return [`# Phase ${n} Validation`, '', '## Success Metrics', '', '| Metric | Actual |', '|---|---|', ...rows.map(([m, a]) => `| ${m} | ${a} |`), ''].join(
    '\n',
  );
}

/** The metric-threshold messages of phase `n`'s validation document. */
function misses(svc: PhasegateService, n: number): string[] {
  return diagnosticsOf(svc, `phase-${n}/07-VALIDATION.md`, 'metric-threshold').map((d) => d.message);
}

describe('metric scope: phasegate.yaml metrics[].phases', () => {
  it('reads a phase number, a range, numbers and ranges, and a list of either', async () => {
    const config = [
      'metrics:',
      '  - name: Code coverage',
      '    threshold: ">= 90%"',
      '    phases: "1-2"',
      '  - name: Deployment time',
      '    threshold: "< 8 minutes"',
      '    phases: "3-5, 7"',
      '  - name: Rollback time',
      '    threshold: "< 1 minute"',
      '    phases: [1, 2, "4 - 6"]',
      '  - name: Uptime SLA',
      '    threshold: ">= 99.99%"',
      '    phases: 8',
      '  - name: Log retention',
      '    threshold: ">= 90 days"',
      '    phases: ["6", 7, 7]',
      '',
    ].join('\n');
    const { svc } = await workspace({ 'phasegate.yaml': config });
    assert.deepEqual(svc.config.problems, []);
    assert.deepEqual(scopes(svc), [
      'Code coverage: >= 90% (phases 1-2)',
      'Deployment time: < 8 minutes (phases 3-5, 7)',
      'Rollback time: < 1 minute (phases 1-2, 4-6)',
      'Uptime SLA: >= 99.99% (phase 8)',
      'Log retention: >= 90 days (phases 6-7)',
    ]);
    // A name given for some phases only leaves the built-in threshold to the others.
    assert.deepEqual(
      svc.config.metrics.filter((m) => m.name === 'Code coverage').map((m) => m.threshold),
      ['>= 90%', '> 80%'],
    );
  });

  it('refuses a range that runs down (`5-3`) at its value, and leaves the entry out', async () => {
    const config = ['metrics:', '  - name: Code coverage', '    threshold: ">= 90%"', '    phases: "1-2, 5-3"', ''].join('\n');
    assert.deepEqual(await configProblems(config), [['"1-2, 5-3"', 'metrics[0].phases: `5-3` runs down: write the lower phase first, `3-5`']]);
    const { svc } = await workspace({ 'phasegate.yaml': config });
    assert.deepEqual(
      svc.config.metrics.filter((m) => m.name === 'Code coverage').map((m) => m.threshold),
      ['> 80%'],
    );
  });

  it('refuses what is no phase number or range, by the config schema, with words that say what to write', async () => {
    const how = 'write phase numbers and ranges, as `3`, `"1-2"`, `"3-5, 7"` or `[1, 2]`';
    const cases: [string, [string, string][]][] = [
      ['"x"', [['"x"', `metrics[0].phases: \`x\` is no list of phase numbers and ranges: ${how}`]]],
      ['"1-"', [['"1-"', `metrics[0].phases: \`1-\` is no list of phase numbers and ranges: ${how}`]]],
      ['"phase 3"', [['"phase 3"', `metrics[0].phases: \`phase 3\` is no list of phase numbers and ranges: ${how}`]]],
      ['[1, "two"]', [['"two"', `metrics[0].phases[1]: \`two\` is no list of phase numbers and ranges: ${how}`]]],
      ['-1', [['-1', 'metrics[0].phases must be >= 0']]],
      ['1.5', [['1.5', 'metrics[0].phases must be integer or string or a list']]],
      ['[]', [['[]', 'metrics[0].phases must NOT have fewer than 1 items']]],
      ['true', [['true', 'metrics[0].phases must be integer or string or a list']]],
    ];
    for (const [value, expected] of cases) {
      const config = ['metrics:', '  - name: Code coverage', '    threshold: ">= 90%"', `    phases: ${value}`, ''].join('\n');
      assert.deepEqual(await configProblems(config), expected, value);
    }
  });

  it('takes two entries of one name with disjoint scopes, and refuses a second whose scope overlaps (in any case of the name)', async () => {
    const config = [
      'metrics:',
      '  - name: Code coverage',
      '    threshold: ">= 90%"',
      '    phases: "1-2"',
      '  - name: Code coverage',
      '    threshold: ">= 60%"',
      '    phases: "3-5"',
      '  - name: code coverage',
      '    threshold: ">= 70%"',
      '    phases: [6, 2]',
      '  - name: Code coverage',
      '    threshold: ">= 85%"',
      '',
    ].join('\n');
    assert.deepEqual(await configProblems(config), [
      [
        '[6, 2]',
        'metrics[2].phases: `code coverage` has a threshold for phases 1-2 at metrics[0], and phase 2 is in both; give a phase one threshold of a metric (left out)',
      ],
    ]);
    const { svc } = await workspace({ 'phasegate.yaml': config });
    assert.deepEqual(scopes(svc), ['Code coverage: >= 90% (phases 1-2)', 'Code coverage: >= 60% (phases 3-5)']);
    // The unscoped entry replaces the built-in one.
    assert.deepEqual(
      svc.config.metrics.filter((m) => m.name.toLowerCase() === 'code coverage').map((m) => m.threshold),
      ['>= 90%', '>= 60%', '>= 85%'],
    );
  });

  it('refuses a second entry whose scope overlaps that names the metric by another of its names (an alias of the first, or the first by one of its aliases)', async () => {
    const config = [
      'metrics:',
      '  - name: Code coverage',
      '    aliases: [Coverage]',
      '    threshold: ">= 90%"',
      '    phases: "1-2"',
      '  - name: coverage',
      '    threshold: ">= 70%"',
      '    phases: 2',
      '  - name: Unit coverage',
      '    aliases: [Code  Coverage]',
      '    threshold: ">= 60%"',
      '    phases: "2-3"',
      '  - name: Coverage',
      '    threshold: ">= 50%"',
      '    phases: 3',
      '',
    ].join('\n');
    assert.deepEqual(await configProblems(config), [
      [
        '2',
        'metrics[1].phases: `coverage` and `Code coverage` at metrics[0] are one metric (a row named `coverage` is either), which has a threshold for phases 1-2 there, and phase 2 is in both; give a phase one threshold of a metric (left out)',
      ],
      [
        '"2-3"',
        'metrics[2].phases: `Unit coverage` and `Code coverage` at metrics[0] are one metric (a row named `Code  Coverage` is either), which has a threshold for phases 1-2 there, and phase 2 is in both; give a phase one threshold of a metric (left out)',
      ],
    ]);
    const { svc } = await workspace({ 'phasegate.yaml': config });
    assert.deepEqual(scopes(svc), ['Code coverage: >= 90% (phases 1-2)', 'Coverage: >= 50% (phase 3)']);
  });

  it("checks a custom layout's own scoped metrics the same way", async () => {
    const config = [
      'layouts:',
      '  - name: sprint',
      '    phases: "sprints/*"',
      '    documents:',
      '      - kind: goals',
      '        file: GOALS.md',
      '    metrics:',
      '      - name: Velocity',
      '        threshold: ">= 20"',
      '        phases: "1-3"',
      '      - name: Velocity',
      '        threshold: ">= 30"',
      '        phases: "3-4"',
      '      - name: Velocity',
      '        threshold: ">= 40"',
      '        phases: "9-8"',
      '',
    ].join('\n');
    const found = await configProblems(config);
    assert.deepEqual(
      found.map(([at, message]) => [at, message.split(':')[0]]),
      [
        ['"3-4"', 'layouts[0].metrics[1].phases'],
        ['"9-8"', 'layouts[0].metrics[2].phases'],
      ],
    );
    assert.match(found[0][1], /has a threshold for phases 1-3 at layouts\[0\]\.metrics\[0\], and phase 3 is in both/);
  });
});

describe('metric scope: the threshold metric-threshold holds a phase to', () => {
  const config = [
    'metrics:',
    '  - name: Code coverage',
    '    aliases: [Coverage]',
    '    threshold: ">= 90%"',
    '    phases: "1-2"',
    '  - name: Code coverage',
    '    aliases: [Coverage]',
    '    threshold: ">= 60%"',
    '    phases: "3-5"',
    '  - name: Security vulnerabilities',
    '    threshold: "0 critical, < 3 high"',
    '    phases: 3',
    '  - name: High vulnerabilities',
    '    aliases: [Security vulnerabilities (high)]',
    '    threshold: "< 2"',
    '    phases: [1, 2]',
    '  - name: Deployment time',
    '    threshold: "< 8 minutes"',
    '',
  ].join('\n');
  const rows: [string, string][] = [
    ['Code coverage', '75%'],
    ['Coverage', '85% lines, 50% branches'],
    ['Security vulnerabilities', '0 critical, 4 high'],
    ['Deployment time', '9 minutes'],
  ];

  it('a phase takes the entry whose scope names it, else the unscoped one, else the built-in; a scoped one says so', async () => {
    const { svc } = await workspace({
      'phasegate.yaml': config,
      'phase-1/07-VALIDATION.md': validation(1, rows),
      'phase-3/07-VALIDATION.md': validation(3, rows),
      'phase-6/07-VALIDATION.md': validation(6, rows),
    });
    assert.deepEqual(svc.config.problems, []);
    assert.deepEqual(misses(svc, 1), [
      'Code coverage is 75%; target >= 90% (phases 1-2). In phase 1, mark a baseline so that it is not judged: `75% (baseline)`',
      'Coverage is 85% lines, 50% branches; target >= 90% (phases 1-2; missed: lines, branches). In phase 1, mark a baseline so that it is not judged: `85% lines, 50% branches (baseline)`',
      'Security vulnerabilities is 0 critical, 4 high; target < 2 high (phases 1-2) (missed: high). In phase 1, mark a baseline so that it is not judged: `0 critical, 4 high (baseline)`',
      'Deployment time is 9 minutes; target < 8 minutes. In phase 1, mark a baseline so that it is not judged: `9 minutes (baseline)`',
    ]);
    assert.deepEqual(misses(svc, 3), [
      'Coverage is 85% lines, 50% branches; target >= 60% (phases 3-5; missed: branches)',
      'Security vulnerabilities is 0 critical, 4 high; target 0 critical, < 3 high (phase 3; missed: high)',
      'Deployment time is 9 minutes; target < 8 minutes',
    ]);
    // Phase 6: no scope names it, so the built-in thresholds (no note) and the unscoped entry.
    assert.deepEqual(misses(svc, 6), [
      'Code coverage is 75%; target > 80%',
      'Coverage is 85% lines, 50% branches; target > 80% (missed: branches)',
      'Deployment time is 9 minutes; target < 8 minutes',
    ]);
  });

  it('a row is held to the entry scoped to its phase that answers to its name before an unscoped one listed first that does too', async () => {
    const aliased = [
      'metrics:',
      '  - name: Code coverage',
      '    aliases: [Coverage]',
      '    threshold: ">= 90%"',
      '  - name: Coverage',
      '    threshold: ">= 60%"',
      '    phases: 3',
      '',
    ].join('\n');
    const cov: [string, string][] = [
      ['Coverage', '70%'],
      ['Code coverage', '70%'],
    ];
    const { svc } = await workspace({
      'phasegate.yaml': aliased,
      'phase-1/07-VALIDATION.md': validation(1, cov),
      'phase-3/07-VALIDATION.md': validation(3, cov),
    });
    assert.deepEqual(svc.config.problems, []);
    assert.deepEqual(misses(svc, 1), [
      'Coverage is 70%; target >= 90%. In phase 1, mark a baseline so that it is not judged: `70% (baseline)`',
      'Code coverage is 70%; target >= 90%. In phase 1, mark a baseline so that it is not judged: `70% (baseline)`',
    ]);
    // Phase 3: `Coverage` by its scoped entry (was the unscoped one listed first, `>= 90%`); `Code coverage`, a name the scoped one does not give, by the unscoped one.
    assert.deepEqual(misses(svc, 3), ['Code coverage is 70%; target >= 90%']);
  });

  it('an entry scoped to a phase answers there to the aliases of the entry of its name it puts out (was: no threshold for them)', async () => {
    // The built-in `Code coverage` (aliases `Test coverage`, `Coverage`), and a workspace's unscoped entry with aliases of its own.
    const rowsOf: [string, string][] = [
      ['Code coverage', '50%'],
      ['Test coverage', '50%'],
      ['Coverage', '50%'],
      ['Cov', '50%'],
    ];
    const builtin = ['metrics:', '  - name: Code coverage', '    threshold: ">= 60%"', '    phases: "1-2"', ''].join('\n');
    const own = ['metrics:', '  - name: Code coverage', '    aliases: [Cov]', '    threshold: ">= 70%"', builtin.slice('metrics:\n'.length)].join('\n');
    for (const [config, expected1, expected3] of [
      [
        builtin,
        [
          'Code coverage is 50%; target >= 60% (phases 1-2). In phase 1, mark a baseline so that it is not judged: `50% (baseline)`',
          'Test coverage is 50%; target >= 60% (phases 1-2). In phase 1, mark a baseline so that it is not judged: `50% (baseline)`',
          'Coverage is 50%; target >= 60% (phases 1-2). In phase 1, mark a baseline so that it is not judged: `50% (baseline)`',
        ],
        ['Code coverage is 50%; target > 80%', 'Test coverage is 50%; target > 80%', 'Coverage is 50%; target > 80%'],
      ],
      [
        own,
        [
          'Code coverage is 50%; target >= 60% (phases 1-2). In phase 1, mark a baseline so that it is not judged: `50% (baseline)`',
          'Cov is 50%; target >= 60% (phases 1-2). In phase 1, mark a baseline so that it is not judged: `50% (baseline)`',
        ],
        ['Code coverage is 50%; target >= 70%', 'Cov is 50%; target >= 70%'],
      ],
    ] as const) {
      const { svc } = await workspace({
        'phasegate.yaml': config,
        'phase-1/07-VALIDATION.md': validation(1, rowsOf),
        'phase-3/07-VALIDATION.md': validation(3, rowsOf),
      });
      assert.deepEqual(svc.config.problems, [], config);
      assert.deepEqual(misses(svc, 1), expected1, config);
      assert.deepEqual(misses(svc, 3), expected3, config);
    }
    // So a second entry scoped to a phase of the first, named by one of those aliases, is refused.
    const twice = [builtin, '  - name: Coverage', '    threshold: ">= 10%"', '    phases: 2', ''].join('\n');
    assert.deepEqual(await configProblems(twice), [
      [
        '2',
        'metrics[1].phases: `Coverage` and `Code coverage` at metrics[0] are one metric (a row named `Coverage` is either), which has a threshold for phases 1-2 there, and phase 2 is in both; give a phase one threshold of a metric (left out)',
      ],
    ]);
  });

  it("a row's own Target still wins over a scoped threshold", async () => {
    const text = [
      '# Phase 1 Validation',
      '',
      '## Success Metrics',
      '',
      '| Metric | Target | Actual |',
      '|---|---|---|',
      '| Code coverage | > 70% | 75% |',
      '',
    ].join('\n');
    const { svc } = await workspace({ 'phasegate.yaml': config, 'phase-1/07-VALIDATION.md': text });
    assert.deepEqual(misses(svc, 1), []);
  });

  it("a custom layout's phases take its own scoped metrics", async () => {
    const layout = [
      'layouts:',
      '  - name: sprint',
      '    phases: "sprints/*"',
      '    number: "sprint-(\\\\d+)"',
      '    documents:',
      '      - kind: validation',
      '        file: RESULTS.md',
      '    metrics:',
      '      - name: Velocity',
      '        threshold: ">= 20"',
      '        phases: "1-2"',
      '      - name: Velocity',
      '        threshold: ">= 30"',
      '',
    ].join('\n');
    const doc = (n: number) =>
      ['# Sprint results', '', '## Success Metrics', '', '| Metric | Actual |', '|---|---|', '| Velocity | 25 |', ''].join('\n').replace('#', `# ${n}`);
    const { svc } = await workspace({
      'phasegate.yaml': layout,
      'sprints/sprint-1/RESULTS.md': doc(1),
      'sprints/sprint-3/RESULTS.md': doc(3),
      'sprints/sprint-beta/RESULTS.md': doc(0),
    });
    assert.deepEqual(svc.config.problems, []);
    const at = (n: number | string) => diagnosticsOf(svc, `sprints/sprint-${n}/RESULTS.md`, 'metric-threshold').map((d) => d.message);
    assert.deepEqual(at(1), []);
    assert.deepEqual(at(3), ['Velocity is 25; target >= 30']);
    // A phase without a number is in no scope: the unscoped entry.
    assert.deepEqual(at('beta'), ['Velocity is 25; target >= 30']);
  });
});

describe("metric scope: a template lists its phase's thresholds", () => {
  const config = [
    'metrics:',
    '  - name: Code coverage',
    '    threshold: ">= 90%"',
    '    phases: "1-2"',
    '  - name: Container build time',
    '    threshold: "< 3 minutes"',
    '    phases: "3-5"',
    '  - name: Code coverage',
    '    threshold: ">= 60%"',
    '    phases: 3',
    '',
  ].join('\n');
  /** The template context of a new audit phase `n` (the audit layout as the config gives it). */
  const ctx = (svc: PhasegateService, n: number) => {
    const layout = svc.config.layouts.find((l) => l.name === 'audit');
    return baseContext(svc, { id: `phase-${n}`, number: n, title: undefined, workstream: undefined, folder: `${ROOT}/phase-${n}`, layout }, DATE);
  };

  it('the context of phase 3 holds the thresholds scoped to it, with their scope, and not those of phases 1-2', async () => {
    const { svc } = await workspace({ 'phasegate.yaml': config });
    assert.deepEqual(ctx(svc, 1).metrics.slice(0, 2), [
      { name: 'Code coverage', threshold: '>= 90%', scope: 'phases 1-2' },
      { name: 'Critical vulnerabilities', threshold: '0' },
    ]);
    assert.deepEqual(ctx(svc, 3).metrics, [
      { name: 'Container build time', threshold: '< 3 minutes', scope: 'phases 3-5' },
      { name: 'Code coverage', threshold: '>= 60%', scope: 'phase 3' },
      { name: 'Deployment time', threshold: '< 10 minutes' },
      { name: 'Rollback time', threshold: '< 2 minutes' },
      { name: 'Infrastructure provisioning', threshold: '< 15 minutes' },
    ]);
    assert.deepEqual(
      ctx(svc, 4).metrics.map((m) => `${m.name}: ${m.threshold}`),
      ['Container build time: < 3 minutes', 'Deployment time: < 10 minutes', 'Rollback time: < 2 minutes', 'Infrastructure provisioning: < 15 minutes'],
    );
    // The built-in layouts' own thresholds outside the scopes: phase 6 lists its group's, none of the scoped ones.
    assert.deepEqual(
      ctx(svc, 6).metrics.map((m) => m.name),
      ['Alert response time', 'Log retention', 'Uptime SLA', 'Mean time to recovery'],
    );
  });

  it("a new phase 3's validation writes phase 3's thresholds, which the rule then holds its values to", async () => {
    const { svc, fs } = await workspace({ 'phasegate.yaml': config });
    const plan = planNew(svc, { what: 'phase', layout: 'audit', number: 3, title: 'Containerization', date: DATE });
    const created = plan.creates.find((c) => c.file === `${ROOT}/phase-3/07-VALIDATION.md`)!;
    const rows = [...created.text.matchAll(/^\| ([^|]+) \| ([^|]+) \| \[Actual\] \|$/gm)].map((m) => `${m[1]}: ${m[2]}`);
    assert.deepEqual(rows, [
      'Container build time: < 3 minutes',
      'Code coverage: >= 60%',
      'Deployment time: < 10 minutes',
      'Rollback time: < 2 minutes',
      'Infrastructure provisioning: < 15 minutes',
    ]);
    // Filled with values that miss the thresholds written, with the Target cells emptied: the rule holds each
    // row to the threshold the template wrote.
    const filled = created.text
      .replace('| Container build time | < 3 minutes | [Actual] |', '| Container build time |  | 4 minutes |')
      .replace('| Code coverage | >= 60% | [Actual] |', '| Code coverage |  | 55% |');
    fs.write(created.file, filled);
    await svc.load(ROOT);
    assert.deepEqual(misses(svc, 3), ['Container build time is 4 minutes; target < 3 minutes (phases 3-5)', 'Code coverage is 55%; target >= 60% (phase 3)']);
  });

  it("an existing phase's validation, as a quick fix creates it, writes that phase's thresholds", async () => {
    const { svc } = await workspace({
      'phasegate.yaml': config,
      'phase-1/00-PHASE_BRIEF.md': '# Phase 1: Audit\n',
      'phase-3/00-PHASE_BRIEF.md': '# Phase 3: Containers\n',
    });
    const rows = (n: number) => {
      const phase = svc.model.phases.find((p) => p.number === n)!;
      const spec = phase.layout.documents.find((d) => d.kind === 'validation')!;
      return [...renderKind(svc, spec, phase).matchAll(/^\| ([^|]+) \| ([^|]+) \| \[Actual\] \|$/gm)].map((m) => `${m[1]}: ${m[2]}`);
    };
    assert.deepEqual(rows(1), [
      'Code coverage: >= 90%',
      'Critical vulnerabilities: 0',
      'High vulnerabilities: < 5',
      'Test execution time: < 5 minutes',
      'Documentation coverage: >= 100%',
    ]);
    assert.deepEqual(rows(3), [
      'Container build time: < 3 minutes',
      'Code coverage: >= 60%',
      'Deployment time: < 10 minutes',
      'Rollback time: < 2 minutes',
      'Infrastructure provisioning: < 15 minutes',
    ]);
  });
});
