import * as assert from 'node:assert/strict';
import * as fsNode from 'node:fs';
import * as path from 'node:path';
import { workspace, ROOT, REPO, assets } from '../helpers/workspace';
import {
  Diagnostic,
  MemoryFileSystem,
  PhasegateService,
  TemplateError,
  codeActions,
  renderKind,
  templateProblems,
  renderTemplate,
  baseContext,
  documentContext,
  AUDIT_LAYOUT,
  IAI_LAYOUT,
  PLAN_KIND,
} from '../../server/src/service';
import { NewPlan, planNew, ScaffoldError } from '../../server/src/service/scaffold';
import { phaseTitle, today } from '../../server/src/service/templates';

const DATE = '2026-01-02';
const DELIVERABLE = 'Code quality audit report';

/** A value that meets a threshold: `> 80%` → `81%`, `< 5 minutes` → `4 minutes`, `>= 99.9%` → `99.9%`, `0` → `0`. */
function meet(target: string): string {
  const m = /^\s*(>=|<=|>|<)?\s*([\d.]+)\s*(.*)$/.exec(target);
  if (!m) return target;
  const n = Number(m[2]);
  const v = m[1] === '>' ? n + 1 : m[1] === '<' ? n - 1 : n;
  const unit = m[3].trim();
  return unit === '%' ? `${v}%` : unit ? `${v} ${unit}` : String(v);
}

/**
 * Fills a rendered template as its user would: every `[Placeholder]` replaced with plausible
 * text, every checkbox checked, metric actuals that meet their targets.
 */
function fill(text: string, opts: { location: string; evidence?: string }): string {
  const special: Record<string, string> = {
    Location: `[report](${opts.location})`,
    Evidence: `[report](${opts.evidence ?? '03-FINDINGS/report.md'})`,
    Deliverable: DELIVERABLE,
    'Key deliverables': DELIVERABLE,
    'Output of the test run': '===== 12 passed, 0 failed in 1.20s =====',
    'Test command': 'npm test',
    'Test file': 'tests/test_pipeline.py',
    'Critical, High, Medium or Low': 'High',
    'Phase title': 'Foundation Audit',
    'Finding title': 'Outdated dependencies',
  };
  return text
    .split('\n')
    .map((line) => {
      const row = /^\| ([^|]+) \| ([^|]+) \| \[Actual\] \|$/.exec(line);
      if (row) return `| ${row[1]} | ${row[2]} | ${meet(row[2])} |`;
      return line
        .replace(/^(\s*(?:[-*+]|\d+\.)\s+)\[ \]/, '$1[x]')
        .replace(/\[([A-Z][^[\]\n]*)\](?![([])/g, (_m, name: string) => special[name] ?? `Filled in for ${name.toLowerCase()}`);
    })
    .join('\n');
}

function write(fs: MemoryFileSystem, plan: NewPlan, transform: (file: string, text: string) => string = (_f, t) => t): void {
  for (const c of plan.creates) fs.write(c.file, transform(c.file, c.text));
}

function errors(svc: PhasegateService, file: string): Diagnostic[] {
  return svc.diagnose(file).filter((d) => d.severity === 'error');
}

/** Every diagnostic of `files` that is an error or an unfilled placeholder, as readable lines. */
function problems(svc: PhasegateService, files: string[]): string[] {
  return files.flatMap((f) =>
    svc
      .diagnose(f)
      .filter((d) => d.severity === 'error' || d.code === 'unfilled-placeholder')
      .map((d) => `${path.relative(ROOT, d.file)}:${d.range.start.line}: ${d.code}: ${d.message}`),
  );
}

const md = (plan: NewPlan) => plan.creates.map((c) => c.file).filter((f) => f.endsWith('.md'));

describe('templates', () => {
  it('ships a template for every document kind, a finding and the plan, and each renders', async () => {
    const names = Object.keys(assets.templates).sort();
    assert.deepEqual(names, ['brief', 'decisions', 'execution-plan', 'finding', 'input-handoff', 'output-handoff', 'plan', 'prompt', 'response', 'validation']);
    for (const spec of [...AUDIT_LAYOUT.documents, ...IAI_LAYOUT.documents, PLAN_KIND]) assert.ok(names.includes(spec.template!), spec.kind);
    const { svc } = await workspace({});
    for (const name of names) {
      const ctx = baseContext(
        svc,
        { id: 'phase-3', number: 3, title: 'Containerization & "Packaging"', workstream: undefined, folder: `${ROOT}/phase-3`, layout: AUDIT_LAYOUT },
        DATE,
      );
      const text = renderTemplate(svc, name, ctx)!;
      assert.match(text, /^---\n[\s\S]*?\n---\n\n# \S/, name);
      assert.doesNotMatch(text, /\{\{|\}\}|undefined|\[object Object\]/, name);
      assert.ok(!/\n\n\n/.test(text), `${name} has no runs of blank lines`);
    }
    // The brief names the phase in its title and front matter; quotes in titles stay valid YAML.
    const brief = renderTemplate(
      svc,
      'brief',
      baseContext(
        svc,
        { id: 'phase-3', number: 3, title: 'Containerization & "Packaging"', workstream: undefined, folder: `${ROOT}/phase-3`, layout: AUDIT_LAYOUT },
        DATE,
      ),
    )!;
    assert.match(brief, /^title: "Phase 3: Containerization & \\"Packaging\\""$/m);
    assert.match(brief, /^# Phase 3: Containerization & "Packaging"$/m);
  });

  it("writes the seed's handoff structure and the metrics of the phase's group", async () => {
    const { svc } = await workspace({});
    const ctx = (n: number) =>
      baseContext(svc, { id: `phase-${n}`, number: n, title: undefined, workstream: undefined, folder: `${ROOT}/phase-${n}`, layout: AUDIT_LAYOUT }, DATE);
    const handoff = renderTemplate(svc, 'output-handoff', ctx(4))!;
    const headings = handoff.split('\n').filter((l) => l.startsWith('#'));
    assert.deepEqual(headings, [
      '# Phase 4 → Phase 5 Handoff',
      '## Phase 4 Summary',
      '## Critical Findings',
      '## Decisions Made',
      '## Artifacts Produced',
      '## Phase 5 Prerequisites',
      '## Phase 5 Inputs',
      '## Recommended Next Steps',
      '## Open Questions',
      '## Risks & Dependencies',
    ]);
    const rows = (n: number) =>
      [...renderTemplate(svc, 'validation', ctx(n))!.matchAll(/^\| ([^|]+) \| ([^|]+) \| \[Actual\] \|$/gm)].map((m) => `${m[1]}: ${m[2]}`);
    assert.deepEqual(rows(1), [
      'Code coverage: > 80%',
      'Critical vulnerabilities: 0',
      'High vulnerabilities: < 5',
      'Test execution time: < 5 minutes',
      'Documentation coverage: >= 100%',
    ]);
    assert.deepEqual(rows(4), [
      'Container build time: < 5 minutes',
      'Deployment time: < 10 minutes',
      'Rollback time: < 2 minutes',
      'Infrastructure provisioning: < 15 minutes',
    ]);
    assert.deepEqual(rows(7), ['Alert response time: < 5 minutes', 'Log retention: >= 30 days', 'Uptime SLA: >= 99.9%', 'Mean time to recovery: < 30 minutes']);
    const gates = renderTemplate(svc, 'validation', ctx(1))!
      .split('\n')
      .filter((l) => l.startsWith('## Gate'));
    assert.deepEqual(gates, [
      '## Gate 1: Completeness',
      '## Gate 2: Quality',
      '## Gate 3: Documentation',
      '## Gate 4: Testing',
      '## Gate 5: Review',
      '## Gate 6: Approval',
    ]);
  });

  it('renders a whole audit phase that, filled in, passes validation and all its gates', async () => {
    const { svc, fs } = await workspace({ 'README.md': '# Project\n' });
    const plan = planNew(svc, { what: 'phase', layout: 'audit', title: 'Foundation Audit & Baseline', date: DATE });
    assert.deepEqual(
      plan.creates.map((c) => path.relative(ROOT, c.file)),
      [
        '00-PHASE_BRIEF.md',
        '01-INPUT_HANDOFF.md',
        '02-EXECUTION_PLAN.md',
        '05-DECISIONS.md',
        '06-OUTPUT_HANDOFF.md',
        '07-VALIDATION.md',
        '03-FINDINGS/.gitkeep',
        '04-ARTIFACTS/.gitkeep',
      ].map((f) => `phase-1/${f}`),
    );
    write(fs, plan, (_f, t) => fill(t, { location: '04-ARTIFACTS/report.md' }));
    fs.write(`${ROOT}/phase-1/03-FINDINGS/report.md`, '# Findings\n\nNo critical issue.\n');
    fs.write(`${ROOT}/phase-1/04-ARTIFACTS/report.md`, '# Report\n\nThe audit report.\n');
    await svc.load(ROOT);
    assert.deepEqual(problems(svc, md(plan)), []);
    const phase = svc.findPhase('phase-1')!;
    assert.deepEqual(
      svc.gates(phase).map((g) => `${g.name}: ${g.status} ${g.reasons.join(', ')}`.trim()),
      ['Completeness: passed', 'Quality: passed', 'Documentation: passed', 'Testing: passed', 'Review: passed', 'Approval: passed'],
    );

    // The next phase: numbered after the highest, its input handoff prefilled from phase 1's output handoff.
    const next = planNew(svc, { what: 'phase', layout: 'audit', date: DATE });
    const input = next.creates.find((c) => c.file.endsWith('01-INPUT_HANDOFF.md'))!;
    assert.equal(input.file, `${ROOT}/phase-2/01-INPUT_HANDOFF.md`);
    assert.match(input.text, /## Source\n\nOutput handoff of Phase 1: \[phase-1\/06-OUTPUT_HANDOFF\.md\]\(\.\.\/phase-1\/06-OUTPUT_HANDOFF\.md\)\n/);
    assert.match(input.text, /## Inputs Received\n\n- Input: \[report\]\(\.\.\/phase-1\/04-ARTIFACTS\/report\.md\) - Filled in for description\n/);
    assert.match(input.text, /## Prerequisites\n\n- \[ \] Filled in for prerequisite\n/);
    write(fs, next, (_f, t) => fill(t, { location: '04-ARTIFACTS/report.md' }));
    fs.write(`${ROOT}/phase-2/03-FINDINGS/report.md`, '# Findings\n\nNone.\n');
    fs.write(`${ROOT}/phase-2/04-ARTIFACTS/report.md`, '# Report\n\nDone.\n');
    await svc.load(ROOT);
    assert.deepEqual(problems(svc, [...md(plan), ...md(next)]), []);
    assert.deepEqual(
      svc.diagnose(`${ROOT}/phase-2/01-INPUT_HANDOFF.md`).filter((d) => d.code === 'prerequisite-unmet' || d.code === 'handoff-mismatch'),
      [],
    );

    // The fix that creates a missing input handoff renders the same prefilled template.
    const phase2 = svc.findPhase('phase-2')!;
    const inputSpec = phase2.documents.find((d) => d.spec.kind === 'input-handoff')!.spec;
    assert.match(renderKind(svc, inputSpec, phase2), /- Input: \[report\]\(\.\.\/phase-1\/04-ARTIFACTS\/report\.md\)/);

    // A finding, named by its title or numbered.
    const finding = planNew(svc, { what: 'finding', phase: 'phase-1', title: 'Outdated dependencies', date: DATE });
    assert.deepEqual(
      finding.creates.map((c) => c.file),
      [`${ROOT}/phase-1/03-FINDINGS/outdated-dependencies.md`],
    );
    assert.match(finding.creates[0].text, /^# Finding 2: Outdated dependencies$/m);
    assert.equal(planNew(svc, { what: 'finding', phase: 'phase-1' }).creates[0].file, `${ROOT}/phase-1/03-FINDINGS/finding-2.md`);
    write(fs, finding, (_f, t) => fill(t, { location: 'report.md' }));
    await svc.load(ROOT);
    assert.deepEqual(problems(svc, md(finding)), []);
  });

  it("counts a gate's rules by severity: errors fail it, warnings keep it pending, information and hints do not count", async () => {
    const { svc, fs } = await workspace({ 'README.md': '# Project\n' });
    const plan = planNew(svc, { what: 'phase', layout: 'audit', title: 'Foundation Audit', date: DATE });
    write(fs, plan, (_f, t) => fill(t, { location: '04-ARTIFACTS/report.md' }));
    fs.write(`${ROOT}/phase-1/03-FINDINGS/report.md`, '# Findings\n\nNo critical issue.\n');
    fs.write(`${ROOT}/phase-1/04-ARTIFACTS/report.md`, '# Report\n\nThe audit report.\n');
    // A placeholder left in the output handoff (a warning of the Quality gate's rules).
    const out = `${ROOT}/phase-1/06-OUTPUT_HANDOFF.md`;
    fs.write(out, fs.text(out)!.replace('## Phase 2 Inputs', '## Phase 2 Inputs\n\n- [Location] - [Purpose]'));
    const gates = async (rules: Record<string, string>) => {
      fs.write(
        `${ROOT}/phasegate.yaml`,
        `rules:\n${Object.entries(rules)
          .map(([k, v]) => `  ${k}: ${v}\n`)
          .join('')}`,
      );
      await svc.load(ROOT);
      const phase = svc.findPhase('phase-1')!;
      return { quality: svc.gates(phase).find((g) => g.name === 'Quality')!, status: svc.status(phase) };
    };
    let r = await gates({});
    assert.deepEqual([r.quality.status, r.quality.reasons, r.status], ['pending', ['2 × unfilled-placeholder'], 'in-progress']);
    r = await gates({ 'unfilled-placeholder': 'error' });
    assert.deepEqual([r.quality.status, r.quality.reasons, r.status], ['failed', ['2 × unfilled-placeholder'], 'blocked']);
    for (const severity of ['information', 'hint', 'off']) {
      r = await gates({ 'unfilled-placeholder': severity });
      assert.deepEqual([r.quality.status, r.status], ['passed', 'complete'], severity);
    }
    // The host's severities (the editor's setting) win over the config's, for the gates as for the diagnostics.
    r = await gates({ 'unfilled-placeholder': 'information' });
    assert.equal(svc.setRuleOverrides({ 'unfilled-placeholder': 'error' }), true);
    assert.equal(svc.setRuleOverrides({ 'unfilled-placeholder': 'error' }), false, 'the same severities change nothing');
    const phase = svc.findPhase('phase-1')!;
    assert.equal(svc.gates(phase).find((g) => g.name === 'Quality')!.status, 'failed');
    assert.deepEqual(
      svc.diagnose(out).map((d) => [d.code, d.severity]),
      [
        ['unfilled-placeholder', 'error'],
        ['unfilled-placeholder', 'error'],
      ],
    );
    assert.equal(svc.setRuleOverrides({}), true);
    assert.equal(svc.gates(phase).find((g) => g.name === 'Quality')!.status, 'passed');
  });

  it('renders an iAI phase whose prompt, response and plan pass validation once filled', async () => {
    const { svc, fs } = await workspace({ 'proj/README.md': '# Project\n' });
    const plan = planNew(svc, { what: 'phase', layout: 'iai', root: 'proj', workstream: 'Build', title: 'Source Control & CI', date: DATE });
    const folder = `${ROOT}/proj/workstreams/Build/Phase_1_Source_Control_CI`;
    assert.deepEqual(
      plan.creates.map((c) => c.file),
      [`${folder}/implementation_prompt.md`],
    );
    assert.match(plan.creates[0].text, /^# Build Phase 1: Source Control & CI — Implementation Prompt$/m);
    write(fs, plan, (_f, t) => fill(t, { location: 'notes.md' }).replace(`- ${DELIVERABLE}`, `- ${DELIVERABLE}\n- Branching strategy document`));
    fs.write(`${folder}/notes.md`, '# Notes\n\nHow the pipeline runs.\n');
    await svc.load(ROOT);

    const response = planNew(svc, { what: 'response', phase: 'Build/Phase_1_Source_Control_CI', date: DATE });
    const text = response.creates[0].text;
    assert.equal(response.creates[0].file, `${folder}/implementation_response_from_AI.md`);
    // One Deliverables item per deliverable of the prompt; Tests and Execution Proof sections.
    assert.match(
      text,
      /## Deliverables\n\n- Code quality audit report: \[Location\] - \[How it was addressed\]\n- Branching strategy document: \[Location\] - \[How it was addressed\]\n\n/,
    );
    assert.match(text, /## Tests\n\n- Test: /);
    assert.match(text, /## Execution Proof\n[\s\S]*```text\n\[Output of the test run\]\n```/);
    write(fs, response, (_f, t) => fill(t, { location: 'notes.md' }));
    await svc.load(ROOT);
    const phase = svc.findPhase('Build/Phase_1_Source_Control_CI')!;
    assert.deepEqual(
      svc.gates(phase).map((g) => `${g.name}: ${g.status}`),
      ['Completeness: passed', 'Tests: passed', 'Proof: passed'],
    );

    // The project plan: a row per phase with its status; it agrees with the phases.
    const projectPlan = planNew(svc, { what: 'plan', root: 'proj', date: DATE });
    assert.equal(projectPlan.creates[0].file, `${ROOT}/proj/project_implementation_plan.md`);
    assert.match(projectPlan.creates[0].text, /^\| Build \| Phase_1_Source_Control_CI \| Complete \|$/m);
    write(fs, projectPlan);
    await svc.load(ROOT);
    const files = [...md(plan), ...md(response), ...md(projectPlan)];
    assert.deepEqual(problems(svc, files), []);
    assert.deepEqual(
      svc.diagnose(`${ROOT}/proj/project_implementation_plan.md`).filter((d) => d.code === 'plan-status-mismatch'),
      [],
    );

    // The next phase of the workstream, found from a folder inside it.
    const second = planNew(svc, { what: 'phase', folder: `${ROOT}/proj/workstreams/Build`, title: 'Dependency Management', date: DATE });
    assert.deepEqual(
      second.creates.map((c) => c.file),
      [`${ROOT}/proj/workstreams/Build/Phase_2_Dependency_Management/implementation_prompt.md`],
    );
  });

  it("writes the project plan's rows with a | in a workstream's name escaped, so that the plan agrees with the phases", async () => {
    const { svc, fs } = await workspace({});
    write(fs, planNew(svc, { what: 'phase', layout: 'iai', workstream: 'Data|ML', title: 'Ingest', date: DATE }));
    await svc.load(ROOT);
    const projectPlan = planNew(svc, { what: 'plan', date: DATE });
    assert.match(projectPlan.creates[0].text, /^\| Data\\\|ML \| Phase_1_Ingest \| Not started \|$/m);
    write(fs, projectPlan);
    await svc.load(ROOT);
    assert.deepEqual(
      svc.diagnose(projectPlan.creates[0].file).filter((d) => d.code === 'plan-status-mismatch'),
      [],
    );
  });

  it('names a phase without a number by its folder or title, never as "Phase :"', async () => {
    const config =
      'layouts:\n  - name: sprint\n    phases: "sprints/*"\n    documents:\n      - kind: brief\n        file: GOALS.md\n      - kind: output-handoff\n        file: OUT.md\n';
    const { svc } = await workspace({
      'phasegate.yaml': config,
      'sprints/.keep': '',
      'workstreams/Build/Spike/implementation_prompt.md': '# Spike: try caching\n\n## Objective\n\nTry it.\n',
    });
    const sprint = planNew(svc, { what: 'phase', folder: `${ROOT}/sprints/spike`, date: DATE });
    const response = planNew(svc, { what: 'response', phase: 'Build/Spike', date: DATE });
    const text = (plan: NewPlan, name: string) => plan.creates.find((c) => c.file.endsWith(name))!.text;
    const heads = (t: string) => t.split('\n').filter((l) => /^(title:|#)/.test(l));
    assert.deepEqual(heads(text(sprint, 'GOALS.md')), [
      'title: "spike"',
      '# spike',
      '## Objectives',
      '## Scope',
      '## Deliverables',
      '## Success Metrics',
      '## Risks',
    ]);
    assert.deepEqual(heads(text(sprint, 'OUT.md')).slice(0, 3), ['title: "spike Handoff"', '# spike Handoff', '## spike Summary']);
    assert.ok(heads(text(sprint, 'OUT.md')).includes('## Next Phase Inputs'));
    assert.deepEqual(heads(text(response, 'implementation_response_from_AI.md')).slice(0, 2), [
      'title: "Spike: try caching"',
      '# Build Spike: try caching — Implementation Response',
    ]);
    for (const t of [...sprint.creates, ...response.creates].map((c) => c.text)) assert.doesNotMatch(t, /Phase\s*:|Phase {2}|Phase \n/);
  });

  it("dates documents by the user's own calendar, not UTC", () => {
    const tz = process.env.TZ;
    try {
      // 20:30 UTC is the next morning in Tokyo, the same evening in Los Angeles.
      const at = new Date('2026-11-26T20:30:00Z');
      process.env.TZ = 'Asia/Tokyo';
      assert.equal(today(at), '2026-11-27');
      process.env.TZ = 'America/Los_Angeles';
      assert.equal(today(at), '2026-11-26');
      process.env.TZ = 'Asia/Tokyo';
      assert.equal(today(new Date('2026-11-26T15:30:00Z')), '2026-11-27');
    } finally {
      if (tz === undefined) delete process.env.TZ;
      else process.env.TZ = tz;
    }
  });

  it('leaves placeholders that unfilled-placeholder reports in every rendered document', async () => {
    const { svc, fs } = await workspace({});
    const projectPlan = planNew(svc, { what: 'plan', date: DATE });
    const audit = planNew(svc, { what: 'phase', layout: 'audit', date: DATE });
    const iai = planNew(svc, { what: 'phase', layout: 'iai', workstream: 'Test', date: DATE });
    write(fs, audit);
    write(fs, iai);
    await svc.load(ROOT);
    const more = [
      planNew(svc, { what: 'response', phase: 'Test/Phase_1', date: DATE }),
      planNew(svc, { what: 'finding', phase: 'phase-1', date: DATE }),
      projectPlan,
    ];
    more.forEach((p) => write(fs, p));
    await svc.load(ROOT);
    const files = [...md(audit), ...md(iai), ...more.flatMap(md)];
    assert.equal(files.length, 10);
    for (const f of files)
      assert.ok(
        svc.diagnose(f).some((d) => d.code === 'unfilled-placeholder'),
        `no unfilled-placeholder in ${f}`,
      );
    // Work not done yet, nothing broken: no error in any of them, and their phases in progress, not blocked.
    assert.deepEqual(
      files.flatMap((f) =>
        svc
          .diagnose(f)
          .filter((d) => d.severity === 'error')
          .map((d) => `${d.file}: ${d.code} ${d.message}`),
      ),
      [],
    );
    // The audit phase has a finding (started), the iAI phase only what new wrote from the templates (not started).
    assert.deepEqual(
      ['phase-1', 'Test/Phase_1'].map((id) => svc.status(svc.findPhase(id)!)),
      ['in-progress', 'not-started'],
    );
  });

  it('uses a workspace override only in a trusted workspace', async () => {
    const files = {
      '.phasegate/templates/brief.md.hbs': '# Phase {{phase.number}}: Custom brief for {{phase.id}} on {{date}}\n',
      'phase-1/07-VALIDATION.md': '# Phase 1 Validation\n',
    };
    const trusted = await workspace(files, { trusted: true });
    const t = planNew(trusted.svc, { what: 'brief', phase: 'phase-1', date: DATE });
    assert.equal(t.creates[0].text, `# Phase 1: Custom brief for phase-1 on ${DATE}\n`);
    const untrusted = await workspace(files, { trusted: false });
    const u = planNew(untrusted.svc, { what: 'brief', phase: 'phase-1', date: DATE });
    assert.match(u.creates[0].text, /^## Objectives$/m);
    assert.doesNotMatch(u.creates[0].text, /Custom/);
    // Fix previews (create the missing brief) follow the same choice.
    const create = (svc: PhasegateService) => {
      const d = svc
        .diagnose(`${ROOT}/phase-1/07-VALIDATION.md`)
        .find((x) => x.code === 'missing-document' && String(x.data?.file).endsWith('00-PHASE_BRIEF.md'))!;
      return codeActions(svc, [d])[0].change.creates[0].text;
    };
    assert.match(create(trusted.svc), /Custom brief/);
    assert.doesNotMatch(create(untrusted.svc), /Custom brief/);
  });

  it("escapes a value's trailing ` #` where it ends a heading line of a workspace template, and nowhere else (was: read as the heading's closing `#`s)", async () => {
    const template = [
      '---',
      'title: {{quote phase.heading}}',
      '---',
      '# {{phase.title}}',
      '',
      '## {{phase.title}} ##',
      '',
      'Text {{phase.title}}',
      '',
      '```sh',
      '# {{phase.title}}',
      '```',
      '',
    ].join('\n');
    const { svc } = await workspace({ '.phasegate/templates/brief.md.hbs': template, 'phase-1/00-PHASE_BRIEF.md': '# Phase 1: A\n' }, { trusted: true });
    const plan = planNew(svc, { what: 'phase', folder: 'phase-2', title: 'C #', date: DATE });
    assert.equal(
      plan.creates.find((c) => c.file.endsWith('/00-PHASE_BRIEF.md'))!.text,
      ['---', 'title: "Phase 2: C #"', '---', '# C \\#', '', '## C # ##', '', 'Text C #', '', '```sh', '# C #', '```', ''].join('\n'),
    );
  });

  it('reads overrides from the folder named by templates: in phasegate.yaml', async () => {
    const { svc } = await workspace({
      'phasegate.yaml': 'templates: tpl\n',
      'tpl/decisions.md.hbs':
        '# Phase {{phase.number}} Decisions\n\n## Decision Log\n\n### Decision {{pad 1 2}}: Ours\n\n**Rationale**: {{add phase.number 10}}\n',
      '.phasegate/templates/decisions.md.hbs': '# ignored\n',
      'phase-3/00-PHASE_BRIEF.md': '# Phase 3: X\n',
    });
    const text = planNew(svc, { what: 'decisions', phase: 'phase-3', date: DATE }).creates[0].text;
    assert.equal(text, '# Phase 3 Decisions\n\n## Decision Log\n\n### Decision 01: Ours\n\n**Rationale**: 13\n');
  });

  it('renders no prototype data and runs no code from a hostile template', async () => {
    const g = globalThis as { __phasegatePwned?: unknown };
    const hostile = [
      'A{{constructor.constructor}}B',
      'C{{#with __proto__}}{{constructor}}{{toString}}{{/with}}D',
      'E{{lookup this "constructor"}}F',
      'G{{#with (lookup this "constructor")}}{{name}}{{/with}}H',
      'I{{@root.constructor.name}}{{phase.__proto__.constructor}}{{phase.__defineGetter__}}J',
      'K{{#each phase}}{{@key}}={{this}};{{/each}}L',
    ].join('\n');
    const { svc } = await workspace({ '.phasegate/templates/brief.md.hbs': hostile, 'phase-1/07-VALIDATION.md': '# Phase 1 Validation\n' }, { trusted: true });
    const text = planNew(svc, { what: 'brief', phase: 'phase-1', date: DATE }).creates[0].text;
    const lines = text.split('\n');
    assert.equal(lines[0], 'AB');
    assert.equal(lines[1], 'CD');
    assert.equal(lines[2], 'EF');
    assert.equal(lines[3], 'GH');
    assert.equal(lines[4], 'IJ');
    assert.doesNotMatch(text, /function|native code|Object|constructor/);

    // The classic Handlebars RCE payload, which needs helper calls on data: refused at compile time.
    const rce = [
      '{{#with "s" as |string|}}{{#with "e"}}{{#with split as |conslist|}}{{this.pop}}{{this.push (lookup string.sub "constructor")}}{{this.pop}}',
      '{{#with string.split as |codelist|}}{{this.pop}}{{this.push "globalThis.__phasegatePwned = 1; return 1"}}{{this.pop}}',
      '{{#each conslist}}{{#with (string.sub.apply 0 codelist)}}{{this}}{{/with}}{{/each}}{{/with}}{{/with}}{{/with}}{{/with}}',
    ].join('\n');
    const evil = await workspace({ '.phasegate/templates/brief.md.hbs': rce, 'phase-1/07-VALIDATION.md': '# Phase 1 Validation\n' }, { trusted: true });
    assert.throws(() => planNew(evil.svc, { what: 'brief', phase: 'phase-1', date: DATE }), TemplateError);
    assert.equal(g.__phasegatePwned, undefined);
    // Partials and decorators would reach outside the template: refused, naming the line.
    for (const src of ['ok\n{{> secrets}}', 'ok\n{{#> layout}}x{{/layout}}', 'ok\n{{#*inline "p"}}x{{/inline}}']) {
      const w = await workspace({ '.phasegate/templates/brief.md.hbs': src, 'phase-1/07-VALIDATION.md': '#\n' });
      assert.throws(
        () => planNew(w.svc, { what: 'brief', phase: 'phase-1' }),
        (e: unknown) => e instanceof TemplateError && e.line === 2 && /partial|decorator/.test(e.message),
      );
    }
  });

  it('reports a template syntax error with its file and line, and fix previews fall back to the built-in template', async () => {
    const { svc } = await workspace({
      '.phasegate/templates/validation.md.hbs': '# Phase {{phase.number}} Validation\n\n{{#each layout.gates}}\n## {{name}}\n{{/if}}\n',
      'phase-1/00-PHASE_BRIEF.md': '# Phase 1: Audit\n',
    });
    let err: unknown;
    try {
      planNew(svc, { what: 'validation', phase: 'phase-1' });
    } catch (e) {
      err = e;
    }
    assert.ok(err instanceof TemplateError, String(err));
    assert.equal(err.file, `${ROOT}/.phasegate/templates/validation.md.hbs`);
    assert.equal(err.line, 3);
    assert.match(err.message, /validation\.md\.hbs, line 3: each doesn't match if/);
    assert.deepEqual(
      templateProblems(svc).map((e) => [e.file, e.line]),
      [[`${ROOT}/.phasegate/templates/validation.md.hbs`, 3]],
    );
    const bad = await workspace({ '.phasegate/templates/brief.md.hbs': 'a\n\n{{#if}\n', 'phase-1/07-VALIDATION.md': '#\n' });
    assert.throws(
      () => planNew(bad.svc, { what: 'brief', phase: 'phase-1' }),
      (e: unknown) => e instanceof TemplateError && e.line === 3 && e.file.endsWith('.phasegate/templates/brief.md.hbs') && !e.message.includes('\n'),
    );
    const unknownHelper = await workspace({ '.phasegate/templates/brief.md.hbs': 'x\n{{shell "rm -rf /"}}\n', 'phase-1/07-VALIDATION.md': '#\n' });
    assert.throws(
      () => planNew(unknownHelper.svc, { what: 'brief', phase: 'phase-1' }),
      (e: unknown) => e instanceof TemplateError && /unknown helper shell/.test(e.message),
    );
    // The fix that creates the missing document previews the built-in template.
    const d = svc
      .diagnose(`${ROOT}/phase-1/00-PHASE_BRIEF.md`)
      .find((x) => x.code === 'missing-document' && String(x.data?.file).endsWith('07-VALIDATION.md'))!;
    const created = codeActions(svc, [d])[0].change.creates[0].text;
    assert.match(created, /^## Gate 6: Approval$/m);
    const phase = svc.findPhase('phase-1')!;
    assert.match(renderKind(svc, phase.documents.find((x) => x.spec.kind === 'validation')!.spec, phase), /## Gate 1: Completeness/);
  });

  it('never overwrites: existing files are skipped, and the new phase is numbered after the highest', async () => {
    const { svc } = await workspace({
      'audit/phase-1/00-PHASE_BRIEF.md': '# Phase 1: A\n',
      'audit/phase-4/00-PHASE_BRIEF.md': '# Phase 4: D\n',
      'audit/phase-4/03-FINDINGS/x.md': '# x\n',
    });
    const next = planNew(svc, { what: 'phase', layout: 'audit', date: DATE });
    assert.ok(next.creates.every((c) => c.file.startsWith(`${ROOT}/audit/phase-5/`)));
    assert.equal(next.skipped.length, 0);
    // Phase 4 again: only what is missing is created; the brief and the findings folder are skipped.
    const again = planNew(svc, { what: 'phase', layout: 'audit', number: 4, date: DATE });
    assert.deepEqual(again.skipped, [
      { file: `${ROOT}/audit/phase-4/00-PHASE_BRIEF.md`, reason: 'already exists' },
      { file: `${ROOT}/audit/phase-4/03-FINDINGS`, reason: 'already exists' },
    ]);
    assert.ok(!again.creates.some((c) => c.file.endsWith('00-PHASE_BRIEF.md') || c.file.includes('03-FINDINGS')));
    assert.ok(again.creates.some((c) => c.file === `${ROOT}/audit/phase-4/04-ARTIFACTS/.gitkeep`));
    const brief = planNew(svc, { what: 'brief', phase: 'phase-1' });
    assert.deepEqual(brief, { creates: [], edits: [], skipped: [{ file: `${ROOT}/audit/phase-1/00-PHASE_BRIEF.md`, reason: 'already exists' }] });
    assert.throws(() => planNew(svc, { what: 'response', phase: 'phase-1' }), ScaffoldError);
    assert.throws(() => planNew(svc, { what: 'brief', phase: 'phase-9' }), /no phase 'phase-9'/);
    assert.throws(() => planNew(svc, { what: 'phase', layout: 'audit', root: '../elsewhere' }), /outside the workspace/);
  });

  it('numbers an iAI phase after the highest of its workstream and keeps the other workstreams apart', async () => {
    const { svc } = await workspace({
      'workstreams/Build/Phase_1_CI/implementation_prompt.md': '# Build Phase 1\n',
      'workstreams/Build/Phase_3_Artifacts/implementation_prompt.md': '# Build Phase 3\n',
      'workstreams/Test/Phase_1_Unit/implementation_prompt.md': '# Test Phase 1\n',
    });
    assert.equal(
      planNew(svc, { what: 'phase', workstream: 'Build', title: 'Release: Notes/Docs', date: DATE }).creates[0].file,
      `${ROOT}/workstreams/Build/Phase_4_Release_Notes_Docs/implementation_prompt.md`,
    );
    assert.equal(planNew(svc, { what: 'prompt', workstream: 'Test', date: DATE }).creates[0].file, `${ROOT}/workstreams/Test/Phase_2/implementation_prompt.md`);
    assert.equal(
      planNew(svc, { what: 'phase', workstream: 'Deploy', date: DATE }).creates[0].file,
      `${ROOT}/workstreams/Deploy/Phase_1/implementation_prompt.md`,
    );
    assert.deepEqual(
      planNew(svc, { what: 'prompt', phase: 'Build/Phase_1_CI' }).skipped.map((s) => s.file),
      [`${ROOT}/workstreams/Build/Phase_1_CI/implementation_prompt.md`],
    );
    assert.throws(() => planNew(svc, { what: 'phase', layout: 'iai' }), /needs a workstream \(one of: Build, Test\)/);
    assert.throws(() => planNew(svc, { what: 'phase', layout: 'iai', workstream: '../x' }), ScaffoldError);
  });

  it('ships Markdown snippets that write what the rules read', () => {
    const file = path.join(REPO, 'snippets', 'phasegate.code-snippets.json');
    const snippets = JSON.parse(fsNode.readFileSync(file, 'utf8')) as Record<string, { prefix: string | string[]; body: string[]; description: string }>;
    const expand = (body: string[]) =>
      body
        .join('\n')
        .replace(/\$\{\d+\|([^,|]*)[^|]*\|\}/g, '$1')
        .replace(/\$CURRENT_YEAR-\$CURRENT_MONTH-\$CURRENT_DATE/g, DATE)
        // The folder's phase (snippets.test.ts checks the transform itself).
        .replace(/\$\{TM_DIRECTORY\/[^}]*\}/g, 'phase-1')
        .replace(/\$\{\d+:((?:[^{}]|\$\{\d+:[^{}]*\})*)\}/g, (_m, d: string) => d.replace(/\$\{\d+:([^{}]*)\}/g, '$1'))
        .replace(/\$\d+/g, '');
    for (const [name, s] of Object.entries(snippets)) {
      assert.ok(s.prefix.length && Array.isArray(s.body) && s.description, name);
      assert.doesNotMatch(expand(s.body), /\$\{|\$\d/, name);
    }
    const body = (name: string) => expand(snippets[name].body);
    // Left at their defaults, they hold the templates' placeholders (unfilled-placeholder), no path that does not
    // exist, and no text that would pass for the author's (a rationale, a test run's output).
    assert.match(body('Phasegate: decision (decisions log)'), /^### Decision 1: \[Title\]\n[\s\S]*\*\*Rationale\*\*: \[Why/);
    assert.equal(body('Phasegate: risk'), '- Risk: [Impact] - [Mitigation]');
    assert.equal(body('Phasegate: decision (handoff item)'), '- Decision: [What was decided] → [Why]');
    assert.match(body('Phasegate: gate checklist (audit)'), /^## Gate 1: Completeness\n\n- \[ \] \[Criterion\] — Evidence: \[Evidence\]$/m);
    assert.match(body('Phasegate: artifact item'), /^- Artifact: \[Location\] - \[Purpose\]$/);
    assert.match(
      body('Phasegate: success metrics table'),
      /\| Metric \| Target \| Actual \|\n\|---\|---\|---\|\n\| Code coverage \| \[Target\] \| \[Actual\] \|/,
    );
    assert.match(body('Phasegate: execution proof'), /## Execution Proof\n\nCommand: \[Test command\]\n\n```text\n\[Output of the test run\]\n```/);
  });

  it('checks the snippets against the engine: a decisions file and a response built from them pass once filled in, not before', async () => {
    const snippets = JSON.parse(fsNode.readFileSync(path.join(REPO, 'snippets', 'phasegate.code-snippets.json'), 'utf8')) as Record<string, { body: string[] }>;
    // What an author writes over the defaults: a test run's command and output, a test file; elsewhere the default's words.
    const written: Record<string, string> = {
      '[Test command]': '`npm test`',
      '[Output of the test run]': '12 passed, 0 failed',
      '[Test file]': '`tests/test_feature.py`',
    };
    const fill = (d: string) => (filled ? d.replace(/^\[(.*)\]$/, (m, words: string) => written[m] ?? words) : d);
    let filled = true;
    const expand = (name: string) =>
      snippets[name].body
        .join('\n')
        .replace(/\$\{\d+\|([^,|]*)[^|]*\|\}/g, '$1')
        .replace(/\$CURRENT_YEAR-\$CURRENT_MONTH-\$CURRENT_DATE/g, DATE)
        .replace(/\$\{\d+:((?:[^{}]|\$\{\d+:[^{}]*\})*)\}/g, (_m, d: string) => fill(d.replace(/\$\{\d+:([^{}]*)\}/g, (_n, e: string) => fill(e))))
        .replace(/\$\d+/g, '');
    const files = () => ({
      'phase-1/05-DECISIONS.md': `${expand('Phasegate: front matter')}\n# Phase 1 Decisions\n\n## Decision Log\n\n${expand('Phasegate: decision (decisions log)')}\n`,
      'workstreams/Build/Phase_1_CI/implementation_prompt.md': '# Build Phase 1\n\n## Deliverables\n\n- A pipeline\n',
      'workstreams/Build/Phase_1_CI/implementation_response_from_AI.md': `# Build Phase 1 Response\n\n## Summary\n\nDone.\n\n## Deliverables\n\n- A pipeline: done\n\n${expand('Phasegate: tests section')}\n${expand('Phasegate: execution proof')}\n`,
    });
    filled = false;
    const atDefaults = await workspace(files());
    const unfilled = (f: string) => atDefaults.svc.diagnose(`${ROOT}/${f}`).map((d) => d.code);
    assert.ok(unfilled('phase-1/05-DECISIONS.md').includes('unfilled-placeholder'));
    assert.ok(unfilled('workstreams/Build/Phase_1_CI/implementation_response_from_AI.md').includes('missing-test-proof'));
    filled = true;
    const { svc } = await workspace(files());
    const codes = (f: string) => svc.diagnose(`${ROOT}/${f}`).map((d) => d.code);
    // The lone decisions file also anchors its phase's missing documents; nothing else is wrong with it.
    assert.deepEqual(
      errors(svc, `${ROOT}/phase-1/05-DECISIONS.md`).filter((d) => d.code !== 'missing-document'),
      [],
    );
    assert.ok(!codes('phase-1/05-DECISIONS.md').includes('decision-without-rationale'));
    assert.deepEqual(
      codes('workstreams/Build/Phase_1_CI/implementation_response_from_AI.md').filter((c) => /test/.test(c)),
      [],
    );
  });
});

describe('templates in a custom layout', () => {
  const MISSION =
    'layouts:\n  - name: mission\n    phases: "ops/missions/*"\n    number: "^M-(\\\\d+)"\n    documents:\n' +
    '      - kind: brief\n        file: CHARTER.md\n        heading: "Mission {N} Charter"\n' +
    '        sections: [Goals, {title: Crew, aliases: [Team], description: Who takes part.}, "Mission {N+1} Plans"]\n' +
    '      - kind: validation\n        file: checks/QA.md\n        sections: [Go/No-Go]\n' +
    '      - kind: input-handoff\n        file: IN.md\n' +
    '      - {kind: log, file: LOG.md, heading: "Log {N}: ", sections: [Timeline]}\n' +
    '    gates:\n      - {name: Sign Off, failOn: [missing-section, empty-section, heading-mismatch]}\n';

  it('writes the sections and heading a custom layout declares for a built-in kind: filled in, the phase passes', async () => {
    const { svc, fs } = await workspace({ 'phasegate.yaml': MISSION });
    assert.deepEqual(svc.config.problems, []);
    const plan = planNew(svc, { what: 'phase', folder: 'ops/missions/M-1-kickoff', date: DATE });
    const text = (f: string) => plan.creates.find((c) => c.file === `${ROOT}/ops/missions/M-1-kickoff/${f}`)!.text;
    assert.equal(
      text('CHARTER.md'),
      `---\nphase: "ops/missions/M-1-kickoff"\ntitle: "Mission 1 Charter"\nstatus: draft  # draft | in-progress | review | complete | blocked\ndate: "${DATE}"\n---\n\n# Mission 1 Charter\n\n` +
        '## Goals\n\n[Content]\n\n## Crew\n\n[Who takes part]\n\n## Mission 2 Plans\n\n[Content]\n',
    );
    assert.match(text('checks/QA.md'), /\n# Phase 1 Validation\n\n## Go\/No-Go\n\n\[Content\]\n$/);
    // A heading that ends in `: ` is followed by the phase's title, as the audit brief's `Phase {N}: ` is.
    assert.equal(text('LOG.md'), '# Log 1: [Phase title]\n\n## Timeline\n\n[Content]\n');
    const titled = planNew(svc, { what: 'phase', folder: 'ops/missions/M-1-kickoff', title: 'Harbour', date: DATE });
    assert.match(titled.creates.find((c) => c.file.endsWith('LOG.md'))!.text, /^# Log 1: Harbour$/m);
    // A document that declares no sections of its own keeps the built-in template.
    assert.match(text('IN.md'), /\n## Source\n\n\[Starting point of the phase\]\n/);
    write(fs, plan, (_f, t) => fill(t, { location: 'CHARTER.md' }));
    await svc.load(ROOT);
    assert.deepEqual(problems(svc, md(plan)), []);
    const phase = svc.findPhase('ops/missions/M-1-kickoff')!;
    assert.deepEqual(
      svc.gates(phase).map((g) => `${g.name}: ${g.status}`),
      ['Sign Off: passed'],
    );
  });

  it("keeps the built-in template where it holds the declared sections in order, and the built-in layouts' output as it was", async () => {
    const { svc } = await workspace({
      'phasegate.yaml':
        'layouts:\n  - name: sprint\n    phases: "sprints/*"\n    number: "sprint-(\\\\d+)"\n    documents:\n' +
        '      - {kind: brief, file: GOALS.md, sections: [{title: Goals, aliases: [Objectives]}, Deliverables]}\n',
    });
    const brief = planNew(svc, { what: 'phase', folder: 'sprints/sprint-1', date: DATE }).creates[0].text;
    assert.match(brief, /\n# Phase 1: \[Phase title\]\n\n## Objectives\n\n- \[Objective\]\n\n## Scope\n/);
    // Every document of the built-in layouts renders the same with its document context as without it.
    for (const layout of [AUDIT_LAYOUT, IAI_LAYOUT])
      for (const spec of [...layout.documents, PLAN_KIND]) {
        const ctx = () =>
          baseContext(
            svc,
            { id: 'phase-3', number: 3, title: 'CI', workstream: layout.workstreams ? 'Build' : undefined, folder: `${ROOT}/phase-3`, layout },
            DATE,
          );
        const withDoc = ctx();
        withDoc.document = documentContext(spec, withDoc);
        assert.equal(withDoc.document.ownSections, false, spec.kind);
        assert.equal(withDoc.document.heading, undefined, spec.kind);
        // (Only the response names its prompt, which the document context gives.)
        const rendered = renderTemplate(svc, spec.template!, withDoc)!.replace(/^prompt: "implementation_prompt\.md"\n/m, '');
        assert.equal(rendered, renderTemplate(svc, spec.template!, ctx()), spec.kind);
      }
  });

  it("fills a custom layout's new input handoff from the previous phase's output handoff, as the audit layout's", async () => {
    const { svc, fs } = await workspace({
      'phasegate.yaml':
        'layouts:\n  - name: sprint\n    phases: "work/sprint-*"\n    number: "sprint-(\\\\d+)"\n    documents:\n' +
        '      - {kind: input-handoff, file: 01-in.md}\n      - {kind: output-handoff, file: 06-out.md}\n' +
        '    gates:\n      - {name: Done, failOn: [handoff-mismatch]}\n',
      'work/sprint-1/report.md': '# Report\n',
    });
    assert.deepEqual(svc.config.problems, []);
    const first = planNew(svc, { what: 'phase', folder: 'work/sprint-1', date: DATE });
    write(fs, first, (_f, t) => fill(t, { location: 'report.md' }));
    await svc.load(ROOT);
    const next = planNew(svc, { what: 'phase', layout: 'sprint', date: DATE });
    const input = next.creates.find((c) => c.file === `${ROOT}/work/sprint-2/01-in.md`)!;
    assert.match(input.text, /^from: "work\/sprint-1"$/m);
    assert.match(input.text, /## Source\n\nOutput handoff of Phase 1: \[sprint-1\/06-out\.md\]\(\.\.\/sprint-1\/06-out\.md\)\n/);
    assert.match(input.text, /## Inputs Received\n\n- Input: \[report\]\(\.\.\/sprint-1\/report\.md\) - Filled in for description\n/);
    write(fs, next, (_f, t) => fill(t, { location: '../sprint-1/report.md' }));
    await svc.load(ROOT);
    assert.deepEqual(problems(svc, [...md(first), ...md(next)]), []);
    assert.deepEqual(
      svc.gates(svc.findPhase('work/sprint-2')!).map((g) => `${g.name}: ${g.status}`),
      ['Done: passed'],
    );
  });

  it("names the layout's own prompt file in a response's front matter, relative to the response", async () => {
    const layout = (response: string) =>
      'layouts:\n  - name: s\n    phases: "s/*"\n    number: "s-(\\\\d+)"\n    documents:\n' +
      `      - {kind: prompt, file: PROMPT.md}\n      - {kind: response, file: ${response}}\n`;
    for (const [response, prompt] of [
      ['RESPONSE.md', 'PROMPT.md'],
      ['docs/RESPONSE.md', '../PROMPT.md'],
    ]) {
      const { svc } = await workspace({ 'phasegate.yaml': layout(response) });
      const text = planNew(svc, { what: 'phase', folder: 's/s-1', date: DATE }).creates.find((c) => c.file.endsWith('RESPONSE.md'))!.text;
      assert.match(text, new RegExp(`^prompt: "${prompt.replace(/\./g, '\\.')}"$`, 'm'), response);
    }
    // The iAI layout's, as before; a layout without a prompt names none.
    const iai = await workspace({ 'workstreams/Build/Phase_1_CI/implementation_prompt.md': '# Build Phase 1: CI\n' });
    assert.match(planNew(iai.svc, { what: 'response', phase: 'Build/Phase_1_CI', date: DATE }).creates[0].text, /^prompt: "implementation_prompt\.md"$/m);
    const alone = await workspace({
      'phasegate.yaml': 'layouts:\n  - name: s\n    phases: "s/*"\n    documents:\n      - {kind: response, file: R.md}\n',
    });
    assert.doesNotMatch(planNew(alone.svc, { what: 'phase', folder: 's/s-1', date: DATE }).creates[0].text, /^prompt:/m);
  });

  it('gives workspace templates the document: its heading and sections', async () => {
    const { svc } = await workspace(
      {
        'phasegate.yaml': MISSION,
        '.phasegate/templates/brief.md.hbs':
          '# {{document.heading}} ({{document.name}}, {{document.file}}, {{document.ownSections}})\n{{#each document.sections}}\n## {{title}}\n\n{{placeholder}} {{required}}\n{{/each}}',
      },
      { trusted: true },
    );
    const plan = planNew(svc, { what: 'phase', folder: 'ops/missions/M-4-x', date: DATE });
    assert.equal(
      plan.creates[0].text,
      '# Mission 4 Charter (Phase brief, CHARTER.md, true)\n## Goals\n\n[Content] true\n## Crew\n\n[Who takes part] true\n## Mission 5 Plans\n\n[Content] true\n',
    );
  });
});

describe('templates named by the config', () => {
  const LAYOUT = (template: string, more = '') =>
    `${more}layouts:\n  - name: sprint\n    phases: "sprints/*"\n    documents:\n      - {kind: goals, file: GOALS.md, template: ${template}, sections: [Objectives]}\n`;
  const configProblems = (svc: PhasegateService) =>
    svc.config.problems.map((p) => `${p.range.start.line}:${p.range.start.character} ${p.severity} ${p.code}: ${p.message}`);

  it('a template: that names no template, and a templates: folder that does not exist, are invalid-config at their values', async () => {
    const { svc } = await workspace({ 'phasegate.yaml': LAYOUT('sprint-goals-typo', 'templates: nope/templates\n') }, { trusted: true });
    assert.deepEqual(configProblems(svc), [
      "0:11 error invalid-config: templates folder 'nope/templates' does not exist; the built-in templates apply",
      '5:48 error invalid-config: layouts[0].documents[0].template: `sprint-goals-typo` names no template, neither a workspace one (nope/templates/sprint-goals-typo.md.hbs) nor a built-in one',
    ]);
    // A misspelt built-in or workspace template: did you mean.
    const typo = await workspace({ 'phasegate.yaml': LAYOUT('breif', 'templates: tpl\n'), 'tpl/sprint-goals.md.hbs': '# Goals\n' }, { trusted: true });
    assert.deepEqual(configProblems(typo.svc), [
      '5:48 error invalid-config: layouts[0].documents[0].template: `breif` names no template, neither a workspace one (tpl/breif.md.hbs) nor a built-in one: did you mean `brief`?',
    ]);
    const near = await workspace({ 'phasegate.yaml': LAYOUT('sprint-gaols', 'templates: tpl\n'), 'tpl/sprint-goals.md.hbs': '# Goals\n' }, { trusted: true });
    assert.match(configProblems(near.svc).join('\n'), /did you mean `sprint-goals`\?$/);
    // A file where the folder should be.
    const file = await workspace({ 'phasegate.yaml': 'templates: tpl\n', tpl: 'not a folder\n' }, { trusted: true });
    assert.deepEqual(configProblems(file.svc), [
      "0:11 error invalid-config: templates folder 'tpl' is not a folder; it is not read and the built-in templates apply",
    ]);
  });

  it('a template there, or the default folder absent, is no problem; an untrusted workspace, which reads no workspace template, reports none', async () => {
    for (const files of <Record<string, string>[]>[
      { 'phasegate.yaml': LAYOUT('sprint-goals', 'templates: tpl\n'), 'tpl/sprint-goals.md.hbs': '# Goals\n' },
      { 'phasegate.yaml': LAYOUT('brief', 'templates: .phasegate/templates\n') },
      { 'phasegate.yaml': LAYOUT('sprint-goals'), '.phasegate/templates/sprint-goals.md.hbs': '# Goals\n' },
    ]) {
      const { svc } = await workspace(files, { trusted: true });
      assert.deepEqual(configProblems(svc), [], JSON.stringify(files));
    }
    const untrusted = await workspace({ 'phasegate.yaml': LAYOUT('sprint-goals') }, { trusted: false });
    assert.deepEqual(configProblems(untrusted.svc), []);
  });

  it('a template named after the workspace loaded is reported, and no more once it is there', async () => {
    const { svc, fs } = await workspace({ 'phasegate.yaml': LAYOUT('sprint-goals'), '.phasegate/templates/other.md.hbs': '# Other\n' }, { trusted: true });
    assert.equal(configProblems(svc).length, 1);
    fs.write(`${ROOT}/.phasegate/templates/sprint-goals.md.hbs`, '# Goals\n');
    assert.deepEqual(await svc.filesChanged([{ path: `${ROOT}/.phasegate/templates/sprint-goals.md.hbs`, type: 'created' }]), [`${ROOT}/phasegate.yaml`]);
    assert.deepEqual(configProblems(svc), []);
  });
});

describe('phase titles', () => {
  it('keep what code spans hold and a front matter title as written, dropping emphasis elsewhere', async () => {
    const { svc } = await workspace({
      'phase-1/00-PHASE_BRIEF.md': '# Phase 1: Package `__init__.py` modules and lint `*.yml` with **care**\n',
      'phase-2/00-PHASE_BRIEF.md': '---\nphase: 2\ntitle: Refactor __init__ and *args\n---\n\nNo heading yet.\n',
      'phase-3/00-PHASE_BRIEF.md': '# **Phase 3: Use ``a `*` b`` in _docs_**\n',
    });
    const title = (id: string) => phaseTitle(svc, svc.findPhase(id)!);
    assert.equal(title('phase-1'), 'Package `__init__.py` modules and lint `*.yml` with care');
    assert.equal(title('phase-2'), 'Refactor __init__ and *args');
    assert.equal(title('phase-3'), 'Use ``a `*` b`` in docs');
  });
});
