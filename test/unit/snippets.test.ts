/**
 * snippets/phasegate.code-snippets.json: every body is a well-formed VS Code snippet, and the section
 * and gate choices are the built-in layouts' own (checked against layout.ts, so they cannot drift).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AUDIT_GATES, AUDIT_LAYOUT, BUILTIN_LAYOUTS, IAI_GATES, PLAN_KIND, planNew } from '../../server/src/service';
import type { NewRequest } from '../../server/src/service/scaffold';
import { REPO, ROOT, workspace } from '../helpers/workspace';

interface Snippet {
  scope: string;
  prefix: string[];
  body: string[];
  description: string;
}
const SNIPPETS = JSON.parse(fs.readFileSync(path.join(REPO, 'snippets', 'phasegate.code-snippets.json'), 'utf8')) as Record<string, Snippet>;

/** VS Code's snippet variables that the snippets may use. */
const VARIABLES = new Set([
  'CURRENT_YEAR',
  'CURRENT_MONTH',
  'CURRENT_DATE',
  'TM_FILENAME',
  'TM_FILENAME_BASE',
  'TM_DIRECTORY',
  'TM_SELECTED_TEXT',
  'CLIPBOARD',
]);

interface Parsed {
  tabstops: Set<number>;
  /** Options of each choice, by tab stop. */
  choices: Map<number, string[]>;
  /** Each variable transform (`${NAME/regex/format/options}`), its regular expression as VS Code builds it. */
  transforms: { name: string; regex: RegExp; format: string }[];
}

/**
 * Parses a snippet body as VS Code does (`$1`, `${1}`, `${1:placeholder}` nested, `${1|a,b|}`,
 * `$NAME`, `${NAME}`, `${NAME:default}`, `\` escapes), throwing on what VS Code would not read as
 * intended: a `${` never closed, a `$` that starts nothing, an unknown variable, an empty choice.
 */
function parseSnippet(s: string): Parsed {
  const out: Parsed = { tabstops: new Set(), choices: new Map(), transforms: [] };
  let i = 0;
  const fail = (why: string): never => {
    throw new Error(`${why} at ${i} in ${JSON.stringify(s)}`);
  };
  const variable = (name: string) => {
    if (!VARIABLES.has(name)) fail(`unknown variable $${name}`);
  };
  const text = (inPlaceholder: boolean): void => {
    while (i < s.length) {
      const c = s[i];
      if (c === '\\') i += 2;
      else if (c === '}' && inPlaceholder) return;
      else if (c === '$') dollar();
      else i++;
    }
    if (inPlaceholder) fail('a ${ placeholder that is never closed');
  };
  const dollar = (): void => {
    i++;
    const rest = () => s.slice(i);
    let m = /^\d+/.exec(rest()) ?? /^[A-Za-z_][A-Za-z_0-9]*/.exec(rest());
    if (m) {
      if (/^\d/.test(m[0])) out.tabstops.add(Number(m[0]));
      else variable(m[0]);
      i += m[0].length;
      return;
    }
    if (s[i] !== '{') fail('a $ that starts no tab stop or variable (write \\$)');
    i++;
    m = /^\d+/.exec(rest());
    const name = m ?? /^[A-Za-z_][A-Za-z_0-9]*/.exec(rest());
    if (!name) fail('${ without a tab stop number or variable name');
    const n = m ? Number(m[0]) : undefined;
    if (n !== undefined) out.tabstops.add(n);
    else variable(name![0]);
    i += name![0].length;
    if (s[i] === '}') {
      i++;
    } else if (s[i] === '/' && n === undefined) {
      // A transform: the regular expression up to an unescaped `/` (VS Code reads `\/` as `/` and keeps any
      // other backslash with what follows), the format likewise, then the options up to `}`.
      const part = (): string => {
        let v = '';
        for (i++; s[i] !== '/'; i++) {
          if (i >= s.length) fail('a transform that is never closed');
          if (s[i] === '\\' && s[i + 1] === '/') v += s[++i];
          else v += s[i];
        }
        return v;
      };
      const source = part();
      const format = part();
      const end = s.indexOf('}', i);
      if (end < 0) fail('a transform that is never closed');
      out.transforms.push({ name: name![0], regex: new RegExp(source, s.slice(i + 1, end)), format });
      i = end + 1;
    } else if (s[i] === ':') {
      i++;
      text(true);
      i++;
    } else if (s[i] === '|' && n !== undefined) {
      const end = s.indexOf('|}', i + 1);
      if (end < 0) fail('a choice that is never closed');
      const options = s
        .slice(i + 1, end)
        .split(/(?<!\\),/)
        .map((o) => o.replace(/\\(.)/g, '$1'));
      if (options.some((o) => o === '')) fail('an empty choice');
      out.choices.set(n, options);
      i = end + 2;
    } else fail('a ${ placeholder that is not closed by }');
  };
  text(false);
  return out;
}

/** The snippet whose prefixes include `prefix`. */
function byPrefix(prefix: string): Parsed & { name: string } {
  const found = Object.entries(SNIPPETS).filter(([, s]) => s.prefix.includes(prefix));
  assert.equal(found.length, 1, prefix);
  return { name: found[0][0], ...parseSnippet(found[0][1].body.join('\n')) };
}

/** Every section title of the built-in layouts' documents and of the project plan, in order, once. */
function layoutTitles(): string[] {
  const titles: string[] = [];
  for (const l of BUILTIN_LAYOUTS) for (const d of l.documents) for (const s of d.sections) titles.push(s.title);
  for (const s of PLAN_KIND.sections) titles.push(s.title);
  return [...new Set(titles)];
}

/**
 * A snippet's body as VS Code inserts it when every placeholder is left at its default and every
 * choice at its first option (`TM_DIRECTORY` is `dir`, the date variables today's).
 */
function expandDefaults(body: string, dir: string): string {
  const now = new Date();
  const vars: Record<string, string> = {
    CURRENT_YEAR: String(now.getFullYear()),
    CURRENT_MONTH: String(now.getMonth() + 1).padStart(2, '0'),
    CURRENT_DATE: String(now.getDate()).padStart(2, '0'),
    TM_DIRECTORY: dir,
  };
  const { transforms } = parseSnippet(body);
  let t = 0;
  let i = 0;
  const text = (inPlaceholder: boolean): string => {
    let out = '';
    while (i < body.length) {
      const c = body[i];
      if (c === '\\') {
        out += body[i + 1];
        i += 2;
      } else if (c === '}' && inPlaceholder) return out;
      else if (c === '$') out += dollar();
      else out += body[i++];
    }
    return out;
  };
  const dollar = (): string => {
    i++;
    let m = /^\d+|^[A-Za-z_]\w*/.exec(body.slice(i));
    if (m) {
      i += m[0].length;
      return /^\d/.test(m[0]) ? '' : vars[m[0]];
    }
    i++;
    m = /^\d+|^[A-Za-z_]\w*/.exec(body.slice(i))!;
    const name = m[0];
    i += name.length;
    if (body[i] === '}') {
      i++;
      return /^\d/.test(name) ? '' : vars[name];
    }
    if (body[i] === ':') {
      i++;
      const d = text(true);
      i++;
      return d;
    }
    if (body[i] === '|') {
      const end = body.indexOf('|}', i + 1);
      const first = body.slice(i + 1, end).split(/(?<!\\),/)[0];
      i = end + 2;
      return first.replace(/\\(.)/g, '$1');
    }
    // A transform (`${NAME/regex/format/options}`), as parseSnippet read it.
    const { regex, format } = transforms[t++];
    i = body.indexOf('}', i) + 1;
    return vars[name].replace(regex, format.replace(/\$(\d)/g, '$$$1'));
  };
  return text(false);
}

describe('snippets', () => {
  it('every body parses as a VS Code snippet (balanced ${…}, known variables, non-empty choices); prefixes are unique', () => {
    const prefixes = new Set<string>();
    for (const [name, s] of Object.entries(SNIPPETS)) {
      assert.equal(s.scope, 'markdown', name);
      assert.ok(s.description.length > 0, name);
      assert.doesNotThrow(() => parseSnippet(s.body.join('\n')), name);
      for (const p of s.prefix) {
        assert.ok(!prefixes.has(p), `prefix ${p} used twice`);
        prefixes.add(p);
      }
    }
    // The parser refuses what VS Code would insert as literal text.
    for (const bad of ['## ${1|A,B|', '${1:x', '${2:${3:y}', '$ 5', '${FOO}', '${1|a,,b|}', '${1:a}}${']) assert.throws(() => parseSnippet(bad), Error, bad);
  });

  it('are listed in the README, every prefix', () => {
    const readme = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');
    const table = readme.slice(readme.indexOf('### Snippets'), readme.indexOf('### Other LSP editors'));
    for (const s of Object.values(SNIPPETS)) assert.ok(table.includes(`| \`${s.prefix.join('`, `')}\` |`), s.prefix.join());
  });

  it("pg-front-matter proposes the phase of the document's folder (a finding's and an artifact's too), on POSIX and Windows paths", async () => {
    const s = byPrefix('pg-front-matter');
    assert.equal(s.transforms.length, 1);
    const [t] = s.transforms;
    assert.equal(t.name, 'TM_DIRECTORY');
    // As VS Code resolves a transform: the value with the match replaced by the format.
    const phaseOf = (dir: string) => dir.replace(t.regex, t.format.replace(/\$(\d)/g, '$$$1'));
    assert.equal(phaseOf('/home/ada/proj/audit-deployment/phase-3'), 'phase-3');
    assert.equal(phaseOf('/home/ada/proj/audit-deployment/phase-3/03-FINDINGS'), 'phase-3');
    assert.equal(phaseOf('C:\\Users\\ada\\proj\\phase-12\\04-ARTIFACTS'), 'phase-12');
    assert.equal(phaseOf('/p/workstreams/Build/Phase_2_Deps'), 'Phase_2_Deps');
    // What it writes is the phase's own id: no heading-mismatch, no schema problem.
    const fm = (phase: string) => `---\nphase: ${phase}\ntitle: "Findings"\nstatus: draft\n---\n`;
    const { svc } = await workspace({
      'phase-3/00-PHASE_BRIEF.md': `${fm(phaseOf('/ws/phase-3'))}# Phase 3: Containers\n`,
      'phase-3/03-FINDINGS/scan.md': `${fm(phaseOf('/ws/phase-3/03-FINDINGS'))}# Scan\n`,
      'workstreams/Build/Phase_2_Deps/implementation_prompt.md': `${fm(phaseOf('/ws/workstreams/Build/Phase_2_Deps'))}# Phase 2: Deps\n`,
    });
    const wrong = svc.diagnoseAll().filter((d) => d.code === 'heading-mismatch' || d.code === 'front-matter-schema');
    assert.deepEqual(wrong, []);
  });

  it("pg-section offers every section title of the built-in layouts and the plan that has no phase number, in the layouts' order", () => {
    const s = byPrefix('pg-section');
    assert.deepEqual(
      s.choices.get(1),
      layoutTitles().filter((t) => !t.includes('{')),
    );
  });

  it('pg-section-handoff writes each numbered section of the layouts: Phase N Summary, Phase N+1 Prerequisites and Inputs', () => {
    const s = byPrefix('pg-section-handoff');
    const numbered = layoutTitles().filter((t) => t.includes('{'));
    assert.ok(numbered.length >= 3, numbered.join());
    const body = SNIPPETS[s.name].body[0];
    assert.equal(body, `## Phase \${1:1} \${2|${s.choices.get(2)!.join(',')}|}`);
    assert.deepEqual(
      s.choices.get(2),
      numbered.map((t) => {
        const m = /^Phase \{N(\+1)?\} (.+)$/.exec(t);
        assert.ok(m, `${t}: a numbered title the snippet cannot write`);
        return m[2];
      }),
    );
  });

  it("pg-gate offers the audit gates, numbered as the layout orders them, and pg-gate-iai the iAI gates; each heading names its gate's checklist", () => {
    const audit = byPrefix('pg-gate').choices.get(1)!;
    const iai = byPrefix('pg-gate-iai').choices.get(1)!;
    assert.deepEqual(
      audit,
      AUDIT_GATES.map((g, i) => `${i + 1}: ${g.name}`),
    );
    assert.deepEqual(
      iai,
      IAI_GATES.map((g, i) => `${i + 1}: ${g.name}`),
    );
    const validation = AUDIT_LAYOUT.documents.find((d) => d.kind === 'validation')!;
    for (const c of audit)
      assert.ok(
        validation.sections.some((s) => s.title === `Gate ${c}`),
        c,
      );
    assert.deepEqual(byPrefix('gate').name, byPrefix('pg-gate').name);
  });

  it('an iAI gate checklist written with pg-gate-iai in the prompt holds its gate, as the snippet says', async () => {
    const files: Record<string, string> = {};
    const base = path.join(REPO, 'examples', 'all_use_iai_project');
    const walk = (dir: string, rel: string) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        if (e.isDirectory()) walk(path.join(dir, e.name), `${rel}${e.name}/`);
        else files[`${rel}${e.name}`] = fs.readFileSync(path.join(dir, e.name), 'utf8');
      }
    };
    walk(base, '');
    const prompt = 'workstreams/Build/Phase_1_Source_Code_Management/implementation_prompt.md';
    assert.ok(files[prompt]);
    const snippet = byPrefix('pg-gate-iai');
    const body = SNIPPETS[snippet.name].body.join('\n');
    for (const [i, choice] of snippet.choices.get(1)!.entries()) {
      const checklist = body
        .replace(/\$\{1\|[^|]*\|\}/, choice)
        .replace(/\$\{\d+:([^{}]*)\}/g, '$1')
        .replace(/\$\d+/g, '');
      const gates = async (text: string) => {
        const { svc } = await workspace({ ...files, [prompt]: text });
        const phase = svc.model.phases.find((p) => p.id === 'Build/Phase_1_Source_Code_Management')!;
        return svc.gates(phase);
      };
      assert.equal((await gates(files[prompt]))[i].status, 'passed');
      const g = (await gates(`${files[prompt]}\n${checklist}\n`))[i];
      assert.equal(g.name, IAI_GATES[i].name);
      assert.equal(g.status, 'pending', checklist);
      // The checklist's own hold; the gate that answers for placeholders also counts the item's `[Criterion]`.
      assert.deepEqual(
        g.reasons.filter((r) => r !== '1 × unfilled-placeholder'),
        ['1 item unchecked'],
      );
    }
  });
  it('each snippet left at its defaults, in the document it is for in new phases, brings no problem but placeholders to fill and gate items to tick, and is told to be filled in where it lands', async () => {
    // Fresh audit phases 1 and 2, a finding, an iAI phase with its response, and the project plan, as `phasegate new` writes them.
    const files: Record<string, string> = {};
    const requests: NewRequest[] = [
      { what: 'phase', layout: 'audit' },
      { what: 'phase', layout: 'audit' },
      { what: 'finding', phase: 'phase-1', title: 'Finding' },
      { what: 'prompt', workstream: 'Build', title: 'CI' },
      { what: 'response', phase: 'Build/Phase_1_CI' },
      { what: 'plan' },
    ];
    for (const request of requests) {
      const { svc } = await workspace(files);
      for (const c of planNew(svc, { ...request, date: '2025-01-07' }).creates) files[c.file.slice(ROOT.length + 1)] = c.text;
    }
    const expand = (prefix: string, dir = `${ROOT}/phase-1`) => expandDefaults(SNIPPETS[byPrefix(prefix).name].body.join('\n'), dir);
    /** The lines each case wrote its snippet on (first, last), by file: where its defaults must be told to be filled in. */
    let landed: { file: string; from: number; to: number }[] = [];
    const lineOf = (text: string, at: number) => text.slice(0, at).split('\n').length - 1;
    const land = (file: string, text: string, at: number, insert: string) => {
      const from = lineOf(text, at);
      landed.push({ file, from, to: from + insert.replace(/\n*$/, '').split('\n').length - 1 });
    };
    /** `f[file]` with `insert` in place of the section headed `heading` (up to the next heading of its level or above). */
    const section = (f: Record<string, string>, file: string, heading: string, insert: string) => {
      const lines = f[file].split('\n');
      const at = lines.indexOf(heading);
      assert.ok(at >= 0, heading);
      const level = /^#+/.exec(heading)![0].length;
      let end = at + 1;
      while (end < lines.length && !new RegExp(`^#{1,${level}} `).test(lines[end])) end++;
      landed.push({ file, from: at, to: at + insert.replace(/\n*$/, '').split('\n').length - 1 });
      lines.splice(at, end - at, ...insert.replace(/\n*$/, '\n').split('\n'));
      f[file] = lines.join('\n');
    };
    const line = (f: Record<string, string>, file: string, old: string, insert: string) => {
      assert.ok(f[file].includes(old), old);
      land(file, f[file], f[file].indexOf(old), insert);
      f[file] = f[file].replace(old, insert.replace(/\n$/, ''));
    };
    const append = (f: Record<string, string>, file: string, insert: string) => {
      const text = f[file].replace(/\n*$/, '\n');
      land(file, text, text.length, insert);
      f[file] = `${text}${insert}\n`;
    };
    const P = 'workstreams/Build/Phase_1_CI/';
    const cases: Record<string, (f: Record<string, string>) => void> = {
      'pg-section': (f) => section(f, 'phase-1/00-PHASE_BRIEF.md', '## Objectives', expand('pg-section')),
      'pg-section-handoff': (f) => section(f, 'phase-1/06-OUTPUT_HANDOFF.md', '## Phase 1 Summary', expand('pg-section-handoff')),
      'pg-decision': (f) =>
        section(
          f,
          'phase-1/05-DECISIONS.md',
          f['phase-1/05-DECISIONS.md'].split('\n').find((l) => l.startsWith('### '))!,
          expand('pg-decision'),
        ),
      'pg-decision-item': (f) => line(f, 'phase-1/06-OUTPUT_HANDOFF.md', '- Decision: [Description] → [Rationale]', expand('pg-decision-item')),
      'pg-risk': (f) => line(f, 'phase-1/06-OUTPUT_HANDOFF.md', '- Risk: [Impact] - [Mitigation]', expand('pg-risk')),
      'pg-risk-table': (f) => section(f, 'phase-1/00-PHASE_BRIEF.md', '## Risks', `## Risks\n\n${expand('pg-risk-table')}`),
      'pg-gate': (f) => section(f, 'phase-1/07-VALIDATION.md', '## Gate 1: Completeness', expand('pg-gate')),
      'pg-gate-iai': (f) => append(f, `${P}implementation_prompt.md`, expand('pg-gate-iai', `${ROOT}/${P}`)),
      'pg-gates': (f) => {
        const file = 'phase-1/07-VALIDATION.md';
        const insert = `${expand('pg-gates')}\n`;
        land(file, f[file], f[file].indexOf('## Gate 1'), insert);
        f[file] = f[file].replace(/## Gate 1[^]*?(?=## Success Metrics)/, insert);
      },
      'pg-gate-item': (f) =>
        line(f, 'phase-1/07-VALIDATION.md', '- [ ] All deliverables of the brief are produced — Evidence: [Evidence]', expand('pg-gate-item')),
      'pg-input': (f) => line(f, 'phase-2/01-INPUT_HANDOFF.md', '- Input: [Location] - [Description]', expand('pg-input', `${ROOT}/phase-2`)),
      'pg-artifact': (f) => line(f, 'phase-1/06-OUTPUT_HANDOFF.md', '- Artifact: [Location] - [Purpose]', expand('pg-artifact')),
      'pg-prerequisite': (f) => line(f, 'phase-1/06-OUTPUT_HANDOFF.md', '- [ ] [Prerequisite]', expand('pg-prerequisite')),
      'pg-metrics': (f) => section(f, 'phase-1/07-VALIDATION.md', '## Success Metrics', expand('pg-metrics')),
      'pg-proof': (f) => section(f, `${P}implementation_response_from_AI.md`, '## Execution Proof', expand('pg-proof', `${ROOT}/${P}`)),
      'pg-tests': (f) => section(f, `${P}implementation_response_from_AI.md`, '## Tests', expand('pg-tests', `${ROOT}/${P}`)),
      'pg-deliverable': (f) =>
        line(f, `${P}implementation_response_from_AI.md`, '- Deliverable: [Location] - [How it was addressed]', expand('pg-deliverable', `${ROOT}/${P}`)),
      'pg-front-matter': (f) => {
        for (const file of ['phase-1/00-PHASE_BRIEF.md', 'phase-1/03-FINDINGS/finding.md', `${P}implementation_prompt.md`]) {
          const insert = expand('pg-front-matter', `${ROOT}/${file.slice(0, file.lastIndexOf('/'))}`);
          land(file, insert, 0, insert);
          f[file] = insert + f[file].replace(/^---\n[^]*?\n---\n/, '');
        }
      },
      'pg-plan-row': (f) => append(f, 'project_implementation_plan.md', expand('pg-plan-row', ROOT)),
    };
    assert.deepEqual(
      Object.keys(cases).sort(),
      Object.values(SNIPPETS)
        .map((s) => s.prefix[0])
        .sort(),
    );
    const key = (d: { code?: unknown; message: string }, file: string) => `${file} ${String(d.code)}: ${d.message}`;
    const diagnostics = async (f: Record<string, string>) => {
      const { svc } = await workspace(f);
      return Object.keys(f).flatMap((file) => svc.diagnose(`${ROOT}/${file}`).map((d) => ({ file, d })));
    };
    const before = new Set((await diagnostics(files)).map(({ file, d }) => key(d, file)));
    const fillIn = /^\S+ (unfilled-placeholder|gate-item-unchecked):/;
    // What tells an author that text the snippet wrote is not theirs yet: a placeholder, or the proof rule's
    // "holds only the template's placeholder" (a proof at its defaults is no proof).
    const toFill = new Set(['unfilled-placeholder', 'missing-test-proof']);
    const added: Record<string, string[]> = {};
    const untold: string[] = [];
    for (const [prefix, place] of Object.entries(cases)) {
      const f = { ...files };
      landed = [];
      place(f);
      const all = await diagnostics(f);
      const now = all.map(({ file, d }) => key(d, file)).filter((p) => !before.has(p) && !fillIn.test(p));
      if (now.length) added[prefix] = now;
      // Each place the snippet landed is told to be filled in: defaults that read as written text (`12 passed,
      // 0 failed` as proof, `Why this option was chosen` as a rationale) would pass for the author's.
      assert.ok(landed.length, prefix);
      for (const { file, from, to } of landed) {
        const told = all.some(({ file: at, d }) => at === file && toFill.has(String(d.code)) && d.range.start.line >= from && d.range.start.line <= to);
        if (!told) untold.push(`${prefix} in ${file} (lines ${from + 1}-${to + 1})`);
      }
    }
    assert.deepEqual(added, {});
    assert.deepEqual(untold, []);
  });
});
