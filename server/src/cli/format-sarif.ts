/**
 * `check --format sarif`: a SARIF 2.1.0 log that GitHub code scanning accepts. Every rule of
 * the catalog is described once in `tool.driver.rules`; each result points at its rule by id
 * and index, and at a region (1-based) of a file relative to `%SRCROOT%` (the current directory).
 */
import type * as sarif from 'sarif';
import { RULES, ruleDocsUrl } from '../service/rules/catalog';
import { relativePath } from '../service/host';
import { SEVERITY_RANK, type Severity } from '../service/types';
import type { Report } from './report';
import { FOLDER, Fingerprints, lineHashes } from './fingerprint';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
export const INFORMATION_URI = 'https://github.com/phasegate/phasegate';

function level(s: Severity): sarif.ReportingConfiguration.level {
  return s === 'error' ? 'error' : s === 'warning' ? 'warning' : 'note';
}

/** A relative path as a URI reference: each segment percent-encoded, forward slashes. */
export function toUriReference(rel: string): string {
  return rel
    .split('/')
    .map((seg) => (seg === '..' || seg === '.' ? seg : encodeURIComponent(seg)))
    .join('/');
}

/** `file:///…/` URI of an absolute folder, for `originalUriBaseIds`. */
function folderUri(abs: string): string {
  const p = abs.startsWith('/') ? abs : '/' + abs;
  const enc = p
    .split('/')
    .map((seg) => (/^[A-Za-z]:$/.test(seg) ? seg : encodeURIComponent(seg)))
    .join('/');
  return 'file://' + (enc.endsWith('/') ? enc : enc + '/');
}

function ruleDescriptor(id: string, description: string, severity: Severity): sarif.ReportingDescriptor {
  return {
    id,
    name: id.replace(/(^|-)([a-z])/g, (_m, _d: string, c: string) => c.toUpperCase()),
    shortDescription: { text: description },
    fullDescription: { text: description },
    helpUri: ruleDocsUrl(id),
    help: { text: `${description} See ${ruleDocsUrl(id)}`, markdown: `${description} [Documentation](${ruleDocsUrl(id)})` },
    defaultConfiguration: { level: level(severity) },
  };
}

/** Results GitHub code scanning takes in one run: it rejects a log with a run of more (and shows the 5,000 most severe). */
export const MAX_SARIF_RESULTS = 25_000;

/**
 * The diagnostics a log holds: all of them, or, beyond `max`, the `max` most severe (errors, then warnings,
 * then the rest; in their order within a severity), in their order; and how many are left out.
 */
export function sarifKept<T extends { severity: Severity }>(diagnostics: readonly T[], max = MAX_SARIF_RESULTS): { kept: readonly T[]; omitted: number } {
  if (diagnostics.length <= max) return { kept: diagnostics, omitted: 0 };
  const order = diagnostics.map((_d, i) => i).sort((a, b) => SEVERITY_RANK[diagnostics[b].severity] - SEVERITY_RANK[diagnostics[a].severity] || a - b);
  const keep = new Set(order.slice(0, max));
  return { kept: diagnostics.filter((_d, i) => keep.has(i)), omitted: diagnostics.length - max };
}

/** What the log says of the results it leaves out (see `sarifKept`), as `check` also says it on stderr. */
export function omittedNote(omitted: number, total: number, max = MAX_SARIF_RESULTS): string {
  return `${omitted} of ${total} results are left out of the SARIF log: GitHub code scanning rejects a run of more than ${max}; the ${max} most severe are in it.`;
}

/** `fingerprints`: each result's `primaryLocationLineHash` (cli/fingerprint.ts), where known. */
export function toSarif(report: Report, version: string, fingerprints?: Fingerprints, max = MAX_SARIF_RESULTS): sarif.Log {
  const rules = RULES.map((r) => ruleDescriptor(r.id, r.description, r.severity));
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const { kept, omitted } = sarifKept(report.diagnostics, max);
  const results: sarif.Result[] = kept.map((d) => {
    let ruleIndex = index.get(d.code);
    if (ruleIndex === undefined) {
      // A rule id outside the catalog (a newer rule): describe it rather than drop the result.
      ruleIndex = rules.push(ruleDescriptor(d.code, d.code, d.severity)) - 1;
      index.set(d.code, ruleIndex);
    }
    const { start, end } = d.range;
    const known = fingerprints?.get(d.file);
    // A result on a folder has no region (it is the whole folder), and no line to hash: its fingerprint is
    // the hash of its rule and message, as if they were its line (several results on one folder stay apart).
    const folder = known === FOLDER;
    const lineHash = folder ? lineHashes(`${d.code}: ${d.message}`, new Set([1])).get(1) : known?.get(start.line + 1);
    return {
      ruleId: d.code,
      ruleIndex,
      level: level(d.severity),
      message: { text: d.message },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: toUriReference(relativePath(report.cwd, d.file)), uriBaseId: '%SRCROOT%' },
            ...(folder ? {} : { region: { startLine: start.line + 1, startColumn: start.character + 1, endLine: end.line + 1, endColumn: end.character + 1 } }),
          },
        },
      ],
      ...(lineHash ? { partialFingerprints: { primaryLocationLineHash: lineHash } } : {}),
    };
  });
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'phasegate', version, semanticVersion: version, informationUri: INFORMATION_URI, rules } },
        originalUriBaseIds: { '%SRCROOT%': { uri: folderUri(report.cwd) } },
        columnKind: 'utf16CodeUnits',
        results,
        ...(omitted
          ? {
              invocations: [
                {
                  executionSuccessful: true,
                  toolExecutionNotifications: [{ level: 'warning', message: { text: omittedNote(omitted, report.diagnostics.length, max) } }],
                },
              ],
            }
          : {}),
      },
    ],
  };
}

export function formatSarif(report: Report, version: string, fingerprints?: Fingerprints): string {
  return JSON.stringify(toSarif(report, version, fingerprints), null, 2) + '\n';
}
