/**
 * Bad input and hostile workspaces: every case gets a clear diagnostic or error; nothing
 * throws, hangs or leaves a range outside its document.
 */
import * as assert from 'node:assert/strict';
import { problemCounts } from '../../server/src/lsp/phaseTree';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { MemoryFileSystem, PhasegateService, TemplateError, codeActions, parseDocument, suppressActions } from '../../server/src/service';
import { DocumentWhat, ScaffoldError, planNew } from '../../server/src/service/scaffold';
import { schemaProblems } from '../../server/src/service/schema-safety';
import { fastFormats } from 'ajv-formats/dist/formats';
import { MAX_DOCUMENT_BYTES } from '../../server/src/service/service';
import { MAX_PARSE_BYTES } from '../../server/src/service/markdown';
import { MAX_FILES, scanTree } from '../../server/src/service/workspace';
import type { DirEntry, FileSystem } from '../../server/src/service/host';
import { assertRangesInside } from '../helpers/ranges';
import { NodeFileSystem } from '../../server/src/node/assets';
import { SyncNodeFileSystem } from '../../server/src/node/sync-fs';
import { assets, workspace, diagnosticsOf, ROOT } from '../helpers/workspace';
import { unlistedProblems } from '../../server/src/service/check-context';
import { assertLinear, overlaid } from '../helpers/linear';

const BRIEF = 'phase-1/00-PHASE_BRIEF.md';
const body = '# Phase 1: Audit\n\n## Objectives\n\nA.\n\n## Scope\n\nB.\n\n## Deliverables\n\n- C\n\n## Risks\n\n- Risk: x - y\n';

async function briefWith(frontMatter: string) {
  const text = `---\n${frontMatter}\n---\n${body}`;
  const { svc } = await workspace({ [BRIEF]: text });
  const diags = diagnosticsOf(svc, BRIEF);
  assertRangesInside(parseDocument(text), diags);
  return diags;
}

describe('robustness: bad input gets a diagnostic, never a crash', () => {
  it("a file that is not Markdown, open in the editor, is not checked as a document (a nested project's phasegate.yaml)", async () => {
    const { svc } = await workspace({ [BRIEF]: `# Phase 1: Audit\n` });
    const yaml = `${ROOT}/tools/sub/phasegate.yaml`;
    svc.setOverlay(
      yaml,
      '# Owner: TBD\nlayouts:\n  - name: sprint\n    phases: "sprints/*"\n    documents: [{ kind: goals, file: GOALS.md, heading: "{{title}}" }]\n',
    );
    assert.deepEqual(svc.diagnose(yaml), []);
    // In a phase folder too; a Markdown file there is checked.
    svc.setOverlay(`${ROOT}/phase-1/notes.txt`, 'TBD [TODO]\n');
    assert.deepEqual(svc.diagnose(`${ROOT}/phase-1/notes.txt`), []);
    svc.setOverlay(`${ROOT}/phase-1/notes.md`, 'TBD [TODO]\n');
    assert.ok(svc.diagnose(`${ROOT}/phase-1/notes.md`).some((d) => d.code === 'unfilled-placeholder'));
  });

  it('an alias bomb in front matter is refused with invalid-front-matter', async () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 0; i < 9; i++) {
      const prev = String.fromCharCode(97 + i);
      const cur = String.fromCharCode(98 + i);
      bomb.push(
        `${cur}: &${cur} [${Array(9)
          .fill('*' + prev)
          .join(',')}]`,
      );
    }
    const diags = await briefWith(bomb.join('\n'));
    assert.ok(
      diags.some((d) => d.code === 'invalid-front-matter' && /alias/i.test(d.message)),
      JSON.stringify(diags.map((d) => d.message)),
    );
    // More aliases: n lists of nine aliases each of the one before. Refused at the first ones, the check reads the
    // rest once; without the bound each alias would be resolved, a walk of the document up to it (quadratic: 48×
    // from 100 lists to 800 here). A list, not a mapping: the yaml package compares each key of a mapping with the
    // keys before it, a square of its own. The brief set again in each run.
    const laughs = (n: number) =>
      `---\nlaughs:\n  - &l0 [x, x, x, x, x, x, x, x, x]\n${Array.from({ length: n - 1 }, (_, i) => `  - &l${i + 1} [${Array(9).fill(`*l${i}`).join(', ')}]\n`).join('')}---\n${body}`;
    const { svc } = await workspace({ [BRIEF]: laughs(100) });
    const refused = () => assert.ok(diagnosticsOf(svc, BRIEF, 'invalid-front-matter').some((d) => /alias/i.test(d.message)));
    refused();
    assertLinear('an alias bomb of n lists', overlaid(svc, `${ROOT}/${BRIEF}`, laughs, refused), { n: 100 });
  });

  it('a line of 100,000 unclosed HTML comments is checked, and given its quick fixes, without hanging', async () => {
    const text = (n: number) => `---\nphase: 1\ntitle: A\nstatus: draft\n---\n# Phase 1: A\n\n## Objectives\n\n${'x <!-- '.repeat(n)} [TODO]\n`;
    const { svc } = await workspace({ [BRIEF]: text(100_000) });
    const check = () => {
      const d = diagnosticsOf(svc, BRIEF, 'unfilled-placeholder')[0];
      assert.ok(d, 'the placeholder after the comments is found');
      assert.ok(suppressActions(svc, d).length > 0);
    };
    check();
    // A lazy comment regex took about 40 s at 100,000. The brief set again in each run, so that each reads it again.
    assertLinear(
      'unclosed comments',
      overlaid(svc, `${ROOT}/${BRIEF}`, text, () => check()),
      { n: 6250 },
    );
  });

  it('front matter nested a thousand deep is one invalid-front-matter error at the first level too deep (was dozens of "Maximum call stack size exceeded")', async () => {
    const indented = 'x:' + Array.from({ length: 1000 }, (_, i) => `\n${' '.repeat(i + 1)}a:`).join('') + ' 1';
    for (const [fm, line, character] of [
      // The 65th level: the top mapping is the first.
      [`title: t\nx: ${'['.repeat(1000)}${']'.repeat(1000)}`, 2, 3 + 63],
      [`title: t\ny: ${'{a: '.repeat(1000)}1${'}'.repeat(1000)}`, 2, 3 + 4 * 63],
      [`title: t\n${indented}`, 2 + 64, 64],
    ] as const) {
      const diags = (await briefWith(fm)).filter((d) => d.code === 'invalid-front-matter');
      assert.deepEqual(
        diags.map((d) => [d.severity, d.message, d.range.start.line, d.range.start.character]),
        [['error', 'Front matter is nested too deeply (more than 64 levels of lists and mappings).', line, character]],
        fm.slice(0, 40),
      );
    }
    // 64 levels are read.
    const ok = await briefWith(`title: t\nstatus: draft\nphase: 1\nx: ${'['.repeat(63)}${']'.repeat(63)}`);
    assert.deepEqual(
      ok.filter((d) => d.code === 'invalid-front-matter'),
      [],
    );
  });

  it('a phasegate.yaml nested a thousand deep is one invalid-config error, and the defaults apply', async () => {
    const { svc } = await workspace({ 'phasegate.yaml': `ignore: ${'['.repeat(1000)}${']'.repeat(1000)}\n`, [BRIEF]: body });
    assert.deepEqual(
      svc.config.problems.map((d) => [d.code, d.message, d.range.start.line, d.range.start.character]),
      [['invalid-config', 'phasegate.yaml is nested too deeply (more than 64 levels of lists and mappings)', 0, 'ignore: '.length + 63]],
    );
    assert.deepEqual(
      svc.model.phases.map((p) => p.id),
      ['phase-1'],
    );
  });

  it('duplicate keys are reported at the duplicate', async () => {
    const diags = await briefWith('title: a\ntitle: b');
    const d = diags.find((x) => x.code === 'invalid-front-matter');
    assert.ok(d, 'duplicate key diagnostic');
    assert.equal(d.range.start.line, 2);
  });

  it('deeply nested YAML does not overflow the stack', async () => {
    const deep = 'x: ' + '['.repeat(5000) + ']'.repeat(5000);
    const diags = await briefWith(deep);
    assert.ok(Array.isArray(diags));
  });

  it('unterminated front matter is reported on its first line', async () => {
    const text = `---\ntitle: x\n${body}`;
    const { svc } = await workspace({ [BRIEF]: text });
    const d = diagnosticsOf(svc, BRIEF, 'invalid-front-matter')[0];
    assert.ok(d);
    assert.deepEqual(d.range.start, { line: 0, character: 0 });
    assert.match(d.message, /not closed/);
  });

  it('the line ending of a document is that of most of its line breaks: a stray CR in an LF file is no line ending', () => {
    assert.equal(parseDocument('# Phase 3: Containerization \r(draft)\n\n## Goals\n\n- one\n').eol, '\n');
    assert.equal(parseDocument('# Title\r\r## Goals\r\r- one\r').eol, '\r');
    assert.equal(parseDocument('# Title\r\r## Goals\n\r- one\r').eol, '\r');
    assert.equal(parseDocument('# Title\r\n\r(x)\n- one\n').eol, '\r\n');
    assert.equal(parseDocument('# Title\n## Goals\n').eol, '\n');
  });

  it('Markdown edge cases parse: unclosed fences, HTML blocks, tabs, lone CRs, empty file', () => {
    for (const text of [
      '```\nunclosed\n## not a heading',
      '<div>\n## inside html\n</div>\n## After',
      '#\tTab\n\t- item',
      'a\rb\r# c\r',
      '',
      '\uFEFF# BOM\n',
      '- [x]\n- [ ]',
      '|a|\n|-|\n|b|',
    ]) {
      const doc = parseDocument(text);
      assert.ok(doc.lines.length >= 1);
    }
    assert.deepEqual(
      parseDocument('```\nunclosed\n## not a heading').headings.map((h) => h.text),
      [],
    );
  });

  it('a 10 MB document is checked in time linear in its size, without a Markdown parse', async () => {
    const line = 'Lorem ipsum dolor sit amet, [Placeholder] consectetur adipiscing elit.\n';
    const big = (n: number) => '# Phase 1: Big\n\n' + line.repeat(n);
    const { svc } = await workspace({ [BRIEF]: big(Math.ceil((10 * 1024 * 1024) / line.length)) });
    const diags = diagnosticsOf(svc, BRIEF);
    assert.ok(Array.isArray(diags));
    assert.ok(
      diags.some((d) => d.code === 'document-too-large'),
      JSON.stringify(diags.map((d) => d.code)),
    );
    // From 2 MB (30,000 lines, just past MAX_PARSE_BYTES: read by lines alone) to 34 MB. The brief set again in each run.
    assert.ok(big(30_000).length > MAX_PARSE_BYTES);
    assertLinear(
      'a document of n lines, too large to parse',
      overlaid(svc, `${ROOT}/${BRIEF}`, big, () => assert.ok(diagnosticsOf(svc, BRIEF, 'document-too-large').length === 1)),
      { n: 30_000 },
    );
  });

  it('a file with a flood of problems reports the first ten thousand and counts the rest; the whole check lists every file', async () => {
    const mfs = new MemoryFileSystem();
    const flood = `# Phase 1: Flood\n\n## Objectives\n\n${'- TBD\n'.repeat(200_000)}`;
    mfs.write(`${ROOT}/phase-1/00-PHASE_BRIEF.md`, flood);
    mfs.write(`${ROOT}/phase-1/01-INPUT_HANDOFF.md`, flood.replace('Phase 1: Flood', 'Phase 1 Input Handoff'));
    const svc = new PhasegateService({ fs: mfs, assets });
    await svc.load(ROOT);
    const ds = svc.diagnose(`${ROOT}/phase-1/00-PHASE_BRIEF.md`);
    assert.equal(ds.length, 10_001);
    const last = ds[ds.length - 1];
    assert.deepEqual([last.code, last.severity, last.range.start.line], ['too-many-problems', 'information', 0]);
    assert.match(last.message, /^\d+ more problems in this file are not listed \(at most 10000 are, and the first 100 of each rule\)\.$/);
    assert.ok(Number(/^\d+/.exec(last.message)![0]) >= 189_000, last.message);
    // Both files, every diagnostic appended (spreading 200,000 into push() overflowed the stack).
    const all = svc.diagnoseAll();
    assert.equal(all.filter((d) => d.code === 'too-many-problems').length, 2);
    // The phase tree's counts say how many are not listed, apart from the counts by severity.
    const counts = problemCounts(ds);
    assert.equal(counts.errors + counts.warnings + counts.infos + counts.hints, 10_000);
    assert.ok(counts.more! >= 189_000, String(counts.more));
    // Turned off like any rule.
    svc.setRuleOverrides({ 'too-many-problems': 'off' });
    assert.equal(svc.diagnose(`${ROOT}/phase-1/00-PHASE_BRIEF.md`).length, 10_000);
  });

  it("a flood of one rule's problems does not hide another rule's: each lists its first hundred past the ten thousand", async () => {
    const { svc } = await workspace({
      'workstreams/Build/Phase_1_CI/implementation_prompt.md': '# Build Phase 1: CI\n',
      'workstreams/Deploy/Phase_1_Envs/implementation_prompt.md': '# Deploy Phase 1: Envs\n',
      'project_implementation_plan.md': `# Plan\n\n## Phase Status\n\n| Workstream | Phase | Status |\n|---|---|---|\n| Build | Phase_1_CI | Not started |\n\n## Notes\n\n${'[a](missing.md) '.repeat(12_000)}\n`,
    });
    const ds = svc.diagnose(`${ROOT}/project_implementation_plan.md`);
    const count = (code: string) => ds.filter((d) => d.code === code).length;
    // The links fill the ten thousand; the plan's missing phase, reported after them, is listed all the same.
    assert.equal(count('broken-link'), 10_000 - ds.slice(0, 10_000).filter((d) => d.code !== 'broken-link').length);
    assert.ok(
      ds.some((d) => d.code === 'plan-status-mismatch' && d.message.includes('Deploy/Phase_1_Envs')),
      JSON.stringify(ds.filter((d) => d.code !== 'broken-link')),
    );
    const more = ds.find((d) => d.code === 'too-many-problems')!;
    assert.equal(unlistedProblems(more), 12_000 - count('broken-link'));
  });

  it('binary and non-UTF-8 files named .md get unreadable-file', async () => {
    const mfs = new MemoryFileSystem();
    mfs.write(`${ROOT}/phase-1/00-PHASE_BRIEF.md`, new Uint8Array([0x23, 0x20, 0x00, 0x01, 0x02]));
    mfs.write(`${ROOT}/phase-1/01-INPUT_HANDOFF.md`, new Uint8Array([0x23, 0x20, 0xc3, 0x28, 0x0a]));
    const svc = new PhasegateService({ fs: mfs, assets });
    await svc.load(ROOT);
    const bin = svc.diagnose(`${ROOT}/phase-1/00-PHASE_BRIEF.md`);
    // The phase's missing documents and folders come with it (the brief is where the phase's own problems are).
    assert.deepEqual(
      bin.map((d) => d.code),
      ['unreadable-file', 'missing-document', 'missing-document', 'missing-document', 'missing-document', 'missing-folder', 'missing-folder'],
    );
    assert.match(bin[0].message, /binary/);
    const latin = svc.diagnose(`${ROOT}/phase-1/01-INPUT_HANDOFF.md`);
    assert.deepEqual(
      latin.map((d) => d.code),
      ['unreadable-file'],
    );
    assert.match(latin[0].message, /UTF-8/);
  });

  it("an unreadable first document of a phase still carries the phase's missing documents, as status names them", async () => {
    for (const bytes of [
      new TextEncoder().encode('# Phase 1\n\0bin'),
      new Uint8Array([0x23, 0x20, 0xc3, 0x28, 0x0a]),
      Buffer.alloc(MAX_DOCUMENT_BYTES + 1, 0x61),
    ]) {
      const mfs = new MemoryFileSystem();
      for (const f of ['01-INPUT_HANDOFF.md', '05-DECISIONS.md', '06-OUTPUT_HANDOFF.md', '07-VALIDATION.md', '03-FINDINGS/.keep', '04-ARTIFACTS/.keep'])
        mfs.write(`${ROOT}/phase-1/${f}`, `# ${f}\n`);
      mfs.write(`${ROOT}/${BRIEF}`, bytes);
      const svc = new PhasegateService({ fs: mfs, assets });
      await svc.load(ROOT);
      const brief = svc.diagnose(`${ROOT}/${BRIEF}`);
      assert.deepEqual(
        brief.map((d) => [d.code, d.severity, d.range.start.line, d.range.start.character, d.message.replace(/:.*/, '')]),
        [
          ['unreadable-file', 'error', 0, 0, 'Cannot check this file'],
          ['missing-document', 'error', 0, 0, 'phase-1 has no execution plan (02-EXECUTION_PLAN.md).'],
        ],
      );
      // Reported once: on the brief, not on the next document too.
      assert.equal(svc.diagnoseAll().filter((d) => d.code === 'missing-document').length, 1);
    }
  });

  it('a Markdown name on a pipe or a device (or a link to one) is named as unreadable-file, never read', async () => {
    const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'pg-special-')));
    try {
      fs.mkdirSync(path.join(dir, 'phase-1', '03-FINDINGS'), { recursive: true });
      fs.writeFileSync(path.join(dir, BRIEF), body);
      execFileSync('mkfifo', [path.join(dir, 'phase-1', '03-FINDINGS', 'pipe.md')]);
      fs.symlinkSync('/dev/zero', path.join(dir, 'phase-1', '03-FINDINGS', 'zero.md'));
      // Any other name is none of Phasegate's business.
      execFileSync('mkfifo', [path.join(dir, 'phase-1', 'server.sock')]);
      for (const make of [() => new NodeFileSystem(), () => new SyncNodeFileSystem()]) {
        const svc = new PhasegateService({ fs: make(), assets });
        await svc.load(dir);
        assert.deepEqual(
          svc
            .diagnoseAll()
            .filter((d) => d.code === 'unreadable-file')
            .map((d) => [path.relative(dir, d.file), d.severity, d.message])
            .sort(),
          [
            ['phase-1/03-FINDINGS/pipe.md', 'warning', 'not a regular file (a pipe, a socket or a device); not read'],
            ['phase-1/03-FINDINGS/zero.md', 'warning', 'not a regular file (a pipe, a socket or a device); not read'],
          ],
        );
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an unreadable folder is reported and the rest is checked', async () => {
    class Flaky extends MemoryFileSystem {
      override async readDirectory(p: string) {
        if (p.endsWith('/secret')) throw new Error('EACCES: permission denied');
        return super.readDirectory(p);
      }
    }
    const mfs = new Flaky({ [`${ROOT}/${BRIEF}`]: body, [`${ROOT}/secret/x.md`]: 'x' });
    const svc = new PhasegateService({ fs: mfs, assets });
    await svc.load(ROOT);
    const all = svc.diagnoseAll();
    assert.ok(all.some((d) => d.code === 'unreadable-file' && d.file === `${ROOT}/secret` && /EACCES/.test(d.message)));
    assert.equal(svc.model.phases.length, 1);
  });

  it("a handoff summary's items with long runs of spaces are compared with the template's wording in linear time", async () => {
    const OUT = 'phase-1/06-OUTPUT_HANDOFF.md';
    const text = (n: number) => `# Phase 1 → Phase 2 Handoff\n\n## Phase 1 Summary\n\n- Objectives achieved${' '.repeat(n)}x\n- Key deliverables:  \n`;
    const { svc } = await workspace({ [OUT]: text(100_000) });
    const check = () =>
      assert.deepEqual(
        diagnosticsOf(svc, OUT, 'unfilled-placeholder').map((d) => d.message),
        ['"Key deliverables" is the template\'s wording: write what it stands for (`Key deliverables: …`).'],
      );
    check();
    // The handoff set again in each run, so that each reads it again.
    assertLinear(
      'a summary item with a run of spaces',
      overlaid(svc, `${ROOT}/${OUT}`, text, () => check()),
      { n: 6250 },
    );
  });

  it('metric items with long runs of spaces in their values are judged in linear time', async () => {
    const VAL = 'phase-1/07-VALIDATION.md';
    const item = (k: number, n: number) => `- Code coverage: ${k}${' '.repeat(n)}% **`;
    const text = (n: number) => `# Phase 1 Validation\n\n## Success Metrics\n\n${Array.from({ length: 60 }, (_, k) => item(k, n)).join('\n')}\n`;
    const { svc } = await workspace({ [VAL]: text(950) });
    assert.equal(diagnosticsOf(svc, VAL, 'metric-threshold').length, 60);
    // Runs of n spaces in each of the 60 values, up to 944 (an item over 1,000 characters is not judged); the
    // validation set again in each run, so that each reads it again.
    assertLinear(
      'metric values with runs of spaces',
      overlaid(svc, `${ROOT}/${VAL}`, text, () => assert.equal(diagnosticsOf(svc, VAL, 'metric-threshold').length, 60)),
      { n: 59 },
    );
  });

  it('a folder deleted while the scan runs is gone, not unreadable; one reported so goes with its deletion event', async () => {
    // The scan lists the root, then phase-2 is deleted before it is listed (an editor's branch switch, a `rm -rf`).
    class Racing extends MemoryFileSystem {
      override async readDirectory(p: string) {
        const entries = await super.readDirectory(p);
        if (p === ROOT) this.delete(`${ROOT}/phase-2/00-PHASE_BRIEF.md`);
        return entries;
      }
    }
    const files = { [`${ROOT}/${BRIEF}`]: body, [`${ROOT}/phase-2/00-PHASE_BRIEF.md`]: body.replace('Phase 1', 'Phase 2') };
    const svc = new PhasegateService({ fs: new Racing(files), assets });
    await svc.load(ROOT);
    assert.deepEqual(
      svc.diagnoseAll().filter((d) => d.code === 'unreadable-file'),
      [],
    );
    assert.deepEqual(
      svc.model.phases.map((p) => p.id),
      ['phase-1'],
    );
    // On a real disk too: a file where the folder was (ENOTDIR) is no folder of the scan either.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phasegate-race-'));
    try {
      fs.mkdirSync(path.join(dir, 'gone'));
      const nfs = new NodeFileSystem();
      const real: FileSystem = {
        readDirectory: async (p) => {
          const entries = await nfs.readDirectory(p);
          if (p === dir) {
            fs.rmdirSync(path.join(dir, 'gone'));
            fs.writeFileSync(path.join(dir, 'gone'), 'now a file');
          }
          return entries;
        },
        readFile: (p) => nfs.readFile(p),
        stat: (p) => nfs.stat(p),
      };
      const scan = await scanTree(real, dir, () => false);
      assert.deepEqual(scan.problems, []);
      assert.deepEqual([...scan.dirs], [dir]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    // A folder the scan could not read (a permission, or a race it lost) that is then deleted takes its problem along.
    class Denied extends MemoryFileSystem {
      override async readDirectory(p: string) {
        if (p.endsWith('/secret')) throw new Error('EACCES: permission denied');
        return super.readDirectory(p);
      }
    }
    const denied = new PhasegateService({ fs: new Denied({ [`${ROOT}/${BRIEF}`]: body, [`${ROOT}/secret/x.md`]: 'x' }), assets });
    await denied.load(ROOT);
    assert.equal(denied.diagnoseAll().filter((d) => d.code === 'unreadable-file').length, 1);
    const affected = await denied.filesChanged([{ path: `${ROOT}/secret`, type: 'deleted' }]);
    assert.ok(affected.length > 0);
    assert.deepEqual(
      denied.diagnoseAll().filter((d) => d.code === 'unreadable-file'),
      [],
    );
  });

  it('a scan that reaches the file cap lists no more folders (a workspace that is a whole disk stays bounded)', async () => {
    // `big` holds more files than the cap; `deep` is a chain of folders with no end, as a file system seen
    // from its root is, for the scan: it must stop going down it once it has all the files it keeps.
    const listed: string[] = [];
    const disk: FileSystem = {
      async readDirectory(p: string): Promise<DirEntry[]> {
        listed.push(p);
        if (p === ROOT)
          return [
            { name: 'big', kind: 'directory' },
            { name: 'deep', kind: 'directory' },
          ];
        if (p === `${ROOT}/big`) return Array.from({ length: MAX_FILES + 1 }, (_, i) => ({ name: `f${i}.txt`, kind: 'file' as const }));
        // Bounded here only so that a scan that does not stop ends the test instead of running out of memory.
        if (listed.length > 1000) return [];
        return [
          { name: 'd', kind: 'directory' },
          { name: 'x.md', kind: 'file' },
        ];
      },
      readFile: async () => new Uint8Array(),
      stat: async () => ({ kind: 'directory', size: 0 }),
    };
    const scan = await scanTree(disk, ROOT, () => false);
    assert.equal(scan.truncated, true);
    assert.equal(scan.files.size, MAX_FILES);
    assert.ok(listed.length <= 4, `${listed.length} folders listed: ${listed.slice(0, 6).join(', ')}…`);
  });

  it('past the cap, a phase folder found but not listed whole has no missing documents: what it holds is unknown', async () => {
    class Huge extends MemoryFileSystem {
      override async readDirectory(p: string) {
        if (p === `${ROOT}/big`) return Array.from({ length: MAX_FILES + 1 }, (_, i) => ({ name: `f${i}.txt`, kind: 'file' as const }));
        if (p === ROOT) return [{ name: 'big', kind: 'directory' as const }, ...(await super.readDirectory(p))];
        return super.readDirectory(p);
      }
    }
    // `big` and `phase-2` are listed in the same round: the cap is reached in `big`, and phase-2's brief is left out.
    const mfs = new Huge({ [`${ROOT}/${BRIEF}`]: body, [`${ROOT}/phase-2/00-PHASE_BRIEF.md`]: body.replace('Phase 1', 'Phase 2') });
    const svc = new PhasegateService({ fs: mfs, assets });
    await svc.load(ROOT);
    assert.match(svc.scanLimit() ?? '', /more than 200,000 files or folders/);
    const phase2 = svc.model.phases.find((p) => p.folder === `${ROOT}/phase-2`);
    assert.ok(phase2, 'phase-2 is found');
    assert.equal(svc.scan.files.has(`${ROOT}/phase-2/00-PHASE_BRIEF.md`), false);
    const codes = svc
      .diagnoseAll()
      .filter((d) => d.file.startsWith(`${ROOT}/phase-2`))
      .map((d) => d.code);
    assert.ok(!codes.includes('missing-document') && !codes.includes('missing-folder'), codes.join(', '));
  });

  it('folders count toward the cap: a tree of empty folders is not listed on without end', async () => {
    let lists = 0;
    const disk: FileSystem = {
      async readDirectory(p: string): Promise<DirEntry[]> {
        lists++;
        if (p === ROOT) return Array.from({ length: MAX_FILES + 10 }, (_, i) => ({ name: `d${i}`, kind: 'directory' as const }));
        return [];
      },
      readFile: async () => new Uint8Array(),
      stat: async () => ({ kind: 'directory', size: 0 }),
    };
    const scan = await scanTree(disk, ROOT, () => false);
    assert.equal(scan.truncated, true);
    assert.equal(scan.dirs.size, MAX_FILES);
    assert.ok(lists <= MAX_FILES, `${lists} folders listed`);
    assert.ok(scan.partial?.has(ROOT));
  });

  it('a phase folder that cannot be listed gets its warning, not a missing document for each of its documents', async () => {
    class Locked extends MemoryFileSystem {
      override async readDirectory(p: string) {
        if (p.endsWith('/phase-2')) throw new Error('EACCES: permission denied');
        return super.readDirectory(p);
      }
    }
    const mfs = new Locked({ [`${ROOT}/${BRIEF}`]: body, [`${ROOT}/phase-2/00-PHASE_BRIEF.md`]: body.replace('Phase 1', 'Phase 2') });
    const svc = new PhasegateService({ fs: mfs, assets });
    await svc.load(ROOT);
    const mine = svc.diagnoseAll().filter((d) => d.file.startsWith(`${ROOT}/phase-2`));
    assert.deepEqual(
      mine.map((d) => [d.code, d.severity]),
      [['unreadable-file', 'warning']],
    );
    // phase-1 still has its missing documents.
    assert.ok(svc.diagnose(`${ROOT}/${BRIEF}`).some((d) => d.code === 'missing-document'));
  });

  for (const [name, make] of [
    ['the language server', () => new NodeFileSystem()],
    ['the CLI', () => new SyncNodeFileSystem()],
  ] as const) {
    it(`symbolic link loops and links to nothing on disk are reported, not followed (file access of ${name})`, async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-loop-'));
      try {
        fs.mkdirSync(path.join(dir, 'phase-1'));
        fs.writeFileSync(path.join(dir, 'phase-1', '00-PHASE_BRIEF.md'), body);
        fs.symlinkSync(dir, path.join(dir, 'phase-1', 'loop'));
        // The file system's root holds the workspace too: a loop, not a walk of the whole machine.
        fs.symlinkSync(path.parse(dir).root, path.join(dir, 'phase-1', 'root'));
        fs.symlinkSync(path.join(dir, 'nowhere'), path.join(dir, 'dangling'));
        const svc = new PhasegateService({ fs: make(), assets });
        await svc.load(dir);
        const all = svc.diagnoseAll();
        assert.deepEqual(
          all
            .filter((d) => /symbolic link loop/.test(d.message))
            .map((d) => path.basename(d.file))
            .sort(),
          ['loop', 'root'],
          JSON.stringify(all.map((d) => d.message)),
        );
        // A link to nothing is no loop: it says where it leads.
        assert.deepEqual(
          all.filter((d) => path.basename(d.file) === 'dangling').map((d) => [d.code, d.severity, d.message]),
          [['unreadable-file', 'warning', `symbolic link to ${path.join(dir, 'nowhere')}, which does not exist (or cannot be read); not followed`]],
        );
        assert.equal(svc.model.phases.length, 1);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  }

  it('names a file whose name holds a backslash, rather than reading another path for it', async () => {
    const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'pg-bslash-')));
    try {
      fs.mkdirSync(path.join(dir, 'phase-1', '03-FINDINGS'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'phase-1', '00-PHASE_BRIEF.md'), body);
      fs.writeFileSync(path.join(dir, 'phase-1', '03-FINDINGS', 'q1\\q2.md'), '# Finding\n');
      const svc = new PhasegateService({ fs: new NodeFileSystem(), assets });
      await svc.load(dir);
      const all = svc.diagnoseAll();
      assert.ok(!all.some((d) => /ENOENT/.test(d.message)), JSON.stringify(all.map((d) => d.message)));
      const named = all.filter((d) => d.message.includes('q1\\q2.md'));
      assert.deepEqual(
        named.map((d) => [d.code, d.file]),
        [['unreadable-file', path.join(dir, 'phase-1', '03-FINDINGS')]],
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("the CLI's synchronous reads find what the asynchronous ones find: too large, binary and empty files included", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-sync-'));
    try {
      fs.mkdirSync(path.join(dir, 'phase-1'));
      fs.writeFileSync(path.join(dir, 'phase-1', '00-PHASE_BRIEF.md'), body);
      fs.writeFileSync(path.join(dir, 'phase-1', '01-INPUT_HANDOFF.md'), Buffer.from([0x23, 0x20, 0, 1, 2, 0xff]));
      fs.writeFileSync(path.join(dir, 'phase-1', '02-EXECUTION_PLAN.md'), '');
      fs.writeFileSync(path.join(dir, 'phase-1', '05-DECISIONS.md'), Buffer.alloc(MAX_DOCUMENT_BYTES + 1, 0x61));
      const results = [];
      for (const files of [new NodeFileSystem(), new SyncNodeFileSystem()]) {
        const svc = new PhasegateService({ fs: files, assets });
        await svc.load(dir);
        results.push(svc.diagnoseAll());
      }
      assert.deepEqual(results[1], results[0]);
      const unreadable = results[1].filter((d) => d.code === 'unreadable-file').map((d) => d.message);
      assert.equal(unreadable.length, 2, JSON.stringify(unreadable));
      assert.ok(unreadable.some((m) => /binary/.test(m)));
      assert.ok(unreadable.some((m) => /too large/.test(m)));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a broken phasegate.yaml gets invalid-config at the error, and the built-in layouts still apply', async () => {
    const { svc } = await workspace({ 'phasegate.yaml': 'rules:\n  missing-section: [oops\n', [BRIEF]: body });
    const all = svc.diagnoseAll();
    const d = all.find((x) => x.code === 'invalid-config');
    assert.ok(d);
    assert.equal(d.file, `${ROOT}/phasegate.yaml`);
    assert.equal(d.range.start.line >= 1, true);
    assert.equal(svc.model.phases.length, 1);
  });

  it('a rule that meets a hostile config regex is refused, not run', async () => {
    const cfg = 'layouts:\n  - name: sprint\n    phases: "sprints/*"\n    number: "(a+)+$"\n    documents:\n      - kind: brief\n        file: BRIEF.md\n';
    const { svc } = await workspace({ 'phasegate.yaml': cfg, 'sprints/s1/BRIEF.md': '# S1\n' });
    const d = svc.diagnoseAll().find((x) => x.code === 'invalid-config');
    assert.ok(d, 'nested quantifier refused');
    assert.match(d.message, /nested quantifiers/);
  });
});

describe('robustness: workspace schemas are data', () => {
  const cfg = (kind: string, file: string) => `schemas:\n  ${kind}: ${file}\n`;
  const fm = '---\ntitle: x\nstatus: draft\n---\n';

  it('a schema that does not compile is an invalid-config diagnostic and the built-in schema applies', async () => {
    const { svc } = await workspace({ 'phasegate.yaml': cfg('brief', 'bad.json'), 'bad.json': '{"type": 12}', [BRIEF]: fm + body });
    const d = svc.diagnoseAll().find((x) => x.code === 'invalid-config');
    assert.ok(d);
    assert.match(d.message, /does not compile/);
    assert.equal(d.range.start.line, 1);
  });

  it('a remote $ref is refused and never fetched', async () => {
    const { svc } = await workspace({ 'phasegate.yaml': cfg('brief', 'r.json'), 'r.json': '{"$ref": "https://example.invalid/s.json"}', [BRIEF]: fm + body });
    const d = svc.diagnoseAll().find((x) => x.code === 'invalid-config');
    assert.ok(d);
    assert.match(d.message, /only local references/);
  });

  it('a remote schema location in the config is refused', async () => {
    const { svc } = await workspace({ 'phasegate.yaml': cfg('brief', 'https://example.invalid/s.json'), [BRIEF]: fm + body });
    assert.match(svc.diagnoseAll().find((x) => x.code === 'invalid-config')!.message, /never fetched/);
  });

  it('a schema that refers to itself without reading into the value is invalid-config at its entry, and the built-in schema applies', async () => {
    for (const schema of [
      { $ref: '#' },
      { definitions: { a: { $ref: '#/definitions/b' }, b: { allOf: [{ $ref: '#/definitions/a' }] } }, $ref: '#/definitions/a' },
      { anyOf: [{ type: 'string' }, { $ref: '#' }] },
      { type: 'object', properties: { title: { $ref: '#/properties/title' } } },
    ]) {
      const { svc } = await workspace({ 'phasegate.yaml': cfg('brief', 's.json'), 's.json': JSON.stringify(schema), [BRIEF]: '---\ntitle: x\n---\n' + body });
      const all = svc.diagnoseAll();
      const config = all.filter((d) => d.code === 'invalid-config');
      assert.equal(config.length, 1, JSON.stringify(all.map((d) => d.message)));
      assert.match(config[0].message, /^schema for 'brief' is not accepted: .*refers to itself without end/);
      assert.equal(config[0].range.start.line, 1, 'at the schemas: entry');
      // The built-in brief schema applies (it requires status), and nothing failed to apply.
      const brief = all.filter((d) => d.file === `${ROOT}/${BRIEF}`);
      assert.ok(
        brief.some((d) => d.code === 'front-matter-schema' && /status/.test(d.message)),
        JSON.stringify(brief.map((d) => d.message)),
      );
      assert.ok(!all.some((d) => /could not be applied|call stack/i.test(d.message)), JSON.stringify(all.map((d) => d.message)));
    }
  });

  it('a small schema whose definitions each refer twice to the next (no cycle, 2^N ways) is invalid-config, and the built-in schema applies', async () => {
    const chain = (n: number) => {
      const definitions: Record<string, object> = { [`d${n}`]: { type: 'string' } };
      for (let i = 0; i < n; i++) definitions[`d${i}`] = { allOf: [{ $ref: `#/definitions/d${i + 1}` }, { $ref: `#/definitions/d${i + 1}` }] };
      return { type: 'object', properties: { title: { $ref: '#/definitions/d0' } }, definitions };
    };
    // 2 KB at N = 24: without the bound, checking the one document took minutes and ran out of memory.
    const { svc } = await workspace({ 'phasegate.yaml': cfg('brief', 's.json'), 's.json': JSON.stringify(chain(24)), [BRIEF]: '---\ntitle: x\n---\n' + body });
    const all = svc.diagnoseAll();
    const config = all.filter((d) => d.code === 'invalid-config');
    assert.equal(config.length, 1, JSON.stringify(all.map((d) => d.message)));
    assert.match(config[0].message, /^schema for 'brief' is not accepted: .*reaches more than 10,000 subschemas/);
    assert.ok(all.some((d) => d.file === `${ROOT}/${BRIEF}` && d.code === 'front-matter-schema' && /status/.test(d.message)));
    // The same shape a few levels deep is an ordinary schema, and checks the value.
    const small = await workspace({ 'phasegate.yaml': cfg('brief', 's.json'), 's.json': JSON.stringify(chain(6)), [BRIEF]: '---\ntitle: 3\n---\n' + body });
    const found = small.svc.diagnoseAll();
    assert.deepEqual(
      found.filter((d) => d.code === 'invalid-config'),
      [],
    );
    assert.ok(found.some((d) => d.code === 'front-matter-schema' && /title/.test(d.message)));
  });

  it("checks a workspace schema's formats (email, date, …), and refuses a format it could not check", async () => {
    const schema = (format: string) => ({ type: 'object', properties: { title: { type: 'string' }, owner: { type: 'string', format } } });
    const checked = async (format: string, owner: string) => {
      const { svc } = await workspace({
        'phasegate.yaml': cfg('brief', 's.json'),
        's.json': JSON.stringify(schema(format)),
        [BRIEF]: `---\ntitle: x\nowner: ${owner}\n---\n` + body,
      });
      return svc.diagnoseAll().filter((d) => d.code === 'invalid-config' || d.code === 'front-matter-schema');
    };
    const bad = await checked('email', 'not-an-email');
    assert.deepEqual(
      bad.map((d) => [d.code, d.message, d.range.start.line]),
      [['front-matter-schema', 'Front matter `owner` must match format "email".', 2]],
    );
    assert.deepEqual(await checked('email', 'ana@example.com'), []);
    assert.equal((await checked('date', 'next tuesday')).length, 1);
    assert.deepEqual(await checked('date', '2026-11-26'), []);
    // Refused: the built-in brief schema applies (it requires phase and status).
    const refused = await checked('e-mail', 'x');
    const [unknown, ...rest] = refused.filter((d) => d.code === 'invalid-config');
    assert.deepEqual(rest, []);
    assert.ok(refused.some((d) => /required key `status`/.test(d.message)));
    assert.match(unknown.message, /\/properties\/owner\/format: unknown format "e-mail" \(it would not be checked; known: date, .*email/);
  });

  it('knows the formats ajv-formats checks, no more, no fewer', () => {
    const known = Object.keys(fastFormats).sort();
    const refused = known.filter((f) => schemaProblems({ format: f }).length);
    assert.deepEqual(refused, []);
    assert.equal(schemaProblems({ format: 'no-such-format' }).length, 1);
    const listed = /known: (.*)\)$/
      .exec(schemaProblems({ format: 'x' })[0])![1]
      .split(', ')
      .sort();
    assert.deepEqual(listed, known);
  });

  it('a recursive schema that reads into a property or an item is accepted and checks nested values', async () => {
    const schema = {
      type: 'object',
      properties: { title: { type: 'string' }, tree: { $ref: '#/definitions/node' } },
      definitions: { node: { type: 'object', properties: { name: { type: 'string' }, kids: { type: 'array', items: { $ref: '#/definitions/node' } } } } },
      // A cycle among definitions nothing uses is never followed.
      $defs: { a: { $ref: '#/$defs/b' }, b: { $ref: '#/$defs/a' } },
    };
    const { svc } = await workspace({
      'phasegate.yaml': cfg('brief', 's.json'),
      's.json': JSON.stringify(schema),
      [BRIEF]: '---\ntitle: x\ntree:\n  name: a\n  kids:\n    - name: b\n      kids:\n        - name: 3\n---\n' + body,
    });
    const all = svc.diagnoseAll();
    assert.deepEqual(
      all.filter((d) => d.code === 'invalid-config'),
      [],
    );
    assert.deepEqual(
      all.filter((d) => d.code === 'front-matter-schema').map((d) => [d.message, d.range.start.line]),
      [['Front matter `tree.kids.0.kids.0.name` must be a string, not an integer.', 7]],
    );
  });

  it('a catastrophic pattern in a schema is refused', async () => {
    const schema = JSON.stringify({ type: 'object', properties: { title: { type: 'string', pattern: '^(a+)+$' } } });
    const { svc } = await workspace({
      'phasegate.yaml': cfg('brief', 's.json'),
      's.json': schema,
      [BRIEF]: '---\ntitle: ' + 'a'.repeat(40) + '!\n---\n' + body,
    });
    assert.match(svc.diagnoseAll().find((x) => x.code === 'invalid-config')!.message, /nested quantifiers/);
    // A title of n `a`s and a `!` against the pattern would take 2^n steps: far past the bound at the first doubling.
    assertLinear(
      'a title against a refused catastrophic pattern',
      overlaid(
        svc,
        `${ROOT}/${BRIEF}`,
        (n) => '---\ntitle: ' + 'a'.repeat(n) + '!\n---\n' + body,
        () => assert.ok(svc.diagnoseAll().some((x) => x.code === 'invalid-config')),
      ),
      { n: 14 },
    );
  });

  it('a schema outside the workspace is refused, never read, and its content never shown', async () => {
    const secret = 'root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1';
    for (const where of ['/etc/passwd', '../etc/passwd', 'sub/../../etc/passwd']) {
      const fs = new MemoryFileSystem({ '/etc/passwd': secret, [`${ROOT}/phasegate.yaml`]: cfg('brief', where), [`${ROOT}/${BRIEF}`]: fm + body });
      let reads = 0;
      const readFile = fs.readFile.bind(fs);
      fs.readFile = async (p: string) => {
        if (p.startsWith('/etc')) reads++;
        return readFile(p);
      };
      const svc = new PhasegateService({ fs, assets });
      await svc.load(ROOT);
      const d = svc.diagnoseAll().find((x) => x.code === 'invalid-config');
      assert.ok(d, where);
      assert.match(d.message, /outside the workspace/);
      assert.doesNotMatch(d.message, /root:x/);
      assert.equal(d.range.start.line, 1);
      assert.equal(reads, 0, `${where} was read`);
    }
  });

  it('a schema that is not valid JSON is reported on one line, without quoting it', async () => {
    const { svc } = await workspace({ 'phasegate.yaml': cfg('brief', 's.json'), 's.json': 'root:x:0:0:root\ndaemon:x:1:1\n', [BRIEF]: fm + body });
    const d = svc.diagnoseAll().find((x) => x.code === 'invalid-config');
    assert.ok(d);
    assert.match(d.message, /^schema for 'brief' cannot be read: not valid JSON/);
    assert.doesNotMatch(d.message, /root|daemon|\n/);
  });

  it('reads a schema again when its file changes, appears or goes (a file event reloads the config)', async () => {
    const strict = (allowed: string[]) => JSON.stringify({ type: 'object', properties: { status: { enum: allowed } } });
    const { svc, fs } = await workspace({ 'phasegate.yaml': cfg('brief', 's/brief.json'), 's/brief.json': strict(['done']), [BRIEF]: fm + body });
    const schemaErrors = () => svc.diagnose(`${ROOT}/${BRIEF}`).filter((d) => d.code === 'front-matter-schema').length;
    assert.equal(schemaErrors(), 1, 'draft is not allowed');
    assert.equal(svc.isConfigInput(`${ROOT}/s/brief.json`), true);
    assert.equal(svc.isConfigInput(`${ROOT}/s/other.json`), false);
    fs.write(`${ROOT}/s/brief.json`, strict(['draft', 'done']));
    const affected = await svc.filesChanged([{ path: `${ROOT}/s/brief.json`, type: 'changed' }]);
    assert.ok(affected.includes(`${ROOT}/${BRIEF}`));
    assert.equal(schemaErrors(), 0, 'the new schema applies');
    fs.delete(`${ROOT}/s/brief.json`);
    await svc.filesChanged([{ path: `${ROOT}/s/brief.json`, type: 'deleted' }]);
    assert.ok(svc.config.problems.some((d) => /^schema for 'brief' cannot be read/.test(d.message)));
    fs.write(`${ROOT}/s/brief.json`, strict(['done']));
    await svc.filesChanged([{ path: `${ROOT}/s/brief.json`, type: 'created' }]);
    assert.deepEqual(svc.config.problems, []);
    assert.equal(schemaErrors(), 1);
  });

  it("a schema's problem is reported at its own entry's value, not at a kind or comment that only contains its name", async () => {
    for (const config of [
      'schemas:\n  my-brief: s/ok.json\n  brief: nope.json\n',
      'schemas:\n  # brief: old.json\n  brief: nope.json\n',
      'schemas: {my-brief: s/ok.json, brief: nope.json}\n',
    ]) {
      const { svc } = await workspace({ 'phasegate.yaml': config, 's/ok.json': '{}', [BRIEF]: fm + body });
      const d = svc.config.problems.find((x) => /^schema for 'brief'/.test(x.message));
      assert.ok(d, config);
      const line = config.split('\n')[d.range.start.line];
      assert.equal(line.slice(d.range.start.character, d.range.end.character), 'nope.json', config);
    }
  });

  it("a workspace's phasegate.yaml that is a folder, a pipe or a device is invalid-config, not read, and the defaults apply (file access of the language server)", async () => {
    const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'phasegate-cfg-')));
    try {
      fs.mkdirSync(path.join(dir, 'phase-1'));
      fs.writeFileSync(path.join(dir, BRIEF), body);
      const cfg = path.join(dir, 'phasegate.yaml');
      for (const [make, why] of [
        [() => fs.mkdirSync(cfg), 'it is a folder'],
        [() => execFileSync('mkfifo', [cfg]), 'it is not a regular file'],
        [() => fs.symlinkSync('/dev/zero', cfg), 'it is not a regular file'],
      ] as const) {
        fs.rmSync(cfg, { recursive: true, force: true });
        make();
        const svc = new PhasegateService({ fs: new NodeFileSystem(), assets });
        await svc.load(dir);
        assert.deepEqual(
          svc.config.problems.map((d) => [d.file, d.code, d.message, d.range.start.line]),
          [[cfg, 'invalid-config', `phasegate.yaml cannot be read: ${why}`, 0]],
        );
        assert.equal(svc.config.file, cfg);
        assert.deepEqual(
          svc.model.phases.map((p) => p.id),
          ['phase-1'],
        );
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a phasegate.yaml that is a folder is invalid-config, and a .phasegate.yaml beside it is read (it was hidden: the defaults applied)', async () => {
    const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'phasegate-cfg-')));
    try {
      fs.mkdirSync(path.join(dir, 'phase-1'));
      fs.writeFileSync(path.join(dir, BRIEF), body);
      fs.mkdirSync(path.join(dir, 'phasegate.yaml'));
      fs.writeFileSync(path.join(dir, '.phasegate.yaml'), 'rules:\n  broken-link: "off"\nignore: [phase-1]\n');
      const svc = new PhasegateService({ fs: new NodeFileSystem(), assets });
      await svc.load(dir);
      const problems = (ps: { file: string; code: string; message: string }[]) => ps.map((d) => [path.basename(d.file), d.code, d.message.split(':')[0]]);
      const expected = [['phasegate.yaml', 'invalid-config', 'phasegate.yaml cannot be read']];
      assert.equal(svc.config.file, path.join(dir, '.phasegate.yaml'));
      assert.deepEqual(problems(svc.config.problems), expected);
      assert.deepEqual(svc.config.rules, { 'broken-link': 'off' });
      assert.deepEqual(
        svc.model.phases.map((p) => p.id),
        [],
      );
      // The editor's text of the config, not saved: the folder stays reported beside it.
      assert.deepEqual(problems(svc.configProblemsOf('rules:\n  broken-link: "off"\nignore: [phase-1]\n# edited\n')), expected);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a schema that is a folder, a device, a pipe or a link out of the workspace is refused without reading it', async function () {
    const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'phasegate-schemas-')));
    try {
      fs.mkdirSync(path.join(dir, 'phase-1'));
      fs.writeFileSync(path.join(dir, BRIEF), fm + body);
      fs.mkdirSync(path.join(dir, 'folder.json'));
      fs.symlinkSync('/dev/zero', path.join(dir, 'zero.json'));
      fs.symlinkSync('/etc/hostname', path.join(dir, 'host.json'));
      const outside = path.join(path.dirname(dir), path.basename(dir) + '-outside.json');
      fs.writeFileSync(outside, '{"type": "object", "required": ["owner"]}');
      fs.symlinkSync(outside, path.join(dir, 'out.json'));
      execFileSync('mkfifo', [path.join(dir, 'pipe.json')]);
      const kinds = { brief: 'folder.json', plan: 'zero.json', prompt: 'host.json', response: 'out.json', validation: 'pipe.json', decisions: '/dev/zero' };
      fs.writeFileSync(
        path.join(dir, 'phasegate.yaml'),
        'schemas:\n' +
          Object.entries(kinds)
            .map(([k, f]) => `  ${k}: ${f}\n`)
            .join(''),
      );
      try {
        for (const fsys of [new NodeFileSystem(), new SyncNodeFileSystem()]) {
          const svc = new PhasegateService({ fs: fsys, assets });
          await svc.load(dir);
          const msgs = svc
            .diagnoseAll()
            .filter((d) => d.code === 'invalid-config')
            .map((d) => d.message);
          const of = (k: string) => msgs.find((m) => m.startsWith(`schema for '${k}'`)) ?? `none for ${k}: ${JSON.stringify(msgs)}`;
          assert.match(of('brief'), /not a regular file/);
          assert.match(of('plan'), /not a regular file/);
          assert.match(of('prompt'), /outside the workspace through a symbolic link/);
          assert.match(of('response'), /outside the workspace through a symbolic link/);
          assert.match(of('validation'), /not a regular file/);
          assert.match(of('decisions'), /outside the workspace/);
          assert.equal(svc.validator('response')!({ phase: 1, title: 'x', status: 'draft' }), true, 'the outside schema does not apply');
        }
      } finally {
        fs.rmSync(outside, { force: true });
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('uniqueItems over items compared pair by pair is refused unless maxItems is small', async () => {
    const briefOf = (n: number) => `---\ntitle: x\nstatus: draft\nitems:\n${Array.from({ length: n }, (_, i) => `  - {a: ${i}}`).join('\n')}\n---\n${body}`;
    const brief = briefOf(30000);
    const schema = (extra: object) => JSON.stringify({ type: 'object', properties: { items: { type: 'array', uniqueItems: true, ...extra } } });
    const { svc } = await workspace({ 'phasegate.yaml': cfg('brief', 's.json'), 's.json': schema({}), [BRIEF]: brief });
    const d = svc.diagnoseAll().find((x) => x.code === 'invalid-config');
    assert.ok(d);
    // The items compared pair by pair would be quadratic in their number. The brief set again in each run.
    assertLinear(
      'a brief of n items under a uniqueItems schema',
      overlaid(svc, `${ROOT}/${BRIEF}`, briefOf, () => assert.ok(svc.diagnoseAll().some((x) => x.code === 'invalid-config'))),
      { n: 500 },
    );
    assert.match(d.message, /\/properties\/items\/uniqueItems: uniqueItems needs "items" of a scalar "type" .* or "maxItems" of at most 256/);
    for (const ok of [{ items: { type: 'string' } }, { items: { type: ['integer', 'null'] } }, { maxItems: 100, items: { type: 'object' } }]) {
      assert.deepEqual(schemaProblems(JSON.parse(schema(ok))), [], JSON.stringify(ok));
    }
    assert.equal(schemaProblems(JSON.parse(schema({ items: { type: ['string', 'object'] } }))).length, 1);
    assert.equal(schemaProblems(JSON.parse(schema({ maxItems: 1000 }))).length, 1);
  });

  it('a workspace schema applies when trusted, and not in an untrusted workspace', async () => {
    const schema = JSON.stringify({ type: 'object', required: ['owner'] });
    const files = { 'phasegate.yaml': cfg('brief', 's.json'), 's.json': schema, [BRIEF]: fm + body };
    const trusted = (await workspace(files)).svc;
    assert.ok(trusted.validator('brief')!({ title: 'x' }) === false);
    const untrusted = (await workspace(files, { trusted: false })).svc;
    assert.ok(untrusted.diagnoseAll().some((d) => d.code === 'invalid-config' && /untrusted/.test(d.message)));
    const v = untrusted.validator('brief');
    assert.ok(!v || v({ phase: 1, title: 'x', status: 'draft' }) === true);
  });
});

describe('robustness: workspace templates are read only from inside the workspace, links followed', () => {
  const SECRET = 'OUTSIDE {{phase.id}}\n';

  /** A workspace with phase-1's validation checklist (its brief not written yet) and `setup` applied, and a folder beside it holding a brief template. */
  async function withLinks(setup: (ws: string, outside: string) => void, check: (svc: PhasegateService, log: string[], outsideReads: () => number) => void) {
    const base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'phasegate-templates-')));
    const ws = path.join(base, 'ws');
    const outside = path.join(base, 'outside');
    try {
      fs.mkdirSync(path.join(ws, 'phase-1'), { recursive: true });
      fs.writeFileSync(path.join(ws, 'phase-1', '07-VALIDATION.md'), '# Phase 1 Validation\n');
      fs.mkdirSync(outside);
      fs.writeFileSync(path.join(outside, 'brief.md.hbs'), SECRET);
      setup(ws, outside);
      for (const fsys of [new NodeFileSystem(), new SyncNodeFileSystem()]) {
        // Reads of the template outside, through a link or not.
        let reads = 0;
        const readFile = fsys.readFile.bind(fsys);
        fsys.readFile = async (p: string) => {
          if (p.endsWith('brief.md.hbs')) reads++;
          return readFile(p);
        };
        const log: string[] = [];
        const svc = new PhasegateService({ fs: fsys, assets, logger: { log: (m) => log.push(m) } });
        await svc.load(ws);
        check(svc, log, () => reads);
      }
    } finally {
      fs.rmSync(base, { recursive: true, force: true });
    }
  }
  const brief = (svc: PhasegateService) => planNew(svc, { what: 'brief', phase: 'phase-1' }).creates[0]?.text ?? '';
  const configProblems = (svc: PhasegateService) => svc.diagnoseAll().filter((d) => d.code === 'invalid-config');

  it('a templates: folder that is a link out of the workspace is refused at its key, its templates never read, and the built-in templates apply', async () => {
    await withLinks(
      (ws, outside) => {
        fs.writeFileSync(path.join(ws, 'phasegate.yaml'), 'rules: {}\ntemplates: tpl\n');
        fs.symlinkSync(outside, path.join(ws, 'tpl'));
      },
      (svc, log, reads) => {
        const ds = configProblems(svc);
        assert.deepEqual(
          ds.map((d) => [d.file, d.range.start.line, d.severity, d.message]),
          [
            [
              `${svc.root}/phasegate.yaml`,
              1,
              'error',
              "templates folder 'tpl' leads outside the workspace through a symbolic link; it is not read and the built-in templates apply",
            ],
          ],
        );
        assert.doesNotMatch(brief(svc), /OUTSIDE/);
        assert.match(brief(svc), /^## Objectives$/m);
        assert.equal(reads(), 0, 'the template outside was read');
        assert.ok(log.some((l) => /leads outside the workspace through a symbolic link/.test(l)));
      },
    );
  });

  it('a templates: link retargeted into the workspace is read, and its problem goes, without reloading the workspace', async () => {
    const base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'phasegate-templates-')));
    try {
      const ws = path.join(base, 'ws');
      fs.mkdirSync(path.join(ws, 'phase-1'), { recursive: true });
      fs.mkdirSync(path.join(ws, 'mine'));
      fs.mkdirSync(path.join(base, 'outside'));
      fs.writeFileSync(path.join(ws, 'phase-1', '07-VALIDATION.md'), '# Phase 1 Validation\n');
      fs.writeFileSync(path.join(ws, 'phasegate.yaml'), 'templates: tpl\n');
      fs.writeFileSync(path.join(ws, 'mine', 'brief.md.hbs'), 'MINE {{phase.id}}\n');
      fs.writeFileSync(path.join(base, 'outside', 'brief.md.hbs'), SECRET);
      fs.symlinkSync(path.join(base, 'outside'), path.join(ws, 'tpl'));
      const svc = new PhasegateService({ fs: new NodeFileSystem(), assets });
      await svc.load(ws);
      assert.equal(configProblems(svc).length, 1);
      fs.unlinkSync(path.join(ws, 'tpl'));
      fs.symlinkSync(path.join(ws, 'mine'), path.join(ws, 'tpl'));
      const affected = await svc.filesChanged([{ path: path.join(ws, 'tpl'), type: 'changed' }]);
      assert.deepEqual(affected, [path.join(ws, 'phasegate.yaml')], 'the config file, whose problems changed');
      assert.deepEqual(configProblems(svc), []);
      assert.equal(brief(svc), 'MINE phase-1\n');
    } finally {
      fs.rmSync(base, { recursive: true, force: true });
    }
  });

  it('the default .phasegate/templates as a link out of the workspace is not read either: an invalid-config error at the folder (no config file)', async () => {
    await withLinks(
      (ws, outside) => {
        fs.mkdirSync(path.join(ws, '.phasegate'));
        fs.symlinkSync(outside, path.join(ws, '.phasegate', 'templates'));
      },
      (svc, log, reads) => {
        assert.deepEqual(
          svc.config.problems.map((d) => [path.posix.relative(svc.root, d.file), d.range.start.line, d.severity, d.code, d.message]),
          [
            [
              '.phasegate/templates',
              0,
              'error',
              'invalid-config',
              "templates folder '.phasegate/templates' leads outside the workspace through a symbolic link; it is not read and the built-in templates apply",
            ],
          ],
        );
        assert.doesNotMatch(brief(svc), /OUTSIDE/);
        assert.equal(reads(), 0);
        assert.deepEqual(log, [
          "templates folder '.phasegate/templates' leads outside the workspace through a symbolic link; it is not read and the built-in templates apply",
        ]);
      },
    );
  });

  it('a template file that is a link out of the workspace is not read: using it is an error naming it, a fix falls back', async () => {
    await withLinks(
      (ws, outside) => {
        fs.mkdirSync(path.join(ws, 'tpl', 'real'), { recursive: true });
        fs.writeFileSync(path.join(ws, 'phasegate.yaml'), 'templates: tpl\n');
        fs.symlinkSync(path.join(outside, 'brief.md.hbs'), path.join(ws, 'tpl', 'brief.md.hbs'));
        // Links that stay inside the workspace are followed as before.
        fs.writeFileSync(path.join(ws, 'tpl', 'real', 'decisions.md.hbs'), '# Ours {{phase.number}}\n');
        fs.symlinkSync(path.join(ws, 'tpl', 'real', 'decisions.md.hbs'), path.join(ws, 'tpl', 'decisions.md.hbs'));
      },
      (svc, _log, reads) => {
        assert.deepEqual(configProblems(svc), []);
        assert.throws(
          () => brief(svc),
          (e: unknown) =>
            e instanceof TemplateError &&
            e.file === `${svc.root}/tpl/brief.md.hbs` &&
            e.message === `Template ${svc.root}/tpl/brief.md.hbs: cannot be read: it leads outside the workspace through a symbolic link`,
        );
        const create = (file: string) => {
          const d = svc.diagnoseAll().find((x) => x.code === 'missing-document' && String(x.data?.file).endsWith(file));
          return codeActions(svc, [d!])[0].change.creates[0].text;
        };
        assert.match(create('00-PHASE_BRIEF.md'), /^## Objectives$/m, 'the fix falls back to the built-in template');
        assert.doesNotMatch(create('00-PHASE_BRIEF.md'), /OUTSIDE/);
        assert.equal(create('05-DECISIONS.md'), '# Ours 1\n');
        assert.equal(reads(), 0, 'the template outside was read');
      },
    );
  });

  it('a template that is a pipe, a device or a folder is not read: using it is an error naming it, a fix falls back', async () => {
    await withLinks(
      (ws) => {
        fs.mkdirSync(path.join(ws, 'tpl', 'decisions.md.hbs'), { recursive: true });
        fs.writeFileSync(path.join(ws, 'phasegate.yaml'), 'templates: tpl\n');
        execFileSync('mkfifo', [path.join(ws, 'tpl', 'brief.md.hbs')]);
        fs.symlinkSync('/dev/zero', path.join(ws, 'tpl', 'execution-plan.md.hbs'));
      },
      (svc) => {
        const use = (what: DocumentWhat) => () => planNew(svc, { what, phase: 'phase-1' });
        for (const [what, why] of [
          ['brief', 'not a regular file (a pipe or a device)'],
          ['execution-plan', 'not a regular file (a pipe or a device)'],
          ['decisions', 'it is a folder, not a file'],
        ] as const) {
          assert.throws(
            use(what),
            (e: unknown) => e instanceof TemplateError && e.message === `Template ${svc.root}/tpl/${what}.md.hbs: cannot be read: ${why}`,
            what,
          );
        }
        const d = svc.diagnoseAll().find((x) => x.code === 'missing-document' && String(x.data?.file).endsWith('00-PHASE_BRIEF.md'));
        assert.match(codeActions(svc, [d!])[0].change.creates[0].text, /^## Objectives$/m, 'the fix falls back to the built-in template');
      },
    );
  });

  it('a templates: folder outside the workspace by its path is refused at its key too', async () => {
    await withLinks(
      (ws) => fs.writeFileSync(path.join(ws, 'phasegate.yaml'), 'templates: ../outside\n'),
      (svc, _log, reads) => {
        assert.deepEqual(
          configProblems(svc).map((d) => [d.range.start.line, d.message]),
          [[0, "templates folder '../outside' is outside the workspace; it is not read and the built-in templates apply"]],
        );
        assert.doesNotMatch(brief(svc), /OUTSIDE/);
        assert.equal(reads(), 0);
      },
    );
  });
});

describe('robustness: a custom layout never reaches outside the workspace', () => {
  const layout = (docs: string, folders = '') =>
    `layouts:\n  - name: sprint\n    phases: "sprints/*"\n    documents:\n      - kind: brief\n        file: GOALS.md\n${docs}${folders}`;

  it('a document file or folder name that leaves the phase folder is invalid-config at its key, and dropped', async () => {
    const bad = ['../../../OUTSIDE.md', '/tmp/abs.md', 'C:/x.md', 'c:x.md', 'a\\\\..\\\\..\\\\b.md', 'sub/../../x.md', 'a//b.md', './', 'x/'];
    const docs = bad.map((f) => `      - kind: output-handoff\n        file: "${f}"\n`).join('');
    const folders = '    folders:\n      - name: "../up"\n      - name: findings\n';
    const { svc } = await workspace({ 'phasegate.yaml': layout(docs, folders), 'sprints/s1/GOALS.md': '# Goals\n' });
    const found = svc.diagnoseAll().filter((d) => d.code === 'invalid-config');
    const messages = JSON.stringify(found.map((d) => d.message));
    assert.equal(found.length, bad.length + 1, messages);
    bad.forEach((f, j) => {
      const d = found.find((x) => x.message.startsWith(`layouts[0].documents[${j + 1}].file: must be a relative path inside the phase folder`));
      assert.ok(d, `${f}: ${messages}`);
      assert.equal(d.range.start.line, 7 + 2 * j, f);
      assert.doesNotMatch(d.message, /\n/);
    });
    assert.ok(
      found.some((d) => d.message.startsWith('layouts[0].folders[0].name: must be a relative path inside the phase folder')),
      messages,
    );
    const sprint = svc.config.layouts.find((l) => l.name === 'sprint')!;
    assert.deepEqual(
      sprint.documents.map((d) => d.file),
      ['GOALS.md'],
    );
    assert.deepEqual(
      sprint.folders.map((f) => f.name),
      ['findings'],
    );
    assert.throws(() => planNew(svc, { what: 'handoff', phase: 'sprints/s1' }), ScaffoldError);
  });

  it('the planner refuses a file outside the workspace whatever the layout says', async () => {
    const { svc } = await workspace({
      'phasegate.yaml': layout('      - kind: output-handoff\n        file: HANDOFF.md\n'),
      'sprints/s1/GOALS.md': '# Goals\n',
    });
    const handoff = svc.model.phases.find((p) => p.layout.name === 'sprint')!.documents.find((d) => d.spec.kind === 'output-handoff')!;
    assert.equal(planNew(svc, { what: 'handoff', phase: 'sprints/s1' }).creates[0].file, `${ROOT}/sprints/s1/HANDOFF.md`);
    handoff.path = '/OUTSIDE.md';
    assert.throws(() => planNew(svc, { what: 'handoff', phase: 'sprints/s1' }), /outside the workspace/);
    const i = svc.config.layouts.findIndex((l) => l.name === 'audit');
    const audit = svc.config.layouts[i];
    svc.config.layouts[i] = { ...audit, folders: [...audit.folders, { name: '../../../up', required: false, purpose: '' }] };
    assert.throws(() => planNew(svc, { what: 'phase', layout: 'audit' }), /outside the workspace/);
  });
});
