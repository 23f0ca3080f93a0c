// Benchmark workspace generator: N audit phases and N iAI phases with realistic content (modelled on
// the two seeds) and a few deliberate defects, deterministically from a seed: the same (n, seed) always
// writes the same bytes. Each phase draws from its own random stream, so phase k reads the same at any N.
//
//   node bench/generate.mjs [--n 1000] [--seed 1] [--out bench/work/ws-1000-1]
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Bump when the generated content changes, so cached workspaces are rebuilt. */
export const GENERATOR_VERSION = 8;
export const AUDIT_ROOT = 'audit-deployment';
export const IAI_ROOT = 'all_use_iai_project';
/** One audit phase in this many gets a 500-line execution plan (the per-edit benchmark's document). */
const LONG_EVERY = 250;
const LONG_OFFSET = 100;
/** One phase in this many carries a defect. */
const DEFECT_EVERY = 20;

// ---------------------------------------------------------------- randomness

/** FNV-1a over a string, for seeding per-phase streams. */
function hash(s) {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** mulberry32: small, fast, good enough for picking words. */
function prng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: (xs) => xs[Math.floor(next() * xs.length)],
    chance: (p) => next() < p,
    /** k distinct elements of xs, in their original order. */
    sample: (xs, k) => {
      const idx = xs.map((_, i) => i);
      for (let i = idx.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [idx[i], idx[j]] = [idx[j], idx[i]];
      }
      return idx
        .slice(0, Math.min(k, xs.length))
        .sort((x, y) => x - y)
        .map((i) => xs[i]);
    },
  };
}

// ---------------------------------------------------------------- vocabulary (from the seeds)

const AUDIT_THEMES = [
  {
    title: 'Foundation Audit & Baseline',
    slug: 'report',
    deliverables: [
      'Code quality audit report',
      'Dependency vulnerability scan',
      'Test coverage analysis',
      'Security baseline assessment',
      'Technical debt inventory',
      'Prioritized remediation roadmap',
    ],
    tools: ['pytest-cov', 'bandit', 'safety', 'mypy', 'pylint'],
    metrics: 0,
  },
  {
    title: 'Testing & Quality Enhancement',
    slug: 'test-suite',
    deliverables: [
      'Expanded test coverage (>80%)',
      'Integration test suite',
      'Performance test framework',
      'Enhanced CI/CD pipeline',
      'Quality metrics dashboard',
      'Pre-commit hooks',
    ],
    tools: ['pytest', 'locust', 'GitHub Actions'],
    metrics: 0,
  },
  {
    title: 'Containerization & Packaging',
    slug: 'containers',
    deliverables: [
      'Dockerfile and multi-stage builds',
      'Docker Compose setup',
      'Container registry integration',
      'Image scanning pipeline',
      'Local deployment guide',
      'Container health checks',
    ],
    tools: ['Docker', 'docker-compose', 'Trivy'],
    metrics: 1,
  },
  {
    title: 'Infrastructure as Code',
    slug: 'iac',
    deliverables: [
      'Terraform/CloudFormation modules',
      'Environment configurations (dev/staging/prod)',
      'Network architecture',
      'Secrets management setup',
      'IAM policies and roles',
      'Infrastructure documentation',
    ],
    tools: ['Terraform', 'AWS CLI', 'Vault'],
    metrics: 1,
  },
  {
    title: 'Deployment Pipeline',
    slug: 'pipeline',
    deliverables: [
      'GitHub Actions deployment workflows',
      'Environment promotion strategy',
      'Blue-green deployment setup',
      'Rollback procedures',
      'Deployment runbooks',
      'Smoke test suite',
    ],
    tools: ['GitHub Actions', 'ArgoCD', 'Helm'],
    metrics: 1,
  },
  {
    title: 'Monitoring & Observability',
    slug: 'observability',
    deliverables: [
      'Centralized logging setup',
      'Metrics collection and dashboards',
      'Alerting rules and notifications',
      'Distributed tracing',
      'SLO/SLA definitions',
      'Incident response playbook',
    ],
    tools: ['Prometheus', 'Grafana', 'ELK', 'Jaeger'],
    metrics: 2,
  },
  {
    title: 'Security Hardening',
    slug: 'security',
    deliverables: [
      'Secrets management implementation',
      'Security scanning automation',
      'RBAC and IAM hardening',
      'Compliance documentation',
      'Security audit report',
      'Penetration test results',
    ],
    tools: ['Snyk', 'OWASP ZAP', 'AWS Security Hub'],
    metrics: 2,
  },
  {
    title: 'Production Readiness',
    slug: 'readiness',
    deliverables: [
      'Load testing results',
      'Disaster recovery plan',
      'Complete operations manual',
      'Production deployment guide',
      'Team training materials',
      'Go-live checklist',
    ],
    tools: ['k6', 'Chaos Monkey', 'Runbook automation'],
    metrics: 2,
  },
];

/** Success metrics of the seed, by group: [name, target, a passing actual]. */
const METRIC_GROUPS = [
  [
    ['Code coverage', '> 80%', ['84%', '87%', '91%']],
    ['Critical vulnerabilities', '0', ['0']],
    ['High vulnerabilities', '< 5', ['2', '3', '1']],
    ['Test execution time', '< 5 minutes', ['3 minutes', '4 minutes']],
    ['Documentation coverage', '100%', ['100%']],
  ],
  [
    ['Container build time', '< 5 minutes', ['3 minutes', '4 minutes']],
    ['Deployment time', '< 10 minutes', ['6 minutes', '8 minutes']],
    ['Rollback time', '< 2 minutes', ['1 minutes', '90 seconds']],
    ['Infrastructure provisioning', '< 15 minutes', ['11 minutes', '12 minutes']],
  ],
  [
    ['Alert response time', '< 5 minutes', ['2 minutes', '3 minutes']],
    ['Log retention', '>= 30 days', ['30 days', '45 days']],
    ['Uptime SLA', '>= 99.9%', ['99.95%', '99.92%']],
    ['Mean time to recovery', '< 30 minutes', ['18 minutes', '22 minutes']],
  ],
];

const OWNERS = ['DevOps Team', 'Platform Team', 'Security Team', 'QA Team', 'Operations Team', 'Engineering Lead'];
const COMPONENTS = [
  'data pipeline',
  'protocol engine',
  'account watchdog',
  'operations monitor',
  'reporting service',
  'compliance module',
  'web UI',
  'API gateway',
];
const VERBS = ['reviewed', 'measured', 'hardened', 'documented', 'automated', 'validated', 'refactored', 'instrumented'];
const ADJ = ['critical', 'legacy', 'shared', 'customer-facing', 'internal', 'batch', 'streaming', 'stateful'];
const FINDING_TOPICS = ['dependencies', 'coverage', 'secrets', 'performance', 'logging', 'configuration', 'access-control', 'build-times'];
const ARTIFACTS = [
  ['ci.yml', 'CI workflow'],
  ['Dockerfile', 'Multi-stage container build'],
  ['docker-compose.yml', 'Local stack'],
  ['main.tf', 'Terraform module'],
  ['alerts.yml', 'Alerting rules'],
  ['scan.sh', 'Scan script'],
  ['helm-values.yaml', 'Helm values'],
  ['runbook.md', 'Operations runbook'],
];

const WORKSTREAMS = [
  'Build',
  'Deploy',
  'Test',
  'Data_Pipeline',
  'Protocol_Engine',
  'Account_Watchdog',
  'Operations_Monitoring',
  'Reporting',
  'Compliance',
  'Web_UI',
];
const IAI_TOPICS = [
  [
    'Source_Code_Management',
    'Source Code Management & Initial CI Setup',
    ['Git branching model', 'CI workflow for builds on pull requests', 'Linter integration', 'Basic SAST scan'],
  ],
  [
    'Dependency_Management',
    'Dependency Management & Containerization',
    ['Pinned Python dependencies', 'Node.js lockfiles', 'Dockerfile per service', 'Private registry configuration'],
  ],
  ['Artifact_Management', 'Advanced CI & Artifact Management', ['CI cache configuration', 'Artifact versioning scheme', 'Artifact repository upload step']],
  [
    'Environment_Configuration',
    'Environment Configuration & Management',
    ['config_manager.py environments', 'Secrets management strategy', 'Environment validation command'],
  ],
  [
    'Staging_Deployment',
    'Staging Deployment & CD Pipeline Setup',
    ['Docker Compose staging stack', 'CD pipeline for staging', 'Post-deployment health checks'],
  ],
  [
    'Production_Deployment',
    'Production Deployment & Infrastructure as Code',
    ['Blue/green deployment strategy', 'Terraform core infrastructure', 'Rollback plan', 'Production monitoring hooks'],
  ],
  [
    'Unit_Integration_Testing',
    'Unit & Integration Testing Setup & Execution',
    ['PyTest suite for core modules', 'Jest suite for the web UI', 'Coverage gate in CI'],
  ],
  [
    'E2E_Security_Testing',
    'E2E, Security & Compliance Testing Integration',
    ['Playwright E2E suite for critical flows', 'DAST scan in CI', 'Compliance policy checks'],
  ],
  ['Performance_UAT', 'Performance & User Acceptance Testing Execution', ['k6 load test scenarios', 'UAT scenario catalogue', 'Feedback triage board']],
  [
    'Audit_Improvement',
    'Advanced Testing, Auditing & Continuous Improvement',
    ['External audit preparation pack', 'Audit finding workflow', 'Mutation testing pilot'],
  ],
];
const TEST_RUNNERS = [
  (p, t) =>
    `============================= test session starts ==============================\ncollected ${p} items\n\ntests/test_core.py ${'.'.repeat(Math.min(p, 40))}\n\n============================== ${p} passed in ${t}s ===============================`,
  (p, t) =>
    `PASS  src/__tests__/service.test.ts\nPASS  src/__tests__/config.test.ts\n\nTest Suites: 2 passed, 2 total\nTests:       ${p} passed, ${p} total\nTime:        ${t} s`,
  (p, t) => `  service\n    ✔ starts\n    ✔ reads its config\n\n  ${p} passing (${Math.round(t * 1000)}ms)`,
];

// ---------------------------------------------------------------- text helpers

const cap = (s) => s[0].toUpperCase() + s.slice(1);

function sentence(r) {
  return `${cap(r.pick(ADJ))} ${r.pick(COMPONENTS)} paths were ${r.pick(VERBS)} and the results recorded for the ${r.pick(ADJ)} ${r.pick(COMPONENTS)}.`;
}

function para(r, k) {
  return Array.from({ length: k }, () => sentence(r)).join(' ');
}

function date(n) {
  const d = new Date(Date.UTC(2025, 0, 1) + (n - 1) * 14 * 86400000);
  return d.toISOString().slice(0, 10);
}

function frontMatter(fields) {
  const lines = Object.entries(fields).map(([k, v]) => `${k}: ${typeof v === 'string' && /[:#'"]/.test(v) ? JSON.stringify(v) : v}`);
  return `---\n${lines.join('\n')}\n---\n\n`;
}

function slugify(s) {
  return s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

// ---------------------------------------------------------------- audit layout

/** The plan of one audit phase: everything the documents of it and of its neighbours agree on. */
function auditPlan(n, seed) {
  const r = prng(hash(`${seed}:audit:${n}`));
  const theme = AUDIT_THEMES[(n - 1) % AUDIT_THEMES.length];
  const cycle = Math.floor((n - 1) / AUDIT_THEMES.length) + 1;
  const title = cycle > 1 ? `${theme.title} (Cycle ${cycle})` : theme.title;
  const findings = ['report', ...r.sample(FINDING_TOPICS, 1)];
  const artifacts = r.sample(ARTIFACTS, 2);
  const inputs = [
    { name: 'Audit report', file: `03-FINDINGS/${findings[0]}.md`, desc: `${theme.title} findings and baseline` },
    { name: cap(findings[1].replace(/-/g, ' ')) + ' analysis', file: `03-FINDINGS/${findings[1]}.md`, desc: 'Detailed analysis with severities' },
    { name: artifacts[0][1], file: `04-ARTIFACTS/${artifacts[0][0]}`, desc: 'Produced artifact to build on' },
  ];
  const prerequisites = [`${theme.deliverables[0]} reviewed`, `Access to the ${r.pick(COMPONENTS)} granted`];
  const defect = n % DEFECT_EVERY === 7 ? r.pick(AUDIT_DEFECTS) : undefined;
  return { n, r, theme, title, findings, artifacts, inputs, prerequisites, defect, owner: r.pick(OWNERS) };
}

const AUDIT_DEFECTS = [
  'missing-section',
  'empty-section',
  'unfilled-placeholder',
  'broken-link',
  'gate-item-unchecked',
  'gate-item-no-evidence',
  'metric-threshold',
  'decision-without-rationale',
  'risk-without-mitigation',
  'handoff-mismatch',
  'missing-document',
  'front-matter-schema',
  'invalid-front-matter',
  'heading-mismatch',
];

function risks(r, p, broken) {
  const out = [];
  for (let i = 0; i < 3; i++) {
    const c = r.pick(COMPONENTS);
    if (broken && i === 1) out.push(`- Risk: ${cap(c)} outage during the change window`);
    else
      out.push(
        `- Risk: ${cap(c)} regressions delay the phase - ${r.pick(['feature flags and staged rollout', 'a rollback rehearsal before go-live', 'pairing with the owning team', 'extra soak time in staging'])}`,
      );
  }
  void p;
  return out.join('\n');
}

function brief(p) {
  const { n, r, theme, title, defect } = p;
  const group = METRIC_GROUPS[theme.metrics];
  let s = frontMatter({ phase: n, title, status: 'complete', owner: p.owner, date: date(n) });
  s += `# Phase ${defect === 'heading-mismatch' ? n + 1 : n}: ${title}\n\n`;
  s += `## Objectives\n\n${defect === 'unfilled-placeholder' ? '[Describe the phase objectives]' : para(r, 3)}\n\n`;
  // The defect drops a section the seed asks a brief for ("objectives and scope").
  if (defect !== 'missing-section')
    s += `## Scope\n\n**In scope**: the ${r.pick(COMPONENTS)}, the ${r.pick(COMPONENTS)} and their CI jobs.\n\n**Out of scope**: ${r.pick(COMPONENTS)} rewrites.\n\n`;
  s += `## Deliverables\n\n${theme.deliverables.map((d) => `- ${d}`).join('\n')}\n\n`;
  s += `## Success Metrics\n\n| Metric | Target |\n| --- | --- |\n${group.map(([m, t]) => `| ${m} | ${t} |`).join('\n')}\n\n`;
  s += `## Risks\n\n${risks(r, p, defect === 'risk-without-mitigation')}\n`;
  return s;
}

function inputHandoff(p, prev) {
  const { n, r } = p;
  let s = frontMatter({ phase: n, title: `Phase ${n} Input Handoff`, status: 'complete', date: date(n) });
  s += `# Phase ${n} Input Handoff\n\n`;
  if (!prev) {
    s += `## Source\n\nCurrent codebase at the start of the project; no previous phase.\n\n`;
    s += `## Inputs Received\n\n- Input 1: [Repository](../../README.md) - Current codebase\n\n`;
    s += `## Prerequisites\n\n- [x] Repository access confirmed\n\n`;
  } else {
    s += `## Source\n\n[Phase ${prev.n} output handoff](../phase-${prev.n}/06-OUTPUT_HANDOFF.md), received on ${date(n)}.\n\n`;
    let inputs = prev.inputs;
    if (p.defect === 'handoff-mismatch')
      inputs = [...inputs.slice(0, 2), { name: 'Extra baseline', file: '03-FINDINGS/extra-baseline.md', desc: 'Not handed off' }];
    s += `## Inputs Received\n\n${inputs.map((x, i) => `- Input ${i + 1}: [${x.name}](../phase-${prev.n}/${x.file}) - ${x.desc}`).join('\n')}\n\n`;
    s += `## Prerequisites\n\n${prev.prerequisites.map((x) => `- [x] ${x}`).join('\n')}\n\n`;
  }
  s += `## Open Questions\n\n- Does the ${r.pick(COMPONENTS)} need a separate window?\n`;
  return s;
}

function executionPlan(p) {
  const { n, r, theme } = p;
  const long = n % LONG_EVERY === LONG_OFFSET;
  let s = frontMatter({ phase: n, title: `Phase ${n} Execution Plan`, status: 'complete', owner: p.owner });
  s += `# Phase ${n} Execution Plan\n\n## Approach\n\n${para(r, 2)}\n\n## Tasks\n\n`;
  if (!long) {
    s += theme.deliverables.map((d) => `- [x] ${d} (${r.pick(VERBS)})`).join('\n') + '\n\n';
  } else {
    // About 500 lines: weekly task lists with notes, as a large real plan has.
    for (let w = 1; w <= 28; w++) {
      s += `### Week ${w}\n\n`;
      for (let t = 0; t < 12; t++) s += `- [${t % 5 === 4 ? ' ' : 'x'}] ${cap(r.pick(VERBS))} the ${r.pick(ADJ)} ${r.pick(COMPONENTS)} (task ${w}.${t + 1})\n`;
      s += `\nNotes: ${sentence(r)}\n\n`;
    }
    s += `Weekly totals are tracked in the [findings report](03-FINDINGS/${p.findings[0]}.md).\n\n`;
  }
  s += `## Tools\n\n${theme.tools.map((t) => `- ${t}`).join('\n')}\n\n`;
  s += `## Risks\n\n${risks(r, p, false)}\n`;
  return s;
}

function finding(p, topic, i) {
  const { n, r } = p;
  const title = `Finding ${n}.${i + 1}: ${cap(topic.replace(/-/g, ' '))}`;
  let s = frontMatter({ phase: n, title, status: 'complete', date: date(n) });
  s += `# ${title}\n\n`;
  s += `| Severity | Component | Status |\n| --- | --- | --- |\n`;
  for (let k = 0; k < 4; k++) s += `| ${r.pick(['Low', 'Medium', 'High'])} | ${r.pick(COMPONENTS)} | ${r.pick(['Fixed', 'Accepted', 'Tracked'])} |\n`;
  s += `\n## Analysis\n\n${para(r, 4)}\n\n${para(r, 3)}\n\n## Recommendation\n\n${para(r, 2)}\n\n`;
  s += '```text\n' + Array.from({ length: 4 }, () => `${r.pick(COMPONENTS)}: ${r.int(1, 99)} issues, ${r.int(0, 9)} high`).join('\n') + '\n```\n';
  if (p.defect === 'broken-link' && i === 0) s += `\nSee also the [raw scan](../04-ARTIFACTS/missing-scan-output.txt).\n`;
  return s;
}

function artifact(p, [file, what]) {
  const { n, r } = p;
  if (file.endsWith('.md')) return `# ${what}\n\n${para(r, 3)}\n\n1. Check the ${r.pick(COMPONENTS)}\n2. Restart it\n3. Confirm the alerts clear\n`;
  if (file.endsWith('.sh')) return `#!/usr/bin/env bash\n# ${what} for phase ${n}\nset -euo pipefail\ntrivy fs --severity HIGH,CRITICAL .\nbandit -r src/\n`;
  if (file === 'Dockerfile')
    return `# ${what} (phase ${n})\nFROM python:3.12-slim AS build\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nFROM python:3.12-slim\nCOPY --from=build /usr/local /usr/local\nCMD ["python", "-m", "app"]\n`;
  if (file.endsWith('.tf')) return `# ${what} (phase ${n})\nmodule "network" {\n  source = "./modules/network"\n  cidr   = "10.${n % 250}.0.0/16"\n}\n`;
  return `# ${what} (phase ${n})\nname: phase-${n}\non: [push]\njobs:\n  check:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make check\n`;
}

function decisions(p) {
  const { n, r } = p;
  let s = frontMatter({ phase: n, title: `Phase ${n} Decisions`, status: 'complete' });
  s += `# Phase ${n} Decisions\n\n## Decision Log\n\n`;
  for (let i = 1; i <= 3; i++) {
    s += `### Decision ${i}: ${cap(r.pick(VERBS))} the ${r.pick(COMPONENTS)} first\n\n`;
    s += `**Context**: ${sentence(r)}\n\n`;
    if (!(p.defect === 'decision-without-rationale' && i === 2)) s += `**Rationale**: ${sentence(r)}\n\n`;
    s += `**Alternatives**: ${r.pick(['defer to the next phase', 'buy a managed service', 'keep the current setup'])}.\n\n`;
  }
  return s;
}

function outputHandoff(p, next) {
  const { n, r, theme } = p;
  let s = frontMatter({ phase: n, title: `Phase ${n} Output Handoff`, status: 'complete', date: date(n + 1) });
  s += `# Phase ${n} → Phase ${n + 1} Handoff\n\n`;
  s += `## Phase ${n} Summary\n\n- Objectives achieved: ${theme.title.toLowerCase()} completed\n- Key deliverables:\n${theme.deliverables.map((d) => `  - ${d}`).join('\n')}\n- Metrics and KPIs: see [validation](07-VALIDATION.md)\n\n`;
  s += `## Critical Findings\n\n- Issues discovered: ${r.int(2, 30)} (${r.int(0, 3)} high)\n- Risks identified: ${r.pick(COMPONENTS)} capacity\n- Blockers resolved: ${r.pick(COMPONENTS)} access\n\n`;
  s += `## Decisions Made\n\n${[1, 2].map((i) => `- Decision ${i}: ${cap(r.pick(VERBS))} the ${r.pick(COMPONENTS)} → ${sentence(r)}`).join('\n')}\n\n`;
  s += `## Artifacts Produced\n\n${p.artifacts.map(([f, w], i) => `- Artifact ${i + 1}: [${f}](04-ARTIFACTS/${f}) - ${w}`).join('\n')}\n\n`;
  s += `## Phase ${n + 1} Prerequisites\n\n${p.prerequisites.map((x) => `- [ ] ${x}`).join('\n')}\n\n`;
  s += `## Phase ${n + 1} Inputs\n\n${p.inputs.map((x, i) => `- Input ${i + 1}: [${x.name}](${x.file}) - ${x.desc}`).join('\n')}\n\n`;
  s += `## Recommended Next Steps\n\n1. Review the handoff with the ${next ? next.owner : p.owner}\n2. ${cap(r.pick(VERBS))} the ${r.pick(COMPONENTS)}\n3. Schedule the phase review\n\n`;
  s += `## Open Questions\n\n- Who owns the ${r.pick(COMPONENTS)} after go-live?\n\n`;
  s += `## Risks & Dependencies\n\n${risks(r, p, false)}\n- Dependency 1: ${cap(r.pick(COMPONENTS))} team availability\n`;
  return s;
}

function validation(p) {
  const { n, r, theme, defect } = p;
  const gates = ['Completeness', 'Quality', 'Documentation', 'Testing', 'Review', 'Approval'];
  let s = frontMatter({
    phase: n,
    title: `Phase ${n} Validation`,
    status: defect === 'front-matter-schema' ? 'finished-ish' : 'complete',
    approved_by: p.owner,
    approved_on: date(n + 1),
  });
  if (defect === 'invalid-front-matter') s = s.replace('approved_by:', 'approved_by: [unclosed\nnote:');
  s += `# Phase ${n} Validation\n\n`;
  gates.forEach((g, gi) => {
    s += `## Gate ${gi + 1}: ${g}\n\n`;
    if (defect === 'empty-section' && gi === 4) {
      s += `<!-- to be completed by the reviewer -->\n\n`;
      return;
    }
    for (let k = 0; k < 3; k++) {
      const unchecked = defect === 'gate-item-unchecked' && gi === 3 && k === 2;
      const bare = defect === 'gate-item-no-evidence' && gi === 1 && k === 0;
      const what = k === 0 ? theme.deliverables[gi % theme.deliverables.length] : `${cap(r.pick(COMPONENTS))} ${r.pick(VERBS)}`;
      const ev = bare ? '' : ` — Evidence: [${p.findings[k % 2]}](03-FINDINGS/${p.findings[k % 2]}.md)`;
      s += `- [${unchecked ? ' ' : 'x'}] ${what}${ev}\n`;
    }
    s += '\n';
  });
  const group = METRIC_GROUPS[theme.metrics];
  s += `## Success Metrics\n\n| Metric | Target | Actual |\n| --- | --- | --- |\n`;
  group.forEach(([m, t, actuals], i) => {
    const actual = defect === 'metric-threshold' && i === 0 ? (theme.metrics === 0 ? '72%' : theme.metrics === 1 ? '9 minutes' : '8 minutes') : r.pick(actuals);
    s += `| ${m} | ${t} | ${actual} |\n`;
  });
  return s;
}

function* auditPhase(n, seed, N, plans) {
  const p = plans(n);
  const prev = n > 1 ? plans(n - 1) : undefined;
  const next = n < N ? plans(n + 1) : undefined;
  const dir = `${AUDIT_ROOT}/phase-${n}`;
  yield [`${dir}/00-PHASE_BRIEF.md`, brief(p)];
  yield [`${dir}/01-INPUT_HANDOFF.md`, inputHandoff(p, prev)];
  yield [`${dir}/02-EXECUTION_PLAN.md`, executionPlan(p)];
  for (let i = 0; i < p.findings.length; i++) yield [`${dir}/03-FINDINGS/${p.findings[i]}.md`, finding(p, p.findings[i], i)];
  for (const a of p.artifacts) yield [`${dir}/04-ARTIFACTS/${a[0]}`, artifact(p, a)];
  if (p.defect !== 'missing-document') yield [`${dir}/05-DECISIONS.md`, decisions(p)];
  yield [`${dir}/06-OUTPUT_HANDOFF.md`, outputHandoff(p, next)];
  yield [`${dir}/07-VALIDATION.md`, validation(p)];
}

// ---------------------------------------------------------------- iAI layout

const IAI_DEFECTS = [
  'missing-tests',
  'missing-test-proof',
  'failing-test-proof',
  'unaddressed-deliverable',
  'unfilled-placeholder',
  'missing-section',
  'not-started',
];

/** iAI phase i (0-based) lives in workstream i % W as its phase number floor(i / W) + 1. */
function iaiPlan(i, seed) {
  const r = prng(hash(`${seed}:iai:${i}`));
  const ws = WORKSTREAMS[i % WORKSTREAMS.length];
  const k = Math.floor(i / WORKSTREAMS.length) + 1;
  const [slug, title, deliverables] = IAI_TOPICS[(i + k) % IAI_TOPICS.length];
  const folder = `Phase_${k}_${slug}`;
  const defect = i % DEFECT_EVERY === 11 ? r.pick(IAI_DEFECTS) : undefined;
  return { i, r, ws, k, slug, title, deliverables, folder, defect, status: defect === 'not-started' ? 'Not started' : 'Complete' };
}

function prompt(p) {
  const { r, k, ws, title, deliverables } = p;
  let s = frontMatter({ phase: k, title, workstream: ws, status: 'complete' });
  s += `# Phase ${k}: ${title}\n\n`;
  s += `## Objective\n\n${p.defect === 'unfilled-placeholder' ? '[Describe the objective]' : `Deliver the ${title.toLowerCase()} for the ${ws.replace(/_/g, ' ')} workstream of the ALL-USE rebuild. ${sentence(r)}`}\n\n`;
  s += `## Context\n\nThe ALL-USE system (Automated Lumpsum Leveraged US Equities) is rebuilt as data pipelines, a protocol engine, account watchdogs and a web UI. See \`technical_architecture.md\`. ${para(r, 2)}\n\n`;
  s += `## Deliverables\n\n${deliverables.map((d) => `- ${d}`).join('\n')}\n\n`;
  s += `## Requirements\n\n- Python 3.12 and Node.js 20\n- Configuration through \`config_manager.py\`\n- ${sentence(r)}\n\n`;
  s += `## Tests Required\n\n- Unit tests for every new module\n- Integration tests against the staging stack\n\n`;
  s += `## Acceptance Criteria\n\n- [ ] All deliverables present\n- [ ] Tests written and passing in CI\n- [ ] Execution proof attached to the response\n`;
  return s;
}

function response(p) {
  const { r, k, ws, title, deliverables, defect } = p;
  const passed = r.int(12, 80);
  let s = frontMatter({ phase: k, title: `${title} response`, workstream: ws, status: 'complete' });
  s += `# Implementation Response: Phase ${k} ${title}\n\n`;
  s += `## Summary\n\n${para(r, 3)}\n\n`;
  const addressed = defect === 'unaddressed-deliverable' ? deliverables.slice(0, -1) : deliverables;
  s += `## Deliverables\n\n${addressed.map((d) => `- ${d}: done, ${r.pick(VERBS)} and merged`).join('\n')}\n\n`;
  s += `## Implementation\n\n${para(r, 4)}\n\n\`\`\`python\ndef apply(config):\n    \"\"\"${title}.\"\"\"\n    return config.get("${slugify(ws)}", {})\n\`\`\`\n\n`;
  if (defect !== 'missing-section') {
    s += `## Tests\n\n`;
    s +=
      defect === 'missing-tests'
        ? `Tests will follow in the next phase.\n\n`
        : `- \`tests/test_${slugify(p.slug).replace(/-/g, '_')}.py\`: ${passed - 4} unit tests\n- \`tests/integration/test_${slugify(ws).replace(/-/g, '_')}.py\`: 4 integration tests\n\n`;
  }
  if (defect !== 'missing-test-proof') {
    const out =
      defect === 'failing-test-proof'
        ? `collected ${passed} items\n\n========================= 3 failed, ${passed - 3} passed in 4.20s =========================`
        : r.pick(TEST_RUNNERS)(passed, (r.int(100, 900) / 100).toFixed(2));
    s += `## Execution Proof\n\n\`\`\`text\n$ make test\n${out}\n\`\`\`\n\n`;
  }
  s += `## Open Issues\n\n- None blocking; ${r.pick(COMPONENTS)} tuning continues.\n`;
  return s;
}

function plan(n, seed) {
  let s = frontMatter({ title: 'ALL-USE Project Implementation Plan', owner: 'Engineering Lead', date: date(1) });
  s += `# ALL-USE Project Implementation Plan\n\n## Overview\n\nExecution status of every iAI phase of the rebuild, per workstream. Each phase is complete when its \`implementation_response_from_AI.md\` includes tests and proof that they ran.\n\n`;
  s += `## Phase Status\n\n| Workstream | Phase | Status |\n| --- | --- | --- |\n`;
  for (let i = 0; i < n; i++) {
    const p = iaiPlan(i, seed);
    // One row in 100 disagrees with its phase (the plan lags behind).
    const status = i % 100 === 42 ? 'In progress' : p.status;
    s += `| ${p.ws} | ${p.folder} | ${status} |\n`;
  }
  return s;
}

function* iaiPhase(i, seed) {
  const p = iaiPlan(i, seed);
  const dir = `${IAI_ROOT}/workstreams/${p.ws}/${p.folder}`;
  yield [`${dir}/implementation_prompt.md`, prompt(p)];
  if (p.defect !== 'not-started') yield [`${dir}/implementation_response_from_AI.md`, response(p)];
}

// ---------------------------------------------------------------- the workspace

/** Every file of the workspace as [relative path, text], in a fixed order. */
export function* generateFiles({ n = 1000, seed = 1 } = {}) {
  const cache = new Map();
  const plans = (k) => {
    let p = cache.get(k);
    if (!p) {
      p = auditPlan(k, seed);
      cache.set(k, p);
      cache.delete(k - 3);
    }
    return p;
  };
  yield [
    'README.md',
    `# Bench workspace\n\n${n} audit phases under \`${AUDIT_ROOT}/\`, ${n} iAI phases under \`${IAI_ROOT}/workstreams/\`. Generated (seed ${seed}).\n`,
  ];
  for (let k = 1; k <= n; k++) yield* auditPhase(k, seed, n, plans);
  yield [`${IAI_ROOT}/project_implementation_plan.md`, plan(n, seed)];
  for (let i = 0; i < n; i++) yield* iaiPhase(i, seed);
}

/** The documents the benchmark edits, relative to the workspace root. */
export function benchTargets(n) {
  const long = n >= LONG_OFFSET ? LONG_OFFSET : undefined;
  // The handoff pair sits in the middle, away from defects.
  const h = Math.max(1, Math.min(n - 1, Math.floor(n / 2) + 1));
  return {
    longDocument: long ? `${AUDIT_ROOT}/phase-${long}/02-EXECUTION_PLAN.md` : `${AUDIT_ROOT}/phase-1/02-EXECUTION_PLAN.md`,
    outputHandoff: `${AUDIT_ROOT}/phase-${h}/06-OUTPUT_HANDOFF.md`,
    nextInputHandoff: `${AUDIT_ROOT}/phase-${h + 1}/01-INPUT_HANDOFF.md`,
  };
}

/** Writes the workspace into `dir` (which must not hold another one). Returns counts. */
export function writeWorkspace(dir, opts = {}) {
  const stats = { files: 0, markdown: 0, bytes: 0 };
  const made = new Set();
  for (const [rel, text] of generateFiles(opts)) {
    const file = path.join(dir, rel);
    const parent = path.dirname(file);
    if (!made.has(parent)) {
      fs.mkdirSync(parent, { recursive: true });
      made.add(parent);
    }
    fs.writeFileSync(file, text);
    stats.files++;
    if (rel.endsWith('.md')) stats.markdown++;
    stats.bytes += Buffer.byteLength(text);
  }
  return stats;
}

/**
 * The workspace for (n, seed) under `baseDir`, generated once and reused while its stamp matches.
 * Returns its folder and counts.
 */
export function ensureWorkspace(baseDir, { n = 1000, seed = 1 } = {}) {
  const dir = path.join(baseDir, `ws-${n}-${seed}`);
  const stampFile = `${dir}.json`;
  const stamp = { generator: GENERATOR_VERSION, n, seed };
  try {
    const old = JSON.parse(fs.readFileSync(stampFile, 'utf8'));
    if (old.generator === stamp.generator && old.n === n && old.seed === seed && fs.existsSync(dir)) return { dir, ...old.stats, cached: true };
  } catch {
    // no stamp: generate
  }
  fs.rmSync(dir, { recursive: true, force: true });
  const stats = writeWorkspace(dir, { n, seed });
  fs.writeFileSync(stampFile, JSON.stringify({ ...stamp, stats }, null, 2));
  return { dir, ...stats, cached: false };
}

function arg(argv, name, dflt) {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1] : dflt;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const argv = process.argv.slice(2);
  const n = Number(arg(argv, 'n', '1000'));
  const seed = Number(arg(argv, 'seed', '1'));
  const out = arg(argv, 'out', undefined);
  const t0 = performance.now();
  const res = out
    ? { dir: out, ...writeWorkspace(out, { n, seed }) }
    : ensureWorkspace(path.join(path.dirname(fileURLToPath(import.meta.url)), 'work'), { n, seed });
  console.log(`${res.dir}: ${res.files} files (${res.markdown} Markdown), ${(res.bytes / 1e6).toFixed(1)} MB in ${Math.round(performance.now() - t0)} ms`);
}
