/**
 * Misspelt front matter keys. The schemas allow keys of their own (additionalProperties stays true),
 * so `titel: …` would pass silently: a key the schema does not know, one or two edits away from a
 * key it does know, is reported as the typo it almost certainly is.
 */
import type { RuleContext } from './rule';

/** Keys the built-in schemas define; a workspace schema is asked which of them it knows. */
const WELL_KNOWN = [
  'phase',
  'title',
  'status',
  'owner',
  'date',
  'reviewers',
  'tags',
  'version',
  'workstream',
  'from',
  'to',
  'weeks',
  'start',
  'end',
  'depends_on',
  'tools',
  'approved_by',
  'approved_on',
  'model',
  'prompt',
  'project',
  'severity',
];

/** Optimal string alignment distance (Levenshtein with transpositions), capped for speed. */
export function editDistance(a: string, b: string, cap = 3): number {
  if (Math.abs(a.length - b.length) > cap) return cap + 1;
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/**
 * Whether the schema defines `key`: a property with a type rejects an empty object as its value,
 * while a key the schema does not know accepts anything.
 */
function knows(ctx: RuleContext, schemaId: string, key: string): boolean {
  const errors = ctx.validateFrontMatter(schemaId, { [key]: {} }) ?? [];
  return errors.some((e) => e.instancePath === `/${key}` || (e.keyword === 'additionalProperties' && e.params.additionalProperty === key));
}

const knownCache = new WeakMap<object, Map<string, string[]>>();

function knownKeys(ctx: RuleContext, schemaId: string): string[] {
  let bySchema = knownCache.get(ctx.config);
  if (!bySchema) knownCache.set(ctx.config, (bySchema = new Map()));
  let keys = bySchema.get(schemaId);
  if (!keys) {
    keys = WELL_KNOWN.filter((k) => knows(ctx, schemaId, k));
    bySchema.set(schemaId, keys);
  }
  return keys;
}

/** For each key of `data` that looks like a misspelling of a schema key: the key and its likely intent. */
export function misspeltKeys(ctx: RuleContext, schemaId: string, data: Record<string, unknown>): { key: string; meant: string }[] {
  const known = knownKeys(ctx, schemaId);
  const out: { key: string; meant: string }[] = [];
  for (const key of Object.keys(data)) {
    if (known.includes(key)) continue;
    const lower = key.toLowerCase();
    let best: { meant: string; d: number } | undefined;
    for (const k of known) {
      // `to`, `end`: too short to tell a typo from another word.
      if (k.length < 4) continue;
      const d = lower === k ? 0 : editDistance(lower, k, 2);
      // Short keys tolerate one edit, longer ones two.
      if (d <= (k.length <= 4 ? 1 : 2) && (!best || d < best.d)) best = { meant: k, d };
    }
    if (best && !(best.meant in data)) out.push({ key, meant: best.meant });
  }
  return out;
}
