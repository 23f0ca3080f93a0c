/**
 * Unfilled placeholders: the `[Capitalised words]` our templates leave for the user, `{{ expressions }}`
 * a template engine did not render, and `TBD` / `TODO:` markers. Code blocks, inline code, links and
 * comments are not looked at. No quick fix: only the user can write the text.
 */
import * as YAML from 'yaml';
import { bodyStart, yamlOffsetRange } from '../markdown';
import type { Link, ListItem, ParsedDocument } from '../markdown';
import { lowerBound } from '../sorted';
import { range } from '../types';
import { numberTable } from '../tables';
import { NO_SPANS, PLACEHOLDER_HINT, bodyLinesMatching, linkSpans, maskedLine, referenceDefinitions, scanPlaceholders } from './doc-util';
import type { Rule, RuleContext } from './rule';

function message(kind: string, text: string): string {
  if (kind === 'handlebars') return `Template expression ${text} was not rendered: replace it with text.`;
  if (kind === 'marker') return `"${text}" marks text still to be written.`;
  return `Placeholder ${text} is not filled in.`;
}

const FM_PLACEHOLDER_HINT = /\[|\{\{|TBD|TODO/;

/** An item's text that may be a numbered filler: it ends with a number, or a number and a colon (performance only). */
export const FILLER_HINT = /\d[:*_\s]*$/;

/** White space as `\s` reads it, for a character beyond ASCII. */
const WIDE_SPACE = /\s/;

/**
 * `FILLER_HINT.test(text)`, by hand (performance only: the expression tries every digit of the text): the text
 * ends with a digit and then only `:`, `*`, `_` and white space.
 */
export function fillerHint(text: string): boolean {
  let i = text.length - 1;
  for (; i >= 0; i--) {
    const c = text.charCodeAt(i);
    if (c === 58 || c === 42 || c === 95 || c === 32 || (c >= 9 && c <= 13)) continue;
    if (c < 128 || !WIDE_SPACE.test(text[i])) break;
  }
  if (i < 0) return false;
  const c = text.charCodeAt(i);
  return c >= 48 && c <= 57;
}

/**
 * An item whose whole text is a numbered filler word of a template (`Prerequisite 1`, `Step 2`, `Question 1`,
 * `Artifact 1:`), markup aside: nothing of the item is written yet. `Step 1: run the migration` is written.
 */
export const FILLER_ITEM =
  /^\s*(?:\*\*|__|\*|_)?((prerequisite|step|question|input|output|artifact|deliverable|decision|risk|dependency|item)\s*#?\d+)(?:\*\*|__|\*|_)?\s*(?::\s*)?(?:(?:\*\*|__|\*|_)\s*)?$/i;

/**
 * The sections of a handoff where the phase system design's handoff template numbers its items as filler
 * (`- [ ] Prerequisite 1`, `1. Step 1`, `- Question 1`, `- Decision 1: …`, `- Risk 1: …`), by title key:
 * the output handoff's, and the input handoff's that its items are copied into. Elsewhere an item such as
 * `- Decision 2` (a cross-reference) or `1. Item 1` (an agenda) is the author's own text.
 */
const FILLER_SECTION_KEYS = new Set([
  'decisions made',
  'artifacts produced',
  'phase # prerequisites',
  'phase # inputs',
  'recommended next steps',
  'open questions',
  'risks and dependencies',
  'inputs received',
  'prerequisites',
]);
export const HANDOFF_KINDS: ReadonlySet<string> = new Set(['output-handoff', 'input-handoff']);

/**
 * The handoff template's guide items in its Summary and Critical Findings (`- Objectives achieved`, `- Issues
 * discovered`), by section key: an item that is one of them and nothing more (`- Issues discovered: 14 lint
 * errors` is written) says what to write, not what happened. No guide holds a `:` or `.` (see punctuatedBeforeEnd).
 */
const GUIDE_ITEMS = new Map<string, Set<string>>([
  ['phase # summary', new Set(['objectives achieved', 'key deliverables', 'metrics and kpis'])],
  ['critical findings', new Set(['issues discovered', 'risks identified', 'blockers resolved'])],
]);

/**
 * The lines of a handoff's filler sections (FILLER_SECTION_KEYS), below their headings, as `[from, to)` spans in line
 * order, apart (sections nest: an item in two of them is looked at once).
 */
function fillerSpans(doc: ParsedDocument): [number, number][] {
  const spans: [number, number][] = [];
  for (const sec of doc.sections) if (FILLER_SECTION_KEYS.has(sec.key)) spans.push([sec.heading.line + 1, sec.end]);
  if (spans.length < 2) return spans;
  spans.sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [spans[0]];
  for (let k = 1; k < spans.length; k++) {
    const last = out[out.length - 1];
    if (spans[k][0] <= last[1]) last[1] = Math.max(last[1], spans[k][1]);
    else out.push(spans[k]);
  }
  return out;
}

/** The index of a document's first item on `line` or below (items are in line order). */
function firstItemFrom(items: readonly ListItem[], line: number): number {
  return lowerBound(items, (it) => it.line < line);
}

/**
 * Whether `text` holds a `:` or `.` with a character after it that is neither markup (`*`, `_`, `` ` ``) nor
 * white space: the words a guide item is read as then hold it too, and no guide (GUIDE_ITEMS) does.
 */
export function punctuatedBeforeEnd(text: string): boolean {
  const colon = text.indexOf(':');
  const dot = text.indexOf('.');
  const first = colon < 0 ? dot : dot < 0 ? colon : Math.min(colon, dot);
  if (first < 0) return false;
  for (let k = text.length - 1; k > first; k--) {
    const c = text.charCodeAt(k);
    // Printable ASCII but the markup characters: neither removed nor trimmed (other characters may be white space).
    if (c > 32 && c < 127 && c !== 42 && c !== 95 && c !== 96) return true;
  }
  return false;
}

/** Whether an item has text on lines below its first (a continuation, nested items). */
function hasMoreLines(doc: ParsedDocument, it: ListItem): boolean {
  for (let l = it.line + 1; l <= it.endLine; l++) if ((doc.lines[l] ?? '').trim() !== '') return true;
  return false;
}

/**
 * The numbered filler word an item is, whole (`Decision 1`; group 1 the filler, group 2 its word), when it has no
 * lines below it (`1. Step 1` above what to do labels what follows); undefined for an item with text of its own.
 * In a handoff's filler sections (FILLER_SECTION_KEYS) such an item is reported here as the template's wording.
 */
export function fillerItem(doc: ParsedDocument, it: ListItem): RegExpExecArray | undefined {
  if (!fillerHint(it.text)) return undefined;
  const m = FILLER_ITEM.exec(it.text);
  return m && !hasMoreLines(doc, it) ? m : undefined;
}

const placeholders: Rule = {
  ids: ['unfilled-placeholder'],
  check(ctx: RuleContext) {
    const { doc } = ctx;
    // In YAML `[A, B]` is a list, not a placeholder: look inside string values only.
    const fm = doc.frontMatter;
    // Without `[`, `{{`, `TBD` or `TODO` in the raw YAML no scalar can hold a placeholder: the YAML
    // Document (built on demand) is not needed (performance only).
    if (fm && FM_PLACEHOLDER_HINT.test(fm.raw) && fm.yaml) {
      const { raw } = fm;
      YAML.visit(fm.yaml, {
        Scalar(key, node) {
          if (key === 'key' || typeof node.value !== 'string' || !node.range) return;
          const [a, b] = node.range;
          for (const p of scanPlaceholders(raw.slice(a, b))) {
            ctx.report('unfilled-placeholder', yamlOffsetRange(doc.lines, 1, raw, a + p.start, a + p.end), message(p.kind, p.text));
          }
        },
      });
    }
    // Items the handoff template of the phase system design numbers as filler (`- [ ] Prerequisite 1`, `1. Step 1`, `- Question 1`).
    if (ctx.spec && HANDOFF_KINDS.has(ctx.spec.kind)) {
      const { items } = doc;
      for (const [from, to] of fillerSpans(doc)) {
        for (let i = firstItemFrom(items, from); i < items.length && items[i].line < to; i++) {
          const it = items[i];
          const m = fillerItem(doc, it);
          if (!m) continue;
          ctx.report('unfilled-placeholder', it.textRange, `"${m[1]}" is the template's wording: replace it with the ${m[2].toLowerCase()} itself.`);
        }
      }
    }
    if (ctx.spec?.kind === 'output-handoff') {
      const { items } = doc;
      for (const sec of doc.sections) {
        const guides = GUIDE_ITEMS.get(sec.key);
        if (!guides) continue;
        for (let i = firstItemFrom(items, sec.heading.line + 1); i < items.length && items[i].line < sec.end; i++) {
          const it = items[i];
          // An item with more lines (a guide word above what it stands for) is written.
          if (hasMoreLines(doc, it)) continue;
          // A `:` or `.` before the end of its words: not a guide, which has neither (performance only).
          if (punctuatedBeforeEnd(it.text)) continue;
          // Its trailing `:` or `.` dropped after its trailing spaces (by hand: `/[:.]?\s*$/` is quadratic on a long run of spaces).
          const bare = it.text.replace(/[*_`]/g, '').trimEnd();
          const words = (bare.endsWith(':') || bare.endsWith('.') ? bare.slice(0, -1) : bare).trim();
          if (!guides.has(ampersandsAsAnd(words.toLowerCase()))) continue;
          ctx.report('unfilled-placeholder', it.textRange, `"${words}" is the template's wording: write what it stands for (\`${words}: …\`).`);
        }
      }
    }
    let refs: Set<string> | undefined;
    for (const l of placeholderLines(doc)) {
      refs ??= new Set(referenceDefinitions(doc).keys());
      for (const p of scanPlaceholders(maskedLine(doc, l), refs)) ctx.report('unfilled-placeholder', range(l, p.start, l, p.end), message(p.kind, p.text));
    }
  },
};

/**
 * The lines where a placeholder may be: those of `bodyLinesMatching(doc, PLACEHOLDER_HINT)` (body lines outside code
 * blocks where the hint matches), less those where each match of the hint starts in a link of the line (`maskedLine`
 * blanks links, and masking only ever removes text: a placeholder starts where the hint matches, unmasked).
 * The matches are found by indexOf (performance only: the expression stops at every `T`, `[` and `{` of the text,
 * and most lines it finds hold links alone).
 */
export function placeholderLines(doc: ParsedDocument): number[] {
  const { text, lines, codeLines, links } = doc;
  // How many times `[A-Z` is in the text.
  let brackets = 0;
  for (let i = text.indexOf('['); i >= 0; i = text.indexOf('[', i + 1)) {
    const c = text.charCodeAt(i + 1);
    if (c >= 65 && c <= 90) brackets++;
  }
  const markers = text.includes('{{') || text.includes('TBD') || text.includes('TODO:');
  if (!markers && linksStartAll(links, brackets)) return [];
  // Other line ends than '\n': the text's offsets are not those of `lines`.
  if (text.includes('\r')) return bodyLinesMatching(doc, PLACEHOLDER_HINT);
  // Every match of the hint, in text order: counted, then written in a table of that size (see numberTable).
  let count = brackets;
  if (markers) for (const marker of MARKERS) for (let i = text.indexOf(marker); i >= 0; i = text.indexOf(marker, i + 1)) count++;
  const hits = numberTable(count);
  let k = 0;
  if (brackets) {
    for (let i = text.indexOf('['); i >= 0; i = text.indexOf('[', i + 1)) {
      const c = text.charCodeAt(i + 1);
      if (c >= 65 && c <= 90) hits[k++] = i;
    }
  }
  if (markers) for (const marker of MARKERS) for (let i = text.indexOf(marker); i >= 0; i = text.indexOf(marker, i + 1)) hits[k++] = i;
  if (count > 1 && markers) hits.sort((a, b) => a - b);
  const out: number[] = [];
  const from = bodyStart(doc);
  // The line that holds offset `h`: its first offset `start`, and `end`, that of the '\n' after it (or the text's end).
  let line = 0;
  let start = 0;
  let end = lines[0]?.length ?? 0;
  let link = 0;
  let last = -1;
  // The links of the line whose matches are looked at.
  let spansLine = -1;
  let spans = new SpanCursor(NO_SPANS);
  for (const h of hits) {
    while (h > end && line + 1 < lines.length) {
      start = end + 1;
      line++;
      end = start + lines[line].length;
    }
    if (line === last || line < from || codeLines.has(line)) continue;
    if (spansLine !== line) {
      while (link < links.length && links[link].line < line) link++;
      let to = link;
      while (to < links.length && links[to].line === line) to++;
      spans = new SpanCursor(linkSpans(links, link, to));
      spansLine = line;
    }
    if (spans.has(h - start)) continue;
    out.push(line);
    last = line;
  }
  return out;
}

/**
 * Whether columns asked in increasing order are in one of `spans` (see linkSpans): each span is passed once
 * (performance only; linear in a line of many links).
 */
export class SpanCursor {
  private k = 0;

  constructor(private readonly spans: ArrayLike<number>) {}

  /** Whether column `at`, not before any asked earlier, is in a span. */
  has(at: number): boolean {
    const { spans } = this;
    while (this.k < spans.length && spans[this.k + 1] <= at) this.k += 2;
    return this.k < spans.length && spans[this.k] <= at;
  }
}

const MARKERS = ['{{', 'TBD', 'TODO:'];

/**
 * Whether the links of a document whose text has `brackets` matches of `[A-Z` start at every one of them. Each
 * link whose text starts with `A`–`Z` starts at one (its `[`, after `!` for an image, and its text's first letter
 * are the document's own: the links are read in prose with code and comments blanked, which only ever removes
 * text), and no two at the same: when there are as many such links as matches, every match starts one, inside its
 * range, which `maskedLine` blanks.
 */
function linksStartAll(links: readonly Link[], brackets: number): boolean {
  if (links.length < brackets) return false;
  let n = 0;
  for (let i = 0; i < links.length; i++) {
    const c = links[i].text.charCodeAt(0);
    if (c >= 65 && c <= 90) n++;
  }
  return n === brackets;
}

// `a & b` as `a and b`: each `&` with the white space around it replaced, as the expression `\s*&\s*` (global) would
// replace it, by hand: that expression is quadratic on a long run of spaces.
/** `a & b` as `a and b`. */
export function ampersandsAsAnd(s: string): string {
  if (!s.includes('&')) return s;
  const parts = s.split('&');
  return parts
    .map((p, i) => (i > 0 ? p.trimStart() : p))
    .map((p, i) => (i < parts.length - 1 ? p.trimEnd() : p))
    .join(' and ');
}

export const PLACEHOLDER_RULES: Rule[] = [placeholders];
