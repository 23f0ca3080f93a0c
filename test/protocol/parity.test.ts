/**
 * CI parity: the language server's workspace diagnostics are what `phasegate check --format json` reports
 * on the same folder: file, rule, range, severity and message, also on a phase folder without a document
 * and on what the scan could not read (a link loop); and on a workspace with nested projects, each checked
 * with its own phasegate.yaml.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { WorkspaceDiagnosticRequest } from 'vscode-languageserver-protocol/node';
import { REPO, TestClient, buildServer, copyFixture } from './client';
import { uriToPath } from '../../server/src/lsp/uri';

const SEVERITY = ['', 'error', 'warning', 'information', 'hint'];

describe('language server: workspace diagnostics equal to phasegate check', function () {
  this.timeout(60_000);
  let root: string;
  let c: TestClient | undefined;

  before(async () => {
    await buildServer();
    root = copyFixture();
    // A phase folder without a document, and a file the scan cannot read (a symbolic link to itself).
    fs.mkdirSync(path.join(root, 'audit', 'phase-3'));
    fs.symlinkSync('loop.md', path.join(root, 'audit', 'phase-1', 'loop.md'));
  });
  after(async () => {
    await c?.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('reports what check reports, on every path it names', async () => {
    const cli = checkJson(root);
    assert.ok(
      cli.diagnostics.some((d) => d.file === 'audit/phase-3' && d.code === 'missing-document'),
      'check reports the empty phase folder',
    );
    assert.ok(
      cli.diagnostics.some((d) => d.file === 'audit/phase-1/loop.md' && d.code === 'unreadable-file'),
      'check reports the link loop',
    );
    c = await TestClient.start(root, { pull: true });
    assert.deepEqual(await serverReport(c, root), cli.diagnostics.map(key).sort());
  });

  it('reports what check reports on a workspace with nested projects (each with its own config), a broken one and one in a project', async () => {
    await c?.stop();
    c = undefined;
    const files: Record<string, string> = {
      // A project: broken links are information there, and its prompt has one.
      'project/phasegate.yaml': 'rules:\n  broken-link: information\n',
      'project/workstreams/Build/Phase_1_CI/notes.md': '# Notes\n\nSee [gone](missing.md).\n',
      // A project in the project, with its own severities.
      'project/sub/phasegate.yaml': 'rules:\n  missing-section: warning\n',
      'project/sub/phase-1/00-PHASE_BRIEF.md': '# Phase 1: Sub\n\n## Objectives\nx\n',
      // A project whose config has an error: invalid-config, and the defaults apply.
      'broken/phasegate.yaml': 'rules:\n  missing-section: sometimes\n',
      'broken/phase-1/00-PHASE_BRIEF.md': '# Phase 1: Broken\n\n## Objectives\nx\n',
      // In a phase folder: an artifact of the phase, not a project.
      'audit/phase-1/04-ARTIFACTS/tool/phasegate.yaml': 'rules:\n  broken-link: "off"\n',
      'audit/phase-1/04-ARTIFACTS/tool/NOTES.md': '# Tool\n\nSee [gone](missing.md).\n',
    };
    for (const [rel, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      fs.writeFileSync(path.join(root, rel), text);
    }
    const cli = checkJson(root);
    const has = (file: string, code: string, severity: string) => cli.diagnostics.some((d) => d.file === file && d.code === code && d.severity === severity);
    assert.ok(has('project/workstreams/Build/Phase_1_CI/notes.md', 'broken-link', 'information'), 'the project config applies');
    assert.ok(has('project/sub/phase-1/00-PHASE_BRIEF.md', 'missing-section', 'warning'), "the sub-project's config applies");
    assert.ok(has('broken/phasegate.yaml', 'invalid-config', 'error'), 'the broken config is reported');
    assert.ok(has('audit/phase-1/04-ARTIFACTS/tool/NOTES.md', 'broken-link', 'error'), 'a config in a phase folder is no project');
    c = await TestClient.start(root, { pull: true });
    // The derived folders load after the workspace folder: the server's report settles on check's.
    const expected = cli.diagnostics.map(key).sort();
    let actual: string[] = [];
    await c
      .until('the same diagnostics as check', async () => JSON.stringify((actual = await serverReport(c!, root))) === JSON.stringify(expected))
      .catch(() => undefined);
    assert.deepEqual(actual, expected);
  });
});

type CliDiagnostic = { file: string; range: unknown; severity: string; code: string; message: string };

const key = (d: CliDiagnostic) => JSON.stringify([d.file, d.range, d.severity, d.code, d.message]);

/** What `phasegate check --format json .` reports in `root` (it exits 1 on the fixture). */
function checkJson(root: string): { diagnostics: CliDiagnostic[] } {
  try {
    execFileSync(process.execPath, [path.join(REPO, 'dist', 'cli.js'), 'check', '--format', 'json', '.'], { cwd: root, encoding: 'utf8' });
  } catch (e) {
    return JSON.parse((e as { stdout: string }).stdout) as { diagnostics: CliDiagnostic[] };
  }
  assert.fail('check exits 1 on the fixture');
}

/** The server's workspace diagnostics, once indexed, keyed as `key`, sorted. */
async function serverReport(c: TestClient, root: string): Promise<string[]> {
  await c.waitFor('progress end', () => c.events.some((e) => e.kind === 'progress' && (e.params as { value: { kind: string } }).value.kind === 'end'));
  const report = await c.conn.sendRequest(WorkspaceDiagnosticRequest.type, { previousResultIds: [] });
  return report.items
    .flatMap((it) =>
      it.kind === 'full'
        ? it.items.map((d) =>
            key({
              file: path
                .relative(root, uriToPath(it.uri) ?? it.uri)
                .split(path.sep)
                .join('/'),
              range: d.range,
              severity: SEVERITY[d.severity ?? 1],
              code: String(d.code),
              message: typeof d.message === 'string' ? d.message : d.message.value,
            }),
          )
        : [],
    )
    .sort();
}
