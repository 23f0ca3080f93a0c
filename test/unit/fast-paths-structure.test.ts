/**
 * Fast paths of the structure and rationale rules (performance only) against the plain code they replace:
 * the same answers on random input built from the characters that matter to each.
 */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { basename } from '../../server/src/service/host';
import { titleNumbers, titleNumbersWrong } from '../../server/src/service/layout';
import { otherPhaseValue } from '../../server/src/service/rules/structure';
import { arrowReason } from '../../server/src/service/rules/doc-rationale';
import type { Phase } from '../../server/src/service/workspace';

/** Strings of 0..maxLength pieces drawn from `pieces`. */
function textOf(pieces: string[], maxLength = 12): fc.Arbitrary<string> {
  return fc.array(fc.constantFrom(...pieces), { maxLength }).map((a) => a.join(''));
}

const RUNS = { numRuns: 3000 };

/** The reading `otherPhaseValue` replaced: every value as a string, by the patterns. */
function otherPhaseValuePlain(phases: readonly Phase[], raw: unknown, want: Phase): string | undefined {
  if (typeof raw !== 'number' && typeof raw !== 'string') return undefined;
  const value = String(raw).trim();
  const own = value.toLowerCase();
  if (own === want.id.toLowerCase() || own === basename(want.folder).toLowerCase()) return undefined;
  const m = /^(?:phase[\s_-]*)?(\d+)$/i.exec(value);
  const other = phases.find((p) => p.id.toLowerCase() === value.toLowerCase() || p.folder.toLowerCase().endsWith('/' + value.toLowerCase()));
  const named = m ? { number: Number(m[1]) } : other ? { id: other.id } : undefined;
  if (!named) return undefined;
  if ('number' in named ? want.number === undefined || named.number === want.number : named.id === want.id) return undefined;
  return value;
}

/** The reading `arrowReason` gave every item before its count of letters and digits. */
function arrowReasonPlain(body: string): boolean {
  const m = /(?:→|->|⟶|=>)\s*\S/.exec(body);
  if (!m) return false;
  const after = body.slice(m.index + m[0].length - 1);
  if (after.includes('[') || after.includes('{{')) return true;
  const words = after
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w !== '')
    .join(' ')
    .toLowerCase();
  return words !== '' && !/^(?:because|since|as|so|why|reason|reasons|due to|given|for)$/.test(words);
}

describe('fast paths of the structure and rationale rules equal the plain code they replace', () => {
  it('titleNumbersWrong tells whether titleNumbers reads a number other than the one wanted', () => {
    const headings = [
      'Phase {N}: ',
      'Phase {N} Input Handoff',
      'Phase {N} → Phase {N+1} Handoff',
      'Phase {N-1} to {N}',
      'Sprint {N} Goals',
      '{N}. Plan',
      '{N}',
      'Q{N+1}{N} review',
      'Q{N} review of Q1 and Q{N+1}: ',
      'Mission {N}0 Charter: ',
      'No number',
      'Phase {N}',
    ];
    const title = textOf([
      'Phase',
      'phase',
      ' ',
      '  ',
      '3',
      '4',
      '03',
      '2',
      '10',
      '0',
      '9',
      '99999999999999999999',
      'Q',
      '43',
      ':',
      ' → ',
      ' to ',
      'Input Handoff',
      'Sprint',
      'Goals',
      '.',
      'Plan',
      'review of',
      'Q1',
      'x',
      'é',
      'Charter',
      '30',
    ]);
    const n = fc.oneof(fc.integer({ min: 0, max: 12 }), fc.constantFrom(99, 1234567890, 3.5, 1e16));
    fc.assert(
      fc.property(fc.constantFrom(...headings), n, title, (heading, k, t) => {
        const plain = titleNumbers(heading, k, t).some((x) => x.value !== x.want);
        assert.equal(titleNumbersWrong(heading, k, t), plain, JSON.stringify([heading, k, t]));
      }),
      RUNS,
    );
  });

  it('otherPhaseValue reads a front matter phase as reading every value as a string did', () => {
    const phase = (id: string, folder: string, number: number | undefined) => ({ id, folder, number }) as Phase;
    const phases = [
      phase('phase-3', '/ws/audit/phase-3', 3),
      phase('phase-4', '/ws/audit/phase-4', 4),
      phase('beta', '/ws/audit/beta', undefined),
      phase('7', '/ws/x/7', 7),
    ];
    const raw = fc.oneof(
      fc.integer({ min: -5, max: 12 }),
      fc.constantFrom(3, 4, 7, -0, 0, 3.5, 1e21, 2 ** 53, 2 ** 53 + 2, Number.MAX_SAFE_INTEGER, NaN, Infinity, -3),
      textOf(['phase', 'Phase', '-', '_', ' ', '3', '4', '7', 'beta', 'BETA', 'phase-3', '0']),
      fc.constantFrom(true, null, undefined, ['3'], { n: 3 }),
    );
    fc.assert(
      fc.property(raw, fc.constantFrom(...phases), (r, want) => {
        assert.equal(otherPhaseValue(phases, r, want), otherPhaseValuePlain(phases, r, want), JSON.stringify([r, want.id]));
      }),
      RUNS,
    );
  });

  it('arrowReason tells a reason after an arrow as reading its words did', () => {
    const body = textOf([
      '→',
      '->',
      '=>',
      '⟶',
      ' ',
      '  ',
      'because',
      'Because',
      'since',
      'due',
      'to',
      'due to',
      'as',
      'x',
      'é',
      'İ',
      'K',
      'ſ',
      '.',
      ',',
      '[',
      '{{',
      'reasons',
      'abcdefgh',
      'fewer tools',
      '1234',
      '5678',
      'A1b2',
      '**',
      '_',
      '\n',
    ]);
    fc.assert(
      fc.property(body, (b) => assert.equal(arrowReason(b), arrowReasonPlain(b), JSON.stringify(b))),
      RUNS,
    );
  });

  it('a decisions file is told by its path as by its file name', () => {
    const path = textOf(['/', 'ws', 'phase-3', 'decisions', 'DECISIONS', 'Decisions', '.md', '.MD', '05-', '.', 'x', 'ſ'], 8);
    fc.assert(
      fc.property(path, (p) => assert.equal(/decisions\.md$/i.test(p), /decisions\.md$/i.test(basename(p)), JSON.stringify(p))),
      RUNS,
    );
  });
});
