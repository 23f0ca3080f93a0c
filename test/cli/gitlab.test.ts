/** `check --format gitlab`: a GitLab Code Quality report of the same problems as JSON's. */
import * as assert from 'node:assert/strict';
import { CodeQualityIssue, hash53 } from '../../server/src/cli/format-gitlab';
import type { Diagnostic } from '../../server/src/service/types';
import { examplesFs, run } from './helpers';

const DECISIONS = 'examples/audit-deployment/phase-2/05-DECISIONS.md';
/** Two decisions without a rationale, and one line with the same broken link twice. */
const decisions = '# Decisions\n\n## Decision 1: Use A\n\nNo reasons.\n\n## Decision 2: Use B\n\nSee [x](gone.md) and [x](gone.md).\n';

async function report(fsys = examplesFs({ [DECISIONS]: decisions }), cwd = '/ws', env?: Record<string, string>) {
  const r = await run(['check', cwd === '/ws' ? 'examples' : '.', '--format', 'gitlab'], fsys, cwd, env);
  return { ...r, issues: JSON.parse(r.stdout) as CodeQualityIssue[] };
}

describe('phasegate check --format gitlab', () => {
  it('gives each problem as an issue: its message, rule, severity, path and 1-based lines; exit code as for the other formats', async () => {
    const fsys = examplesFs({ [DECISIONS]: decisions });
    const json = JSON.parse((await run(['check', 'examples', '--format', 'json'], fsys)).stdout) as { diagnostics: (Diagnostic & { file: string })[] };
    const { code, issues, stderr } = await report(fsys);
    assert.equal(stderr, '');
    assert.equal(code, 1);
    assert.equal(issues.length, json.diagnostics.length);
    const severity = { error: 'major', warning: 'minor', information: 'info', hint: 'info' };
    json.diagnostics.forEach((d, i) => {
      assert.deepEqual(Object.keys(issues[i]).sort(), ['check_name', 'description', 'fingerprint', 'location', 'severity']);
      assert.deepEqual(issues[i], {
        description: d.message,
        check_name: d.code,
        fingerprint: issues[i].fingerprint,
        severity: severity[d.severity],
        location: { path: d.file, lines: { begin: d.range.start.line + 1, end: d.range.end.line + 1 } },
      });
      assert.match(issues[i].fingerprint, /^\S+$/);
    });
    assert.ok(issues.some((x) => x.check_name === 'decision-without-rationale' && x.severity === 'major'));
    // Unique, also for the same problem twice on one line.
    assert.equal(new Set(issues.map((x) => x.fingerprint)).size, issues.length);
    assert.equal(issues.filter((x) => x.check_name === 'broken-link' && x.location.path === DECISIONS).length, 2);
  });

  it('keeps each fingerprint when lines are added above the problem', async () => {
    const before = (await report()).issues.filter((x) => x.location.path === DECISIONS);
    const after = (await report(examplesFs({ [DECISIONS]: decisions.replace('# Decisions\n', '# Decisions\n\nA new line.\n\nAnother.\n') }))).issues.filter(
      (x) => x.location.path === DECISIONS,
    );
    // The problems below the new lines (not those of the whole file, at its first line).
    const below = (issues: CodeQualityIssue[], shift: number) =>
      issues.filter((x) => x.location.lines.begin > 1).map((x) => [x.check_name, x.fingerprint, x.location.lines.begin - shift]);
    assert.ok(below(before, 0).length >= 4);
    assert.deepEqual(below(after, 4), below(before, 0));
  });

  it('names paths from the repository (CI_PROJECT_DIR) when run in a folder of it; a phase folder at line 1', async () => {
    const fsys = examplesFs({ 'examples/audit-deployment/phase-5/notes.txt': 'later\n' });
    const { issues } = await report(fsys, '/ws/examples', { CI_PROJECT_DIR: '/ws' });
    assert.ok(issues.length > 0 && issues.every((x) => x.location.path.startsWith('examples/')));
    const folder = issues.filter((x) => x.location.path === 'examples/audit-deployment/phase-5');
    assert.ok(folder.length > 0);
    for (const x of folder) assert.deepEqual(x.location.lines, { begin: 1, end: 1 });
    // Without it, from the current folder.
    const { issues: plain } = await report(fsys, '/ws/examples');
    assert.ok(plain.some((x) => x.location.path === 'audit-deployment/phase-5'));
  });

  it('is an empty array when nothing is found; status does not take it', async () => {
    const clean = await run(['check', 'examples/all_use_iai_project', '--format', 'gitlab'], examplesFs());
    assert.deepEqual([clean.code, clean.stdout], [0, '[]\n']);
    const status = await run(['status', 'examples', '--format', 'gitlab'], examplesFs());
    assert.equal(status.code, 2);
  });

  it("hashes as cyrb53's published values", () => {
    assert.deepEqual(
      ['a', 'b', 'revenge', 'revenue'].map((t) => parseInt(hash53(t), 16)),
      [7929297801672961, 8684336938537663, 4051478007546757, 8309097637345594],
    );
  });
});
