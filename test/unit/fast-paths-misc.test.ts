/**
 * Fast paths of the project plan rule (performance only) against the code they replace: the phases a plan's
 * row or item names, found by `phaseIndex` with the row's links, key and workstream read once and each
 * phase's names once, instead of `rowMatches`/`itemMatches` asked again for each candidate the old index gave
 * (which read the row's links, key and workstream, and the phase's names, at every question). Same phases, in
 * the same order, on generated plans' cells and phases, and on hand-picked ones (links in angle brackets, with
 * escapes, fragments, `..`, absolute; Unicode and tabs; workstreams with and without their "Workstream" word;
 * empty cells); and the rule's problems on a plan of tables and lists as the build before it gave them.
 */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { basename, dirname, isInside } from '../../server/src/service/host';
import { resolveTarget, textKey } from '../../server/src/service/handoff';
import { unescapeTarget } from '../../server/src/service/rules/doc-util';
import { itemMatches, phaseIndex, type PlanItem } from '../../server/src/service/rules/phase-plan';
import type { Phase } from '../../server/src/service/workspace';
import { loud, textOf, withEol } from '../helpers/fuzz';

// The code phaseIndex replaces, as it was.
function nameKey(s: string): string {
  return textKey(s.replace(/[_-]/g, ' '));
}
function workstreamKey(s: string): string {
  const key = nameKey(s);
  return key.replace(/ workstream$/, '');
}
function namesPhase(text: string, ws: string, num: number | undefined, planPath: string, p: Phase, root: string, linked = text): boolean {
  if (ws.trim() && p.workstream !== undefined && workstreamKey(ws) !== workstreamKey(p.workstream)) return false;
  const links = [...linked.matchAll(/\]\(\s*<?([^)>\s]+)>?/g)].map((m) => resolveTarget(dirname(planPath), unescapeTarget(m[1]), root));
  if (links.some((l) => l !== undefined && (l === p.folder || isInside(p.folder, l)))) return true;
  const key = nameKey(text);
  if (key === nameKey(basename(p.folder)) || key === nameKey(p.id)) return true;
  return num !== undefined && ws.trim() !== '' && p.number !== undefined && num === p.number;
}
function candidateIndex(phases: Phase[]): (text: string, ws: string, num: number | undefined, planPath: string, root: string, linked?: string) => Phase[] {
  const by = new Map<string, Phase[]>();
  const add = (k: string, p: Phase) => {
    const l = by.get(k);
    if (!l) by.set(k, [p]);
    else if (l[l.length - 1] !== p) l.push(p);
  };
  const order = new Map<Phase, number>();
  phases.forEach((p, i) => {
    order.set(p, i);
    add(`f:${p.folder}`, p);
    add(`k:${nameKey(basename(p.folder))}`, p);
    add(`k:${nameKey(p.id)}`, p);
    if (p.number !== undefined) add(`n:${p.number}`, p);
  });
  return (text, ws, num, planPath, root, linked = text) => {
    const found = new Set<Phase>();
    const take = (k: string) => by.get(k)?.forEach((p) => found.add(p));
    for (const m of linked.matchAll(/\]\(\s*<?([^)>\s]+)>?/g)) {
      const l = resolveTarget(dirname(planPath), unescapeTarget(m[1]), root);
      if (l === undefined) continue;
      for (let d = l; ; d = dirname(d)) {
        take(`f:${d}`);
        if (d === dirname(d)) break;
      }
    }
    take(`k:${nameKey(text)}`);
    if (num !== undefined && ws.trim() !== '') take(`n:${num}`);
    return [...found].sort((a, b) => order.get(a)! - order.get(b)!);
  };
}
/** What the rule found before: the old index's candidates that namesPhase accepts. */
const oldNamed =
  (phases: Phase[]) =>
  (text: string, ws: string, num: number | undefined, planPath: string, root: string, linked = text): Phase[] =>
    candidateIndex(phases)(text, ws, num, planPath, root, linked).filter((p) => namesPhase(text, ws, num, planPath, p, root, linked));

const ROOT = '/ws';
const PLAN = `${ROOT}/proj/project_implementation_plan.md`;

function phase(folder: string, id: string, workstream: string | undefined, number: number | undefined): Phase {
  return { id, title: id, folder, workstream, number, group: dirname(folder) } as unknown as Phase;
}

const WORKSTREAMS = ['Build', 'Test', 'Data_Pipeline', 'Build Workstream', 'Déploiement', 'build'];
const NAMES = ['Phase_1_CI', 'Phase_2_Release', 'Phase_1_Setup', 'phase-3', 'Phase 2', 'Étape_1', 'Phase_10_CI'];

/** A phase of the iAI layout under `proj/workstreams/`, or another one (no workstream, an audit id). */
const phaseArb: fc.Arbitrary<Phase> = fc
  .tuple(fc.constantFrom(...WORKSTREAMS), fc.constantFrom(...NAMES), fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }), fc.boolean())
  .map(([ws, name, num, iai]) =>
    iai ? phase(`${ROOT}/proj/workstreams/${ws}/${name}`, `${ws}/${name}`, ws, num) : phase(`${ROOT}/audit/${name}`, `audit/${name}`, undefined, num),
  );

const CELL_PIECES = [
  'Phase',
  'phase',
  '_',
  '-',
  ' ',
  '\t',
  '1',
  '2',
  '10',
  'CI',
  'Release',
  'Setup',
  'Étape',
  'Build',
  'Test',
  '/',
  '**',
  '[',
  ']',
  '(',
  ')',
  '](',
  '<',
  '>',
  'workstreams/Build/Phase_1_CI',
  'workstreams/Test/',
  '../audit/Phase_2_Release',
  '/proj/workstreams/',
  '#x',
  '?q',
  '%20',
  '%',
  '\\',
  'https://x',
  '<!-- c -->',
  '`',
];

const TARGETS = [
  'workstreams/Build/Phase_1_CI',
  'workstreams/Build/Phase_1_CI/',
  'workstreams/Build/Phase_1_CI/README.md',
  'workstreams/Test/Phase_2_Release/a/b.md#x',
  '<workstreams/Data_Pipeline/Phase_1_Setup/x y.md>',
  'workstreams/Build%20Workstream/Phase_10_CI',
  'workstreams/Build\\_Workstream',
  './workstreams/../workstreams/Build/phase-3/x.md',
  '../audit/Phase_2_Release',
  '../audit/Phase_2_Release/sub/x.md?q',
  '/proj/workstreams/Déploiement/Étape_1/',
  '/audit/phase-3/x.md',
  '../../ws/audit/Phase 2',
  'workstreams',
  'https://example.com/workstreams/Build/Phase_1_CI',
  '#anchor',
  '',
];

/** A cell: words, or words around links to phase folders, files in them, or elsewhere. */
const cellArb: fc.Arbitrary<string> = fc.oneof(
  textOf(CELL_PIECES, 14),
  fc
    .array(fc.tuple(textOf(CELL_PIECES, 3), fc.constantFrom(...TARGETS), fc.constantFrom('](', ']( ', '](\t')), { minLength: 1, maxLength: 3 })
    .map((parts) => parts.map(([words, target, open]) => `[${words}${open}${target})`).join(' — ')),
);

const WS_PIECES = ['', ' ', 'Build', 'build', 'Build Workstream', 'Data Pipeline', 'Data_Pipeline', 'Test', '\t', 'Déploiement', 'Other', '**'];

function agree(phases: Phase[], text: string, ws: string, num: number | undefined, planPath: string, linked: string): void {
  const fast = phaseIndex(phases)(text, ws, num, planPath, ROOT, linked);
  const old = oldNamed(phases)(text, ws, num, planPath, ROOT, linked);
  const why = JSON.stringify({ text, ws, num, planPath, linked, phases: phases.map((p) => [p.folder, p.id, p.workstream, p.number]) });
  assert.deepEqual(fast, old, why);
  // Each phase is the very object given, in the order of `phases`.
  const every = phases.filter((p) => namesPhase(text, ws, num, planPath, p, ROOT, linked));
  assert.deepEqual(fast, every, why);
  // As itemMatches (the fix's and the other callers' question) asks one phase at a time.
  const it = { key: text, workstream: ws === '' ? undefined : ws, number: num, head: linked } as unknown as PlanItem;
  assert.deepEqual(
    fast,
    phases.filter((p) => itemMatches(planPath, it, p, ROOT)),
    why,
  );
}

/** Why each phase's gates have not passed in the plan test's workspace. */
const OPEN =
  'Completeness failed (3 × missing-section); Tests pending (implementation_response_from_AI.md not written yet); Proof pending (implementation_response_from_AI.md not written yet).';

describe('fast paths (misc): the phases a plan row names', () => {
  it('phaseIndex finds what the old index and namesPhase found, on generated rows and phases', () => {
    fc.assert(
      fc.property(
        fc.array(phaseArb, { maxLength: 12 }),
        cellArb,
        textOf(WS_PIECES, 3),
        fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }),
        fc.constantFrom(PLAN, `${ROOT}/proj/sub/plan.md`, `${ROOT}/project_implementation_plan.md`),
        fc.nat(60),
        (phases, text, ws, num, planPath, cut) => agree(phases, text, ws, num, planPath, cut >= 40 ? text : text.slice(0, cut)),
      ),
      { numRuns: 3000 },
    );
  });

  it('agrees on hand-picked rows', () => {
    const phases = [
      phase(`${ROOT}/proj/workstreams/Build/Phase_1_CI`, 'Build/Phase_1_CI', 'Build', 1),
      phase(`${ROOT}/proj/workstreams/Test/Phase_1_CI`, 'Test/Phase_1_CI', 'Test', 1),
      phase(`${ROOT}/proj/workstreams/Build Workstream/Phase_2_Release`, 'Build Workstream/Phase_2_Release', 'Build Workstream', 2),
      phase(`${ROOT}/proj/workstreams/Déploiement/Étape_1`, 'Déploiement/Étape_1', 'Déploiement', undefined),
      phase(`${ROOT}/audit/phase-3`, 'audit/phase-3', undefined, 3),
    ];
    const rows: [string, string, number | undefined][] = [
      ['', '', undefined],
      ['Phase_1_CI', '', 1],
      ['Phase_1_CI', 'Build', 1],
      ['Phase 1: anything', 'Build', 1],
      ['Phase 1: anything', 'build workstream', 1],
      ['Phase 2', 'Build', 2],
      ['1', 'Test', 1],
      ['[Phase 1](workstreams/Build/Phase_1_CI/)', '', 1],
      ['[x](<workstreams/Test/Phase_1_CI/README.md>)', 'Build', undefined],
      ['[x](workstreams/Build/Phase_1_CI#top) and [y](../audit/phase-3)', '', undefined],
      ['[x](/proj/workstreams/Build%20Workstream/Phase_2_Release)', '', undefined],
      ['[x](workstreams/Build\\_x)', 'Build', undefined],
      ['[x](https://example.com/workstreams/Build/Phase_1_CI)', '', undefined],
      ['[x](workstreams/)', '', undefined],
      ['Étape_1', 'Déploiement', undefined],
      ['\tPhase_1_CI\t', ' ', 1],
      ['Phase_1_CI <!-- note -->', 'Test', 1],
      ['phase-3', '', 3],
      ['x'.repeat(10_000) + '](y', 'Build', 1],
    ];
    for (const [text, ws, num] of rows) {
      for (const planPath of [PLAN, `${ROOT}/proj/sub/plan.md`]) {
        agree(phases, text, ws, num, planPath, text);
        agree(phases, text, ws, num, planPath, text.slice(0, 12));
      }
    }
  });

  it("the rule's problems on a plan: rows and items that name phases, miss them, or mark them complete", async () => {
    for (const eol of ['\n', '\r\n']) {
      const plan = withEol(
        [
          '# Project Implementation Plan',
          '',
          '## Phase Status',
          '',
          '| Workstream | Phase | Status |',
          '| --- | --- | --- |',
          '| Build | Phase_1_CI | Complete |',
          '| Build | [Phase 2](workstreams/Build/Phase_2_Release/) | In progress |',
          '| Test | Phase 1: Setup | ✅ |',
          '| Test | Phase_9_Missing | Complete |',
          '| Other | 1 | Done |',
          '|  | Phase_1_CI |  |',
          '',
          '### Build Workstream',
          '',
          '- [x] Phase 1: CI',
          '- Phase_2_Release — Complete',
          '- [Phase 1](workstreams/Test/Phase_1_Setup/) — Verified',
          '- Phase 7: nowhere',
          '',
        ].join('\n'),
        eol,
      );
      const svc = await loud({
        'proj/project_implementation_plan.md': plan,
        'proj/workstreams/Build/Phase_1_CI/implementation_prompt.md': '# Prompt\n',
        'proj/workstreams/Build/Phase_2_Release/implementation_prompt.md': '# Prompt\n',
        'proj/workstreams/Test/Phase_1_Setup/implementation_prompt.md': '# Prompt\n',
      });
      const problems = svc.diagnose(`${ROOT}/proj/project_implementation_plan.md`).filter((d) => d.code === 'plan-status-mismatch');
      const messages = problems.map((d) => `${d.range.start.line}:${d.range.start.character} ${d.message}`);
      // What the rule said before phaseIndex (the build before it, on this plan).
      assert.deepEqual(messages, [
        `6:23 The plan marks Build/Phase_1_CI Complete, but its gates have not all passed: ${OPEN}`,
        `8:26 The plan marks Test/Phase_1_Setup Complete (✅), but its gates have not all passed: ${OPEN}`,
        '9:9 No phase "Phase_9_Missing" exists under workstreams/: the plan lists a phase the project does not have.',
        '10:10 No phase "1" exists under workstreams/: the plan lists a phase the project does not have.',
        `15:2 The plan marks Build/Phase_1_CI Complete ([x]), but its gates have not all passed: ${OPEN}`,
        `16:20 The plan marks Build/Phase_2_Release Complete, but its gates have not all passed: ${OPEN}`,
        `17:47 The plan marks Build/Phase_1_CI Verified, but its gates have not all passed: ${OPEN}`,
        '18:2 No phase "Phase 7: nowhere" exists under workstreams/: the plan lists a phase the project does not have.',
      ]);
    }
  });
});
