/** Documents of an existing phase from their templates: any kind, a prompt, a response skeleton, an output handoff. */
import * as vscode from 'vscode';
import { DocumentNode, NewDocumentRequest } from '../../../server/src/protocol';
import type { PhasegateContext } from '../context';
import type { PhaseRef } from '../model';
import { createPlannedFiles } from './apply';
import { newPhase } from './newPhase';
import { Target, resolvePhase } from './target';

function doc(ref: PhaseRef, kind: string): DocumentNode | undefined {
  return ref.phase.documents.find((d) => d.kind === kind);
}

async function create(ctx: PhasegateContext, ref: PhaseRef, what: string, name: string): Promise<vscode.Uri[]> {
  const result = await ctx.request(NewDocumentRequest, { what, targetUri: ref.phase.uri, options: { title: ref.phase.title } });
  return createPlannedFiles(result, `${name} of ${ref.phase.id}`);
}

/** A document of the phase (folder URI `phaseUri`) that is not written yet, from its template, without asking anything. */
export async function newMissingDocument(ctx: PhasegateContext, phaseUri: string, doc: DocumentNode): Promise<vscode.Uri[] | undefined> {
  const ref = await resolvePhase(ctx, phaseUri, 'New Document');
  return ref && create(ctx, ref, doc.kind, doc.name);
}

/** Any document of a phase; from a missing document's tree node without asking anything. */
export async function newDocument(ctx: PhasegateContext, arg?: Target): Promise<vscode.Uri[] | undefined> {
  if (arg && typeof arg === 'object' && 'type' in arg && arg.type === 'document' && !arg.doc.exists) return newMissingDocument(ctx, arg.phase.uri, arg.doc);
  const ref = await resolvePhase(
    ctx,
    arg,
    'New Document',
    (r) => r.phase.documents.some((d) => !d.exists) || `every document of ${r.phase.id} exists`,
    'every document of every phase exists',
  );
  if (!ref) return undefined;
  const missing = ref.phase.documents.filter((d) => !d.exists);
  if (missing.length === 0) {
    void vscode.window.showInformationMessage(`Phasegate: every document of ${ref.phase.id} exists.`);
    return undefined;
  }
  const picked =
    missing.length === 1
      ? { d: missing[0] }
      : await vscode.window.showQuickPick(
          missing.map((d) => ({ label: d.file, description: d.name, detail: d.required ? 'required by the layout' : undefined, d })),
          { title: `Phasegate: New Document in ${ref.phase.id}`, placeHolder: 'Document to create from its template' },
        );
  return picked && create(ctx, ref, picked.d.kind, picked.d.name);
}

/** The implementation prompt of an iAI phase that has none; a new phase (which starts with its prompt) otherwise. */
export async function newPrompt(ctx: PhasegateContext, arg?: Target): Promise<vscode.Uri[] | undefined> {
  const data = await ctx.tree.load();
  const lacking = (r: PhaseRef) => doc(r, 'prompt')?.exists === false || `${r.phase.id} has its implementation prompt already`;
  const anyLacking = (data?.folders ?? []).some((f) => f.groups.some((g) => g.phases.some((p) => p.documents.some((d) => d.kind === 'prompt' && !d.exists))));
  if (!anyLacking) return newPhase(ctx, arg, 'iai', 'New Implementation Prompt');
  const ref = await resolvePhase(ctx, arg, 'New Implementation Prompt', lacking);
  return ref && create(ctx, ref, 'prompt', 'implementation prompt');
}

/** The response skeleton of a prompt: its deliverables, Tests and Execution Proof sections to fill. */
export async function newResponse(ctx: PhasegateContext, arg?: Target): Promise<vscode.Uri[] | undefined> {
  const ref = await resolvePhase(
    ctx,
    arg,
    'New Response Skeleton',
    (r) =>
      doc(r, 'response')?.exists === true
        ? `${r.phase.id} has its response already`
        : doc(r, 'prompt')?.exists === true || `${r.phase.id} has no implementation prompt to respond to`,
    'every implementation prompt has its response',
  );
  return ref && create(ctx, ref, 'response', 'response skeleton');
}

/** The output handoff of an audit phase. */
export async function newHandoff(ctx: PhasegateContext, arg?: Target): Promise<vscode.Uri[] | undefined> {
  const ref = await resolvePhase(
    ctx,
    arg,
    'New Output Handoff',
    (r) => doc(r, 'output-handoff')?.exists === false || `${r.phase.id} has its output handoff already`,
    'every phase that hands off has its output handoff',
  );
  return ref && create(ctx, ref, 'handoff', 'output handoff');
}
