/** New phase (next in a sequence or workstream) and the welcome view's first phase, each from the templates. */
import * as vscode from 'vscode';
import { workstreamNameProblem } from '../../../server/src/names';
import { GroupNode, NewDocumentRequest, RenderTemplateRequest } from '../../../server/src/protocol';
import type { PhasegateContext } from '../context';
import { createPlannedFiles } from './apply';
import { Target, allGroups, nestedProject, phaseOfTarget, targetUri, withFolder } from './target';

const FIRST_DOCUMENT = /(00-PHASE_BRIEF|implementation_prompt)\.md$/;

/** Validation of a title that also names a folder: required, one line, no path separators. */
export function validateTitle(value: string): string | undefined {
  const v = value.trim();
  if (!v) return 'A title is required.';
  if (/[\\/:*?"<>|]/.test(v)) return 'A title names a folder: leave out \\ / : * ? " < > |';
  if (v.length > 80) return 'Keep the title under 80 characters.';
  return undefined;
}

/** Validation of a workstream name: a title's rules, and none the server refuses (`.`, `..`), asked before the title. */
export function validateWorkstream(value: string): string | undefined {
  const problem = workstreamNameProblem(value.trim());
  return validateTitle(value) ?? (problem ? `${problem}: a workstream names a folder of workstreams/.` : undefined);
}

/** The title of phase `n`; the box is titled as the command the user ran (`New Phase 3`, `Scaffold First Phase`). */
async function askTitle(n: number, prompt: string, command = 'New Phase'): Promise<string | undefined> {
  const title = await vscode.window.showInputBox({
    title: command === 'New Phase' ? `Phasegate: New Phase ${n}` : `Phasegate: ${command}`,
    prompt,
    placeHolder: 'e.g. Testing & Quality Enhancement',
    validateInput: validateTitle,
    ignoreFocusOut: true,
  });
  return title?.trim();
}

/**
 * Has the server plan the phase from the templates (never over an existing file), writes it and opens its first
 * document. `where`: its sequence or workstream, which the messages name with its number (several have a phase 2).
 */
async function createPhase(
  ctx: PhasegateContext,
  targetUri: string,
  options: Record<string, string | number>,
  n = options.number,
  where?: string,
): Promise<vscode.Uri[]> {
  const result = await ctx.request(NewDocumentRequest, { what: 'phase', targetUri, options });
  return createPlannedFiles(result, `phase ${result.number ?? n}${where ? ` of ${where}` : ''}`, (u) => FIRST_DOCUMENT.test(u.path));
}

function nextNumber(group: GroupNode): number {
  return Math.max(0, ...group.phases.map((p) => p.number ?? 0)) + 1;
}

/**
 * The number the server gives the phase `options` ask for, planned without creating anything (`renderTemplate`): the
 * number after the group's phases, unless a folder of that number is one the scan leaves out (an ignored `phase-3/`
 * on disk), which the server passes over. Undefined when the server does not say (the request fails, or is refused:
 * the create request then says why).
 */
async function plannedNumber(ctx: PhasegateContext, targetUri: string, options: Record<string, string | number>): Promise<number | undefined> {
  try {
    const result = await ctx.request(RenderTemplateRequest, { what: 'phase', targetUri, options });
    return result.errors.length ? undefined : result.number;
  } catch {
    return undefined;
  }
}

/**
 * The next phase of a group: the group comes from the tree node, the active editor, or a pick
 * (among the groups of `layout` when given). Without a group (of `layout`), the first phase of a new
 * sequence or workstream (in `layout`, without asking for one).
 */
export async function newPhase(ctx: PhasegateContext, arg?: Target, layout?: string, command = 'New Phase'): Promise<vscode.Uri[] | undefined> {
  const data = await ctx.tree.load();
  // From a workspace folder's row: that folder's groups only, and its first phase when it has none.
  const folder = arg && typeof arg === 'object' && 'type' in arg && arg.type === 'folder' ? arg.folder : undefined;
  const groups = allGroups(data).filter((g) => (!layout || g.group.layout === layout) && (!folder || g.folderUri === folder.uri));
  let group: GroupNode | undefined;
  if (arg && typeof arg === 'object' && 'type' in arg && arg.type === 'group') group = arg.group;
  else group = phaseOfTarget(data, arg)?.group;
  if (group && layout && group.layout !== layout) group = undefined;
  if (!group) {
    if (groups.length === 0) return scaffold(ctx, targetUri(arg), layout, command === 'New Phase' ? undefined : command);
    if (groups.length === 1) group = groups[0].group;
    else {
      const picked = await vscode.window.showQuickPick(
        [
          ...groups.map(({ group: g, folderUri }) => ({
            label: g.label,
            description: withFolder(`${g.layout} · ${g.phases.length} phase${g.phases.length === 1 ? '' : 's'}`, folderUri, data),
            group: g as GroupNode | undefined,
          })),
          { label: '$(add) New phase sequence or workstream…', description: '', group: undefined },
        ],
        {
          title: `Phasegate: ${command}`,
          placeHolder: command === 'New Phase' ? 'Where does the new phase go?' : 'Every phase has its prompt: where does the new phase go?',
        },
      );
      if (!picked) return undefined;
      if (!picked.group) return scaffold(ctx, folder?.uri, layout, command === 'New Phase' ? undefined : command);
      group = picked.group;
    }
  }
  const next = nextNumber(group);
  const options: Record<string, string | number> = { layout: group.layout, number: next };
  if (group.workstream !== null) options.workstream = group.workstream;
  // Targeting a phase of the group lets the server place the new one next to it (same parent, same workstream).
  const anchor = group.phases[group.phases.length - 1]?.uri ?? group.uri;
  // The number the server will give it: the next one, or a later one past a folder the scan leaves out.
  const n = (await plannedNumber(ctx, anchor, options)) ?? next;
  const title = await askTitle(n, `Title of phase ${n} in ${group.label}`, command);
  if (title === undefined) return undefined;
  options.title = title;
  return createPhase(ctx, anchor, options, n, group.label);
}

interface LayoutPick extends vscode.QuickPickItem {
  layout: 'audit' | 'iai';
}

/** Welcome view: the first phase of an empty workspace, in `layout` when given, else in the layout the user picks. */
export async function scaffold(
  ctx: PhasegateContext,
  folderUri?: string,
  layout?: string,
  command = 'Scaffold First Phase',
): Promise<vscode.Uri[] | undefined> {
  let folder = folderUri ? vscode.workspace.getWorkspaceFolder(vscode.Uri.parse(folderUri)) : undefined;
  if (!folder) {
    const folders = vscode.workspace.workspaceFolders ?? [];
    if (folders.length === 0) {
      void vscode.window.showInformationMessage('Phasegate: open a folder first.');
      return undefined;
    }
    folder = folders.length === 1 ? folders[0] : await vscode.window.showWorkspaceFolderPick({ placeHolder: 'Folder for the first phase' });
    if (!folder) return undefined;
  }
  // Phasegate turned off there: its phases are not shown, so a "first" phase would be one more beside them.
  if (!ctx.config.enableFor(folder.uri)) {
    void vscode.window.showWarningMessage(
      `Phasegate: Phasegate is turned off for ${folder.name} (phasegate.enable): turn it on to see its phases and create new ones.`,
    );
    return undefined;
  }
  // In a nested project (a folder of the workspace folder with a phasegate.yaml of its own), the first phase is the project's.
  const target = (folderUri && nestedProject(await ctx.tree.load(), folderUri)) ?? folder.uri.toString();
  const layouts: LayoutPick[] = [
    {
      label: 'Audit phases',
      description: 'phase-1/, phase-2/, …',
      detail: 'Brief, input and output handoffs, execution plan, decisions, findings, artifacts and a validation checklist with six gates.',
      layout: 'audit',
    },
    {
      label: 'iAI workstreams',
      description: 'workstreams/<Workstream>/<Phase>/',
      detail: 'An implementation prompt per phase, answered by a response with its tests and proof that they ran; gates Completeness, Tests, Proof.',
      layout: 'iai',
    },
  ];
  const chosen = layout ?? (await vscode.window.showQuickPick(layouts, { title: `Phasegate: ${command}`, placeHolder: 'Layout of the phases' }))?.layout;
  if (!chosen) return undefined;
  const options: Record<string, string | number> = { layout: chosen, number: 1 };
  if (chosen === 'iai') {
    const ws = await vscode.window.showInputBox({
      title: `Phasegate: ${command}`,
      prompt: 'Workstream of the first phase',
      value: 'Build',
      validateInput: validateWorkstream,
      ignoreFocusOut: true,
    });
    if (ws === undefined) return undefined;
    options.workstream = ws.trim();
  }
  const title = await askTitle(1, 'Title of the first phase', command);
  if (title === undefined) return undefined;
  options.title = title;
  return createPhase(ctx, target, options, 1, typeof options.workstream === 'string' ? options.workstream : undefined);
}
