/** A finding of an audit phase (in its 03-FINDINGS/) and the project plan of an iAI project, from their templates. */
import * as vscode from 'vscode';
import { NewDocumentRequest } from '../../../server/src/protocol';
import type { PhasegateContext } from '../context';
import { iaiProjects, isInside, keepsFindings, normUri } from '../model';
import { createPlannedFiles } from './apply';
import { Target, resolvePhase, targetUri } from './target';

/** A finding's title names its file: one line, not too long; empty numbers it (`finding-N.md`). */
function validateFindingTitle(value: string): string | undefined {
  if (/[\r\n]/.test(value)) return 'One line, please.';
  if (value.trim().length > 120) return 'Keep the title under 120 characters.';
  return undefined;
}

/**
 * A finding in an audit phase (the argument's, the active editor's, or one picked), titled `title`, else by
 * what the user types (an empty title gives `finding-N.md`).
 */
export async function newFinding(ctx: PhasegateContext, arg?: Target, title?: unknown): Promise<vscode.Uri[] | undefined> {
  const ref = await resolvePhase(
    ctx,
    arg,
    'New Finding',
    (r) => keepsFindings(r.phase.layout) || `${r.phase.id} keeps no findings (only audit phases have 03-FINDINGS/)`,
    'no audit phase (phase-N/, with its 03-FINDINGS/) in this workspace',
  );
  if (!ref) return undefined;
  let t = typeof title === 'string' ? title : undefined;
  if (t === undefined) {
    t = await vscode.window.showInputBox({
      title: `Phasegate: New Finding in ${ref.phase.id}`,
      prompt: 'Title of the finding (empty: a numbered finding-N.md)',
      placeHolder: 'e.g. Outdated dependencies',
      validateInput: validateFindingTitle,
      ignoreFocusOut: true,
    });
    if (t === undefined) return undefined;
  }
  const options: Record<string, string> = {};
  if (t.trim()) options.title = t.trim();
  const result = await ctx.request(NewDocumentRequest, { what: 'finding', targetUri: ref.phase.uri, options });
  return createPlannedFiles(result, `a finding of ${ref.phase.id}`);
}

/**
 * The project plan (`project_implementation_plan.md`) of an iAI project: the argument's (a tree node, a
 * folder or a file inside the project), else the one project without a plan, or one picked among them.
 * Never overwrites a plan.
 */
export async function newPlan(ctx: PhasegateContext, arg?: Target): Promise<vscode.Uri[] | undefined> {
  const data = await ctx.tree.load();
  const projects = iaiProjects(data);
  const uri = targetUri(arg);
  let target: string | undefined;
  if (uri) {
    // The project holding the target, else the projects inside it (a workspace folder node).
    const holding = projects.filter((p) => isInside(p.uri, normUri(uri))).sort((a, b) => b.uri.length - a.uri.length)[0];
    const within = projects.filter((p) => isInside(uri, p.uri) && !p.hasPlan);
    target = holding?.uri ?? (within.length === 1 ? within[0].uri : uri);
  } else {
    const lacking = projects.filter((p) => !p.hasPlan);
    if (lacking.length === 0) {
      void vscode.window.showInformationMessage(
        projects.length
          ? 'Phasegate: every iAI project has its project plan.'
          : 'Phasegate: no iAI project (workstreams/<Workstream>/<Phase>/) in this workspace.',
      );
      return undefined;
    }
    if (lacking.length === 1) target = lacking[0].uri;
    else {
      const picked = await vscode.window.showQuickPick(
        lacking.map((p) => ({ label: vscode.workspace.asRelativePath(vscode.Uri.parse(p.uri), true) || p.uri, p })),
        { title: 'Phasegate: New Project Plan', placeHolder: 'iAI project without a plan' },
      );
      if (!picked) return undefined;
      target = picked.p.uri;
    }
  }
  const result = await ctx.request(NewDocumentRequest, { what: 'plan', targetUri: target, options: {} });
  return createPlannedFiles(result, 'the project plan');
}
