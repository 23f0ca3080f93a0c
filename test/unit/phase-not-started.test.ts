/**
 * A phase whose documents beyond its brief hold only what `new` wrote from the templates is not started, also in a
 * service that lives on (the editor's): its verdict follows the texts the templates are rendered from.
 */
import * as assert from 'node:assert/strict';
import { planNew } from '../../server/src/service/scaffold';
import { ROOT, workspace } from '../helpers/workspace';

const DATE = '2026-01-02';
const OUT = `${ROOT}/phase-1/06-OUTPUT_HANDOFF.md`;

describe('phase status: a phase new just made', () => {
  it('is not started, on another day than it was made too, and started once a document it reads from no longer gives the lines it holds', async () => {
    const { svc, fs } = await workspace({});
    const make = async (title: string) => {
      for (const f of planNew(svc, { what: 'phase', layout: 'audit', title, date: DATE }).creates) fs.write(f.file, f.text);
      await svc.load(ROOT);
    };
    const status = () => svc.model.phases.map((p) => `${p.id} ${svc.status(p)}`);
    await make('One');
    // Made on another day than today, with the decision log's `**Date**:` of that day: not started.
    assert.deepEqual(status(), ['phase-1 not-started']);
    // Phase 1's handoff names an input of phase 2, which phase 2's input handoff takes over when it is made.
    fs.write(OUT, fs.text(OUT)!.replace('- Input: [Location] - [Description]', '- Input: reports/ - the audit results'));
    await svc.load(ROOT);
    await make('Two');
    assert.match(fs.text(`${ROOT}/phase-2/01-INPUT_HANDOFF.md`)!, /^- Input: reports\/ - the audit results$/m);
    assert.deepEqual(status(), ['phase-1 in-progress', 'phase-2 not-started']);
    // That input changed in phase 1's handoff: phase 2's input handoff holds a line that is not the template's any more,
    // as if someone wrote it: started, and blocked by the handoffs that disagree (handoff-mismatch), as a service started
    // now reads it (was, in the service that read it before: not started).
    svc.setOverlay(OUT, fs.text(OUT)!.replace('the audit results', 'the audit report'));
    assert.deepEqual(status(), ['phase-1 in-progress', 'phase-2 blocked']);
  });
});
