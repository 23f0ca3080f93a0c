import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import type * as sarif from 'sarif';
import { RULES, ruleDocsUrl } from '../../server/src/service';
import { REPO } from '../helpers/workspace';
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
});
