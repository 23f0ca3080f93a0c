// The language server as an editor sees it: dist/server.js over stdio, driven with
// vscode-languageserver-protocol's connection. Measures the time to index a workspace, the latency
// from a change to its diagnostics (the edited document, and the next phase's input handoff after an
// output handoff changed), and the server's memory.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as lsp from 'vscode-languageserver-protocol/node';

const uriOf = (p) => pathToFileURL(p).href;

/** Resolves with the first of `promise` and a timeout (then `undefined`). */
function within(ms, promise) {
  let timer;
  return Promise.race([promise, new Promise((r) => (timer = setTimeout(() => r(undefined), ms)))]).finally(() => clearTimeout(timer));
}

function rssKB(pid) {
  try {
    const s = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const get = (k) => Number(new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(s)?.[1]);
    return { rssKB: get('VmRSS'), hwmKB: get('VmHWM') };
  } catch {
    return { rssKB: undefined, hwmKB: undefined };
  }
}

export function percentile(xs, p) {
  if (!xs.length) return undefined;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

/** How many of `phases` (by URI) are still `checking`. */
function checkingOf(phases) {
  let n = 0;
  for (const p of phases.values()) if (p.status === 'checking') n++;
  return n;
}

let partTokens = 0;

/**
 * `phasegate/phases` as the Phases view sends it, with a partial result token (a large answer comes in parts):
 * `parts` maps tokens to handlers, which the caller's `$/progress` handler serves; `onPart` sees each part. Resolves
 * with the response and the answer's phases by URI (of its parts, then of its response).
 */
export async function requestPhases(conn, parts, params, onPart = () => undefined) {
  const partialResultToken = `bench-phases-${++partTokens}`;
  const phases = new Map();
  const add = (r) => {
    for (const f of r.folders ?? []) for (const g of f.groups) for (const p of g.phases) phases.set(p.uri, p);
    for (const p of r.changed ?? []) phases.set(p.uri, p);
  };
  parts.set(partialResultToken, (part) => {
    onPart(part);
    add(part);
  });
  try {
    const response = await conn.sendRequest('phasegate/phases', { ...params, partialResultToken });
    add(response);
    return { response, phases };
  } finally {
    parts.delete(partialResultToken);
  }
}

/**
 * Follows the tree from `first` (an answer of `requestPhases`) as the client does (a notice, awaited with
 * `nextNotice()`, then a request with `since`, its changed phases put in place) until no phase is `checking`: how
 * many were at first, and how many requests it took.
 */
export async function followChecking(conn, parts, first, nextNotice) {
  const held = first.phases;
  const checkingAtFirst = checkingOf(held);
  let id = first.response.id;
  let updates = 0;
  let notice = nextNotice();
  while (checkingOf(held) > 0) {
    await notice;
    notice = nextNotice();
    const r = await requestPhases(conn, parts, { since: id });
    updates++;
    if (!r.response.changed) held.clear();
    for (const [uri, p] of r.phases) held.set(uri, p);
    id = r.response.id;
  }
  return { checkingAtFirst, updates };
}

/**
 * Runs the measurements. `targets` are absolute paths: longDocument (~500 lines), outputHandoff of
 * phase N, nextInputHandoff of phase N+1. Returns plain numbers (milliseconds, kilobytes).
 */
/** The benchmark client's `initialize` parameters for the workspace `ws`: options and capabilities as the VS Code client's. */
export function initializeParams(ws) {
  return {
    processId: process.pid,
    rootUri: uriOf(ws),
    workspaceFolders: [{ uri: uriOf(ws), name: path.basename(ws) }],
    initializationOptions: { trusted: true, keepsUnreportedDiagnostics: true },
    capabilities: {
      window: { workDoneProgress: true },
      workspace: { configuration: true, workspaceFolders: true, diagnostics: { refreshSupport: true }, didChangeWatchedFiles: { dynamicRegistration: true } },
      textDocument: {
        synchronization: { didSave: true, dynamicRegistration: false },
        diagnostic: { dynamicRegistration: false, relatedDocumentSupport: false },
        publishDiagnostics: { versionSupport: true },
      },
    },
  };
}

/**
 * The client side of the server's requests: settings (no debounce: the benchmark measures the engine, not the
 * typing delay a user configures), the workspace folder, and the rest answered with null; `onRefresh` is told
 * of each `workspace/diagnostic/refresh`.
 */
export function answerClientRequests(conn, ws, onRefresh = () => undefined) {
  conn.onRequest('workspace/configuration', (params) => params.items.map(() => ({ validate: { debounceMs: 0 } })));
  conn.onRequest('workspace/workspaceFolders', () => [{ uri: uriOf(ws), name: path.basename(ws) }]);
  for (const m of [
    'window/workDoneProgress/create',
    'client/registerCapability',
    'client/unregisterCapability',
    'workspace/codeLens/refresh',
    'workspace/semanticTokens/refresh',
    'workspace/inlayHint/refresh',
    'window/showMessageRequest',
  ])
    conn.onRequest(m, () => null);
  conn.onRequest('workspace/diagnostic/refresh', () => {
    onRefresh();
    return null;
  });
}

export async function measureServer({
  serverJs,
  ws,
  targets,
  edits = 60,
  crossEdits = 30,
  workspaceEdits = 20,
  treeEdits = 10,
  warmup = 5,
  idleSeconds = 60,
  log = () => undefined,
}) {
  // --expose-gc: the server then reports its heap in use after a full collection (phasegate/serverInfo).
  const proc = spawn(process.execPath, ['--expose-gc', serverJs, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  proc.stderr.on('data', (d) => (stderr = (stderr + d).slice(-4000)));
  const conn = lsp.createProtocolConnection(new lsp.StreamMessageReader(proc.stdout), new lsp.StreamMessageWriter(proc.stdin));
  const result = { ok: false };
  const waiters = new Set();
  const fire = (ev) => {
    for (const w of [...waiters]) {
      if (!w.match(ev)) continue;
      waiters.delete(w);
      w.resolve(ev);
    }
  };
  const waitFor = (match) => new Promise((resolve) => waiters.add({ match, resolve }));

  // The client side of the protocol: the server's requests (see answerClientRequests), progress, refresh
  // requests and pushed diagnostics as events.
  answerClientRequests(conn, ws, () => fire({ type: 'refresh', t: performance.now() }));
  // Partial results by token (see requestPhases).
  const parts = new Map();
  conn.onNotification('$/progress', (p) => {
    parts.get(p.token)?.(p.value);
    fire({ type: 'progress', kind: p.value?.kind, t: performance.now() });
  });
  conn.onNotification('phasegate/didChangePhases', () => fire({ type: 'phases', t: performance.now() }));
  conn.onNotification('textDocument/publishDiagnostics', (p) =>
    fire({ type: 'publish', uri: p.uri, version: p.version, items: p.diagnostics, t: performance.now() }),
  );
  conn.onNotification('window/logMessage', () => undefined);
  conn.onNotification('telemetry/event', () => undefined);
  conn.onUnhandledNotification(() => undefined);
  conn.listen();
  const exited = new Promise((r) => proc.on('exit', (code, signal) => r({ code, signal })));

  try {
    const t0 = performance.now();
    const init = await conn.sendRequest('initialize', initializeParams(ws));
    const caps = init.capabilities ?? {};
    const pull = !!caps.diagnosticProvider;
    const sync = typeof caps.textDocumentSync === 'number' ? caps.textDocumentSync : (caps.textDocumentSync?.change ?? 1);
    result.mode = pull ? 'pull' : 'push';
    result.sync = sync === 2 ? 'incremental' : 'full';
    result.initializeMs = performance.now() - t0;

    // Index: from `initialized` to the server's signal that the folder is loaded, then the phase tree.
    const signal = waitFor((e) => (e.type === 'progress' && e.kind === 'end') || e.type === 'phases');
    const tInit = performance.now();
    await conn.sendNotification('initialized', {});
    const sig = await within(120_000, signal);
    result.indexSignal = sig ? (sig.type === 'progress' ? 'workDoneProgress end' : 'phasegate/didChangePhases') : 'none (timeout)';
    result.indexMs = sig ? sig.t - tInit : undefined;
    const tPhases = performance.now();
    const tree = await requestPhases(conn, parts, {}).catch((e) => ({ error: e.message }));
    result.phasesRequestMs = performance.now() - tPhases;
    result.indexWithTreeMs = performance.now() - tInit;
    result.treeOk = !tree?.error;
    // The first tree lists the phases the server has not checked yet as `checking`; it checks them in the background
    // and says so (`phasegate/didChangePhases`). Followed as the Phases view follows it (a notice, then the phases
    // changed since the tree held) until none is: the time every phase is checked. The measurements below begin then,
    // as they did when the first tree waited for every phase.
    if (result.treeOk) {
      const followed = await followChecking(conn, parts, tree, () =>
        within(
          10_000,
          waitFor((e) => e.type === 'phases'),
        ),
      );
      result.checkingAtFirst = followed.checkingAtFirst;
      result.everyPhaseCheckedMs = performance.now() - tInit;
    }
    Object.assign(result, rssKB(proc.pid));
    const info = await conn.sendRequest('phasegate/serverInfo', null).catch((e) => log(`serverInfo: ${e.message}`));
    result.liveHeapKB = info?.liveHeapBytes === undefined ? undefined : info.liveHeapBytes / 1024;
    log(
      `server indexed in ${Math.round(result.indexMs ?? NaN)} ms (${result.indexSignal}); phase tree +${Math.round(result.phasesRequestMs)} ms (${result.checkingAtFirst} phases checking); every phase checked at ${Math.round(result.everyPhaseCheckedMs ?? NaN)} ms`,
    );

    const docs = new Map();
    const open = async (file) => {
      const text = fs.readFileSync(file, 'utf8');
      const d = { uri: uriOf(file), version: 1, lines: text.split('\n') };
      docs.set(file, d);
      await conn.sendNotification('textDocument/didOpen', { textDocument: { uri: d.uri, languageId: 'markdown', version: 1, text } });
      return d;
    };
    const pullDiags = async (d) => {
      const r = await conn.sendRequest('textDocument/diagnostic', { textDocument: { uri: d.uri }, previousResultId: d.resultId });
      if (r?.resultId) d.resultId = r.resultId;
      if (r?.kind === 'full') d.items = r.items;
      return d.items ?? [];
    };
    /** Replaces line `line` of a document with `text` and sends the change. */
    const change = async (d, line, text) => {
      const old = d.lines[line];
      d.lines[line] = text;
      d.version++;
      const contentChanges =
        sync === 2 ? [{ range: { start: { line, character: 0 }, end: { line, character: old.length } }, text }] : [{ text: d.lines.join('\n') }];
      await conn.sendNotification('textDocument/didChange', { textDocument: { uri: d.uri, version: d.version }, contentChanges });
    };
    /** Changes line `line` of `d`, then its diagnostics: pulled (as an editor does on change), or pushed for the new version. */
    const changeAndDiagnose = async (d, line, text) => {
      if (pull) {
        await change(d, line, text);
        return pullDiags(d);
      }
      const ev = within(
        10_000,
        waitFor((e) => e.type === 'publish' && e.uri === d.uri && (e.version === undefined || e.version === d.version)),
      );
      await change(d, line, text);
      return (await ev)?.items;
    };

    // Per edit: toggle a task box in the long document, then its diagnostics.
    const long = await open(targets.longDocument);
    if (pull) await pullDiags(long);
    else
      await within(
        10_000,
        waitFor((e) => e.type === 'publish' && e.uri === long.uri),
      );
    const taskLines = long.lines.map((l, i) => (/^- \[[ x]\] /.test(l) ? i : -1)).filter((i) => i >= 0);
    const perEdit = [];
    for (let k = 0; k < edits + warmup; k++) {
      const line = taskLines[(k * 7) % taskLines.length];
      const src = long.lines[line];
      const toggled = src.startsWith('- [x]') ? '- [ ]' + src.slice(5) : '- [x]' + src.slice(5);
      const t = performance.now();
      await changeAndDiagnose(long, line, toggled);
      if (k >= warmup) perEdit.push(performance.now() - t);
    }
    result.longDocumentLines = long.lines.length;
    result.perEdit = { n: perEdit.length, medianMs: percentile(perEdit, 50), p95Ms: percentile(perEdit, 95), maxMs: Math.max(...perEdit) };
    log(`per edit: median ${result.perEdit.medianMs.toFixed(2)} ms, p95 ${result.perEdit.p95Ms.toFixed(2)} ms`);

    // Cross-file: drop (then restore) an input in phase N's output handoff; phase N+1's input handoff
    // now receives an input that was not handed off. Time until its new diagnostics reach the client.
    const out = await open(targets.outputHandoff);
    const next = await open(targets.nextInputHandoff);
    if (pull) {
      await pullDiags(out);
      await pullDiags(next);
    } else {
      await within(
        10_000,
        waitFor((e) => e.type === 'publish' && e.uri === next.uri),
      );
    }
    const inputLine = out.lines.findIndex((l) => /^- Input 3: /.test(l));
    const original = out.lines[inputLine];
    const cross = [];
    let changedCount = 0;
    let timeouts = 0;
    let before = JSON.stringify(pull ? (next.items ?? []) : []);
    for (let k = 0; k < crossEdits + warmup; k++) {
      const text = out.lines[inputLine] === original ? '- Input 3: withdrawn' : original;
      const t = performance.now();
      let got;
      if (pull) {
        const refreshed = waitFor((e) => e.type === 'refresh');
        await changeAndDiagnose(out, inputLine, text);
        const ev = await within(5_000, refreshed);
        if (ev) got = await pullDiags(next);
      } else {
        const ev = within(
          5_000,
          waitFor((e) => e.type === 'publish' && e.uri === next.uri),
        );
        await change(out, inputLine, text);
        got = (await ev)?.items;
      }
      const dt = performance.now() - t;
      if (got === undefined) {
        timeouts++;
        if (pull) got = await pullDiags(next);
      } else if (k >= warmup) cross.push(dt);
      const now = JSON.stringify(got ?? []);
      if (now !== before) changedCount++;
      before = now;
    }
    result.crossFile = {
      n: cross.length,
      medianMs: percentile(cross, 50),
      p95Ms: percentile(cross, 95),
      maxMs: cross.length ? Math.max(...cross) : undefined,
      diagnosticsChanged: changedCount,
      noSignal: timeouts,
    };
    log(`cross-file: median ${result.crossFile.medianMs?.toFixed(2)} ms, p95 ${result.crossFile.p95Ms?.toFixed(2)} ms, ${timeouts} without a signal`);

    // The whole workspace's problems, as VS Code keeps them: a workspace/diagnostic request that the
    // server holds open until something changes. Time from a change of phase N's output handoff to
    // the answer (every document not open, checked again where the change made it stale).
    if (pull && caps.diagnosticProvider?.workspaceDiagnostics) {
      const ids = new Map();
      const pullWorkspace = async () => {
        const r = await conn.sendRequest('workspace/diagnostic', { previousResultIds: [...ids].map(([uri, value]) => ({ uri, value })) });
        for (const item of r?.items ?? []) if (item.resultId) ids.set(item.uri, item.resultId);
        return r?.items?.length ?? 0;
      };
      await pullWorkspace();
      const times = [];
      let reports = 0;
      for (let k = 0; k < workspaceEdits + warmup; k++) {
        const answer = within(10_000, pullWorkspace());
        // The request is waiting (nothing changed since the last answer); now change something.
        const text = out.lines[inputLine] === original ? '- Input 3: withdrawn' : original;
        const t = performance.now();
        await change(out, inputLine, text);
        const n = await answer;
        if (n === undefined) continue;
        reports = n;
        if (k >= warmup) times.push(performance.now() - t);
      }
      result.workspacePull = { n: times.length, medianMs: percentile(times, 50), p95Ms: percentile(times, 95), reports };
      log(`workspace diagnostics after a change: median ${result.workspacePull.medianMs?.toFixed(1)} ms over ${times.length}, ${reports} reports`);
    }

    // The Phases view after a change: the server tells the client that phases may have changed, the
    // client asks for the tree again. Time of that request after a change of phase N's output handoff:
    // as the Phases view asks (the changes since the tree it holds, `since`), and for the whole tree.
    const treeSeries = async (incremental) => {
      const times = [];
      // As the Phases view asks: with a partial result token (a large answer comes in parts).
      let held = incremental ? (await requestPhases(conn, parts, {})).response : undefined;
      let changed = 0;
      let noNotice = 0;
      for (let k = 0; k < treeEdits + warmup; k++) {
        const text = out.lines[inputLine] === original ? '- Input 3: withdrawn' : original;
        // As the Phases view: the request follows the server's notice that the change landed (asked at once, it
        // could be answered before the change is applied, and show it only in the next answer).
        const notice = within(
          10_000,
          waitFor((e) => e.type === 'phases'),
        );
        await change(out, inputLine, text);
        if (!(await notice)) noNotice++;
        const t = performance.now();
        const r = await requestPhases(conn, parts, held ? { since: held.id } : {}).catch((e) => ({ error: e.message }));
        if (r?.error) continue;
        if (k >= warmup) times.push(performance.now() - t);
        if (incremental) [held, changed] = [r.response, r.response.changed ? r.phases.size : -1];
      }
      return {
        n: times.length,
        medianMs: percentile(times, 50),
        p95Ms: percentile(times, 95),
        withoutNotice: noNotice,
        ...(incremental ? { changedPhases: changed } : {}),
      };
    };
    result.treeAfterChange = await treeSeries(true);
    log(
      `phase tree after a change (changes since the tree held): median ${result.treeAfterChange.medianMs?.toFixed(1)} ms over ${result.treeAfterChange.n}, ${result.treeAfterChange.changedPhases} phases sent, ${result.treeAfterChange.withoutNotice} changes without a notice`,
    );
    result.wholeTreeAfterChange = await treeSeries(false);
    log(`whole phase tree after a change: median ${result.wholeTreeAfterChange.medianMs?.toFixed(1)} ms over ${result.wholeTreeAfterChange.n}`);
    Object.assign(result, { afterEdits: rssKB(proc.pid) });

    // Idle: V8 shrinks an idle process's heap some seconds after its last work (its memory reducer),
    // down to what the server keeps. The lowest RSS over `idleSeconds` of no requests.
    if (idleSeconds > 0) {
      let low = result.afterEdits.rssKB;
      let lowAt = 0;
      const start = performance.now();
      while (performance.now() - start < idleSeconds * 1000) {
        await new Promise((r) => setTimeout(r, 1000));
        const now = rssKB(proc.pid).rssKB;
        if (now !== undefined && (low === undefined || now < low)) [low, lowAt] = [now, (performance.now() - start) / 1000];
      }
      Object.assign(result, { idleRssKB: low, idleLowAtS: lowAt, idleSeconds });
      log(`server memory when idle: ${Math.round(low / 1024)} MB, reached after ${Math.round(lowAt)} s`);
    }
    result.ok = true;
    await within(5_000, conn.sendRequest('shutdown'));
    await conn.sendNotification('exit');
  } catch (e) {
    result.error = `${e.message}\n${stderr}`;
  } finally {
    await within(5_000, exited);
    if (proc.exitCode === null) proc.kill();
    conn.dispose();
  }
  return result;
}
