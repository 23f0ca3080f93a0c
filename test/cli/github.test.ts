/** `check` in a GitHub Actions job: the text's problems are also workflow commands that annotate their lines. */
import * as assert from 'node:assert/strict';
import { ruleDocsUrl } from '../../server/src/service';
import { githubAnnotations } from '../../server/src/cli/format-github';
import type { Diagnostic } from '../../server/src/service/types';
import { examplesFs, run } from './helpers';

const ACTIONS = { GITHUB_ACTIONS: 'true', GITHUB_WORKSPACE: '/ws' };

/** The workflow commands of an output: `{ command, props, message }`, with the runner's unescaping. */
function commands(stdout: string): { command: string; props: Record<string, string>; message: string }[] {
  const unescape = (s: string) => s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%');
  return stdout
    .split('\n')
    .filter((l) => l.startsWith('::'))
    .map((l) => {
      const m = /^::(\w+) ([^:]*)::(.*)$/.exec(l);
      assert.ok(m, l);
      const props = Object.fromEntries(
        m[2]
          .split(',')
          .map((p) => p.split('='))
          .map(([k, v]) => [k, unescape(v)]),
      );
      return { command: m[1], props, message: unescape(m[3]) };
    });
}

describe('phasegate check in GitHub Actions', () => {
  it('annotates each problem at its range, relative to the checkout, with its severity, rule and documentation', async () => {
    const fsys = examplesFs({
      'examples/audit-deployment/phase-2/05-DECISIONS.md': '# Decisions\n\n## Decision 1: Use: 100% of it, now\n\nNo reasons.\n',
    });
    const plain = await run(['check', 'examples'], fsys);
    const r = await run(['check', 'examples'], fsys, '/ws', ACTIONS);
    assert.equal(r.code, plain.code);
    // The text first, as it is without the job; then one command per problem.
    assert.ok(r.stdout.startsWith(plain.stdout));
    const json = JSON.parse((await run(['check', 'examples', '--format', 'json'], fsys)).stdout) as { diagnostics: Diagnostic[] };
    const annotations = commands(r.stdout.slice(plain.stdout.length));
    assert.equal(annotations.length, json.diagnostics.length);
    assert.ok(annotations.some((a) => a.command === 'error') && annotations.some((a) => a.command === 'warning'));
    json.diagnostics.forEach((d, i) => {
      const a = annotations[i];
      assert.equal(a.command, d.severity === 'error' ? 'error' : d.severity === 'warning' ? 'warning' : 'notice');
      assert.equal(a.props.file, d.file);
      assert.equal(a.props.title, `phasegate ${d.code}`);
      assert.equal(a.message, `${d.message}\n${ruleDocsUrl(d.code)}`);
      assert.equal(a.props.line, String(d.range.start.line + 1));
      assert.equal(a.props.endLine, String(d.range.end.line + 1));
      if (d.range.start.line === d.range.end.line) {
        assert.equal(a.props.col, String(d.range.start.character + 1));
        assert.equal(a.props.endColumn, String(d.range.end.character + 1));
      } else assert.equal(a.props.col, undefined);
    });
    // A message with a colon, a comma or a percent sign reaches the runner whole.
    const rationale = annotations.find((a) => a.props.title === 'phasegate decision-without-rationale');
    assert.match(rationale!.message, /Use: 100% of it, now/);
  });

  it('names files from the checkout when run in a folder of it, and a phase folder without a line', async () => {
    const fsys = examplesFs({ 'examples/audit-deployment/phase-5/notes.txt': 'later\n' });
    const r = await run(['check', '.'], fsys, '/ws/examples', ACTIONS);
    const annotations = commands(r.stdout);
    const folder = annotations.filter((a) => a.props.file === 'examples/audit-deployment/phase-5');
    assert.ok(folder.length > 0, r.stdout);
    for (const a of folder) assert.deepEqual(Object.keys(a.props).sort(), ['file', 'title']);
    assert.ok(annotations.every((a) => a.props.file.startsWith('examples/')));
    // The text keeps naming files from the current folder.
    assert.match(r.stdout, /^audit-deployment\/phase-5:/m);
  });

  it('prints no command outside a job, beside JSON or SARIF, or when nothing is found', async () => {
    const fsys = examplesFs();
    assert.doesNotMatch((await run(['check', 'examples'], fsys, '/ws', { GITHUB_ACTIONS: 'false' })).stdout, /^::/m);
    for (const format of ['json', 'sarif']) JSON.parse((await run(['check', 'examples', '--format', format], fsys, '/ws', ACTIONS)).stdout);
    const clean = await run(['check', 'examples/all_use_iai_project'], fsys, '/ws', ACTIONS);
    assert.doesNotMatch(clean.stdout, /^::/m);
  });

  it('escapes what would end a property or a message', () => {
    const d: Diagnostic = {
      file: '/ws/a, b:c%.md',
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } },
      severity: 'hint',
      code: 'x',
      message: 'one\r\ntwo 50%',
    };
    const [a] = commands(githubAnnotations([d], '/ws', '/ws', new Set()));
    assert.deepEqual([a.command, a.props.file, a.message], ['notice', 'a, b:c%.md', `one\r\ntwo 50%\n${ruleDocsUrl('x')}`]);
  });
});

describe('phasegate check in GitHub Actions: the job summary', () => {
  const SUMMARY = { ...ACTIONS, GITHUB_STEP_SUMMARY: '/ws/summary.md' };
  const read = async (fsys: ReturnType<typeof examplesFs>) => new TextDecoder().decode(await fsys.readFile('/ws/summary.md'));

  it('adds the phases that are not complete, their gates and what holds them, and the problems by rule, whatever the format', async () => {
    const fsys = examplesFs({
      'summary.md': 'written by an earlier command\n',
      'examples/audit-deployment/phase-4/00-PHASE_BRIEF.md': '# Phase 4: Pipes | <b>bold</b> *and* [links]\n',
    });
    const json = JSON.parse((await run(['check', 'examples', '--format', 'json'], fsys)).stdout) as {
      diagnostics: { code: string; severity: string }[];
      phases: { id: string; status: string; folder: string }[];
    };
    const r = await run(['check', 'examples', '--format', 'sarif'], fsys, '/ws', SUMMARY);
    JSON.parse(r.stdout);
    assert.equal(r.stderr, '');
    const md = await read(fsys);
    assert.ok(md.startsWith('written by an earlier command\n### Phasegate\n'), md);
    const open = json.phases.filter((p) => p.status !== 'complete');
    assert.ok(open.length >= 2);
    assert.match(md, new RegExp(`${json.phases.length - open.length} of ${json.phases.length} phases complete`));
    const rows = md.split('\n').filter((l) => /^\| examples\//.test(l));
    assert.deepEqual(
      rows.map((l) => l.split(' | ')[0].slice(2)),
      open.map((p) => p.folder),
    );
    // A title is text in its cell: no border, no HTML, no emphasis or link.
    const titled = rows.find((l) => l.includes('phase-4'))!;
    assert.equal(titled.split(/(?<!\\)\|/).length, 7, titled);
    // (The title as the engine reads it: emphasis markup is no part of it.)
    assert.match(titled, / Pipes \\\| \\<b\\>bold\\<\/b\\> and \\\[links\\\] \| /);
    assert.match(
      rows.find((l) => l.includes('phase-3'))!,
      /\| in-progress \| … Completeness .*\| Completeness \(pending\): 1 item unchecked/,
    );
    for (const code of new Set(json.diagnostics.map((d) => d.code))) {
      const n = json.diagnostics.filter((d) => d.code === code);
      const errors = n.filter((d) => d.severity === 'error').length;
      const warnings = n.filter((d) => d.severity === 'warning').length;
      assert.ok(md.includes(`| [${code.replace(/_/g, '\\_')}](${ruleDocsUrl(code)}) | ${errors} | ${warnings} | ${n.length - errors - warnings} |`), code);
    }
  });

  it('lists at most 100 phases, blocked ones first, and says how many more', async () => {
    const extra: Record<string, string> = {};
    for (let n = 10; n < 115; n++) extra[`examples/audit-deployment/phase-${n}/notes.txt`] = 'later\n';
    // Started (a plan written) and blocked (a broken link fails Documentation).
    extra['examples/audit-deployment/phase-200/00-PHASE_BRIEF.md'] = '# Phase 200: Broken\n';
    extra['examples/audit-deployment/phase-200/02-EXECUTION_PLAN.md'] = '# Plan\n\nSee [gone](gone.md).\n';
    const fsys = examplesFs(extra);
    await run(['check', 'examples'], fsys, '/ws', SUMMARY);
    const md = await read(fsys);
    const rows = md.split('\n').filter((l) => /^\| examples\//.test(l));
    assert.equal(rows.length, 100);
    assert.match(rows[0], /phase-200 \|.*\| blocked \|/);
    assert.match(md, /\n7 more phases are not complete: `phasegate status` lists every phase\.\n/);
  });

  it('counts one phase, and one more phase left out, in the singular', async () => {
    const fsys = examplesFs();
    await run(['check', 'examples/audit-deployment/phase-3'], fsys, '/ws', SUMMARY);
    assert.match(await read(fsys), /\n0 of 1 phase complete · 0 blocked · 1 in progress · 0 not started\n/);
    const extra: Record<string, string> = {};
    // With phase-3 of the example (in progress), 101 phases not complete.
    for (let n = 10; n < 110; n++) extra[`examples/audit-deployment/phase-${n}/notes.txt`] = 'later\n';
    const many = examplesFs(extra);
    await run(['check', 'examples/audit-deployment'], many, '/ws', SUMMARY);
    assert.match(await read(many), /\n1 more phase is not complete: `phasegate status` lists every phase\.\n/);
  });

  it('a summary that cannot be written is a warning: the check and its exit code stand', async () => {
    const fsys = examplesFs();
    fsys.failing.set('/ws/summary.md', Object.assign(new Error("EACCES: permission denied, open '/ws/summary.md'"), { code: 'EACCES' }));
    const plain = await run(['check', 'examples', '--format', 'json'], fsys);
    const r = await run(['check', 'examples', '--format', 'json'], fsys, '/ws', SUMMARY);
    assert.deepEqual([r.code, r.stdout], [plain.code, plain.stdout]);
    assert.equal(r.stderr, 'phasegate: warning: the job summary could not be written to /ws/summary.md: permission denied (EACCES)\n');
    // Outside a job, no summary is written.
    const other = examplesFs();
    await run(['check', 'examples'], other, '/ws', { GITHUB_STEP_SUMMARY: '/ws/summary.md' });
    assert.equal(other.has('/ws/summary.md'), false);
  });
});
