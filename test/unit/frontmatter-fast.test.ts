/**
 * The flat front matter fast path must give exactly what the `yaml` package gives (the full path),
 * or decline. Differential: random flat-ish YAML from tricky tokens, compared value by value.
 */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import * as YAML from 'yaml';
import { parseFlatFrontMatter } from '../../server/src/service/frontmatter-fast';
import { parseDocument } from '../../server/src/service';
import { markdownBody } from '../../server/src/service/markdown';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { MemoryFileSystem, PhasegateService } from '../../server/src/service';
import { REPO, ROOT, assets } from '../helpers/workspace';

function full(raw: string): { ok: boolean; data: unknown } {
  const doc = YAML.parseDocument(raw, { uniqueKeys: true, prettyErrors: false, strict: true });
  if (doc.errors.length) return { ok: false, data: undefined };
  return { ok: true, data: doc.toJS({ maxAliasCount: 100 }) };
}

const SCALARS = [
  '2025-01-29',
  '1.0',
  '1.50',
  '10',
  '007',
  '0o17',
  '0o8',
  '0x1F',
  '0xG',
  '1e3',
  '1E-2',
  '.5',
  '5.',
  '+3',
  '-3',
  '-1.5',
  '1_000',
  '.inf',
  '-.Inf',
  '+.INF',
  '.nan',
  '.NaN',
  'nan',
  'inf',
  'yes',
  'no',
  'on',
  'off',
  'y',
  'n',
  'true',
  'True',
  'TRUE',
  'tRue',
  'false',
  'FALSE',
  'null',
  'Null',
  'NULL',
  'nUll',
  '~',
  '',
  'complete',
  'in progress',
  'Security Team',
  'Phase 3 Validation',
  'Testing & Quality (Cycle 2)',
  "Bob's plan",
  'a "quoted" word',
  '"quoted"',
  "'single'",
  '"Finding 1.2: Configuration"',
  '"Phase 1: a # b"',
  "'it''s'",
  '\'a "b" c\'',
  '"a \'b\' c"',
  '"a\\nb"',
  '"\\"',
  '"x" y',
  '"x"  ',
  '""',
  "''",
  '"unclosed',
  "'unclosed",
  '"a" # c',
  '"1.0"',
  '"true"',
  "'~'",
  '[A, B]',
  '[Owner]',
  '{a: 1}',
  '{{x}}',
  'Phase {{n}}',
  'a: b',
  'a:b',
  'ends:',
  'x # comment',
  'x#y',
  '#c',
  '&anchor x',
  '*alias',
  '!tag x',
  '!!str 1',
  '|',
  '>',
  '- item',
  '-item',
  '?x',
  ':x',
  ',x',
  '%x',
  '@x',
  '`x`',
  'é',
  '😀',
  'a\tb',
  'TBD',
  'TODO: x',
  '12:30',
  '1,000',
  'http://x.y/z',
  '...',
  'a --- b',
  '<<',
  'a|b',
  '→ x',
  '1:2',
  'x:y',
  '(x)',
  '+.5',
  '1.2.3',
  'C:\\path',
  'a  b',
  'trailing   ',
  '\u00a0nbsp',
  'x\u2028y',
  '\ufeffbom',
  '0',
  '-0',
  '+0',
  '0.0',
  '00',
  '1e',
  'e1',
  '0b101',
  '2025-01-29T10:00:00Z',
  '2025-01-29 10:00',
  '12abc',
  '123 456',
  '1o',
  '1x',
  '0x',
  '0o',
  '9e',
  '1.',
  '1-',
  '10.5.1',
  '"x"   ',
  "'a b'  ",
  '"a: b"',
  "'x # y'",
  'draft  # draft | in-progress | review | complete | blocked',
  'x # y: z',
  'a #b',
  'a#b #c',
  'a b  #  c: d # e',
  '1 # one',
  'true # yes',
  '"x" # c',
  '# only a comment',
];
const KEYS = ['title', 'status', 'phase', 'date', 'owner', 'approved_by', 'a-b', '_x', 'Title', 'true', 'null', 'Yes', '__proto__', 'x y', '1', 'k1'];

const line = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.tuple(fc.constantFrom(...KEYS), fc.constantFrom(':', ': ', ':  ', ' : '), fc.constantFrom(...SCALARS)).map(([k, c, v]) => k + c + v),
  },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', '# comment', '  nested: 1', '- a', '---x', 'key:', '  - b', 'k: |', '  text') },
);

describe('flat front matter fast path', () => {
  it('agrees with the yaml package, or declines', () => {
    let taken = 0;
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 4 }), (ls) => {
        const raw = ls.join('\n');
        const fast = parseFlatFrontMatter(raw);
        if (fast === undefined) return;
        taken++;
        const f = full(raw);
        assert.ok(f.ok, `fast path took YAML the yaml package rejects: ${JSON.stringify(raw)}`);
        assert.deepStrictEqual(fast, f.data, JSON.stringify(raw));
      }),
      { numRuns: 3000 },
    );
    assert.ok(taken > 100, `fast path taken ${taken} times`);
  });

  it('agrees on every single scalar', () => {
    for (const v of SCALARS) {
      const raw = `k: ${v}`;
      const fast = parseFlatFrontMatter(raw);
      if (fast === undefined) continue;
      const f = full(raw);
      assert.ok(f.ok, raw);
      assert.deepStrictEqual(fast, f.data, raw);
    }
    assert.deepStrictEqual(parseFlatFrontMatter('date: 2025-01-29\nv: 1.0\nyes: yes'), { date: '2025-01-29', v: 1, yes: 'yes' });
  });

  it('reads a comment after a plain value as YAML does, as the templates write one after status', () => {
    assert.deepStrictEqual(parseFlatFrontMatter('status: draft  # draft | in-progress | review | complete | blocked\nphase: 2 # the second'), {
      status: 'draft',
      phase: 2,
    });
    assert.deepStrictEqual(parseFlatFrontMatter('title: R#D 2 #x'), { title: 'R#D 2' });
  });

  it('declines anchors, aliases, tags, duplicates and comment lines', () => {
    for (const raw of ['a: &x 1\nb: *x', 'a: !!str 1', 'a: 1\na: 2', '# c\na: 1', 'a: # c', 'a:\n  b: 1', 'a: [1]']) {
      assert.equal(parseFlatFrontMatter(raw), undefined, raw);
    }
  });

  it('keeps the YAML document for ranges, built on demand', () => {
    const doc = parseDocument('---\ntitle: Phase 1\nstatus: complete\n---\n# Phase 1\n');
    const fm = doc.frontMatter!;
    assert.deepStrictEqual(fm.data, { title: 'Phase 1', status: 'complete' });
    assert.deepStrictEqual(fm.errors, []);
    assert.ok(fm.yaml);
    assert.deepStrictEqual(fm.yaml.toJS(), fm.data);
    assert.equal(fm.yaml, fm.yaml);
  });
});

describe('markdown body without carriage returns', () => {
  it('equals the front matter lines blanked and the lines joined', () => {
    const texts = [
      '',
      'a',
      '---',
      '---\n',
      '---\na: 1\n---',
      '---\na: 1\n---\n',
      '---\na: 1\n---\n# T\n\ntext',
      '# T\n---\nx',
      'x\n\n\n',
      '---\r\na: 1\r\n---\r\n# T',
    ];
    for (const text of texts) {
      const lines = text.includes('\r') ? text.split(/\r\n|\r|\n/) : text.split('\n');
      for (let b = 0; b <= Math.min(3, lines.length); b++) {
        const expected = b > 0 ? '\n'.repeat(b) + lines.slice(b).join('\n') : lines.join('\n');
        assert.equal(markdownBody(text, lines, b), expected, JSON.stringify([text, b]));
      }
    }
  });
});

describe('the YAML Document of flat front matter', () => {
  it('is not built by a check of a workspace whose front matter is flat and right (the benchmark generator, N = 20)', async () => {
    // The `yaml` package's full parse costs more than markdown-it: the engine reads flat front matter without it and builds
    // the Document only where a rule needs its places (a problem to report at a key). Seen built for every title once.
    const { generateFiles } = (await import(pathToFileURL(path.join(REPO, 'bench', 'generate.mjs')).href)) as {
      generateFiles(o: { n: number; seed: number }): Iterable<[string, string]>;
    };
    const files: Record<string, string> = {};
    for (const [p, t] of generateFiles({ n: 20, seed: 1 })) files[`${ROOT}/${p}`] = t;
    const yaml = require('yaml') as { parseDocument: (...a: unknown[]) => unknown };
    const original = yaml.parseDocument;
    let built = 0;
    yaml.parseDocument = (...a: unknown[]) => {
      built++;
      return original(...a);
    };
    try {
      const svc = new PhasegateService({ fs: new MemoryFileSystem(files), assets });
      await svc.load(ROOT);
      const ds = svc.diagnoseAll();
      for (const p of svc.model.phases) svc.gates(p);
      assert.ok(ds.length > 0, 'the generated defects are found');
      assert.equal(built, 0);
    } finally {
      yaml.parseDocument = original;
    }
  });
});
