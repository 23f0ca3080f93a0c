import * as assert from 'node:assert/strict';
import { Memo, detached } from '../../server/src/service/memo';
import { retainedMB, sliceOfBig, unique } from '../helpers/retention';

describe('Memo', () => {
  it('computes a key once, and returns the value kept after', () => {
    const asked: string[] = [];
    const m = new Memo(10, (k) => (asked.push(k), k.toUpperCase()));
    assert.equal(m.get('review'), 'REVIEW');
    assert.equal(m.get('review'), 'REVIEW');
    assert.equal(m.get('audit'), 'AUDIT');
    assert.deepEqual(asked, ['review', 'audit']);
    assert.equal(m.size, 2);
  });

  it('keeps an undefined value as a value: computed once', () => {
    let calls = 0;
    const m = new Memo<RegExp | undefined>(10, () => (calls++, undefined));
    assert.equal(m.get('x'), undefined);
    assert.equal(m.get('x'), undefined);
    assert.equal(calls, 1);
    assert.equal(m.size, 1);
  });

  it('holds at most its bound: full, it is emptied before it keeps another key', () => {
    const asked: string[] = [];
    const m = new Memo(3, (k) => (asked.push(k), k.length));
    for (const k of ['a', 'bb', 'ccc']) m.get(k);
    assert.equal(m.size, 3);
    assert.equal(m.get('dddd'), 4);
    assert.equal(m.size, 1);
    // What was kept before is computed again (and the same), what was kept last is not.
    assert.equal(m.get('a'), 1);
    assert.equal(m.get('dddd'), 4);
    assert.deepEqual(asked, ['a', 'bb', 'ccc', 'dddd', 'a']);
    assert.equal(m.size, 2);
  });

  it('peek looks up only: it computes and keeps nothing', () => {
    let calls = 0;
    const m = new Memo(10, (k) => (calls++, k + '!'));
    assert.equal(m.peek('a'), undefined);
    assert.equal(m.size, 0);
    m.get('a');
    assert.equal(m.peek('a'), 'a!');
    assert.equal(calls, 1);
  });

  it('keep keeps a value given for a key, within the bound; clear forgets every entry', () => {
    let calls = 0;
    const m = new Memo(2, (k) => (calls++, k));
    assert.equal(m.keep('a', 'given'), 'given');
    assert.equal(m.get('a'), 'given');
    m.keep('b', 'b');
    m.keep('c', 'c');
    assert.equal(m.size, 1);
    m.clear();
    assert.equal(m.size, 0);
    assert.equal(m.get('a'), 'a');
    assert.equal(calls, 1);
  });

  it('detached makes an equal string', () => {
    const s = sliceOfBig('a heading');
    assert.equal(detached(s), 'a heading');
    assert.equal(detached(''), '');
  });

  it('keeps no text a key is sliced from: 40 keys sliced from 1 MB texts leave well under 40 MB behind', () => {
    const m = new Memo(100, (k) => k.length);
    const mb = retainedMB(() => {
      for (let i = 0; i < 40; i++) m.get(sliceOfBig(unique(i)));
    });
    assert.equal(m.size, 40);
    assert.ok(mb < 8, `${mb.toFixed(1)} MB retained`);
  });

  it('gives compute its own copy: values made of the key (the key itself, a slice, a part in an object) keep no text alive', () => {
    const same = new Memo(100, (k) => k);
    const slice = new Memo(100, (k) => k.slice(1));
    const held = new Memo(100, (k) => ({ words: k.split('d'), first: k.slice(0, 20) }));
    const mb = retainedMB(() => {
      for (let i = 0; i < 40; i++) {
        assert.equal(same.get(sliceOfBig(unique(i))), unique(i));
        assert.equal(slice.get(sliceOfBig(unique(i + 40))), unique(i + 40).slice(1));
        assert.equal(held.get(sliceOfBig(unique(i + 80))).first, unique(i + 80).slice(0, 20));
      }
    });
    assert.equal(same.size + slice.size + held.size, 120);
    assert.ok(mb < 8, `${mb.toFixed(1)} MB retained`);
  });

  it('keep keeps its key and its value detached', () => {
    const m = new Memo(100, (k) => k);
    const mb = retainedMB(() => {
      for (let i = 0; i < 40; i++) m.keep(sliceOfBig(unique(i)), sliceOfBig(unique(i + 40)));
    });
    assert.equal(m.peek(unique(3)), unique(43));
    assert.ok(mb < 8, `${mb.toFixed(1)} MB retained`);
  });
});
