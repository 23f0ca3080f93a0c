/**
 * Success metrics: in a table with a Metric column and an Actual (Value, Result) column, each actual
 * value is compared with the row's own Target, or else with the threshold configured for the metric.
 * Values that are empty or not quantities are skipped: the rule never guesses.
 */
import type { MetricSpec } from '../layout';
import { meets, parseLabelledQuantities, parseLabelledThresholds, parseQuantity, parseThreshold } from './doc-quantity';
import type { Rule, RuleContext } from './rule';

const METRIC_COL = /^metrics?$|^(?:success |quality )?metric(?: name)?$|^kpi$/i;
const ACTUAL_COL = /^(?:actual|actuals|actual value|value|result|results|measured|achieved|current)$/i;
const TARGET_COL = /^(?:target|targets|threshold|goal|expected)$/i;

function cellText(s: string): string {
  return s.replace(/[*_`]/g, '').replace(/\s+/g, ' ').trim();
}

function nameKey(s: string): string {
  return cellText(s).toLowerCase().replace(/:$/, '').trim();
}

/** The configured metric named `name` (or one of its aliases), case-insensitively; a trailing `(…)` may be dropped. */
export function findMetric(metrics: MetricSpec[], name: string): MetricSpec | undefined {
  const keys = [nameKey(name), nameKey(name.replace(/\s*\([^)]*\)\s*$/, ''))];
  for (const k of keys) {
    const m = metrics.find((x) => [x.name, ...(x.aliases ?? [])].some((n) => nameKey(n) === k));
    if (m) return m;
  }
  return undefined;
}

const metrics: Rule = {
  ids: ['metric-threshold'],
  check(ctx: RuleContext) {
    for (const t of ctx.doc.tables) {
      const head = t.header.map((h) => cellText(h.text));
      const mi = head.findIndex((h) => METRIC_COL.test(h));
      const ai = head.findIndex((h) => ACTUAL_COL.test(h));
      if (mi < 0 || ai < 0) continue;
      const ti = head.findIndex((h) => TARGET_COL.test(h));
      for (const row of t.rows) {
        const nameCell = row.cells[mi];
        const actualCell = row.cells[ai];
        if (!nameCell || !actualCell || cellText(actualCell.text) === '') continue;
        // The row's own target wins (a phase may set a stricter one); else the configured threshold.
        const targetText = ti >= 0 ? cellText(row.cells[ti]?.text ?? '') : '';
        const actual = parseQuantity(actualCell.text);
        if (actual) {
          const own = targetText ? parseThreshold(targetText) : undefined;
          // A target the row states but that is not read (`70-75%`) is the row's: no other one stands in for it.
          const spec = targetText ? undefined : findMetric(ctx.metrics, nameCell.text);
          const threshold = own ?? (spec ? parseThreshold(spec.threshold) : undefined);
          const shown = own ? targetText : spec?.threshold;
          if (threshold && meets(actual, threshold) === false) {
            ctx.report('metric-threshold', actualCell.range, `${cellText(nameCell.text)} is ${cellText(actualCell.text)}; target ${shown}`);
          }
          continue;
        }
        // A compound value (`2 critical, 9 high`) against a compound target (`0 critical, <5 high`): part by part, by their words.
        const target = targetText || findMetric(ctx.metrics, nameCell.text)?.threshold;
        const parts = target ? parseLabelledQuantities(actualCell.text) : undefined;
        const targets = parts && target ? parseLabelledThresholds(target) : undefined;
        if (!parts || !targets) continue;
        const missed = parts.filter((p) => {
          const t = targets.find((x) => x.label === p.label);
          return t !== undefined && meets(p.value, t.value) === false;
        });
        if (!missed.length) continue;
        ctx.report(
          'metric-threshold',
          actualCell.range,
          `${cellText(nameCell.text)} is ${cellText(actualCell.text)}; target ${target} (missed: ${missed.map((p) => p.label).join(', ')})`,
        );
      }
    }
  },
};

export const METRIC_RULES: Rule[] = [metrics];
