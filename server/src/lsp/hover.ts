/**
 * Hover: schema descriptions on front matter keys, a phase's summary on a phase reference, a section's spec on its heading
 * or bold label, and where a deliverable of the prompt or the brief is addressed.
 */
import { Connection, Hover, HoverParams, MarkupKind, Range as LspRange } from 'vscode-languageserver';
import { expandTitle, writtenTitle } from '../service/layout';
import type { DocumentKindSpec, SectionSpec } from '../service/layout';
import { normalizeTitle } from '../service/markdown';
import { kindOf } from '../service/workspace';
import { specSection, unescapeTarget } from '../service/rules/doc-util';
import type { ServerContext, Target } from './context';
import { fromClientPosition, toClientRange } from './convert';
import * as YAML from 'yaml';
import { HOLE, clampCharacter, flowKeyAt, frontMatterKeyAt, inFrontMatter, scalarAt, yamlPathAt, yamlScalar } from './completion';
import { codePathAt, linkAt, phaseAtPath, phaseRefAt, phaseSummary, resolveCodePath, resolveTarget } from './phases';
import { PropertyInfo, schemaInForce, schemaProperties, schemaPropertiesAt, valueKey } from './schema';
import { directiveHover } from './directives';
import { kindLabels } from './labels';
import { deliverableSummary } from '../service/deliverable-nav';
import { checkDocumentParams } from './params';

/** Most enum values a key's hover lists. */
const MAX_VALUES = 30;

/** `text` as a Markdown code span (a longer fence around a backtick). */
function codeSpan(text: string): string {
  return text.includes('`') ? `\`\` ${text} \`\`` : `\`${text}\``;
}

export function hover(t: Target, line: number, ch: number): Hover | null {
  const doc = t.doc;
  if (!doc) return null;
  ch = clampCharacter(doc, line, ch);
  const src = doc.lines[line] ?? '';
  // The range of what is hovered, which the editor highlights, holds the position hovered (a heading's `##`, a
  // label's `**`, a list item's bullet): else the editor, as the mouse moves there, finds the hover not for it
  // and hides it, to ask for it again.
  const md = (value: string, range?: LspRange): Hover => ({ contents: { kind: MarkupKind.Markdown, value }, range: range && holding(range, line, ch) });
  const directive = directiveHover(doc, line, ch);
  if (directive) return md(directive.value, directive.range);
  if (inFrontMatter(doc, line)) {
    // A vscode-yaml modeline (`# yaml-language-server: $schema=…`): which schema checks this front matter instead.
    const modeline = MODELINE.exec(src);
    if (modeline) return md(modelineHover(t), LspRange.create(line, modeline[1].length, line, src.trimEnd().length));
    const key = frontMatterKeyAt(doc, line);
    const m = /^([A-Za-z_][\w-]*)\s*:/.exec(src);
    if (key?.own && m && ch <= m[1].length) {
      const { spec } = kindOf(t.svc.model, t.path);
      const p = schemaProperties(t.svc, spec).find((x) => x.name === key.key);
      if (!p) return null;
      return md(propertyHover(p).join('\n\n'), LspRange.create(line, 0, line, m[1].length));
    }
    // A key of a flow mapping (`meta: {level: low}`).
    const flow = flowKeyAt(src, ch);
    if (flow && flow.start < flow.end && ch >= flow.start) {
      const where = yamlPathAt(doc, line, flow.start, flow.end, HOLE);
      if (where && where.path[where.path.length - 1] === HOLE) {
        const { spec } = kindOf(t.svc.model, t.path);
        const name = src.slice(flow.start, flow.end);
        const p = schemaPropertiesAt(t.svc, spec, where.path.slice(0, -1)).find((x) => x.name === name);
        if (p) return md(propertyHover(p).join('\n\n'), LspRange.create(line, flow.start, line, flow.end));
      }
    }
    // A key of a nested mapping (`  level:`, `  - state:`).
    const nested = /^([ \t]*(?:-[ \t]+)?)([A-Za-z_][\w-]*)[ \t]*:/.exec(src);
    if (nested?.[1] && ch >= nested[1].length && ch <= nested[1].length + nested[2].length) {
      const from = nested[1].length;
      const where = yamlPathAt(doc, line, from, from + nested[2].length, HOLE);
      if (where && where.path.length > 1) {
        const { spec } = kindOf(t.svc.model, t.path);
        const p = schemaPropertiesAt(t.svc, spec, where.path.slice(0, -1)).find((x) => x.name === nested[2]);
        if (p) return md(propertyHover(p).join('\n\n'), LspRange.create(line, from, line, from + nested[2].length));
      }
    }
  }
  const link = linkAt(doc, line, ch);
  const code = link ? undefined : codePathAt(doc, line, ch);
  const target = link ? unescapeTarget(link.target) : code?.text;
  if (target) {
    const p = link ? resolveTarget(t.folder.path, t.path, target, t.svc) : resolveCodePath(t.svc, t.folder.path, t.path, target);
    const phase = p ? phaseAtPath(t.svc, p) : undefined;
    // A link within the document's own phase is not a phase reference (unless it names the folder).
    if (phase && (phase !== phaseAtPath(t.svc, t.path) || p === phase.folder))
      return md(phaseSummary(t.svc, phase), link ? link.range : LspRange.create(line, code!.start, line, code!.end));
  }
  const ref = phaseRefAt(t.svc, t.path, doc, line, ch);
  if (ref) return md(phaseSummary(t.svc, ref.phase), LspRange.create(line, ref.start, line, ref.end));
  if (inFrontMatter(doc, line)) return valueHover(t, line, ch, md);
  const heading = doc.headings.find((h) => h.line === line);
  if (heading) {
    const { phase, spec } = kindOf(t.svc.model, t.path);
    const key = normalizeTitle(heading.text);
    // A heading the spec's aliases name (`## Key Activities (via iAI Prompt)`) is that section too.
    const own = { sections: doc.sections.filter((s) => s.heading.line === line) };
    const sec = spec?.sections.find((s) => {
      const k = normalizeTitle(expandTitle(s.title, phase?.number));
      // Also as `new` writes it in phase 0 (a `{N-1}` that names no phase dropped: see writtenTitle).
      const w = normalizeTitle(writtenTitle(s.title, phase?.number));
      return k === key || w === key || key.endsWith(' ' + k) || (s.aliases !== undefined && specSection(own, s, phase?.number, false) !== undefined);
    });
    if (sec) return md(sectionSummary(sec, spec!, phase?.number), heading.textRange);
    if (heading.level === 1 && spec && phase) return md(`**${spec.name}** of ${phase.id}\n\n${phaseSummary(t.svc, phase)}`, heading.textRange);
    return null;
  }
  // A bold label standing for a section (`**Deliverables**:`, `- **Description:** …`), on its bold text.
  const label = kindLabels(t.svc, t.path, doc).find((l) => l.section.heading.line === line);
  if (label) {
    const { from, to } = boldSpan(src, label.section.heading.textRange);
    if (ch >= from && ch <= to) return md(sectionSummary(label.spec, label.kind, label.n), label.section.heading.textRange);
  }
  // A deliverable of the prompt or the brief: where it is addressed.
  const deliverable = deliverableSummary(t.svc, t.path, line, ch);
  if (deliverable) return md(deliverable.text, deliverable.at);
  return null;
}

/** A yaml-language-server modeline, as vscode-yaml reads one: a comment line of its own. */
const MODELINE = /^([ \t]*)#[ \t]*yaml-language-server[ \t]*:/;

/**
 * What a modeline does here: nothing. The front matter of a document is checked against the schema of its document kind,
 * which phasegate.yaml chooses (see README, front-matter-schema), whatever schema a modeline names.
 */
function modelineHover(t: Target): string {
  const { spec } = kindOf(t.svc.model, t.path);
  const id = spec?.schema;
  const schema = schemaInForce(t.svc, spec);
  const which = !id
    ? 'no schema checks the front matter of this document'
    : `its front matter is checked against the \`${id}\` schema of its document kind (${schema !== undefined && schema !== t.svc.assets.schemas[id] ? "the workspace's own, from `schemas:` in phasegate.yaml" : 'the built-in one'})`;
  return `**Not read by Phasegate**: ${which}, whatever schema this comment names. Front matter schemas are chosen by document kind in phasegate.yaml (\`schemas:\`, or a layout document's \`schema\`).`;
}

/** What a front matter key is: its type, whether it is required or deprecated, its description, allowed values, default and examples. */
function propertyHover(p: PropertyInfo): string[] {
  const parts = [`**${p.name}**${p.type ? ` \`${p.type}\`` : ''}${p.required ? ' (required)' : ''}`];
  if (p.deprecated) parts.push(`**Deprecated**${p.deprecationMessage ? `: ${p.deprecationMessage}` : '.'}`);
  if (p.description) parts.push(p.description);
  if (p.enumValues.length) {
    const shown = p.enumValues.slice(0, MAX_VALUES).map((v) => codeSpan(yamlScalar(v)));
    parts.push(`One of: ${shown.join(', ')}${p.enumValues.length > MAX_VALUES ? `, … (${p.enumValues.length} in all)` : ''}`);
  }
  if (p.default !== undefined) parts.push(`Default: ${codeSpan(yamlScalar(p.default))}`);
  if (p.examples.length) parts.push(`${p.examples.length > 1 ? 'Examples' : 'Example'}: ${p.examples.map((v) => codeSpan(yamlScalar(v))).join(', ')}`);
  return parts;
}

/**
 * A front matter value (after its key's colon, or a list item under its key, in a flow list too): what the value
 * means when the schema says (`enumDescriptions`), then what its key is. Null where the schema says nothing of it.
 */
function valueHover(t: Target, line: number, ch: number, md: (value: string, range?: LspRange) => Hover): Hover | null {
  const doc = t.doc!;
  const src = doc.lines[line] ?? '';
  // Also a nested mapping's (`  level: low`) and a list's mapping's (`  - state: ok`): where the value is, the parser says.
  const ownKey = /^[ \t]*(?:-[ \t]+)?[A-Za-z_][\w-]*[ \t]*:[ \t]*/.exec(src);
  // On the key: no value of it.
  const lead = ownKey ?? /^[ \t]*-[ \t]*/.exec(src);
  if (!lead || ch < lead[0].length) return null;
  const at = scalarAt(src, lead[0].length, ch);
  if (!at || at.start === at.end || ch > at.end) return null;
  const where = yamlPathAt(doc, line, at.start, at.end, HOLE);
  if (!where) return null;
  const { path } = where;
  const keyIndex = typeof path[path.length - 1] === 'number' ? path.length - 2 : path.length - 1;
  const key = path[keyIndex];
  if (typeof key !== 'string') return null;
  const { spec } = kindOf(t.svc.model, t.path);
  const p = schemaPropertiesAt(t.svc, spec, path.slice(0, keyIndex)).find((x) => x.name === key);
  if (!p) return null;
  const parts: string[] = [];
  let value: unknown;
  try {
    // As a document, which logs nothing (a `%x` would warn of a directive).
    const d = YAML.parseDocument(src.slice(at.start, at.end));
    value = d.errors.length ? undefined : d.toJS();
  } catch {
    value = undefined;
  }
  const meaning = value === undefined ? undefined : p.valueDescriptions.get(valueKey(value));
  if (meaning) parts.push(`${codeSpan(yamlScalar(value))}: ${meaning}`);
  else if (!p.description) return null;
  parts.push(...propertyHover(p));
  return md(parts.join('\n\n'), LspRange.create(line, at.start, line, at.end));
}

const before = (a: { line: number; character: number }, b: { line: number; character: number }) =>
  a.line < b.line || (a.line === b.line && a.character <= b.character);

/** `range` grown to hold the position (`line`, `ch`). */
function holding(range: LspRange, line: number, ch: number): LspRange {
  const at = { line, character: ch };
  if (!before(range.start, at)) return { start: at, end: range.end };
  if (!before(at, range.end)) return { start: range.start, end: at };
  return range;
}

/** What a section of a document kind is: its title, whether it is required, its description. */
function sectionSummary(sec: SectionSpec, kind: DocumentKindSpec, n: number | undefined): string {
  const req = sec.required === false ? 'Optional section' : sec.allowEmpty ? 'Required section (may be empty)' : 'Required section';
  return `**${writtenTitle(sec.title, n)}** — ${req} of the ${kind.name}.\n\n${writtenTitle(sec.description ?? '', n)}`.trim();
}

/** The columns of a label's bold text, its markers included (`**Name**`, `**Name:**`), from its text's range. */
function boldSpan(src: string, text: LspRange): { from: number; to: number } {
  const from = text.start.character - 2;
  const close = src.indexOf(src.slice(from, from + 2), text.end.character);
  return { from, to: close < 0 ? text.end.character : close + 2 };
}

export function registerHover(connection: Connection, ctx: ServerContext): void {
  connection.onHover((params: HoverParams, token) =>
    ctx.safe('hover', null as Hover | null, async () => {
      checkDocumentParams('textDocument/hover', params, { position: true });
      // A phase summary reads other documents too: their edits still waiting (debounced) count.
      await ctx.flushAll();
      const t = await ctx.target(params.textDocument.uri);
      if (!t || token.isCancellationRequested) return null;
      // The first line of a text with a byte order mark: the engine's positions are one unit short (see toClientRange).
      const bom = ctx.hasBom(t.uri);
      const at = fromClientPosition(params.position, bom);
      const found = hover(t, at.line, at.character);
      const h = found?.range && bom ? { ...found, range: toClientRange(found.range, true) } : found;
      if (h && !ctx.caps.markdownHover && typeof h.contents === 'object' && 'value' in h.contents) {
        return { contents: h.contents.value, range: h.range };
      }
      return h;
    }),
  );
}
