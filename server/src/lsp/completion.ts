/**
 * Completion: front matter keys and values from the kind's schema, the kind's missing
 * section headings after `## `, phase ids, and relative paths inside `](`.
 */
import {
  CompletionItem,
  CompletionItemKind,
  CompletionItemTag,
  CompletionParams,
  Connection,
  InsertTextFormat,
  MarkupKind,
  Range as LspRange,
  TextEdit,
} from 'vscode-languageserver';
import * as YAML from 'yaml';
import { dirname, joinPath } from '../service/host';
import { writtenTitle } from '../service/layout';
import { today } from '../service/templates';
import { ParsedDocument, maskInlineCode, paragraphLines, spanningCode } from '../service/markdown';
import { kindOf } from '../service/workspace';
import { kindSection, listedGate } from '../service/rules/structure';
import { headingAnchors } from '../service/rules/doc-anchors';
import type { ServerContext, Target } from './context';
import { fromClientPosition, toClientRange } from './convert';
import { phaseTitle, resolveTarget } from './phases';
import { PropertyInfo, schemaProperties, schemaPropertiesAt, valueKey } from './schema';
import { directiveCompletion } from './directives';
import { checkDocumentParams } from './params';

export const COMPLETION_TRIGGERS = ['#', ' ', ':', '(', '/'];

/**
 * A position's character within its line: one past the line's end reads as the end, as LSP says (an
 * editor may ask there, e.g. in a virtual space column); an edit or range from it then stays in the document.
 */
export function clampCharacter(doc: ParsedDocument, line: number, ch: number): number {
  return Math.max(0, Math.min(ch, (doc.lines[line] ?? '').length));
}

/** Where the cursor is relative to the front matter: `inside` between the fences. */
export function inFrontMatter(doc: ParsedDocument, line: number): boolean {
  const fm = doc.frontMatter;
  if (!fm) return false;
  if (!fm.terminated) return line > 0;
  return line > fm.startLine && line < fm.endLine;
}

/** The top-level front matter key a line belongs to (the line's own, or the one above a list item), and the key's line. */
export function frontMatterKeyAt(doc: ParsedDocument, line: number): { key: string; own: boolean; line: number } | undefined {
  for (let l = line; l > 0; l--) {
    const src = doc.lines[l] ?? '';
    const m = /^([A-Za-z_][\w-]*)\s*:/.exec(src);
    if (m) return { key: m[1], own: l === line, line: l };
    // A block list's items may start at the line's start (`- phase-1`), under their key.
    if (l !== line && !/^[\s-]/.test(src) && src.trim() !== '') return undefined;
  }
  return undefined;
}

/** Most values offered for a key (a workspace schema may list many more). */
const MAX_VALUES = 1000;
/** Longest string tried as a plain scalar (longer ones are quoted). */
const MAX_PLAIN = 200;

/** Whether `text`, written after `key: ` in a block mapping, reads back as the string `s` (front matter is parsed as YAML 1.2). */
function readsAs(text: string, s: string): boolean {
  try {
    const doc = YAML.parseDocument(`k: ${text}\n`, { strict: true, uniqueKeys: true, prettyErrors: false });
    if (doc.errors.length || doc.warnings.length) return false;
    const data: unknown = doc.toJS();
    return isRecord(data) && data.k === s;
  } catch {
    return false;
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

/**
 * `v` written as a one-line YAML scalar that reads back as `v`: a string plain when YAML would read
 * it unchanged (not `true`, `1.0`, `a: b`, `a #b`, ...), else double-quoted as JSON (valid YAML); other
 * values as JSON (flow style).
 */
export function yamlScalar(v: unknown): string {
  if (typeof v === 'string') {
    // Ids and words (`in-progress`, `Build/Phase_1_CI`) are plain without asking the parser (performance only).
    if (/^[A-Za-z_][\w./-]*$/.test(v) && !/^(true|false|null|yes|no|on|off|y|n)$/i.test(v)) return v;
    const plain = v.length <= MAX_PLAIN && /^[^\s"'`{}[\],#&*!|>%@?:-]/.test(v) && !/[\p{Cc}\u2028\u2029]|\s$/u.test(v);
    return plain && readsAs(v, v) ? v : JSON.stringify(v);
  }
  return JSON.stringify(v) ?? 'null';
}

/** A front matter key: plain when it is a plain key (as the key lines are read here), else double-quoted. */
function yamlKey(name: string): string {
  return /^[A-Za-z_][\w-]*$/.test(name) && !/^(true|false|null|yes|no|on|off|y|n)$/i.test(name) ? name : JSON.stringify(name);
}

const KEY_LINE = /^([A-Za-z_][\w-]*)\s*:/;

/** Top-level keys of the front matter other than the one on `line`: on other lines, and in the parsed data (quoted keys). */
function keysElsewhere(doc: ParsedDocument, line: number): Set<string> {
  const present = new Set<string>();
  const fm = doc.frontMatter;
  for (let l = 1; l < doc.lines.length && (!fm?.terminated || l < fm.endLine); l++) {
    const m = KEY_LINE.exec(doc.lines[l]);
    if (m && l !== line) present.add(m[1]);
  }
  if (fm && isRecord(fm.data)) {
    const own = KEY_LINE.exec(doc.lines[line] ?? '')?.[1];
    for (const k of Object.keys(fm.data)) if (k !== own) present.add(k);
  }
  return present;
}

/**
 * The scalar under the cursor (`ch`) in a front matter value that starts at `from`, as the columns a
 * completed value replaces: after an anchor or tag (`&a `, `!!str `), through a closing quote, up to
 * a comment (` #`) and, in a flow collection (`[a, b]`), within the item between its `[`, `{` or `,`
 * and the `,`, `]` or `}` after it. Blanks between the scalar and the cursor are replaced too.
 * Undefined where no value goes: in an anchor, tag or comment, or after a closing quote.
 */
export function scalarAt(src: string, from: number, ch: number): { start: number; end: number } | undefined {
  let start = from;
  const flow = src[from] === '[' || src[from] === '{';
  if (flow) {
    let quote = '';
    for (let i = from; i < ch; i++) {
      const c = src[i];
      if (quote) {
        if (quote === '"' && c === '\\') i++;
        else if (c === quote && quote === "'" && src[i + 1] === "'") i++;
        else if (c === quote) quote = '';
      } else if ((c === '"' || c === "'") && src.slice(start, i).trim() === '') quote = c;
      else if (c === '[' || c === '{' || c === ',') start = i + 1;
      // The value of a flow mapping's entry (`{a: b}`).
      else if (c === ':' && /[\s,[\]{}]/.test(src[i + 1] ?? ' ')) start = i + 1;
      else if (c === '#' && /\s/.test(src[i - 1] ?? '')) return undefined;
    }
    while (start < ch && /[ \t]/.test(src[start])) start++;
  }
  // Anchors and tags before the value.
  for (let m; (m = /^[&!][^\s,[\]{}]*[ \t]+/.exec(src.slice(start))) && start + m[0].length <= ch;) start += m[0].length;
  if (src[start] === '&' || src[start] === '!') return undefined;
  let end: number;
  const q = src[start];
  if (q === '"' || q === "'") {
    end = src.length;
    for (let i = start + 1; i < src.length; i++) {
      if (q === '"' && src[i] === '\\') i++;
      else if (q === "'" && src[i] === "'" && src[i + 1] === "'") i++;
      else if (src[i] === q) {
        end = i + 1;
        break;
      }
    }
  } else {
    const stop = (flow ? /[ \t]#|[,\]}]/ : /[ \t]#/).exec(src.slice(start));
    end = stop ? start + stop.index : src.length;
  }
  while (end > start && /[ \t]/.test(src[end - 1])) end--;
  if (ch > end) {
    if (!/^[ \t]*$/.test(src.slice(end, ch))) return undefined;
    end = ch;
  }
  return { start, end };
}

/** A list item as written (`phase-1`, `"phase-1"`, `'a b'`), unquoted as YAML reads it; undefined when it reads as no string. */
function itemValue(text: string): string | undefined {
  const t = text.trim();
  if (!t) return undefined;
  if (!/^["']/.test(t)) return t;
  try {
    const v: unknown = YAML.parse(t);
    return typeof v === 'string' ? v : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The items of a one-line flow list that starts at `from` (`[phase-1, "phase-2", ph]`), each with its first
 * column, up to its `]` or a comment; quoted items may hold commas.
 */
function flowItems(src: string, from: number): { text: string; start: number }[] {
  const out: { text: string; start: number }[] = [];
  let start = from + 1;
  let quote = '';
  for (let i = from + 1; i <= src.length; i++) {
    const c = src[i];
    if (quote) {
      if (quote === '"' && c === '\\') i++;
      else if (c === quote) quote = '';
      continue;
    }
    if ((c === '"' || c === "'") && src.slice(start, i).trim() === '') quote = c;
    else if (c === ',' || c === ']' || c === undefined || (c === '#' && /\s/.test(src[i - 1] ?? ''))) {
      out.push({ text: src.slice(start, i), start });
      if (c !== ',') break;
      start = i + 1;
    }
  }
  return out;
}

/**
 * The values a front matter list already holds, as written (unquoted), other than the item being completed: the other
 * items of a one-line flow list (`depends_on: [phase-1, ph]`), or the other `- ` items under the key of a
 * block list. Completion leaves them out: accepting one would list it twice.
 */
function listedValues(doc: ParsedDocument, keyLine: number, line: number, valueStart: number, itemStart: number): Set<string> {
  const out = new Set<string>();
  const add = (text: string) => {
    const v = itemValue(text);
    if (v !== undefined) out.add(v);
  };
  const src = doc.lines[line] ?? '';
  if (src[valueStart] === '[') {
    for (const it of flowItems(src, valueStart)) if (it.start > itemStart || it.start + it.text.length < itemStart) add(it.text);
    return out;
  }
  const fm = doc.frontMatter;
  const last = fm?.terminated ? fm.endLine : doc.lines.length;
  for (let l = keyLine + 1; l < last; l++) {
    const s = doc.lines[l] ?? '';
    // The next key ends the list.
    if (!/^\s/.test(s) && !s.startsWith('-') && s.trim() !== '') break;
    const v = listItemValue(s);
    if (v !== undefined && l !== line) add(v);
  }
  return out;
}

/**
 * The value of a YAML list item line (`  - a  # note` gives `a`), as `/^[ \t]*-[ \t]+(.*?)(?:[ \t]+#.*)?$/`
 * read it: up to the white space before the first `#` that follows white space, else to the end. In one pass:
 * the expression went over the rest once for each place the value could end (4 s for a dash and 2,000 spaces).
 */
export function listItemValue(s: string): string | undefined {
  const lead = /^[ \t]*-[ \t]+/.exec(s);
  if (!lead || /[\n\r\u2028\u2029]/.test(s)) return undefined;
  const start = lead[0].length;
  let blanks = -1;
  for (let i = start; i < s.length; i++) {
    const c = s[i];
    if (c === ' ' || c === '\t') {
      if (blanks < 0) blanks = i;
    } else if (c === '#' && blanks >= 0) {
      return s.slice(start, blanks);
    } else {
      blanks = -1;
    }
  }
  return s.slice(start);
}

/**
 * Front matter keys whose values name phases, as the schemas define them: the document's own phase
 * (`phase`), the phase an input handoff comes from (`from`), the one an output handoff goes to (`to`),
 * and the phases a brief or prompt depends on (`depends_on`, a list).
 */
const PHASE_KEYS: Record<string, 'one' | 'list'> = { phase: 'one', from: 'one', to: 'one', depends_on: 'list' };

/**
 * Whether a value of `key` (on its own line, or an item of its list) names a phase. Other than `phase`,
 * only where the schema in force defines the key without values of its own (an enum).
 */
function namesPhases(key: string, prop: PropertyInfo | undefined, own: boolean, flowList: boolean): boolean {
  const kind = Object.hasOwn(PHASE_KEYS, key) ? PHASE_KEYS[key] : undefined;
  if (!kind || (key !== 'phase' && (!prop || prop.enumValues.length))) return false;
  return kind === 'one' ? own && !flowList : !own || flowList;
}

/** Whether a key's values are offered once it is written (`key: `, or a list's first item): allowed values, a boolean's two, a default. */
function offersValues(p: PropertyInfo, list = false): boolean {
  return p.enumValues.length > 0 || p.boolean || (!list && p.default !== undefined);
}

/**
 * The completion of key `p` (the `i`th the schema gives) by `text` over `range`: its type and whether it is required,
 * its description; a deprecated key (`deprecated`, `deprecationMessage`) struck through, with why, after the others.
 * With `suggest`, the editor asks for the key's values once it is written.
 */
function keyItem(p: PropertyInfo, i: number, range: LspRange, text: string, suggest: boolean): CompletionItem {
  const docs = [p.deprecated ? `**Deprecated**${p.deprecationMessage ? `: ${p.deprecationMessage}` : '.'}` : undefined, p.description].filter(Boolean);
  return {
    label: p.name,
    kind: CompletionItemKind.Property,
    detail: `${p.type ?? 'value'}${p.required ? ' (required)' : ''}${p.deprecated ? ' (deprecated)' : ''}`,
    documentation: docs.length ? { kind: MarkupKind.Markdown, value: docs.join('\n\n') } : undefined,
    sortText: `${p.deprecated ? 1 : 0}${String(i).padStart(3, '0')}`,
    tags: p.deprecated ? [CompletionItemTag.Deprecated] : undefined,
    textEdit: TextEdit.replace(range, text),
    command: suggest ? { title: 'Suggest', command: 'editor.action.triggerSuggest' } : undefined,
  };
}

/**
 * The key under the cursor (`ch`) in a flow mapping of a front matter line (`meta: {level: low, ow|}`, `- {|}`,
 * `x: [{|}]`): the columns of the key's word, from its start through the word after the cursor, and the colon and
 * blanks after it (`sep`, replaced with the key). Undefined where the cursor is in no flow mapping's key: in a value,
 * a quoted key, a comment, or a flow sequence's item.
 */
export function flowKeyAt(src: string, ch: number): { start: number; end: number; sep: string } | undefined {
  const lead = /^[ \t]*(?:-[ \t]+)?(?:[A-Za-z_][\w-]*[ \t]*:[ \t]+)?/.exec(src)![0].length;
  if (src[lead] !== '{' && src[lead] !== '[') return undefined;
  // The open collections before the cursor, and whether the entry of the innermost mapping is past its key.
  const open: string[] = [];
  let inValue = false;
  let entry = lead;
  let quote = '';
  for (let i = lead; i < ch; i++) {
    const c = src[i];
    if (quote) {
      if (quote === '"' && c === '\\') i++;
      else if (c === quote && quote === "'" && src[i + 1] === "'") i++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '{' || c === '[' || c === ',') {
      // A new entry starts: its key, in a mapping.
      if (c !== ',') open.push(c);
      inValue = false;
      entry = i + 1;
    } else if (c === '}' || c === ']') {
      // A collection closed: what follows is no key.
      open.pop();
      inValue = true;
    } else if (c === ':' && /[\s,[\]{}]/.test(src[i + 1] ?? ' ')) inValue = true;
    else if (c === '#' && /\s/.test(src[i - 1] ?? '')) return undefined;
  }
  if (quote || inValue || open[open.length - 1] !== '{') return undefined;
  const typed = /^[ \t]*([A-Za-z_][\w-]*)?$/.exec(src.slice(entry, ch));
  if (!typed) return undefined;
  const start = ch - (typed[1]?.length ?? 0);
  const end = ch + /^[\w-]*/.exec(src.slice(ch))![0].length;
  const sep = /^[ \t]*:[ \t]*/.exec(src.slice(end))?.[0];
  // Anything else after the word would become a key of its own.
  if (sep === undefined && !/^[ \t]*([,}]|$)/.test(src.slice(end))) return undefined;
  return { start, end, sep: sep ?? '' };
}

/** The keys offered in a flow mapping (`{level: low, |}`): the schema's keys of that mapping that it does not hold. */
function flowKeyItems(t: Target, line: number, ch: number): CompletionItem[] | undefined {
  const doc = t.doc!;
  const key = flowKeyAt(doc.lines[line] ?? '', ch);
  if (!key) return undefined;
  const to = key.end + key.sep.length;
  const at = yamlPathAt(doc, line, key.start, to, `${HOLE}: `);
  if (!at || at.path[at.path.length - 1] !== HOLE) return [];
  const { spec } = kindOf(t.svc.model, t.path);
  const range = LspRange.create(line, key.start, line, to);
  return schemaPropertiesAt(t.svc, spec, at.path.slice(0, -1))
    .filter((p) => !at.siblings.has(p.name) && !p.hidden)
    .map((p, i) => keyItem(p, i, range, `${yamlKey(p.name)}: `, offersValues(p)));
}

function frontMatterItems(t: Target, line: number, ch: number): CompletionItem[] {
  const doc = t.doc!;
  const src = doc.lines[line] ?? '';
  const before = src.slice(0, ch);
  const { phase, spec } = kindOf(t.svc.model, t.path);
  const props = schemaProperties(t.svc, spec);
  const keyAt = /^([ \t]*(?:-[ \t]+)?)([A-Za-z_][\w-]*)?$/.exec(before);
  if (keyAt) {
    // A key at the start of a line (of a nested mapping: indented, or after a list item's `- `). The edit replaces the
    // key word under the cursor and, on a `key: value` line, its colon and the spaces after it (`status|: x` -> `owner: x`): the value stays.
    const indent = keyAt[1];
    const wordEnd = ch + (/^[\w-]*/.exec(src.slice(ch))?.[0].length ?? 0);
    const rest = src.slice(wordEnd);
    const sep = /^[ \t]*:[ \t]*/.exec(rest)?.[0];
    // Anything else after the cursor (a list item, a quoted key, text) would become the value: no key fits here.
    const fits = sep !== undefined || /^\s*(#.*)?$/.test(rest);
    if (!indent && !fits) return [];
    let keys: PropertyInfo[] | undefined = props;
    let present: Set<string> | undefined;
    // The path of the mapping a key here would be a key of.
    let parent: (string | number)[] | undefined = [];
    if (indent) {
      // Where a key here would stand: the mapping it would be a key of, and the keys that mapping holds.
      const at = fits ? yamlPathAt(doc, line, indent.length, wordEnd + (sep?.length ?? 0), `${HOLE}: `) : undefined;
      parent = at && at.path.length > 1 ? at.path.slice(0, -1) : undefined;
      keys = parent ? schemaPropertiesAt(t.svc, spec, parent) : undefined;
      present = at?.siblings;
    }
    if (keys?.length) {
      const range = LspRange.create(line, indent.length, line, wordEnd + (sep?.length ?? 0));
      present ??= keysElsewhere(doc, line);
      // A list's key with no value after it starts its first item on the next line (`tags:` `  - `), as lists are written.
      // Not over items already there (a key retyped above its list): a line below indented more, or a list item.
      const below = doc.lines[line + 1] ?? '';
      const deeper = /^[ \t]*/.exec(below)![0].length > indent.length && below.trim() !== '' && below.trim() !== '---';
      const bare = (sep === undefined || /^\s*(#.*)?$/.test(rest.slice(sep.length))) && !deeper && !/^[ \t]*-(\s|$)/.test(below);
      const top = !indent;
      return keys
        .filter((p) => !present!.has(p.name) && !p.hidden)
        .map((p, i) => {
          const list = bare && p.type === 'array';
          // A mapping's key, likewise, starts the mapping on the next line (`meta:` `  `), its keys offered at once.
          const mapping = bare && p.type === 'object' && schemaPropertiesAt(t.svc, spec, [...parent!, p.name]).length > 0;
          const suggest = (top && PHASE_KEYS[p.name] === 'one') || (top && list && PHASE_KEYS[p.name] === 'list') || mapping;
          const below = `${doc.eol}${' '.repeat(indent.length)}  ${list ? '- ' : ''}`;
          return keyItem(p, i, range, list || mapping ? `${yamlKey(p.name)}:${below}` : `${yamlKey(p.name)}: `, suggest || offersValues(p, list));
        });
    }
    if (!indent) return [];
  }
  // A key of a flow mapping (`meta: {level: low, |}`).
  const flowKeys = flowKeyItems(t, line, ch);
  if (flowKeys) return flowKeys;
  // A value of a nested mapping's key (in a flow mapping too), or an item of a list that is no top-level key's.
  const nested = nestedValueItems(t, line, ch);
  if (nested) return nested;
  const at = frontMatterKeyAt(doc, line);
  if (!at) return [];
  // A value after the line's own `key:`, or after the `-` of a list item under a key.
  const lead = at.own ? /^[\w-]+\s*:[ \t]*/.exec(src) : /^[ \t]*-[ \t]*/.exec(src);
  if (!lead) return [];
  const valueStart = lead[0].length;
  if (ch < valueStart) return [];
  const scalar = scalarAt(src, valueStart, ch);
  if (!scalar) return [];
  // Right after the colon or dash (`status:|`) the value needs a space before it: `status:draft` is one plain scalar.
  const space = (scalar.start === valueStart ? !/[ \t]$/.test(lead[0]) : src[scalar.start - 1] === ':') ? ' ' : '';
  // A comment right after the cursor keeps a space before it: `draft#…` would be one plain scalar.
  const after = src[scalar.end] === '#' ? ' ' : '';
  const range = LspRange.create(line, scalar.start, line, scalar.end);
  const prop = props.find((p) => p.name === at.key);
  const flowList = src[valueStart] === '[';
  // An item of a list: the values its other items hold are not offered again.
  const listed = !at.own || flowList ? listedValues(doc, at.line, line, valueStart, scalar.start) : new Set<string>();
  // Phase ids are compared without case, as phase references are read (`Phase-1` names phase-1).
  const listedIds = new Set([...listed].map((v) => v.toLowerCase()));
  const values: { label: string; doc?: string }[] = [];
  if (namesPhases(at.key, prop, at.own, flowList)) {
    for (const p of t.svc.model.phases) {
      // The document's own phase is offered for `phase` only: it neither hands off to nor depends on itself.
      if (at.key !== 'phase' && p === phase) continue;
      if (listedIds.has(p.id.toLowerCase())) continue;
      values.push({ label: yamlScalar(p.id), doc: `${phaseTitle(t.svc, p)} (${p.layout.name})` });
    }
  }
  return valueItems(prop, values, listed, range, space, after);
}

/** The values offered for a key (`prop`) after `first` (phase ids): its allowed values, with what each means, and a boolean's two. */
function valueItems(
  prop: PropertyInfo | undefined,
  first: { label: string; doc?: string }[],
  listed: Set<string>,
  range: LspRange,
  space: string,
  after: string,
): CompletionItem[] {
  const values = [...first];
  for (const v of prop?.enumValues.slice(0, MAX_VALUES) ?? []) {
    if (typeof v === 'string' && listed.has(v)) continue;
    // What the value means (`enumDescriptions`), and whether it is the default.
    const meaning = [
      prop!.valueDescriptions.get(valueKey(v)),
      prop!.default !== undefined && valueKey(prop!.default) === valueKey(v) ? '(default)' : undefined,
    ];
    values.push({ label: yamlScalar(v), doc: meaning.filter(Boolean).join(' ') || undefined });
  }
  // A boolean's two values, where the schema lists none of its own.
  if (prop?.boolean && !prop.enumValues.length) for (const b of ['true', 'false']) if (!listed.has(b)) values.push({ label: b });
  // A date's today (the editor's machine's day, as `new` dates the documents it writes).
  if (prop?.date && !prop.enumValues.length && !listed.has(today())) values.push({ label: today(), doc: 'Today.' });
  // Where the schema lists no values: its default, then its examples (those of an item, for a list), as vscode-yaml offers
  // them; not beside phase ids, nor for a date (today is the one to offer), nor one already listed or offered.
  if (prop && !prop.enumValues.length && !first.length) {
    const offered = new Set(values.map((v) => v.label));
    const more: { v: unknown; doc: string }[] = [];
    if (prop.default !== undefined) more.push({ v: prop.default, doc: '(default)' });
    if (!prop.date) for (const v of prop.examples) more.push({ v, doc: 'Example.' });
    for (const { v, doc } of more) {
      if (v === null || typeof v === 'object' || (typeof v === 'string' && listed.has(v))) continue;
      const label = yamlScalar(v);
      // A boolean's default: said of the value already offered.
      const same = values.find((x) => x.label === label);
      if (same && doc === '(default)' && !same.doc) same.doc = doc;
      if (offered.has(label)) continue;
      offered.add(label);
      values.push({ label, doc });
    }
  }
  return values.map((v, i) => ({
    label: v.label,
    kind: CompletionItemKind.EnumMember,
    detail: prop?.description,
    documentation: v.doc,
    sortText: String(i).padStart(3, '0'),
    textEdit: TextEdit.replace(range, space + v.label + after),
  }));
}

/** A top-level key of a block mapping as it starts its line (`meta:`, `approvals:`). */
const TOP_KEY = /^[A-Za-z_][\w-]*[ \t]*:(?:[ \t]|$)/;

/**
 * The lines [start, end) of `lines` (a front matter's) that hold the top-level key whose value line `at` is in, from
 * its key's line to the next top-level key's: parsed alone, they put what line `at` holds at the same path, with the
 * same keys and items around it (a front matter of thousands of keys is not parsed whole for each request). All the
 * lines when line `at` is not indented (a top-level key's siblings are every key), or the lines around it are not
 * plain keys of a block mapping (a top-level list, a flow collection's lines).
 */
function topLevelBlock(lines: readonly string[], at: number): [number, number] {
  const all: [number, number] = [0, lines.length];
  const top = (l: string) => l !== '' && !/^[ \t]/.test(l) && !l.startsWith('#');
  if (!/^[ \t]/.test(lines[at]) || !lines[at].trim()) return all;
  let start = at - 1;
  while (start >= 0 && !top(lines[start])) start--;
  if (start < 0 || !TOP_KEY.test(lines[start])) return all;
  let end = at + 1;
  while (end < lines.length && !top(lines[end])) end++;
  if (end < lines.length && !TOP_KEY.test(lines[end])) return all;
  return [start, end];
}

/** A word no front matter holds: it stands where completion is asked, for the YAML parser to say where that is. */
export const HOLE = 'phasegate_completion_hole';
/** Largest front matter read again for a nested completion. */
const MAX_NESTED_YAML = 64 * 1024;

/**
 * Where columns [from, to) of front matter line `line`, replaced by `text` (holding HOLE), stand in the front matter's
 * data: the path of keys and item indexes to the HOLE (a key, or a value), and the other keys of the mapping it is in.
 * Undefined where the front matter does not parse so, or does not put HOLE where it was written.
 */
export function yamlPathAt(
  doc: ParsedDocument,
  line: number,
  from: number,
  to: number,
  text: string,
): { path: (string | number)[]; siblings: Set<string>; items: unknown[] } | undefined {
  const fm = doc.frontMatter;
  if (!fm || fm.raw.length > MAX_NESTED_YAML) return undefined;
  const last = fm.terminated ? fm.endLine : doc.lines.length;
  const lines = doc.lines.slice(1, last);
  const src = lines[line - 1];
  if (src === undefined) return undefined;
  lines[line - 1] = src.slice(0, from) + text + src.slice(to);
  const [start, end] = topLevelBlock(lines, line - 1);
  let d: YAML.Document.Parsed;
  try {
    d = YAML.parseDocument(lines.slice(start, end).join('\n'), { uniqueKeys: false, prettyErrors: false });
  } catch {
    return undefined;
  }
  const seen = new Set<unknown>();
  const find = (node: unknown, path: (string | number)[]): ReturnType<typeof yamlPathAt> => {
    if (seen.has(node) || path.length > 64) return undefined;
    seen.add(node);
    if (YAML.isMap(node)) {
      const keys = node.items.map((p) => (YAML.isScalar(p.key) ? String(p.key.value) : undefined));
      for (const [i, pair] of node.items.entries()) {
        const key = keys[i];
        if (key === undefined) continue;
        const siblings = () => new Set(keys.filter((k, j): k is string => k !== undefined && j !== i));
        if (key === HOLE) return { path: [...path, HOLE], siblings: siblings(), items: [] };
        if (YAML.isScalar(pair.value) && pair.value.value === HOLE) return { path: [...path, key], siblings: siblings(), items: [] };
        const found = find(pair.value, [...path, key]);
        if (found) return found;
      }
    } else if (YAML.isSeq(node)) {
      for (const [i, item] of node.items.entries()) {
        if (YAML.isScalar(item) && item.value === HOLE)
          return {
            path: [...path, i],
            siblings: new Set(),
            items: node.items.filter((x, j) => j !== i && YAML.isScalar(x)).map((x) => (x as YAML.Scalar).value),
          };
        const found = find(item, [...path, i]);
        if (found) return found;
      }
    }
    return undefined;
  };
  return find(d.contents, []);
}

/**
 * Values below the top level: of a nested mapping's key (`meta:` `  level: |`), of an item of a list of a nested mapping
 * or of a list's mapping (`approvals:` `  - state: |`). Undefined where the value is a top-level key's or the items of one's list.
 */
function nestedValueItems(t: Target, line: number, ch: number): CompletionItem[] | undefined {
  const doc = t.doc!;
  const src = doc.lines[line] ?? '';
  const lead = /^[ \t]*(?:-[ \t]+)?[A-Za-z_][\w-]*[ \t]*:[ \t]*/.exec(src) ?? /^[ \t]*-[ \t]*/.exec(src);
  // A top-level key's line only where its value is a flow collection (`meta: {level: |}`): the top-level completion does the rest.
  if (!lead || ch < lead[0].length || !(/^[ \t]|^-/.test(src) || /^[{[]/.test(src.slice(lead[0].length)))) return undefined;
  const valueStart = lead[0].length;
  const scalar = scalarAt(src, valueStart, ch);
  if (!scalar) return undefined;
  const at = yamlPathAt(doc, line, scalar.start, scalar.end, HOLE);
  if (!at) return undefined;
  const { path } = at;
  const item = typeof path[path.length - 1] === 'number';
  const keyIndex = item ? path.length - 2 : path.length - 1;
  // A top-level key's value, or an item of its list: the top-level completion's (phase ids too).
  if (keyIndex <= 0) return undefined;
  const key = path[keyIndex];
  if (typeof key !== 'string') return [];
  const { spec } = kindOf(t.svc.model, t.path);
  const prop = schemaPropertiesAt(t.svc, spec, path.slice(0, keyIndex)).find((p) => p.name === key);
  const space = (scalar.start === valueStart ? !/[ \t]$/.test(lead[0]) : src[scalar.start - 1] === ':') ? ' ' : '';
  const after = src[scalar.end] === '#' ? ' ' : '';
  const listed = new Set(at.items.filter((v): v is string => typeof v === 'string'));
  return valueItems(prop, [], listed, LspRange.create(line, scalar.start, line, scalar.end), space, after);
}

function headingItems(t: Target, line: number, ch: number): CompletionItem[] {
  const doc = t.doc!;
  const src = doc.lines[line] ?? '';
  const m = /^(##)\s+/.exec(src);
  if (!m || ch < m[0].length) return [];
  const { phase, spec } = kindOf(t.svc.model, t.path);
  if (!spec) return [];
  // Present as the structure rule finds a section (its aliases too: `## Completeness`; a bold label,
  // `**Deliverables**:`; a gate's checklist written as labelled items, `- [x] **Review**: …`), the heading typed here aside.
  const others = { ...doc, sections: doc.sections.filter((s) => s.heading.line !== line) };
  const range = LspRange.create(line, m[0].length, line, src.length);
  const layout = phase?.layout;
  return spec.sections
    .map((s) => ({ s, title: writtenTitle(s.title, phase?.number) }))
    .filter(({ s }) => !kindSection(others, layout, spec, s, phase?.number) && !listedGate(others, layout, s))
    .map(({ s, title }, i) => ({
      label: title,
      kind: CompletionItemKind.Module,
      detail: s.required === false ? 'optional section' : 'required section',
      documentation: s.description ? { kind: MarkupKind.Markdown, value: s.description } : undefined,
      sortText: String(i).padStart(3, '0'),
      filterText: title,
      textEdit: TextEdit.replace(range, title),
    }));
}

/**
 * Whether column `ch` of `src` lies inside an inline code span: after its opening backticks, up to its
 * closing ones. Spans are read as the engine reads them (`maskInlineCode`: a run of backticks closed by the
 * next run of the same length).
 */
/**
 * Whether column `ch` of `line` lies inside an inline code span, one opened on an earlier line of its
 * paragraph or closed on a later one too (`` `a `` and `` [x](../` `` on two lines of a paragraph are one
 * span), as the engine reads them (`spanningCode`).
 */
export function inCodeSpanAt(doc: ParsedDocument, line: number, ch: number): boolean {
  const src = doc.lines[line] ?? '';
  if (!spanningCode(doc).has(line)) return inCodeSpan(src, ch);
  const { from, to } = paragraphLines(doc, line)!;
  let offset = ch;
  for (let l = from; l < line; l++) offset += doc.lines[l].length + 1;
  return inCodeSpan(doc.lines.slice(from, to + 1).join('\n'), offset);
}

export function inCodeSpan(src: string, ch: number): boolean {
  if (ch <= 0 || !src.includes('`')) return false;
  // maskInlineCode blanks each span, its backticks included: on the line with its own spaces replaced, the blanks are the spans.
  const masked = maskInlineCode(src.replace(/ /g, '\u0000'));
  return masked[ch - 1] === ' ' && masked[ch] === ' ';
}

/** A link target typed so far after `](`: in angle brackets (where spaces may stand), or bare. */
const TYPED_TARGET = /\]\((?:<([^>\n]*)|([^)\s<]*))$/;

/**
 * A file name as a link target: the characters that would end or break it percent-encoded; `#` and `?`
 * (which would start a fragment or a query) and `%` also in an angle-bracket target (`angle`), where
 * spaces and parentheses may stand.
 */
function encodeTarget(name: string, angle = false): string {
  return name.replace(angle ? /[<>%#?]/g : /[ ()<>%#?]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0'));
}

async function pathItems(t: Target, line: number, ch: number): Promise<CompletionItem[]> {
  const src = t.doc!.lines[line] ?? '';
  const m = TYPED_TARGET.exec(src.slice(0, ch));
  if (!m) return [];
  const angle = m[1] !== undefined;
  const typed = angle ? m[1] : m[2];
  if (/^[a-z][\w+.-]*:/i.test(typed) || typed.startsWith('#')) return [];
  const slash = typed.lastIndexOf('/');
  const dirPart = slash >= 0 ? typed.slice(0, slash + 1) : '';
  let dirPath = dirPart;
  try {
    // As the links are read: every escape decoded (`%23` is a `#` of a folder's name).
    if (dirPart.includes('%')) dirPath = decodeURIComponent(dirPart);
  } catch {
    // A malformed escape: the folder as written.
  }
  const base = typed.startsWith('/') ? joinPath(t.folder.path, dirPath) : joinPath(dirname(t.path), dirPath);
  let entries;
  try {
    entries = await t.svc.fs.readDirectory(base);
  } catch {
    return [];
  }
  // The whole name under the cursor is replaced, not only what precedes it.
  const rest = (angle ? /^[^/>\n]*/ : /^[^/)\s<]*/).exec(src.slice(ch))![0].length;
  const range = LspRange.create(line, ch - (typed.length - dirPart.length), line, ch + rest);
  // A folder's name replaces the slash after the name too (it brings its own).
  const folderRange = src[ch + rest] === '/' ? LspRange.create(line, range.start.character, line, ch + rest + 1) : range;
  const showHidden = typed.slice(dirPart.length).startsWith('.');
  return entries
    .filter((e) => (e.kind === 'file' || e.kind === 'directory') && (showHidden || !e.name.startsWith('.')) && e.name !== 'node_modules')
    .filter((e) => joinPath(base, e.name) !== t.path)
    .sort((a, b) => (a.kind === b.kind ? (a.name < b.name ? -1 : 1) : a.kind === 'directory' ? -1 : 1))
    .map((e, i) => {
      const dir = e.kind === 'directory';
      const name = encodeTarget(e.name, angle);
      const text = dir ? `${name}/` : name;
      return {
        label: dir ? `${e.name}/` : e.name,
        filterText: text,
        kind: dir ? CompletionItemKind.Folder : CompletionItemKind.File,
        sortText: String(i).padStart(4, '0'),
        textEdit: TextEdit.replace(dir ? folderRange : range, text),
        command: dir ? { title: 'Suggest', command: 'editor.action.triggerSuggest' } : undefined,
      };
    });
}

/**
 * The anchors of the document a link names, offered after its `#` (`](#`, `](../phase-1/06-OUTPUT_HANDOFF.md#`): each
 * heading's as GitHub writes it (see headingSlug), the heading's text as the label; the whole fragment under the
 * cursor is replaced. None for a file that is not Markdown or not read.
 */
function anchorItems(t: Target, line: number, ch: number, typed: string, angle: boolean): CompletionItem[] {
  const hash = typed.indexOf('#');
  // The document as a link leads to it (see links.ts).
  const p = hash === 0 ? undefined : resolveTarget(t.folder.path, t.path, typed.slice(0, hash), t.svc);
  const doc = hash === 0 ? t.doc : p !== undefined && /\.(md|markdown)$/i.test(p) ? t.svc.getDocument(p) : undefined;
  if (!doc?.modelled) return [];
  const src = t.doc!.lines[line] ?? '';
  const rest = (angle ? /^[^>\n]*/ : /^[^)\s<]*/).exec(src.slice(ch))![0].length;
  const range = LspRange.create(line, ch - (typed.length - hash - 1), line, ch + rest);
  return headingAnchors(doc)
    .filter((a) => a.slug !== '')
    .map((a, i) => ({
      label: a.text,
      filterText: a.slug,
      detail: `#${a.slug}`,
      kind: CompletionItemKind.Reference,
      sortText: String(i).padStart(4, '0'),
      textEdit: TextEdit.replace(range, a.slug),
      insertTextFormat: InsertTextFormat.PlainText,
    }));
}

/**
 * Whether a word typed in text (two characters or more) reads as the start of a phase id, for any id
 * without case: it begins like `phase` (`ph`, `Phase`), as audit ids and phase folders do, or holds a
 * `/`, `-` or `_`, as ids do and words seldom (`Build/`, `phase-`, `Phase_`). Another word starts only
 * the ids it begins in the same case (`Bu` for `Build/Phase_1_CI`): an ordinary word (`te` of `text`)
 * is offered nothing, where accepting would replace it.
 */
function idLike(word: string): boolean {
  return /[/_-]/.test(word) || 'phase'.startsWith(word.slice(0, 5).toLowerCase());
}

function phaseIdItems(t: Target, line: number, ch: number): CompletionItem[] {
  const src = t.doc!.lines[line] ?? '';
  const m = /(?:^|[\s([`'"])([A-Za-z][\w/.-]*)$/.exec(src.slice(0, ch));
  if (!m) return [];
  const word = m[1];
  const typed = word.toLowerCase();
  if (typed.length < 2) return [];
  const anyCase = idLike(word);
  // The whole id under the cursor is replaced, not only what precedes it.
  const rest = /^[\w/.-]*/.exec(src.slice(ch))![0].length;
  const range = LspRange.create(line, ch - m[1].length, line, ch + rest);
  return t.svc.model.phases
    .filter((p) => (anyCase ? p.id.toLowerCase().startsWith(typed) : p.id.startsWith(word)) && p.id.toLowerCase() !== typed)
    .map((p) => ({
      label: p.id,
      kind: CompletionItemKind.Reference,
      detail: `${phaseTitle(t.svc, p)} (${p.layout.name} phase)`,
      textEdit: TextEdit.replace(range, p.id),
      insertTextFormat: InsertTextFormat.PlainText,
    }));
}

export async function complete(t: Target, line: number, ch: number): Promise<CompletionItem[]> {
  if (!t.doc) return [];
  ch = clampCharacter(t.doc, line, ch);
  // In a directive comment (an HTML block, which other completions skip).
  const directive = directiveCompletion(t, line, ch);
  if (directive) return directive;
  if (inFrontMatter(t.doc, line)) return frontMatterItems(t, line, ch);
  if (t.doc.codeLines.has(line)) return [];
  const headings = headingItems(t, line, ch);
  if (headings.length || /^##\s/.test(t.doc.lines[line] ?? '')) return headings;
  const src = t.doc.lines[line] ?? '';
  // Inside a code span (`` `[x](../` ``, also one over several lines of a paragraph) a link is text, as in a code block: no paths.
  if (inCodeSpanAt(t.doc, line, ch)) return TYPED_TARGET.test(src.slice(0, ch)) ? [] : phaseIdItems(t, line, ch);
  // After a link target's `#`: the anchors of the document it names.
  const typedTarget = TYPED_TARGET.exec(src.slice(0, ch));
  const typed = typedTarget && (typedTarget[1] ?? typedTarget[2]);
  if (typed?.includes('#') && !/^[a-z][\w+.-]*:/i.test(typed)) return anchorItems(t, line, ch, typed, typedTarget![1] !== undefined);
  const paths = await pathItems(t, line, ch);
  if (paths.length || TYPED_TARGET.test(src.slice(0, ch))) return paths;
  return phaseIdItems(t, line, ch);
}

export function registerCompletion(connection: Connection, ctx: ServerContext): void {
  connection.onCompletion((params: CompletionParams, token) =>
    ctx.safe('completion', [] as CompletionItem[], async () => {
      checkDocumentParams('textDocument/completion', params, { position: true });
      // Phase ids and values offered with their phases' titles, read from the phases' briefs: their edits still
      // waiting (debounced) count.
      await ctx.flushAll();
      const t = await ctx.target(params.textDocument.uri);
      if (!t || token.isCancellationRequested) return [];
      // The first line of a text with a byte order mark: the engine's positions are one unit short (see toClientRange).
      const bom = ctx.hasBom(t.uri);
      const at = fromClientPosition(params.position, bom);
      const items = await complete(t, at.line, at.character);
      if (!bom || at.line !== 0) return items;
      return items.map((i) => {
        const e = i.textEdit;
        if (!e) return i;
        return {
          ...i,
          textEdit:
            'range' in e
              ? { ...e, range: toClientRange(e.range, true) }
              : { ...e, insert: toClientRange(e.insert, true), replace: toClientRange(e.replace, true) },
        };
      });
    }),
  );
}
