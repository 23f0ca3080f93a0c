/** Writing what the server plans: files are created through a WorkspaceEdit and never overwrite anything. */
import * as vscode from 'vscode';
import type { TextDocumentEdit } from 'vscode-languageserver-protocol';
import { NewDocumentResult, SelectAfterFixArgs } from '../../../server/src/protocol';

/** Whether a file or folder is at `uri`. */
export async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

/**
 * Creates the planned files that do not exist (re-checked here: the disk may have changed since the server
 * planned them), opens the first `open` match (or the first created file) and reports what was kept.
 * Returns the created URIs.
 */
export async function createPlannedFiles(result: NewDocumentResult, what: string, open?: (uri: vscode.Uri) => boolean): Promise<vscode.Uri[]> {
  if (result.errors.length) {
    void vscode.window.showErrorMessage(`Phasegate: cannot create ${what}: ${result.errors.join('; ')}`);
    return [];
  }
  const edit = new vscode.WorkspaceEdit();
  const created: vscode.Uri[] = [];
  const kept: vscode.Uri[] = [];
  const encoder = new TextEncoder();
  for (const f of result.files) {
    const uri = vscode.Uri.parse(f.uri);
    if (f.exists || (await exists(uri))) {
      kept.push(uri);
      continue;
    }
    edit.createFile(uri, { ignoreIfExists: true, contents: encoder.encode(f.text) });
    created.push(uri);
  }
  // The text edits that go with the files (a new iAI phase's row in the project plan): only when every
  // planned file is created here, and only on the version of the document the server planned them on.
  const plannedNew = result.files.filter((f) => !f.exists).length;
  const others = (result.edit?.documentChanges ?? []).filter(
    (c): c is TextDocumentEdit => 'textDocument' in c && 'edits' in c && !result.files.some((f) => f.uri === c.textDocument.uri),
  );
  const updated: vscode.Uri[] = [];
  if (created.length && created.length === plannedNew) {
    for (const c of others) {
      const uri = vscode.Uri.parse(c.textDocument.uri);
      const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
      if (c.textDocument.version !== null && open?.version !== c.textDocument.version) continue;
      if (c.textDocument.version === null && open?.isDirty) continue;
      for (const e of c.edits) {
        if (!('newText' in e)) continue;
        const r = new vscode.Range(e.range.start.line, e.range.start.character, e.range.end.line, e.range.end.character);
        edit.replace(uri, r, e.newText);
      }
      updated.push(uri);
    }
  }
  if (created.length && !(await vscode.workspace.applyEdit(edit))) {
    void vscode.window.showErrorMessage(`Phasegate: could not create ${what}.`);
    return [];
  }
  const target = [...created, ...kept].find((u) => open?.(u)) ?? created[0] ?? kept[0];
  if (target && /\.(md|markdown)$/i.test(target.path)) await vscode.window.showTextDocument(target, { preview: false });
  if (updated.length) {
    // The edit leaves the files changed in their editors, not saved (as a refactoring does): said so.
    void vscode.window.showInformationMessage(
      `Phasegate: updated ${updated.map((u) => vscode.workspace.asRelativePath(u)).join(', ')} for ${what} (not saved yet).`,
    );
  }
  if (kept.length) {
    const names = kept.map((u) => vscode.workspace.asRelativePath(u)).join(', ');
    void vscode.window.showInformationMessage(
      created.length
        ? `Phasegate: created ${created.length} file(s); kept the existing ${names}.`
        : `Phasegate: ${names} exists already; nothing was overwritten.`,
    );
  }
  return created;
}

/**
 * After a quick fix's edit (the server's `Commands.selectAfterFix`): the editor of the document selects the range
 * the server names in the text the edit left (a section's placeholder, to type over) and shows it. Nothing when
 * the document is not open in an editor (the fix ran from elsewhere) or the range is not in its text any more.
 */
export async function selectAfterFix(args: SelectAfterFixArgs | undefined): Promise<void> {
  if (!args || typeof args.uri !== 'string' || !args.range) return;
  const same = (e: vscode.TextEditor) => e.document.uri.toString() === vscode.Uri.parse(args.uri).toString();
  const active = vscode.window.activeTextEditor;
  const editor = active && same(active) ? active : vscode.window.visibleTextEditors.find(same);
  if (!editor) return;
  const { start, end } = args.range;
  const range = new vscode.Range(start.line, start.character, end.line, end.character);
  if (!editor.document.validateRange(range).isEqual(range)) return;
  const shown = editor === active ? editor : await vscode.window.showTextDocument(editor.document, { viewColumn: editor.viewColumn });
  shown.selection = new vscode.Selection(range.start, range.end);
  shown.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}
