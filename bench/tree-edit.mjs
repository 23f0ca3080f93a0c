// The Phases view over a workspace, at the protocol: dist/server.js over stdio, the time from `initialized` to the
// first phase tree and until every phase is checked, then the tree after an edit of one document (a line of phase
// K's document changed, then restored: each change followed by `phasegate/phases` with `since`, once the server's
// `phasegate/didChangePhases` has come), median and p95 over --edits changes.
//
//   node bench/tree-edit.mjs <ws> --file <path in ws> [--line L] [--edits E] [--server dist/server.js]
//
// With bench/scaffolded.mjs's workspace (a line of a document `new` wrote: the phase starts, then is not started again).
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as lsp from 'vscode-languageserver-protocol/node';
import { answerClientRequests, followChecking, initializeParams, percentile, requestPhases } from './lsp.mjs';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const ws = path.resolve(process.argv[2]);
const file = path.join(ws, arg('--file'));
const edits = Number(arg('--edits', '20'));
const serverJs = path.resolve(arg('--server', 'dist/server.js'));
const proc = spawn(process.execPath, [serverJs, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
const conn = lsp.createProtocolConnection(new lsp.StreamMessageReader(proc.stdout), new lsp.StreamMessageWriter(proc.stdin));
const parts = new Map();
let waiters = [];
const next = (type) => new Promise((resolve) => waiters.push({ type, resolve }));
const fire = (type) => {
  const w = waiters.filter((x) => x.type === type);
  waiters = waiters.filter((x) => x.type !== type);
  for (const x of w) x.resolve(performance.now());
};
answerClientRequests(conn, ws);
conn.onNotification('$/progress', (p) => {
  parts.get(p.token)?.(p.value);
  if (p.value?.kind === 'end') fire('end');
});
conn.onNotification('phasegate/didChangePhases', () => fire('phases'));
conn.onUnhandledNotification(() => undefined);
conn.listen();

await conn.sendRequest('initialize', initializeParams(ws));
const indexed = next('end');
const t0 = performance.now();
await conn.sendNotification('initialized', {});
await indexed;
const tIndex = performance.now() - t0;
const first = await requestPhases(conn, parts, {});
const tTree = performance.now() - t0;
const followed = await followChecking(conn, parts, first, () => next('phases'));
const tAll = performance.now() - t0;

const text = fs.readFileSync(file, 'utf8');
const lines = text.split('\n');
const line = Number(arg('--line', String(lines.findIndex((l) => /^\[.*\]$/.test(l.trim())))));
const uri = pathToFileURL(file).href;
await conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'markdown', version: 1, text } });
let held = (await requestPhases(conn, parts, {})).response;
let version = 1;
const times = [];
const statuses = new Set();
for (let i = 0; i < edits + 3; i++) {
  const old = lines[line];
  lines[line] = i % 2 === 0 ? `${old} Written in.` : old.replace(/ Written in\.$/, '');
  const changed = next('phases');
  await conn.sendNotification('textDocument/didChange', {
    textDocument: { uri, version: ++version },
    contentChanges: [{ range: { start: { line, character: 0 }, end: { line, character: old.length } }, text: lines[line] }],
  });
  await changed;
  const a = performance.now();
  const r = await requestPhases(conn, parts, { since: held.id });
  if (i >= 3) times.push(performance.now() - a);
  held = r.response;
  for (const p of r.phases.values()) if (p.uri && file.startsWith(decodeURIComponent(new URL(p.uri).pathname).replace(/\/?$/, '/'))) statuses.add(p.status);
}
const res = {
  indexMs: Math.round(tIndex),
  firstTreeMs: Math.round(tTree),
  everyPhaseCheckedMs: Math.round(tAll),
  checkingAtFirst: followed.checkingAtFirst,
  treeAfterEdit: { n: times.length, medianMs: +percentile(times, 50).toFixed(1), p95Ms: +percentile(times, 95).toFixed(1) },
  editedPhaseStatuses: [...statuses],
};
process.stdout.write(JSON.stringify(res) + '\n');
await conn.sendRequest('shutdown');
await conn.sendNotification('exit');
conn.dispose();
proc.kill();
