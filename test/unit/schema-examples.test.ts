/**
 * The `examples` of the JSON Schemas (offered by editors' completion and hover): each one valid
 * against the subschema that holds it, and each front matter kind's `title` and `phase` examples what
 * its template writes for a phase of its layout.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import * as YAML from 'yaml';
import { AUDIT_LAYOUT, IAI_LAYOUT, LayoutSpec, PLAN_KIND, baseContext, renderTemplate } from '../../server/src/service';
import { REPO, workspace } from '../helpers/workspace';

type Json = Record<string, unknown>;
const DIR = path.join(REPO, 'schemas');
const schema = (file: string) => JSON.parse(fs.readFileSync(path.join(DIR, file), 'utf8')) as Json;

/** Every node of a schema that has `examples`, with its JSON pointer. */
function withExamples(node: unknown, ptr = '#', out: { ptr: string; node: Json }[] = []): { ptr: string; node: Json }[] {
  if (Array.isArray(node)) node.forEach((n, i) => withExamples(n, `${ptr}/${i}`, out));
  else if (node && typeof node === 'object') {
    const o = node as Json;
    if (Array.isArray(o.examples)) out.push({ ptr, node: o });
    for (const [k, v] of Object.entries(o)) if (k !== 'examples') withExamples(v, `${ptr}/${k}`, out);
  }
  return out;
}

describe('schema examples', () => {
  it('every example of every schema is valid against the subschema that gives it', () => {
    let n = 0;
    for (const file of fs.readdirSync(DIR).filter((f) => f.endsWith('.schema.json'))) {
      for (const { ptr, node } of withExamples(schema(file))) {
        // eslint-disable-next-line @typescript-eslint/no-unused-vars
        const { examples, $schema, ...sub } = node;
        const validate = new Ajv({ strict: false, allErrors: true }).compile(sub);
        for (const ex of examples as unknown[]) {
          n++;
          assert.ok(validate(ex), `${file} ${ptr}: example ${JSON.stringify(ex)}: ${JSON.stringify(validate.errors)}`);
        }
      }
    }
    assert.ok(n > 50, `${n} examples`);
  });

  const layouts: [LayoutSpec | undefined, { id: string; title: string; workstream?: string }][] = [
    [AUDIT_LAYOUT, { id: 'phase-1', title: 'Foundation Audit & Baseline' }],
    [IAI_LAYOUT, { id: 'Build/Phase_1_Source_Control', title: 'Source Code Management & Initial CI Setup', workstream: 'Build' }],
  ];
  for (const [layout, phase] of layouts) {
    for (const spec of layout!.documents) {
      it(`${layout!.name} ${spec.kind}: the title and phase examples are what the template writes for phase 1 of the layout`, async () => {
        const { svc } = await workspace({});
        const folder = `/ws/${layout!.name === 'iai' ? 'workstreams/' : ''}${phase.id}`;
        const text = renderTemplate(svc, spec.template!, baseContext(svc, { ...phase, number: 1, workstream: phase.workstream, folder, layout }, '2026-01-02'));
        const fm = YAML.parse(/^---\n([\s\S]*?)\n---\n/.exec(text ?? '')![1]) as { title: string; phase: string };
        const props = schema(`${spec.schema!}.schema.json`).properties as Record<string, { examples?: unknown[] }>;
        assert.deepEqual(props.title.examples, [fm.title]);
        assert.deepEqual(props.phase.examples, [phase.id, 1], 'the id a template writes, and the number');
      });
    }
  }

  it('plan: the title example is what its template writes; no example for the phase key it does not use', async () => {
    const { svc } = await workspace({});
    const text = renderTemplate(
      svc,
      PLAN_KIND.template!,
      baseContext(svc, { id: '', number: undefined, title: undefined, workstream: undefined, folder: '/ws', layout: undefined }, '2026-01-02'),
    );
    const fm = YAML.parse(/^---\n([\s\S]*?)\n---\n/.exec(text ?? '')![1]) as Json;
    const props = schema('plan.schema.json').properties as Record<string, { examples?: unknown[]; description: string }>;
    assert.deepEqual(props.title.examples, [fm.title]);
    assert.equal(fm.phase, undefined);
    assert.match(props.phase.description, /^Not used/);
    assert.equal(props.phase.examples, undefined);
  });
});
