/**
 * Regular expressions from a workspace are judged before they run: catastrophic ones are refused
 * with a reason, ordinary ones still work, and what is accepted matches hostile input quickly.
 */
import * as assert from 'node:assert/strict';
import { MAX_PATTERN_INPUT, boundedRegExp, regExpProblem, safeRegExp } from '../../server/src/service/regex-safety';
import { schemaProblems } from '../../server/src/service/schema-safety';
import { ROOT, workspace } from '../helpers/workspace';
import { RegexWorker, type Shape } from '../helpers/regex-worker';

const HOSTILE: [string, RegExp][] = [
  ['((a+))+$', /nested quantifiers/],
  ['(?:(?:a+))+$', /nested quantifiers/],
  ['(a?){28}a{28}$', /nested quantifiers/],
  ['(.*)*', /nested quantifiers/],
  ['(a|a)*$', /alternatives that can match the same text/],
  ['(a|aa)+$', /alternatives that can match the same text/],
  ['(ab|a)*c', /alternatives that can match the same text/],
  ['(?:x|[a-z])+$', /alternatives that can match the same text/],
  ['\\d+\\d+$', /one after the other/],
  ['\\w+\\d+$', /one after the other/],
  ['a?a?a?a?a?a?a?a?aaaaaaaa$', /one after the other/],
  ['^.*x.*$', /one after the other/],
  ['(x\\d)?(x\\d)?(x\\d)?(x\\d)?$', /one after the other/],
  ['(a|a)(a|a)(a|a)(a|a)(a|a)(a|a)(a|a)(a|a)$', /ways to match the same text/],
  ['(a)\\1', /back-references/],
  ['(?<n>a)\\k<n>', /back-references/],
  ['a{1001}', /repetition count above 1000/],
  ['a{2,100000}', /repetition count above 1000/],
  ['(?:a|)+', /can match nothing/],
  ['(\\b)*', /can match nothing/],
  ['a'.repeat(201), /longer than 200/],
];

const ORDINARY = [
  'sprint-(\\d+)',
  '^[A-Z]{2,5}-\\d+$',
  '^(draft|review|done)$',
  '^\\d{4}-\\d{2}-\\d{2}$',
  '^v\\d+\\.\\d+\\.\\d+(-[a-z0-9.]+)?$',
  '^\\d+(\\.\\d+)?$',
  'phase[\\s_-]*(\\d+)',
  '^[a-z][a-z0-9-]*$',
  '^(?:ab|cd)+$',
  '^[^\\s@]+@[^\\s@]+$',
  '^\\S(.*\\S)?$',
  '^[\\w.-]+$',
  '^(?!draft$)[a-z]+$',
  '^\\p{Lu}',
];

/** Inputs that make backtracking patterns explode: long runs that fail at the very end. */
const ATTACKS: Shape[] = ['a', 'ab', '1', 'x1', 'aab', 'a1', 'draft'].map((unit) => ({ unit, end: '!' }));

/**
 * Deadlines of the matching in the worker, for a hang and not for speed: a random pattern's first look (tens of
 * runs over inputs of up to 4,096 characters, about 2 ms on average), a suspect's measure (assertLinear's, longer).
 */
const LOOK_DEADLINE = 5_000;
const LINEAR_DEADLINE = 60_000;

describe('regular expressions from a workspace', () => {
  // Accepted patterns are matched in one worker thread for the file: a catastrophic one fails its test at a
  // deadline instead of hanging the run.
  const worker = new RegexWorker();
  after(() => worker.close());

  for (const [source, why] of HOSTILE) {
    it(`refuses ${JSON.stringify(source.slice(0, 40))}`, () => {
      for (const flags of ['i', 'u']) {
        const problem = regExpProblem(source, flags);
        assert.ok(problem, `${source} (${flags}) accepted`);
        assert.match(problem, why);
        assert.equal(typeof safeRegExp(source, flags), 'string');
      }
    });
  }

  it('accepts ordinary patterns, which still match', () => {
    for (const source of ORDINARY) {
      const flags = source.includes('\\p') ? 'u' : 'i';
      assert.equal(regExpProblem(source, flags), undefined, source);
      assert.ok(safeRegExp(source, flags) instanceof RegExp, source);
    }
    const sprint = safeRegExp('sprint-(\\d+)') as RegExp;
    assert.equal(sprint.exec('Sprint-12')?.[1], '12');
    assert.ok((safeRegExp('^(draft|review|done)$', 'u') as RegExp).test('review'));
  });

  it('reports a pattern that does not compile', () => {
    assert.equal(typeof safeRegExp('(a', 'u'), 'string');
    assert.equal(typeof safeRegExp('[b-a]', 'i'), 'string');
  });

  it('never throws on odd syntax', () => {
    for (const source of [
      '\\',
      '(',
      ')',
      '[',
      '[^',
      '{',
      '}',
      'a{',
      'a{2',
      'a{,2}',
      '\\u{110000}',
      '\\c',
      '[\\c]',
      '(?',
      '(?<',
      '(?<a',
      '(?x)',
      '\\k',
      '[\\d-z]',
      '\\p{',
      '\ud83d\ude00+',
    ])
      for (const flags of ['i', 'u']) assert.doesNotThrow(() => safeRegExp(source, flags), `${source} (${flags})`);
  });

  it('an accepted pattern matches hostile input in time at most quadratic in its length (random patterns)', async function () {
    this.timeout(120000);
    const toks = ['a', 'b', 'x', '1', '(', '(?:', ')', '|', '*', '+', '?', '{2,3}', '{2}', '[ab]', '.', '\\d', '\\w', '$', '^', '(?=a)', '{1,}', '-'];
    let seed = 12345;
    // In 32-bit integer arithmetic: in floating point the product lost its low bits, and the sequence fell into a
    // short cycle (296 distinct patterns among the 2,500 accepted).
    const rnd = () => (seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff) / 2147483648;
    // The rules keep a pattern's cost at most about MAX_AMBIGUITY × n at each start position: quadratic in the
    // input's length n at worst (`\w+$` is), which MAX_PATTERN_INPUT bounds. What they refuse grows faster
    // (cubic for `\d+\d+$`, exponential for nested quantifiers). From 512 characters to 4,096 (the longest a
    // schema's pattern is tested on); below 300 or so, V8 answers some of these patterns at once, which would
    // make the growth from there look steeper than it is.
    const n = MAX_PATTERN_INPUT / 8;
    let accepted = 0;
    const seen = new Set<string>();
    const suspects: string[] = [];
    for (let k = 0; k < 20000 && accepted < 2500; k++) {
      let source = '';
      for (let m = 2 + Math.floor(rnd() * 12); m > 0; m--) source += toks[Math.floor(rnd() * toks.length)];
      // Judged here (a judgement matches nothing), matched in the worker, which compiles it with the same safeRegExp.
      if (typeof safeRegExp(source, 'u') === 'string') continue;
      accepted++;
      if (seen.has(source)) continue;
      seen.add(source);
      // A first look, doubling the size: a pattern more than 4 × m² times as slow at m × n (the best of three runs
      // at n; up to three at m × n, until one is within that) is measured again.
      const look = await worker.run({ kind: 'look', pattern: { source, flags: 'u' }, shapes: ATTACKS, n }, LOOK_DEADLINE);
      assert.ok('suspect' in look, `${source}: ${JSON.stringify(look)}`);
      if (look.suspect) suspects.push(source);
    }
    assert.ok(accepted > 500, `only ${accepted} random patterns accepted`);
    assert.ok(seen.size > 1500, `only ${seen.size} distinct random patterns accepted`);
    // assertLinear alone decides, each suspect measured again on its own (a moment's load on the machine can
    // make a suspect of a pattern, never a quadratic pattern of a cubic one).
    for (const source of suspects) {
      const times = await worker.run({ kind: 'linear', pattern: { source, flags: 'u' }, shapes: ATTACKS, n, factor: 8, degree: 2 }, LINEAR_DEADLINE);
      if ('failure' in times) assert.fail(times.failure);
      assert.ok('large' in times, `${source}: ${JSON.stringify(times)}`);
    }
    // Every pattern in the one worker: its start paid once.
    assert.equal(worker.started, 1);
  });

  it('a schema pattern is tested on bounded input', () => {
    const re = boundedRegExp('^a+$', 'u');
    assert.equal(re.test('a'.repeat(MAX_PATTERN_INPUT)), true);
    assert.equal(re.test('a'.repeat(MAX_PATTERN_INPUT + 1)), false);
  });

  it('schema patterns and patternProperties are judged', () => {
    const problems = schemaProblems({ properties: { t: { pattern: '(a|a)*$' } }, patternProperties: { '^(x+)+$': {} } });
    assert.equal(problems.length, 2, JSON.stringify(problems));
    assert.deepEqual(schemaProblems({ properties: { t: { pattern: '^[A-Z]{2,5}-\\d+$' } }, patternProperties: { '^x-': {} } }), []);
  });
});

describe('the regex worker: a match that does not end fails at its deadline', () => {
  const worker = new RegexWorker();
  after(() => worker.close());

  it('rejects a catastrophic match once the deadline passes, naming the pattern, the input and its length; then goes on in a new worker', async () => {
    const exponential = { source: '^(a+)+$', flags: '' };
    const shapes = [{ unit: 'a', end: '!' }];
    // Compiled as the engine compiles it, the pattern is refused and never run (the worker started meanwhile: the
    // deadline counts from a job's start, not the worker's).
    const refused = await worker.run({ kind: 'match', pattern: exponential, shapes, lengths: [31] }, 5000);
    assert.ok('refused' in refused && /nested quantifiers/.test(refused.refused), JSON.stringify(refused));
    // Compiled by RegExp, it runs: 'a' × 40 and '!' have 2^40 ways to split the run for (a+)+, tried one after the
    // other (hours; 5 s at 31 characters, 85 ms at 24): only the deadline ends it.
    const t0 = performance.now();
    await assert.rejects(worker.run({ kind: 'match', pattern: { ...exponential, compile: 'plain' }, shapes, lengths: [10, 40] }, 500), (e: Error) => {
      assert.equal(e.message, '/^(a+)+$/ on "a" repeated to 40 characters, ending "!": no answer within 500 ms (the worker was terminated)');
      return true;
    });
    const ms = performance.now() - t0;
    // Not before the deadline (a timer may fire a little early against performance.now).
    assert.ok(ms > 400, `${ms} ms`);
    assert.equal(worker.started, 1);
    // The next job starts a new worker, which answers it.
    const ok = await worker.run({ kind: 'match', pattern: { source: '^(?:ab)+$', flags: '' }, shapes: [{ unit: 'ab', end: 'b' }], lengths: [1000] }, 5000);
    assert.ok('ms' in ok && ok.ms.length === 1, JSON.stringify(ok));
    assert.equal(worker.started, 2);
  });
});

describe('hostile patterns in a workspace do not hang the engine', function () {
  // A hang deadline, not a speed bound: the refusals are what these tests assert.
  this.timeout(20_000);
  const body = '# Phase 1: A\n\n## Objectives\n\nA.\n';

  it('a config number pattern that slipped past the old check is refused at its key', async () => {
    const cfg = 'layouts:\n  - name: sprint\n    phases: "sprints/*"\n    number: "((a+))+$"\n    documents:\n      - kind: brief\n        file: BRIEF.md\n';
    const name = 'a'.repeat(34) + '!';
    const { svc } = await workspace({ 'phasegate.yaml': cfg, [`sprints/${name}/BRIEF.md`]: '# S\n' });
    // Run on the name, the pattern would take 2^34 steps: the check would not return. The refusal asserted here is
    // what keeps it from running; the test's timeout (mocha fails a test that returns after it) is only a hang deadline.
    const d = svc.diagnoseAll().find((x) => x.code === 'invalid-config');
    assert.ok(d, 'refused');
    assert.match(d.message, /^layouts\[0\]\.number: nested quantifiers/);
    assert.equal(d.range.start.line, 3);
  });

  for (const pattern of ['^((a+))+$', '(a|a)*$', '(a|aa)+$', '(a?){28}a{28}$']) {
    it(`a schema pattern ${pattern} is refused and never run`, async () => {
      const schema = JSON.stringify({ type: 'object', properties: { title: { type: 'string', pattern } } });
      const { svc } = await workspace({
        'phasegate.yaml': 'schemas:\n  brief: s.json\n',
        's.json': schema,
        'phase-1/00-PHASE_BRIEF.md': `---\ntitle: ${'a'.repeat(40)}!\nstatus: draft\n---\n${body}`,
      });
      // Run on the title, these patterns would take from a second to hours: the refusal asserted here is what keeps
      // them from running; the test's timeout is only a hang deadline.
      const all = svc.diagnoseAll();
      const d = all.find((x) => x.code === 'invalid-config');
      assert.ok(d, JSON.stringify(all));
      assert.equal(d.file, `${ROOT}/phasegate.yaml`);
      assert.match(d.message, /schema for 'brief' is not accepted: \/properties\/title\/pattern: /);
    });
  }
});
