/**
 * Property-based checks of prerequisites written as table rows (prerequisite-unmet, its add fix, complete
 * handoff), project plans written as checklists (plan-status-mismatch, the add-row fix, `new`'s plan edit) and
 * the front matter value and key fixes, over random documents: no rule or fix fails, every range lies inside
 * its document, a fix keeps the user's text and line endings, does what it says, and has nothing left to do
 * when run again.
 * FUZZ_RUNS sets the number of cases (default 100), FUZZ_SEED the seed (fast-check prints it on a failure).
 */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { applyEdits, codeActions, parseDocument, PhasegateService, Diagnostic, TextEdit } from '../../server/src/service';
import { completeHandoff } from '../../server/src/service/fixes/phase';
import { planRowEdits, replanRow } from '../../server/src/service/plan-row';
import { ROOT } from '../helpers/workspace';
import { assertRangesInside } from '../helpers/ranges';
import { fuzzTimeout, loud, textOf, withEol } from '../helpers/fuzz';
import { wordsOnly } from '../../server/src/service/rules/phase-plan';
import { assertLinear, overlaid } from '../helpers/linear';

const RUNS = Number(process.env.FUZZ_RUNS ?? 100);
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;
const params = (runs = RUNS) => ({ numRuns: runs, seed: SEED });

const onlyCrlf = (text: string) => text.includes('\r\n') && !/\n/.test(text.replace(/\r\n/g, ''));

/** `text` after a few random character edits (deletions, insertions of table and list syntax). */
const mutate = (text: fc.Arbitrary<string>) =>
  fc
    .tuple(
      text,
      fc.array(
        fc.tuple(fc.nat(), fc.nat({ max: 6 }), fc.constantFrom('', '|', '\\|', '- [ ] ', '\n', '\r\n', '`', '<!--', '-->', '[', '](', ' — ', ':', '#', '\t')),
        { maxLength: 5 },
      ),
    )
    .map(([t, muts]) => {
      let out = t;
      for (const [at, del, ins] of muts) {
        const i = out.length ? at % out.length : 0;
        out = out.slice(0, i) + ins + out.slice(i + del);
      }
      return out;
    });

/** Every fix offered for `file`'s diagnostics, applied alone: no failure, its edits inside the document, the result checked again without failure. */
function assertFixesSafe(svc: PhasegateService, file: string, text: string): void {
  const doc = parseDocument(text);
  const diags = svc.diagnose(file);
  assertRangesInside(doc, diags);
  for (const a of codeActions(svc, diags)) {
    const edits = editsOf(a.change.edits, file);
    assertRangesInside(
      doc,
      edits.map((e) => ({ range: e.range, code: a.title })),
    );
    const once = applyEdits(text, edits);
    svc.setOverlay(file, once);
    assertRangesInside(parseDocument(once), svc.diagnose(file));
    svc.setOverlay(file, text);
  }
}

/**
 * The user's lines of `before` are all in `after`, in order, unchanged: all but those the fixes may replace by
 * design (`isTemplate`: a template's placeholders, an empty item), and the blank lines between two of those (the
 * placeholders of a loose list, `- [ ] [Prerequisite]`, a blank, `- [ ] [Prerequisite]`, replaced by one item).
 */
function assertKept(before: string, after: string, isTemplate: (line: string) => boolean, what: string): void {
  const lines = before.split(/\r\n|\n/);
  const blank = (i: number) => lines[i].trim() === '';
  const template = (i: number) => i >= 0 && i < lines.length && !blank(i) && isTemplate(lines[i]);
  const between = (i: number) => {
    let a = i - 1;
    let b = i + 1;
    while (a >= 0 && blank(a)) a--;
    while (b < lines.length && blank(b)) b++;
    return template(a) && template(b);
  };
  const kept = lines.filter((l, i) => (blank(i) ? !between(i) : !isTemplate(l)));
  let j = 0;
  for (const l of after.split(/\r\n|\n/)) if (j < kept.length && l === kept[j]) j++;
  assert.equal(j, kept.length, `${what}: the user's line ${JSON.stringify(kept[j])} was removed or changed`);
  if (onlyCrlf(before)) assert.ok(!/[^\r]\n/.test(after), `${what}: a bare LF was written into a CRLF document`);
}

function editsOf(actionEdits: { file: string; edits: TextEdit[] }[], file: string): TextEdit[] {
  return actionEdits.flatMap((e) => (e.file === file ? e.edits : []));
}

// ---------------------------------------------------------------- prerequisites as table rows

/** Prerequisite names as written in a list (a table escapes their pipes). */
const NAMES = [
  'Test environment provisioned',
  'Audit findings reviewed',
  'Access to a | b granted',
  '`make test` passes',
  'Staging ready <!-- ask ops -->',
  'Secrets in **vault**',
  'Données migrées',
  'CI — green',
  'Ticket #12 closed',
  '[Prerequisite]',
  'Run `grep a|b` once',
  'Share at C:\\temp\\',
  'Pipe a \\\\| b',
  'Read [report](04-ARTIFACTS/audit-report.md)',
  '1. Numbered first',
];
const STATUSES = [
  '✔️',
  '☑',
  '🟢 ok',
  '⚠️ partially',
  'Y',
  'N',
  '✅',
  '✅ Met',
  '❌',
  'Yes',
  'yes (Jan 12)',
  'Pending',
  '⏳ Pending',
  '',
  '[x]',
  '[ ]',
  'No',
  '**Done**',
  'n/a',
  '`ok`',
  '[Status]',
];
const HEADERS: string[][] = [
  ['#', 'Prerequisite', 'Status'],
  ['Prerequisite', 'Status'],
  ['Item', 'Met'],
  ['Name'],
  ['No', 'Requirement', 'Owner', 'Done'],
  ['Prerequisite', 'Owner'],
  ['', 'What', 'State'],
  ['ID', 'Condition', 'Ready', 'Notes'],
  ['#', 'Status'],
  ['Status'],
  ['Owner', 'Status'],
];

const name = fc.constantFrom(...NAMES);
const listItem = fc
  .tuple(fc.constantFrom('- [ ] ', '- [x] ', '- ', '* [X] ', '1. [ ] ', '  - [ ] '), name, fc.constantFrom('', ' — owner: Infra', ' <!-- x -->'))
  .map(([m, n, tail]) => `${m}${n}${tail}`);
const table = fc
  .tuple(
    fc.constantFrom(...HEADERS),
    fc.array(fc.tuple(name, fc.constantFrom(...STATUSES), fc.nat({ max: 9 }), fc.constantFrom('full', 'full', 'short', 'long')), { maxLength: 4 }),
    fc.constantFrom('outer', 'bare', 'tight'),
    fc.constantFrom('', '', '', '> ', '  '),
  )
  .map(([header, rows, style, indent]) => {
    const row = (cells: string[]) =>
      style === 'outer' ? `| ${cells.join(' | ')} |` : style === 'tight' ? `|${cells.join('|')}|` : cells.map((c) => c || ' ').join(' | ');
    const lines = [row(header), row(header.map((_h, i) => (i % 2 ? ':---:' : '---')))];
    for (const [n, status, num, shape] of rows) {
      const cells = header.map((h) => {
        const k = h.toLowerCase();
        if (k === '#' || k === 'no' || k === 'id' || k === '') return String(num);
        if (/status|met|done|state|ready/.test(k)) return status;
        if (/owner|notes/.test(k)) return 'Infra';
        return n.replace(/\|/g, '\\|');
      });
      // Rows with a cell fewer or more than the header has.
      if (shape === 'short' && cells.length > 1) cells.pop();
      if (shape === 'long') cells.push('extra');
      lines.push(row(cells));
    }
    return lines.map((l) => indent + l).join('\n');
  });
const prerequisiteBlock = fc.oneof(
  { weight: 3, arbitrary: fc.array(listItem, { minLength: 1, maxLength: 3 }).map((l) => l.join('\n')) },
  { weight: 4, arbitrary: table },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      'Confirm these with ops.',
      '<!-- Test environment provisioned -->',
      '`Audit findings reviewed`',
      '- [ ] [Prerequisite]',
      '',
      '| # | Prerequisite | Status |\n|---|---|---|\n| 1 | [Prerequisite] | [Status] |',
      '### Infra\n\n| Prerequisite | Status |\n|---|---|\n| Test environment provisioned | ✅ |',
      '<!--\n| Prerequisite | Status |\n|---|---|\n| Audit findings reviewed | ✅ |\n-->',
    ),
  },
);
const prerequisites = fc.array(prerequisiteBlock, { maxLength: 3 }).map((b) => b.join('\n\n'));

const OUT = (pre: string) => `# Phase 1 → Phase 2 Handoff

## Phase 1 Summary

- Audit completed

## Phase 2 Prerequisites

${pre}

## Phase 2 Inputs

- Audit report: [report](04-ARTIFACTS/audit-report.md) - the code quality findings

## Open Questions

- Which CI runner do we standardise on?
`;

const IN = (pre: string | undefined) => `# Phase 2 Input Handoff

## Source

- [Phase 1 output handoff](../phase-1/06-OUTPUT_HANDOFF.md)

## Inputs Received

- Audit report: [report](../phase-1/04-ARTIFACTS/audit-report.md) - findings
${pre === undefined ? '' : `\n## Prerequisites\n\n${pre}\n`}
## Open Questions

- Which CI runner do we standardise on?
`;

const handoffCase = fc.record({
  out: prerequisites,
  in: fc.option(prerequisites, { nil: undefined, freq: 6 }),
  outEol: fc.constantFrom('\n', '\r\n'),
  inEol: fc.constantFrom('\n', '\r\n'),
});

/** A line the fixes may fill by design: the template's placeholders alone (`- [ ] [Prerequisite]`, `| [Prerequisite] | [Status] |`) or an empty item. */
const templateLine = (l: string) =>
  /^\s*(?:(?:[-*+]|\d+[.)])(?:\s+(?:\[[ xX]?\]\s*)?|$))?(?:\[[A-Z][^\]]*\]\s*)*$/.test(l) ||
  // A row of placeholders, numbers and marks (`| 1 | [Prerequisite] | ✔️ |`): its status says nothing of a placeholder.
  (/\[[A-Z][^\]]*\]/.test(l) &&
    /^\s*\|?(?:[^|\p{L}\p{N}]*(?:\[[A-Z][^\]]*\]|\d+)?[^|\p{L}\p{N}]*\|)*[^|\p{L}\p{N}]*(?:\[[A-Z][^\]]*\]|\d+)?[^|\p{L}\p{N}]*$/u.test(l));

const IN_PATH = 'phase-2/01-INPUT_HANDOFF.md';
const OUT_PATH = 'phase-1/06-OUTPUT_HANDOFF.md';
const missingPrerequisite = (d: Diagnostic) => d.code === 'prerequisite-unmet' && / is not in "Prerequisites"/.test(d.message);

describe('fuzz: prerequisites as table rows', function () {
  this.timeout(120000);
  let svc: PhasegateService;
  before(async () => {
    svc = await loud({
      'phase-1/04-ARTIFACTS/audit-report.md': '# Report\n',
      [OUT_PATH]: OUT('- [ ] Test environment provisioned'),
      'phase-2/00-PHASE_BRIEF.md': '# Phase 2: Testing\n',
      [IN_PATH]: IN(''),
    });
  });

  it('the rule, the add fix and complete handoff are safe, minimal and idempotent on any mix of items and tables', () => {
    const inFile = `${ROOT}/${IN_PATH}`;
    const outFile = `${ROOT}/${OUT_PATH}`;
    fc.assert(
      fc.property(handoffCase, (c) => {
        const out = withEol(OUT(c.out), c.outEol);
        const text = withEol(IN(c.in), c.inEol);
        svc.setOverlay(outFile, out);
        svc.setOverlay(inFile, text);
        const doc = parseDocument(text);
        assertRangesInside(parseDocument(out), svc.diagnose(outFile));
        const diags = svc.diagnose(inFile);
        assertRangesInside(doc, diags);

        // Each add fix alone: the prerequisite is there after it (reported at most as not met), and it is not offered again.
        for (const d of diags.filter(missingPrerequisite)) {
          const actions = codeActions(svc, [d]);
          assert.ok(actions.length <= 1);
          if (!actions.length) continue;
          const edits = editsOf(actions[0].change.edits, inFile);
          assertRangesInside(
            doc,
            edits.map((e) => ({ range: e.range, code: 'edit' })),
          );
          const once = applyEdits(text, edits);
          assertKept(text, once, templateLine, actions[0].title);
          svc.setOverlay(inFile, once);
          const after = svc.diagnose(inFile);
          assertRangesInside(parseDocument(once), after);
          const wanted = d.data?.text;
          const still = after.filter((x) => missingPrerequisite(x) && x.data?.text === wanted);
          assert.deepEqual(
            still.map((x) => x.message),
            [],
            `after "${actions[0].title}":\n${once}`,
          );
          for (const a of codeActions(svc, after.filter(missingPrerequisite)))
            assert.ok(!a.title.includes(`"${wanted}"`) || applyEdits(once, editsOf(a.change.edits, inFile)) === once, 'the add fix is offered again');
          svc.setOverlay(inFile, text);
        }

        // Complete handoff: every prerequisite there afterwards (unmet at most), and a second run changes nothing.
        const phase = svc.findPhase('phase-2');
        const action = completeHandoff(svc, phase);
        const missing = diags.filter(missingPrerequisite);
        if (!action) {
          assert.deepEqual(
            missing.map((d) => d.message),
            [],
            'complete handoff offers nothing while prerequisites are missing',
          );
          return;
        }
        const edits = editsOf(action.change.edits, inFile);
        const once = applyEdits(text, edits);
        assertKept(text, once, templateLine, 'complete handoff');
        svc.setOverlay(inFile, once);
        const after = svc.diagnose(inFile);
        assertRangesInside(parseDocument(once), after);
        assert.deepEqual(
          after.filter(missingPrerequisite).map((d) => d.message),
          [],
          `after complete handoff:\n${once}`,
        );
        const again = completeHandoff(svc, phase);
        if (again) assert.equal(applyEdits(once, editsOf(again.change.edits, inFile)), once, `a second complete handoff changes:\n${once}`);
      }),
      params(),
    );
  });

  it('no rule or fix fails on mutated handoffs, and their ranges stay inside', () => {
    const inFile = `${ROOT}/${IN_PATH}`;
    const outFile = `${ROOT}/${OUT_PATH}`;
    fc.assert(
      fc.property(mutate(prerequisites.map(OUT)), mutate(fc.option(prerequisites, { nil: undefined }).map(IN)), (out, text) => {
        svc.setOverlay(outFile, out);
        svc.setOverlay(inFile, text);
        assertRangesInside(parseDocument(out), svc.diagnose(outFile));
        assertFixesSafe(svc, inFile, text);
        const action = completeHandoff(svc, svc.findPhase('phase-2'));
        if (action)
          assertRangesInside(
            parseDocument(text),
            editsOf(action.change.edits, inFile).map((e) => ({ range: e.range, code: 'complete handoff' })),
          );
      }),
      params(),
    );
  });
});

// ---------------------------------------------------------------- project plans as checklists

interface PlanPhase {
  ws: string;
  n: number;
  folder: string;
  title: string;
}
const PHASES: PlanPhase[] = [
  { ws: 'Build', n: 1, folder: 'Phase_1_CI', title: 'CI Setup' },
  { ws: 'Build', n: 2, folder: 'Phase_2_Deps', title: 'Dependencies' },
  { ws: 'Build', n: 3, folder: 'Phase_3_Release', title: 'Release' },
  { ws: 'Deploy', n: 1, folder: 'Phase_1_Envs', title: 'Environments' },
  { ws: 'Deploy', n: 2, folder: 'Phase_2_Rollout', title: 'Rollout' },
  { ws: 'Data_Pipeline', n: 1, folder: 'Phase_1_Ingest', title: 'Ingest' },
];
/** Phases no case creates: named by plans as ghosts, and added as new ones by `new`. */
const NEW_PHASES: PlanPhase[] = [
  { ws: 'Build', n: 4, folder: 'Phase_4_Docs', title: 'Docs' },
  { ws: 'Ops', n: 1, folder: 'Phase_1_Monitor', title: 'Monitoring' },
];
const PLAN_PATH = 'proj/project_implementation_plan.md';
const promptOf = (p: PlanPhase) => `# Phase ${p.n}: ${p.title}\n\n## Objective\n\nDo it.\n\n## Deliverables\n\n- A thing\n`;
const phaseFiles = (ps: PlanPhase[]) => Object.fromEntries(ps.map((p) => [`proj/workstreams/${p.ws}/${p.folder}/implementation_prompt.md`, promptOf(p)]));

const anyPhase = fc.constantFrom(...PHASES, ...NEW_PHASES);
const phaseName = fc.tuple(anyPhase, fc.nat({ max: 13 })).map(([p, k]) => {
  switch (k) {
    case 0:
      return `Phase ${p.n}: ${p.title}`;
    case 1:
      return `**Phase ${p.n}**: ${p.title}`;
    case 2:
      return `**Phase ${p.n}: ${p.title} (iAI Prompt-Driven)**`;
    case 3:
      return p.folder;
    case 4:
      return `${p.ws}/${p.folder}`;
    case 5:
      return `[${p.folder}](workstreams/${p.ws}/${p.folder}/implementation_prompt.md)`;
    case 6:
      return `[Phase ${p.n}](workstreams/${p.ws}/${p.folder}/)`;
    case 7:
      return `_Phase ${p.n}_`;
    case 8:
      return `~~Phase ${p.n}: ${p.title}~~`;
    case 9:
      return `${p.title} ([prompt](workstreams/${p.ws}/${p.folder}/implementation_prompt.md))`;
    case 10:
      return `\`${p.folder}\``;
    case 11:
      return `Phase ${p.n} <!-- ${p.title} — Done -->`;
    case 12:
      return `[Phase ${p.n} (${p.title})](<workstreams/${p.ws}/${p.folder}/>)`;
    default:
      return `Phase ${p.n}`;
  }
});
const note = fc.constantFrom(
  'Reviewed weekly',
  'Phase two follows the first',
  'See [the design](docs/design.md)',
  'Phases 3 to 5 in Q3',
  '[Phase]',
  'Order servers',
);
const planStatus = fc.constantFrom(
  '',
  '',
  ' — Done',
  ': Complete',
  ' (in progress)',
  ' - Not started',
  ' – ✅',
  ' — Verified & Integrated',
  ' (Weeks 1-2)',
  ' — after [Deps](workstreams/Build/Phase_2_Deps/)',
  ': **Completed**',
);
const planItemArb = fc
  .tuple(
    fc.constantFrom('- ', '* ', '+ ', '1. ', '2) ', '-   ', '  - ', '> - '),
    fc.constantFrom('', '', '[ ] ', '[x] ', '[X] '),
    fc.oneof({ weight: 4, arbitrary: phaseName }, { weight: 1, arbitrary: note }),
    planStatus,
    fc.constantFrom('', '', '\n    - **Description:** notes'),
  )
  .map((p) => p.join(''));
const wsHeading = fc.constantFrom(
  '### Build Workstream',
  '### 3.1. Build Workstream (iAI Managed)',
  '### Deploy',
  '### Data Pipeline Workstream',
  '### Data_Pipeline',
  '### Remarks',
  '',
);
const planTable = fc.constantFrom(
  '| Workstream | Phase | Status |\n| --- | --- | --- |\n| Build | Phase_1_CI | Complete |',
  '| Phase | Status |\n|---|---|\n| [Phase]| Not started |',
);
const planSection = fc
  .tuple(wsHeading, fc.array(planItemArb, { minLength: 1, maxLength: 5 }), fc.boolean(), fc.option(planTable, { freq: 5 }))
  .map(([h, items, loose, t]) => (h ? `${h}\n\n` : '') + items.join(loose ? '\n\n' : '\n') + (t ? `\n\n${t}` : ''));
const planCase = fc.record({
  phases: fc.subarray(PHASES, { minLength: 1 }),
  sections: fc.array(planSection, { minLength: 1, maxLength: 3 }),
  notes: fc.boolean(),
  eol: fc.constantFrom('\n', '\r\n'),
  added: fc.constantFrom(...NEW_PHASES),
});
const planText = (sections: string[], notes: boolean) =>
  `# Project Implementation Plan\n\n## Phase Status\n\n${sections.join('\n\n')}\n${notes ? '\n## Notes\n\nNone.\n' : ''}`;
/** The template's row, which the first phase's row replaces by design (`| [Workstream] | [Phase] | Not started |`). */
const templateRow = (l: string) => /^\s*\|(?:\s*(?:\[[A-Z][^\]]*\]|not started|)\s*\|)+\s*$/i.test(l);
const missingRow = (d: Diagnostic) => d.code === 'plan-status-mismatch' && / has no (row|item) /.test(d.message);
const newPhase = (p: PlanPhase) => ({
  id: `${p.ws}/${p.folder}`,
  folder: `${ROOT}/proj/workstreams/${p.ws}/${p.folder}`,
  number: p.n,
  workstream: p.ws,
  title: p.title,
});

describe('fuzz: project plans as checklists', function () {
  this.timeout(120000);

  it("the rule, the add-row fix and `new`'s plan edit are safe, minimal and complete on any checklist plan", async () => {
    await fc.assert(
      fc.asyncProperty(planCase, async (c) => {
        const file = `${ROOT}/${PLAN_PATH}`;
        const text = withEol(planText(c.sections, c.notes), c.eol);
        const svc = await loud({ [PLAN_PATH]: text, ...phaseFiles(c.phases) });
        const diags = svc.diagnose(file);
        assertRangesInside(parseDocument(text), diags);
        const ghosts = (ds: Diagnostic[]) => ds.filter((d) => /^No phase /.test(d.message)).length;

        // The add-row fix, one missing phase at a time: each keeps the plan's text, and in the end no phase is missing.
        let fixed = text;
        for (let i = 0; i <= c.phases.length; i++) {
          const ds = svc.diagnose(file);
          const d = ds.find(missingRow);
          if (!d) break;
          const [a] = codeActions(svc, [d]);
          assert.ok(a, `no fix for "${d.message}" in:\n${fixed}`);
          const next = applyEdits(fixed, editsOf(a.change.edits, file));
          assertKept(fixed, next, templateRow, a.title);
          fixed = next;
          svc.setOverlay(file, fixed);
          assertRangesInside(parseDocument(fixed), svc.diagnose(file));
        }
        const after = svc.diagnose(file);
        assert.deepEqual(
          after.filter(missingRow).map((d) => d.message),
          [],
          `after the add-row fixes:\n${fixed}`,
        );
        assert.ok(ghosts(after) <= ghosts(diags), `an added item names no phase:\n${fixed}`);
        // Applied again (as `new` would for a phase the plan now has): nothing to add.
        for (const p of c.phases)
          assert.equal(
            replanRow(fixed, file, ROOT, newPhase(p), 'implementation_prompt.md', [...new Set(c.phases.map((q) => q.ws))]),
            undefined,
            `${p.folder} added twice to:\n${fixed}`,
          );

        // `new`'s plan edit for a phase about to be created: once written, the plan has its item or row, and a second edit adds nothing.
        const p = newPhase(c.added);
        svc.setOverlay(file, text);
        for (const e of planRowEdits(svc, p, 'implementation_prompt.md')) {
          if (!e.edits.length) continue;
          assert.equal(e.file, file);
          const planned = applyEdits(text, e.edits);
          assertKept(text, planned, templateRow, e.reason);
          const svc2 = await loud({ [PLAN_PATH]: planned, ...phaseFiles([...c.phases, c.added]) });
          assert.deepEqual(
            svc2
              .diagnose(file)
              .filter((d) => missingRow(d) && d.message.includes(p.id))
              .map((d) => d.message),
            [],
            `after new's edit:\n${planned}`,
          );
          assert.equal(replanRow(planned, file, ROOT, p, 'implementation_prompt.md', [...new Set([...c.phases, c.added].map((q) => q.ws))]), undefined);
        }
      }),
      params(),
    );
  });

  it('no rule or fix fails on mutated plans, and their ranges stay inside', async () => {
    const svc = await loud({ [PLAN_PATH]: planText(['- [ ] Phase 1'], false), ...phaseFiles(PHASES) });
    const file = `${ROOT}/${PLAN_PATH}`;
    fc.assert(
      fc.property(
        mutate(fc.tuple(fc.array(planSection, { minLength: 1, maxLength: 3 }), fc.boolean()).map(([sections, notes]) => planText(sections, notes))),
        (text) => {
          svc.setOverlay(file, text);
          assertFixesSafe(svc, file, text);
        },
      ),
      params(),
    );
  });

  it('trims the symbols around a status as a reading of its characters does, surrogate pairs and lone halves alike', () => {
    // What wordsOnly did before it scanned in place: an array of the characters, trimmed at both ends.
    const reference = (text: string) => {
      const chars = [...text];
      const word = (c: string) => /[\p{L}\p{N}]/u.test(c);
      let a = 0;
      let b = chars.length;
      while (a < b && !word(chars[a])) a++;
      while (b > a && !word(chars[b - 1])) b--;
      return chars.slice(a, b).join('');
    };
    const pieces = ['a', 'Z', '1', '!', ' ', '✅', '😀', '\ud83d', '\ude00', 'é', '-', '𝟘', '&', '🇫🇷'];
    fc.assert(
      fc.property(textOf(pieces, 10), (t) => assert.equal(wordsOnly(t), reference(t), JSON.stringify(t))),
      { numRuns: Math.max(3000, RUNS) },
    );
  });

  it('reads a table row whose status holds a long run of symbols between its words in linear time', async () => {
    // `Verified … Integrated`: complete, said as the plan says it, its symbols trimmed (was quadratic: seconds at 100k).
    // The plan set again in each run, so that each reads it again.
    for (const run of ['!', ' ', '-', '✅ ']) {
      const text = (chars: number) => {
        const status = `Verified ${run.repeat(Math.ceil(chars / run.length))} Integrated`;
        return `# Plan\n\n## Phase Status\n\n| Workstream | Phase | Status |\n|---|---|---|\n| Build | Phase 1 | ${status} |\n`;
      };
      const svc = await loud({ [PLAN_PATH]: text(100_000), ...phaseFiles(PHASES) });
      const file = `${ROOT}/${PLAN_PATH}`;
      const check = () => {
        const ds = svc.diagnose(file);
        assert.ok(
          ds.some((d) => d.message.includes('marks Build/Phase_1_CI Verified')),
          ds.map((d) => d.message.slice(0, 80)).join('\n'),
        );
      };
      check();
      assertLinear(
        `a run of ${JSON.stringify(run)}`,
        overlaid(svc, file, text, () => check()),
        { n: 6250 },
      );
    }
  });

  it('reads a single adversarial item of ~100k characters in linear time (rule and add-row fix)', async function () {
    const runs = Math.max(4, Math.round(RUNS / 5));
    // A run reads an item of 100,000 characters, then times items of 6,250 to 100,000 several times: up to a second on a
    // loaded machine.
    this.timeout(fuzzTimeout(runs, 1000));
    const unit = fc.constantFrom(
      ' ',
      '_',
      '-',
      ' -',
      ' - ',
      '(',
      ')',
      '()',
      '[a](',
      '](',
      '`',
      '<!--',
      ':',
      ': ',
      '—',
      '*',
      '**',
      '~~',
      '\\',
      '|',
      ' — Done',
      'Phase 1 ',
      '[x]',
      '](workstreams/',
      '_Phase_1',
      'a',
    );
    const svc = await loud({ [PLAN_PATH]: planText(['- [ ] Phase 1'], false), ...phaseFiles(PHASES) });
    const file = `${ROOT}/${PLAN_PATH}`;
    await fc.assert(
      fc.asyncProperty(fc.tuple(planItemArb, fc.array(unit, { minLength: 1, maxLength: 3 }), planStatus, fc.boolean()), async ([head, units, tail, last]) => {
        const run = units.join('');
        const textOf = (chars: number) => {
          const item = head.split('\n')[0] + run.repeat(Math.ceil(chars / run.length)) + tail;
          // Last, the item is the one the add-row fix shapes the new item after.
          const items = last ? `- [ ] Phase 2: Dependencies\n${item}` : `${item}\n- [ ] Phase 2: Dependencies`;
          return planText([`### Build Workstream\n\n${items}`], true);
        };
        const text = textOf(100_000);
        svc.setOverlay(file, text);
        const ds = svc.diagnose(file);
        codeActions(svc, ds.filter(missingRow));
        assertRangesInside(parseDocument(text), ds);
        // The plan set again in each run, so that each reads it again.
        assertLinear(
          `${JSON.stringify(head)} + ${JSON.stringify(run)} × n + ${JSON.stringify(tail)}`,
          overlaid(svc, file, textOf, () => codeActions(svc, svc.diagnose(file).filter(missingRow))),
          { n: 6250 },
        );
        // Deploy phase 1 or, when the item names it, Data_Pipeline phase 1 is missing (an item names one phase).
        assert.ok(
          ['Deploy/Phase_1_Envs', 'Data_Pipeline/Phase_1_Ingest'].some((id) => ds.some((d) => missingRow(d) && d.message.includes(id))),
          'the plan rule ran',
        );
      }),
      params(runs),
    );
  });
});

// ---------------------------------------------------------------- front matter values and keys

const BRIEF = 'phase-1/00-PHASE_BRIEF.md';
const ENUM = ['draft', 'in-progress', 'review', 'complete', 'blocked'];
const KEYS = ['phase', 'title', 'status', 'owner', 'date', 'reviewers', 'tags', 'version', 'weeks', 'start', 'depends_on'];

/** A value written for one of `allowed`: in another case or with other separators, or a word people use for a status. */
const looseValue = (allowed: string[]) =>
  fc.oneof(
    fc
      .tuple(fc.constantFrom(...allowed), fc.constantFrom('upper', 'title', 'space', 'under', 'same'))
      .map(([v, how]) =>
        how === 'upper'
          ? v.toUpperCase()
          : how === 'title'
            ? v.replace(/(^|[\s_-])(\p{L})/gu, (_m, a: string, b: string) => a + b.toUpperCase())
            : how === 'space'
              ? v.replace(/-/g, ' ')
              : how === 'under'
                ? v.replace(/[-\s]/g, '_')
                : v,
      ),
    fc.constantFrom('Done', 'on hold', 'Ready for review', 'WIP', 'not started', 'To-Do', 'shipped', 'Signed off'),
  );
/** The value as YAML: plain, quoted, after an anchor or a tag, with a comment. */
const yamlValue = (v: string) =>
  fc.tuple(fc.constantFrom('plain', 'double', 'single'), fc.constantFrom('', '&s ', '!!str '), fc.constantFrom('', ' # note')).map(([q, prop, comment]) => {
    const plainOk = !/[:#,[\]{}&*!|>'"%@`]|^[-?\s]|\s$/.test(v);
    const written = q === 'plain' && plainOk ? v : q === 'single' ? `'${v.replace(/'/g, "''")}'` : JSON.stringify(v);
    return `${prop}${written}${comment}`;
  });
/** A key one edit away from `k`: two letters swapped, one dropped or doubled. */
const nearMiss = fc
  .tuple(fc.constantFrom(...KEYS.filter((k) => k.length >= 5)), fc.nat(), fc.constantFrom('swap', 'drop', 'double', 'upper'))
  .map(([k, at, how]) => {
    const i = at % (k.length - 1);
    if (how === 'swap') return k.slice(0, i) + k[i + 1] + k[i] + k.slice(i + 2);
    if (how === 'drop') return k.slice(0, i) + k.slice(i + 1);
    if (how === 'double') return k.slice(0, i) + k[i] + k.slice(i);
    return k[0].toUpperCase() + k.slice(1);
  });

/** Front matter of `entries` (key, YAML value) as block lines or one flow mapping. */
const frontMatter = (entries: [string, string][], flow: boolean, quoteKeys: boolean) => {
  const key = (k: string) => (quoteKeys ? JSON.stringify(k) : k);
  const body = flow
    ? `{${entries.map(([k, v]) => `${key(k)}: ${v.replace(/ # note$/, '')}`).join(', ')}}`
    : entries.map(([k, v]) => `${key(k)}: ${v}`).join('\n');
  return `---\n${body}\n---\n# Phase 1: Foundation\n`;
};

/** Applies every value and key fix offered on the brief, one at a time, and checks what the YAML reads back. */
function assertFrontMatterFixes(svc: PhasegateService, text: string): void {
  const file = `${ROOT}/${BRIEF}`;
  const diags = svc.diagnose(file);
  assertRangesInside(parseDocument(text), diags);
  const before = parseDocument(text).frontMatter?.data as Record<string, unknown>;
  for (const d of diags) {
    const fix = d.data?.fix;
    if (fix !== 'replace-front-matter-value' && fix !== 'rename-front-matter-key') continue;
    const [a] = codeActions(svc, [d]);
    if (!a) continue;
    const fixed = applyEdits(text, editsOf(a.change.edits, file));
    const fm = parseDocument(fixed).frontMatter;
    assert.ok(fm, `${a.title}: no front matter left in:\n${fixed}`);
    assert.deepEqual(
      fm.errors.map((e) => e.message),
      [],
      `${a.title} leaves YAML that does not parse:\n${fixed}`,
    );
    const data = fm.data as Record<string, unknown>;
    const expected = { ...before };
    if (fix === 'replace-front-matter-value') {
      expected.status = d.data!.value;
      // An alias of the value's anchor reads the new value too.
      if ('copy' in expected) expected.copy = d.data!.value;
    } else {
      delete expected[d.data!.was as string];
      expected[d.data!.key as string] = before[d.data!.was as string];
    }
    assert.deepEqual(data, expected, `${a.title} reads back otherwise:\n${fixed}`);
    svc.setOverlay(file, fixed);
    const again = svc.diagnose(file).filter((x) => x.data?.fix === fix && (fix === 'rename-front-matter-key' ? x.data?.key === d.data!.key : true));
    assert.deepEqual(
      again.map((x) => x.message),
      [],
      `${a.title} is offered again on:\n${fixed}`,
    );
    svc.setOverlay(file, text);
  }
}

describe('fuzz: front matter value and key fixes', function () {
  this.timeout(120000);

  it('the value and key fixes keep the YAML parseable and read back as suggested (built-in schema)', async () => {
    const svc = await loud({ [BRIEF]: '# Phase 1: Foundation\n' });
    fc.assert(
      fc.property(
        looseValue(ENUM).chain((v) => yamlValue(v)),
        fc.array(fc.tuple(nearMiss, fc.constantFrom('x', '"a: b"', '[1, 2]', '2025-01-01', "'q'")), { maxLength: 2 }),
        fc.boolean(),
        fc.boolean(),
        fc.constantFrom('\n', '\r\n'),
        (status, typos, flow, quoteKeys, eol) => {
          const entries: [string, string][] = [['phase', 'phase-1'], ['title', 'Foundation'], ['status', status], ...typos];
          // The value's anchor named again by an alias: the fix must keep it.
          if (status.startsWith('&s ')) entries.push(['copy', '*s']);
          // A key twice is invalid-front-matter's: not these fixes' concern.
          if (new Set(entries.map(([k]) => k)).size !== entries.length) return;
          const text = withEol(frontMatter(entries, flow, quoteKeys), eol);
          svc.setOverlay(`${ROOT}/${BRIEF}`, text);
          assertFrontMatterFixes(svc, text);
        },
      ),
      params(),
    );
  });

  it("writes a workspace schema's allowed value so that YAML reads it back, whatever it holds", async () => {
    const hostile = fc.constantFrom(
      'on: hold',
      'a, b',
      '[x]',
      '{x}',
      '- x',
      '#x',
      'x #y',
      "it's",
      '"q"',
      'back\\slash',
      'true',
      'null',
      '1.0',
      '~',
      '@x',
      '`x`',
      '%x',
      '!x',
      '&x',
      '*x',
      '|',
      '>',
      '? x',
      'ü-ß',
      '😀 x',
      'in-progress',
      'Open',
    );
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.oneof(hostile, fc.string({ minLength: 1, maxLength: 6 }), fc.string({ unit: 'binary', minLength: 1, maxLength: 4 })), {
          minLength: 1,
          maxLength: 4,
        }),
        fc.nat(),
        fc.boolean(),
        async (allowed, at, flow) => {
          const target = allowed[at % allowed.length];
          // Written in upper case (or with a space for a dash): a difference of case or separators only, which the rule suggests.
          const written = target.toUpperCase() !== target ? target.toUpperCase() : target.replace(/-/g, ' ');
          if (written === target || allowed.includes(written)) return;
          const text = frontMatter([['status', JSON.stringify(written)]], flow, false);
          const svc = await loud({
            'phasegate.yaml': 'schemas:\n  brief: schemas/brief.json\n',
            'schemas/brief.json': JSON.stringify({ type: 'object', properties: { status: { enum: allowed } } }),
            [BRIEF]: text,
          });
          assertFrontMatterFixes(svc, text);
        },
      ),
      params(),
    );
  });
});
