/**
 * Paths that do not resolve: relative links anywhere (`broken-link`), and the artifacts and inputs a
 * handoff lists (`missing-artifact`), which may also name a `code path` and may be relative to the
 * workspace root.
 */
import { basename, dirname, isInside, joinPath, normalizePath, relativePath } from '../host';
import { Link, ListItem, ParsedDocument, Section, normalizeTitle, sectionByKey } from '../markdown';
import { Range, range } from '../types';
import {
  BARE_PATH_RE,
  NAME_CHAR,
  isExternal,
  blankSpans,
  isPlaceholderItem,
  linkSpans,
  maskedLine,
  referenceDefinitions,
  rootedTarget,
  scanPlaceholders,
  targetPath,
  unverifiable,
} from './doc-util';
import { SpanCursor } from './doc-placeholders';
import { lowerBound } from '../sorted';
import { Memo } from '../memo';
import { editDistance } from './doc-fm-typos';
import type { Rule, RuleContext } from './rule';

/** Handoff sections whose items name paths, per document kind. */
const ARTIFACT_SECTIONS: Record<string, { title: string; what: string }[]> = {
  'output-handoff': [
    { title: 'Artifacts Produced', what: 'Artifact' },
    { title: 'Phase {N+1} Inputs', what: 'Input' },
  ],
  'input-handoff': [{ title: 'Inputs Received', what: 'Input' }],
};

/** The title keys of ARTIFACT_SECTIONS' titles (see normalizeTitle), made on first use (performance only). */
const artifactKeys = new Memo(64, (title) => normalizeTitle(title));

function artifactSections(ctx: RuleContext): { section: Section; what: string }[] {
  const specs = ARTIFACT_SECTIONS[ctx.spec?.kind ?? ''] ?? [];
  const out: { section: Section; what: string }[] = [];
  for (const s of specs) {
    const section = sectionByKey(ctx.doc, artifactKeys.get(s.title));
    if (section) out.push({ section, what: s.what });
  }
  return out;
}

function linkTitle(text: string, file: string): string {
  const t = text.trim();
  if (t && !/[/\\]/.test(t) && !/\.(md|markdown)$/i.test(t)) return t;
  return basename(file).replace(/\.(md|markdown)$/i, '');
}

/** Lines of the sections whose links missing-artifact checks instead: [after heading, end) pairs. */
function skippedLines(ctx: RuleContext): number[] {
  const out: number[] = [];
  for (const a of artifactSections(ctx)) out.push(a.section.heading.line, a.section.end);
  return out;
}

/**
 * `isExternal(target)`: without a colon a target has no scheme, and is external only when empty, an anchor or
 * `//` (performance only: no regex for it).
 */
export function external(target: string): boolean {
  if (target.includes(':')) return isExternal(target);
  return target === '' || target.startsWith('#') || target.startsWith('//');
}

/** A link target that does not resolve to a workspace file or folder: its path, else undefined. `base` is the document's folder. */
function brokenTarget(ctx: RuleContext, target: string, line: number, skip: number[], base: string): { path: string; abs: string } | undefined {
  return skipped(line, skip) ? undefined : unresolved(ctx, target, base);
}

/** Whether `line` is in one of the sections `skip` holds (skippedLines): links in a handoff's artifact and input lists are checked, more leniently, by missing-artifact. */
function skipped(line: number, skip: number[]): boolean {
  for (let i = 0; i < skip.length; i += 2) if (line > skip[i] && line < skip[i + 1]) return true;
  return false;
}

/**
 * The path a relative link target names, as written (escapes decoded) and in the workspace (from `base`, the document's
 * folder, or for one that starts with `/` from the workspace's or its repository's root: rootedTarget); undefined for an external target, one without a
 * path (`#anchor`) or a glob.
 */
export function linkedPath(ctx: RuleContext, target: string, base: string): { path: string; abs: string } | undefined {
  if (external(target)) return undefined;
  const p = targetPath(target);
  if (p.trim() === '' || /[*?{}]/.test(p)) return undefined;
  // `resolveTarget(ctx, target)`, the target's path read once (performance only).
  return { path: p, abs: p.startsWith('/') ? rootedTarget(ctx, p) : joinPath(base, p) };
}

/** A link target, wherever it is, that does not resolve to a workspace file or folder: its path, else undefined. */
function unresolved(ctx: RuleContext, target: string, base: string): { path: string; abs: string } | undefined {
  const linked = linkedPath(ctx, target, base);
  return linked && !ctx.exists(linked.abs) && !unverifiable(ctx, linked.abs) ? linked : undefined;
}

/** A name without its extension (`notes` of `notes.md`). */
const stem = (name: string) => name.replace(/(?<=.)\.[^.]*$/, '');

/**
 * How likely file name `have` (in lower case) is the one `want` (in lower case) meant, the likelier lower: 0, the same
 * but for its case; 1, but for its extension (`notes` for `notes.md`, `diagram.png` for `diagram.svg`); 2, within two
 * letters of it with the same extension (`coverage-reprot.md`); undefined for one that differs by its numbers alone
 * (`finding-02.md` is another finding than `finding-01.md`), a short one (four letters or fewer before its
 * extension), or any other.
 */
function likelyName(have: string, want: string): number | undefined {
  if (have === want) return 0;
  const [a, b] = [stem(have), stem(want)];
  if (a === b) return 1;
  if (have.slice(a.length) !== want.slice(b.length) || Math.min(a.length, b.length) <= 4 || Math.abs(a.length - b.length) > 2) return undefined;
  if (!fewLettersApart(a, b)) return undefined;
  if (a.replace(/\p{N}+/gu, '#') === b.replace(/\p{N}+/gu, '#')) return undefined;
  return editDistance(a, b, 2) <= 2 ? 2 : undefined;
}

/** Counts of the characters of one name, less those of the other, by UTF-16 unit (reused: fewLettersApart). */
const counts = new Int32Array(65536);

/**
 * Whether two names may be within two edits: each edit changes the counts of their characters by two at most, so
 * names whose counts differ by more than four are not (performance only: most names of a folder are ruled out so,
 * without the edit distance's table).
 */
function fewLettersApart(a: string, b: string): boolean {
  for (let i = 0; i < a.length; i++) counts[a.charCodeAt(i)]++;
  for (let i = 0; i < b.length; i++) counts[b.charCodeAt(i)]--;
  let apart = 0;
  for (let i = 0; i < a.length; i++) {
    const c = a.charCodeAt(i);
    apart += Math.abs(counts[c]);
    counts[c] = 0;
  }
  for (let i = 0; i < b.length; i++) {
    const c = b.charCodeAt(i);
    apart += Math.abs(counts[c]);
    counts[c] = 0;
  }
  return apart <= 4;
}

/**
 * How many names of folders one document's broken links are compared with, at most (a document of thousands of broken
 * links into a folder of thousands of files: the links past it get no likely target; bounds the time of a check).
 */
export const MAX_NAMES_COMPARED = 100_000;

/**
 * The file a broken link most likely meant, when one alone fits: in the target's folder, a file whose name is likely
 * the target's, the likeliest (likelyName: renamed, or misspelt); else, when that folder holds none, the one file of the workspace
 * named as the target, in any case (moved to another folder). Undefined for a target outside the workspace, or a folder
 * (`phase-4/`).
 */
function likelyTarget(ctx: RuleContext, p: string, abs: string, budget: { names: number }): string | undefined {
  if (!ctx.filesIn || !ctx.filesNamed || /[/\\]$/.test(p) || !isInside(ctx.model.root, abs) || abs === ctx.model.root) return undefined;
  const want = basename(abs).toLowerCase();
  if (want.length > 255) return undefined;
  const files = ctx.filesIn(dirname(abs));
  if (files.length > budget.names) return undefined;
  budget.names -= files.length;
  // The likeliest of the folder's names, when one alone is (`Snapshot.md` is `snapshot.md`, not `snapshots.md`).
  let best: number | undefined;
  let found: string[] = [];
  for (const f of files) {
    const how = likelyName(basename(f).toLowerCase(), want);
    if (how === undefined || (best !== undefined && how > best)) continue;
    if (best === undefined || how < best) [best, found] = [how, []];
    found.push(f);
  }
  if (found.length) return found.length === 1 ? found[0] : undefined;
  const named = ctx.filesNamed(want);
  return named.length === 1 ? named[0] : undefined;
}

/** A path as a link target written as `p` would write it: from the workspace root for a rooted one, else from the document's folder. */
function writtenAs(ctx: RuleContext, p: string, file: string): string {
  if (p.startsWith('/')) return `/${relativePath(ctx.model.root, file)}`;
  const rel = relativePath(dirname(ctx.path), file);
  return p.startsWith('./') && !rel.startsWith('.') ? `./${rel}` : rel;
}

/**
 * The link's target as written (at `r`) with its path `p` replaced by `to`: undefined when the target's text does not
 * hold `p` as written (escaped or encoded characters), or `to` needs escaping there.
 */
function retargeted(ctx: RuleContext, r: Range, p: string, to: string): { was: string; to: string } | undefined {
  if (r.start.line !== r.end.line) return undefined;
  const was = (ctx.doc.lines[r.start.line] ?? '').slice(r.start.character, r.end.character);
  const bracketed = was.startsWith('<');
  const at = bracketed ? 1 : 0;
  if (!was.startsWith(p, at)) return undefined;
  const rest = was.slice(at + p.length);
  if (rest !== '' && !rest.startsWith('#') && !(bracketed && (rest === '>' || rest.startsWith('#')))) return undefined;
  if (bracketed ? /[<>\\\n]/.test(to) : /[\s()<>\\]/.test(to)) return undefined;
  return { was, to: `${was.slice(0, at)}${to}${rest}` };
}

/**
 * The file a broken link (its path `p`, in the workspace `abs`, written at `r`) most likely meant, as the link would
 * write it (`meant`), and the link's target written to it (`relink`, when it can be: see retargeted).
 */
export function closestTarget(
  ctx: RuleContext,
  p: string,
  abs: string,
  r: Range,
  budget = { names: MAX_NAMES_COMPARED },
): { meant: string; relink?: { was: string; to: string } } | undefined {
  const likely = likelyTarget(ctx, p, abs, budget);
  if (likely === undefined) return undefined;
  const meant = writtenAs(ctx, p, likely);
  return { meant, relink: retargeted(ctx, r, p, meant) };
}

function reportBroken(ctx: RuleContext, broken: { path: string; abs: string }, r: Range, text: string, budget: { names: number }): void {
  const { path: p, abs } = broken;
  // A file outside the workspace (in the repository around it) is not the workspace's to create.
  const create = /\.(md|markdown)$/i.test(abs) && isInside(ctx.model.root, abs) ? { file: abs, title: linkTitle(text, abs) } : undefined;
  const closest = closestTarget(ctx, p, abs, r, budget);
  const data = create || closest?.relink ? { fix: 'create-linked-file', ...create, ...closest?.relink } : undefined;
  ctx.report('broken-link', r, `Link target "${p}" does not exist${closest ? `: "${closest.meant}" is the closest.` : '.'}`, data);
}

const brokenLinks: Rule = {
  ids: ['broken-link'],
  check(ctx: RuleContext) {
    const { doc } = ctx;
    const skip = skippedLines(ctx);
    const base = dirname(ctx.path);
    // What each target resolves to, asked once per document (performance only: a validation document links
    // the same few findings from every gate item).
    const known = doc.links.length > 1 ? new Map<string, { path: string; abs: string } | undefined>() : undefined;
    // A link's range is made only when it is reported (performance only).
    const budget = { names: MAX_NAMES_COMPARED };
    for (const l of doc.links) {
      if (skipped(l.line, skip)) continue;
      let broken = known?.get(l.target);
      if (broken === undefined && !known?.has(l.target)) {
        broken = unresolved(ctx, l.target, base);
        known?.set(l.target, broken);
      }
      if (broken) reportBroken(ctx, broken, l.targetRange, l.text, budget);
    }
    for (const [label, def] of referenceDefinitions(doc)) {
      const broken = brokenTarget(ctx, def.target, def.line, skip, base);
      if (broken) reportBroken(ctx, broken, range(def.line, def.start, def.line, def.end), label, budget);
    }
  },
};

/** A `code span` that looks like a path: no spaces, and a slash or a file extension. */
const CODE_PATH_RE = /`([^`\s]+)`/g;
const PATH_CHARS_RE = new RegExp(String.raw`^[${NAME_CHAR}@~./\\-]+(?::\d+(?::\d+)?)?$`, 'u');
/** A host name of a public domain (`github.com`, `docs.example.io`) as the first segment of a path. */
const HOST_PATH_RE = /^(?:[a-z0-9-]+\.)+(?:com|org|net|io|dev|app|ai|cloud|co|edu|gov)\//i;
function looksLikePath(span: string): boolean {
  // A `#fragment` after the path (`04-ARTIFACTS/report.md#scan`) names a place in the file.
  const s = span.replace(/(?<=.)#[^#]*$/, '');
  if (external(s) || s.startsWith('-') || /[*?{}<>|$]/.test(s) || /^\.+\/?$/.test(s)) return false;
  if (!PATH_CHARS_RE.test(s)) return false;
  // A repository or page on a host, written without its scheme (`github.com/acme/app@v1.2`, `gitlab.example.org/x`):
  // no file of the workspace.
  if (HOST_PATH_RE.test(s)) return false;
  // A route of a service, rooted and without a file name's extension anywhere (`/health`, `/api/v1/users`): an
  // endpoint the artifact serves, not a file of the workspace.
  if (s.charCodeAt(0) === 47 && !s.includes('.')) return false;
  return s.includes('/') || /\.[A-Za-z][A-Za-z0-9]{0,9}(?::\d+(?::\d+)?)?$/.test(s);
}

/**
 * Whether a path exists as written or in either Unicode normalization form: a name typed with a composed
 * `é` names the file saved with a decomposed one (and the other way round), as the user reads them alike.
 */
function existsInAnyForm(ctx: RuleContext, path: string): boolean {
  if (ctx.exists(path)) return true;
  // An ASCII path has one form only (performance only).
  if (!/[^\x00-\x7f]/.test(path)) return false;
  const nfc = path.normalize('NFC');
  const nfd = path.normalize('NFD');
  return (nfc !== path && ctx.exists(nfc)) || (nfd !== path && ctx.exists(nfd));
}

const missingArtifacts: Rule = {
  ids: ['missing-artifact'],
  check(ctx: RuleContext) {
    const sections = artifactSections(ctx);
    if (!sections.length) return;
    const { doc } = ctx;
    const phaseFolder = ctx.phase?.folder ?? dirname(ctx.path);
    // The folder that holds the phase folders too: the audit seed writes `phase-1/04-ARTIFACTS/…` from `audit-deployment/`.
    // And the root of the repository around the workspace, where the workspace is a folder below it: as checking
    // from that root reads the path (outside the workspace, the repository tells what is there: repo-root.ts).
    const repo = ctx.repository;
    const bases = [...new Set([phaseFolder, dirname(ctx.path), ...(ctx.phase ? [dirname(phaseFolder)] : []), ctx.model.root, ...(repo ? [repo.root] : [])])];
    const seen = new Set<string>();
    // Words with a slash are not all paths (`Express/Node.js`, `3.11/3.12.x`, `github.com/acme/x.git`): a bare
    // one is a path when it starts with `./` or `../`, or its first folder is one of the phase's folders
    // (`04-ARTIFACTS/`) or a folder that exists in the phase folder or the workspace root (`phase-1/`, `docs/`).
    // Made when first asked for (performance only: most lines have no bare path).
    let phaseFolders: Set<string> | undefined;
    // `isInside(ctx.model.root, c)` for a path `c` that joinPath made, which is normal already: the root normalized
    // once (performance only).
    const root = normalizePath(ctx.model.root);
    const rootPrefix = root.endsWith('/') ? root : root + '/';
    const inRoot = (c: string): boolean => c === root || c.startsWith(rootPrefix);
    const isBarePath = (p: string): boolean => {
      if (p.startsWith('./') || p.startsWith('../')) return true;
      const first = p.slice(0, p.indexOf('/'));
      phaseFolders ??= new Set((ctx.phase?.layout.folders ?? []).map((f) => f.name.toLowerCase()));
      if (phaseFolders.has(first.toLowerCase())) return true;
      return bases.some((b) => {
        const c = joinPath(b, first);
        return inRoot(c) ? ctx.exists(c) : repo?.exists(c) === true;
      });
    };
    const check = (what: string, target: string, r: Range) => {
      const key = `${r.start.line}:${r.start.character}`;
      if (seen.has(key)) return;
      seen.add(key);
      // Without its `:line:column` suffix (only a colon can start one).
      let p = targetPath(target);
      if (p.includes(':')) p = p.replace(/:\d+(?::\d+)?$/, '');
      if (p.trim() === '') return;
      // `../x` against the workspace root leaves the workspace: only candidates inside it count, and those the
      // repository around it can tell of. Each is resolved only when the ones before it do not exist (performance
      // only: most artifacts are found first).
      let candidates = 0;
      const rooted = p.startsWith('/');
      for (const b of rooted ? [ctx.model.root] : bases) {
        const c = rooted ? rootedTarget(ctx, p) : joinPath(b, p);
        if (!inRoot(c)) {
          if (!repo || !isInside(repo.root, c)) continue;
          if (repo.exists(c) !== false) return;
        } else if (existsInAnyForm(ctx, c) || unverifiable(ctx, c)) return;
        candidates++;
      }
      if (!candidates) return;
      ctx.report('missing-artifact', r, `${what} "${p}" does not exist (looked in the phase folder, the folder of the phases and the workspace root).`);
    };
    const linksByLine = new Map<number, Link[]>();
    for (const l of doc.links) {
      const list = linksByLine.get(l.line);
      if (list) list.push(l);
      else linksByLine.set(l.line, [l]);
    }
    for (const { section, what } of sections) {
      const lines: number[] = [];
      const { items } = doc;
      // Items are in line order: those after the heading, up to the section's end.
      for (let idx = lowerBound(items, (it) => it.line <= section.heading.line); idx < items.length && items[idx].line < section.end; idx++) {
        const item = items[idx];
        if (placeholderItem(doc, item, linksByLine.get(item.line))) continue;
        // Only the item's own lines: nested items (next in document order) are items of their own.
        const next = items[idx + 1];
        const last = next && next.line <= item.endLine ? next.line - 1 : item.endLine;
        for (let line = item.line; line <= last; line++) lines.push(line);
      }
      // The rows of a table of artifacts or inputs (`| Audit report | \`04-ARTIFACTS/report.md\` | findings |`), as its items.
      for (const t of doc.tables) {
        if (t.line <= section.heading.line || t.line >= section.end) continue;
        for (const row of t.rows) if (!isPlaceholderRow(doc, row.line, linksByLine.get(row.line))) lines.push(row.line);
      }
      for (const line of lines) {
        if (doc.codeLines.has(line)) continue;
        const links = linksByLine.get(line) ?? [];
        for (const l of links) if (!external(l.target)) check(what, l.target, l.targetRange);
        const src = doc.lines[line];
        CODE_PATH_RE.lastIndex = 0;
        // Without a backtick no code span (performance only).
        const inLink = src.includes('`') ? new LinkCover(links) : undefined;
        for (let m = inLink ? CODE_PATH_RE.exec(src) : null; m; m = CODE_PATH_RE.exec(src)) {
          const s = m.index;
          const e = s + m[0].length;
          // Code spans inside a link's text or target belong to the link.
          if (!looksLikePath(m[1]) || inLink!.covers(s, e)) continue;
          check(what, m[1], range(line, s + 1, line, e - 1));
        }
        // A path written bare, as the handoff template's `[Location]` invites: a folder and a file name with
        // an extension (`04-ARTIFACTS/report.md`), outside links and code spans.
        if (!src.includes('/')) continue;
        let bare = src.includes('`') ? src.replace(/`[^`]*`/g, (x) => ' '.repeat(x.length)) : src;
        // A slash only in links and code spans leaves no bare path to look for (performance only: the links
        // are blanked only when a slash is outside them).
        const spans = links.length ? linkSpans(links) : undefined;
        if (!(spans ? outsideSpans(bare, '/', spans) : bare.includes('/'))) continue;
        if (spans) bare = blankSpans(bare, spans);
        BARE_PATH_RE.lastIndex = 0;
        for (let m = BARE_PATH_RE.exec(bare); m; m = BARE_PATH_RE.exec(bare)) {
          if (!isBarePath(m[2])) continue;
          const s = m.index + m[1].length;
          check(what, m[2], range(line, s, line, s + m[2].length));
        }
      }
    }
  },
};

/**
 * Whether some link of a line holds the columns `[s, e)`, asked with `s` in increasing order: some link
 * starting at or before `s` ends at or after `e`, so the links starting by then are passed once, their
 * furthest end kept (linear in a line of many links; a search of every link per code span was quadratic).
 */
export class LinkCover {
  private readonly starts: number[];
  private readonly ends: number[];
  private next = 0;
  private furthest = -1;

  constructor(links: readonly Link[]) {
    const sorted = links.map((l) => [l.range.start.character, l.range.end.character]).sort((a, b) => a[0] - b[0]);
    this.starts = sorted.map((x) => x[0]);
    this.ends = sorted.map((x) => x[1]);
  }

  covers(s: number, e: number): boolean {
    while (this.next < this.starts.length && this.starts[this.next] <= s) this.furthest = Math.max(this.furthest, this.ends[this.next++]);
    return this.furthest >= e;
  }
}

/** A table row that holds a template placeholder (`| [Artifact] | [Location] | [Purpose] |`): left to unfilled-placeholder, as such an item is. */
function isPlaceholderRow(doc: ParsedDocument, line: number, links: readonly Link[] | undefined): boolean {
  const raw = doc.lines[line] ?? '';
  return /\[[A-Z][^\]\n]*\](?!\()/.test(raw) && hintOutsideLinks(raw, links) && scanPlaceholders(maskedLine(doc, line)).length > 0;
}

/**
 * `isPlaceholderItem(doc, item)`, told no without masking the line when each match of PLACEHOLDER_HINT on the
 * item's line starts in one of `links`, the line's links (performance only: see hintOutsideLinks).
 */
export function placeholderItem(doc: ParsedDocument, item: ListItem, links: readonly Link[] | undefined): boolean {
  return hintOutsideLinks(doc.lines[item.line] ?? '', links) && isPlaceholderItem(doc, item);
}

/**
 * Whether PLACEHOLDER_HINT (`[A-Z`, `{{`, `TBD`, `TODO:`) matches `raw`, a line, where none of `links` (the line's
 * links) is. `maskedLine` blanks the line's links, and masking only ever removes text: where this is false, no
 * placeholder is found in the masked line, nor in any part of it.
 */
export function hintOutsideLinks(raw: string, links: readonly Link[] | undefined): boolean {
  // The spans made when a match is found (performance only: most lines have none).
  let spans: ArrayLike<number> | undefined;
  // Each search finds its matches in column order: the spans are gone over once per search.
  let cursor: SpanCursor | undefined;
  for (let i = raw.indexOf('['); i >= 0; i = raw.indexOf('[', i + 1)) {
    const c = raw.charCodeAt(i + 1);
    // (NaN after the last character.)
    if (!(c >= 65 && c <= 90)) continue;
    cursor ??= new SpanCursor((spans ??= linkSpans(links ?? [])));
    if (!cursor.has(i)) return true;
  }
  for (const marker of HINT_MARKERS) {
    const first = raw.indexOf(marker);
    if (first < 0) continue;
    cursor = new SpanCursor((spans ??= linkSpans(links ?? [])));
    for (let i = first; i >= 0; i = raw.indexOf(marker, i + 1)) if (!cursor.has(i)) return true;
  }
  return false;
}

/** Whether `text` holds `mark` at a column outside `spans` (sorted and apart, as linkSpans gives them): `blankSpans(text, spans).includes(mark)` for a one-character `mark`. */
export function outsideSpans(text: string, mark: string, spans: ArrayLike<number>): boolean {
  const cursor = new SpanCursor(spans);
  for (let i = text.indexOf(mark); i >= 0; i = text.indexOf(mark, i + 1)) if (!cursor.has(i)) return true;
  return false;
}

const HINT_MARKERS = ['{{', 'TBD', 'TODO:'];

export const LINK_RULES: Rule[] = [brokenLinks, missingArtifacts];
