import * as assert from 'node:assert/strict';
import { parseArgs, UsageError } from '../../server/src/cli/args';

describe('phasegate argument parsing', () => {
  it('reads the command, its PATHs and options in either --name value or --name=value form', () => {
    const a = parseArgs(['check', 'a', '--format=sarif', 'b', '--config', 'ci/p.yaml']);
    assert.deepEqual([a.command, a.positionals, a.format, a.config], ['check', ['a', 'b'], 'sarif', 'ci/p.yaml']);
    assert.equal(parseArgs(['check']).format, 'text');
  });

  it('takes everything after -- as a PATH, even when it starts with a dash', () => {
    assert.deepEqual(parseArgs(['check', '--', '--weird-folder']).positionals, ['--weird-folder']);
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
