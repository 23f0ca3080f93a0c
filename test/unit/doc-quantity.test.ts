import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { meets, parseLabelledQuantities, parseLabelledThresholds, parseQuantity, parseThreshold } from '../../server/src/service/rules/doc-quantity';

describe('metric quantities', () => {
  it('parses thresholds with symbols, words or no operator', () => {
    const cases: [string, unknown][] = [
      ['> 80%', { op: '>', value: 80, unit: '%' }],
      ['>80%', { op: '>', value: 80, unit: '%' }],
      ['>= 99.9%', { op: '>=', value: 99.9, unit: '%' }],
      ['≥ 99.9 %', { op: '>=', value: 99.9, unit: '%' }],
      ['< 5 minutes', { op: '<', value: 300, unit: 's' }],
      ['<5 min', { op: '<', value: 300, unit: 's' }],
      ['0', { op: '<=', value: 0, unit: '' }],
      ['0 critical', { op: '<=', value: 0, unit: '', word: 'critical' }],
      ['100%', { op: '>=', value: 100, unit: '%' }],
      ['100% of public APIs', { op: '>=', value: 100, unit: '%' }],
      ['30 days', { op: '>=', value: 30 * 86400, unit: 's' }],
      ['at least 30 days', { op: '>=', value: 30 * 86400, unit: 's' }],
      ['under 2 hours', { op: '<', value: 7200, unit: 's' }],
      ['**< 200 ms**', { op: '<', value: 0.2, unit: 's' }],
    ];
    for (const [text, want] of cases) assert.deepEqual(parseThreshold(text), want, text);
    // Asked again, each text gives the same (shared, frozen) threshold.
    for (const [text, want] of cases) {
      const again = parseThreshold(text);
      assert.deepEqual(again, want, text);
      assert.ok(Object.isFrozen(again), text);
    }
  });

  it('parses compound values and targets whose parts name what they count', () => {
    assert.deepEqual(parseLabelledThresholds('0 critical, <5 high'), [
      { label: 'critical', value: { op: '<=', value: 0, unit: '' } },
      { label: 'high', value: { op: '<', value: 5, unit: '' } },
    ]);
    assert.deepEqual(parseLabelledQuantities('**2** critical; high: 1,200'), [
      { label: 'critical', value: { value: 2, unit: '' } },
      { label: 'high', value: { value: 1200, unit: '' } },
    ]);
    assert.deepEqual(parseLabelledQuantities('p95 latency: 200 ms and error rate: 1%'), [
      { label: 'p95 latency', value: { value: 0.2, unit: 's' } },
      { label: 'error rate', value: { value: 1, unit: '%' } },
    ]);
    // One part, a part without words, the same words twice, or more numbers in a part: not compound values.
    for (const t of ['2 critical', '2, 9', '2 critical, 3 critical', '2 critical 9 high, 1 low', '1,200 high', '']) {
      assert.equal(parseLabelledQuantities(t), undefined, t);
    }
    assert.equal(parseLabelledThresholds('0 critical, < 5'), undefined);
  });

  it('parses actual values, compound durations included', () => {
    const cases: [string, unknown][] = [
      ['76%', { value: 76, unit: '%' }],
      ['4m 30s', { value: 270, unit: 's' }],
      ['1h30m', { value: 5400, unit: 's' }],
      ['3 minutes', { value: 180, unit: 's' }],
      ['2', { value: 2, unit: '' }],
      ['1,200', { value: 1200, unit: '' }],
      ['~ 85 % ✅', { value: 85, unit: '%' }],
      // Words after it may hold digits (a percentile, a kind of test); its word is the whole word.
      ['12 min p95', { value: 720, unit: 's' }],
      ['3 e2e', { value: 3, unit: '', word: 'e2e' }],
      ['4 x86 builds', { value: 4, unit: '', word: 'x86' }],
    ];
    for (const [text, want] of cases) assert.deepEqual(parseQuantity(text), want, text);
    assert.deepEqual(parseLabelledQuantities('3 min unit, 7 min e2e'), [
      { label: 'unit', value: { value: 180, unit: 's' } },
      { label: 'e2e', value: { value: 420, unit: 's' } },
    ]);
    // More numbers after it are not words: not read.
    for (const text of ['85% on py3.11', '5 of 10', '3 min 2nd run']) assert.equal(parseQuantity(text), undefined, text);
  });

  it('does not guess: words, several numbers or placeholders are not quantities', () => {
    for (const text of ['', 'pending', 'N/A', '[Actual]', '2 high, 0 critical', '76% → 81%', 'v1.2.3', '> 80% or < 5%']) {
      assert.equal(parseQuantity(text), undefined, text);
      assert.equal(parseThreshold(text), undefined, text);
    }
  });

  it('compares only compatible units', () => {
    const t = (s: string) => parseThreshold(s)!;
    const q = (s: string) => parseQuantity(s)!;
    assert.equal(meets(q('76%'), t('> 80%')), false);
    assert.equal(meets(q('80%'), t('> 80%')), false);
    assert.equal(meets(q('80%'), t('>= 80%')), true);
    assert.equal(meets(q('76'), t('> 80%')), false);
    assert.equal(meets(q('4m 30s'), t('< 5 minutes')), true);
    assert.equal(meets(q('0'), t('0 critical')), true);
    assert.equal(meets(q('1'), t('0')), false);
    assert.equal(meets(q('45 days'), t('30 days')), true);
    assert.equal(meets(q('3'), t('< 5 minutes')), undefined);
    assert.equal(meets(q('3 minutes'), t('> 80%')), undefined);
    assert.equal(meets(q('50%'), t('< 5')), undefined);
  });

  it('compares sizes across their multiples, and counts only of the same thing', () => {
    const t = (s: string) => parseThreshold(s)!;
    const q = (s: string) => parseQuantity(s)!;
    assert.deepEqual(q('512 MB'), { value: 512e6, unit: 'B' });
    assert.equal(meets(q('512 MB'), t('< 1 GB')), true);
    assert.equal(meets(q('1.2 MB'), t('< 200 KB')), false);
    assert.equal(meets(q('3 GiB'), t('<= 4 GiB')), true);
    assert.equal(meets(q('512 MB'), t('> 80%')), undefined);
    // Counts of different things, or a number with a suffix the rule does not read, are not judged.
    assert.equal(meets(q('3 high'), t('0 critical')), undefined);
    for (const s of ['1.2k req/s', '1.2k', '1.5M users', '3x']) assert.equal(parseQuantity(s), undefined, s);
    assert.equal(parseThreshold('> 1k req/s'), undefined);
    assert.deepEqual(q('5m'), { value: 300, unit: 's' });
    assert.deepEqual(q('30s'), { value: 30, unit: 's' });
    assert.equal(meets(q('1200 req/s'), t('> 1000 req/s')), true);
    assert.equal(meets(q('2 criticals'), t('0 critical')), false);
    assert.equal(meets(q('2'), t('0 critical')), false);
  });

  it('never throws, and reads back any percentage it is given', () => {
    fc.assert(fc.property(fc.string(), (s) => (parseQuantity(s), parseThreshold(s), true)));
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000 }), (n) => {
        assert.deepEqual(parseQuantity(`${n}%`), { value: n, unit: '%' });
        assert.equal(meets({ value: n, unit: '%' }, { op: '>=', value: n, unit: '%' }), true);
      }),
    );
  });
});
