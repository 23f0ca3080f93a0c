/**
 * Handoff items: the parse of the list items that pass between phases (inputs,
 * prerequisites, open questions), shared by the cross-phase rules and the fixes that
 * complete a handoff. One item is `- <Name>: [<label>](<path>) - <description>`; a
 * `path` in backticks counts as its path.
 */
import { basename, dirname, joinPath, normalizePath, relativePath } from './host';
import { INLINE_LINK, ListItem, ParsedDocument, Section, Table, normalizeTitle, replaceComments, sectionByTitle } from './markdown';
import type { Phase } from './workspace';
import { BARE_PATH_RE, maskedLine, referenceDefinitions, specSection, unescapeTarget } from './rules/doc-util';
import { AUDIT_LAYOUT } from './layout';
import type { ReferenceDefinition } from './rules/doc-util';
import { Range, range } from './types';
import { suffixStart } from './text-scan';
import { Memo } from './memo';

export const INPUT_HANDOFF = 'input-handoff';
export const OUTPUT_HANDOFF = 'output-handoff';

/** Section titles the handoff rules read; `{N}` is the phase number. */
export const OUT_INPUTS = 'Phase {N+1} Inputs';
export const OUT_PREREQUISITES = 'Phase {N+1} Prerequisites';
export const OUT_QUESTIONS = 'Open Questions';
export const IN_SOURCE = 'Source';
export const IN_INPUTS = 'Inputs Received';
export const IN_PREREQUISITES = 'Prerequisites';
export const IN_QUESTIONS = 'Open Questions';
/** Order of the input handoff's sections, for inserting one that is missing. */
export const IN_ORDER = [IN_SOURCE, IN_INPUTS, IN_PREREQUISITES, IN_QUESTIONS];

/**
 * The section of an input handoff (of phase `n`) that the built-in input handoff's section `title` names: by
 * its title, one of its other names (`## Phase 2 Inputs` for Inputs Received), or a bold label (see
 * specSection). A custom layout's input handoff is read with the same names.
 */
export function inputSection(doc: ParsedDocument, title: string, n: number | undefined): Section | undefined {
  const spec = AUDIT_LAYOUT.documents.find((d) => d.kind === INPUT_HANDOFF)?.sections.find((s) => s.title === title);
  return spec ? specSection(doc, spec, n) : sectionByTitle(doc, title);
}

export interface HandoffItem {
  item: ListItem;
  /** Item text (first line, after marker and checkbox), without its HTML comments. */
  text: string;
  /** Text before the first colon outside links and code, when it names the item. */
  name: string | undefined;
  /** Normalised name ('' when none). */
  nameKey: string;
  /** Normalised whole text (links reduced to their labels). */
  key: string;
  /** Raw path of the first relative link or backticked path. */
  path: string | undefined;
  /** The path resolved against the document's folder. */
  resolved: string | undefined;
  /**
   * The path read from the other folders it may be written from instead (`PathBases`: the workspace
   * root, the folder of the phases), when it may be meant so (relative, not `./` or `../`), each
   * another file than `resolved`: the missing-artifact rule accepts any.
   */
  alsoResolved: readonly string[];
  /** The path is written as text, backticked or bare (maybe relative to the repository), not a link. */
  codePath: boolean;
}

/** Items of a section (subsections included) at the section's outermost list depth. */
export function topItems(doc: ParsedDocument, sec: Section | undefined): ListItem[] {
  if (!sec) return [];
  const within: ListItem[] = [];
  let min = Infinity;
  let max = -1;
  for (const it of doc.items) {
    if (it.line <= sec.heading.line || it.line >= sec.end) continue;
    within.push(it);
    if (it.depth < min) min = it.depth;
    if (it.depth > max) max = it.depth;
  }
  // Without nested items every item is a top one (performance only: no second array).
  return max === min ? within : within.filter((i) => i.depth === min);
}

const LINK_IN_TEXT = new RegExp(`!?${INLINE_LINK}`, 'g');
const CODE_SPAN = /`([^`\n]+)`/g;

/**
 * Keys of texts seen (performance only: rules key the same item text once per deliverable, row or input). A key
 * can be the text itself, or hold a part of it: made of the memo's copy, it keeps no document's text alive.
 */
const textKeys = new Memo(50_000, computeTextKey);

/** Lower-case words of a text: links reduced to their labels, markup and punctuation dropped. */
export function textKey(text: string): string {
  return textKeys.get(text);
}

/** Text without characters outside ASCII. */
const ASCII_ONLY = /^[\x00-\x7f]*$/;

function computeTextKey(text: string): string {
  const plain = withoutComments(text);
  // A link needs `](` (performance only: no search without one).
  return wordsKey(plain.includes('](') ? plain.replace(LINK_IN_TEXT, (_m, label: string) => ` ${label} `) : plain);
}

/** The key of a text without comments whose links are read as their labels (see computeTextKey). */
function wordsKey(text: string): string {
  const s = text.toLowerCase().replace(/[*`~]/g, '');
  // In lower-cased ASCII text `[^a-z0-9]` is `[^\p{L}\p{N}]`, without the slower Unicode-aware regex (performance only).
  return (ASCII_ONLY.test(s) ? s.replace(/[^a-z0-9]+/g, ' ') : s.replace(/[^\p{L}\p{N}]+/gu, ' ')).trim();
}

/**
 * `textKey(text)` of a text without comments and not keyed yet, given `labelled`, the text with each of its links
 * (LINK_IN_TEXT) as ` label ` (performance only: an item's links, read for its path, are not looked for again).
 */
function labelledTextKey(text: string, labelled: string): string {
  return textKeys.keep(text, wordsKey(labelled));
}

/** A template placeholder: `[Capitalised words]`, not a link, not a task box. */
export const PLACEHOLDER = /\[[A-Z][^\]\n]*\](?!\()/g;

/** Names our templates number rather than name (`Input 1:`): they identify nothing. */
const GENERIC_NAME = /^(input|artifact|output|prerequisite|item|question|deliverable)s?\s*\d*$/;

/** Whether a target is a relative file reference (not a URL, not an anchor). */
export function isRelativeTarget(target: string): boolean {
  // A scheme needs a colon (performance only: most targets have none, and the expression is not tried).
  return target !== '' && !target.startsWith('#') && !(target.includes(':') && /^[a-z][a-z0-9+.-]*:/i.test(target)) && !target.startsWith('//');
}

/** A backticked text that reads as a file path. */
export function looksLikePath(s: string): boolean {
  return !/\s/.test(s) && (s.includes('/') || /\.[A-Za-z0-9]{1,8}$/.test(s)) && isRelativeTarget(s);
}

/**
 * The folders a relative path in a phase document may be written from besides the document's own: the
 * workspace root first (a leading `/` stands for it), then the folder that holds the phase folders (the
 * audit seed writes `phase-1/06-OUTPUT_HANDOFF.md` from `audit-deployment/`) when that is another.
 */
export type PathBases = readonly string[];

export function pathBases(root: string, phase: Phase | undefined): PathBases {
  const parent = phase && dirname(phase.folder);
  return parent && parent !== root && insideRoot(root, parent) ? [root, parent] : [root];
}

/** The last root `insideRoot` was asked about, its normal form, and that form as a prefix of the paths inside it. */
let lastRoot: string | undefined;
let lastRootNormal = '';
let lastRootPrefix = '';

/**
 * `isInside(root, p)`, the root's normal form kept from the last call (performance only: a workspace's items and
 * phases all ask about the same root, and normalizing it again each time runs a test per call).
 */
function insideRoot(root: string, p: string): boolean {
  if (root !== lastRoot) {
    lastRootNormal = normalizePath(root);
    lastRootPrefix = lastRootNormal.endsWith('/') ? lastRootNormal : lastRootNormal + '/';
    lastRoot = root;
  }
  const q = normalizePath(p);
  return q === lastRootNormal || q.startsWith(lastRootPrefix);
}

/** Absolute path of a relative target from `folder` (fragment and query dropped). */
export function resolveTarget(folder: string, target: string, root?: string): string | undefined {
  const t = targetFile(target);
  return t === undefined ? undefined : resolveFile(folder, t, root);
}

/** The file a relative target names, as `resolveTarget` reads it (fragment and query dropped, escapes decoded); undefined when none. */
function targetFile(target: string): string | undefined {
  if (!isRelativeTarget(target)) return undefined;
  // Without a `#` or `?` there is nothing to drop (performance only: no scan).
  const q = target.includes('#') || target.includes('?') ? suffixStart(target, '#?') : -1;
  let t = q < 0 ? target : target.slice(0, q);
  if (t === '') return undefined;
  try {
    // Every escape, `%23` and `%3F` too: a `#` or `?` in a file name is written so.
    if (t.includes('%')) t = decodeURIComponent(t);
  } catch {
    // Keep the raw text: a malformed escape is the broken-link rule's business.
  }
  return t;
}

/** Absolute path of a target's file (`targetFile`) from `folder`. */
function resolveFile(folder: string, t: string, root: string | undefined): string {
  if (t.startsWith('/')) return root ? joinPath(root, t) : normalizePath(t);
  return joinPath(folder, t);
}

/** Replaces every link and code span of a text with spaces (or `fill`), keeping columns. */
export function maskRefs(text: string, fill = ' '): string {
  // A link needs `](`, a code span a backtick: without them there is nothing to mask (performance only).
  if (text.includes('](')) text = text.replace(LINK_IN_TEXT, (m) => fill.repeat(m.length));
  return text.includes('`') ? text.replace(CODE_SPAN, (m) => fill.repeat(m.length)) : text;
}

/** A reference-style link (`[text][label]`, `[label][]`, `[label]`): its text, its definition and its columns. */
interface ReferenceUse {
  start: number;
  end: number;
  text: string;
  def: ReferenceDefinition;
}

const REFERENCE_USE = /\[([^\][\n]+)\](?:\[([^\][\n]*)\])?/g;

const definitions = new WeakMap<ParsedDocument, ReadonlyMap<string, ReferenceDefinition>>();

/** `referenceDefinitions` of a document, read once (performance only: items and lines ask for them one by one). */
function definitionsOf(doc: ParsedDocument): ReadonlyMap<string, ReferenceDefinition> {
  let defs = definitions.get(doc);
  if (!defs) definitions.set(doc, (defs = referenceDefinitions(doc)));
  return defs;
}

/** The reference-style links of a line whose label has a definition (none on a definition's own line). */
function referenceUses(doc: ParsedDocument, line: number, defs: ReadonlyMap<string, ReferenceDefinition>): ReferenceUse[] {
  const raw = doc.lines[line] ?? '';
  if (!defs.size || !raw.includes('[') || doc.codeLines.has(line)) return [];
  const out: ReferenceUse[] = [];
  // Inline links, inline code and comments masked, keeping columns.
  const src = maskedLine(doc, line);
  REFERENCE_USE.lastIndex = 0;
  for (let m = REFERENCE_USE.exec(src); m; m = REFERENCE_USE.exec(src)) {
    const def = defs.get((m[2] || m[1]).trim().toLowerCase());
    if (def && def.line !== line) out.push({ start: m.index, end: m.index + m[0].length, text: m[1], def });
  }
  return out;
}

/**
 * A text without its HTML comments, which the Markdown does not show: a directive comment
 * (`<!-- phasegate-disable-line … -->`) is no part of what an item hands off, and complete
 * handoff copies items without them.
 */
export function withoutComments(text: string): string {
  // trimEnd, not `/\s+$/`: that is quadratic on a long run of spaces inside the text.
  return text.includes('<!--') ? replaceComments(text, () => ' ').trimEnd() : text;
}

/**
 * The handoff item of a list item. `doc` (the item's document) lets a reference-style link name its
 * path (`[report][r]` with `[r]: 04-ARTIFACTS/report.md`).
 */
export function parseItem(item: ListItem, folder: string, bases: PathBases = [], doc?: ParsedDocument): HandoffItem {
  const text = withoutComments(item.text);
  const colon = colonOutsideRefs(text);
  let name: string | undefined = colon > 0 ? text.slice(0, colon).trim() : undefined;
  let nameKey = name ? textKey(name) : '';
  if (!nameKey || GENERIC_NAME.test(nameKey) || nameKey.length > 80) {
    name = undefined;
    nameKey = '';
  }
  let path: string | undefined;
  let codePath = false;
  // Its key, when known already; else the text with its links as their labels, for its key (`labelledTextKey`), when
  // it has links and no comment left.
  let key: string | undefined;
  let labelled: string | undefined;
  // A link needs `](` (performance only: no search without one).
  if (text.includes('](')) {
    key = textKeys.peek(text);
    const keyed = key === undefined && !text.includes('<!--');
    let out = '';
    let done = 0;
    LINK_IN_TEXT.lastIndex = 0;
    // The first relative target is the path; every link is read for a key not known yet.
    for (let m = LINK_IN_TEXT.exec(text); m && (keyed || !path); m = LINK_IN_TEXT.exec(text)) {
      if (!path) {
        const t = m[2].startsWith('<') ? m[2].slice(1, -1) : m[2];
        if (isRelativeTarget(t)) path = t;
      }
      if (keyed) {
        out += `${text.slice(done, m.index)} ${m[1]} `;
        done = m.index + m[0].length;
      }
    }
    if (keyed) labelled = out + text.slice(done);
  }
  if (!path && doc && text.includes('[')) {
    const { start, end } = item.textRange;
    for (const u of referenceUses(doc, item.line, definitionsOf(doc))) {
      if (u.start < start.character || u.end > end.character || !isRelativeTarget(u.def.target)) continue;
      path = u.def.target;
      break;
    }
  }
  if (!path && text.includes('`')) {
    CODE_SPAN.lastIndex = 0;
    for (let m = CODE_SPAN.exec(text); m && !path; m = CODE_SPAN.exec(text)) if (looksLikePath(m[1])) path = m[1];
    codePath = !!path;
  }
  // A path written bare, as the handoff template's `[Location]` invites (`04-ARTIFACTS/report.md`), outside links and code.
  // Masking puts spaces only: without a `/` in the text there is none in the masked text (performance only).
  if (!path && text.includes('/')) {
    const masked = maskRefs(text);
    BARE_PATH_RE.lastIndex = 0;
    const m = masked.includes('/') ? BARE_PATH_RE.exec(masked) : null;
    if (m) {
      path = m[2];
      codePath = true;
    }
  }
  // A link target's backslash escapes are read (`03\\-FINDINGS` is `03-FINDINGS`); a code span's are itself.
  const target = path && !codePath ? unescapeTarget(path) : path;
  const file = target ? targetFile(target) : undefined;
  const resolved = file === undefined ? undefined : resolveFile(folder, file, bases[0]);
  const alsoResolved = target && resolved ? fileFromBases(target, file!, resolved, bases) : NONE;
  key ??= labelled === undefined ? textKey(text) : labelledTextKey(text, labelled);
  return { item, text, name, nameKey, key, path, resolved, alsoResolved, codePath };
}

const NONE: readonly string[] = [];

/**
 * `maskRefs(text).indexOf(':')`: the first colon outside links and code spans. A link starts at a `[` (or the
 * `!` just before one), a code span at a backtick: with neither before the first colon, masking leaves that
 * colon where it is and adds none (performance only: most items are not masked at all).
 */
function colonOutsideRefs(text: string): number {
  const colon = text.indexOf(':');
  if (colon < 0) return -1;
  for (let i = 0; i < colon; i++) {
    const c = text.charCodeAt(i);
    if (c === 91 || c === 96) return maskRefs(text).indexOf(':');
  }
  return colon;
}

/** `path` read from each of `bases` (see PathBases), where that is a file in the workspace other than `resolved`. */
function fromBases(path: string, resolved: string, bases: PathBases): readonly string[] {
  if (!bases.length || path.startsWith('/') || path.startsWith('.')) return NONE;
  const file = targetFile(path);
  return file === undefined ? NONE : fileFromBases(path, file, resolved, bases);
}

/** `fromBases` of a path whose file (`targetFile(path)`) is `file` (performance only: the path is read once). */
function fileFromBases(path: string, file: string, resolved: string, bases: PathBases): readonly string[] {
  if (!bases.length || path.startsWith('/') || path.startsWith('.')) return NONE;
  const read = readFromBases(file, bases);
  let out: string[] | undefined;
  for (const r of read) if (r !== resolved) (out ??= []).push(r);
  return out ?? NONE;
}

/** The bases `fromBasesCache` holds the files of. */
let cachedBases: PathBases = NONE;

/** Whether two lists of bases are the same folders. */
function sameBases(a: PathBases, b: PathBases): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * A file's paths from `cachedBases` (see readFromBases), by the file: the items of a workspace name the same few
 * files. Each read from `cachedBases`, where that is inside the workspace, each path once, in the order of the bases.
 */
const fromBasesCache = new Memo<readonly string[]>(1000, (file) => {
  const bases = cachedBases;
  let out: string[] | undefined;
  for (const b of bases) {
    const r = resolveFile(b, file, bases[0]);
    if (r && insideRoot(bases[0], r) && !out?.includes(r)) (out ??= []).push(r);
  }
  return out ?? NONE;
});

/**
 * A file read from each of `bases`, where that is inside the workspace, each path once, in the order of the
 * bases: `fromBases` is these without the item's own `resolved`. Kept by file for the last bases (performance
 * only: what a file is from the root does not depend on the document naming it).
 */
function readFromBases(file: string, bases: PathBases): readonly string[] {
  if (!sameBases(bases, cachedBases)) {
    fromBasesCache.clear();
    cachedBases = bases.slice();
  }
  return fromBasesCache.get(file);
}

/** Whether two items' paths can name the same file: each read from its own folder, or from a folder it may be written from. */
function samePlace(a: HandoffItem, b: HandoffItem): boolean {
  if (!a.resolved || !b.resolved) return false;
  return (
    a.resolved === b.resolved ||
    a.alsoResolved.includes(b.resolved) ||
    b.alsoResolved.includes(a.resolved) ||
    a.alsoResolved.some((x) => b.alsoResolved.includes(x))
  );
}

/** A leading name that identifies nothing: numbered (`Input 1:`, `Step 2:`) or one our templates use (`Input:`, `Artifact:`). */
export const LEADING_GENERIC_NAME = /^(?:[^:]*\d\s*|\s*[*_]{0,2}(?:input|artifact|output|prerequisite|item|question|deliverable)s?[*_]{0,2}\s*):/i;

/** A text without a leading name that identifies nothing (`Input 1:`, `Input:`), replaced by a space. */
export function withoutGenericName(text: string): string {
  return text.includes(':') ? text.replace(LEADING_GENERIC_NAME, ' ') : text;
}

/** Whether an item says something: words left once placeholders, an `Input 1:` or `Input:` name and link targets are taken out. */
export function isRealItem(text: string): boolean {
  // A letter or digit after the last `)`, `]` and `:` is in no placeholder, name or link: the item is
  // real without the replacements (performance only; most items end with words). Not after the first
  // colon only: a placeholder may hold one, and the name then ends at a later colon.
  let from = Math.max(text.lastIndexOf(')'), text.lastIndexOf(']'), text.lastIndexOf(':')) + 1;
  for (; from < text.length; from++) {
    const c = text.charCodeAt(from);
    if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57)) return true;
  }
  return hasWords(withoutGenericName(text.includes('[') ? text.replace(PLACEHOLDER, ' ') : text));
}

/**
 * Parsed items of a section; items that are nothing but template placeholders are left out. With `rows`, a
 * section without list items gives the rows of its tables instead (`| Coverage report | \`04-ARTIFACTS/…\` | … |`),
 * each read as the item `Coverage report: \`04-ARTIFACTS/…\` - …` (a leading number cell left out).
 */
export function handoffItems(doc: ParsedDocument, sec: Section | undefined, folder: string, bases: PathBases = [], rows = false): HandoffItem[] {
  let items = topItems(doc, sec);
  if (rows && sec) {
    // Its list items and its tables' rows, both: what a fix added to either is read back.
    const read = tableRowItems(doc, sec);
    if (read.length) items = items.length ? [...items, ...read].sort((a, b) => a.line - b.line) : read;
  }
  const out: HandoffItem[] = [];
  for (const it of items) if (isRealItem(withoutComments(it.text))) out.push(parseItem(it, folder, bases, doc));
  return out;
}

/**
 * Whether a section lists items of its own, above its first subsection (`items`: its top items): without,
 * the rows of its tables are what it lists (a `# Inputs Received` title over a table, with `## Open
 * Questions` items below, lists the table's rows).
 */
export function hasOwnItems(items: readonly ListItem[], sec: Section): boolean {
  return items.some((it) => it.line < sec.ownEnd);
}

/** Header words (`textKey`) of a column that numbers the rows: `#` (no words), `No.`, `Nr`, `ID`. */
export const NUMBER_HEADER = /^(?:|n|no|nr|num|number|id)$/;

/** A cell that only numbers its row (`1`, `#2`, `3.`). */
export const NUMBER_CELL = /^\s*#?\d+\.?\s*$/;

/** The rows of the tables of a section, each as a list item whose text is its cells: the first a name, then the others. */
function tableRowItems(doc: ParsedDocument, sec: Section): ListItem[] {
  const out: ListItem[] = [];
  for (const t of doc.tables) {
    if (t.line <= sec.heading.line || t.line >= sec.end) continue;
    for (const row of t.rows) {
      const cells = row.cells.filter((c, i) => c.text.trim() !== '' && !(i === 0 && NUMBER_CELL.test(c.text)));
      if (!cells.length) continue;
      const [first, ...rest] = cells.map((c) => c.text.trim());
      const text = rest.length ? `${first}: ${rest.join(' - ')}` : first;
      const line = doc.lines[row.line] ?? '';
      const whole = range(row.line, 0, row.line, line.length);
      const textRange = range(row.line, cells[0].range.start.character, row.line, cells[cells.length - 1].range.end.character);
      out.push({
        line: row.line,
        endLine: row.line,
        text,
        textRange,
        range: whole,
        ordered: false,
        depth: 0,
        checked: undefined,
        checkboxRange: undefined,
        section: undefined,
      });
    }
  }
  return out;
}

/** A section's top list items and the rows of its tables (each read as tableRowItems reads it), in line order. */
export function itemsAndRows(doc: ParsedDocument, sec: Section | undefined): ListItem[] {
  const items = topItems(doc, sec);
  const rows = sec ? tableRowItems(doc, sec) : [];
  return rows.length ? [...items, ...rows].sort((a, b) => a.line - b.line) : items;
}

/**
 * A prerequisite: a list item of its section, or a row of a table there (`| Staging provisioned | ✅ Met |`),
 * read as an item whose text is the name's cell and which is checked when its status says met.
 */
export interface Prerequisite {
  item: ListItem;
  /** For a row: its table's cell saying whether it is met, if the table has such a column. */
  statusRange?: Range;
  row: boolean;
  /** For a row: whether its table has a column saying whether it is met (the row may lack that cell). */
  statusColumn?: boolean;
}

/** Header words of a table's column that says whether a prerequisite is met: Status, Met, Done, Ready, Confirmed, ✓. */
const STATUS_HEADER = /^(?:status|state|met|done|ready|confirmed|checked|check|complete|completed|in place|satisfied|ok)$/;
/** Header words of the column that names the prerequisite. */
const PREREQUISITE_HEADER = /\b(?:prerequisites?|requirements?|items?|names?|conditions?|dependency|dependencies|what)\b/;
/** A status cell that says met (`✅ Met`, `Yes`, `[x]`, `Done (Jan 12)`), after any leading marks. */
const MET_CELL =
  /^(?:\[x\]|(?:yes|y|met|done|complete|completed|ready|ok|okay|passed|satisfied|confirmed|true|in place|available|provided|granted|approved|verified|provisioned)\b)/i;
/** A status cell that says not met, whatever follows (`❌ Not met`, `No`, `Pending`, `[ ]`). */
const NOT_MET_CELL = /^(?:\[ \]|(?:no|n|not|pending|open|blocked|waiting|missing|in progress|todo|to do|tbd|false|unmet|partial|partially)\b)/i;
const MET_MARK = /^(?:✅|✔️?|☑️?|✓|🟢)/u;
const NOT_MET_MARK = /^(?:❌|✖️?|✗|⛔|🔴|🟡|⏳|⚠️?)/u;

/** The columns of a table of prerequisites: the name's, the status's and a numbering one's (-1: none). */
export function prerequisiteColumns(t: Table): { name: number; status: number; number: number } {
  const keys = t.header.map((h) => textKey(h.text));
  const status = keys.findIndex((k) => STATUS_HEADER.test(k));
  const number = keys.findIndex((k, i) => i === 0 && NUMBER_HEADER.test(k));
  let name = keys.findIndex((k, i) => i !== status && PREREQUISITE_HEADER.test(k));
  if (name < 0) name = keys.findIndex((_k, i) => i !== status && i !== number);
  return { name, status, number };
}

/** Whether a status cell says the prerequisite is met (true), not met (false), or nothing read (undefined: not met). */
function metCell(text: string): boolean | undefined {
  const t = text.trim();
  if (NOT_MET_MARK.test(t)) return false;
  if (MET_MARK.test(t)) return true;
  const words = t.replace(/^[*_~`\s]+/, '');
  if (NOT_MET_CELL.test(words)) return false;
  return MET_CELL.test(words) ? true : undefined;
}

/**
 * The prerequisites of a section: its top list items, and the rows of its tables (the name in the column headed
 * Prerequisite, Requirement, Item…, else the first that does not number the rows; `checked` from a Status, Met,
 * Done… column, `false` when it says nothing, `undefined` without one), in line order.
 */
export function prerequisitesOf(doc: ParsedDocument, sec: Section | undefined): Prerequisite[] {
  const items: Prerequisite[] = topItems(doc, sec).map((item) => ({ item, row: false }));
  if (!sec || !doc.tables.length) return items;
  const rows: Prerequisite[] = [];
  for (const t of doc.tables) {
    if (t.line <= sec.heading.line || t.line >= sec.end) continue;
    const { name, status } = prerequisiteColumns(t);
    if (name < 0) continue;
    for (const r of t.rows) {
      const cell = r.cells[name];
      if (!cell || cell.text.trim() === '' || NUMBER_CELL.test(cell.text)) continue;
      const at = r.cells[status];
      const line = doc.lines[r.line] ?? '';
      const item: ListItem = {
        line: r.line,
        endLine: r.line,
        text: cell.text.trim(),
        textRange: cell.range,
        range: range(r.line, 0, r.line, line.length),
        ordered: false,
        depth: 0,
        checked: status < 0 ? undefined : at ? metCell(at.text) === true : false,
        checkboxRange: undefined,
        section: undefined,
      };
      rows.push({ item, statusRange: at?.range, row: true, statusColumn: status >= 0 });
    }
  }
  return rows.length ? [...items, ...rows].sort((a, b) => a.item.line - b.item.line) : items;
}

const WORD_CHAR = /[\p{L}\p{N}]/u;

/** Whether `textKey(text)` is not empty: a letter or a digit outside link targets (performance only: no key is built). */
export function hasWords(text: string): boolean {
  return WORD_CHAR.test(text.includes('[') ? text.replace(LINK_IN_TEXT, (_m, label: string) => ` ${label} `) : text);
}

/** Whether two input items name the same input: same resolved path, else same name, else same words. */
export function sameInput(a: HandoffItem, b: HandoffItem): boolean {
  if (samePlace(a, b)) return true;
  // The same backticked path on both sides names the same file whatever folder it is read from.
  if (a.codePath && b.codePath && a.path === b.path) return true;
  if (a.nameKey && b.nameKey) return a.nameKey === b.nameKey;
  if (a.path && b.path && a.resolved !== b.resolved) return false;
  return a.key !== '' && a.key === b.key;
}

/** Whether two checklist texts state the same thing (equal words, or one holds the other). */
export function sameStatement(a: string, b: string): boolean {
  return sameStatementKeys(textKey(a), textKey(b));
}

/** `sameStatement` of two texts by their keys (`textKey`), for callers that compare a text many times. */
export function sameStatementKeys(x: string, y: string): boolean {
  if (!x || !y) return false;
  if (x === y) return true;
  const [short, long] = x.length <= y.length ? [x, y] : [y, x];
  return short.length >= 8 && ` ${long} `.includes(` ${short} `);
}

/** The keys under which an item may match another (`sameInput` holds only for items sharing one). */
function inputKeys(it: HandoffItem): string[] {
  const out: string[] = [];
  if (it.resolved) out.push(`p:${it.resolved}`);
  for (const r of it.alsoResolved) out.push(`p:${r}`);
  if (it.codePath && it.path) out.push(`c:${it.path}`);
  if (it.nameKey) out.push(`n:${it.nameKey}`);
  if (it.key) out.push(`k:${it.key}`);
  return out;
}

/** Up to this many items or keys, an index compares them one by one instead of building its maps. */
const FEW = 8;

/**
 * Items indexed by what `sameInput` compares (resolved paths, backticked path, name, words), so that
 * finding an item's match looks at the items sharing one of its keys only, not at every item.
 */
export class InputIndex {
  private readonly byKey: Map<string, HandoffItem[]> | undefined;
  /** A few items, compared one by one (performance only: cheaper than keying them). */
  private readonly few: readonly HandoffItem[] | undefined;

  constructor(items: readonly HandoffItem[]) {
    if (items.length <= FEW) {
      this.few = items;
      return;
    }
    this.byKey = new Map();
    for (const it of items) {
      for (const k of inputKeys(it)) {
        const list = this.byKey.get(k);
        if (list) {
          if (list[list.length - 1] !== it) list.push(it);
        } else this.byKey.set(k, [it]);
      }
    }
  }

  /** Whether an indexed item names the same input as `x` (`sameInput`, which is symmetric). */
  has(x: HandoffItem): boolean {
    if (this.few) {
      for (const c of this.few) if (sameInput(x, c)) return true;
      return false;
    }
    for (const k of inputKeys(x)) for (const c of this.byKey!.get(k) ?? []) if (sameInput(x, c)) return true;
    return false;
  }
}

/** Keys with more words are not indexed by their runs of words but compared one by one. */
const MAX_INDEXED_WORDS = 16;
/** A key with more words is looked up by comparing it with every key. */
const MAX_QUERY_WORDS = 64;

/** Each run of consecutive words of a key (`a b c`: `a`, `a b`, `a b c`, `b`, …) of at least 8 characters. */
function wordRuns(key: string): string[] {
  const words = key.split(' ');
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    let run = '';
    for (let j = i; j < words.length; j++) {
      run = j === i ? words[i] : `${run} ${words[j]}`;
      if (run.length >= 8) out.push(run);
    }
  }
  return out;
}

/**
 * Statement keys (`textKey`) indexed for `sameStatementKeys`: equal keys, and keys that hold one
 * another as a run of words, are found through maps rather than by comparing every pair.
 */
export class StatementIndex {
  /** Each key, to the first index holding it (none for a few keys: they are compared one by one). */
  private readonly exact: Map<string, number> | undefined;
  /** Each run of words of a key (up to MAX_INDEXED_WORDS words), to the first index holding it. */
  private readonly runs: Map<string, number> | undefined;
  /** Indexes of keys with more words: compared one by one. */
  private readonly long: number[] = [];

  constructor(private readonly keys: readonly string[]) {
    if (keys.length <= FEW) return;
    const exact = (this.exact = new Map<string, number>());
    const runs = (this.runs = new Map<string, number>());
    keys.forEach((k, i) => {
      if (!k) return;
      if (!exact.has(k)) exact.set(k, i);
      if (k.split(' ').length > MAX_INDEXED_WORDS) {
        this.long.push(i);
        return;
      }
      for (const r of wordRuns(k)) if (!runs.has(r)) runs.set(r, i);
    });
  }

  /** The first index whose key states the same thing as `key` (`sameStatementKeys`), or -1. */
  find(key: string): number {
    if (!key) return -1;
    const { exact, runs } = this;
    // A few keys: compared one by one, in order (performance only).
    if (!exact || !runs) {
      for (let i = 0; i < this.keys.length; i++) if (sameStatementKeys(this.keys[i], key)) return i;
      return -1;
    }
    let best = Infinity;
    const take = (i: number | undefined) => {
      if (i !== undefined && i < best && sameStatementKeys(this.keys[i], key)) best = i;
    };
    if (key.split(' ').length > MAX_QUERY_WORDS) {
      for (let i = 0; i < this.keys.length && i < best; i++) take(i);
      return best === Infinity ? -1 : best;
    }
    take(exact.get(key));
    // A longer key holding this one.
    take(runs.get(key));
    // A shorter key this one holds.
    for (const r of wordRuns(key)) take(exact.get(r));
    for (const i of this.long) take(i);
    return best === Infinity ? -1 : best;
  }
}

/** Phase N+1's input handoff and phase N's output handoff, as documents and paths. */
export interface HandoffPair {
  prev: Phase;
  next: Phase;
  outPath: string;
  out: ParsedDocument;
  inPath: string;
  /** Undefined when phase N+1 has no input handoff yet. */
  input: ParsedDocument | undefined;
}

export function handoffPair(next: Phase, getDocument: (p: string) => ParsedDocument | undefined): HandoffPair | undefined {
  const prev = next.prev;
  if (!prev) return undefined;
  const outDoc = prev.documents.find((d) => d.spec.kind === OUTPUT_HANDOFF);
  const inDoc = next.documents.find((d) => d.spec.kind === INPUT_HANDOFF);
  if (!outDoc || !inDoc) return undefined;
  const out = getDocument(outDoc.path);
  if (!out) return undefined;
  return { prev, next, outPath: outDoc.path, out, inPath: inDoc.path, input: getDocument(inDoc.path) };
}

/** The sections of phase N's output handoff that feed phase N+1. */
export function outputSections(pair: HandoffPair): { inputs: Section | undefined; prerequisites: Section | undefined; questions: Section | undefined } {
  const n = pair.prev.number;
  const want = n === undefined ? undefined : String(n + 1);
  // Prefer the section numbered for this next phase; any "Phase # Inputs" otherwise.
  const pick = (t: string) => {
    const key = normalizeTitle(t);
    const suffix = ' ' + key;
    // The first candidate numbered for the next phase, else the first candidate (one pass, no list: performance only).
    let first: Section | undefined;
    for (const s of pair.out.sections) {
      if (s.key !== key && !s.key.endsWith(suffix)) continue;
      first ??= s;
      if (want !== undefined && (s.title.match(/\d+/g) ?? ([] as string[])).includes(want)) return s;
    }
    return first;
  };
  return {
    inputs: pick(OUT_INPUTS),
    prerequisites: pick(OUT_PREREQUISITES),
    questions: sectionByTitle(pair.out, OUT_QUESTIONS),
  };
}

/** A link to a Markdown file, or a backticked path, found in a section: its target and range. */
export interface Reference {
  target: string;
  resolved: string;
  /** The target read from the other folders it may be written from, as for an item's path (`HandoffItem.alsoResolved`). */
  alsoResolved: readonly string[];
  range: Range;
  /** The link's target range (undefined for a code path). */
  targetRange: Range | undefined;
}

/**
 * Whether an inline link of a section (as `referencesIn` reads them: the first of the references it gives) leads to
 * `path` from `folder`: then `referencesIn(doc, sec, folder, bases).some((r) => refersTo(r, path))` holds, whatever
 * else the section holds (performance only: the rest is not read).
 */
export function linksTo(doc: ParsedDocument, sec: Section, folder: string, root: string | undefined, path: string): boolean {
  const { links } = doc;
  for (let i = 0; i < links.length; i++) {
    const l = links[i];
    if (l.line <= sec.heading.line || l.line >= sec.end) continue;
    const file = targetFile(unescapeTarget(l.target));
    if (file !== undefined && resolveFile(folder, file, root) === path) return true;
  }
  return false;
}

export function referencesIn(doc: ParsedDocument, sec: Section, folder: string, bases: PathBases = []): Reference[] {
  const root = bases[0];
  const out: Reference[] = [];
  for (const l of doc.links) {
    if (l.line <= sec.heading.line || l.line >= sec.end) continue;
    const target = unescapeTarget(l.target);
    const file = targetFile(target);
    if (file === undefined) continue;
    const resolved = resolveFile(folder, file, root);
    out.push({ target: l.target, resolved, alsoResolved: fileFromBases(target, file, resolved, bases), range: l.range, targetRange: l.targetRange });
  }
  // Reference-style links: the target is their definition's, wherever in the document it is.
  const defs = definitionsOf(doc);
  /** The definitions (`line:start` of their targets) of the uses read: their targets are no bare paths of their own. */
  let used: Set<string> | undefined;
  for (let line = defs.size ? sec.bodyStart : sec.end; line < sec.end; line++) {
    for (const u of referenceUses(doc, line, defs)) {
      const target = unescapeTarget(u.def.target);
      const resolved = resolveTarget(folder, target, root);
      (used ??= new Set()).add(`${u.def.line}:${u.def.start}`);
      if (resolved)
        out.push({
          target: u.def.target,
          resolved,
          alsoResolved: fromBases(target, resolved, bases),
          range: range(line, u.start, line, u.end),
          targetRange: range(u.def.line, u.def.start, u.def.line, u.def.end),
        });
    }
  }
  for (let line = sec.bodyStart; line < sec.end; line++) {
    if (doc.codeLines.has(line)) continue;
    const src = doc.lines[line] ?? '';
    CODE_SPAN.lastIndex = 0;
    // A code span needs a backtick (performance only: no search without one).
    for (let m = src.includes('`') ? CODE_SPAN.exec(src) : null; m; m = CODE_SPAN.exec(src)) {
      if (!looksLikePath(m[1])) continue;
      const resolved = resolveTarget(folder, m[1], root);
      if (resolved)
        out.push({
          target: m[1],
          resolved,
          alsoResolved: fromBases(m[1], resolved, bases),
          range: range(line, m.index, line, m.index + m[0].length),
          targetRange: range(line, m.index + 1, line, m.index + 1 + m[1].length),
        });
    }
    // A path written bare (`phase-1/06-OUTPUT_HANDOFF.md`), as inputs may be, outside links and code spans.
    if (!src.includes('/')) continue;
    let bare = src.includes('`') ? src.replace(CODE_SPAN, (x) => ' '.repeat(x.length)) : src;
    if (bare.includes('](')) bare = bare.replace(LINK_IN_TEXT, (x) => ' '.repeat(x.length));
    // A bare path has a `/`: with none left outside links and code there is none (performance only).
    if (!bare.includes('/')) continue;
    BARE_PATH_RE.lastIndex = 0;
    for (let m = BARE_PATH_RE.exec(bare); m; m = BARE_PATH_RE.exec(bare)) {
      const p = m[2];
      const resolved = resolveTarget(folder, p, root);
      if (!resolved) continue;
      const a = m.index + m[1].length;
      // The target of a reference definition a use in the section reads (`[src]: ../phase-1/…` of `[Phase 1][src]`): that use's, told once.
      if (used?.has(`${line}:${a}`)) continue;
      const r = range(line, a, line, a + p.length);
      out.push({ target: p, resolved, alsoResolved: fromBases(p, resolved, bases), range: r, targetRange: r });
    }
  }
  return out;
}

/** Target `t`, relative to `fromFolder`, rewritten so that it resolves from `toFolder`. */
export function rebaseTarget(t: string, fromFolder: string, toFolder: string): string {
  if (!isRelativeTarget(t) || t.startsWith('/')) return t;
  const q = suffixStart(t, '#?');
  const suffix = q < 0 ? '' : t.slice(q);
  const bare = t.slice(0, t.length - suffix.length);
  if (bare === '') return t;
  // A link's backslash escapes are read (a backslash is no separator here); the parentheses they kept
  // from closing the link are written escaped again.
  if (bare.includes('\\')) return relativePath(toFolder, joinPath(fromFolder, unescapeTarget(bare))).replace(/[()]/g, '\\$&') + suffix;
  return relativePath(toFolder, joinPath(fromFolder, bare)) + suffix;
}

/** A line without its `phasegate-…` directive comments (they silence problems where they are written). */
export function withoutDirectives(text: string): string {
  return replaceComments(text, (c) => (/^<!--\s*phasegate-/.test(c) ? '' : c)).trimEnd();
}

/**
 * An item as another phase's document receives it: its first line after the marker (`line`) and its further
 * lines (`more`: continuation lines, nested items, indented for a `- ` marker rather than the item's own,
 * trailing blank lines left out), their relative link targets (and backticked paths that exist from
 * `fromFolder`) rewritten to resolve from `toFolder`, without the directive comments (a line that held only
 * one is dropped).
 */
export function copyItem(
  doc: ParsedDocument,
  item: ListItem,
  fromFolder: string,
  toFolder: string,
  exists: (p: string) => boolean,
  bases: PathBases = [],
): { line: string; more: string[] } {
  const span = (l: number, start: number, end: number) => rebaseSpan(doc, l, start, end, fromFolder, toFolder, exists, bases);
  const line = withoutDirectives(span(item.line, item.textRange.start.character, item.textRange.end.character));
  let last = Math.min(item.endLine, doc.lines.length - 1);
  while (last > item.line && (doc.lines[last] ?? '').trim() === '') last--;
  // The item's content column: after its marker and the spaces that follow it.
  const marker = /^[ \t]*(?:[-*+]|\d{1,9}[.)])( {1,4}(?! )|\t|(?=\s*$))/.exec(doc.lines[item.line] ?? '');
  const content = marker ? marker[0].length : item.textRange.start.character;
  const more: string[] = [];
  for (let l = item.line + 1; l <= last; l++) {
    const src = doc.lines[l] ?? '';
    if (src.trim() === '') {
      more.push('');
      continue;
    }
    const kept = withoutDirectives(span(l, Math.min(/^ */.exec(src)![0].length, content), src.length));
    if (kept.trim() !== '') more.push('  ' + kept);
  }
  return { line, more };
}

/** The table one of whose rows is at `line` (a row `handoffItems` reads as an item), if any. */
export function tableOfRow(doc: ParsedDocument, line: number): Table | undefined {
  for (const t of doc.tables) if (t.line < line && line <= t.endLine && t.rows.some((r) => r.line === line)) return t;
  return undefined;
}

/** A table row as another phase's document receives it: its table's headers, and each cell's Markdown (escapes kept). */
export interface CopiedRow {
  headers: string[];
  cells: string[];
  /** The first cell of each row of its table (whether they number the rows). */
  firstCells: string[];
}

/**
 * A table row (at `line`) as another phase's document receives it: each cell's Markdown, its relative link
 * targets and existing paths rewritten as `copyItem` rewrites an item's, without directive comments.
 */
export function copyRow(
  doc: ParsedDocument,
  line: number,
  fromFolder: string,
  toFolder: string,
  exists: (p: string) => boolean,
  bases: PathBases = [],
): CopiedRow | undefined {
  const t = tableOfRow(doc, line);
  const row = t?.rows.find((r) => r.line === line);
  if (!t || !row) return undefined;
  const cells = row.cells.map((c) =>
    withoutDirectives(rebaseSpan(doc, line, c.range.start.character, c.range.end.character, fromFolder, toFolder, exists, bases)).trim(),
  );
  return { headers: t.header.map((c) => c.text), cells, firstCells: t.rows.map((r) => r.cells[0]?.text ?? '') };
}

/**
 * A copied row as a list item's text, as `handoffItems` reads a row: the first cell a name, the others after it
 * (a leading number cell and empty cells left out), `\|` read as the `|` it stands for.
 */
export function rowAsItem(row: CopiedRow): string {
  const cells = row.cells.filter((c, i) => c !== '' && !(i === 0 && NUMBER_CELL.test(c))).map((c) => c.replace(/\\\|/g, '|'));
  const [first, ...rest] = cells;
  return rest.length ? `${first}: ${rest.join(' - ')}` : (first ?? '');
}

/** Header words of a table's column that says whether a question is answered. */
const ANSWER_HEADER = /^(?:status|state|resolved|answered|closed)$/;
/** A cell or item that says a question is answered (`✅ Resolved`, `Answered: GHCR`, `Closed`, `Done`, `Yes`). */
const ANSWERED = /^(?:✅|✔️?|☑️?|✓)|^(?:resolved|answered|closed|done|yes|decided)\b/iu;

/**
 * Whether a handoff's open question has been answered: its box ticked (`- [x] Which registry?`), struck out
 * whole (`~~Which registry?~~`), or, in a table, its Status cell saying so (`Resolved`, `✅ Answered`,
 * `Closed`). Complete handoff and `new phase` do not carry it into the next phase's open questions.
 */
export function answeredQuestion(doc: ParsedDocument, item: ListItem): boolean {
  if (item.checked === true) return true;
  const text = item.text.trim();
  if (text.length > 4 && text.startsWith('~~') && text.endsWith('~~')) return true;
  const t = tableOfRow(doc, item.line);
  if (!t) return false;
  const col = t.header.findIndex((h) => ANSWER_HEADER.test(h.text.replace(/[*_`]/g, '').trim().toLowerCase()));
  const cell = col < 0 ? undefined : t.rows.find((r) => r.line === item.line)?.cells[col];
  return !!cell && ANSWERED.test(cell.text.replace(/[*_`]/g, '').trim());
}

/** Whether an item says something once placeholders and a name that identifies nothing (`Input:`, `Item 1:`) are taken out. */
export function meaningfulItem(it: ListItem): boolean {
  return textKey(withoutGenericName(it.text.replace(PLACEHOLDER, ' '))) !== '';
}

/** `line`'s text from `start` to `end`, its link targets and existing backticked paths rebased (see copyItem). */
function rebaseSpan(
  doc: ParsedDocument,
  lineNo: number,
  start: number,
  end: number,
  fromFolder: string,
  toFolder: string,
  exists: (p: string) => boolean,
  bases: PathBases,
): string {
  const line = doc.lines[lineNo] ?? '';
  const edits: { a: number; b: number; text: string }[] = [];
  /** Where a link's text is on the line (kept as written, a path in backticks too: see below). */
  const labels: { a: number; b: number }[] = [];
  // A target that is not there from the handoff's folder but is from the workspace root (or the folder of the phases) was written from there.
  const rebase = (t: string) =>
    rebaseTarget(t, (!t.startsWith('.') && isRelativeTarget(t) && writtenFrom(unescapeTarget(t), fromFolder, bases, exists)) || fromFolder, toFolder);
  for (const l of doc.links) {
    if (l.line !== lineNo || l.targetRange.start.character < start || l.targetRange.end.character > end) continue;
    const rebased = rebase(l.target);
    if (rebased === l.target) continue;
    // Written bare, it is written in `<…>` once it holds a blank (a phase folder `Phase 1`).
    const bracketed = line[l.targetRange.start.character - 1] === '<';
    // Its text is carried as the output handoff wrote it, also one that shows the path it gave (`[04-ARTIFACTS/ci.yml](…)`):
    // the name the artifact was handed off by, not a `../phase-1/…` path of the receiving phase's folder.
    edits.push({ a: l.targetRange.start.character, b: l.targetRange.end.character, text: bracketed ? rebased : linkDestination(rebased) });
    labels.push({ a: l.range.start.character, b: l.targetRange.start.character });
  }
  // A reference-style link is written inline: its definition stays behind in the handoff.
  for (const u of referenceUses(doc, lineNo, definitionsOf(doc))) {
    if (u.start < start || u.end > end) continue;
    const t = rebase(u.def.target);
    edits.push({ a: u.start, b: u.end, text: `[${u.text}](${/[\s()<>]/.test(t) ? `<${t}>` : t})` });
  }
  const text = line.slice(start, end);
  // Not in a code block: what it holds is code, not paths to rewrite.
  if (!doc.codeLines.has(lineNo)) {
    CODE_SPAN.lastIndex = 0;
    for (let m = CODE_SPAN.exec(text); m; m = CODE_SPAN.exec(text)) {
      const p = m[1];
      if (!looksLikePath(p) || p.startsWith('/')) continue;
      const abs = resolveTarget(fromFolder, p);
      // A backticked path may be relative to the repository rather than the handoff: rewrite it only when it resolves here.
      if (!abs || !exists(abs)) continue;
      const a = start + m.index + 1;
      if (edits.some((e) => e.a <= a && a < e.b) || labels.some((e) => e.a <= a && a < e.b)) continue;
      edits.push({ a, b: a + p.length, text: rebaseTarget(p, fromFolder, toFolder) });
    }
    // A bare path (`04-ARTIFACTS/report.md`), outside links and code spans: rewritten as a backticked one is.
    if (text.includes('/')) {
      let bare = text.includes('`') ? text.replace(CODE_SPAN, (x) => ' '.repeat(x.length)) : text;
      if (bare.includes('](')) bare = bare.replace(LINK_IN_TEXT, (x) => ' '.repeat(x.length));
      BARE_PATH_RE.lastIndex = 0;
      for (let m = BARE_PATH_RE.exec(bare); m; m = BARE_PATH_RE.exec(bare)) {
        const p = m[2];
        const abs = resolveTarget(fromFolder, p);
        if (!abs || !exists(abs)) continue;
        const a = start + m.index + m[1].length;
        if (edits.some((e) => e.a <= a && a < e.b)) continue;
        edits.push({ a, b: a + p.length, text: rebaseTarget(p, fromFolder, toFolder) });
      }
    }
  }
  let out = line;
  for (const e of edits.sort((x, y) => y.a - x.a)) out = out.slice(0, e.a) + e.text + out.slice(e.b);
  return out.slice(start, end + (out.length - line.length));
}

/** The first of `bases` a relative target exists from when it does not from `folder`; undefined when none. */
function writtenFrom(target: string, folder: string, bases: PathBases, exists: (p: string) => boolean): string | undefined {
  const inFolder = resolveTarget(folder, target, bases[0]);
  if (!inFolder || exists(inFolder)) return undefined;
  return bases.find((b) => {
    const there = resolveTarget(b, target, bases[0]);
    return !!there && there !== inFolder && exists(there);
  });
}

/** Whether a reference names `path`, read from its document's folder or from a folder it may be written from. */
export function refersTo(r: Reference, path: string): boolean {
  return r.resolved === path || r.alsoResolved.includes(path);
}

/**
 * A relative path written as a link's destination: in `<…>` where it holds a blank, which would end a destination
 * written bare (`[…](../Phase 1/06-OUTPUT_HANDOFF.md)` is no link; a `Phase 1` folder is an audit phase's).
 */
export function linkDestination(path: string): string {
  return /\s/.test(path) ? `<${path}>` : path;
}

/** Relative path from phase N+1's input handoff to phase N's output handoff. */
export function sourceLink(pair: Pick<HandoffPair, 'inPath' | 'outPath'>): string {
  return relativePath(dirname(pair.inPath), pair.outPath);
}

/** Whether a resolved path is an output handoff (same file name as the layout's). */
export function isOutputHandoffPath(p: string, phase: Phase): boolean {
  const spec = phase.layout.documents.find((d) => d.kind === OUTPUT_HANDOFF);
  return !!spec && basename(p).toLowerCase() === spec.file.toLowerCase();
}
