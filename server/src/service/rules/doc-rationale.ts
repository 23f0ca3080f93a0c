/**
 * Decisions need a rationale and risks a mitigation: `Decision: what → why` items in a handoff and in the
 * decisions file, decision tables with a Rationale column, `### Decision N` subsections of the decisions
 * file with their `**Rationale**:`; `Risk: impact - mitigation` items, risk tables with a Mitigation
 * column, `### Risk` subsections with `**Mitigation**:`.
 */
import { basename } from '../host';
import { ParsedDocument, Section, TableCell, normalizeTitle, sectionByTitle } from '../markdown';
import { range } from '../types';
import { topItems } from '../handoff';
import { itemBody } from './doc-util';
import type { Rule, RuleContext } from './rule';

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
  let re = labelPatterns.get(label);
  if (!re) {
    re = new RegExp(`^\\s*(?:>\\s*)*(?:[-*+]\\s+)?(?:\\*\\*|__|\\*|_)?${label}(?:\\*\\*|__|\\*|_)?\\s*:\\s*(?:\\*\\*|__|\\*|_)?(.*)$`, 'i');
    labelPatterns.set(label, re);
  }
  const m = re.exec(line);
  return m ? m[1].trim() : undefined;
}

/** The pattern of each label (performance only: a few labels, tried on many lines). */
const labelPatterns = new Map<string, RegExp>();

/** Line of the first `**Label**:` in [from, to), and whether it has text (on its line or the next non-blank one). */
export function findLabel(doc: ParsedDocument, from: number, to: number, label: string): { line: number; filled: boolean } | undefined {
  for (let l = from; l < to; l++) {
    if (doc.codeLines.has(l)) continue;
    const rest = labelledLine(doc.lines[l], label);
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
const DECISION_TITLE_RE = /^(?:\*\*|__)?decision\b(?:\s*#?\s*\d|[^:]{0,30}:)/i;
export function decisionSections(doc: ParsedDocument): Section[] {
  return doc.sections.filter((s) => s.level >= 2 && DECISION_TITLE_RE.test(decisionTitle(s.title)) && !/^decision log\b/.test(s.key));
}

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
      for (const item of items) {
        if (!item.text.trim() || NOTHING_RE.test(item.text.trim())) continue;
        const body = itemBody(doc, item);
        // `→ Rationale`, the word the template writes after the arrow, left as it is: no rationale yet.
        if (TEMPLATE_RATIONALE_RE.test(body)) {
          ctx.report(
            'decision-without-rationale',
            item.textRange,
            `Decision "${short(item.text)}" gives no rationale: "→ Rationale" is the template's word, write why after the arrow.`,
          );
          continue;
        }
        if (ARROW_RE.test(body) || /\b(?:rationale|because)\b\s*:?\s*\S/i.test(body)) continue;
        ctx.report('decision-without-rationale', item.textRange, `Decision "${short(item.text)}" gives no rationale: add "→ why" after it.`);
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
    const isDecisionsFile = spec?.kind === 'decisions' || /decisions\.md$/i.test(basename(ctx.path));
    if (!isDecisionsFile) return;
    const headed = decisionSections(doc);
    // `- Decision 3: Adopt Trivy` items of the decision log, outside the decisions headed as such (which give theirs
    // as a `**Rationale**:` line): `→ why`, `because …` or a rationale label on the item or under it.
    for (const item of doc.items) {
      const rest = decisionRest(item.text);
      if (rest === undefined || NOTHING_RE.test(rest.trim()) || headed.some((h) => item.line > h.heading.line && item.line < h.end)) continue;
      if (made && item.line > made.heading.line && item.line < made.end) continue;
      const body = itemBody(doc, item);
      if (
        !TEMPLATE_RATIONALE_RE.test(body) &&
        (ARROW_RE.test(body) || /\b(?:rationale|because|reason)\b\s*:?\s*\S/i.test(body) || /\b(?:why|reasoning|justification)\s*:\s*\S/i.test(body))
      )
        continue;
      ctx.report('decision-without-rationale', item.textRange, `Decision "${short(item.text)}" gives no rationale: add "→ why" after it.`);
    }
    for (const s of headed) {
      // A decision not taken yet (`### Decision 7: TBD`) has no rationale to give, as such an item has none.
      if (pendingHeading(s.title)) continue;
      // The decision's own text, up to its first subsection (a `#### Rationale` subsection also counts).
      const found = findLabel(doc, s.bodyStart, s.ownEnd, RATIONALE_LABEL);
      if (found?.filled || RATIONALE_TITLES.some((t) => hasSubsection(doc, s, t))) continue;
      ctx.report('decision-without-rationale', s.heading.textRange, `Decision "${short(s.title)}" gives no rationale: add a "**Rationale**:" line.`, {
        fix: 'insert-rationale',
        heading: s.heading.line,
        emptyLine: found ? found.line : null,
      });
    }
  },
};

/** `Decision 3: what`: the text after `Decision…:`, or undefined when the item is not a decision. */
function decisionRest(text: string): string | undefined {
  // `Decision:` or `Decision 3:` only: `Decision owner:`, `Decision criteria:`, `Decision pending:` are no decisions.
  const m = /^(?:\*\*|__)?decision(?:\s*#?\s*\d+)?(?:\*\*|__)?\s*:(?:\*\*|__)?\s*(.*)$/i.exec(text.trim());
  return m && !PENDING_RE.test(m[1].trim()) ? m[1] : undefined;
}

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
function riskRest(text: string): string | undefined {
  const m =
    /^(?:\*\*|__)?risk\b(?!\s*(?:register|owners?|levels?|scores?|ratings?|appetite|tolerance|assessments?|categor(?:y|ies)|matrix|management|review|status|profile|log|summary|strateg(?:y|ies)|plan)\b)[^:]{0,40}:(?:\*\*|__)?\s*(.*)$/i.exec(
      text.trim(),
    );
  return m ? m[1] : undefined;
}

function hasMitigation(rest: string, body: string): boolean {
  const sep = /\s[-–—]\s+(\S.*)$/.exec(rest);
  if (sep && sep[1].trim() !== '') return true;
  if (ARROW_RE.test(rest)) return true;
  return /\bmitigat\w*\b(?:\*\*|__)?\s*[:\-–—]\s*\S/i.test(body);
}

function isEmptyCell(c: TableCell | undefined): boolean {
  return !c || /^(?:|-|–|—)$/.test(c.text.trim());
}

const risks: Rule = {
  ids: ['risk-without-mitigation'],
  check(ctx: RuleContext) {
    const { doc } = ctx;
    const riskSections = doc.sections.filter((s) => /\brisks?\b/.test(s.key));
    const inRisk = (line: number) => riskSections.some((s) => line > s.heading.line && line < s.end);
    for (const item of doc.items) {
      if (!inRisk(item.line)) continue;
      const rest = riskRest(item.text);
      if (rest === undefined || NOTHING_RE.test(rest.trim())) continue;
      if (hasMitigation(rest, itemBody(doc, item))) continue;
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
    for (const s of doc.sections) {
      if (s.level < 3 || !/^(?:\*\*)?risk\b[^:]*:|^(?:\*\*)?risk\s+\d/i.test(s.title)) continue;
      const found = findLabel(doc, s.bodyStart, s.ownEnd, 'mitigation');
      if (found?.filled || hasSubsection(doc, s, 'Mitigation')) continue;
      ctx.report('risk-without-mitigation', s.heading.textRange, `Risk "${short(s.title)}" names no mitigation: add a "**Mitigation**:" line.`);
    }
  },
};

/** The inside of an empty cell, between its pipes (or the end of a row that lacks the cell). */
function emptyCellRange(doc: ParsedDocument, line: number, cell: TableCell | undefined, cells: TableCell[]) {
  const src = doc.lines[line] ?? '';
  if (!cell) {
    const end = src.replace(/\s+$/, '').length;
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
