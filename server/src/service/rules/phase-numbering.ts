/** Phase numbering: within a group (a phases folder, or a workstream) numbers run without gaps or duplicates. */
import { basename, dirname } from '../host';
import type { Phase } from '../workspace';
import { range } from '../types';
import { lowerBound } from '../sorted';
import type { Rule, RuleContext } from './rule';
import { suffixStart } from '../text-scan';

/** `group.replace(/#.*$/, '')`, in one pass. */
function withoutSuffix(group: string): string {
  const q = suffixStart(group, '#');
  return q < 0 ? group : group.slice(0, q);
}

function groupName(p: Phase): string {
  return p.workstream !== undefined ? `workstream ${p.workstream}` : `${basename(withoutSuffix(p.group)) || '/'}/`;
}

/** Phases of a group by number, and its numbers in order: built once per group, not per phase (performance only). */
interface GroupIndex {
  byNumber: Map<number, Phase[]>;
  numbers: number[];
}
const groupIndexes = new WeakMap<Phase[], GroupIndex>();

function groupIndex(group: Phase[]): GroupIndex {
  let ix = groupIndexes.get(group);
  if (!ix) {
    const byNumber = new Map<number, Phase[]>();
    for (const p of group) {
      if (p.number === undefined) continue;
      const list = byNumber.get(p.number);
      if (list) list.push(p);
      else byNumber.set(p.number, [p]);
    }
    ix = { byNumber, numbers: [...byNumber.keys()].sort((a, b) => a - b) };
    groupIndexes.set(group, ix);
  }
  return ix;
}

/** The highest number below n, if any (binary search over the sorted numbers). */
function highestBelow(numbers: number[], n: number): number | undefined {
  const i = lowerBound(numbers, (x) => x < n);
  return i > 0 ? numbers[i - 1] : undefined;
}

/**
 * Of duplicates' folders, those of one name in two cases (`phase-1/`, `Phase-1/`, which Windows and macOS take for one
 * folder, case-conflict's warning at the first of them): named after the duplicates' list, so that the two problems
 * read as one cause. Empty when there are none.
 */
function inOtherCase(folders: string[]): string {
  const byKey = new Map<string, string[]>();
  for (const f of folders) {
    // Of one folder: two in folders of names in two cases (`A/phase-1/`, `a/phase-1/`) are those folders' conflict.
    const key = `${dirname(f)}/${basename(f).toLowerCase()}`;
    const list = byKey.get(key);
    if (list) list.push(basename(f));
    else byKey.set(key, [basename(f)]);
  }
  const sets = [...byKey.values()].filter((l) => l.length > 1).map((l) => l.sort());
  if (!sets.length) return '';
  const listed = (l: string[]) => (l.length === 2 ? `${l[0]} and ${l[1]}` : `${l.slice(0, -1).join(', ')} and ${l[l.length - 1]}`);
  return ` (${sets
    .sort((a, b) => (a[0] < b[0] ? -1 : 1))
    .map(listed)
    .join('; ')} differ only in case, a case-conflict too: merge or rename them)`;
}

export const numberingRule: Rule = {
  ids: ['phase-numbering-gap', 'phase-numbering-duplicate'],
  withoutModel: true,
  check(ctx: RuleContext) {
    const { phase, doc } = ctx;
    if (!phase || !ctx.phaseAnchor || phase.number === undefined) return;
    const group = ctx.model.groups.get(phase.group) ?? [phase];
    const n = phase.number;
    const h1 = doc.headings.find((h) => h.level === 1);
    const at = h1 ? h1.textRange : range(0, 0, 0, 0);

    const ix = groupIndex(group);
    const same = (ix.byNumber.get(n) ?? []).filter((p) => p !== phase);
    if (same.length) {
      const phases = [phase, ...same];
      const names = phases.map((p) => basename(p.folder)).sort();
      ctx.report(
        'phase-numbering-duplicate',
        at,
        `Phase number ${n} is used by ${names.length} phases in ${groupName(phase)}: ${names.join(', ')}${inOtherCase(phases.map((p) => p.folder))}.`,
      );
    }

    // The phase right after a gap carries it: the highest number below n, or the start (1).
    const prev = highestBelow(ix.numbers, n) ?? (n > 1 ? 0 : undefined);
    if (prev === undefined || n - prev <= 1) return;
    // The missing numbers are one run, prev+1 … n-1: named by its ends, never listed one by one (phase-999999999).
    const first = prev + 1;
    const last = n - 1;
    const what = first === last ? `phase ${first} is missing` : `phases ${first}${last === first + 1 ? ', ' : '–'}${last} are missing`;
    ctx.report('phase-numbering-gap', at, `Phase numbering skips from ${prev === 0 ? 'the start' : prev} to ${n} in ${groupName(phase)}: ${what}.`);
  },
};
