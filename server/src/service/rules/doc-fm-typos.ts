/**
 * Misspelt front matter keys. The schemas allow keys of their own (additionalProperties stays true),
 * so `titel: …` would pass silently: a key the schema does not know, one or two edits away from a
 * key it does know, is reported as the typo it almost certainly is. A key the schema defines is never
 * reported, and a key the schema forbids (additionalProperties: false) is never suggested.
 */
import type { RuleContext } from './rule';
import { propertiesAt } from '../schema-props';

/** Keys the built-in schemas define; a workspace schema is asked which of them it knows (its properties' keys count too). */
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

/** The word of `words` nearest to `word`: at most two edits away, one for a word of three or four letters, none shorter. */
export function nearest(word: string, words: Iterable<string>): string | undefined {
  const most = word.length < 3 ? -1 : word.length < 5 ? 1 : 2;
  let best: { w: string; d: number } | undefined;
  for (const w of words) {
    const d = editDistance(word, w, 2);
    if (d <= most && (!best || d < best.d)) best = { w, d };
  }
  return best?.w;
}

/** Values the probe gives a key: a key with any type but `object` rejects the first, one of type `object` the second. */
const PROBES: unknown[] = [{}, null];
/** A key no schema defines, written as keys are (lowercase letters): how the schema treats the keys it does not know. */
const UNKNOWN_KEY = 'phasegateunknownkey';

/**
 * How the schema treats `key`, one letter a probe value: `f` forbidden (additionalProperties: false,
 * propertyNames), `c` its value checked and rejected, `-` accepted.
 */
function treatment(ctx: RuleContext, schemaId: string, key: string): string {
  let out = '';
  for (const value of PROBES) {
    const errors = ctx.validateFrontMatter(schemaId, { [key]: value }) ?? [];
    const named = (e: (typeof errors)[number]): boolean =>
      (e.keyword === 'additionalProperties' && e.params.additionalProperty === key) || (e.keyword === 'propertyNames' && e.params.propertyName === key);
    if (errors.some(named)) out += 'f';
    else if (errors.some((e) => e.instancePath === `/${key}` || e.instancePath.startsWith(`/${key}/`))) out += 'c';
    else out += '-';
  }
  return out;
}

/** Most keys remembered per schema (keys come from documents: the cache must not grow without end). */
const MAX_CACHED = 4096;

interface SchemaKeys {
  /** The well-known keys the schema defines, and the keys its properties name: what a misspelt key may be meant as. */
  known: string[];
  /** Whether the schema defines a key: it allows the key and treats it otherwise than a key it does not know. */
  defines(key: string): boolean;
}

const keysCache = new WeakMap<object, Map<string, SchemaKeys>>();

function schemaKeys(ctx: RuleContext, schemaId: string): SchemaKeys {
  let bySchema = keysCache.get(ctx.config);
  if (!bySchema) keysCache.set(ctx.config, (bySchema = new Map()));
  let keys = bySchema.get(schemaId);
  if (!keys) {
    const unknown = treatment(ctx, schemaId, UNKNOWN_KEY);
    const seen = new Map<string, boolean>();
    const defines = (key: string): boolean => {
      let known = seen.get(key);
      if (known === undefined) {
        const t = treatment(ctx, schemaId, key);
        // A key the schema does not define but allows with any value is as good as unknown: no typo is told from it.
        known = !t.includes('f') && t !== unknown;
        if (seen.size < MAX_CACHED) seen.set(key, known);
      }
      return known;
    };
    // The schema's own keys too (a workspace schema's `sponsor`), as below the top level.
    const own = propertiesAt(ctx.frontMatterSchema(schemaId), []).props.map((p) => p.name);
    keys = { known: [...new Set([...WELL_KNOWN.filter(defines), ...own])], defines };
    bySchema.set(schemaId, keys);
  }
  return keys;
}

/**
 * The key of `keys` that `key` (which none of them is) most likely misspells: the same in another case, or one edit
 * away for a key of four letters, two for a longer one; never a key of fewer than four (`to`, `end`: too short to tell
 * a typo from another word).
 */
function meantKey(key: string, keys: Iterable<string>): string | undefined {
  const lower = key.toLowerCase();
  let best: { meant: string; d: number } | undefined;
  for (const k of keys) {
    if (k.length < 4) continue;
    const d = lower === k ? 0 : editDistance(lower, k, 2);
    // Short keys tolerate one edit, longer ones two.
    if (d <= (k.length <= 4 ? 1 : 2) && (!best || d < best.d)) best = { meant: k, d };
  }
  return best?.meant;
}

/** For each key of `data` that looks like a misspelling of a schema key: the key and its likely intent. */
export function misspeltKeys(ctx: RuleContext, schemaId: string, data: Record<string, unknown>): { key: string; meant: string }[] {
  const { known, defines } = schemaKeys(ctx, schemaId);
  const out: { key: string; meant: string }[] = [];
  for (const key of Object.keys(data)) {
    // A key of the schema's own (a workspace schema's `stage` beside `start`) is no typo.
    if (known.includes(key) || defines(key)) continue;
    const meant = meantKey(key, known);
    if (meant && !(meant in data)) out.push({ key, meant });
  }
  return out;
}

/** Most values of one front matter looked into for nested mappings (an alias may repeat a large one many times). */
const MAX_NESTED_VALUES = 10_000;
/** Most nested mappings of one front matter whose keys are compared with the schema's (each a read of the schema at its path). */
const MAX_NESTED_MAPPINGS = 128;

/**
 * For each key of a mapping nested in the front matter `data` (`owner: {nmae: x}`, a mapping in a list) that the schema
 * (`schemaOf`, asked only when `data` holds a mapping or a list) does not define there, one or two edits away from one
 * it does that the mapping lacks (as `misspeltKeys` at the top): the mapping's path, the key and its likely intent.
 * Mappings the schema says nothing of, or whose keys it allows by a pattern too (`patternProperties`), are left alone.
 */
export function misspeltNestedKeys(schemaOf: () => unknown, data: Record<string, unknown>): { path: (string | number)[]; key: string; meant: string }[] {
  // Most front matter holds no mapping nor list: nothing more is done, nor allocated, for it (performance only).
  let nested = false;
  for (const k in data) {
    const v = data[k];
    if (v !== null && typeof v === 'object') {
      nested = true;
      break;
    }
  }
  if (!nested) return [];
  const schema = schemaOf();
  const out: { path: (string | number)[]; key: string; meant: string }[] = [];
  let left = MAX_NESTED_VALUES;
  let mappings = MAX_NESTED_MAPPINGS;
  let seen: Set<object> | undefined;
  // Only objects are visited (most front matter holds none: a list of strings is passed over item by item, with no path built).
  const visit = (v: object, path: (string | number)[]): void => {
    seen ??= new Set();
    if (seen.has(v) || --left < 0) return;
    seen.add(v);
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const x: unknown = v[i];
        if (x !== null && typeof x === 'object') visit(x, [...path, i]);
      }
      return;
    }
    const map = v as Record<string, unknown>;
    if (--mappings < 0) return;
    const { props, patterns } = propertiesAt(schema, path);
    if (props.length && !patterns) {
      const names = new Set(props.map((p) => p.name));
      for (const key of Object.keys(map)) {
        if (names.has(key)) continue;
        const meant = meantKey(key, names);
        if (meant && !Object.hasOwn(map, meant)) out.push({ path, key, meant });
      }
    }
    for (const [k, x] of Object.entries(map)) if (x !== null && typeof x === 'object') visit(x, [...path, k]);
  };
  for (const k in data) {
    const v = data[k];
    if (v !== null && typeof v === 'object' && Object.hasOwn(data, k)) visit(v, [k]);
  }
  return out;
}
