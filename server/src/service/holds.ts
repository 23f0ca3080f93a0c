/**
 * What holds a phase, each fact said once: a required document not written is said as such (`missing
 * 05-DECISIONS.md`: what to write), and the gates' reasons that only say it again are left out. `phasegate status`
 * and the editor's phase tree read a phase's holds through these.
 */
import type { GateStatus } from './gates';
import type { Diagnostic } from './types';
import type { Phase } from './workspace';

/** The `missing-document` problems of `diags` that say only that a document is not written yet (their fix creates it), by severity. */
export function notWrittenCounts(diags: readonly Diagnostic[]): { error: number; warning: number } {
  const out = { error: 0, warning: 0 };
  for (const d of diags) {
    if (d.code !== 'missing-document' || d.data?.fix !== 'create-document') continue;
    if (d.severity === 'error') out.error++;
    else if (d.severity === 'warning') out.warning++;
  }
  return out;
}

/**
 * A gate's reasons without those that say a document of `missing` (the phase's required documents not written) is
 * not written: `… not written yet`, an audit phase's `no validation checklist`, and the `N × missing-document` of
 * those (`notWritten`, see notWrittenCounts); a count of others (a document named in another case) stays.
 */
export function reasonsBeyondMissing(
  phase: Phase,
  missing: readonly string[],
  status: GateStatus,
  reasons: readonly string[],
  notWritten: { error: number; warning: number },
): string[] {
  if (!missing.length) return [...reasons];
  const said = new Set([`${missing.join(', ')} not written yet`, ...missing.map((f) => `${f} not written yet`)]);
  const validation = phase.documents.find((d) => d.spec.kind === 'validation');
  if (validation && missing.includes(validation.spec.file)) said.add('no validation checklist');
  // A failed gate counts the errors of its rules, a pending one their warnings (it would have failed on an error).
  const counted = status === 'failed' ? notWritten.error : notWritten.warning;
  const out: string[] = [];
  for (const r of reasons) {
    if (said.has(r)) continue;
    const m = /^(\d+) × missing-document$/.exec(r);
    if (m && counted > 0) {
      const left = Number(m[1]) - counted;
      if (left > 0) out.push(`${left} × missing-document`);
      continue;
    }
    out.push(r);
  }
  return out;
}
