/**
 * Code actions' commands as commands without arguments.
 *
 * VS Code keeps a code action's command that carries arguments only as long as the list of actions it came
 * in: the extension host caches the command under a number, and drops it when the editor replaces the list
 * (new diagnostics arrive while the quick fix menu is open, the cursor moves). A fix chosen from a menu
 * whose list was replaced then has its edit applied and its command refused ("Actual command not found,
 * wanted to execute phasegate.selectAfterFix"): the cursor stays where it was and an error is logged. A
 * command without arguments is sent by its name, which stays valid: so each command with arguments is
 * replaced by a handle, a command of its own that runs it with them, for as long as the last `max` handles.
 */
import * as vscode from 'vscode';

/** Prefix of the handles' command ids (not contributed: they show in no menu or palette). */
export const HANDLE_PREFIX = 'phasegate.codeActionCommand.';

export class CommandHandles implements vscode.Disposable {
  private readonly live: vscode.Disposable[] = [];
  private count = 0;

  /** `max`: handles kept registered (code actions are asked for at every move of the cursor; a menu holds a few). */
  constructor(private readonly max = 200) {}

  /** `command` if it has no arguments, else a handle that runs it with them. */
  handle(command: vscode.Command): vscode.Command {
    const args = command.arguments;
    if (!args?.length) return command;
    const id = `${HANDLE_PREFIX}${++this.count}`;
    this.live.push(vscode.commands.registerCommand(id, () => vscode.commands.executeCommand(command.command, ...args)));
    while (this.live.length > this.max) this.live.shift()!.dispose();
    return { title: command.title, tooltip: command.tooltip, command: id };
  }

  /** How many handles are registered. */
  get size(): number {
    return this.live.length;
  }

  dispose(): void {
    for (const d of this.live.splice(0)) d.dispose();
  }
}
