/** `check --format json`: the one JSON object of the CLI contract (PRODUCT.md), keys in its order. */
import { relativePath } from '../service/host';
import type { Diagnostic } from '../service/types';
import type { Report } from './report';

export interface JsonDiagnostic {
  file: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  severity: 'error' | 'warning' | 'information' | 'hint';
  code: string;
  message: string;
}

export interface JsonOutput {
  diagnostics: JsonDiagnostic[];
  phases: { id: string; title: string; layout: string; folder: string; status: string; gates: { name: string; status: string }[] }[];
}

/** A diagnostic as JSON: its path relative to `cwd`, its range 0-based. */
export function jsonDiagnostic(cwd: string, d: Diagnostic): JsonDiagnostic {
  return {
    file: relativePath(cwd, d.file),
    range: { start: { line: d.range.start.line, character: d.range.start.character }, end: { line: d.range.end.line, character: d.range.end.character } },
    severity: d.severity,
    code: d.code,
    message: d.message,
  };
}

export function toJson(report: Report): JsonOutput {
  return {
    diagnostics: report.diagnostics.map((d) => jsonDiagnostic(report.cwd, d)),
    phases: report.phases.map((p) => ({
      id: p.id,
      title: p.title,
      layout: p.layout,
      folder: p.folder,
      status: p.status,
      gates: p.gates.map((g) => ({ name: g.name, status: g.status })),
    })),
  };
}

export function formatJson(report: Report): string {
  return JSON.stringify(toJson(report), null, 2) + '\n';
}
