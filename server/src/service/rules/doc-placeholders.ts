/**
 * Unfilled placeholders: the `[Capitalised words]` our templates leave for the user, `{{ expressions }}`
 * a template engine did not render, and `TBD` / `TODO:` markers. Code blocks, inline code, links and
 * comments are not looked at. No quick fix: only the user can write the text.
 */
import * as YAML from 'yaml';
import { yamlOffsetRange } from '../markdown';
import type { ListItem, ParsedDocument } from '../markdown';
import { range } from '../types';
import { PLACEHOLDER_HINT, bodyLinesMatching, maskedLine, referenceDefinitions, scanPlaceholders } from './doc-util';
import type { Rule, RuleContext } from './rule';

function message(kind: string, text: string): string {
  if (kind === 'handlebars') return `Template expression ${text} was not rendered: replace it with text.`;
  if (kind === 'marker') return `"${text}" marks text still to be written.`;
  return `Placeholder ${text} is not filled in.`;
}

const FM_PLACEHOLDER_HINT = /\[|\{\{|TBD|TODO/;

/** An item's text that may be a numbered filler: it ends with a number, or a number and a colon (performance only). */
const FILLER_HINT = /\d[:*_\s]*$/;

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
 * errors` is written) says what to write, not what happened.
 */
const GUIDE_ITEMS = new Map<string, Set<string>>([
  ['phase # summary', new Set(['objectives achieved', 'key deliverables', 'metrics and kpis'])],
  ['critical findings', new Set(['issues discovered', 'risks identified', 'blockers resolved'])],
]);

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
  if (!FILLER_HINT.test(it.text)) return undefined;
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
    const fillerSections = ctx.spec && HANDOFF_KINDS.has(ctx.spec.kind) ? doc.sections.filter((sec) => FILLER_SECTION_KEYS.has(sec.key)) : [];
    for (const it of fillerSections.length ? doc.items : []) {
      if (!FILLER_HINT.test(it.text)) continue;
      if (!fillerSections.some((sec) => sec.heading.line < it.line && it.line < sec.end)) continue;
      const m = fillerItem(doc, it);
      if (!m) continue;
      ctx.report('unfilled-placeholder', it.textRange, `"${m[1]}" is the template's wording: replace it with the ${m[2].toLowerCase()} itself.`);
    }
    if (ctx.spec?.kind === 'output-handoff') {
      for (const sec of doc.sections) {
        const guides = GUIDE_ITEMS.get(sec.key);
        if (!guides) continue;
        for (const it of doc.items) {
          if (it.line <= sec.heading.line || it.line >= sec.end) continue;
          // An item with more lines (a guide word above what it stands for) is written.
          if (hasMoreLines(doc, it)) continue;
          // Its trailing `:` or `.` dropped after its trailing spaces (by hand: `/[:.]?\s*$/` is quadratic on a long run of spaces).
          const bare = it.text.replace(/[*_`]/g, '').trimEnd();
          const words = (bare.endsWith(':') || bare.endsWith('.') ? bare.slice(0, -1) : bare).trim();
          if (!guides.has(ampersandsAsAnd(words.toLowerCase()))) continue;
          ctx.report('unfilled-placeholder', it.textRange, `"${words}" is the template's wording: write what it stands for (\`${words}: …\`).`);
        }
      }
    }
    let refs: Set<string> | undefined;
    for (const l of bodyLinesMatching(doc, PLACEHOLDER_HINT)) {
      refs ??= new Set(referenceDefinitions(doc).keys());
      for (const p of scanPlaceholders(maskedLine(doc, l), refs)) ctx.report('unfilled-placeholder', range(l, p.start, l, p.end), message(p.kind, p.text));
    }
  },
};

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
