/**
 * Metric thresholds scoped by phase: a `metrics[]` entry of phasegate.yaml with `phases` (`3`, `"1-2"`,
 * `"3-5, 7"`, `[1, 2]`) applies to those phases only. A phase takes the entry of a name whose scope names
 * it, else the unscoped one of that name (the workspace's, else the built-in one); a phase without a
 * number takes the unscoped ones only.
 */
import type { MetricSpec } from './layout';

/** The phases a metric applies to: inclusive ranges, sorted and merged, and how messages name them (`phases 1-2`). */
export interface PhaseScope {
  ranges: [number, number][];
  label: string;
}

/** What `phases` may be written as: a phase number, a string of numbers and ranges, or a list of either. */
export type PhasesValue = number | string | (number | string)[];

/** A phase number as the config's schema allows it (at most 9 digits: no number is so large it loses precision). */
const PART = /^(\d{1,9})(?:\s*-\s*(\d{1,9}))?$/;

const HOW = 'write phase numbers and ranges, as `3`, `"1-2"`, `"3-5, 7"` or `[1, 2]`';

/** The scope `value` (a metric's `phases`) names, or why it names none. */
export function parsePhaseScope(value: unknown): PhaseScope | { problem: string } {
  const items = Array.isArray(value) ? value : [value];
  const ranges: [number, number][] = [];
  if (!items.length) return { problem: `an empty list names no phase: ${HOW}` };
  for (const item of items) {
    if (typeof item === 'number') {
      if (!Number.isSafeInteger(item) || item < 0) return { problem: `\`${item}\` is no phase number: ${HOW}` };
      ranges.push([item, item]);
      continue;
    }
    if (typeof item !== 'string') return { problem: `\`${JSON.stringify(item)}\` is no phase number or range: ${HOW}` };
    for (const part of item.split(',')) {
      const m = PART.exec(part.trim());
      if (!m) return { problem: `\`${item}\` is no list of phase numbers and ranges: ${HOW}` };
      const lo = Number(m[1]);
      const hi = m[2] === undefined ? lo : Number(m[2]);
      if (hi < lo) return { problem: `\`${part.trim()}\` runs down: write the lower phase first, \`${hi}-${lo}\`` };
      ranges.push([lo, hi]);
    }
  }
  return scopeOf(ranges);
}

function scopeOf(ranges: [number, number][]): PhaseScope {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const merged: [number, number][] = [];
  for (const [lo, hi] of sorted) {
    const last = merged[merged.length - 1];
    if (last && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
    else merged.push([lo, hi]);
  }
  const text = merged.map(([lo, hi]) => (lo === hi ? `${lo}` : `${lo}-${hi}`)).join(', ');
  const one = merged.length === 1 && merged[0][0] === merged[0][1];
  return { ranges: merged, label: `${one ? 'phase' : 'phases'} ${text}` };
}

/** Whether phase `n` is in `scope`. */
export function inScope(scope: PhaseScope, n: number): boolean {
  return scope.ranges.some(([lo, hi]) => lo <= n && n <= hi);
}

/** The first phase both scopes name, or undefined when they name none in common. */
export function firstShared(a: PhaseScope, b: PhaseScope): number | undefined {
  let first: number | undefined;
  for (const [alo, ahi] of a.ranges)
    for (const [blo, bhi] of b.ranges) {
      const lo = Math.max(alo, blo);
      if (lo <= Math.min(ahi, bhi) && (first === undefined || lo < first)) first = lo;
    }
  return first;
}

/** The key entries of one metric share: its name, case and surrounding blanks aside. */
export function metricKey(m: MetricSpec): string {
  return m.name.trim().toLowerCase();
}

/**
 * A metric's name as the metric rule matches a row's name against it: markup (`*`, `_`, backticks) dropped, blanks as one
 * space, any case, without a colon that ends it.
 */
export function metricNameKey(name: string): string {
  return name.replace(/[*_`]/g, '').replace(/\s+/g, ' ').trim().toLowerCase().replace(/:$/, '').trim();
}

/** A name a row may go by that both entries answer to (the name or an alias of each, as the metric rule matches them), if any. */
export function sharedName(a: MetricSpec, b: MetricSpec): string | undefined {
  const keys = new Set([a.name, ...(a.aliases ?? [])].map(metricNameKey));
  return [b.name, ...(b.aliases ?? [])].find((n) => keys.has(metricNameKey(n)));
}

/**
 * The thresholds in force in phase `n` (undefined: a phase without a number, or no phase): of `metrics`,
 * the entries whose scope names `n`, and the unscoped ones whose name no such entry has; in their order.
 * A list without scoped entries is returned as it is.
 */
export function metricsInForce(metrics: MetricSpec[], n: number | undefined): MetricSpec[] {
  if (!metrics.some((m) => m.scope)) return metrics;
  const here = (m: MetricSpec) => n !== undefined && m.scope !== undefined && inScope(m.scope, n);
  const scopedHere = new Set(metrics.filter(here).map(metricKey));
  return metrics.filter((m) => (m.scope ? here(m) : !scopedHere.has(metricKey(m))));
}

/** ` (phases 1-2)` after a scoped metric's threshold in a message; nothing for an unscoped one. */
export function scopeNote(m: MetricSpec | undefined): string {
  return m?.scope ? ` (${m.scope.label})` : '';
}
