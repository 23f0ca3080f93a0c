/** Every rule id the engine reports, with its default severity. The README documents each with an example. */
import type { RuleInfo } from './rule';

export const RULES: RuleInfo[] = [
  {
    id: 'invalid-front-matter',
    severity: 'error',
    description: 'Front matter YAML does not parse, is not closed, or is not a mapping, or front matter does not start on the first line.',
  },
  { id: 'front-matter-schema', severity: 'error', description: "Front matter does not match its document kind's JSON Schema." },
  { id: 'missing-front-matter', severity: 'information', description: 'A phase document has no front matter.' },
  { id: 'missing-document', severity: 'error', description: 'A document the layout requires is missing from the phase folder.' },
  { id: 'missing-folder', severity: 'warning', description: 'A folder the layout requires (03-FINDINGS, 04-ARTIFACTS) is missing.' },
  { id: 'missing-section', severity: 'error', description: 'A required section is missing.' },
  { id: 'empty-section', severity: 'warning', description: 'A required section has no content.' },
  { id: 'section-order', severity: 'warning', description: 'Required sections are not in the order of the template.' },
  { id: 'heading-mismatch', severity: 'warning', description: "The document's title does not name its own phase." },
  { id: 'unfilled-placeholder', severity: 'warning', description: 'A template placeholder is left unfilled.' },
  { id: 'broken-link', severity: 'error', description: 'A relative link points to a file or folder that does not exist.' },
  {
    id: 'broken-anchor',
    severity: 'warning',
    description: 'A link names a place (`#anchor`) that no heading of its Markdown document gives.',
  },
  { id: 'missing-artifact', severity: 'error', description: 'An artifact or input path listed in a handoff does not exist.' },
  { id: 'missing-tests', severity: 'error', description: 'An implementation response lists no tests.' },
  { id: 'missing-test-proof', severity: 'error', description: 'An implementation response has no execution proof that its tests ran.' },
  {
    id: 'failing-test-proof',
    severity: 'error',
    description: 'The execution proof of an implementation response, or a test run in a validation document, shows failing tests.',
  },
  {
    id: 'unaddressed-deliverable',
    severity: 'error',
    description: 'A deliverable of the prompt (or brief) is not addressed by the response (or output handoff).',
  },
  { id: 'gate-item-unchecked', severity: 'warning', description: 'A gate checklist item is not checked.' },
  { id: 'gate-item-no-evidence', severity: 'warning', description: 'A checked gate item cites no evidence (a link or `Evidence:`).' },
  { id: 'metric-threshold', severity: 'error', description: 'A success metric misses its threshold.' },
  { id: 'decision-without-rationale', severity: 'error', description: 'A decision gives no rationale.' },
  { id: 'risk-without-mitigation', severity: 'warning', description: 'A risk names no mitigation.' },
  { id: 'phase-numbering-gap', severity: 'warning', description: 'Phase numbers skip a number.' },
  { id: 'phase-numbering-duplicate', severity: 'error', description: 'Two phases share a number.' },
  { id: 'handoff-mismatch', severity: 'error', description: "Phase N+1's input handoff does not match what phase N's output handoff hands off." },
  { id: 'prerequisite-unmet', severity: 'warning', description: 'A prerequisite handed off by the previous phase is not confirmed in the input handoff.' },
  { id: 'plan-status-mismatch', severity: 'warning', description: 'The project plan disagrees with a phase: status, or a phase missing from the plan.' },
  {
    id: 'unvalidated-handoff',
    severity: 'warning',
    description: "Phase N+1's input handoff takes its inputs from a phase N whose gates have not all passed.",
  },
  { id: 'invalid-config', severity: 'error', description: 'phasegate.yaml is malformed or does not match its schema.' },
  { id: 'unreadable-file', severity: 'error', description: 'A phase document cannot be read, is binary, is not UTF-8, or is too large.' },
  {
    id: 'document-too-large',
    severity: 'warning',
    description: 'A document is too large to read its Markdown structure: the rules that need it do not check it.',
  },
  {
    id: 'too-many-problems',
    severity: 'information',
    description: 'A document has more problems than are reported for one file: the rest are counted, not listed.',
  },
  {
    id: 'case-conflict',
    severity: 'warning',
    description:
      'Files or folders of one folder whose names differ only in case (documents, artifacts, workstream, phase or findings folders): on Windows and macOS the two are one.',
  },
  {
    id: 'copied-document',
    severity: 'warning',
    description:
      "A document that is, but for its phase numbers, the one of its kind of one of the two phases before it, or of the phase after it where it names that phase as its own (a folder copied backwards), and claims progress (a status other than draft, a ticked item): a copied phase folder's.",
  },
  { id: 'invalid-directive', severity: 'warning', description: 'A `phasegate-disable…` comment names an unknown directive or rule.' },
  { id: 'unused-directive', severity: 'warning', description: 'A `phasegate-disable…` comment silences no problem.' },
];

export const RULE_IDS = new Set(RULES.map((r) => r.id));

export function ruleInfo(id: string): RuleInfo | undefined {
  return RULES.find((r) => r.id === id);
}

/** Base of the documentation links attached to diagnostic codes. */
export const RULE_DOCS_BASE = 'https://github.com/phasegate/phasegate/blob/main/README.md#rule-';

export function ruleDocsUrl(id: string): string {
  return RULE_DOCS_BASE + id;
}
