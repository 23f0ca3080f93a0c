/**
 * `check` in a GitHub Actions job (`GITHUB_ACTIONS=true`), text format: besides the text, one workflow
 * command per problem (`::error file=…,line=…::message`), which the runner turns into an annotation on the
 * line in the pull request's diff and the job's summary — what SARIF gives through code scanning, for a
 * repository without it. Paths are relative to the checkout (`GITHUB_WORKSPACE`), as the runner reads them.
 */
import { isInside, relativePath } from '../service/host';
import type { Diagnostic, Severity } from '../service/types';
import { ruleDocsUrl } from '../service/rules/catalog';

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
