/**
 * The columns `check` prints, on lines with tabs, astral characters (🚀, 𝒳), CJK and combining marks, in a file with
 * CRLF line endings and a byte order mark: every format counts them as the README says — in UTF-16 code units
 * (LSP's unit, and VS Code's), a byte order mark not counted — 1-based in the text format, SARIF (whose run says so
 * in `columnKind`) and GitHub's workflow commands, 0-based in JSON; an end column is the one after the text.
 */
import * as assert from 'node:assert/strict';
import type * as sarif from 'sarif';
import { run, WritableMemoryFileSystem } from './helpers';

const LINES = ['# Phase 1: 🚀\t認証 e\u0301 𝒳 [TBD] 1', '', '## Objectives', '', '- 𝒳🚀\t[Owner] and 認証 [Describe]', ''];
const FILE = 'phase-1/00-PHASE_BRIEF.md';

/** The 0-based UTF-16 columns of `needle` on line `line`: where it starts and where the text after it does. */
function columns(line: number, needle: string): [number, number] {
  const at = LINES[line].indexOf(needle);
  assert.ok(at >= 0, needle);
  return [at, at + needle.length];
}

const PLACES: [number, string][] = [
  [0, '[TBD]'],
  [4, '[Owner]'],
  [4, '[Describe]'],
];

describe('check: columns on lines with tabs, astral characters, CJK and combining marks', () => {
  const fsys = new WritableMemoryFileSystem();
  fsys.write(`/ws/${FILE}`, '\ufeff' + LINES.join('\r\n'));

  it('the text format: 1-based, in UTF-16 code units', async () => {
    const r = await run(['check', '.'], fsys);
    const placeholders = r.stdout.split('\n').filter((l) => l.includes('[unfilled-placeholder]'));
    assert.deepEqual(
      placeholders.map((l) => l.split('  ')[0]),
      PLACES.map(([line, needle]) => `${FILE}:${line + 1}:${columns(line, needle)[0] + 1}`),
    );
  });

  it('JSON: 0-based LSP ranges, in UTF-16 code units', async () => {
    const r = await run(['check', '.', '--format', 'json'], fsys);
    const ranges = (
      JSON.parse(r.stdout) as {
        diagnostics: { code: string; range: { start: { line: number; character: number }; end: { line: number; character: number } } }[];
      }
    ).diagnostics
      .filter((d) => d.code === 'unfilled-placeholder')
      .map((d) => d.range);
    assert.deepEqual(
      ranges,
      PLACES.map(([line, needle]) => {
        const [a, b] = columns(line, needle);
        return { start: { line, character: a }, end: { line, character: b } };
      }),
    );
  });

  it('SARIF: 1-based columns, the end column after the text, the run declaring UTF-16 code units', async () => {
    const r = await run(['check', '.', '--format', 'sarif'], fsys);
    const log = JSON.parse(r.stdout) as sarif.Log;
    assert.equal(log.runs[0].columnKind, 'utf16CodeUnits');
    const regions = (log.runs[0].results ?? []).filter((x) => x.ruleId === 'unfilled-placeholder').map((x) => x.locations![0].physicalLocation!.region);
    assert.deepEqual(
      regions,
      PLACES.map(([line, needle]) => {
        const [a, b] = columns(line, needle);
        return { startLine: line + 1, startColumn: a + 1, endLine: line + 1, endColumn: b + 1 };
      }),
    );
  });

  it("GitHub's workflow commands: as SARIF's", async () => {
    const r = await run(['check', '.'], fsys, '/ws', { GITHUB_ACTIONS: 'true', GITHUB_WORKSPACE: '/ws' });
    const props = r.stdout
      .split('\n')
      .filter((l) => l.startsWith('::warning') && l.includes('unfilled-placeholder'))
      .map((l) => /line=(\d+),endLine=(\d+),col=(\d+),endColumn=(\d+)/.exec(l)!.slice(1).map(Number));
    assert.deepEqual(
      props,
      PLACES.map(([line, needle]) => {
        const [a, b] = columns(line, needle);
        return [line + 1, line + 1, a + 1, b + 1];
      }),
    );
  });
});
