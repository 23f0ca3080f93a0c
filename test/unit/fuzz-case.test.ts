/**
 * Property-based checks of the names told when they differ from the expected ones by case alone: phasegate.yaml's
 * `ignore` and `layouts[].phases` globs (glob-case.ts), the built-in layouts' names (layout-case.ts: `Workstreams/`,
 * a would-be phase's only documents, the project plan) and a phase's documents and folders (rules/structure.ts).
 * Small workspaces of audit `phase-N/` and `phase_N/` folders, iAI `workstreams/<W>/<Phase>/` folders, a project
 * plan and a config with globs, every name written in a random case. FUZZ_RUNS sets the number of cases (default
 * 100 each, a few seconds in all), FUZZ_SEED the seed (fast-check prints it on a failure).
 */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { Diagnostic, MemoryFileSystem, PhasegateService } from '../../server/src/service';

type FileChange = Parameters<PhasegateService['filesChanged']>[0][number];
import { ROOT } from '../helpers/workspace';
import { loudOn } from '../helpers/fuzz';

const RUNS = Number(process.env.FUZZ_RUNS ?? 100);
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;
const params = (runs = RUNS) => ({ numRuns: runs, seed: SEED });

const AUDIT_DOCS = ['00-PHASE_BRIEF.md', '01-INPUT_HANDOFF.md', '02-EXECUTION_PLAN.md', '05-DECISIONS.md', '06-OUTPUT_HANDOFF.md', '07-VALIDATION.md'];
const AUDIT_FOLDERS = ['03-FINDINGS', '04-ARTIFACTS'];
const IAI_DOCS = ['implementation_prompt.md', 'implementation_response_from_AI.md'];
const PLAN = 'project_implementation_plan.md';
const WORKSTREAMS = 'workstreams';
const PHASES_GLOB = 'sprints/sprint-*';
const IGNORE_GLOB = 'drafts/**';

/** A name as written: the expected one, or with some of its letters in the other case (which may give it back). */
interface Named {
  want: string;
  written: string;
  /** Written in another case beside the expected name (a second file or folder, where the file system keeps case). */
  both?: boolean;
}
/** Written in another case: told, alone (to be renamed) or beside the expected name (to be merged with it). */
const miscased = (n: Named) => n.written !== n.want;
/** The expected name is there. */
const ok = (n: Named) => n.written === n.want || !!n.both;
function caseOf(want: string): fc.Arbitrary<Named> {
  return fc.oneof(
    fc.constant({ want, written: want }),
    fc.array(fc.boolean(), { minLength: want.length, maxLength: want.length }).map((flips) => ({
      want,
      written: [...want].map((c, i) => (flips[i] ? (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()) : c)).join(''),
    })),
  );
}
/** `want` in a random case, now and then beside `want` as written. */
const caseOrBoth = (want: string): fc.Arbitrary<Named> =>
  fc.tuple(caseOf(want), fc.integer({ min: 0, max: 4 })).map(([n, k]) => (k === 0 && n.written !== want ? { ...n, both: true } : n));
/** Some of `names`, each in a random case (now and then also as named). */
const someOf = (names: string[]) => fc.subarray(names).chain((ns) => (ns.length ? fc.tuple(...ns.map(caseOrBoth)) : fc.constant([] as Named[])));

interface AuditPhase {
  /** `phase-N` (a phase by its name, in any case) or `phase_N` (a phase when it holds an audit document as named). */
  loose: boolean;
  folder: string;
  docs: Named[];
  folders: Named[];
}
interface IaiPhase {
  /** `Phase_N_Setup` (a phase by its name) or `Notes` (a phase when it holds an iAI document as named). */
  folder: string;
  docs: Named[];
}
interface Shape {
  audit: AuditPhase[];
  /** The folder of the iAI tree and the plan: the root, a subfolder, or an audit phase (where nothing is a phase of its own). */
  under: '' | 'proj/' | 'phase-7/';
  workstreams: Named;
  iai: IaiPhase[];
  plan: Named | undefined;
  /** The globs, and the folders they are to match (`sprints/sprint-1/`, `drafts/`) as written. */
  config: { phases: Named | undefined; ignore: Named | undefined; sprints: string; drafts: string } | undefined;
}

const auditPhase = (n: number): fc.Arbitrary<AuditPhase> =>
  fc
    .record({
      loose: fc.boolean(),
      folder: caseOf('phase').map((c) => c.written),
      docs: someOf(AUDIT_DOCS),
      folders: someOf(AUDIT_FOLDERS),
    })
    .map((p) => ({ ...p, folder: `${p.folder}${p.loose ? '_' : '-'}${n}` }));
const iaiPhase = (n: number): fc.Arbitrary<IaiPhase> =>
  fc.record({ byName: fc.boolean(), docs: someOf(IAI_DOCS) }).map((p) => ({ folder: p.byName ? `Phase_${n}_Setup` : `Notes_${n}`, docs: p.docs }));
const shape: fc.Arbitrary<Shape> = fc.record({
  under: fc.constantFrom<Shape['under']>('', '', 'proj/', 'phase-7/'),
  audit: fc.integer({ min: 0, max: 2 }).chain((k) => (k ? fc.tuple(...Array.from({ length: k }, (_, i) => auditPhase(i + 1))) : fc.constant([]))),
  workstreams: caseOf(WORKSTREAMS),
  iai: fc.integer({ min: 0, max: 2 }).chain((k) => (k ? fc.tuple(...Array.from({ length: k }, (_, i) => iaiPhase(i + 1))) : fc.constant([]))),
  plan: fc.option(caseOrBoth(PLAN), { nil: undefined }),
  config: fc.option(
    fc.record({
      phases: fc.option(caseOf(PHASES_GLOB), { nil: undefined }),
      ignore: fc.option(caseOf(IGNORE_GLOB), { nil: undefined }),
      sprints: fc.oneof(
        fc.constant('sprints/sprint'),
        caseOf('sprints/sprint').map((n) => n.written),
      ),
      drafts: fc.oneof(
        fc.constant('drafts'),
        caseOf('drafts').map((n) => n.written),
      ),
    }),
    {
      nil: undefined,
    },
  ),
});

function configText(c: NonNullable<Shape['config']>): string {
  const lines: string[] = [];
  if (c.ignore) lines.push(`ignore: ["${c.ignore.written}"]`);
  if (c.phases)
    lines.push('layouts:', '  - name: sprint', `    phases: "${c.phases.written}"`, '    documents:', '      - kind: brief', '        file: GOALS.md');
  return lines.length ? lines.join('\n') + '\n' : '# nothing\n';
}

const written = (n: Named) => (n.both ? [n.written, n.want] : [n.written]);

/** The workspace's files, relative to the root. */
function filesOf(s: Shape): Record<string, string> {
  // The folder opened exists (the file system in memory has folders by their files).
  const out: Record<string, string> = { 'README.md': '# Readme\n' };
  for (const p of s.audit) {
    for (const d of p.docs) for (const n of written(d)) out[`${p.folder}/${n}`] = `# Phase 1: Start\n\nText.\n`;
    for (const f of p.folders) for (const n of written(f)) out[`${p.folder}/${n}/a.md`] = '# A finding\n';
  }
  for (const p of s.iai) {
    out[`${s.under}${s.workstreams.written}/Build/${p.folder}/notes.txt`] = 'notes';
    for (const d of p.docs) for (const n of written(d)) out[`${s.under}${s.workstreams.written}/Build/${p.folder}/${n}`] = '# Phase 1: Setup\n\nText.\n';
  }
  if (s.plan) for (const n of written(s.plan)) out[s.under + n] = '# Plan\n';
  if (s.config) {
    out['phasegate.yaml'] = configText(s.config);
    out[`${s.config.sprints}-1/GOALS.md`] = '# Sprint 1\n';
    out[`${s.config.drafts}/notes.md`] = '# Notes\n';
  }
  return out;
}

/**
 * The oracle, from the shape alone: whether some name differs from an expected one by case only where that
 * leaves it unread, alone or beside the expected one. An audit `phase-N/` folder is a phase in any case: each
 * document or folder in another case is told. A `phase_N/` folder is one when it holds a document as named: then
 * the same; else a document in another case is told (what would make it a phase), and its folders with it. In
 * `workstreams/`, a document in another case is told; a `Workstreams/` folder is told when a folder in it would be
 * a phase (by its name, or a document in any case). A plan, and a glob that misses the folders by case, are told.
 */
function expectsCaseWarning(s: Shape): boolean {
  for (const p of s.audit) {
    if (p.docs.some(miscased)) return true;
    const phase = !p.loose || p.docs.some(ok);
    if (phase && p.folders.some(miscased)) return true;
  }
  // In an audit phase, a folder is no phase of its own: its names are not told.
  if (s.iai.length && s.under !== 'phase-7/') {
    if (miscased(s.workstreams)) {
      if (s.iai.some((p) => /^Phase_/.test(p.folder) || p.docs.length > 0)) return true;
    } else if (s.iai.some((p) => p.docs.some(miscased))) return true;
  }
  if (s.plan && miscased(s.plan)) return true;
  // A glob that misses its folder by case (the globs' literal parts, `sprints/sprint` of `sprints/sprint-*`, against the folders).
  if (s.config?.phases && s.config.phases.written.slice(0, 14) !== s.config.sprints) return true;
  if (s.config?.ignore && s.config.ignore.written.slice(0, 6) !== s.config.drafts) return true;
  return false;
}

const CASE_MESSAGE = /in another case|ignoring case|is not the iAI layout's workstreams\/ folder|is not read as the project plan/;
const isCaseWarning = (d: Diagnostic) => CASE_MESSAGE.test(d.message);

const isDir = (fs: MemoryFileSystem, p: string) => fs.paths().some((f) => f.startsWith(p + '/'));
const existsOn = (fs: MemoryFileSystem, p: string) => fs.has(p) || isDir(fs, p);

/** Every diagnostic the engine gives, by diagnosed path, and the config's and the scan's. */
function everything(svc: PhasegateService): Diagnostic[] {
  const out = [...svc.diagnoseAll()];
  for (const f of svc.diagnosedPaths()) out.push(...svc.diagnose(f));
  return out;
}

/** Property 1: each diagnostic is at a file or folder of the workspace, its range inside the file's text. */
function assertWellPlaced(fs: MemoryFileSystem, ds: Diagnostic[], log: string): void {
  for (const d of ds) {
    assert.ok(existsOn(fs, d.file), `${d.file} does not exist (${d.message})\n${log}`);
    const lines = (fs.text(d.file) ?? '').split('\n');
    for (const p of [d.range.start, d.range.end]) {
      assert.ok(p.line >= 0 && p.line < lines.length, `line ${p.line} outside ${d.file} (${d.message})\n${log}`);
      assert.ok(p.character >= 0 && p.character <= lines[p.line].length, `character ${p.character} outside ${d.file}:${p.line} (${d.message})\n${log}`);
    }
    const { start, end } = d.range;
    assert.ok(start.line < end.line || (start.line === end.line && start.character <= end.character), `range ends before it starts: ${d.message}\n${log}`);
  }
}

/** What a case warning says to do: a path that exists and the name to give it (a glob: the config written with it as named). */
interface Rename {
  from: string;
  to: string;
  /** `to` is there: what `from` holds is merged into it (the files `to` lacks moved there), and `from` deleted. */
  merge?: boolean;
}
function renameOf(svc: PhasegateService, fs: MemoryFileSystem, d: Diagnostic, log: string): Rename | { config: string } {
  const glob = /^(ignore|layouts)\[0\](?:\.phases)?: `([^`]+)` (?:matches no folder, but would match|does not leave out) `([^`]+)`/.exec(d.message);
  if (glob) {
    assert.ok(existsOn(fs, `${ROOT}/${glob[3]}`), `the path named does not exist: ${d.message}\n${log}`);
    // The glob written as the path named is: its literal part (all but its `*` or `/**`) from the path.
    const tail = glob[1] === 'ignore' ? '/**' : '*';
    const literal = glob[2].slice(0, -tail.length);
    assert.equal(glob[3].slice(0, literal.length).toLowerCase(), literal.toLowerCase(), d.message);
    const text = fs.text(`${ROOT}/phasegate.yaml`)!;
    return { config: text.replace(`"${glob[2]}"`, `"${glob[3].slice(0, literal.length)}${tail}"`) };
  }
  const to = /; (?:rename it|merge the two into) ([^\s/]+)\.$/.exec(d.message);
  assert.ok(to, `no name to rename to: ${d.message}\n${log}`);
  const merge = /; merge the two into /.test(d.message);
  let from: string;
  const inPhase = /: (\S+?)\/? is named in another case/.exec(d.message);
  if (/^(?:Phase )?\S+ has no /.test(d.message)) {
    assert.ok(inPhase, d.message);
    const phase = svc.model.phases.find((p) => d.file === p.folder || d.file.startsWith(p.folder + '/'));
    assert.ok(phase, `no phase holds ${d.file}\n${log}`);
    from = `${phase.folder}/${inPhase[1]}`;
  } else from = d.file;
  assert.ok(existsOn(fs, from), `the path to rename does not exist: ${from} (${d.message})\n${log}`);
  const target = `${from.slice(0, from.lastIndexOf('/'))}/${to[1]}`;
  assert.notEqual(target, from);
  assert.equal(target.toLowerCase(), from.toLowerCase(), `the name to give differs by more than case: ${d.message}`);
  // To be merged with the one beside it when that one is there, else renamed (never over it).
  assert.equal(existsOn(fs, target), merge, `${merge ? 'merge into' : 'rename to'} ${target}, which is ${merge ? 'not ' : ''}there: ${d.message}\n${log}`);
  return { from, to: target, merge };
}

/** Renames `from` (a file or a folder) on disk, and tells the engine: one batch, or the deletion and the creation apart. */
async function apply(svc: PhasegateService, fs: MemoryFileSystem, r: Rename | { config: string }, split: boolean): Promise<void> {
  if ('config' in r) {
    fs.write(`${ROOT}/phasegate.yaml`, r.config);
    await svc.filesChanged([{ path: `${ROOT}/phasegate.yaml`, type: 'changed' }]);
    return;
  }
  const moved = fs.paths().filter((p) => p === r.from || p.startsWith(r.from + '/'));
  const texts = moved.map((p) => [p, fs.text(p)!] as const);
  fs.delete(r.from);
  // Merged: the target's own files kept.
  for (const [p, t] of texts) if (!r.merge || !fs.has(r.to + p.slice(r.from.length))) fs.write(r.to + p.slice(r.from.length), t);
  const events: FileChange[] = [
    { path: r.from, type: 'deleted' },
    { path: r.to, type: r.merge && fs.has(r.to) ? 'changed' : 'created' },
  ];
  if (split) for (const e of events) await svc.filesChanged([e]);
  else await svc.filesChanged(events);
}

const describeShape = (s: Shape) => JSON.stringify(filesOf(s), null, 1);

describe('fuzz: names that differ by case alone', function () {
  this.timeout(120000);

  it('no crash, every diagnostic at a path of the workspace within its text; a case warning iff some name differs by case alone', async () => {
    await fc.assert(
      fc.asyncProperty(shape, async (s) => {
        const fs = new MemoryFileSystem();
        for (const [p, t] of Object.entries(filesOf(s))) fs.write(`${ROOT}/${p}`, t);
        const svc = await loudOn(fs);
        const log = describeShape(s);
        const all = everything(svc);
        assertWellPlaced(fs, all, log);
        const told = all.filter(isCaseWarning).map((d) => `${d.file}: ${d.message}`);
        if (expectsCaseWarning(s)) assert.ok(told.length > 0, `no case warning for:\n${log}`);
        else assert.deepEqual(told, [], `case warnings where every name is as expected (or unread in any case):\n${log}`);
      }),
      params(),
    );
  });

  it('with every name written as expected, no case warning at all', async () => {
    const right = (n: Named | undefined) => n && { want: n.want, written: n.want };
    await fc.assert(
      fc.asyncProperty(shape, async (s0) => {
        const s: Shape = {
          under: s0.under,
          audit: s0.audit.map((p) => ({ ...p, docs: p.docs.map((d) => right(d)!), folders: p.folders.map((d) => right(d)!) })),
          workstreams: right(s0.workstreams)!,
          iai: s0.iai.map((p) => ({ ...p, docs: p.docs.map((d) => right(d)!) })),
          plan: right(s0.plan),
          config: s0.config && { phases: right(s0.config.phases), ignore: right(s0.config.ignore), sprints: 'sprints/sprint', drafts: 'drafts' },
        };
        const fs = new MemoryFileSystem();
        for (const [p, t] of Object.entries(filesOf(s))) fs.write(`${ROOT}/${p}`, t);
        const svc = await loudOn(fs);
        assert.deepEqual(everything(svc).filter(isCaseWarning), [], describeShape(s));
      }),
      params(Math.max(1, Math.round(RUNS / 2))),
    );
  });

  it('each warning names a path that exists and the name to give it; renamed (file events), the warning goes, and the engine agrees with a fresh one', async () => {
    await fc.assert(
      fc.asyncProperty(shape, fc.array(fc.boolean(), { minLength: 30, maxLength: 30 }), async (s, splits) => {
        const fs = new MemoryFileSystem();
        for (const [p, t] of Object.entries(filesOf(s))) fs.write(`${ROOT}/${p}`, t);
        const svc = await loudOn(fs);
        const log = [describeShape(s)];
        for (let step = 0; step < 30; step++) {
          const warnings = everything(svc).filter(isCaseWarning);
          if (!warnings.length) break;
          const w = warnings[0];
          const r = renameOf(svc, fs, w, log.join('\n'));
          log.push(`after ${'config' in r ? 'the config written again' : `${r.from} → ${r.to}`}${splits[step] ? ' (two events)' : ''}:`);
          await apply(svc, fs, r, splits[step]);
          const now = everything(svc);
          assertWellPlaced(fs, now, log.join('\n'));
          assert.ok(!now.some((d) => d.file === w.file && d.message === w.message), `the warning stays: ${w.file}: ${w.message}\n${log.join('\n')}`);
          // Property 5: the engine after the file events finds what a fresh one finds on the result.
          const fresh = await loudOn(fs);
          assert.deepEqual(svc.diagnosedPaths(), fresh.diagnosedPaths(), log.join('\n'));
          assert.deepEqual(
            svc.model.phases.map((p) => p.folder),
            fresh.model.phases.map((p) => p.folder),
            log.join('\n'),
          );
          assert.deepEqual(svc.diagnoseAll(), fresh.diagnoseAll(), log.join('\n'));
          for (const f of fresh.diagnosedPaths()) assert.deepEqual(svc.diagnose(f), fresh.diagnose(f), `diagnostics of ${f}, ${log.join('\n')}`);
        }
        assert.deepEqual(everything(svc).filter(isCaseWarning), [], `warnings left after the renames:\n${log.join('\n')}`);
      }),
      params(),
    );
  });

  it('after random files and folders created, deleted and renamed in another case (file events), the engine agrees with a fresh one', async () => {
    const NAMES = [...AUDIT_DOCS, ...AUDIT_FOLDERS.map((f) => f + '/'), ...IAI_DOCS, PLAN, WORKSTREAMS + '/', 'Phase_3_Extra/', 'phase_4/', 'phase-5/'];
    const edit = fc.record({
      kind: fc.constantFrom('create', 'create', 'delete', 'recase'),
      at: fc.nat(),
      name: fc.constantFrom(...NAMES).chain((n) => caseOf(n)),
      split: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(shape, fc.array(edit, { minLength: 1, maxLength: 5 }), async (s, edits) => {
        const fs = new MemoryFileSystem();
        for (const [p, t] of Object.entries(filesOf(s))) fs.write(`${ROOT}/${p}`, t);
        const svc = await loudOn(fs);
        everything(svc);
        const log = [describeShape(s)];
        for (const e of edits) {
          // The config stays (a config that comes and goes is not what is checked here), and the README (which keeps the root).
          const files = fs.paths().filter((p) => p !== `${ROOT}/phasegate.yaml` && p !== `${ROOT}/README.md`);
          const dirs = [
            ...new Set(
              files.flatMap((f) =>
                f
                  .split('/')
                  .slice(2, -1)
                  .map((_, i, parts) => `${ROOT}/${parts.slice(0, i + 1).join('/')}`),
              ),
            ),
          ].sort();
          let events: { path: string; type: 'created' | 'changed' | 'deleted' }[];
          if (e.kind === 'create') {
            const dir = [ROOT, ...dirs][e.at % (dirs.length + 1)];
            const name = e.name.written.replace(/\/$/, '');
            const path = `${dir}/${name}`;
            if (e.name.written.endsWith('/')) {
              if (existsOn(fs, path)) continue;
              fs.write(`${path}/notes.md`, '# Notes\n');
              events = [{ path, type: 'created' }];
            } else {
              if (isDir(fs, path)) continue;
              events = [{ path, type: fs.has(path) ? 'changed' : 'created' }];
              fs.write(path, '# Phase 1: Start\n\nText.\n');
            }
          } else if (e.kind === 'delete') {
            const all = [...files, ...dirs];
            if (!all.length) continue;
            let path = all[e.at % all.length];
            // The file system in memory has a folder while it holds a file: a folder left empty is deleted with it.
            while (
              path.lastIndexOf('/') > ROOT.length &&
              !fs.paths().some((f) => f.startsWith(path.slice(0, path.lastIndexOf('/') + 1)) && f !== path && !f.startsWith(path + '/'))
            )
              path = path.slice(0, path.lastIndexOf('/'));
            fs.delete(path);
            events = [{ path, type: 'deleted' }];
          } else {
            const all = [...files, ...dirs];
            if (!all.length) continue;
            const from = all[e.at % all.length];
            const name = from.slice(from.lastIndexOf('/') + 1);
            const to = `${from.slice(0, from.lastIndexOf('/'))}/${name === name.toUpperCase() ? name.toLowerCase() : name.toUpperCase()}`;
            if (to === from || existsOn(fs, to)) continue;
            await apply(svc, fs, { from, to }, e.split);
            log.push(`${from} → ${to}`);
            events = [];
          }
          if (events.length) {
            log.push(events.map((v) => `${v.type} ${v.path}`).join(', '));
            await svc.filesChanged(events);
          }
          // What is asked between changes, as the server does.
          if (e.split) everything(svc);
          const fresh = await loudOn(fs);
          const why = log.join('\n');
          assertWellPlaced(fs, everything(svc), why);
          assert.deepEqual(svc.diagnosedPaths(), fresh.diagnosedPaths(), why);
          assert.deepEqual(
            svc.model.phases.map((p) => p.folder),
            fresh.model.phases.map((p) => p.folder),
            why,
          );
          assert.deepEqual(svc.diagnoseAll(), fresh.diagnoseAll(), why);
          for (const f of fresh.diagnosedPaths()) assert.deepEqual(svc.diagnose(f), fresh.diagnose(f), `diagnostics of ${f}, ${why}`);
        }
      }),
      params(),
    );
  });
});
