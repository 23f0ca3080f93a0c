import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { USAGE, parseArgs, UsageError } from '../../server/src/cli/args';
import { newRequest } from '../../server/src/cli/new';
import { REPO } from '../helpers/workspace';

describe('phasegate argument parsing', () => {
  it('reads the command, its PATHs and options in either --name value or --name=value form', () => {
    const a = parseArgs(['check', 'a', '--format=sarif', 'b', '--config', 'ci/p.yaml']);
    assert.deepEqual([a.command, a.positionals, a.format, a.config], ['check', ['a', 'b'], 'sarif', 'ci/p.yaml']);
    assert.equal(parseArgs(['check']).format, 'text');
  });

  it('takes everything after -- as a PATH, even when it starts with a dash', () => {
    assert.deepEqual(parseArgs(['check', '--', '--weird-folder']).positionals, ['--weird-folder']);
  });

  it('refuses an empty PATH (a variable left unset) rather than checking the current folder', () => {
    for (const argv of [
      ['check', ''],
      ['check', '.', ' '],
      ['status', ''],
      ['new', 'phase', ''],
      ['new', 'response', ''],
    ]) {
      assert.throws(() => parseArgs(argv), /an empty argument is no PATH or PHASE_ID/, JSON.stringify(argv));
    }
  });

  it('refuses an option where the value of another is expected, and takes a value that begins with a dash in the = form', () => {
    for (const [argv, option, next] of [
      [['new', 'phase', '--title', '-h'], 'title', '-h'],
      [['new', 'phase', '--title', '--layout', 'audit'], 'title', '--layout'],
      [['new', 'finding', 'phase-1', '--title', '-x'], 'title', '-x'],
      [['check', '--config', '--format', 'json'], 'config', '--format'],
    ] as const) {
      assert.throws(
        () => parseArgs([...argv]),
        (e: unknown) =>
          e instanceof UsageError &&
          e.seeHelp &&
          e.message === `option '--${option}' needs a value, and '${next}' is an option: for a value that begins with a dash, write --${option}=${next}`,
        argv.join(' '),
      );
    }
    assert.equal(parseArgs(['new', 'phase', '--title=-h']).title, '-h');
    assert.equal(parseArgs(['new', 'phase', '--title=--dry run']).title, '--dry run');
    // A dash alone is a value (standard input's name), and a value without a leading dash is taken as before.
    assert.equal(parseArgs(['check', '--config', '-']).config, '-');
    assert.equal(parseArgs(['new', 'phase', '--title', 'Fix -h handling']).title, 'Fix -h handling');
  });

  it('lets --help and --version win over a command', () => {
    assert.equal(parseArgs(['check', '--help']).command, 'help');
    assert.equal(parseArgs(['status', '-v']).command, 'version');
  });

  it('refuses unknown options, repeated options, missing values and options of another command', () => {
    for (const argv of [
      ['check', '-x'],
      ['check', '--format', 'json', '--format', 'text'],
      ['check', '--config'],
      ['check', '--title', 'T'],
      ['new', 'phase', '--title', ' '],
    ]) {
      assert.throws(() => parseArgs(argv), UsageError, argv.join(' '));
    }
  });
});

describe('the command line synopsis of the README', () => {
  const readme = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');
  const block = /## Command line\n\n```\n([\s\S]*?)```/.exec(readme)![1];
  const lines = block.split('\n').filter((l) => l.startsWith('phasegate ') && !l.startsWith('phasegate --help'));
  const OPTIONS = ['format', 'config', 'layout', 'workstream', 'title', 'fix'];
  const FORMATS = ['text', 'json', 'sarif', 'gitlab'];
  /** Whether the arguments are accepted: parsed, and for `new`, taken as a request. */
  const accepted = (argv: string[]): boolean => {
    try {
      const args = parseArgs(argv);
      if (args.command === 'new') newRequest(args, '/ws');
      return true;
    } catch (e) {
      if (e instanceof UsageError) return false;
      throw e;
    }
  };

  it('lists each command with exactly the options it accepts, and the formats each accepts', () => {
    assert.equal(lines.length, 8, block);
    for (const line of lines) {
      const words = line.split(' ');
      const command = words[1] === 'new' ? words.slice(1, 3) : [words[1]];
      // Its arguments: a PHASE_ID where it needs one, and the options it must have (not in brackets).
      const base = [...command, ...(line.includes('PHASE_ID') ? ['phase-1'] : [])];
      const required = [...line.matchAll(/(?<!\[)--([a-z]+) (\S+)/g)].flatMap((m) => [`--${m[1]}`, 'W']);
      const listed = new Map([...line.matchAll(/--([a-z]+)(?: ([^\]\s]+))?/g)].map((m) => [m[1], m[2]]));
      assert.ok(accepted([...base, ...required]), line);
      for (const option of OPTIONS) {
        const values = option === 'format' ? FORMATS : option === 'fix' ? [undefined] : [option === 'layout' ? 'iai' : 'x'];
        for (const value of values) {
          const argv = [...base, ...required.filter((_, i, a) => a[i - (i % 2)] !== `--${option}`), `--${option}`, ...(value === undefined ? [] : [value])];
          const shown = listed.has(option) && (option !== 'format' || listed.get(option)!.split('|').includes(value!));
          assert.equal(accepted(argv), shown, `${line}: ${argv.join(' ')}`);
        }
      }
    }
    // `phasegate --help` names the same options.
    for (const option of OPTIONS) assert.match(USAGE, new RegExp(`^  --${option}\\b`, 'm'), option);
    assert.match(USAGE, /^  --config FILE .*\(check, status, new\)$/m);
    assert.match(USAGE, /^  --format text\|json\|sarif\|gitlab .*\n {29}status accepts text\|json$/m);
  });
});
