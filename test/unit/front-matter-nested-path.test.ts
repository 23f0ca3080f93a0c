/**
 * Where a nested front matter completion or hover stands (yamlPathAt): only the top-level key's lines around the
 * request are parsed, with the same answer as the whole front matter gives (a front matter of thousands of keys is
 * not parsed whole at each request).
 */
import * as assert from 'node:assert/strict';
import { HOLE, flowKeyAt, yamlPathAt } from '../../server/src/lsp/completion';
import { parseDocument } from '../../server/src/service/markdown';

/** yamlPathAt's answer for front matter lines `fm`, the text [from, to) of line `at` (of `fm`) replaced by `text`, and the sources the YAML parser read. */
function pathAt(fm: string[], at: number, from: number, to: number, text: string) {
  const doc = parseDocument(['---', ...fm, '---', '# Title', ''].join('\n'));
  const yaml = require('yaml') as { parseDocument: (...a: unknown[]) => unknown };
  const parse = yaml.parseDocument;
  const parsed: string[] = [];
  yaml.parseDocument = (...a: unknown[]) => {
    parsed.push(a[0] as string);
    return parse(...a);
  };
  try {
    const r = yamlPathAt(doc, at + 1, from, to, text);
    return { found: r && { path: r.path, siblings: [...r.siblings].sort(), items: r.items }, parsed };
  } finally {
    yaml.parseDocument = parse;
  }
}

const MANY = Array.from({ length: 2000 }, (_, i) => `key${i}: value ${i}`);

describe('front matter: the path of a nested completion or hover', () => {
  it('parses only the top-level key around the request, with the same path, keys and items as the whole front matter', () => {
    const fm = [
      ...MANY.slice(0, 1000),
      'meta:',
      '  # a comment',
      '  level: low',
      '  owner: Ann',
      '',
      '# between',
      'approvals:',
      '  - by: Ann',
      '  - st',
      ...MANY.slice(1000),
    ];
    const meta = pathAt(fm, fm.indexOf('  level: low'), 9, 12, HOLE);
    assert.deepEqual(meta.found, { path: ['meta', 'level'], siblings: ['owner'], items: [] });
    assert.deepEqual(meta.parsed, [['meta:', '  # a comment', `  level: ${HOLE}`, '  owner: Ann', '', '# between'].join('\n')]);
    const item = pathAt(fm, fm.indexOf('  - st'), 4, 6, `${HOLE}: `);
    assert.deepEqual(item.found, { path: ['approvals', 1, HOLE], siblings: [], items: [] });
    assert.deepEqual(item.parsed, [['approvals:', '  - by: Ann', `  - ${HOLE}: `].join('\n')]);
  });

  it('parses the whole front matter for a top-level key, and where the lines around are no plain keys of a mapping', () => {
    const top = ['a: 1', 'b', 'c: 3'];
    const t = pathAt(top, 1, 0, 1, `${HOLE}: `);
    assert.deepEqual(t.found, { path: [HOLE], siblings: ['a', 'c'], items: [] });
    assert.equal(t.parsed[0].split('\n').length, 3);
    // A top-level list, and a quoted key above: the whole front matter.
    for (const fm of [
      ['- a', '- b:', '    c: low'],
      ['"meta":', '  c: low', 'd: 1'],
      ['meta:', '  c: low', '"d": 1'],
    ]) {
      const at = fm.findIndex((l) => l.endsWith('c: low'));
      const r = pathAt(fm, at, fm[at].indexOf('low'), fm[at].indexOf('low') + 3, HOLE);
      assert.equal(r.parsed[0].split('\n').length, 3, JSON.stringify(fm));
      assert.ok(r.found, JSON.stringify(fm));
    }
  });
});

describe('front matter: the key under the cursor in a flow mapping (flowKeyAt)', () => {
  /** flowKeyAt's answer for `line`, the cursor at its `|` (taken out). */
  const keyAt = (line: string) => flowKeyAt(line.replace('|', ''), line.indexOf('|'));

  it('reads the key being typed, its word after the cursor and the colon after it, at any depth', () => {
    assert.deepEqual(keyAt('meta: {level: low, |}'), { start: 19, end: 19, sep: '' });
    assert.deepEqual(keyAt('meta: {lev|el: low}'), { start: 7, end: 12, sep: ': ' });
    assert.deepEqual(keyAt('  - {a: 1, b|}'), { start: 11, end: 12, sep: '' });
    assert.deepEqual(keyAt('x: [{|}]'), { start: 5, end: 5, sep: '' });
    assert.deepEqual(keyAt('{|'), { start: 1, end: 1, sep: '' });
  });

  it('reads no key in a value, a flow list, a quoted text, a comment, or before text that would be a key of its own', () => {
    for (const line of [
      'meta: {level: |}',
      'meta: {level: lo|w}',
      'tags: [a, |]',
      'title: "{a, |}"',
      'meta: {a: "x, |"}',
      'meta: {a: 1} # {|}',
      'meta: {a: {b: 1}|}',
      'meta: {a|b c}',
      'title: a {|}',
    ])
      assert.equal(keyAt(line), undefined, line);
  });
});
