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
          causeCount: 0,
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

describe('client: what holds a gate, when the server lists only some of it', () => {
  const cause = (line: number) => ({
    kind: 'diagnostic' as const,
    uri: 'file:///ws/phase-2/03-FINDINGS/links.md',
    range: { start: { line, character: 0 }, end: { line, character: 4 } },
    message: `Broken link ${line}`,
    code: 'broken-link',
    severity: 'error' as const,
  });
  const result = (causeCount: number): GatesResult => ({
    phaseId: 'phase-2',
    status: 'blocked',
    gates: [
      {
        name: 'Documentation',
        status: 'failed',
        reasons: [`${causeCount} × broken-link`],
        uri: null,
        line: null,
        items: [],
        causes: [cause(1), cause(2)],
        causeCount,
      },
    ],
  });

  async function pick(causeCount: number, choose: (labels: string[]) => number | undefined) {
    const { mod, vscode } = await clientModule<Commands>('client/src/commands/gates.ts');
    const shown: { title: string; labels: string[] }[] = [];
    const ran: string[] = [];
    (vscode.workspace as Record<string, unknown>).asRelativePath = (u: { toString(): string }) => u.toString().replace('file:///ws/', '');
    vscode.commands.executeCommand = ((id: string) => {
      ran.push(id);
      return Promise.resolve(undefined);
    }) as never;
    vscode.window.showQuickPick = ((items: { label: string }[], o: { title: string }) => {
      const labels = items.map((i) => i.label);
      shown.push({ title: o.title, labels });
      const k = choose(labels);
      return Promise.resolve(k === undefined ? undefined : items[k]);
    }) as never;
    await mod.showGate({ request: () => Promise.resolve(result(causeCount)) }, { phaseUri: 'file:///ws/phase-2', gate: 'Documentation' });
    return { shown, ran };
  }

  it('says how many more hold it, and that entry opens the Problems view', async () => {
    const { shown, ran } = await pick(20_000, (labels) => labels.findIndex((l) => l.includes('more not listed')));
    assert.equal(shown.length, 1);
    assert.equal(shown[0].title, 'Phasegate: gate Documentation of phase-2 is failed — 20000 things hold it');
    assert.deepEqual(shown[0].labels, [
      '$(error) Broken link 1',
      '$(error) Broken link 2',
      '$(info) 19998 more not listed here (the first of each reason are): open the Problems view',
    ]);
    assert.deepEqual(ran, ['workbench.actions.view.problems']);
  });

  it('lists them alone when every one is listed', async () => {
    const { shown } = await pick(2, () => undefined);
    assert.deepEqual(shown[0], { title: 'Phasegate: gate Documentation of phase-2 is failed', labels: ['$(error) Broken link 1', '$(error) Broken link 2'] });
  });
});
