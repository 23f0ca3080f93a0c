/**
 * Workspace schemas are data: before one is compiled, it is checked for what could make
 * the engine fetch, loop or hang — remote or file `$ref`s, and regular expressions that could
 * backtrack catastrophically (judged by `regExpProblem`, in ajv's `u` mode).
 */
import { regExpProblem } from './regex-safety';

/** Deepest schema nesting accepted. */
const MAX_DEPTH = 64;
/** Most subschemas/keywords visited in one schema. */
const MAX_NODES = 20_000;

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
      }
      if (k === 'enum' || k === 'const' || k === 'examples' || k === 'default') continue;
      visit(v, here, depth + 1);
    }
  };
  visit(schema, '', 0);
  return problems;
}
