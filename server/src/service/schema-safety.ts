/**
 * Workspace schemas are data: before one is compiled, it is checked for what could make
 * the engine fetch, loop or hang — remote or file `$ref`s, regular expressions that could
 * backtrack catastrophically (judged by `regExpProblem`, in ajv's `u` mode), and references
 * that lead back to themselves without reading into the value (`refCycle`).
 */
import { FileSystem, isInside, normalizePath } from './host';
import { regExpProblem } from './regex-safety';

/** Largest workspace schema file read, in bytes. */
export const MAX_SCHEMA_BYTES = 1024 * 1024;

/**
 * The JSON of a workspace schema file, read only when it is a regular file inside the workspace
 * `root` (after symbolic links, when the host can resolve them) of at most {@link MAX_SCHEMA_BYTES};
 * throws an Error whose one-line message says why not. The message never quotes the file's content.
 */
export async function readWorkspaceSchema(fs: FileSystem, root: string, file: string, decode: (bytes: Uint8Array) => string): Promise<unknown> {
  const p = normalizePath(file);
  if (!isInside(root, p)) throw new Error('it is outside the workspace (a schema must be a regular file inside it)');
  const st = await fs.stat(p).catch(() => undefined);
  if (!st) throw new Error('no such file');
  if (st.kind !== 'file') throw new Error('not a regular file');
  if (fs.realpath) {
    const [real, realRoot] = await Promise.all([fs.realpath(p), fs.realpath(root)]).catch(() => [undefined, undefined]);
    if (real === undefined || realRoot === undefined) throw new Error('its location cannot be resolved');
    if (!isInside(realRoot, real)) throw new Error('it leads outside the workspace through a symbolic link');
  }
  if (st.size > MAX_SCHEMA_BYTES) throw new Error('larger than 1 MB');
  const bytes = await fs.readFile(p);
  if (bytes.length > MAX_SCHEMA_BYTES) throw new Error('larger than 1 MB');
  const text = decode(bytes);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Error(`not valid JSON${jsonErrorWhere(text, (e as Error).message)}`);
  }
}

/** " (line L, column C)" of a JSON.parse error, from its offset; the message itself may quote the text. */
function jsonErrorWhere(text: string, message: string): string {
  const m = /position (\d+)/.exec(message);
  if (m) {
    // Lines as an editor counts them: a CR alone ends one too.
    const lines = text.slice(0, Number(m[1])).split(/\r\n|\r|\n/);
    return ` (line ${lines.length}, column ${lines[lines.length - 1].length + 1})`;
  }
  const lc = /line (\d+) column (\d+)/.exec(message);
  if (lc) return ` (line ${lc[1]}, column ${lc[2]})`;
  return /end of JSON input/.test(message) ? ' (it ends too early)' : '';
}

/** Deepest schema nesting accepted. */
const MAX_DEPTH = 64;
/** Most subschemas/keywords visited in one schema. */
const MAX_NODES = 20_000;

/** Most items of an array whose `uniqueItems` compares them one with another (not scalar-typed items). */
export const MAX_UNIQUE_ITEMS = 256;

/**
 * Why `uniqueItems: true` in `schema` may cost too much, or undefined: ajv checks items of scalar
 * `items.type`s through a table, in linear time, but compares any other items pair by pair
 * (quadratic in their number: 30,000 items took 18 s), so those need a small `maxItems`.
 */
function uniqueItemsProblem(schema: Record<string, unknown>): string | undefined {
  const items = schema.items as Record<string, unknown> | undefined;
  const types = items && typeof items === 'object' && !Array.isArray(items) ? items.type : undefined;
  const list = typeof types === 'string' ? [types] : Array.isArray(types) ? types : [];
  if (list.length > 0 && list.every((t) => typeof t === 'string' && t !== 'object' && t !== 'array')) return undefined;
  if (typeof schema.maxItems === 'number' && schema.maxItems <= MAX_UNIQUE_ITEMS) return undefined;
  return `uniqueItems needs "items" of a scalar "type" (string, number, integer, boolean, null) or "maxItems" of at most ${MAX_UNIQUE_ITEMS}`;
}

/** The `format`s a workspace schema may use: those ajv-formats checks (see `createAjv`). */
const KNOWN_FORMATS = new Set([
  'date',
  'time',
  'date-time',
  'iso-time',
  'iso-date-time',
  'duration',
  'uri',
  'uri-reference',
  'uri-template',
  'url',
  'email',
  'hostname',
  'ipv4',
  'ipv6',
  'regex',
  'uuid',
  'json-pointer',
  'json-pointer-uri-fragment',
  'relative-json-pointer',
  'byte',
  'int32',
  'int64',
  'float',
  'double',
  'password',
  'binary',
]);

/** Problems that forbid compiling `schema`; empty when it is safe. */
export function schemaProblems(schema: unknown): string[] {
  const problems: string[] = [];
  let nodes = 0;
  const visit = (node: unknown, path: string, depth: number): void => {
    if (problems.length > 20) return;
    if (++nodes > MAX_NODES) {
      if (nodes === MAX_NODES + 1) problems.push(`schema is too large (more than ${MAX_NODES} nodes)`);
      return;
    }
    if (depth > MAX_DEPTH) {
      problems.push(`${path}: nested deeper than ${MAX_DEPTH} levels`);
      return;
    }
    if (Array.isArray(node)) {
      node.forEach((x, i) => visit(x, `${path}/${i}`, depth + 1));
      return;
    }
    if (!node || typeof node !== 'object') return;
    for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
      const here = `${path}/${k}`;
      if ((k === '$ref' || k === '$dynamicRef' || k === '$recursiveRef') && typeof v === 'string' && !v.startsWith('#')) {
        problems.push(`${here}: only local references ("#/...") are allowed, not "${v.slice(0, 80)}"`);
      } else if (k === '$schema' || k === '$id') {
        continue;
      } else if (k === 'pattern' && typeof v === 'string') {
        const why = regExpProblem(v, 'u');
        if (why) problems.push(`${here}: ${why}`);
      } else if (k === 'patternProperties' && v && typeof v === 'object') {
        for (const p of Object.keys(v)) {
          const why = regExpProblem(p, 'u');
          if (why) problems.push(`${here}/${p}: ${why}`);
        }
      } else if (k === 'format' && typeof v === 'string' && !KNOWN_FORMATS.has(v)) {
        problems.push(`${here}: unknown format "${v.slice(0, 80)}" (it would not be checked; known: ${[...KNOWN_FORMATS].join(', ')})`);
      } else if (k === 'uniqueItems' && v === true) {
        const why = uniqueItemsProblem(node as Record<string, unknown>);
        if (why) problems.push(`${here}: ${why}`);
      }
      if (k === 'enum' || k === 'const' || k === 'examples' || k === 'default') continue;
      visit(v, here, depth + 1);
    }
  };
  visit(schema, '', 0);
  if (!problems.length) {
    const cycle = refCycle(schema);
    if (cycle) problems.push(cycle);
  }
  return problems;
}

/** Keywords whose subschemas apply to the same value (ajv's draft-07, and the 2019-09 `dependentSchemas`). */
const IN_PLACE = ['allOf', 'anyOf', 'oneOf', 'not', 'if', 'then', 'else', 'dependencies', 'dependentSchemas'];
/** Keywords whose subschemas apply to a part of the value: a property, an item, a property name. */
const INTO_PARTS = [
  'properties',
  'patternProperties',
  'additionalProperties',
  'items',
  'additionalItems',
  'prefixItems',
  'contains',
  'propertyNames',
  'unevaluatedProperties',
  'unevaluatedItems',
];
/** Keywords whose value is a map of subschemas (the others hold a subschema or a list of them). */
const MAPS = new Set(['properties', 'patternProperties', 'dependencies', 'dependentSchemas']);

type Schema = Record<string, unknown>;

function isSchema(x: unknown): x is Schema {
  return !!x && typeof x === 'object' && !Array.isArray(x);
}

/** The subschemas `schema` holds under `keyword`, with their JSON pointers below `at`. */
function subschemas(schema: Schema, keyword: string, at: string): [Schema, string][] {
  const v = schema[keyword];
  const here = `${at}/${keyword}`;
  if (Array.isArray(v)) return v.flatMap((x, i) => (isSchema(x) ? [[x, `${here}/${i}`] as [Schema, string]] : []));
  if (!isSchema(v)) return [];
  if (!MAPS.has(keyword)) return [[v, here]];
  return Object.entries(v).flatMap(([k, x]) => (isSchema(x) ? [[x, `${here}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`] as [Schema, string]] : []));
}

/**
 * Why `schema` cannot be applied, when a chain of `$ref`s and keywords that apply to the same value
 * (`allOf`, `anyOf`, `not`, …) leads from a subschema in use back to itself: validating any value would
 * recurse without end (ajv overflows the stack, on every document). A recursion through a property or
 * an item (`{"properties": {"child": {"$ref": "#"}}}`) ends with the value and is fine; a cycle among
 * definitions nothing uses is never followed. Only local references are resolved (`schemaProblems`
 * refuses the others), relative to the nearest subschema with a `$id` of its own.
 */
function refCycle(schema: unknown): string | undefined {
  if (!isSchema(schema)) return undefined;
  const where = new Map<Schema, string>();
  const base = new Map<Schema, Schema>();
  const anchors = new Map<Schema, Map<string, Schema>>();
  // Every subschema, with its pointer and the resource its references resolve in.
  const all: [Schema, string, Schema][] = [[schema, '', schema]];
  for (let i = 0; i < all.length; i++) {
    const [node, at, resource] = all[i];
    if (where.has(node)) continue;
    const own = typeof node.$id === 'string' && !node.$id.startsWith('#') && node !== schema ? node : resource;
    where.set(node, at);
    base.set(node, own);
    const name = typeof node.$anchor === 'string' ? node.$anchor : typeof node.$id === 'string' && node.$id.startsWith('#') ? node.$id.slice(1) : undefined;
    if (name !== undefined) {
      let names = anchors.get(own);
      if (!names) anchors.set(own, (names = new Map()));
      names.set(name, node);
    }
    for (const [k, v] of Object.entries(node)) {
      if (k === 'enum' || k === 'const' || k === 'examples' || k === 'default') continue;
      if (Array.isArray(v)) v.forEach((x, j) => isSchema(x) && all.push([x, `${at}/${k}/${j}`, own]));
      else if (isSchema(v)) {
        all.push([v, `${at}/${k}`, own]);
        for (const [k2, x] of Object.entries(v)) if (isSchema(x)) all.push([x, `${at}/${k}/${k2.replace(/~/g, '~0').replace(/\//g, '~1')}`, own]);
      }
    }
  }
  const resolve = (node: Schema, ref: string): Schema | undefined => {
    const resource = base.get(node)!;
    let frag = ref.slice(1);
    try {
      frag = decodeURIComponent(frag);
    } catch {
      return undefined;
    }
    if (frag !== '' && !frag.startsWith('/')) return anchors.get(resource)?.get(frag);
    let cur: unknown = resource;
    for (const part of frag.split('/').slice(1)) {
      const key = part.replace(/~1/g, '/').replace(/~0/g, '~');
      cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[key] : undefined;
    }
    return isSchema(cur) ? cur : undefined;
  };
  /** The subschemas applied to the same value as `node`, and how each is reached. */
  const sameValue = (node: Schema): [Schema, string][] => {
    const out: [Schema, string][] = [];
    for (const k of ['$ref', '$recursiveRef', '$dynamicRef']) {
      const ref = node[k];
      const target = typeof ref === 'string' && ref.startsWith('#') ? resolve(node, ref) : undefined;
      if (target) out.push([target, `${k} "${ref}"`]);
    }
    for (const k of IN_PLACE) for (const [x, p] of subschemas(node, k, where.get(node)!)) out.push([x, p]);
    return out;
  };
  // The subschemas in use: from the root, through every applicator and reference.
  const used = new Set<Schema>([schema]);
  const queue: Schema[] = [schema];
  for (let q = 0; q < queue.length; q++) {
    const node = queue[q];
    const next = [...sameValue(node).map(([x]) => x), ...INTO_PARTS.flatMap((k) => subschemas(node, k, '').map(([x]) => x))];
    for (const x of next) {
      if (used.has(x)) continue;
      used.add(x);
      queue.push(x);
    }
  }
  // A cycle among them through the same value: an iterative depth-first search, grey while on the path.
  const state = new Map<Schema, 'grey' | 'done'>();
  for (const start of used) {
    if (state.has(start)) continue;
    const path: { node: Schema; via: string; next: [Schema, string][]; i: number }[] = [{ node: start, via: '', next: sameValue(start), i: 0 }];
    state.set(start, 'grey');
    while (path.length) {
      const top = path[path.length - 1];
      if (top.i >= top.next.length) {
        state.set(top.node, 'done');
        path.pop();
        continue;
      }
      const [x, via] = top.next[top.i++];
      const s = state.get(x);
      if (s === 'grey') {
        const from = path.findIndex((f) => f.node === x);
        const steps = [...path.slice(from + 1).map((f) => f.via), via];
        return `${where.get(x) || '#'}: refers to itself without end (${steps.join(', then ')}), before any property or item: every value would be checked again and again`;
      }
      if (s === undefined) {
        state.set(x, 'grey');
        path.push({ node: x, via, next: sameValue(x), i: 0 });
      }
    }
  }
  return expansion(schema, (node) => [...sameValue(node).map(([x]) => x), ...INTO_PARTS.flatMap((k) => subschemas(node, k, '').map(([x]) => x))], where);
}

/** Most subschema applications one value and its parts may cost (see `expansion`). */
export const MAX_SCHEMA_EXPANSION = 10_000;

/**
 * Why `schema` costs too much to apply, when the subschemas reached from its root through references and
 * keywords (`children`), each counted once per way it is reached, are more than MAX_SCHEMA_EXPANSION: a
 * small schema whose definitions each refer twice to the next (`"allOf": [{"$ref": "#/definitions/d2"},
 * {"$ref": "#/definitions/d2"}]`) holds no cycle, yet checking one value follows 2^N ways (ajv reports
 * every error: minutes and gigabytes at N = 24). A recursion through a property or an item (a reference
 * back to a subschema on the way) is counted once: each turn of it reads a deeper part of the value.
 */
function expansion(schema: Schema, children: (node: Schema) => Schema[], where: Map<Schema, string>): string | undefined {
  const count = new Map<Schema, number>();
  const onPath = new Set<Schema>();
  const stack: { node: Schema; next: Schema[]; i: number; sum: number }[] = [{ node: schema, next: children(schema), i: 0, sum: 1 }];
  onPath.add(schema);
  while (stack.length) {
    const top = stack[stack.length - 1];
    if (top.i >= top.next.length || top.sum > MAX_SCHEMA_EXPANSION) {
      count.set(top.node, top.sum);
      onPath.delete(top.node);
      stack.pop();
      if (stack.length) stack[stack.length - 1].sum += top.sum;
      else if (top.sum > MAX_SCHEMA_EXPANSION) break;
      continue;
    }
    const x = top.next[top.i++];
    if (onPath.has(x)) continue;
    const known = count.get(x);
    if (known !== undefined) top.sum += known;
    else {
      onPath.add(x);
      stack.push({ node: x, next: children(x), i: 0, sum: 1 });
    }
  }
  let worst: Schema | undefined;
  for (const [node, n] of count) if (n > MAX_SCHEMA_EXPANSION && (!worst || where.get(node)!.length > where.get(worst)!.length)) worst = node;
  if (!worst) return undefined;
  return `${where.get(worst) || '#'}: reaches more than ${MAX_SCHEMA_EXPANSION.toLocaleString('en-US')} subschemas, each counted once per way its references and keywords lead to it (a definition referred to twice from one place counts twice): checking a document would take too long`;
}
