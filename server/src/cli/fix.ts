/**
 * `phasegate check --fix`: applies to each file the PATHs cover the fixes its editor's *Fix all*
 * applies (`fixAll`: the quick fixes that edit only that file and create none), again while a pass
 * still changes something (a fix can make another one possible, also in the next phase's file: a
 * directive a fix left unused is removed in the next pass, front matter read once the blank lines above
 * it are gone is fixed then), then checks what is left. A file is written once the passes are done, and
 * only when its problems of some rule are fewer than before (fixes that remove none leave it as it was,
 * named on stderr with the rules of those fixes), when it is still the text the fixes were made for, and
 * only when it lies in its workspace folder, also after its symbolic links are followed. A file that
 * is not written is named on stderr with the reason, left as it is, and checked as it is: the other
 * files are fixed all the same. What each written file's line says is counted once every write is
 * done, against the files as they are then (a file not written brings back the problems it gave the
 * files that read it), with what the fixes revealed and fixed, the directives they left unused and
 * removed, and the problems that appeared; so are the problems that appeared in files not written. A
 * file not written whose fixes still apply then is one the run did not fix.
 */
import { applyEdits, fixAll, problemCounts, someRepaired } from '../service/actions';
import { isInside, relativePath } from '../service/host';
import type { Diagnostic } from '../service/types';
import type { CliContext } from './main';
import { Workspace, coverage } from './targets';

/**
 * Passes over the files at most, beyond one for each problem the files had before the fixes: each pass
 * fixes what the previous made fixable (rows added to a plan's table one a pass, each where the previous
 * one went); fixes that keep offering themselves stop here.
 */
const MAX_PASSES = 10;

/** A number of problems of one rule. */
export interface RuleCount {
  code: string;
  count: number;
}

export interface FixedFile {
  file: string;
  /**
   * The problems of the file that went away, by rule id (the file's diagnostics before the fixes and after
   * them, compared by rule id and count), in the order they were first reported.
   */
  gone: RuleCount[];
  /**
   * Problems the fixes brought about and fixed too (a front matter's, read once the fix of the lines above
   * it made it readable), by rule id: beyond `gone`, not counted there. Unused directives are in `directives`.
   */
  alsoFixed: RuleCount[];
  /**
   * Directives (or rules of them) that silenced nothing after the fixes and were removed, beyond those unused
   * before: `phasegate-disable-next-line empty-section`, `empty-section from phasegate-disable-file`.
   */
  directives: string[];
  /** The problems the file has now that it did not have before (more of a rule than before), by rule id. */
  appeared: RuleCount[];
  /**
   * Problems that went away because a directive silences them now (a misspelt `phasegate-disabel` corrected to
   * `phasegate-disable` silences every rule below it): still in the file, by rule id, and not counted in `gone`.
   */
  silenced: RuleCount[];
}

export interface FixResult {
  /** The files written, by path. */
  fixed: FixedFile[];
  /** Files not written (or with nothing to fix) that have problems now that they did not have before: the fixes of other files brought them. */
  appeared: { file: string; appeared: RuleCount[] }[];
  /** Files not written (a write that failed, a file that leads outside its workspace folder…) whose fixes would still repair some of their problems. */
  unfinished: string[];
  /**
   * Documents reported as a copy of another phase's (copied-document) whose fixes of these rules were not applied,
   * as they would make the document no longer read as a copy while its copied status and ticks stay: with the
   * document it is a copy of (its path).
   */
  held: { file: string; codes: string[]; copyOf: string | undefined }[];
}

/** Number of diagnostics under each `key`, in order of first appearance. */
function countBy(diags: readonly Diagnostic[], key: (d: Diagnostic) => string): Map<string, number> {
  const out = new Map<string, number>();
  for (const d of diags) {
    const k = key(d);
    out.set(k, (out.get(k) ?? 0) + 1);
  }
  return out;
}

/** Number of diagnostics of each rule id. */
const countByCode = (diags: readonly Diagnostic[]) => countBy(diags, (d) => d.code);

/**
 * The problems of a file its directives silence, by rule id (none, without a directive comment in its text:
 * performance only, as the rules run again without the directives).
 */
function silencedBy(ws: Workspace, file: string, diags: readonly Diagnostic[]): Map<string, number> {
  if (!ws.svc.getText(file)?.includes('phasegate-')) return new Map();
  return excess(countByCode(ws.svc.diagnoseWithoutDirectives(file)), countByCode(diags));
}

/** The reason an error gives, in one line: `permission denied (EACCES)` for a Node error, else its first line. */
export function reasonOf(e: unknown): string {
  const message = String((e as Error)?.message ?? e).split('\n')[0];
  const code = (e as { code?: unknown })?.code;
  if (typeof code !== 'string') return message;
  // Node's `EACCES: permission denied, open '/path'`: the path is named already.
  const m = new RegExp(`^${code}: (.*?)(?:, \\w+ '[^']*'(?: -> '[^']*')?)?$`).exec(message);
  return m ? `${m[1]} (${code})` : message;
}

/** `the fixes for a, b` (the rules whose fixes they are), or `its fixes` when they name none. */
function fixesFor(codes: Iterable<string>): string {
  const list = [...new Set(codes)];
  return list.length ? `the fixes for ${list.join(', ')}` : 'its fixes';
}

/** `n × code, …`, the counts of a map of them above zero, in its order. */
function ruleCounts(counts: Map<string, number>): RuleCount[] {
  const out: RuleCount[] = [];
  for (const [code, count] of counts) if (count > 0) out.push({ code, count });
  return out;
}

/** `a` less `b`, per key, where that is more than zero. */
function excess(a: Map<string, number>, b: Map<string, number>): Map<string, number> {
  const out = new Map<string, number>();
  for (const [k, n] of a) if (n > (b.get(k) ?? 0)) out.set(k, n - (b.get(k) ?? 0));
  return out;
}

/** The messages of a file's unused directives, counted (the same directive, also once moved, gives the same message). */
const unusedDirectives = (diags: readonly Diagnostic[]) =>
  countBy(
    diags.filter((d) => d.code === 'unused-directive'),
    (d) => d.message,
  );

/**
 * What an unused-directive message asks to remove: the directive (`phasegate-disable-next-line empty-section`,
 * `phasegate-disable` for one that names no rule), or one rule of it (`empty-section from phasegate-disable-file`).
 */
function directiveOf(message: string): string {
  const m = /^`(phasegate-[a-z-]+)` silences no (?:`([^`]+)` )?problem here: remove (it|the rule from it)\.$/.exec(message);
  if (!m) return message;
  if (!m[2]) return m[1];
  return m[3] === 'it' ? `${m[1]} ${m[2]}` : `${m[2]} from ${m[1]}`;
}

/**
 * The file's fixes (those *Fix all* applies, never a template's placeholder in place of an error: a section, a
 * rationale to write is the user's) tried out on the engine, which holds the file's text again afterwards: the
 * action, the text before and after it, and the file's diagnostics with it; undefined when there are none, or they
 * change nothing. The rule ids of the fixes left out of a copied document (see `fixAll`) go into `held`.
 */
function tryFixes(
  ws: Workspace,
  file: string,
  held?: Set<string>,
): { action: NonNullable<ReturnType<typeof fixAll>>; seen: string; next: string; after: readonly Diagnostic[] } | undefined {
  const action = fixAll(ws.svc, file, { placeholders: false, held });
  const seen = ws.svc.getText(file);
  if (!action || seen === undefined) return undefined;
  const next = applyEdits(
    seen,
    action.change.edits.flatMap((e) => (e.file === file ? e.edits : [])),
  );
  if (next === undefined || next === seen) return undefined;
  ws.svc.setOverlay(file, next);
  try {
    return { action, seen, next, after: ws.svc.diagnose(file) };
  } finally {
    ws.svc.setOverlay(file, seen);
  }
}

/** Whether the fixes of a file, as the engine has it now, would still repair one of its problems (its text in the engine is left as it was). */
function stillFixable(ws: Workspace, file: string): boolean {
  const had = problemCounts(ws.svc.diagnose(file));
  const tried = tryFixes(ws, file);
  return !!tried && someRepaired(had, problemCounts(tried.after));
}

export async function applyFixes(ctx: CliContext, workspaces: Workspace[]): Promise<FixResult> {
  const update = ctx.fs.updateFile?.bind(ctx.fs);
  if (!update) throw new Error('this file system cannot write files');
  /** Each file the PATHs cover, with the workspace that reports it and its diagnostics before any fix (one can change another file's), counted by rule id. */
  const before = new Map<string, { ws: Workspace; counts: Map<string, number>; unused: Map<string, number>; silenced: Map<string, number> }>();
  let problems = 0;
  for (const ws of workspaces) {
    const covers = coverage(workspaces, ws);
    for (const file of ws.svc.checkedFiles()) {
      if (!covers.diagnostic({ file, code: '' } as Diagnostic)) continue;
      const diags = ws.svc.diagnose(file);
      before.set(file, { ws, counts: countByCode(diags), unused: unusedDirectives(diags), silenced: silencedBy(ws, file, diags) });
      problems += diags.length;
    }
  }
  /**
   * The files the fixes changed (in the engines, not yet on disk): their text before any fix, the file to
   * write (a symbolic link's target), the rules whose fixes were applied, and the problems those fixes
   * repaired in their file, over all passes: by rule id, and the unused directives they removed, by message.
   */
  const changed = new Map<
    string,
    {
      original: string;
      target: string;
      codes: Set<string>;
      stalled?: readonly string[];
      repaired: Map<string, number>;
      removed: Map<string, number>;
    }
  >();
  /** Files not to be fixed further: refused, or their last fixes repaired nothing. */
  const skipped = new Set<string>();
  /** Files whose fixes are not written for a reason other than that they repair nothing: a failed write, a refusal, a change meanwhile. */
  const failed = new Set<string>();
  const realRoots = new Map<Workspace, Promise<string | undefined>>();
  const notWritten = (file: string, why: string) => {
    skipped.add(file);
    failed.add(file);
    ctx.stderr.write(`phasegate: ${relativePath(ctx.cwd, file)} ${why}\n`);
  };
  /** Files with nothing to fix, with their diagnostics then: looked at again only once those change (performance only). */
  const settled = new Map<string, readonly Diagnostic[]>();
  /** The rule ids of the fixes left out of each copied document, as its last try found them. */
  const heldBack = new Map<string, Set<string>>();
  for (let pass = 0; pass < MAX_PASSES + problems; pass++) {
    let any = false;
    for (const ws of workspaces) {
      for (const file of ws.svc.checkedFiles()) {
        if (skipped.has(file) || before.get(file)?.ws !== ws) continue;
        const diags = ws.svc.diagnose(file);
        if (settled.get(file) === diags) continue;
        const held = new Set<string>();
        const tried = tryFixes(ws, file, held);
        if (held.size) heldBack.set(file, held);
        else heldBack.delete(file);
        if (!tried) {
          settled.set(file, diags);
          continue;
        }
        const { action, seen, next, after: fixedDiags } = tried;
        // Fixes that repair none of the file's problems (one that re-creates what it repairs, such as an item
        // added again on every pass) are not applied, and the file is not fixed further.
        if (!someRepaired(problemCounts(diags), problemCounts(fixedDiags))) {
          skipped.add(file);
          // With fixes of earlier passes, said once it is known whether those are written.
          const earlier = changed.get(file);
          if (earlier) earlier.stalled = action.codes;
          else ctx.stderr.write(`phasegate: ${relativePath(ctx.cwd, file)}: ${fixesFor(action.codes)} removed no problem, not written\n`);
          continue;
        }
        let entry = changed.get(file);
        if (!entry) {
          let target = file;
          if (ctx.fs.realpath) {
            if (!realRoots.has(ws))
              realRoots.set(
                ws,
                ctx.fs.realpath(ws.root).catch(() => undefined),
              );
            const [real, root] = await Promise.all([ctx.fs.realpath(file).catch(() => undefined), realRoots.get(ws)]);
            if (real !== undefined && root !== undefined && !isInside(root, real)) {
              notWritten(file, `is not written: it leads outside the workspace folder (to ${real})`);
              continue;
            }
            // The file a symbolic link leads to is written, not the link (which stays a link).
            if (real !== undefined) target = real;
          }
          changed.set(file, (entry = { original: seen, target, codes: new Set(), repaired: new Map(), removed: new Map() }));
        }
        // Applied in the engine (a fix of the next phase's file may build on it); written once every pass is done.
        ws.svc.setOverlay(file, next);
        action.codes.forEach((c) => entry.codes.add(c));
        for (const [code, n] of excess(countByCode(diags), countByCode(fixedDiags))) entry.repaired.set(code, (entry.repaired.get(code) ?? 0) + n);
        for (const [message, n] of excess(unusedDirectives(diags), unusedDirectives(fixedDiags)))
          entry.removed.set(message, (entry.removed.get(message) ?? 0) + n);
        any = true;
      }
    }
    if (!any) break;
  }
  const sharing = await sharedTargets(ctx, workspaces, changed);
  /** Files written, by the path written (a symbolic link's target), with the text written. */
  const writtenTo = new Map<string, string>();
  /** The files written (or written already through another path that leads to their file). */
  const written: string[] = [];
  for (const [file, { original, target, codes, stalled }] of changed) {
    const { ws, counts } = before.get(file)!;
    const next = ws.svc.getText(file);
    // Fixes after which the file has no fewer problems of any rule (one replaced by another of its rule)
    // are not written: the file stays as it was.
    if (next === undefined || !excess(counts, countByCode(ws.svc.diagnose(file))).size) {
      // Checked as it is on disk.
      await ws.svc.clearOverlay(file);
      ctx.stderr.write(`phasegate: ${relativePath(ctx.cwd, file)}: ${fixesFor([...codes, ...(stalled ?? [])])} removed no problem, not written\n`);
      continue;
    }
    // A file that other checked files lead to as well (a document shared by two phases through symbolic
    // links) is written only with the fixes of every one of them, the same: those of one alone could give
    // another new problems, and the next run would fix them back.
    const others = (sharing.get(target) ?? []).filter((f) => f !== file);
    const differs = others.find((o) => before.get(o)?.ws.svc.getText(o) !== next || !changed.has(o));
    if (differs !== undefined) {
      await ws.svc.clearOverlay(file);
      failed.add(file);
      ctx.stderr.write(
        `phasegate: ${relativePath(ctx.cwd, file)} is not written: it is the same file as ${relativePath(ctx.cwd, differs)} (through a symbolic link), whose fixes differ\n`,
      );
      continue;
    }
    if (writtenTo.get(target) === next) {
      // Written already, through another of the paths that lead to it.
      written.push(file);
      continue;
    }
    let done: boolean;
    try {
      // Only over the text the fixes were computed for: a file changed meanwhile is left as it is.
      done = await update(target, (now) => (now === original ? next : undefined));
      if (!done) ctx.stderr.write(`phasegate: ${relativePath(ctx.cwd, file)} is not written: it changed after it was read\n`);
    } catch (e) {
      done = false;
      // Deleted since it was read: gone, as the check finds it (a file the scan found and that is gone before it is read is no problem either).
      const deleted = /\bENOENT\b/.test(`${(e as { code?: unknown })?.code} ${(e as Error)?.message}`) && !(await ctx.fs.stat(target));
      const why = deleted ? 'is not written: it was deleted after it was read' : `could not be written: ${reasonOf(e)}`;
      ctx.stderr.write(`phasegate: ${relativePath(ctx.cwd, file)} ${why}\n`);
    }
    if (!done) {
      // Checked as it is on disk now (its text read again; gone, it leaves the workspace's files).
      failed.add(file);
      await ws.svc.clearOverlay(file);
      continue;
    }
    writtenTo.set(target, next);
    if (stalled)
      ctx.stderr.write(`phasegate: ${relativePath(ctx.cwd, file)}: ${fixesFor(stalled)} removed no problem, not written (the earlier ones are written)\n`);
    written.push(file);
  }
  // Counted once every write is done: a file not written is back as it is on disk, and so are the
  // problems it gives the files that read it (a handoff's inputs, a plan's rows), written or not.
  const result: FixResult = { fixed: [], appeared: [], unfinished: [], held: [] };
  const isWritten = new Set(written);
  for (const [file, { ws, counts, unused, silenced: silencedBefore }] of before) {
    const now = ws.svc.diagnose(file);
    const after = countByCode(now);
    const gone = excess(counts, after);
    // Of those gone, the ones a directive silences now and did not before are still there: not fixed.
    const silenced = new Map<string, number>();
    if (isWritten.has(file))
      for (const [code, n] of excess(silencedBy(ws, file, now), silencedBefore)) {
        const k = Math.min(n, gone.get(code) ?? 0);
        if (k <= 0) continue;
        silenced.set(code, k);
        if (k === gone.get(code)) gone.delete(code);
        else gone.set(code, gone.get(code)! - k);
      }
    const appeared = excess(after, counts);
    if (!isWritten.has(file)) {
      if (appeared.size) result.appeared.push({ file, appeared: ruleCounts(appeared) });
      continue;
    }
    const { repaired, removed } = changed.get(file)!;
    // Repaired beyond what went away and what is there again: problems the fixes brought about and fixed.
    const alsoFixed = new Map<string, number>();
    for (const [code, n] of repaired)
      if (code !== 'unused-directive') alsoFixed.set(code, n - (gone.get(code) ?? 0) - (appeared.get(code) ?? 0) - (silenced.get(code) ?? 0));
    // Directives removed that were not unused before the fixes, nor are now.
    const directives: string[] = [];
    for (const [message, n] of excess(excess(removed, unused), unusedDirectives(now))) for (let i = 0; i < n; i++) directives.push(directiveOf(message));
    result.fixed.push({
      file,
      gone: ruleCounts(gone),
      alsoFixed: ruleCounts(alsoFixed),
      directives,
      appeared: ruleCounts(appeared),
      silenced: ruleCounts(silenced),
    });
  }
  // A file not written whose fixes would still repair something: the run did not fix everything it could.
  for (const file of failed) {
    const { ws } = before.get(file)!;
    if (stillFixable(ws, file)) result.unfinished.push(file);
    // Its text in the engine is the file's on disk again.
    await ws.svc.clearOverlay(file);
  }
  for (const [file, codes] of heldBack) {
    const copy = before
      .get(file)!
      .ws.svc.diagnose(file)
      .find((d) => d.code === 'copied-document');
    // Still a copy as the files are now (a file not written is checked as it is on disk).
    if (copy) result.held.push({ file, codes: [...codes], copyOf: typeof copy.data?.from === 'string' ? copy.data.from : undefined });
  }
  const byPath = (a: { file: string }, b: { file: string }) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0);
  result.fixed.sort(byPath);
  result.appeared.sort(byPath);
  result.unfinished.sort();
  result.held.sort(byPath);
  return result;
}

/**
 * The files to write (`changed`, by the path written) that more than one checked file leads to, with
 * those files: a file shared by several phases through symbolic links. Empty without symbolic links.
 */
async function sharedTargets(
  ctx: CliContext,
  workspaces: readonly Workspace[],
  changed: ReadonlyMap<string, { target: string }>,
): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  const realpath = ctx.fs.realpath?.bind(ctx.fs);
  if (!realpath || !changed.size) return out;
  const targets = new Set([...changed.values()].map((c) => c.target));
  const files = [...new Set(workspaces.flatMap((ws) => ws.svc.checkedFiles()))];
  const reals = await Promise.all(files.map((f) => realpath(f).catch(() => f)));
  files.forEach((f, i) => {
    if (targets.has(reals[i])) out.set(reals[i], [...(out.get(reals[i]) ?? []), f]);
  });
  for (const [t, fs] of out) if (fs.length < 2) out.delete(t);
  return out;
}
