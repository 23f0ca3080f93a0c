/**
 * Workspace schemas are data: before one is compiled, it is checked for what could make
 * the engine fetch, loop or hang — remote or file `$ref`s, and regular expressions that could
 * backtrack catastrophically (judged by `regExpProblem`, in ajv's `u` mode).
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
      } else if (k === 'uniqueItems' && v === true) {
        const why = uniqueItemsProblem(node as Record<string, unknown>);
        if (why) problems.push(`${here}: ${why}`);
      }
      if (k === 'enum' || k === 'const' || k === 'examples' || k === 'default') continue;
      visit(v, here, depth + 1);
    }
  };
  visit(schema, '', 0);
  return problems;
}
