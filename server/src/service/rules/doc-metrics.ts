/**
 * Success metrics: in a table with a Metric column and an Actual (Value, Result) column, of a document
 * that may report the phase's results (not a brief, an execution plan, a prompt, an input handoff or a
 * finding), each actual value is compared with the row's own Target, or else with the threshold configured for the metric;
 * under a metrics section (`## Success Metrics`) of a document where a phase reports its own results (a
 * validation document, an iAI response), so is each list item `Name: value` (or `Name — value`), against a target written
 * after it (`(target >80%)`) or the configured threshold. Neither is judged under a section titled as a
 * baseline or a target (`## Baseline Metrics`, `### Targets`), nor an item or a row marked as a baseline (`62% (baseline)`).
 * Values that are empty or not quantities are skipped: the rule never guesses.
 */
import { DEFAULT_METRICS, type MetricSpec } from '../layout';
import { metricNameKey as nameKey, scopeNote } from '../metric-scope';
import { meets, parseLabelledQuantities, parseLabelledThresholds, parseQuantity, parseThreshold, directionOpen } from './doc-quantity';
import type { Labelled, Quantity, Threshold } from './doc-quantity';
import type { Rule, RuleContext } from './rule';
import { itemsWithin } from '../markdown';
import { Memo } from '../memo';
import { range } from '../types';
import type { Range } from '../types';

const METRIC_COL = /^metrics?$|^(?:success |quality )?metric(?: name)?$|^kpi$/i;
const ACTUAL_COL = /^(?:actual|actuals|actual value|value|result|results|measured|achieved|current)$/i;
const TARGET_COL = /^(?:target|targets|threshold|goal|expected)$/i;
/** A header that names results with more words (`Phase 2 Result`, `Actual (Jan 28)`, `Achieved value`). */
const ACTUAL_WORD = /\b(?:actuals?|results?|measured|achieved)\b/i;
/** A header that names targets with more words (`Phase 2 Target`, `Target (seed)`, `Threshold value`). */
const TARGET_WORD = /\b(?:targets?|thresholds?|goals?|expected)\b/i;
/** A header that names where a phase started (`Baseline result`, `Previous actual`): neither a result nor a target. */
const START_WORD = /\b(?:baselines?|before|previous|initial)\b/i;

/** Whether a header names the column of actual values: `Actual`, `Value`, `Phase 2 Result` (not `Result vs Target`). */
function isActualColumn(h: string): boolean {
  return ACTUAL_COL.test(h) || (ACTUAL_WORD.test(h) && !TARGET_WORD.test(h) && !START_WORD.test(h));
}

/** Whether a header names the column of targets: `Target`, `Goal`, `Phase 2 Target` (not `Actual vs Target`). */
function isTargetColumn(h: string): boolean {
  return TARGET_COL.test(h) || (TARGET_WORD.test(h) && !ACTUAL_WORD.test(h) && !START_WORD.test(h));
}

function cellText(s: string): string {
  return s.replace(/[*_`]/g, '').replace(/\s+/g, ' ').trim();
}

/**
 * A value without the white space and the emphasis stars it ends with (`70% **`), as `/\s*\**\s*$/` would
 * remove them, by hand: that expression takes seconds on a value with a long run of spaces inside it.
 */
export function withoutTrailingStars(value: string): string {
  let end = value.length;
  const space = (i: number) => /\s/.test(value[i]);
  while (end > 0 && space(end - 1)) end--;
  while (end > 0 && value[end - 1] === '*') end--;
  while (end > 0 && space(end - 1)) end--;
  return value.slice(0, end);
}

/**
 * `name` without what `/\s*\([^)]*\)\s*$/` matches: a note in brackets that ends it, blanks before it included. In
 * one pass (the expression went over the text after each `(` and each blank of a run again).
 */
export function withoutTrailingNote(name: string): string {
  const e = name.trimEnd().length;
  if (name[e - 1] !== ')') return name;
  const open = name.indexOf('(', name.lastIndexOf(')', e - 2) + 1);
  if (open < 0 || open >= e - 1) return name;
  let start = open;
  while (start > 0 && /\s/.test(name[start - 1])) start--;
  return name.slice(0, start);
}

/**
 * The configured metric named `name` (or one of its aliases), case-insensitively; a trailing `(…)` may be dropped.
 * An entry scoped to the phase (`metrics` are those in force in it) before an unscoped one: `Coverage` for phase 3
 * is held to a phase 3 entry so named rather than to an unscoped `Code coverage` listed first with the alias `Coverage`.
 */
export function findMetric(metrics: MetricSpec[], name: string): MetricSpec | undefined {
  let byName = found.get(metrics);
  if (!byName) found.set(metrics, (byName = new Memo(10_000, (own) => lookUpMetric(metrics, own))));
  return byName.get(name);
}

/** findMetric's answers by metrics in force (the config's array, or a phase's of scoped metrics) and name (performance only). */
const found = new WeakMap<MetricSpec[], Memo<MetricSpec | undefined>>();

function lookUpMetric(metrics: MetricSpec[], name: string): MetricSpec | undefined {
  const keys = [nameKey(name), nameKey(withoutTrailingNote(name))];
  for (const k of keys) {
    const named = (x: MetricSpec) => [x.name, ...(x.aliases ?? [])].some((n) => nameKey(n) === k);
    const m = metrics.find((x) => x.scope && named(x)) ?? metrics.find(named);
    if (m) return m;
  }
  return undefined;
}

/**
 * Reports a metric that misses its target (`message`), at `at`. In a first phase (phase 1, or phase 0), which measures
 * where the project starts (the phase system design's "Foundation Audit & Baseline"), the message says how to mark the
 * value as a baseline, which is not judged: `Code coverage is 62%; target > 80%. In phase 1, mark a baseline so that it
 * is not judged: `62% (baseline)``.
 */
function reportMiss(ctx: RuleContext, at: Range, valueText: string, message: string): void {
  const n = ctx.phase?.number;
  const hint = n === 0 || n === 1 ? `. In phase ${n}, mark a baseline so that it is not judged: \`${cellText(valueText)} (baseline)\`` : '';
  ctx.report('metric-threshold', at, message + hint);
}

/**
 * Judges one metric's value (a table's Actual cell, a list item's value) against its own target when
 * one is written, else the threshold configured for its name; reports at `at` when it misses.
 */
function judge(ctx: RuleContext, name: string, valueText: string, targetText: string, at: Range): void {
  const actual = parseQuantity(valueText);
  // One count in words (`2 critical`) of a metric named with them (`Security vulnerabilities (critical)`).
  if (actual?.word !== undefined && !targetText && !findMetric(ctx.metrics, name)) {
    const { word, ...value } = actual;
    return judgeParts(ctx, name, valueText, '', undefined, [{ label: word, value }], at);
  }
  if (actual) {
    const written = targetText ? parseThreshold(targetText) : undefined;
    const own = written && directionOpen(written) ? bareDirection(written, findMetric(ctx.metrics, name), name) : written;
    // A target written with the value but not read (`70-75%`) is the value's: no other one stands in for it.
    const spec = targetText ? undefined : findMetric(ctx.metrics, name);
    const threshold = own ?? thresholdOf(spec);
    if (threshold && meets(actual, threshold) === false) {
      // A threshold configured for some phases only says so (`> 80% (phases 1-2)`); one written without a comparison, how it was read.
      const shown = own
        ? targetText + readingNote(written!, own, targetText, name, ctx)
        : `${spec?.threshold}${readingNote(parseThreshold(spec!.threshold), threshold, spec!.threshold, name, ctx)}${scopeNote(spec)}`;
      reportMiss(ctx, at, valueText, `${cellText(name)} is ${cellText(valueText)}; target ${shown}`);
    }
    return;
  }
  // A compound value (`2 critical, 9 high`) against a compound target (`0 critical, <5 high`): part by part, by their words.
  const spec = targetText ? undefined : findMetric(ctx.metrics, name);
  const target = targetText || spec?.threshold;
  const parts = parseLabelledQuantities(valueText);
  if (!parts) return;
  judgeParts(ctx, name, valueText, targetText, target, parts, at, spec?.scope?.label);
}

/**
 * How a target written without a comparison (`80 %`) was read, after it in a message: ` (read as >= 80 %, in the
 * direction of the threshold for Code coverage, > 80%)` when its metric's threshold gave the direction, else ` (read as >= 80 %:
 * write the comparison, `>= 80 %` or `<= 80 %`)`, since the direction was a guess (`0` at most, anything else at least). Empty for a
 * target that writes its comparison, and for `0`, which only an upper bound reads sensibly.
 */
function readingNote(written: Readonly<Threshold> | undefined, read: Readonly<Threshold>, text: string, name: string, ctx: RuleContext): string {
  if (!written || !directionOpen(written)) return '';
  const as = `${read.op} ${cellText(text)}`;
  const spec = findMetric(ctx.metrics, name);
  const from = directionFrom(spec, written);
  if (from) return ` (read as ${as}, in the direction of the ${from === spec ? '' : 'built-in '}threshold for ${from.name}, ${from.threshold})`;
  if (read.op === '<=' && timeTaken(name, written)) return ` (read as ${as}, as a time taken is: write \`>= ${cellText(text)}\` for at least)`;
  const other = `${read.op === '>=' ? '<=' : '>='} ${cellText(text)}`;
  return ` (read as ${as}: write the comparison, \`${as}\` or \`${other}\`)`;
}

/**
 * The metric whose threshold, written with a comparison in the unit of `t`, gives a target without one its direction
 * (as inDirectionOf reads it): `spec`, else the built-in metric of its name; undefined when neither does.
 */
function directionFrom(spec: MetricSpec | undefined, t: Readonly<Threshold>): MetricSpec | undefined {
  if (!spec) return undefined;
  const gives = (m: MetricSpec): boolean => {
    const k = parseThreshold(m.threshold);
    return !!k && !directionOpen(k) && k.op !== '=' && k.unit === t.unit;
  };
  if (gives(spec)) return spec;
  const builtin = findMetric(DEFAULT_METRICS, spec.name);
  return builtin && builtin !== spec && gives(builtin) ? builtin : undefined;
}

/**
 * A target written without a comparison (`5 minutes`), read in the direction of the threshold configured (or built
 * in) for its metric, in the same unit (`< 5 minutes` for Test execution time: at most 5 minutes; `>= 30 days` for
 * Log retention: at least): without one, `0` is at most and anything else at least (parseThreshold), which would
 * have a test run of 4.2 minutes miss a target of 5 minutes.
 */
function inDirectionOf(own: Readonly<Threshold>, spec: MetricSpec | undefined): Readonly<Threshold> {
  const known = thresholdOf(spec);
  if (!known || known.unit !== own.unit || known.op === '=') return own;
  const op = known.op === '<' || known.op === '<=' ? '<=' : '>=';
  return op === own.op ? own : { ...own, op };
}

/**
 * A target written without a comparison (see inDirectionOf), in the direction of its metric's threshold where one gives
 * it, else, for a duration of a metric named as a time taken (`Page load time`, `API latency`, `Build duration`), at
 * most, as every built-in time is (`< 5 minutes`); else as written (`0` at most, anything else at least).
 */
function bareDirection(written: Readonly<Threshold>, spec: MetricSpec | undefined, name: string): Readonly<Threshold> {
  if (directionFrom(spec, written)) return inDirectionOf(written, spec);
  return timeTaken(name, written) ? { ...written, op: '<=' } : written;
}

/** A duration of a metric named as a time taken (`Page load time`, `p95 latency`), not as a time between events (MTBF). */
function timeTaken(name: string, t: Readonly<Threshold>): boolean {
  return t.unit === 's' && /\b(?:time|latency|duration|delay)\b/i.test(name) && !/\bbetween\b/i.test(name);
}

/**
 * The threshold of a configured metric; one written without a comparison for a built-in metric's name (`Test
 * execution time: "5 minutes"`) in the direction of the built-in one (`< 5 minutes`: at most).
 */
function thresholdOf(spec: MetricSpec | undefined): Readonly<Threshold> | undefined {
  const t = spec ? parseThreshold(spec.threshold) : undefined;
  if (!t || !directionOpen(t)) return t;
  const builtin = findMetric(DEFAULT_METRICS, spec!.name);
  if (builtin && builtin !== spec && directionFrom(builtin, t)) return inDirectionOf(t, builtin);
  return timeTaken(spec!.name, t) ? { ...t, op: '<=' } : t;
}

/**
 * A value counted in words (`2 critical, 9 high`, or one part, `2 critical`) against a compound target, else
 * part by part against the metrics its words name (`Security vulnerabilities (critical)`).
 */
function judgeParts(
  ctx: RuleContext,
  name: string,
  valueText: string,
  targetText: string,
  target: string | undefined,
  parts: Labelled<Quantity>[],
  at: Range,
  scope?: string,
): void {
  if (target) {
    const targets = parseLabelledThresholds(target);
    if (!targets) return judgeEachPart(ctx, name, valueText, target, parts, at, scope);
    const missed = parts.filter((p) => {
      const t = targets.find((x) => x.label === p.label);
      if (t === undefined) return false;
      // A part without a comparison (`5 high`) in the direction of the metric its words name (`High vulnerabilities`).
      const part = directionOpen(t.value) ? inDirectionOf(t.value, findMetric(ctx.metrics, `${cellText(name)} (${p.label})`)) : t.value;
      return meets(p.value, part) === false;
    });
    if (!missed.length) return;
    reportMiss(ctx, at, valueText, `${cellText(name)} is ${cellText(valueText)}; target ${target}${missedNote(missed, scope)}`);
    return;
  }
  if (targetText) return;
  // Each part by the metric its words name: `Security vulnerabilities: 2 critical` is "Security vulnerabilities (critical)".
  const missed: { label: string; threshold: string }[] = [];
  for (const p of parts) {
    const spec = findMetric(ctx.metrics, `${cellText(name)} (${p.label})`);
    const t = thresholdOf(spec);
    if (spec && t && meets(p.value, t) === false) missed.push({ label: p.label, threshold: `${spec.threshold} ${p.label}${scopeNote(spec)}` });
  }
  if (!missed.length) return;
  reportMiss(ctx, at, valueText, `${cellText(name)} is ${cellText(valueText)}; target ${missed.map((m) => m.threshold).join(', ')}${missedNote(missed)}`);
}

/**
 * A compound value (`85% lines, 72% branches`) against one threshold that names no word (`> 80%`): each part
 * is held to it where that is sound whatever the parts add up to, a percentage (parts are not summed) or an upper
 * bound (`< 5 min`, `0`: a part beyond it puts the whole beyond it). A lower bound of counts or durations
 * (`> 100 tests` against `60 unit, 50 e2e`) may be met by their sum: not judged.
 */
function judgeEachPart(ctx: RuleContext, name: string, valueText: string, target: string, parts: Labelled<Quantity>[], at: Range, scope?: string): void {
  const t = parseThreshold(target);
  if (!t || t.word !== undefined) return;
  const upper = t.op === '<' || t.op === '<=' || (t.op === '=' && t.value === 0);
  if (t.unit !== '%' && !upper) return;
  const missed = parts.filter((p) => meets(p.value, t) === false);
  if (!missed.length) return;
  reportMiss(ctx, at, valueText, `${cellText(name)} is ${cellText(valueText)}; target ${target}${missedNote(missed, scope)}`);
}

/** ` (missed: high)` after a target, with the phases of a threshold configured for some only: ` (phases 1-2; missed: high)`. */
function missedNote(missed: { label: string }[], scope?: string): string {
  return ` (${scope ? `${scope}; ` : ''}missed: ${missed.map((p) => p.label).join(', ')})`;
}

/**
 * Kinds of documents whose listed metrics are the phase's own results: a validation document, an iAI
 * response. A brief, an execution plan or a prompt sets targets; a handoff hands on baselines (an input
 * handoff's `## Baseline Metrics`, a Foundation Audit's output); a finding records what was found.
 */
const RESULT_KINDS = new Set(['validation', 'response']);

/**
 * Kinds of documents whose metrics tables are not the phase's results either: a brief, an execution plan or
 * a prompt sets targets from where the phase starts (`| Metric | Current | Target |`, the current value
 * missing the target is why the phase exists), an input handoff receives baselines, a finding records what
 * was found (a Foundation Audit's coverage analysis, `| Code coverage | > 80% | 54% |`). Their tables are
 * not judged, as their lists are not; every other document's are.
 */
const NOT_RESULT_TABLE_KINDS = new Set(['brief', 'execution-plan', 'prompt', 'input-handoff', 'finding']);

/**
 * A section that holds baselines or targets, not results: `## Baseline Metrics`, `### Before`, `## Goals`;
 * not one that sets them beside results (`## Metrics vs. Targets`, `## Before and After`).
 */
const NOT_RESULTS_SECTION = /\b(?:baselines?|before|previous|targets?|goals?)\b/i;
const RESULTS_TOO = /\b(?:vs\.?|versus|against|after|actuals?|results?|achieved|now|current)\b/i;

/** A section of metrics: `## Success Metrics`, `## Quality Metrics`, `## Metrics and KPIs`. */
const METRICS_SECTION = /(^| )(metrics|kpis)( |$)/;

/**
 * A list item `Name: value`, with an optional target after the value: `Code coverage: 70% (target >80%)`; a
 * status mark before the name (`✅ Code coverage: 84%`, `❌ …`, `⚠️ …`) is no part of it. The name ends on
 * a character that is no space: a run of spaces is gone over once, not once for each place it could end in it.
 * As one expression (the text before the name, then this):
 * `/^(\s*(?:[^\p{L}\p{N}\s:*_([`]{1,3}\s+)?\**\s*)([^:\d](?:[^:]*?[^:\s])?)(\s*(?:\*+\s*)?:\s*\**\s*)(\S(?:.*\S)?)\s*$/u`.
 */
// eslint-disable-next-line regexp/no-super-linear-backtracking -- items of at most MAX_METRIC_ITEM (1,000) characters, each start tried once (under 30 ms at worst)
const METRIC_ITEM_REST = /([^:\d](?:[^:]*?[^:\s])?)(\s*(?:\*+\s*)?:\s*\**\s*)(\S(?:.*\S)?)\s*$/uy;
/**
 * A list item `Name — value`, `Name - value`: a dash with spaces around it (an em dash needs none) for the
 * colon, before any colon. Read only when the value starts as a quantity does (a digit, `~`, `<`): `Risk -
 * mitigation`, `Code coverage - unit tests: 84%` are not such items. As one expression:
 * `/^(\s*(?:[^\p{L}\p{N}\s:*_([`]{1,3}\s+)?\**\s*)([^:\d\s](?:[^:]*?[^:\s])?)(\**(?:\s+[-–]\s+|\s*—\s*)\**\s*)([\d.~≈<>≤≥`](?:.*\S)?)\s*$/u`.
 */
// eslint-disable-next-line regexp/no-super-linear-backtracking -- items of at most MAX_METRIC_ITEM (1,000) characters, each start tried once (under 30 ms at worst)
const METRIC_DASH_ITEM_REST = /([^:\d\s](?:[^:]*?[^:\s])?)(\**(?:\s+[-–]\s+|\s*—\s*)\**\s*)([\d.~≈<>≤≥`](?:.*\S)?)\s*$/uy;

/** Longer than any metric a list item states: not read as one (what is this long is prose, and is not gone over by the patterns). */
const MAX_METRIC_ITEM = 1000;

/** A status mark before a metric's name. */
const STATUS_MARK = /[^\p{L}\p{N}\s:*_([`]/uy;
const SPACES = /\s*/y;
const STARS = /\**/y;

/** Where the run of `re` (sticky, matching empty) that starts at `from` in `text` ends. */
function runEnd(re: RegExp, text: string, from: number): number {
  re.lastIndex = from;
  re.exec(text);
  return re.lastIndex;
}

/**
 * `text` matched by `^(\s*(?:[^\p{L}\p{N}\s:*_([`]{1,3}\s+)?\**\s*)` followed by `rest` (sticky), as that one
 * expression matches it (groups included), trying the places the name can start in the same order; but each
 * place once: the expression tried `rest` once for each way of splitting the spaces before the name, which
 * took seconds for a mark and 1,000 spaces.
 */
function metricMatch(text: string, rest: RegExp): RegExpExecArray | null {
  const tried = new Set<number>();
  const attempt = (g: number): RegExpExecArray | null => {
    if (tried.has(g)) return null;
    tried.add(g);
    rest.lastIndex = g;
    const m = rest.exec(text);
    if (!m) return null;
    const out = [text, text.slice(0, g), ...m.slice(1)] as unknown as RegExpExecArray;
    out.index = 0;
    out.input = text;
    return out;
  };
  // `\**\s*` from `x`, then the name.
  const tail = (x: number): RegExpExecArray | null => {
    for (let st = runEnd(STARS, text, x); st >= x; st--) {
      for (let g = runEnd(SPACES, text, st); g >= st; g--) {
        const m = attempt(g);
        if (m) return m;
      }
    }
    return null;
  };
  for (let i = runEnd(SPACES, text, 0); i >= 0; i--) {
    // Up to three marks and the spaces after them, else none.
    const marks: number[] = [];
    for (let p = i; marks.length < 3; p = STATUS_MARK.lastIndex) {
      STATUS_MARK.lastIndex = p;
      if (!STATUS_MARK.test(text)) break;
      marks.push(STATUS_MARK.lastIndex);
    }
    for (let j = marks.length - 1; j >= 0; j--) {
      for (let k = runEnd(SPACES, text, marks[j]); k > marks[j]; k--) {
        const m = tail(k);
        if (m) return m;
      }
    }
    const m = tail(i);
    if (m) return m;
  }
  return null;
}

/** An item's metric, `Name: value` or `Name — value`: the text before the name, the name, the separator, the value. */
export function metricItem(text: string): RegExpExecArray | null {
  if (text.length > MAX_METRIC_ITEM) return null;
  // Without a dash there is no dash form to try (performance only).
  return (/[-–—]/.test(text) && metricMatch(text, METRIC_DASH_ITEM_REST)) || metricMatch(text, METRIC_ITEM_REST);
}
/** The words after an opening bracket that make what it holds a target: `(target: >80%)`. */
const INLINE_TARGET_WORD = /\s*(?:target|goal|threshold|expected)\s*(?::\s*)?/iy;
/**
 * A target in brackets that ends a value, `… (target: >80%)`, as `/\s*[(\[]\s*(?:target|goal|threshold|expected)\s*:?\s*([^)\]]*?)\s*[)\]]\s*$/i`
 * finds it (where it starts, spaces before it included, and what it holds), in one pass: the expression went
 * over the text after each bracket again for each place its spaces could end (seconds for 1,000 spaces).
 */
export function inlineTarget(value: string): { index: number; text: string } | undefined {
  const e = value.trimEnd().length;
  const close = value.charCodeAt(e - 1);
  if (close !== 41 && close !== 93) return undefined;
  // What it holds has no closing bracket.
  let from = e - 2;
  while (from >= 0 && value[from] !== ')' && value[from] !== ']') from--;
  for (let q = from + 1; q < e - 1; q++) {
    if (value[q] !== '(' && value[q] !== '[') continue;
    INLINE_TARGET_WORD.lastIndex = q + 1;
    if (!INLINE_TARGET_WORD.test(value) || INLINE_TARGET_WORD.lastIndex > e - 1) continue;
    let index = q;
    while (index > 0 && /\s/.test(value[index - 1])) index--;
    return { index, text: value.slice(INLINE_TARGET_WORD.lastIndex, e - 1).trimEnd() };
  }
  return undefined;
}
/**
 * A listed value marked as a baseline rather than a result: `Code coverage: 62% (baseline)`, `… (before)`,
 * `Code coverage (baseline): 62%`, `Code coverage: baseline 62%` (a Foundation Audit & Baseline phase measures them).
 */
const BASELINE_MARK = /\b(?:baselines?|before|previous(?:ly)?|initial)\b/i;

const metrics: Rule = {
  ids: ['metric-threshold'],
  check(ctx: RuleContext) {
    const { sections } = ctx.doc;
    // Found when first asked (performance only: most documents have no metric to judge).
    let notResults: typeof sections | undefined;
    const underNotResults = (line: number) =>
      // A document's own title (`# Phase 1 Validation: Foundation Audit & Baseline`) names the phase, not its metrics.
      (notResults ??= sections.filter((s) => s.level > 1 && NOT_RESULTS_SECTION.test(s.title) && !RESULTS_TOO.test(s.title))).some(
        (s) => s.heading.line < line && line < s.end,
      );
    for (const t of ctx.spec && NOT_RESULT_TABLE_KINDS.has(ctx.spec.kind) ? [] : ctx.doc.tables) {
      const head = t.header.map((h) => cellText(h.text));
      const mi = head.findIndex((h) => METRIC_COL.test(h));
      const ai = head.findIndex(isActualColumn);
      if (mi < 0 || ai < 0 || underNotResults(t.line)) continue;
      const ti = head.findIndex(isTargetColumn);
      for (const row of t.rows) {
        const nameCell = row.cells[mi];
        const actualCell = row.cells[ai];
        if (!nameCell || !actualCell || cellText(actualCell.text) === '') continue;
        // A value marked as a baseline (`45 % (baseline)`, `| Code coverage (before) |`) records where the phase started, as
        // such a list item does: the Foundation Audit & Baseline phase measures the baselines later phases reach their targets from.
        if (BASELINE_MARK.test(actualCell.text) || BASELINE_MARK.test(nameCell.text)) continue;
        // The row's own target wins (a phase may set a stricter one); else the configured threshold.
        const targetText = ti >= 0 ? cellText(row.cells[ti]?.text ?? '') : '';
        judge(ctx, nameCell.text, actualCell.text, targetText, actualCell.range);
      }
    }
    // Listed metrics elsewhere are targets or baselines, not values the phase reached.
    if (!ctx.spec || !RESULT_KINDS.has(ctx.spec.kind)) return;
    for (let si = 0; si < sections.length; si++) {
      const sec = sections[si];
      // Without either word there is no metrics section (performance only: every section of every document is asked).
      if ((!sec.key.includes('metric') && !sec.key.includes('kpi')) || !METRICS_SECTION.test(sec.key)) continue;
      for (const it of itemsWithin(ctx.doc, sec)) {
        // Each item once: under the innermost metrics section that holds it.
        if (it.section !== undefined && it.section !== si && METRICS_SECTION.test(sections[it.section].key)) continue;
        if (underNotResults(it.line)) continue;
        const m = metricItem(it.text);
        if (!m) continue;
        const name = m[2];
        let value = m[4];
        let targetText = '';
        const target = inlineTarget(value);
        if (target) {
          targetText = cellText(target.text);
          value = value.slice(0, target.index);
        }
        value = withoutTrailingStars(value);
        if (!value || BASELINE_MARK.test(name) || BASELINE_MARK.test(value)) continue;
        const start = it.textRange.start.character + m[1].length + m[2].length + m[3].length;
        judge(ctx, name, value, targetText, range(it.line, start, it.line, start + value.length));
      }
    }
  },
};

export const METRIC_RULES: Rule[] = [metrics];
