/**
 * What a `check` or `status` run found, independent of the output format: the diagnostics
 * and phases covered by the PATHs, with paths relative to the current directory.
 */
import { GateResult, PhaseStatus, ungatedErrors, unfilledTemplates } from '../service/gates';
import { notWrittenCounts } from '../service/holds';
import { type Phase, pathBelow } from '../service/workspace';
import type { Diagnostic } from '../service/types';
import { Workspace, coverage } from './targets';

export interface PhaseReport {
  phase: Phase;
  id: string;
  title: string;
  layout: string;
  /** Folder relative to the current directory. */
  folder: string;
  status: PhaseStatus;
  gates: GateResult[];
  /** Required documents present / required. */
  documents: { present: number; required: number; missing: string[] };
  /** For a layout without gates: its errors (`N × rule-id`), which hold it as a gate would. */
  errors: string[];
  /**
   * For a layout whose gates do not answer for unfilled-placeholder: its placeholders not filled in
   * (`N × unfilled-placeholder`), which keep it from complete.
   */
  unfilled: string[];
  /**
   * Its `missing-document` problems that say only that a document of `documents.missing` is not written (not one
   * named in another case, or a folder in its place), by severity: the gates count them as `N × missing-document`.
   */
  notWritten: { error: number; warning: number };
}

export interface Report {
  cwd: string;
  /** Sorted by file, then position. */
  diagnostics: Diagnostic[];
  phases: PhaseReport[];
  /** The files checked (absolute, sorted) when the PATHs cover no phase (a project plan alone); else empty. */
  files: string[];
  /**
   * Problems of the config files in force (`invalid-config`: the settings they concern are not
   * applied), sorted as `diagnostics`; `check` has them among its diagnostics too.
   */
  configProblems: Diagnostic[];
}

/** A phase's title as the tree, `status` and hovers show it: its brief's or prompt's, else its folder name's words, else the folder name. */
import { shownTitle as phaseTitle } from '../service/templates';
export { phaseTitle };

export function buildReport(cwd: string, workspaces: Workspace[], withDiagnostics: boolean): Report {
  const diagnostics: Diagnostic[] = [];
  const seen = new Set<string>();
  const phases: PhaseReport[] = [];
  const seenPhases = new Set<string>();
  const configProblems: Diagnostic[] = [];
  const seenProblems = new Set<string>();
  // By root, so that the output does not depend on the order of the PATHs.
  const ordered = [...workspaces].sort((a, b) => (a.root < b.root ? -1 : a.root > b.root ? 1 : 0));
  for (const ws of ordered) {
    const { svc } = ws;
    const covers = coverage(ordered, ws);
    for (const d of svc.config.problems) {
      const key = JSON.stringify([d.file, d.range, d.code, d.message]);
      if (seenProblems.has(key)) continue;
      seenProblems.add(key);
      configProblems.push(d);
    }
    if (withDiagnostics) {
      for (const d of svc.diagnoseAll()) {
        if (!covers.diagnostic(d)) continue;
        const key = JSON.stringify([d.file, d.range, d.code, d.message]);
        if (seen.has(key)) continue;
        seen.add(key);
        diagnostics.push(d);
      }
    }
    for (const phase of svc.model.phases) {
      if (!covers.phase(phase) || seenPhases.has(phase.folder)) continue;
      seenPhases.add(phase.folder);
      const gates = svc.gates(phase);
      const required = phase.documents.filter((d) => d.spec.required);
      phases.push({
        phase,
        id: phase.id,
        title: ws.titles?.get(phase) ?? phaseTitle(svc, phase),
        layout: phase.layout.name,
        folder: pathBelow(cwd, phase.folder),
        status: svc.status(phase),
        gates,
        documents: {
          present: required.filter((d) => d.exists).length,
          required: required.length,
          missing: required.filter((d) => !d.exists).map((d) => d.spec.file),
        },
        errors: ungatedErrors(svc, phase),
        unfilled: unfilledTemplates(svc, phase),
        notWritten: notWrittenCounts(svc.phaseDiagnostics(phase)),
      });
    }
  }
  const files = new Set<string>();
  if (!phases.length)
    for (const ws of ordered) {
      const covers = coverage(ordered, ws);
      for (const f of ws.svc.checkedFiles()) if (covers.file(f)) files.add(f);
      // The config file named as a PATH is checked too (its problems are invalid-config): the summary names it.
      const config = ws.svc.config.file;
      if (config !== undefined && ws.targets.includes(config)) files.add(config);
    }
  diagnostics.sort(byPosition);
  configProblems.sort(byPosition);
  return { cwd, diagnostics, phases, files: [...files].sort(), configProblems };
}

function byPosition(a: Diagnostic, b: Diagnostic): number {
  return a.file < b.file ? -1 : a.file > b.file ? 1 : a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character;
}

export function errorCount(report: Report): number {
  return report.diagnostics.filter((d) => d.severity === 'error').length;
}
