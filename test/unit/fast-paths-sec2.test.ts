/**
 * specSection with the keys of a section spec's fixed titles made once per spec, against the code it replaces
 * (kept here as it was, with the section titled as `new` writes it, numbers and all, before another of its key, the title as written in phase 0 added, see writtenTitle, as later phases write it, a
 * number where phase 0 writes none, as an earlier `new` wrote it, a number glued to a letter, with a hyphen or a
 * blank there, and one after a blank glued, and as a phase below writes it, with fewer numbers): the same section on random specs, documents and phase numbers, each spec asked again for other
 * documents and numbers (its keys then remembered).
 */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { textOf, withEol } from '../helpers/fuzz';
import { type SectionSpec, earlierWrittenTitle, expandTitle, writtenTitle } from '../../server/src/service/layout';
import { ParsedDocument, Section, normalizeTitle, parseDocument, sectionByKey } from '../../server/src/service/markdown';
import { NOTE, expandedTitleKey, numberlessKey, specSection } from '../../server/src/service/rules/doc-util';
import { labelSections } from '../../server/src/service/labels';

/** specSection as it was: each title's and alias's key looked up by string for every document. */
function specSectionBefore(doc: ParsedDocument, spec: SectionSpec, n: number | undefined, labels = true): Section | undefined {
  let s = sectionByKey(doc, expandedTitleKey(spec.title, n));
  // Of sections of its key, the one titled as `new` writes it, numbers and all, where the first is not.
  if (s && spec.title.includes('{') && n !== undefined) {
    const written = writtenTitle(spec.title, n);
    const digits = (t: string) => (t.match(/\d+/g) ?? []).join(' ');
    const exact = (x: Section) => x.key === normalizeTitle(written) && digits(x.title) === digits(written);
    if (!exact(s)) s = doc.sections.find(exact) ?? s;
  }
  for (let i = 0; !s && spec.aliases && i < spec.aliases.length; i++) s = sectionByKey(doc, expandedTitleKey(spec.aliases[i], n));
  if (!s && n !== undefined) for (const t of [spec.title, ...(spec.aliases ?? [])]) if ((s = sectionByKey(doc, spacedKeyBefore(t, n)))) break;
  if (!s && n === undefined) for (const t of [spec.title, ...(spec.aliases ?? [])]) if ((s = sectionByKey(doc, numberlessKey(t)))) break;
  if (!s && n !== undefined) for (const t of [spec.title, ...(spec.aliases ?? [])]) if ((s = sectionByKey(doc, writtenKeyBefore(t, n)))) break;
  if (!s && n !== undefined) for (const t of [spec.title, ...(spec.aliases ?? [])]) if ((s = sectionByKey(doc, numberedKeyBefore(t, n)))) break;
  if (!s && n !== undefined) for (const t of [spec.title, ...(spec.aliases ?? [])]) if ((s = sectionByKey(doc, earlierKeyBefore(t, n)))) break;
  if (!s && n !== undefined)
    for (const t of [spec.title, ...(spec.aliases ?? [])]) {
      for (const k of loweredKeysBefore(t, n)) if ((s = sectionByKey(doc, k))) break;
      if (s) break;
    }
  if (s) return s;
  s = doc.sections.find(namedByBefore(spec, n));
  return s ?? (labels ? specLabelsBefore(doc, spec, n)[0] : undefined);
}

function namedByBefore(spec: SectionSpec, n: number | undefined): (s: Pick<Section, 'key' | 'title'>) => boolean {
  const titles = [spec.title, ...(spec.aliases ?? [])];
  const keys = new Set(titles.map((t) => expandedTitleKey(t, n)));
  if (n === undefined) for (const t of titles) keys.add(numberlessKey(t));
  else
    for (const t of titles) {
      keys.add(writtenKeyBefore(t, n));
      keys.add(numberedKeyBefore(t, n));
      keys.add(earlierKeyBefore(t, n));
      for (const k of loweredKeysBefore(t, n)) keys.add(k);
    }
  if (n !== undefined) for (const t of titles) keys.add(spacedKeyBefore(t, n));
  const noted = new Set(titles.map((t) => expandedTitleKey(t, n)));
  return (s) => keys.has(s.key) || (NOTE.test(s.title) && noted.has(normalizeTitle(s.title.replace(NOTE, ''))));
}

/** The key of a title as `new` writes it in phase `n` (a `{N-1}` that would be negative dropped: see writtenTitle). */
function writtenKeyBefore(title: string, n: number): string {
  return normalizeTitle(writtenTitle(title, n));
}

/** The key of a title as an earlier `new` wrote it in phase `n` (see earlierWrittenTitle: `Sprints-0` of `Sprints {N-1}-{N}`), else as it writes it. */
function earlierKeyBefore(title: string, n: number): string {
  return normalizeTitle(earlierWrittenTitle(title, n) ?? writtenTitle(title, n));
}

/**
 * The key of a title with a blank between a letter and a `{N}` glued to it (`S {N-2} recap` of `S{N-2} recap`), which
 * `S-3 recap` has; else, of one with blanks there, without them (`S{N-2} recap` of `S {N-2} recap`); below the least
 * number where each `{N-d}` names a phase, as written there.
 */
function spacedKeyBefore(title: string, n: number): string {
  if (!/\p{L}(?:[^\S\n]*|-)\{N(?:[+-]\d+)?\}/u.test(title)) return expandedTitleKey(title, n);
  const other = /\p{L}\{N(?:[+-]\d+)?\}/u.test(title)
    ? title.replace(/(\p{L})(\{N(?:[+-]\d+)?\})/gu, '$1 $2')
    : /\p{L}[^\S\n]+\{N(?:[+-]\d+)?\}/u.test(title)
      ? title.replace(/(\p{L})[^\S\n]+(\{N(?:[+-]\d+)?\})/gu, '$1$2')
      : title.replace(/(\p{L})-(\{N(?:[+-]\d+)?\})/gu, '$1$2');
  const offsets = [...title.matchAll(/\{N([+-]\d+)?\}/g)].map((m) => Number(m[1] ?? 0));
  const from = offsets.some((d) => !(Math.abs(d) <= 1e15)) ? Infinity : Math.max(0, ...offsets.map((d) => -d));
  return normalizeTitle(expandTitle(other, Number.isFinite(from) ? Math.max(n, from) : n));
}

/**
 * The keys of a title as `new` writes it, or an earlier `new` wrote it, in each phase below the least number where
 * each `{N-d}` names a phase (at most 8 of them), where that drops a number, but phase `n`'s own keys.
 */
function loweredKeysBefore(title: string, n: number): string[] {
  const lower = [...title.matchAll(/\{N-(\d+)\}/g)].map((m) => Number(m[1]));
  if (!lower.length || !Number.isInteger(n) || n < 0) return [];
  const offsets = [...title.matchAll(/\{N([+-]\d+)?\}/g)].map((m) => Number(m[1] ?? 0));
  const from = offsets.some((d) => !(Math.abs(d) <= 1e15)) ? Infinity : Math.max(...lower);
  const own = [expandedTitleKey(title, n), writtenKeyBefore(title, n), earlierKeyBefore(title, n)];
  const out: string[] = [];
  for (let m = 0; m < Math.min(from, 8); m++) {
    if (m === n) continue;
    for (const t of [writtenTitle(title, m), earlierWrittenTitle(title, m)]) {
      if (t !== undefined && t !== expandTitle(title, m) && !own.includes(normalizeTitle(t))) out.push(normalizeTitle(t));
    }
  }
  return out;
}

/**
 * The key of a title as the phases write it from the least number where each `{N-d}` names a phase (`d`), asked in a
 * phase below it (phase 0 for a `{N-1}`: `S3 recap` of `S{N-1} recap`); its own key elsewhere.
 */
function numberedKeyBefore(title: string, n: number): string {
  const lower = [...title.matchAll(/\{N-(\d+)\}/g)].map((m) => Number(m[1]));
  const from = Math.max(...lower);
  return normalizeTitle(expandTitle(title, lower.length && n < from ? from : n));
}

function specLabelsBefore(doc: ParsedDocument, spec: SectionSpec, n: number | undefined): Section[] {
  const labels = labelSections(doc);
  return labels.length ? labels.filter(namedByBefore(spec, n)) : labels;
}

const TITLE_PIECES = [
  'Goals',
  'Sprint',
  ' ',
  '{N}',
  '{N+1}',
  '{N-1}',
  '{N-12}',
  '{',
  '}',
  '3',
  '1.',
  '&',
  'and',
  'Über',
  'É',
  '*',
  '(',
  ')',
  'Key Activities',
  '目標',
  '\t',
  '-',
  ' to ',
];
const NUMBERS = [undefined, 0, 1, 2, 3, 12, 13, 999, 10_000, 10_001, -1, 2.5];

/** Where a section is, to compare the two answers (the same object of the same document). */
function at(s: Section | undefined): string {
  return s === undefined ? 'none' : `${s.heading.line}:${s.title}:${s.key}`;
}

function docOf(titles: string[], eol: string): ParsedDocument {
  const lines: string[] = ['# Title', ''];
  titles.forEach((t, i) => {
    if (i % 3 === 2) lines.push(`**${t}**: some text`, '');
    else lines.push(`${i % 2 ? '###' : '##'} ${t}`, '', `- item ${i}`, '');
  });
  return parseDocument(withEol(lines.join('\n'), eol));
}

function agree(spec: SectionSpec, docs: ParsedDocument[]): void {
  for (const doc of docs) {
    for (const n of NUMBERS) {
      for (const labels of [true, false]) {
        assert.equal(at(specSection(doc, spec, n, labels)), at(specSectionBefore(doc, spec, n, labels)), JSON.stringify({ spec, n, labels }));
        assert.equal(specSection(doc, spec, n, labels), specSectionBefore(doc, spec, n, labels));
      }
    }
  }
}

describe('fast paths of specSection (sec2)', () => {
  it('finds the section the per-document look-ups found, on random specs and documents', () => {
    const title = textOf(TITLE_PIECES, 6);
    fc.assert(
      fc.property(
        title,
        fc.option(fc.array(title, { maxLength: 4 }), { nil: undefined }),
        fc.array(
          fc.array(
            fc.oneof(
              title,
              fc.constantFrom(
                'Goals (via Prompt)',
                'Goals (2)',
                'Sprint 3 Goals (draft)',
                'Sprint 3 Goals',
                'Sprint Goals',
                'Sprint 13 Goals',
                'Sprint-3 Goals',
                'Sprint-0',
                'Sprint to 0',
              ),
            ),
            { maxLength: 6 },
          ),
          {
            minLength: 1,
            maxLength: 3,
          },
        ),
        fc.constantFrom('\n', '\r\n'),
        (t, aliases, docTitles, eol) => {
          const spec: SectionSpec = { title: t, aliases };
          agree(
            spec,
            docTitles.map((d) => docOf(d, eol)),
          );
        },
      ),
      { numRuns: 400 },
    );
  });

  it('agrees on hand-picked specs: templated and fixed titles, aliases, notes, labels, Unicode, tabs, empty', () => {
    const specs: SectionSpec[] = [
      { title: 'Goals' },
      { title: 'Goals', aliases: ['Objective', 'Sprint {N} Goals'] },
      { title: 'Sprint {N} Goals', aliases: ['Goals'] },
      { title: 'Deliverables', aliases: ['Key Activities', 'Outputs'] },
      { title: '{N}' },
      { title: '' },
      { title: 'Über\tBlick', aliases: ['uberblick', '目標'] },
      { title: 'Phase {N-1} Review', aliases: ['Review of phase {N-1}'] },
    ];
    const docs = [
      docOf(['Goals', 'Objective'], '\n'),
      docOf(['Sprint 3 Goals', 'Sprint Goals', 'Sprint {N} Goals', 'x'], '\r\n'),
      docOf(['Key Activities (via iAI Prompt)', 'Outputs', 'Deliverables'], '\n'),
      docOf(['Key Activities (via iAI Prompt)', 'Other', 'Outputs'], '\n'),
      docOf(['3', '12', ''], '\n'),
      docOf(['Uberblick', 'x', '目標'], '\r\n'),
      docOf(['Phase 2 Review', 'Review of Phase 11', 'Phase Review'], '\n'),
      docOf([], '\n'),
      docOf(['A'.repeat(20_000), 'Goals'], '\n'),
      parseDocument(''),
    ];
    for (const spec of specs) agree(spec, docs);
  });
});
