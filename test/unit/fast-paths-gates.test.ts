/**
 * Hand-written fast paths of the gate evaluation and the gate checklist rule (performance only) against the
 * plain code they replace: the same results on every character code, and on random text built from the
 * pieces that matter to each.
 */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { type MissingTarget, gateMatch, hasBoxWithin, hasEvidence, replaceEvidenceLinks, withoutAngles } from '../../server/src/service/gates';
import { isSpaceCode } from '../../server/src/service/text-scan';
import { AUDIT_LAYOUT, IAI_LAYOUT } from '../../server/src/service/layout';
import { type ListItem, type Section, itemsWithin, normalizeTitle, parseDocument } from '../../server/src/service/markdown';
import { withoutPlaceholders } from '../../server/src/service/rules/doc-util';

/** Strings of 0..maxLength pieces drawn from `pieces`. */
function textOf(pieces: string[], maxLength = 12): fc.Arbitrary<string> {
  return fc.array(fc.constantFrom(...pieces), { maxLength }).map((a) => a.join(''));
}

const RUNS = { numRuns: 3000 };

/** The evidence test as it was: every link's target judged, the text rebuilt with the missing ones blanked. */
function hasEvidencePlain(text: string, missing?: MissingTarget): boolean {
  const EVIDENCE = /\]\(|<https?:|evidence(?:\*\*|__|\*|_)?\s*:\s*(?:(?:\*\*|__|\*|_)\s*)?[\p{L}\p{N}[<`]|`[^`]+`/iu;
  if (/\[[A-Z]|\{\{|TBD|TODO:/.test(text)) text = withoutPlaceholders(text);
  const notYet = (s: string) =>
    s.replace(/evidence(?:\*\*|__|\*|_)?\s*:\s*(?:(?:\*\*|__|\*|_)\s*)?(?:pending|awaiting|not yet|to do|todo|to follow|to come|tbc)(?![\p{L}\p{N}])/giu, ' ');
  text = notYet(text);
  if (!EVIDENCE.test(text)) return false;
  if (!missing || !text.includes('](')) return true;
  const LINK = /\[(?:[^\]\\]|\\.)*\]\(\s*(<[^>\n]*>|[^)\s]+)[^)]*\)/g;
  return EVIDENCE.test(notYet(text.replace(LINK, (m, target: string) => (missing(target.replace(/^<|>$/g, '')) ? ' ' : m))));
}

/** A gate's match of a section as it was: every name tried before the test for the gate's key. */
function gateMatchPlain(layout: { name: string }, section: Pick<Section, 'key' | 'title'>, gate: string): number {
  const key = normalizeTitle(gate);
  const names = (k: string) => k === 'gate # ' + key || k === 'gate ' + key || k === key + ' gate' || (layout.name !== 'iai' && k === key);
  if (names(section.key)) return 3;
  const leads: string[] = [];
  for (const m of section.title.matchAll(/:(?=\s|$)|\s[—–-](?=\s|$)/g)) if (m.index > 0) leads.push(normalizeTitle(section.title.slice(0, m.index)));
  if (section.key.includes(key) && leads.some(names)) return 2;
  if (layout.name === 'iai') return 0;
  return section.key.endsWith(' ' + key) ? 1 : 0;
}

describe('gate fast paths equal the plain code they replace', () => {
  it('isSpaceCode tells what /\\s/ tells, for every character code', () => {
    for (let c = 0; c <= 0xffff; c++) assert.equal(isSpaceCode(c), /\s/.test(String.fromCharCode(c)), `U+${c.toString(16)}`);
  });

  it('replaceEvidenceLinks skips the blanks /\\s/ skips around a link target', () => {
    const OLD = /\[(?:[^\]\\]|\\.)*\]\(\s*(<[^>\n]*>|[^)\s]+)[^)]*\)/g;
    const mark = (m: string, t: string) => `{${m}|${t}}`;
    const blanks = [' ', '\t', '\v', '\f', '\r', '\n', '\xa0', '\u1680', '\u2000', '\u200a', '\u2028', '\u2029', '\u202f', '\u205f', '\u3000', '\ufeff'];
    const others = ['\x85', '\u180e', '\u200b', '\x1f', '\x7f', '!', 'b'];
    fc.assert(
      fc.property(textOf(['[a](', ')', '<', '>', ...blanks, ...others], 12), (t) =>
        assert.equal(replaceEvidenceLinks(t, mark), t.replace(OLD, mark), JSON.stringify(t)),
      ),
      RUNS,
    );
  });

  it('withoutAngles leaves what .replace(/^<|>$/g, "") leaves', () => {
    fc.assert(
      fc.property(textOf(['<', '>', 'a', ' ', '<>'], 8), fc.nat(10), fc.nat(10), (t, a, b) => {
        const start = Math.min(a, t.length);
        const end = Math.min(Math.max(start, b), t.length);
        assert.equal(withoutAngles(t, start, end), t.slice(start, end).replace(/^<|>$/g, ''), JSON.stringify([t, start, end]));
      }),
      RUNS,
    );
  });

  it('hasEvidence judges links to missing files as judging every link did', () => {
    const pieces = [
      'Done ',
      '[r](a.md)',
      '[r](gone.md)',
      '[r](<a b.md>)',
      '[r](<gone b.md>)',
      '[r]( a.md "t")',
      '[r](\u3000gone.md)',
      '[r](<>)',
      '[r](<gone',
      '`x`',
      '`',
      'Evidence: ',
      'Evidence: [Evidence]',
      'TBD',
      '[Link]',
      '<https://x>',
      '[',
      ']',
      '(',
      ')',
      '<',
      '>',
      '\\',
      ' ',
      '\n',
      'a',
    ];
    const missingOf =
      (set: number): MissingTarget =>
      (target) =>
        target.includes('gone') !== ((set & 1) === 1) || (set === 2 && target === '');
    fc.assert(
      fc.property(textOf(pieces, 10), fc.nat(3), (t, set) => {
        const item = { text: t } as ListItem;
        const missing = missingOf(set);
        assert.equal(hasEvidence(item, undefined, missing), hasEvidencePlain(t, missing), JSON.stringify([t, set]));
        assert.equal(hasEvidence(item), hasEvidencePlain(t), JSON.stringify(t));
      }),
      RUNS,
    );
  });

  it('hasEvidence reads an item body, blank lines included, as joining its lines did', () => {
    const first = textOf(
      ['Done', ' ', 'Evidence:', ' TBD', ' pending', 'Pending', '[Evidence]', '[r](a.md)', '[r](gone.md)', '[r](<gone', '`x`', '\\', '>', 'e'],
      5,
    );
    const body = fc.constantFrom('', '', '', '  more', '  Evidence: TBD', '  [r](gone.md)', '  [r](a.md)', '  `p`', '  - [x] nested', '  >)', '   ');
    const item = fc.tuple(fc.constantFrom('- [x] ', '- [ ] ', '1. [x] ', '- '), first, fc.array(body, { maxLength: 4 }));
    const missing: MissingTarget = (target) => target.includes('gone');
    fc.assert(
      fc.property(fc.array(item, { minLength: 1, maxLength: 4 }), fc.constantFrom('', '\n\nAfter.\n'), (items, tail) => {
        const text = items.map(([marker, t, lines]) => [marker + t, ...lines].join('\n')).join('\n') + '\n' + tail;
        const doc = parseDocument(text);
        for (const it of doc.items) {
          const whole = it.endLine > it.line ? it.text + '\n' + doc.lines.slice(it.line + 1, it.endLine + 1).join('\n') : it.text;
          assert.equal(hasEvidence(it, doc, missing), hasEvidencePlain(whole, missing), JSON.stringify([text, it.line]));
          assert.equal(hasEvidence(it, doc), hasEvidencePlain(whole), JSON.stringify([text, it.line]));
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('gateMatch names a gate by a heading as trying every name did', () => {
    const title = textOf(['Gate', ' ', '1', '2.', ':', ' - ', ' — ', '–', 'Review', 'Peer', 'Quality', 'review', 'Gates', 'Completeness', 'x'], 8);
    const gate = fc.constantFrom('Review', 'Peer Review', 'Quality', 'Completeness', 'Gate', '—', '', 'Code Review & Sign-off');
    fc.assert(
      fc.property(title, gate, fc.boolean(), (t, g, iai) => {
        const layout = iai ? IAI_LAYOUT : AUDIT_LAYOUT;
        const section = { key: normalizeTitle(t), title: t };
        assert.equal(gateMatch(layout, section, g), gateMatchPlain(layout, section, g), JSON.stringify([t, g, layout.name]));
      }),
      RUNS,
    );
  });

  it('hasBoxWithin finds a checkbox item in a section as filtering its items did', () => {
    const line = fc.constantFrom('# T', '## Gate 1: Review', '### Sub', '- [x] a', '- [ ] b', '- c', '  - [x] d', '1. [ ] e', 'text', '', '```', '> - [x] f');
    fc.assert(
      fc.property(fc.array(line, { maxLength: 14 }), (lines) => {
        const doc = parseDocument(lines.join('\n') + '\n');
        for (const s of doc.sections) {
          assert.equal(
            hasBoxWithin(doc, s),
            itemsWithin(doc, s).some((i) => i.checked !== undefined),
            JSON.stringify([lines, s.title]),
          );
        }
      }),
      { numRuns: 1000 },
    );
  });
});
