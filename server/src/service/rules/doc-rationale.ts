/**
 * Decisions need a rationale and risks a mitigation: `Decision: what → why` items (or `what — a reason of some
 * words`) in a handoff and in the decisions file, decision tables with a Rationale column, `### Decision N`
 * subsections of the decisions file with their `**Rationale**:` or, as ADRs, a filled Context and Consequences;
 * `Risk: impact - mitigation` items, risk tables with a Mitigation column, `### Risk` subsections with
 * `**Mitigation**:`.
 */
import { ListItem, ParsedDocument, Section, TableCell, maskInlineCode, normalizeTitle, sectionByTitle } from '../markdown';
import { range } from '../types';
import { topItems } from '../handoff';
import { itemBody, withoutPlaceholders } from './doc-util';
import { HANDOFF_KINDS, fillerItem } from './doc-placeholders';
import type { Rule, RuleContext } from './rule';
import { linksAsText } from '../text-scan';
import { Memo } from '../memo';

/** Items that say there is nothing to list. */
const NOTHING_RE = /^(?:none|n\/a|nothing|no (?:decisions?|risks?)\b.*)\.?$/i;

/** `→ why` or `-> why`, with text after the arrow. */
const ARROW_RE = /(?:→|->|⟶|=>)\s*\S/;

/**
 * The labels a decision's rationale goes by (a `findLabel` pattern): `**Rationale**:`, and the words a decision
 * table's rationale column may have (`**Why**:`, `**Reason**:`, `**Reasoning**:`, `**Justification**:`).
 */
export const RATIONALE_LABEL = '(?:rationale|reasons?|reasoning|why|justification)';
/** The title keys of a decision's rationale subsection (`#### Rationale`, `#### Why`). */
const RATIONALE_TITLES = ['Rationale', 'Reason', 'Reasons', 'Reasoning', 'Why', 'Justification'];

/**
 * Whether a decision item's text gives its reason by an arrow (`→ why`), a `because`, or a rationale label
 * with something after it (`Rationale: …`, `reason: …`, `Why: …`; not the label alone).
 */
export function givesReason(body: string): boolean {
  return arrowReason(body) || /\b(?:rationale|because|reason)\b\s*(?::\s*)?[^\s:]/i.test(body) || /\b(?:why|reasoning|justification)\s*:\s*\S/i.test(body);
}

/** The words that lead into a reason without giving one: `→ because` alone is no rationale. */
const CONNECTIVE = /^(?:because|since|as|so|why|reason|reasons|due to|given|for)$/;

/**
 * Whether an arrow gives a reason: something after it (`→ fewer tools`), not a connective alone (`→ because`,
 * `→ since`) nor punctuation alone (`→ .`), markup aside; a placeholder after it is unfilled-placeholder's.
 */
export function arrowReason(body: string): boolean {
  const m = ARROW_RE.exec(body);
  if (!m) return false;
  // Eight ASCII letters or digits after it make words longer than any connective (performance only: the reason most
  // items give; what the reading below finds too).
  let alnum = 0;
  for (let i = m.index + m[0].length - 1; i < body.length; i++) {
    const c = body.charCodeAt(i);
    const lower = c | 0x20;
    if (((lower >= 0x61 && lower <= 0x7a) || (c >= 0x30 && c <= 0x39)) && ++alnum >= 8) return true;
  }
  const after = body.slice(m.index + m[0].length - 1);
  // A placeholder or a link there (`→ [Why]`, `→ [ADR-4](adr/4.md)`) is another rule's to judge, or a reason.
  if (after.includes('[') || after.includes('{{')) return true;
  const words = after
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w !== '')
    .join(' ')
    .toLowerCase();
  return words !== '' && !CONNECTIVE.test(words);
}

/** An item whose only text after its arrow is the template's word `Rationale` (markup and a full stop aside). */
const TEMPLATE_RATIONALE_RE = /(?:→|->|⟶|=>)\s*(?:\*\*|__|\*|_)?rationale(?:\*\*|__|\*|_)?\.?\s*$/i;

function short(text: string): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > 60 ? t.slice(0, 57) + '…' : t;
}

/** A line without its block quote markers (`> > text` is `text`). */
function unquoted(line: string): string {
  return line.includes('>') ? line.replace(/^\s*(?:>\s?)+/, '') : line;
}

/**
 * `**Label**: text`, `**Label:** text`, `*Label*: text` or `Label: text` lines, in a block quote too (`> **Label**: text`);
 * returns the text after the label (may be empty).
 */
export function labelledLine(line: string, label: string): string | undefined {
  const m = labelPatterns.get(label).exec(line);
  return m ? m[1].trim() : undefined;
}

/** The pattern of each label (performance only: a few labels, tried on many lines). */
const labelPatterns = new Memo(
  64,
  (label) => new RegExp(`^\\s*(?:>\\s*)*(?:[-*+]\\s+)?(?:\\*\\*|__|\\*|_)?${label}(?:\\*\\*|__|\\*|_)?\\s*:\\s*(?:\\*\\*|__|\\*|_)?(.*)$`, 'i'),
);

/** The pattern of each label followed by a dash and text (`**Rationale** — cheap and fast`), as labelledLine's. */
const dashedPatterns = new Memo(
  64,
  (label) => new RegExp(`^\\s*(?:>\\s*)*(?:[-*+]\\s+)?(?:\\*\\*|__|\\*|_)?${label}(?:\\*\\*|__|\\*|_)?\\s+(?:--|[-–—])\\s+(?:\\*\\*|__|\\*|_)?(\\S.*)$`, 'i'),
);

/**
 * `labelledLine`, and, when `dashed`, a label followed by a dash and text (`**Rationale** — cheap and fast`, as a
 * decision item gives its reason after a dash): the text after the dash. A dash with nothing after it is no label.
 */
function labelOrDashed(line: string, label: string, dashed: boolean): string | undefined {
  const rest = labelledLine(line, label);
  if (rest !== undefined || !dashed || !(line.includes('-') || line.includes('–') || line.includes('—'))) return rest;
  const m = dashedPatterns.get(label).exec(line);
  return m ? m[1].trim() : undefined;
}

/**
 * Line of the first `**Label**:` in [from, to), and whether it has text (on its line or the next non-blank one); with
 * `dashed`, `**Label** — text` counts too (see labelOrDashed).
 */
export function findLabel(doc: ParsedDocument, from: number, to: number, label: string, dashed = false): { line: number; filled: boolean } | undefined {
  for (let l = from; l < to; l++) {
    if (doc.codeLines.has(l)) continue;
    const rest = labelOrDashed(doc.lines[l], label, dashed);
    if (rest === undefined) continue;
    if (rest !== '') return { line: l, filled: true };
    let n = l + 1;
    while (n < to && unquoted(doc.lines[n]).trim() === '') n++;
    const next = n < to ? unquoted(doc.lines[n]) : '';
    // Text under an empty label counts, unless it is the next heading or another label.
    const filled = next.trim() !== '' && !/^\s*#/.test(next) && !/^\s*(?:[-*+]\s+)?(?:\*\*|__)?[A-Z][\w ]{0,30}(?:\*\*|__)?\s*:/.test(next);
    return { line: l, filled };
  }
  return undefined;
}

/** A non-empty subsection of `section` whose title is `title`. */
function hasSubsection(doc: ParsedDocument, section: Section, title: string): boolean {
  const key = normalizeTitle(title);
  return section.children.some((c) => doc.sections[c].key === key && !doc.sections[c].isEmpty);
}

/**
 * Decision subsections of a decisions file, as the template writes them: `### Decision 3: Use Postgres`,
 * `### Decision 3`, `### Decision: Use Postgres` (a number or a colon after `Decision`); not `## Decision Log`
 * nor `## Decision Criteria`.
 */
export const DECISION_TITLE_RE = /^(?:\*\*|__)?decision\b(?:\s*(?:#\s*)?\d|[^:]{0,30}:)/i;
export function decisionSections(doc: ParsedDocument): readonly Section[] {
  // Found once per document: the fix asks for each decision (it was thousands of times over every section).
  let out = decisionCache.get(doc);
  if (!out) {
    out = doc.sections.filter((s) => s.level >= 2 && DECISION_TITLE_RE.test(decisionTitle(s.title)) && !/^decision log\b/.test(s.key));
    decisionCache.set(doc, out);
  }
  return out;
}

const decisionCache = new WeakMap<ParsedDocument, readonly Section[]>();

/** A heading's title as the decision test reads it: without a leading mark (`🚀`, `✅`) and accents (`Décision`). */
function decisionTitle(title: string): string {
  const t = title.replace(/^[^\p{L}*_]+/u, '');
  return /[^\x00-\x7f]/.test(t) ? t.normalize('NFKD').replace(/\p{M}/gu, '') : t;
}

const decisions: Rule = {
  ids: ['decision-without-rationale'],
  check(ctx: RuleContext) {
    const { doc, spec } = ctx;
    const made = sectionByTitle(doc, 'Decisions Made');
    if (made) {
      const items = topItems(doc, made);
      // The handoff template's numbered filler (`- Decision 1`) is reported once, by unfilled-placeholder: it is no decision yet.
      const handoff = !!ctx.spec && HANDOFF_KINDS.has(ctx.spec.kind);
      for (const item of items) {
        if (!item.text.trim() || NOTHING_RE.test(item.text.trim()) || pendingItem(item.text) || aboutDecisions(item.text)) continue;
        if (handoff && fillerItem(doc, item)) continue;
        const body = itemBody(doc, item);
        // `→ Rationale`, the word the template writes after the arrow, left as it is: no rationale yet.
        if (TEMPLATE_RATIONALE_RE.test(body)) {
          ctx.report('decision-without-rationale', item.textRange, templateWordMessage(item.text));
          continue;
        }
        if (givesReason(body)) continue;
        const dash = dashRationale(itemParagraph(doc, item));
        if (dash === 'reason') continue;
        ctx.report('decision-without-rationale', item.textRange, itemMessage(item.text, dash));
      }
    }
    // A decision table (`| Decision | Rationale |`), in any document: a row whose rationale cell is empty.
    for (const t of doc.tables) {
      const col = t.header.findIndex((h) => RATIONALE_COL.test(h.text.trim()));
      const what = t.header.findIndex((h) => /^\W*decisions?\W*$/i.test(h.text.trim()));
      if (col < 0 || what < 0) continue;
      for (const row of t.rows) {
        const cell = row.cells[col];
        if (isEmptyCell(row.cells[what]) || PENDING_RE.test(row.cells[what].text.trim()) || !isEmptyCell(cell)) continue;
        ctx.report(
          'decision-without-rationale',
          emptyCellRange(doc, row.line, cell, row.cells),
          `Decision "${short(row.cells[what].text)}" has no rationale in the table.`,
        );
      }
    }
    // The pattern names no folder: tested on the path as on its file name, without taking the name out.
    const isDecisionsFile = spec?.kind === 'decisions' || /decisions\.md$/i.test(ctx.path);
    if (!isDecisionsFile) return;
    const headed = decisionSections(doc);
    // The lines inside a decision headed as such, below its heading (a line is in one decision per heading level at most).
    const inHeaded = new Uint8Array(doc.lines.length + 1);
    for (const h of headed) for (let l = h.heading.line + 1; l < h.end; l++) inHeaded[l] = 1;
    // `- Decision 3: Adopt Trivy` items of the decision log, outside the decisions headed as such (which give theirs
    // as a `**Rationale**:` line): `→ why`, `because …`, a reason after a dash or a rationale label on the item or under it.
    for (const item of doc.items) {
      const rest = decisionRest(item.text);
      if (rest === undefined || NOTHING_RE.test(rest.trim()) || inHeaded[item.line]) continue;
      if (made && item.line > made.heading.line && item.line < made.end) continue;
      const body = itemBody(doc, item);
      // `→ Rationale`, the template's word after the arrow, told as the handoff tells it.
      if (TEMPLATE_RATIONALE_RE.test(body)) {
        ctx.report('decision-without-rationale', item.textRange, templateWordMessage(item.text));
        continue;
      }
      if (givesReason(body)) continue;
      const dash = dashRationale(itemParagraph(doc, item));
      if (dash === 'reason') continue;
      ctx.report('decision-without-rationale', item.textRange, itemMessage(item.text, dash));
    }
    for (const s of headed) {
      // A decision not taken yet (`### Decision 7: TBD`) has no rationale to give, as such an item has none.
      if (pendingHeading(s.title)) continue;
      // The decision's own text, up to its first subsection (a `#### Rationale` subsection also counts), or the
      // record's Context and Consequences when it is written as an ADR.
      const found = findLabel(doc, s.bodyStart, s.ownEnd, RATIONALE_LABEL, true);
      // The ADR parts only for a decision without a rationale line or subsection (most have one).
      if (found?.filled || hasRationaleSubsection(doc, s)) continue;
      const adr = adrParts(doc, s, headed);
      if (adr.context === 'filled' && adr.consequences === 'filled') continue;
      // A heading that gives its reason as a decision item would (`### Decision 2: Keep pytest — the team knows it well`,
      // `… → fewer tools`, `… because …`): the template's word after an arrow is no reason.
      if (!TEMPLATE_RATIONALE_RE.test(s.title) && (givesReason(s.title) || dashRationale(s.title) === 'reason')) continue;
      // A status after a dash (`### Decision 3: Use Postgres — approved`) is no part of the decision quoted, and is told as what it says.
      const state = stateNote(s.title);
      const todo = found ? 'write it on its empty "**Rationale**:" line' : 'add a "**Rationale**:" line';
      ctx.report(
        'decision-without-rationale',
        s.heading.textRange,
        state
          ? `Decision "${state.quoted}" gives no rationale${state.note}; ${todo}${adrHint(adr)}.`
          : `Decision "${short(s.title)}" gives no rationale: ${todo}${adrHint(adr)}.`,
        {
          fix: 'insert-rationale',
          heading: s.heading.line,
          emptyLine: found ? found.line : null,
        },
      );
    }
  },
};

/** The message of a decision item whose only rationale is the template's word after its arrow (`→ Rationale`). */
function templateWordMessage(text: string): string {
  return `Decision "${short(text)}" gives no rationale: "→ Rationale" is the template's word, write why after the arrow.`;
}

/** The message of a decision item without a rationale: what its dash lacks, when it has one. */
function itemMessage(text: string, dash: DashVerdict): string {
  // A state on the item's own line (`- Decision 2: Use AWS — approved`, of one word too): the decision quoted without it, and the state told.
  const state = dash === 'state' || dash === 'few' ? stateNote(text) : undefined;
  if (state) return `Decision "${state.quoted}" gives no rationale${state.note}; add "→ why" after it.`;
  const after =
    dash === 'few'
      ? ': the words after its dash name no reason (a reason after a dash takes three words or more)'
      : dash === 'state'
        ? ': the words after its dash say its state, owner or place, not why'
        : '';
  return after
    ? `Decision "${short(text)}" gives no rationale${after}; add "→ why" after it.`
    : `Decision "${short(text)}" gives no rationale: add "→ why" after it.`;
}

/** Whether a decision heading has a non-empty `#### Rationale` (`#### Why`, …) subsection. */
function hasRationaleSubsection(doc: ParsedDocument, s: Section): boolean {
  return RATIONALE_TITLES.some((t) => hasSubsection(doc, s, t));
}

/**
 * Whether a decision heading of a decisions file gives its rationale: a filled `**Rationale**:` line in its own
 * text, a `#### Rationale` subsection, or, as an ADR, both a Context and a Consequences part that say something.
 * The insert-rationale fix asks this too, so that it never adds a rationale to a decision that has one.
 */
export function decisionHasRationale(doc: ParsedDocument, s: Section): boolean {
  if (findLabel(doc, s.bodyStart, s.ownEnd, RATIONALE_LABEL, true)?.filled || hasRationaleSubsection(doc, s)) return true;
  const adr = adrParts(doc, s, decisionSections(doc));
  return adr.context === 'filled' && adr.consequences === 'filled';
}

/** A part of an ADR: absent, present but empty or placeholders only, or saying something. */
type AdrPart = 'none' | 'empty' | 'filled';

/** The titles (and bold labels) of the part of an ADR that gives its reasons, and of the part that gives its consequences. */
const CONTEXT_KEYS = ['Context', 'Context and Problem Statement', 'Decision Drivers'].map(normalizeTitle);
const CONSEQUENCE_KEYS = ['Consequences', 'Decision Outcome'].map(normalizeTitle);
const CONTEXT_LABEL = '(?:context(?: and problem statement)?|decision drivers)';
const CONSEQUENCE_LABEL = '(?:consequences|decision outcome)';

/**
 * The Context (Nygard's `### Context`, MADR's `### Context and Problem Statement` or `### Decision Drivers`) and
 * Consequences (`### Consequences`, MADR's `### Decision Outcome`) of a decision written as an ADR: subsections at
 * any depth under its heading, or bold labels (`**Context**: …`), outside any decision heading nested in it.
 */
const sets = new WeakMap<readonly Section[], ReadonlySet<Section>>();

/** The sections of a list as a set, made once per list (asked for each decision). */
function asSet(list: readonly Section[]): ReadonlySet<Section> {
  let out = sets.get(list);
  if (!out) sets.set(list, (out = new Set(list)));
  return out;
}

/** The index of a section among the document's, by halves (they are in the order of their heading lines). */
function sectionIndex(doc: ParsedDocument, s: Section): number {
  const { sections } = doc;
  let lo = 0;
  let hi = sections.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sections[mid].heading.line < s.heading.line) lo = mid + 1;
    else hi = mid;
  }
  return sections[lo] === s ? lo : sections.indexOf(s);
}

function adrParts(doc: ParsedDocument, s: Section, headed: readonly Section[]): { context: AdrPart; consequences: AdrPart } {
  // Its subsections follow it in document order.
  const subs: Section[] = [];
  for (let i = sectionIndex(doc, s) + 1; i < doc.sections.length && doc.sections[i].heading.line < s.end; i++) subs.push(doc.sections[i]);
  const decision = asSet(headed);
  // The lines of the decisions nested in it (marked once: asked for each line, then each subsection).
  const inNested = new Uint8Array(Math.max(0, s.end - s.heading.line));
  for (const h of subs) if (decision.has(h)) for (let l = h.heading.line; l < h.end; l++) inNested[l - s.heading.line] = 1;
  const outside = (line: number) => line < s.heading.line || line >= s.end || !inNested[line - s.heading.line];
  const headingLines = new Set<number>();
  for (const t of subs) for (let l = t.heading.line; l <= t.heading.endLine; l++) headingLines.add(l);
  const part = (keys: string[], label: string): AdrPart => {
    let found: AdrPart = 'none';
    for (const t of subs) {
      if (!keys.includes(t.key) || !outside(t.heading.line)) continue;
      if (!t.isEmpty && linesSaySomething(doc, t.bodyStart, t.end, (l) => !headingLines.has(l) && outside(l))) return 'filled';
      found = 'empty';
    }
    for (let l = s.bodyStart; l < s.end; l++) {
      if (doc.codeLines.has(l) || headingLines.has(l) || !outside(l)) continue;
      const rest = labelledLine(doc.lines[l], label);
      if (rest === undefined) continue;
      // The label's text: on its line, else the paragraph under it, up to a blank line, a heading or another label.
      let text = rest;
      if (rest === '') {
        let n = l + 1;
        while (n < s.end && unquoted(doc.lines[n]).trim() === '') n++;
        for (; n < s.end && !headingLines.has(n) && outside(n); n++) {
          const src = unquoted(doc.lines[n]);
          if (src.trim() === '' || /^\s*(?:[-*+]\s+)?(?:\*\*|__)[\p{L}][\p{L} ]{0,30}(?:\*\*|__)?\s*:/u.test(src)) break;
          text += '\n' + src;
        }
      }
      if (saysSomething(text)) return 'filled';
      found = 'empty';
    }
    return found;
  };
  return { context: part(CONTEXT_KEYS, CONTEXT_LABEL), consequences: part(CONSEQUENCE_KEYS, CONSEQUENCE_LABEL) };
}

/** What a decision's message adds about its ADR parts, when it has any. */
function adrHint(adr: { context: AdrPart; consequences: AdrPart }): string {
  if (adr.context === 'none' && adr.consequences === 'none') return '';
  const lacks = (name: string, p: AdrPart) => (p === 'none' ? `it has no ${name} part` : p === 'empty' ? `its ${name} part is empty or a placeholder` : '');
  const why = [lacks('Context', adr.context), lacks('Consequences', adr.consequences)].filter(Boolean).join(' and ');
  return `, or fill its Context and Consequences (${why})`;
}

/** Whether lines [from, to) that `keep` accepts say something: a code block's text, or words that are no placeholder. */
function linesSaySomething(doc: ParsedDocument, from: number, to: number, keep: (line: number) => boolean): boolean {
  const text: string[] = [];
  for (let l = from; l < to; l++) {
    if (!keep(l)) continue;
    const src = doc.lines[l] ?? '';
    if (doc.codeLines.has(l)) {
      if (src.trim() !== '' && !/^\s*(?:`{3,}|~{3,})/.test(src)) return true;
      continue;
    }
    text.push(src);
  }
  return saysSomething(text.join('\n'));
}

/** Words that only hold a place: `TBD`, `TODO`, `N/A`, `None`. */
const FILLER_WORD = /^(?:tbd|tba|todo|fixme|xxx|n\/a|none|pending|placeholder)$/i;

/**
 * Whether Markdown text says something: a word left once comments, the template's placeholders (`[Describe the
 * context]`, `{{ context }}`, MADR's `{Describe the context …}`, `TBD`) and filler words (`None`, `N/A`) are taken out.
 * Inline code and link labels are text.
 */
function saysSomething(text: string): boolean {
  let t = text.replace(/<!--[\s\S]*?(?:-->|$)/g, ' ');
  for (const m of t.matchAll(/`([^`\n]+)`/g)) if (m[1].trim() !== '') return true;
  t = t
    .split('\n')
    .map(withoutPlaceholders)
    .join('\n')
    .replace(/\{[^{}\n]*\}/g, ' ');
  return t.split(/[\s*_~#>|:;,.()[\]"'!?`]+/).some((w) => /\p{L}/u.test(w) && !FILLER_WORD.test(w));
}

/**
 * The first paragraph of a decision item: its first line and the lines that continue it, up to a blank line or a
 * nested item.
 */
function itemParagraph(doc: ParsedDocument, item: ListItem): string {
  const out = [item.text];
  for (let l = item.line + 1; l <= item.endLine; l++) {
    const src = (doc.lines[l] ?? '').trim();
    if (src === '' || /^(?:[-*+]|\d+[.)])(?:\s|$)/.test(src) || doc.codeLines.has(l)) break;
    out.push(src);
  }
  return out.join(' ');
}

/** `Decision 3:`, `**Decision**:` at the start of an item. */
export const DECISION_PREFIX_RE = /^\s*(?:\*\*|__)?decision(?:\s*(?:#\s*)?\d+)?(?:\*\*|__)?\s*:(?:\*\*|__)?/i;
/** A dash with white space on each side (` - `, ` -- `, ` – `, ` — `), or an em dash between two words (`tool—it`). */
const DASH_RE = /\s(?:--|[-–—])(?=\s)|(?<=[\p{L}\p{N}])—(?=\p{L})/gu;
/** What says a decision's state, owner or place rather than why it was taken: `— approved by the CTO`, `— see ADR-4`. */
const STATUS_AFTER_DASH_RE =
  /^(?:approved|accepted|agreed|done|decided|confirmed|signed[\s-]?off|completed?|implemented|merged|in progress|on hold|pending|tbd|tba|todo|open|deferred|rejected|superseded|deprecated|see|per|owners?|owned|n\/a|none)\b/i;
/** How many words a reason after a dash needs: `— Blue-green deployment`, `— GitHub Actions` name the decision. */
const DASH_REASON_WORDS = 3;

/**
 * Whether a decision item gives its reason after a dash (`reason`), and if not, why its dash gives none: `Decision 6: Use Trivy — it scans images and IaC in one
 * tool`. The dash stands after some description, with white space on each side (or, an em dash, between words),
 * and is followed by at least three words (tokens with a letter; the template's placeholders, versions and dates
 * aside) that do not start by saying the decision's state, owner or place (`approved`, `done`, `TBD`, `see …`,
 * `owner …`). A dash inside inline code does not count.
 */
export function dashRationale(text: string): DashVerdict {
  return dashVerdict(text).verdict;
}

/**
 * dashRationale's verdict, and, for a state (`Use Postgres — approved`), where the first dash that says it starts and
 * ends in `text`: what comes before it is the decision, what follows its state.
 */
function dashVerdict(text: string): { verdict: DashVerdict; dash?: { start: number; end: number } } {
  const prefix = DECISION_PREFIX_RE.exec(text);
  const skipped = prefix ? prefix[0].length : 0;
  const src = prefix ? text.slice(skipped) : text;
  // Inline code as a word of its own (its dashes are not separators, its text is a word).
  const code = maskInlineCode(src);
  let masked = code;
  if (code !== src) {
    masked = '';
    for (let i = 0; i < code.length; i++) masked += code[i] === ' ' && src[i] !== ' ' ? 'x' : code[i];
  }
  DASH_RE.lastIndex = 0;
  // Where the description starts: a dash before it follows none.
  const described = masked.search(/[\p{L}\p{N}]/u);
  // A later dash has fewer words after it: past one with too few, or past a few dashes, none will do.
  let tries = 0;
  let verdict: DashVerdict = 'none';
  // The first dash followed by a state, of one word too (`— approved`, too few words for a reason): for the message.
  let dash: { start: number; end: number } | undefined;
  for (let m = DASH_RE.exec(masked); m && tries < MAX_DASHES; m = DASH_RE.exec(masked)) {
    if (described < 0 || m.index < described) continue;
    tries++;
    const after = afterDash(src.slice(m.index + m[0].length));
    verdict = dashReason(after);
    if (verdict === 'reason') return { verdict };
    if (!dash && STATUS_AFTER_DASH_RE.test(after)) dash = { start: skipped + m.index, end: skipped + m.index + m[0].length };
    if (verdict !== 'state') break;
  }
  return { verdict, dash };
}

/**
 * A decision whose dash says its state rather than why (`Decision 3: Use Postgres — approved`), as a message quotes it:
 * the decision before the dash, and the state after it; undefined for any other.
 */
function decisionAndState(text: string): { decision: string; state: string } | undefined {
  const { verdict, dash } = dashVerdict(text);
  if (verdict === 'reason' || !dash) return undefined;
  return { decision: text.slice(0, dash.start), state: text.slice(dash.end) };
}

/** `: "approved", after its dash, says its state, owner or place, not why` for a decision whose dash says its state; else undefined. */
function stateNote(text: string): { quoted: string; note: string } | undefined {
  const ds = decisionAndState(text);
  return ds && { quoted: short(ds.decision), note: `: "${short(ds.state)}", after its dash, says its state, owner or place, not why` };
}

/** How many dashes of an item are tried (a state after one, `— approved — cheaper than …`, sends to the next). */
const MAX_DASHES = 8;

/** What a decision item's dashes give: a reason, a state (`— approved by the CTO`), too few words (`— GitHub Actions`), or no dash. */
type DashVerdict = 'reason' | 'state' | 'few' | 'none';

/** A word without the punctuation it ends with, as `w.replace(/\p{P}+$/u, '')` (by hand: that is quadratic on a long run of it inside). */
export function withoutTrailingPunctuation(w: string): string {
  let end = w.length;
  for (;;) {
    // The last code point: a surrogate pair is one.
    const pair = end >= 2 && /[\udc00-\udfff]/.test(w[end - 1]) && /[\ud800-\udbff]/.test(w[end - 2]);
    const from = pair ? end - 2 : end - 1;
    if (from < 0 || !/^\p{P}$/u.test(w.slice(from, end))) return w.slice(0, end);
    end = from;
  }
}

/** The text after a decision's dash as its words are counted: without comments, placeholders, markup and the punctuation it starts with. */
function afterDash(after: string): string {
  return withoutPlaceholders(linksAsText(after.replace(/<!--[\s\S]*?(?:-->|$)/g, ' '), true))
    .replace(/\{[^{}\n]*\}/g, ' ')
    .replace(/[*_`~]/g, '')
    .replace(/^[\s\p{P}]+/u, '');
}

/** The text after a decision's dash (afterDash's) as a reason; else whether it starts with a state or has too few words. */
function dashReason(t: string): DashVerdict {
  const words = t.split(/\s+/).filter((w) => /\p{L}/u.test(w) && !FILLER_WORD.test(withoutTrailingPunctuation(w)));
  if (words.length < DASH_REASON_WORDS) return 'few';
  return STATUS_AFTER_DASH_RE.test(t) ? 'state' : 'reason';
}

/** `Decision 3: what`: the text after `Decision…:`, or undefined when the item is not a decision. */
function decisionRest(text: string): string | undefined {
  // `Decision:` or `Decision 3:` only: `Decision owner:`, `Decision criteria:`, `Decision pending:` are no decisions.
  const m = DECISION_ITEM_RE.exec(text.trim());
  return m && !PENDING_RE.test(m[1].trim()) ? m[1] : undefined;
}

/**
 * Whether an item is labelled as something about the decisions rather than one of them (`Decision owner: Ana`,
 * `Decision criteria: cost`, `Decision date: 2024-05-01`): the decision log reads only `Decision:` and `Decision 3:`
 * items as decisions, and a handoff's Decisions Made leaves these out as well.
 */
function aboutDecisions(text: string): boolean {
  const t = text.trim();
  const m = /^(?:\*\*|__)?decisions?(?=\s)/i.exec(t);
  if (!m || DECISION_ITEM_RE.test(t)) return false;
  // The words between `Decision` and the first colon, within a label's length: words, not a number.
  const colon = t.indexOf(':', m[0].length);
  if (colon < 0 || colon - m[0].length > 42) return false;
  const words = t.slice(m[0].length, colon).replace(/[*_]/g, '').trim();
  return words !== '' && !/\d/.test(words);
}

/** Whether a decision item says the decision is not taken yet (`- Decision 8: pending (quotes due)`), as the log's items may. */
function pendingItem(text: string): boolean {
  const m = DECISION_ITEM_RE.exec(text.trim());
  return !!m && PENDING_RE.test(m[1].trim());
}

/** `Decision:` or `Decision 3:` and what follows it. */
export const DECISION_ITEM_RE = /^(?:\*\*|__)?decision(?:\s*(?:#\s*)?\d+)?(?:\*\*|__)?\s*:(?:\*\*|__)?\s*(\S.*|)$/i;

/** Whether a decision heading says the decision is not taken yet: `Decision 7: TBD`, `**Decision:** Pending`. */
function pendingHeading(title: string): boolean {
  const words = decisionTitle(title);
  const colon = words.indexOf(':');
  return colon >= 0 && PENDING_RE.test(words.slice(colon + 1).replace(/^[\s*_]+/, ''));
}

/** A decision not taken yet: it has no rationale to give. */
const PENDING_RE = /^(?:\[\s*\]\s*)?(?:pending|tbd|tba|open|deferred|undecided|to be (?:decided|taken|confirmed)|not (?:yet )?decided)\b/i;

/** The column of a decision table that holds each decision's reason. */
const RATIONALE_COL = /^\W*(?:rationale|reason(?:ing|s)?|why|justification)\W*$/i;

/**
 * `Risk: impact - mitigation`: the text after `Risk…:`, or undefined when the item is not a risk. Nor is an
 * item about the risk register (`Risk register: see the table`, `Risk owner: Ana`, `Risk level: medium`).
 */
export function riskRest(text: string): string | undefined {
  const m =
    /^(?:\*\*|__)?risk\b(?!\s*(?:register|owners?|levels?|scores?|ratings?|appetite|tolerance|assessments?|categor(?:y|ies)|matrix|management|review|status|profile|log|summary|strateg(?:y|ies)|plan)\b)[^:]{0,40}:(?:\*\*|__)?\s*(\S.*|)$/i.exec(
      text.trim(),
    );
  return m ? m[1] : undefined;
}

/** Whether a risk item names its mitigation: after a dash or an arrow, or a `Mitigation:` on the item or under it. */
function hasMitigation(rest: string, doc: ParsedDocument, item: ListItem): boolean {
  const sep = /\s[-–—]\s+(\S.*)$/.exec(rest);
  if (sep && sep[1].trim() !== '') return true;
  if (ARROW_RE.test(rest)) return true;
  // The item's lines only when its first says nothing (performance only).
  return /\bmitigat\w*\b(?:\*\*|__)?\s*[:\-–—]\s*\S/i.test(itemBody(doc, item));
}

function isEmptyCell(c: TableCell | undefined): boolean {
  return !c || /^(?:|-|–|—)$/.test(c.text.trim());
}

const risks: Rule = {
  ids: ['risk-without-mitigation'],
  check(ctx: RuleContext) {
    const { doc } = ctx;
    // The risk sections, and the risks headed as such (`### Risk 2: Vendor delay`), found in one pass over the sections
    // (performance only; a key without `risk` is no risk section, and most documents have none).
    const riskSections: Section[] = [];
    const riskHeadings: Section[] = [];
    for (const s of doc.sections) {
      if (s.key.includes('risk') && /\brisks?\b/.test(s.key)) riskSections.push(s);
      if (s.level >= 3 && /^(?:\*\*)?risk\b[^:]*:|^(?:\*\*)?risk\s+\d/i.test(s.title)) riskHeadings.push(s);
    }
    const inRisk = (line: number) => riskSections.some((s) => line > s.heading.line && line < s.end);
    // No item is in a risk section when there is none.
    for (const item of riskSections.length ? doc.items : []) {
      if (!inRisk(item.line)) continue;
      const rest = riskRest(item.text);
      if (rest === undefined || NOTHING_RE.test(rest.trim())) continue;
      if (hasMitigation(rest, doc, item)) continue;
      ctx.report('risk-without-mitigation', item.textRange, `Risk "${short(item.text)}" names no mitigation: write "Risk: impact - mitigation".`);
    }
    for (const t of doc.tables) {
      const col = t.header.findIndex((h) => /mitigation/i.test(h.text));
      if (col < 0) continue;
      const riskCol = t.header.findIndex((h) => /risk/i.test(h.text));
      for (const row of t.rows) {
        if (row.cells.every((c) => c.text.trim() === '')) continue;
        const cell = row.cells[col];
        if (!isEmptyCell(cell)) continue;
        const name = row.cells[riskCol >= 0 ? riskCol : 0]?.text ?? '';
        ctx.report('risk-without-mitigation', emptyCellRange(doc, row.line, cell, row.cells), `Risk "${short(name)}" has no mitigation in the table.`);
      }
    }
    // `### Risk 2: Vendor delay` subsections with their `**Mitigation**:`.
    for (const s of riskHeadings) {
      const found = findLabel(doc, s.bodyStart, s.ownEnd, 'mitigation');
      if (found?.filled || hasSubsection(doc, s, 'Mitigation')) continue;
      ctx.report(
        'risk-without-mitigation',
        s.heading.textRange,
        `Risk "${short(s.title)}" names no mitigation: ${found ? 'write it on its empty "**Mitigation**:" line' : 'add a "**Mitigation**:" line'}.`,
      );
    }
  },
};

/** The inside of an empty cell, between its pipes (or the end of a row that lacks the cell). */
function emptyCellRange(doc: ParsedDocument, line: number, cell: TableCell | undefined, cells: TableCell[]) {
  const src = doc.lines[line] ?? '';
  if (!cell) {
    const end = src.trimEnd().length;
    const last = cells[cells.length - 1];
    return range(line, last ? last.range.end.character : 0, line, end);
  }
  let s = cell.range.start.character;
  let e = cell.range.end.character;
  while (s > 0 && src[s - 1] !== '|') s--;
  while (e < src.length && src[e] !== '|') e++;
  return range(line, s, line, e);
}

export const RATIONALE_RULES: Rule[] = [decisions, risks];
