/** The real process: bin/phasegate.js over the bundled dist/cli.js, on the real examples folder. */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO } from '../helpers/workspace';

const BIN = path.join(REPO, 'bin', 'phasegate.js');

function phasegate(args: string[], cwd = REPO, timeout = 60_000) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', timeout });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('phasegate process (bin/phasegate.js → dist/cli.js)', function () {
  this.timeout(120_000);

  before(async () => {
    // The CLI as esbuild.mjs builds it: bundle, loader and code cache.
    const { buildCli } = (await import(pathToFileURL(path.join(REPO, 'scripts', 'build-cli.mjs')).href)) as {
      buildCli(o?: { logLevel?: string }): Promise<boolean>;
    };
    assert.equal(await buildCli({ logLevel: 'error' }), true, 'the build writes the code cache');
  });

  it('loads the bundle with the code cache the build wrote; a damaged or missing cache only costs the compile', () => {
    const report = (env: Record<string, string>, nodeArgs: string[] = []) => {
      const r = spawnSync(process.execPath, [...nodeArgs, BIN, 'check', 'examples', '--format', 'json'], {
        cwd: REPO,
        encoding: 'utf8',
        // The build's cache alone: the user's is the next test's.
        env: { ...process.env, PHASEGATE_CODE_CACHE_REPORT: '1', PHASEGATE_CODE_CACHE: 'off', ...env },
      });
      return { code: r.status, stdout: r.stdout, cache: /code cache (\w+)/.exec(r.stderr)?.[1] };
    };
    const cacheFile = path.join(REPO, 'dist', 'cli-bundle.js.cache');
    const good = report({});
    assert.equal(good.cache, 'accepted');
    assert.equal(good.code, 0);
    // Other V8 flags than the cache was made with: V8 refuses it, the check runs the same.
    const otherFlags = report({}, ['--max-inlined-bytecode-size-cumulative=920']);
    assert.equal(otherFlags.cache, 'rejected');
    assert.equal(otherFlags.stdout, good.stdout);
    const saved = fs.readFileSync(cacheFile);
    try {
      fs.writeFileSync(cacheFile, Buffer.from('not a code cache'));
      const damaged = report({});
      assert.equal(damaged.cache, 'rejected');
      assert.equal(damaged.stdout, good.stdout);
      fs.rmSync(cacheFile);
      const missing = report({});
      assert.equal(missing.cache, 'none');
      assert.equal(missing.stdout, good.stdout);
    } finally {
      fs.writeFileSync(cacheFile, saved);
    }
  });

  it("without the build's cache (the package of the CLI ships none), a check writes the user's cache and the next run reads it", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-user-cache-'));
    const cacheFile = path.join(REPO, 'dist', 'cli-bundle.js.cache');
    const saved = fs.readFileSync(cacheFile);
    const run = (args: string[], env: Record<string, string> = {}) => {
      const r = spawnSync(process.execPath, [BIN, ...args], {
        cwd: REPO,
        encoding: 'utf8',
        env: { ...process.env, PHASEGATE_CODE_CACHE_REPORT: '1', PHASEGATE_CACHE_DIR: dir, ...env },
      });
      return { code: r.status, stdout: r.stdout, lines: r.stderr.split('\n').filter((l) => l.startsWith('phasegate: code cache')) };
    };
    const caches = () => fs.readdirSync(dir).filter((n) => n.endsWith('.cache'));
    try {
      fs.rmSync(cacheFile);
      // Written whether or not the run reports it (a user's run does not).
      spawnSync(process.execPath, [BIN, 'check', 'examples'], { cwd: REPO, env: { ...process.env, PHASEGATE_CACHE_DIR: dir } });
      assert.equal(caches().length, 1, 'written by a run that does not report');
      fs.rmSync(path.join(dir, caches()[0]));
      // --version runs no check: it reads a cache when there is one, and writes none.
      assert.deepEqual(run(['--version']).lines, ['phasegate: code cache none']);
      assert.deepEqual(caches(), []);
      const first = run(['check', 'examples', '--format', 'json']);
      assert.equal(caches().length, 1);
      const file = path.join(dir, caches()[0]);
      assert.deepEqual(first.lines, ['phasegate: code cache none', `phasegate: code cache written (${file})`]);
      const second = run(['check', 'examples', '--format', 'json']);
      assert.deepEqual(second.lines, [`phasegate: code cache accepted (${file})`], 'read, and not written again');
      assert.deepEqual([second.code, second.stdout], [first.code, first.stdout]);
      // A damaged cache is rejected, the check runs the same, and a good one takes its place.
      fs.writeFileSync(file, 'not a code cache');
      const damaged = run(['check', 'examples', '--format', 'json']);
      assert.deepEqual(damaged.lines, ['phasegate: code cache rejected', `phasegate: code cache written (${file})`]);
      assert.equal(damaged.stdout, first.stdout);
      assert.deepEqual(run(['status', 'examples']).lines, [`phasegate: code cache accepted (${file})`]);
      // Turned off: nothing read, nothing written.
      fs.rmSync(file);
      assert.deepEqual(run(['check', 'examples'], { PHASEGATE_CODE_CACHE: 'off' }).lines, ['phasegate: code cache none']);
      assert.deepEqual(caches(), []);
    } finally {
      fs.writeFileSync(cacheFile, saved);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("writes a user's cache the next run reads also after a check that capped V8's young generation (a run-time flag)", async () => {
    // 300 phases of each layout: the young generation reaches Node 20's size while files are read, and the probe sets its growth factor.
    const ws = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'pg-cc-ws-')));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-user-cache-'));
    const cacheFile = path.join(REPO, 'dist', 'cli-bundle.js.cache');
    const saved = fs.readFileSync(cacheFile);
    try {
      const gen = (await import(pathToFileURL(path.join(REPO, 'bench', 'generate.mjs')).href)) as {
        writeWorkspace: (dir: string, opts: { n: number; seed: number }) => unknown;
      };
      gen.writeWorkspace(ws, { n: 300, seed: 1 });
      fs.rmSync(cacheFile);
      const run = () =>
        spawnSync(process.execPath, [BIN, 'check', ws, '--format', 'json'], {
          encoding: 'utf8',
          maxBuffer: 1 << 28,
          env: { ...process.env, PHASEGATE_CODE_CACHE_REPORT: '1', PHASEGATE_CACHE_DIR: dir },
        })
          .stderr.split('\n')
          .filter((l) => l.startsWith('phasegate: code cache'));
      const [file] = (run(), fs.readdirSync(dir));
      // Was: rejected, and written again at every run (the cache made under the flag the run had set).
      assert.deepEqual(run(), [`phasegate: code cache accepted (${path.join(dir, file)})`]);
    } finally {
      fs.writeFileSync(cacheFile, saved);
      fs.rmSync(dir, { recursive: true, force: true });
      fs.rmSync(ws, { recursive: true, force: true });
    }
  });

  it("starts a parallel check's worker threads on the loader, each reading the build's code cache, with the output of one thread", () => {
    const run = (parallel: string) =>
      spawnSync(process.execPath, [BIN, 'check', 'examples', '--format', 'json'], {
        cwd: REPO,
        encoding: 'utf8',
        env: { ...process.env, PHASEGATE_CODE_CACHE_REPORT: '1', PHASEGATE_CODE_CACHE: 'off', PHASEGATE_PARALLEL_MIN_FILES: parallel },
      });
    const single = run('off');
    const multi = run('0');
    assert.deepEqual([multi.status, multi.stdout], [single.status, single.stdout]);
    // One line of the main thread's, one of each worker's (before: the main thread's alone, the workers compiling the bundle).
    const reports = multi.stderr.split('\n').filter((l) => l !== '');
    assert.ok(reports.length >= 2, multi.stderr);
    assert.deepEqual(new Set(reports), new Set(['phasegate: code cache accepted']));
    assert.deepEqual(
      single.stderr.split('\n').filter((l) => l !== ''),
      ['phasegate: code cache accepted'],
    );
  });

  it('checks the bundled examples: exit 0 and the JSON of the contract', () => {
    const r = phasegate(['check', 'examples', '--format', 'json']);
    assert.equal(r.code, 0, r.stderr + r.stdout.slice(0, 2000));
    const out = JSON.parse(r.stdout) as { diagnostics: { severity: string }[]; phases: { id: string }[] };
    assert.equal(out.phases.length, 6);
    assert.ok(out.diagnostics.every((d) => d.severity !== 'error'));
  });

  it('prints the version of package.json and the status table', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { version: string };
    assert.equal(phasegate(['--version']).stdout, pkg.version + '\n');
    const s = phasegate(['status', 'examples']);
    assert.equal(s.code, 0);
    assert.match(s.stdout, /^phase-3\s.*in-progress/m);
  });

  it('exits 2 with a one-line reason for a missing path, an unknown flag or no command; --help prints the usage to stdout', () => {
    const r = phasegate(['check', 'no/such/folder']);
    assert.deepEqual([r.code, r.stdout, r.stderr], [2, '', 'phasegate: path not found: no/such/folder\n']);
    const flag = phasegate(['check', '--frobnicate']);
    assert.deepEqual([flag.code, flag.stdout, flag.stderr], [2, '', "phasegate: unknown option '--frobnicate' (see phasegate --help)\n"]);
    const none = phasegate([]);
    assert.deepEqual([none.code, none.stdout, none.stderr], [2, '', 'phasegate: no command given: expected check, status or new (see phasegate --help)\n']);
    const help = phasegate(['--help']);
    assert.deepEqual([help.code, help.stderr], [0, '']);
    assert.match(help.stdout, /^Usage: phasegate <command>/);
  });

  it('exits 2 with a one-line reason for a path that is neither a file nor a folder (a device, a pipe)', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'phasegate-cli-'));
    try {
      fs.mkdirSync(path.join(tmp, 'phase-1'));
      fs.symlinkSync('/dev/zero', path.join(tmp, 'phase-1', 'zero.md'));
      assert.equal(spawnSync('mkfifo', [path.join(tmp, 'pipe.md')]).status, 0);
      for (const p of ['/dev/zero', 'pipe.md', 'phase-1/zero.md']) {
        const r = phasegate(['check', p], tmp);
        assert.deepEqual([r.code, r.stdout, r.stderr], [2, '', `phasegate: not a file or folder: ${p}\n`], p);
      }
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  it("reports a workspace's phasegate.yaml that is a folder, a pipe or a device as invalid-config, never reads it, and checks with the defaults", () => {
    const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'pg-cfg-')));
    try {
      const make: Record<string, (p: string) => void> = {
        folder: (p) => fs.mkdirSync(p),
        pipe: (p) => assert.equal(spawnSync('mkfifo', [p]).status, 0),
        device: (p) => fs.symlinkSync('/dev/zero', p),
      };
      for (const [kind, mk] of Object.entries(make)) {
        const ws = path.join(tmp, kind);
        fs.cpSync(path.join(REPO, 'examples', 'audit-deployment'), ws, { recursive: true });
        mk(path.join(ws, 'phasegate.yaml'));
        const why = kind === 'folder' ? 'it is a folder' : 'it is not a regular file';
        // The workspace, and a phase in it: the config marks the workspace's folder either way.
        for (const arg of ['.', 'phase-1']) {
          const r = phasegate(['check', arg], ws);
          assert.equal(r.code, 1, `${kind} ${arg}: ${r.stdout}${r.stderr}`);
          assert.equal(r.stderr, '', kind);
          assert.match(r.stdout, new RegExp(`^phasegate\\.yaml:1:1 {2}error {2}phasegate\\.yaml cannot be read: ${why} {2}\\[invalid-config\\]$`, 'm'), kind);
          // The built-in layouts apply: the phases are found and checked.
          assert.match(r.stdout, /in [1-3] phases?\.\n$/, kind);
        }
      }
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('checks a PATH that is a symbolic link to a phase where it leads, and keeps a linked workspace as named', () => {
    const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'pg-link-')));
    try {
      const ws = path.join(tmp, 'ws');
      fs.cpSync(path.join(REPO, 'examples', 'audit-deployment'), ws, { recursive: true });
      fs.symlinkSync('phase-3', path.join(ws, 'current'));
      const json = (args: string[], cwd: string) => {
        const r = spawnSync(process.execPath, [BIN, ...args, '--format', 'json'], { cwd, env: { ...process.env, PWD: cwd }, encoding: 'utf8' });
        assert.equal(r.status, 0, r.stderr);
        assert.equal(r.stderr, '');
        return JSON.parse(r.stdout) as { phases: { folder: string }[]; diagnostics: { file: string }[] };
      };
      // No phasegate.yaml: the link is no phase folder, what it leads to is.
      const folder = json(['check', 'current'], ws);
      assert.deepEqual(
        folder.phases.map((p) => p.folder),
        ['phase-3'],
      );
      assert.ok(folder.diagnostics.length > 0);
      for (const d of folder.diagnostics) assert.match(d.file, /^phase-3\//);
      const file = json(['check', 'current/07-VALIDATION.md'], ws);
      assert.deepEqual(
        file.phases.map((p) => p.folder),
        ['phase-3'],
      );
      assert.ok(file.diagnostics.every((d) => d.file === 'phase-3/07-VALIDATION.md'));
      assert.match(phasegate(['status', 'current'], ws).stdout, /^phase-3 /m);
      // With one: the link leads elsewhere in the same workspace.
      fs.writeFileSync(path.join(ws, 'phasegate.yaml'), '');
      assert.deepEqual(
        json(['check', 'current'], ws).phases.map((p) => p.folder),
        ['phase-3'],
      );
      // A phase folder or a document that is a link, and that the scan reads as a phase's (it follows links), is checked as given.
      fs.mkdirSync(path.join(ws, 'shared'));
      fs.renameSync(path.join(ws, 'phase-3', '00-PHASE_BRIEF.md'), path.join(ws, 'shared', 'brief.md'));
      fs.symlinkSync(path.join('..', 'shared', 'brief.md'), path.join(ws, 'phase-3', '00-PHASE_BRIEF.md'));
      assert.deepEqual(
        json(['check', 'phase-3/00-PHASE_BRIEF.md'], ws).phases.map((p) => p.folder),
        ['phase-3'],
      );
      // A link to a whole workspace is checked under the name given.
      fs.symlinkSync(ws, path.join(tmp, 'linked'));
      const linked = json(['check', 'linked'], tmp);
      assert.equal(linked.phases.length, 3);
      for (const d of linked.diagnostics) assert.match(d.file, /^linked\//);
      // A phase folder linked from elsewhere in the workspace is the phase the scan reads.
      fs.mkdirSync(path.join(ws, 'streams'));
      fs.renameSync(path.join(ws, 'phase-2'), path.join(ws, 'streams', 'phase-2'));
      fs.symlinkSync(path.join('streams', 'phase-2'), path.join(ws, 'phase-2'));
      const streamed = json(['check', 'phase-2'], ws);
      assert.deepEqual(
        streamed.phases.map((p) => p.folder),
        ['phase-2'],
      );
      assert.ok(streamed.diagnostics.every((d) => d.file.startsWith('phase-2/')));
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('prints paths from the current folder as the shell names it, also when it was reached through a symbolic link', () => {
    const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'pg-cwd-')));
    try {
      fs.cpSync(path.join(REPO, 'examples'), path.join(tmp, 'ws'), { recursive: true });
      fs.symlinkSync(path.join(tmp, 'ws'), path.join(tmp, 'link'));
      const logical = path.join(tmp, 'link');
      const r = spawnSync(process.execPath, [BIN, 'check', path.join(logical, 'audit-deployment'), '--format', 'sarif'], {
        cwd: logical,
        env: { ...process.env, PWD: logical },
        encoding: 'utf8',
      });
      assert.equal(r.status, 0, r.stderr);
      const sarif = JSON.parse(r.stdout) as { runs: { results: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] };
      const uris = sarif.runs[0].results.map((x) => x.locations[0].physicalLocation.artifactLocation.uri);
      assert.ok(uris.length > 0);
      for (const u of uris) assert.match(u, /^audit-deployment\//);
      // A PWD that names another folder is not taken.
      const other = spawnSync(process.execPath, [BIN, 'check', 'audit-deployment', '--format', 'json'], {
        cwd: logical,
        env: { ...process.env, PWD: os.tmpdir() },
        encoding: 'utf8',
      });
      assert.equal(other.status, 0, other.stderr);
      assert.match(other.stdout, /"file": "audit-deployment\//);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('creates files with an exclusive create and never overwrites them', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'phasegate-cli-'));
    try {
      const first = phasegate(['new', 'phase', '--layout', 'audit', '--title', 'Foundation Audit'], tmp);
      assert.equal(first.code, 0, first.stderr);
      const brief = path.join(tmp, 'phase-1', '00-PHASE_BRIEF.md');
      assert.match(fs.readFileSync(brief, 'utf8'), /^# Phase 1: Foundation Audit$/m);
      fs.writeFileSync(brief, 'mine\n');
      const again = phasegate(['new', 'handoff', 'phase-1'], tmp);
      assert.equal(again.code, 1);
      assert.match(again.stdout, /^skipped {2}phase-1\/06-OUTPUT_HANDOFF\.md {2}\(already exists\)$/m);
      assert.equal(fs.readFileSync(brief, 'utf8'), 'mine\n');
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('finishes writing a new phase when its output pipe is closed (`new phase | true`), and ends a check so piped', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'phasegate-cli-'));
    try {
      // `true` reads nothing and exits at once: every line the CLI prints meets a closed pipe.
      const piped = (args: string) =>
        spawnSync('bash', ['-c', `set -o pipefail; "${process.execPath}" "${BIN}" ${args} | true`], { cwd: tmp, encoding: 'utf8', timeout: 60_000 });
      const r = piped('new phase --layout audit --title "Foundation Audit"');
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stderr, '');
      const made = fs.readdirSync(path.join(tmp, 'phase-1')).sort();
      assert.deepEqual(
        made.filter((f) => f.endsWith('.md')),
        ['00-PHASE_BRIEF.md', '01-INPUT_HANDOFF.md', '02-EXECUTION_PLAN.md', '05-DECISIONS.md', '06-OUTPUT_HANDOFF.md', '07-VALIDATION.md'],
      );
      assert.ok(made.includes('03-FINDINGS') && made.includes('04-ARTIFACTS'), made.join(', '));
      // A check only reads: it ends, without a stack trace, its exit code kept.
      const check = piped('check .');
      assert.equal(check.stderr, '');
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('new: a hostile workspace template is refused with exit 2 and a one-line reason, and nothing is written', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'phasegate-cli-'));
    try {
      fs.mkdirSync(path.join(tmp, 'phase-1'));
      fs.writeFileSync(path.join(tmp, 'phase-1', '00-PHASE_BRIEF.md'), '# Phase 1: A\n');
      const templates = path.join(tmp, '.phasegate', 'templates');
      fs.mkdirSync(templates, { recursive: true });
      const nest = (n: number) => `${'{{#each @root.layout.documents}}'.repeat(n)}x${'{{/each}}'.repeat(n)}\n`;
      const cases: [number, RegExp][] = [
        // 12 nested blocks (6^12 runs, the audit's reproduction): refused when compiled.
        [12, /^phasegate: Template .*validation\.md\.hbs, line 1: blocks are nested more than 10 deep$/],
        // 9 nested blocks (6^9 = 10 million runs of the body): stopped by the render budget.
        [9, /^phasegate: Template .*validation\.md\.hbs, line 1: rendering stopped after 1,000,000 steps .*$/],
      ];
      for (const [n, reason] of cases) {
        fs.writeFileSync(path.join(templates, 'validation.md.hbs'), nest(n));
        // Killed after 20 s: a hang deadline, not a speed bound. The refusal or the budget, named by the reason
        // asserted below, is what ends the run (test/unit/template-budget.test.ts checks that the budget stops it).
        const r = phasegate(['new', 'phase'], tmp, 20_000);
        assert.equal(r.code, 2, `exit code (null: killed after 20 s)\n${r.stderr}`);
        assert.equal(r.stdout, '');
        assert.equal(r.stderr.split('\n').length, 2, r.stderr);
        assert.match(r.stderr.trimEnd(), reason);
        assert.deepEqual(fs.readdirSync(tmp).sort(), ['.phasegate', 'phase-1']);
      }
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
