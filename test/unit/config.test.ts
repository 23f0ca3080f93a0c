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
