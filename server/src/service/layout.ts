/**
 * Layouts: where phases live, which documents a phase holds, which sections each
 * document needs, and which gates a phase passes. Two layouts are built in (audit,
 * iai); a workspace describes others in `phasegate.yaml`.
 */
import type { PhaseScope, PhasesValue } from './metric-scope';
import { normalizeTitle } from './markdown';
import { Memo } from './memo';

export interface SectionSpec {
  /** Heading text; `{N}` stands for the phase number, `{N+1}` for the next one. */
  title: string;
  /** Default true. */
  required?: boolean;
  /** Default false: a required section must hold some text. */
  allowEmpty?: boolean;
  /** What belongs in the section (hover, completion). */
  description?: string;
  /** Other headings that count as this section (a gate's checklist may be headed by the gate's name alone). */
  aliases?: string[];
}

export interface DocumentKindSpec {
  /** Kind id; the built-in kinds carry meaning for the rules (see README). */
  kind: string;
  /** File name within the phase folder. */
  file: string;
  /** Human name. */
  name: string;
  required: boolean;
  /** H1 of the document; `{N}` is the phase number. */
  heading?: string;
  sections: SectionSpec[];
  /** Id of the front matter schema in `schemas/` (without `.schema.json`). */
  schema?: string;
  /** Template name in `templates/` (without `.md.hbs`). */
  template?: string;
}

export interface GateSpec {
  name: string;
  description: string;
  /** Rule ids whose error-severity diagnostics, anywhere in the phase, fail this gate. */
  failOn: string[];
}

export interface MetricSpec {
  /** Metric name, matched case-insensitively against the first column of a metrics table. */
  name: string;
  aliases?: string[];
  /** E.g. `> 80%`, `0`, `< 5 minutes`, `>= 99.9%`. */
  threshold: string;
  /** The phases it applies to, as phasegate.yaml writes them (`"1-2"`, `[1, 2]`, `"3-5, 7"`); all when absent. */
  phases?: PhasesValue;
  /** `phases` as read (set by the config); see `metricsInForce`. */
  scope?: PhaseScope;
}

export interface LayoutSpec {
  name: string;
  description: string;
  /** Phase folder name pattern; group 1 is the phase number. The built-in ones are anchored at the start of the name. */
  folderPattern: RegExp;
  /** iAI-style phases live at `workstreams/<Workstream>/<Phase>/`. */
  workstreams: boolean;
  documents: DocumentKindSpec[];
  /** Sub-folders a phase should have. */
  folders: { name: string; required: boolean; purpose: string }[];
  gates: GateSpec[];
  metrics: MetricSpec[];
  /** Globs of phase folders relative to the workspace folder (custom layouts only). */
  phaseGlobs?: string[];
}

export const AUDIT_GATES: GateSpec[] = [
  {
    name: 'Completeness',
    description: 'All deliverables produced.',
    // A document copied from an earlier or a later phase, its status and ticks kept (copied-document), is not produced yet.
    failOn: [
      'missing-document',
      'missing-section',
      'empty-section',
      'unaddressed-deliverable',
      'missing-artifact',
      'document-too-large',
      'unreadable-file',
      'copied-document',
    ],
  },
  { name: 'Quality', description: 'Meets defined quality criteria.', failOn: ['metric-threshold', 'unfilled-placeholder'] },
  {
    name: 'Documentation',
    description: 'All decisions documented.',
    // A document's front matter that does not parse or fit its schema is not documented either.
    failOn: ['decision-without-rationale', 'risk-without-mitigation', 'broken-link', 'invalid-front-matter', 'front-matter-schema'],
  },
  { name: 'Testing', description: 'Validation tests pass.', failOn: ['failing-test-proof', 'missing-test-proof'] },
  { name: 'Review', description: 'Peer review completed.', failOn: [] },
  { name: 'Approval', description: 'Stakeholder sign-off.', failOn: ['handoff-mismatch'] },
];

export const IAI_GATES: GateSpec[] = [
  {
    name: 'Completeness',
    description: 'The response exists and addresses every deliverable of the prompt.',
    // Its documents hold no error of their own either: a broken link, a missing artifact, a decision without
    // its rationale, front matter that does not parse or fit its schema, a file that cannot be read; nor are they
    // the previous phase's, copied.
    failOn: [
      'missing-document',
      'missing-section',
      'empty-section',
      'unaddressed-deliverable',
      'unfilled-placeholder',
      'document-too-large',
      'broken-link',
      'missing-artifact',
      'decision-without-rationale',
      'invalid-front-matter',
      'front-matter-schema',
      'unreadable-file',
      'copied-document',
    ],
  },
  { name: 'Tests', description: 'The response includes the tests written for the phase.', failOn: ['missing-tests'] },
  {
    name: 'Proof',
    description: 'The response proves that the tests ran successfully.',
    // The results it reports (coverage, run time) meet their thresholds.
    failOn: ['missing-test-proof', 'failing-test-proof', 'metric-threshold'],
  },
];

/** Success metrics of the audit layout, with the thresholds of the phase system design. */
export const DEFAULT_METRICS: MetricSpec[] = [
  { name: 'Code coverage', aliases: ['Test coverage', 'Coverage'], threshold: '> 80%' },
  { name: 'Critical vulnerabilities', aliases: ['Security vulnerabilities (critical)'], threshold: '0' },
  { name: 'High vulnerabilities', aliases: ['Security vulnerabilities (high)'], threshold: '< 5' },
  { name: 'Test execution time', threshold: '< 5 minutes' },
  { name: 'Documentation coverage', threshold: '>= 100%' },
  { name: 'Container build time', threshold: '< 5 minutes' },
  { name: 'Deployment time', threshold: '< 10 minutes' },
  { name: 'Rollback time', threshold: '< 2 minutes' },
  { name: 'Infrastructure provisioning', aliases: ['Infrastructure provisioning time'], threshold: '< 15 minutes' },
  { name: 'Alert response time', threshold: '< 5 minutes' },
  { name: 'Log retention', threshold: '>= 30 days' },
  { name: 'Uptime SLA', aliases: ['Uptime'], threshold: '>= 99.9%' },
  { name: 'Mean time to recovery', aliases: ['MTTR'], threshold: '< 30 minutes' },
];

/** Headings a phase's risk register goes by (the phase system design's Risk Management lists it). */
const RISK_ALIASES = ['Risk Management', 'Risk Register', 'Risks & Mitigations', 'Risks & Dependencies', 'Risks & Issues'];

export const OUTPUT_HANDOFF_SECTIONS: SectionSpec[] = [
  { title: 'Phase {N} Summary', description: 'Objectives achieved, key deliverables, metrics and KPIs.' },
  { title: 'Critical Findings', description: 'Issues discovered, risks identified, blockers resolved.' },
  { title: 'Decisions Made', description: 'One item per decision: `Decision: description → rationale`.' },
  { title: 'Artifacts Produced', description: 'One item per artifact: `Artifact: [location](path) - purpose`.' },
  { title: 'Phase {N+1} Prerequisites', description: 'A checklist of what must hold before the next phase starts.' },
  { title: 'Phase {N+1} Inputs', description: 'One item per input handed to the next phase: `Input: [location](path) - description`.' },
  { title: 'Recommended Next Steps', description: 'Ordered steps for the next phase.' },
  { title: 'Open Questions', description: 'Questions the next phase inherits.', allowEmpty: true },
  { title: 'Risks & Dependencies', description: 'One item per risk: `Risk: impact - mitigation`; dependencies.' },
];

export const AUDIT_LAYOUT: LayoutSpec = {
  name: 'audit',
  description: 'phase-{N}/ folders with a brief, handoffs, plan, findings, artifacts, decisions and validation.',
  folderPattern: /^phase-(\d+)$/i,
  workstreams: false,
  documents: [
    {
      kind: 'brief',
      file: '00-PHASE_BRIEF.md',
      name: 'Phase brief',
      required: true,
      heading: 'Phase {N}: ',
      schema: 'brief',
      template: 'brief',
      sections: [
        // The phase system design calls the brief the phase's "objectives and scope", and defines each phase by
        // its `**Input**:`, `**Output**:` and `**Deliverables**:` (bold labels, read as sections): its Output is
        // what the phase sets out to achieve. It asks a brief for no risks of its own (they go in the phase's
        // risk register): offered, not required.
        // One `## Objectives and Scope` section, as the design names the brief, is both.
        {
          title: 'Objectives',
          aliases: ['Objective', 'Goals', 'Goal', 'Output', 'Objectives & Scope', 'Objective & Scope', 'Goals & Scope'],
          description: 'What the phase sets out to achieve.',
        },
        { title: 'Scope', aliases: ['In Scope', 'Objectives & Scope', 'Objective & Scope', 'Goals & Scope'], description: 'What is in and out of scope.' },
        { title: 'Deliverables', aliases: ['Key Deliverables'], description: 'One item per deliverable the phase must produce.' },
        { title: 'Success Metrics', description: 'A table: Metric | Target.', required: false },
        { title: 'Risks', aliases: RISK_ALIASES, description: 'One item per risk: `Risk: impact - mitigation`.', required: false },
      ],
    },
    {
      kind: 'input-handoff',
      file: '01-INPUT_HANDOFF.md',
      name: 'Input handoff',
      required: true,
      heading: 'Phase {N} Input Handoff',
      schema: 'input-handoff',
      template: 'input-handoff',
      sections: [
        // An input handoff may keep the names the previous output handoff gave them (`## Phase 2 Inputs`).
        {
          title: 'Source',
          aliases: ['Input Source', 'Inputs From'],
          description: 'Where the inputs come from: the previous output handoff, or the starting point.',
        },
        {
          title: 'Inputs Received',
          aliases: ['Inputs', 'Phase {N} Inputs'],
          description: 'One item per input: `Input: [location](path) - description`.',
        },
        { title: 'Prerequisites', aliases: ['Phase {N} Prerequisites'], description: 'A checklist of prerequisites confirmed before starting.' },
        { title: 'Open Questions', description: 'Questions carried over.', allowEmpty: true },
      ],
    },
    {
      kind: 'execution-plan',
      file: '02-EXECUTION_PLAN.md',
      name: 'Execution plan',
      required: true,
      heading: 'Phase {N} Execution Plan',
      schema: 'execution-plan',
      template: 'execution-plan',
      sections: [
        { title: 'Approach', aliases: ['Methodology', 'Strategy'], description: 'How the phase will be executed.' },
        {
          title: 'Tasks',
          aliases: ['Task List', 'Task Breakdown', 'Activities', 'Work Breakdown', 'Work Breakdown Structure', 'Steps', 'Execution Steps'],
          description: 'A checklist of tasks.',
        },
        { title: 'Tools', aliases: ['Tooling', 'Tooling & Automation'], description: 'Tools used in the phase.', required: false },
        // The phase's risk register ("each phase includes a risk register, mitigation strategies, …").
        { title: 'Risks', aliases: RISK_ALIASES, description: 'One item per risk: `Risk: impact - mitigation`.' },
      ],
    },
    {
      kind: 'decisions',
      file: '05-DECISIONS.md',
      name: 'Decisions',
      required: true,
      heading: 'Phase {N} Decisions',
      schema: 'decisions',
      template: 'decisions',
      sections: [
        {
          title: 'Decision Log',
          aliases: ['Decisions', 'Key Decisions', 'Decisions Made', 'Decision Record', 'Decision Records'],
          description: 'One `### Decision N: title` per decision, each with its **Rationale**.',
        },
      ],
    },
    {
      kind: 'output-handoff',
      file: '06-OUTPUT_HANDOFF.md',
      name: 'Output handoff',
      required: true,
      heading: 'Phase {N} → Phase {N+1} Handoff',
      schema: 'output-handoff',
      template: 'output-handoff',
      sections: OUTPUT_HANDOFF_SECTIONS,
    },
    {
      kind: 'validation',
      file: '07-VALIDATION.md',
      name: 'Validation checklist',
      required: true,
      heading: 'Phase {N} Validation',
      schema: 'validation',
      template: 'validation',
      sections: [
        ...AUDIT_GATES.map((g, i) => ({
          title: `Gate ${i + 1}: ${g.name}`,
          // As the gate evaluation finds its checklist (gates.ts, gateChecklist): `## Completeness` and `## 1. Completeness` too.
          aliases: [g.name],
          description: `${g.description} A checklist; each checked item cites its evidence.`,
        })),
        // Optional: the phase system design sets success metrics per group of phases, not per validation; a
        // checklist of its six gates alone is a complete validation. Written by the template, judged when present.
        { title: 'Success Metrics', description: 'A table: Metric | Target | Actual.', required: false },
      ],
    },
  ],
  folders: [
    { name: '03-FINDINGS', required: true, purpose: 'Audit findings and analysis' },
    { name: '04-ARTIFACTS', required: true, purpose: 'Generated artifacts (configs, scripts)' },
  ],
  gates: AUDIT_GATES,
  metrics: DEFAULT_METRICS,
};

export const IAI_LAYOUT: LayoutSpec = {
  name: 'iai',
  description: 'workstreams/<Workstream>/<Phase>/ folders, each with an implementation prompt and the AI response.',
  // A name that starts as a phase folder: `Phase_3_Advanced_CI`, `phase-3`, `Phase 3`, `phase3` (any case).
  // Not `Foo_phase2`: a "phase" further into a name numbers nothing. Nor `Phase_3.5_Hotfix`: a number
  // is whole (no digit, nor a decimal part, follows it).
  folderPattern: /^phase[\s_-]*(\d+)(?![.,]?\d)/i,
  workstreams: true,
  documents: [
    {
      kind: 'prompt',
      file: 'implementation_prompt.md',
      name: 'Implementation prompt',
      required: true,
      // `# Build Phase 3: Advanced CI — Implementation Prompt`: heading-mismatch reads the number after `Phase`.
      heading: 'Phase {N}: ',
      schema: 'prompt',
      template: 'prompt',
      sections: [
        // The iAI framework describes a phase by its Description and its Key Activities (via iAI Prompt).
        { title: 'Objective', aliases: ['Description', 'Objectives', 'Goal'], description: 'What the phase must achieve.' },
        { title: 'Context', description: 'What the AI needs to know.', required: false },
        {
          title: 'Deliverables',
          aliases: ['Key Activities'],
          description: 'One item per deliverable; the response must address each.',
        },
        { title: 'Requirements', description: 'Constraints the implementation must meet.', required: false },
        {
          title: 'Tests Required',
          aliases: ['Tests', 'Testing Requirements', 'Test Requirements', 'Unit & Integration Tests'],
          description: 'Unit and integration tests the response must include.',
        },
        // Not in the iAI framework's phase definitions: offered, not required.
        { title: 'Acceptance Criteria', description: 'A checklist the response is judged against.', required: false },
      ],
    },
    {
      kind: 'response',
      file: 'implementation_response_from_AI.md',
      name: 'Implementation response',
      required: true,
      heading: 'Phase {N}: ',
      schema: 'response',
      template: 'response',
      sections: [
        { title: 'Summary', aliases: ['Overview', 'Executive Summary', 'Implementation Summary'], description: 'What was implemented.' },
        // The response may answer the prompt's Key Activities under the prompt's own heading.
        {
          title: 'Deliverables',
          aliases: ['Key Activities', 'Deliverables Completed', 'Deliverables Produced'],
          description: 'One item per deliverable of the prompt, with where it is.',
        },
        { title: 'Implementation', description: 'How it was done.', required: false },
        // "Tests and their successful execution proof" (the iAI framework) may be one section: both specs name it.
        {
          title: 'Tests',
          aliases: ['Unit & Integration Tests', 'Tests Written', 'Tests Added', 'Tests & Execution Proof'],
          description: 'The unit and integration tests written, one item each.',
        },
        {
          title: 'Execution Proof',
          // The framework asks for the tests' "successful execution proof": a team heads it so, or as the run's results.
          aliases: ['Test Execution Proof', 'Proof of Execution', 'Test Results', 'Test Execution Results', 'Test Run', 'Tests & Execution Proof'],
          description: 'The test run output, in a code block, showing the tests passed.',
        },
        { title: 'Open Issues', description: 'What remains.', allowEmpty: true, required: false },
      ],
    },
  ],
  folders: [],
  gates: IAI_GATES,
  metrics: [],
};

export const PLAN_FILE = 'project_implementation_plan.md';

export const PLAN_KIND: DocumentKindSpec = {
  kind: 'plan',
  file: PLAN_FILE,
  name: 'Project implementation plan',
  required: false,
  schema: 'plan',
  template: 'plan',
  sections: [
    {
      title: 'Phase Status',
      description: 'A table: Workstream | Phase | Status; or a checklist under each workstream heading (`- [x] Phase 1: Source Code Management — Done`).',
    },
  ],
};

/**
 * A finding: a Markdown file in a phase's findings folder (`03-FINDINGS/`), written from the finding
 * template. Not a document the layout requires, and free in form (the seed asks only for "audit findings
 * and analysis"): its front matter is checked against its schema when it has some, and the template's
 * sections are offered (completion, hover) but none is required. `file` is set per finding (`kindOf`).
 */
export const FINDING_KIND: DocumentKindSpec = {
  kind: 'finding',
  file: '',
  name: 'Finding',
  required: false,
  schema: 'finding',
  template: 'finding',
  sections: [
    { title: 'Summary', description: 'What was found.', required: false },
    { title: 'Evidence', description: 'Where and how it was observed: tool output, files, links.', required: false },
    { title: 'Impact', description: 'What it means for the project.', required: false },
    { title: 'Recommendation', description: 'The remediation recommended.', required: false },
  ],
};

/**
 * A name (a document kind's, a folder's purpose) in the middle of a sentence: its first letter in lower case where it
 * is written in sentence case (`Execution plan` → `execution plan`, `Generated artifacts (configs, scripts)`), as
 * written where a capital says more (`README`, `CI plan`, `Sprint Goal`, `first-doc`).
 */
export function inSentence(name: string): string {
  return /^\p{Lu}\p{Ll}/u.test(name) && !/[^\p{L}]\p{Lu}\p{Ll}/u.test(name) ? name[0].toLowerCase() + name.slice(1) : name;
}

/** The folder of a layout's phases that holds findings (`03-FINDINGS` in the audit layout), if any. */
export function findingsFolder(layout: LayoutSpec): string | undefined {
  return layout.folders.find((f) => /findings/i.test(f.name))?.name;
}

export const BUILTIN_LAYOUTS: LayoutSpec[] = [AUDIT_LAYOUT, IAI_LAYOUT];

/**
 * The `#` heading a document of kind `spec` has: the one its layout declares, else its built-in kind's
 * (a custom layout's `validation` document without a `heading` is written `# Phase 3 Validation` by the
 * built-in template, and heading-mismatch reads it so); a kind of its own without one has none.
 */
export function kindHeading(spec: DocumentKindSpec): string | undefined {
  return spec.heading !== undefined ? spec.heading : builtinDocument(spec.kind)?.heading;
}

/** The built-in layouts' document of kind `kind` (the audit layout's before the iAI layout's), if any. */
export function builtinDocument(kind: string): DocumentKindSpec | undefined {
  for (const layout of BUILTIN_LAYOUTS) for (const d of layout.documents) if (d.kind === kind) return d;
  return undefined;
}

/**
 * The patterns and runs made of kinds' headings, memoised by heading (performance only: every document of a kind
 * asks). A heading is configuration, but an editor's session reads many: each memo is bounded.
 */
const HEADING_MEMO_BOUND = 256;

const titlePrefixes = new Memo<RegExp | undefined>(HEADING_MEMO_BOUND, (heading) =>
  /:\s+$/.test(heading) ? new RegExp(`^\\s*${headingSources(heading.trimEnd().slice(0, -1).trim())}\\s*:\\s*`, 'iu') : undefined,
);

/**
 * What a kind's `heading` ending in `: ` (`Sprint {N}: `, `Mission {N} Charter: `) writes before the phase's
 * title, as a pattern over a title's start (its numbers any digits, its blanks any blanks, in any case);
 * undefined for another heading.
 */
export function titlePrefix(heading: string): RegExp | undefined {
  return titlePrefixes.get(heading);
}

// A heading of blanks alone is `^\s*$`: `^\s*\s*$` would try every split of a long run of blanks (quadratic time).
const fixedHeadings = new Memo(HEADING_MEMO_BOUND, (heading) => {
  const source = headingSources(heading.trim());
  return new RegExp(source ? `^\\s*${source}\\s*$` : '^\\s*$', 'iu');
});

/** A kind's `heading` that is not followed by a title (`Mission {N} Charter`), as a pattern over a whole title (any numbers, blanks, case). */
export function fixedHeading(heading: string): RegExp {
  return fixedHeadings.get(heading);
}

/** A heading's text that ends in a hyphen glued to a word, before a number (`S-` of `S-{N-2} recap`). */
const HYPHEN_JOINED = /[\p{L}\p{N}]-$/u;

/** A `{N}` (`{N+1}`, `{N-1}`) in a spec title. */
const PLACEHOLDER_RE = /\{N(?:[+-]\d+)?\}/;

/** The most forms of a heading that phases below its `{N-d}`s write read by headingSources (a layout writes one or two). */
const MAX_DROPPED_FORMS = 8;

/**
 * headingSource's pattern of a heading, or of a form of it that a phase below one of its `{N-d}`s writes, that
 * phase's `{N-d}`s dropped as `new` drops them (see withoutNegatives: `Sprints` of `Sprints {N-2}-{N-1}` in phase 0,
 * `Sprints {N-1}` in phase 1; `Sprints 0` of `Sprints {N-1} to {N}` in phase 0): what `new` writes is read in any phase.
 */
function headingSources(heading: string): string {
  const forms = new Set([headingSource(heading)]);
  const offsets = new Set<number>();
  for (const m of heading.matchAll(/\{N-(\d+)\}/g)) if (offsets.size < MAX_DROPPED_FORMS) offsets.add(Number(m[1]));
  for (const d of offsets) {
    if (!(d >= 1 && d <= 1e15)) continue;
    // As `new` writes it, and as an earlier `new` wrote it (`Sprints-0` of `Sprints {N-1}-{N}`, see earlierHeadings).
    for (const ranges of [true, false]) {
      const form = withoutNegatives(heading, d - 1, (p) => p, ranges)?.trim();
      if (form) forms.add(headingSource(form));
    }
  }
  forms.delete('');
  return forms.size > 1 ? `(?:${[...forms].join('|')})` : ([...forms][0] ?? '');
}

/**
 * The pattern of a heading's text: its `{N}`s any digits, its blanks any blanks, the rest as it is. A run of
 * `{N}`s and digits with nothing between them (`{N}{N+1}`, `{N}0`) is one run of digits as long as they may
 * write: one quantifier, so that a title of many digits is matched in linear time (a quantifier each took
 * exponential time: two seconds for `{N}` eight times against 80 digits).
 */
function headingSource(heading: string): string {
  let out = '';
  // The run of `{N}`s and digits being read: how many `{N}`s, and its digits.
  let numbers = 0;
  let digits = '';
  // The run is one `{N-d}` alone, which phase 0 writes dropped with the blank before it (see writtenTitle), and an
  // earlier `new` wrote as `-1`: optional, with that blank, and read with a minus sign too.
  let lower = false;
  // At the heading's start, phase 0 drops it with the blanks and separators after it: optional with those (the group
  // `lead` leaves open until the first other part).
  let lead = false;
  const parts = heading.split(/(\{N(?:[+-]\d+)?\}|\d+|\s+)/).filter((p) => p !== '');
  // The last part before the run being read that is no number.
  let text = '';
  // Where the run being read starts.
  let runStart = 0;
  /** Whether the parts from `k` on are separators alone, then a number (`-{N}` of `Sprints {N-1}-{N}`). */
  const joinedAt = (k: number) => {
    const from = k;
    while (k < parts.length && LEAD_SEPARATORS_WHOLE.test(parts[k])) k++;
    return k > from && k < parts.length && /^\{N/.test(parts[k]);
  };
  const flush = (k = parts.length) => {
    // After a word and a blank (`Sprint {N}`), the number may be glued to the word or joined to it by a hyphen instead
    // (`Sprint3`, `Sprint-3`), as one glued to a word may be written with a blank or a hyphen (`S 3`, `S-3` of `S{N}`).
    const afterWord = /^\s/.test(parts[runStart - 1] ?? '') && /[\p{L}\p{N}]$/u.test(parts[runStart - 2] ?? '') && out.endsWith('\\s+');
    const gluedToWord = /[\p{L}\p{N}]$/u.test(parts[runStart - 1] ?? '') && /[\p{L}\p{N}]$/u.test(text);
    // Joined to a word by a hyphen (`S-{N}`): the title may glue them, or write a blank there (`S3`, `S 3`).
    if (numbers && HYPHEN_JOINED.test(parts[runStart - 1] ?? '') && out.endsWith('-')) out = `${out.slice(0, -1)}(?:-|\\s+)?`;
    if (lower && numbers === 1 && !digits && joinedAt(k)) {
      // Joined to a number by separators alone: phase 0 drops them with it, and keeps what is before it (`Sprints 0`
      // of `Sprints {N-1}-{N}`, `(0)` of `({N-1}-{N})`; see withoutNegatives): optional with them (`lead` leaves the
      // group open).
      out += '(?:-?\\d{1,9}';
      lead = true;
    } else if (lower && numbers === 1 && !digits && out.endsWith('\\s+'))
      out = `${out.slice(0, -3)}${afterWord ? '(?:(?:\\s+-?|-)?\\d{1,9})?' : '(?:\\s+-?\\d{1,9})?'}`;
    else if (lower && numbers === 1 && !digits && out === '') {
      out = '(?:-?\\d{1,9}';
      lead = true;
    } else if (lower && numbers === 1 && !digits) out += `${gluedToWord ? '(?:\\s+|-)?' : '-?'}\\d{1,9}`;
    // Glued to a letter (`Q{N} review`): a hyphen or a blank may join them (`Q-3 review`, `Q 3 review`, see runSign).
    else if (numbers) {
      if (afterWord) out = `${out.slice(0, -3)}(?:\\s+|-)?`;
      else if (gluedToWord) out += '(?:\\s+|-)?';
      else if (/[\p{L}\p{N}]$/u.test(text)) out += '-?';
      out += `\\d{${numbers + digits.length},${numbers * 9 + digits.length}}`;
    } else out += digits;
    numbers = 0;
    digits = '';
    lower = false;
  };
  const close = () => {
    if (lead) out += ')?';
    lead = false;
  };
  for (let k = 0; k < parts.length; k++) {
    const part = parts[k];
    if (/^\{N|^\d/.test(part)) close();
    if (/^\{N|^\d/.test(part) && !numbers && !digits) runStart = k;
    if (/^\{N-/.test(part)) {
      numbers++;
      lower = true;
    } else if (/^\{N/.test(part)) numbers++;
    else if (/^\d/.test(part)) digits += part;
    else {
      flush(k);
      if (lead && !LEAD_SEPARATORS_WHOLE.test(part)) {
        // Separators glued to the text after them (`{N-1}.Plan`): they go with the number, the text does not.
        const sep = LEAD_SEPARATORS.exec(part)![0];
        out += escapeRe(sep);
        close();
        out += escapeRe(part.slice(sep.length));
        text = part;
        continue;
      }
      out += /^\s/.test(part) ? '\\s+' : escapeRe(part);
      text = part;
    }
  }
  flush();
  close();
  return out;
}

/**
 * A kind's heading as a pattern over a title's start, each run of phase numbers (`numberRuns`) a group of digits
 * (blanks any blanks, any case); undefined for a heading without `{N}`.
 */
const wholeHeadings = new Memo<RegExp | undefined>(HEADING_MEMO_BOUND, (heading) => {
  const { literals, runs } = numberRuns(heading.trim());
  return runs.length ? startPattern(literals, runs, true) : undefined;
});

/**
 * A heading's text around its runs of phase numbers (`numberRuns`) as a pattern over a title's start: each run a
 * group of digits (with a minus sign allowed for a `{N-d}` when `signed`), blanks any blanks, any case.
 */
function startPattern(literals: string[], runs: NumberRun[], signed: boolean, joints = true): RegExp {
  const text = (t: string) =>
    t
      .split(/(\s+)/)
      .map((part) => (/^\s+$/.test(part) ? '\\s+' : escapeRe(part)))
      .join('');
  const group = (run: NumberRun, before: string) => `(${signed ? runSign(run, before) : ''}${runDigits(run)})(?!\\d)`;
  // A hyphen the heading glues between a word and the number (`S-{N}`): the title may glue them or write a blank there.
  // Not in a form an earlier `new` wrote, whose hyphen tells it from the form `new` writes now (`Sprints-0`, `Sprints0`).
  const joint = (l: string) => (joints && HYPHEN_JOINED.test(l) ? `${text(l.slice(0, -1))}(?:-|\\s+)?` : text(l));
  const source = literals.map((l, i) => (i < runs.length ? `${joint(l)}${group(runs[i], l)}` : text(l))).join('');
  return new RegExp(`^\\s*${source}`, 'iud');
}

/**
 * A heading as phase `n` writes it where a `{N-d}` of it names no phase (phase 0: see writtenTitle), its other `{N}`s
 * kept, as a pattern over a title's start (`Sprint to Sprint (digits): ` of `Sprint {N-1} to Sprint {N}: `), also
 * one without a `{N}` left (`After Sprint: ` of `After Sprint {N-1}: `); undefined where phase `n` writes it as
 * expandTitle does.
 */
const droppedHeadings = new Memo<RegExp | undefined>(HEADING_MEMO_BOUND, (key) => {
  const at = key.indexOf('\u0000');
  const n = Number(key.slice(0, at));
  const kept = withoutNegatives(key.slice(at + 1).trim(), n, (p) => p);
  if (kept === undefined || !kept.trim()) return undefined;
  const { literals, runs } = numberRuns(kept);
  // Not followed by another number (`Sprints` of `Sprints {N-2}-{N-1}` is not the start of `Sprints-3-4`).
  return new RegExp(`${startPattern(literals, runs, false).source}${ENDS_IN_WORD.test(kept.trim()) ? NO_NUMBER_AFTER : ''}`, 'iud');
});

/**
 * Not followed by a number, dashes before it or not (`-4` of `Sprints-3-4`, `--4` of `Sprints 3--4`, which a form that
 * ends before it does not read). One way to read each run of blanks and dashes (linear on a long run of blanks).
 */
const NO_NUMBER_AFTER = '(?!\\s*(?:[-\\u2013\\u2014]+\\s*)?\\d)';
/** A form that ends in a word, a number (`{N}`) or a dash, where another number may follow (NO_NUMBER_AFTER); not one ending in `:`. */
const ENDS_IN_WORD = /[\p{L}\p{N}}\u2013\u2014-]$/u;

/** The runs of phase numbers of a heading as phase `n` writes it (droppedHeadings), in the heading's order, those it drops left out. */
function keptRuns(heading: string, n: number): NumberRun[] {
  return numberRuns(heading.trim()).runs.filter((run) => !runDropped(run, n));
}

function droppedHeading(heading: string, n: number): RegExp | undefined {
  if (!heading.includes('{N-')) return undefined;
  return droppedHeadings.get(`${n}\u0000${heading}`);
}

function wholeHeading(heading: string): RegExp | undefined {
  return wholeHeadings.get(heading);
}

/**
 * A heading as an earlier `new` wrote it in phase `n` where that differs from how it writes it now: each `{N-d}` that
 * names no phase dropped alone, the separators or word that joined it to the range's other numbers left (`Sprints-0`
 * of `Sprints {N-1}-{N}`, `Sprints to 0` of `Sprints {N-1} to {N}`, `Sprints-` of `Sprints {N-2}-{N-1}` in phase 0;
 * see withoutNegatives), as a pattern over a title's start, its numbers any digits. Undefined where it wrote the
 * heading as `new` does now.
 */
const earlierHeadings = new Memo<{ re: RegExp } | undefined>(HEADING_MEMO_BOUND, (key) => {
  const at = key.indexOf('\u0000');
  const n = Number(key.slice(0, at));
  const heading = key.slice(at + 1).trim();
  const form = withoutNegatives(heading, n, (p) => p, false);
  // Not where it differs from what `new` writes now in its blanks alone, which any blanks read (`and 1: ` and `and  1: `
  // of `{N-1} and  {N-1} {N+1}: ` in phase 0: was told as an earlier `new`'s, also as `new` writes it now).
  const blanks = (t: string) => t.trim().replace(/\s+/g, ' ');
  if (form === undefined || !form.trim() || blanks(form) === blanks(withoutNegatives(heading, n, (p) => p) ?? '')) return undefined;
  const { literals, runs } = numberRuns(form.trim());
  // Not followed by a number (`Sprints-` of `Sprints {N-2}-{N-1}` is not the start of `Sprints-3-4`, nor `Sprints-0` of
  // `Sprints {N-1}-{N}` the start of `Sprints-3-4`).
  return { re: new RegExp(`${startPattern(literals, runs, false, false).source}${ENDS_IN_WORD.test(form.trim()) ? NO_NUMBER_AFTER : '(?!\\d)'}`, 'iud') };
});

function earlierHeading(heading: string, n: number): { re: RegExp } | undefined {
  if (!heading.includes('{N-')) return undefined;
  return earlierHeadings.get(`${n}\u0000${heading}`);
}

/**
 * The most phases below the one from which every `{N-d}` of a heading names a phase whose forms are read in a later
 * phase: titles by loweredStart, sections by the rules' loweredKeys (the same bound, so that both find the same forms).
 */
export const MAX_LOWER_FORMS = 8;

/**
 * Where `title` starts as `new` writes the kind's `heading` (or a section's title), or an earlier `new` wrote it, in a
 * phase below `n` where a `{N-d}` of it names no phase, with fewer numbers than phase `n` writes (`Sprints 0` and
 * `Sprints-0` of `Sprints {N-1}-{N}`, phase 0's, in phase 1, as a folder copied from phase 0 keeps them; `Sprints` of
 * `Sprints {N-2}-{N-1}` in phase 1): the match, else undefined. Such a title names another phase, as one with another
 * phase's numbers does, and is renumbered to what phase `n` writes.
 */
function loweredStart(heading: string, n: number, title: string): RegExpExecArray | undefined {
  if (!heading.includes('{N-')) return undefined;
  const { runs } = numberRuns(heading.trim());
  const own = runs.filter((run) => !runDropped(run, n)).length;
  let from = 0;
  for (const run of runs) for (const p of run) if (typeof p === 'number' && p < 0) from = Math.max(from, -p);
  for (let m = 0; m < Math.min(from, MAX_LOWER_FORMS); m++) {
    if (m === n || runs.filter((run) => !runDropped(run, m)).length >= own) continue;
    // The longer of the two (`Sprints-` as an earlier `new` wrote it, not `Sprints` as `new` writes it, of `Sprints-`).
    const now = droppedHeading(heading, m)?.exec(title);
    const earlier = earlierHeading(heading, m)?.re.exec(title);
    const x = now && earlier ? (earlier[0].length > now[0].length ? earlier : now) : (now ?? earlier);
    if (x) return x;
  }
  return undefined;
}

/**
 * Where `title` starts as an earlier `new` wrote the kind's `heading` (or a section's title) in phase `n`, its numbers
 * too, and as it writes it no longer (see earlierHeadings: `Sprints-0: Kickoff` of `Sprints {N-1}-{N}: ` in phase 0):
 * the text so written (`Sprints-0`, without the colon that ends a heading), else undefined. heading-mismatch reports
 * it (see titleNumbers), its fix writing the title as `new` does now.
 */
export function earlierTitle(heading: string, n: number, title: string): string | undefined {
  const m = earlierHeading(heading, n)?.re.exec(title);
  if (!m) return undefined;
  if (normalizeSpaces(m[0]) !== normalizeSpaces(earlierWrittenTitle(heading, n) ?? '')) return undefined;
  const text = m[0].trim();
  return text.endsWith(':') ? text.slice(0, -1).trimEnd() : text;
}

/**
 * A run of phase numbers in a heading: a `{N}` (`{N+1}`, `{N-1}`, as its offset) with the `{N}`s and digits
 * written right beside it (`{N+1}{N}`, `{N}1`, `1{N}`), which a title writes as one run of digits (`43` of
 * `{N+1}{N}` in phase 3): no reading can tell where one number of it ends, so it is read whole, as what phase
 * `n` writes there.
 */
type NumberRun = (number | string)[];

/** A heading's runs of phase numbers, and the text around them (`literals`, one more than the runs). */
const runsOf = new Memo<{ literals: string[]; runs: NumberRun[] }>(HEADING_MEMO_BOUND, (heading) => {
  const literals: string[] = [];
  const runs: NumberRun[] = [];
  let literal = '';
  let run: NumberRun = [];
  const flush = () => {
    if (run.some((p) => typeof p === 'number')) {
      literals.push(literal);
      runs.push(run);
      literal = '';
    } else literal += run.join('');
    run = [];
  };
  for (const part of heading.split(/(\{N(?:[+-]\d+)?\}|\d+)/)) {
    if (part === '') continue;
    const m = /^\{N([+-]\d+)?\}$/.exec(part);
    if (m) run.push(m[1] ? Number(m[1]) : 0);
    else if (/^\d/.test(part)) run.push(part);
    else {
      flush();
      literal += part;
    }
  }
  flush();
  literals.push(literal);
  return { literals, runs };
});

function numberRuns(heading: string): { literals: string[]; runs: NumberRun[] } {
  return runsOf.get(heading);
}

/**
 * What phase `n` writes for a run (`43` for `{N+1}{N}` in phase 3); a `{N-d}` that names no phase (in phase 0) writes
 * nothing, as `new` writes it (see writtenTitle).
 */
function runText(run: NumberRun, n: number): string {
  return run.map((p) => (typeof p === 'number' ? (n + p < 0 ? '' : String(n + p)) : p)).join('');
}

/** Whether phase `n` drops a `{N-d}` of the run, which names no phase there (phase 0). */
function runDropped(run: NumberRun, n: number): boolean {
  return run.some((p) => typeof p === 'number' && n + p < 0);
}

/**
 * A run with a `{N-d}` may be read with a minus sign: `-1`, as an earlier `new` wrote it in phase 0. Where the heading
 * starts with the run, only a sign at the title's start. Where it writes a blank before the run, a sign after a blank
 * (of any run: a wrong number's), or a hyphen glued to a word, which stands for the blank and is no minus sign
 * (`Sprint-3` of `Sprint {N-1}` is 3: was read as -3 and renumbered `Sprint4`, then not read; see hyphenated). Where
 * the heading glues the run to a letter or digit (`S{N-2}`, `Q{N}`), a hyphen there is read with it, the hyphen that
 * joins it to the word as a title may write it (`S-3 recap`, `Q-2 review`; see hyphenated), else `-1` as before.
 */
function runSign(run: NumberRun, before: string): string {
  if (/[\p{L}\p{N}]$/u.test(before)) return '-?';
  const lower = run.some((p) => typeof p === 'number' && p < 0);
  // A blank before it in the heading: a hyphen glued to a word there may stand for it (`Sprint-3` of `Sprint {N}`, as
  // `S-3` of `S{N}`), read as no minus sign (see hyphenated); a minus sign after a blank is one, a wrong number's
  // (`Sprints -3-4` of `Sprints {N}-{N-1}`: was not read, and its `-4` read as the `{N-1}`).
  if (/\s$/u.test(before)) return '(?:(?<!\\S)-|(?<=[\\p{L}\\p{N}])-)?';
  return lower ? (before === '' ? '(?:(?<!\\S)-)?' : '-?') : '';
}

/** A run's digits as a pattern: as many as its `{N}`s may write, in one quantifier (linear on a long run of digits). */
function runDigits(run: NumberRun): string {
  const numbers = run.filter((p) => typeof p === 'number').length;
  const digits = run.reduce<number>((k, p) => k + (typeof p === 'string' ? p.length : 0), 0);
  return `\\d{${numbers + digits},${numbers * 9 + digits}}`;
}

/**
 * Substitutes `{N}` and `{N+1}` (and `{N-1}`) in a spec title (or description). For a phase without a number
 * (`sprint-beta`) they are dropped with the blank before them, as its heading drops them (`Sprint {N} Goals` is
 * `Sprint Goals`, `before sprint {N+1}.` `before sprint.`); a title of nothing but them is kept as written.
 */
export function expandTitle(title: string, n: number | undefined): string {
  if (!title.includes('{')) return title;
  if (n === undefined) {
    if (!PLACEHOLDER_RE.test(title)) return title;
    const parts = title.split(PLACEHOLDER_RE);
    const rest = parts
      .map((part, i) => (i < parts.length - 1 ? part.trimEnd() : part))
      .join('')
      .trimStart();
    return rest.trim() ? rest : title;
  }
  return title.replace(/\{N([+-]\d+)?\}/g, (_m, d: string | undefined) => String(n + (d ? Number(d) : 0)));
}

/**
 * What joins a title's leading number to the rest (`3. Plan`, `3: Kickoff`, `3 - Retro`, `3) Retro`): blanks and
 * separators, which go with a `{N-d}` that phase 0 drops at a title's start (see withoutNegatives).
 */
const LEAD_SEPARATORS = /^[\s.,:;)\]/|\u2013\u2014-]*/u;
/** A text of LEAD_SEPARATORS alone. */
const LEAD_SEPARATORS_WHOLE = /^[\s.,:;)\]/|\u2013\u2014-]+$/u;
/** LEAD_SEPARATORS where `lastIndex` is. */
const LEAD_SEPARATORS_AT = /[\s.,:;)\]/|\u2013\u2014-]*/uy;
/**
 * What joins the numbers of a range (`{N-1}-{N}`, `{N-1}–{N}`, `{N-1}, {N}`, `{N-1} to {N}`): separators alone, or a
 * range's word between blanks. A `{N-d}` that phase 0 drops goes with it (see withoutNegatives).
 */
const JOINER_WHOLE = /^(?:[\s.,:;)\]/|\u2013\u2014-]+|\s+(?:to|through|thru|till|until|and|&)\s+)$/iu;
/**
 * A range's joiner that repeats the word written before its first number (`Sprint {N-1} to Sprint {N}`, `S{N-1}–S{N}`):
 * a dash, or a range's word between blanks, then that word, glued to the number as the first is (group 1, the word;
 * group 2, the blanks after it).
 */
const REPEATED_JOINER = /^(?:\s*[\u2013\u2014-]\s*|\s+(?:to|through|thru|till|until|and|&)\s+)(\p{L}[\p{L}\p{N}]*)(\s*)$/iu;
/** The word right before a range's first number, and the blanks between them (REPEATED_JOINER's). */
const WORD_BEFORE = /(?<![\p{L}\p{N}])(\p{L}[\p{L}\p{N}]*)(\s*)$/u;

/**
 * Whether `between` joins two numbers of a range, `before` being the text before the first of them: JOINER's
 * separators or word, or one that repeats the word before the first number, glued to the number as that one is
 * (`Sprint {N-1} to Sprint {N}`; not `Sprint {N-1} to Release {N}`, two things' numbers).
 */
function rangeJoiner(before: string, between: string): boolean {
  if (JOINER_WHOLE.test(between)) return true;
  const m = REPEATED_JOINER.exec(between);
  if (!m) return false;
  const w = WORD_BEFORE.exec(before);
  return !!w && w[1].toLowerCase() === m[1].toLowerCase() && !w[2] === !m[2];
}

/**
 * A spec title (or description, or heading) as `new` writes it for phase `n`: expandTitle's, but a `{N-1}` (`{N-d}`)
 * that would be a negative number (in phase 0) names no phase, and is dropped with the blank before it, as a phase
 * without a number drops its `{N}`s (`Carried over from sprint {N-1}` is `Carried over from sprint` in sprint 0), or,
 * at the title's start, with the blanks and separators after it (`{N-1} Retro: ` is `Retro: `, `{N-1}. Plan` `Plan`),
 * or, joined to a number kept by separators alone, with those, the blank before it kept (`Sprints {N-1}-{N}` is
 * `Sprints 0`); a title of nothing but such is kept as written (a kind's heading so is written as a phase without a
 * number writes it: see headingOf in templates.ts).
 */
export function writtenTitle(title: string, n: number | undefined): string {
  if (n === undefined) return unnumberedTitle(title);
  if (!title.includes('{N-')) return expandTitle(title, n);
  const out = withoutNegatives(title, n, (_p, value) => String(value));
  return out === undefined ? expandTitle(title, n) : out.trim() ? out : title;
}

/**
 * A spec title (or description) as `new` writes it for a phase without a number: its `{N}`s dropped as phase 0 drops a
 * `{N-1}` (writtenTitle), each a number that names no phase — with the hyphen that glues it to a word (`S-{N-2} recap`
 * is `S recap`), at the title's start with the separators after it (`{N-1}. Plan` is `Plan`), a range whole
 * (`Sprints {N-1}-{N}` is `Sprints`) — where that is the section expandTitle's form is (the same title key: `S- recap`,
 * `. Plan` and `Sprints-`, as an earlier `new` wrote them, are the same section), else expandTitle's form
 * (`Review of sprints and`: a range joined by a word, whose key would be another).
 */
function unnumberedTitle(title: string): string {
  const plain = expandTitle(title, undefined);
  if (plain === title) return plain;
  const out = withoutNegatives(title, undefined, (p) => p);
  return out?.trim() && normalizeTitle(out) === normalizeTitle(plain) ? out : plain;
}

/**
 * A spec title (or heading) as an earlier `new` wrote it for phase `n`, where that is no longer how it writes it
 * (writtenTitle): a `{N-d}` that names no phase dropped alone, what joined it to the numbers of its range left
 * (`Sprints-0` of `Sprints {N-1}-{N}`, `Sprints to 0` of `Sprints {N-1} to {N}` in phase 0); else undefined.
 */
export function earlierWrittenTitle(title: string, n: number | undefined): string | undefined {
  if (n === undefined || !title.includes('{N-')) return undefined;
  const out = withoutNegatives(title, n, (_p, value) => String(value), false);
  return out?.trim() && out !== withoutNegatives(title, n, (_p, value) => String(value)) ? out : undefined;
}

/**
 * `title` with each `{N-d}` that phase `n` makes a negative number (each `{N}`, for `n` undefined: a phase without a
 * number, see unnumberedTitle) dropped with the blank before it, and its other
 * `{N}`s (`{N+1}`, …) as `write` writes them (their values, or themselves), the start trimmed; undefined when none
 * is negative (what writtenTitle and droppedHeadings share). `{N}`s joined by separators alone or a range's word
 * (JOINER: `{N-1}-{N}`, `{N-2} to {N-1}`) are a range: those it drops go with the separators that join them to a
 * number it keeps (`Sprints {N-1}-{N}` is `Sprints 0`, not `Sprints-0`; `Sprints {N-1} to {N}` `Sprints 0`), and a
 * range of nothing but such goes whole, as one `{N-d}` does (`Sprints {N-2}-{N-1}` is `Sprints`, not `Sprints-`).
 * Without `ranges`, as an earlier `new` wrote it: each `{N-d}` alone dropped, what joins it kept (`Sprints-0`).
 */
function withoutNegatives(title: string, n: number | undefined, write: (placeholder: string, value: number) => string, ranges = true): string | undefined {
  const parts = title.split(/(\{N(?:[+-]\d+)?\})/);
  const value = (p: string) => (n ?? NaN) + Number(p.slice(2, -1) || 0);
  /** Whether the `{N}` `p` is dropped: one that names no phase (every one, in a phase without a number). */
  const gone = (p: string) => n === undefined || value(p) < 0;
  if (!parts.some((p, i) => i % 2 === 1 && gone(p))) return undefined;
  let out = '';
  // A `{N-d}` dropped at the title's start: the blanks and separators after it go with it (`{N-1}. Plan` is `Plan`).
  let lead = false;
  for (let i = 0; i < parts.length; i++) {
    if (i % 2 === 0) {
      out += lead ? parts[i].replace(LEAD_SEPARATORS, '') : parts[i];
      lead = false;
      continue;
    }
    // The range from `i` to `last`: its `{N}`s joined by JOINER alone.
    let last = i;
    while (ranges && last + 2 < parts.length && rangeJoiner(parts[last - 1], parts[last + 1])) last += 2;
    let lastKept = -1;
    for (let k = i; k <= last; k += 2) if (!gone(parts[k])) lastKept = k;
    // A number dropped goes with the separators after it, or, after the last kept, with those before it (`0-1` of
    // `{N-2}-{N-1}-{N}` in phase 1, `0` of `{N}-{N-1}` in phase 0; see widenDropped, which renumbers a title so).
    let kept = '';
    for (let k = i; k <= last; k++) {
      const dropped = k % 2 === 1 ? gone(parts[k]) : k > lastKept ? gone(parts[k + 1]) : gone(parts[k - 1]);
      if (!dropped) kept += k % 2 === 1 ? write(parts[k], value(parts[k])) : parts[k];
    }
    i = last;
    if (lastKept >= 0) out += kept;
    else {
      // Nothing of it kept: it goes with the blank before it, or the hyphen that glues it to a word (`S recap` of
      // `S-{N-2} recap`, as `S {N-2} recap` and `S{N-2} recap` are written).
      out = out.trimEnd();
      if (ranges) out = out.replace(/(?<=[\p{L}\p{N}])-$/u, '');
      lead = out === '';
    }
  }
  return out.trimStart();
}

/** Where a title names a phase number as the kind's `heading` does: the number, where it is, and the one this phase wants. */
export interface TitleNumber {
  start: number;
  end: number;
  /** The number read (NaN for a run of digits other than wanted that no number can tell apart from it: past 15 digits). */
  value: number;
  want: number;
  /** What this phase writes there (`43` of `{N+1}{N}` in phase 3). */
  written: string;
  /**
   * A hyphen right before `start` that joins the number to the word before it: one the heading writes there
   * (`glued`: `S-3` of `S-{N-2}`), or one written where the heading has a blank (`blank`: `Sprint-3` of `Sprint {N}`).
   * A number dropped goes with it (see widenDropped).
   */
  hyphen?: 'glued' | 'blank';
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * One pattern per run of phase numbers (`numberRuns`: a `{N}`, `{N+1}` or `{N-1}`, with those and digits glued
 * to it) of a kind's `heading`: the number, anchored by the word written right before it (`Phase` in
 * `Phase {N}: `, `Sprint` in `Sprint {N} Goals`), else by the word right after it (`{N}. Plan`); a heading of
 * the number alone takes the title's first number.
 */
const titlePatterns = new Memo<{ run: NumberRun; re: RegExp }[]>(HEADING_MEMO_BOUND, (heading) => {
  const { literals, runs } = numberRuns(heading);
  return runs.map((run, i) => {
    const before = /(?<!\S)(\S+)\s*$/u.exec(literals[i])?.[1];
    const after = /^\s*(\S+)/u.exec(literals[i + 1])?.[1];
    const edge = (w: string) => (/^[\p{L}\p{N}]/u.test(w) ? '(?<![\\p{L}\\p{N}])' : '');
    const tail = (w: string) => (/[\p{L}\p{N}]$/u.test(w) ? '(?![\\p{L}\\p{N}])' : '');
    const sign = runSign(run, literals[i]);
    // A hyphen the heading glues between the word and the number (`S-{N}`): optional, or blanks instead (`S3`, `S 3`).
    const source = before
      ? `${edge(before)}${HYPHEN_JOINED.test(before) ? `${escapeRe(before.slice(0, -1))}(?:-|\\s*)` : `${escapeRe(before)}\\s*`}(${sign}\\d+)(?!\\d)`
      : after
        ? `(?<!\\d)(${sign}\\d+)\\s*${escapeRe(after)}${tail(after)}`
        : `(?<!\\d)(${sign}\\d+)(?!\\d)`;
    return { run, re: new RegExp(source, 'giu') };
  });
});

function titlePattern(heading: string): { run: NumberRun; re: RegExp }[] {
  return titlePatterns.get(heading);
}

/**
 * The number `read` where phase `n` writes `run`: its value, and the one wanted. A number where phase 0 writes none (a
 * `{N-1}`'s) is wrong, but the `-1` an earlier `new` wrote there, which is accepted; what goes with it is widened to
 * by widenDropped.
 */
function runNumber(run: NumberRun, n: number, title: string, start: number, end: number, literal: string): TitleNumber {
  let hyphen: TitleNumber['hyphen'];
  // A hyphen between the word and the number (`S-3` of `S{N-2}`, `Sprint-3` of `Sprint {N}`): no minus sign (see hyphenated).
  if (hyphenated(run, n, title.charCodeAt(start), title[start - 1], literal)) {
    start++;
    if (/\s$/u.test(literal)) hyphen = 'blank';
  } else if (/[\p{L}\p{N}]-$/u.test(literal) && title[start - 1] === '-' && /[\p{L}\p{N}]/u.test(title[start - 2] ?? '')) hyphen = 'glued';
  const read = title.slice(start, end);
  const written = runText(run, n);
  if (runDropped(run, n)) {
    const want = written === '' ? -1 : Number(written);
    const old = run.map((p) => (typeof p === 'number' ? String(n + p) : p)).join('');
    return { start, end, value: read === old || read === written ? want : NaN, want, written, ...(hyphen && { hyphen }) };
  }
  const want = Number(written);
  let value = Number(read);
  // Digits that differ from those written, but not as numbers (past 15 digits): wrong all the same.
  if (value === want && read.replace(/^0+(?=\d)/, '') !== written.replace(/^0+(?=\d)/, '')) value = NaN;
  return { start, end, value, want, written };
}

/**
 * The numbers of `found` that phase `n` writes as nothing (a `{N-1}`'s in phase 0) widened to what goes with them,
 * so that renumbering leaves the title as `new` writes it (see withoutNegatives). `joined[i]`: numbers `i` and `i + 1`
 * are a range's (JOINER between them, in the heading and in the title). In a range with a number kept, one dropped
 * goes with the separators after it, or, after the last kept, before it (`Sprints 3-4` is `Sprints 0`, `Sprints 0-3`
 * of `Sprints {N}-{N-1}` too); one of nothing kept goes with the blanks before it, its others each with the separators
 * before them, and, at the title's start, the blanks and separators after it (`3-4 Retro` is `Retro`).
 */
function widenDropped(found: TitleNumber[], joined: boolean[], title: string): TitleNumber[] {
  const out = found.map((f) => ({ ...f }));
  for (let a = 0; a < out.length;) {
    let b = a;
    while (b + 1 < out.length && joined[b]) b++;
    const gone = (i: number) => out[i].written === '';
    let lastKept = -1;
    for (let i = a; i <= b; i++) if (!gone(i)) lastKept = i;
    if (lastKept >= 0) {
      for (let i = a; i <= b; i++) {
        if (!gone(i)) continue;
        if (i < lastKept) {
          out[i].end = found[i + 1].start;
          // After a hyphen that stands for the heading's blank (`Sprints-3-4` of `Sprints {N-1}-{N}`): that blank.
          if (found[i].hyphen === 'blank') {
            out[i].start--;
            out[i].written = ' ';
          }
        } else out[i].start = found[i - 1].end;
      }
    } else if (gone(a)) {
      // With the hyphen that joins it to the word before (`S-3` of `S-{N-2}`, `Sprint-3` of `Sprint {N-1}`).
      let from = found[a].start - (found[a].hyphen ? 1 : 0);
      while (from > 0 && /\s/.test(title[from - 1])) from--;
      out[a].start = from;
      for (let i = a + 1; i <= b; i++) out[i].start = found[i - 1].end;
      if (from === 0) {
        LEAD_SEPARATORS_AT.lastIndex = found[b].end;
        out[b].end = found[b].end + LEAD_SEPARATORS_AT.exec(title)![0].length;
      }
    }
    a = b + 1;
  }
  return out;
}

/** Whether the text of `title` from `from` to `to` joins two numbers as a range's (JOINER), where the heading's `literal` does. */
function joinsRange(before: string, literal: string, title: string, from: number, to: number): boolean {
  if (!rangeJoiner(before, literal)) return false;
  const between = title.slice(from, to);
  if (JOINER_WHOLE.test(between)) return JOINER_WHOLE.test(literal);
  // A joiner that repeats the heading's word (`to Sprint` of `Sprint {N-1} to Sprint {N}`): the title's repeats it too.
  return normalizeSpaces(between) === normalizeSpaces(literal);
}

/** A text trimmed, its runs of blanks one space, in lower case: as two titles' any blanks and any case compare. */
function normalizeSpaces(s: string): string {
  return s.trim().replace(/\s+/g, ' ').toLowerCase();
}

/**
 * The phase numbers `title` names where the kind's `heading` puts them, in order (each searched after the
 * one before), with the number phase `n` wants there. Other numbers of the title (`Q3 2024`, `Sprint 7`)
 * are not read; a title without the heading's words around a number (`Phase One`) names none. A run of
 * `{N}`s and digits glued together (`Q{N+1}{N}`) is one number, read whole (`Q43` in phase 3).
 */
export function titleNumbers(heading: string, n: number, title: string): TitleNumber[] {
  const { literals, runs } = numberRuns(heading.trim());
  // A title that starts as the heading is written (`Q3 review of Q1 and Q4: …` of `Q{N} review of Q1 and Q{N+1}: `):
  // its numbers are where the heading puts them (searching for the word before each would take `Q1` for `Q{N+1}`).
  const whole = wholeHeading(heading)?.exec(title);
  if (whole) {
    const found = runs.map((run, i) => runNumber(run, n, title, ...whole.indices![i + 1], literals[i]));
    return widenDropped(
      found,
      found.map((f, i) => i + 1 < found.length && joinsRange(literals[i], literals[i + 1], title, f.end, found[i + 1].start)),
      title,
    );
  }
  // A title that starts as an earlier `new` wrote it (`Sprints-0: …`): that start is wrong, as `new` writes it now.
  const earlier = earlierHeading(heading, n)?.re.exec(title);
  if (earlier) {
    const start = earlier[0].length - earlier[0].trimStart().length;
    const end = start + earlier[0].trim().length;
    return [{ start, end, value: NaN, want: -1, written: writtenTitle(heading, n).trim() }];
  }
  // A title that starts as phase 0 writes the heading, its `{N-1}` dropped (`Sprint to Sprint 0: …`): its numbers there.
  const dropped = droppedHeading(heading, n)?.exec(title);
  if (dropped) {
    return keptRuns(heading, n).map((run, i) => {
      const [start, end] = dropped.indices![i + 1];
      return runNumber(run, n, title, start, end, '');
    });
  }
  // A title that starts as a phase below writes the heading, with fewer numbers (`Sprints 0: …` in phase 1): wrong whole.
  const lowered = loweredStart(heading, n, title);
  if (lowered) {
    const text = lowered[0].trim();
    const start = lowered.index + lowered[0].indexOf(text);
    return [{ start, end: start + text.length, value: NaN, want: -1, written: writtenTitle(heading, n).trim() }];
  }
  const out: TitleNumber[] = [];
  // The heading's run of each number found.
  const at: number[] = [];
  let from = 0;
  for (const [i, { run, re }] of titlePattern(heading).entries()) {
    re.lastIndex = from;
    const m = re.exec(title);
    if (!m) continue;
    const start = m.index + m[0].indexOf(m[1]);
    out.push(runNumber(run, n, title, start, start + m[1].length, literals[i]));
    at.push(i);
    from = m.index + m[0].length;
  }
  const joined = out.map(
    (f, k) => k + 1 < out.length && at[k + 1] === at[k] + 1 && joinsRange(literals[at[k]], literals[at[k] + 1], title, f.end, out[k + 1].start),
  );
  return widenDropped(out, joined, title);
}

/** `title` with the phase numbers the kind's `heading` reads in it (`titleNumbers`) those of phase `n`; the rest as it is. */
export function renumberTitle(heading: string, n: number, title: string): string {
  let out = title;
  const found = titleNumbers(heading, n, title);
  for (let i = found.length - 1; i >= 0; i--) {
    const f = found[i];
    out = out.slice(0, f.start) + f.written + out.slice(f.end);
  }
  return out;
}

/** `wholeHeading`'s pattern without the match indices, and the heading's runs (`titleNumbersWrong` reads only the numbers). */
const wholeHeadingsPlain = new Memo<{ re: RegExp; runs: NumberRun[]; literals: string[] } | undefined>(HEADING_MEMO_BOUND, (heading) => {
  const re = wholeHeading(heading);
  return re ? { re: new RegExp(re.source, 'iu'), ...numberRuns(heading.trim()) } : undefined;
});

function wholeHeadingPlain(heading: string): { re: RegExp; runs: NumberRun[]; literals: string[] } | undefined {
  return wholeHeadingsPlain.get(heading);
}

/**
 * Whether the minus sign a number is read with (its first character, `c`) is a hyphen that joins it to the word it
 * is glued to (`before`, the character before it): `S-3` of `S{N-2} recap` in sprint 5, which is written `S3 recap`
 * and, as `S {N-2} recap` is, `S-3 recap`. Where the heading glues the run to the word (`literal`, its text before
 * the run, ends in no blank), only where phase `n` writes a number for the run, which is never negative: where it
 * writes none, that is the `-1` an earlier `new` wrote (`S-1 recap` in sprint 1), read as before. Where the heading
 * writes a blank there, the hyphen stands for it in any phase (that `-1` is written after a blank: `S -2 recap`).
 */
function hyphenated(run: NumberRun, n: number, c: number, before: string | undefined, literal: string): boolean {
  return c === 45 && before !== undefined && /[\p{L}\p{N}]/u.test(before) && (/\s$/u.test(literal) || !runDropped(run, n));
}

/**
 * Whether the number `read` where phase `n` writes `run` is another than the one wanted (`runNumber`'s `value !== want`);
 * `before`: the character before it in the title (see hyphenated).
 */
function runNumberWrong(run: NumberRun, n: number, read: string, before: string | undefined, literal: string): boolean {
  const written = run.length === 1 && typeof run[0] === 'number' ? String(n + run[0]) : runText(run, n);
  const hyphen = hyphenated(run, n, read.charCodeAt(0), before, literal);
  // The digits written: the number wanted (a run of digits is never NaN); not `-2` where that hyphen is no minus sign.
  if (read === written && !hyphen) return false;
  const found = runNumber(run, n, read, hyphen ? 1 : 0, read.length, '');
  return found.value !== found.want;
}

/**
 * Whether `title` names a phase number other than phase `n`'s where the kind's `heading` puts one:
 * `titleNumbers(heading, n, title).some((x) => x.value !== x.want)`, without making the numbers (performance
 * only: the structure rules ask it of every title and section, and nearly all are right).
 */
export function titleNumbersWrong(heading: string, n: number, title: string): boolean {
  // As an earlier `new` wrote it (`Sprints-0`, `Sprints-` of `Sprints {N-2}-{N-1}`: no digit there), but not as it
  // starts as the heading is written.
  const earlier = earlierHeading(heading, n);
  if (earlier && earlier.re.test(title) && !wholeHeadingPlain(heading)?.re.test(title)) return true;
  // Every number read is a run of ASCII digits (`\d`): a title without a digit names none.
  let digit = false;
  for (let i = 0; i < title.length && !digit; i++) {
    const c = title.charCodeAt(i);
    digit = c >= 48 && c <= 57;
  }
  // Without a digit, as a phase below writes it, numbers dropped (`Sprints` of `Sprints {N-2}-{N-1}` in phase 1).
  if (!digit)
    return (
      heading.includes('{N-') && !wholeHeadingPlain(heading)?.re.test(title) && !droppedHeading(heading, n)?.test(title) && !!loweredStart(heading, n, title)
    );
  const whole = wholeHeadingPlain(heading);
  const m = whole?.re.exec(title);
  if (m) {
    const { runs, literals } = whole!;
    // The number comes right after the heading's text before it, as written there.
    for (let i = 0; i < runs.length; i++) if (runNumberWrong(runs[i], n, m[i + 1], literals[i].slice(-1) || undefined, literals[i])) return true;
    return false;
  }
  const dropped = droppedHeading(heading, n)?.exec(title);
  if (dropped) {
    const runs = keptRuns(heading, n);
    for (let i = 0; i < runs.length; i++) if (runNumberWrong(runs[i], n, dropped[i + 1], undefined, '')) return true;
    return false;
  }
  if (loweredStart(heading, n, title)) return true;
  let from = 0;
  const { literals } = numberRuns(heading.trim());
  for (const [i, { run, re }] of titlePattern(heading).entries()) {
    re.lastIndex = from;
    const p = re.exec(title);
    if (!p) continue;
    if (runNumberWrong(run, n, p[1], title[p.index + p[0].indexOf(p[1]) - 1], literals[i])) return true;
    from = p.index + p[0].length;
  }
  return false;
}

/** sectionSpecGate's answers by layout and section spec, null for none (performance only: every document asks for each section of its kind). */
const specGates = new WeakMap<LayoutSpec, WeakMap<SectionSpec, string | null>>();

/**
 * The gate of `layout` a section spec names by its title or one of its aliases, compared by title key
 * (`normalizeTitle`): the gate's name (`Review`), `Gate N: name` (`Gate 5: Review`) or `Gate: name`; the first
 * such gate in the layout's order, else undefined. Remembered per layout and section spec.
 */
export function sectionSpecGate(layout: LayoutSpec, sec: SectionSpec): string | undefined {
  let known = specGates.get(layout);
  if (!known) specGates.set(layout, (known = new WeakMap()));
  let gate = known.get(sec);
  if (gate === undefined) {
    gate = null;
    const keys = [sec.title, ...(sec.aliases ?? [])].map((t) => normalizeTitle(t));
    for (const g of layout.gates) {
      const k = normalizeTitle(g.name);
      if (keys.some((x) => x === k || x === 'gate # ' + k || x === 'gate ' + k)) {
        gate = g.name;
        break;
      }
    }
    known.set(sec, gate);
  }
  return gate ?? undefined;
}
