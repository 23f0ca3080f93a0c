/**
 * The `phasegate` command line as a function (as markdownlint-cli2 does): everything it needs
 * comes in — arguments, current directory, file access, output streams, built-in assets — and
 * it returns the exit code. `node/cli.ts` is the thin process wrapper; tests call it directly.
 */
import type { Assets } from '../service/service';
import { FileSystem, normalizePath, relativePath } from '../service/host';
import { ParsedArgs, USAGE, UsageError, parseArgs } from './args';
import { Workspace, loadWorkspaces, resolvePath } from './targets';
import { buildReport, errorCount } from './report';
import { formatText } from './format-text';
import { formatJson } from './format-json';
import { formatGitlab } from './format-gitlab';
import { formatSarif, omittedNote, sarifKept } from './format-sarif';
import { diagnosticFingerprints } from './fingerprint';
import { githubAnnotations, githubSummary, inGithubActions } from './format-github';
import { formatStatus, statusJson } from './status';
import { runNew } from './new';
import { FixedFile, RuleCount, applyFixes, reasonOf } from './fix';
import { Parallel, checkInShards } from './shards';

export interface CliFileSystem extends FileSystem {
  /** Creates a file and its missing folders; fails with code `EEXIST` when the file exists (never overwrites). */
  createFile?(path: string, text: string): Promise<void>;
  /**
   * Rewrites a UTF-8 text file with what `update` makes of its text (a byte order mark kept aside and
   * kept), read just before the write; `update` returning undefined leaves the file as it is. Returns
   * whether the file was written. Throws when it cannot be read or written, or keeps changing.
   */
  updateFile?(path: string, update: (text: string) => string | undefined): Promise<boolean>;
  /** Adds text at the end of a file, created when there is none (the job summary of a GitHub Actions step). */
  appendFile?(path: string, text: string): Promise<void>;
}

export interface Output {
  write(text: string): unknown;
}

export interface MainOptions {
  argv: string[];
  /** Absolute path of the current directory. */
  cwd: string;
  fs: CliFileSystem;
  stdout: Output;
  stderr: Output;
  assets: Assets;
  /** The package version, for `--version` and SARIF. */
  version?: string;
  /** Checks large workspaces on several threads (the process wrapper gives it; absent: one thread). */
  parallel?: Parallel;
  /** The environment (`GITHUB_ACTIONS`, `GITHUB_WORKSPACE`); absent: none. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Called as each phase of a check is done (the process wrapper watches V8's heap there: node/v8-tuning.ts). */
  tick?: () => void;
}

export interface CliContext {
  cwd: string;
  fs: CliFileSystem;
  stdout: Output;
  stderr: Output;
  assets: Assets;
  version: string;
  parallel: Parallel | undefined;
  env: Readonly<Record<string, string | undefined>>;
  tick: (() => void) | undefined;
}

export const EXIT_OK = 0;
export const EXIT_PROBLEMS = 1;
export const EXIT_USAGE = 2;
/** `check --fix` left a file unwritten that its fixes still apply to (as `new` exits 2 for a file it could not create). */
export const EXIT_NOT_WRITTEN = 2;

export async function main(opts: MainOptions): Promise<number> {
  const ctx: CliContext = {
    cwd: normalizePath(opts.cwd),
    fs: opts.fs,
    stdout: opts.stdout,
    stderr: opts.stderr,
    assets: opts.assets,
    version: opts.version ?? '0.0.0',
    parallel: opts.parallel,
    env: opts.env ?? {},
    tick: opts.tick,
  };
  try {
    const args = parseArgs(opts.argv);
    switch (args.command) {
      case 'help':
        ctx.stdout.write(USAGE + '\n');
        return EXIT_OK;
      case 'version':
        ctx.stdout.write(ctx.version + '\n');
        return EXIT_OK;
      case 'check':
        return await check(ctx, args);
      case 'status':
        return await status(ctx, args);
      case 'new':
        return await runNew(ctx, args);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      // One line, as the contract wants; the usage text is for --help.
      ctx.stderr.write(`phasegate: ${e.message}${e.seeHelp ? ' (see phasegate --help)' : ''}\n`);
      return EXIT_USAGE;
    }
    ctx.stderr.write(`phasegate: internal error: ${(e as Error).stack ?? String(e)}\n`);
    return EXIT_USAGE;
  }
}

async function check(ctx: CliContext, args: ParsedArgs): Promise<number> {
  // Fixing needs every document's text on this thread: no shards on other threads then.
  const workspaces = await load(ctx, args, args.fix ? undefined : ctx.parallel);
  let unfinished = 0;
  if (args.fix) {
    const { fixed, appeared, unfinished: left, held } = await applyFixes(ctx, workspaces);
    // What was fixed goes with the text report; beside JSON or SARIF, which must stay one document, to stderr.
    const out = args.format === 'text' ? ctx.stdout : ctx.stderr;
    for (const f of fixed) out.write(`fixed ${relativePath(ctx.cwd, f.file)}: ${fixedLine(f)}\n`);
    for (const a of appeared) out.write(`new problems in ${relativePath(ctx.cwd, a.file)} after other files changed: ${countList(a.appeared)}\n`);
    if ((fixed.length || appeared.length) && args.format === 'text') out.write('\n');
    // Titles found before the fixes may have changed with them (a heading renumbered).
    if (fixed.length) for (const ws of workspaces) ws.titles = undefined;
    unfinished = left.length;
    for (const h of held)
      ctx.stderr.write(
        `phasegate: ${relativePath(ctx.cwd, h.file)}: the fixes for ${h.codes.join(', ')} not applied: it is a copy of ${h.copyOf === undefined ? "another phase's document" : relativePath(ctx.cwd, h.copyOf)} (copied-document), and they would make it read as this phase's own while its status and ticks stay that phase's; write this phase's own, or reset it, then fix again\n`,
      );
    if (unfinished)
      ctx.stderr.write(
        `phasegate: not everything was fixed: ${unfinished === 1 ? '1 file named above was' : `${unfinished} files named above were`} not written, and ${unfinished === 1 ? 'its' : 'their'} fixes still apply\n`,
      );
  }
  const report = buildReport(ctx.cwd, workspaces, true);
  if (args.format === 'sarif') {
    const { omitted } = sarifKept(report.diagnostics);
    if (omitted) ctx.stderr.write(`phasegate: warning: ${omittedNote(omitted, report.diagnostics.length)}\n`);
  }
  const out =
    args.format === 'json'
      ? formatJson(report)
      : args.format === 'sarif'
        ? formatSarif(report, ctx.version, await diagnosticFingerprints(report.diagnostics, ctx.fs))
        : args.format === 'gitlab'
          ? formatGitlab(
              report,
              await diagnosticFingerprints(report.diagnostics, ctx.fs),
              ctx.env.CI_PROJECT_DIR ? resolvePath(ctx.cwd, ctx.env.CI_PROJECT_DIR) : undefined,
            )
          : formatText(report);
  ctx.stdout.write(out);
  // In a GitHub Actions job, the text's problems are annotations on their lines too.
  if (args.format === 'text' && inGithubActions(ctx.env) && report.diagnostics.length) {
    const folders = new Set<string>();
    for (const file of new Set(report.diagnostics.map((d) => d.file))) {
      if ((await ctx.fs.stat(file).catch(() => undefined))?.kind === 'directory') folders.add(file);
    }
    const checkout = ctx.env.GITHUB_WORKSPACE ? resolvePath(ctx.cwd, ctx.env.GITHUB_WORKSPACE) : undefined;
    ctx.stdout.write(githubAnnotations(report.diagnostics, ctx.cwd, checkout, folders));
  }
  // In a GitHub Actions job, whatever the format: the phases and their gates in the job's summary.
  const summaryFile = inGithubActions(ctx.env) ? ctx.env.GITHUB_STEP_SUMMARY : undefined;
  if (summaryFile) {
    try {
      if (!ctx.fs.appendFile) throw new Error('this file system cannot write files');
      await ctx.fs.appendFile(resolvePath(ctx.cwd, summaryFile), githubSummary(report));
    } catch (e) {
      ctx.stderr.write(`phasegate: warning: the job summary could not be written to ${summaryFile}: ${reasonOf(e)}\n`);
    }
  }
  // A file --fix could not write, whose fixes still apply: the run did not do what it was asked, whatever is left.
  if (unfinished) return EXIT_NOT_WRITTEN;
  return errorCount(report) > 0 ? EXIT_PROBLEMS : EXIT_OK;
}

/** `3 × handoff-mismatch, 1 × unused-directive`. */
function countList(counts: readonly RuleCount[]): string {
  return counts.map((g) => `${g.count} × ${g.code}`).join(', ');
}

/**
 * What `--fix` did to a file it wrote: the problems that went away, those its fixes brought about and
 * fixed too, those a directive it corrected silences now, the directives it removed once they silenced
 * nothing, and the problems that appeared.
 */
function fixedLine(f: FixedFile): string {
  // None, when what it fixed came back with a file it reads that was not written (named on stderr above).
  const parts = [f.gone.length ? countList(f.gone) : f.silenced.length ? 'no problem fixed' : 'no problem fewer, with the files not written as they are'];
  if (f.alsoFixed.length) parts.push(`revealed by the fixes and fixed: ${countList(f.alsoFixed)}`);
  if (f.silenced.length) parts.push(`silenced by the directives the fixes corrected, not fixed: ${countList(f.silenced)}`);
  if (f.directives.length) parts.push(`left unused by the fixes and removed: ${f.directives.join(', ')}`);
  if (f.appeared.length) {
    const n = f.appeared.reduce((s, a) => s + a.count, 0);
    parts.push(`${n === 1 ? '1 new problem' : `${n} new problems`} appeared: ${countList(f.appeared)}`);
  }
  return parts.join('; ');
}

async function status(ctx: CliContext, args: ParsedArgs): Promise<number> {
  const workspaces = await load(ctx, args, ctx.parallel);
  const report = buildReport(ctx.cwd, workspaces, false);
  ctx.stdout.write(args.format === 'json' ? statusJson(report) : formatStatus(report));
  // An invalid phasegate.yaml fails `status` as it fails `check` (where it is an invalid-config error).
  return report.configProblems.some((d) => d.severity === 'error') ? EXIT_PROBLEMS : EXIT_OK;
}

/** The workspaces of the PATHs with their documents read, or their shards checked on other threads. */
async function load(ctx: CliContext, args: ParsedArgs, parallel: Parallel | undefined): Promise<Workspace[]> {
  const workspaces = await loadWorkspaces({ fs: ctx.fs, assets: ctx.assets, cwd: ctx.cwd, paths: args.positionals, configFile: args.config });
  // A PATH the scan leaves out would otherwise pass as a folder without phases.
  for (const { path, why } of workspaces.flatMap((ws) => ws.unscanned)) ctx.stderr.write(`phasegate: warning: ${path} is not checked: ${why}.\n`);
  for (const ws of workspaces) {
    const limit = ws.svc.scanLimit();
    if (limit) ctx.stderr.write(`phasegate: warning: the workspace ${relativePath(ctx.cwd, ws.root) || '.'} is not checked whole: ${limit}.\n`);
  }
  for (const ws of workspaces) ws.titles = await checkInShards(ws.svc, ws.configFile, parallel, ctx.tick);
  return workspaces;
}
