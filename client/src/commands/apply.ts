/** Writing what the server plans: files are created through a WorkspaceEdit and never overwrite anything. */
import * as vscode from 'vscode';
import { NewDocumentResult } from '../../../server/src/protocol';

async function exists(uri: vscode.Uri): Promise<boolean> {
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
  if (created.length && !(await vscode.workspace.applyEdit(edit))) {
    void vscode.window.showErrorMessage(`Phasegate: could not create ${what}.`);
    return [];
  }
  const target = [...created, ...kept].find((u) => open?.(u)) ?? created[0] ?? kept[0];
  if (target && /\.(md|markdown)$/i.test(target.path)) await vscode.window.showTextDocument(target, { preview: false });
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
