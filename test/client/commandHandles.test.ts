/**
 * Code actions' commands with arguments become commands without (client/src/commandHandles.ts, bundled with
 * a stand-in for `vscode`): VS Code sends those by name, so a quick fix chosen from a menu whose list was
 * replaced meanwhile still runs its command.
 */
import * as assert from 'node:assert/strict';
import { clientModule } from './bundle';

interface Handles {
  handle(c: { title: string; command: string; arguments?: unknown[] }): { title: string; command: string; arguments?: unknown[] };
  readonly size: number;
  dispose(): void;
}
type Mod = { CommandHandles: new (max?: number) => Handles; HANDLE_PREFIX: string };

/** A command registry as VS Code keeps one: registering an id twice throws, running an unknown one fails. */
function registry() {
  const registered = new Map<string, (...a: unknown[]) => unknown>();
  const ran: unknown[][] = [];
  return {
    registered,
    ran,
    registerCommand: (id: string, fn: (...a: unknown[]) => unknown) => {
      if (registered.has(id)) throw new Error(`command '${id}' already exists`);
      registered.set(id, fn);
      return { dispose: () => registered.delete(id) };
    },
    executeCommand: async (id: string, ...args: unknown[]) => {
      const fn = registered.get(id);
      if (fn) return fn(...args);
      if (id === 'phasegate.selectAfterFix' || id === 'vscode.open') return void ran.push([id, ...args]);
      throw new Error(`command '${id}' not found`);
    },
  };
}

describe('client: code action commands without arguments', () => {
  it('replaces a command with arguments by a handle that runs it with them, and leaves one without as it is', async () => {
    const { mod, vscode } = await clientModule<Mod>('client/src/commandHandles.ts');
    const r = registry();
    Object.assign(vscode.commands, { registerCommand: r.registerCommand, executeCommand: r.executeCommand });
    const handles = new mod.CommandHandles();
    const args = { uri: 'file:///ws/phase-2/00-PHASE_BRIEF.md', range: { start: { line: 9, character: 0 }, end: { line: 9, character: 44 } } };
    const h = handles.handle({ title: 'Go to the inserted section', command: 'phasegate.selectAfterFix', arguments: [args] });
    assert.ok(h.command.startsWith(mod.HANDLE_PREFIX), h.command);
    assert.equal(h.arguments, undefined, 'the handle carries no arguments (VS Code sends it by name)');
    assert.equal(h.title, 'Go to the inserted section');
    // The menu's list replaced (VS Code drops what it cached for it): the handle is run by its name alone.
    await r.executeCommand(h.command);
    assert.deepEqual(r.ran, [['phasegate.selectAfterFix', args]]);
    // Another handle of the same command has its own arguments.
    const other = { ...args, range: { start: { line: 3, character: 0 }, end: { line: 3, character: 5 } } };
    const h2 = handles.handle({ title: 'Go to the inserted section', command: 'phasegate.selectAfterFix', arguments: [other] });
    assert.notEqual(h2.command, h.command);
    await r.executeCommand(h2.command);
    assert.deepEqual(r.ran[1], ['phasegate.selectAfterFix', other]);
    const plain = { title: 'Show the output', command: 'phasegate.showOutput' };
    assert.equal(handles.handle(plain), plain);
    assert.equal(handles.handle({ ...plain, arguments: [] }).command, 'phasegate.showOutput');
    handles.dispose();
    assert.equal(r.registered.size, 0, 'disposing the handles unregisters them');
  });

  it('keeps the last handles registered, the oldest unregistered past the bound', async () => {
    const { mod, vscode } = await clientModule<Mod>('client/src/commandHandles.ts');
    const r = registry();
    Object.assign(vscode.commands, { registerCommand: r.registerCommand, executeCommand: r.executeCommand });
    const handles = new mod.CommandHandles(5);
    const ids = Array.from({ length: 8 }, (_, k) => handles.handle({ title: 'Open', command: 'vscode.open', arguments: [`file:///ws/${k}.md`] }).command);
    assert.equal(handles.size, 5);
    assert.equal(r.registered.size, 5);
    await assert.rejects(r.executeCommand(ids[2]), /not found/);
    await r.executeCommand(ids[7]);
    assert.deepEqual(r.ran, [['vscode.open', 'file:///ws/7.md']]);
    handles.dispose();
  });
});
