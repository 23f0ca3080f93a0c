/**
 * `check --format gitlab`: a GitLab Code Quality report (the Code Climate issue format GitLab reads, an
 * array of issues), which a merge request shows beside the lines it changes. Paths are relative to the
 * repository (`CI_PROJECT_DIR`, in a GitLab job), else to the current folder; each issue's fingerprint
 * stays while lines are added above it (the hash of its rule, message and line text, as SARIF's is of
 * the line) and is unique in the report.
 */
import { isInside, relativePath } from '../service/host';
import type { Severity } from '../service/types';
import type { Report } from './report';
import { FOLDER, Fingerprints } from './fingerprint';

/** GitLab's severities: info, minor, major, critical, blocker. */
const SEVERITY: Record<Severity, string> = { error: 'major', warning: 'minor', information: 'info', hint: 'info' };

/** A 53-bit hash of the whole text, in hex (two multiplicative 32-bit lanes mixed at the end: cyrb53). */
export function hash53(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(16).padStart(14, '0');
}

export interface CodeQualityIssue {
  description: string;
  check_name: string;
  fingerprint: string;
  severity: string;
  location: { path: string; lines: { begin: number; end: number } };
}

/** `fingerprints`: each line's hash (cli/fingerprint.ts), where known; `project`: the repository's folder, if known. */
export function toGitlab(report: Report, fingerprints: Fingerprints, project: string | undefined): CodeQualityIssue[] {
  const base = project !== undefined && isInside(project, report.cwd) ? project : report.cwd;
  const seen = new Map<string, number>();
  return report.diagnostics.map((d) => {
    const path = (isInside(base, d.file) ? relativePath(base, d.file) : relativePath(report.cwd, d.file)) || '.';
    const known = fingerprints.get(d.file);
    const folder = known === FOLDER;
    const line = folder ? undefined : (known?.get(d.range.start.line + 1) ?? String(d.range.start.line + 1));
    // The same rule, message and line text twice in a file: the second is told apart by its count.
    const key = `${path}\u0000${d.code}\u0000${d.message}\u0000${line ?? ''}`;
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    return {
      description: d.message,
      check_name: d.code,
      fingerprint: hash53(`${key}\u0000${n}`),
      severity: SEVERITY[d.severity],
      location: { path, lines: folder ? { begin: 1, end: 1 } : { begin: d.range.start.line + 1, end: d.range.end.line + 1 } },
    };
  });
}

export function formatGitlab(report: Report, fingerprints: Fingerprints, project: string | undefined): string {
  return JSON.stringify(toGitlab(report, fingerprints, project), null, 2) + '\n';
}
