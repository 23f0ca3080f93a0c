/**
 * Build-time compiled schema validators (scripts/gen-validators.mjs → server/src/service/generated/):
 * the committed module is what the generator writes, its validators report exactly the errors of the
 * same schema compiled at run time, and the engine uses one only for the unchanged built-in schema.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { MemoryFileSystem, PhasegateService } from '../../server/src/service';
import { AJV_OPTIONS, PRECOMPILED } from '../../server/src/service/generated/validators';
import { createAjv, precompiled } from '../../server/src/service/precompiled';
import { assets, diagnosticsOf, REPO, ROOT, workspace } from '../helpers/workspace';

type Schema = Record<string, unknown>;

/** Whether the engine built its run-time compiler (private: the point is that it is not built). */
const builtAjv = (svc: PhasegateService) => (svc as unknown as { ajvInstance?: unknown }).ajvInstance !== undefined;

/** All that ajv reports, in order: the rules read instancePath, keyword, params and message. */
function run(v: ValidateFunction, data: unknown): { valid: boolean; errors: ErrorObject[] } {
  const valid = v(data) as boolean;
  return { valid, errors: structuredClone(v.errors ?? []) };
}

/** Every property name and every enum/example/default value anywhere in a schema: the vocabulary of the data below. */
function vocabulary(schema: unknown, keys = new Set<string>(), values: unknown[] = []): { keys: Set<string>; values: unknown[] } {
  if (Array.isArray(schema)) for (const s of schema) vocabulary(s, keys, values);
  else if (schema && typeof schema === 'object') {
    for (const [k, v] of Object.entries(schema as Schema)) {
      if (k === 'properties' && v && typeof v === 'object') for (const p of Object.keys(v)) keys.add(p);
      if (k === 'enum' || k === 'examples') values.push(...(v as unknown[]));
      else if (k === 'default' || k === 'const') values.push(v);
      else vocabulary(v, keys, values);
    }
  }
  return { keys, values };
}

const meta = { phase: 'phase-1', title: 'Foundation', status: 'draft' };
/** Hand-written data per schema: valid, and wrong in the ways users get it wrong. */
const SAMPLES: Record<string, unknown[]> = {
  '*': [
    {},
    meta,
    { ...meta, owner: 'Ops', date: '2025-10-17', reviewers: ['Security Team'], tags: ['a', 'b'], version: '1.0', custom: { kept: true } },
    { phase: 3, title: '', status: 'done', date: '17-10-2025', reviewers: 'Security Team', tags: [1, 1], version: 1 },
    { phase: null, title: ['x'], status: 'Draft', owner: '', date: '2025-13-45', reviewers: [null], tags: {}, version: true },
    { ...meta, start: '2025-01-01', end: 'soon', weeks: -1, depends_on: ['phase-0', 2], tools: 'git', from: 1, to: [], project: '', workstream: 7 },
    { ...meta, model: '', prompt: 3, approved_by: [], approved_on: '2025-10-17T00:00:00Z' },
    null,
    'phase-1',
    42,
    [meta],
  ],
  finding: [
    { ...meta, severity: 'high' },
    { ...meta, severity: 'High' },
  ],
  config: [
    {
      rules: { 'missing-front-matter': 'off', 'gate-item-unchecked': 'information' },
      metrics: [{ name: 'Code coverage', threshold: '>= 85%' }],
      ignore: ['drafts/**'],
      templates: '.phasegate/templates',
      schemas: { brief: 'schemas/brief.json' },
      layouts: [
        {
          name: 'sprint',
          phases: 'sprints/sprint-*',
          number: 'sprint-(\\d+)',
          documents: [{ kind: 'brief', file: 'GOALS.md', sections: ['Objectives', { title: 'Scope', required: false }, 'Deliverables'] }],
          gates: [{ name: 'Review', failOn: ['missing-section'] }],
        },
      ],
    },
    { rules: { 'missing-front-matter': 'loud', 'no-such-rule': 'off' }, metrics: [{ threshold: 85 }], ignore: 'drafts/**', templates: 1, extra: true },
    { layouts: [{ name: '', phases: [], documents: [{ kind: 'brief' }, { file: 'A.md', sections: [1, { title: '' }] }], gates: [{ failOn: 'x' }] }] },
    { layouts: {}, schemas: { brief: 1 }, metrics: {} },
  ],
};

/** Random data over the schema's vocabulary, nested a few levels: shapes the hand-written samples miss. */
function arbitraryData(schema: unknown): fc.Arbitrary<unknown> {
  const { keys, values } = vocabulary(schema);
  const leaf = fc.oneof(fc.constantFrom(...values), fc.constantFrom(null, true, 0, -1, 1.5, '', 'x', '2025-10-17'), fc.string({ maxLength: 8 }));
  const tree = fc.letrec<{ value: unknown; obj: Record<string, unknown>; arr: unknown[] }>((tie) => ({
    value: fc.oneof({ depthSize: 'small' }, leaf, tie('obj'), tie('arr')),
    obj: fc.dictionary(fc.oneof(fc.constantFrom(...keys), fc.string({ maxLength: 4 })), tie('value'), { maxKeys: 5 }),
    arr: fc.array(tie('value'), { maxLength: 4 }),
  }));
  return fc.oneof({ weight: 4, arbitrary: tree.obj }, { weight: 1, arbitrary: tree.value });
}

describe('precompiled schema validators', () => {
  const ids = Object.keys(assets.schemas).sort();

  it('the committed module is what scripts/gen-validators.mjs writes from schemas/ (run `npm run gen:validators`)', async () => {
    const gen = (await import(pathToFileURL(path.join(REPO, 'scripts', 'gen-validators.mjs')).href)) as {
      generateValidators(root: string): string;
      OUT_FILE: string;
    };
    const committed = fs.readFileSync(path.join(REPO, gen.OUT_FILE), 'utf8');
    assert.ok(committed === gen.generateValidators(REPO), `${gen.OUT_FILE} is out of date with schemas/: run npm run gen:validators`);
    assert.deepEqual(Object.keys(PRECOMPILED).sort(), ids);
    for (const id of ids) assert.equal(PRECOMPILED[id].source, JSON.stringify(assets.schemas[id]), id);
  });

  it('compiles with the options the engine always used', () => {
    assert.deepEqual(AJV_OPTIONS, { allErrors: true, strict: false, validateFormats: false, loopRequired: 50, loopEnum: 50 });
  });

  for (const id of [
    'brief',
    'decisions',
    'execution-plan',
    'finding',
    'input-handoff',
    'output-handoff',
    'plan',
    'prompt',
    'response',
    'validation',
    'config',
  ]) {
    it(`'${id}': precompiled and run-time compiled validators report identical errors`, () => {
      assert.ok(ids.includes(id), `schemas/${id}.schema.json`);
      const pre = PRECOMPILED[id].validate;
      const compiled = createAjv().compile(assets.schemas[id]);
      assert.notEqual(pre, compiled);
      let valid = 0;
      let invalid = 0;
      for (const data of [...SAMPLES['*'], ...(SAMPLES[id] ?? [])]) {
        const a = run(pre, data);
        assert.deepEqual(a, run(compiled, data), JSON.stringify(data));
        if (a.valid) valid++;
        else invalid++;
      }
      // Both outcomes were exercised, so the comparison above is not vacuous.
      assert.ok(valid > 0 && invalid > 0, `${valid} valid, ${invalid} invalid`);
      fc.assert(
        fc.property(arbitraryData(assets.schemas[id]), (data) => {
          assert.deepEqual(run(pre, data), run(compiled, data));
        }),
        { numRuns: 300 },
      );
    });
  }

  it('the engine uses the precompiled validators and never builds ajv for the built-in schemas', async () => {
    const { svc } = await workspace({
      'phasegate.yaml': 'rules:\n  missing-front-matter: off\n',
      'phase-1/00-PHASE_BRIEF.md': '---\nphase: phase-1\nstatus: done\n---\n# Phase 1: Foundation\n',
    });
    assert.deepEqual(svc.config.problems, []);
    const ds = diagnosticsOf(svc, 'phase-1/00-PHASE_BRIEF.md', 'front-matter-schema');
    assert.deepEqual(
      ds.map((d) => d.message),
      [
        'Front matter is missing the required key `title`.',
        'Front matter `status` must be one of: draft, in-progress, review, complete, blocked: did you mean `complete`?',
      ],
    );
    for (const id of ids) assert.equal(svc.validator(id), PRECOMPILED[id].validate, id);
    assert.equal(builtAjv(svc), false);
    // Like an ajv-compiled function, it carries the schema in force (read by the add-front-matter fix).
    assert.equal(svc.validator('brief')!.schema, assets.schemas.brief);
  });

  it('an equal copy of a built-in schema still gets the precompiled validator (compared as JSON, not by identity)', () => {
    const copy = JSON.parse(JSON.stringify(assets.schemas.brief)) as object;
    assert.equal(precompiled('brief', copy), PRECOMPILED.brief.validate);
    assert.equal(precompiled('no-such-id', copy), undefined);
    assert.equal(precompiled('plan', copy), undefined);
  });

  it('a changed built-in schema in the assets is compiled at run time, not served stale', async () => {
    const brief = structuredClone(assets.schemas.brief) as { required: string[] };
    brief.required = [...brief.required, 'owner'];
    const fs = new MemoryFileSystem({ [`${ROOT}/phase-1/00-PHASE_BRIEF.md`]: '---\nphase: phase-1\ntitle: T\nstatus: draft\n---\n# Phase 1: T\n' });
    const svc = new PhasegateService({ fs, assets: { ...assets, schemas: { ...assets.schemas, brief } } });
    await svc.load(ROOT);
    assert.deepEqual(
      diagnosticsOf(svc, 'phase-1/00-PHASE_BRIEF.md', 'front-matter-schema').map((d) => d.message),
      ['Front matter is missing the required key `owner`.'],
    );
    assert.notEqual(svc.validator('brief'), PRECOMPILED.brief.validate);
    assert.equal(svc.validator('brief')!.schema, brief);
    assert.equal(builtAjv(svc), true);
    // The other kinds are unchanged and stay precompiled.
    assert.equal(svc.validator('validation'), PRECOMPILED.validation.validate);
  });

  it('a workspace schema is compiled at run time, even one equal to the built-in schema', async () => {
    const { svc } = await workspace({
      'phasegate.yaml': 'schemas:\n  brief: s.json\n  plan: p.json\n',
      's.json': JSON.stringify({ type: 'object', required: ['owner'] }),
      'p.json': JSON.stringify(assets.schemas.plan),
      'phase-1/00-PHASE_BRIEF.md': '---\nphase: phase-1\ntitle: T\nstatus: draft\n---\n# Phase 1: T\n',
    });
    assert.deepEqual(svc.config.problems, []);
    assert.equal(builtAjv(svc), true);
    assert.equal(svc.validator('brief')!({ title: 'x' }), false);
    assert.equal(svc.validator('brief')!({ owner: 'x' }), true);
    assert.notEqual(svc.validator('plan'), PRECOMPILED.plan.validate);
    assert.equal(svc.validator('validation'), PRECOMPILED.validation.validate);
    assert.deepEqual(
      diagnosticsOf(svc, 'phase-1/00-PHASE_BRIEF.md', 'front-matter-schema').map((d) => d.message),
      ['Front matter is missing the required key `owner`.'],
    );
  });

  it('in an untrusted workspace the named workspace schemas are ignored and the precompiled ones apply', async () => {
    const { svc } = await workspace(
      { 'phasegate.yaml': 'schemas:\n  brief: s.json\n', 's.json': JSON.stringify({ type: 'object', required: ['owner'] }) },
      { trusted: false },
    );
    assert.equal(svc.validator('brief'), PRECOMPILED.brief.validate);
    assert.equal(builtAjv(svc), false);
  });
});
