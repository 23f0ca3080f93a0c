/**
 * Keys repeated in a YAML mapping (front matter, phasegate.yaml), found by `parseYamlDocument` in linear time
 * instead of by the yaml package, whose check compares each key with every one before it: the same errors as the
 * package's, on chosen and random texts, and time linear in the number of keys.
 * FUZZ_RUNS sets the number of random cases (default 1,000), FUZZ_SEED the seed (fast-check prints it on a failure).
 */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import * as YAML from 'yaml';
import { parseFrontMatter, parseYamlDocument } from '../../server/src/service/markdown';
import { textOf } from '../helpers/fuzz';
import { assertLinear } from '../helpers/linear';

const RUNS = Number(process.env.FUZZ_RUNS ?? 1000);
const SEED = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
const OPTIONS = { prettyErrors: false, strict: true, logLevel: 'error' } as const;

/**
 * The errors as compared: code, message and where, in the order of where. (The package's own order is the order it
 * composes nodes in, which is not always the order of the text: `MISSING_CHAR` of an outer node after the errors
 * of nodes inside it. The diagnostics made of them are sorted by their ranges.)
 */
const errorsOf = (doc: YAML.Document.Parsed) =>
  doc.errors.map((e) => [e.code, e.message.split('\n')[0], e.pos[0], e.pos[1]] as const).sort((a, b) => a[2] - b[2] || a[3] - b[3] || a[0].localeCompare(b[0]));
/**
 * Where the scalar keys of every mapping of `src` that repeat an earlier key of it start, as the package compares keys
 * (their values: `1` and `1.0` one key, `1` and `"1"` two, NaN never a repeat). Only those: the package may place a
 * repeat's error where another key starts (`: \n? \na`: the repeated empty key at 5, its error at 6, where `a` starts).
 */
function keyStarts(src: string): Set<number> {
  const starts = new Set<number>();
  YAML.visit(YAML.parseDocument(src, { ...OPTIONS, uniqueKeys: false }), {
    Map(_k, map) {
      const seen = new Set<unknown>();
      for (const pair of map.items) {
        if (!YAML.isScalar(pair.key) || Number.isNaN(pair.key.value)) continue;
        if (seen.has(pair.key.value) && pair.key.range) starts.add(pair.key.range[0]);
        seen.add(pair.key.value);
      }
    },
  });
  return starts;
}

/** What the yaml package says with its own check. */
const library = (src: string) => errorsOf(YAML.parseDocument(src, { ...OPTIONS, uniqueKeys: true }));
const ours = (src: string) => errorsOf(parseYamlDocument(src, OPTIONS));

describe('repeated keys in YAML mappings', () => {
  it('the errors the yaml package gives, on chosen texts', () => {
    const texts = [
      'a: 1\nb: 2\na: 3\n',
      'a: 1\na: 2\na: 3\n',
      'meta: {a: 1, b: 2, a: 3}\n',
      'outer:\n  a: 1\n  inner:\n    a: 2\n    a: 3\n  a: 4\n',
      '- a: 1\n  a: 2\n- a: 3\n',
      // Equal as the package compares keys (their values): a number and a string are two keys, two nulls one.
      '1: a\n"1": b\n1.0: c\n',
      '~: a\nnull: b\n: c\n',
      'true: a\n"true": b\nTrue: c\n',
      // NaN is not NaN: no repeat. Infinity is.
      '.nan: a\n.NaN: b\n.inf: c\n.Inf: d\n',
      // Anchors, tags and aliases as keys.
      '&k a: 1\n!!str a: 2\n*k : 3\n',
      // Lists and mappings as keys are never equal to another.
      '? [a]\n: 1\n? [a]\n: 2\n',
      // Repeats among other errors: in document order with them.
      'a: 1\nb: "open\na: 2\n',
      'a: 1\n  bad indent: 2\na: 3\nc: [1, 2\n',
      'a: 1\na: 2\n---\nb: 1\n',
      '',
      '- 1\n- 2\n',
    ];
    for (const t of texts) assert.deepEqual(ours(t), library(t), JSON.stringify(t));
    // After an empty value with a blank at its end, the package places the repeat at that blank, on the line before;
    // this places it at the repeated key.
    assert.deepEqual(library('a: \na: 1\n'), [['DUPLICATE_KEY', 'Map keys must be unique', 3, 4]]);
    assert.deepEqual(ours('a: \na: 1\n'), [['DUPLICATE_KEY', 'Map keys must be unique', 4, 5]]);
    assert.deepEqual(
      ours('a: 1\nb: 2\na: 3\n').map((e) => e[0]),
      ['DUPLICATE_KEY'],
    );
  });

  it('the errors the yaml package gives, on random texts of mappings, lists and faults', () => {
    // Lines of keys from a few that repeat (equal or not as the package compares them), nested and in lists, with
    // flow mappings and faults among them; and a text of loose pieces.
    const key = fc.constantFrom('a', 'b', '"a"', "'b'", '1', '"1"', '~', 'null', '', '.nan', 'true', '&x a', '*x', '!!str a', '? a');
    const value = fc.constantFrom('1', '', '{a: 1, a: 2}', '{b: 1, "b": 2, c}', '[a, {a: 1}]', '"open', '&x v', '*x', '#c');
    const line = fc
      .tuple(fc.constantFrom('', '  ', '    ', '   '), fc.constantFrom('', '- '), key, fc.constantFrom(': ', ':', ' : '), value)
      .map((parts) => parts.join(''));
    const loose = textOf(['a', '1', '"a"', '~', '&x ', '*x', ': ', '\n', '  ', '- ', '{', '}', '[', ']', ', ', '? ', '"', '#c'], 30);
    const text = fc.oneof({ weight: 4, arbitrary: fc.array(line, { maxLength: 12 }).map((ls) => ls.join('\n') + '\n') }, { weight: 1, arbitrary: loose });
    let repeats = 0;
    const repeat = (e: readonly unknown[]) => e[0] === 'DUPLICATE_KEY';
    fc.assert(
      fc.property(text, (t) => {
        const expected = library(t);
        const got = ours(t);
        if (expected.some(repeat)) repeats++;
        // The same other errors, and as many repeats.
        assert.deepEqual(
          got.filter((e) => !repeat(e)),
          expected.filter((e) => !repeat(e)),
          JSON.stringify(t),
        );
        assert.equal(got.filter(repeat).length, expected.filter(repeat).length, JSON.stringify(t));
        // Each repeat the package places at a key's start is placed there too. (It places some elsewhere: after the
        // blanks that follow an empty key, at the end of the line before a key that follows an empty value, or on
        // lines it recovers from other errors on. This places every one at its key's start.)
        const starts = keyStarts(t);
        const at = new Set(got.filter(repeat).map((e) => e[2]));
        for (const e of expected.filter(repeat)) if (starts.has(e[2] as number)) assert.ok(at.has(e[2]), `${JSON.stringify(t)}: a repeat at ${e[2]}`);
      }),
      { numRuns: RUNS, seed: SEED },
    );
    // The texts do repeat keys: a tenth of them at least.
    assert.ok(repeats > RUNS / 10, `${repeats} of ${RUNS} texts repeat a key`);
  });

  it('the front matter reports each repeated key at it, as before', () => {
    const lines = ['---', 'title: A', 'meta: {a: 1, a: 2}', 'title: B', '---', '# Doc'];
    const fm = parseFrontMatter(lines, lines.join('\n'))!;
    assert.deepEqual(
      fm.errors.map((e) => [e.message, e.range.start.line, e.range.start.character]),
      [
        ['Map keys must be unique', 2, 13],
        ['Map keys must be unique', 3, 0],
      ],
    );
    assert.equal(fm.data, undefined);
  });

  it('takes time linear in the number of keys (the package alone: quadratic)', () => {
    const mapping = (n: number) => {
      let s = 'meta:\n';
      for (let i = 0; i < n; i++) s += `  k${i}: {a: 1}\n`;
      return s;
    };
    assertLinear(
      'a mapping of n keys',
      (n) => {
        const src = mapping(n);
        return () => assert.equal(parseYamlDocument(src, OPTIONS).errors.length, 0);
      },
      { n: 500 },
    );
    assertLinear(
      'n keys, each twice',
      (n) => {
        let src = '';
        for (let i = 0; i < 2 * n; i++) src += `k${i % n}: 1\n`;
        return () => assert.equal(parseYamlDocument(src, OPTIONS).errors.length, n);
      },
      { n: 500 },
    );
  });
});
