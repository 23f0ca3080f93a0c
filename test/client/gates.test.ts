/** The gate commands (client/src/commands/gates.ts, bundled with a stand-in for `vscode`): what a gate's checklist says it is. */
import * as assert from 'node:assert/strict';
import type { GatesResult } from '../../server/src/protocol';
import { clientModule } from './bundle';

type Commands = { showGate(ctx: unknown, args: { phaseUri: string; gate: string }): Promise<void> };

describe("client: a gate's checklist, from its code lens", () => {
  it('names the phase, the gate, its status and how many items are checked', async () => {
    const { mod, vscode } = await clientModule<Commands>('client/src/commands/gates.ts');
    const titles: string[] = [];
    vscode.window.showQuickPick = ((_items: unknown, o: { title: string }) => {
      titles.push(o.title);
      return Promise.resolve(undefined);
    }) as never;
    const result: GatesResult = {
      phaseId: 'phase-2',
      status: 'complete',
      gates: [
        {
          name: 'Quality',
          status: 'passed',
          reasons: [],
          uri: 'file:///ws/phase-2/07-VALIDATION.md',
          line: 10,
          causes: [],
          items: [
            { text: 'Coverage above 80 %', checked: true, evidence: true, line: 11 },
            { text: 'No critical vulnerability', checked: true, evidence: true, line: 12 },
          ],
        },
      ],
    };
    await mod.showGate({ request: () => Promise.resolve(result) }, { phaseUri: 'file:///ws/phase-2', gate: 'Quality' });
    assert.deepEqual(titles, ['Phasegate: gate Quality of phase-2 is passed — 2/2 checked']);
  });
});
