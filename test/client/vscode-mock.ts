/**
 * A small stand-in for the `vscode` module, enough to run client/src code outside VS Code (bundled with
 * esbuild, `vscode` aliased to this file): events, cancellation, tree items, and `window` functions a test
 * replaces with its own (quick picks, input boxes, messages).
 */
type Listener<T> = (e: T) => unknown;

export class EventEmitter<T> {
  private listeners: Listener<T>[] = [];
  readonly event = (l: Listener<T>) => {
    this.listeners.push(l);
    return { dispose: () => (this.listeners = this.listeners.filter((x) => x !== l)) };
  };
  fire(e: T): void {
    for (const l of [...this.listeners]) l(e);
  }
  dispose(): void {
    this.listeners = [];
  }
}

export class CancellationTokenSource {
  private readonly emitter = new EventEmitter<void>();
  private cancelled = false;
  readonly token = {
    isCancellationRequested: false,
    onCancellationRequested: this.emitter.event,
  };
  cancel(): void {
    if (this.cancelled) return;
    this.cancelled = true;
    this.token.isCancellationRequested = true;
    this.emitter.fire();
  }
  dispose(): void {
    this.emitter.dispose();
  }
}

export class Uri {
  private constructor(private readonly s: string) {}
  static parse(s: string): Uri {
    return new Uri(s);
  }
  static file(p: string): Uri {
    return new Uri(`file://${p}`);
  }
  /** As VS Code's: `..` and `.` segments resolved. */
  static joinPath(u: Uri, ...parts: string[]): Uri {
    const [, scheme, rest] = /^([a-z]+:\/\/)?(.*)$/.exec([u.s, ...parts].join('/'))!;
    const out: string[] = [];
    for (const seg of rest.split('/')) {
      if (seg === '..') out.pop();
      else if (seg !== '.') out.push(seg);
    }
    return new Uri((scheme ?? '') + out.join('/'));
  }
  get path(): string {
    return this.s.replace(/^file:\/\//, '');
  }
  with(change: { path?: string }): Uri {
    return change.path === undefined ? this : new Uri(`${this.scheme}://${change.path}`);
  }
  get fsPath(): string {
    return this.path;
  }
  get scheme(): string {
    return this.s.slice(0, this.s.indexOf(':'));
  }
  toString(): string {
    return this.s;
  }
}

export class TreeItem {
  id?: string;
  description?: string;
  tooltip?: unknown;
  iconPath?: unknown;
  contextValue?: string;
  command?: unknown;
  resourceUri?: Uri;
  constructor(
    public label: unknown,
    public collapsibleState?: number,
  ) {}
}

export class ThemeIcon {
  static readonly Folder = new ThemeIcon('folder');
  static readonly File = new ThemeIcon('file');
  constructor(
    readonly id: string,
    readonly color?: unknown,
  ) {}
}

export class ThemeColor {
  constructor(readonly id: string) {}
}

export class MarkdownString {
  value = '';
  isTrusted?: unknown;
  supportThemeIcons?: boolean;
  constructor(value = '', supportThemeIcons = false) {
    this.value = value;
    this.supportThemeIcons = supportThemeIcons;
  }
  appendMarkdown(s: string): this {
    this.value += s;
    return this;
  }
  appendText(s: string): this {
    this.value += s;
    return this;
  }
}

export const TreeItemCollapsibleState = { None: 0, Collapsed: 1, Expanded: 2 };

/** What a test answers for the editor's UI; each test sets the functions it expects to be called. */
export const window: Record<string, (...args: never[]) => unknown> = {};
export const workspace: Record<string, unknown> = {
  workspaceFolders: [],
  // No folder on disk unless a test says otherwise.
  fs: { readDirectory: () => Promise.reject(new Error('ENOENT')) },
  createFileSystemWatcher: () => ({ onDidCreate: () => ({ dispose() {} }), onDidDelete: () => ({ dispose() {} }), dispose() {} }),
};

export const FileType = { File: 1, Directory: 2 };
export const commands: Record<string, (...args: never[]) => unknown> = { executeCommand: () => Promise.resolve(undefined) };

export const StatusBarAlignment = { Left: 1, Right: 2 };

export class Position {
  constructor(
    readonly line: number,
    readonly character: number,
  ) {}
}

export class Range {
  readonly start: Position;
  readonly end: Position;
  constructor(startLine: number, startCharacter: number, endLine: number, endCharacter: number) {
    this.start = new Position(startLine, startCharacter);
    this.end = new Position(endLine, endCharacter);
  }
}

/** What an edit holds, in order: the files it creates and the text it replaces. */
export class WorkspaceEdit {
  readonly ops: ({ kind: 'create'; uri: Uri; contents?: Uint8Array } | { kind: 'replace'; uri: Uri; range: Range; text: string })[] = [];
  createFile(uri: Uri, options?: { contents?: Uint8Array }): void {
    this.ops.push({ kind: 'create', uri, contents: options?.contents });
  }
  replace(uri: Uri, range: Range, text: string): void {
    this.ops.push({ kind: 'replace', uri, range, text });
  }
}
