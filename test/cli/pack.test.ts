/**
 * The CLI's package, as `npm pack` makes it (.npmignore), installed elsewhere: it holds the bin, the bundle
 * and the assets, nothing else, and it runs as the repository's CLI does without any other package. The
 * README's CI workflow installs that tarball and runs commands the CLI takes.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from 'yaml';
import { parseArgs } from '../../server/src/cli/args';
import { REPO } from '../helpers/workspace';

const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { name: string; version: string };
const TARBALL = `${pkg.name}-${pkg.version}.tgz`;

function run(bin: string, args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The YAML of the README's CI workflow: the first yaml block of the section `### In CI`. */
function readmeWorkflow(): { jobs: Record<string, { steps: { run?: string; uses?: string; if?: string; with?: Record<string, unknown> }[] }> } {
  const readme = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('\n### In CI\n'));
  const m = /```yaml\n([\s\S]*?)```/.exec(section);
  assert.ok(m, 'the README has a workflow under "In CI"');
  return parse(m[1]) as ReturnType<typeof readmeWorkflow>;
}

describe('the package of the CLI (npm pack)', function () {
  this.timeout(180_000);
  let tmp: string;
  let packedBin: string;
  let files: string[];

  before(async () => {
    const { buildCli } = (await import(pathToFileURL(path.join(REPO, 'scripts', 'build-cli.mjs')).href)) as {
      buildCli(o?: { logLevel?: string }): Promise<boolean>;
    };
    await buildCli({ logLevel: 'error' });
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'pg-pack-')));
    // The CLI was just built: the prepack script (a build) is not run again.
    const r = spawnSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', tmp], { cwd: REPO, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const report = JSON.parse(r.stdout) as { filename: string; files: { path: string }[] }[];
    assert.equal(report[0].filename, TARBALL);
    files = report[0].files.map((f) => f.path).sort();
    // Unpacked beside nothing: no node_modules above it, no repository around it.
    const t = spawnSync('tar', ['xzf', TARBALL], { cwd: tmp, encoding: 'utf8' });
    assert.equal(t.status, 0, t.stderr);
    packedBin = path.join(tmp, 'package', 'bin', 'phasegate.js');
  });

  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('holds the bin, the bundle and its loader, the schemas and templates, and nothing else', () => {
    const expected = [
      'LICENSE',
      'README.md',
      'package.json',
      'bin/phasegate.js',
      'dist/cli.js',
      'dist/cli-bundle.js',
      ...fs.readdirSync(path.join(REPO, 'schemas')).map((f) => `schemas/${f}`),
      ...fs.readdirSync(path.join(REPO, 'templates')).map((f) => `templates/${f}`),
    ].sort();
    assert.deepEqual(files, expected);
  });

  it("checks, shows and creates as the repository's CLI does, with no other package installed", () => {
    const ws = path.join(tmp, 'ws');
    fs.cpSync(path.join(REPO, 'examples'), ws, { recursive: true });
    const mine = path.join(REPO, 'bin', 'phasegate.js');
    for (const args of [
      ['check', 'ws', '--format', 'sarif'],
      ['check', 'ws'],
      ['status', 'ws', '--format', 'json'],
    ]) {
      const packed = run(packedBin, args, tmp);
      assert.equal(packed.stderr, '', args.join(' '));
      assert.deepEqual(packed, run(mine, args, tmp), args.join(' '));
    }
    // The templates come with it: a new phase is written from them, then checked as the repository's CLI checks it.
    const created = run(packedBin, ['new', 'phase', 'ws/audit-deployment', '--title', 'Rollout'], tmp);
    assert.equal(created.code, 0, created.stderr);
    assert.match(created.stdout, /created {2}ws\/audit-deployment\/phase-4\/00-PHASE_BRIEF\.md/);
    assert.match(fs.readFileSync(path.join(ws, 'audit-deployment', 'phase-4', '00-PHASE_BRIEF.md'), 'utf8'), /Rollout/);
    assert.deepEqual(run(packedBin, ['check', 'ws', '--format', 'json'], tmp), run(mine, ['check', 'ws', '--format', 'json'], tmp));
  });

  it("compiles its bundle once: the first check writes the user's code cache, later runs read it", () => {
    const dir = path.join(tmp, 'user-cache');
    const report = () => {
      const r = spawnSync(process.execPath, [packedBin, 'check', path.join(REPO, 'examples')], {
        cwd: tmp,
        encoding: 'utf8',
        env: { ...process.env, PHASEGATE_CODE_CACHE_REPORT: '1', PHASEGATE_CACHE_DIR: dir },
      });
      return r.stderr.split('\n').filter((l) => l.startsWith('phasegate: code cache'));
    };
    const first = report();
    const [file] = fs.readdirSync(dir);
    assert.deepEqual(first, ['phasegate: code cache none', `phasegate: code cache written (${path.join(dir, file)})`]);
    assert.deepEqual(report(), [`phasegate: code cache accepted (${path.join(dir, file)})`]);
  });

  it("the README's CI workflow installs this tarball and runs commands the CLI takes; its SARIF step writes a log", () => {
    const steps = Object.values(readmeWorkflow().jobs).flatMap((j) => j.steps);
    const install = steps.find((s) => s.run?.startsWith('npm install -g '));
    assert.ok(install, 'a step installs the tarball');
    assert.equal(path.basename(install.run!.split(' ').pop()!), TARBALL);
    const commands = steps.filter((s) => s.run?.startsWith('phasegate ')).map((s) => s.run!);
    assert.ok(commands.length > 0);
    const ws = path.join(tmp, 'ci');
    fs.cpSync(path.join(REPO, 'examples'), ws, { recursive: true });
    for (const command of commands) {
      const [argv, redirect] = command.slice('phasegate '.length).split(' > ');
      const args = argv.split(' ');
      assert.doesNotThrow(() => parseArgs(args), command);
      const r = run(packedBin, args, ws);
      assert.equal(r.code, 0, `${command}: ${r.stderr}`);
      if (redirect) {
        const log = JSON.parse(r.stdout) as { version: string; runs: unknown[] };
        assert.equal(log.version, '2.1.0');
        const upload = steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif'));
        assert.equal(upload?.with?.sarif_file, redirect.trim());
        assert.equal(upload?.if, 'always()');
      }
    }
  });

  it("the README's GitLab job installs this tarball, and its check writes the Code Quality report its artifact names", () => {
    const readme = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('\n### In CI\n'));
    const blocks = [...section.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => parse(m[1]) as Record<string, unknown>);
    const job = blocks.map((b) => b.phasegate as { script?: string[]; artifacts?: { reports?: { codequality?: string } } } | undefined).find((j) => j?.script);
    assert.ok(job?.script, 'a GitLab job named phasegate');
    assert.equal(path.basename(job.script[0].split(' ').pop()!), TARBALL);
    assert.match(job.script[0], /^npm install -g /);
    const [argv, redirect] = job.script[1].slice('phasegate '.length).split(' > ');
    assert.equal(redirect, job.artifacts?.reports?.codequality);
    const ws = path.join(tmp, 'gitlab');
    fs.cpSync(path.join(REPO, 'examples'), ws, { recursive: true });
    const r = run(packedBin, argv.split(' '), ws);
    assert.equal(r.code, 0, r.stderr);
    const issues = JSON.parse(r.stdout) as { check_name: string }[];
    assert.ok(Array.isArray(issues) && issues.length > 0 && issues.every((i) => typeof i.check_name === 'string'));
  });
});
