/**
 * `phasegate new phase|prompt|response|handoff|finding|plan`: the engine plans the files (`planNew`), the CLI
 * writes them with an exclusive create, so an existing file is never overwritten, even when
 * another process creates it between the plan and the write.
 */
import { PhasegateService } from '../service/service';
import { dirname, isInside, relativePath } from '../service/host';
import { applyEdits } from '../service/edits';
import { TemplateError } from '../service/templates';
import { type ScanResult, phaseName } from '../service/workspace';
import { NewPlan, NewRequest, ScaffoldError, outsideTargets, planNew, withoutOutside } from '../service/scaffold';
import { ParsedArgs, UsageError, badArguments } from './args';
import { configRefusal, layoutRoot, findRoot, resolvePath } from './targets';
import type { CliContext } from './main';
import { reasonOf } from './fix';
import { disagreeingRows } from '../service/fixes/plan-status';

export function newRequest(args: ParsedArgs, cwd: string): { request: NewRequest; where: string } {
  const [what, ...rest] = args.positionals;
  const extra = (max: number) => {
    if (rest.length > max) throw badArguments(`unexpected argument '${rest[max]}' for 'new ${what}'`);
  };
  const forbid = (...names: ('layout' | 'workstream' | 'title')[]) => {
    for (const n of names) if (args[n] !== undefined) throw badArguments(`option '--${n}' does not apply to 'new ${what}'`);
  };
  switch (what) {
    case 'phase': {
      extra(1);
      const where = resolvePath(cwd, rest[0] ?? '.');
      const layout = args.layout ?? (args.workstream !== undefined ? 'iai' : undefined);
      if (layout !== 'iai' && args.workstream !== undefined) throw badArguments('--workstream applies to iai phases only');
      return { request: { kind: 'phase', layout, workstream: args.workstream, title: args.title, folder: where }, where };
    }
    case 'prompt': {
      extra(0);
      forbid('layout');
      if (!args.workstream || !args.title) throw badArguments("'new prompt' needs --workstream W and --title T");
      return { request: { kind: 'prompt', workstream: args.workstream, title: args.title }, where: cwd };
    }
    case 'response':
    case 'handoff': {
      forbid('layout', 'workstream', 'title');
      if (rest.length === 0) throw badArguments(`'new ${what}' needs a PHASE_ID`);
      extra(1);
      return { request: { kind: what, phase: rest[0] }, where: cwd };
    }
    case 'finding': {
      forbid('layout', 'workstream');
      if (rest.length === 0) throw badArguments("'new finding' needs a PHASE_ID");
      extra(1);
      return { request: { kind: 'finding', phase: rest[0], title: args.title }, where: cwd };
    }
    case 'plan': {
      extra(1);
      forbid('layout', 'workstream', 'title');
      const where = resolvePath(cwd, rest[0] ?? '.');
      return { request: { kind: 'plan', root: rest[0] === undefined ? undefined : where }, where };
    }
    case undefined:
      throw badArguments("'new' needs what to create: phase, prompt, response, handoff, finding or plan");
    default:
      throw badArguments(`cannot create '${what}': expected phase, prompt, response, handoff, finding or plan`);
  }
}

export async function runNew(ctx: CliContext, args: ParsedArgs): Promise<number> {
  const { request, where } = newRequest(args, ctx.cwd);
  const st = await ctx.fs.stat(where).catch(() => undefined);
  if (st && st.kind !== 'directory') throw new UsageError(`not a folder: ${relativePath(ctx.cwd, where)}`);
  // A plan goes into an existing project folder: a mistyped PATH is not made into a new one.
  if (!st && request.kind === 'plan') throw new UsageError(`no such folder: ${relativePath(ctx.cwd, where)}`);
  // A folder that does not exist yet is created under its nearest existing ancestor's workspace.
  let existing = where;
  while (!(await ctx.fs.stat(existing).catch(() => undefined)) && dirname(existing) !== existing) existing = dirname(existing);
  const { root, configured } = await findRoot(ctx.fs, existing, false);
  const load = async (at: string, scan?: ScanResult) => {
    const engine = new PhasegateService({ fs: ctx.fs, assets: ctx.assets });
    await engine.load(at, undefined, { ...(args.config ? { configFile: resolvePath(ctx.cwd, args.config) } : {}), scan });
    // A config with an error (the one named by --config, or the workspace's own) is not the one its author
    // meant: its layouts may not apply at all, so what would be created could be a wrong layout's. Nothing is.
    const bad = engine.config.problems.find((d) => d.severity === 'error');
    if (bad) throw new UsageError(`${configRefusal(ctx.cwd, bad, engine.config.file, args.config)}; nothing is created`);
    return engine;
  };
  // A PATH that does not exist is created in a workspace: the nearest existing folder must be one (a config at or
  // above it, phases in it or around it, or, with --config, phases its globs name there) or be the current folder
  // or lie in it. Else a mistyped PATH (`/nonexistent/x`) would make whatever folder it reaches (`/`) the
  // workspace, and scan it whole.
  if (!st && !configured && root === existing && !isInside(ctx.cwd, where) && !(await holdsPhases(ctx, existing))) {
    const globs = args.config
      ? (await load(existing, { files: new Set(), dirs: new Set([existing]), problems: [], truncated: false })).config.layouts.flatMap(
          (l) => l.phaseGlobs ?? [],
        )
      : [];
    const at = layoutRoot(where, globs);
    if (at === undefined || !isInside(at, existing)) {
      // Named as given, as check names a PATH not found, and the folder in the same form (absolute or relative).
      const given = args.positionals[1] ?? '.';
      const folder = /^([\\/]|[A-Za-z]:[\\/])/.test(given) ? existing : relativePath(ctx.cwd, existing) || '.';
      throw new UsageError(`path not found: ${given} (its nearest existing folder, ${folder}, is no workspace: no phasegate.yaml, no phases)`);
    }
  }
  let svc = await load(root);
  // A config file from elsewhere: the workspace folder is the one its globs name PATH from, as for check.
  if (args.config && !configured && !svc.model.phases.some((p) => isInside(existing, p.folder) || isInside(p.folder, existing))) {
    const at = layoutRoot(
      where,
      svc.config.layouts.flatMap((l) => l.phaseGlobs ?? []),
    );
    if (at !== undefined && at !== root) svc = await load(at);
  }
  // A PHASE_ID that is no phase's id but a path, from the current folder, to a phase's folder or into one (`.` in the
  // phase folder, `Phase_1_CI` from its workstream's folder): that phase.
  if ('phase' in request && request.phase && !svc.findPhase(request.phase) && !svc.findPhase(resolvePath(svc.root, request.phase))) {
    const at = resolvePath(ctx.cwd, request.phase);
    const phase = svc.model.phases.filter((p) => isInside(p.folder, at)).sort((a, b) => b.folder.length - a.folder.length)[0];
    if (phase && (await ctx.fs.stat(at).catch(() => undefined))) request.phase = phase.id;
  }
  let plan: NewPlan;
  try {
    plan = planNew(svc, request);
  } catch (e) {
    // A request the planner cannot carry out (unknown phase, ambiguous folder, broken template) is the user's to fix.
    throw new UsageError(plannerRefusal(ctx.cwd, e));
  }
  // Through a symbolic link to elsewhere, a file would be written outside the workspace: not created, named on stderr.
  const outside = await outsideTargets(svc, plan);
  plan = withoutOutside(plan, outside);
  for (const o of outside) ctx.stderr.write(`phasegate: ${relativePath(ctx.cwd, o.file)} is not created: ${o.reason}\n`);
  const create = ctx.fs.createFile?.bind(ctx.fs);
  if (!create) throw new UsageError('this file system cannot create files');
  const created = new Set<string>();
  const rel = (p: string) => relativePath(ctx.cwd, p);
  for (const s of plan.skipped) ctx.stdout.write(`skipped  ${rel(s.file)}  (${s.reason})\n`);
  let failed = false;
  for (const c of plan.creates) {
    try {
      await create(c.file, c.text);
      created.add(c.file);
      ctx.stdout.write(`created  ${rel(c.file)}\n`);
    } catch (e) {
      // Skipped only when the file itself is there (made meanwhile); any other failure is one, a folder in its place too.
      const there = await ctx.fs.stat(c.file).catch(() => undefined);
      if (there && there.kind !== 'directory') {
        ctx.stdout.write(`skipped  ${rel(c.file)}  (already exists)\n`);
        continue;
      }
      failed = true;
      const why = there ? `${rel(c.file)} is a folder, not a file` : await failure(ctx, c.file, e);
      ctx.stderr.write(`phasegate: could not create ${rel(c.file)}: ${why}\n`);
    }
  }
  await applyPlanEdits(ctx, plan, created);
  for (const file of planNotes(svc, plan, created)) ctx.stderr.write(`phasegate: ${relativePath(ctx.cwd, file.file)}: ${file.note}\n`);
  if (outside.length || failed) return 2;
  return created.size > 0 ? 0 : 1;
}

/** Whether a folder holds phases of the built-in layouts: a `phase-N` folder or a `workstreams` folder. */
async function holdsPhases(ctx: CliContext, dir: string): Promise<boolean> {
  const entries = await ctx.fs.readDirectory(dir).catch(() => []);
  return entries.some((e) => e.kind === 'directory' && (e.name === 'workstreams' || /^phase-\d+$/i.test(e.name)));
}

/**
 * Why the planner refused, in one line, its paths as the CLI's other messages say them: a workspace template
 * relative to the current folder, and "this workspace" named when it is not the current folder.
 */
function plannerRefusal(cwd: string, e: unknown): string {
  if (e instanceof TemplateError && /^(\/|[A-Za-z]:\/)/.test(e.file)) {
    return `Template ${relativePath(cwd, e.file)}${e.line !== undefined ? `, line ${e.line}` : ''}: ${firstLine(e.reason)}`;
  }
  const message = firstLine((e as Error).message);
  const ws = e instanceof ScaffoldError ? e.workspace : undefined;
  if (ws === undefined || ws === cwd) return message;
  // Named where the message speaks of it (`no phase 'x' in this workspace (the workspace folder ..); its phases: …`).
  const note = `(the workspace folder ${relativePath(cwd, ws)})`;
  return message.includes('this workspace') ? message.replace('this workspace', `this workspace ${note}`) : `${message} ${note}`;
}

function firstLine(s: string): string {
  return s.split(/\r?\n/)[0];
}

/** Why `file` could not be created: a file where a folder of its path should be, else the system's reason. */
async function failure(ctx: CliContext, file: string, e: unknown): Promise<string> {
  for (let p = dirname(file); dirname(p) !== p; p = dirname(p)) {
    const st = await ctx.fs.stat(p).catch(() => undefined);
    if (st?.kind === 'directory') break;
    if (st) return `${relativePath(ctx.cwd, p)} is a file, not a folder`;
  }
  return reasonOf(e);
}

const STATUS_WORDS = { complete: 'complete', 'in-progress': 'in progress', 'not-started': 'not started', blocked: 'blocked' } as const;

/**
 * What a project plan that a new phase's row went into says of its other phases, where its rows disagree with them
 * (plan-status-mismatch: a phase complete still marked not started, one marked complete whose gates have not passed):
 * `new` does not change those rows (only the new phase's is asked for, and a status the user wrote is theirs to change),
 * but says so, and what updates them. `svc`: the engine that planned the new phase (the plan as it read then).
 */
function planNotes(svc: PhasegateService, plan: NewPlan, created: Set<string>): { file: string; note: string }[] {
  const out: { file: string; note: string }[] = [];
  for (const file of new Set(plan.edits.filter((e) => created.has(e.with) && !e.unreadable).map((e) => e.file))) {
    const rows = disagreeingRows(svc, file);
    if (!rows.length) continue;
    const MAX = 5;
    const named = rows
      .flatMap((r) => r.phases)
      .slice(0, MAX)
      .map((p) => `${phaseName(p)} is ${STATUS_WORDS[p.status]}`);
    const phases = rows.reduce((n, r) => n + r.phases.length, 0);
    const list = named.join(', ') + (phases > MAX ? ', …' : '');
    const fixable = rows.filter((r) => r.fixable).length;
    const what = rows.length === 1 ? '1 other row disagrees with its phase' : `${rows.length} other rows disagree with their phases`;
    const them = rows.length === 1 ? 'it' : 'them';
    // Rows marked complete ahead of their gates are the team's to set back (the editor's quick fix does, when asked).
    const how =
      fixable === rows.length
        ? `run phasegate check --fix to update ${them}`
        : fixable === 0
          ? `update ${them} in the plan`
          : `phasegate check --fix updates ${fixable} of them; update ${rows.length - fixable === 1 ? 'the other' : 'the others'} in the plan`;
    out.push({ file, note: `${what} (${list}): ${how}` });
  }
  return out;
}

/**
 * The edits that go with the files created (a new phase's row in the project plan): applied to the
 * file as it reads at the write, never over a change made meanwhile (planned again on it, then).
 */
async function applyPlanEdits(ctx: CliContext, plan: NewPlan, created: Set<string>): Promise<void> {
  const rel = (p: string) => relativePath(ctx.cwd, p);
  for (const e of plan.edits) {
    if (!created.has(e.with)) continue;
    if (e.unreadable) {
      ctx.stderr.write(`phasegate: warning: ${rel(e.file)} is not updated: ${e.reason}\n`);
      continue;
    }
    if (!e.edits.length || !ctx.fs.updateFile) {
      ctx.stdout.write(`skipped  ${rel(e.file)}  (${e.edits.length ? 'this file system cannot update files' : e.reason})\n`);
      continue;
    }
    try {
      const changed = await ctx.fs.updateFile(e.file, (text) => {
        const edits = text === e.text ? e.edits : e.again(text);
        return edits && applyEdits(text, edits);
      });
      ctx.stdout.write(
        changed
          ? `updated  ${rel(e.file)}  (${e.reason})\n`
          : `skipped  ${rel(e.file)}  (it has that ${e.reason.startsWith('item ') ? 'item' : 'row'} already)\n`,
      );
    } catch (err) {
      ctx.stdout.write(`skipped  ${rel(e.file)}  (${(err as Error).message.split('\n')[0]})\n`);
    }
  }
}
