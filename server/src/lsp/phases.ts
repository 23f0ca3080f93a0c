/** Phase helpers shared by hover, links, definition, symbols and the custom requests. */
import { dirname, isInside, joinPath, normalizePath } from '../service/host';
import { rootedPath } from '../service/repo-root';
import type { Link, ParsedDocument } from '../service/markdown';
import type { PhasegateService } from '../service/service';
import { Phase, phaseOf } from '../service/workspace';
import type { GateResult, PhaseStatus } from '../service/gates';

const STATUS_LABEL: Record<PhaseStatus, string> = {
  'not-started': 'Not started',
  'in-progress': 'In progress',
  blocked: 'Blocked',
  complete: 'Complete',
};

const GATE_ICON: Record<string, string> = { passed: '✅', failed: '❌', pending: '⏳' };

export function statusLabel(s: PhaseStatus): string {
  return STATUS_LABEL[s];
}

/** A phase's title as the tree, `status` and hovers show it: its brief's or prompt's, else its folder name's words, else the folder name. */
import { headingTitle, shownTitle as phaseTitle } from '../service/templates';
import { suffixStart } from '../service/text-scan';
export { phaseTitle };

/** A Markdown summary of a phase: title, status, gates with why they are not passed. */
export function phaseSummary(svc: PhasegateService, phase: Phase): string {
  const gates: GateResult[] = svc.gates(phase);
  const status = svc.status(phase);
  // The title as Markdown that shows it as it is (`Fix \*args\*`), as a heading writes it.
  const lines = [`**${phase.id}** — ${headingTitle(phaseTitle(svc, phase))}`, '', `Status: **${statusLabel(status)}** · layout \`${phase.layout.name}\``, ''];
  for (const g of gates) {
    const checked = g.items.filter((i) => i.checked).length;
    const counts = g.items.length ? ` (${checked}/${g.items.length} checked)` : '';
    lines.push(`- ${GATE_ICON[g.status] ?? ''} ${g.name}: ${g.status}${counts}${g.reasons.length ? ' — ' + g.reasons.join('; ') : ''}`);
  }
  return lines.join('\n');
}

/** The file a phase reference opens: its first existing document, else its folder. */
export function phaseEntry(svc: PhasegateService, phase: Phase): string {
  return svc.phaseAnchor(phase);
}

/**
 * Resolves a relative link target to an absolute path; undefined for URLs, anchors and mail. A rooted target
 * (`/docs/x.md`) is read as the rules read it: from `root`, else from the root of `svc`'s repository above it.
 */
export function resolveTarget(root: string, fromFile: string, target: string, svc: PhasegateService): string | undefined {
  return resolveFrom(root, dirname(fromFile), target, svc);
}

/** A link target against the folder `base` (against `root` when it starts with `/`, see resolveTarget); undefined for URLs, anchors and mail. */
function resolveFrom(root: string, base: string, target: string, svc: PhasegateService): string | undefined {
  if (!target || target.startsWith('#') || /^[a-z][\w+.-]*:/i.test(target) || target.startsWith('//')) return undefined;
  const q = suffixStart(target, '?#');
  let t = q < 0 ? target : target.slice(0, q);
  try {
    t = decodeURIComponent(t);
  } catch {
    /* keep as written */
  }
  if (!t) return undefined;
  if (!t.startsWith('/')) return normalizePath(joinPath(base, t));
  return rootedPath(t, root, svc.repository, (p) => existsAt(svc, p));
}

/**
 * Resolves a backticked path as missing-artifact does: against the document's folder, else the phase
 * folder, else the workspace root (the audit seed's \`phase-2/06-OUTPUT_HANDOFF.md\` is relative to the
 * folder that holds the phases), the first where the file or folder exists. Where none does, the path
 * against the document's folder. Markdown links are relative to their document only (`resolveTarget`).
 */
export function resolveCodePath(svc: PhasegateService, root: string, fromFile: string, target: string): string | undefined {
  const own = resolveTarget(root, fromFile, target, svc);
  if (!own || target.startsWith('/') || existsAt(svc, own)) return own;
  const wsRoot = svc.model.root;
  const phaseFolder = phaseOf(svc.model, fromFile)?.folder;
  // The folder that holds the phase folders too: the audit seed writes `phase-1/06-OUTPUT_HANDOFF.md` from `audit-deployment/`.
  for (const base of [phaseFolder, phaseFolder === undefined ? undefined : dirname(phaseFolder), wsRoot]) {
    const p = base === undefined ? undefined : resolveFrom(root, base, target, svc);
    if (p && p !== own && isInside(wsRoot, p) && existsAt(svc, p)) return p;
  }
  return own;
}

/** Whether a file or folder is at `path` (a phase folder counts, also one the scan has not listed). */
function existsAt(svc: PhasegateService, path: string): boolean {
  return svc.model.byFolder.has(path) || svc.exists(path);
}

/** The phase whose folder is `path` or holds it. */
export function phaseAtPath(svc: PhasegateService, path: string): Phase | undefined {
  return svc.model.byFolder.get(normalizePath(path)) ?? phaseOf(svc.model, path);
}

export function linkAt(doc: ParsedDocument, line: number, ch: number): Link | undefined {
  return doc.links.find((l) => l.line === line && ch >= l.range.start.character && ch <= l.range.end.character);
}

/** Whether a code span's text reads as a path: it has a slash or ends with a file extension. */
function looksLikePath(text: string): boolean {
  // A line and column after it (`app.ts:12:5`) do not make it less of a path.
  return text.includes('/') || /\.\w{1,8}(?::\d+(?::\d+)?)?$/.test(text);
}

/** A backticked path (`04-ARTIFACTS/x.yaml`) at the position, outside code blocks (as `codePaths`): `{ text, start, end }`. */
export function codePathAt(doc: ParsedDocument, line: number, ch: number): { text: string; start: number; end: number } | undefined {
  if (doc.codeLines.has(line)) return undefined;
  const src = doc.lines[line] ?? '';
  const re = /`([^`\s]+)`/g;
  for (let m = re.exec(src); m; m = re.exec(src)) {
    const start = m.index + 1;
    const end = start + m[1].length;
    if (ch >= start - 1 && ch <= end + 1 && looksLikePath(m[1])) return { text: m[1], start, end };
  }
  return undefined;
}

/** Every backticked path-like span of the document, for document links. */
export function codePaths(doc: ParsedDocument): { text: string; line: number; start: number; end: number }[] {
  const out: { text: string; line: number; start: number; end: number }[] = [];
  doc.lines.forEach((src, line) => {
    if (doc.codeLines.has(line) || !src.includes('`')) return;
    const re = /`([^`\s]+)`/g;
    for (let m = re.exec(src); m; m = re.exec(src)) {
      if (looksLikePath(m[1])) out.push({ text: m[1], line, start: m.index + 1, end: m.index + 1 + m[1].length });
    }
  });
  return out;
}

/** A phase named by the word under the cursor: its id (`phase-2`, `Build/Phase_1_CI`) or `phase N` in the same sequence. */
export function phaseRefAt(
  svc: PhasegateService,
  fromFile: string,
  doc: ParsedDocument,
  line: number,
  ch: number,
): { phase: Phase; start: number; end: number } | undefined {
  // Code blocks hold code, not references to phases (as links and paths there are none either); an HTML
  // comment's prose may name one.
  if (doc.codeBlocks.some((cb) => cb.line <= line && line <= cb.endLine)) return undefined;
  const src = doc.lines[line] ?? '';
  const re = /[A-Za-z][\w/.-]*(?:[ _-]\d+)?/g;
  for (let m = re.exec(src); m; m = re.exec(src)) {
    const start = m.index;
    const end = start + m[0].length;
    if (ch < start || ch > end) continue;
    const word = m[0].replace(/(?<!\.)\.+$/, '');
    const lower = word.toLowerCase();
    const byId = svc.model.phases.find((p) => p.id.toLowerCase() === lower);
    if (byId) return { phase: byId, start, end: start + word.length };
    const num = /^phase[ _-]?(\d+)$/i.exec(word);
    if (num) {
      const here = phaseOf(svc.model, fromFile);
      const group = here ? svc.model.groups.get(here.group) : svc.model.phases;
      const p = group?.find((q) => q.number === Number(num[1]));
      if (p) return { phase: p, start, end: start + word.length };
    }
  }
  return undefined;
}
