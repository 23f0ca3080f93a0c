import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import type * as sarif from 'sarif';
import { RULES, ruleDocsUrl } from '../../server/src/service';
import { REPO } from '../helpers/workspace';
import { lineHashes } from '../../server/src/cli/fingerprint';
import { examplesFs, run } from './helpers';

/**
 * The official SARIF 2.1.0 schema (draft-04, as published in @microsoft/jest-sarif). Ajv 8 speaks
 * draft-07, whose keywords are the same for this schema except the top-level `id` (`$id` now).
 */
function sarifValidator() {
  const schema = JSON.parse(fs.readFileSync(path.join(REPO, 'test', 'fixtures', 'sarif-2.1.0.schema.json'), 'utf8')) as Record<string, unknown>;
  const { $schema: _draft, id, ...rest } = schema;
  void _draft;
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false }); // the schema's language pattern is not valid in Unicode mode;
  addFormats(ajv);
  return ajv.compile({ $id: id as string, ...rest });
}

describe('phasegate check --format sarif', () => {
  const validate = sarifValidator();

  async function sarifOf(fsys = examplesFs(), argv = ['check', 'examples', '--format', 'sarif']): Promise<{ code: number; log: sarif.Log }> {
    const r = await run(argv, fsys);
    assert.equal(r.stderr, '');
    return { code: r.code, log: JSON.parse(r.stdout) as sarif.Log };
  }

  it('validates against the SARIF 2.1.0 schema and describes every rule of the catalog', async () => {
    const { code, log } = await sarifOf();
    assert.equal(code, 0);
    assert.ok(validate(log), JSON.stringify(validate.errors, null, 2));
    // The validator does reject what code scanning would: a wrong version, a 0-based line.
    assert.equal(validate({ ...log, version: '2.0.0' }), false);
    const bad = JSON.parse(JSON.stringify(log)) as sarif.Log;
    const loc = bad.runs[0].results?.[0]?.locations?.[0]?.physicalLocation;
    assert.ok(loc?.region, 'the examples have at least one result');
    loc.region.startLine = 0;
    assert.equal(validate(bad), false);
    assert.equal(log.version, '2.1.0');
    const driver = log.runs[0].tool.driver;
    assert.equal(driver.name, 'phasegate');
    assert.equal(driver.version, '9.8.7');
    assert.match(driver.informationUri ?? '', /^https:\/\//);
    assert.deepEqual(
      driver.rules?.map((r) => r.id),
      RULES.map((r) => r.id),
    );
    for (const r of driver.rules ?? []) {
      const info = RULES.find((x) => x.id === r.id);
      assert.equal(r.helpUri, ruleDocsUrl(r.id));
      assert.equal(r.shortDescription?.text, info?.description);
      assert.equal(r.defaultConfiguration?.level, info?.severity === 'error' ? 'error' : info?.severity === 'warning' ? 'warning' : 'note');
    }
  });

  it('maps each diagnostic to a result with its rule, level, relative URI and 1-based region', async () => {
    const fsys = examplesFs();
    fsys.delete('/ws/examples/audit-deployment/phase-2/05-DECISIONS.md');
    const { code, log } = await sarifOf(fsys);
    assert.equal(code, 1);
    assert.ok(validate(log), JSON.stringify(validate.errors, null, 2));
    const json = JSON.parse((await run(['check', 'examples', '--format', 'json'], fsys)).stdout) as {
      diagnostics: {
        file: string;
        range: { start: { line: number; character: number }; end: { line: number; character: number } };
        severity: string;
        code: string;
        message: string;
      }[];
    };
    const run0 = log.runs[0];
    const results = run0.results ?? [];
    assert.equal(results.length, json.diagnostics.length);
    results.forEach((res, i) => {
      const d = json.diagnostics[i];
      assert.equal(res.ruleId, d.code);
      assert.equal(run0.tool.driver.rules?.[res.ruleIndex ?? -1]?.id, d.code);
      assert.equal(res.level, d.severity === 'error' ? 'error' : d.severity === 'warning' ? 'warning' : 'note');
      assert.equal(res.message.text, d.message);
      const loc = res.locations?.[0]?.physicalLocation;
      assert.deepEqual(loc?.artifactLocation, { uri: d.file, uriBaseId: '%SRCROOT%' });
      assert.deepEqual(loc?.region, {
        startLine: d.range.start.line + 1,
        startColumn: d.range.start.character + 1,
        endLine: d.range.end.line + 1,
        endColumn: d.range.end.character + 1,
      });
    });
    assert.ok(results.some((r) => r.ruleId === 'missing-document' && r.level === 'error'));
  });

  it('percent-encodes file names that are not URI-safe', async () => {
    const fsys = examplesFs();
    for (const p of fsys.paths().filter((p) => p.startsWith('/ws/examples/audit-deployment/'))) {
      fsys.write(p.replace('/ws/examples/audit-deployment/', '/ws/my audit #1/'), fsys.text(p) ?? '');
    }
    const { log } = await sarifOf(fsys, ['check', 'my audit #1', '--format', 'sarif']);
    assert.ok(validate(log), JSON.stringify(validate.errors, null, 2));
    const uris = (log.runs[0].results ?? []).map((r) => r.locations?.[0]?.physicalLocation?.artifactLocation?.uri);
    assert.ok(uris.length > 0);
    for (const u of uris) assert.match(u ?? '', /^my%20audit%20%231\/phase-3\//);
  });

  it('gives each result the fingerprint of its line, which stays when lines are added above it', async () => {
    const fsys = examplesFs();
    const plan = '/ws/examples/audit-deployment/phase-3/02-EXECUTION_PLAN.md';
    const text = fsys.text(plan) ?? '';
    const i = text.indexOf('- [x]');
    assert.ok(i > 0, 'the example plan has a checked task');
    fsys.write(plan, text.slice(0, i) + '- [ ] Unchecked task {{owner}}\n' + text.slice(i));
    const before = (await sarifOf(fsys)).log;
    assert.ok(validate(before), JSON.stringify(validate.errors, null, 2));
    const results = before.runs[0].results ?? [];
    assert.ok(results.length > 0);
    for (const r of results) {
      const loc = r.locations?.[0]?.physicalLocation;
      const file = '/ws/' + decodeURIComponent(loc?.artifactLocation?.uri ?? '');
      const line = loc?.region?.startLine ?? 0;
      assert.equal(r.partialFingerprints?.primaryLocationLineHash, lineHashes(fsys.text(file) ?? '').get(line), `${r.ruleId} at ${file}:${line}`);
    }
    const inPlan = (log: sarif.Log) =>
      (log.runs[0].results ?? [])
        .filter((r) => r.locations?.[0]?.physicalLocation?.artifactLocation?.uri?.endsWith('02-EXECUTION_PLAN.md'))
        .map((r) => ({ rule: r.ruleId, line: r.locations?.[0]?.physicalLocation?.region?.startLine, hash: r.partialFingerprints?.primaryLocationLineHash }));
    const planBefore = inPlan(before);
    assert.ok(planBefore.some((r) => r.rule === 'unfilled-placeholder'));
    // Two lines added above (after the front matter): the results move, their fingerprints stay.
    const edited = fsys.text(plan) ?? '';
    const h1 = edited.indexOf('\n# ') + 1;
    fsys.write(plan, edited.slice(0, h1) + '<!-- reviewed -->\n\n' + edited.slice(h1));
    const planAfter = inPlan((await sarifOf(fsys)).log);
    assert.deepEqual(
      planAfter.map((r) => ({ ...r, line: (r.line ?? 0) - 2 })),
      planBefore,
    );
  });

  it('gives a result on a phase folder without a document no region, and a fingerprint of its rule and message', async () => {
    const fsys = examplesFs();
    fsys.write('/ws/examples/audit-deployment/phase-4/notes.txt', 'to do\n');
    const { log } = await sarifOf(fsys);
    assert.ok(validate(log), JSON.stringify(validate.errors, null, 2));
    const onFolder = (log.runs[0].results ?? []).filter(
      (r) => r.locations?.[0]?.physicalLocation?.artifactLocation?.uri === 'examples/audit-deployment/phase-4',
    );
    assert.ok(onFolder.length > 1, 'the missing documents are reported on the folder');
    for (const r of onFolder) {
      assert.equal(r.locations?.[0]?.physicalLocation?.region, undefined);
      assert.equal(r.partialFingerprints?.primaryLocationLineHash, lineHashes(`${r.ruleId}: ${r.message.text}`).get(1));
    }
    // One apiece: results on one folder are told apart.
    assert.equal(new Set(onFolder.map((r) => r.partialFingerprints?.primaryLocationLineHash)).size, onFolder.length);
  });

  it('leaves the fingerprint out for a file it cannot read', async () => {
    const fsys = examplesFs();
    const plan = '/ws/examples/audit-deployment/phase-3/02-EXECUTION_PLAN.md';
    fsys.write(plan, (fsys.text(plan) ?? '') + '\n- [ ] {{todo}}\n');
    const readFile = fsys.readFile.bind(fsys);
    let reads = 0;
    // Readable while checked, gone when the log is written.
    fsys.readFile = async (p: string) => {
      if (p === plan && ++reads > 1) throw Object.assign(new Error('EACCES'), { code: 'EACCES' });
      return readFile(p);
    };
    const results = (await sarifOf(fsys)).log.runs[0].results ?? [];
    const planResults = results.filter((r) => r.locations?.[0]?.physicalLocation?.artifactLocation?.uri?.endsWith('02-EXECUTION_PLAN.md'));
    assert.ok(planResults.length > 0);
    for (const r of planResults) assert.equal(r.partialFingerprints, undefined);
    assert.ok(results.some((r) => r.partialFingerprints?.primaryLocationLineHash));
  });

  it('keeps a run within what code scanning accepts: beyond 25,000 results, the most severe, and a notification of the rest', async function () {
    this.timeout(120_000);
    // Three briefs of 9,000 placeholders each (27,000 warnings), and broken links (errors) in the last one.
    const tbd = '# Phase N: T\n\n## Objectives\n\n' + '- TBD\n'.repeat(9000);
    const fsys = examplesFs({
      'examples/audit-deployment/phase-1/00-PHASE_BRIEF.md': tbd.replace('N', '1'),
      'examples/audit-deployment/phase-2/00-PHASE_BRIEF.md': tbd.replace('N', '2'),
      'examples/audit-deployment/phase-3/00-PHASE_BRIEF.md': tbd.replace('N', '3') + '\nSee [a](gone-1.md) and [b](gone-2.md).\n',
    });
    const json = JSON.parse((await run(['check', 'examples', '--format', 'json'], fsys)).stdout) as { diagnostics: { severity: string }[] };
    const total = json.diagnostics.length;
    const errors = json.diagnostics.filter((d) => d.severity === 'error').length;
    assert.ok(total > 25_000 && errors >= 2, `${total} diagnostics, ${errors} errors`);
    const r = await run(['check', 'examples', '--format', 'sarif'], fsys);
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr,
      `phasegate: warning: ${total - 25_000} of ${total} results are left out of the SARIF log: GitHub code scanning rejects a run of more than 25000; the 25000 most severe are in it.\n`,
    );
    const log = JSON.parse(r.stdout) as sarif.Log;
    assert.ok(validate(log), JSON.stringify(validate.errors?.slice(0, 3), null, 2));
    const results = log.runs[0].results ?? [];
    assert.equal(results.length, 25_000);
    assert.equal(results.filter((x) => x.level === 'error').length, errors);
    // In the order of the report (by file and line), as an uncut log.
    const keys = results.map((x) => {
      const loc = x.locations?.[0]?.physicalLocation;
      return `${loc?.artifactLocation?.uri} ${String(loc?.region?.startLine ?? 0).padStart(6)}`;
    });
    assert.deepEqual(keys, [...keys].sort());
    const notes = log.runs[0].invocations?.[0]?.toolExecutionNotifications ?? [];
    assert.deepEqual(
      notes.map((n) => [n.level, n.message.text]),
      [['warning', r.stderr.slice('phasegate: warning: '.length, -1)]],
    );
    // Within the limit: no notification, no warning.
    const small = await run(['check', 'examples', '--format', 'sarif'], examplesFs());
    assert.equal(small.stderr, '');
    assert.equal((JSON.parse(small.stdout) as sarif.Log).runs[0].invocations, undefined);
  });
});

/** GitHub's fingerprint computed plainly, with BigInt: the reference for the 32-bit arithmetic. */
function referenceLineHashes(text: string): string[] {
  const mask = (1n << 64n) - 1n;
  let firstMod = 1n;
  for (let i = 0; i < 100; i++) firstMod = (firstMod * 37n) & mask;
  const chars: { c: number; line: number }[] = [];
  let line = 0;
  let lineStart = true;
  let prevCR = false;
  for (let i = 0; i <= text.length; i++) {
    const c0 = i < text.length ? text.charCodeAt(i) : 0xffff;
    if (c0 === 0x20 || c0 === 0x09 || (prevCR && c0 === 0x0a)) {
      prevCR = false;
      continue;
    }
    const c = c0 === 0x0d ? 0x0a : c0;
    prevCR = c0 === 0x0d;
    chars.push({ c, line: lineStart ? ++line : 0 });
    lineStart = c === 0x0a;
  }
  const out: string[] = [];
  const counts = new Map<string, number>();
  for (let i = 0; i < chars.length; i++) {
    if (!chars[i].line) continue;
    let h = 0n;
    for (let j = i; j < i + 100; j++) h = (h * 37n + BigInt(chars[j]?.c ?? 0)) & mask;
    const hex = h.toString(16);
    const k = (counts.get(hex) ?? 0) + 1;
    counts.set(hex, k);
    out[chars[i].line - 1] = `${hex}:${k}`;
  }
  return out;
}

describe('primaryLocationLineHash', () => {
  const all = (text: string) => {
    const m = lineHashes(text);
    return [...m.keys()].sort((a, b) => a - b).map((k) => m.get(k));
  };

  it("matches the values of GitHub's upload action (its published test cases)", () => {
    assert.deepEqual(all(''), ['c129715d7a2bc9a3:1']);
    assert.deepEqual(all(' a\nb\n  \t\tc\n d'), ['271789c17abda88f:1', '54703d4cd895b18:1', '180aee12dab6264:1', 'a23a3dc5e078b07b:1']);
    const hello = [
      'e9496ae3ebfced30:1',
      'fb7c023a8b9ccb3f:1',
      'ce8ba1a563dcdaca:1',
      'e20e36e16fcb0cc8:1',
      'b3edc88f2938467e:1',
      'c8e28b0b4002a3a0:1',
      'c129715d7a2bc9a3:1',
    ];
    for (const t of [
      ' hello; \t\nworld!!!\n\n\n  \t\tGreetings\n End\n',
      ' hello; \t\nworld!!!\r\r\r  \t\tGreetings\r End\r',
      ' hello; \t\r\nworld!!!\r\n\r\n\r\n  \t\tGreetings\r\n End\r\n',
      ' hello; \t\nworld!!!\r\n\n\r  \t\tGreetings\r End\r\n',
    ])
      assert.deepEqual(all(t), hello, JSON.stringify(t));
    assert.deepEqual(all('Lorem ipsum dolor sit amet.\n'.repeat(10)), [
      ...[1, 2, 3, 4, 5, 6].map((k) => `a7f2ff13bc495cf2:${k}`),
      'a7f2ff1481e87703:1',
      'a9cf91f7bbf1862b:1',
      '55ec222b86bcae53:1',
      'cc97dc7b1d7d8f7b:1',
      'c129715d7a2bc9a3:1',
    ]);
  });

  it('agrees with a BigInt reference on random text, and computes only the lines asked for', () => {
    let seed = 7;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const alphabet = ['a', 'Z', ' ', '\t', '\n', '\r', '\r\n', '#', 'é', '😀', '\uFEFF', '\uFFFF', '\u0000'];
    for (let n = 0; n < 200; n++) {
      let t = '';
      const len = rnd(400);
      for (let i = 0; i < len; i++) t += alphabet[rnd(alphabet.length)];
      assert.deepEqual(all(t), referenceLineHashes(t), JSON.stringify(t));
      const want = new Set([1, 3, 500]);
      const some = lineHashes(t, want);
      for (const [k, v] of some) assert.equal(v, referenceLineHashes(t)[k - 1]);
      assert.ok([...some.keys()].every((k) => want.has(k)));
    }
  });
});
