/**
 * What a front matter schema says of the keys of a mapping of the front matter (the front matter itself, or one nested
 * in it): their names, types, descriptions, allowed values, defaults and examples, read through local `$ref`s and
 * `allOf`/`anyOf`/`oneOf`. Completion and hover show them; front-matter-schema finds misspelt keys by their names.
 */

/** A schema's pattern of dates written YYYY-MM-DD, as the built-in schemas write it: `^\d{4}-\d{2}-\d{2}$`, or with the months and days a calendar has. */
export function isDatePattern(pattern: string): boolean {
  return /^\^\\d\{4\}-(?:\\d\{2\}-\\d\{2\}|\(0\[1-9\])/.test(pattern);
}

export interface PropertyInfo {
  name: string;
  /** Markdown: the schema's `markdownDescription`, else its `description`, else its `title`. */
  description: string | undefined;
  type: string | undefined;
  enumValues: unknown[];
  /** What an allowed value means (the schema's `markdownEnumDescriptions`, else `enumDescriptions`, by the value's JSON). */
  valueDescriptions: Map<string, string>;
  /** The schema's `examples` of a value (of an item, for a list), and its `default`. */
  examples: unknown[];
  default?: unknown;
  /** Whether a value (an item, for a list) may be a boolean: `true` and `false` are offered. */
  boolean: boolean;
  /** Whether a value (an item, for a list) is a date written YYYY-MM-DD (`format: date`, or a pattern of such dates): today's is offered. */
  date: boolean;
  required: boolean;
  /** Whether the key is deprecated (`deprecated: true`, or a `deprecationMessage`), and what to write instead when the schema says. */
  deprecated: boolean;
  deprecationMessage?: string;
  /** Whether completion leaves the key out (`doNotSuggest: true`, as VS Code's JSON and YAML support read it). */
  hidden: boolean;
}

/** The key a value is known by in `valueDescriptions`. */
export function valueKey(v: unknown): string {
  return JSON.stringify(v) ?? String(v);
}

/** Most examples read from one property. */
const MAX_EXAMPLES = 10;

type Json = Record<string, unknown>;

/** Most subschemas read from one schema: a workspace schema is data, possibly hostile. */
const MAX_STEPS = 20_000;
/** Longest chain of `$ref`s followed, and deepest `allOf`/`anyOf`/`oneOf` nesting read. */
const MAX_DEPTH = 8;

/** A string a schema gives, when it gives one that is not empty. */
function text(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() ? v : undefined;
}

function isObject(v: unknown): v is Json {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

function unescape(seg: string): string {
  let s = seg;
  try {
    s = decodeURIComponent(seg);
  } catch {
    /* kept as written */
  }
  return s.replace(/~1/g, '/').replace(/~0/g, '~');
}

class Reader {
  private steps = 0;
  /** Subschemas whose properties were collected already (each once: `$ref` cycles and repeated branches end here). */
  private readonly seen = new Set<object>();
  readonly out = new Map<string, PropertyInfo>();
  readonly required = new Set<string>();
  /** Whether the mapping allows keys by a pattern too (`patternProperties`): a key its properties do not name may be one of them. */
  patterns = false;

  constructor(private readonly root: Json) {}

  private step(): boolean {
    return ++this.steps <= MAX_STEPS;
  }

  /** The subschema a local `$ref` (`#/definitions/x`, `#/$defs/x`, `#`) points to, followed to its end; other keywords of `node` win. */
  resolve(node: Json, depth = 0): Json {
    const ref = node.$ref;
    if (typeof ref !== 'string' || !ref.startsWith('#') || depth > MAX_DEPTH || !this.step()) return node;
    let base: unknown = this.root;
    for (const seg of ref.slice(1).split('/').filter(Boolean)) base = isObject(base) && Object.hasOwn(base, unescape(seg)) ? base[unescape(seg)] : undefined;
    if (!isObject(base)) return node;
    const rest = { ...node };
    delete rest.$ref;
    return { ...this.resolve(base, depth + 1), ...rest };
  }

  private enumOf(n: Json): unknown[] {
    return Array.isArray(n.enum) ? n.enum : n.const !== undefined ? [n.const] : [];
  }

  collect(node: Json, depth = 0): void {
    if (depth > MAX_DEPTH || this.seen.has(node) || !this.step()) return;
    this.seen.add(node);
    const n = this.resolve(node);
    if (Array.isArray(n.required)) for (const r of n.required) if (typeof r === 'string') this.required.add(r);
    if (isObject(n.patternProperties) && Object.keys(n.patternProperties).length) this.patterns = true;
    if (isObject(n.properties)) {
      for (const [name, raw] of Object.entries(n.properties)) {
        if (!this.step()) return;
        // `true` allows any value: still a key to offer; `false` forbids the key.
        if (raw !== true && !isObject(raw)) continue;
        const p = raw === true ? {} : this.resolve(raw);
        const prev = this.out.get(name);
        const items = isObject(p.items) ? this.resolve(p.items) : undefined;
        const own = this.enumOf(p);
        const values = [...(own.length ? own : items ? this.enumOf(items) : [])];
        for (const k of ['anyOf', 'oneOf']) {
          const list = p[k];
          if (Array.isArray(list)) for (const x of list) if (isObject(x) && this.step()) values.push(...this.enumOf(this.resolve(x)));
        }
        const type = typeof p.type === 'string' ? p.type : Array.isArray(p.type) ? p.type.filter((t) => typeof t === 'string').join(' | ') : undefined;
        // `markdownEnumDescriptions`, else `enumDescriptions` (as VS Code's JSON and YAML support read them) beside the
        // `enum` of the value, or of its items.
        const valueDescriptions = new Map(prev?.valueDescriptions);
        for (const n of [p, items]) {
          if (!n || !Array.isArray(n.enum)) continue;
          const md = Array.isArray(n.markdownEnumDescriptions) ? (n.markdownEnumDescriptions as unknown[]) : [];
          const plain = Array.isArray(n.enumDescriptions) ? (n.enumDescriptions as unknown[]) : [];
          if (!md.length && !plain.length) continue;
          n.enum.forEach((v, i) => {
            const d = text(md[i]) ?? text(plain[i]);
            if (d && this.step()) valueDescriptions.set(valueKey(v), d);
          });
        }
        const examples = [...(prev?.examples ?? [])];
        const typed = items && p.type === 'array' ? items : p;
        // A list's examples are lists (`[["a", "b"]]`): their items are what an item may be.
        for (const ex of Array.isArray(p.examples) ? p.examples : []) examples.push(...(items && Array.isArray(ex) ? ex : [ex]));
        if (items && Array.isArray(items.examples)) examples.push(...items.examples);
        const types = [typed.type].flat();
        this.out.set(name, {
          name,
          description: text(p.markdownDescription) ?? text(p.description) ?? text(p.title) ?? prev?.description,
          type: type || prev?.type,
          enumValues: distinct(values),
          valueDescriptions,
          examples: distinct(examples).slice(0, MAX_EXAMPLES),
          default: p.default !== undefined ? p.default : prev?.default,
          boolean: types.includes('boolean') || !!prev?.boolean,
          date: typed.format === 'date' || (typeof typed.pattern === 'string' && isDatePattern(typed.pattern)) || !!prev?.date,
          required: false,
          deprecated: p.deprecated === true || text(p.deprecationMessage) !== undefined || !!prev?.deprecated,
          deprecationMessage: text(p.deprecationMessage) ?? prev?.deprecationMessage,
          hidden: p.doNotSuggest === true || !!prev?.hidden,
        });
      }
    }
    for (const k of ['allOf', 'anyOf', 'oneOf']) {
      const list = n[k];
      if (Array.isArray(list)) for (const sub of list) if (isObject(sub)) this.collect(sub, depth + 1);
    }
  }
}

/** The subschemas a key (`string`) or a list's item (`number`) of a value of `node` may match: of its properties, of its items, through `$ref`s and `allOf`/`anyOf`/`oneOf`. */
function childSchemas(reader: Reader, node: Json, seg: string | number, out: Json[], depth = 0): void {
  if (depth > MAX_DEPTH || out.length > MAX_DEPTH) return;
  const n = reader.resolve(node);
  if (typeof seg === 'string' && isObject(n.properties) && Object.hasOwn(n.properties, seg) && isObject(n.properties[seg])) out.push(n.properties[seg] as Json);
  if (typeof seg === 'number') {
    if (isObject(n.items)) out.push(n.items);
    else if (Array.isArray(n.items) && isObject(n.items[seg])) out.push(n.items[seg] as Json);
  }
  for (const k of ['allOf', 'anyOf', 'oneOf']) {
    const list = n[k];
    if (Array.isArray(list)) for (const sub of list) if (isObject(sub)) childSchemas(reader, sub, seg, out, depth + 1);
  }
}

function distinct(values: unknown[]): unknown[] {
  const keys = new Set<string>();
  return values.filter((v) => {
    const k = JSON.stringify(v) ?? String(v);
    if (keys.has(k)) return false;
    keys.add(k);
    return true;
  });
}

/** What a schema says of the keys of one mapping of the front matter. */
export interface MappingKeys {
  /** Its properties, in schema order. */
  props: PropertyInfo[];
  /** Whether it allows keys by a pattern too (`patternProperties`). */
  patterns: boolean;
}

const NONE: MappingKeys = { props: [], patterns: false };

/** Most paths remembered per schema (paths come from documents: the cache must not grow without end). */
const MAX_CACHED = 1024;

/** What was read from each schema object, by path (schemas in force do not change: a new config brings new objects). */
const cache = new WeakMap<object, Map<string, MappingKeys>>();

/** Whether each schema object gives the items of a list one by one (`"items": [...]`): only then does an item's index matter. */
const tuples = new WeakMap<object, boolean>();
/** Most objects of a schema looked through for `items` lists (beyond, the schema is taken to have some). */
const MAX_SCANNED = 100_000;

function hasTuples(schema: Json): boolean {
  let found = tuples.get(schema);
  if (found === undefined) {
    found = false;
    const stack: unknown[] = [schema];
    for (let n = 0; stack.length && !found; n++) {
      const v = stack.pop();
      if (n > MAX_SCANNED) found = true;
      else if (Array.isArray(v)) stack.push(...v);
      else if (isObject(v)) {
        if (Array.isArray(v.items)) found = true;
        else stack.push(...Object.values(v));
      }
    }
    tuples.set(schema, found);
  }
  return found;
}

/**
 * The properties `schema` describes for the mapping at `path` of the front matter (keys, and item indexes of lists:
 * `['approvals', 0]`; `[]` for the front matter itself), in schema order; none where it says nothing. A schema that
 * cannot be read is told to `failed`, and reads as one that says nothing.
 */
export function propertiesAt(schema: unknown, path: readonly (string | number)[], failed?: (e: Error) => void): MappingKeys {
  if (!isObject(schema)) return NONE;
  let bySchema = cache.get(schema);
  if (!bySchema) cache.set(schema, (bySchema = new Map()));
  // The items of a list are alike (one key for them all) unless the schema gives some one by one.
  const key = !path.length ? '' : JSON.stringify(hasTuples(schema) ? path : path.map((s) => (typeof s === 'number' ? 0 : s)));
  let found = bySchema.get(key);
  if (!found) {
    const reader = new Reader(schema);
    try {
      let nodes: Json[] = [schema];
      for (const seg of path) {
        const next: Json[] = [];
        for (const n of nodes) childSchemas(reader, n, seg, next);
        nodes = next;
        if (!nodes.length) break;
      }
      for (const n of nodes) reader.collect(n);
    } catch (e) {
      failed?.(e as Error);
    }
    found = { props: [...reader.out.values()].map((p) => ({ ...p, required: reader.required.has(p.name) })), patterns: reader.patterns };
    if (bySchema.size < MAX_CACHED) bySchema.set(key, found);
  }
  return found;
}
