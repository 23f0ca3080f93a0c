/**
 * Load: the built server on a generated workspace of about 10,000 documents takes 1,000
 * rapid edits on one document while a second request stream checks that it keeps
 * answering (every request within 1 s) and that its memory stays bounded. The bounds are
 * generous on purpose: the figures (printed, and written to test-results/load.json) are
 * what the README reports; the benchmark in bench/ measures speed properly.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DocumentDiagnosticRequest, DocumentDiagnosticReport, HoverRequest } from 'vscode-languageserver-protocol/node';
import { REPO, TestClient, buildServer } from './client';

const DOCS_TARGET = 10_000;
const EDITS = 1000;
const MAX_LATENCY_MS = 1000;
const MAX_RSS_MB = 1500;

function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const m = /VmRSS:\s+(\d+) kB/.exec(status);
  return m ? Number(m[1]) / 1024 : NaN;
}

describe('load: 10,000 documents and 1,000 rapid edits', function () {
  this.timeout(240_000);
  let ws: string;
  let c: TestClient;
  let docs = 0;
  let target = '';

  before(async () => {
    await buildServer();
    const gen = (await import(path.join(REPO, 'bench', 'generate.mjs'))) as {
      writeWorkspace: (dir: string, o: { n: number; seed: number }) => { markdown: number };
      benchTargets: (n: number) => { longDocument: string };
    };
    ws = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'phasegate-load-')));
    // About 10 Markdown documents per n (the audit documents and findings, a prompt, a response).
    const n = Math.ceil(DOCS_TARGET / 10);
    docs = gen.writeWorkspace(ws, { n, seed: 7 }).markdown;
    target = gen.benchTargets(n).longDocument;
  });

  after(async () => {
    await c?.stop();
    if (ws) fs.rmSync(ws, { recursive: true, force: true });
  });

  it('stays responsive and bounded in memory', async () => {
    assert.ok(docs >= DOCS_TARGET * 0.9, `generated ${docs} documents`);
    const t0 = Date.now();
    c = await TestClient.start(ws, { pull: true });
    await c.waitFor(
      'indexing to end',
      () => c.events.some((e) => e.kind === 'progress' && (e.params as { value: { kind: string } }).value.kind === 'end'),
      120_000,
    );
    const indexMs = Date.now() - t0;
    const pid = c.proc.pid!;
    const rssIndexed = rssMb(pid);

    const { uri: u, text } = await c.open(target);
    const lines = text.split('\n');
    const latencies: number[] = [];
    let maxRss = rssIndexed;
    const probe = async () => {
      const s = Date.now();
      await c.conn.sendRequest(HoverRequest.type, { textDocument: { uri: u }, position: { line: 0, character: 2 } });
      latencies.push(Date.now() - s);
    };
    const tEdits = Date.now();
    for (let i = 0; i < EDITS; i++) {
      const edited = [...lines];
      edited[5] = `Edit ${i}: [Edit Placeholder ${i}]`;
      await c.change(u, edited.join('\n'));
      if (i % 20 === 0) {
        await probe();
        maxRss = Math.max(maxRss, rssMb(pid));
      }
    }
    const editsMs = Date.now() - tEdits;
    // The final text's diagnostics: the last edit's placeholder is reported on its line.
    const s = Date.now();
    const report = (await c.conn.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri: u } })) as DocumentDiagnosticReport;
    const finalPullMs = Date.now() - s;
    latencies.push(finalPullMs);
    assert.equal(report.kind, 'full');
    const items = report.kind === 'full' ? report.items : [];
    // The message quotes the placeholder, so only the last edit's text matches.
    assert.ok(
      items.some(
        (d) =>
          d.code === 'unfilled-placeholder' &&
          d.range.start.line === 5 &&
          (typeof d.message === 'string' ? d.message : d.message.value).includes(`Edit Placeholder ${EDITS - 1}`),
      ),
      `the last edit is the one diagnosed: ${JSON.stringify(items.filter((d) => d.range.start.line === 5))}`,
    );
    const rssAfter = rssMb(pid);
    maxRss = Math.max(maxRss, rssAfter);
    const sorted = [...latencies].sort((a, b) => a - b);
    const figures = {
      documents: docs,
      indexMs,
      rssIndexedMb: Math.round(rssIndexed),
      edits: EDITS,
      editsMs,
      probes: latencies.length,
      probeMedianMs: sorted[Math.floor(sorted.length / 2)],
      probeMaxMs: sorted[sorted.length - 1],
      finalPullMs,
      rssMaxMb: Math.round(maxRss),
      rssAfterMb: Math.round(rssAfter),
    };
    fs.mkdirSync(path.join(REPO, 'test-results'), { recursive: true });
    fs.writeFileSync(path.join(REPO, 'test-results', 'load.json'), JSON.stringify(figures, null, 2));
    console.log('      load figures:', JSON.stringify(figures));
    assert.ok(figures.probeMaxMs < MAX_LATENCY_MS, `a request waited ${figures.probeMaxMs} ms`);
    assert.ok(maxRss < MAX_RSS_MB, `server RSS reached ${maxRss} MB`);
  });
});
