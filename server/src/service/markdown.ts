/**
 * The document model: one parse of a Markdown file (markdown-it for the block
 * structure, yaml for the front matter) into front matter, headings, sections,
 * list and checklist items, links, tables and code blocks, each with its source range.
 */
import MarkdownIt from 'markdown-it';
import { parseFromLine, useFastBlockState, useParagraphWithoutTokens, useTableWithoutCells } from './block-state';
import { htmlTagLength, useLinearHtmlBlock } from './html-block';
import * as YAML from 'yaml';
import { parseFlatFrontMatter } from './frontmatter-fast';
import { numberTable } from './tables';
import { Position, Range, range } from './types';
import { Memo } from './memo';
import { lowerBound } from './sorted';

export interface FrontMatter {
  /** Lines of the opening and closing fences, inclusive. */
  startLine: number;
  endLine: number;
  /** Range of the whole block, fences included. */
  range: Range;
  /** Raw YAML between the fences. */
  raw: string;
  /** The parsed value, or undefined when the YAML has errors. */
  data: unknown;
  /** YAML syntax errors, with their ranges in the Markdown file. */
  errors: { message: string; range: Range }[];
  /** The YAML document (for mapping schema paths to ranges), when it parsed. */
  yaml?: YAML.Document.Parsed;
  /** Offset of the first YAML character within the Markdown text. */
  offset: number;
  terminated: boolean;
}

export interface Heading {
  level: number;
  /** Text of the heading, inline markup kept. */
  text: string;
  line: number;
  /** Its last line: the `===` or `---` underline of a setext heading, else `line`. */
  endLine: number;
  /** The whole heading line. */
  range: Range;
  /** The heading's text without the `#` markers. */
  textRange: Range;
}

export interface Section {
  heading: Heading;
  level: number;
  title: string;
  /** Normalised key for matching: lower case, numbers replaced by '#', punctuation folded. */
  key: string;
  /** First line after the heading. */
  bodyStart: number;
  /** First line after the section (exclusive), subsections included. */
  end: number;
  /** First line after the section's own body, before its first subsection. */
  ownEnd: number;
  parent: number | undefined;
  children: number[];
  /** No text in the section, subsections included (HTML comments count as empty). */
  isEmpty: boolean;
  /**
   * Nothing written in the section, subsections included: empty, or holding only lines that show nothing written
   * (empty list items and tasks, `-`, `1.`, `- [ ]`; a thematic break; `&nbsp;`). Undefined: not known (a label's
   * section), read as `isEmpty`.
   */
  nothingWritten?: boolean;
  range: Range;
}

export interface ListItem {
  line: number;
  /** Last line of the item (inclusive). */
  endLine: number;
  /** Text of the item's first line, after the marker and the checkbox. */
  text: string;
  /** Range of `text`. */
  textRange: Range;
  /** The whole first line. */
  range: Range;
  ordered: boolean;
  depth: number;
  /** `true`/`false` for task items, undefined otherwise. */
  checked: boolean | undefined;
  /** Range of `[ ]` / `[x]`, for task items. */
  checkboxRange: Range | undefined;
  /** Index in `sections` of the innermost section that holds the item. */
  section: number | undefined;
}

export interface Link {
  text: string;
  target: string;
  /** Range of the whole `[text](target)`. */
  range: Range;
  targetRange: Range;
  line: number;
  section: number | undefined;
}

export interface TableCell {
  text: string;
  range: Range;
}

export interface Table {
  line: number;
  endLine: number;
  header: TableCell[];
  rows: { line: number; cells: TableCell[] }[];
  section: number | undefined;
}

export interface CodeBlock {
  info: string;
  content: string;
  /** Line of the opening fence. */
  line: number;
  /** Last line of the block, inclusive. */
  endLine: number;
  section: number | undefined;
}

export interface ParsedDocument {
  text: string;
  lines: string[];
  /**
   * Line ending used by the file: '\r\n' when any CRLF is found in its first 4,096 characters, else
   * '\r' when CRs alone end more lines there than LFs do (old Mac files), else '\n'.
   */
  eol: '\n' | '\r\n' | '\r';
  frontMatter: FrontMatter | undefined;
  /**
   * Front matter that does not start on the first line (blank lines or HTML comments above its opening
   * `---`): the lines of its fences, and those of the comments above it. It is not read as front matter (`frontMatter` is undefined), nor as Markdown.
   */
  misplacedFrontMatter: { line: number; endLine: number; comments: number[] } | undefined;
  headings: Heading[];
  sections: Section[];
  items: ListItem[];
  links: Link[];
  tables: Table[];
  codeBlocks: CodeBlock[];
  /** Lines inside code blocks (fenced or indented) and HTML blocks, where prose rules do not look. */
  codeLines: Set<number>;
  /**
   * Whether the Markdown body was parsed. A document over MAX_PARSE_BYTES is not: it has its lines and
   * front matter, but no headings, sections, items, links, tables or code blocks, because they were not
   * read, not because it has none (the rules that need them do not check it).
   */
  modelled: boolean;
}

const md = new MarkdownIt('commonmark', { html: true }).enable('table');

/**
 * Text of a link destination or title as Markdown reads it: its backslash escapes of ASCII punctuation and its
 * character references (`&amp;`, `&#38;`, `&#x26;`) read, as markdown-it reads them.
 */
export function unescapeLinkText(text: string): string {
  return md.utils.unescapeAll(text);
}
// The model reads only block tokens (headings keep their inline source in `content`; links are scanned
// per line), so inline tokenisation is skipped: it was a third of the parse time (bench/README.md).
// Its 'normalize' rule (line ends to '\n', NUL to U+FFFD) is done by markdownBody, which already
// joins the lines with '\n', and only when there is something to replace (performance only).
md.core.ruler.disable(['inline', 'text_join', 'normalize']);
// HTML blocks as markdown-it reads them, a tag alone on its line recognised in one pass (html-block.ts).
useLinearHtmlBlock(md);
// Its line tables found by line ends, not character by character (block-state.ts).
useFastBlockState(md);
// Paragraphs make no tokens: the model reads none (block-state.ts).
useParagraphWithoutTokens(md);
// Tables without their cells' tokens, which the model does not read (block-state.ts).
useTableWithoutCells(md);
type Token = ReturnType<MarkdownIt['parse']>[number];

/** Documents above this size (in UTF-16 code units) are modelled by lines only, no Markdown parse (`ParsedDocument.modelled`). */
export const MAX_PARSE_BYTES = 2 * 1024 * 1024;

/**
 * Keys of titles seen (performance only: every heading and every section lookup normalises a title). A key can
 * be the title itself, or hold a word of it: made of the memo's copy, it keeps no document's text alive.
 */
const titleKeys = new Memo(50_000, computeTitleKey);

export function normalizeTitle(title: string): string {
  return titleKeys.get(title);
}

const TITLE_NUMBERING = /^\s*(\d+[.)]|\d+(\.\d+)+\.?)\s+/;

/** Any character outside ASCII. */
const NON_ASCII = /[^\x00-\x7f]/;
const COMBINING_MARKS = /\p{M}/gu;
const LETTER_OR_DIGIT = /^[\p{L}\p{N}]$/u;

/**
 * The key of a title: lower case, markup (`*_\`~`) and a leading number (`1.`, `2)`, `1.2`) dropped,
 * `{placeholders}` and numbers as `#`, `&` as `and`, every other run of characters but letters (of any
 * script: `目標`, `リスク`) and `#` as one space, trimmed. Outside ASCII, compatibility forms are folded
 * and accents dropped first (`Überblick` is `uberblick`, `１` is `1`). One pass over the characters
 * instead of a chain of regexes (performance only; test/unit/fast-paths.test.ts holds it to the chain).
 */
export function computeTitleKey(title: string): string {
  // An ASCII title, the common case, skips the Unicode folding (performance only).
  const unicode = NON_ASCII.test(title);
  let s = (unicode ? title.normalize('NFKD').replace(COMBINING_MARKS, '') : title).toLowerCase().replace(/[*_`~]/g, '');
  if (TITLE_NUMBERING.test(s)) s = s.replace(TITLE_NUMBERING, '');
  let out = '';
  /** A separator is due before the next word. */
  let sep = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let word: string;
    const first = isKeyChar(c) ? 1 : unicode ? keyCharLength(s, i) : 0;
    if (first) {
      let j = i + first;
      while (j < s.length) {
        const d = s.charCodeAt(j);
        if (isKeyChar(d)) j++;
        else if (!unicode || d < 128) break;
        else {
          const n = keyCharLength(s, j);
          if (!n) break;
          j += n;
        }
      }
      word = s.slice(i, j);
      i = j - 1;
    } else if (c >= 48 && c <= 57) {
      while (i + 1 < s.length && s.charCodeAt(i + 1) >= 48 && s.charCodeAt(i + 1) <= 57) i++;
      word = '#';
    } else if (c === 123 && s.indexOf('}', i + 1) >= 0) {
      i = s.indexOf('}', i + 1);
      word = '#';
    } else if (c === 38) {
      sep = true;
      word = 'and';
    } else {
      sep = true;
      continue;
    }
    if (sep && out !== '') out += ' ';
    out += word;
    // `&` separates on both sides.
    sep = c === 38;
  }
  return out;
}

/** `a-z` and `#`: the ASCII characters a title key keeps as they are. */
function isKeyChar(c: number): boolean {
  return (c >= 97 && c <= 122) || c === 35;
}

/** UTF-16 units of the letter or digit outside ASCII at `i` (`目`, `é`, a character of two units), else 0. */
function keyCharLength(s: string, i: number): number {
  const c = s.charCodeAt(i);
  if (c < 128) return 0;
  const n = c >= 0xd800 && c <= 0xdbff && i + 1 < s.length ? 2 : 1;
  return LETTER_OR_DIGIT.test(s.slice(i, i + n)) ? n : 0;
}

function splitLines(text: string): string[] {
  // Without a carriage return the plain split gives the same lines, faster (performance only).
  return text.includes('\r') ? text.split(/\r\n|\r|\n/) : text.split('\n');
}

// logLevel 'error': the parser's warnings are not printed to the process's stderr (a collection as a key
// warned there); what matters is reported as diagnostics.
const YAML_OPTIONS = { uniqueKeys: true, prettyErrors: false, strict: true, logLevel: 'error' } as const;

/** Deepest nesting of lists and mappings read from YAML (front matter, phasegate.yaml); deeper is refused. */
export const MAX_YAML_DEPTH = 64;

/**
 * Where `doc` nests lists and mappings more than MAX_YAML_DEPTH deep (the offsets of the first node too
 * deep, else of the first collection the parser gave up on), or undefined. The `yaml` package composes
 * nested collections recursively: a thousand levels (`[[[…]]]`) exhaust the call stack, and it reports
 * one "Maximum call stack size exceeded" per level; a depth below that would exhaust the stack of
 * whatever reads the data after it. The walk is iterative.
 */
export function yamlTooDeep(doc: YAML.Document.Parsed): [number, number] | undefined {
  const stack: [unknown, number][] = [[doc.contents, 0]];
  while (stack.length) {
    const [node, depth] = stack.pop()!;
    if (YAML.isPair(node)) {
      stack.push([node.value, depth], [node.key, depth]);
    } else if (YAML.isCollection(node)) {
      if (depth >= MAX_YAML_DEPTH) return node.range ? [node.range[0], node.range[1]] : [0, 0];
      // In reverse, so that the first node too deep in document order is found.
      for (let i = node.items.length - 1; i >= 0; i--) stack.push([node.items[i], depth + 1]);
    }
  }
  return doc.errors.find((e) => e.code === 'RESOURCE_EXHAUSTION' && /call stack/i.test(e.message))?.pos;
}

/**
 * `YAML.parseDocument` with the check for keys repeated in a mapping done here, in linear time: the library compares
 * each key with every key before it in its mapping (a front matter of 40,000 keys took 14 s, 1.4 s without that
 * check). The errors are the library's: `DUPLICATE_KEY`, "Map keys must be unique", at each repeated scalar key (keys
 * equal as its check compares them: their values, `===`), placed among its other errors by where they are (the
 * library's order is that of its composing, not always of the text). Each is at its key's start; the library's is
 * there too but for an empty key (`: 1`, `? `), which it places after the blanks and comments that follow, and keys
 * on lines it recovers from other errors on. The walk is iterative (it runs before the depth check).
 */
export function parseYamlDocument(src: string, options: YAML.ParseOptions & YAML.DocumentOptions & YAML.SchemaOptions = {}): YAML.Document.Parsed {
  const doc = YAML.parseDocument(src, { ...options, uniqueKeys: false });
  const repeated: YAML.YAMLParseError[] = [];
  const stack: unknown[] = [doc.contents];
  while (stack.length) {
    const node = stack.pop();
    if (YAML.isPair(node)) stack.push(node.value, node.key);
    else if (YAML.isCollection(node)) {
      const seen = YAML.isMap(node) ? new Set<unknown>() : undefined;
      for (let i = node.items.length - 1; i >= 0; i--) stack.push(node.items[i]);
      if (!seen) continue;
      for (const pair of node.items as YAML.Pair[]) {
        const key = pair.key;
        // NaN is never `===` itself: no repeat (a Set would take two NaNs for one).
        if (!YAML.isScalar(key) || key.value !== key.value) continue;
        if (!seen.has(key.value)) seen.add(key.value);
        else {
          const at = key.range?.[0] ?? 0;
          repeated.push(new YAML.YAMLParseError([at, at + 1], 'DUPLICATE_KEY', 'Map keys must be unique'));
        }
      }
    }
  }
  if (repeated.length) {
    repeated.sort((a, b) => a.pos[0] - b.pos[0]);
    const merged: YAML.YAMLError[] = [];
    let r = 0;
    for (const e of doc.errors) {
      while (r < repeated.length && repeated[r].pos[0] < e.pos[0]) merged.push(repeated[r++]);
      merged.push(e);
    }
    while (r < repeated.length) merged.push(repeated[r++]);
    doc.errors.length = 0;
    for (const e of merged) doc.errors.push(e as YAML.YAMLParseError);
  }
  return doc;
}

/** The first key of `doc` that is a list or a mapping (`? [a, b]`), which JavaScript data cannot hold as a key. */
function collectionKey(doc: YAML.Document.Parsed): YAML.Node | undefined {
  let found: YAML.Node | undefined;
  YAML.visit(doc, {
    Pair(_key, pair) {
      if (YAML.isCollection(pair.key)) {
        found = pair.key;
        return YAML.visit.BREAK;
      }
      return undefined;
    },
  });
  return found;
}

/**
 * A front matter block. One class, so that every block has the same shape (the rules read blocks of
 * every document, and objects of differing shapes made those reads slow); its YAML Document is built
 * on first use when the flat fast path read the data.
 */
class FrontMatterBlock implements FrontMatter {
  readonly startLine = 0;
  data: unknown = undefined;
  errors: { message: string; range: Range }[] = [];
  #yaml: YAML.Document.Parsed | undefined = undefined;
  #onDemand = false;

  constructor(
    readonly endLine: number,
    readonly range: Range,
    readonly raw: string,
    readonly offset: number,
    readonly terminated: boolean,
  ) {}

  get yaml(): YAML.Document.Parsed | undefined {
    if (this.#onDemand) {
      this.#onDemand = false;
      this.#yaml = parseYamlDocument(this.raw, YAML_OPTIONS);
    }
    return this.#yaml;
  }

  set yaml(doc: YAML.Document.Parsed | undefined) {
    this.#onDemand = false;
    this.#yaml = doc;
  }

  /** The data was read without the YAML Document: build it when someone asks for it. */
  parseYamlOnDemand(): void {
    this.#onDemand = true;
  }
}

/** A line that holds one HTML comment and nothing else (a directive comment, a note). */
const COMMENT_LINE = /^\s*<!--(?:(?!-->).)*-->\s*$/;

/**
 * Front matter below blank lines or one-line HTML comments: the first other line is `---`, and a fence
 * closes a YAML mapping after it. Markdown tools read front matter on the first line only, and so does
 * the engine: this block is reported, not read. `comments`: the comment lines above it.
 */
export function misplacedFrontMatter(lines: string[]): { line: number; endLine: number; comments: number[] } | undefined {
  const above = (l: string) => l.trim() === '' || COMMENT_LINE.test(l);
  if (lines.length === 0 || !above(lines[0])) return undefined;
  let open = 1;
  while (open < lines.length && above(lines[open])) open++;
  if (open >= lines.length || lines[open].trimEnd() !== '---') return undefined;
  let end = -1;
  for (let i = open + 1; i < lines.length; i++) {
    const l = lines[i].trimEnd();
    if (l === '---' || l === '...') {
      end = i;
      break;
    }
  }
  if (end < 0) return undefined;
  const raw = lines.slice(open + 1, end).join('\n');
  const flat = parseFlatFrontMatter(raw);
  if (flat !== undefined) {
    if (Object.keys(flat).length === 0) return undefined;
  } else {
    try {
      // A mapping, even with errors (a duplicate key): what the block is meant as is clear.
      const doc = parseYamlDocument(raw, YAML_OPTIONS);
      if (!YAML.isMap(doc.contents) || doc.contents.items.length === 0) return undefined;
    } catch {
      return undefined;
    }
  }
  const comments: number[] = [];
  for (let i = 0; i < open; i++) if (lines[i].trim() !== '') comments.push(i);
  return { line: open, endLine: end, comments };
}

export function parseFrontMatter(lines: string[], text: string): FrontMatter | undefined {
  // A fence without trailing white space, the common case, is compared without trimming it (performance only).
  if (lines.length === 0 || (lines[0] !== '---' && lines[0].trimEnd() !== '---')) return undefined;
  let end = -1;
  for (let i = 1; i < lines.length; i++) {
    // Only a line starting with `-` or `.` can close (performance only).
    const c = lines[i].charCodeAt(0);
    if (c !== 45 && c !== 46) continue;
    const l = lines[i].length === 3 ? lines[i] : lines[i].trimEnd();
    if (l === '---' || l === '...') {
      end = i;
      break;
    }
  }
  const firstEol = text.indexOf('\n');
  const offset = firstEol < 0 ? text.length : firstEol + 1;
  if (end < 0) {
    const open = new FrontMatterBlock(0, range(0, 0, 0, lines[0].length), '', offset, false);
    open.errors.push({ message: 'Front matter is not closed: add a line `---` after the YAML.', range: range(0, 0, 0, 3) });
    return open;
  }
  const raw = lines.slice(1, end).join('\n');
  const fm = new FrontMatterBlock(end, range(0, 0, end, lines[end].length), raw, offset, true);
  // Flat front matter (the common case) is read directly; its YAML Document, which only ranges need,
  // is built on first use (performance only: the values are those the full parse gives).
  const flat = parseFlatFrontMatter(raw);
  if (flat !== undefined) {
    fm.data = flat;
    fm.parseYamlOnDemand();
    return fm;
  }
  try {
    const doc = parseYamlDocument(raw, YAML_OPTIONS);
    const deep = yamlTooDeep(doc);
    if (deep) {
      fm.errors.push({
        message: `Front matter is nested too deeply (more than ${MAX_YAML_DEPTH} levels of lists and mappings).`,
        range: yamlOffsetRange(lines, 1, raw, deep[0], deep[0] + 1),
      });
      return fm;
    }
    const problems = [...doc.errors];
    const badKey = problems.length === 0 ? collectionKey(doc) : undefined;
    if (badKey?.range) {
      fm.errors.push({
        message: 'A key is a list or a mapping: front matter keys must be plain text.',
        range: yamlOffsetRange(lines, 1, raw, badKey.range[0], badKey.range[1]),
      });
    } else if (problems.length === 0) {
      // maxAliasCount bounds the expansion of alias bombs ("billion laughs").
      fm.data = doc.toJS({ maxAliasCount: 100 });
      fm.yaml = doc;
    }
    for (const e of problems) {
      const r = yamlOffsetRange(lines, 1, raw, e.pos[0], e.pos[1]);
      fm.errors.push({ message: e.message.split('\n')[0], range: r });
    }
  } catch (e) {
    fm.errors.push({ message: `Front matter could not be read: ${(e as Error).message.split('\n')[0]}`, range: range(1, 0, Math.max(1, end - 1), 0) });
  }
  return fm;
}

/**
 * Range in the Markdown file of YAML offsets [a, b) of front matter that starts at `firstLine`. `raw` is
 * the YAML's lines joined by `\n` (as front matter and config.ts `configLines` give it to the parser): only
 * `\n` ends a line in it.
 */
export function yamlOffsetRange(lines: string[], firstLine: number, raw: string, a: number, b: number): Range {
  const starts = lineStartsOf(raw);
  const p = (off: number) => {
    const o = Math.max(0, Math.min(off, raw.length));
    // The last line that starts at or before `o`, by halves.
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (starts[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: firstLine + lo, character: o - starts[lo] };
  };
  const start = p(a);
  let end = p(Math.max(a, b));
  if (end.line === start.line && end.character === start.character) {
    const len = (lines[start.line] ?? '').length;
    end = { line: start.line, character: Math.max(start.character, len) };
  }
  return { start, end };
}

/** The YAML last asked about by `yamlOffsetRange`, and where its lines start. */
let startsOfRaw: { raw: string; starts: number[] } | undefined;

/**
 * Where each line of `raw` starts (after each `\n`), kept for the last `raw`: its callers map every error or
 * placeholder of one YAML text in turn, and reading the text up to each offset again was quadratic in them
 * (20,000 duplicate keys in a front matter took 4.7 s).
 */
function lineStartsOf(raw: string): number[] {
  if (startsOfRaw?.raw !== raw) {
    const starts = [0];
    for (let i = raw.indexOf('\n'); i >= 0; i = raw.indexOf('\n', i + 1)) starts.push(i + 1);
    startsOfRaw = { raw, starts };
  }
  return startsOfRaw.starts;
}

/**
 * Positions of the model, shared (performance only): a workspace's models hold about a million
 * positions, most of them repeats of the same (line, character) pairs, and they were a fifth of the
 * memory of `check`. Positions are values: nothing mutates a range or a position it is given.
 */
const SHARED_POSITIONS: Position[][] = [];
const MAX_SHARED_LINE = 4096;
const MAX_SHARED_CHARACTER = 512;
/** At most this many shared positions (a few MB), so that a long-lived server's table stays small. */
const MAX_SHARED_POSITIONS = 262_144;
let sharedPositionCount = 0;

function sharedPosition(line: number, character: number): Position {
  if (line >= MAX_SHARED_LINE || character >= MAX_SHARED_CHARACTER || line < 0 || character < 0) return { line, character };
  let row = SHARED_POSITIONS[line];
  // A row of its full length from the start: filled at scattered columns, a growing array went to slow (dictionary) elements.
  if (row === undefined) SHARED_POSITIONS[line] = row = new Array<Position>(MAX_SHARED_CHARACTER);
  let p = row[character];
  if (p === undefined) {
    // Frozen: a shared value that someone mutated would corrupt every range holding it; this way it throws.
    p = Object.freeze({ line, character });
    if (sharedPositionCount < MAX_SHARED_POSITIONS) {
      row[character] = p;
      sharedPositionCount++;
    }
  }
  return p;
}

/**
 * A range of the model, its positions shared. Ranges themselves are not shared: a table of them cost
 * more time in lookups than it saved in memory once a batch check drops its models as it goes.
 */
function modelRange(sl: number, sc: number, el: number, ec: number): Range {
  return { start: sharedPosition(sl, sc), end: sharedPosition(el, ec) };
}

/*
 * The model's headings, list items, links and table cells keep their columns and make their ranges
 * when read (performance only: a check reads the ranges of the few items it reports, and making half a
 * million ranges per thousand phases cost more than the rest of the model building). Each read makes a
 * new range of shared positions.
 */

class HeadingNode implements Heading {
  constructor(
    readonly level: number,
    readonly text: string,
    readonly line: number,
    readonly endLine: number,
    private readonly lineEnd: number,
    private readonly textStart: number,
    private readonly textEnd: number,
  ) {}

  get range(): Range {
    return modelRange(this.line, 0, this.line, this.lineEnd);
  }

  get textRange(): Range {
    return modelRange(this.line, this.textStart, this.line, this.textEnd);
  }
}

class ListItemNode implements ListItem {
  section: number | undefined = undefined;

  constructor(
    readonly line: number,
    readonly endLine: number,
    readonly text: string,
    /** Column of `text`. */
    private readonly textStart: number,
    private readonly lineEnd: number,
    readonly ordered: boolean,
    readonly depth: number,
    readonly checked: boolean | undefined,
    /** Column of the task box (-1 without one). */
    private readonly boxStart: number,
  ) {}

  get textRange(): Range {
    return modelRange(this.line, this.textStart, this.line, this.textStart + this.text.length);
  }

  get range(): Range {
    return modelRange(this.line, 0, this.line, this.lineEnd);
  }

  get checkboxRange(): Range | undefined {
    return this.boxStart < 0 ? undefined : modelRange(this.line, this.boxStart, this.line, this.boxStart + 3);
  }
}

class LinkNode implements Link {
  constructor(
    readonly text: string,
    readonly target: string,
    readonly line: number,
    readonly section: number | undefined,
    private readonly start: number,
    private readonly end: number,
    private readonly targetStart: number,
  ) {}

  get range(): Range {
    return modelRange(this.line, this.start, this.line, this.end);
  }

  get targetRange(): Range {
    return modelRange(this.line, this.targetStart, this.line, this.targetStart + this.target.length);
  }
}

class TableCellNode implements TableCell {
  constructor(
    readonly text: string,
    private readonly line: number,
    private readonly start: number,
    private readonly end: number,
  ) {}

  get range(): Range {
    return modelRange(this.line, this.start, this.line, this.end);
  }
}

/*
 * A table's cells are split from its lines when first read, and kept: every read gives the same cells
 * (performance only: a check of the benchmark's workspace reads the cells of under a third of its rows, and
 * splitting every row as its table was read made most of the tables' share of the model's allocations).
 */

class TableRowNode {
  #cells: TableCell[] | undefined = undefined;

  constructor(
    readonly line: number,
    private readonly lines: string[],
  ) {}

  get cells(): TableCell[] {
    return (this.#cells ??= splitRow(this.lines, this.line));
  }
}

class TableNode implements Table {
  section: number | undefined = undefined;
  #header: TableCell[] | undefined = undefined;

  constructor(
    readonly line: number,
    readonly endLine: number,
    /** Line of the header row (-1 without one). */
    private readonly headerLine: number,
    readonly rows: TableRowNode[],
    private readonly lines: string[],
  ) {}

  get header(): TableCell[] {
    return (this.#header ??= this.headerLine < 0 ? [] : splitRow(this.lines, this.headerLine));
  }
}

/** A section; its range (to its last non-blank line) is found when read. */
class SectionNode implements Section {
  readonly level: number;
  readonly title: string;
  readonly bodyStart: number;
  readonly children: number[] = [];
  isEmpty = true;
  nothingWritten = true;

  constructor(
    readonly heading: Heading,
    readonly key: string,
    readonly end: number,
    readonly ownEnd: number,
    readonly parent: number | undefined,
    private readonly lines: string[],
  ) {
    this.level = heading.level;
    this.title = heading.text;
    this.bodyStart = heading.endLine + 1;
  }

  get range(): Range {
    const { lines } = this;
    const line = this.heading.line;
    let lastLine = this.end - 1;
    while (lastLine > line && (lines[lastLine] ?? '').trim() === '') lastLine--;
    return modelRange(line, 0, lastLine, (lines[lastLine] ?? '').length);
  }
}

const SPACE_RE = /\s/;

/** Whether a character code is white space as `\s` means it (performance only: no regex for ASCII). */
function isSpace(c: number): boolean {
  if (c < 128) return c === 32 || (c >= 9 && c <= 13);
  return SPACE_RE.test(String.fromCharCode(c));
}

/** Index of the first character at or after `i` that is not white space (`\s`). */
function skipSpaces(src: string, i: number): number {
  while (i < src.length && isSpace(src.charCodeAt(i))) i++;
  return i;
}

/** Length of a task box at the start of `rest` (`[ ]`, `[x]`, `[X]` followed by white space or the end), else 0: `/^\[([ xX])\](?=\s|$)/`. */
export function taskBoxLength(rest: string): number {
  if (rest.charCodeAt(0) !== 91 || rest.charCodeAt(2) !== 93) return 0;
  const c = rest.charCodeAt(1);
  if (c !== 32 && c !== 120 && c !== 88) return 0;
  return rest.length === 3 || isSpace(rest.charCodeAt(3)) ? 3 : 0;
}

/** Column after an ATX heading's opening `#`s and the white space around them: `/^(\s*#{1,6}\s*)/`, 0 without a `#`. */
export function headingTextStart(src: string): number {
  const i = skipSpaces(src, 0);
  let h = 0;
  while (h < 6 && src.charCodeAt(i + h) === 35) h++;
  return h === 0 ? 0 : skipSpaces(src, i + h);
}

/**
 * An inline link `[text](target "title")` (groups: text, target); for `LINK_RE` and the handoff rules.
 * Every part is bounded, and the bare target is matched atomically (a lookahead and its
 * backreference: no backtracking into it, which could never help), so that a scan stays linear on any
 * line (a line of `[a](` repeated was quadratic). A bare target may hold balanced parentheses, one
 * level deep (`chart_(v1).md`), as CommonMark allows; an unbalanced one ends it. Link texts over 400
 * characters (or 200 within inner brackets), and targets or titles over 1,000, are not links here.
 */
export const INLINE_LINK = String.raw`\[((?:[^\][]|\[[^\]]{0,200}\]){0,400})\]\(\s*(<[^>\n]{0,1000}>|(?=(?<bare>(?:[^()\s]|\([^()\s]{0,1000}\)){1,1000}))\k<bare>)(?:\s+(?:"[^"]{0,1000}"|'[^']{0,1000}'))?\s*\)`;
const LINK_RE = new RegExp(`(!?)${INLINE_LINK}`, 'g');
const AUTOLINK_RE = /<((?:https?|mailto|file):[^>\s]+)>/g;

/**
 * Replaces inline code spans with spaces, keeping columns. A run of backticks opens a span that the next
 * run of the same length closes (CommonMark); one without a closing run is text. A backtick escaped by a
 * backslash (`` \` ``) opens nothing: a run that starts with one opens as the run after it (a backslash in a
 * span is the span's, so one closes whole). Linear: each run's next run of its length is found in one pass over
 * the runs, from the last (a search after each run for its closing one went over the rest of the text again for
 * each length without one: a line of runs of 1, 2, … 1,000 backticks took a second). The runs are counted first
 * and kept in tables of that size (see numberTable): arrays grown by `push` to one entry a run made a line of 16,000
 * runs or more (`` `]( `` repeated) four to six times as long a character as a line of fewer runs.
 */
export function maskInlineCode(line: string): string {
  const first = line.indexOf('`');
  if (first < 0) return line;
  let count = 0;
  for (let i = first; i >= 0; count++) i = line.indexOf('`', runEnd(line, i));
  // Each run's start, where it opens a span (after its escaped backtick) and its end.
  const starts = numberTable(count);
  const opens = numberTable(count);
  const ends = numberTable(count);
  for (let i = first, k = 0; i >= 0; k++, i = line.indexOf('`', ends[k - 1])) {
    starts[k] = i;
    opens[k] = escaped(line, i) ? i + 1 : i;
    ends[k] = runEnd(line, i);
  }
  // The run that closes each: the next of its length as it opens (-1: none, or an escaped backtick alone; it is text).
  const closer = numberTable(count);
  const nextOfLength = new Map<number, number>();
  for (let k = count - 1; k >= 0; k--) {
    const open = ends[k] - opens[k];
    closer[k] = open ? (nextOfLength.get(open) ?? -1) : -1;
    nextOfLength.set(ends[k] - starts[k], k);
  }
  let out = '';
  let last = 0;
  for (let k = 0; k < count;) {
    const c = closer[k];
    if (c < 0) {
      k++;
      continue;
    }
    out += line.slice(last, opens[k]) + ' '.repeat(ends[c] - opens[k]);
    last = ends[c];
    k = c + 1;
  }
  return last === 0 ? line : out + line.slice(last);
}

/** The end of the run of backticks at `i`. */
function runEnd(line: string, i: number): number {
  let e = i + 1;
  while (e < line.length && line.charCodeAt(e) === 96) e++;
  return e;
}

export function parseDocument(text: string): ParsedDocument {
  return parseDocuments([text])[0];
}

/**
 * `parseDocument` of each text, stage by stage over all of them: every text's lines and front matter,
 * then markdown-it on every body, then the model of every token list (performance only: each stage's
 * code stays hot over the batch; the results are those of parsing the texts one by one).
 */
export function parseDocuments(texts: readonly string[]): ParsedDocument[] {
  const docs: ParsedDocument[] = [];
  for (const text of texts) docs.push(prepareDocument(text));
  // Each token list is read as soon as it is made: the tokens die young (performance only: a batch's
  // token lists kept for a later stage survived the young generation's collections, which copied them).
  for (let i = 0; i < docs.length; i++) {
    let tokens: Token[] | undefined;
    try {
      tokens = docs[i].text.length > MAX_PARSE_BYTES ? undefined : markdownTokens(docs[i]);
    } catch {
      tokens = undefined;
    }
    if (tokens) collect(docs[i], tokens);
    else docs[i].modelled = false;
  }
  for (let i = 0; i < docs.length; i++) {
    const doc = docs[i];
    if (!doc.modelled) continue;
    buildSections(doc);
    assignSections(doc);
    scanLinks(doc, bodyStart(doc));
  }
  return docs;
}

/**
 * The line ending of `text`, read from the breaks of its first 4,096 characters: '\r\n' when any CRLF
 * ends a line there, else '\r' when CRs alone end more lines than LFs do (an old Mac file), else '\n'
 * (a stray CR in an LF file, as in `# Title \r(draft)`, does not make its fixes write CRs).
 */
function lineEnding4k(text: string): '\n' | '\r\n' | '\r' {
  const end = Math.min(text.length, 4096);
  let lf = 0;
  let cr = 0;
  for (let i = text.indexOf('\r'); i >= 0 && i < end; i = text.indexOf('\r', i + 1)) {
    if (text.charCodeAt(i + 1) === 10) return '\r\n';
    cr++;
  }
  if (cr === 0) return '\n';
  for (let i = text.indexOf('\n'); i >= 0 && i < end && lf < cr; i = text.indexOf('\n', i + 1)) lf++;
  return cr > lf ? '\r' : '\n';
}

/** A document's text, lines, line ending and front matter, its model still empty. */
function prepareDocument(text: string): ParsedDocument {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  // A text without a carriage return, the common case, is searched for one once, not once by each of the
  // two functions (performance only: the same lines and line ending).
  const cr = text.indexOf('\r') >= 0;
  const lines = cr ? splitLines(text) : text.split('\n');
  const eol = cr ? lineEnding4k(text) : '\n';
  const frontMatter = parseFrontMatter(lines, text);
  return {
    text,
    lines,
    eol,
    frontMatter,
    misplacedFrontMatter: frontMatter ? undefined : misplacedFrontMatter(lines),
    headings: [],
    sections: [],
    items: [],
    links: [],
    tables: [],
    codeBlocks: [],
    codeLines: new Set(),
    modelled: true,
  };
}

/** First line of the Markdown body (after a closed front matter, or one below blank lines). */
export function bodyStart(doc: ParsedDocument): number {
  if (doc.frontMatter) return doc.frontMatter.terminated ? doc.frontMatter.endLine + 1 : 0;
  return doc.misplacedFrontMatter ? doc.misplacedFrontMatter.endLine + 1 : 0;
}

/**
 * The text markdown-it reads: front matter lines left empty (keeping line numbers), '\n' line ends and
 * NUL as U+FFFD (what markdown-it's own 'normalize' rule did). Without a carriage return that is a
 * slice of the text, not a join of its lines (performance only).
 */
export function markdownBody(text: string, lines: string[], bodyStart: number): string {
  const body = bodyText(text, lines, bodyStart);
  return body.includes('\0') ? body.replace(/\0/g, '\uFFFD') : body;
}

/**
 * markdown-it's tokens of `doc`'s Markdown body (`markdownBody`). A text without a carriage return or NUL is
 * parsed as it is, from its body's first line (performance only: no copy of the text with its front matter
 * lines blanked).
 */
function markdownTokens(doc: ParsedDocument): Token[] {
  const { text } = doc;
  const from = bodyStart(doc);
  if (from === 0 || text.includes('\r') || text.includes('\0')) return md.parse(markdownBody(text, doc.lines, from), {});
  return parseFromLine(md, text, from);
}

function bodyText(text: string, lines: string[], bodyStart: number): string {
  if (text.includes('\r')) return bodyStart > 0 ? '\n'.repeat(bodyStart) + lines.slice(bodyStart).join('\n') : lines.join('\n');
  if (bodyStart === 0) return text;
  let at = 0;
  for (let i = 0; i < bodyStart; i++) {
    const nl = text.indexOf('\n', at);
    if (nl < 0) {
      at = text.length;
      break;
    }
    at = nl + 1;
  }
  return '\n'.repeat(bodyStart) + text.slice(at);
}

/**
 * The model's block items from markdown-it's tokens. One small function per kind of token: V8
 * optimises each on its own, and a kind first met late in a run (a table, an HTML block) does not
 * send the whole loop back to be compiled again (performance only).
 */
function collect(doc: ParsedDocument, tokens: Token[]): void {
  /** Whether each open list is ordered, innermost last. */
  const lists: boolean[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    switch (t.type) {
      case 'heading_open':
        // A heading inside a list item (`- item` then an indented `Name` and `---`) is part of the item, not a section of the document.
        if (!lists.length) collectHeading(doc, t, tokens[i + 1]);
        break;
      case 'bullet_list_open':
        lists.push(false);
        break;
      case 'ordered_list_open':
        lists.push(true);
        break;
      case 'bullet_list_close':
      case 'ordered_list_close':
        lists.pop();
        break;
      case 'list_item_open':
        if (t.map) collectItem(doc, t.map, lists);
        break;
      case 'fence':
      case 'code_block':
        if (t.map) collectCode(doc, t, t.map);
        break;
      case 'html_block':
        if (t.map) markCodeLines(doc, t.map);
        break;
      case 'table_open':
        if (t.map) collectTable(doc, tokens, i, t.map);
        break;
    }
  }
}

function collectHeading(doc: ParsedDocument, t: Token, inline: Token | undefined): void {
  const line = t.map ? t.map[0] : 0;
  const src = doc.lines[line] ?? '';
  const content = inline?.content ?? '';
  const text = headingContentText(content);
  let start = t.markup.startsWith('#') ? headingTextStart(src) : 0;
  let end = Math.max(start, headingTextEnd(src));
  // HTML comments are no part of a heading's text, nor of its range (`## Scope <!-- phasegate-disable-line … -->`);
  // only a heading that has `<!--` is read for them (performance only).
  if (content.includes('<!--')) {
    const comments = inlineComments(src, start, end);
    for (let i = 0; i < comments.length && comments[i][0] === start; i++) start = skipSpaces(src, comments[i][1]);
    for (let i = comments.length - 1; i >= 0 && comments[i][1] === end && comments[i][0] >= start; i--) {
      end = comments[i][0];
      while (end > start && isSpace(src.charCodeAt(end - 1))) end--;
    }
  }
  // A setext heading's underline is the last line of its map.
  const endLine = t.map ? Math.max(line, t.map[1] - 1) : line;
  doc.headings.push(new HeadingNode(t.tag.charCodeAt(1) - 48, text, line, endLine, src.length, start, Math.max(start, end)));
}

/**
 * A heading's text (`Heading.text`) from markdown-it's content of it: trimmed, an escaped run of `#` that ends it read as
 * it reads (`C \#` is `C #`), its HTML comments left out (`## Scope <!-- note -->` is `Scope`).
 */
export function headingContentText(content: string): string {
  let text = content.trim();
  if (text.endsWith('#')) text = unescapedHeadingEnd(text);
  return text.includes('<!--') ? withoutComments(text, inlineComments(text)) : text;
}

/**
 * The HTML comments of inline Markdown `src[from, to)`, as [start, end) offsets, in order: those markdown-it
 * finds there (`<!-- … -->`, `<!-->`, `<!--->`), not in a code span, after a backslash or inside an HTML
 * tag; as markdown-it, after an unclosed comment, processing instruction, declaration or CDATA section,
 * only the short `<!-->` and `<!--->`. (Within a link, `[a](b "<!--x-->")`, markdown-it may read
 * otherwise: headings have no such links.)
 */
export function inlineComments(src: string, from = 0, to = src.length): [number, number][] {
  const out: [number, number][] = [];
  let unclosed = false;
  let i = from;
  while (i < to) {
    const c = src.charCodeAt(i);
    if (c === 92) {
      // A backslash escapes the next character (`\<`, `` \` ``).
      i += 2;
    } else if (c === 96) {
      i = codeSpanEnd(src, i, to);
    } else if (c !== 60 || i + 2 >= to) {
      i++;
    } else if (src.charCodeAt(i + 1) === 33 || src.charCodeAt(i + 1) === 63) {
      const end = specialEnd(src, i, to, unclosed);
      if (end === -1) unclosed = true;
      if (end > i && src.startsWith('<!--', i)) out.push([i, end]);
      i = end > i ? end : i + 1;
    } else {
      const d = src.charCodeAt(i + 1);
      const n = d === 47 || isAsciiLetter(d) ? htmlTagLength(src, i, to) : 0;
      i = n > 0 ? i + n : i + 1;
    }
  }
  return out;
}

function isAsciiLetter(c: number): boolean {
  const l = c | 0x20;
  return l >= 97 && l <= 122;
}

/** After the code span that the backticks at `i` open, or after those backticks when none closes them (as markdown-it). */
function codeSpanEnd(src: string, i: number, to: number): number {
  let open = i;
  while (open < to && src.charCodeAt(open) === 96) open++;
  const length = open - i;
  for (let at = src.indexOf('`', open); at >= 0 && at < to; at = src.indexOf('`', at)) {
    const start = at;
    while (at < to && src.charCodeAt(at) === 96) at++;
    if (at - start === length) return at;
  }
  return open;
}

/**
 * The end of markdown-it's comment, CDATA section, processing instruction or declaration at `i` (`<!` or
 * `<?`, markdown-it's `scanSpecial`): -2 when there is none (`<!x`), -1 when it is not closed or, after an
 * unclosed one (`unclosed`), not a short comment.
 */
function specialEnd(src: string, i: number, to: number, unclosed: boolean): number {
  let start: number;
  let terminator: string;
  if (src.startsWith('<!--', i)) {
    if (i + 4 < to && src.charCodeAt(i + 4) === 62) return i + 5;
    if (i + 5 < to && src.startsWith('->', i + 4)) return i + 6;
    start = i + 4;
    terminator = '-->';
  } else if (src.startsWith('<![CDATA[', i)) {
    start = i + 9;
    terminator = ']]>';
  } else if (src.charCodeAt(i + 1) === 63) {
    start = i + 2;
    terminator = '?>';
  } else if (isAsciiLetter(src.charCodeAt(i + 2))) {
    start = i + 3;
    terminator = '>';
  } else {
    return -2;
  }
  if (unclosed) return -1;
  const end = src.indexOf(terminator, start);
  return end < 0 || end + terminator.length > to ? -1 : end + terminator.length;
}

/** `text` without the comments at `comments` (from `inlineComments`); the white space around one is kept once. */
function withoutComments(text: string, comments: [number, number][]): string {
  let out = '';
  let at = 0;
  for (const [a, b] of comments) {
    out += text.slice(at, a);
    at = b;
    if (out === '' || isSpace(out.charCodeAt(out.length - 1))) at = skipSpaces(text, at);
  }
  return (out + text.slice(at)).trim();
}

/** The `>` markers of a block quote at the start of a line (nested ones too), each with the space after it. */
const BLOCK_QUOTE_RE = /^(?: {0,3}>[ \t]?)+/;

function collectItem(doc: ParsedDocument, map: [number, number], lists: boolean[]): void {
  const line = map[0];
  const src = doc.lines[line] ?? '';
  // An item in a block quote (`> - [ ] Peer review`) is read after the quote's `>` markers.
  const quoted = src.charCodeAt(0) === 62 || (src.charCodeAt(0) === 32 && BLOCK_QUOTE_RE.test(src));
  const q = quoted ? (BLOCK_QUOTE_RE.exec(src)?.[0].length ?? 0) : 0;
  let col = q + listMarkerEnd(q ? src.slice(q) : src);
  let rest = src.slice(col);
  let checked: boolean | undefined;
  let boxStart = -1;
  if (taskBoxLength(rest)) {
    checked = rest.charCodeAt(1) !== 32;
    boxStart = col;
    const skip = skipSpaces(rest, 3);
    col += skip;
    rest = rest.slice(skip);
  }
  const depth = lists.length;
  doc.items.push(
    new ListItemNode(
      line,
      Math.max(line, map[1] - 1),
      rest.trimEnd(),
      col,
      src.length,
      depth > 0 && lists[depth - 1],
      Math.max(0, depth - 1),
      checked,
      boxStart,
    ),
  );
}

function markCodeLines(doc: ParsedDocument, map: [number, number]): void {
  for (let l = map[0]; l < map[1]; l++) doc.codeLines.add(l);
}

function collectCode(doc: ParsedDocument, t: Token, map: [number, number]): void {
  markCodeLines(doc, map);
  doc.codeBlocks.push({ info: t.info.trim(), content: t.content, line: map[0], endLine: map[1] - 1, section: undefined });
}

function collectTable(doc: ParsedDocument, tokens: Token[], i: number, map: [number, number]): void {
  const { lines } = doc;
  // The row right after `thead_open` is the header (a table has one); the others are its rows.
  let headerLine = -1;
  const rows: TableRowNode[] = [];
  for (let j = i + 1; j < tokens.length && tokens[j].type !== 'table_close'; j++) {
    const r = tokens[j];
    if (r.type !== 'tr_open' || !r.map) continue;
    if (headerLine < 0 && tokens[j - 1]?.type === 'thead_open') headerLine = r.map[0];
    else rows.push(new TableRowNode(r.map[0], lines));
  }
  doc.tables.push(new TableNode(map[0], map[1] - 1, headerLine, rows, lines));
}

/**
 * `text` as an ATX heading's text that reads back as it is: a run of `#` that ends it after a blank, or that is all of
 * it (`C #`, `#`), would be read as the heading's closing sequence and dropped; its first `#` is escaped (`C \#`).
 */
/**
 * The index in `doc.items` of the first item that starts on `line`, or -1: a binary search, the items being in line
 * order (a fix asked for each of thousands of problems looked through every item for each).
 */
export function itemIndexAt(doc: Pick<ParsedDocument, 'items'>, line: number): number {
  const i = lowerBound(doc.items, (it) => it.line < line);
  return doc.items[i]?.line === line ? i : -1;
}

export function headingText(text: string): string {
  const m = /(^|[ \t])(#+[ \t]*)$/.exec(text);
  return m ? `${text.slice(0, m.index + m[1].length)}\\${m[2]}` : text;
}

/** A heading's text (markdown-it's, escapes kept) with an escaped run of `#` that ends it (`C \#`, as `headingText` writes it) read as it reads: `C #`. */
function unescapedHeadingEnd(text: string): string {
  const m = /(^|[ \t])\\(#+)$/.exec(text);
  return m ? text.slice(0, m.index + m[1].length) + m[2] : text;
}

/** Length of a heading line without its closing `#` sequence and trailing white space (as `/\s+#+\s*$/`, then `/\s+$/`, removed). */
export function headingTextEnd(src: string): number {
  const t = src.trimEnd();
  let h = t.length;
  while (h > 0 && t.charCodeAt(h - 1) === 35) h--;
  if (h === t.length) return t.length;
  const before = t.slice(0, h).trimEnd();
  return before.length < h ? before.length : t.length;
}

const LIST_MARKER_RE = /^(\s*(?:[-*+]|\d+[.)])\s+)/;

/** Column after a list item's marker and the white space after it (the indentation when there is no marker). */
export function listMarkerEnd(src: string): number {
  // A marker right at the start, then one space (the common case), is read without the regex (performance only).
  const c = src.charCodeAt(0);
  const d = src.charCodeAt(2);
  if ((c === 45 || c === 42 || c === 43) && src.charCodeAt(1) === 32 && d > 32 && d < 127) return 2;
  const m = LIST_MARKER_RE.exec(src);
  return m ? m[1].length : src.length - src.trimStart().length;
}

/**
 * The cells of a table row, as markdown-it (GFM) splits them: at every `|` not right after a backslash,
 * inside a code span too (`` `a|b` `` is two cells; `` `a\|b` `` one, whose text is `` `a|b` ``).
 */
function splitRow(lines: string[], line: number): TableCell[] {
  const src = lines[line] ?? '';
  const cells: TableCell[] = [];
  // After a block quote's markers (`> | a | b |`: no cell of its own), then a leading `|` (`/^\s*\|/`), if there is one.
  let quoted = 0;
  let start = skipSpaces(src, 0);
  while (src.charCodeAt(start) === 62) start = quoted = skipSpaces(src, start + 1);
  start = src.charCodeAt(start) === 124 ? start + 1 : quoted;
  for (let i = src.indexOf('|', start); i >= 0; i = src.indexOf('|', i + 1)) {
    // `\|` is no separator, whatever comes before the backslash (`\\|` neither).
    if (src.charCodeAt(i - 1) === 92) continue;
    pushCell(cells, src, line, start, i);
    start = i + 1;
  }
  if (src.slice(start).trim() !== '') pushCell(cells, src, line, start, src.length);
  return cells;
}

function pushCell(cells: TableCell[], src: string, line: number, a: number, b: number): void {
  const raw = src.slice(a, b);
  const l = raw.length - raw.trimStart().length;
  const text = raw.trim();
  cells.push(new TableCellNode(text.includes('\\|') ? text.replace(/\\\|/g, '|') : text, line, a + l, a + l + text.length));
}

function buildSections(doc: ParsedDocument): void {
  const { headings, lines } = doc;
  const stack: number[] = [];
  for (let idx = 0; idx < headings.length; idx++) {
    const h = headings[idx];
    let end = lines.length;
    for (let j = idx + 1; j < headings.length; j++) {
      if (headings[j].level <= h.level) {
        end = headings[j].line;
        break;
      }
    }
    const ownEnd = idx + 1 < headings.length ? Math.min(end, headings[idx + 1].line) : end;
    while (stack.length && headings[stack[stack.length - 1]].level >= h.level) stack.pop();
    const parent = stack.length ? stack[stack.length - 1] : undefined;
    const section = new SectionNode(h, normalizeTitle(h.text), end, ownEnd, parent, lines);
    if (parent !== undefined) doc.sections[parent].children.push(idx);
    doc.sections.push(section);
    stack.push(idx);
  }
  // The lines of the headings (a setext heading's underline too) are skipped: a section whose only lines
  // are its subsections' headings is empty; a `# …` line that is no heading (in a code block) is text.
  // Headings are in document order and their lines do not overlap: those below a section's heading are
  // met in order (performance only: no set of heading lines).
  for (let idx = 0; idx < doc.sections.length; idx++) {
    const s = doc.sections[idx];
    let inComment = false;
    let next = idx + 1;
    for (let l = s.bodyStart; l < s.end; l++) {
      let src = lines[l] ?? '';
      if (inComment) {
        const c = src.indexOf('-->');
        if (c < 0) continue;
        inComment = false;
        src = src.slice(c + 3);
      }
      if (src.includes('<!--')) {
        src = replaceComments(src, () => '');
        const open = src.indexOf('<!--');
        if (open >= 0) {
          inComment = true;
          src = src.slice(0, open);
        }
      }
      while (next < headings.length && headings[next].endLine < l) next++;
      if (next < headings.length && headings[next].line <= l) continue;
      if (!isBlank(src)) {
        s.isEmpty = false;
        if (!showsNothingWritten(src)) {
          s.nothingWritten = false;
          break;
        }
      }
    }
  }
}

/**
 * A line that shows nothing written: an empty list item or task (`-`, `1.`, `- [ ]`), a thematic break (`---`,
 * `* * *`) or a non-breaking space alone (`&nbsp;`), blanks around it.
 */
const NOTHING_WRITTEN = /^\s*(?:(?:[-*+]|\d{1,9}[.)])(?:\s+\[[ xX]\])?|[-*_](?:[ \t]*[-*_]){2,}|&nbsp;)\s*$/;

/** Whether a non-blank line, its comments taken out, shows nothing written (NOTHING_WRITTEN). */
function showsNothingWritten(src: string): boolean {
  let i = 0;
  while (i < src.length && (src.charCodeAt(i) === 32 || src.charCodeAt(i) === 9)) i++;
  const c = src.charCodeAt(i);
  // What such a line starts with: `-`, `*`, `+`, `_`, `&` or a digit (performance only: most start with a letter).
  if (c !== 45 && c !== 42 && c !== 43 && c !== 95 && c !== 38 && (c < 48 || c > 57)) return false;
  return NOTHING_WRITTEN.test(src);
}

/** Whether `s` is white space only (`s.trim() === ''`, without making the trimmed string). */
function isBlank(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (!isSpace(s.charCodeAt(i))) return false;
  return true;
}

/** Index of the innermost section holding `line`, if any. */
export function sectionAt(doc: ParsedDocument, line: number): number | undefined {
  const { sections } = doc;
  // Sections are in document order: the first whose heading is below the line, by halves (one call per
  // label, so not a walk over all sections each time); the innermost holding the line is the last above it that does.
  let lo = 0;
  let hi = sections.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sections[mid].heading.line > line) hi = mid;
    else lo = mid + 1;
  }
  for (let i = lo - 1; i >= 0; i--) if (line < sections[i].end) return i;
  return undefined;
}

function assignSections(doc: ParsedDocument): void {
  // Items, tables and code blocks are in document order, as are sections: one sweep each.
  const assign = <T extends { line: number; section: number | undefined }>(xs: T[]) => {
    let si = -1;
    for (const x of xs) {
      while (si + 1 < doc.sections.length && doc.sections[si + 1].heading.line <= x.line) si++;
      let s: number | undefined = si >= 0 ? si : undefined;
      while (s !== undefined && x.line >= doc.sections[s].end) s = doc.sections[s].parent;
      x.section = s;
    }
  };
  assign(doc.items);
  assign(doc.tables);
  assign(doc.codeBlocks);
}

/** What every link LINK_RE or AUTOLINK_RE finds holds. */
const LINK_HINT = /\]\(|<(?:https?|mailto|file):/g;

/**
 * Lines from `from` on, outside code blocks, where the global regex `hint` matches, in order: the
 * only lines a search for rare text needs to read (performance only: one search of the text instead
 * of a test per line). `hint` must not match across a line end.
 */
export function linesMatching(doc: ParsedDocument, hint: RegExp, from: number): number[] {
  const out: number[] = [];
  const { text, lines, codeLines } = doc;
  if (text.includes('\r')) {
    // Other line ends than '\n': the text's offsets are not those of `lines`; test line by line.
    for (let l = from; l < lines.length; l++) {
      hint.lastIndex = 0;
      if (!codeLines.has(l) && hint.test(lines[l])) out.push(l);
    }
    return out;
  }
  let line = 0;
  let lineStart = 0;
  hint.lastIndex = 0;
  for (let m = hint.exec(text); m; m = hint.exec(text)) {
    for (let nl = text.indexOf('\n', lineStart); nl >= 0 && nl < m.index; nl = text.indexOf('\n', lineStart)) {
      line++;
      lineStart = nl + 1;
    }
    if (line >= from && !codeLines.has(line)) out.push(line);
    // One entry per line: go on from the next line.
    const nl = text.indexOf('\n', m.index);
    if (nl < 0) break;
    line++;
    lineStart = nl + 1;
    hint.lastIndex = lineStart;
  }
  return out;
}

/** Whether an autolink's scheme (`http:`, `https:`, `mailto:`, `file:`) starts at `i`. */
function autolinkScheme(text: string, i: number): boolean {
  switch (text.charCodeAt(i)) {
    case 104:
      return text.startsWith('http:', i) || text.startsWith('https:', i);
    case 109:
      return text.startsWith('mailto:', i);
    case 102:
      return text.startsWith('file:', i);
    default:
      return false;
  }
}

/**
 * `linesMatching(doc, LINK_HINT, from)`, the text searched with indexOf instead of the regex (performance
 * only: the regex's alternation read every character of every document; test/unit/fast-paths-model.test.ts
 * holds the two equal).
 */
export function linkLines(doc: ParsedDocument, from: number): number[] {
  const { text, codeLines } = doc;
  if (text.includes('\r')) return linesMatching(doc, LINK_HINT, from);
  const out: number[] = [];
  // The next `](` and the next `<` followed by a scheme at or after where the search is, -1 when there is
  // none; each only moves forward, so the text is read once however the two interleave.
  let bracket = -2;
  let angle = -2;
  const next = (i: number): number => {
    if (bracket !== -1 && bracket < i) bracket = text.indexOf('](', i);
    if (angle !== -1 && angle < i) {
      angle = text.indexOf('<', i);
      while (angle >= 0 && !autolinkScheme(text, angle + 1)) angle = text.indexOf('<', angle + 1);
    }
    return angle < 0 ? bracket : bracket < 0 ? angle : Math.min(angle, bracket);
  };
  let line = 0;
  let lineStart = 0;
  for (let m = next(0); m >= 0; m = next(lineStart)) {
    for (let nl = text.indexOf('\n', lineStart); nl >= 0 && nl < m; nl = text.indexOf('\n', lineStart)) {
      line++;
      lineStart = nl + 1;
    }
    if (line >= from && !codeLines.has(line)) out.push(line);
    // One entry per line: go on from the next line.
    const nl = text.indexOf('\n', m);
    if (nl < 0) break;
    line++;
    lineStart = nl + 1;
  }
  return out;
}

function scanLinks(doc: ParsedDocument, fromLine: number): void {
  let si = -1;
  for (const l of linkLines(doc, fromLine)) {
    while (si + 1 < doc.sections.length && doc.sections[si + 1].heading.line <= l) si++;
    // A link in a code span or an HTML comment is text, not a link.
    const src = maskedProse(doc, l);
    let s: number | undefined = si >= 0 ? si : undefined;
    while (s !== undefined && l >= doc.sections[s].end) s = doc.sections[s].parent;
    LINK_RE.lastIndex = 0;
    for (let m = LINK_RE.exec(src); m; m = LINK_RE.exec(src)) {
      // An escaped bracket (`\[text](x.md)`) opens no link; a link may still start after it.
      const bracket = m.index + m[1].length;
      if (!m[1] && escaped(src, bracket)) {
        LINK_RE.lastIndex = bracket + 1;
        continue;
      }
      let target = m[3];
      // After the first `](` of the match and the white space after it (which a non-space ends within the match).
      let tOff = skipSpaces(src, m.index + m[0].indexOf('](') + 2);
      if (target.startsWith('<')) {
        target = target.slice(1, -1);
        tOff++;
      }
      doc.links.push(new LinkNode(m[2], target, l, s, m.index, m.index + m[0].length, tOff));
    }
    // An autolink starts with `<` (performance only: most link lines have none).
    if (!src.includes('<')) continue;
    AUTOLINK_RE.lastIndex = 0;
    for (let m = AUTOLINK_RE.exec(src); m; m = AUTOLINK_RE.exec(src)) {
      doc.links.push(new LinkNode(m[1], m[1], l, s, m.index, m.index + m[0].length, m.index + 1));
    }
  }
}

/** Columns of lines inside HTML comments that span lines, per document (see `spanningComments`). */
const spanningCache = new WeakMap<ParsedDocument, ReadonlyMap<number, [number, number]>>();
const NO_SPANS: ReadonlyMap<number, [number, number]> = new Map();
const COMMENT_HINT = /<!--/g;

/**
 * The inline HTML comments of a document that span lines (`text <!-- a note\n  on two lines -->`): for each
 * line they cover, the columns [from, to) inside one. A comment is closed within its paragraph: one whose
 * `-->` does not come before a blank line, a heading, a list item, a table or a code or HTML block is no
 * comment (its text is text). Comments within a line are left to `replaceComments`. In time linear in the
 * text: the lines a comment covers, or a paragraph without a `-->`, are read once.
 */
export function spanningComments(doc: ParsedDocument): ReadonlyMap<number, [number, number]> {
  // Asked for each line read as prose: the text is searched once per document (it was each time, over a
  // text without comments: a table of 20,000 rows took seconds).
  const known = spanningCache.get(doc);
  if (known) return known;
  if (!doc.text.includes('<!--')) {
    spanningCache.set(doc, NO_SPANS);
    return NO_SPANS;
  }
  const out = new Map<number, [number, number]>();
  const { lines, codeLines } = doc;
  const block = blockStarts(doc);
  // Where reading resumes: lines before `next` are read, and line `next` from column `col`.
  let next = 0;
  let col = 0;
  for (const l of linesMatching(doc, COMMENT_HINT, bodyStart(doc))) {
    if (l < next) continue;
    const src = maskInlineCode(lines[l]);
    let from = l === next ? col : 0;
    for (let open = src.indexOf('<!--', from); open >= 0; open = src.indexOf('<!--', from)) {
      const close = src.indexOf('-->', open + 4);
      if (close >= 0) {
        from = close + 3;
        continue;
      }
      // Not closed on its line: on a later line of its paragraph, if any (a heading or a table row has one line).
      let c = l + 1;
      let end = -1;
      if (block(l) !== 2) {
        for (; c < lines.length && !codeLines.has(c) && lines[c].trim() !== '' && !block(c); c++) {
          end = maskInlineCode(lines[c]).indexOf('-->');
          if (end >= 0) break;
        }
      }
      if (end >= 0) {
        out.set(l, [open, lines[l].length]);
        for (let k = l + 1; k < c; k++) out.set(k, [0, lines[k].length]);
        out.set(c, [0, end + 3]);
        col = end + 3;
      } else {
        // No later `<!--` of this paragraph is closed either.
        col = 0;
      }
      next = c;
      break;
    }
  }
  const spans = out.size ? out : NO_SPANS;
  spanningCache.set(doc, spans);
  return spans;
}

/**
 * A document's lines with a backtick, masked as maskedProse reads them (see `codeLines`): those a code span running
 * over several lines covers (`spanningCode`), and the others (`alone`).
 */
interface CodeLines {
  spans: ReadonlyMap<number, string>;
  alone: ReadonlyMap<number, string>;
}
const codeCache = new WeakMap<ParsedDocument, CodeLines>();
const NO_CODE: ReadonlyMap<number, string> = new Map();
const BACKTICK_HINT = /`/g;

/**
 * The lines of a document that a code span running over several lines of its paragraph covers (`` `a `` and
 * `` [x](y) b` `` on two lines are one span, CommonMark), each as `maskInlineCode` masks it with its paragraph:
 * blanked where a span covers it. A paragraph is read as `spanningComments` reads one: it ends at a blank line,
 * a heading, a list item, a table or a code or HTML block. Only a paragraph with a run of backticks its line does
 * not close is read whole; lines masked as their own line masks them are left out. In time linear in the text.
 */
export function spanningCode(doc: ParsedDocument): ReadonlyMap<number, string> {
  return codeLines(doc).spans;
}

/**
 * `spanningCode`'s lines, and the other lines with a backtick that it masked on their own (a line whose run of
 * backticks its line leaves open, the lines with backticks of its paragraph), per document: maskedProse reads them
 * from here, not masking them again (performance only: each was masked once more at every call, two or three times
 * in all).
 */
function codeLines(doc: ParsedDocument): CodeLines {
  const known = codeCache.get(doc);
  if (known) return known;
  const out = new Map<number, string>();
  // Lines masked on their own here that `out` leaves out, as maskInlineCode masks them.
  const alone = new Map<number, string>();
  const { lines } = doc;
  if (doc.text.includes('`')) {
    const block = blockStarts(doc);
    // Lines before `next` belong to a paragraph read already.
    let next = 0;
    for (const l of linesMatching(doc, BACKTICK_HINT, bodyStart(doc))) {
      if (l < next || block(l) === 2 || pairedBackticks(lines[l])) continue;
      const mine = maskInlineCode(lines[l]);
      const { from, to } = mine.includes('`') ? paragraphLines(doc, l, block)! : { from: l, to: l };
      if (to === from) {
        alone.set(l, mine);
        continue;
      }
      next = to + 1;
      const masked = maskInlineCode(lines.slice(from, to + 1).join('\n'));
      for (let k = from, at = 0; k <= to; at += lines[k].length + 1, k++) {
        const own = masked.slice(at, at + lines[k].length);
        // Line `l` is masked on its own once (it was twice).
        const itself = k === l ? mine : maskInlineCode(lines[k]);
        if (own !== itself) out.set(k, own);
        else if (lines[k].includes('`')) alone.set(k, itself);
      }
    }
  }
  const code = { spans: out.size ? out : NO_CODE, alone: alone.size ? alone : NO_CODE };
  codeCache.set(doc, code);
  return code;
}

/** A line that starts or goes on with a block quote (`> …`, indented up to three spaces). */
const QUOTE_LINE = /^ {0,3}>/;

/**
 * Lines that start a block of their own: a list item or a block quote's first line (1: the lines below it go on with
 * it), a heading or a table row (2, a block of one line); 0 for another line.
 */
function blockStarts(doc: ParsedDocument): (line: number) => 0 | 1 | 2 {
  let blocks: Map<number, 1 | 2> | undefined;
  return (l) => {
    if (!blocks) {
      blocks = new Map();
      for (const it of doc.items) blocks.set(it.line, 1);
      for (const h of doc.headings) blocks.set(h.line, 2);
      for (const t of doc.tables) for (let k = t.line; k <= t.endLine; k++) blocks.set(k, 2);
      // A block quote interrupts a paragraph (CommonMark): its lines, and those that go on with it lazily, are one,
      // up to a blank line, a code line or another block.
      const { lines, codeLines } = doc;
      let quoted = false;
      for (let k = bodyStart(doc); k < lines.length; k++) {
        if (blocks.has(k) || codeLines.has(k) || lines[k].trim() === '') quoted = false;
        else if (lines[k].includes('>') && QUOTE_LINE.test(lines[k]) && !quoted) {
          blocks.set(k, 1);
          quoted = true;
        }
      }
    }
    return blocks.get(l) ?? 0;
  };
}

/**
 * The first and last lines of the paragraph that holds `line`, as the engine reads one for what runs over its
 * lines (code spans, HTML comments): it ends at a blank line, a heading, a list item or a block quote (which start
 * one of their own), a table or a code or HTML block. A heading or a table row is a paragraph of its line; undefined for a
 * blank line or a line of code.
 */
export function paragraphLines(doc: ParsedDocument, line: number, block = blockStarts(doc)): { from: number; to: number } | undefined {
  const { lines, codeLines } = doc;
  const ends = (l: number) => codeLines.has(l) || lines[l].trim() === '';
  const body = bodyStart(doc);
  if (line < body || line >= lines.length || ends(line)) return undefined;
  if (block(line) === 2) return { from: line, to: line };
  let from = line;
  while (from > body && block(from) !== 1 && !ends(from - 1) && block(from - 1) !== 2) from--;
  let to = line;
  while (to + 1 < lines.length && !ends(to + 1) && !block(to + 1)) to++;
  return { from, to };
}

/**
 * Whether every run of backticks of `line` is a single one, none escaped, and they are even in number: each closes the one
 * before, and the line leaves no span open (the common `` `a` and `b` ``; performance only: what
 * `maskInlineCode` would tell without building the masked line).
 */
function pairedBackticks(line: string): boolean {
  let n = 0;
  for (let i = line.indexOf('`'); i >= 0; i = line.indexOf('`', i + 1)) {
    // An escaped one (`` \` ``) may leave the one after it open.
    if (line.charCodeAt(i + 1) === 96 || line.charCodeAt(i - 1) === 92) return false;
    n++;
  }
  return n % 2 === 0;
}

/** Line `line` of `doc` with its inline code spans (those that span lines too) and its HTML comments (those too) blanked, keeping columns. */
export function maskedProse(doc: ParsedDocument, line: number): string {
  const code = codeLines(doc);
  let src = code.spans.get(line) ?? code.alone.get(line) ?? maskInlineCode(doc.lines[line] ?? '');
  const span = spanningComments(doc).get(line);
  if (span) src = src.slice(0, span[0]) + ' '.repeat(span[1] - span[0]) + src.slice(span[1]);
  return src.includes('<!--') ? replaceComments(src, (c) => ' '.repeat(c.length)) : src;
}

/** Whether the character at `i` is escaped: an odd number of backslashes before it. */
function escaped(src: string, i: number): boolean {
  let n = 0;
  while (i - n - 1 >= 0 && src.charCodeAt(i - n - 1) === 92) n++;
  return n % 2 === 1;
}

/** The section titled `title` (see `normalizeTitle`: case, markup and punctuation aside). */
export function sectionByTitle(doc: ParsedDocument, title: string): Section | undefined {
  return sectionByKey(doc, normalizeTitle(title));
}

/**
 * The section whose key is `key` (see `normalizeTitle`). Only that key: `## Out of Scope` is not the
 * Scope section. A gate's checklist may also be a heading that ends with the gate's name (`## Peer Review`
 * for Review): gates.ts reads those, and the section rules ask it for them.
 */
export function sectionByKey(doc: Pick<ParsedDocument, 'sections'>, key: string): Section | undefined {
  const { sections } = doc;
  for (let i = 0; i < sections.length; i++) if (sections[i].key === key) return sections[i];
  return undefined;
}

/** Items in a section or its subsections. */
export function itemsWithin(doc: ParsedDocument, section: Section): ListItem[] {
  return doc.items.filter((it) => it.line > section.heading.line && it.line < section.end);
}

/**
 * `text` with each closed HTML comment (`<!--` to the nearest `-->`) replaced by what `by` makes of it;
 * an unclosed one is left as it is. By indexOf, in time linear in the text (a lazy regex is quadratic on
 * a line of many `<!--` without a `-->`).
 */
export function replaceComments(text: string, by: (comment: string) => string): string {
  let out = '';
  let at = 0;
  for (let open = text.indexOf('<!--'); open >= 0; open = text.indexOf('<!--', at)) {
    const end = text.indexOf('-->', open + 4);
    if (end < 0) break;
    out += text.slice(at, open) + by(text.slice(open, end + 3));
    at = end + 3;
  }
  return at === 0 ? text : out + text.slice(at);
}
