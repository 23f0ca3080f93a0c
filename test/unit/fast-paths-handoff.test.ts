/**
 * Fast paths of the handoff items (performance only) against the plain code they replace: the same
 * results on random items, targets and lists built from the characters and pieces that matter to each.
 */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { INLINE_LINK, ListItem, ParsedDocument, Section, normalizeTitle, parseDocument, sectionByTitle } from '../../server/src/service/markdown';
import {
  HandoffItem,
  InputIndex,
  Reference,
  StatementIndex,
  HandoffPair,
  isRelativeTarget,
  outputSections,
  parseItem,
  pathBases,
  referencesIn,
  resolveTarget,
  sameInput,
  sameStatementKeys,
  textKey,
  withoutComments,
} from '../../server/src/service/handoff';
import { BARE_PATH_RE, unescapeTarget } from '../../server/src/service/rules/doc-util';
import { dirname, isInside, joinPath, normalizePath } from '../../server/src/service/host';
import { suffixStart } from '../../server/src/service/text-scan';
import type { Phase } from '../../server/src/service/workspace';
import { range } from '../../server/src/service/types';

const RUNS = { numRuns: 3000 };

/** Strings of 0..maxLength pieces drawn from `pieces`. */
function textOf(pieces: string[], maxLength = 12): fc.Arbitrary<string> {
  return fc.array(fc.constantFrom(...pieces), { maxLength }).map((a) => a.join(''));
}

// The plain code, as it read before its fast paths.
const LINK = new RegExp(`!?${INLINE_LINK}`, 'g');
const CODE = /`([^`\n]+)`/g;
const GENERIC = /^(input|artifact|output|prerequisite|item|question|deliverable)s?\s*\d*$/;

function plainIsRelative(target: string): boolean {
  return target !== '' && !target.startsWith('#') && !/^[a-z][a-z0-9+.-]*:/i.test(target) && !target.startsWith('//');
}

function plainResolve(folder: string, target: string, root?: string): string | undefined {
  if (!plainIsRelative(target)) return undefined;
  const q = suffixStart(target, '#?');
  let t = q < 0 ? target : target.slice(0, q);
  if (t === '') return undefined;
  try {
    if (t.includes('%')) t = decodeURIComponent(t);
  } catch {
    // kept raw
  }
  if (t.startsWith('/')) return root ? joinPath(root, t) : normalizePath(t);
  return joinPath(folder, t);
}

function plainMask(text: string): string {
  return text.replace(LINK, (m) => ' '.repeat(m.length)).replace(CODE, (m) => ' '.repeat(m.length));
}

function plainFromBases(path: string, resolved: string, bases: readonly string[]): readonly string[] {
  if (!bases.length || path.startsWith('/') || path.startsWith('.')) return [];
  const out: string[] = [];
  for (const b of bases) {
    const r = plainResolve(b, path, bases[0]);
    if (r && r !== resolved && isInside(bases[0], r) && !out.includes(r)) out.push(r);
  }
  return out;
}

/** parseItem without a document (no reference-style links), as it was written before its fast paths. */
function plainParseItem(item: ListItem, folder: string, bases: readonly string[]): Omit<HandoffItem, 'item'> {
  const text = withoutComments(item.text);
  const masked = plainMask(text);
  const colon = masked.indexOf(':');
  let name: string | undefined = colon > 0 ? text.slice(0, colon).trim() : undefined;
  let nameKey = name ? textKey(name) : '';
  if (!nameKey || GENERIC.test(nameKey) || nameKey.length > 80) {
    name = undefined;
    nameKey = '';
  }
  let path: string | undefined;
  let codePath = false;
  LINK.lastIndex = 0;
  for (let m = LINK.exec(text); m && !path; m = LINK.exec(text)) {
    const t = m[2].startsWith('<') ? m[2].slice(1, -1) : m[2];
    if (plainIsRelative(t)) path = t;
  }
  if (!path) {
    CODE.lastIndex = 0;
    for (let m = CODE.exec(text); m && !path; m = CODE.exec(text)) {
      const s = m[1];
      if (!/\s/.test(s) && (s.includes('/') || /\.[A-Za-z0-9]{1,8}$/.test(s)) && plainIsRelative(s)) path = s;
    }
    codePath = !!path;
  }
  if (!path && masked.includes('/')) {
    BARE_PATH_RE.lastIndex = 0;
    const m = BARE_PATH_RE.exec(masked);
    if (m) {
      path = m[2];
      codePath = true;
    }
  }
  const target = path && !codePath ? unescapeTarget(path) : path;
  const resolved = target ? plainResolve(folder, target, bases[0]) : undefined;
  const alsoResolved = target && resolved ? plainFromBases(target, resolved, bases) : [];
  return { text, name, nameKey, key: textKey(text), path, resolved, alsoResolved, codePath };
}

/** referencesIn of a section of a document without reference definitions, as it was written before its fast paths. */
function plainReferencesIn(doc: ParsedDocument, sec: Section, folder: string, bases: readonly string[]): Reference[] {
  const root = bases[0];
  const out: Reference[] = [];
  for (const l of doc.links) {
    if (l.line <= sec.heading.line || l.line >= sec.end) continue;
    const target = unescapeTarget(l.target);
    const resolved = plainResolve(folder, target, root);
    if (resolved) out.push({ target: l.target, resolved, alsoResolved: plainFromBases(target, resolved, bases), range: l.range, targetRange: l.targetRange });
  }
  for (let line = sec.bodyStart; line < sec.end; line++) {
    if (doc.codeLines.has(line)) continue;
    const src = doc.lines[line] ?? '';
    CODE.lastIndex = 0;
    for (let m = CODE.exec(src); m; m = CODE.exec(src)) {
      const p = m[1];
      if (!(!/\s/.test(p) && (p.includes('/') || /\.[A-Za-z0-9]{1,8}$/.test(p)) && plainIsRelative(p))) continue;
      const resolved = plainResolve(folder, p, root);
      if (resolved)
        out.push({
          target: p,
          resolved,
          alsoResolved: plainFromBases(p, resolved, bases),
          range: range(line, m.index, line, m.index + m[0].length),
          targetRange: range(line, m.index + 1, line, m.index + 1 + p.length),
        });
    }
    if (!src.includes('/')) continue;
    const bare = src.replace(CODE, (x) => ' '.repeat(x.length)).replace(LINK, (x) => ' '.repeat(x.length));
    BARE_PATH_RE.lastIndex = 0;
    for (let m = BARE_PATH_RE.exec(bare); m; m = BARE_PATH_RE.exec(bare)) {
      const p = m[2];
      const resolved = plainResolve(folder, p, root);
      if (!resolved) continue;
      const a = m.index + m[1].length;
      const r = range(line, a, line, a + p.length);
      out.push({ target: p, resolved, alsoResolved: plainFromBases(p, resolved, bases), range: r, targetRange: r });
    }
  }
  return out;
}

const withoutItem = (h: HandoffItem): Omit<HandoffItem, 'item'> => {
  const { item: _item, ...rest } = h;
  return { ...rest, alsoResolved: [...rest.alsoResolved] };
};

const TARGET_PIECES = ['a', 'b.md', '/', '.', '..', '#', '?', '%', '%20', '%2F', '%E0', ':', 'x:', 'https:', '//', '\\', ' ', 'C', 'é', '\n'];

const ITEM_PIECES = [
  'Input 1',
  'Report',
  ':',
  ': ',
  ' - ',
  ' ',
  'a',
  '7',
  '[r](a.md)',
  '[r](../p/a.md#x)',
  '[r](q/a.md?v=1)',
  '[r](<a b.md>)',
  '[r](https://x.y/a.md)',
  '[r](#frag)',
  '[r](%E0.md)',
  '[r](/top/a.md)',
  '[a:b](c.md)',
  '![i](img/a.png)',
  '`p/a.md`',
  '`a.md`',
  '`x y`',
  '`a:b`',
  '`',
  'p/a.md',
  '04-ARTIFACTS/r.md',
  '../up/x.txt',
  '[',
  ']',
  '(',
  ')',
  '!',
  '<!-- c: d -->',
  '\\-',
  'mailto:a@b',
  '/',
];

describe('handoff fast paths equal the plain code they replace', () => {
  it('resolveTarget and isRelativeTarget read targets as the plain code does', () => {
    fc.assert(
      fc.property(textOf(TARGET_PIECES, 8), fc.constantFrom(undefined, '/ws', '/'), (t, root) => {
        assert.equal(isRelativeTarget(t), plainIsRelative(t), JSON.stringify(t));
        assert.equal(resolveTarget('/ws/p', t, root), plainResolve('/ws/p', t, root), JSON.stringify([t, root]));
      }),
      RUNS,
    );
  });

  it('parseItem reads names, paths and keys as the plain code does', () => {
    // Folders and bases that make an item's path from a base its own path too, or another base's.
    const bases = fc.constantFrom<readonly string[]>([], ['/ws'], ['/ws', '/ws/q'], ['/ws/p', '/ws'], ['/ws', '/ws'], ['/ws/q', '/ws/p']);
    const folder = fc.constantFrom('/ws/p', '/ws', '/ws/q', '/ws/q/r');
    fc.assert(
      fc.property(textOf(ITEM_PIECES, 8), bases, folder, (t, b, f) => {
        const doc = parseDocument(`- ${t}\n`);
        for (const it of doc.items) {
          assert.deepEqual(withoutItem(parseItem(it, f, b)), plainParseItem(it, f, b), JSON.stringify([t, b, f]));
          // With its document (no reference definitions here): the same item.
          assert.deepEqual(withoutItem(parseItem(it, f, b, doc)), plainParseItem(it, f, b), JSON.stringify([t, b, f]));
        }
      }),
      RUNS,
    );
  });

  it('referencesIn finds the links and paths of a section as the plain code does', () => {
    const bases = fc.constantFrom<readonly string[]>([], ['/ws'], ['/ws', '/ws/q']);
    fc.assert(
      fc.property(fc.array(textOf(ITEM_PIECES, 6), { maxLength: 4 }), bases, (lines, b) => {
        const doc = parseDocument(`# T\n\n## Source\n\n${lines.join('\n')}\n\n## After\n\n[x](a.md)\n`);
        const sec = doc.sections.find((x) => x.title === 'Source');
        if (!sec) return;
        const norm = (refs: Reference[]) => refs.map((r) => ({ ...r, alsoResolved: [...r.alsoResolved] }));
        assert.deepEqual(norm(referencesIn(doc, sec, '/ws/p', b)), norm(plainReferencesIn(doc, sec, '/ws/p', b)), JSON.stringify([lines, b]));
      }),
      RUNS,
    );
  });

  it('pathBases reads whether the folder of the phases is inside the root as isInside does', () => {
    const path = textOf(['/', 'ws', 'p', '.', '..', '\\', 'C:', 'a'], 6);
    fc.assert(
      fc.property(path, path, fc.boolean(), (root, tail, under) => {
        const folder = under ? root + tail : tail;
        const parent = dirname(folder);
        const plain = parent && parent !== root && isInside(root, parent) ? [root, parent] : [root];
        assert.deepEqual(pathBases(root, { folder } as Phase), plain, JSON.stringify([root, folder]));
      }),
      RUNS,
    );
  });

  it('outputSections picks the sections numbered for the next phase as filtering the candidates did', () => {
    const title = fc.constantFrom(
      'Phase 2 Inputs',
      'Phase 3 Inputs',
      'Phase 2 and 3 Inputs',
      'Inputs',
      'Phase 2 Prerequisites',
      'Prerequisites',
      'Phase 12 Inputs',
      'Open Questions',
      'Other',
    );
    fc.assert(
      fc.property(fc.array(title, { maxLength: 6 }), fc.constantFrom(undefined, 1, 2, 11), (titles, n) => {
        const out = parseDocument(titles.map((t) => `## ${t}\n\n- x\n`).join('\n'));
        const pair = { prev: { number: n }, out } as unknown as HandoffPair;
        const want = n === undefined ? undefined : String(n + 1);
        const pick = (t: string) => {
          const key = normalizeTitle(t);
          const cands = out.sections.filter((x) => x.key === key || x.key.endsWith(' ' + key));
          return cands.find((x) => want !== undefined && (x.title.match(/\d+/g) ?? ([] as string[])).includes(want)) ?? cands[0];
        };
        const got = outputSections(pair);
        assert.equal(got.inputs, pick('Phase {N+1} Inputs'), JSON.stringify([titles, n]));
        assert.equal(got.prerequisites, pick('Phase {N+1} Prerequisites'), JSON.stringify([titles, n]));
        assert.equal(got.questions, sectionByTitle(out, 'Open Questions'));
      }),
      RUNS,
    );
  });

  it('StatementIndex finds the first key stating the same thing, with few keys and with many', () => {
    const word = fc.constantFrom('staging', 'cluster', 'up', 'provisioned', 'a', 'dependencies', 'pinned');
    const key = fc.array(word, { minLength: 0, maxLength: 12 }).map((w) => w.join(' '));
    fc.assert(
      fc.property(fc.array(key, { maxLength: 20 }), key, (keys, k) => {
        const plain = keys.findIndex((x) => sameStatementKeys(x, k));
        assert.equal(new StatementIndex(keys).find(k), plain, JSON.stringify([keys, k]));
      }),
      RUNS,
    );
  });

  it('InputIndex finds an item naming the same input, with few items and with many', () => {
    const item = textOf(
      ['Report', 'Input', ': ', ' ', '`04-ARTIFACTS/a.md`', '`a.md`', '[r](a.md)', '[r](../p/a.md)', '[r](p/a.md)', '[r](q/a.md)', '`p/a.md`', 'b', ' - '],
      6,
    );
    fc.assert(
      fc.property(fc.array(item, { minLength: 1, maxLength: 20 }), item, (texts, t) => {
        const d = parseDocument([...texts, t].map((l) => `- ${l}`).join('\n') + '\n');
        const items = d.items.map((it) => parseItem(it, '/ws/p', ['/ws', '/ws/q']));
        const x = items.pop()!;
        assert.equal(
          new InputIndex(items).has(x),
          items.some((r) => sameInput(x, r)),
          JSON.stringify([texts, t]),
        );
      }),
      RUNS,
    );
  });
});
