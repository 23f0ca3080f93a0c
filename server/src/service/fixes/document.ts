/** Quick fixes for the document rules. Keyed by the `fix` field of a diagnostic's data. */
import { landsInCode } from './phase-edit';
import type { ParsedDocument, Section } from '../markdown';
import { headingText, itemIndexAt } from '../markdown';
import * as YAML from 'yaml';
import { isInside } from '../host';
import { renderKind, shownTitle, titleHeading, today, unescapeMarkdown, withoutEmphasis } from '../templates';
import { kindHeading, renumberTitle } from '../layout';
import { kindOf } from '../workspace';
import { range } from '../types';
import type { CodeAction, TextEdit } from '../types';
import { RATIONALE_LABEL, decisionHasRationale } from '../rules/doc-rationale';
import { type Fix, textAtRange } from './fix';

interface SchemaProperty {
  type?: string | string[];
  default?: unknown;
  enum?: unknown[];
}

/** A value for a required key that the phase does not determine: the schema's default, its first enum value, or an empty one. */
function emptyValue(prop: SchemaProperty | undefined): unknown {
  if (!prop) return '';
  if (prop.default !== undefined) return prop.default;
  if (prop.enum?.length) return prop.enum[0];
  const type = Array.isArray(prop.type) ? prop.type[0] : prop.type;
  if (type === 'array') return [];
  if (type === 'boolean') return false;
  return '';
}

/** A document's front matter status by its phase's status: complete in a complete phase, else a draft (only its author knows how far it is). */
const DOCUMENT_STATUS: Record<string, string> = { 'not-started': 'draft', 'in-progress': 'draft', blocked: 'draft', complete: 'complete' };

type FrontMatterSchema = { required?: string[]; properties?: Record<string, SchemaProperty> };

/** The schema in force: a workspace schema (trusted workspaces) wins over the built-in one. */
function schemaOf(svc: Parameters<Fix>[0], id: string): FrontMatterSchema | undefined {
  return (svc.validator(id)?.schema ?? svc.assets.schemas[id]) as FrontMatterSchema | undefined;
}

/** Front matter with the schema's required keys: phase id, title from the H1, status draft, and so on. */
const addFrontMatter: Fix = (svc, diag) => {
  const d = diag.data as { schema: string } | undefined;
  const doc = svc.getDocument(diag.file);
  if (!d || !doc || doc.frontMatter) return undefined;
  const schema = schemaOf(svc, d.schema);
  const derived = derivedValues(svc, diag.file, doc, schema);
  const data: Record<string, unknown> = {};
  const keys = schema?.required?.length ? schema.required : ['title'];
  for (const k of keys) data[k] = derived[k] ?? emptyValue(schema?.properties?.[k]);
  const yaml = YAML.stringify(data, { lineWidth: 0 }).replace(/\n$/, '');
  const eol = doc.eol;
  // A blank line between the front matter and the text, as the templates have it.
  const text = ['---', ...yaml.split('\n'), '---', ...(doc.lines[0]?.trim() ? [''] : []), ''].join(eol);
  return {
    title: 'Add front matter',
    codes: [diag.code],
    isPreferred: true,
    change: { edits: [{ file: diag.file, edits: [{ range: range(0, 0, 0, 0), newText: text }] }], creates: [] },
  };
};

/**
 * Adds a required key the front matter lacks, above its closing `---`: with the value the document and its phase
 * give it (`phase`, `title` from the title heading, `status` by the phase's, `date` today, `workstream`), with the
 * other missing keys they give; else the schema's default, first allowed value or an empty one.
 */
const addFrontMatterKey: Fix = (svc, diag) => {
  const d = diag.data as { schema?: unknown; key?: unknown } | undefined;
  const doc = svc.getDocument(diag.file);
  const fm = doc?.frontMatter;
  if (!doc || !fm?.terminated || typeof d?.schema !== 'string' || typeof d.key !== 'string') return undefined;
  // Still missing (the reported problem may be older than the text).
  if (fm.data !== null && fm.data !== undefined && (typeof fm.data !== 'object' || Object.hasOwn(fm.data, d.key))) return undefined;
  const schema = schemaOf(svc, d.schema);
  const derived = derivedValues(svc, diag.file, doc, schema);
  const known = derived[d.key] !== undefined;
  const data: Record<string, unknown> = {};
  if (known) {
    // Every missing key the document gives, in the schema's order: each one's fix writes the same lines, which Fix all
    // then writes once (two insertions at one place would not both be made).
    const has = (k: string) => !!fm.data && typeof fm.data === 'object' && Object.hasOwn(fm.data, k);
    for (const k of schema?.required ?? []) if (!has(k) && derived[k] !== undefined) data[k] = derived[k];
    if (!Object.hasOwn(data, d.key)) data[d.key] = derived[d.key];
  } else data[d.key] = emptyValue(schema?.properties?.[d.key]);
  const yaml = YAML.stringify(data, { lineWidth: 0 }).replace(/\n$/, '');
  const keys = Object.keys(data).map((k) => `\`${k}\``);
  const a = {
    title: keys.length > 1 ? `Add the required keys ${keys.join(', ')}` : `Add the required key ${keys[0]}`,
    codes: [diag.code],
    isPreferred: true,
    change: {
      edits: [{ file: diag.file, edits: [{ range: range(fm.endLine, 0, fm.endLine, 0), newText: yaml.split('\n').join(doc.eol) + doc.eol }] }],
      creates: [],
    },
  };
  // Offered only: Fix all and `check --fix` leave front matter they did not write to its author.
  return { ...a, manual: true };
};

/** The front matter values a document and its phase determine: phase id, title (from its title heading), status, date, workstream. */
function derivedValues(svc: Parameters<Fix>[0], file: string, doc: ParsedDocument, schema: FrontMatterSchema | undefined): Record<string, unknown> {
  const { phase, spec } = kindOf(svc.model, file);
  // The title heading (a brief may be headed `### **Phase 3: …**` as the design heads phases), else the phase's title.
  const h1 = titleHeading(doc);
  // The heading's text as it reads (its emphasis gone, its backslash escapes read: `Fix \*args\*` is `Fix *args*`, and
  // code spans kept), as `new` writes a front matter title.
  let title = h1 ? unescapeMarkdown(withoutEmphasis(h1.text)).trim() : phase ? shownTitle(svc, phase) : spec?.name;
  // Numbered for this phase, as the title's own fix (heading-mismatch) numbers the H1: a Fix all
  // that does both leaves them agreeing.
  const heading = spec && kindHeading(spec);
  if (title && h1 && heading && phase?.number !== undefined) title = renumberTitle(heading, phase.number, title);
  // A document of a complete phase is no draft (in the schema's words).
  const allowed = schema?.properties?.status?.enum;
  const byPhase = phase ? DOCUMENT_STATUS[svc.status(phase)] : 'draft';
  return {
    phase: phase?.id,
    title,
    status: !allowed || allowed.includes(byPhase) ? byPhase : 'draft',
    date: today(),
    workstream: phase?.workstream,
  };
}

/**
 * Removes the blank lines above front matter that does not start on the first line; the HTML comments
 * among them go below it, where they are Markdown.
 */
const removeLeadingBlankLines: Fix = (svc, diag) => {
  const doc = svc.getDocument(diag.file);
  const misplaced = doc?.misplacedFrontMatter;
  if (!doc || !misplaced) return undefined;
  if (!misplaced.comments.length)
    return {
      title: misplaced.line === 1 ? 'Remove the blank line above the front matter' : 'Remove the blank lines above the front matter',
      codes: [diag.code],
      isPreferred: true,
      change: { edits: [{ file: diag.file, edits: [{ range: range(0, 0, misplaced.line, 0), newText: '' }] }], creates: [] },
    };
  const eol = doc.eol;
  const block = doc.lines.slice(misplaced.line, misplaced.endLine + 1);
  const comments = misplaced.comments.map((l) => doc.lines[l]);
  // To the start of the line after the closing fence; to its end when it is the last line.
  const last = misplaced.endLine + 1 < doc.lines.length;
  const end = last ? range(0, 0, misplaced.endLine + 1, 0) : range(0, 0, misplaced.endLine, doc.lines[misplaced.endLine].length);
  return {
    title: 'Move the front matter to the first line, below it the comments above it',
    codes: [diag.code],
    isPreferred: true,
    change: { edits: [{ file: diag.file, edits: [{ range: end, newText: [...block, ...comments].join(eol) + (last ? eol : '') }] }], creates: [] },
  };
};

/**
 * A broken link's fixes: pointing it at the file it most likely meant (broken-link's `to`, when the link's target is
 * still the one reported, `was`; preferred, but only when asked: it is a guess), and creating the Markdown file it
 * names (its `file`): from its kind's template when it is a phase document (a finding titled by the link's text), else
 * a heading. Never overwrites.
 */
const createLinkedFile: Fix = (svc, diag) => {
  const d = diag.data as { file?: string; title?: string; was?: unknown; to?: unknown } | undefined;
  if (!d) return undefined;
  const out: CodeAction[] = [];
  if (typeof d.was === 'string' && typeof d.to === 'string' && textAtRange(svc, diag) === d.was) {
    // Every link of the document written so (a file renamed is often linked more than once).
    const same = svc
      .diagnose(diag.file)
      .filter(
        (x) => x.code === diag.code && (x.data as typeof d | undefined)?.was === d.was && (x.data as typeof d).to === d.to && textAtRange(svc, x) === d.was,
      );
    const ranges = same.some((x) => x.range.start.line === diag.range.start.line && x.range.start.character === diag.range.start.character)
      ? same.map((x) => x.range)
      : [diag.range];
    out.push({
      title: `Link to ${d.to.replace(/^<|>$/g, '')}${ranges.length > 1 ? ` (${ranges.length} links)` : ''}`,
      codes: [diag.code],
      isPreferred: true,
      manual: true,
      change: { edits: [{ file: diag.file, edits: ranges.map((range) => ({ range, newText: d.to as string })) }], creates: [] },
    });
  }
  if (typeof d.file === 'string' && /\.(md|markdown)$/i.test(d.file) && isInside(svc.root, d.file) && !svc.exists(d.file)) {
    const eol = svc.getDocument(diag.file)?.eol ?? '\n';
    const { phase, spec } = kindOf(svc.model, d.file);
    const text =
      spec && phase
        ? renderKind(svc, spec, phase, d.title || undefined)
        : `# ${headingText(d.title || d.file.slice(d.file.lastIndexOf('/') + 1).replace(/\.(md|markdown)$/i, ''))}${eol}`;
    out.push({
      title: `Create ${d.file.slice(d.file.lastIndexOf('/') + 1)}`,
      codes: [diag.code],
      change: { edits: [], creates: [{ file: d.file, text }] },
    });
  }
  return out;
};

const RATIONALE = '**Rationale**: [Why this decision]';

/** Adds a `**Rationale**:` line at the end of the decision's own text, or fills an empty one. */
/**
 * Whether a line ends with a colon, perhaps emphasis after it, and blanks: `/:\s*(?:\*\*|__|\*|_)?\s*$/`,
 * in one pass (the expression went over a long run of spaces once for each place it could end).
 */
export function endsWithLabelColon(src: string): boolean {
  const t = src.trimEnd();
  return ['', '**', '__', '*', '_'].some(
    (mark) =>
      t.endsWith(mark) &&
      t
        .slice(0, t.length - mark.length)
        .trimEnd()
        .endsWith(':'),
  );
}

/** The section whose heading is on `line`, by halves (sections are in the order of their heading lines; the fix is asked for each decision). */
function sectionHeadedAt(doc: ParsedDocument, line: number): Section | undefined {
  const { sections } = doc;
  let lo = 0;
  let hi = sections.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sections[mid].heading.line < line) lo = mid + 1;
    else hi = mid;
  }
  return sections[lo]?.heading.line === line ? sections[lo] : undefined;
}

const titles = new WeakMap<ParsedDocument, Map<string, number>>();

/** How many sections have each title, counted once per document. */
function titleCounts(doc: ParsedDocument): Map<string, number> {
  let out = titles.get(doc);
  if (!out) {
    out = new Map();
    for (const s of doc.sections) out.set(s.title, (out.get(s.title) ?? 0) + 1);
    titles.set(doc, out);
  }
  return out;
}

const insertRationale: Fix = (svc, diag) => {
  const d = diag.data as { heading: number; emptyLine: number | null } | undefined;
  const doc = svc.getDocument(diag.file);
  if (!d || !doc) return undefined;
  const section = sectionHeadedAt(doc, d.heading);
  // Nothing to do once the decision has its rationale (a stale diagnostic, a second run): a filled rationale line,
  // a rationale subsection, or the Context and Consequences of an ADR, as the rule reads them.
  if (!section || !/decision/i.test(section.title) || decisionHasRationale(doc, section)) return undefined;
  // Named after the decision (and its line when another decision has the same name), so that each action is told apart.
  const twin = (titleCounts(doc).get(section.title) ?? 0) > 1;
  const title = `Add a rationale to "${section.title}"${twin ? ` (line ${section.heading.line + 1})` : ''}`;
  if (d.emptyLine !== null && d.emptyLine !== undefined) {
    const src = doc.lines[d.emptyLine] ?? '';
    if (!new RegExp(RATIONALE_LABEL, 'i').test(src) || !endsWithLabelColon(src)) return undefined;
    const end = src.length;
    const pad = src.endsWith(' ') ? '' : ' ';
    return {
      title,
      codes: [diag.code],
      isPreferred: true,
      placeholder: true,
      change: {
        edits: [{ file: diag.file, edits: [{ range: range(d.emptyLine, end, d.emptyLine, end), newText: pad + '[Why this decision]' }] }],
        creates: [],
      },
    };
  }
  // After the last non-blank line of the decision's own block (the heading itself when it has none).
  let last = section.ownEnd - 1;
  while (last > section.heading.line && (doc.lines[last] ?? '').trim() === '') last--;
  const end = (doc.lines[last] ?? '').length;
  // A blank line before the next line too, when one follows at once (the next decision's heading).
  const next = doc.lines[last + 1];
  const text = doc.eol + doc.eol + RATIONALE + (next !== undefined && next.trim() !== '' ? doc.eol : '');
  // Inside an unclosed code block the line would not be a rationale: no obvious remedy.
  if (landsInCode(doc, { line: last, character: end, text })) return undefined;
  return {
    title,
    codes: [diag.code],
    isPreferred: true,
    placeholder: true,
    change: { edits: [{ file: diag.file, edits: [{ range: range(last, end, last, end), newText: text }] }], creates: [] },
  };
};

/** A leading mark that says an item is done (`✅`, `☑`, `✔`, `✓`), or not (`❌`, `⬜`, `☐`, `✗`, `✘`), and the spaces after it. */
const DONE_MARK = /^(?:✅|☑️?|✔️?|✓)\s*/u;
const NOT_DONE_MARK = /^(?:❌|⬜|☐|✗|✘)\s*/u;

/**
 * Writes a checkbox into each item of a gate checklist that has none: `[x]` for an item marked done
 * (`- ✅ Signed off` → `- [x] Signed off`), `[ ]` for one marked not done or not marked. Only the team
 * knows which are done, so it is left to the user (not part of *Fix all*).
 */
const addCheckboxes: Fix = (svc, diag) => {
  const d = diag.data as { lines?: unknown } | undefined;
  const doc = svc.getDocument(diag.file);
  if (!doc || !Array.isArray(d?.lines)) return undefined;
  const edits: TextEdit[] = [];
  for (const line of d.lines) {
    const it = typeof line === 'number' ? doc.items[itemIndexAt(doc, line)] : undefined;
    // A stale diagnostic: an item gone, or one with its box already.
    if (!it || it.checked !== undefined) continue;
    const at = it.textRange.start;
    const done = DONE_MARK.exec(it.text);
    const notDone = done ? null : NOT_DONE_MARK.exec(it.text);
    const mark = done ?? notDone;
    edits.push({ range: range(at.line, at.character, at.line, at.character + (mark ? mark[0].length : 0)), newText: done ? '[x] ' : '[ ] ' });
  }
  if (!edits.length) return undefined;
  return {
    title: 'Write the checklist items as tasks (- [ ] / - [x])',
    codes: [diag.code],
    manual: true,
    change: { edits: [{ file: diag.file, edits }], creates: [] },
  };
};

/**
 * A YAML scalar that reads back as `s`, a string: plain where YAML reads it so (in a flow mapping too: no `,`
 * `[` `]` `{` `}`), else double-quoted. Text YAML cannot read alone (`%x`, `"a`) is quoted, not a failure.
 */
function yamlString(s: string): string {
  let plain: boolean;
  try {
    plain = YAML.parse(s, { logLevel: 'error' }) === s;
  } catch {
    plain = false;
  }
  return plain && !/[#:,[\]{}]|^\s|\s$/.test(s) ? s : JSON.stringify(s);
}

/**
 * Writes an allowed value over a front matter value the schema does not allow (`status: Complete` →
 * `complete`). Only when the value's text is still the one reported; one that differs in case or
 * separators only is fixed by Fix all, a word for a status (`done`) only when asked.
 */
const replaceFrontMatterValue: Fix = (svc, diag) => {
  const d = diag.data as { was?: unknown; value?: unknown; exact?: unknown } | undefined;
  const text = textAtRange(svc, diag);
  if (text === undefined || typeof d?.was !== 'string' || typeof d.value !== 'string') return undefined;
  let current: unknown;
  try {
    current = YAML.parse(text, { logLevel: 'error' });
  } catch {
    return undefined;
  }
  if (current !== d.was) return undefined;
  const a = {
    title: `Change \`${d.was}\` to \`${d.value}\``,
    codes: [diag.code],
    isPreferred: true,
    change: { edits: [{ file: diag.file, edits: [{ range: diag.range, newText: yamlString(d.value) }] }], creates: [] },
  };
  return d.exact === true ? a : { ...a, manual: true };
};

/**
 * Gives a front matter value the type its schema asks, as written (`title: 2024` → `"2024"`, `flag: "true"` → `true`),
 * when the value's text is still the one reported. Only when asked: it is the value's meaning that changes.
 */
const retypeFrontMatterValue: Fix = (svc, diag) => {
  const d = diag.data as { was?: unknown; text?: unknown } | undefined;
  if (typeof d?.was !== 'string' || typeof d.text !== 'string' || textAtRange(svc, diag) !== d.was) return undefined;
  return {
    title: /^["']/.test(d.text) ? `Quote \`${d.was}\` (a string)` : `Unquote ${d.was} (${/^(true|false)$/.test(d.text) ? 'a boolean' : 'a number'})`,
    codes: [diag.code],
    isPreferred: true,
    manual: true,
    change: { edits: [{ file: diag.file, edits: [{ range: diag.range, newText: d.text }] }], creates: [] },
  };
};

/**
 * Indents front matter with spaces where tabs stand in a line's indent (which YAML does not allow): two spaces for
 * each tab, on every line of the front matter. Offered only: the indent's width is the author's to choose.
 */
const frontMatterTabs: Fix = (svc, diag) => {
  const doc = svc.getDocument(diag.file);
  const fm = doc?.frontMatter;
  if (!doc || !fm) return undefined;
  const last = fm.terminated ? fm.endLine : doc.lines.length;
  const edits: TextEdit[] = [];
  for (let l = 1; l < last; l++) {
    const indent = /^[ \t]*/.exec(doc.lines[l])![0];
    if (indent.includes('\t')) edits.push({ range: range(l, 0, l, indent.length), newText: indent.replace(/\t/g, '  ') });
  }
  if (!edits.length) return undefined;
  return {
    title: 'Indent the front matter with spaces, not tabs',
    codes: [diag.code],
    isPreferred: true,
    manual: true,
    change: { edits: [{ file: diag.file, edits }], creates: [] },
  };
};

/**
 * Renames a misspelt front matter key (`titel` → `title`), when the key's text is still the one reported.
 * Only when asked: a key one letter from a schema's may be one of the author's own.
 */
const renameFrontMatterKey: Fix = (svc, diag) => {
  const d = diag.data as { was?: unknown; key?: unknown } | undefined;
  const text = textAtRange(svc, diag);
  if (text === undefined || typeof d?.was !== 'string' || typeof d.key !== 'string') return undefined;
  const quote = /^(["']).*\1$/.test(text) ? text[0] : '';
  if (text !== `${quote}${d.was}${quote}`) return undefined;
  return {
    title: `Rename \`${d.was}\` to \`${d.key}\``,
    codes: [diag.code],
    isPreferred: true,
    manual: true,
    change: { edits: [{ file: diag.file, edits: [{ range: diag.range, newText: `${quote}${d.key}${quote}` }] }], creates: [] },
  };
};

/**
 * Points a link whose anchor names no heading at the heading it most likely meant (broken-anchor's `to`), when the
 * link's target is still the one reported (`was`). Only when asked: it is a guess.
 */
const retargetAnchor: Fix = (svc, diag) => {
  const d = diag.data as { was?: unknown; to?: unknown } | undefined;
  if (typeof d?.was !== 'string' || typeof d.to !== 'string' || textAtRange(svc, diag) !== d.was) return undefined;
  return {
    title: `Link to ${d.to.slice(d.to.indexOf('#')).replace(/>$/, '')}`,
    codes: [diag.code],
    isPreferred: true,
    manual: true,
    change: { edits: [{ file: diag.file, edits: [{ range: diag.range, newText: d.to }] }], creates: [] },
  };
};

export const DOCUMENT_FIXES: Record<string, Fix> = {
  'retarget-anchor': retargetAnchor,
  'rename-front-matter-key': renameFrontMatterKey,
  'replace-front-matter-value': replaceFrontMatterValue,
  'retype-front-matter-value': retypeFrontMatterValue,
  'add-front-matter-key': addFrontMatterKey,
  'front-matter-tabs': frontMatterTabs,
  'add-checkboxes': addCheckboxes,
  'add-front-matter': addFrontMatter,
  'remove-leading-blank-lines': removeLeadingBlankLines,
  'create-linked-file': createLinkedFile,
  'insert-rationale': insertRationale,
};
