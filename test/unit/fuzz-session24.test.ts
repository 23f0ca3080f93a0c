/**
 * Property-based and differential checks of what changed lately: the engine's results after edits (a change
 * to a phase's document no longer checks the previous phase again) against a fresh engine's, code spans over
 * several lines against markdown-it's reading, heading titles ending in `#`, and gate causes capped per reason.
 * FUZZ_RUNS sets the number of cases (default 40 each, fewer for the engine's: a few seconds in all), FUZZ_SEED
 * the seed (fast-check prints it on a failure).
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import MarkdownIt from 'markdown-it';
import { Diagnostic, MemoryFileSystem, PhasegateService, parseDocument } from '../../server/src/service';
import { assets, REPO, ROOT } from '../helpers/workspace';
import { loud } from '../helpers/fuzz';
import { headingText, maskInlineCode } from '../../server/src/service/markdown';
import { GateCause, listedCauses } from '../../server/src/service/gates';
import { range as rng } from '../../server/src/service/types';

const RUNS = Number(process.env.FUZZ_RUNS ?? 40);
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;
const params = (runs = RUNS) => ({ numRuns: runs, seed: SEED });

// ---------------------------------------------------------------- 1. the engine after edits, against a fresh one

interface Generator {
  generateFiles(opts: { n: number; seed: number }): Iterable<[string, string]>;
}

/**
 * A small workspace from the benchmark's generator: audit phases 1-5 (each input handoff reads the output
 * handoff before it) and the Build and Deploy workstreams of the iAI layout (two phases each), with its plan.
 */
async function workspaceFiles(): Promise<Record<string, string>> {
  const gen = (await import(pathToFileURL(path.join(REPO, 'bench', 'generate.mjs')).href)) as Generator;
  const out: Record<string, string> = {};
  for (const [p, t] of gen.generateFiles({ n: 12, seed: 3 })) {
    const audit = /^audit-deployment\/phase-(\d+)\//.exec(p);
    if (audit && Number(audit[1]) > 5) continue;
    if (/^all_use_iai_project\/workstreams\//.test(p) && !/\/workstreams\/(Build|Deploy)\//.test(p)) continue;
    out[p] = t;
  }
  return out;
}

/** One edit: of the document `file` (an index into the Markdown files), made by `kind`, seen through `via`. */
interface Edit {
  file: number;
  kind: 'tick' | 'status' | 'delete-section' | 'item' | 'input' | 'delete-line' | 'insert-line' | 'plan-status' | 'revert';
  a: number;
  b: number;
  /**
   * `try`: the text tried out (`diagnoseWithText`), which leaves the engine as it was; `delete`: the file deleted on disk
   * (when the editor does not hold it; written again on disk later, it is created).
   */
  via: 'overlay' | 'disk' | 'clear' | 'try' | 'delete';
}

const STATUSES = ['complete', 'in-progress', 'draft', 'blocked', 'not started', 'Complete', 'done', ''];
/** Lines an edit inserts: gate items, headings, links within and across phases, placeholders, handoff items. */
const INSERTED = [
  '- [ ] A new item',
  '- [x] A ticked item — Evidence: [report](03-FINDINGS/report.md)',
  '## Gate 7: Extra',
  '## Phase 9 Inputs',
  '- Input 4: [Missing](../phase-1/03-FINDINGS/nothing.md) - gone',
  '- Input 5: [Output](../phase-2/06-OUTPUT_HANDOFF.md) - the handoff',
  '[Describe the objective]',
  'TBD',
  '## Success Metrics',
  '| Code coverage | > 80% | 12% |',
  '| Build | Phase_2_Artifact_Management | In progress |',
  '',
  '---',
];

function edited(text: string, e: Edit): string {
  const lines = text.split('\n');
  const pick = <T>(xs: T[], k: number) => xs[k % xs.length];
  const indices = (re: RegExp) => lines.flatMap((l, i) => (re.test(l) ? [i] : []));
  switch (e.kind) {
    case 'tick': {
      const at = indices(/^\s*[-*+] \[[ xX]\]/);
      if (!at.length) return text;
      const i = pick(at, e.a);
      lines[i] = /\[ \]/.test(lines[i]) ? lines[i].replace('[ ]', '[x]') : lines[i].replace(/\[[xX]\]/, '[ ]');
      break;
    }
    case 'status': {
      const at = indices(/^status:/);
      if (!at.length) return text;
      lines[at[0]] = `status: ${pick(STATUSES, e.a)}`;
      break;
    }
    case 'delete-section': {
      const at = indices(/^#{1,6} /);
      if (!at.length) return text;
      const i = pick(at, e.a);
      const level = /^#+/.exec(lines[i])![0].length;
      let j = i + 1;
      while (j < lines.length && !(/^#{1,6} /.test(lines[j]) && /^#+/.exec(lines[j])![0].length <= level)) j++;
      lines.splice(i, j - i);
      break;
    }
    case 'item':
    case 'input': {
      // A list item (a handoff's input, prerequisite, artifact; a gate's item): reworded, its link changed or dropped, removed, doubled.
      // `input`: one of the items a handoff hands to the next phase, or a prerequisite, what the next phase's input handoff is checked against.
      const at = indices(e.kind === 'input' ? /^\s*- (Input \d+:|\[[ xX]\])/ : /^\s*([-*+]|\d+\.) /);
      if (!at.length) return text;
      const i = pick(at, e.a);
      const l = lines[i];
      switch (e.b % 5) {
        case 0:
          lines[i] = `${l} and more`;
          break;
        case 1:
          lines[i] = l.replace(/\]\(([^)]*)\)/, '](../phase-3/06-OUTPUT_HANDOFF.md)');
          break;
        case 2:
          lines[i] = l.replace(/\[([^\]]*)\]\([^)]*\)/, '$1');
          break;
        case 3:
          lines.splice(i, 1);
          break;
        default:
          lines.splice(i, 0, l);
      }
      break;
    }
    case 'delete-line':
      if (lines.length) lines.splice(e.a % lines.length, 1);
      break;
    case 'insert-line':
      lines.splice(e.a % (lines.length + 1), 0, pick(INSERTED, e.b));
      break;
    case 'plan-status': {
      const at = indices(/\| (Complete|In progress|Not started) \|/);
      if (!at.length) return text;
      const i = pick(at, e.a);
      lines[i] = lines[i].replace(/\| (Complete|In progress|Not started) \|/, `| ${pick(['Complete', 'In progress', 'Not started'], e.b)} |`);
      break;
    }
    case 'revert':
      return text;
  }
  return lines.join('\n');
}

/** The document an edit changes: half the time a handoff or a validation checklist, what the next phases read. */
const pickFile = (md: string[], k: number) => {
  const near = md.filter((f) => /(HANDOFF|VALIDATION)\.md$/.test(f));
  return k % 2 ? near[(k >> 1) % near.length] : md[(k >> 1) % md.length];
};
const edit: fc.Arbitrary<Edit> = fc.record({
  file: fc.nat(),
  kind: fc.constantFrom<Edit['kind']>(
    'tick',
    'tick',
    'status',
    'delete-section',
    'item',
    'input',
    'input',
    'delete-line',
    'insert-line',
    'plan-status',
    'revert',
  ),
  a: fc.nat(),
  b: fc.nat(),
  via: fc.constantFrom<Edit['via']>('overlay', 'overlay', 'disk', 'disk', 'clear', 'try', 'delete'),
});
/** What is asked between edits, as the server does: some files' diagnostics, some phases' gates, or a batch check of every phase. */
type Ask = 'none' | 'all' | 'batch' | 'phases' | [boolean, number][];
const asks: fc.Arbitrary<Ask> = fc.oneof(fc.constantFrom<Ask>('none', 'all', 'batch', 'phases'), fc.array(fc.tuple(fc.boolean(), fc.nat()), { maxLength: 12 }));
/**
 * The workspace's config: none, or rule severities that make more of what crosses phases count (an
 * `unvalidated-handoff` or `handoff-mismatch` error holds a phase; a broken link fails a gate).
 */
const CONFIGS = [
  undefined,
  'rules:\n  unvalidated-handoff: error\n  handoff-mismatch: error\n',
  'rules:\n  broken-link: error\n  unfilled-placeholder: warning\n  gate-item-unchecked: information\n',
];

describe('fuzz: the engine after edits finds what a fresh engine finds', function () {
  this.timeout(600000);
  let base: Record<string, string>;
  before(async () => {
    base = await workspaceFiles();
  });

  it('every document diagnostics and every phase gates, after random edits of random documents of both layouts', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(edit, asks), { minLength: 1, maxLength: 6 }),
        asks,
        fc.constantFrom(...CONFIGS),
        fc.constantFrom(undefined, 2),
        async (steps, first, config, maxParsed) => {
          const disk = new MemoryFileSystem();
          for (const [p, t] of Object.entries(base)) disk.write(`${ROOT}/${p}`, t);
          if (config) disk.write(`${ROOT}/phasegate.yaml`, config);
          // A few parsed models kept (`maxParsed`), as the server keeps them in a large workspace: the others are parsed again.
          const svc = new PhasegateService({ fs: disk, assets, maxParsed });
          await svc.load(ROOT);
          const md = svc.checkedFiles().sort();
          const overlays = new Map<string, string>();
          const ask = (a: Ask) => {
            if (a === 'phases') svc.checkPhases();
            else if (a === 'all') {
              svc.diagnoseAll();
              svc.model.phases.forEach((p) => svc.gates(p));
            } else if (a === 'batch') {
              const phases = svc.model.phases;
              for (let i = 0; i < phases.length;) i += svc.checkBatch(phases, i);
            } else if (a !== 'none') {
              for (const [gates, k] of a) {
                if (gates) svc.gates(svc.model.phases[k % svc.model.phases.length]);
                else svc.diagnose(md[k % md.length]);
              }
            }
          };
          ask(first);
          // What the server shows: every file's diagnostics at first, then those of the files each change names again.
          const shown = new Map(svc.diagnosedPaths().map((f) => [f, svc.diagnose(f)]));
          for (const [e, a] of steps) {
            const f = pickFile(md, e.file);
            const now = svc.getText(f) ?? base[f.slice(ROOT.length + 1)];
            let affected: string[] = [];
            if (e.via === 'try') {
              svc.diagnoseWithText(f, edited(now, e));
            } else if (e.via === 'delete') {
              if (!overlays.has(f) && disk.has(f)) {
                // Its folder stays, as on disk (emptied, it is still there for a fresh engine's scan).
                disk.mkdir(f.slice(0, f.lastIndexOf('/')));
                disk.delete(f);
                affected = await svc.filesChanged([{ path: f, type: 'deleted' }]);
              }
            } else if (e.via === 'clear') {
              overlays.delete(f);
              affected = await svc.clearOverlay(f);
            } else {
              const text = e.kind === 'revert' ? base[f.slice(ROOT.length + 1)] : edited(now, e);
              if (e.via === 'overlay') {
                overlays.set(f, text);
                affected = svc.setOverlay(f, text);
              } else {
                const type = disk.has(f) ? 'changed' : 'created';
                disk.write(f, text);
                affected = await svc.filesChanged([{ path: f, type }]);
              }
            }
            for (const g of affected) shown.set(g, svc.diagnose(g));
            ask(a);
          }
          const fresh = new PhasegateService({ fs: disk, assets });
          await fresh.load(ROOT);
          for (const [f, t] of overlays) fresh.setOverlay(f, t);
          const log = [
            `config ${JSON.stringify(config)}, maxParsed ${maxParsed}, first ${JSON.stringify(first)}`,
            ...steps.map(([e, a]) => `${e.via} ${e.kind}(${e.a}, ${e.b}) ${pickFile(md, e.file).slice(ROOT.length + 1)}; ${JSON.stringify(a)}`),
          ].join('\n');
          assert.deepEqual(svc.diagnosedPaths(), fresh.diagnosedPaths(), log);
          for (const p of fresh.model.phases) {
            const q = svc.findPhase(p.id)!;
            assert.deepEqual(svc.gates(q), fresh.gates(p), `gates of ${p.id} after:\n${log}`);
            assert.deepEqual(svc.status(q), fresh.status(p), `status of ${p.id} after:\n${log}`);
          }
          for (const f of fresh.diagnosedPaths()) {
            const want = fresh.diagnose(f);
            assert.deepEqual(svc.diagnose(f), want, `diagnostics of ${f} after:\n${log}`);
            assert.deepEqual(shown.get(f), want, `shown diagnostics of ${f} after:\n${log}`);
          }
        },
      ),
      params(Math.max(1, Math.round(RUNS / 2))),
    );
  });
});

// ---------------------------------------------------------------- 2. code spans over several lines, against markdown-it

/**
 * A paragraph of several lines: words, runs of backticks (glued to what is before or after them, or not), links to
 * files that are not there and `[Describe …]` placeholders, each link and placeholder named uniquely so that
 * markdown-it's tokens tell which of them it reads as a link or text and which inside a code span.
 *
 * Where the engine's reading differs on purpose, the generator stays out: the engine finds links and placeholders
 * line by line (one split over two lines is neither), so each is kept on one line; it reads a paragraph up to a
 * list item, heading, table or block (markdown-it's paragraph may run on or be interrupted otherwise), so a line
 * starts with a word, a bullet, `1. `, `## ` or `> ` (which start a block in both readings: a list item or a block
 * quote, which the lines below it continue, and a heading), or two blanks, never with a fence, a code indent or HTML. Backslashes are written only
 * before runs of backticks (`` \` ``, `` \\` ``).
 */
type Piece = { kind: 'word' | 'ticks' | 'link' | 'placeholder'; text: string; glue: boolean; escape: string };
const LETTERS = 'abcdefghijklmnopqrstuvwxyz';
const piece: fc.Arbitrary<Omit<Piece, 'text'> & { n: number }> = fc.record({
  kind: fc.constantFrom<Piece['kind']>('word', 'ticks', 'ticks', 'ticks', 'link', 'placeholder'),
  n: fc.integer({ min: 1, max: 3 }),
  glue: fc.boolean(),
  // Before a run of backticks: a backslash that escapes its first one, or two (an escaped backslash: the run is whole).
  escape: fc.constantFrom('', '', '', '\\', '\\\\'),
});
/** A line: its pieces, and how it starts: as prose (most), a list item or a heading (each a block of its own, as in CommonMark). */
const paragraph = fc.array(
  fc.record({ start: fc.constantFrom('', '', '', '', '- ', '1. ', '## ', '> ', '  '), pieces: fc.array(piece, { minLength: 1, maxLength: 6 }) }),
  {
    minLength: 1,
    maxLength: 5,
  },
);

/** The paragraph's lines, and where each link and placeholder is: its line, columns and name. */
function writeParagraph(lines: { start: string; pieces: (Omit<Piece, 'text'> & { n: number })[] }[]) {
  const spots: { kind: 'link' | 'placeholder'; name: string; line: number; start: number; end: number }[] = [];
  let k = 0;
  const out = lines.map(({ start, pieces }, line) => {
    let s = `${start}word`;
    for (const p of pieces) {
      const name = LETTERS[Math.floor(k / 26) % 26] + LETTERS[k % 26];
      const text =
        p.kind === 'word'
          ? 'text'
          : p.kind === 'ticks'
            ? p.escape + '`'.repeat(p.n)
            : p.kind === 'link'
              ? `[go ${name}](gone-${name}.md)`
              : `[Describe ${name}]`;
      // Backticks may touch what is around them; links and placeholders stand apart (`[Describe x][y](z)` reads as a reference).
      s += p.kind === 'ticks' && p.glue ? '' : ' ';
      if (p.kind === 'link' || p.kind === 'placeholder') {
        spots.push({ kind: p.kind, name, line, start: s.length, end: s.length + text.length });
        k++;
      }
      s += text;
    }
    return s + ' end';
  });
  return { lines: out, spots };
}

describe('fuzz: code spans over several lines, against markdown-it', function () {
  this.timeout(120000);
  const md = new MarkdownIt();
  let micromark: (text: string) => string;
  before(async () => {
    ({ micromark } = (await import('micromark')) as { micromark: (text: string) => string });
  });
  it('a link or placeholder the engine reports is one markdown-it reads outside any code span, and every one it reads outside is reported', async () => {
    await fc.assert(
      fc.asyncProperty(paragraph, async (shape) => {
        const { lines, spots } = writeParagraph(shape);
        const head = '---\nphase: 1\ntitle: Phase 1 Brief\nstatus: draft\n---\n\n# Phase 1 Brief\n\n## Objective\n\n';
        const text = `${head}${lines.join('\n')}\n`;
        const offset = head.split('\n').length - 1;
        const svc = await loud({ 'audit-deployment/phase-1/00-PHASE_BRIEF.md': text });
        const ds = svc.diagnose(`${ROOT}/audit-deployment/phase-1/00-PHASE_BRIEF.md`);
        const at = (d: Diagnostic) =>
          spots.find((s) => s.line === d.range.start.line - offset && s.start <= d.range.start.character && d.range.end.character <= s.end);
        const engine = new Set<string>();
        for (const d of ds) {
          if (d.code !== 'broken-link' && d.code !== 'unfilled-placeholder') continue;
          const s = at(d);
          assert.ok(s, `a ${d.code} away from every link and placeholder: ${JSON.stringify(d.range)}\n${lines.join('\n')}`);
          engine.add(s.name);
        }
        // markdown-it: the links it reads (by their unique target) and the placeholders in its text tokens (not its code spans).
        const read = new Set<string>();
        const tokens = md.parse(lines.join('\n'), {}).flatMap((t) => t.children ?? []);
        for (const t of tokens) {
          if (t.type === 'link_open') read.add(/gone-(\w+)\.md/.exec(t.attrGet('href') ?? '')![1]);
          if (t.type === 'text') for (const m of t.content.matchAll(/\[Describe (\w+)\]/g)) read.add(m[1]);
        }
        const got = [...engine].sort();
        const want = [...read].sort();
        const message = `${lines.join('\n')}\nmarkdown-it's code spans: ${JSON.stringify(tokens.filter((t) => t.type === 'code_inline').map((t) => t.content))}`;
        if (JSON.stringify(got) === JSON.stringify(want)) return;
        // markdown-it 14 misses a closing run now and then: its cache of where a run of each length was last seen is
        // set back to an earlier run (``a ``` b ` `` c ` d `` e `` f``: `` e `` is a code span, CommonMark, and micromark's).
        // There micromark, CommonMark's reference reading, decides.
        const html = micromark(lines.join('\n'));
        const outside = html.replace(/<code>[^]*?<\/code>/g, '');
        const reference = spots
          .filter((s) => (s.kind === 'link' ? html.includes(`href="gone-${s.name}.md"`) : outside.includes(`[Describe ${s.name}]`)))
          .map((s) => s.name)
          .sort();
        assert.deepEqual(got, reference, `${message}\nmicromark: ${html}`);
      }),
      params(),
    );
  });
});

/** The broken links and placeholders of a brief whose Objective is `body`, as `rule line:column` (lines of `body`). */
async function found(body: string): Promise<string[]> {
  const head = '---\nphase: 1\ntitle: Phase 1 Brief\nstatus: draft\n---\n\n# Phase 1 Brief\n\n## Objective\n\n';
  const file = 'audit-deployment/phase-1/00-PHASE_BRIEF.md';
  return (await loud({ [file]: `${head}${body}\n` }))
    .diagnose(`${ROOT}/${file}`)
    .filter((d) => d.code === 'broken-link' || d.code === 'unfilled-placeholder')
    .map((d) => `${d.code} ${d.range.start.line - 10}:${d.range.start.character}`);
}

describe('code spans and escaped backticks', () => {
  it('a backtick escaped by a backslash opens no code span: a link or placeholder after it is read (was: masked up to the next backtick)', async () => {
    assert.equal(maskInlineCode('a \\`b` c'), 'a \\`b` c');
    assert.equal(maskInlineCode('a \\``b` c'), 'a \\`    c');
    assert.equal(maskInlineCode('`a\\` b`'), '     b`');
    assert.equal(maskInlineCode('\\\\`a`'), '\\\\   ');
    assert.deepEqual(await found('Write \\`[Describe x]` here.'), ['unfilled-placeholder 0:8']);
    assert.deepEqual(await found('Write \\` [go](gone.md) and `x`.'), ['broken-link 0:14']);
    // Over lines: the line's escaped backtick opens nothing, the one after it opens a span the next line closes.
    assert.deepEqual(await found('Write \\`a` [go](gone.md)\n[Describe y] ` [go](here.md) \\`'), ['broken-link 1:20']);
  });
});

describe('code spans and block quotes', () => {
  it('a block quote ends the paragraph before it: no code span or comment runs from one into the other (was: read as one paragraph, what the quote held was masked)', async () => {
    assert.deepEqual(await found('Write ` here\n> [Describe x] ` [go](gone.md)'), ['unfilled-placeholder 1:2', 'broken-link 1:22']);
    assert.deepEqual(await found('Write <!-- here\n> [Describe x] -->'), ['unfilled-placeholder 1:2']);
    // Within a quote, its lines and those that go on with it lazily are one paragraph: the span runs over them.
    assert.deepEqual(await found('> Write ` here\n[Describe x]\n> [go](gone.md) ` end'), []);
    assert.deepEqual(await found('> Write ` here\n\n> [Describe x] ` end'), ['unfilled-placeholder 2:2']);
  });
});

// ---------------------------------------------------------------- 3. heading texts ending in `#`

describe('fuzz: a heading written with headingText reads back as its title', () => {
  it('random titles of words, `#`, `\\#`, blanks and tabs', () => {
    const title = fc
      .array(fc.constantFrom('C', 'Notes', '#', '##', '\\#', '\\', ' ', ' ', '\t', 'x#', '#x', '1'), { minLength: 1, maxLength: 8 })
      .map((xs) => xs.join(''))
      // A title of blanks only is none; one starting or ending in blanks is read trimmed (as any heading is).
      .filter((t) => t.trim() !== '');
    // The engine reads a heading's text with its escapes kept (`C\\# x`), but for an escaped run of `#` that ends it, read
    // as it renders (`C \\#` is `C #`, as `headingText` writes it): a title that itself ends in one after a blank reads so.
    const read = (t: string) => t.trim().replace(/(^|[ \t])\\(#+)$/, '$1$2');
    fc.assert(
      fc.property(title, fc.constantFrom(1, 2, 3), (t, level) => {
        const doc = parseDocument(`${'#'.repeat(level)} ${headingText(t)}\n\nText.\n`);
        assert.equal(doc.headings.length, 1, `${JSON.stringify(t)} → ${JSON.stringify(headingText(t))}`);
        assert.equal(doc.headings[0].text, read(t), `${JSON.stringify(t)} → ${JSON.stringify(headingText(t))}`);
      }),
      params(RUNS * 5),
    );
  });
});

// ---------------------------------------------------------------- 4. gate causes capped per reason

describe('fuzz: gate causes capped per reason', () => {
  it('a subsequence of the causes, at most N of each reason, every reason kept, all of them when they are few', () => {
    const KINDS: GateCause['kind'][] = ['diagnostic', 'unchecked-item', 'no-evidence', 'no-checklist', 'empty-checklist', 'missing-document'];
    const cause = fc.record({ kind: fc.constantFrom(...KINDS), code: fc.constantFrom(undefined, 'broken-link', 'missing-section', 'gate-item-unchecked') });
    fc.assert(
      fc.property(fc.array(cause, { maxLength: 60 }), fc.integer({ min: 1, max: 8 }), (shape, n) => {
        const causes: GateCause[] = shape.map((c, i) => ({ kind: c.kind, code: c.code, file: `/ws/f${i}.md`, range: rng(i, 0, i, 1), message: `cause ${i}` }));
        const reason = (c: GateCause) => (c.kind === 'diagnostic' ? `diagnostic ${c.code ?? ''}` : c.kind);
        const got = listedCauses(causes, n);
        // A subsequence, of the same objects.
        let at = 0;
        for (const c of got) {
          at = causes.indexOf(c, at);
          assert.ok(at >= 0, 'a cause listed out of order or not given');
          at++;
        }
        const count = (xs: GateCause[]) => xs.reduce((m, c) => m.set(reason(c), (m.get(reason(c)) ?? 0) + 1), new Map<string, number>());
        const given = count(causes);
        const kept = count(got);
        assert.deepEqual([...kept.keys()].sort(), [...given.keys()].sort(), 'every reason kept');
        for (const [r, k] of given) assert.equal(kept.get(r), Math.min(k, n), r);
        if (causes.length <= n) assert.deepEqual(got, causes);
        assert.notEqual(got, causes, 'a new list');
      }),
      params(RUNS * 5),
    );
  });
});
