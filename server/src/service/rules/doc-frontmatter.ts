/**
 * Front matter rules: YAML that does not parse (duplicate keys included), is not closed or is not a
 * mapping; values that do not match the kind's JSON Schema; and a phase document with no front matter.
 */
import * as YAML from 'yaml';
import { Range, range } from '../types';
import { pathRange, pointerSegments } from '../yamlpath';
import { editDistance, misspeltKeys, misspeltNestedKeys } from './doc-fm-typos';
import { isDatePattern } from '../schema-props';
import type { Rule, RuleContext } from './rule';

function isMapping(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describe(v: unknown): string {
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'string') return 'a string';
  if (typeof v === 'number') return 'a number';
  if (typeof v === 'boolean') return 'a boolean';
  return 'not a mapping';
}

/** A key in a flow mapping, quoted or not (an unquoted one ends on a character that is no space), before its colon. */
const FLOW_KEY = /(?:(["'])([^"':#,[\]{}]+)\1|()([^"':#,[\]{}](?:[^"':#,[\]{}]*[^\s"':#,[\]{}])?))\s*:/y;
/** A key of a block mapping, as FLOW_KEY. */
const BLOCK_KEY = /(?:(["'])([^"':#]+)\1|()([^"':#](?:[^"':#]*[^\s"':#])?))\s*:/y;

type KeyAt = { start: number; quote: string; key: string };

/** The key that starts at `line[start]` and its quote, as `^(["']?)(K+?)\1\s*:` reads them (K the characters of a key). */
function keyAt(line: string, start: number, re: RegExp): KeyAt | undefined {
  re.lastIndex = start;
  const m = re.exec(line);
  return m ? { start, quote: m[1] ?? '', key: m[2] ?? m[4] } : undefined;
}

/**
 * The first key of a line, as `/^(\s*(?:-\s+)?)(["']?)([^"':#]+?)\2\s*:/` reads it: after the indent and a
 * list dash; or, when a colon follows them at once, the last character before it (the expression went over
 * the spaces once for each place they could end: seconds for a line of a dash and 2,000 spaces).
 */
export function lineKey(line: string): KeyAt | undefined {
  const lead = /^(\s*)(?:-(\s+))?/.exec(line)!;
  const g = lead[0].length;
  const m = keyAt(line, g, BLOCK_KEY);
  if (m || line[g] !== ':') return m;
  // The key is made of what the indent and dash were: from the last place before the colon they could end.
  const from = lead[2] === undefined ? g - 1 : lead[2].length > 1 ? g - 1 : lead[1].length;
  return from >= 0 ? keyAt(line, from, BLOCK_KEY) : undefined;
}

/** The flow-mapping key at `line[col]`, as `^(["']?)([^"':#,[\]{}]+?)\1\s*:` read it; else the line's first key. */
export function duplicateKeyAt(line: string, col: number): KeyAt | undefined {
  return keyAt(line, col, FLOW_KEY) ?? lineKey(line);
}

/** `text` up to a YAML comment (` #` or a tab and `#`), without the white space before it. */
function beforeComment(text: string): string {
  const hash = text.search(/[ \t]#/);
  return (hash < 0 ? text : text.slice(0, hash)).trimEnd();
}

/**
 * The YAML library points at one character; a duplicate key reads better over the key, an empty range over its line.
 * A value holding `: ` (`title: Phase 1: Foundation`, which YAML reads as a second key) is reported over the value,
 * with the text that quotes it (`fix`); a line that is a word alone (a key being typed), as no `key: value` line; a key
 * with no space after its colon (`status:draft`), as such.
 */
function refineError(lines: string[], message: string, r: Range): { message: string; range: Range; fix?: { was: string; text: string } } {
  const line = lines[r.start.line] ?? '';
  const text = /^front matter\b/i.test(message) ? message : `Front matter: ${message}`;
  if (/nested mappings are not allowed in compact mappings/i.test(message)) {
    const m = /^([ \t]*(?:-[ \t]+)?)([A-Za-z_][\w-]*)([ \t]*:[ \t]+)/.exec(line);
    const from = m ? m[0].length : -1;
    if (m && from === r.start.character && !/^["'[{|>&!*]/.test(line.slice(from))) {
      const was = beforeComment(line.slice(from));
      return {
        message: `Front matter: the value of \`${m[2]}\` holds \`: \`, which YAML reads as a key of its own: quote the value.`,
        range: range(r.start.line, from, r.start.line, from + was.length),
        fix: { was, text: JSON.stringify(was) },
      };
    }
  }
  if (/implicit (map )?keys need to be (followed by map values|on a single line)/i.test(message)) {
    if (/^[ \t]*(?:-[ \t]+)?[A-Za-z_][\w-]*[ \t]*$/.test(line)) {
      const start = line.length - line.trimStart().length;
      const word = line.trim().replace(/^-[ \t]+/, '');
      return {
        message: `Front matter: \`${word}\` is no \`key: value\` line: a key needs a colon after it.`,
        range: range(r.start.line, start, r.start.line, line.trimEnd().length),
      };
    }
    // `status:draft`: a key and its value with no space between (YAML reads a plain scalar, then no value for it).
    const m = /^([ \t]*)([A-Za-z_][\w-]*):(?=[^\s:])/.exec(line);
    if (m) {
      const start = m[1].length;
      const end = beforeComment(line).length;
      const written = line.slice(start, end);
      return {
        message: `Front matter: \`${m[2]}\` has no space after its colon, and YAML reads a key only where \`: \` follows it: write \`${m[2]}: ${written.slice(m[2].length + 1)}\`.`,
        range: range(r.start.line, start, r.start.line, end),
      };
    }
  }
  if (/keys must be unique/i.test(message)) {
    // The key where the error points (the second `a` of `meta: {a: 1, a: 2}`), else the line's first key.
    const col = r.start.character;
    const m = duplicateKeyAt(line, col);
    if (m) {
      const end = m.start + m.quote.length * 2 + m.key.length;
      return { message: `Front matter: duplicate key \`${m.key}\` (a key may appear once).`, range: range(r.start.line, m.start, r.start.line, end) };
    }
  }
  if (r.start.line === r.end.line && r.start.character === r.end.character) {
    const start = line.length - line.trimStart().length;
    if (line.trim() !== '') return { message: text, range: range(r.start.line, Math.min(start, r.start.character), r.start.line, line.trimEnd().length) };
  }
  return { message: text, range: r };
}

const syntax: Rule = {
  ids: ['invalid-front-matter'],
  withoutModel: true,
  check(ctx: RuleContext) {
    const fm = ctx.doc.frontMatter;
    const misplaced = ctx.doc.misplacedFrontMatter;
    if (misplaced) {
      const n = misplaced.line;
      ctx.report(
        'invalid-front-matter',
        range(n, 0, n, (ctx.doc.lines[n] ?? '').length),
        misplaced.comments.length
          ? `Front matter must start on the first line: ${misplaced.comments.length === 1 ? 'an HTML comment stands' : 'HTML comments stand'} above its \`---\`, so it is not read (write a directive in front matter as a YAML comment).`
          : `Front matter must start on the first line: ${n === 1 ? 'a blank line stands' : `${n} blank lines stand`} above its \`---\`, so it is not read.`,
        { fix: 'remove-leading-blank-lines' },
      );
    }
    if (!fm) return;
    for (const e of fm.errors) {
      const { message, range: r, fix } = refineError(ctx.doc.lines, e.message, e.range);
      // A tab in a line's indent: its fix indents the front matter with spaces.
      if (/tabs are not allowed as indentation/i.test(message)) ctx.report('invalid-front-matter', r, message, { fix: 'front-matter-tabs' });
      else if (fix) ctx.report('invalid-front-matter', r, message, { fix: 'retype-front-matter-value', was: fix.was, text: fix.text });
      else ctx.report('invalid-front-matter', r, message);
    }
    if (fm.errors.length || !fm.terminated) return;
    // Empty front matter (`---` `---`) parses to null: an empty mapping, not an error.
    if (fm.data === null || fm.data === undefined || isMapping(fm.data)) return;
    const last = Math.max(1, fm.endLine - 1);
    ctx.report(
      'invalid-front-matter',
      range(1, 0, last, (ctx.doc.lines[last] ?? '').length),
      `Front matter must be a mapping of \`key: value\` lines, not ${describe(fm.data)}.`,
    );
  },
};

/** A key or an index as a segment of a JSON pointer (as ajv writes them: `~` and `/` escaped). */
function pointerSegment(s: string | number): string {
  return String(s).replace(/~/g, '~0').replace(/\//g, '~1');
}

/** The value at a JSON pointer (`/approvals/1/date`) of the front matter's data. */
function valueAtPointer(data: unknown, pointer: string): unknown {
  let v = data;
  for (const raw of pointer.split('/').slice(1)) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[raw.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return v;
}

/** What a value read from YAML is, in words (`a number`, `a list`); undefined for a value not read. */
function kindOfValue(v: unknown): string | undefined {
  if (v === undefined) return undefined;
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'number') return Number.isInteger(v) ? 'an integer' : 'a number';
  return `a ${typeof v}`;
}

/**
 * What the schema says of a value its `pattern` at `schemaPath` (ajv's `#/properties/ticket/pattern`) does not match, as
 * VS Code's JSON and YAML support read it: that subschema's `patternErrorMessage`, else its `errorMessage`.
 */
function patternMessage(schema: unknown, schemaPath: string | undefined): string | undefined {
  if (!schemaPath?.startsWith('#/')) return undefined;
  let node = schema;
  for (const seg of schemaPath.split('/').slice(1, -1)) {
    let key = seg;
    try {
      // ajv writes a segment as a URI fragment: `my%20key`.
      key = decodeURIComponent(seg);
    } catch {
      /* as written */
    }
    key = key.replace(/~1/g, '/').replace(/~0/g, '~');
    node = node !== null && typeof node === 'object' && Object.hasOwn(node, key) ? (node as Record<string, unknown>)[key] : undefined;
  }
  if (!isMapping(node)) return undefined;
  const words = [node.patternErrorMessage, node.errorMessage].find((m): m is string => typeof m === 'string' && m.trim() !== '');
  return words?.trim();
}

/** "must be equal to one of the allowed values" is more useful with the values. */
function schemaMessage(e: { instancePath: string; message: string; keyword: string; params: Record<string, unknown> }, value?: unknown, own?: string): string {
  const where = e.instancePath ? e.instancePath.slice(1).replace(/\//g, '.') : '';
  // The schema's own words for a value its pattern does not match (`patternErrorMessage`, else `errorMessage`).
  if (own !== undefined) return `Front matter \`${where}\`: ${own}`;
  switch (e.keyword) {
    case 'required':
      // A key missing from a nested mapping (an item of a list) names that mapping.
      if (where) return `Front matter \`${where}\` is missing the required key \`${String(e.params.missingProperty)}\`.`;
      return `Front matter is missing the required key \`${String(e.params.missingProperty)}\`.`;
    case 'additionalProperties':
      return `Front matter key \`${[where, String(e.params.additionalProperty)].filter(Boolean).join('.')}\` is not allowed for this document kind.`;
    case 'enum': {
      const allowed = Array.isArray(e.params.allowedValues) ? (e.params.allowedValues as unknown[]).map(String).join(', ') : '';
      return `Front matter \`${where}\` must be one of: ${allowed}.`;
    }
    case 'type': {
      // A value of several types allowed (`type: [string, integer]`): Ajv names them `string,integer`.
      const is = kindOfValue(value);
      return `Front matter \`${where || '(root)'}\` must be ${expected(e)}${is ? `, not ${is}` : ''}.`;
    }
    case 'minLength':
    case 'maxLength': {
      // ajv's `must NOT have fewer than 1 characters`, in words: `title: ""` (or `title: >` with no lines) is empty.
      const n = Number(e.params.limit);
      const chars = `${n} character${n === 1 ? '' : 's'}`;
      if (e.keyword === 'minLength') return `Front matter \`${where}\` is ${value === '' ? 'empty' : 'too short'}: it must be at least ${chars} long.`;
      return `Front matter \`${where}\` is too long: it must be at most ${chars} long.`;
    }
    case 'pattern':
      if (isDatePattern(String(e.params.pattern)))
        return /^\d{4}-\d{2}-\d{2}$/.test(String(value))
          ? `Front matter \`${where}\` is no date: ${String(value)} has no such month or day (months 01–12, days 01–31).`
          : `Front matter \`${where}\` must be a date written YYYY-MM-DD.`;
      return `Front matter \`${where}\` ${e.message}.`;
    default:
      return `Front matter \`${where || '(root)'}\` ${e.message}.`;
  }
}

/** Words people write for the built-in document statuses, by the status they mean (when a schema allows it). */
const STATUS_WORDS: Record<string, string[]> = {
  complete: ['done', 'completed', 'finished', 'approved', 'passed', 'verified', 'signed off', 'closed', 'accepted'],
  'in-progress': ['wip', 'ongoing', 'started', 'active', 'in work', 'doing', 'under way', 'underway'],
  draft: ['todo', 'to do', 'not started', 'planned', 'new'],
  review: ['in review', 'reviewing', 'under review', 'ready for review', 'for review'],
  blocked: ['on hold', 'waiting', 'stalled', 'stuck'],
};

/** A string's letters and digits only, lower case: `In Progress`, `in_progress` and `in-progress` are one. */
const looseKey = (s: string) => s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');

/**
 * The allowed value a string not allowed stands for: the same word in another case or with other separators
 * (`Complete`, `In Progress`: `exact`, safe to apply unasked), else a word people use for a status (`done`).
 */
export function enumSuggestion(value: unknown, allowed: unknown[]): { value: string; exact: boolean } | undefined {
  if (typeof value !== 'string' || !value.trim()) return undefined;
  const key = looseKey(value);
  const names = allowed.filter((a): a is string => typeof a === 'string');
  const same = names.filter((a) => looseKey(a) === key);
  if (same.length === 1) return { value: same[0], exact: true };
  if (same.length) return undefined;
  const word = value
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, ' ');
  const meant = names.filter((a) => STATUS_WORDS[a]?.includes(word));
  if (meant.length === 1) return { value: meant[0], exact: false };
  if (meant.length) return undefined;
  return misspeltValue(key, names);
}

/**
 * The allowed value a misspelt one stands for (`complte`, `reveiw`): letters and digits compared without case or
 * separators, one edit away for a word of up to four of them, two for a longer one, and no other allowed value as
 * near (`dratf` for `draft`, never a guess between two).
 */
function misspeltValue(key: string, names: string[]): { value: string; exact: false } | undefined {
  if (key.length < 3) return undefined;
  let best: string | undefined;
  let bestD = Infinity;
  let ties = 0;
  for (const a of names) {
    const k = looseKey(a);
    const d = editDistance(key, k, 2);
    if (d > (Math.min(key.length, k.length) <= 4 ? 1 : 2)) continue;
    if (d < bestD) [best, bestD, ties] = [a, d, 0];
    else if (d === bestD) ties++;
  }
  return best !== undefined && !ties ? { value: best, exact: false } : undefined;
}

const schema: Rule = {
  ids: ['front-matter-schema'],
  withoutModel: true,
  check(ctx: RuleContext) {
    const { doc, spec } = ctx;
    const fm = doc.frontMatter;
    if (!fm || !spec?.schema || !fm.terminated || fm.errors.length) return;
    const data = fm.data === null || fm.data === undefined ? {} : fm.data;
    if (!isMapping(data)) return;
    const firstLine = range(0, 0, 0, (doc.lines[0] ?? '').length);
    const seen = new Set<string>();
    // fm.yaml is built on demand: look for misspelt keys first (performance only).
    const top = misspeltKeys(ctx, spec.schema, data);
    const nested = misspeltNestedKeys(() => ctx.frontMatterSchema(spec.schema!), data);
    if ((top.length || nested.length) && fm.yaml) {
      for (const t of [...top.map((k) => ({ path: [], ...k })), ...nested]) {
        const pointer = t.path.map((s) => `/${pointerSegment(s)}`).join('');
        const r = pathRange(fm.yaml, doc.lines, 1, fm.raw, pointer, t.key) ?? firstLine;
        seen.add(`key:${pointer}/${pointerSegment(t.key)}`);
        ctx.report('front-matter-schema', r, `Unknown front matter key \`${[...t.path, t.key].join('.')}\`: did you mean \`${t.meant}\`?`, {
          fix: 'rename-front-matter-key',
          was: t.key,
          key: t.meant,
        });
      }
    }
    const errors = ctx.validateFrontMatter(spec.schema, data);
    if (!errors?.length) return;
    for (const e of errors) {
      // ajv reports a failing `oneOf`/`anyOf` together with each branch's error: the branches say more.
      if ((e.keyword === 'anyOf' || e.keyword === 'oneOf') && errors.some((x) => x !== e && x.instancePath === e.instancePath)) continue;
      let r: Range | undefined;
      // A key missing from the front matter itself is reported on its opening `---`; one missing from a nested mapping, on that mapping.
      if (e.keyword === 'required' && !e.instancePath) r = firstLine;
      else if (fm.yaml) {
        const key =
          e.keyword === 'additionalProperties'
            ? String(e.params.additionalProperty)
            : e.keyword === 'propertyNames'
              ? String(e.params.propertyName)
              : undefined;
        r = pathRange(fm.yaml, doc.lines, 1, fm.raw, e.instancePath, key);
      }
      // A misspelt key already reported as such is not reported again as "not allowed".
      if (e.keyword === 'additionalProperties' && seen.has(`key:${e.instancePath}/${pointerSegment(String(e.params.additionalProperty))}`)) continue;
      const value =
        e.keyword === 'pattern' || e.keyword === 'enum' || e.keyword === 'uniqueItems' || e.keyword === 'type' || e.keyword === 'minLength'
          ? valueAtPointer(fm.data, e.instancePath)
          : undefined;
      // A key written without a value (`status:`, or `status:  # draft | …` with the template's value deleted and its
      // comment kept: the range of an empty value runs to the line's end then): one problem, over the key, saying what it needs.
      if (
        r &&
        e.instancePath &&
        r.start.line === r.end.line &&
        (e.keyword === 'type' || e.keyword === 'enum') &&
        (r.start.character === r.end.character || /^[ \t]*(#.*)?$/.test((doc.lines[r.start.line] ?? '').slice(r.start.character, r.end.character)))
      ) {
        const empty = emptyValue(doc.lines, fm.yaml!, fm.raw, e.instancePath, r, errors);
        if (empty) {
          if (seen.has(`empty:${e.instancePath}`)) continue;
          seen.add(`empty:${e.instancePath}`);
          ctx.report('front-matter-schema', empty.range, empty.message);
          continue;
        }
      }
      if (e.keyword === 'uniqueItems' && Array.isArray(value) && typeof e.params.i === 'number' && typeof e.params.j === 'number' && fm.yaml) {
        // ajv names the two items `i` and `j`: the range is the later one's, the repeat.
        const [i, j] = [Math.min(e.params.i, e.params.j), Math.max(e.params.i, e.params.j)];
        r = pathRange(fm.yaml, doc.lines, 1, fm.raw, `${e.instancePath}/${j}`) ?? r;
        const item = value[j] as unknown;
        const shown = typeof item === 'string' ? item : JSON.stringify(item);
        ctx.report(
          'front-matter-schema',
          r ?? firstLine,
          `Front matter \`${e.instancePath.slice(1).replace(/\//g, '.')}\` lists ${shown.includes('`') ? `\`\` ${shown} \`\`` : `\`${shown}\``} twice (items ${i + 1} and ${j + 1}): each item may appear once.`,
        );
        continue;
      }
      let message = schemaMessage(e, value, e.keyword === 'pattern' ? patternMessage(ctx.frontMatterSchema(spec.schema), e.schemaPath) : undefined);
      const id = `${message}@${JSON.stringify(r)}`;
      if (seen.has(id)) continue;
      seen.add(id);
      // `status: Complete`: did you mean `complete`? The fix writes it over the value (on its line only).
      const meant = e.keyword === 'enum' && Array.isArray(e.params.allowedValues) ? enumSuggestion(value, e.params.allowedValues) : undefined;
      const retyped = e.keyword === 'type' && r ? retype(e.params.type, value, doc.lines, r) : undefined;
      if (meant && r && r.start.line === r.end.line) {
        message = `${message.slice(0, -1)}: did you mean \`${meant.value}\`?`;
        ctx.report('front-matter-schema', r, message, { fix: 'replace-front-matter-value', was: value, value: meant.value, exact: meant.exact });
      } else if (retyped) ctx.report('front-matter-schema', r!, message, { fix: 'retype-front-matter-value', was: retyped.was, text: retyped.text });
      else if (e.keyword === 'required' && !e.instancePath && typeof e.params.missingProperty === 'string')
        ctx.report('front-matter-schema', r ?? firstLine, message, { fix: 'add-front-matter-key', schema: spec.schema, key: e.params.missingProperty });
      else ctx.report('front-matter-schema', r ?? firstLine, message);
    }
  },
};

/**
 * The text that gives a value of the wrong type the type a schema asks, written as it is: a number or a boolean
 * written plain where a string is asked, quoted (`title: 2024` → `"2024"`, `version: 1.10` keeps its `0`); `"true"`
 * where a boolean is asked, and `"3"` where a number is, unquoted. Undefined for any other value, and for one over
 * several lines.
 */
function retype(type: unknown, value: unknown, lines: string[], r: Range): { was: string; text: string } | undefined {
  if (r.start.line !== r.end.line) return undefined;
  const was = (lines[r.start.line] ?? '').slice(r.start.character, r.end.character);
  const types = (Array.isArray(type) ? type.map(String) : String(type).split(',')).map((x) => x.trim());
  if (types.includes('string') && (typeof value === 'number' || typeof value === 'boolean') && /^[\w.+-]+$/.test(was)) return { was, text: `"${was}"` };
  const quoted = /^(["'])(.*)\1$/.exec(was);
  if (!quoted || typeof value !== 'string' || quoted[2] !== value) return undefined;
  if (types.includes('boolean') && /^(true|false)$/i.test(value)) return { was, text: value.toLowerCase() };
  if ((types.includes('integer') && /^-?\d+$/.test(value)) || (types.includes('number') && /^-?\d+(\.\d+)?$/.test(value))) return { was, text: value };
  return undefined;
}

/** What a value of an error's kind must be, from its `type` or `enum` error: `a string`, `one of: a, b`. */
function expected(e: { keyword: string; params: Record<string, unknown> }): string | undefined {
  if (e.keyword === 'enum' && Array.isArray(e.params.allowedValues)) return `one of: ${(e.params.allowedValues as unknown[]).map(String).join(', ')}`;
  if (e.keyword !== 'type') return undefined;
  const t = e.params.type;
  const types = Array.isArray(t) ? t.map(String) : String(t).split(',');
  const names: Record<string, string> = {
    array: 'a list',
    object: 'a mapping',
    string: 'a string',
    integer: 'an integer',
    number: 'a number',
    boolean: 'a boolean',
  };
  return types.map((x) => names[x] ?? x).join(' or ');
}

/**
 * A value left empty (`status:`, a `-` alone): YAML reads null there and ajv reports its type and its allowed values,
 * each at the empty place after the colon. Reported once, over the key (over the `-` of a list item), naming what
 * the value needs, allowed values first. Undefined for a value written (`null`, `~`) or a range not empty.
 */
function emptyValue(
  lines: string[],
  yaml: YAML.Document.Parsed,
  raw: string,
  pointer: string,
  r: Range,
  errors: { instancePath: string; keyword: string; params: Record<string, unknown> }[],
): { range: Range; message: string } | undefined {
  const node = yaml.getIn(pointerSegments(pointer), true);
  if (!(node === null || (YAML.isScalar(node) && node.value === null && (node.source === '' || node.source === undefined)))) return undefined;
  const line = lines[r.start.line] ?? '';
  // The text before the empty value ends with its key's colon or its item's dash.
  if (!/(:|-)[ \t]*$/.test(line.slice(0, r.start.character))) return undefined;
  const mine = errors.filter((x) => x.instancePath === pointer);
  const need = expected(mine.find((x) => x.keyword === 'enum') ?? mine.find((x) => x.keyword === 'type')!);
  if (!need) return undefined;
  const segs = pointerSegments(pointer);
  const last = segs[segs.length - 1];
  const parent = pointer.slice(0, pointer.lastIndexOf('/'));
  const keyRange = typeof last === 'string' ? pathRange(yaml, lines, 1, raw, parent, last) : undefined;
  const start = line.length - line.trimStart().length;
  const range = keyRange && keyRange.start.line === r.start.line ? keyRange : { start: { line: r.start.line, character: start }, end: r.start };
  const where = segs.join('.');
  return { range, message: `Front matter \`${where}\` has no value: it must be ${need}.` };
}

const missing: Rule = {
  ids: ['missing-front-matter'],
  withoutModel: true,
  check(ctx: RuleContext) {
    const { doc, spec } = ctx;
    // Front matter below blank lines is reported as such (invalid-front-matter): adding another would make two.
    if (!spec?.schema || doc.frontMatter || doc.misplacedFrontMatter) return;
    if (doc.text.trim() === '') return;
    ctx.report('missing-front-matter', range(0, 0, 0, (doc.lines[0] ?? '').length), `${spec.name} has no front matter (YAML between \`---\` lines).`, {
      fix: 'add-front-matter',
      schema: spec.schema,
    });
  },
};

export const FRONT_MATTER_RULES: Rule[] = [syntax, schema, missing];
