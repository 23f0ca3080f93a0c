// How the language server answers while it indexes a workspace: dist/server.js over stdio, driven with
// vscode-languageserver-protocol's connection. From `initialized` to the end of the index (the
// workDoneProgress end), requests (phasegate/serverInfo, which reads no engine: its answer tells that the
// event loop ran) are sent one at a time, each a millisecond after the answer to the one before, as the
// fourteenth round measured. Reports the index time, the requests' median latency, and the longest time a
// request stayed unanswered: about the longest stretch in which the server's event loop did not run.
// (Sent every millisecond whatever the answers, requests would queue up behind each other: vscode-jsonrpc
// handles one message per turn of the event loop, and the engine gives it one turn per slice.)
//
//
// `--after events`: after the index, a file is written in the workspace's first phase folder (its findings
// folder when it has one) and `workspace/didChangeWatchedFiles` says it was created; then it is deleted and
// said so. For each, requests are sent one at a time as above from the event to the end of its handling (the
// `phasegate/didChangePhases` notice that follows, sent 250 ms after it), and the handling time is that
// notice's less those 250 ms (with the server's 50 ms batching of events). The file is deleted whatever happens.
// `--after overlay`: after the index, the editor opens a document that is not on disk in a phase folder (a new
// `06-OUTPUT_HANDOFF.md` not saved yet, in the first phase folder that lacks one; else a new Markdown file in the
// first phase folder): `textDocument/didOpen`, then `textDocument/didClose` (closed unsaved). For each, requests are
// sent one at a time as for `events`, up to the `phasegate/didChangePhases` notice that follows (250 ms after
// the change), and the handling time is that notice's less those 250 ms. Nothing is written to disk.
// `--after phases` / `--after diagnostic`: after the index, the first `phasegate/phases` (every phase's node;
// those not checked yet `checking`, see below) or the first `workspace/diagnostic`, with requests one at a time until it is
// answered: the answer's time, and the longest time a request stayed unanswered meanwhile (a `workspace/diagnostic`
// request that the server keeps open after its first pass is answered once cancelled: the end of its work-done
// progress counts as its answer, the first pass being done; the request is then cancelled). The
// `workspace/diagnostic` request passes a `partialResultToken`, as VS Code does, and so does the `phasegate/phases`
// one, as the Phases view does: the times of the first and the last partial result (`$/progress`) are reported too,
// with their count and the largest one's size; the bytes are those of the answer and of every partial result.
// For `phases`, the first answer may list phases not checked yet (`checking`): the tree is then followed as the
// client follows it (each `phasegate/didChangePhases` notice, then a request with `since`, its `changed` applied)
// until no phase is `checking`: `lastCheckedMs` is when that answer came (from the first request on), with the
// requests one at a time meanwhile too; `checkingAtFirst` counts the phases the first answer left `checking`.
//
// With `--no-pings`, no request is sent after the index: the answer's (or the handling's) time alone.
//
//   node bench/responsive.mjs <workspace> [server.js …] [--runs K] [--json] [--after events|overlay|phases|diagnostic] [--no-pings]
//   Several servers (builds) are run in turn, K times each, alternating (default: dist/server.js, 3 runs).
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as lsp from 'vscode-languageserver-protocol/node';
import { answerClientRequests, followChecking, initializeParams, requestPhases } from './lsp.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Sends `phasegate/serverInfo` one at a time (each `periodMs` after the answer to the one before) until `done`
 * settles: [sent, answered] of each.
 */
async function pingUntil(conn, done, periodMs, timeoutMs) {
  if (periodMs === Infinity) {
    await done;
    return [];
  }
  let over = false;
  const end = Promise.resolve(done).finally(() => (over = true));
  const t0 = performance.now();
  const reqs = [];
  while (!over && performance.now() - t0 < timeoutMs) {
    const r = [performance.now(), undefined];
    reqs.push(r);
    await conn.sendRequest('phasegate/serverInfo', null);
    r[1] = performance.now();
    await Promise.race([end, new Promise((res) => setTimeout(res, periodMs))]);
  }
  await end;
  return reqs;
}

/** The longest latency of `reqs` (one at a time: the longest unanswered stretch), when it began (ms after `t0`), and how many. */
function longest(reqs, t0) {
  let at = 0;
  let gap = 0;
  for (const [s, a] of reqs) if (a - s > gap) [gap, at] = [a - s, s - t0];
  return { requests: reqs.length, longestGapMs: gap, longestAtMs: at };
}

/**
 * The first phase folder of `ws` (sorted by name, depth first) whose entries' names pass `accept` (any by default),
 * where a created file joins a phase.
 */
function firstPhaseFolder(dir, accept = () => true) {
  const names = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
  if (names.some((e) => e.isFile() && /^(00-PHASE_BRIEF|implementation_prompt)\.md$/.test(e.name))) return accept(names.map((e) => e.name)) ? dir : undefined;
  for (const e of names) {
    if (!e.isDirectory() || e.name.startsWith('.') || e.name === 'node_modules') continue;
    const found = firstPhaseFolder(path.join(dir, e.name), accept);
    if (found) return found;
  }
  return undefined;
}

/**
 * A change's handling: `send` it, then requests one at a time up to the `phasegate/didChangePhases` notice that
 * follows (sent 250 ms after the change is handled): the handling time and the longest unanswered request.
 */
async function measureChange(conn, notices, send, { periodMs, timeoutMs }) {
  const notice = notices.next();
  const t = performance.now();
  await send();
  const reqs = await pingUntil(conn, notice, periodMs, timeoutMs);
  return { handledMs: notices.last - t - 250, ...longest(reqs, t) };
}

/** After the index: what `after` measures (see the header). */
async function measureAfter(conn, ws, after, notices, partials, { periodMs, timeoutMs }) {
  if (after === 'overlay') {
    const bare = firstPhaseFolder(ws, (names) => !names.includes('06-OUTPUT_HANDOFF.md'));
    const phase = bare ?? firstPhaseFolder(ws);
    if (!phase) throw new Error(`no phase folder in ${ws}`);
    const file = path.join(phase, bare ? '06-OUTPUT_HANDOFF.md' : 'zz-responsive-overlay.md');
    if (fs.existsSync(file)) throw new Error(`${file} is on disk`);
    const uri = pathToFileURL(file).href;
    const text = '# Output handoff\n\nWritten in the editor by bench/responsive.mjs, not saved.\n';
    const out = { file: path.relative(ws, file) };
    for (const [kind, send] of [
      ['opened', () => conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'markdown', version: 1, text } })],
      ['closed', () => conn.sendNotification('textDocument/didClose', { textDocument: { uri } })],
    ])
      out[kind] = await measureChange(conn, notices, send, { periodMs, timeoutMs });
    return out;
  }
  if (after === 'events') {
    const phase = firstPhaseFolder(ws);
    if (!phase) throw new Error(`no phase folder in ${ws}`);
    const findings = path.join(phase, '03-FINDINGS');
    const file = path.join(fs.existsSync(findings) ? findings : phase, 'zz-responsive-bench.md');
    const out = {};
    const cleanup = () => fs.rmSync(file, { force: true });
    process.once('exit', cleanup);
    try {
      for (const [kind, type, act] of [
        ['created', 1, () => fs.writeFileSync(file, '# A finding\n\nWritten by bench/responsive.mjs.\n')],
        ['deleted', 3, cleanup],
      ]) {
        act();
        const send = () => conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(file).href, type }] });
        out[kind] = await measureChange(conn, notices, send, { periodMs, timeoutMs });
      }
    } finally {
      cleanup();
      process.off('exit', cleanup);
    }
    return out;
  }
  const t = performance.now();
  let answeredAt;
  // The partial results of the request: [time, bytes] of each.
  const chunks = [];
  const partialResultToken = 'responsive-diagnostic';
  const chunk = (value) => chunks.push([performance.now(), JSON.stringify(value).length]);
  partials.set(partialResultToken, chunk);
  // A server that keeps the workspace diagnostics request open ends its work-done progress after the first pass
  // (every document's report sent): that counts as the answer, and the request is cancelled (then answered, empty).
  const workDoneToken = 'responsive-diagnostic-work';
  const cancel = new lsp.CancellationTokenSource();
  let firstPassEnd;
  const firstPass = new Promise((r) => (firstPassEnd = r));
  partials.set(workDoneToken, (v) => v?.kind === 'end' && firstPassEnd());
  const response =
    after === 'phases'
      ? requestPhases(conn, partials, {}, chunk)
      : conn.sendRequest('workspace/diagnostic', { identifier: 'phasegate', previousResultIds: [], partialResultToken, workDoneToken }, cancel.token);
  const answer = Promise.race([response, firstPass.then(() => ({ items: [] }))]).then((r) => {
    answeredAt = performance.now();
    return r;
  });
  const reqs = await pingUntil(conn, answer, periodMs, timeoutMs);
  cancel.cancel();
  await response;
  partials.delete(partialResultToken);
  partials.delete(workDoneToken);
  const answerBytes = JSON.stringify(after === 'phases' ? (await answer).response : await answer).length + chunks.reduce((n, [, b]) => n + b, 0);
  const streamed = chunks.length
    ? {
        chunks: chunks.length,
        firstChunkMs: chunks[0][0] - t,
        lastChunkMs: chunks[chunks.length - 1][0] - t,
        largestChunkBytes: Math.max(...chunks.map(([, b]) => b)),
      }
    : {};
  const out = { answerMs: answeredAt - t, answerBytes, ...streamed, ...longest(reqs, t) };
  if (after === 'phases') {
    const all = followChecking(conn, partials, await answer, () => notices.next());
    const more = await pingUntil(conn, all, periodMs, timeoutMs);
    const { checkingAtFirst, updates } = await all;
    Object.assign(out, { checkingAtFirst, updates, lastCheckedMs: performance.now() - t, longestGapToLastMs: longest([...reqs, ...more], t).longestGapMs });
  }
  return { [after]: out };
}

/** One run; `trace`: each request's sending time (ms from `initialized`) and latency, too. */
export async function measureResponsiveness(serverJs, ws, { periodMs = 1, timeoutMs = 120_000, trace = false, after, afterPeriodMs = periodMs } = {}) {
  const proc = spawn(process.execPath, [serverJs, '--stdio'], { stdio: ['pipe', 'pipe', 'ignore'] });
  const conn = lsp.createProtocolConnection(new lsp.StreamMessageReader(proc.stdout), new lsp.StreamMessageWriter(proc.stdin));
  let endT;
  let ended;
  const end = new Promise((r) => (ended = r));
  answerClientRequests(conn, ws);
  // Handlers of partial results, by token.
  const partials = new Map();
  conn.onNotification('$/progress', (p) => {
    partials.get(p.token)?.(p.value);
    if (p.value?.kind === 'end' && endT === undefined) {
      endT = performance.now();
      ended();
    }
  });
  // `phasegate/didChangePhases` notices: `next()` resolves at the next one; `last` is its time.
  const notices = {
    last: undefined,
    waiters: [],
    next() {
      return new Promise((r) => this.waiters.push(r));
    },
  };
  conn.onNotification('phasegate/didChangePhases', () => {
    notices.last = performance.now();
    for (const w of notices.waiters.splice(0)) w();
  });
  conn.onUnhandledNotification(() => undefined);
  conn.listen();
  await conn.sendRequest('initialize', initializeParams(ws));
  const t0 = performance.now();
  await conn.sendNotification('initialized', {});
  const reqs = await pingUntil(conn, Promise.race([end, new Promise((res) => setTimeout(res, timeoutMs).unref())]), periodMs, timeoutMs);
  let afterIndex;
  if (after && endT !== undefined) {
    // The index's own notice first (sent 250 ms after it), so that the next one is the measured change's.
    await Promise.race([notices.next(), new Promise((res) => setTimeout(res, 1000))]);
    afterIndex = await measureAfter(conn, ws, after, notices, partials, { periodMs: afterPeriodMs, timeoutMs });
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
    ...(afterIndex ? { after: afterIndex } : {}),
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const args = process.argv.slice(2);
  const ri = args.indexOf('--runs');
  const runs = ri >= 0 ? Number(args[ri + 1]) : 3;
  const json = args.includes('--json');
  // No requests after the index: the answer's time alone (each request answered meanwhile costs the server time).
  const noPings = args.includes('--no-pings');
  const ai = args.indexOf('--after');
  const after = ai >= 0 ? args[ai + 1] : undefined;
  if (after !== undefined && !['events', 'overlay', 'phases', 'diagnostic'].includes(after)) {
    process.stderr.write('--after takes events, overlay, phases or diagnostic\n');
    process.exit(2);
  }
  const plain = args.filter((a, i) => !a.startsWith('--') && !(ri >= 0 && i === ri + 1) && !(ai >= 0 && i === ai + 1));
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
      const r = { server: s, run: k + 1, ...(await measureResponsiveness(s, ws, { after, ...(noPings ? { afterPeriodMs: Infinity } : {}) })) };
      results.push(r);
      if (!json) {
        console.log(
          `${path.relative(process.cwd(), s)} run ${k + 1}: index ${f(r.indexMs)} ms; ${r.requests} requests: median ${f(r.medianMs)} ms, p95 ${f(r.p95Ms)} ms; longest unanswered ${f(r.longestGapMs)} ms`,
        );
        for (const [what, a] of Object.entries(r.after ?? {})) {
          if (typeof a !== 'object') continue;
          console.log(
            `  ${what}: ${a.handledMs !== undefined ? `handled in ${f(a.handledMs)} ms` : `answered in ${f(a.answerMs)} ms (${Math.round(a.answerBytes / 1024)} KB)`}${a.chunks ? `; ${a.chunks} partial results from ${f(a.firstChunkMs)} to ${f(a.lastChunkMs)} ms (largest ${Math.round(a.largestChunkBytes / 1024)} KB)` : ''}; ${a.requests} requests, longest unanswered ${f(a.longestGapMs)} ms (from ${f(a.longestAtMs)} ms)`,
          );
          if (a.lastCheckedMs !== undefined)
            console.log(
              `  ${what}: ${a.checkingAtFirst} checking at first; every phase checked in ${f(a.lastCheckedMs)} ms (${a.updates} updates), longest unanswered ${f(a.longestGapToLastMs)} ms`,
            );
        }
      }
    }
  if (json) console.log(JSON.stringify(results, null, 1));
}
