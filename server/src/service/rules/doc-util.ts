/** Helpers shared by the document rules: placeholders, link targets, sections by title. */
import { ignoreGlobs } from '../glob-safety';
import { dirname, isInside, joinPath, normalizePath, relativePath } from '../host';
import { Link, ListItem, ParsedDocument, Section, bodyStart, linesMatching, maskedProse, normalizeTitle, sectionByKey, unescapeLinkText } from '../markdown';
import { skippedFolder } from '../workspace';
import { MAX_LOWER_FORMS, earlierWrittenTitle, expandTitle, writtenTitle } from '../layout';
import type { DocumentKindSpec, SectionSpec } from '../layout';
import { lowerBound } from '../sorted';
import { numberTable, tableHead } from '../tables';
import { Memo } from '../memo';
import { rootedPath } from '../repo-root';
import { LabelSection, labelSections } from '../labels';
import type { RuleContext } from './rule';

/** Keys of templated titles: the one shared from phase number `from` on, those below it by number (see `expandedTitleKey`). */
const expandedKeys = new Memo<{ from: number; shared?: string; byNumber: string[] }>(256, (title) => ({ from: sharedFrom(title), byNumber: [] }));
const MAX_REMEMBERED_NUMBER = 10_000;

/**
 * The section of `doc` that a layout's section spec names: by its title, else by one of its aliases (`{N}` as
 * phase `n`), else (`aliasNotes`) by an alias followed by a note in parentheses; else, unless `labels` is
 * false, a bold label so named (`**Deliverables**:`, `- **Description:** …`: see labels.ts).
 */
export function specSection(
  doc: ParsedDocument | Pick<ParsedDocument, 'sections'>,
  spec: SectionSpec,
  n: number | undefined,
  labels = true,
): Section | undefined {
  const keys = specKeys(spec);
  let s = sectionByKey(doc, keys.fixed[0] ?? expandedTitleKey(spec.title, n));
  // A title with numbers found by its key, which writes them as `#`: the section titled with this phase's numbers, as
  // `new` writes it, where another comes first (`## Sprint 1` and `## Sprint 2` of `Sprint {N-1}` and `Sprint {N}`).
  if (s && keys.fixed[0] === undefined && n !== undefined) s = exactSection(doc, spec.title, n, s);
  for (let i = 0; !s && spec.aliases && i < spec.aliases.length; i++) s = sectionByKey(doc, keys.fixed[i + 1] ?? expandedTitleKey(spec.aliases[i], n));
  // A number glued to the word before it (`S{N-2} recap`), written with a hyphen or a blank there (`## S-3 recap`), as
  // for `S {N-2} recap`; one after a blank (`S {N-2} recap`) written glued to it (`## S3 recap`; see spacedKey).
  if (!s && keys.glued && n !== undefined) s = sectionByKeyOf(doc, keys.titles, spacedKey, n);
  // In a phase without a number, also as written for it: `## Sprint Goals` of `Sprint {N} Goals` (see numberlessKey).
  if (!s && n === undefined) for (const k of keys.numberless) if ((s = sectionByKey(doc, k))) break;
  if (!s && keys.lower && n !== undefined)
    s =
      // In phase 0, also as written for it where a `{N-1}` names no phase: `## Lessons of sprint` of `Lessons of sprint {N-1}` (see writtenKey).
      sectionByKeyOf(doc, keys.titles, writtenKey, n) ??
      // Else as an earlier `new` wrote it there (`## Sprints to 0` of `Sprints {N-1} to {N}`, see earlierKey): the
      // section, which heading-mismatch reports, its fix writing it as `new` does now.
      sectionByKeyOf(doc, keys.titles, earlierKey, n) ??
      // Else with a number where it names none, as another phase writes it (`## S3 recap` of `S{N-1} recap`): the
      // section, its number another phase's, which heading-mismatch reports (see numberedKey).
      sectionByKeyOf(doc, keys.titles, numberedKey, n) ??
      // Else as a phase below writes it, with fewer numbers (`## Sprints 0` of `Sprints {N-1}-{N}` in phase 1, see
      // loweredKeys): the section, which heading-mismatch reports.
      sectionByKeysOf(doc, keys.titles, loweredKeys, n);
  if (s) return s;
  // Else its title or an alias followed by a note in parentheses (`## Open Questions (2)`, `## Key Activities (via iAI
  // Prompt)`): only a title that ends with `)` can be one (performance only: namedBy is made on demand).
  if (doc.sections.some(endsWithNote)) s = doc.sections.find(namedBy(spec, n));
  return s ?? (labels && 'lines' in doc ? specLabels(doc, spec, n)[0] : undefined);
}

/**
 * The keys of a section spec's title and aliases, in that order: `fixed`, the key of each without a `{`
 * (`expandedTitleKey`'s for any phase number; undefined for a templated one), and `numberless`, each one's
 * numberlessKey. Made once per spec (performance only: every document of a kind asks for each of its sections).
 */
function specKeys(spec: SectionSpec): SpecKeys {
  let keys = keysOfSpec.get(spec);
  if (!keys) {
    const titles = [spec.title, ...(spec.aliases ?? [])];
    keys = {
      titles,
      fixed: titles.map((t) => (t.includes('{') ? undefined : normalizeTitle(t))),
      numberless: titles.map(numberlessKey),
      lower: titles.some((t) => t.includes('{N-')),
      glued: titles.some((t) => GLUED.test(t) || SPACED.test(t) || HYPHENED.test(t)),
    };
    keysOfSpec.set(spec, keys);
  }
  return keys;
}

interface WrittenForm {
  key: string;
  digits: string;
}

/** The key and the numbers (its runs of digits, which the key writes as `#`) of a title with numbers as `new` writes it in a phase, by title and number. */
const writtenForms = new Map<string, Map<number, WrittenForm>>();

function writtenForm(title: string, n: number): WrittenForm {
  let byNumber = writtenForms.get(title);
  if (!byNumber) {
    // Titles are a layout's: a few (bounded all the same, for layouts that change in a long session).
    if (writtenForms.size >= 256) writtenForms.clear();
    writtenForms.set(title, (byNumber = new Map()));
  }
  let form = byNumber.get(n);
  if (!form) {
    if (byNumber.size >= 4096) byNumber.clear();
    const written = writtenTitle(title, n);
    byNumber.set(n, (form = { key: normalizeTitle(written), digits: digitsOf(written) }));
  }
  return form;
}

/** The runs of digits of a title, in order, one blank between them. */
function digitsOf(title: string): string {
  return title.match(/\d+/g)?.join(' ') ?? '';
}

/**
 * `found` (a section of `title`'s key in phase `n`), or the section titled as `new` writes `title` there, numbers and
 * all, when `found` is not and such a section is in `doc`: of two sections whose titles differ by their numbers alone
 * (`Sprint {N-1}` and `Sprint {N}`: `## Sprint 1` and `## Sprint 2` in sprint 2; `## Sprint` and `## Sprint 0` in sprint
 * 0), each is its own (was: the first of them, for both, which heading-mismatch told as naming another phase).
 */
function exactSection(doc: Pick<ParsedDocument, 'sections'>, title: string, n: number, found: Section): Section {
  if (!title.includes('{')) return found;
  const want = writtenForm(title, n);
  // Only a section of the written title's key can be that section: `found` where it is the only one (performance only:
  // the common case, without the sections' numbers read).
  if (found.key === want.key && !doc.sections.some((x) => x !== found && x.key === want.key)) return found;
  if (titledAsWritten(title, n, found)) return found;
  return doc.sections.find((x) => x !== found && titledAsWritten(title, n, x)) ?? found;
}

/** Whether a section is titled as `new` writes `title` (a spec's, with numbers) in phase `n`, numbers and all. */
export function titledAsWritten(title: string, n: number, s: Pick<Section, 'key' | 'title'>): boolean {
  if (!title.includes('{')) return false;
  const want = writtenForm(title, n);
  return s.key === want.key && digitsOf(s.title) === want.digits;
}

/** The section whose key `keyOf` makes of the first of `titles` (a spec's title, then its aliases) that has one so named. */
function sectionByKeyOf(
  doc: ParsedDocument | Pick<ParsedDocument, 'sections'>,
  titles: readonly string[],
  keyOf: (title: string, n: number) => string | undefined,
  n: number,
): Section | undefined {
  for (const t of titles) {
    const k = keyOf(t, n);
    const s = k === undefined ? undefined : sectionByKey(doc, k);
    if (s) return s;
  }
  return undefined;
}

/** The section whose key is one of those `keysOf` makes of the first of `titles` that has one so named. */
function sectionByKeysOf(
  doc: ParsedDocument | Pick<ParsedDocument, 'sections'>,
  titles: readonly string[],
  keysOf: (title: string, n: number) => readonly string[],
  n: number,
): Section | undefined {
  for (const t of titles) {
    for (const k of keysOf(t, n)) {
      const s = sectionByKey(doc, k);
      if (s) return s;
    }
  }
  return undefined;
}

/**
 * A spec's keys (see specKeys); `titles`: its title, then its aliases; `lower`: a title or alias has a `{N-d}`, which names no phase in a phase below `d` (see
 * writtenKey); `glued`: one has a `{N}` glued to a letter before it, or after a blank or a hyphen after one (see spacedKey).
 */
interface SpecKeys {
  titles: string[];
  fixed: (string | undefined)[];
  numberless: string[];
  lower: boolean;
  glued: boolean;
}

/** A `{N}` (`{N+1}`, `{N-1}`) glued to the letter before it (`S{N-2} recap`). */
const GLUED = /\p{L}\{N(?:[+-]\d+)?\}/u;
/** A `{N}` (`{N+1}`, `{N-1}`) after a letter and blanks (`S {N-2} recap`). */
const SPACED = /\p{L}[^\S\n]+\{N(?:[+-]\d+)?\}/u;
/** A `{N}` (`{N+1}`, `{N-1}`) joined to the letter before it by a hyphen (`S-{N-2} recap`). */
const HYPHENED = /\p{L}-\{N(?:[+-]\d+)?\}/u;

/**
 * The key of a templated title whose `{N}`s are glued to the letter before them (`S{N-2} recap`, written `## S3 recap`
 * in sprint 5), as written with a hyphen, a blank or another separator there (`## S-3 recap`, `## S 3 recap`): the
 * key of the title spaced there (`S {N-2} recap`), which a title so written has. For a title whose `{N}`s a blank
 * parts from the letter before them (`S {N-2} recap`, which names the section written with a hyphen there, `## S-3
 * recap`, by its own key), the key of the title glued there (`## S3 recap`): either way the three forms name the
 * section; in a phase below the one from which its `{N-d}`s name phases, with a number there, as those phases write
 * it. Undefined for another title, or where it is the title's own key.
 */
function spacedKey(title: string, n: number | undefined): string | undefined {
  if (n === undefined) return undefined;
  let other: string;
  if (GLUED.test(title)) other = title.replace(/(\p{L})(\{N(?:[+-]\d+)?\})/gu, '$1 $2');
  else if (SPACED.test(title)) other = title.replace(/(\p{L})[^\S\n]+(\{N(?:[+-]\d+)?\})/gu, '$1$2');
  // Joined by a hyphen (`S-{N-2} recap`, whose key is the spaced one's): glued (`## S3 recap`).
  else if (HYPHENED.test(title)) other = title.replace(/(\p{L})-(\{N(?:[+-]\d+)?\})/gu, '$1$2');
  else return undefined;
  // Below the phase from which its `{N-d}`s name phases (phase 0 of `S {N-2} recap`), with a number there, as those
  // phases write it (`## S3 recap`, whose number heading-mismatch reports, see numberedKey), not a minus sign.
  const from = sharedFrom(title);
  const key = expandedTitleKey(other, Number.isFinite(from) ? Math.max(n, from) : n);
  return key === expandedTitleKey(title, n) ? undefined : key;
}

const keysOfSpec = new WeakMap<SectionSpec, SpecKeys>();

/**
 * The key of a templated title as `new` writes it in phase `n` where a `{N-1}` (`{N-d}`) of it would be a negative
 * number (phase 0): dropped (`Lessons of sprint {N-1}` is `Lessons of sprint`, see writtenTitle). Undefined where it
 * writes no other title than expandTitle's: the section is found by that key, and, in such a phase, by this one too.
 */
function writtenKey(title: string, n: number): string | undefined {
  if (!title.includes('{N-')) return undefined;
  const written = writtenTitle(title, n);
  return written === expandTitle(title, n) ? undefined : normalizeTitle(written);
}

/**
 * The key of a templated title as an earlier `new` wrote it in phase `n` (see earlierWrittenTitle: `Sprints to 0` of
 * `Sprints {N-1} to {N}` in phase 0), where that is another than writtenKey's; else undefined.
 */
function earlierKey(title: string, n: number): string | undefined {
  const earlier = earlierWrittenTitle(title, n);
  if (earlier === undefined) return undefined;
  const key = normalizeTitle(earlier);
  return key === normalizeTitle(writtenTitle(title, n)) ? undefined : key;
}

/**
 * The key of a templated title as the phases write it where each of its `{N-d}`s names one (from `d` on), in a phase
 * `n` below that (phase 0 for a `{N-1}`): its numbers are then another phase's, read as they are in such a phase
 * (`S3 recap` of `S{N-1} recap` is `s# recap`, which the `-1` of phase 0, `S-1 recap`, is not). Undefined where that
 * key is phase `n`'s own (`Carried over from sprint {N-1}`: `-1` is read as a number too).
 */
function numberedKey(title: string, n: number): string | undefined {
  if (!title.includes('{N-')) return undefined;
  const from = sharedFrom(title);
  if (n >= from || !Number.isFinite(from)) return undefined;
  const key = expandedTitleKey(title, from);
  return key === expandedTitleKey(title, n) ? undefined : key;
}

/**
 * The keys of a templated title as `new` writes it, and as an earlier `new` wrote it, in the phases below the one from
 * which each of its `{N-d}`s names one (phase 0 for a `{N-1}`), where that drops a number (see writtenTitle), but phase
 * `n`'s own: `sprints #` of `Sprints {N-1}-{N}` (`## Sprints 0`, `## Sprints-0` in phase 0) in phase 1, whose key is
 * `sprints # #`. A section so titled in phase `n` is the section, its title another phase's, which heading-mismatch
 * reports (as numberedKey's the other way). Remembered per title and phase number below MAX_REMEMBERED_NUMBER.
 */
function loweredKeys(title: string, n: number): readonly string[] {
  // A phase's number (a whole number): another has no phase below it.
  if (!title.includes('{N-') || !Number.isInteger(n) || n < 0) return NO_KEYS;
  const memo = n <= MAX_REMEMBERED_NUMBER ? loweredKeysMemo.get(title) : undefined;
  const known = memo?.[n];
  if (known) return known;
  const from = sharedFrom(title);
  const own = new Set([expandedTitleKey(title, n), writtenKey(title, n), earlierKey(title, n)]);
  const out = new Set<string>();
  for (let m = 0; m < Math.min(from, MAX_LOWER_FORMS); m++) {
    if (m === n) continue;
    for (const t of [writtenTitle(title, m), earlierWrittenTitle(title, m)]) {
      if (t === undefined || t === expandTitle(title, m)) continue;
      const k = normalizeTitle(t);
      if (!own.has(k)) out.add(k);
    }
  }
  const keys = out.size ? [...out] : NO_KEYS;
  if (memo) memo[n] = keys;
  return keys;
}

const NO_KEYS: readonly string[] = [];
const loweredKeysMemo = new Memo<(readonly string[])[]>(256, () => []);

/**
 * Whether a section whose key is `key` is named by the templated `title` in phase `n`: as expandTitle writes it, as
 * `new` writes it (see writtenKey), with another phase's number where phase `n` writes none (see numberedKey), as
 * an earlier `new` wrote it (see earlierKey) or, a number glued to a letter, with a hyphen there (see spacedKey).
 */
export function titleNames(title: string, n: number, key: string): boolean {
  return (
    expandedTitleKey(title, n) === key ||
    writtenKey(title, n) === key ||
    numberedKey(title, n) === key ||
    earlierKey(title, n) === key ||
    spacedKey(title, n) === key ||
    loweredKeys(title, n).includes(key)
  );
}

/** A note in parentheses that ends a heading: ` (via iAI Prompt)`; sought from the start of a run of blanks only (the same match, each run gone over once). */
export const NOTE = /(?<!\s)\s*\([^()]*\)\s*$/;

/** Whether a section's title ends with `)`, as one with a note does (see NOTE). */
function endsWithNote(section: Pick<Section, 'title'>): boolean {
  return section.title.trimEnd().endsWith(')');
}

/**
 * The key (see normalizeTitle) of a title without the note in parentheses that ends it (`Key Activities` of `Key
 * Activities (via iAI Prompt)`, `Gate 1: Completeness` of `Gate 1: Completeness (passed)`); undefined without one.
 */
export function keyBeforeNote(title: string): string | undefined {
  return title.includes('(') && NOTE.test(title) ? normalizeTitle(title.replace(NOTE, '')) : undefined;
}

/** Whether a section's title is one of the `keys` (a spec's title and aliases) followed by a note (`Key Activities (via iAI Prompt)`). */
function notedAlias(section: Pick<Section, 'title'>, keys: ReadonlySet<string>): boolean {
  const key = keyBeforeNote(section.title);
  return key !== undefined && keys.has(key);
}

/**
 * Every section of a document of kind `kind` that the kind's section `title` names (by the spec's title,
 * its aliases, an alias with a note), in document order: a response with both `## Execution Proof` and
 * `## Test Execution Proof` has two proof sections, a prompt with `## Deliverables` and
 * `## Key Activities (via iAI Prompt)` two deliverables sections. Without such a heading, the bold labels
 * so named (see labels.ts).
 */
export function kindSections(doc: ParsedDocument, kind: DocumentKindSpec | undefined, title: string, n?: number): Section[] {
  const spec = kind?.sections.find((s) => s.title === title);
  if (!spec) {
    const key = expandedTitleKey(title, n);
    const bare = n === undefined ? numberlessKey(title) : key;
    return doc.sections.filter((s) => s.key === key || s.key === bare);
  }
  const out: Section[] = doc.sections.filter(namedBy(spec, n));
  return out.length ? out : specLabels(doc, spec, n);
}

/** Whether a section (a heading or a label) is named by a section spec: its title or an alias, also with a note. */
function namedBy(spec: SectionSpec, n: number | undefined): (s: Pick<Section, 'key' | 'title'>) => boolean {
  const { titles } = specKeys(spec);
  const keys = new Set(titles.map((t) => expandedTitleKey(t, n)));
  for (const t of titles) {
    const k = spacedKey(t, n);
    if (k !== undefined) keys.add(k);
  }
  if (n === undefined) for (const t of titles) keys.add(numberlessKey(t));
  else
    for (const t of titles) {
      const k = writtenKey(t, n);
      if (k !== undefined) keys.add(k);
      const other = numberedKey(t, n);
      if (other !== undefined) keys.add(other);
      const earlier = earlierKey(t, n);
      if (earlier !== undefined) keys.add(earlier);
      for (const k of loweredKeys(t, n)) keys.add(k);
    }
  const noted = new Set(titles.map((t) => expandedTitleKey(t, n)));
  return (s) => keys.has(s.key) || notedAlias(s, noted);
}

/** The bold labels (labels.ts) that a section spec names, in document order. */
function specLabels(doc: ParsedDocument, spec: SectionSpec, n: number | undefined): LabelSection[] {
  const labels = labelSections(doc);
  return labels.length ? labels.filter(namedBy(spec, n)) : labels;
}

/**
 * The key of a templated title as written for a phase without a number: its `{N}`s dropped (`Sprint {N} Goals` is
 * `Sprint Goals`, as `new` writes it). Such a phase's section is found by this key and by `expandedTitleKey`'s
 * (`sprint # goals`: a number, or the `{N}` written as it is, in its place).
 */
export function numberlessKey(title: string): string {
  return normalizeTitle(expandTitle(title, undefined));
}

/**
 * `normalizeTitle(expandTitle(title, n))` (for a phase without a number, the title as written, its `{N}`s read as
 * any number: see numberlessKey), remembered per templated title, and per phase number below the one from which
 * all phases share it (performance only: a layout has a few templated titles, a workspace many phases, and every
 * document of a phase asks for the same keys).
 */
export function expandedTitleKey(title: string, n: number | undefined): string {
  if (n === undefined || !title.includes('{')) return normalizeTitle(title);
  if (!Number.isInteger(n) || n < 0 || n > MAX_REMEMBERED_NUMBER) return normalizeTitle(expandTitle(title, n));
  const keys = expandedKeys.get(title);
  // A key writes each run of digits as `#`, or drops it as a leading number (`1.`), whatever its digits: from `from` on,
  // where every `{N±d}` writes digits alone (no minus sign), the phases share one key.
  if (n >= keys.from) return (keys.shared ??= normalizeTitle(expandTitle(title, n)));
  return (keys.byNumber[n] ??= normalizeTitle(expandTitle(title, n)));
}

/**
 * The least phase number from which every `{N}`, `{N+d}` and `{N-d}` of `title` writes a number of digits alone: the
 * largest `d` of its `{N-d}`s (0 without one); Infinity for an offset too large to be written in digits alone.
 */
function sharedFrom(title: string): number {
  let from = 0;
  for (const m of title.matchAll(/\{N([+-]\d+)?\}/g)) {
    const d = m[1] ? Number(m[1]) : 0;
    if (!(Math.abs(d) <= 1e15)) return Infinity;
    if (d < 0) from = Math.max(from, -d);
  }
  return from;
}

/**
 * The characters of a file or folder name, in any script: letters, digits and marks (`résumé`, `報告`,
 * `नमस्ते`), and emoji with their joiners, skin tones and flags (`🚀`, `👩‍💻`, `🇫🇷`); `_` as `\w` reads it.
 */
export const NAME_CHAR = String.raw`\p{L}\p{N}\p{M}\p{Extended_Pictographic}\p{Emoji_Modifier}\p{Regional_Indicator}\u200d_`;

/**
 * A bare relative path: folders and a file with an extension, between spaces or punctuation (group 2), or before
 * a `#fragment` (`04-ARTIFACTS/report.md#scan`: the path is group 2 without it). Global:
 * reset `lastIndex` before a search. Not every match is a path (`Express/Node.js`): see the missing-artifact rule.
 */
export const BARE_PATH_RE = new RegExp(
  String.raw`(^|[\s:(,;])((?:\.{1,2}\/)*[${NAME_CHAR}@-][${NAME_CHAR}@.-]*(?:\/[${NAME_CHAR}@-][${NAME_CHAR}@.-]*)+\.[A-Za-z][A-Za-z0-9]{0,9})(?=$|[\s,;:)#]|\.(?:\s|$))`,
  'gu',
);

export interface Placeholder {
  start: number;
  end: number;
  text: string;
  kind: 'bracket' | 'handlebars' | 'marker';
}

const BRACKET_RE = /\[([^[\]\n]*)\]/g;
/**
 * A bracketed severity or priority tag (`[High]`, `[CRITICAL]`, `[P1]`), also labelled (`[Impact: High]`,
 * `[Severity: Critical]`, `[Likelihood = Low]`): how a team fills the handoff template's
 * `Risk 1: [Impact] - [Mitigation]` or marks an issue, not a placeholder left for it.
 */
const SEVERITY_TAG =
  /^\s*(?:(?:impact|severity|priority|likelihood|probability|risk|risk level|urgency)\s*[:=]\s*)?(?:critical|high|medium|moderate|low|major|minor|blocker|severe|p[0-4]|sev[\s-]?[0-4])\s*$/i;
/**
 * A bracketed status or change tag (`[Done]`, `[In Progress]`, `[WIP]`, `[Blocked]`; `[Fix]`, `[Breaking]`, `[Deps]`,
 * `[Dev Deps]`, `[Tests]`), also labelled (`[Status: Done]`): how a team marks an item's state or a change's kind, as
 * a changelog does (`- [Fix] retry the upload`), not a placeholder left for it. No built-in template's placeholder
 * is one of them (`[TODO]` and `[TBD]` are markers, and stay placeholders).
 */
const STATUS_OR_CHANGE_TAG = new RegExp(
  String.raw`^\s*(?:(?:status|state|type|kind)\s*[:=]\s*)?(?:` +
    // Statuses.
    String.raw`done|complete|completed|in[\s-]progress|wip|blocked|pending|not[\s-]started|planned|ready|on[\s-]hold|cancell?ed|deferred|skipped|passed|failed|open|closed|resolved|fixed|approved|rejected|accepted|superseded|draft|verified|merged|shipped|released|in[\s-]review|n/a|` +
    // Kinds of change (Keep a Changelog's and commit-message conventions).
    String.raw`fix|bug\s?fix|hot\s?fix|feat|feature|new|added?|changed?|removed?|deprecated|security|breaking(?:\s+changes?)?|(?:dev\s+)?deps|dependencies|tests?|refactor|docs?|chore|perf|performance|ci|build|style|meta|robustness|enhancement|improvement|revert|release|updated?|types|tooling` +
    String.raw`)\s*$`,
  'i',
);
const HANDLEBARS_RE = /\{\{\{?[^{}\n]*\}?\}\}/g;
const MARKER_RE = /\b(?:TBD\b|TODO:)/g;

/**
 * Placeholders in one line whose links and inline code are already masked:
 * `[Capitalised words]` (not a link, a reference, a task box or a wiki link), `{{ expressions }}`, `TBD`, `TODO:`.
 * `refs` holds the lower-cased labels of reference definitions (`[label]: url`), which make `[Label]` a link.
 */
export function scanPlaceholders(line: string, refs: ReadonlySet<string> = new Set()): Placeholder[] {
  const out: Placeholder[] = [];
  if (line.includes('[')) {
    BRACKET_RE.lastIndex = 0;
    for (let m = BRACKET_RE.exec(line); m; m = BRACKET_RE.exec(line)) {
      const inner = m[1];
      const s = m.index;
      const e = s + m[0].length;
      const before = line[s - 1] ?? '';
      const after = line[e] ?? '';
      if (!/^[A-Z]/.test(inner) || inner.trim().length < 2 || SEVERITY_TAG.test(inner) || STATUS_OR_CHANGE_TAG.test(inner)) continue;
      if (before === '\\' || before === ']' || before === '[' || before === '!') continue;
      if (after === '(' || after === '[' || after === ']') continue;
      // A reference definition `[Label]: url` at the start of a line, or a shortcut reference to one.
      if (after === ':' && line.slice(0, s).trim() === '') continue;
      if (refs.has(inner.trim().toLowerCase())) continue;
      out.push({ start: s, end: e, text: m[0], kind: 'bracket' });
    }
  }
  if (line.includes('{{')) {
    HANDLEBARS_RE.lastIndex = 0;
    for (let m = HANDLEBARS_RE.exec(line); m; m = HANDLEBARS_RE.exec(line)) {
      out.push({ start: m.index, end: m.index + m[0].length, text: m[0], kind: 'handlebars' });
    }
  }
  if (line.includes('TBD') || line.includes('TODO')) {
    MARKER_RE.lastIndex = 0;
    // A marker inside a placeholder found above (`[TBD]`, `{{TODO}}`) is that placeholder, reported once.
    const spans = out.length;
    for (let m = MARKER_RE.exec(line); m; m = MARKER_RE.exec(line)) {
      const start = m.index;
      const end = start + m[0].length;
      if (out.some((p, i) => i < spans && p.start <= start && end <= p.end)) continue;
      out.push({ start, end, text: m[0], kind: 'marker' });
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

// Not a footnote definition (`[^1]: See the vendor documentation`): its label starts with `^`.
const REF_DEF_RE = /^ {0,3}\[(?!\^)([^\]\n]+)\]:\s*(<[^>\n]*>|\S+)/;
/** What every reference definition holds. */
const REF_DEF_HINT = /\]:/g;

/** Body lines outside code blocks where the global regex `hint` matches (see `linesMatching` in markdown.ts). */
export function bodyLinesMatching(doc: ParsedDocument, hint: RegExp): number[] {
  return linesMatching(doc, hint, bodyStart(doc));
}

/** A reference definition (`[label]: target`): its target and the target's line and columns. */
export interface ReferenceDefinition {
  target: string;
  line: number;
  start: number;
  end: number;
}

const NO_REFERENCES: ReadonlyMap<string, ReferenceDefinition> = new Map();

/** Each document's reference definitions, found once (performance only: several rules ask for them). */
const referencesOf = new WeakMap<ParsedDocument, ReadonlyMap<string, ReferenceDefinition>>();

/** Reference definitions of a document: lower-cased label → target, line and target range. */
export function referenceDefinitions(doc: ParsedDocument): ReadonlyMap<string, ReferenceDefinition> {
  let refs = referencesOf.get(doc);
  if (!refs) referencesOf.set(doc, (refs = findReferenceDefinitions(doc)));
  return refs;
}

function findReferenceDefinitions(doc: ParsedDocument): ReadonlyMap<string, ReferenceDefinition> {
  // Most documents have no reference definition at all (performance only: no map for them).
  if (!doc.text.includes(']:')) return NO_REFERENCES;
  const out = new Map<string, ReferenceDefinition>();
  for (const l of bodyLinesMatching(doc, REF_DEF_HINT)) {
    const m = REF_DEF_RE.exec(doc.lines[l]);
    if (!m) continue;
    let target = m[2];
    let start = m[0].length - m[2].length;
    if (target.startsWith('<')) {
      target = target.slice(1, -1);
      start++;
    }
    const label = m[1].trim().toLowerCase();
    if (!out.has(label)) out.set(label, { target, line: l, start, end: start + target.length });
  }
  return out;
}

/** `text` with each placeholder `scanPlaceholders` finds in it replaced by a space. */
export function withoutPlaceholders(text: string): string {
  let out = text;
  for (const p of scanPlaceholders(text).reverse()) out = out.slice(0, p.start) + ' ' + out.slice(p.end);
  return out;
}

/** What every placeholder holds (see scanPlaceholders); masking only ever removes text, so a line without it has none. */
export const PLACEHOLDER_HINT = /\[[A-Z]|\{\{|TBD|TODO:/g;

/** A body line with inline code, HTML comments (those that span lines too) and links masked: the text where placeholders live. */
export function maskedLine(doc: ParsedDocument, line: number): string {
  const src = maskedProse(doc, line);
  // The links of the line, from the first on it (`doc.links` is in line order; on a line, its inline links, then its autolinks).
  const from = lowerBound(doc.links, (l) => l.line < line);
  let to = from;
  while (to < doc.links.length && doc.links[to].line === line) to++;
  // Blanked in one pass, in column order (a line of 16,000 links was copied once for each: seconds).
  return to === from ? src : blankSpans(src, linkSpans(doc.links, from, to));
}

/**
 * The columns of links on one line (`links[from, to)`, all of it by default), as sorted `[start, end)` spans,
 * apart (flat: start, end, start, end, …). In tables sized by the links (see numberTable: a line of 16,000 links took
 * four times as long a link as one of 4,000 with arrays grown by `push`), without a pair per link when they come in
 * column order, as the model gives them.
 */
export function linkSpans(links: readonly Link[], from = 0, to = links.length): ArrayLike<number> {
  const n = to - from;
  if (n <= 0) return NO_SPANS;
  const starts = numberTable(n);
  const ends = numberTable(n);
  let sorted = true;
  for (let i = 0; i < n; i++) {
    const { start, end } = links[from + i].range;
    starts[i] = start.character;
    ends[i] = end.character;
    if (i && starts[i] < starts[i - 1]) sorted = false;
  }
  // The links in column order (a stable sort by start, as the pairs' sort was).
  let order: number[] | undefined;
  if (!sorted) {
    order = numberTable(n);
    for (let i = 0; i < n; i++) order[i] = i;
    order.sort((a, b) => starts[a] - starts[b] || a - b);
  }
  const out = numberTable(2 * n);
  let len = 0;
  for (let k = 0; k < n; k++) {
    const i = order ? order[k] : k;
    if (len && starts[i] <= out[len - 1]) out[len - 1] = Math.max(out[len - 1], ends[i]);
    else {
      out[len++] = starts[i];
      out[len++] = ends[i];
    }
  }
  return tableHead(out, len);
}

/** No spans. */
export const NO_SPANS: ArrayLike<number> = [];

/** `text` with the columns of `spans` (sorted and apart, as linkSpans gives them) as spaces, in one pass. */
export function blankSpans(text: string, spans: ArrayLike<number>): string {
  let out = '';
  let last = 0;
  for (let i = 0; i < spans.length; i += 2) {
    out += text.slice(last, spans[i]) + ' '.repeat(spans[i + 1] - spans[i]);
    last = spans[i + 1];
  }
  return spans.length ? out + text.slice(last) : text;
}

/** Whether an item's first line holds a template placeholder (such items are not checked further). */
export function isPlaceholderItem(doc: ParsedDocument, item: ListItem): boolean {
  if (item.line < bodyStart(doc) || doc.codeLines.has(item.line)) return false;
  const raw = doc.lines[item.line] ?? '';
  PLACEHOLDER_HINT.lastIndex = 0;
  if (!PLACEHOLDER_HINT.test(raw)) return false;
  const text = maskedLine(doc, item.line).slice(item.textRange.start.character);
  return scanPlaceholders(text).length > 0;
}

/** A target with a scheme (`https:`, `mailto:`, `vscode:`) or a bare anchor: not a workspace path. */
export function isExternal(target: string): boolean {
  return target === '' || target.startsWith('#') || /^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//');
}

/** A backslash before ASCII punctuation escapes it, as in CommonMark. */
const ESCAPE_RE = /\\([!-/:-@[-`{-~])/g;

/**
 * A link target as Markdown reads it: `00\_PHASE\_BRIEF.md` is `00_PHASE_BRIEF.md`, and `R&amp;D.md` (a character
 * reference) `R&D.md`.
 */
export function unescapeTarget(target: string): string {
  if (target.includes('&')) return unescapeLinkText(target);
  return target.includes('\\') ? target.replace(ESCAPE_RE, '$1') : target;
}

/** The path part of a link target: backslash escapes read, without `#fragment` and `?query`, percent-decoded. */
export function targetPath(target: string): string {
  let t = unescapeTarget(target.trim());
  const hash = t.indexOf('#');
  if (hash >= 0) t = t.slice(0, hash);
  const q = t.indexOf('?');
  if (q >= 0) t = t.slice(0, q);
  try {
    // Without a `%` there is nothing to decode (performance only: the call is not free).
    if (t.includes('%')) t = decodeURIComponent(t);
  } catch {
    t = t.replace(/%20/g, ' ');
  }
  return t;
}

/** Absolute path of a link target: against the document's folder, or for `/x` the workspace's or its repository's root (rootedTarget). */
export function resolveTarget(ctx: RuleContext, target: string, base = dirname(ctx.path)): string {
  const p = targetPath(target);
  return p.startsWith('/') ? rootedTarget(ctx, p) : joinPath(base, p);
}

/** The file or folder a rooted path (`/docs/x.md`) names: from the workspace root, else from its repository's root (see rootedPath). */
export function rootedTarget(ctx: RuleContext, p: string): string {
  return rootedPath(p, ctx.model.root, ctx.repository, (x) => ctx.exists(x));
}

const ignoreMatchers = new WeakMap<object, (rel: string, folder: boolean) => boolean>();

/**
 * Whether the engine cannot know if `path` exists: outside the workspace (unless the repository around it says
 * nothing is there; asked of a path not in the workspace's files, a `true` is also one it knows is there), or in a
 * folder the scan skips (dot folders, node_modules, out, …) or ignores. Such paths are never reported (no false
 * positives).
 */
export function unverifiable(ctx: RuleContext, path: string): boolean {
  const root = ctx.model.root;
  const p = normalizePath(path);
  // Outside the workspace: known only in the repository around it (repo-root.ts), and only when nothing is there.
  if (!isInside(root, p)) return ctx.repository?.exists(p) !== false;
  // A nested workspace's files are its own engine's to know.
  if (ctx.leftOut?.(p)) return true;
  const rel = relativePath(root, p);
  if (rel.split('/').some((seg) => seg !== '.' && seg !== '..' && skippedFolder(seg))) return true;
  const ignore = ctx.config.ignore;
  if (!ignore.length) return false;
  let match = ignoreMatchers.get(ctx.config);
  if (!match) ignoreMatchers.set(ctx.config, (match = ignoreGlobs(ignore)));
  // A path under an ignored folder is ignored too (the path itself may be a folder).
  for (let r = rel; r && r !== '.'; r = r.includes('/') ? r.slice(0, r.lastIndexOf('/')) : '') if (match(r, true)) return true;
  return false;
}

/** Text of an item's lines (first line from its text, continuation lines trimmed). */
export function itemBody(doc: ParsedDocument, item: ListItem): string {
  const rest = doc.lines.slice(item.line + 1, item.endLine + 1).map((l) => l.trim());
  return [item.text, ...rest].join('\n');
}
