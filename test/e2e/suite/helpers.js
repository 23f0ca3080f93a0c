// Waiting on editor events with a deadline (never a sleep), and small lookups shared by the tests.
const assert = require('node:assert/strict');
const vscode = require('vscode');

/** Resolves with the first value `check()` returns that is not undefined, re-checked on each `event`; rejects at the deadline. */
function waitFor(event, check, ms, what) {
  return new Promise((resolve, reject) => {
    let sub;
    let timer;
    const finish = (fn, v) => {
      if (sub) sub.dispose();
      clearTimeout(timer);
      fn(v);
    };
    const probe = () => {
      let v;
      try {
        v = check();
      } catch (e) {
        finish(reject, e);
        return true;
      }
      if (v !== undefined && v !== false) {
        finish(resolve, v);
        return true;
      }
      return false;
    };
    if (probe()) return;
    sub = event(() => probe());
    timer = setTimeout(() => finish(reject, new Error(`timeout after ${ms} ms waiting for ${typeof what === 'function' ? what() : what}`)), ms);
  });
}

/** The next value of `event` for which `pred` holds (the current state does not count); rejects at the deadline. */
function nextEvent(event, pred, ms, what) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`timeout after ${ms} ms waiting for ${what}`));
    }, ms);
    const sub = event((v) => {
      if (!pred(v)) return;
      clearTimeout(timer);
      sub.dispose();
      resolve(v);
    });
  });
}

function codeOf(d) {
  return typeof d.code === 'object' && d.code !== null ? String(d.code.value) : String(d.code);
}

function describeDiagnostics(uri) {
  return JSON.stringify(vscode.languages.getDiagnostics(uri).map((d) => `${d.range.start.line}:${codeOf(d)}`));
}

/** Diagnostics of `uri` once `pred` holds for them. */
function waitForDiagnostics(uri, pred, ms = 30000) {
  return waitFor(
    vscode.languages.onDidChangeDiagnostics,
    () => {
      const ds = vscode.languages.getDiagnostics(uri);
      return pred(ds) ? ds : undefined;
    },
    ms,
    () => `diagnostics of ${vscode.workspace.asRelativePath(uri)} (now ${describeDiagnostics(uri)})`,
  );
}

function wsFile(...parts) {
  const folder = vscode.workspace.workspaceFolders[0].uri;
  return vscode.Uri.joinPath(folder, ...parts);
}

/** The first line of the document at `uri` that starts with `text` (asserted to be there). */
async function lineStarting(uri, text) {
  const doc = await vscode.workspace.openTextDocument(uri);
  const line = doc
    .getText()
    .split(/\r?\n/)
    .findIndex((l) => l.startsWith(text));
  assert.ok(line >= 0, `${text} in ${vscode.workspace.asRelativePath(uri)}`);
  return line;
}

/** Locations (or location links) as `folder-relative path:line`, for assertions. */
function whereOf(locations) {
  return (locations || []).map((l) => `${vscode.workspace.asRelativePath(l.uri || l.targetUri)}:${(l.range || l.targetRange).start.line}`);
}

module.exports = { waitFor, nextEvent, waitForDiagnostics, codeOf, wsFile, lineStarting, whereOf };
