/** Gate evaluation: each gate of a phase passed, failed or pending, with the reasons; the phase status follows. */
import type { PhasegateService } from './service';
import type { Phase } from './workspace';
import { ListItem, ParsedDocument, Section, itemsWithin, normalizeTitle } from './markdown';

export type GateStatus = 'passed' | 'failed' | 'pending';
export type PhaseStatus = 'not-started' | 'in-progress' | 'blocked' | 'complete';

export interface GateItem {
  text: string;
  checked: boolean;
  evidence: boolean;
  line: number;
}

export interface GateResult {
  name: string;
  status: GateStatus;
  /** Why the gate is not passed (empty when passed). */
  reasons: string[];
  /** The gate's checklist, when it has one. */
  items: GateItem[];
  /** File and line of the gate's checklist heading, when there is one. */
  file: string | undefined;
  line: number | undefined;
}

/** A checked item cites evidence when it holds a link, a code span naming a path, or `Evidence:`. */
export function hasEvidence(item: ListItem): boolean {
  return /\]\(|<https?:|evidence\s*:|`[^`]+`/i.test(item.text);
}

/** The checklist section of a gate: `## <Name>`, a heading ending with the name, or `## Gate N: <Name>`. */
export function gateSection(sections: Section[], gate: string): Section | undefined {
  const key = normalizeTitle(gate);
  const spaced = ' ' + key;
  const numbered = 'gate # ' + key;
  for (let i = 0; i < sections.length; i++) {
    const k = sections[i].key;
    if (k === key || k.endsWith(spaced) || k === numbered) return sections[i];
  }
  return undefined;
}

/** The task items of a gate's checklist section (subsections included), in order. */
function checklistItems(doc: ParsedDocument, sec: Section): GateItem[] {
  const out: GateItem[] = [];
  for (const it of itemsWithin(doc, sec)) {
    if (it.checked !== undefined) out.push({ text: it.text, checked: it.checked, evidence: hasEvidence(it), line: it.line });
  }
  return out;
}

/** `N × rule-id` for each rule of `diags`, in order of first appearance. */
function countByCode(diags: readonly { code: string }[]): string[] {
  const byCode = new Map<string, number>();
  for (const d of diags) byCode.set(d.code, (byCode.get(d.code) ?? 0) + 1);
  return [...byCode].map(([code, n]) => `${n} × ${code}`);
}

export function evaluateGates(svc: PhasegateService, phase: Phase): GateResult[] {
  // Errors of a gate's rules fail it; their warnings keep it pending (the phase is not done yet, nothing
  // is broken); information and hints, severities a team chose for what it does not hold phases to, do not count.
  const diags = svc.phaseDiagnostics(phase).filter((d) => d.severity === 'error' || d.severity === 'warning');
  const checklistDocs = phase.layout.name === 'audit' ? phase.documents.filter((d) => d.spec.kind === 'validation') : phase.documents;
  const primary = phase.layout.name === 'iai' ? phase.documents.find((d) => d.spec.kind === 'response') : undefined;
  return phase.layout.gates.map((gate): GateResult => {
    const res: GateResult = { name: gate.name, status: 'passed', reasons: [], items: [], file: undefined, line: undefined };
    for (const d of checklistDocs) {
      if (!d.exists) continue;
      const doc = svc.getDocument(d.path);
      if (!doc) continue;
      const sec = gateSection(doc.sections, gate.name);
      if (!sec) continue;
      res.file = d.path;
      res.line = sec.heading.line;
      res.items = checklistItems(doc, sec);
      break;
    }
    const counted = diags.length ? diags.filter((d) => gate.failOn.includes(d.code)) : diags;
    const failing = counted.filter((d) => d.severity === 'error');
    if (failing.length) {
      res.status = 'failed';
      res.reasons.push(...countByCode(failing));
      return res;
    }
    res.reasons.push(...countByCode(counted));
    if (phase.layout.name === 'audit') {
      const validation = phase.documents.find((d) => d.spec.kind === 'validation');
      if (!validation?.exists) res.reasons.push('no validation checklist');
      else if (res.file === undefined) res.reasons.push(`no "${gate.name}" checklist in ${validation.spec.file}`);
      else if (res.items.length === 0) res.reasons.push('checklist has no items');
    } else if (primary && !primary.exists) {
      res.reasons.push(`${primary.spec.file} not written yet`);
    }
    let unchecked = 0;
    let noEvidence = 0;
    for (const i of res.items) {
      if (!i.checked) unchecked++;
      else if (!i.evidence) noEvidence++;
    }
    if (unchecked) res.reasons.push(`${unchecked} item${unchecked > 1 ? 's' : ''} unchecked`);
    if (noEvidence) res.reasons.push(`${noEvidence} item${noEvidence > 1 ? 's' : ''} without evidence`);
    if (res.reasons.length) res.status = 'pending';
    return res;
  });
}

export function phaseStatus(svc: PhasegateService, phase: Phase, gates = evaluateGates(svc, phase)): PhaseStatus {
  const started = phase.documents.some((d) => d.exists && d.spec.kind !== 'brief' && d.spec.kind !== 'prompt');
  if (gates.some((g) => g.status === 'failed')) return started ? 'blocked' : 'not-started';
  // Complete: every gate passed and every document the layout requires is there (a custom layout's gates
  // may not answer for missing documents).
  if (gates.length > 0 && gates.every((g) => g.status === 'passed') && phase.documents.every((d) => d.exists || !d.spec.required)) return 'complete';
  return started ? 'in-progress' : 'not-started';
}
