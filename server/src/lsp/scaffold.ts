/**
 * `phasegate/renderTemplate` and `phasegate/newDocument`: the engine's `planNew` (the same
 * planner as `phasegate new`) turned into files and a WorkspaceEdit that creates them —
 * CreateFile that fails when the file exists, so an existing file is never overwritten or written into —
 * and edits the files that go with them (a new iAI phase's row in the project plan) with text edits.
 */
import type { Connection } from 'vscode-languageserver';
import { NewDocumentParams, NewDocumentRequest, NewDocumentResult, PlannedFile, RenderTemplateRequest } from '../protocol';
import { dirname, joinPath, relativePath } from '../service/host';
import { NewRequest, outsideTargets, planNew } from '../service/scaffold';
import type { PhasegateService } from '../service/service';
import type { ServerContext } from './context';
import { EditTarget, toWorkspaceEdit } from './convert';
import { phaseAtPath } from './phases';
import { uriToPath } from './uri';
import { ParamSpec, checkParams } from './params';

/** The options of `phasegate/newDocument` and `renderTemplate` the planner takes; others are ignored. */
const OPTION_SPEC: ParamSpec = {
  title: { kind: 'string', optional: true },
  number: { kind: 'number', optional: true },
  workstream: { kind: 'string', optional: true },
  layout: { kind: 'string', optional: true },
  date: { kind: 'string', optional: true },
  root: { kind: 'string', optional: true },
  folder: { kind: 'string', optional: true },
};
const OPTION_KEYS = Object.keys(OPTION_SPEC);

/** The engine request for `what` at `path` (a workspace, group or phase folder, or a file in a phase). */
export function toNewRequest(svc: PhasegateService, what: string, path: string, options: Record<string, unknown> = {}): NewRequest {
  const req: Record<string, unknown> = { what };
  for (const k of OPTION_KEYS) if (options[k] !== undefined) req[k] = options[k];
  const phase = phaseAtPath(svc, path);
  if (what === 'phase' || what === 'plan' || (what === 'prompt' && !phase)) {
    if (phase) {
      // Next to the phase the user stands in: same folder of phase-N folders, same workstream.
      if (phase.workstream !== undefined) {
        req.workstream ??= phase.workstream;
        req.root ??= dirname(dirname(dirname(phase.folder)));
      } else req.root ??= dirname(phase.folder);
    } else if (path !== svc.root && req.root === undefined && req.folder === undefined) req.root = path;
    return req as unknown as NewRequest;
  }
  if (phase) req.phase = phase.id;
  return req as unknown as NewRequest;
}

async function plan(ctx: ServerContext, params: NewDocumentParams, withEdit: boolean): Promise<NewDocumentResult> {
  const path = uriToPath(params.targetUri);
  const folder = path ? ctx.workspaces.folderOf(path) : undefined;
  if (!path || !folder) return { files: [], edit: null, errors: [`${params.targetUri} is not in a workspace folder.`] };
  // The open documents' latest text (the project plan's row is an edit of it, under its version).
  await ctx.upToDate([folder]);
  // A config with an error is not the one its author meant (its layouts may not apply): nothing is planned, as `new` refuses.
  const bad = folder.svc.config.problems.find((d) => d.severity === 'error');
  if (bad) {
    // Where the problem is, as `phasegate check` says it: FILE:LINE:COLUMN.
    const where = `${relativePath(folder.svc.root, bad.file)}:${bad.range.start.line + 1}:${bad.range.start.character + 1}`;
    return { files: [], edit: null, errors: [`${where}: ${bad.message.split('\n')[0]}; fix it first, nothing is created.`] };
  }
  let p;
  const req = toNewRequest(folder.svc, params.what, path, params.options);
  try {
    p = planNew(folder.svc, req);
    // A new finding is a file of its own, named and numbered after the findings on disk, those the file watcher
    // has not reported yet too (the finding made a moment ago): the folder is read, and the finding planned again.
    const dir = params.what === 'finding' && p.creates.length ? dirname(p.creates[0].file) : undefined;
    if (dir) {
      const entries = await folder.svc.fs.readDirectory(dir).catch(() => []);
      const onDisk = entries.filter((e) => e.kind === 'file').map((e) => joinPath(dir, e.name));
      if (onDisk.some((f) => !folder.svc.exists(f))) {
        (req as { taken?: string[] }).taken = onDisk;
        p = planNew(folder.svc, req);
      }
    }
    // One written meanwhile: the next free name.
    for (let i = 0; dir && i < 100; i++) {
      const there = await firstOnDisk(
        folder.svc,
        p.creates.map((c) => c.file),
      );
      if (!there) break;
      const taken = ((req as { taken?: string[] }).taken ??= []);
      taken.push(there);
      p = planNew(folder.svc, req);
      // Planned again all the same (it should not be): the client finds it there and creates nothing.
      if (p.creates.some((c) => c.file === there)) break;
    }
  } catch (e) {
    // ScaffoldError / TemplateError: a message for the user, not a crash.
    return { files: [], edit: null, errors: [(e as Error).message] };
  }
  // The open documents the edits change, as the engine held them when it planned. Checking the targets below
  // reads the disk, and the editor may send edits meanwhile: the plan's edits still name the version they were
  // planned on (the editor refuses them then), never a later one whose text they do not fit.
  const planned = new Map<string, { version: number | null; bom: boolean }>();
  for (const e of p.edits) {
    const uri = ctx.uriOf(e.file);
    planned.set(uri, { version: ctx.versionOf(uri), bom: ctx.hasBom(uri) });
  }
  const target: EditTarget = {
    uriOf: (path) => ctx.uriOf(path),
    versionOf: (uri) => (planned.has(uri) ? planned.get(uri)!.version : ctx.versionOf(uri)),
    hasBom: (uri) => planned.get(uri)?.bom ?? ctx.hasBom(uri),
  };
  // Through a symbolic link to elsewhere, a file would be written outside the workspace: nothing is created then.
  const outside = await outsideTargets(folder.svc, p);
  if (outside.length) return { files: [], edit: null, errors: outside.map((o) => `${relativePath(folder.svc.root, o.file)} is not created: ${o.reason}`) };
  const files: PlannedFile[] = [
    ...p.creates.map((c) => ({ uri: ctx.uriOf(c.file), text: c.text, exists: false })),
    ...p.skipped.map((s) => ({ uri: ctx.uriOf(s.file), text: '', exists: true })),
  ];
  // The edits that go with the files (a new phase's row in the project plan): text edits of the file the
  // engine read, which the editor applies to the document's version it planned on (or not at all).
  const edits = p.edits.filter((e) => e.edits.length && p.creates.some((c) => c.file === e.with)).map((e) => ({ file: e.file, edits: e.edits }));
  const edit = withEdit && p.creates.length ? (toWorkspaceEdit({ edits, creates: p.creates }, target, ctx.caps.documentChanges) ?? null) : null;
  const errors = withEdit && p.creates.length && !edit ? ['The editor cannot create files from a language server edit.'] : [];
  return p.phase?.number === undefined ? { files, edit, errors } : { files, edit, errors, number: p.phase.number };
}

/** The first of `files` that is on disk. */
async function firstOnDisk(svc: PhasegateService, files: string[]): Promise<string | undefined> {
  for (const f of files) if (await svc.fs.stat(f).catch(() => undefined)) return f;
  return undefined;
}

export function registerScaffold(connection: Connection, ctx: ServerContext): void {
  const fail: NewDocumentResult = { files: [], edit: null, errors: ['Rendering the template failed; see the Phasegate output.'] };
  const spec = { what: { kind: 'string' }, targetUri: { kind: 'string' }, options: { kind: 'object', optional: true } } as const;
  /** The parameters, their options' values too: a title of another type would be written into the files as `[object Object]`. */
  const check = (method: string, params: unknown): NewDocumentParams => {
    const p = checkParams<NewDocumentParams>(method, params, spec);
    if (p.options !== undefined) checkParams(method, p.options, OPTION_SPEC, 'options');
    return p;
  };
  connection.onRequest(RenderTemplateRequest, (params) =>
    ctx.safe('phasegate/renderTemplate', fail, () => plan(ctx, check('phasegate/renderTemplate', params), false)),
  );
  connection.onRequest(NewDocumentRequest, (params) => ctx.safe('phasegate/newDocument', fail, () => plan(ctx, check('phasegate/newDocument', params), true)));
}
