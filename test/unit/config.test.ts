/**
 * How phasegate.yaml's custom layouts are read: their order, their `number` pattern, and the
 * spellings of their globs and of `ignore`.
 */
import * as assert from 'node:assert/strict';
import { workspace } from '../helpers/workspace';

describe('config: custom layouts', () => {
  it('are tried in the order listed, before the built-in ones: a folder two layouts claim is a phase of the first', async () => {
    const layout = (name: string, glob: string, file: string) =>
      `  - name: ${name}\n    phases: "${glob}"\n    documents:\n      - kind: ${name}-doc\n        file: ${file}\n`;
    for (const [first, second] of [
      ['stages/*', 'stages/stage-*'],
      ['stages/stage-*', 'stages/*'],
    ]) {
      const { svc } = await workspace({
        'phasegate.yaml': `layouts:\n${layout('first', first, 'A.md')}${layout('second', second, 'B.md')}`,
        'stages/stage-1/A.md': '# Stage 1\n',
        'stages/phase-2/00-PHASE_BRIEF.md': '# Phase 2: Also claimed by both\n',
      });
      assert.deepEqual(svc.config.problems, []);
      assert.deepEqual(
        svc.config.layouts.map((l) => l.name),
        ['first', 'second', 'audit', 'iai'],
      );
      const phases = svc.model.phases.map((p) => `${p.id} ${p.layout.name}`);
      assert.deepEqual(phases, first === 'stages/*' ? ['stages/stage-1 first', 'stages/phase-2 first'] : ['stages/stage-1 first', 'stages/phase-2 second']);
      // stage-1 holds A.md, the first layout's document: it is never asked for B.md.
      assert.deepEqual(
        svc
          .diagnoseAll()
          .filter((d) => d.code === 'missing-document')
          .map((d) => d.message),
        [first === 'stages/*' ? 'Phase stages/phase-2 has no first-doc (A.md).' : 'Phase stages/phase-2 has no second-doc (B.md).'],
      );
    }
  });
});

describe('config: a layout number pattern', () => {
  const config = (number: string) =>
    `layouts:\n  - name: sprint\n    phases: "sprints/*"\n    number: "${number}"\n    documents:\n      - kind: goals\n        file: GOALS.md\n        heading: "Sprint {N} Goals"\n`;

  it('without a capture group is invalid-config at its value, and its layout is not used', async () => {
    const { svc } = await workspace({ 'phasegate.yaml': config('^sprint-\\\\d+$'), 'sprints/sprint-1/GOALS.md': '# Sprint 7 Goals\n' });
    const found = svc.config.problems;
    assert.equal(found.length, 1, JSON.stringify(found));
    assert.equal(found[0].code, 'invalid-config');
    assert.equal(found[0].message, 'layouts[0].number: no capture group: group 1, in parentheses, is the phase number (as in sprint-(\\d+))');
    assert.deepEqual(found[0].range, { start: { line: 3, character: 12 }, end: { line: 3, character: 27 } });
    assert.deepEqual(
      svc.config.layouts.map((l) => l.name),
      ['audit', 'iai'],
    );
  });

  it('with a group, named or not, numbers the phases', async () => {
    for (const number of ['^sprint-(\\\\d+)$', '^sprint-(?<n>\\\\d+)$', '^(?:sprint)-(\\\\d+)$']) {
      const { svc } = await workspace({ 'phasegate.yaml': config(number), 'sprints/sprint-1/GOALS.md': '# Sprint 7 Goals\n' });
      assert.deepEqual(svc.config.problems, [], number);
      assert.deepEqual(
        svc.model.phases.map((p) => p.number),
        [1],
        number,
      );
      assert.deepEqual(
        svc.diagnoseAll().map((d) => d.code),
        ['heading-mismatch'],
        number,
      );
    }
  });
});
