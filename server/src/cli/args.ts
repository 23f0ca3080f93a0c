/**
 * Command line parsing for `phasegate`: a command, its positional arguments and a few
 * options. Hand-written (no dependency) so that every error is a one-line usage message
 * (`phasegate: unknown option '--bogus' (see phasegate --help)`), never the whole usage text.
 */

export type Format = 'text' | 'json' | 'sarif' | 'gitlab';

export interface ParsedArgs {
  command: 'check' | 'status' | 'new' | 'help' | 'version';
  positionals: string[];
  format: Format;
  config: string | undefined;
  layout: string | undefined;
  workstream: string | undefined;
  title: string | undefined;
  /** `check --fix`: apply the fixes with an obvious remedy before checking. */
  fix: boolean;
}

/**
 * Exit code 2 with a one-line reason on stderr: bad usage, a path not found, a config that cannot be used.
 * `seeHelp`: the arguments themselves are wrong (an unknown option, a missing value), and the line points to
 * `phasegate --help`.
 */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly seeHelp = false,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Wrong arguments: a UsageError whose line points to `phasegate --help`. */
export function badArguments(message: string): UsageError {
  return new UsageError(message, true);
}

export const USAGE = `Usage: phasegate <command> [options]

Commands:
  check [PATH...]            Check phase documents (PATH: a workspace, a phase folder or a file; default: .)
                             --fix first applies the fixes the editor's Fix all applies, then checks
  status [PATH]              Print each phase, its documents, its gates and what holds its handoff
  new phase [PATH]           Create a phase from the templates (--layout L, --workstream W, --title T)
  new prompt                 Create an iAI phase with its implementation prompt (--workstream W --title T)
  new response PHASE_ID      Create the response skeleton of an iAI phase from its prompt
  new handoff PHASE_ID       Create the output handoff of a phase
  new finding PHASE_ID       Create a finding in an audit phase's 03-FINDINGS/ (--title T)
  new plan [PATH]            Create the project plan of the iAI project at PATH (default: the workspace's)

Options:
  --format text|json|sarif|gitlab  check's output (default: text; gitlab: a GitLab Code Quality report);
                             status accepts text|json
  --fix                      check: fix what has an obvious remedy, in the files the PATHs cover
  --config FILE              Use this config file instead of the workspace's phasegate.yaml (check, status, new)
  --layout audit|iai|NAME    Layout of a new phase (NAME: a layout of phasegate.yaml)
  --workstream W             Workstream of a new iAI phase
  --title T                  Title of a new phase or finding
  -h, --help                 Show this help
  -v, --version              Show the version

Exit codes: 0 no error-severity problem; 1 at least one (check), an invalid phasegate.yaml (check, status),
  nothing created (new); 2 bad usage, bad config or path, a file not written (check --fix) or not created (new).`;

const COMMANDS = ['check', 'status', 'new'] as const;

/** Options each command accepts (beyond --help). */
const ALLOWED: Record<(typeof COMMANDS)[number], string[]> = {
  check: ['format', 'config'],
  status: ['format', 'config'],
  new: ['config', 'layout', 'workstream', 'title'],
};

/** `a, b or c`. */
function oneOf(words: readonly string[]): string {
  return words.length > 1 ? `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}` : words.join('');
}

const VALUE_OPTIONS = new Set(['format', 'config', 'layout', 'workstream', 'title']);

export function parseArgs(argv: string[]): ParsedArgs {
  const out: ParsedArgs = {
    command: 'help',
    positionals: [],
    format: 'text',
    config: undefined,
    layout: undefined,
    workstream: undefined,
    title: undefined,
    fix: false,
  };
  const given = new Map<string, string>();
  let help = false;
  let version = false;
  let command: string | undefined;
  let onlyPositionals = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (onlyPositionals || a === '-' || !a.startsWith('-')) {
      if (command === undefined) command = a;
      else out.positionals.push(a);
      continue;
    }
    if (a === '--') {
      onlyPositionals = true;
      continue;
    }
    if (a === '-h' || a === '--help') {
      help = true;
      continue;
    }
    if (a === '-v' || a === '--version') {
      version = true;
      continue;
    }
    if (a === '--fix') {
      if (out.fix) throw badArguments(`option '--fix' given twice`);
      out.fix = true;
      continue;
    }
    const m = /^--([a-z-]+)(?:=(.*))?$/s.exec(a);
    if (!m || !VALUE_OPTIONS.has(m[1])) throw badArguments(`unknown option '${a}'`);
    const name = m[1];
    let value = m[2];
    if (value === undefined) {
      if (i + 1 >= argv.length) throw badArguments(`option '--${name}' needs a value`);
      // What follows is an option (`--title -h`, `--title --layout audit`: the value forgotten), not the value: taken as
      // one, it would make a phase titled `-h`, or a title of `--layout` and a PATH of `audit`. A value that begins
      // with a dash is given in the `=` form, which says it is one.
      const next = argv[i + 1];
      if (next.length > 1 && next.startsWith('-'))
        throw badArguments(`option '--${name}' needs a value, and '${next}' is an option: for a value that begins with a dash, write --${name}=${next}`);
      value = argv[++i];
    }
    if (given.has(name)) throw badArguments(`option '--${name}' given twice`);
    given.set(name, value);
  }
  if (version) return { ...out, command: 'version' };
  if (help || command === 'help') return { ...out, command: 'help' };
  if (command === undefined) throw badArguments(`no command given: expected ${oneOf(COMMANDS)}`);
  if (!(COMMANDS as readonly string[]).includes(command)) throw badArguments(`unknown command '${command}': expected ${oneOf(COMMANDS)}`);
  const cmd = command as (typeof COMMANDS)[number];
  for (const name of given.keys()) {
    if (!ALLOWED[cmd].includes(name)) throw badArguments(`option '--${name}' does not apply to '${cmd}'`);
  }
  if (out.fix && cmd !== 'check') throw badArguments(`option '--fix' does not apply to '${cmd}'`);
  const format = given.get('format');
  if (format !== undefined) {
    const allowed: Format[] = cmd === 'check' ? ['text', 'json', 'sarif', 'gitlab'] : ['text', 'json'];
    if (!(allowed as string[]).includes(format)) throw badArguments(`unknown format '${format}' for '${cmd}': expected ${oneOf(allowed)}`);
    out.format = format as Format;
  }
  for (const name of ['config', 'layout', 'workstream', 'title'] as const) {
    const v = given.get(name);
    if (v !== undefined && v.trim() === '') throw badArguments(`option '--${name}' needs a value`);
    out[name] = v;
  }
  // An empty PATH (`check "$DIR"` with DIR unset) is not the current folder: checking that instead would pass unseen.
  if ((cmd === 'new' ? out.positionals.slice(1) : out.positionals).some((p) => p.trim() === ''))
    throw badArguments(`an empty argument is no PATH or PHASE_ID: leave it out for the current folder`);
  if (cmd === 'status' && out.positionals.length > 1) throw badArguments(`unexpected argument '${out.positionals[1]}': 'status' takes at most one PATH`);
  return { ...out, command: cmd };
}
