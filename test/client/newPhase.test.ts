/**
 * The New Phase and New Implementation Prompt commands (client/src/commands, bundled with a stand-in for
 * `vscode`) in a workspace without iAI phases: what they ask, and what they refuse as it is typed.
 */
import * as assert from 'node:assert/strict';
import type { PhasesResult } from '../../server/src/protocol';
import { clientModule } from './bundle';
import { wholeTree } from './phases';

interface InputBox {
  prompt?: string;
  validateInput?: (v: string) => string | undefined;
}

type Commands = {
  newPrompt(ctx: unknown, arg?: unknown): Promise<unknown>;
  newPhase(ctx: unknown, arg?: unknown): Promise<unknown>;
  validateWorkstream(v: string): string | undefined;
};

async function commands() {
  const { mod, vscode } = await clientModule<Commands>('client/src/commands/newDocument.ts', 'client/src/commands/newPhase.ts');
  const asked: { pick: string[][]; input: InputBox[] } = { pick: [], input: [] };
  const folder = { uri: vscode.Uri.parse('file:///ws'), name: 'ws', index: 0 };
  vscode.workspace.workspaceFolders = [folder];
  vscode.workspace.getWorkspaceFolder = () => folder;
  vscode.window.showQuickPick = ((items: { label: string }[]) => {
    asked.pick.push(items.map((i) => i.label));
    return Promise.resolve(undefined);
  }) as never;
  // The user cancels each input box: the test looks at what was asked.
  vscode.window.showInputBox = ((o: InputBox) => {
    asked.input.push(o);
    return Promise.resolve(undefined);
  }) as never;
  return { mod, asked };
}

/** `phasegate.enable` on in every folder. */
const ON = { enableFor: () => true };

/** A workspace with one audit phase sequence and no iAI phase. */
const AUDIT_ONLY: PhasesResult = wholeTree('a1', 1);

describe('client: New Implementation Prompt without iAI phases', () => {
  it('starts an iAI workstream at once: no layout pick offering audit phases; asks for its workstream', async () => {
    const { mod, asked } = await commands();
    const ctx = { tree: { load: () => Promise.resolve(AUDIT_ONLY) }, config: ON };
    await mod.newPrompt(ctx);
    assert.deepEqual(asked.pick, [], 'no pick');
    assert.equal(asked.input.length, 1);
    assert.equal(asked.input[0].prompt, 'Workstream of the first phase');
  });

  it('refuses a workstream named . or .. (as the server does) while it is typed, before the title is asked', async () => {
    const { mod, asked } = await commands();
    await mod.newPrompt({ tree: { load: () => Promise.resolve(AUDIT_ONLY) }, config: ON });
    const validate = asked.input[0].validateInput!;
    assert.match(validate('..') ?? '', /'\.\.' is not a workstream name/);
    assert.match(validate(' . ') ?? '', /'\.' is not a workstream name/);
    assert.match(validate('a/b') ?? '', /leave out/);
    assert.equal(validate('Build'), undefined);
    assert.equal(mod.validateWorkstream('Data..Pipeline'), undefined, 'dots inside a name are fine');
  });
});

describe('client: New Phase in a nested project', () => {
  it("creates the first phase of a project row in the project's folder, not at the workspace folder's root", async () => {
    const { mod, vscode } = await clientModule<Commands>('client/src/commands/newDocument.ts', 'client/src/commands/newPhase.ts');
    const ws = { uri: vscode.Uri.parse('file:///ws'), name: 'ws', index: 0 };
    vscode.workspace.workspaceFolders = [ws];
    vscode.workspace.getWorkspaceFolder = () => ws;
    vscode.window.showQuickPick = ((items: { layout?: string }[]) => Promise.resolve(items.find((i) => i.layout === 'audit'))) as never;
    vscode.window.showInputBox = (() => Promise.resolve('Start')) as never;
    vscode.window.showErrorMessage = (() => Promise.resolve(undefined)) as never;
    const project = { uri: 'file:///ws/projects/a', name: 'projects/a', workspaceFolderUri: 'file:///ws', ready: true, groups: [], plans: [] };
    const data: PhasesResult = { ...AUDIT_ONLY, folders: [{ ...AUDIT_ONLY.folders[0], uri: 'file:///ws', name: 'ws' }, project] };
    const asked: { targetUri: string }[] = [];
    const ctx = {
      tree: { load: () => Promise.resolve(data) },
      config: ON,
      request: (_type: unknown, params: { targetUri: string }) => {
        asked.push(params);
        return Promise.resolve({ files: [], edit: null, errors: ['stop here'] });
      },
    };
    await mod.newPhase(ctx, { type: 'folder', folder: project });
    assert.deepEqual(
      asked.map((a) => a.targetUri),
      ['file:///ws/projects/a'],
    );
  });
});

describe('client: New Phase names the number the server gives the phase', () => {
  /** New Phase on the group of phase 1, the server answering renderTemplate with `planned` (no number: an older server). */
  async function newPhaseWith(planned: number | undefined) {
    const { mod, asked } = await commands();
    let titled = '';
    const { vscode } = await clientModule<Commands>('client/src/commands/newDocument.ts', 'client/src/commands/newPhase.ts');
    vscode.window.showInputBox = ((o: InputBox & { title?: string }) => {
      asked.input.push(o);
      titled = o.title ?? '';
      return Promise.resolve('Rollout');
    }) as never;
    const errors: string[] = [];
    vscode.window.showErrorMessage = ((m: string) => {
      errors.push(m);
      return Promise.resolve(undefined);
    }) as never;
    const requests: { method: string; options: Record<string, unknown> }[] = [];
    const ctx = {
      tree: { load: () => Promise.resolve(AUDIT_ONLY) },
      config: ON,
      request: (type: { method: string }, params: { options: Record<string, unknown> }) => {
        requests.push({ method: type.method, options: { ...params.options } });
        if (type.method === 'phasegate/renderTemplate')
          return Promise.resolve({ files: [], edit: null, errors: [], ...(planned === undefined ? {} : { number: planned }) });
        return Promise.resolve({ files: [], edit: null, errors: ['stop here'], ...(planned === undefined ? {} : { number: planned }) });
      },
    };
    await mod.newPhase(ctx, { type: 'group', group: AUDIT_ONLY.folders[0].groups[0] });
    return { prompts: asked.input.map((i) => i.prompt), titled, requests, errors };
  }

  it('asks the title of phase 3 where the server passes over an ignored phase-2 folder, and creates the phase it planned', async () => {
    const { prompts, titled, requests, errors } = await newPhaseWith(3);
    assert.deepEqual(prompts, ['Title of phase 3 in ws']);
    assert.equal(titled, 'Phasegate: New Phase 3');
    // Planned first without a title, then created with the same options and the title.
    assert.deepEqual(requests, [
      { method: 'phasegate/renderTemplate', options: { layout: 'audit', number: 2 } },
      { method: 'phasegate/newDocument', options: { layout: 'audit', number: 2, title: 'Rollout' } },
    ]);
    assert.deepEqual(errors, ['Phasegate: cannot create phase 3 of ws: stop here']);
  });

  it('asks the title of the phase after the group’s last when the server names no number', async () => {
    const { prompts, titled } = await newPhaseWith(undefined);
    assert.deepEqual(prompts, ['Title of phase 2 in ws']);
    assert.equal(titled, 'Phasegate: New Phase 2');
  });
});

describe('client: the boxes and picks are titled as the command the user ran', () => {
  /** The titles of what `run` asks: each input box answered from `answers` in turn (then cancelled), each pick cancelled. */
  async function titlesOf(
    run: (mod: Commands & { scaffold(ctx: unknown, uri?: string, layout?: string): Promise<unknown> }) => Promise<unknown>,
    answers: string[],
  ) {
    const { mod, vscode } = await clientModule<Commands & { scaffold(ctx: unknown, uri?: string, layout?: string): Promise<unknown> }>(
      'client/src/commands/newDocument.ts',
      'client/src/commands/newPhase.ts',
    );
    const folder = { uri: vscode.Uri.parse('file:///ws'), name: 'ws', index: 0 };
    vscode.workspace.workspaceFolders = [folder];
    vscode.workspace.getWorkspaceFolder = () => folder;
    const titles: string[] = [];
    vscode.window.showQuickPick = ((_items: unknown, o: { title?: string }) => {
      titles.push(`pick: ${o.title}`);
      return Promise.resolve(undefined);
    }) as never;
    vscode.window.showInputBox = ((o: { title?: string }) => {
      titles.push(`input: ${o.title}`);
      return Promise.resolve(answers.shift());
    }) as never;
    await run(mod);
    return titles;
  }

  it('Scaffold First Phase: its workstream and title boxes alike (not New Phase 1 for the title)', async () => {
    const titles = await titlesOf((mod) => mod.scaffold({ tree: { load: () => Promise.resolve(AUDIT_ONLY) }, config: ON }, 'file:///ws', 'iai'), ['Build']);
    assert.deepEqual(titles, ['input: Phasegate: Scaffold First Phase', 'input: Phasegate: Scaffold First Phase']);
  });

  it('New Implementation Prompt: without iAI phases, and where every phase has its prompt, as New Implementation Prompt', async () => {
    const ctx = (tree: PhasesResult) => ({ tree: { load: () => Promise.resolve(tree) }, config: ON });
    assert.deepEqual(await titlesOf((mod) => mod.newPrompt(ctx(AUDIT_ONLY)), ['Build']), [
      'input: Phasegate: New Implementation Prompt',
      'input: Phasegate: New Implementation Prompt',
    ]);
    // Two workstreams whose phases have their prompts: which one the new phase goes to.
    const iaiPhase = (ws: string) => ({
      ...AUDIT_ONLY.folders[0].groups[0].phases[0],
      id: `${ws}/Phase_1_X`,
      layout: 'iai',
      workstream: ws,
      uri: `file:///ws/workstreams/${ws}/Phase_1_X`,
      documents: [
        {
          kind: 'prompt',
          label: 'Implementation prompt',
          file: 'implementation_prompt.md',
          uri: `file:///ws/workstreams/${ws}/Phase_1_X/implementation_prompt.md`,
          exists: true,
          problems: { errors: 0, warnings: 0, infos: 0, hints: 0 },
        },
      ],
    });
    const group = (ws: string) => ({ id: ws, label: ws, layout: 'iai', workstream: ws, uri: `file:///ws/workstreams/${ws}`, phases: [iaiPhase(ws)] });
    const two = { ...AUDIT_ONLY, folders: [{ ...AUDIT_ONLY.folders[0], groups: [group('Build'), group('Test')] }] } as unknown as PhasesResult;
    assert.deepEqual(await titlesOf((mod) => mod.newPrompt(ctx(two)), []), ['pick: Phasegate: New Implementation Prompt']);
  });
});
