/**
 * Links to a place in a Markdown document that is not there (`broken-anchor`): `[summary](#phase-2-summary)` in the
 * same document, `[inputs](../phase-1/06-OUTPUT_HANDOFF.md#phase-2-inputs)` in another, where no heading (and no HTML
 * `id` or `name`) gives that anchor, as when the heading was renamed. The file itself is broken-link's.
 */
import { dirname } from '../host';
import type { Heading, ParsedDocument } from '../markdown';
import { linksAsText, withoutDelimited } from '../text-scan';
import { referenceDefinitions, targetPath, unescapeTarget } from './doc-util';
import { linkedPath } from './doc-links';
import type { Rule, RuleContext } from './rule';
import type { Range } from '../types';
import { range } from '../types';

/**
 * A fragment's key: lower case, letters, marks and digits only. GitHub writes `## Phase 2: Summary` as `#phase-2-summary`
 * (`github-slugger`), GitLab and other renderers a little differently (runs of hyphens kept or collapsed, punctuation
 * kept or dropped): a fragment and a heading are compared by what they agree on, their letters and digits.
 */
export function anchorKey(text: string): string {
  return text.toLowerCase().replace(/[^\p{L}\p{M}\p{N}]+/gu, '');
}

/**
 * A heading's text as it reads, from its Markdown (inline markup kept): a link's text is of it (an image's alt too), an
 * HTML tag and a `{#id}` at its end (an id of its own, below) are not, nor are backslashes that escape. Linear on any
 * heading (text-scan's scanners).
 */
function headingPlainText(title: string): string {
  return withoutDelimited(linksAsText(title), '<', '>')
    .replace(/\{#[^}\s]{1,200}\}\s*$/, '')
    .replace(/\\(.)/g, '$1');
}

/** An HTML `id` or `name` attribute (`<a id="rule-x"></a>`, `<a name="top">`). */
const HTML_ID = /<[A-Za-z][^<>]{0,500}?\s(?:id|name)\s*=\s*(?:"([^"\n]{0,500})"|'([^'\n]{0,500})'|([^\s"'<>]{1,500}))/g;

/**
 * The anchor GitHub writes for a heading's text (`github-slugger`): lower case, each character but a letter, mark,
 * digit, underscore, white space or hyphen dropped, each white space a hyphen; the `n`th repeat of a text (from 1)
 * with `-n`.
 */
export function headingSlug(title: string, n = 0): string {
  const slug = headingPlainText(title)
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
  return n === 0 ? slug : `${slug}-${n}`;
}

/** The anchor keys of a document's places, by document (performance only: every link to it asks). */
const keysOf = new WeakMap<ParsedDocument, Set<string>>();

/** Each heading's anchor key and slug (see headingSlug), repeats numbered, and its text, in document order. */
export function headingAnchors(doc: ParsedDocument): { key: string; slug: string; text: string; heading: Heading }[] {
  const seen = new Map<string, number>();
  return doc.headings.map((h) => {
    const text = headingPlainText(h.text);
    const base = anchorKey(text);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    return { key: n === 0 ? base : `${base}${n}`, slug: headingSlug(h.text, n), text, heading: h };
  });
}

/**
 * The heading a `#fragment` names (as broken-anchor reads it: GitHub's anchor, or another renderer's, by its letters and
 * digits; `user-content-` aside), for navigation; undefined for none, or a fragment that names no place.
 */
export function headingOfFragment(doc: ParsedDocument, fragment: string): Heading | undefined {
  const f = decodedFragment(fragment);
  if (notAnAnchor(f)) return undefined;
  const key = anchorKey(f);
  return headingAnchors(doc).find((a) => a.key === key)?.heading;
}

/** Levenshtein distance of two short strings, or `max + 1` once it is over `max`. */
function distance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let least = i;
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      least = Math.min(least, cur[j]);
    }
    if (least > max) return max + 1;
    prev = cur;
  }
  return prev[b.length];
}

/**
 * The heading a fragment that names none most likely meant, as its slug: the one heading whose key differs from the
 * fragment's by its numbers alone (`#phase-2-inputs` of `## Phase 3 Inputs`, a document renumbered), else the one
 * within two letters of it (`#risk-register` of `## Risks Register`); undefined when none, or more than one, is.
 */
export function closestAnchor(doc: ParsedDocument, fragment: string): string | undefined {
  const key = anchorKey(fragment);
  if (key.length > 200) return undefined;
  const anchors = headingAnchors(doc);
  const letters = (k: string) => k.replace(/\p{N}+/gu, '#');
  const one = (found: { slug: string }[]) => (found.length === 1 ? found[0].slug : undefined);
  const renumbered = anchors.filter((a) => a.key !== key && /\p{N}/u.test(a.key) && letters(a.key) === letters(key));
  if (renumbered.length) return one(renumbered);
  return one(anchors.filter((a) => a.key.length <= 200 && distance(a.key, key, 2) <= 2));
}

/**
 * The keys (see anchorKey) of the anchors a document gives: each heading's (a second heading of the same text also
 * with `-1`, a third with `-2`, as GitHub numbers them), each `{#id}` written after a heading, and each HTML `id` or
 * `name` outside code.
 */
export function anchorKeys(doc: ParsedDocument): Set<string> {
  let keys = keysOf.get(doc);
  if (keys) return keys;
  keys = new Set(headingAnchors(doc).map((a) => a.key));
  for (const h of doc.headings) {
    const own = /\{#([^}\s]{1,200})\}\s*$/.exec(h.text);
    if (own) keys.add(anchorKey(own[1]));
  }
  for (let l = 0; l < doc.lines.length; l++) {
    const line = doc.lines[l];
    if (!line.includes('=') || doc.codeLines.has(l)) continue;
    HTML_ID.lastIndex = 0;
    for (let m = HTML_ID.exec(line); m; m = HTML_ID.exec(line)) keys.add(anchorKey(m[1] ?? m[2] ?? m[3]));
  }
  keysOf.set(doc, keys);
  return keys;
}

/**
 * The fragment of a link target (after its first `#`), decoded, without the `user-content-` GitHub puts before the ids
 * of a rendered document (`#user-content-setup` is the Setup heading's); undefined without one.
 */
function fragmentOf(target: string): string | undefined {
  const t = unescapeTarget(target.trim());
  const hash = t.indexOf('#');
  return hash < 0 ? undefined : decodedFragment(t.slice(hash + 1));
}

/** A fragment as written after `#`, decoded, without `user-content-` (see fragmentOf). */
function decodedFragment(fragment: string): string {
  let f = fragment;
  try {
    if (f.includes('%')) f = decodeURIComponent(f);
  } catch {
    // Not %-encoded after all: as written.
  }
  return f.replace(/^user-content-/i, '');
}

/**
 * Whether a fragment names no place a heading could give, and is left alone: empty, `#top` (the top of the page), a
 * line of a file's source view (`#L10`, `#L10-L20`, `#L10C5`), a text fragment (`#:~:text=`), or one without a letter
 * or digit.
 */
function notAnAnchor(fragment: string): boolean {
  return (
    fragment === '' ||
    /^top$/i.test(fragment) ||
    /^L\d+(?:C\d+)?(?:-L?\d+(?:C\d+)?)?$/.test(fragment) ||
    fragment.startsWith(':~:') ||
    anchorKey(fragment) === ''
  );
}

const brokenAnchors: Rule = {
  ids: ['broken-anchor'],
  check(ctx: RuleContext) {
    const { doc } = ctx;
    const base = dirname(ctx.path);
    const check = (target: string, r: Range) => {
      const fragment = fragmentOf(target);
      if (fragment === undefined || notAnAnchor(fragment)) return;
      let other: ParsedDocument | undefined;
      const linked = linkedPath(ctx, target, base);
      // No path: a place in this document (`#risks`); else an external target or a glob, not looked at.
      if (!linked) {
        if (targetPath(target).trim() !== '') return;
        other = doc;
      } else {
        if (!/\.(md|markdown)$/i.test(linked.path)) return;
        // A file that is not there is broken-link's; one not read (too large, outside the workspace) is not known.
        if (linked.abs === ctx.path) other = doc;
        else if (!ctx.exists(linked.abs)) return;
        else other = ctx.anchorDocument?.(linked.abs);
      }
      if (!other || anchorKeys(other).has(anchorKey(fragment))) return;
      const where = other === doc || !linked ? 'this document' : `"${linked.path}"`;
      const closest = closestAnchor(other, fragment);
      if (!closest) return ctx.report('broken-anchor', r, `No heading of ${where} has the anchor "#${fragment}".`);
      // The fix writes the target as it is written, its fragment that heading's (see retargetAnchor).
      const written = r.start.line === r.end.line ? (doc.lines[r.start.line] ?? '').slice(r.start.character, r.end.character) : '';
      const hash = written.indexOf('#');
      const data =
        hash < 0 ? undefined : { fix: 'retarget-anchor', was: written, to: `${written.slice(0, hash + 1)}${closest}${written.endsWith('>') ? '>' : ''}` };
      ctx.report('broken-anchor', r, `No heading of ${where} has the anchor "#${fragment}": "#${closest}" is the closest.`, data);
    };
    for (const l of doc.links) if (l.target.includes('#')) check(l.target, l.targetRange);
    for (const [, def] of referenceDefinitions(doc)) if (def.target.includes('#')) check(def.target, range(def.line, def.start, def.line, def.end));
  },
};

export const ANCHOR_RULES: Rule[] = [brokenAnchors];
