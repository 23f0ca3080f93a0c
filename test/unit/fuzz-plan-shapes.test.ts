/**
 * Property-based checks of the project plan's checklist shapes (items naming their own workstream, parent items
 * naming theirs, status headings either side of workstream headings, `Status: …` sub-items), of open questions and
 * prerequisites carried by complete handoff and `new phase` between tables and lists, and of compound metric values
 * held to a single target: for generated plans of phases whose statuses are known, every phase the plan names is
 * matched, a status mismatch is reported exactly where the plan marks an unfinished phase complete, the add fix and
 * `new prompt`'s edit only insert lines and have nothing left to do when run again; complete handoff is idempotent and
 * keeps the target's text; a compound value is judged part by part as an oracle says; a handoff's numbered filler
 * decision (`- Decision 1`) is unfilled-placeholder's alone.
 * FUZZ_RUNS sets the number of cases (default 200), FUZZ_SEED the seed (fast-check prints it on a failure).
 */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { applyEdits, codeActions, parseDocument, Diagnostic, TextEdit } from '../../server/src/service';
import { completeHandoff } from '../../server/src/service/fixes/phase';
import { planRowEdits, replanRow } from '../../server/src/service/plan-row';
import { itemMatches, planTables, statusKind, isCompleteStatus } from '../../server/src/service/rules/phase-plan';
import type { PlanItem } from '../../server/src/service/rules/phase-plan';
import { planNew } from '../../server/src/service/scaffold';
import { ROOT } from '../helpers/workspace';
import { assertRangesInside } from '../helpers/ranges';
import { loud, withEol } from '../helpers/fuzz';

const RUNS = Number(process.env.FUZZ_RUNS ?? 200);
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;
const params = (runs = RUNS) => ({ numRuns: runs, seed: SEED });

const editsOf = (actionEdits: { file: string; edits: TextEdit[] }[], file: string): TextEdit[] => actionEdits.flatMap((e) => (e.file === file ? e.edits : []));

/** `after` is `before` with lines inserted: every line of `before` is there, in order, unchanged, and no line ending changed. */
function assertOnlyInserted(before: string, after: string, what: string): void {
  const a = before.split(/(?<=\n)/);
  const b = after.split(/(?<=\n)/);
  let j = 0;
  for (const l of b) if (j < a.length && (l === a[j] || (j === a.length - 1 && l.replace(/\r?\n$/, '') === a[j]))) j++;
  assert.equal(j, a.length, `${what}: the line ${JSON.stringify(a[j])} was removed or changed in:\n${after}`);
  if (before.includes('\r\n') && !/[^\r]\n/.test(before)) assert.ok(!/[^\r]\n/.test(after), `${what}: a bare LF was written into a CRLF plan:\n${after}`);
}

// ---------------------------------------------------------------- plans in every shape

interface PlanPhase {
  ws: string;
  n: number;
  folder: string;
  title: string;
}
const PHASES: PlanPhase[] = [
  { ws: 'Build', n: 1, folder: 'Phase_1_CI', title: 'CI Setup' },
  { ws: 'Build', n: 2, folder: 'Phase_2_Deps', title: 'Dependencies' },
  // Titles that are status words too (`Phase 3: Testing`).
  { ws: 'Build', n: 3, folder: 'Phase_3_Release', title: 'Testing' },
  { ws: 'Deploy', n: 1, folder: 'Phase_1_Envs', title: 'Environments' },
  { ws: 'Deploy', n: 2, folder: 'Phase_2_Rollout', title: 'Review' },
  { ws: 'Data_Pipeline', n: 1, folder: 'Phase_1_Ingest', title: 'Ingest' },
];
const NEW_PHASES: PlanPhase[] = [
  { ws: 'Build', n: 4, folder: 'Phase_4_Docs', title: 'Docs' },
  { ws: 'Ops', n: 1, folder: 'Phase_1_Monitor', title: 'Monitoring' },
];
const WS_NAMES: Record<string, string[]> = {
  Build: ['Build', 'Build Workstream'],
  Deploy: ['Deploy', 'Deploy Workstream'],
  Data_Pipeline: ['Data Pipeline', 'Data_Pipeline', 'Data Pipeline Workstream'],
};
const PLAN_PATH = 'proj/project_implementation_plan.md';
const FILE = `${ROOT}/${PLAN_PATH}`;
const fence = '```';
const PROMPT = (p: PlanPhase) =>
  `# Phase ${p.n}: ${p.title}\n\n## Objective\n\nDo it.\n\n## Deliverables\n\n- A thing\n\n## Tests Required\n\n- A test of the thing\n`;
const RESPONSE = (p: PlanPhase) =>
  `# Phase ${p.n} Response: ${p.title}\n\n## Summary\n\nDone.\n\n## Deliverables\n\n- [x] A thing: \`thing.md\`\n\n## Tests\n\n- \`tests/test_thing.py\`\n\n## Execution Proof\n\n${fence}text\n$ pytest -q\n2 passed, 0 failed in 0.1s\n${fence}\n`;
const dirOf = (p: PlanPhase) => `proj/workstreams/${p.ws}/${p.folder}`;
const idOf = (p: PlanPhase) => `${p.ws}/${p.folder}`;
function phaseFiles(ps: { p: PlanPhase; done: boolean }[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const { p, done } of ps) {
    out[`${dirOf(p)}/implementation_prompt.md`] = PROMPT(p);
    if (done) out[`${dirOf(p)}/implementation_response_from_AI.md`] = RESPONSE(p);
  }
  return out;
}

type Said = 'complete' | 'progress' | 'not started';
/** Expected-range markers: `\u0001k\u0003` opens phase k's, `\u0002` closes it. */
const open = (k: number) => `\u0001${k}\u0003`;
const CLOSE = '\u0002';
const mark = (k: number, s: string) => `${open(k)}${s}${CLOSE}`;

/** The text without its markers, and each marked range by phase index. */
function unmark(text: string): { text: string; ranges: Map<number, { line: number; start: number; end: number }> } {
  const ranges = new Map<number, { line: number; start: number; end: number }>();
  let out = '';
  let line = 0;
  let col = 0;
  let cur: number | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\u0001') {
      const j = text.indexOf('\u0003', i);
      cur = Number(text.slice(i + 1, j));
      ranges.set(cur, { line, start: col, end: col });
      i = j;
      continue;
    }
    if (c === '\u0002') {
      ranges.get(cur!)!.end = col;
      continue;
    }
    out += c;
    if (c === '\n') {
      line++;
      col = 0;
    } else col++;
  }
  return { text: out, ranges };
}

/** How an entry of the plan says its status: a box, a word after a separator, a `Status:` sub-item (or, in a plan by status, its heading). */
type How = 'box' | 'word' | 'sub' | 'box+word';
const WORDS: Record<Said, string[]> = {
  complete: ['Done', 'Complete', 'Completed', '✅', 'Verified & Integrated', 'Finished'],
  progress: ['In progress', 'WIP', 'Ongoing', 'Blocked'],
  'not started': ['Not started', 'Pending', 'Planned', 'To do'],
};
const SEPS = [' — ', ': ', ' - ', ' (', ' – '];

interface Entry {
  k: number;
  p: PlanPhase;
  said: Said;
  /** Its naming: index into the namings of its context. */
  naming: number;
  how: How;
  word: number;
  sep: number;
  titleNoise: number;
  subNote: boolean;
}

const TITLE_NOISE = [
  (t: string) => t,
  (t: string) => `${t} \`x — done\``,
  (t: string) => `${t} ([spec](docs/spec.md))`,
  (t: string) => `*${t}*`,
  (t: string) => `${t} <!-- ana — Done -->`,
  (t: string) => `${t} & Review`,
  (t: string) => `${t} (Weeks 1-2)`,
];

/** The phase's name under a heading or parent item that gives its workstream (`ctx`), or without one (`own`: it names its own). */
function nameOf(e: Entry, ctx: boolean): string {
  const { p } = e;
  const t = TITLE_NOISE[e.titleNoise % TITLE_NOISE.length](p.title);
  const ws = WS_NAMES[p.ws][e.naming % WS_NAMES[p.ws].length];
  const inCtx = [
    `Phase ${p.n}: ${t}`,
    `Phase ${p.n}`,
    `**Phase ${p.n}**: ${t}`,
    `**Phase ${p.n}: ${p.title}**`,
    p.folder,
    `Phase ${p.n} — ${t}`,
    `[Phase ${p.n}](workstreams/${p.ws}/${p.folder}/)`,
  ];
  const anywhere = [
    `${ws} Phase ${p.n}: ${t}`,
    `${ws} Phase ${p.n}`,
    `**${ws}** Phase ${p.n}: ${t}`,
    `${ws}: Phase ${p.n}`,
    idOf(p),
    `[${p.folder}](workstreams/${p.ws}/${p.folder}/implementation_prompt.md)`,
    p.folder,
  ];
  const all = ctx ? [...inCtx, ...anywhere] : anywhere;
  return all[e.naming % all.length];
}

/** The lines of an entry (marker `m`, indentation `ind`): in a plan by status headings, `headed` (its heading says its status). */
function entryLines(e: Entry, m: string, ind: string, ctx: boolean, headed: boolean): string[] {
  const name = nameOf(e, ctx);
  const complete = e.said === 'complete';
  const word = WORDS[e.said][e.word % WORDS[e.said].length];
  const sep = SEPS[e.sep % SEPS.length];
  // A colon after a name that ends in a colon's place reads as the name's own: a dash then.
  const s = sep === ': ' && /:/.test(name) ? ' — ' : sep;
  const close = s === ' (' ? ')' : '';
  const lines: string[] = [];
  const how: How = headed ? (e.how === 'box' || e.how === 'box+word' ? 'box' : 'word') : e.how;
  const kid = ind + ' '.repeat(m.length);
  // A `Status: …` sub-item as plans write it: plain, bold, with a dash, a note after it.
  const subForm = [`- Status: `, `- **Status:** `, `* Status — `, `- _Status_: `][e.sep % 4];
  const sub = `${kid}${subForm}`;
  if (headed) {
    // The heading gives the status: a box as the heading says, or none.
    const box = how === 'box' ? (complete ? '[x] ' : '[ ] ') : '';
    const reported = box ? `${mark(e.k, box.trim())} ` : '';
    lines.push(box ? `${ind}${m}${reported}${name}` : `${ind}${m}${mark(e.k, name)}`);
  } else if (how === 'box') {
    lines.push(`${ind}${m}${complete ? `${mark(e.k, '[x]')} ` : '[ ] '}${name}`);
  } else if (how === 'word') {
    lines.push(`${ind}${m}${name}${s}${mark(e.k, word)}${close}`);
  } else if (how === 'box+word') {
    lines.push(`${ind}${m}${complete ? '[x] ' : '[ ] '}${name}${s}${mark(e.k, word)}${close}`);
  } else {
    lines.push(`${ind}${m}${name}`);
    lines.push(`${sub}${mark(e.k, word)}${e.word % 3 === 2 ? ' (since May)' : ''}`);
  }
  if (e.subNote) lines.push(`${kid}- **Description:** see [notes](docs/notes.md) and \`make ci\``);
  return lines;
}

const NOISE = [
  '- Build: see the wiki',
  '<!-- - [x] Phase 7: Hidden -->',
  '- Reviewed weekly',
  '- [x] Order the build servers',
  '- ~~Phase 9: Mobile~~ — dropped',
  '- [ ] [Phase]',
  '- Phases 3 to 5 in Q3',
  '- See [the design](docs/design.md)',
];
const STATUS_TITLES: Record<Said, string[]> = {
  complete: ['Completed', '✅ Done', 'Completed Phases'],
  progress: ['In Progress', 'In progress (2)'],
  'not started': ['Not Started', 'Planned'],
};

interface PlanCase {
  phases: { p: PlanPhase; done: boolean; listed: boolean }[];
  entries: Entry[];
  text: string;
  ranges: Map<number, { line: number; start: number; end: number }>;
  shape: string;
  ghosts: number;
}

const entryArb = (p: PlanPhase, k: number) =>
  fc.record({
    k: fc.constant(k),
    p: fc.constant(p),
    said: fc.constantFrom<Said>('complete', 'progress', 'not started'),
    naming: fc.nat({ max: 20 }),
    how: fc.constantFrom<How>('box', 'word', 'sub', 'box+word'),
    word: fc.nat({ max: 9 }),
    sep: fc.nat({ max: 9 }),
    titleNoise: fc.nat({ max: 7 }),
    subNote: fc.boolean(),
  });

const planCaseArb: fc.Arbitrary<PlanCase> = fc
  .record({
    chosen: fc.subarray(PHASES, { minLength: 1 }),
    done: fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
    listed: fc.array(fc.nat({ max: 5 }), { minLength: 6, maxLength: 6 }),
    mode: fc.constantFrom('by-workstream', 'by-status', 'ws-then-status', 'status-then-ws'),
    wsShape: fc.array(fc.constantFrom('heading', 'parent', 'own'), { minLength: 3, maxLength: 3 }),
    marker: fc.constantFrom('- ', '* ', '+ ', '1. ', '2) ', '-   '),
    loose: fc.boolean(),
    noise: fc.array(fc.tuple(fc.nat({ max: 7 }), fc.nat({ max: 40 })), { maxLength: 3 }),
    eol: fc.constantFrom('\n', '\r\n'),
    notes: fc.boolean(),
    level: fc.constantFrom(3, 4),
    wsStyle: fc.nat({ max: 11 }),
    end: fc.nat({ max: 3 }),
    ghost: fc.boolean(),
  })
  .chain((c) => {
    // At least one phase listed: a plan kept as a checklist (an empty one gets a table).
    const phases = c.chosen.map((p, i) => ({ p, done: c.done[i], listed: i === 0 || c.listed[i] !== 0 }));
    const listed = phases.filter((x) => x.listed);
    return fc.tuple(fc.constant(c), fc.constant(phases), fc.tuple(...listed.map((x, k) => entryArb(x.p, k)))).map(([c2, ps, entries]) => {
      const built = buildPlan(c2, entries as Entry[]);
      const { text, ranges } = unmark(built.text);
      return { phases: ps, entries: entries as Entry[], text: withEol(text, c2.eol), ranges, shape: built.shape, ghosts: built.ghosts };
    });
  });

function buildPlan(
  c: {
    mode: string;
    wsShape: string[];
    marker: string;
    loose: boolean;
    noise: [number, number][];
    notes: boolean;
    level: number;
    wsStyle: number;
    end: number;
    ghost: boolean;
  },
  entries: Entry[],
): { text: string; shape: string; ghosts: number } {
  const join = (ls: string[][]) => ls.map((l) => l.join('\n')).join(c.loose ? '\n\n' : '\n');
  const h = (level: number, t: string) => `${'#'.repeat(level)} ${t}`;
  const blocks: string[] = [];
  const wss = [...new Set(entries.map((e) => e.p.ws))];
  const wsIndex = (ws: string) => ['Build', 'Deploy', 'Data_Pipeline'].indexOf(ws);
  const heading = (ws: string, e: number) => WS_NAMES[ws][e % WS_NAMES[ws].length];
  // A workstream's heading or parent item as the iAI plans write them: numbered, with a note, in bold, with a colon.
  const wsHeading = (ws: string, e: number) =>
    [(t: string) => t, (t: string) => `3.${wsIndex(ws) + 1}. ${t} (iAI Managed)`, (t: string) => `${t}:`][c.wsStyle % 3](heading(ws, e));
  const wsParent = (ws: string, e: number) =>
    [(t: string) => t, (t: string) => `**${t}**`, (t: string) => `**${t}**:`, (t: string) => `${t}:`][c.wsStyle % 4](heading(ws, e));
  let shape = c.mode;
  let ghosts = 0;
  if (c.mode === 'by-workstream') {
    // Flat entries (parent items, items naming their own workstream) first, under Phase Status itself; then a heading each.
    const flat: string[][] = [];
    const headed: string[] = [];
    for (const ws of wss) {
      const mine = entries.filter((e) => e.p.ws === ws);
      const s = c.wsShape[wsIndex(ws)];
      shape += ` ${ws}:${s}`;
      // A phase of the workstream the project does not have, after its first one: reported as naming none. With a status
      // (a box or a word): the fix writes a new item as the last one of its list, and a last item without one would give it none.
      // Ticked or under way: a ghost not started would be a phase the plan lists ahead, not reported.
      const ghost = c.ghost && ws === wss[0] ? 1 : 0;
      ghosts += ghost;
      if (s === 'own') {
        for (const e of mine) flat.push(entryLines(e, c.marker, '', false, false));
        if (ghost) flat.splice(1, 0, [`${c.marker}[x] ${heading(ws, 0)} Phase 9: Ghost`]);
      } else if (s === 'parent') {
        const m = /^\d/.test(c.marker) ? '1. ' : c.marker;
        flat.push([`${m}${wsParent(ws, mine[0].naming)}`]);
        const ind = ' '.repeat(m.length);
        const kidMarker = ['- ', '* ', '1. '][c.wsStyle % 3];
        for (const e of mine) flat.push(entryLines(e, kidMarker, ind, true, false));
        if (ghost) flat.push([`${ind}${kidMarker}[x] Phase 9: Ghost`]);
      } else {
        const ls = mine.map((e) => entryLines(e, c.marker, '', true, false));
        if (ghost) ls.splice(1, 0, [`${c.marker}Phase_9_Ghost — In progress`]);
        headed.push(`${h(c.level, wsHeading(ws, mine[0].naming))}\n\n${join(ls)}`);
      }
    }
    if (flat.length) blocks.push(join(flat));
    blocks.push(...headed);
  } else {
    const saids: Said[] = ['complete', 'progress', 'not started'];
    const title = (s: Said, e: Entry) => STATUS_TITLES[s][e.word % STATUS_TITLES[s].length];
    for (const said of saids) {
      const mine = entries.filter((e) => e.said === said);
      if (!mine.length) continue;
      if (c.mode === 'by-status') blocks.push(`${h(3, title(said, mine[0]))}\n\n${join(mine.map((e) => entryLines(e, c.marker, '', false, true)))}`);
      else if (c.mode === 'status-then-ws') {
        blocks.push(h(3, title(said, mine[0])));
        for (const ws of wss) {
          const w = mine.filter((e) => e.p.ws === ws);
          if (w.length) blocks.push(`${h(4, wsHeading(ws, w[0].naming))}\n\n${join(w.map((e) => entryLines(e, c.marker, '', true, true)))}`);
        }
      }
    }
    if (c.mode === 'ws-then-status')
      for (const ws of wss) {
        const mine = entries.filter((e) => e.p.ws === ws);
        blocks.push(h(3, wsHeading(ws, mine[0].naming)));
        for (const said of saids) {
          const w = mine.filter((e) => e.said === said);
          if (w.length) blocks.push(`${h(4, title(said, w[0]))}\n\n${join(w.map((e) => entryLines(e, c.marker, '', true, true)))}`);
        }
      }
  }
  // Notes among the blocks (as lists of their own, a paragraph apart).
  for (const [n, at] of c.noise) blocks.splice(at % (blocks.length + 1), 0, NOISE[n]);
  if (!blocks.length) blocks.push('None yet.');
  // The plan's end: a notes section, a comment, or the last item without a line ending.
  const tail = c.notes ? '\n## Notes\n\nReviewed weekly.\n' : '';
  const end = [`\n${tail}`, `\n${tail}`, '\n\n<!-- reviewed weekly -->\n', ''][c.end];
  const text = `# Project Implementation Plan\n\n## Phase Status\n\n${blocks.join('\n\n')}${end}`;
  return { text, shape, ghosts };
}

const marks = (ds: Diagnostic[]) => ds.filter((d) => d.code === 'plan-status-mismatch' && /^The plan marks /.test(d.message));
const missing = (ds: Diagnostic[]) => ds.filter((d) => d.code === 'plan-status-mismatch' && / has no (row|item) /.test(d.message));
const ghosts = (ds: Diagnostic[]) => ds.filter((d) => d.code === 'plan-status-mismatch' && /^No phase /.test(d.message));
const markedIds = (ds: Diagnostic[]) =>
  marks(ds)
    .map((d) => /^The plan marks (\S+)/.exec(d.message)![1])
    .sort();

/** What a plan item says of its phase's status, as the rule reads it: complete, or another kind. */
function saidOf(it: PlanItem): string | undefined {
  if (it.item.checked === true) return 'complete';
  if (it.status) return statusKind(it.status.text);
  if (it.inherited && it.item.checked !== false) return statusKind(it.inherited.text);
  return it.item.checked === false ? 'not started' : undefined;
}

const newPhase = (p: PlanPhase, status?: string) => ({
  id: idOf(p),
  folder: `${ROOT}/${dirOf(p)}`,
  number: p.n,
  workstream: p.ws,
  title: p.title,
  ...(status ? { status } : {}),
});

/**
 * A plan by status headings without its Phase Status section: its status (and workstream) headings one level up, at the
 * top of the plan (`### Completed` → `## Completed`, `#### Build` → `### Build`), every other line where it was.
 */
function topLevel(c: PlanCase): PlanCase {
  const text = c.text.replace(/^## Phase Status(?=\r?$)/m, 'Tracked by status.').replace(/^(#{3,4}) /gm, (_m, h: string) => `${h.slice(1)} `);
  return { ...c, text, shape: `top-level ${c.shape}` };
}
const topLevelArb = planCaseArb.filter((c) => !c.shape.startsWith('by-workstream')).map(topLevel);

for (const [kept, arb] of [
  ['', planCaseArb],
  [' (top-level status sections, no Phase Status section)', topLevelArb],
] as const)
  describe(`fuzz: project plans in every checklist shape${kept}`, function () {
    this.timeout(180000);

    it('matches every phase a plan names, and reports a status mismatch exactly where the plan marks an unfinished phase complete', async () => {
      await fc.assert(
        fc.asyncProperty(arb, async (c) => {
          const svc = await loud({ [PLAN_PATH]: c.text, ...phaseFiles(c.phases) });
          const ds = svc.diagnose(FILE);
          const ctx = `${c.shape}:\n${c.text}\n${ds.map((d) => `${d.range.start.line}:${d.range.start.character} ${d.message.slice(0, 100)}`).join('\n')}`;
          assertRangesInside(parseDocument(c.text), ds);
          assert.deepEqual(
            ds.filter((d) => d.code === 'missing-section').map((d) => d.message),
            [],
            ctx,
          );
          assert.equal(ghosts(ds).length, c.ghosts, ctx);
          for (const d of ghosts(ds)) assert.match(d.message, /Ghost/, ctx);
          const listedIds = c.phases.filter((x) => x.listed).map((x) => idOf(x.p));
          const notListed = c.phases.filter((x) => !x.listed).map((x) => idOf(x.p));
          assert.deepEqual(
            missing(ds)
              .map((d) => /^(\S+) has no /.exec(d.message)![1])
              .sort(),
            [...notListed].sort(),
            ctx,
          );
          assert.ok(listedIds.length === c.entries.length);
          // Reported exactly for the phases the plan marks complete that have not passed their gates, at the range marked.
          const doneOf = new Map(c.phases.map((x) => [idOf(x.p), x.done]));
          const expected = c.entries.filter((e) => e.said === 'complete' && !doneOf.get(idOf(e.p)));
          // And for those it marks not started, in words or by their heading, that have passed them (complete, the plan not
          // updated); not for an unticked box alone, which may as well be a phase in progress.
          const headed = !c.shape.startsWith('by-workstream');
          const stale = c.entries.filter((e) => e.said === 'not started' && doneOf.get(idOf(e.p)) && (headed || e.how !== 'box'));
          assert.deepEqual(markedIds(ds), [...expected, ...stale].map((e) => idOf(e.p)).sort(), ctx);
          for (const e of expected) {
            const d = marks(ds).find((x) => x.message.startsWith(`The plan marks ${idOf(e.p)} `))!;
            const r = c.ranges.get(e.k)!;
            assert.deepEqual(
              [d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character],
              [r.line, r.start, r.line, r.end],
              `${idOf(e.p)} reported at the wrong range; ${ctx}`,
            );
          }
        }),
        params(),
      );
    });

    it("the add-missing-phase fix and `new prompt`'s edit only insert the new phase's lines, read back as listed with its status, once", async () => {
      await fc.assert(
        fc.asyncProperty(arb, fc.constantFrom(...NEW_PHASES), async (c, added) => {
          const svc = await loud({ [PLAN_PATH]: c.text, ...phaseFiles(c.phases) });
          const before = svc.diagnose(FILE);
          const wanted = markedIds(before);
          const wss = [...new Set(c.phases.map((x) => x.p.ws))];
          let fixed = c.text;
          for (let i = 0; i <= c.phases.length; i++) {
            const d = missing(svc.diagnose(FILE))[0];
            if (!d) break;
            const [a] = codeActions(svc, [d]);
            assert.ok(a, `no fix for "${d.message}" (${c.shape}) in:\n${fixed}`);
            const next = applyEdits(fixed, editsOf(a.change.edits, FILE));
            assertOnlyInserted(fixed, next, `${a.title} (${c.shape})`);
            fixed = next;
            svc.setOverlay(FILE, fixed);
          }
          const after = svc.diagnose(FILE);
          const ctx = `${c.shape}: from\n${c.text}\nto\n${fixed}\n${after.map((d) => d.message.slice(0, 100)).join('\n')}`;
          assertRangesInside(parseDocument(fixed), after);
          assert.deepEqual(
            missing(after).map((d) => d.message),
            [],
            ctx,
          );
          assert.equal(ghosts(after).length, c.ghosts, ctx);
          // No new status mismatch: each added item says its phase's status.
          assert.deepEqual(markedIds(after), wanted, ctx);
          const pt = planTables(parseDocument(fixed), wss)!;
          for (const x of c.phases.filter((y) => !y.listed)) {
            const phase = svc.findPhase(idOf(x.p))!;
            const its = pt.lists.flatMap((l) => l.items).filter((it) => itemMatches(FILE, it, phase, ROOT));
            assert.equal(its.length, 1, `${idOf(x.p)} is named by ${its.length} items; ${ctx}`);
            assert.equal(saidOf(its[0]) === 'complete', svc.status(phase) === 'complete', `${idOf(x.p)} reads ${saidOf(its[0])}; ${ctx}`);
          }
          // Nothing left to add.
          for (const x of c.phases)
            assert.equal(replanRow(fixed, FILE, ROOT, newPhase(x.p), 'implementation_prompt.md', wss), undefined, `${idOf(x.p)} again; ${ctx}`);

          // `new prompt` for a phase about to be created.
          svc.setOverlay(FILE, c.text);
          for (const e of planRowEdits(svc, newPhase(added), 'implementation_prompt.md')) {
            if (!e.edits.length) continue;
            const planned = applyEdits(c.text, e.edits);
            assertOnlyInserted(c.text, planned, `new prompt ${idOf(added)} (${c.shape})`);
            const svc2 = await loud({ [PLAN_PATH]: planned, ...phaseFiles([...c.phases, { p: added, done: false }]) });
            const ds2 = svc2.diagnose(FILE);
            const ctx2 = `${c.shape}: new prompt ${idOf(added)} from\n${c.text}\nto\n${planned}\n${ds2.map((d) => d.message.slice(0, 100)).join('\n')}`;
            assert.deepEqual(
              missing(ds2)
                .map((d) => /^(\S+) has no /.exec(d.message)![1])
                .sort(),
              c.phases
                .filter((x) => !x.listed)
                .map((x) => idOf(x.p))
                .sort(),
              ctx2,
            );
            assert.equal(ghosts(ds2).length, c.ghosts, ctx2);
            assert.deepEqual(markedIds(ds2), wanted, ctx2);
            const its = planTables(parseDocument(planned), [...wss, added.ws])!
              .lists.flatMap((l) => l.items)
              .filter((it) => itemMatches(FILE, it, svc2.findPhase(idOf(added))!, ROOT));
            assert.equal(its.length, 1, ctx2);
            assert.ok(!isCompleteStatus(its[0].status?.text ?? '') && saidOf(its[0]) !== 'complete', `the new phase reads ${saidOf(its[0])}; ${ctx2}`);
            assert.equal(replanRow(planned, FILE, ROOT, newPhase(added), 'implementation_prompt.md', [...wss, added.ws]), undefined, ctx2);
          }
        }),
        params(),
      );
    });
  });

// ---------------------------------------------------------------- open questions and prerequisites, tables or lists

/** Questions and prerequisites as written in a list (a table escapes their pipes). */
const QUESTIONS = [
  'Which CI runner do we standardise on?',
  'Is `a|b` allowed in names?',
  'Who owns [the registry](04-ARTIFACTS/r.md)?',
  'Do we keep **both** mirrors?',
  'Should Données be migrated?',
  'Grep a | b or not?',
  'What about #12?',
  'Use `make test` in CI?',
  'Which registry? (Owner: Infra)',
  '',
  'Which registry?',
];
const PREREQS = [
  'Test environment provisioned',
  'Access to a | b granted',
  '`make test` passes',
  'Secrets in **vault**',
  'Read [report](04-ARTIFACTS/r.md)',
  'CI — green',
  'Ticket #12 closed',
  'Staging ready — owner: Infra',
  'Backups verified <!-- ask ops -->',
  '[Prerequisite]',
];
const OWNERS = ['Infra', '', 'QA team', '`ops|sre`', '[Ana](mailto:a@x.org)'];
const esc = (s: string) => s.replace(/\|/g, '\\|');

type Form = 'list' | 'table' | 'numbered-table' | 'none' | 'template';
interface Side {
  form: Form;
  items: number[];
  owners: number[];
  marker: string;
}
const side = (pool: string[], forms: Form[]) =>
  fc.record({
    form: fc.constantFrom(...forms),
    items: fc.uniqueArray(fc.nat({ max: pool.length - 1 }), { maxLength: 4 }),
    owners: fc.array(fc.nat({ max: OWNERS.length - 1 }), { minLength: 4, maxLength: 4 }),
    marker: fc.constantFrom('- ', '* ', '1. ', '- [ ] ', '- [x] '),
  });

/** A section's body: a list, or a table (`| # | Question | Owner |`, `| Question | Owner | Due |`, `| Prerequisite | Status |`). */
function body(s: Side, pool: string[], kind: 'question' | 'prerequisite', receiving: boolean): string {
  const texts = s.items.map((i) => pool[i]);
  // The template's placeholders, which complete handoff writes over.
  if (s.form === 'template')
    return kind === 'question'
      ? '| # | Question | Owner |\n|---|---|---|\n| 1 | [Question] | [Owner] |'
      : s.marker.length % 2
        ? '- [ ] [Prerequisite]'
        : '| Prerequisite | Status |\n|---|---|\n| [Prerequisite] | [Status] |';
  if (s.form === 'none' || !texts.length) return receiving ? '' : 'None.';
  if (s.form === 'list') {
    const m = kind === 'prerequisite' && !/\[/.test(s.marker) ? `${s.marker}[ ] ` : s.marker.replace(/\[.\] /, kind === 'question' ? '' : '$&');
    return texts.map((t) => `${m}${t}`).join('\n');
  }
  const numbered = s.form === 'numbered-table';
  const header =
    kind === 'question'
      ? numbered
        ? ['#', 'Question', 'Owner']
        : ['Question', 'Owner', 'Due']
      : numbered
        ? ['#', 'Prerequisite', 'Status']
        : ['Prerequisite', 'Status'];
  const row = (cells: string[]) => `| ${cells.join(' | ')} |`;
  const lines = [row(header), row(header.map(() => '---'))];
  texts.forEach((t, i) => {
    const owner = OWNERS[s.owners[i]];
    const cells =
      kind === 'question'
        ? numbered
          ? [String(i + 1), esc(t), esc(owner)]
          : [esc(t), esc(owner), i % 2 ? '2025-02-01' : '']
        : numbered
          ? [String(i + 1), esc(t), receiving ? '✅' : 'Pending']
          : [esc(t), receiving ? 'Yes' : ''];
    lines.push(row(cells));
  });
  return lines.join('\n');
}

const OUT_DOC = (pre: string, q: string) => `# Phase 1 → Phase 2 Handoff

## Phase 1 Summary

- Audit completed

## Phase 2 Prerequisites

${pre}

## Phase 2 Inputs

- Audit report: [report](04-ARTIFACTS/r.md) - the findings

## Open Questions

${q}
`;
const IN_DOC = (pre: string | undefined, q: string | undefined) => `# Phase 2 Input Handoff

## Source

- [Phase 1 output handoff](../phase-1/06-OUTPUT_HANDOFF.md)

## Inputs Received

- Audit report: [report](../phase-1/04-ARTIFACTS/r.md) - the findings
${pre === undefined ? '' : `\n## Prerequisites\n\n${pre}\n`}${q === undefined ? '' : `\n## Open Questions\n\n${q}\n`}`;

/** The words of a text as compared: `\|` read as `|`, markup and link targets aside (complete handoff rebases them). */
const words = (s: string) =>
  s
    .replace(/\]\([^)]*\)/g, ']')
    .replace(/\\\|/g, '|')
    .replace(/[*`\\]/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();

const handoffCaseArb = fc.record({
  outPre: side(PREREQS, ['list', 'table', 'numbered-table']),
  outQ: side(QUESTIONS, ['list', 'table', 'numbered-table']),
  inPre: fc.option(side(PREREQS, ['list', 'table', 'numbered-table', 'none', 'template']), { nil: undefined, freq: 5 }),
  inQ: fc.option(side(QUESTIONS, ['list', 'table', 'numbered-table', 'none', 'template']), { nil: undefined, freq: 5 }),
  eol: fc.constantFrom('\n', '\r\n'),
});

describe('fuzz: open questions and prerequisites carried between tables and lists', function () {
  this.timeout(180000);

  it('complete handoff keeps the target’s text, leaves no question or prerequisite missing, and has nothing to add a second time', async () => {
    await fc.assert(
      fc.asyncProperty(handoffCaseArb, async (c) => {
        const out = withEol(OUT_DOC(body(c.outPre, PREREQS, 'prerequisite', false), body(c.outQ, QUESTIONS, 'question', false)), c.eol);
        const input = withEol(IN_DOC(c.inPre && body(c.inPre, PREREQS, 'prerequisite', true), c.inQ && body(c.inQ, QUESTIONS, 'question', true)), c.eol);
        const IN = 'phase-2/01-INPUT_HANDOFF.md';
        const svc = await loud({ 'phase-1/06-OUTPUT_HANDOFF.md': out, 'phase-1/04-ARTIFACTS/r.md': '# r\n', [IN]: input });
        const file = `${ROOT}/${IN}`;
        const action = completeHandoff(svc, svc.findPhase('phase-2'));
        const once = action ? applyEdits(input, editsOf(action.change.edits, file)) : input;
        const ctx = `from\n${out}\ninto\n${input}\ngave\n${once}`;
        // The template's placeholders and empty items aside (complete handoff writes over them, by design), only lines inserted.
        // A line of placeholders alone (`- [x] [Prerequisite]`, `| 1 | [Prerequisite] | ✅ |`), or an empty item or row.
        const placeholder = (l: string) => {
          const t = l.replace(/\[[A-Z][^\]]*\]/g, '');
          return /^(?:[-*+]|\d\.)(?: \[[ xX]\])? *$/.test(t) || /^\|(?: *(?:\d*|✅|Yes|Pending) *\|)+$/.test(t);
        };
        const strip = (t: string) =>
          t
            .split(/(?<=\n)/)
            .filter((l) => !placeholder(l.trimEnd()))
            .join('');
        assertOnlyInserted(strip(input), strip(once), 'complete handoff');
        svc.setOverlay(file, once);
        const ds = svc.diagnose(file);
        assertRangesInside(parseDocument(once), ds);
        assert.deepEqual(
          ds.filter((d) => (d.code === 'prerequisite-unmet' && / is not in /.test(d.message)) || d.code === 'handoff-mismatch').map((d) => d.message),
          [],
          ctx,
        );
        // Every question asked, by its words, in the Open Questions section.
        const qs = once.split(/## Open Questions/)[1] ?? '';
        // (A question with a note, `Which registry? (Owner: Infra)`, is asked by `Which registry?` already: by design.)
        for (const i of c.outQ.items) {
          const q = QUESTIONS[i].replace(/ \([^()]*: [^()]*\)$/, '');
          assert.ok(words(qs).includes(words(q)), `"${q}" not asked; ${ctx}`);
        }
        const again = completeHandoff(svc, svc.findPhase('phase-2'));
        assert.equal(again && applyEdits(once, editsOf(again.change.edits, file)), undefined, `a second run adds more; ${ctx}`);
      }),
      params(),
    );
  });

  it('`new phase` writes the questions and prerequisites, from a table or a list, so that complete handoff has none to add', async () => {
    await fc.assert(
      fc.asyncProperty(handoffCaseArb, async (c) => {
        const out = withEol(OUT_DOC(body(c.outPre, PREREQS, 'prerequisite', false), body(c.outQ, QUESTIONS, 'question', false)), c.eol);
        const files = { 'phase-1/06-OUTPUT_HANDOFF.md': out, 'phase-1/04-ARTIFACTS/r.md': '# r\n', 'phase-2/00-PHASE_BRIEF.md': '' };
        const svc = await loud(files);
        const plan = planNew(svc, { what: 'phase', folder: 'phase-2', layout: 'audit', date: '2026-01-05' });
        const created = plan.creates.find((x) => x.file === `${ROOT}/phase-2/01-INPUT_HANDOFF.md`);
        assert.ok(created, 'no input handoff written');
        const svc2 = await loud({ ...files, 'phase-2/01-INPUT_HANDOFF.md': created.text });
        const ctx = `from\n${out}\nwrote\n${created.text}`;
        const ds = svc2.diagnose(created.file);
        assert.deepEqual(
          ds.filter((d) => (d.code === 'prerequisite-unmet' && / is not in /.test(d.message)) || d.code === 'handoff-mismatch').map((d) => d.message),
          [],
          ctx,
        );
        const again = completeHandoff(svc2, svc2.findPhase('phase-2'));
        assert.equal(again && applyEdits(created.text, editsOf(again.change.edits, created.file)), undefined, `complete handoff adds more; ${ctx}`);
      }),
      params(),
    );
  });
});

// ---------------------------------------------------------------- compound metric values against one target

const LABELS = ['lines', 'branches', 'statements', 'functions', 'unit', 'e2e', 'p95', 'api', 'core', 'critical', 'high'];
const UNITS = ['%', '', ' min', ' s', ' MB', ' ms'];
const SECONDS_OF: Record<string, number> = { ' min': 60, ' s': 1, ' ms': 0.001 };
const metricCase = fc.record({
  parts: fc.uniqueArray(fc.tuple(fc.constantFrom(...LABELS), fc.nat({ max: 120 }), fc.nat({ max: UNITS.length - 1 }), fc.boolean()), {
    minLength: 2,
    maxLength: 4,
    selector: (p) => p[0],
  }),
  sameUnit: fc.boolean(),
  op: fc.constantFrom('>', '>=', '<', '<=', '', 'at least ', 'under ', '≥ ', '= '),
  target: fc.nat({ max: 120 }),
  tunit: fc.nat({ max: UNITS.length - 1 }),
  sep: fc.constantFrom(', ', '; ', ' and '),
  form: fc.constantFrom('table', 'item'),
});

/** What the target asks of each part, by the rule's own reading of `> 80%` (oracle): undefined when no part is judged. */
function oracle(parts: { label: string; value: number; unit: string }[], op: string, target: number, tunit: string): boolean | undefined {
  const o = op.trim();
  const norm = o === 'at least' || o === '≥' ? '>=' : o === 'under' ? '<' : o === '' ? (target === 0 ? '<=' : '>=') : o === '=' ? '=' : o;
  const upper = norm === '<' || norm === '<=' || (norm === '=' && target === 0);
  if (tunit.trim() !== '%' && !upper) return undefined;
  const scale = (u: string) => SECONDS_OF[u] ?? 1;
  const t = target * scale(tunit);
  let missed = false;
  for (const p of parts) {
    const compatible = p.unit.trim() === tunit.trim() || (tunit.trim() === '%' && p.unit === '') || (p.unit in SECONDS_OF && tunit in SECONDS_OF);
    if (!compatible) continue;
    const a = p.value * scale(p.unit);
    const eps = 1e-9;
    const ok = norm === '>' ? a > t + eps : norm === '>=' ? a >= t - eps : norm === '<' ? a < t - eps : norm === '<=' ? a <= t + eps : Math.abs(a - t) <= eps;
    if (!ok) missed = true;
  }
  return missed;
}

describe('fuzz: a compound value against one target', function () {
  this.timeout(180000);

  it('is reported exactly when a part misses a percentage or upper-bound target, never for a lower bound of counts', async () => {
    const VAL = 'phase-1/07-VALIDATION.md';
    const svc = await loud({ [VAL]: '# Phase 1 Validation\n' });
    fc.assert(
      fc.property(metricCase, (c) => {
        const parts = c.parts.map(([label, value, u, labelFirst], i) => ({ label, value, unit: UNITS[c.sameUnit ? c.parts[0][2] : u], labelFirst, i }));
        const value = parts.map((p) => (p.labelFirst ? `${p.label}: ${p.value}${p.unit}` : `${p.value}${p.unit} ${p.label}`)).join(c.sep);
        const target = `${c.op}${c.target}${UNITS[c.tunit]}`;
        const text =
          c.form === 'table'
            ? `# Phase 1 Validation\n\n## Success Metrics\n\n| Metric | Target | Actual |\n|---|---|---|\n| Widget score | ${target} | ${value} |\n`
            : `# Phase 1 Validation\n\n## Success Metrics\n\n- Widget score: ${value} (target: ${target})\n`;
        svc.setOverlay(`${ROOT}/${VAL}`, text);
        const ds = svc.diagnose(`${ROOT}/${VAL}`).filter((d) => d.code === 'metric-threshold');
        const expected = oracle(parts, c.op, c.target, UNITS[c.tunit]);
        assert.equal(
          ds.length > 0,
          expected === true,
          `${JSON.stringify(value)} against ${JSON.stringify(target)}: ${ds.map((d) => d.message).join('; ') || 'not reported'}\n${text}`,
        );
      }),
      params(RUNS * 10),
    );
  });
});

// ---------------------------------------------------------------- a handoff's numbered filler among its decisions

const FILLER = ['Decision 1', '**Decision 2**', 'Decision #3', 'Decision 4:', '**Decision 5:**', 'decision 6', '_Decision 7_', 'Decision 8 '];
const UNREASONED = ['Adopt Trivy for scanning', 'Decision: adopt Trivy', 'Use Postgres', 'Decision 2: Keep the monorepo'];
const REASONED = [
  'Adopt Trivy → it scans images and code',
  'Use Postgres because the team knows it',
  'Decision 1: Adopt locust → load tests in Python',
  'Keep the monorepo → one CI pipeline',
];

describe('fuzz: numbered filler among a handoff’s decisions', function () {
  this.timeout(180000);

  it('a filler item is reported once, by unfilled-placeholder; a decision without its reason by decision-without-rationale; never both', async () => {
    const OUT = 'phase-1/06-OUTPUT_HANDOFF.md';
    const svc = await loud({ [OUT]: '# Phase 1 → Phase 2 Handoff\n' });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom('filler', 'unreasoned', 'reasoned', 'label'), fc.nat({ max: 7 }), fc.constantFrom('- ', '* ', '1. ', '- [ ] ')), {
          minLength: 1,
          maxLength: 6,
        }),
        fc.constantFrom('\n', '\r\n'),
        (items, eol) => {
          // A filler word with the decision below it (`1. Decision 1` over `   - Adopt Trivy → …`) labels what follows: neither rule reports it.
          const lines = items.map(([k, i, m]) =>
            k === 'label'
              ? `${m}${FILLER[i % FILLER.length]}\n${' '.repeat(m.replace(/\[ \] $/, '').length)}- ${REASONED[i % 4]}`
              : `${m}${k === 'filler' ? FILLER[i % FILLER.length] : k === 'unreasoned' ? UNREASONED[i % 4] : REASONED[i % 4]}`,
          );
          const text = withEol(`# Phase 1 → Phase 2 Handoff\n\n## Phase 1 Summary\n\n- Audit completed\n\n## Decisions Made\n\n${lines.join('\n')}\n`, eol);
          svc.setOverlay(`${ROOT}/${OUT}`, text);
          const ds = svc.diagnose(`${ROOT}/${OUT}`);
          const at = (code: string, line: number) => ds.filter((d) => d.code === code && d.range.start.line === line).length;
          let line = 8;
          items.forEach(([k], j) => {
            if (j > 0) line += lines[j - 1].split('\n').length;
            const [ph, why] = [at('unfilled-placeholder', line), at('decision-without-rationale', line)];
            const ctx = `${JSON.stringify(lines[j])}: unfilled-placeholder ${ph}, decision-without-rationale ${why}\n${text}`;
            if (k === 'filler') assert.deepEqual([ph, why], [1, 0], ctx);
            else if (k === 'unreasoned') assert.deepEqual([ph, why], [0, 1], ctx);
            else assert.deepEqual([ph, why], [0, 0], ctx);
          });
        },
      ),
      params(RUNS * 5),
    );
  });
});
