/**
 * Complete handoff with inputs handed off or received in a Markdown table (`| Input | Location | Description |`):
 * rows added in the receiving table's own columns, a row handed off written as a list item into a list.
 */
import * as assert from 'node:assert/strict';
import { workspace, diagnosticsOf, ROOT } from '../helpers/workspace';
import { applyEdits, codeActions, completeHandoff, fixAll, planNew } from '../../server/src/service';
import { WritableMemoryFileSystem, run } from '../cli/helpers';

const OUT = 'phase-1/06-OUTPUT_HANDOFF.md';
const IN = 'phase-2/01-INPUT_HANDOFF.md';

const ARTIFACTS: Record<string, string> = {
  'phase-1/00-PHASE_BRIEF.md': '# Phase 1: Foundation Audit\n',
  'phase-1/04-ARTIFACTS/remediation-roadmap.md': '# Roadmap\n',
  'phase-1/04-ARTIFACTS/coverage-analysis.md': '# Coverage\n',
  'phase-1/04-ARTIFACTS/tech-debt.md': '# Tech debt\n',
  'phase-2/00-PHASE_BRIEF.md': '# Phase 2: Testing\n',
};

const table = (rows: string[], head = '| Input | Location | Description |', align = '|---|---|---|') => [head, align, ...rows].join('\n');
const ROADMAP = '| Remediation roadmap | `04-ARTIFACTS/remediation-roadmap.md` | what to fix first |';
const COVERAGE = '| Coverage analysis | `04-ARTIFACTS/coverage-analysis.md` | where tests are missing \\| per module |';
const DEBT = '| Tech debt inventory | [debt](04-ARTIFACTS/tech-debt.md) | hot spots |';
/** A row as phase 2 receives it: its paths read from phase 2's folder. */
const received = (row: string) => row.replace(/(`|\()04-/g, '$1../phase-1/04-');

const outTable = (rows: string[]) => `# Phase 1 → Phase 2 Handoff\n\n## Phase 2 Inputs\n\n${table(rows)}\n`;
const outList = (items: string[]) => `# Phase 1 → Phase 2 Handoff\n\n## Phase 2 Inputs\n\n${items.join('\n')}\n`;
const SOURCE =
  '---\nphase: phase-2\ntitle: Phase 2 Input Handoff\nstatus: draft\n---\n\n# Phase 2 Input Handoff\n\n## Source\n\n- [Phase 1 output handoff](../phase-1/06-OUTPUT_HANDOFF.md)\n\n';
const QUESTIONS = '## Open Questions\n\n- None.\n';
const inWith = (inputs: string) => `${SOURCE}## Inputs Received\n\n${inputs}\n\n## Prerequisites\n\n- [x] Roadmap approved\n\n${QUESTIONS}`;

/** Applies the quick fix of the first handoff-mismatch of the input handoff, as the editor does; returns the text it makes. */
async function fixed(out: string, input: string): Promise<string> {
  const { svc } = await workspace({ ...ARTIFACTS, [OUT]: out, [IN]: input });
  const ds = diagnosticsOf(svc, IN, 'handoff-mismatch');
  assert.ok(ds.length > 0, 'a handoff-mismatch to fix');
  const actions = codeActions(svc, [ds[0]]);
  const action = actions.find((a) => a.title === 'Complete handoff from phase-1');
  assert.ok(action, `complete handoff offered (offered: ${actions.map((a) => a.title).join(', ')})`);
  assert.deepEqual(action.change.creates, []);
  assert.deepEqual(
    action.change.edits.map((e) => e.file),
    [`${ROOT}/${IN}`],
  );
  return applyEdits(input, action.change.edits[0].edits);
}

/** The handoff-mismatch findings of the input handoff, and whether Complete handoff still has anything to do. */
async function after(out: string, input: string) {
  const { svc } = await workspace({ ...ARTIFACTS, [OUT]: out, [IN]: input });
  return { mismatches: diagnosticsOf(svc, IN, 'handoff-mismatch').map((d) => d.message), again: completeHandoff(svc, svc.findPhase('phase-2')) };
}

describe('complete handoff: inputs in a table', () => {
  it('adds the inputs missing from a table of inputs as rows in its columns, after the rows there, paths rebased, cells as written', async () => {
    const input = inWith(
      table([received(ROADMAP), '| Extra notes | `notes/extra.md` | kept as the team wrote it |'], '| Input | Location | Description |', '|:---|:---:|---:|'),
    );
    const out = outTable([ROADMAP, COVERAGE, DEBT]);
    const text = await fixed(out, input);
    assert.equal(
      text,
      inWith(
        table(
          [
            received(ROADMAP),
            '| Extra notes | `notes/extra.md` | kept as the team wrote it |',
            '| Coverage analysis | `../phase-1/04-ARTIFACTS/coverage-analysis.md` | where tests are missing \\| per module |',
            '| Tech debt inventory | [debt](../phase-1/04-ARTIFACTS/tech-debt.md) | hot spots |',
          ],
          '| Input | Location | Description |',
          '|:---|:---:|---:|',
        ),
      ),
    );
    // What is left is the team's own row, never handed off: nothing is missing, and the fix has nothing more to do.
    const { mismatches, again } = await after(out, text);
    assert.deepEqual(mismatches, [
      '"Extra notes" was not handed off by phase-1 (not in its "Phase 2 Inputs"); remove it or add it to ../phase-1/06-OUTPUT_HANDOFF.md.',
    ]);
    assert.equal(again, undefined);
    // Without the team's row, no handoff-mismatch is left.
    const clean = await fixed(out, inWith(table([received(ROADMAP)])));
    assert.deepEqual((await after(out, clean)).mismatches, []);
  });

  it('writes the rows in the receiving table’s own column order, numbered as its rows are, without leading and trailing pipes if it has none', async () => {
    const input = inWith(
      [
        '# | Input | Description | Location',
        '--|-------|-------------|---------',
        '#1 | Remediation roadmap | what to fix first | `../phase-1/04-ARTIFACTS/remediation-roadmap.md`',
      ].join('\n'),
    );
    const out = outTable([ROADMAP, COVERAGE]);
    const text = await fixed(out, input);
    assert.equal(
      text,
      inWith(
        [
          '# | Input | Description | Location',
          '--|-------|-------------|---------',
          '#1 | Remediation roadmap | what to fix first | `../phase-1/04-ARTIFACTS/remediation-roadmap.md`',
          '#2 | Coverage analysis | where tests are missing \\| per module | `../phase-1/04-ARTIFACTS/coverage-analysis.md`',
        ].join('\n'),
      ),
    );
    assert.deepEqual((await after(out, text)).mismatches, []);
  });

  it('splits inputs handed off as list items into the table’s name, location and description, a pipe escaped', async () => {
    const out = outList([
      '- Remediation roadmap: `04-ARTIFACTS/remediation-roadmap.md` - what to fix first',
      '- Coverage analysis: [coverage](04-ARTIFACTS/coverage-analysis.md) - where tests are missing | per module',
      '- Tech debt inventory: `04-ARTIFACTS/tech-debt.md`',
    ]);
    const input = inWith(table(['| Remediation roadmap | `../phase-1/04-ARTIFACTS/remediation-roadmap.md` | what to fix first |']));
    const text = await fixed(out, input);
    assert.equal(
      text,
      inWith(
        table([
          '| Remediation roadmap | `../phase-1/04-ARTIFACTS/remediation-roadmap.md` | what to fix first |',
          '| Coverage analysis | [coverage](../phase-1/04-ARTIFACTS/coverage-analysis.md) | where tests are missing \\| per module |',
          '| Tech debt inventory | `../phase-1/04-ARTIFACTS/tech-debt.md` |  |',
        ]),
      ),
    );
    const { mismatches, again } = await after(out, text);
    assert.deepEqual(mismatches, []);
    assert.equal(again, undefined);
  });

  it('puts a list item’s location with its description in a table without a location column, losing none of it', async () => {
    const out = outList(['- Coverage analysis: `04-ARTIFACTS/coverage-analysis.md` - where tests are missing']);
    const input = inWith(table([], '| Input | Notes |', '|---|---|'));
    const text = await fixed(out, input);
    assert.equal(
      text,
      inWith(table(['| Coverage analysis | `../phase-1/04-ARTIFACTS/coverage-analysis.md` - where tests are missing |'], '| Input | Notes |', '|---|---|')),
    );
    assert.deepEqual((await after(out, text)).mismatches, []);
  });

  it('writes a list item’s further lines into its row’s last cell, a line break between them', async () => {
    const out = outList(['- Coverage analysis: `04-ARTIFACTS/coverage-analysis.md` - where tests are missing', '  - per module', '  - per file']);
    const text = await fixed(out, inWith(table([])));
    assert.equal(
      text,
      inWith(table(['| Coverage analysis | `../phase-1/04-ARTIFACTS/coverage-analysis.md` | where tests are missing<br>- per module<br>- per file |'])),
    );
    assert.deepEqual((await after(out, text)).mismatches, []);
  });

  it('replaces a table holding only the template’s placeholders with the inputs handed off', async () => {
    const input = inWith(table(['| [Input] | [Location] | [Description] |']));
    const out = outTable([ROADMAP, COVERAGE]);
    const text = await fixed(out, input);
    assert.equal(text, inWith(table([received(ROADMAP), received(COVERAGE)])));
    assert.deepEqual((await after(out, text)).mismatches, []);
  });

  it('keeps a CRLF input handoff’s line endings', async () => {
    const crlf = (s: string) => s.replace(/\n/g, '\r\n');
    const input = crlf(inWith(table([received(ROADMAP)])));
    const out = outTable([ROADMAP, COVERAGE]);
    const text = await fixed(out, input);
    assert.equal(text, crlf(inWith(table([received(ROADMAP), received(COVERAGE)]))));
    assert.ok(!/[^\r]\n/.test(text), JSON.stringify(text));
    assert.deepEqual((await after(out, text)).mismatches, []);
  });

  it('writes inputs handed off in a table as list items into a list of inputs received, from the row’s cells', async () => {
    const out = outTable([
      '| 1 | Remediation roadmap | `04-ARTIFACTS/remediation-roadmap.md` | what to fix first |',
      '| 2 | Coverage analysis | `04-ARTIFACTS/coverage-analysis.md` | a \\| b |',
    ]).replace(table([]), table([], '| # | Input | Location | Description |', '|---|---|---|---|'));
    const input = inWith('* Remediation roadmap: `../phase-1/04-ARTIFACTS/remediation-roadmap.md` - what to fix first');
    const text = await fixed(out, input);
    assert.equal(
      text,
      inWith(
        [
          '* Remediation roadmap: `../phase-1/04-ARTIFACTS/remediation-roadmap.md` - what to fix first',
          '* Coverage analysis: `../phase-1/04-ARTIFACTS/coverage-analysis.md` - a | b',
        ].join('\n'),
      ),
    );
    assert.deepEqual((await after(out, text)).mismatches, []);
  });

  it('writes inputs handed off in a table as list items into an empty section, a missing one, and a new input handoff', async () => {
    const out = outTable([ROADMAP, DEBT]);
    const items = [
      '- Remediation roadmap: `../phase-1/04-ARTIFACTS/remediation-roadmap.md` - what to fix first',
      '- Tech debt inventory: [debt](../phase-1/04-ARTIFACTS/tech-debt.md) - hot spots',
    ];
    // Empty section.
    let text = await fixed(out, `${SOURCE}## Inputs Received\n\n## Prerequisites\n\n- [x] Roadmap approved\n\n${QUESTIONS}`);
    assert.equal(text, inWith(items.join('\n')));
    assert.deepEqual((await after(out, text)).mismatches, []);
    // No section.
    text = await fixed(out, `${SOURCE}## Prerequisites\n\n- [x] Roadmap approved\n\n${QUESTIONS}`);
    assert.equal(text, inWith(items.join('\n')));
    // No input handoff: the file it creates.
    const { svc } = await workspace({ ...ARTIFACTS, [OUT]: out });
    const action = completeHandoff(svc, svc.findPhase('phase-2'))!;
    const [created] = action.change.creates;
    assert.equal(created.file, `${ROOT}/${IN}`);
    assert.match(
      created.text,
      new RegExp(`## Inputs Received\\n\\n${items.map((i) => i.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('\\n')}\\n\\n## Prerequisites`),
    );
    assert.deepEqual((await after(out, created.text)).mismatches, []);
  });

  it('offers nothing when every row handed off is in the table already, and Fix all leaves the table as it is', async () => {
    const out = outTable([ROADMAP, COVERAGE]);
    const input = inWith(table([received(COVERAGE), received(ROADMAP)]));
    const { svc } = await workspace({ ...ARTIFACTS, [OUT]: out, [IN]: input });
    assert.deepEqual(diagnosticsOf(svc, IN, 'handoff-mismatch'), []);
    assert.equal(completeHandoff(svc, svc.findPhase('phase-2')), undefined);
    // A table of inputs handed off in a list, all there.
    const list = outList(['- Remediation roadmap: `04-ARTIFACTS/remediation-roadmap.md` - what to fix first']);
    const { svc: svc2 } = await workspace({ ...ARTIFACTS, [OUT]: list, [IN]: inWith(table([received(ROADMAP)])) });
    assert.equal(completeHandoff(svc2, svc2.findPhase('phase-2')), undefined);
    assert.equal(fixAll(svc2, `${ROOT}/${IN}`), undefined);
  });

  it('is applied by Fix all', async () => {
    const out = outTable([ROADMAP, COVERAGE]);
    const input = inWith(table([received(ROADMAP)]));
    const { svc } = await workspace({ ...ARTIFACTS, [OUT]: out, [IN]: input });
    const all = fixAll(svc, `${ROOT}/${IN}`)!;
    assert.ok(all.codes.includes('handoff-mismatch'));
    assert.equal(applyEdits(input, all.change.edits[0].edits), inWith(table([received(ROADMAP), received(COVERAGE)])));
  });
});

describe('new phase: inputs handed off in a table', () => {
  it('prefills the new phase’s Inputs Received with the rows, as list items, paths rebased', async () => {
    const { svc } = await workspace({ ...ARTIFACTS, 'phase-2/00-PHASE_BRIEF.md': '', [OUT]: outTable([ROADMAP, DEBT]) });
    const plan = planNew(svc, { what: 'phase', folder: 'phase-2', layout: 'audit', date: '2026-01-05' });
    const input = plan.creates.find((c) => c.file === `${ROOT}/${IN}`)!;
    assert.match(
      input.text,
      /## Inputs Received\n\n- Remediation roadmap: `\.\.\/phase-1\/04-ARTIFACTS\/remediation-roadmap\.md` - what to fix first\n- Tech debt inventory: \[debt\]\(\.\.\/phase-1\/04-ARTIFACTS\/tech-debt\.md\) - hot spots\n/,
    );
  });
});

describe('new phase: prerequisites handed off in a table', () => {
  it('prefills the new phase’s Prerequisites with the rows’ names, unchecked, links rebased; the check then asks only that they be met', async () => {
    const out = [
      '# Phase 1 → Phase 2 Handoff',
      '',
      '## Phase 2 Prerequisites',
      '',
      '| # | Prerequisite | Status |',
      '|---|---|---|',
      '| 1 | Staging cluster provisioned | ✅ Met |',
      '| 2 | Roadmap [approved](04-ARTIFACTS/remediation-roadmap.md) | Pending |',
      '| 3 | [Prerequisite] | |',
      '',
    ].join('\n');
    const { svc } = await workspace({ ...ARTIFACTS, 'phase-2/00-PHASE_BRIEF.md': '', [OUT]: out });
    const plan = planNew(svc, { what: 'phase', folder: 'phase-2', layout: 'audit', date: '2026-01-05' });
    const input = plan.creates.find((c) => c.file === `${ROOT}/${IN}`)!;
    assert.match(
      input.text,
      /## Prerequisites\n\n- \[ \] Staging cluster provisioned\n- \[ \] Roadmap \[approved\]\(\.\.\/phase-1\/04-ARTIFACTS\/remediation-roadmap\.md\)\n\n/,
    );
    const { svc: after } = await workspace({ ...ARTIFACTS, [OUT]: out, [IN]: input.text });
    assert.deepEqual(
      diagnosticsOf(after, IN, 'prerequisite-unmet').map((d) => d.message),
      [
        'Prerequisite "Staging cluster provisioned" from phase-1 is not checked as met.',
        'Prerequisite "Roadmap [approved](../phase-1/04-ARTIFACTS/remediation-roadmap.md)" from phase-1 is not checked as met.',
      ],
    );
  });
});

describe('phasegate check --fix: inputs in a table', () => {
  it('adds the rows missing from a table of inputs received, and the check passes the handoff', async () => {
    const fsys = new WritableMemoryFileSystem();
    const out = outTable([ROADMAP, COVERAGE]);
    const input = inWith(table([received(ROADMAP)]));
    for (const [p, t] of Object.entries({ ...ARTIFACTS, [OUT]: out, [IN]: input })) fsys.write(`/ws/${p}`, t);
    const r = await run(['check', '--fix', '.'], fsys);
    assert.match(r.stdout, /^fixed phase-2\/01-INPUT_HANDOFF\.md: .*handoff-mismatch/m);
    assert.equal(fsys.text(`/ws/${IN}`), inWith(table([received(ROADMAP), received(COVERAGE)])));
    const check = await run(['check', '.', '--format', 'json'], fsys);
    const codes = (JSON.parse(check.stdout) as { diagnostics: { file: string; code: string }[] }).diagnostics.filter((d) => d.file === IN).map((d) => d.code);
    assert.ok(!codes.includes('handoff-mismatch'), codes.join(', '));
  });
});

describe('complete handoff: a table under a title that holds subsections', () => {
  for (const [what, input] of [
    [
      'a `# Inputs Received` title over the table, the other sections added below it',
      `# Inputs Received\n\n${table(['| Extra notes | `notes/extra.md` | ours |'])}\n`,
    ],
    [
      'a table in a subsection of the inputs title (`## Source`)',
      `# Inputs Received\n\n## Source\n\n${table(['| Extra notes | `notes/extra.md` | ours |'])}\n`,
    ],
  ] as const) {
    it(`is done in one run: ${what}`, async () => {
      const once = await fixed(outTable([ROADMAP, COVERAGE]), input);
      assert.ok(once.includes('| Extra notes | `notes/extra.md` | ours |'), once);
      const { mismatches, again } = await after(outTable([ROADMAP, COVERAGE]), once);
      // Every handed-off input is received (what is left is what phase 1 never handed off, which the fix keeps).
      assert.ok(mismatches.length > 0 && mismatches.every((m) => / was not handed off /.test(m)), mismatches.join('\n'));
      assert.equal(again && applyEdits(once, again.change.edits[0].edits), again ? once : undefined);
    });
  }
});

describe('complete handoff: open questions in a table', () => {
  const INPUTS = `## Phase 2 Inputs\n\n- Remediation roadmap: \`04-ARTIFACTS/remediation-roadmap.md\` - what to fix first\n`;
  const ASKED = [
    '| # | Question | Owner | Due |',
    '|---|---|---|---|',
    '| 1 | Which artifact registry do we standardise on? | Infra | 2025-02-01 |',
    '| 2 | Is the `billing` module in [scope](04-ARTIFACTS/tech-debt.md)? | Product | |',
  ].join('\n');
  const outWith = (questions: string) => `# Phase 1 → Phase 2 Handoff\n\n${INPUTS}\n## Open Questions\n\n${questions}\n`;
  const ROADMAP_IN = '- Remediation roadmap: `../phase-1/04-ARTIFACTS/remediation-roadmap.md` - what to fix first';
  const inQuestions = (questions: string) =>
    `${SOURCE}## Inputs Received\n\n${ROADMAP_IN}\n\n## Prerequisites\n\n- [x] Roadmap approved\n\n## Open Questions\n\n${questions}\n`;
  /** The input handoff after Complete handoff, and what a second run would still do (nothing). */
  const complete = async (out: string, input: string) => {
    const { svc } = await workspace({ ...ARTIFACTS, [OUT]: out, [IN]: input });
    const action = completeHandoff(svc, svc.findPhase('phase-2'));
    assert.ok(action, 'complete handoff offered');
    const text = applyEdits(input, action.change.edits[0].edits);
    return { text, again: (await after(out, text)).again };
  };

  it('does not carry questions answered already: a ticked or struck-out item, a row whose Status says so', async () => {
    const listed = ['- [ ] Which registry do we standardise on?', '- [x] Which region? → eu-west-1', '- ~~Do we need Redis?~~', '- Who owns the runbook?'].join(
      '\n',
    );
    const { text } = await complete(outWith(listed), inQuestions('- [Open question]'));
    assert.equal(text, inQuestions('- Which registry do we standardise on?\n- Who owns the runbook?'));
    const tabled = [
      '| # | Question | Status |',
      '|---|---|---|',
      '| 1 | Which registry? | Open |',
      '| 2 | Which region? | ✅ Resolved (eu-west-1) |',
      '| 3 | Do we need Redis? | **Answered** |',
      '| 4 | Who owns the runbook? | |',
    ].join('\n');
    const fromTable = await complete(outWith(tabled), inQuestions('- [Open question]'));
    assert.equal(fromTable.text, inQuestions('- Which registry? (Status: Open)\n- Who owns the runbook?'));
    // The input handoff `new phase` writes carries the open ones only, too.
    const { svc } = await workspace({ ...ARTIFACTS, 'phase-2/00-PHASE_BRIEF.md': '', [OUT]: outWith(tabled) });
    const input = planNew(svc, { what: 'phase', folder: 'phase-2', layout: 'audit', date: '2026-01-05' }).creates.find((c) => c.file === `${ROOT}/${IN}`)!;
    assert.match(input.text, /## Open Questions\n\n- Which registry\? \(Status: Open\)\n- Who owns the runbook\?\n/);
  });

  it('carries the rows of a table of open questions over into a list, as items with their other cells noted, links rebased', async () => {
    const { text, again } = await complete(outWith(ASKED), inQuestions('- [Open question]'));
    assert.equal(
      text,
      inQuestions(
        '- Which artifact registry do we standardise on? (Owner: Infra; Due: 2025-02-01)\n' +
          '- Is the `billing` module in [scope](../phase-1/04-ARTIFACTS/tech-debt.md)? (Owner: Product)',
      ),
    );
    assert.equal(again, undefined);
    // The question in the column headed so, wherever it is.
    const byOwner = outWith('| Owner | Question |\n|---|---|\n| Infra | Which artifact registry do we standardise on? |');
    const { text: text2, again: again2 } = await complete(byOwner, inQuestions('- Do we keep nightly builds?'));
    assert.equal(text2, inQuestions('- Do we keep nightly builds?\n- Which artifact registry do we standardise on? (Owner: Infra)'));
    assert.equal(again2, undefined);
  });

  it('adds the questions missing from a table of open questions as rows in its columns, numbered on, other cells noted after the question', async () => {
    const input = inQuestions('| No. | Question | Owner | Answer |\n|:--|:--|:--|:--|\n| 1. | Do we keep nightly builds? | QA | yes |');
    const { text, again } = await complete(outWith(ASKED), input);
    assert.equal(
      text,
      inQuestions(
        '| No. | Question | Owner | Answer |\n|:--|:--|:--|:--|\n| 1. | Do we keep nightly builds? | QA | yes |\n' +
          '| 2. | Which artifact registry do we standardise on? (Due: 2025-02-01) | Infra |  |\n' +
          '| 3. | Is the `billing` module in [scope](../phase-1/04-ARTIFACTS/tech-debt.md)? | Product |  |',
      ),
    );
    assert.equal(again, undefined);
    // A question asked already (in a row or an item, with notes of its own) is not asked again; a table of placeholders is replaced.
    const some = inQuestions('| Question | Owner |\n|---|---|\n| Which artifact registry do we standardise on? | Infra |');
    const { text: text2 } = await complete(outWith(ASKED), some);
    assert.equal(text2, `${some}| Is the \`billing\` module in [scope](../phase-1/04-ARTIFACTS/tech-debt.md)? | Product |\n`);
    const template = inQuestions('| # | Question | Owner |\n|---|---|---|\n| 1 | [Open question] | [Owner] |');
    const { text: text3 } = await complete(outWith(ASKED), template);
    assert.equal(
      text3,
      inQuestions(
        '| # | Question | Owner |\n|---|---|---|\n| 1 | Which artifact registry do we standardise on? (Due: 2025-02-01) | Infra |\n' +
          '| 2 | Is the `billing` module in [scope](../phase-1/04-ARTIFACTS/tech-debt.md)? | Product |',
      ),
    );
  });

  it('writes questions asked in a list into a table of open questions, in its question column', async () => {
    const out = outWith('- Which artifact registry do we standardise on?\n- Is a | b in scope?');
    const input = inQuestions('| # | Owner | Question |\n|---|---|---|\n| 1 | QA | Do we keep nightly builds? |');
    const { text, again } = await complete(out, input);
    assert.equal(text, `${input}| 2 |  | Which artifact registry do we standardise on? |\n| 3 |  | Is a \\| b in scope? |\n`);
    assert.equal(again, undefined);
  });

  it('carries no row whose question cell is empty: its owner is not asked as a question, once or again', async () => {
    const out = outWith(`${ASKED}\n| 3 |  | Infra | 2025-03-01 |`);
    const one = '| # | Question | Owner |\n|---|---|---|\n| 1 | Which artifact registry do we standardise on? | Infra |';
    const { text, again } = await complete(out, inQuestions(one));
    assert.equal(text, inQuestions(`${one}\n| 2 | Is the \`billing\` module in [scope](../phase-1/04-ARTIFACTS/tech-debt.md)? | Product |`));
    assert.equal(again, undefined);
    const { text: listed, again: listedAgain } = await complete(out, inQuestions('- Do we keep nightly builds?'));
    assert.doesNotMatch(listed, /Infra \(|Due: 2025-03-01/);
    assert.equal(listedAgain, undefined);
    const { svc } = await workspace({ ...ARTIFACTS, 'phase-2/00-PHASE_BRIEF.md': '', [OUT]: out });
    const input = planNew(svc, { what: 'phase', folder: 'phase-2', layout: 'audit', date: '2026-01-05' }).creates.find((c) => c.file === `${ROOT}/${IN}`)!;
    assert.doesNotMatch(input.text, /Infra \(|Due: 2025-03-01/);
  });

  it('new phase after a handoff of no open question writes "None carried over." (no placeholder to delete); questions asked later take its place', async () => {
    // Phase 1 as `new phase` writes it (its questions still the template's placeholder), then phase 2 from it.
    const { svc: empty } = await workspace({});
    const one = planNew(empty, { what: 'phase', layout: 'audit', title: 'Audit', date: '2026-01-05' });
    const files: Record<string, string> = {};
    for (const c of one.creates) files[c.file.slice(ROOT.length + 1)] = c.text;
    const { svc: svc1 } = await workspace(files);
    const two = planNew(svc1, { what: 'phase', layout: 'audit', title: 'Testing', date: '2026-01-05' });
    for (const c of two.creates) files[c.file.slice(ROOT.length + 1)] = c.text;
    assert.match(files[IN], /## Open Questions\n\nNone carried over\.\n$/);
    const { svc } = await workspace(files);
    assert.deepEqual(
      diagnosticsOf(svc, IN, 'unfilled-placeholder').filter((d) => d.range.start.line > files[IN].split('\n').indexOf('## Open Questions')),
      [],
    );
    assert.equal(svc.status(svc.findPhase('phase-2')!), 'not-started');
    // Phase 1 asks a question: phase 2, untouched, is still not started, and Complete handoff writes it over the none.
    const asked = files[OUT].replace('- [Open question]', '- Which registry?');
    assert.notEqual(asked, files[OUT]);
    const { svc: later } = await workspace({ ...files, [OUT]: asked });
    assert.equal(later.status(later.findPhase('phase-2')!), 'not-started');
    const text = applyEdits(files[IN], completeHandoff(later, later.findPhase('phase-2'))!.change.edits[0].edits);
    assert.match(text, /## Open Questions\n\n- Which registry\?\n$/);
  });

  it('writes the rows as items into a new input handoff, and into the one `new phase` writes', async () => {
    const out = outWith(ASKED);
    const { svc } = await workspace({ ...ARTIFACTS, [OUT]: out });
    const [created] = completeHandoff(svc, svc.findPhase('phase-2'))!.change.creates;
    assert.match(created.text, /## Open Questions\n\n- Which artifact registry do we standardise on\? \(Owner: Infra; Due: 2025-02-01\)\n- Is the `billing`/);
    assert.equal((await after(out, created.text)).again, undefined);
    const { svc: svc2 } = await workspace({ ...ARTIFACTS, 'phase-2/00-PHASE_BRIEF.md': '', [OUT]: out });
    const plan = planNew(svc2, { what: 'phase', folder: 'phase-2', layout: 'audit', date: '2026-01-05' });
    const input = plan.creates.find((c) => c.file === `${ROOT}/${IN}`)!;
    assert.match(
      input.text,
      /## Open Questions\n\n- Which artifact registry do we standardise on\? \(Owner: Infra; Due: 2025-02-01\)\n- Is the `billing` module in \[scope\]\(\.\.\/phase-1\/04-ARTIFACTS\/tech-debt\.md\)\? \(Owner: Product\)\n/,
    );
  });
});
