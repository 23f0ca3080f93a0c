/**
 * How phasegate.yaml's custom layouts are read: their order, their `number` pattern, and the
 * spellings of their globs and of `ignore`.
 */
import * as assert from 'node:assert/strict';
import { parseConfig } from '../../server/src/service/config';
import { DEFAULT_METRICS } from '../../server/src/service/layout';
import { planNew } from '../../server/src/service/scaffold';
import { ignoreGlobs } from '../../server/src/service/glob-safety';
import { ROOT, workspace } from '../helpers/workspace';
import { assertLinear } from '../helpers/linear';

describe('config: custom layouts', () => {
  it('are tried in the order listed, before the built-in ones: a folder two layouts claim is a phase of the first', async () => {
    const layout = (name: string, glob: string, file: string) =>
      `  - name: ${name}\n    phases: "${glob}"\n    documents:\n      - kind: ${name}-doc\n        file: ${file}\n`;
    for (const [first, second] of [
      ['stages/*', 'stages/stage-*'],
      ['stages/stage-*', 'stages/*'],
    ]) {
      const { svc } = await workspace({
        'phasegate.yaml': `layouts:\n${layout('first', first, 'A.md')}${layout('second', second, 'B.md')}`,
        'stages/stage-1/A.md': '# Stage 1\n',
        'stages/phase-2/00-PHASE_BRIEF.md': '# Phase 2: Also claimed by both\n',
      });
      assert.deepEqual(svc.config.problems, []);
      assert.deepEqual(
        svc.config.layouts.map((l) => l.name),
        ['first', 'second', 'audit', 'iai'],
      );
      const phases = svc.model.phases.map((p) => `${p.id} ${p.layout.name}`);
      assert.deepEqual(phases, first === 'stages/*' ? ['stages/stage-1 first', 'stages/phase-2 first'] : ['stages/stage-1 first', 'stages/phase-2 second']);
      // stage-1 holds A.md, the first layout's document: it is never asked for B.md.
      assert.deepEqual(
        svc
          .diagnoseAll()
          .filter((d) => d.code === 'missing-document')
          .map((d) => d.message),
        [first === 'stages/*' ? 'stages/phase-2 has no first-doc (A.md) yet.' : 'stages/phase-2 has no second-doc (B.md) yet.'],
      );
    }
  });
});

describe('config: layout names', () => {
  it('a custom layout named as a built-in one, or as another custom one, is invalid-config at its name and not used', async () => {
    const layout = (name: string) => `  - name: ${name}\n    phases: "reports/*"\n    documents:\n      - kind: report\n        file: REPORT.md\n`;
    const { svc } = await workspace({
      'phasegate.yaml': `layouts:\n${layout('audit')}${layout('sec')}${layout('sec')}${layout('iai')}${layout('Audit')}${layout('SEC')}`,
      'reports/r-1/REPORT.md': '# Report 1\n\n## Review\n\n- [x] Done — Evidence: `log`\n',
    });
    assert.deepEqual(
      svc.config.problems.map((p) => [p.range.start.line, p.message]),
      [
        [1, 'layouts[0].name: `audit` is the name of a built-in layout; give this layout a name of its own'],
        [11, 'layouts[2].name: `sec` is the name of layouts[1]; give this layout a name of its own'],
        [16, 'layouts[3].name: `iai` is the name of a built-in layout; give this layout a name of its own'],
        // Names are one whatever their case.
        [21, 'layouts[4].name: `Audit` is the name of a built-in layout; give this layout a name of its own'],
        [26, 'layouts[5].name: `SEC` is the name of layouts[1]; give this layout a name of its own'],
      ],
    );
    assert.deepEqual(
      svc.config.layouts.map((l) => l.name),
      ['sec', 'audit', 'iai'],
    );
    // The phase is the custom layout's, judged by its own gates, not the built-in audit layout's.
    assert.deepEqual(
      svc.model.phases.map((p) => `${p.id} ${p.layout.name}`),
      ['reports/r-1 sec'],
    );
  });
});

describe('config: duplicates within a layout', () => {
  it('a second document with the same file, or a second gate with the same name, is invalid-config at its entry and left out', async () => {
    const { svc } = await workspace({
      'phasegate.yaml': [
        'layouts:',
        '  - name: sprint',
        '    phases: "sprints/*"',
        '    documents:',
        '      - kind: report',
        '        file: REPORT.md',
        '      - kind: notes',
        '        file: REPORT.md',
        '      - kind: review',
        '        file: REVIEW.md',
        '    gates:',
        '      - name: Review',
        '      - name: Sign-off',
        '      - name: review',
        '',
      ].join('\n'),
      'sprints/s-1/REPORT.md': '# Sprint 1\n\n## Review\n\n- [x] Done — Evidence: `log`\n\n## Sign-off\n\n- [x] Signed — Evidence: `log`\n',
      'sprints/s-1/REVIEW.md': '# Review\n',
    });
    assert.deepEqual(
      svc.config.problems.map((p) => [p.code, p.range.start.line, p.message]),
      [
        ['invalid-config', 7, 'layouts[0].documents[1].file: `REPORT.md` is the file of layouts[0].documents[0]; give each document a file of its own'],
        ['invalid-config', 13, 'layouts[0].gates[2].name: `review` is the name of layouts[0].gates[0]; give each gate a name of its own'],
      ],
    );
    const layout = svc.config.layouts.find((l) => l.name === 'sprint');
    assert.deepEqual(
      layout?.documents.map((d) => `${d.kind} ${d.file}`),
      ['report REPORT.md', 'review REVIEW.md'],
    );
    assert.deepEqual(
      layout?.gates.map((g) => g.name),
      ['Review', 'Sign-off'],
    );
    assert.deepEqual(
      svc.model.phases.map((p) => p.documents.map((d) => d.spec.file)),
      [['REPORT.md', 'REVIEW.md']],
    );
  });

  it('gates are duplicates by their exact names (any case); two names with the same words, or a name without any, are reported as such', () => {
    const text = [
      'layouts:',
      '  - name: langs',
      '    phases: "langs/*"',
      '    documents:',
      '      - kind: report',
      '        file: REPORT.md',
      '    gates:',
    ].join('\n');
    const gates = ['C', 'C++', ' c ', '✅', '🚀', 'Go', 'Rust!', 'rust'];
    const cfg = parseConfig(`${ROOT}/phasegate.yaml`, text + '\n' + gates.map((g) => `      - name: "${g}"`).join('\n') + '\n', ROOT, undefined);
    assert.deepEqual(
      cfg.problems.map((p) => [p.range.start.line, p.message]),
      [
        [
          8,
          'layouts[0].gates[1].name: `C++` and layouts[0].gates[0] (`C`) are both read from the same heading (`## Gate N: C++` is matched by its words, `c`, as `## Gate N: C` is); give each gate words of its own',
        ],
        [9, 'layouts[0].gates[2].name: ` c ` is the name of layouts[0].gates[0]; give each gate a name of its own'],
        [
          10,
          "layouts[0].gates[3].name: `✅` has no letter or digit, and a gate's checklist heading is found by the words of its name; give it a name with words",
        ],
        [
          11,
          "layouts[0].gates[4].name: `🚀` has no letter or digit, and a gate's checklist heading is found by the words of its name; give it a name with words",
        ],
        [
          14,
          'layouts[0].gates[7].name: `rust` and layouts[0].gates[6] (`Rust!`) are both read from the same heading (`## Gate N: rust` is matched by its words, `rust`, as `## Gate N: Rust!` is); give each gate words of its own',
        ],
      ],
    );
    assert.deepEqual(
      cfg.layouts.find((l) => l.name === 'langs')?.gates.map((g) => g.name),
      ['C', 'Go', 'Rust!'],
    );
  });
});

describe('config: its own schema', () => {
  it('is the built-in one on every load, also beside a document kind named config in schemas:', async () => {
    const base = 'schemas:\n  config: s/config-doc.json\n';
    const { svc, fs } = await workspace({
      'phasegate.yaml': base,
      's/config-doc.json': '{"type": "object", "required": ["phase"]}',
      'phase-1/00-PHASE_BRIEF.md': '# Phase 1: X\n',
    });
    assert.equal(svc.config.problems.length, 0);
    // The problems of an editor's text not saved are read against it too.
    assert.deepEqual(svc.configProblemsOf(`${base}# not saved\n`), []);
    assert.match(svc.configProblemsOf(`${base}layouts: 5\n`)[0].message, /layouts/);
    const cases: [string, RegExp | undefined][] = [
      ['# a comment\n', undefined],
      ['rules:\n  missing-sectoin: fatal\n', /`missing-sectoin` is not a known rule id/],
      ['layouts: 5\n', /layouts/],
    ];
    for (const [extra, expected] of cases) {
      fs.write(`${ROOT}/phasegate.yaml`, base + extra);
      await svc.load(ROOT);
      const messages: string[] = svc.config.problems.map((p) => p.message);
      if (expected)
        assert.ok(
          messages.some((m) => expected.test(m)),
          messages.join(' | '),
        );
      else assert.deepEqual(messages, []);
      assert.ok(!messages.some((m) => /'phase'/.test(m)), 'not checked against the document kind schema');
    }
  });
});

describe('config: its problems, one per mistake', () => {
  const problems = async (text: string, name = 'phasegate.yaml') => {
    const { svc } = await workspace({ [name]: text, 'sprints/s-1/GOALS.md': '# S1\n' });
    if (name !== 'phasegate.yaml') await svc.load(ROOT, undefined, { configFile: `${ROOT}/${name}` });
    return svc.config.problems.map((d): [number, number, string] => [d.range.start.line, d.range.start.character, d.message]);
  };
  const head = 'layouts:\n  - name: sprint\n    phases: "sprints/*"\n';

  it('a misspelt required key is one problem, at the key, with the key it was meant as', async () => {
    assert.deepEqual(await problems(head + '    documnets:\n      - {kind: brief, file: GOALS.md}\n'), [
      [3, 4, 'layouts[0]: `documnets` is not an allowed key: did you mean `documents`?'],
    ]);
  });

  it('a value of the wrong shape for an anyOf is read by the branch of its type, or named by the types it may have', async () => {
    assert.deepEqual(await problems(head + '    documents:\n      - kind: brief\n        file: GOALS.md\n        sections:\n          - required: false\n'), [
      [7, 12, 'layouts[0].documents[0].sections[0]: `title` is required'],
    ]);
    assert.deepEqual(await problems('layouts:\n  - name: sprint\n    phases: 5\n    documents: []\n'), [[2, 12, 'layouts[0].phases must be string or a list']]);
  });

  it('an unknown rule id in failOn is named with the rule id it was meant as, not with the list of them all', async () => {
    const [[line, , message]] = await problems(head + '    documents: []\n    gates:\n      - {name: Review, failOn: [missing-sectoin]}\n');
    assert.equal(line, 5);
    assert.equal(message, 'layouts[0].gates[0].failOn[0]: `missing-sectoin` is not a known rule id: did you mean `missing-section`?');
  });

  it('a quoted value not closed is reported at its opening quote, not past the end of the file', async () => {
    const [[line, character, message]] = await problems('layouts:\n  - name: sprint\n    phases: "sprints/*\n    documents: []\n');
    assert.deepEqual([line, character], [2, 12]);
    assert.match(message, /^Missing closing "quote: the value that opens here is not closed$/);
  });

  it('names the config file as it is named (--config), in a message about the whole file', async () => {
    const bomb = [
      'a: &a [x, x, x, x, x, x, x, x, x, x]',
      ...Array.from({ length: 8 }, (_, i) => `${'bcdefghi'[i]}: &${'bcdefghi'[i]} [${Array(10).fill(`*${'abcdefgh'[i]}`).join(', ')}]`),
    ].join('\n');
    const [[, , message]] = await problems(bomb + '\n', 'ci-strict.yaml');
    assert.match(message, /^ci-strict\.yaml could not be read: /);
  });
});

describe('config: what it names must be usable', () => {
  it('a document schema id that names no schema, and a threshold that reads as none, are invalid-config at their value', async () => {
    const config = [
      'schemas:',
      '  goals: s/goals.json',
      'metrics:',
      '  - name: Code coverage',
      '    threshold: ">= twenty"',
      'layouts:',
      '  - name: sprint',
      '    phases: "sprints/*"',
      '    metrics:',
      '      - name: Velocity',
      '        threshold: ">= 20"',
      '      - name: Mood',
      '        threshold: "good"',
      '    documents:',
      '      - kind: goals',
      '        file: GOALS.md',
      '        schema: goals',
      '      - kind: brief',
      '        file: BRIEF.md',
      '        schema: breif',
      '      - kind: notes',
      '        file: NOTES.md',
      '        schema: brief',
      '',
    ].join('\n');
    const { svc } = await workspace({ 'phasegate.yaml': config, 's/goals.json': '{}' });
    const lines = config.split('\n');
    assert.deepEqual(
      svc.config.problems.map((p) => [lines[p.range.start.line].slice(p.range.start.character, p.range.end.character), p.message.split(':')[0]]),
      [
        ['">= twenty"', 'metrics[0].threshold'],
        ['breif', 'layouts[0].documents[1].schema'],
        ['"good"', 'layouts[0].metrics[1].threshold'],
      ],
    );
    // The readable ones apply; the others are left out, and the default for Code coverage stands.
    const sprint = svc.config.layouts.find((l) => l.name === 'sprint')!;
    assert.deepEqual(
      sprint.metrics.map((m) => m.name),
      ['Velocity'],
    );
    const byDefault = DEFAULT_METRICS.find((m) => m.name === 'Code coverage')!.threshold;
    assert.equal(svc.config.metrics.find((m) => m.name === 'Code coverage')?.threshold, byDefault);
  });
});

describe('config: a layout number pattern', () => {
  const config = (number: string) =>
    `layouts:\n  - name: sprint\n    phases: "sprints/*"\n    number: "${number}"\n    documents:\n      - kind: goals\n        file: GOALS.md\n        heading: "Sprint {N} Goals"\n`;

  it('without a capture group is invalid-config at its value, and its layout is not used', async () => {
    const { svc } = await workspace({ 'phasegate.yaml': config('^sprint-\\\\d+$'), 'sprints/sprint-1/GOALS.md': '# Sprint 7 Goals\n' });
    const found = svc.config.problems;
    assert.equal(found.length, 1, JSON.stringify(found));
    assert.equal(found[0].code, 'invalid-config');
    assert.equal(found[0].message, 'layouts[0].number: no capture group: group 1, in parentheses, is the phase number (as in sprint-(\\d+))');
    assert.deepEqual(found[0].range, { start: { line: 3, character: 12 }, end: { line: 3, character: 27 } });
    assert.deepEqual(
      svc.config.layouts.map((l) => l.name),
      ['audit', 'iai'],
    );
  });

  it("refused, still has the layout's other problems told at once (the layout is left out all the same)", async () => {
    const text = [
      'layouts:',
      '  - name: sprint',
      '    phases: "sprints/*"',
      '    number: "sprint-\\\\d+"',
      '    documents:',
      '      - kind: goals',
      '        file: ../GOALS.md',
      '    gates:',
      '      - name: C',
      '      - name: C++',
      '  - name: audit',
      '    phases: "x/*"',
      '    documents:',
      '      - kind: goals',
      '        file: /abs.md',
      '',
    ].join('\n');
    const { svc } = await workspace({ 'phasegate.yaml': text, 'sprints/sprint-1/GOALS.md': '# Sprint 7 Goals\n' });
    assert.deepEqual(
      svc.config.problems.map((d) => [d.range.start.line, d.message.split(':')[0]]),
      [
        [3, 'layouts[0].number'],
        [6, 'layouts[0].documents[0].file'],
        [9, 'layouts[0].gates[1].name'],
        [10, 'layouts[1].name'],
        [14, 'layouts[1].documents[0].file'],
      ],
    );
    assert.deepEqual(
      svc.config.layouts.map((l) => l.name),
      ['audit', 'iai'],
    );
  });

  it('with a group, named or not, numbers the phases', async () => {
    for (const number of ['^sprint-(\\\\d+)$', '^sprint-(?<n>\\\\d+)$', '^(?:sprint)-(\\\\d+)$']) {
      const { svc } = await workspace({ 'phasegate.yaml': config(number), 'sprints/sprint-1/GOALS.md': '# Sprint 7 Goals\n' });
      assert.deepEqual(svc.config.problems, [], number);
      assert.deepEqual(
        svc.model.phases.map((p) => p.number),
        [1],
        number,
      );
      assert.deepEqual(
        svc.diagnoseAll().map((d) => d.code),
        ['heading-mismatch'],
        number,
      );
    }
  });
});

describe('config: a layout number group that is not a whole number', () => {
  it('gives a phase without a number, never NaN, whatever it captures', async () => {
    const { svc } = await workspace({
      'phasegate.yaml':
        'layouts:\n  - name: sprint\n    phases: "sprints/*"\n    number: "^sprint-(.+)$"\n    documents:\n      - kind: goals\n        file: GOALS.md\n        template: goals\n        heading: "Sprint {N} Goals"\n        sections: ["Carry-over to sprint {N+1}"]\n',
      '.phasegate/templates/goals.md.hbs': '# Sprint {{phase.number}} Goals\n\n## Carry-over to sprint {{phase.next}}\n',
      'sprints/sprint-1/GOALS.md': '# Sprint 1 Goals\n\n## Carry-over to sprint 2\nx\n',
      'sprints/sprint-2/GOALS.md': '# Sprint 2 Goals\n\n## Carry-over to sprint 3\nx\n',
      'sprints/sprint-03/GOALS.md': '# Sprint 3 Goals\n\n## Carry-over to sprint 4\nx\n',
      'sprints/sprint-beta/GOALS.md': '# Sprint Beta Goals\n\n## Carry-over to sprint gamma\nx\n',
      'sprints/sprint-1.5/GOALS.md': '# Sprint 1.5 Goals\n',
      'sprints/sprint-0x10/GOALS.md': '# Sprint 16 Goals\n',
      'sprints/sprint-1e3/GOALS.md': '# Sprint 1000 Goals\n',
      'sprints/sprint- 4/GOALS.md': '# Sprint 4 Goals\n',
      'sprints/sprint-delta/notes.txt': 'A phase folder without its document yet.\n',
    });
    assert.deepEqual(svc.config.problems, []);
    assert.deepEqual(
      svc.model.phases.map((p) => `${p.id} ${p.number}`),
      [
        'sprints/sprint-1 1',
        'sprints/sprint-2 2',
        'sprints/sprint-03 3',
        'sprints/sprint- 4 undefined',
        'sprints/sprint-0x10 undefined',
        'sprints/sprint-1.5 undefined',
        'sprints/sprint-1e3 undefined',
        'sprints/sprint-beta undefined',
        'sprints/sprint-delta undefined',
      ],
    );
    const found = svc.diagnoseAll();
    assert.ok(!found.some((d) => /NaN/.test(d.message)), found.map((d) => d.message).join('\n'));
    // The numbered phases read 1, 2, 3: no gap, no duplicate, each title and section as its number says.
    assert.deepEqual(
      found.filter((d) => /sprint-(1|2|03)\//.test(d.file)),
      [],
    );
    // A new phase in a folder so named, or the document of one that has none yet, never reads "Sprint NaN".
    for (const folder of ['sprints/sprint-gamma', 'sprints/sprint-delta']) {
      const plan = planNew(svc, { what: 'phase', folder });
      assert.deepEqual(
        plan.creates.map((c) => c.file),
        [`${ROOT}/${folder}/GOALS.md`],
      );
      assert.equal(plan.creates[0].text, '# Sprint  Goals\n\n## Carry-over to sprint \n', folder);
    }
  });
});

describe('config: the spellings of a glob', () => {
  const sprint = (phases: string) => `layouts:\n  - name: sprint\n    phases: ${phases}\n    documents:\n      - kind: goals\n        file: GOALS.md\n`;

  it('a phases glob with backslashes, a trailing slash, a leading slash or an absolute path inside the workspace finds the phases', async () => {
    // YAML single quotes keep each backslash as it is.
    for (const phases of [
      "'sprints/sprint-*'",
      "'sprints/sprint-*/'",
      "'./sprints/sprint-*'",
      "'/sprints/sprint-*'",
      "'sprints\\sprint-*'",
      "'.\\sprints\\sprint-*\\'",
      "'sprints//sprint-*'",
      `'${ROOT}/sprints/sprint-*'`,
      `['${ROOT}\\sprints\\sprint-*']`,
    ]) {
      const { svc } = await workspace({ 'phasegate.yaml': sprint(phases), 'sprints/sprint-1/GOALS.md': '# S\n', 'sprints/other/GOALS.md': '# O\n' });
      assert.deepEqual(svc.config.problems, [], phases);
      assert.deepEqual(svc.config.layouts[0].phaseGlobs, ['sprints/sprint-*'], phases);
      assert.deepEqual(
        svc.model.phases.map((p) => `${p.id} ${p.layout.name}`),
        ['sprints/sprint-1 sprint'],
        phases,
      );
    }
  });

  it('an ignore glob with backslashes, a trailing slash (the folder and all it holds) or a leading slash ignores the folder', async () => {
    for (const ignore of ["'drafts/**'", "'drafts'", "'drafts/'", "'drafts\\**'", "'drafts\\'", "'/drafts'", `'${ROOT}/drafts/'`]) {
      const { svc } = await workspace({
        'phasegate.yaml': `ignore: [${ignore}]\n`,
        'drafts/phase-1/00-PHASE_BRIEF.md': '# Phase 1: Draft\n',
        'phase-1/00-PHASE_BRIEF.md': '# Phase 1: Real\n',
      });
      assert.deepEqual(svc.config.problems, [], ignore);
      assert.deepEqual(
        svc.model.phases.map((p) => p.id),
        ['phase-1'],
        ignore,
      );
      assert.ok(!svc.diagnoseAll().some((d) => d.file.startsWith(`${ROOT}/drafts/`)), ignore);
    }
  });

  it('an ignore glob ending with /** after a wildcard (phase-4*/**) leaves out the folders it names, not only what they hold', async () => {
    for (const ignore of ['phase-4*/**', 'phase-4?/**', '*-4*/**', 'phase-4/**']) {
      const { svc } = await workspace({
        'phasegate.yaml': `ignore: ['${ignore}']\n`,
        'phase-3/00-PHASE_BRIEF.md': '# Phase 3: Kept\n',
        'phase-4/00-PHASE_BRIEF.md': '# Phase 4: Dropped\n',
        'phase-40/00-PHASE_BRIEF.md': '# Phase 40: Dropped\n',
        'phase-41/00-PHASE_BRIEF.md': '# Phase 41: Dropped\n',
      });
      const kept = ignore === 'phase-4?/**' ? ['phase-3', 'phase-4'] : ignore === 'phase-4/**' ? ['phase-3', 'phase-40', 'phase-41'] : ['phase-3'];
      assert.deepEqual(
        svc.model.phases.map((p) => p.id),
        kept,
        ignore,
      );
      // No empty phase folder left behind: nothing is reported on the folders left out.
      assert.ok(!svc.diagnoseAll().some((d) => !kept.some((k) => d.file.startsWith(`${ROOT}/${k}`)) && d.file !== `${ROOT}/phasegate.yaml`), ignore);
      if (ignore === 'phase-4*/**') assert.match(svc.scanExclusion(`${ROOT}/phase-40`, false) ?? '', /^it matches "phase-4\*\/\*\*" of ignore/);
    }
    // A file whose name the part before /** matches is no folder of it: not left out.
    const match = ignoreGlobs(['notes/phase-4*/**']);
    assert.equal(match('notes/phase-40', true), true);
    assert.equal(match('notes/phase-4x.md', false), false);
    assert.equal(match('notes/phase-40/a.md', false), true);
  });

  it('a glob that cannot match inside the workspace folder is invalid-config at its value, with the reason, and dropped', () => {
    const root = '/home/me/proj';
    const text =
      "ignore: ['../shared/**', 'C:\\work\\drafts\\**', 'drafts/', '/']\n" +
      'layouts:\n' +
      '  - name: sprint\n' +
      "    phases: ['/home/me/other/*', '/home/me/proj/../proj2/*', 'sprints\\sprint-*', '/sprints/../../x/*', '/srv/sprints/*']\n" +
      '    documents:\n' +
      '      - kind: goals\n' +
      '        file: GOALS.md\n';
    const cfg = parseConfig(`${root}/phasegate.yaml`, text, root, undefined);
    assert.deepEqual(cfg.ignore, ['drafts']);
    assert.deepEqual(cfg.layouts[0].phaseGlobs, ['sprints/sprint-*', 'srv/sprints/*']);
    const outside = 'must be a glob inside the workspace folder, not an absolute path outside it (/home/me/proj)';
    const dotdot = "must be a glob inside the workspace folder, without '..'";
    assert.deepEqual(
      cfg.problems.map((d) => [
        d.code,
        d.message,
        d.range.start.line,
        text.split('\n')[d.range.start.line].slice(d.range.start.character, d.range.end.character),
      ]),
      [
        ['invalid-config', `ignore[0]: ${dotdot}`, 0, "'../shared/**'"],
        ['invalid-config', `ignore[1]: ${outside}`, 0, "'C:\\work\\drafts\\**'"],
        ['invalid-config', 'ignore[3]: must be a glob of paths inside the workspace folder, not the workspace folder itself', 0, "'/'"],
        ['invalid-config', `layouts[0].phases[0]: ${outside}`, 3, "'/home/me/other/*'"],
        ['invalid-config', `layouts[0].phases[1]: ${dotdot}`, 3, "'/home/me/proj/../proj2/*'"],
        ['invalid-config', `layouts[0].phases[3]: ${dotdot}`, 3, "'/sprints/../../x/*'"],
      ],
    );
    const single = parseConfig(`${root}/phasegate.yaml`, sprint("'../sprints/*'"), root, undefined);
    assert.deepEqual(
      single.problems.map((d) => d.message),
      [`layouts[0].phases: ${dotdot}`],
    );
    assert.deepEqual(single.layouts[0].phaseGlobs, []);
  });

  it('a backslash in a document file or a folder name is a separator too', async () => {
    const { svc } = await workspace({
      'phasegate.yaml':
        "layouts:\n  - name: sprint\n    phases: sprints/*\n    documents:\n      - kind: goals\n        file: 'docs\\GOALS.md'\n    folders:\n      - name: 'notes\\logs'\n        required: true\n",
      'sprints/sprint-1/docs/GOALS.md': '# S\n',
      'sprints/sprint-1/notes/logs/run.txt': 'ok\n',
    });
    assert.deepEqual(svc.config.problems, []);
    const layout = svc.config.layouts[0];
    assert.deepEqual([layout.documents.map((d) => d.file), layout.folders.map((f) => f.name)], [['docs/GOALS.md'], ['notes/logs']]);
    assert.deepEqual(svc.diagnoseAll(), []);
  });
});

describe('config: line endings', () => {
  /** The text a problem's range covers in `text`, its lines split as an editor splits them. */
  const covered = (text: string, r: { start: { line: number; character: number }; end: { line: number; character: number } }) =>
    text.split(/\r\n|\r|\n/)[r.start.line].slice(r.start.character, r.end.line === r.start.line ? r.end.character : undefined);

  it('a lone CR ends a line, alone or mixed with LF and CRLF: the config reads as its lines say, problems on their own line', () => {
    const lines = ['rules:', '  broken-link: "off"', '  empty-section: warning', 'ignore:', '  - drafts/**'];
    for (const eols of [['\r'], ['\r', '\n', '\r\n'], ['\r\n', '\r']]) {
      const text = lines.map((l, i) => l + eols[i % eols.length]).join('');
      const cfg = parseConfig('/ws/phasegate.yaml', text, '/ws', undefined);
      assert.deepEqual(cfg.rules, { 'broken-link': 'off', 'empty-section': 'warning' }, JSON.stringify(eols));
      assert.deepEqual(cfg.ignore, ['drafts/**']);
      // A value of the wrong type, on its line: the schema-free checks of parseConfig report it there.
      const bad = parseConfig('/ws/phasegate.yaml', text.replace('drafts/**', '../x/**'), '/ws', undefined);
      assert.deepEqual(
        bad.problems.map((d) => [d.range.start.line, covered(text.replace('drafts/**', '../x/**'), d.range)]),
        [[4, '../x/**']],
        JSON.stringify(eols),
      );
    }
    // The layout checks and the depth limit too: a repeated gate, a hostile glob, on their lines.
    const layout = [
      'layouts:',
      '  - name: sprint',
      `    phases: '${'*a'.repeat(25)}*b'`,
      '    documents:',
      '      - kind: goals',
      '        file: GOALS.md',
      '    gates:',
      '      - name: Review',
      '      - name: Review',
      '',
    ].join('\r');
    assert.deepEqual(
      parseConfig('/ws/phasegate.yaml', layout, '/ws', undefined)
        .problems.map((d) => [d.range.start.line, covered(layout, d.range)])
        .sort((a, b) => Number(a[0]) - Number(b[0])),
      [
        [2, `'${'*a'.repeat(25)}*b'`],
        [8, 'Review'],
      ],
    );
    const deep = `x:\r${Array.from({ length: 70 }, (_, i) => `${'  '.repeat(i + 1)}a:`).join('\r')} 1\r`;
    const [tooDeep] = parseConfig('/ws/phasegate.yaml', deep, '/ws', undefined).problems;
    assert.match(tooDeep.message, /nested too deeply/);
    assert.ok(tooDeep.range.start.line > 60 && tooDeep.range.start.line < 70, JSON.stringify(tooDeep.range));
    // YAML that does not parse: its error on the line it is on, not past the end of the first line.
    const broken = parseConfig('/ws/phasegate.yaml', 'rules:\r  broken-link: "off\r  empty-section: warning\r', '/ws', undefined);
    assert.ok(broken.problems.length > 0);
    for (const d of broken.problems) {
      assert.ok(
        d.range.start.line <= 3 && d.range.start.character <= ['rules:', '  broken-link: "off', '  empty-section: warning', ''][d.range.start.line].length,
      );
    }
  });

  it('a workspace schema named in a lone-CR config is reported at its key; a JSON error in a lone-CR schema at its line', async () => {
    const { svc } = await workspace(
      {
        'phasegate.yaml': 'rules:\r  broken-link: "off"\rschemas:\r  brief: s.json\r',
        's.json': '{\r  "type": "object"\r  "required": ["phase"]\r}\r',
        'phase-1/00-PHASE_BRIEF.md': '# Phase 1: X\n',
      },
      { trusted: true },
    );
    const [d] = svc.config.problems;
    assert.equal(d.range.start.line, 3);
    assert.equal(covered('rules:\r  broken-link: "off"\rschemas:\r  brief: s.json\r', d.range), 's.json');
    assert.match(d.message, /not valid JSON \(line 3, column \d+\)/);
  });
});

describe('config: a glob that would take too long to match', () => {
  const hostile = `phase-1/03-FINDINGS/${'*a'.repeat(25)}*b`;
  const sprint = (phases: string) => `layouts:\n  - name: sprint\n    phases: ${phases}\n    documents:\n      - kind: goals\n        file: GOALS.md\n`;

  it('an ignore or phases glob whose wildcards compete without bound is invalid-config at its value and dropped; the others apply', async () => {
    const files = {
      'phasegate.yaml': `ignore: ['${hostile}', 'drafts/**']\n` + sprint(`['sprints/${'*a'.repeat(25)}*b', 'sprints/*']`),
      [`phase-1/03-FINDINGS/${'a'.repeat(240)}.md`]: '# Finding\n',
      'phase-1/00-PHASE_BRIEF.md': '# Phase 1: Audit\n',
      'drafts/phase-2/00-PHASE_BRIEF.md': '# Phase 2: Draft\n',
      [`sprints/${'a'.repeat(240)}/GOALS.md`]: '# S\n',
    };
    const { svc } = await workspace(files);
    svc.diagnoseAll();
    // Without the judge, picomatch's regex backtracks for hours on the long name: a name of n `a`s is matched
    // against the ignore globs left in time linear in n (2^n steps with the hostile glob, far past the bound at once).
    assertLinear(
      'a long name against the ignore globs',
      (n) => {
        const p = `${ROOT}/phase-1/03-FINDINGS/${'a'.repeat(n)}.md`;
        return () => assert.equal(svc.scanExclusion(p, true), undefined);
      },
      { n: 15 },
    );
    const why = 'too many wildcards compete for the same characters';
    assert.deepEqual(
      svc.config.problems.map((d) => [d.code, d.message.slice(0, d.message.indexOf(':') + 1 + why.length + 1), d.range.start.line]),
      [
        ['invalid-config', `ignore[0]: ${why}`, 0],
        ['invalid-config', `layouts[0].phases[0]: ${why}`, 3],
      ],
    );
    assert.deepEqual(svc.config.ignore, ['drafts/**']);
    assert.deepEqual(svc.config.layouts[0].phaseGlobs, ['sprints/*']);
    assert.deepEqual(svc.model.phases.map((p) => p.id).sort(), ['phase-1', `sprints/${'a'.repeat(240)}`]);
  });

  it('a glob longer than 4096 characters is invalid-config at its value and dropped (was an internal error, and nothing loaded)', async () => {
    const { svc } = await workspace({
      'phasegate.yaml': `ignore: ['${'a'.repeat(70_000)}', 'drafts/**']\n` + sprint(`['${'s'.repeat(70_000)}/*', 'sprints/*']`),
      'phase-1/00-PHASE_BRIEF.md': '# Phase 1: Audit\n',
      'drafts/phase-2/00-PHASE_BRIEF.md': '# Phase 2: Draft\n',
      'sprints/s1/GOALS.md': '# S\n',
    });
    assert.deepEqual(
      svc.config.problems.map((d) => [d.code, d.message, d.range.start.line]),
      [
        ['invalid-config', 'ignore[0]: the glob is 70000 characters long; a glob may have at most 4096', 0],
        ['invalid-config', 'layouts[0].phases[0]: the glob is 70002 characters long; a glob may have at most 4096', 3],
      ],
    );
    assert.deepEqual(svc.model.phases.map((p) => p.id).sort(), ['phase-1', 'sprints/s1']);
  });

  it('a repeated extglob that can match a name in many ways is invalid-config and dropped (picomatch backtracked for minutes on a 32-character name)', async () => {
    const files = {
      'phasegate.yaml': `ignore: ['+(*)x', '**/+(a*)b', 'drafts/**']\n` + sprint(`['sprints/+(a|aa)b', 'sprints/*']`),
      [`${'a'.repeat(32)}.md`]: '# Note\n',
      [`phase-1/${'a'.repeat(40)}.md`]: '# Finding\n',
      'phase-1/00-PHASE_BRIEF.md': '# Phase 1: Audit\n',
      'drafts/phase-2/00-PHASE_BRIEF.md': '# Phase 2: Draft\n',
      [`sprints/${'a'.repeat(40)}/GOALS.md`]: '# S\n',
    };
    const { svc } = await workspace(files);
    svc.diagnoseAll();
    // Without the judge, the first glob alone takes minutes on the 32 `a`s: names of n `a`s are matched against the
    // ignore globs left in time linear in n.
    assertLinear(
      'long names against the ignore globs',
      (n) => {
        const [top, inPhase] = [`${ROOT}/${'a'.repeat(n)}.md`, `${ROOT}/phase-1/${'a'.repeat(n)}.md`];
        return () => {
          assert.equal(svc.scanExclusion(top, true), undefined);
          assert.equal(svc.scanExclusion(inPhase, true), undefined);
        };
      },
      { n: 8 },
    );
    assert.deepEqual(
      svc.config.problems.map((d) => [d.code, d.message.slice(0, d.message.indexOf(' can match')), d.range.start.line]),
      [
        ['invalid-config', 'ignore[0]: the repeated extglob `+(*)`', 0],
        ['invalid-config', 'ignore[1]: the repeated extglob `+(a*)`', 0],
        ['invalid-config', 'layouts[0].phases[0]: the repeated extglob `+(a|aa)`', 3],
      ],
    );
    assert.deepEqual(svc.config.ignore, ['drafts/**']);
    assert.deepEqual(svc.config.layouts[0].phaseGlobs, ['sprints/*']);
  });

  it('the globs a workspace writes are kept: up to three * in a name, three ** folders, brace lists, classes, extglobs; explosive ones are refused', () => {
    for (const g of [
      '**/archive/**',
      'sprints/*',
      '{a,b}/**',
      'phase-*',
      '**/*-old-*.md',
      '*a*a*b',
      'a/**/b/**/c',
      '**/a/**/b/**/c',
      '**/a/**/b/**/c/**/d',
      '**/archive/**/old/**/*.md',
      '**/phase-*/**/drafts/**/*.md',
      '**/old/**/*-*-*.md',
      '**/a/**/*a*a*',
      '*a*/*a*',
      '**/drafts/**/*-x-*',
      '{drafts,archive,old,tmp}/**',
      'notes/{2023,2024}-*/[a-z]*.md',
      'sprint-{1..9}',
      '**/+(tmp|temp)/**',
      'phase-+([0-9])-*',
      '!(draft)*.md',
      '@(a|b)*',
    ]) {
      const cfg = parseConfig(`${ROOT}/phasegate.yaml`, `ignore: ['${g}']\n`, ROOT, undefined);
      assert.deepEqual(cfg.problems, [], g);
      assert.deepEqual(cfg.ignore, [g], g);
    }
    for (const g of [
      '*a*a*a*b',
      `${'*a'.repeat(25)}*b`,
      '**/*-*-*-*.md',
      '*a*/*a*/*a*',
      '**/*a*/**/*a*',
      '**/a/**/b/**/*-*-*.md',
      '**/*a*/**/*b*/**/*c*',
      `${'{a,aa}'.repeat(24)}b`,
      '*(a)*(a)*(a)*(a)x',
      '+(*)x',
      '**/+(a*)b',
      '+(a|aa)b',
      '*(a|aa)x',
      '+(a+(b))c',
    ]) {
      const cfg = parseConfig(`${ROOT}/phasegate.yaml`, `ignore: ['${g}']\n`, ROOT, undefined);
      assert.deepEqual(
        cfg.problems.map((d) => d.message.split(':')[0]),
        ['ignore[0]'],
        g,
      );
      assert.deepEqual(cfg.ignore, [], g);
    }
  });
});
