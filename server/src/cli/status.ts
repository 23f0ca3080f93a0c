/**
 * `phasegate status`: one row per phase (id, layout, status, documents present/required, each
 * gate with ✓ passed, ✗ failed, … pending) and, under it, what holds the phase's handoff: what
 * blocks it (`blocked by:`) for a blocked phase, what it still needs (`needs:`) for one not
 * started or in progress (in JSON, `blockedBy` whatever the status). Problems of the config come
 * first: a phase table without the layouts or rules of a refused config would otherwise not say why.
 */
import type { GateStatus } from '../service/gates';
import { reasonsBeyondMissing } from '../service/holds';
import type { PhaseReport, Report } from './report';
import { diagnosticLine } from './format-text';
import { jsonDiagnostic } from './format-json';
import { displayWidth, padEnd } from '../service/width';

const MARK: Record<GateStatus, string> = { passed: '✓', failed: '✗', pending: '…' };

/** A phase's gates, each with its mark (`✓ Completeness`), joined by `sep`. */
export function gateMarks(p: PhaseReport, sep: string): string {
  return p.gates.map((g) => `${MARK[g.status]} ${g.name}`).join(sep);
}

/**
 * What holds a phase, each fact once: its missing documents first (`missing 05-DECISIONS.md`: what to write), then its
 * errors no gate answers for, its placeholders, and each gate not passed with its reasons, without those that only
 * say again that a missing document is not written (`1 × missing-document`, `… not written yet`, an audit phase's
 * `no validation checklist`); a gate held by nothing else is left out (the GATES column shows it pending or failed).
 */
export function blockers(p: PhaseReport): string[] {
  const out: string[] = [];
  const missing = p.documents.missing;
  if (missing.length) out.push(`missing ${missing.join(', ')}`);
  out.push(...p.errors, ...p.unfilled);
  for (const g of p.gates) {
    if (g.status === 'passed') continue;
    const reasons = reasonsBeyondMissing(p.phase, missing, g.status, g.reasons, p.notWritten);
    if (missing.length && reasons.length === 0 && g.reasons.length > 0) continue;
    out.push(`${g.name} (${g.status})${reasons.length ? `: ${reasons.join(', ')}` : ''}`);
  }
  return out;
}

/** The config's problems and what they mean, then a blank line; nothing when there is none. */
function configSection(report: Report): string {
  const problems = report.configProblems;
  if (!problems.length) return '';
  const errors = problems.filter((d) => d.severity === 'error').length;
  const lines = problems.map((d) => diagnosticLine(report.cwd, d));
  // An error's settings are not applied; a warning's are (a glob that misses by case alone is used as written).
  const n = errors || problems.length;
  lines.push(
    errors
      ? `✖ ${n} config error${n === 1 ? '' : 's'}: the settings ${n === 1 ? 'it concerns are' : 'they concern are'} not applied (a config that does not parse or match its schema is not used at all).`
      : `⚠ ${n} config warning${n === 1 ? '' : 's'}: the config is applied as it is written.`,
  );
  return lines.join('\n') + '\n\n';
}

export function formatStatus(report: Report): string {
  return configSection(report) + phaseTable(report);
}

function phaseTable(report: Report): string {
  if (report.phases.length === 0) return 'No phases found.\n';
  const header = ['PHASE', 'TITLE', 'LAYOUT', 'STATUS', 'DOCS', 'GATES'];
  // Phases of nested projects may share an id (`phase-1` at the root and in `projects/a`): those are named by their folder.
  const count = new Map<string, number>();
  for (const p of report.phases) count.set(p.id, (count.get(p.id) ?? 0) + 1);
  const name = (p: PhaseReport) => (count.get(p.id)! > 1 && p.folder ? p.folder : p.id);
  const rows = report.phases.map((p) => [name(p), p.title, p.layout, p.status, `${p.documents.present}/${p.documents.required}`, gateMarks(p, '  ')]);
  // Columns as a terminal draws them: a title or folder may hold wide (CJK, emoji) or combining characters.
  const widths = header.map((h, i) => Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[i]))));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : padEnd(c, widths[i])))
      .join('  ')
      .trimEnd();
  const out = [line(header)];
  report.phases.forEach((p, i) => {
    out.push(line(rows[i]));
    // One per line, aligned under the first, so that long reasons stay readable. A blocked phase is blocked by its
    // failed gates, the errors no gate answers for and the missing documents a gate failed on, and still needs the rest
    // (gates pending); one not started or in progress is not blocked: it still needs them all.
    const all = blockers(p);
    const failedGates = p.gates.filter((g) => g.status === 'failed');
    const failed = failedGates.map((g) => `${g.name} (failed)`);
    // A gate that failed on a missing document: reasons of it that say so, which holds.ts leaves out or counts down.
    const failedOnMissing = failedGates.some((g) => {
      const beyond = reasonsBeyondMissing(p.phase, p.documents.missing, g.status, g.reasons, p.notWritten);
      return beyond.length !== g.reasons.length || beyond.some((r, i) => r !== g.reasons[i]);
    });
    const blocks = (b: string) =>
      p.errors.includes(b) || failed.some((f) => b === f || b.startsWith(`${f}: `)) || (failedOnMissing && b.startsWith('missing '));
    const groups: [string, string[]][] =
      p.status === 'blocked'
        ? [
            ['blocked by', all.filter(blocks)],
            ['needs', all.filter((b) => !blocks(b))],
          ]
        : [['needs', all]];
    // The reasons aligned under the first, past the longest label.
    const width = Math.max(...groups.map(([name]) => `    ${name}: `.length));
    for (const [name, list] of groups) list.forEach((b, j) => out.push(`${j === 0 ? `    ${name}: `.padEnd(width) : ' '.repeat(width)}${b}`));
  });
  const complete = report.phases.filter((p) => p.status === 'complete').length;
  out.push('', `${complete} of ${report.phases.length} phase${report.phases.length === 1 ? '' : 's'} complete.`);
  return out.join('\n') + '\n';
}

export function statusJson(report: Report): string {
  const phases = report.phases.map((p) => ({
    id: p.id,
    title: p.title,
    layout: p.layout,
    folder: p.folder,
    status: p.status,
    documents: p.documents,
    gates: p.gates.map((g) => ({ name: g.name, status: g.status, reasons: g.reasons })),
    blockedBy: blockers(p),
  }));
  const configProblems = report.configProblems.map((d) => jsonDiagnostic(report.cwd, d));
  return JSON.stringify({ phases, configProblems }, null, 2) + '\n';
}
