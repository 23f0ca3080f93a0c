/** Resolving what a command acts on: a tree node, a URI argument, the active editor, or the user's pick. */
import * as vscode from 'vscode';
import { GroupNode, PhasesResult } from '../../../server/src/protocol';
import type { PhasegateContext } from '../context';
import { PHASE_STATUS_LABEL, PhaseRef, allPhases, phaseAt } from '../model';
import type { PhaseTreeNode } from '../tree';

/** A command argument: a tree node, a URI, or a URI string. */
export type Target = PhaseTreeNode | vscode.Uri | string | undefined;

export function targetUri(arg: Target): string | undefined {
  if (!arg) return undefined;
  if (typeof arg === 'string') return arg;
  if (arg instanceof vscode.Uri) return arg.toString();
  switch (arg.type) {
    case 'phase':
    case 'findings':
    case 'gates':
    case 'gate':
      return arg.ref.phase.uri;
    case 'finding':
      return arg.uri;
    case 'document':
      return arg.doc.uri;
    case 'group':
      return arg.group.uri;
    case 'folder':
      return arg.folder.uri;
    case 'plan':
      return arg.uri;
    default:
      return undefined;
  }
}

/** The phase a command argument or the active editor points into. */
export function phaseOfTarget(data: PhasesResult | undefined, arg: Target): PhaseRef | undefined {
  const uri = targetUri(arg) ?? vscode.window.activeTextEditor?.document.uri.toString();
  return uri ? phaseAt(data, uri) : undefined;
}

/** Why `uri`, named as a command's target, is in no phase of `data`. */
function notInPhase(ctx: PhasegateContext, data: PhasesResult | undefined, uri: string): string {
  const u = vscode.Uri.parse(uri);
  const name = u.scheme === 'file' ? vscode.workspace.asRelativePath(u) : uri;
  if (u.scheme !== 'file') return `${name} is not a file on disk (a ${u.scheme}: document), so it is in no phase`;
  const folder = vscode.workspace.getWorkspaceFolder(u);
  if (!folder) return `${name} is outside the workspace folders, so it is in no phase`;
  if (!ctx.config.enableFor(u) || data?.folders.find((f) => f.uri === folder.uri.toString())?.disabled)
    return `Phasegate is turned off for ${folder.name} (phasegate.enable), so ${name} is in no phase`;
  if (!data) return `the phases of ${folder.name} are not available (the Phasegate language server is not running)`;
  return `${name} is in no phase`;
}

/**
 * The folder's name beside a pick's description when the workspace has several folders, or nested projects
 * (`data`'s folders with a `workspaceFolderUri`, named by their path): the same phase or workstream name may
 * be in more than one.
 */
export function withFolder(description: string, folderUri: string, data?: PhasesResult): string {
  const folders = vscode.workspace.workspaceFolders ?? [];
  const nested = data?.folders.filter((f) => f.workspaceFolderUri !== undefined) ?? [];
  if (folders.length < 2 && !nested.length) return description;
  const project = nested.find((f) => f.uri === folderUri);
  const folder = folders.find((f) => f.uri.toString() === folderUri) ?? vscode.workspace.getWorkspaceFolder(vscode.Uri.parse(folderUri));
  const name = project?.name ?? folder?.name;
  return name ? [name, description].filter(Boolean).join(' · ') : description;
}

/**
 * The nested project of the tree (a folder inside a workspace folder with a phasegate.yaml of its own) that
 * `uri` is or lies in, the innermost: its URI, else undefined.
 */
export function nestedProject(data: PhasesResult | undefined, uri: string): string | undefined {
  const within = (folder: string) => uri === folder || uri.startsWith(folder.endsWith('/') ? folder : folder + '/');
  const holding = (data?.folders ?? []).filter((f) => f.workspaceFolderUri !== undefined && within(f.uri));
  return holding.sort((a, b) => b.uri.length - a.uri.length)[0]?.uri;
}

/** Whether a command applies to a phase: `true`, or why not (`phase-3 has its output handoff already`). */
export type Applies = (r: PhaseRef) => boolean | string;

function reasonOf(applies: Applies, r: PhaseRef, title: string): string {
  const a = applies(r);
  return typeof a === 'string' ? a : `${title} does not apply to ${r.phase.id}`;
}

/** The workspace folders Phasegate is turned off for (`phasegate.enable`), by name; empty when it is on for some. */
function offEverywhere(ctx: PhasegateContext, data: PhasesResult | undefined): string[] {
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length === 0 || folders.some((f) => ctx.config.enableFor(f.uri) && !data?.folders.find((d) => d.uri === f.uri.toString())?.disabled)) return [];
  return folders.map((f) => f.name);
}

/**
 * What the user is told when a command applies to no phase. The reasons that are not the phases' come
 * first: Phasegate turned off in every folder, no phase at all, the active editor in a folder Phasegate is
 * turned off for. Then why the editor's phase does not qualify (`why`), else what the phases lack (`none`).
 */
function noPhaseMessage(ctx: PhasegateContext, data: PhasesResult | undefined, title: string, why: string | undefined, none: string | undefined): string {
  if (!data) return `Phasegate: ${title}: the phases are not available (the Phasegate language server is not running).`;
  const off = offEverywhere(ctx, data);
  if (off.length) return `Phasegate: ${title}: Phasegate is turned off for ${off.join(', ')} (phasegate.enable).`;
  if (allPhases(data).length === 0) return `Phasegate: ${title}: there is no phase in this workspace yet (Phasegate: Scaffold First Phase… creates one).`;
  const editor = vscode.window.activeTextEditor?.document.uri;
  if (!why && editor?.scheme === 'file' && vscode.workspace.getWorkspaceFolder(editor) && !ctx.config.enableFor(editor))
    return `Phasegate: ${title}: ${notInPhase(ctx, data, editor.toString())}, and ${none ?? 'no other phase it applies to'}.`;
  if (why) return `Phasegate: ${why}, and no other phase needs it.`;
  return `Phasegate: ${title}: ${none ?? 'no phase it applies to'}.`;
}

/**
 * The phase to act on: the argument's or the active editor's, else one the user picks among the phases
 * it applies to. Without an argument or an editor in a phase, the only such phase is taken without
 * asking; when the editor's phase is not one, the user is always asked (never a silent switch to another
 * phase), and told why. An argument in no phase (a diff's git: side, a file outside the phases, a folder
 * Phasegate is turned off for) acts on nothing: the user is told why. When no phase qualifies, the user
 * is told why: `none` says what the phases lack (`every document of every phase exists`), unless
 * Phasegate is turned off or there are no phases.
 */
export async function resolvePhase(
  ctx: PhasegateContext,
  arg: Target,
  title: string,
  applies: Applies = () => true,
  none?: string,
): Promise<PhaseRef | undefined> {
  const data = await ctx.tree.load();
  const direct = phaseOfTarget(data, arg);
  const explicit = targetUri(arg);
  if (explicit && !direct) {
    void vscode.window.showWarningMessage(`Phasegate: ${title}: ${notInPhase(ctx, data, explicit)}.`);
    return undefined;
  }
  if (direct && applies(direct) === true) return direct;
  const why = direct ? reasonOf(applies, direct, title) : undefined;
  if (direct && explicit) {
    // An explicit target that does not qualify: say why instead of asking about another phase.
    void vscode.window.showWarningMessage(`Phasegate: ${why}.`);
    return undefined;
  }
  const candidates = allPhases(data).filter((r) => applies(r) === true);
  if (candidates.length === 0) {
    void vscode.window.showInformationMessage(noPhaseMessage(ctx, data, title, why, none));
    return undefined;
  }
  if (candidates.length === 1 && !direct) return candidates[0];
  const picked = await vscode.window.showQuickPick(
    candidates.map((r) => ({
      label: r.phase.id,
      description: withFolder(PHASE_STATUS_LABEL[r.phase.status], r.folderUri, data),
      detail: r.phase.title !== r.phase.id ? r.phase.title : undefined,
      ref: r,
    })),
    {
      title: `Phasegate: ${title}`,
      placeHolder: why ? `${why}: select another phase` : 'Select a phase',
      matchOnDescription: true,
      matchOnDetail: true,
    },
  );
  return picked?.ref;
}

/** Groups (phase sequences and workstreams) of the workspace. */
export function allGroups(data: PhasesResult | undefined): { group: GroupNode; folderUri: string }[] {
  return (data?.folders ?? []).flatMap((f) => f.groups.map((group) => ({ group, folderUri: f.uri })));
}
