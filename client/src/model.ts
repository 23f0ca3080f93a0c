/** Helpers over the phase tree the server sends: lookups by URI, next phase, labels and icons of statuses. */
import * as vscode from 'vscode';
import type { GateStatus, GroupNode, PhaseNode, PhaseStatus, PhasesResult, ProblemCounts } from '../../server/src/protocol';

export interface PhaseRef {
  phase: PhaseNode;
  group: GroupNode;
  folderUri: string;
}

export function allPhases(result: PhasesResult | undefined): PhaseRef[] {
  const out: PhaseRef[] = [];
  for (const f of result?.folders ?? []) for (const g of f.groups) for (const p of g.phases) out.push({ phase: p, group: g, folderUri: f.uri });
  return out;
}

/** URIs as the editor prints them: the server's encoding of the same path may differ (e.g. `%3A` vs `:`). */
export function normUri(uri: string): string {
  return vscode.Uri.parse(uri).toString();
}

/** Whether `uri` (as the editor prints it) is `folder` or inside it. */
export function isInside(folder: string, uri: string): boolean {
  folder = normUri(folder);
  const base = folder.endsWith('/') ? folder : folder + '/';
  return uri === folder || uri.startsWith(base);
}

/** The phase whose folder holds `uri` (the deepest one). */
export function phaseAt(result: PhasesResult | undefined, uri: vscode.Uri | string): PhaseRef | undefined {
  const s = typeof uri === 'string' ? normUri(uri) : uri.toString();
  let best: PhaseRef | undefined;
  for (const r of allPhases(result)) if (isInside(r.phase.uri, s) && (!best || r.phase.uri.length > best.phase.uri.length)) best = r;
  return best;
}

/** The phase numbered N+1 in the same group, as the server's handoff rules pair them. */
export function nextPhase(ref: PhaseRef): PhaseNode | undefined {
  const n = ref.phase.number;
  if (n === null) return undefined;
  return ref.group.phases.find((p) => p.number === n + 1);
}

/** The phase that receives this phase's output handoff, when both sides have handoff documents. */
export function handoffTarget(ref: PhaseRef): PhaseNode | undefined {
  const next = nextPhase(ref);
  const hands = ref.phase.documents.some((d) => d.kind === 'output-handoff') && next?.documents.some((d) => d.kind === 'input-handoff');
  return hands ? next : undefined;
}

export function gateCounts(phase: PhaseNode): { passed: number; total: number } {
  return { passed: phase.gates.filter((g) => g.status === 'passed').length, total: phase.gates.length };
}

export const PHASE_STATUS_LABEL: Record<PhaseStatus, string> = {
  'not-started': 'not started',
  'in-progress': 'in progress',
  blocked: 'blocked',
  complete: 'complete',
  checking: 'checking…',
};

/** Whether the server has not checked the phase yet: its gates and problems are not known (`checking`). */
export function isChecking(phase: PhaseNode): boolean {
  return phase.status === 'checking';
}

/** How many of `phases` the server has not checked yet. */
export function checkingCount(phases: readonly PhaseNode[]): number {
  let n = 0;
  for (const p of phases) if (isChecking(p)) n++;
  return n;
}

export function phaseIcon(status: PhaseStatus): vscode.ThemeIcon {
  switch (status) {
    case 'complete':
      return new vscode.ThemeIcon('pass-filled', new vscode.ThemeColor('testing.iconPassed'));
    case 'blocked':
      return new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed'));
    case 'in-progress':
      return new vscode.ThemeIcon('circle-large-filled', new vscode.ThemeColor('charts.blue'));
    case 'checking':
      return new vscode.ThemeIcon('loading~spin');
    default:
      return new vscode.ThemeIcon('circle-large-outline');
  }
}

export function gateIcon(status: GateStatus): vscode.ThemeIcon {
  switch (status) {
    case 'passed':
      return new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed'));
    case 'failed':
      return new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed'));
    default:
      return new vscode.ThemeIcon('circle-large-outline', new vscode.ThemeColor('testing.iconQueued'));
  }
}

/** Codicon text for the status bar and quick picks. */
export function gateCodicon(status: GateStatus): string {
  return status === 'passed' ? '$(pass)' : status === 'failed' ? '$(error)' : '$(circle-large-outline)';
}

/** `2 errors, 1 warning`, or '' when there are none (hints are not counted as problems) or they are not known yet (`null`). */
export function problemText(c: ProblemCounts | null): string {
  const parts: string[] = [];
  if (!c) return '';
  if (c.errors) parts.push(`${c.errors} error${c.errors > 1 ? 's' : ''}`);
  if (c.warnings) parts.push(`${c.warnings} warning${c.warnings > 1 ? 's' : ''}`);
  if (c.infos) parts.push(`${c.infos} info`);
  if (c.more) parts.push(`${c.more} more not listed`);
  return parts.join(', ');
}

/**
 * A phase's row label: stable and unambiguous, whatever its title says. An audit phase's id
 * (`phase-2`), an iAI phase's folder name (`Phase_3_Advanced_CI`; its workstream is the row above).
 */
export function phaseLabel(phase: PhaseNode): string {
  return phase.workstream !== null ? phase.id.slice(phase.id.lastIndexOf('/') + 1) : phase.id;
}

/** The phase's title (from its brief or prompt) when it says more than its label; else undefined. */
export function phaseTitleText(phase: PhaseNode): string | undefined {
  return phase.title && phase.title !== phaseLabel(phase) && phase.title !== phase.id ? phase.title : undefined;
}

/** The gate (among `gates`) a blocker (`<gate>: <reason>`) is a reason of: the one with the longest name it starts with. */
function blockerGate(gates: readonly string[], blocker: string): string | undefined {
  let best: string | undefined;
  for (const g of gates) if (blocker.startsWith(`${g}: `) && (!best || g.length > best.length)) best = g;
  return best;
}

/** The gates of the phase not passed, by name. */
function heldGates(phase: PhaseNode): string[] {
  return phase.gates.filter((g) => g.status !== 'passed').map((g) => g.name);
}

/** The reasons of a gate of the phase not passed, from its `blockers` (`<gate>: <reason>`). */
export function gateReasons(phase: PhaseNode, gate: string): string[] {
  const held = heldGates(phase);
  return phase.blockers.filter((b) => blockerGate(held, b) === gate).map((b) => b.slice(gate.length + 2));
}

/** The command a tooltip link runs to go to what holds a gate (trusted in those tooltips, and only it). */
export const GO_TO_GATE_CAUSE = 'phasegate.goToGateCause';

/** A Markdown link, for a tooltip, that goes to what holds gate `gate` of the phase. */
export function gateCauseLink(phase: PhaseNode, gate: string, text: string): string {
  const args = encodeURIComponent(JSON.stringify([{ phaseUri: phase.uri, gate }]));
  return `[${text}](command:${GO_TO_GATE_CAUSE}?${args} "Go to what holds the gate")`;
}

/** One line per gate with its status; a gate not passed links to what holds it. */
export function appendGates(md: vscode.MarkdownString, p: PhaseNode): void {
  for (const g of p.gates) {
    const name = g.status === 'passed' ? escapeMd(g.name) : gateCauseLink(p, g.name, escapeMd(g.name));
    md.appendMarkdown(`${gateCodicon(g.status)} ${name}: ${g.status}  \n`);
  }
}

/**
 * The phase's blockers as a Markdown list, in their order: a gate's reason links to what holds the gate,
 * any other (the documents not written) is as it is. Undefined when there are none.
 */
export function blockersMarkdown(p: PhaseNode): string | undefined {
  const held = heldGates(p);
  const lines = p.blockers.map((b) => {
    const gate = blockerGate(held, b);
    return gate ? `- ${gateCauseLink(p, gate, escapeMd(gate))}: ${escapeMd(b.slice(gate.length + 2))}` : `- ${escapeMd(b)}`;
  });
  return lines.length ? lines.join('\n') : undefined;
}

/** Markdown text with its markup characters escaped. */
export function escapeMd(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}

export interface IaiProject {
  /** URI of the project folder (the one holding `workstreams/`). */
  uri: string;
  /** URI of the workspace folder it is in. */
  folderUri: string;
  hasPlan: boolean;
}

function parentUri(uri: string): string {
  const u = vscode.Uri.parse(uri);
  return u.with({ path: u.path.replace(/\/[^/]+\/?$/, '') || '/' }).toString();
}

/** The iAI projects of the tree (from their workstreams), each with whether its project plan exists. */
export function iaiProjects(data: PhasesResult | undefined): IaiProject[] {
  const out: IaiProject[] = [];
  for (const f of data?.folders ?? []) {
    const plans = new Set(f.plans.map(normUri));
    for (const g of f.groups) {
      if (g.workstream === null) continue;
      // <project>/workstreams/<Workstream>
      const uri = normUri(parentUri(parentUri(g.uri)));
      if (out.some((p) => p.uri === uri)) continue;
      const plan = vscode.Uri.joinPath(vscode.Uri.parse(uri), 'project_implementation_plan.md').toString();
      out.push({ uri, folderUri: f.uri, hasPlan: plans.has(normUri(plan)) });
    }
  }
  return out;
}

/** The folder of an audit phase that holds its findings. */
export const FINDINGS_FOLDER = '03-FINDINGS';

/** Phases whose layout keeps findings (the audit layout's 03-FINDINGS/). */
export function keepsFindings(layout: string): boolean {
  return layout === 'audit';
}
