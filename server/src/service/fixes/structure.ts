/** Quick fixes for the structure rules: insert a missing section, create a missing document or folder, fix a title. */
import { joinPath } from '../host';
import { renumberTitle } from '../layout';
import { bodyStart, headingText, headingTextStart, normalizeTitle, parseDocument } from '../markdown';
import { renderKind } from '../templates';
import { PLACEHOLDER } from '../handoff';
import { applyEdits } from '../edits';
import { kindOf } from '../workspace';
import { range, type CodeAction, type Diagnostic, type TextEdit } from '../types';
import type { PhasegateService } from '../service';
import { type Fix, textAtRange } from './fix';

/** Text of the section `title` as the kind's template writes it, or a bare heading with a placeholder. */
function sectionFromTemplate(template: string, title: string, eol: string): string {
  const t = parseDocument(template);
  const key = normalizeTitle(title);
  const s = t.sections.find((x) => x.key === key);
  const body = s ? t.lines.slice(s.heading.line, s.end) : [`## ${headingText(title)}`, '', `[${title}]`];
  while (body.length && body[body.length - 1].trim() === '') body.pop();
  return body.join(eol);
}

/** The insertion only helps when the new heading is a heading in the result (not swallowed by an open code block). */
const insertSection: Fix = (svc, diag) => {
  const action = insertSectionEdit(svc, diag);
  const text = svc.getText(diag.file);
  const d = diag.data as { title: string } | undefined;
  if (!action || text === undefined || !d) return undefined;
  const after = parseDocument(applyEdits(text, action.change.edits[0].edits));
  if (!after.sections.some((s) => s.key === normalizeTitle(d.title))) return undefined;
  const select = insertedSectionSelection(diag.file, action.change.edits[0].edits[0]);
  return select ? { ...action, select } : action;
};

const HEADING = /^ {0,3}#{1,6}[ \t]/;

/**
 * Where the user lands in the section that `edit` (an insertion) writes: its first placeholder after the heading
 * (`[What is in scope]`), selected so that typing replaces it, else the end of its last line that holds text.
 * A range of the text after the edit; undefined when the edit writes no heading.
 */
export function insertedSectionSelection(file: string, edit: TextEdit): CodeAction['select'] {
  const lines = edit.newText.split(/\r\n|\r|\n/);
  const heading = lines.findIndex((l) => HEADING.test(l));
  if (heading < 0) return undefined;
  const at = (i: number, character: number) => ({
    line: edit.range.start.line + i,
    character: (i === 0 ? edit.range.start.character : 0) + character,
  });
  let last = heading;
  for (let i = heading + 1; i < lines.length; i++) {
    // The next heading ends the section (a template's section with sub-sections keeps its own).
    if (/^ {0,3}#{1,2}[ \t]/.test(lines[i])) break;
    PLACEHOLDER.lastIndex = 0;
    const m = PLACEHOLDER.exec(lines[i]);
    if (m) return { file, range: { start: at(i, m.index), end: at(i, m.index + m[0].length) } };
    if (lines[i].trim() !== '') last = i;
  }
  const end = at(last, lines[last].length);
  return { file, range: { start: end, end } };
}

const insertSectionEdit = (svc: PhasegateService, diag: Diagnostic): CodeAction | undefined => {
  const d = diag.data as { title: string; after: number | null } | undefined;
  const doc = svc.getDocument(diag.file);
  if (!d || !doc) return undefined;
  const { phase, spec } = kindOf(svc.model, diag.file);
  const template = spec ? renderKind(svc, spec, phase) : '';
  const text = sectionFromTemplate(template, d.title, doc.eol);
  // After the preceding section of the spec, else after the title, else at the top of the body.
  let line: number;
  if (d.after !== null && d.after !== undefined) line = d.after + 1;
  else {
    const h1 = doc.headings.find((h) => h.level === 1);
    const firstH2 = doc.headings.find((h) => h.level >= 2);
    line = firstH2 ? firstH2.line : h1 ? h1.endLine + 1 : bodyStart(doc);
  }
  // Keep the document's own blank-line rhythm: one blank line before and after the section.
  let at = line;
  while (at > 0 && (doc.lines[at - 1] ?? '').trim() === '' && at > (doc.headings[0]?.endLine ?? -1) + 1) at--;
  const eol = doc.eol;
  const atEnd = at >= doc.lines.length;
  const lastLine = doc.lines.length - 1;
  if (atEnd) {
    const endChar = doc.lines[lastLine].length;
    const sep = doc.lines[lastLine].trim() === '' ? eol : eol + eol;
    return {
      title: `Insert section "${d.title}"`,
      codes: [diag.code],
      isPreferred: true,
      placeholder: writesPlaceholder(text),
      change: { edits: [{ file: diag.file, edits: [{ range: range(lastLine, endChar, lastLine, endChar), newText: sep + text + eol }] }], creates: [] },
    };
  }
  const before = at > 0 && (doc.lines[at - 1] ?? '').trim() !== '' ? eol : '';
  // A blank line after the section, unless the line it goes above is one.
  const after = at === line && (doc.lines[at] ?? '').trim() !== '' ? eol : '';
  return {
    title: `Insert section "${d.title}"`,
    codes: [diag.code],
    isPreferred: true,
    placeholder: writesPlaceholder(text),
    change: { edits: [{ file: diag.file, edits: [{ range: range(at, 0, at, 0), newText: before + text + eol + after }] }], creates: [] },
  };
};

/** Whether a template's text holds a placeholder for the user to fill (`[What is in scope]`). */
function writesPlaceholder(text: string): boolean {
  PLACEHOLDER.lastIndex = 0;
  return PLACEHOLDER.test(text);
}

const createDocument: Fix = (svc, diag) => {
  const d = diag.data as { file: string; kind: string } | undefined;
  // Not beside a file or folder of its name in another case (`Docs/` for `docs/RETRO.md`): the problem says to rename it.
  if (!d || svc.exists(d.file) || svc.inOtherCase(d.file)) return undefined;
  const { phase, spec } = kindOf(svc.model, d.file);
  if (!spec) return undefined;
  return {
    title: `Create ${spec.file} from its template`,
    codes: [diag.code],
    isPreferred: true,
    change: { edits: [], creates: [{ file: d.file, text: renderKind(svc, spec, phase) }] },
  };
};

const createFolder: Fix = (svc, diag) => {
  const d = diag.data as { folder: string } | undefined;
  if (!d || svc.exists(d.folder) || svc.inOtherCase(d.folder)) return undefined;
  return {
    title: `Create folder ${d.folder.slice(d.folder.lastIndexOf('/') + 1)}/`,
    codes: [diag.code],
    change: { edits: [], creates: [{ file: joinPath(d.folder, '.gitkeep'), text: '' }] },
  };
};

const replaceHeadingNumbers: Fix = (svc, diag) => {
  const d = diag.data as { heading: string; number: number } | undefined;
  const doc = svc.getDocument(diag.file);
  if (!d || !doc) return undefined;
  const line = diag.range.start.line;
  const src = doc.lines[line].slice(diag.range.start.character, diag.range.end.character);
  const fixed = renumberTitle(d.heading, d.number, src);
  // Nothing left (a heading of nothing but a `{N-1}` in phase 0, which the rule reports without this fix): no fix.
  if (fixed === src || !fixed.trim()) return undefined;
  // The text of an ATX heading without a closing sequence: a `#` the title now ends with (`Review of #` of
  // `Review of #{N-1}` in phase 0) escaped, as `new` writes it, else it would read as a closing sequence.
  const whole = doc.lines[line];
  const atx = /^ {0,3}#{1,6}(?:[ \t]|$)/.test(whole) && diag.range.start.character >= headingTextStart(whole);
  const text = atx && whole.slice(diag.range.end.character).trim() === '' ? headingText(fixed) : fixed;
  return {
    title: `Number the title for this phase: "${fixed}"`,
    codes: [diag.code],
    isPreferred: true,
    change: { edits: [{ file: diag.file, edits: [{ range: diag.range, newText: text }] }], creates: [] },
  };
};

/** Names the document's own phase in its front matter `phase` (an input handoff's `from`: the phase before), at the value's range as it read when reported. */
const replaceFrontMatterPhase: Fix = (svc, diag) => {
  const d = diag.data as { key?: string; old?: string; value?: string } | undefined;
  if (!d?.value || d.old === undefined || textAtRange(svc, diag) !== d.old) return undefined;
  // Quoted as the value was (`"phase-1"`), else plain when YAML reads the id as written, or when it is the value
  // written with other digits (`3` of `4`, a number as it was; `Phase 3` of `Phase 4`).
  const quote = /^["']/.exec(d.old)?.[0];
  const plain = /^[A-Za-z][\w./-]*$/.test(d.value) || d.value.replace(/\d+/g, '#') === d.old.replace(/\d+/g, '#');
  const text = quote ? `${quote}${d.value}${quote}` : plain ? d.value : JSON.stringify(d.value);
  return {
    title: d.key === 'from' ? `Name the phase the inputs come from: ${d.value}` : `Name this document's phase: ${d.value}`,
    codes: [diag.code],
    isPreferred: true,
    change: { edits: [{ file: diag.file, edits: [{ range: diag.range, newText: text }] }], creates: [] },
  };
};

/**
 * Renumbers the front matter `title` for the document's phase: the numbers in the value's range as it read when
 * reported (from its first wrong number to its last), the rest of the value, its quotes and its style as they are.
 */
const replaceFrontMatterTitleNumbers: Fix = (svc, diag) => {
  const d = diag.data as { old?: string; value?: string } | undefined;
  if (d?.value === undefined || d.old === undefined || textAtRange(svc, diag) !== d.old) return undefined;
  return {
    title: `Number the front matter title for this phase: "${d.value}"`,
    codes: [diag.code],
    isPreferred: true,
    change: { edits: [{ file: diag.file, edits: [{ range: diag.range, newText: d.value }] }], creates: [] },
  };
};

export const STRUCTURE_FIXES: Record<string, Fix> = {
  'replace-front-matter-phase': replaceFrontMatterPhase,
  'insert-section': insertSection,
  'create-document': createDocument,
  'create-folder': createFolder,
  'replace-heading-numbers': replaceHeadingNumbers,
  'replace-front-matter-title-numbers': replaceFrontMatterTitleNumbers,
};
