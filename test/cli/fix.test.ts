/** `phasegate check --fix`: the editor's Fix all, from the command line, then the check of what is left. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SyncNodeFileSystem } from '../../server/src/node/sync-fs';
import { reasonOf } from '../../server/src/cli/fix';
import { EXAMPLES, WritableMemoryFileSystem, examplesFs, readTree, run } from './helpers';

/** A file system on which a file is deleted (by someone else) just before its fixes are written. */
class DeletedOnUpdateFileSystem extends WritableMemoryFileSystem {
  constructor(private readonly going: string) {
    super();
  }
  override async updateFile(p: string, update: (text: string) => string | undefined): Promise<boolean> {
    if (p === this.going) this.delete(p);
    return super.updateFile(p, update);
  }
}

/** A file system on which the given files are deleted (by someone else) just as they are first read. */
class VanishingFileSystem extends WritableMemoryFileSystem {
  vanished = 0;
  constructor(private readonly going: string[]) {
    super();
  }
  override async readFile(p: string): Promise<Uint8Array> {
    if (this.going.includes(p) && this.has(p)) {
      this.delete(p);
      this.vanished++;
    }
    return super.readFile(p);
  }
}

const DEC = 'examples/audit-deployment/phase-3/05-DECISIONS.md';
const BROKEN = [
  '---',
  'phase: phase-3',
  'title: Containerization decisions',
  'status: draft',
  '---',
  '',
  '# Phase 3: Containerization',
  '',
  '## Decision Log',
  '',
  '### Decision 1: Use Alpine',
  '',
  'Because small.',
  '',
  '<!-- phasegate-disable-next-line brokn-link -->',
  '<!-- phasegate-disable-next-line empty-section -->',
  'Text.',
  '',
].join('\n');

describe('phasegate check --fix', () => {
  it('applies the fixes with an obvious remedy, says which, and checks what is left', async () => {
    const fsys = examplesFs();
    fsys.write(`/ws/${DEC}`, BROKEN);
    const before = await run(['check', 'examples', '--format', 'json'], fsys);
    const codes = (out: string) =>
      (JSON.parse(out) as { diagnostics: { file: string; code: string }[] }).diagnostics.filter((d) => d.file === DEC).map((d) => d.code);
    assert.deepEqual(codes(before.stdout).sort(), ['decision-without-rationale', 'invalid-directive', 'unused-directive']);
    assert.equal(before.code, 1);
    const r = await run(['check', '--fix', 'examples'], fsys);
    // The misspelt directive, corrected, silences nothing: it is removed, and the line says so.
    assert.match(
      r.stdout,
      /^fixed examples\/audit-deployment\/phase-3\/05-DECISIONS\.md: 1 × invalid-directive, 1 × unused-directive; left unused by the fixes and removed: phasegate-disable-next-line broken-link\n\n/,
    );
    const text = fsys.text(`/ws/${DEC}`)!;
    assert.match(text, /Because small\.\n\nText\.\n$/);
    // The misspelt rule id was corrected, in the next pass found unused, and removed; the unused one removed.
    assert.doesNotMatch(text, /phasegate-/);
    // What is left is checked: the rationale is the team's to write (its fix would only write a placeholder
    // to fill, and the error pass as a placeholder warning), so the check still fails.
    const after = await run(['check', 'examples', '--format', 'json'], fsys);
    assert.deepEqual(codes(after.stdout), ['decision-without-rationale']);
    assert.equal(r.code, 1, r.stdout);
    // Nothing left to fix: a second run changes nothing and says nothing of fixes.
    const again = await run(['check', '--fix', 'examples'], fsys);
    assert.doesNotMatch(again.stdout, /^fixed /m);
    assert.equal(fsys.text(`/ws/${DEC}`), text);
  });

  it('says which problems a corrected directive silences now, not as fixed: they are still in the file', async () => {
    const fsys = examplesFs();
    // A misspelt phasegate-disable: corrected, it silences every rule below it (the missing rationale too).
    fsys.write(
      `/ws/${DEC}`,
      BROKEN.replace('<!-- phasegate-disable-next-line brokn-link -->\n', '').replace('### Decision 1', '<!-- phasegate-disabel -->\n\n### Decision 1'),
    );
    const before = await run(['check', 'examples'], fsys);
    assert.match(before.stdout, /05-DECISIONS\.md:\d+:\d+ +error .*\[decision-without-rationale\]$/m);
    const r = await run(['check', '--fix', 'examples'], fsys);
    assert.match(
      r.stdout,
      /^fixed examples\/audit-deployment\/phase-3\/05-DECISIONS\.md: 1 × invalid-directive, 1 × unused-directive; silenced by the directives the fixes corrected, not fixed: 1 × decision-without-rationale\n/m,
    );
    assert.match(fsys.text(`/ws/${DEC}`)!, /<!-- phasegate-disable -->\n\n### Decision 1/);
  });

  it('writes the links it adds to a previous phase whose folder name holds a blank (`Phase 2`) in `<…>`', async () => {
    const fsys = examplesFs();
    const A = '/ws/examples/audit-deployment';
    for (const p of fsys.paths().filter((x) => x.startsWith(`${A}/phase-2/`))) {
      fsys.write(p.replace('/phase-2/', '/Phase 2/'), fsys.text(p)!);
      fsys.delete(p);
    }
    // Phase 3's input handoff as one copied from phase 2's folder: its Source links phase 1's, its inputs are phase 1's
    // (reset to a draft, nothing ticked: a copy that claims phase 2's progress keeps its handoff as it is, see copied-document).
    fsys.write(
      `${A}/phase-3/01-INPUT_HANDOFF.md`,
      fsys
        .text(`${A}/Phase 2/01-INPUT_HANDOFF.md`)!
        .replace(/^status: complete$/m, 'status: draft')
        .replace(/- \[x\]/g, '- [ ]'),
    );
    await run(['check', '--fix', 'examples'], fsys);
    const text = fsys.text(`${A}/phase-3/01-INPUT_HANDOFF.md`)!;
    // Was: `](../Phase 2/06-OUTPUT_HANDOFF.md)`, no link (and the next run found the Source wrong again).
    assert.match(text, /\]\(<\.\.\/Phase 2\/06-OUTPUT_HANDOFF\.md>\)/);
    assert.match(text, /\]\(<\.\.\/Phase 2\/04-ARTIFACTS\/ci\.yml>\)/);
    assert.doesNotMatch(text, /\]\(\.\.\/Phase 2\//);
    const check = await run(['check', 'examples/audit-deployment/phase-3', '--format', 'json'], fsys);
    const codes = (JSON.parse(check.stdout) as { diagnostics: { code: string; message: string }[] }).diagnostics;
    assert.deepEqual(
      codes.filter((d) => d.code === 'broken-link' || /^Source/.test(d.message)),
      [],
    );
  });

  it('writes the front matter of a document of a complete phase as complete, of another phase as a draft', async () => {
    const fsys = examplesFs();
    const done = '/ws/examples/audit-deployment/phase-1/07-VALIDATION.md';
    const open = '/ws/examples/audit-deployment/phase-3/07-VALIDATION.md';
    for (const f of [done, open]) fsys.write(f, fsys.text(f)!.replace(/^---\n[\s\S]*?\n---\n\n?/, ''));
    await run(['check', '--fix', 'examples'], fsys);
    assert.match(fsys.text(done)!, /^---\nphase: phase-1\ntitle: [^\n]+\nstatus: complete\n/);
    assert.match(fsys.text(open)!, /^---\nphase: phase-3\ntitle: [^\n]+\nstatus: draft\n/);
  });

  it('writes the line ending of a file whose lines a CR alone ends, and leaves its blank lines as they are', async () => {
    const fsys = examplesFs();
    fsys.write(`/ws/${DEC}`, BROKEN.replace(/\n/g, '\r'));
    const r = await run(['check', '--fix', 'examples'], fsys);
    assert.match(r.stdout, /^fixed examples\/audit-deployment\/phase-3\/05-DECISIONS\.md: 1 × invalid-directive, 1 × unused-directive; /);
    const text = fsys.text(`/ws/${DEC}`)!;
    // No LF written (an LF after a CR would fuse with it into one CRLF line break, a blank line lost).
    assert.ok(!text.includes('\n'), JSON.stringify(text));
    assert.match(text, /Because small\.\r\rText\.\r$/);
    assert.doesNotMatch(text, /phasegate-/);
    const again = await run(['check', '--fix', 'examples'], fsys);
    assert.doesNotMatch(again.stdout, /^fixed /m);
    assert.equal(fsys.text(`/ws/${DEC}`), text);
  });

  it('writes LF into an LF file with a stray CR in its first line (its fixes wrote CR-only line breaks)', async () => {
    const fsys = examplesFs();
    // The heading first, as the file's first line: the CR comes before any LF.
    const stray = BROKEN.slice(BROKEN.indexOf('# Phase 3')).replace('# Phase 3: Containerization', '# Phase 3: Containerization \r(draft)');
    fsys.write(`/ws/${DEC}`, stray);
    const r = await run(['check', '--fix', 'examples'], fsys);
    assert.match(r.stdout, /^fixed examples\/audit-deployment\/phase-3\/05-DECISIONS\.md: /);
    const text = fsys.text(`/ws/${DEC}`)!;
    // The stray CR stays where it was; every line break written is an LF.
    assert.equal(text.split('\r').length, 2, JSON.stringify(text));
    assert.ok(text.includes('Containerization \r(draft)\n'), JSON.stringify(text));
    assert.match(text, /Because small\.\n\nText\.\n$/);
  });

  it('leaves a file that changed after it was read as it is, says so, checks it as it is now, and exits 2 while its fixes still apply', async () => {
    const fsys = examplesFs();
    const clean = fsys.text(`/ws/${DEC}`)!;
    fsys.write(`/ws/${DEC}`, BROKEN);
    fsys.changing.set(`/ws/${DEC}`, (t) => t + '\nWritten meanwhile.\n');
    const r = await run(['check', '--fix', 'examples'], fsys);
    assert.doesNotMatch(r.stdout, /^fixed /m);
    assert.equal(fsys.text(`/ws/${DEC}`), BROKEN + '\nWritten meanwhile.\n');
    assert.equal(
      r.stderr,
      `phasegate: ${DEC} is not written: it changed after it was read\n` +
        'phasegate: not everything was fixed: 1 file named above was not written, and its fixes still apply\n',
    );
    assert.equal(r.code, 2);
    // Someone fixed it by hand meanwhile: the report is of their text, not of the text read before.
    fsys.write(`/ws/${DEC}`, BROKEN);
    fsys.changing.set(`/ws/${DEC}`, () => clean);
    const json = await run(['check', '--fix', '--format', 'json', 'examples'], fsys);
    assert.equal(fsys.text(`/ws/${DEC}`), clean);
    assert.deepEqual(JSON.parse(json.stdout), JSON.parse((await run(['check', '--format', 'json', 'examples'], fsys)).stdout));
    assert.doesNotMatch(json.stdout, /05-DECISIONS/);
    assert.equal(json.code, 0);
  });

  it('takes a file deleted after it was read, before the fixes were written, as gone: named on stderr, checked without it', async () => {
    const fsys = new DeletedOnUpdateFileSystem(`/ws/${DEC}`);
    for (const [p, text] of Object.entries(readTree(EXAMPLES))) fsys.write(`/ws/examples/${p}`, text);
    fsys.write(`/ws/${DEC}`, BROKEN);
    const r = await run(['check', '--fix', '--format', 'json', 'examples'], fsys);
    // What the file gone takes from the others is told, beside the report of them.
    assert.equal(
      r.stderr,
      [
        `phasegate: ${DEC} is not written: it was deleted after it was read`,
        'new problems in examples/audit-deployment/phase-3/00-PHASE_BRIEF.md after other files changed: 1 × missing-document',
        'new problems in examples/audit-deployment/phase-3/07-VALIDATION.md after other files changed: 1 × broken-link, 1 × gate-item-no-evidence',
        '',
      ].join('\n'),
    );
    assert.ok(!fsys.has(`/ws/${DEC}`));
    const now = await run(['check', '--format', 'json', 'examples'], fsys);
    assert.match(now.stdout, /"code": "missing-document"/);
    assert.deepEqual(JSON.parse(r.stdout), JSON.parse(now.stdout));
    assert.equal(r.code, now.code);
  });

  it('takes a file deleted between the scan and its read as never there: no unreadable-file, no error, the check of what is there', async () => {
    const finding = '/ws/examples/audit-deployment/phase-3/03-FINDINGS/image-size-analysis.md';
    for (const argv of [
      ['check', '--fix', '--format', 'json', 'examples'],
      ['check', '--format', 'json', 'examples'],
    ]) {
      // The workspace as it is once the files are gone, checked as it is.
      const gone = examplesFs();
      // Another finding keeps the folder (on disk, a folder stays when its files go).
      const kept = finding.replace('image-size-analysis', 'kept');
      gone.write(kept, gone.text(finding)!);
      gone.delete(`/ws/${DEC}`);
      gone.delete(finding);
      const expected = await run(['check', '--format', 'json', 'examples'], gone);
      assert.match(expected.stdout, /"code": "missing-document"/);

      const fsys = new VanishingFileSystem([`/ws/${DEC}`, finding]);
      for (const [p, text] of Object.entries(readTree(EXAMPLES))) fsys.write(`/ws/examples/${p}`, text);
      fsys.write(`/ws/${DEC}`, BROKEN);
      fsys.write(kept, fsys.text(finding)!);
      const r = await run(argv, fsys);
      assert.equal(fsys.vanished, 2, `${argv.join(' ')}: ${fsys.vanished}`);
      assert.equal(r.stderr, '', `${argv.join(' ')}: ${r.stderr}`);
      assert.doesNotMatch(r.stdout, /unreadable-file/, argv.join(' '));
      assert.deepEqual(JSON.parse(r.stdout), JSON.parse(expected.stdout), argv.join(' '));
      assert.equal(r.code, expected.code, argv.join(' '));
    }
  });

  it('fixes only the files the PATHs cover, and keeps JSON and SARIF output whole (what was fixed goes to stderr)', async () => {
    const fsys = examplesFs();
    fsys.write(`/ws/${DEC}`, BROKEN);
    const brief = '/ws/examples/audit-deployment/phase-2/05-DECISIONS.md';
    fsys.write(brief, (fsys.text(brief) ?? '') + '\n<!-- phasegate-disable-file empty-section -->\n');
    const r = await run(['check', '--fix', '--format', 'json', 'examples/audit-deployment/phase-3'], fsys);
    assert.ok(JSON.parse(r.stdout));
    assert.match(r.stderr, /^fixed examples\/audit-deployment\/phase-3\/05-DECISIONS\.md: /);
    assert.match(fsys.text(brief)!, /phasegate-disable-file empty-section/);
    // The same beside SARIF and a GitLab report.
    for (const format of ['sarif', 'gitlab']) {
      fsys.write(`/ws/${DEC}`, BROKEN);
      const other = await run(['check', '--fix', '--format', format, 'examples/audit-deployment/phase-3'], fsys);
      assert.ok(JSON.parse(other.stdout), format);
      assert.match(other.stderr, /^fixed examples\/audit-deployment\/phase-3\/05-DECISIONS\.md: /, format);
    }
  });

  it('names the problems that went away, by rule and count, not every rule the fixes may fix', async () => {
    const fsys = examplesFs();
    // Phase 1 hands off one more input, which phase 2 has not received: one handoff-mismatch, nothing else.
    const out = '/ws/examples/audit-deployment/phase-1/06-OUTPUT_HANDOFF.md';
    const roadmap = '- Remediation roadmap: [04-ARTIFACTS/remediation-roadmap.md](04-ARTIFACTS/remediation-roadmap.md) - what Phase 2 fixes first.\n';
    fsys.write(
      out,
      fsys.text(out)!.replace(roadmap, `${roadmap}- Audit script: [04-ARTIFACTS/run-audit.sh](04-ARTIFACTS/run-audit.sh) - reruns the baseline.\n`),
    );
    // A brief without two of its sections: the template's text is placeholders for the team to fill, so
    // check --fix leaves the sections to them (the editor's Fix all inserts them, where the user sees them).
    const brief = '/ws/examples/audit-deployment/phase-3/00-PHASE_BRIEF.md';
    fsys.write(
      brief,
      fsys
        .text(brief)!
        .replace(/\n## Objectives\n[\s\S]*?(?=\n## )/, '')
        .replace(/\n## Scope\n[\s\S]*?(?=\n## )/, ''),
    );
    const codes = async (file: string) =>
      (JSON.parse((await run(['check', 'examples', '--format', 'json'], fsys)).stdout) as { diagnostics: { file: string; code: string }[] }).diagnostics
        .filter((d) => d.file === file)
        .map((d) => d.code);
    assert.deepEqual(await codes('examples/audit-deployment/phase-2/01-INPUT_HANDOFF.md'), ['handoff-mismatch']);
    assert.deepEqual(await codes('examples/audit-deployment/phase-3/00-PHASE_BRIEF.md'), ['missing-section', 'missing-section']);
    const r = await run(['check', '--fix', 'examples'], fsys);
    const fixed = r.stdout.split('\n').filter((l) => l.startsWith('fixed '));
    assert.deepEqual(fixed, ['fixed examples/audit-deployment/phase-2/01-INPUT_HANDOFF.md: 1 × handoff-mismatch']);
    assert.match(fsys.text('/ws/examples/audit-deployment/phase-2/01-INPUT_HANDOFF.md')!, /Audit script/);
    assert.deepEqual(await codes('examples/audit-deployment/phase-3/00-PHASE_BRIEF.md'), ['missing-section', 'missing-section']);
    assert.equal(r.code, 1);
  });

  it('names a file it cannot write on stderr, in one line, fixes and checks the others, and exits 2: not everything was fixed', async () => {
    const fsys = examplesFs();
    fsys.write(`/ws/${DEC}`, BROKEN);
    const other = '/ws/examples/audit-deployment/phase-2/05-DECISIONS.md';
    fsys.write(other, fsys.text(other)! + '\n<!-- phasegate-disable-next-line broken-link -->\nNothing.\n');
    const denied = Object.assign(new Error(`EACCES: permission denied, open '/ws/${DEC}'`), { code: 'EACCES', errno: -13, syscall: 'open' });
    fsys.failing.set(`/ws/${DEC}`, denied);
    const r = await run(['check', '--fix', 'examples'], fsys);
    const unfinished = 'phasegate: not everything was fixed: 1 file named above was not written, and its fixes still apply\n';
    assert.equal(r.stderr, `phasegate: ${DEC} could not be written: permission denied (EACCES)\n${unfinished}`);
    assert.equal(fsys.text(`/ws/${DEC}`), BROKEN);
    // The other file is fixed, and the report says what is left, the file not written included.
    assert.match(r.stdout, /^fixed examples\/audit-deployment\/phase-2\/05-DECISIONS\.md: 1 × unused-directive\n\n/);
    assert.doesNotMatch(fsys.text(other)!, /phasegate-disable/);
    assert.match(r.stdout, /05-DECISIONS\.md:\d+:\d+ +error +Decision "Decision 1: Use Alpine" gives no rationale/);
    assert.match(r.stdout, /✖ \d+ problems \(\d+ errors?, /);
    // The report is the check of the files as they are; the exit code says the run did not do what it was asked.
    const check = await run(['check', 'examples'], fsys);
    assert.equal(r.stdout.slice(r.stdout.indexOf('\n\n') + 2), check.stdout);
    assert.equal(check.code, 1);
    assert.equal(r.code, 2);
    // Tried once: a later pass does not try it again. With JSON, stdout is still the one document.
    fsys.failing.set(`/ws/${DEC}`, new Error('it kept changing while it was being updated'));
    const json = await run(['check', '--fix', '--format', 'json', 'examples'], fsys);
    assert.equal(json.stderr, `phasegate: ${DEC} could not be written: it kept changing while it was being updated\n${unfinished}`);
    assert.ok(JSON.parse(json.stdout));
    assert.equal(json.code, 2);
  });

  it('counts and names only the files written when a later write fails, and exits 2 even with warnings alone left', async () => {
    const fsys = examplesFs();
    // Two files with a directive that silences nothing (a warning, the only problem of each): the later one cannot be written.
    const first = '/ws/examples/audit-deployment/phase-2/05-DECISIONS.md';
    const later = '/ws/examples/audit-deployment/phase-3/05-DECISIONS.md';
    for (const f of [first, later]) fsys.write(f, fsys.text(f)! + '\n<!-- phasegate-disable-next-line broken-link -->\nNothing.\n');
    const kept = fsys.text(later)!;
    fsys.failing.set(later, Object.assign(new Error(`EACCES: permission denied, open '${later}'`), { code: 'EACCES' }));
    const r = await run(['check', '--fix', 'examples'], fsys);
    assert.deepEqual(
      r.stdout.split('\n').filter((l) => /^(fixed|new problems) /.test(l)),
      ['fixed examples/audit-deployment/phase-2/05-DECISIONS.md: 1 × unused-directive'],
    );
    assert.equal(
      r.stderr,
      'phasegate: examples/audit-deployment/phase-3/05-DECISIONS.md could not be written: permission denied (EACCES)\n' +
        'phasegate: not everything was fixed: 1 file named above was not written, and its fixes still apply\n',
    );
    assert.equal(fsys.text(later), kept);
    assert.doesNotMatch(fsys.text(first)!, /phasegate-disable/);
    // The report is the check of what is on disk: its warnings alone do not fail it, but the run did not fix them.
    const check = await run(['check', 'examples'], fsys);
    assert.equal(r.stdout.slice(r.stdout.indexOf('\n\n') + 2), check.stdout);
    assert.match(check.stdout, /^examples\/audit-deployment\/phase-3\/05-DECISIONS\.md:\d+:\d+ +warning .*\[unused-directive\]$/m);
    assert.equal(check.code, 0);
    assert.equal(r.code, 2);
    // Once it can be written, the same run fixes it and exits with the check.
    fsys.failing.delete(later);
    const again = await run(['check', '--fix', 'examples'], fsys);
    assert.equal(again.stderr, '');
    assert.match(again.stdout, /^fixed examples\/audit-deployment\/phase-3\/05-DECISIONS\.md: 1 × unused-directive\n\n/);
    assert.equal(again.code, 0);
  });

  it('tells the problems a fix revealed: fixed in a later pass, or new, and the report and exit code are the check of the files written', async () => {
    const fsys = examplesFs();
    // Front matter under blank lines is not read: its wrong phase and its status are not reported until the lines go.
    const rel = 'examples/audit-deployment/phase-3/05-DECISIONS.md';
    const file = `/ws/${rel}`;
    fsys.write(
      file,
      '\n\n' +
        fsys
          .text(file)!
          .replace(/^phase: 3$/m, 'phase: 4')
          .replace(/^status: [a-z-]+$/m, 'status: bogus'),
    );
    const pre = await run(['check', '--format', 'json', rel], fsys);
    const codes = (out: string) =>
      (JSON.parse(out) as { diagnostics: { file: string; code: string }[] }).diagnostics.filter((d) => d.file === rel).map((d) => d.code);
    assert.deepEqual(codes(pre.stdout), ['invalid-front-matter']);
    const r = await run(['check', '--fix', 'examples'], fsys);
    assert.deepEqual(
      r.stdout.split('\n').filter((l) => /^(fixed|new problems) /.test(l)),
      [`fixed ${rel}: 1 × invalid-front-matter; revealed by the fixes and fixed: 1 × heading-mismatch; 1 new problem appeared: 1 × front-matter-schema`],
    );
    assert.equal(r.stderr, '');
    // The number written as a number, as it was.
    assert.match(fsys.text(file)!, /^---\nphase: 3\n[\s\S]*^status: bogus$/m);
    const check = await run(['check', 'examples'], fsys);
    assert.equal(r.stdout.slice(r.stdout.indexOf('\n\n') + 2), check.stdout);
    assert.match(check.stdout, /05-DECISIONS\.md:\d+:\d+ +error +Front matter `status` must be one of/);
    assert.equal(r.code, 1);
    assert.equal(r.code, check.code);
    // Beside JSON, on stderr; the document is the check's.
    fsys.write(file, '\n\n' + fsys.text(file)!.replace(/^phase: 3$/m, 'phase: 4'));
    const json = await run(['check', '--fix', '--format', 'json', 'examples'], fsys);
    assert.equal(
      json.stderr,
      `fixed ${rel}: 1 × invalid-front-matter; revealed by the fixes and fixed: 1 × heading-mismatch; 1 new problem appeared: 1 × front-matter-schema\n`,
    );
    assert.deepEqual(JSON.parse(json.stdout), JSON.parse((await run(['check', '--format', 'json', 'examples'], fsys)).stdout));
  });

  it('removes a directive its fixes left unused, and a rule its fixes left unused from a directive, no other text, and says so', async () => {
    const fsys = examplesFs();
    const rel3 = 'examples/audit-deployment/phase-3/01-INPUT_HANDOFF.md';
    const rel2 = 'examples/audit-deployment/phase-2/01-INPUT_HANDOFF.md';
    /** The input handoff with its inputs section left empty: the inputs handed off, which the fix adds, fill it. */
    const emptied = (rel: string) => fsys.text(`/ws/${rel}`)!.replace(/## Inputs Received\n\n[\s\S]*?\n\n(?=## Prerequisites)/, '## Inputs Received\n\n');
    // Phase 3: its empty-section silenced by a directive of its own, with a reason.
    const text3 = emptied(rel3).replace('## Inputs Received\n', '<!-- phasegate-disable-next-line empty-section -- filled in later -->\n## Inputs Received\n');
    // Phase 2: by a directive that silences a broken link too.
    const text2 = emptied(rel2).replace(
      '# Phase 2 Input Handoff\n',
      '# Phase 2 Input Handoff\n\n<!-- phasegate-disable-file empty-section, broken-link -->\nSee [the wiki](wiki.md).\n',
    );
    fsys.write(`/ws/${rel3}`, text3);
    fsys.write(`/ws/${rel2}`, text2);
    const codes = async (rel: string) =>
      (JSON.parse((await run(['check', '--format', 'json', 'examples'], fsys)).stdout) as { diagnostics: { file: string; code: string }[] }).diagnostics
        .filter((d) => d.file === rel)
        .map((d) => d.code);
    // The inputs missing (phase 3's handoff is not final while phase 2 has them missing: an unvalidated-handoff).
    assert.deepEqual(await codes(rel2), ['handoff-mismatch', 'handoff-mismatch', 'handoff-mismatch']);
    assert.deepEqual(await codes(rel3), ['unvalidated-handoff', 'handoff-mismatch', 'handoff-mismatch']);
    const r = await run(['check', '--fix', 'examples'], fsys);
    assert.deepEqual(
      r.stdout.split('\n').filter((l) => /^(fixed|new problems) /.test(l)),
      [
        `fixed ${rel2}: 3 × handoff-mismatch; left unused by the fixes and removed: empty-section from phasegate-disable-file`,
        `fixed ${rel3}: 2 × handoff-mismatch, 1 × unvalidated-handoff; left unused by the fixes and removed: phasegate-disable-next-line empty-section`,
      ],
    );
    const now3 = fsys.text(`/ws/${rel3}`)!;
    const now2 = fsys.text(`/ws/${rel2}`)!;
    // The directive that silenced nothing else is gone, its line with it; the one still in use keeps its other rule.
    assert.match(now3, /^## Inputs Received\n\n- CI workflow: /m);
    assert.match(now2, /^<!-- phasegate-disable-file broken-link -->\nSee \[the wiki\]\(wiki\.md\)\.$/m);
    // Nothing else changed: the text less the directive (or its rule), plus the inputs.
    const inputs = /^(?:- (?:CI workflow|Quality gates|Audit findings|Baseline metrics|Remediation roadmap): .*\n)+\n/gm;
    assert.equal(now3.replace(inputs, ''), text3.replace('<!-- phasegate-disable-next-line empty-section -- filled in later -->\n', ''));
    assert.equal(now2.replace(inputs, ''), text2.replace('empty-section, broken-link', 'broken-link'));
    for (const rel of [rel2, rel3]) assert.deepEqual(await codes(rel), []);
    assert.equal(r.code, 0);
  });

  it("adds a handed-off input once, also when the output handoff's item holds a directive comment", async () => {
    const fsys = examplesFs();
    const out = '/ws/examples/audit-deployment/phase-2/06-OUTPUT_HANDOFF.md';
    const input = '/ws/examples/audit-deployment/phase-3/01-INPUT_HANDOFF.md';
    fsys.write(
      out,
      fsys
        .text(out)!
        .replace(
          '## Phase 3 Inputs\n\n',
          '## Phase 3 Inputs\n\n- Read access to the [Team] dashboard <!-- phasegate-disable-line unfilled-placeholder -- named in phase 3 -->\n',
        ),
    );
    const r = await run(['check', '--fix', '--format', 'json', 'examples/audit-deployment/phase-3'], fsys);
    const text = fsys.text(input)!;
    assert.equal(text.split('\n').filter((l) => l.startsWith('- Read access to the [Team] dashboard')).length, 1, text);
    assert.doesNotMatch(text, /phasegate-disable-line/);
    const left = (JSON.parse(r.stdout) as { diagnostics: { code: string; message: string }[] }).diagnostics;
    assert.deepEqual(
      left.filter((d) => d.code === 'handoff-mismatch'),
      [],
    );
  });

  it('writes no fix that repairs none of the problems of its file, and fixes that file no further', async () => {
    const fsys = examplesFs();
    const file = '/ws/examples/audit-deployment/phase-3/05-DECISIONS.md';
    const before = fsys.text(file)!;
    // A fix that adds a line on every pass and repairs nothing (as one that re-creates what it repairs would).
    const actions = require('../../server/src/service/actions') as { fixAll: (svc: unknown, f: string) => unknown };
    const fixAll = actions.fixAll;
    let r;
    try {
      actions.fixAll = (svc, f) => {
        if (f !== file) return fixAll(svc, f);
        const n = before.split('\n').length - 1;
        return {
          title: 'again',
          codes: [],
          change: {
            edits: [{ file, edits: [{ range: { start: { line: n, character: 0 }, end: { line: n, character: 0 } }, newText: 'Again.\n' }] }],
            creates: [],
          },
        };
      };
      r = await run(['check', '--fix', 'examples/audit-deployment/phase-3'], fsys);
    } finally {
      actions.fixAll = fixAll;
    }
    assert.equal(fsys.text(file), before);
    assert.doesNotMatch(r.stdout, /^fixed .*05-DECISIONS/m);
  });

  it('says once of a file whose fixes of a later pass repair nothing whether its earlier ones are written', async () => {
    const input = '/ws/examples/audit-deployment/phase-3/01-INPUT_HANDOFF.md';
    const actions = require('../../server/src/service/actions') as { fixAll: (svc: unknown, f: string, o?: unknown) => unknown };
    const fixAll = actions.fixAll;
    /** Runs --fix with, from the second pass on, a fix of `input` that adds a line and repairs nothing. */
    const fixWithStall = async (fsys: ReturnType<typeof examplesFs>) => {
      let calls = 0;
      try {
        actions.fixAll = (svc, f, o) => {
          if (f !== input || calls++ === 0) return fixAll(svc, f, o);
          return {
            title: 'again',
            codes: ['empty-section'],
            change: {
              edits: [{ file: input, edits: [{ range: { start: { line: 8, character: 0 }, end: { line: 8, character: 0 } }, newText: 'Again.\n\n' }] }],
              creates: [],
            },
          };
        };
        return await run(['check', '--fix', 'examples/audit-deployment/phase-3'], fsys);
      } finally {
        actions.fixAll = fixAll;
      }
    };
    // The first pass's fix only turns a prerequisite that is not there into one not checked: not written.
    const fsys = examplesFs();
    const before = fsys.text(input)!.replace('- [x] Dependencies pinned in a lock file\n', '');
    fsys.write(input, before);
    const r = await fixWithStall(fsys);
    assert.equal(fsys.text(input), before);
    assert.equal(
      r.stderr,
      'phasegate: examples/audit-deployment/phase-3/01-INPUT_HANDOFF.md: the fixes for prerequisite-unmet, empty-section removed no problem, not written\n',
    );
    // With an unused directive removed too in the first pass, that pass's fixes are written.
    const both = examplesFs();
    both.write(input, before + '\n<!-- phasegate-disable-next-line broken-link -->\nNothing.\n');
    const w = await fixWithStall(both);
    assert.match(both.text(input)!, /^- \[ \] Dependencies pinned in a lock file$/m);
    assert.doesNotMatch(both.text(input)!, /Again|phasegate-disable/);
    assert.equal(
      w.stderr,
      'phasegate: examples/audit-deployment/phase-3/01-INPUT_HANDOFF.md: the fixes for empty-section removed no problem, not written (the earlier ones are written)\n',
    );
    assert.match(w.stdout, /^fixed examples\/audit-deployment\/phase-3\/01-INPUT_HANDOFF\.md: 1 × unused-directive\n/m);
  });

  it('writes no fixes after which the file has no fewer problems of any rule (one replaced by another of its rule), and says which fixes', async () => {
    const fsys = examplesFs();
    const rel = 'examples/audit-deployment/phase-3/05-DECISIONS.md';
    const file = `/ws/${rel}`;
    const before = fsys.text(file)! + '\nSee [a](missing-a.md).\n';
    fsys.write(file, before);
    // A fix that turns one broken link into another: a problem went away, and one of its rule came.
    const actions = require('../../server/src/service/actions') as { fixAll: (svc: unknown, f: string) => unknown };
    const fixAll = actions.fixAll;
    let r;
    try {
      actions.fixAll = (svc, f) => {
        if (f !== file) return fixAll(svc, f);
        const lines = (svc as { getText(f: string): string }).getText(f).split('\n');
        const n = lines.findIndex((l) => l.includes('missing-a.md'));
        if (n < 0) return undefined;
        const c = lines[n].indexOf('missing-a.md');
        return {
          title: 'Fix all',
          codes: ['broken-link'],
          change: {
            edits: [{ file, edits: [{ range: { start: { line: n, character: c }, end: { line: n, character: c + 12 } }, newText: 'missing-b.md' }] }],
            creates: [],
          },
        };
      };
      r = await run(['check', '--fix', 'examples/audit-deployment/phase-3'], fsys);
    } finally {
      actions.fixAll = fixAll;
    }
    assert.equal(fsys.text(file), before);
    assert.doesNotMatch(r.stdout, /05-DECISIONS\.md: \d+ ×|no problem went away/);
    assert.match(r.stderr, new RegExp(`^phasegate: ${rel}: the fixes for broken-link removed no problem, not written$`, 'm'));
    // The check reports the file as it is.
    assert.match(r.stdout, /05-DECISIONS\.md:\d+:\d+ .*missing-a\.md/);
  });

  it('leaves to the user the fixes that need judgement: ticking a prerequisite as met, adding a placeholder for a deliverable', async () => {
    const brief = '/ws/examples/audit-deployment/phase-1/00-PHASE_BRIEF.md';
    const out = '/ws/examples/audit-deployment/phase-1/06-OUTPUT_HANDOFF.md';
    const input = '/ws/examples/audit-deployment/phase-3/01-INPUT_HANDOFF.md';
    const fsys = examplesFs();
    fsys.write(
      brief,
      fsys.text(brief)!.replace('- Prioritized remediation roadmap\n', '- Prioritized remediation roadmap\n- Kubernetes cluster hardening guide\n'),
    );
    fsys.write(input, fsys.text(input)!.replace('- [x] Dependencies pinned in a lock file', '- [ ] Dependencies pinned in a lock file'));
    const outText = fsys.text(out)!;
    const inText = fsys.text(input)!;
    const r = await run(['check', '--fix', '--format', 'json', 'examples/audit-deployment'], fsys);
    assert.equal(fsys.text(out), outText);
    assert.equal(fsys.text(input), inText);
    const left = (JSON.parse(r.stdout) as { diagnostics: { code: string }[] }).diagnostics.map((d) => d.code);
    assert.ok(left.includes('unaddressed-deliverable') && left.includes('prerequisite-unmet'), left.join(', '));
    assert.equal(r.code, 1);
  });

  it('is refused with other commands', async () => {
    const r = await run(['status', '--fix', 'examples'], examplesFs());
    assert.equal(r.code, 2);
    assert.match(r.stderr, /option '--fix' does not apply to 'status'/);
  });

  it("sets a plan row's status to its phase's (plan-status-mismatch), as the editor's Fix all does", async () => {
    const plan = '/ws/examples/all_use_iai_project/project_implementation_plan.md';
    const fsys = examplesFs();
    const text = fsys.text(plan)!;
    // A complete phase still marked not started.
    fsys.write(
      plan,
      text.replace(
        '| Build | Phase_2_Dependency_Management_Containerization | Complete |',
        '| Build | Phase_2_Dependency_Management_Containerization | Not started |',
      ),
    );
    const before = await run(['check', 'examples'], fsys);
    assert.match(before.stdout, /project_implementation_plan\.md:\d+:\d+ +warning +The plan marks Build\/Phase_2_\S+ Not started, but it is complete/);
    const r = await run(['check', '--fix', 'examples'], fsys);
    assert.match(r.stdout, /^fixed examples\/all_use_iai_project\/project_implementation_plan\.md: 1 × plan-status-mismatch$/m);
    assert.equal(fsys.text(plan), text);
    assert.equal(r.code, 0, r.stdout);
    // A phase marked complete whose gates have not passed (its tests failed): the team's to set back (the editor's quick
    // fix does, when asked), not check --fix's.
    const resp = '/ws/examples/all_use_iai_project/workstreams/Test/Phase_1_Unit_Integration_Testing/implementation_response_from_AI.md';
    fsys.write(resp, fsys.text(resp)!.replace(/(\d+) passed/, '$1 passed, 1 failed'));
    const down = await run(['check', '--fix', 'examples'], fsys);
    assert.match(
      down.stdout,
      /project_implementation_plan\.md:\d+:\d+ +warning +The plan marks Test\/Phase_1_Unit_Integration_Testing Complete, but its gates/,
    );
    assert.doesNotMatch(down.stdout, /^fixed examples\/all_use_iai_project\/project_implementation_plan\.md/m);
    assert.equal(fsys.text(plan), text);
  });
});

describe('phasegate check --fix on disk', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'phasegate-fix-')));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** The text of a brief with a directive that silences nothing (an unused-directive, which --fix removes). */
  const withUnused = (file: string) => fs.readFileSync(file, 'utf8') + '\n<!-- phasegate-disable-next-line broken-link -->\nNothing.\n';

  it('writes no file that leads outside the workspace folder, and one inside it through its link', async () => {
    const ws = path.join(dir, 'ws');
    fs.cpSync(path.join(EXAMPLES, 'audit-deployment'), ws, { recursive: true });
    const outside = path.join(dir, 'outside', 'shared-brief.md');
    fs.mkdirSync(path.dirname(outside));
    fs.writeFileSync(outside, withUnused(path.join(ws, 'phase-1', '00-PHASE_BRIEF.md')));
    fs.rmSync(path.join(ws, 'phase-1', '00-PHASE_BRIEF.md'));
    fs.symlinkSync(outside, path.join(ws, 'phase-1', '00-PHASE_BRIEF.md'));
    const inside = path.join(ws, 'shared', 'brief-2.md');
    fs.mkdirSync(path.dirname(inside));
    fs.writeFileSync(inside, withUnused(path.join(ws, 'phase-2', '00-PHASE_BRIEF.md')));
    fs.rmSync(path.join(ws, 'phase-2', '00-PHASE_BRIEF.md'));
    fs.symlinkSync(path.join('..', 'shared', 'brief-2.md'), path.join(ws, 'phase-2', '00-PHASE_BRIEF.md'));
    const before = fs.readFileSync(outside, 'utf8');

    const r = await run(['check', '--fix', '.'], new SyncNodeFileSystem(), ws);
    assert.equal(
      r.stderr,
      `phasegate: phase-1/00-PHASE_BRIEF.md is not written: it leads outside the workspace folder (to ${outside})\n` +
        'phasegate: not everything was fixed: 1 file named above was not written, and its fixes still apply\n',
    );
    assert.equal(fs.readFileSync(outside, 'utf8'), before);
    assert.match(r.stdout, /^fixed phase-2\/00-PHASE_BRIEF\.md: 1 × unused-directive\n/m);
    assert.doesNotMatch(r.stdout, /^fixed phase-1/m);
    // What is left is reported: the directive outside, which was not removed.
    assert.match(r.stdout, /^phase-1\/00-PHASE_BRIEF\.md:\d+:\d+ +warning .*\[unused-directive\]$/m);
    // The link inside is still a link, to the file fixed.
    assert.ok(fs.lstatSync(path.join(ws, 'phase-2', '00-PHASE_BRIEF.md')).isSymbolicLink());
    assert.doesNotMatch(fs.readFileSync(inside, 'utf8'), /phasegate-disable/);
    // A warning is all that is left, but a fix was not written: exit 2.
    assert.equal((await run(['check', '.'], new SyncNodeFileSystem(), ws)).code, 0);
    assert.equal(r.code, 2);
  });

  it('writes a file that two phases share through symbolic links only with fixes both agree on, so that a second run changes nothing', async () => {
    const ws = path.join(dir, 'ws');
    fs.cpSync(path.join(EXAMPLES, 'audit-deployment'), ws, { recursive: true });
    // Phase 2's brief, shared by phase 3: in phase 3 its phase and title are another phase's (fixes that
    // would make it phase 3's, and phase 2's then another's); the unused directive is unused in both.
    const shared = path.join(ws, 'shared', 'brief.md');
    fs.mkdirSync(path.dirname(shared));
    fs.writeFileSync(shared, withUnused(path.join(ws, 'phase-2', '00-PHASE_BRIEF.md')));
    for (const p of ['phase-2', 'phase-3']) {
      fs.rmSync(path.join(ws, p, '00-PHASE_BRIEF.md'));
      fs.symlinkSync(path.join('..', 'shared', 'brief.md'), path.join(ws, p, '00-PHASE_BRIEF.md'));
    }
    // A finding shared by two paths of one phase: the fixes agree, and the file is written once.
    const finding = path.join(ws, 'shared', 'finding.md');
    fs.writeFileSync(finding, withUnused(path.join(ws, 'phase-3', '03-FINDINGS', 'image-size-analysis.md')));
    for (const name of ['a.md', 'b.md']) fs.symlinkSync(path.join('..', '..', 'shared', 'finding.md'), path.join(ws, 'phase-3', '03-FINDINGS', name));
    const brief = fs.readFileSync(shared, 'utf8');

    const fsys = new SyncNodeFileSystem();
    const r = await run(['check', '--fix', '.'], fsys, ws);
    assert.equal(
      r.stderr,
      [
        'phasegate: phase-2/00-PHASE_BRIEF.md is not written: it is the same file as phase-3/00-PHASE_BRIEF.md (through a symbolic link), whose fixes differ',
        'phasegate: phase-3/00-PHASE_BRIEF.md is not written: it is the same file as phase-2/00-PHASE_BRIEF.md (through a symbolic link), whose fixes differ',
        'phasegate: not everything was fixed: 2 files named above were not written, and their fixes still apply',
        '',
      ].join('\n'),
    );
    assert.equal(fs.readFileSync(shared, 'utf8'), brief);
    assert.match(r.stdout, /^fixed phase-3\/03-FINDINGS\/a\.md: 1 × unused-directive\nfixed phase-3\/03-FINDINGS\/b\.md: 1 × unused-directive\n\n/);
    assert.doesNotMatch(fs.readFileSync(finding, 'utf8'), /phasegate-disable/);
    assert.equal(r.stdout.slice(r.stdout.indexOf('\n\n') + 2), (await run(['check', '.'], fsys, ws)).stdout);
    // Nothing flips back and forth: a second run writes nothing.
    const again = await run(['check', '--fix', '.'], fsys, ws);
    assert.equal(again.stderr, r.stderr);
    assert.doesNotMatch(again.stdout, /^fixed /m);
    assert.equal(fs.readFileSync(shared, 'utf8'), brief);
  });

  it('replaces a file through a temporary file in its folder, with its mode; a hard-linked one in place', async () => {
    const fsys = new SyncNodeFileSystem();
    const file = path.join(dir, 'a.md');
    fs.writeFileSync(file, '\ufeffold\n');
    fs.chmodSync(file, 0o640);
    const inode = fs.statSync(file).ino;
    assert.equal(await fsys.updateFile(file, (t) => t.replace('old', 'new')), true);
    assert.equal(fs.readFileSync(file, 'utf8'), '\ufeffnew\n');
    assert.equal(fs.statSync(file).mode & 0o777, 0o640);
    assert.notEqual(fs.statSync(file).ino, inode, 'a new file took its place');
    assert.deepEqual(fs.readdirSync(dir), ['a.md']);
    // A second name of the same file keeps seeing it: written in place.
    fs.linkSync(file, path.join(dir, 'b.md'));
    const linked = fs.statSync(file).ino;
    assert.equal(await fsys.updateFile(file, (t) => t.replace('new', 'newer')), true);
    assert.equal(fs.statSync(file).ino, linked);
    assert.equal(fs.readFileSync(path.join(dir, 'b.md'), 'utf8'), '\ufeffnewer\n');
    assert.deepEqual(fs.readdirSync(dir).sort(), ['a.md', 'b.md']);
  });

  it('leaves a file no one may write (mode 444) as it is, whoever runs it, and says why', async () => {
    const fsys = new SyncNodeFileSystem();
    const file = path.join(dir, 'a.md');
    fs.writeFileSync(file, 'old\n');
    fs.chmodSync(file, 0o444);
    try {
      await assert.rejects(
        fsys.updateFile(file, (t) => t.replace('old', 'new')),
        (e: Error & { code?: string }) =>
          e.code === 'EACCES' && reasonOf(e) === (process.getuid?.() === 0 ? 'read-only (mode 444) (EACCES)' : 'permission denied (EACCES)'),
      );
      assert.equal(fs.readFileSync(file, 'utf8'), 'old\n');
      assert.deepEqual(fs.readdirSync(dir), ['a.md']);
    } finally {
      fs.chmodSync(file, 0o644);
    }
  });

  it('writes only over the text the update was made for: a change made meanwhile is kept, one that never stops throws', async () => {
    const fsys = new SyncNodeFileSystem();
    const file = path.join(dir, 'a.md');
    fs.writeFileSync(file, 'one\n');
    let calls = 0;
    const once = await fsys.updateFile(file, (t) => {
      // Someone writes the file after it was read, before the update is written.
      if (calls++ === 0) fs.writeFileSync(file, 'two\n');
      return t === 'one\n' ? 'fixed\n' : undefined;
    });
    assert.equal(once, false);
    assert.equal(fs.readFileSync(file, 'utf8'), 'two\n');
    await assert.rejects(
      fsys.updateFile(file, (t) => {
        fs.appendFileSync(file, 'more\n');
        return t + 'fixed\n';
      }),
      /^Error: it kept changing while it was being updated$/,
    );
    assert.deepEqual(fs.readdirSync(dir), ['a.md']);
  });
});
