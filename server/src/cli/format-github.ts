/**
 * `check` in a GitHub Actions job (`GITHUB_ACTIONS=true`), text format: besides the text, one workflow
 * command per problem (`::error file=…,line=…::message`), which the runner turns into an annotation on the
 * line in the pull request's diff and the job's summary — what SARIF gives through code scanning, for a
 * repository without it. Paths are relative to the checkout (`GITHUB_WORKSPACE`), as the runner reads them.
 */
import { isInside, relativePath } from '../service/host';
import type { Diagnostic, Severity } from '../service/types';
import { ruleDocsUrl } from '../service/rules/catalog';
import type { PhaseStatus } from '../service/gates';
import type { Report } from './report';
import { summary } from './format-text';
import { blockers, gateMarks } from './status';

const COMMAND: Record<Severity, string> = { error: 'error', warning: 'warning', information: 'notice', hint: 'notice' };

/** A command's message, escaped as the runner reads it (`%`, CR and LF). */
function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A command's property value: its message's escapes, and `:` and `,`, which end a value. */
function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** Whether the environment is a GitHub Actions job. */
export function inGithubActions(env: Readonly<Record<string, string | undefined>>): boolean {
  return env.GITHUB_ACTIONS === 'true';
}

/**
 * The workflow commands of `diagnostics`, one line each. `checkout` is the folder the runner's paths are
 * relative to (`GITHUB_WORKSPACE`): a file outside it is named relative to `cwd`. A problem on a folder
 * (in `folders`: a phase without a document) names the folder and no line.
 */
export function githubAnnotations(diagnostics: readonly Diagnostic[], cwd: string, checkout: string | undefined, folders: ReadonlySet<string>): string {
  const base = checkout !== undefined && isInside(checkout, cwd) ? checkout : cwd;
  let out = '';
  for (const d of diagnostics) {
    const file = isInside(base, d.file) ? relativePath(base, d.file) : relativePath(cwd, d.file);
    const props = [`file=${escapeProperty(file || '.')}`];
    if (!folders.has(d.file)) {
      const { start, end } = d.range;
      props.push(`line=${start.line + 1}`, `endLine=${end.line + 1}`);
      // Columns only within one line: GitHub reads them so.
      if (start.line === end.line) props.push(`col=${start.character + 1}`, `endColumn=${end.character + 1}`);
    }
    props.push(`title=${escapeProperty(`phasegate ${d.code}`)}`);
    out += `::${COMMAND[d.severity]} ${props.join(',')}::${escapeData(`${d.message}\n${ruleDocsUrl(d.code)}`)}\n`;
  }
  return out;
}

/** Rows of phases that are not complete in the job summary at most: GitHub takes 1 MiB of summary per step. */
export const SUMMARY_MAX_PHASES = 100;
/** Characters of a cell that says what holds a phase, at most. */
const MAX_CELL = 300;

const STATUS_ORDER: Record<PhaseStatus, number> = { blocked: 0, 'in-progress': 1, 'not-started': 2, complete: 3 };

/** Text in a Markdown table cell: one line, no cell border, no HTML, no emphasis or link read into it. */
function cell(text: string, max = MAX_CELL): string {
  const one = text.replace(/\s+/g, ' ').trim();
  const cut = one.length > max ? one.slice(0, max - 1) + '…' : one;
  return cut.replace(/[\\`*_[\]<>|#~]/g, (c) => '\\' + c);
}

/**
 * The job summary (`GITHUB_STEP_SUMMARY`, Markdown) of a check: its one-line summary, the phases by status,
 * the phases that are not complete (blocked first) with their gates and what holds each, and the problems
 * by rule, each rule linked to its documentation.
 */
export function githubSummary(report: Report): string {
  const out = [`### Phasegate`, '', cell(summary(report), 1000), ''];
  const phases = report.phases;
  if (phases.length) {
    const count = (s: PhaseStatus) => phases.filter((p) => p.status === s).length;
    out.push(
      `${count('complete')} of ${phases.length} phase${phases.length === 1 ? '' : 's'} complete · ${count('blocked')} blocked · ${count('in-progress')} in progress · ${count('not-started')} not started`,
      '',
    );
    const open = phases.filter((p) => p.status !== 'complete').sort((a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status]);
    if (open.length) {
      out.push('| Phase | Title | Status | Gates | Holds it |', '|---|---|---|---|---|');
      for (const p of open.slice(0, SUMMARY_MAX_PHASES)) {
        out.push(`| ${cell(p.folder || p.id)} | ${cell(p.title)} | ${p.status} | ${cell(gateMarks(p, ' '))} | ${cell(blockers(p).join('; '))} |`);
      }
      const more = open.length - SUMMARY_MAX_PHASES;
      if (more > 0) out.push('', `${more} more ${more === 1 ? 'phase is' : 'phases are'} not complete: \`phasegate status\` lists every phase.`);
      out.push('');
    }
  }
  const byRule = new Map<string, Record<'error' | 'warning' | 'other', number>>();
  for (const d of report.diagnostics) {
    let n = byRule.get(d.code);
    if (!n) byRule.set(d.code, (n = { error: 0, warning: 0, other: 0 }));
    n[d.severity === 'error' || d.severity === 'warning' ? d.severity : 'other']++;
  }
  if (byRule.size) {
    out.push('| Rule | Errors | Warnings | Other |', '|---|---:|---:|---:|');
    const rows = [...byRule].sort((a, b) => b[1].error - a[1].error || b[1].warning - a[1].warning || (a[0] < b[0] ? -1 : 1));
    for (const [code, n] of rows) out.push(`| [${cell(code)}](${ruleDocsUrl(code)}) | ${n.error} | ${n.warning} | ${n.other} |`);
    out.push('');
  }
  return out.join('\n') + '\n';
}
