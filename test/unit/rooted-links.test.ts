/**
 * A workspace below its repository's root (`phasegate check docs/phases`, an editor opened there) judges links and
 * artifact paths as the repository's root does: links written from a root (`/RUNBOOK.md`) are read from the workspace
 * root where something is there, else from the repository's root, as GitHub reads them; a path that leaves the
 * workspace but stays in the repository is looked for there.
 */
import * as assert from 'node:assert/strict';
import type { Connection, TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { MemoryFileSystem, PhasegateService } from '../../server/src/service';
import { REPOSITORY_ANSWER_MS, findRepositoryRoot, repositoryAbove } from '../../server/src/service/repo-root';
import { ServerContext } from '../../server/src/lsp/context';
import { definition, documentLinks } from '../../server/src/lsp/links';
import type { Settings } from '../../server/src/lsp/settings';
import type { Folder, Workspaces } from '../../server/src/lsp/workspaces';
import { pathToUri } from '../../server/src/lsp/uri';
import { assets, loudLogger } from '../helpers/workspace';

const WS = '/repo/docs/phases';

const BRIEF = [
  '---',
  'phase: 1',
  'status: in-progress',
  '---',
  '',
  '# Phase 1: Discovery',
  '',
  '## Objectives',
  '',
  'See [the runbook](/RUNBOOK.md), [the guide](/docs/guide.md), [our plan](/phase-1/02-EXECUTION_PLAN.md),',
  '[a lost page](/docs/phases/phase-1/lost.md), [a gone page](/phase-1/gone.md) and [the plan](/docs/phases/phase-1/02-EXECUTION_PLAN.md).',
  'Up: [guide](../../guide.md), [missing](../../../MISSING.md), [a package](../../../node_modules/x/README.md), [away](../../../../away.md).',
  '',
].join('\n');

const VALIDATION = [
  '# Phase 1 Validation',
  '',
  '## Gate 1: Completeness',
  '',
  '- [x] Runbook reviewed: [runbook](/RUNBOOK.md)',
  '- [x] Lost page reviewed: [lost](/docs/phases/phase-1/lost.md)',
  '- [x] Guide reviewed: [guide](../../guide.md)',
  '- [x] Missing reviewed: [missing](../../../MISSING.md)',
  '',
].join('\n');

const HANDOFF = [
  '# Phase 1 Output Handoff',
  '',
  '## Artifacts Produced',
  '',
  '- Runbook: `/RUNBOOK.md` - how to run it',
  '- Notes: `/docs/phases/phase-1/notes.md` - what we saw',
  '- Service: `src/app.ts` - the service',
  '- Old service: src/old.ts - removed',
  '',
].join('\n');

async function load(withGit: boolean): Promise<PhasegateService> {
  const fs = new MemoryFileSystem({
    '/repo/RUNBOOK.md': '# Runbook\n',
    '/repo/docs/guide.md': '# Guide\n',
    '/repo/src/app.ts': 'export {};\n',
    [`${WS}/phase-1/00-PHASE_BRIEF.md`]: BRIEF,
    [`${WS}/phase-1/02-EXECUTION_PLAN.md`]: '# Phase 1 Execution Plan\n',
    [`${WS}/phase-1/06-OUTPUT_HANDOFF.md`]: HANDOFF,
    [`${WS}/phase-1/07-VALIDATION.md`]: VALIDATION,
  });
  if (withGit) fs.write('/repo/.git/HEAD', 'ref: refs/heads/main\n');
  const svc = new PhasegateService({ fs, assets, logger: loudLogger });
  await svc.load(WS);
  return svc;
}

const found = (svc: PhasegateService, rel: string, code: string) =>
  svc
    .diagnose(`${WS}/${rel}`)
    .filter((d) => d.code === code)
    .map((d) => [d.range.start.line, d.message]);

describe('a workspace below its repository root', () => {
  it('finds the repository root: the nearest folder at or above the workspace with a .git, a folder or a file', async () => {
    const fs = new MemoryFileSystem({ '/a/.git': 'gitdir: /elsewhere\n', '/a/b/c/x.md': '' });
    assert.equal(await findRepositoryRoot(fs, '/a/b/c'), '/a');
    assert.equal(await findRepositoryRoot(fs, '/a'), '/a');
    assert.equal(await findRepositoryRoot(new MemoryFileSystem({ '/a/b/x.md': '' }), '/a/b'), undefined);
  });

  it('reads a rooted link from the workspace root, else the repository root, and looks for paths that leave the workspace there', async () => {
    const svc = await load(true);
    assert.equal(svc.repository?.root, '/repo');
    // The runbook and the guide are at the repository root; the plan at the workspace root (and at the repository
    // root's docs/phases). lost.md is missing from both; so is gone.md. Up: the guide is there, MISSING.md is not;
    // node_modules is no folder a scan enters, and away.md leaves the repository: neither is judged.
    assert.deepEqual(found(svc, 'phase-1/00-PHASE_BRIEF.md', 'broken-link'), [
      [10, 'Link target "/docs/phases/phase-1/lost.md" does not exist.'],
      [10, 'Link target "/phase-1/gone.md" does not exist.'],
      [11, 'Link target "../../../MISSING.md" does not exist.'],
    ]);
    // The fix creates the page where GitHub would look for it, in the workspace; none is offered outside it.
    const fixOf = (name: string) =>
      (svc.diagnose(`${WS}/phase-1/00-PHASE_BRIEF.md`).find((d) => d.message.includes(name))?.data as { file?: string } | undefined)?.file;
    assert.equal(fixOf('lost.md'), `${WS}/phase-1/lost.md`);
    assert.equal(fixOf('gone.md'), undefined);
    // Evidence: links to the runbook and the guide are evidence; those to the lost page and MISSING.md are not.
    assert.deepEqual(
      found(svc, 'phase-1/07-VALIDATION.md', 'gate-item-no-evidence').map(([line]) => line),
      [5, 7],
    );
    // missing-artifact: the runbook and src/app.ts are at the repository root; notes.md and src/old.ts are nowhere.
    assert.deepEqual(
      found(svc, 'phase-1/06-OUTPUT_HANDOFF.md', 'missing-artifact').map(([line]) => line),
      [5, 7],
    );
  });

  it('in a workspace that is no repository: reads a rooted link from the workspace root alone, and judges no path outside it', async () => {
    const svc = await load(false);
    assert.equal(svc.repository, undefined);
    assert.deepEqual(
      found(svc, 'phase-1/00-PHASE_BRIEF.md', 'broken-link').map(([, m]) => m),
      [
        'Link target "/RUNBOOK.md" does not exist.',
        'Link target "/docs/guide.md" does not exist.',
        'Link target "/docs/phases/phase-1/lost.md" does not exist.',
        'Link target "/phase-1/gone.md" does not exist.',
        // Read from the workspace root, the plan is the one file of the workspace of its name: the link likely meant it.
        'Link target "/docs/phases/phase-1/02-EXECUTION_PLAN.md" does not exist: "/phase-1/02-EXECUTION_PLAN.md" is the closest.',
      ],
    );
    assert.deepEqual(
      found(svc, 'phase-1/07-VALIDATION.md', 'gate-item-no-evidence').map(([line]) => line),
      [4, 5],
    );
    // `src/app.ts` in backticks is a path, and not in the workspace; src/old.ts written bare is no path here (no
    // src/ folder in the workspace).
    assert.deepEqual(
      found(svc, 'phase-1/06-OUTPUT_HANDOFF.md', 'missing-artifact').map(([line]) => line),
      [4, 5, 6],
    );
  });

  it("in the editor, a rooted link's document link and definition lead where the rules read it", async () => {
    const svc = await load(true);
    const path = `${WS}/phase-1/00-PHASE_BRIEF.md`;
    const folder = { path: WS, svc } as Folder;
    const t = { uri: pathToUri(path), path, folder, svc, doc: svc.getDocument(path) };
    const ctx = new ServerContext({} as Connection, {} as TextDocuments<TextDocument>, {} as Workspaces, {} as Settings);
    const plan = pathToUri(`${WS}/phase-1/02-EXECUTION_PLAN.md`);
    // Both spellings of the plan's path lead to it; links that leave the workspace lead nowhere the server knows.
    assert.deepEqual(
      documentLinks(ctx, t).map((l) => [l.range.start.line, l.target]),
      [
        [9, plan],
        [10, plan],
      ],
    );
    const line = t.doc!.lines[10];
    assert.deepEqual(
      definition(ctx, t, 10, line.indexOf('/docs/phases/phase-1/02') + 2).map((l) => l.uri),
      [plan],
    );
  });
  it('asks the file system of a path outside the workspace once while its answer is kept, then again (a file created there is seen)', async () => {
    const fs = new MemoryFileSystem({ '/repo/.git/HEAD': 'ref: refs/heads/main\n', '/repo/RUNBOOK.md': '# Runbook\n', [`${WS}/x.md`]: '' });
    const asked: string[] = [];
    const existsSync = fs.existsSync.bind(fs);
    fs.existsSync = (p: string) => {
      asked.push(p);
      return existsSync(p);
    };
    let t = 1_000;
    const repo = await repositoryAbove(fs, WS, () => t);
    assert.ok(repo);
    // A document with many links to the same paths, checked at each edit: each path is asked of once.
    for (let i = 0; i < 3; i++) {
      assert.equal(repo.exists('/repo/RUNBOOK.md'), true);
      assert.equal(repo.exists('/repo/NEW.md'), false);
      t += 100;
    }
    assert.deepEqual(asked, ['/repo/RUNBOOK.md', '/repo/NEW.md']);
    // Created outside the workspace (no event tells of it): seen once the answers kept are older than REPOSITORY_ANSWER_MS.
    fs.write('/repo/NEW.md', '# New\n');
    t = 1_000 + REPOSITORY_ANSWER_MS - 1;
    assert.equal(repo.exists('/repo/NEW.md'), false);
    t = 1_000 + REPOSITORY_ANSWER_MS;
    assert.equal(repo.exists('/repo/NEW.md'), true);
    assert.deepEqual(asked, ['/repo/RUNBOOK.md', '/repo/NEW.md', '/repo/NEW.md']);
    // A clock set back starts the answers afresh too.
    t = 0;
    assert.equal(repo.exists('/repo/RUNBOOK.md'), true);
    assert.equal(asked.length, 4);
  });
});
