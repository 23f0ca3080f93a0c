/**
 * `check --format text`: one line per problem, `file:line:col  severity  message  [rule-id]`
 * (1-based, so terminals and editors can jump to it), then a summary line.
 */
import { relativePath } from '../service/host';
import type { Diagnostic, Severity } from '../service/types';
import type { Report } from './report';

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function summary(report: Report): string {
  const count = (s: Severity) => report.diagnostics.filter((d) => d.severity === s).length;
  // Files checked outside any phase (a project plan alone) are named: "0 phases" would say nothing was.
  const { files } = report;
  const phases =
    report.phases.length || !files.length
      ? plural(report.phases.length, 'phase')
      : files.length === 1
        ? relativePath(report.cwd, files[0])
        : plural(files.length, 'file');
  if (report.diagnostics.length === 0) return `✔ No problems in ${phases}.`;
  const parts = [plural(count('error'), 'error'), plural(count('warning'), 'warning')];
  const info = count('information');
  if (info) parts.push(`${info} info`);
  const hints = count('hint');
  if (hints) parts.push(plural(hints, 'hint'));
  return `${count('error') ? '✖' : '⚠'} ${plural(report.diagnostics.length, 'problem')} (${parts.join(', ')}) in ${phases}.`;
}

/** `file:line:col  severity  message  [rule-id]`, the path relative to `cwd`. */
export function diagnosticLine(cwd: string, d: Diagnostic): string {
  const where = `${relativePath(cwd, d.file)}:${d.range.start.line + 1}:${d.range.start.character + 1}`;
  return `${where}  ${d.severity}  ${d.message}  [${d.code}]`;
}

export function formatText(report: Report): string {
  const lines = report.diagnostics.map((d) => diagnosticLine(report.cwd, d));
  if (lines.length) lines.push('');
  lines.push(summary(report));
  return lines.join('\n') + '\n';
}
