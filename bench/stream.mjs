// What keeping the workspace diagnostics up to date costs after an edit, as vscode-languageclient asks for them:
// `workspace/diagnostic` with a partial result token. dist/server.js over stdio (or the servers named), driven with
// vscode-languageserver-protocol's connection. After the index, one request (its first pass: every document's
// report); then, K times (after 3 warm-up ones), phase N's output handoff (open) changed, and the time until the
// report of phase N+1's input handoff (not open) comes, with the server's CPU time meanwhile (/proc/<pid>/stat).
//
// A server that answers the request after its first pass (as the server did before it kept it open) is asked again
// as vscode-languageclient asks (2 s after each answer; here at once): with every result id the client holds. That
// request's size is reported, and the server's CPU time to read it (`repullCpuMs`, until a request sent after it is
// answered); the change's time and CPU are those from the change to the answer. A server that keeps the request
// open (`stream`) pushes the report as a partial result: nothing is asked again. At the end, the server's heap in use
// after a full collection, while it waits for the next change (with the request asked again, for the former).
//
//   node bench/stream.mjs <workspace> [server.js …] [--edits K] [--phase N]
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as lsp from 'vscode-languageserver-protocol/node';
import { answerClientRequests, initializeParams, percentile } from './lsp.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  if (i < 0) return dflt;
  const v = args[i + 1];
  args.splice(i, 2);
  return Number(v);
};
const edits = opt('--edits', 10);
const phaseN = opt('--phase', 500);
const [ws, ...servers] = args;
if (!ws) {
  console.error('usage: node bench/stream.mjs <workspace> [server.js …] [--edits K] [--phase N]');
  process.exit(2);
}
if (!servers.length) servers.push(path.join(repo, 'dist', 'server.js'));

const TICK_MS = 1000 / 100;
/** CPU time (user + system) of a process so far, in ms (clock ticks of 10 ms). */
function cpuMs(pid) {
  const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) * TICK_MS;
}

async function measure(serverJs) {
  // --expose-gc: the server reports its heap in use after a full collection (phasegate/serverInfo).
  const proc = spawn(process.execPath, ['--expose-gc', serverJs, '--stdio'], { stdio: ['pipe', 'pipe', 'ignore'] });
  const conn = lsp.createProtocolConnection(new lsp.StreamMessageReader(proc.stdout), new lsp.StreamMessageWriter(proc.stdin));
  answerClientRequests(conn, ws);
  const progress = new Map();
  let indexed;
  const index = new Promise((r) => (indexed = r));
  conn.onNotification('$/progress', (p) => {
    progress.get(p.token)?.(p.value);
    if (p.value?.kind === 'end') indexed();
  });
  conn.onUnhandledNotification(() => undefined);
  conn.listen();
  try {
    await conn.sendRequest('initialize', initializeParams(ws));
    await conn.sendNotification('initialized', {});
    await index;
    const dir = path.join(ws, 'audit-deployment');
    const outFile = path.join(dir, `phase-${phaseN}`, '06-OUTPUT_HANDOFF.md');
    const nextUri = pathToFileURL(path.join(dir, `phase-${phaseN + 1}`, '01-INPUT_HANDOFF.md')).href;
    const lines = fs.readFileSync(outFile, 'utf8').split('\n');
    const outUri = pathToFileURL(outFile).href;
    await conn.sendNotification('textDocument/didOpen', { textDocument: { uri: outUri, languageId: 'markdown', version: 1, text: lines.join('\n') } });
    const inputLine = lines.findIndex((l) => /^- Input 3: /.test(l));
    const original = lines[inputLine];
    let version = 1;

    // The client's result ids, by URI; the reports of the next input handoff, waited for.
    const ids = new Map();
    let waiting;
    let requests = 0;
    // Reports received since the last change.
    let received = 0;
    const request = (previous) => {
      const token = `stream-${++requests}`;
      const work = `stream-work-${requests}`;
      let firstPassEnd;
      const firstPass = new Promise((r) => (firstPassEnd = r));
      progress.set(token, (v) => {
        received += v.items.length;
        for (const i of v.items) {
          if (i.resultId) ids.set(i.uri, i.resultId);
          if (i.uri === nextUri) waiting?.();
        }
      });
      progress.set(work, (v) => v.kind === 'end' && firstPassEnd());
      const params = { identifier: 'phasegate', previousResultIds: previous, partialResultToken: token, workDoneToken: work };
      const bytes = Buffer.byteLength(JSON.stringify(params));
      const answer = conn.sendRequest('workspace/diagnostic', params).then((r) => {
        for (const i of r?.items ?? []) if (i.resultId) ids.set(i.uri, i.resultId);
        return r;
      });
      return { answer, firstPass, bytes };
    };
    const t0 = performance.now();
    const c0 = cpuMs(proc.pid);
    let current = request([]);
    // The first pass: answered (a server that does not keep the request) or its work-done progress ended.
    const kept = await Promise.race([current.answer.then(() => false), current.firstPass.then(() => true)]);
    const firstPass = { ms: performance.now() - t0, cpuMs: cpuMs(proc.pid) - c0, reports: ids.size };
    const rows = [];
    for (let k = 0; k < edits + 3; k++) {
      let repull;
      if (!kept) {
        // As vscode-languageclient asks again after an answer: with every result id it holds.
        const c1 = cpuMs(proc.pid);
        current = request([...ids].map(([uri, value]) => ({ uri, value })));
        await conn.sendRequest('phasegate/serverInfo', null);
        repull = { bytes: current.bytes, cpuMs: cpuMs(proc.pid) - c1 };
      }
      const got = new Promise((r) => (waiting = r));
      lines[inputLine] = lines[inputLine] === original ? '- Input 3: withdrawn' : original;
      const t = performance.now();
      const c = cpuMs(proc.pid);
      received = 0;
      await conn.sendNotification('textDocument/didChange', {
        textDocument: { uri: outUri, version: ++version },
        contentChanges: [{ range: { start: { line: inputLine, character: 0 }, end: { line: inputLine, character: 10_000 } }, text: lines[inputLine] }],
      });
      await (kept ? got : current.answer);
      const row = {
        ms: performance.now() - t,
        cpuMs: cpuMs(proc.pid) - c,
        reports: received,
        ...(repull ? { repullBytes: repull.bytes, repullCpuMs: repull.cpuMs } : {}),
      };
      if (k >= 3) rows.push(row);
    }
    // The heap in use while the client waits for the next change: the request kept open, or the one asked again.
    if (!kept) current = request([...ids].map(([uri, value]) => ({ uri, value })));
    const info = await conn.sendRequest('phasegate/serverInfo', null);
    const med = (key) =>
      percentile(
        rows.map((r) => r[key]),
        50,
      );
    return {
      server: path.relative(repo, serverJs),
      kept,
      firstPass,
      edits: rows.length,
      changeMs: med('ms'),
      changeCpuMs: med('cpuMs'),
      reportsPerChange: med('reports'),
      ...(kept ? {} : { repullBytes: med('repullBytes'), repullCpuMs: med('repullCpuMs') }),
      liveHeapMB: info?.liveHeapBytes === undefined ? undefined : info.liveHeapBytes / 2 ** 20,
    };
  } finally {
    await conn.sendRequest('shutdown').catch(() => undefined);
    await conn.sendNotification('exit').catch(() => undefined);
    proc.kill();
  }
}

for (const s of servers) console.log(JSON.stringify(await measure(path.resolve(s))));
process.exit(0);
