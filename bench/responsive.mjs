// How the language server answers while it indexes a workspace: dist/server.js over stdio, driven with
// vscode-languageserver-protocol's connection. From `initialized` to the end of the index (the
// workDoneProgress end), requests (phasegate/serverInfo, which reads no engine: its answer tells that the
// event loop ran) are sent one at a time, each a millisecond after the answer to the one before, as the
// fourteenth round measured. Reports the index time, the requests' median latency, and the longest time a
// request stayed unanswered: about the longest stretch in which the server's event loop did not run.
// (Sent every millisecond whatever the answers, requests would queue up behind each other: vscode-jsonrpc
// handles one message per turn of the event loop, and the engine gives it one turn per slice.)
//
//   node bench/responsive.mjs <workspace> [server.js …] [--runs K] [--json]
//   Several servers (builds) are run in turn, K times each, alternating (default: dist/server.js, 3 runs).
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as lsp from 'vscode-languageserver-protocol/node';
import { answerClientRequests, initializeParams } from './lsp.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** One run; `trace`: each request's sending time (ms from `initialized`) and latency, too. */
export async function measureResponsiveness(serverJs, ws, { periodMs = 1, timeoutMs = 120_000, trace = false } = {}) {
  const proc = spawn(process.execPath, [serverJs, '--stdio'], { stdio: ['pipe', 'pipe', 'ignore'] });
  const conn = lsp.createProtocolConnection(new lsp.StreamMessageReader(proc.stdout), new lsp.StreamMessageWriter(proc.stdin));
  let endT;
  let ended;
  const end = new Promise((r) => (ended = r));
  answerClientRequests(conn, ws);
  conn.onNotification('$/progress', (p) => {
    if (p.value?.kind === 'end' && endT === undefined) {
      endT = performance.now();
      ended();
    }
  });
  conn.onUnhandledNotification(() => undefined);
  conn.listen();
  await conn.sendRequest('initialize', initializeParams(ws));
  const t0 = performance.now();
  await conn.sendNotification('initialized', {});
  /** [sent, answered] of each request. */
  const reqs = [];
  while (endT === undefined && performance.now() - t0 < timeoutMs) {
    const r = [performance.now(), undefined];
    reqs.push(r);
    await conn.sendRequest('phasegate/serverInfo', null);
    r[1] = performance.now();
    await Promise.race([end, new Promise((res) => setTimeout(res, periodMs))]);
  }
  await conn.sendRequest('shutdown').catch(() => undefined);
  await conn.sendNotification('exit');
  setTimeout(() => proc.kill(), 1000).unref();
  conn.dispose();
  // The requests sent before the end of the index; one at a time, so the longest unanswered gap is the
  // longest latency.
  const during = reqs.filter(([sent]) => endT === undefined || sent <= endT);
  const lat = during.map(([sent, answered]) => answered - sent).sort((x, y) => x - y);
  return {
    indexMs: endT === undefined ? undefined : endT - t0,
    requests: lat.length,
    medianMs: lat[lat.length >> 1],
    p95Ms: lat[Math.floor(lat.length * 0.95)],
    longestGapMs: lat[lat.length - 1],
    ...(trace ? { trace: during.map(([s, a]) => [Math.round(s - t0), Math.round(a - s)]) } : {}),
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const args = process.argv.slice(2);
  const ri = args.indexOf('--runs');
  const runs = ri >= 0 ? Number(args[ri + 1]) : 3;
  const json = args.includes('--json');
  const plain = args.filter((a, i) => !a.startsWith('--') && !(ri >= 0 && i === ri + 1));
  const ws = plain[0] && path.resolve(plain[0]);
  if (!ws) {
    process.stderr.write('usage: node bench/responsive.mjs <workspace> [server.js …] [--runs K] [--json]\n');
    process.exit(2);
  }
  const servers = plain.length > 1 ? plain.slice(1).map((s) => path.resolve(s)) : [path.join(repo, 'dist/server.js')];
  const results = [];
  const f = (x) => (x === undefined ? '-' : x.toFixed(1));
  for (let k = 0; k < runs; k++)
    for (const s of servers) {
      const r = { server: s, run: k + 1, ...(await measureResponsiveness(s, ws)) };
      results.push(r);
      if (!json)
        console.log(
          `${path.relative(process.cwd(), s)} run ${k + 1}: index ${f(r.indexMs)} ms; ${r.requests} requests: median ${f(r.medianMs)} ms, p95 ${f(r.p95Ms)} ms; longest unanswered ${f(r.longestGapMs)} ms`,
        );
    }
  if (json) console.log(JSON.stringify(results, null, 1));
}
