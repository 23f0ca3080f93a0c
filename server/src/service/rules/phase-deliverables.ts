/**
 * Deliverables: every deliverable the prompt (iAI) or brief (audit) asks for is addressed
 * by the response (iAI) or the output handoff's summary and artifacts (audit).
 */
import type { ListItem, ParsedDocument, Section } from '../markdown';
import type { DocumentKindSpec } from '../layout';
import { PLACEHOLDER, textKey, topItems } from '../handoff';
import { type Phase, phaseDocument } from '../workspace';
import { kindSections } from './doc-util';
import { bodyStart, sectionByTitle } from '../markdown';
import { Memo } from '../memo';
import { lowerBound } from '../sorted';
import { type Range, range } from '../types';
import type { Rule, RuleContext } from './rule';
import { onlyPlaceholders, sectionsNamed, titleRange } from './phase-response';
import { inlineParts, isLabelSection } from '../labels';

const STOP_WORDS = new Set(
  (
    'a an the and or nor of for to in on at by with from into onto via per as is are be been being was were it its this that these those ' +
    'all each every any some no not our your their his her we you they i me my will shall should must can could would may might ' +
    'also than then so such only own same other more most new etc e g ie eg include including includes using use used'
  ).split(' '),
);

/** Significant words of a text's key (`textKey`): no stop words, a plural `s` folded. */
function wordsOfKey(key: string): string[] {
  const out: string[] = [];
  for (const w of key.split(' ')) {
    if (!w || STOP_WORDS.has(w)) continue;
    out.push(w.length > 3 && w.endsWith('s') && !w.endsWith('ss') ? w.slice(0, -1) : w);
  }
  return out;
}

/**
 * The distinct significant words of a text key, memoised (performance only: deliverables and the
 * lines they are looked for in repeat across phases). The sets are shared: never change one.
 */
const wordSets = new Memo<ReadonlySet<string>>(50_000, (key) => new Set(wordsOfKey(key)));

function wordSetOfKey(key: string): ReadonlySet<string> {
  return wordSets.get(key);
}

/** Key terms of a deliverable: its **bold** and `code` spans. */
export function keyTerms(text: string): string[] {
  const out: string[] = [];
  for (const [re, mark] of KEY_TERM_PATTERNS) {
    // Without its marker character a pattern cannot match (performance only).
    if (!text.includes(mark)) continue;
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const k = textKey(m[1]);
      if (k) out.push(k);
    }
  }
  return out;
}

/** **bold**, __bold__ and `code`, each with the character it needs. */
const KEY_TERM_PATTERNS: [RegExp, string][] = [
  [/\*\*([^*]+)\*\*/g, '*'],
  [/__([^_]+)__/g, '_'],
  [/`([^`]+)`/g, '`'],
];

/** A text a deliverable can be matched in; its words are computed when first needed (performance only). */
export class Unit {
  /** The text's key (see textKey) with a space on either side, for whole-word searches. */
  readonly key: string;
  private readonly bareKey: string;
  /** Its words once asked for (performance only: a unit is tried against every deliverable not yet addressed). */
  private wordSet: ReadonlySet<string> | undefined;

  constructor(text: string) {
    this.bareKey = textKey(text);
    this.key = ` ${this.bareKey} `;
  }

  get words(): ReadonlySet<string> {
    return (this.wordSet ??= wordSetOfKey(this.bareKey));
  }
}

/**
 * Units by text, memoised (performance only: the lines deliverables are looked for in repeat across phases). Units
 * are never changed; each is made of the memo's copy of its text, which holds no slice of the document's text.
 */
const units = new Memo(50_000, (text) => new Unit(text));

export function unit(text: string): Unit {
  return units.get(text);
}

/** A deliverable with what matching it needs, computed once for all the units it is tried against. */
export interface Deliverable {
  text: string;
  terms: string[];
  /** Distinct significant words. */
  words: string[];
  /**
   * The distinct significant words outside parentheses, when it has some there: `Expanded test coverage (>80%)`
   * is addressed by a report of its coverage, `Integrate linters (e.g., Pylint, ESLint)` by its linters.
   */
  core?: string[];
  key: string;
}

/** Parenthesised text: a target (`(>80%)`) or examples (`(e.g., Pylint, ESLint)`) qualifying a deliverable. */
const PARENTHESES = /\([^()]*\)/g;

/**
 * Deliverables by text, memoised (performance only: they repeat across phases). Never change one. Each is made of
 * the memo's copy of its text: its text and terms hold no slice of the document's text.
 */
const deliverables = new Memo(10_000, deliverable);

function deliverableOf(text: string): Deliverable {
  return deliverables.get(text);
}

export function deliverable(text: string): Deliverable {
  const key = textKey(text);
  const words = [...wordSetOfKey(key)];
  const bare = text.includes('(') ? textKey(text.replace(PARENTHESES, ' ')) : key;
  const core = bare !== key && bare !== '' ? [...wordSetOfKey(bare)] : undefined;
  return { text, terms: keyTerms(text), words, core: core?.length && core.length < words.length ? core : undefined, key };
}

/** Whether 60% of `words` are among `have`. */
function mostOf(words: readonly string[], have: ReadonlySet<string>): boolean {
  let hits = 0;
  for (const w of words) if (have.has(w)) hits++;
  return hits / words.length >= 0.6;
}

/**
 * A deliverable counts as addressed by a unit when its key term, or 60% of its significant words (or of those
 * outside its parentheses), appear in it.
 */
export function addresses(d: Deliverable | string, u: Unit | string): boolean {
  const want = typeof d === 'string' ? deliverable(d) : d;
  const where = typeof u === 'string' ? unit(u) : u;
  const { key } = where;
  if (want.terms.some((k) => key.includes(` ${k} `))) return true;
  if (want.words.length === 0) return want.key !== '' && key.includes(` ${want.key} `);
  const have = where.words;
  return mostOf(want.words, have) || (want.core !== undefined && mostOf(want.core, have));
}

/** Units every deliverable is tried against in turn before the rest are indexed (see `unaddressed`). */
const FIRST_UNITS = 64;
/** Deliverables left after those units above which the rest of the units are indexed (see `unaddressed`). */
const INDEX_FROM = 16;

/**
 * The deliverables that no unit of `sources` addresses, in their order. Units are read only while some deliverable
 * is not addressed by those before (performance only: the first few units of the first section usually address all).
 * Past the first FIRST_UNITS, more than INDEX_FROM deliverables left are looked for through an index of the units'
 * words (`UnitIndex`), not each against every unit: a brief of 16,000 deliverables, none addressed, took 40 s.
 */
export function unaddressed(wanted: { text: string }[], sources: UnitReader[]): string[] {
  let left = wanted.map((w) => deliverableOf(w.text));
  for (let s = 0; s < sources.length && left.length; s++) {
    const units = sources[s];
    const among = (w: Deliverable, from: number, to: number) => {
      for (let i = from; i < to; i++) {
        const u = units.at(i);
        if (!u) return false;
        if (addresses(w, u)) return true;
      }
      return false;
    };
    left = left.filter((w) => !among(w, 0, FIRST_UNITS));
    if (left.length > INDEX_FROM) {
      const index = new UnitIndex(units.all().slice(FIRST_UNITS));
      left = left.filter((w) => !index.addressed(w));
    } else left = left.filter((w) => !among(w, FIRST_UNITS, Infinity));
  }
  return left.map((w) => w.text);
}

/**
 * Units indexed by the words of their keys, so that a deliverable is tried only against the units that can address
 * it (`addresses`), found in time about linear in what they share:
 * - by a key term, or by its whole key when it has no significant word: the units whose keys hold the phrase's first word;
 * - by 60% of its words (or of those outside its parentheses): a unit that holds `need` of `n` words holds one of
 *   any `n - need + 1` of them, so the units that hold one of its `n - need + 1` rarest words.
 */
export class UnitIndex {
  private readonly byToken = new Map<string, number[]>();
  private readonly byWord = new Map<string, number[]>();

  constructor(private readonly units: readonly Unit[]) {
    const add = (map: Map<string, number[]>, key: string, i: number) => {
      const list = map.get(key);
      if (!list) map.set(key, [i]);
      else if (list[list.length - 1] !== i) list.push(i);
    };
    units.forEach((u, i) => {
      for (const t of u.key.split(' ')) if (t) add(this.byToken, t, i);
      for (const w of u.words) add(this.byWord, w, i);
    });
  }

  /** Whether some unit addresses `d`: the same as `units.some((u) => addresses(d, u))`. */
  addressed(d: Deliverable): boolean {
    const candidates = new Set<number>();
    const take = (list: number[] | undefined) => list?.forEach((i) => candidates.add(i));
    for (const k of d.terms) take(this.byToken.get(k.split(' ')[0]));
    if (d.words.length === 0) {
      if (d.key !== '') take(this.byToken.get(d.key.split(' ')[0]));
    } else {
      this.rarest(d.words).forEach(take);
      if (d.core) this.rarest(d.core).forEach(take);
    }
    for (const i of candidates) if (addresses(d, this.units[i])) return true;
    return false;
  }

  /** The units of the `n - need + 1` rarest of `words`, where `need` is the fewest of them `mostOf` counts as most. */
  private rarest(words: readonly string[]): number[][] {
    let need = 0;
    while (need / words.length < 0.6) need++;
    // No unit holds a word without a list: it is the rarest (an empty list, not undefined, which sort() puts last).
    const lists = words.map((w) => this.byWord.get(w) ?? []);
    lists.sort((a, b) => a.length - b.length);
    return lists.slice(0, words.length - need + 1);
  }
}

/** A character other than white space, dashes, colons and dots. */
const MEANINGFUL_CHAR = /[^\s\-–—:.]/;

/** A deliverable as its prompt or brief lists it: its text, its list item when it is one, and the range that names it. */
export interface Wanted {
  text: string;
  item: ListItem | undefined;
  /** The item's text, the table row's first cell, or the part of a label's line. */
  range: Range;
}

/**
 * Deliverables listed in a section: top-level list items, else the first cell of each table row, else (a
 * bold label that lists them on its line, `- **Key Activities (via iAI Prompt):** Finalize Git setup,
 * define branching model, …`) the parts of that text.
 */
export function deliverablesOf(doc: ParsedDocument, sec: Section | undefined): Wanted[] {
  if (!sec) return [];
  const items = topItems(doc, sec).filter((it) => MEANINGFUL_CHAR.test(it.text.includes('[') ? it.text.replace(PLACEHOLDER, '') : it.text));
  if (items.length) return items.map((it) => ({ text: it.text, item: it, range: it.textRange }));
  const rows: Wanted[] = [];
  for (const t of doc.tables) {
    if (t.line <= sec.heading.line || t.line >= sec.end) continue;
    for (const r of t.rows) {
      const cell = r.cells[0];
      if (cell && cell.text.replace(PLACEHOLDER, '').trim() !== '') rows.push({ text: cell.text, item: undefined, range: cell.range });
    }
  }
  if (rows.length || !isLabelSection(sec)) return rows;
  // Each part where it is on the label's line (found in order; a part joined with its example is found by its start).
  const line = sec.heading.line;
  const src = doc.lines[line] ?? '';
  let from = src.indexOf(sec.inline);
  return inlineParts(sec.inline)
    .filter((t) => t.replace(PLACEHOLDER, '').trim() !== '')
    .map((text) => {
      const head = text.split(', ')[0];
      const at = src.indexOf(head, Math.max(0, from));
      if (at < 0) return { text, item: undefined, range: range(line, 0, line, src.length) };
      from = at + head.length;
      return { text, item: undefined, range: range(line, at, line, at + head.length) };
    });
}

/** Units a deliverable can be matched in: each list item (continuation lines joined) and each other line of the range. */
export function unitsOf(doc: ParsedDocument, from: number, to: number): Unit[] {
  return new UnitReader(doc, from, to).all();
}

/**
 * The units of lines `[from, to)` of a document, in unitsOf's order (its items, then its other lines), each made
 * when first asked for (performance only: a deliverable is usually addressed by one of the first units, often
 * an item that lists them all, `- Key deliverables:` over its nested items).
 */
export class UnitReader {
  private readonly made: Unit[] = [];
  /** The first and last line of each unit made, two numbers a unit. */
  private readonly spans: number[] = [];
  /** The lines of the items read, by offset from `from` (performance only: no set). */
  private readonly covered: Uint8Array;
  /** The next item to read, then the next line. */
  private item: number;
  private line: number;

  constructor(
    private readonly doc: ParsedDocument,
    private readonly from: number,
    private readonly to: number,
  ) {
    this.covered = new Uint8Array(Math.max(0, to - from));
    // Items are in line order: those from `from` on.
    this.item = lowerBound(doc.items, (it) => it.line < from);
    this.line = from;
  }

  /** The `i`th unit, undefined past the last. */
  at(i: number): Unit | undefined {
    while (this.made.length <= i) {
      const u = this.next();
      if (!u) return undefined;
      this.made.push(u);
    }
    return this.made[i];
  }

  /** The first and last line (inclusive) of the `i`th unit, once it is made. */
  lines(i: number): [number, number] {
    return [this.spans[2 * i], this.spans[2 * i + 1]];
  }

  /** Every unit. */
  all(): Unit[] {
    while (this.at(this.made.length));
    return this.made;
  }

  private next(): Unit | undefined {
    const { doc, from, to } = this;
    const { items, lines } = doc;
    if (this.item < items.length && items[this.item].line < to) {
      const it = items[this.item++];
      const last = Math.min(it.endLine, to - 1);
      this.covered.fill(1, it.line - from, last + 1 - from);
      this.spans.push(it.line, last);
      return unit(last === it.line ? lines[it.line] : lines.slice(it.line, last + 1).join(' '));
    }
    // Past the items (the first one at or after `to` ends them): the lines no item holds.
    while (this.line < to) {
      const l = this.line++;
      if (this.covered[l - from] === 1 || doc.codeLines.has(l)) continue;
      const src = lines[l] ?? '';
      // A heading has a `#` (performance only: no regex test of other lines).
      if (src.trim() !== '' && !(src.includes('#') && /^\s*#{1,6}\s/.test(src))) {
        this.spans.push(l, l);
        return unit(src);
      }
    }
    return undefined;
  }
}

/** Reports the `missing` deliverables at the range `at` makes (made only when one is missing: performance only). */
function report(ctx: RuleContext, answer: Answer, missing: string[], pending = false): void {
  if (!missing.length) return;
  const r = answer.at();
  for (const d of missing) {
    const name = d.length > 100 ? d.slice(0, 99) + '…' : d;
    (pending ? ctx.reportPending : ctx.report).call(
      ctx,
      'unaddressed-deliverable',
      r,
      `Deliverable "${name}" of the ${answer.source} is not addressed in ${answer.where}.`,
      {
        fix: 'add-deliverable',
        deliverable: d,
        section: answer.section,
        format: answer.format,
      },
    );
  }
}

/** The kinds of document that answer a phase's deliverables, by the kind that asks for them. */
export const ANSWERED_BY: Readonly<Record<string, string>> = { prompt: 'response', brief: 'output-handoff' };

/** The deliverables a phase asks for: the document that lists them (its prompt, iAI, or brief, audit), and them. */
export interface Asked {
  path: string;
  doc: ParsedDocument;
  wanted: Wanted[];
}

/**
 * The deliverables a phase's document of kind `answer` (`response` or `output-handoff`) must address: those of its
 * prompt's or brief's Deliverables, every section that counts as them (`## Deliverables` and `## Key Activities (via
 * iAI Prompt)`). Undefined when that document is not written.
 */
export function askedOf(phase: Phase, answer: string, read: (path: string) => ParsedDocument | undefined): Asked | undefined {
  const kind = Object.keys(ANSWERED_BY).find((k) => ANSWERED_BY[k] === answer);
  const asking = kind ? phaseDocument(phase, kind) : undefined;
  const doc = asking && read(asking.path);
  if (!asking || !doc) return undefined;
  return { path: asking.path, doc, wanted: sectionsNamed(doc, asking.spec, 'Deliverables').flatMap((s) => deliverablesOf(doc, s)) };
}

/** Where a response or an output handoff addresses its phase's deliverables, and how a deliverable missing there is reported. */
export interface Answer {
  /** The line ranges `[from, to)` read, in their order. */
  spans: [number, number][];
  at: () => Range;
  where: string;
  source: string;
  section: string;
  format: string;
}

/**
 * Where the document `doc` of kind `kind` addresses its phase's deliverables: a response in its Deliverables sections
 * (every one, as the prompt's), else anywhere; an output handoff in its "Phase N Summary" and "Artifacts Produced".
 * Undefined for another kind.
 */
export function answerOf(doc: ParsedDocument, spec: DocumentKindSpec | undefined, kind: string, phase: Phase): Answer | undefined {
  if (kind === 'response') {
    const secs = sectionsNamed(doc, spec, 'Deliverables');
    const sec = secs[0];
    return {
      spans: sec ? secs.map((s) => [s.bodyStart, s.end]) : [[bodyStart(doc), doc.lines.length]],
      at: () => (sec ? sec.heading.textRange : titleRange(doc)),
      // Named as the response heads it (`Key Activities (via iAI Prompt)`, answering the prompt in its words).
      where: sec ? `the response's "${sec.title}" section` : 'the response',
      source: 'prompt',
      section: 'Deliverables',
      format: 'response',
    };
  }
  if (kind !== 'output-handoff') return undefined;
  const summary = kindSections(doc, undefined, 'Phase {N} Summary', phase.number)[0];
  const artifacts = sectionByTitle(doc, 'Artifacts Produced');
  return {
    spans: [summary, artifacts].flatMap((s): [number, number][] => (s ? [[s.bodyStart, s.end]] : [])),
    at: () => artifacts?.heading.textRange ?? summary?.heading.textRange ?? titleRange(doc),
    where: `the output handoff's "Phase ${phase.number ?? 'N'} Summary" or "Artifacts Produced"`,
    source: 'brief',
    section: 'Artifacts Produced',
    format: 'artifact',
  };
}

export const deliverablesRule: Rule = {
  ids: ['unaddressed-deliverable'],
  check(ctx: RuleContext) {
    const { doc, spec, phase } = ctx;
    const kind = spec?.kind;
    if (!phase || (kind !== 'response' && kind !== 'output-handoff')) return;
    const asked = askedOf(phase, kind, (p) => ctx.getDocument(p));
    if (!asked?.wanted.length) return;
    const answer = answerOf(doc, spec, kind, phase)!;
    const missing = unaddressed(
      asked.wanted,
      answer.spans.map(([from, to]) => new UnitReader(doc, from, to)),
    );
    report(ctx, answer, missing, missing.length > 0 && kind === 'output-handoff' && templateOnly(doc, answer.spans));
  },
};

/**
 * Whether the lines `spans` cover hold the template's placeholders and nothing else (`- Key deliverables: [Key
 * deliverables]`, `- Artifact: [Location] - [Purpose]`), blank lines and headings aside: an output handoff not written
 * yet, whose deliverables keep the phase pending, not blocked, as a response's Tests holding only placeholders do.
 */
function templateOnly(doc: ParsedDocument, spans: readonly [number, number][]): boolean {
  let placeholders = 0;
  for (const [from, to] of spans) {
    for (let l = from; l < to; l++) {
      const line = doc.lines[l] ?? '';
      if (line.trim() === '' || /^\s{0,3}#/.test(line)) continue;
      if (!onlyPlaceholders(line)) return false;
      placeholders++;
    }
  }
  return placeholders > 0;
}
