/**
 * The Phases view: workspace folders (when several) → groups (workstreams, phase sequences) → phases →
 * documents and gates. Data comes from `phasegate/phases`: the whole tree first, then, when the server
 * signals a change the tree in hand does not show, the phases that changed since (`since`).
 */
import { isDeepStrictEqual } from 'util';
import * as vscode from 'vscode';
import {
  GateSummary,
  GroupNode,
  PhaseNode,
  PhasesPartialResultType,
  PhasesParams,
  PhasesRequest,
  PhasesResult,
  DocumentNode,
  WorkspaceFolderNode,
  applyChangedPhases,
  joinPhasesPartials,
} from '../../server/src/protocol';
import type { PhasegateContext } from './context';
import {
  GO_TO_GATE_CAUSE,
  PHASE_STATUS_LABEL,
  PhaseRef,
  allPhases,
  checkingCount,
  escapeMd,
  gateCodicon,
  gateCounts,
  gateIcon,
  gateReasons,
  appendGates,
  blockersMarkdown,
  handoffTarget,
  iaiProjects,
  isChecking,
  FINDINGS_FOLDER,
  keepsFindings,
  normUri,
  phaseAt,
  phaseIcon,
  phaseLabel,
  phaseTitleText,
  problemText,
} from './model';

/**
 * The folders the tree lists: those with phases or plans, those where Phasegate is turned off, and those the server
 * checks nothing of for a reason it gives (a phase of a project above the folder): said so.
 */
function shownFolders(data: PhasesResult | undefined): WorkspaceFolderNode[] {
  return data?.folders.filter((f) => f.groups.length || f.plans.length || f.disabled || f.notice) ?? [];
}

export type PhaseTreeNode =
  | { type: 'folder'; folder: WorkspaceFolderNode }
  | { type: 'group'; group: GroupNode; folder: WorkspaceFolderNode }
  | { type: 'plan'; uri: string; folder: WorkspaceFolderNode }
  | { type: 'phase'; ref: PhaseRef; parent: PhaseTreeNode }
  | { type: 'document'; doc: DocumentNode; phase: PhaseNode; parent: PhaseTreeNode; index?: number }
  | { type: 'findings'; ref: PhaseRef; parent: PhaseTreeNode; files: string[] }
  | { type: 'finding'; uri: string; ref: PhaseRef; parent: PhaseTreeNode }
  | { type: 'gates'; ref: PhaseRef; parent: PhaseTreeNode }
  | { type: 'gate'; gate: GateSummary; ref: PhaseRef; parent: PhaseTreeNode; index?: number }
  | { type: 'message'; text: string; icon?: string };

/** A possible change of the phase tree; `version` when the server announced it (`phasegate/didChangePhases`). */
export interface PhasesChange {
  version?: number;
}

/** A fetch of the phase tree on its way. */
interface Fetch {
  /** Its number (`fetches`): a later fetch has a higher one. */
  n: number;
  promise: Promise<PhasesResult | undefined>;
  cancel: vscode.CancellationTokenSource;
  /** It asks for the whole tree. */
  whole: boolean;
}

export class PhaseTreeProvider implements vscode.TreeDataProvider<PhaseTreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<PhaseTreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private data: PhasesResult | undefined;
  private error: string | undefined;
  /** The fetch on its way, if any: at most one at a time (a later one cancels it). */
  private current: Fetch | undefined;
  /** A fetch has ended (data or error in hand, or the server not running): `load()` answers without asking. */
  private fetched = false;
  private readonly loaded = new vscode.EventEmitter<PhasesResult | undefined>();
  /** Fires after each fetch of the phase tree, with the new data. */
  readonly onDidLoad = this.loaded.event;
  private readonly subs: vscode.Disposable[];
  /** Counts fetches: only the latest one's answer is kept (a cancelled one may still answer). */
  private fetches = 0;
  /** The next fetch asks for the whole tree, not the changes since the tree in hand. */
  private whole = true;
  /** What the view drew at its last request for the roots; undefined until it asks. */
  private shown: unknown;
  /** The phase rows the view holds, by phase folder URI: a finding written or deleted redraws its phase's row. */
  private readonly phaseRows = new Map<string, PhaseTreeNode>();
  /**
   * The rows the view holds, by id: revealing one of them (not a node made anew) asks the view for no rows, so no
   * redraw meanwhile can make the reveal fail.
   */
  private readonly rows = new Map<string, PhaseTreeNode>();
  /** The view was told to draw its roots again and has not asked for them yet. */
  private drawing = false;
  private readonly gave = new vscode.EventEmitter<void>();
  /** Fires after the view has been given rows (once it holds them). */
  readonly onDidGiveRows = this.gave.event;

  constructor(private readonly ctx: PhasegateContext) {
    this.subs = [
      ctx.onDidChangePhases((c) => void this.phasesChanged(c)),
      // Starting, running, stopped: the roots say so while no tree is in hand.
      ctx.onDidChangeState(() => this.redrawIfChanged()),
    ];
    // A finding written or deleted (New Finding, the Explorer, git) shows under its phase at once, also when
    // it changes nothing the server announces (a finding without problems).
    const findings = vscode.workspace.createFileSystemWatcher(`**/${FINDINGS_FOLDER}/**/*.md`, false, true, false);
    const redrawPhaseOf = (uri: vscode.Uri) => {
      const phase = phaseOfFinding(uri);
      const row = phase && this.phaseRows.get(phase);
      if (row) this.changed.fire(row);
    };
    this.subs.push(findings, findings.onDidCreate(redrawPhaseOf), findings.onDidDelete(redrawPhaseOf));
  }

  /**
   * Fetches the tree again unless the tree in hand, or the one being fetched, already shows the
   * server's change: the first tree after a folder loads usually does, and fetching and drawing it
   * again costs a second at 10,000 phases. Notices that come while a fetch is on its way wait for it
   * and then share one fetch at most: a fetch sent after a notice shows its change. Resolves to
   * whether it fetched.
   */
  async phasesChanged(change: PhasesChange): Promise<boolean> {
    if (change.version === undefined) {
      // Settings, folders or a (re)started server: the server's answer ids may name nothing it knows,
      // and the fetch on its way answers for what was before.
      this.whole = true;
      this.refresh();
      return true;
    }
    for (;;) {
      const cur = this.current;
      if (!cur) {
        if (this.data && this.data.version >= change.version) return false;
        this.start();
        return true;
      }
      const data = await cur.promise;
      if (data && data.version >= change.version) return false;
      // A fetch started after this notice came (by another notice that waited too): it shows the change.
      if (this.current && this.current.n > cur.n) return true;
    }
  }

  /** The last phase tree fetched from the server. */
  get phases(): PhasesResult | undefined {
    return this.data;
  }

  /**
   * Re-fetches the tree, cancelling a fetch on its way. The view keeps showing the tree in hand until the
   * new one arrives, and is told to draw again only when what it shows changed: drawing drops every node
   * the view holds, so a context menu opened on a row just before would run its command without the row's node.
   */
  refresh(): void {
    this.start();
  }

  /** Everything the roots and their descendants are drawn from. */
  private viewState(): unknown {
    const first = !this.data && !this.error;
    return {
      running: this.ctx.running,
      starting: first && this.ctx.starting,
      indexing: first && !!this.current,
      error: this.error,
      folders: this.data?.folders,
    };
  }

  /** Tells the view to draw again when what it drew differs from what it would draw now. */
  private redrawIfChanged(): void {
    if (this.shown !== undefined && !isDeepStrictEqual(this.shown, this.viewState())) {
      this.drawing = true;
      this.changed.fire(undefined);
    }
  }

  /** The phase tree: the one in hand, else the one on its way, else a new fetch. */
  load(): Promise<PhasesResult | undefined> {
    if (this.current) return this.current.promise;
    if (this.fetched) return Promise.resolve(this.data);
    return this.start();
  }

  /** Starts a fetch, cancelling the one on its way (its answer would be dropped). */
  private start(): Promise<PhasesResult | undefined> {
    const prev = this.current;
    prev?.cancel.cancel();
    // The whole tree, also when the fetch cancelled was to bring it (a settings change, a restart).
    const base = this.whole || prev?.whole ? undefined : this.data;
    this.whole = false;
    const cancel = new vscode.CancellationTokenSource();
    const n = ++this.fetches;
    const fetch: Fetch = { n, cancel, whole: !base, promise: Promise.resolve(undefined) };
    this.current = fetch;
    fetch.promise = this.fetch(n, base, cancel.token).finally(() => {
      cancel.dispose();
      if (this.current === fetch) this.current = undefined;
    });
    // No tree in hand: the view says that it is being fetched (indexing) rather than what it said before.
    this.redrawIfChanged();
    return fetch.promise;
  }

  /**
   * Asks for the phases that changed since the tree in hand (the server answers with the whole tree
   * when it cannot tell), or for the whole tree.
   */
  private async fetch(n: number, base: PhasesResult | undefined, token: vscode.CancellationToken): Promise<PhasesResult | undefined> {
    let data: PhasesResult | undefined;
    let error: string | undefined;
    try {
      if (this.ctx.running) {
        // A large answer comes in parts (the server answers other requests between them).
        const ask = (params: PhasesParams) => this.ctx.requestInParts(PhasesRequest, PhasesPartialResultType, params, joinPhasesPartials, token);
        data = await ask(base ? { since: base.id } : {});
        if (data.changed) data = base ? applyChangedPhases(base, data) : undefined;
        // Changes that do not fit the tree in hand (not expected): the whole tree instead.
        if (!data && !token.isCancellationRequested) data = await ask({});
      }
    } catch (e) {
      error = (e as Error).message;
    }
    // Superseded (cancelled, or answered after a later fetch started): the later fetch's answer counts.
    if (n !== this.fetches) return this.current ? this.current.promise : this.data;
    this.data = data;
    this.error = error;
    this.fetched = true;
    if (!data) this.whole = true;
    // The roots are drawn from this answer (not "indexing" any more): no fetch is on its way.
    if (this.current?.n === n) this.current = undefined;
    this.loaded.fire(this.data);
    // Unchanged phases are shared with the tree in hand, so comparing costs little.
    this.redrawIfChanged();
    return this.data;
  }

  async getChildren(node?: PhaseTreeNode): Promise<PhaseTreeNode[]> {
    if (!node) {
      this.drawing = false;
      this.rows.clear();
    }
    const children = await this.children(node);
    for (const c of children) {
      const id = idOf(c);
      if (id) this.rows.set(id, c);
    }
    // Once the view has taken them in (after this answer and their tree items).
    setTimeout(() => this.gave.fire(), 0);
    return children;
  }

  /** Whether the view holds its rows as the tree in hand draws them: no fetch on its way, no redraw of the roots to come. */
  get settled(): boolean {
    return !this.current && !this.drawing;
  }

  /** The row the view holds of this id. */
  row(id: string): PhaseTreeNode | undefined {
    return this.rows.get(id);
  }

  private async children(node?: PhaseTreeNode): Promise<PhaseTreeNode[]> {
    if (!node) {
      // The view draws every row anew: the phase rows it held are gone.
      this.phaseRows.clear();
      // The first tree is not waited for: the view says that the server starts or indexes meanwhile.
      const first = !this.data && !this.error && (this.ctx.starting || !!this.current || (this.ctx.running && !this.fetched));
      if (first && this.ctx.running) void this.load();
      const data = first ? undefined : await this.load();
      this.shown = this.viewState();
      return this.roots(data);
    }
    switch (node.type) {
      case 'folder':
        return this.folderChildren(node.folder);
      case 'group':
        return node.group.phases.map((p) => this.phaseNode({ phase: p, group: node.group, folderUri: node.folder.uri }, node));
      case 'phase': {
        const docs: PhaseTreeNode[] = node.ref.phase.documents.map((doc, index) => ({ type: 'document', doc, phase: node.ref.phase, parent: node, index }));
        const files = keepsFindings(node.ref.phase.layout) ? await findingFiles(node.ref.phase.uri) : undefined;
        if (files) docs.push({ type: 'findings', ref: node.ref, parent: node, files });
        // Not checked yet: its gates come once the server has checked it.
        if (isChecking(node.ref.phase)) return [...docs, { type: 'message', text: 'Gates: checking…', icon: 'loading~spin' }];
        return node.ref.phase.gates.length ? [...docs, { type: 'gates', ref: node.ref, parent: node }] : docs;
      }
      case 'findings':
        return node.files.map((uri) => ({ type: 'finding', uri, ref: node.ref, parent: node }));
      case 'gates':
        return node.ref.phase.gates.map((gate, index) => ({ type: 'gate', gate, ref: node.ref, parent: node, index }));
      default:
        return [];
    }
  }

  private roots(data: PhasesResult | undefined): PhaseTreeNode[] {
    if (this.error) return [{ type: 'message', text: `Phases unavailable: ${this.error}`, icon: 'warning' }];
    if (!data) {
      // Until the first tree comes: the server starting, then indexing the workspace (it answers once it has).
      if (this.current && this.ctx.running) return [{ type: 'message', text: 'Indexing phases…', icon: 'loading~spin' }];
      if (this.ctx.starting) return [{ type: 'message', text: 'Starting Phasegate…', icon: 'loading~spin' }];
      if (this.ctx.running) return [];
      return [{ type: 'message', text: 'Phasegate server is not running', icon: 'debug-disconnect' }];
    }
    if (data.folders.some((f) => !f.ready) && allPhases(data).length === 0) return [{ type: 'message', text: 'Indexing phases…', icon: 'loading~spin' }];
    const off: PhaseTreeNode = { type: 'message', text: 'Phasegate is turned off for this folder (phasegate.enable)', icon: 'circle-slash' };
    // Why a folder shows nothing (it is a phase of a project above it), as the server says it.
    const notices = data.folders.flatMap((f): PhaseTreeNode[] =>
      f.notice && !f.groups.length && !f.plans.length ? [{ type: 'message', text: f.notice, icon: 'info' }] : [],
    );
    // An empty result shows the welcome view (viewsWelcome), which offers to scaffold a first phase.
    if (allPhases(data).length === 0) return data.folders.length && data.folders.every((f) => f.disabled) ? [off] : notices;
    const folders = shownFolders(data);
    if (folders.length === 1) return folders[0].disabled ? [off] : this.folderChildren(folders[0]);
    return folders.map((folder) => ({ type: 'folder', folder }));
  }

  private folderChildren(folder: WorkspaceFolderNode): PhaseTreeNode[] {
    return [
      ...folder.plans.map((uri): PhaseTreeNode => ({ type: 'plan', uri, folder })),
      ...folder.groups.map((group): PhaseTreeNode => ({ type: 'group', group, folder })),
    ];
  }

  private phaseNode(ref: PhaseRef, parent: PhaseTreeNode): PhaseTreeNode {
    const node: PhaseTreeNode = { type: 'phase', ref, parent };
    this.phaseRows.set(vscode.Uri.parse(ref.phase.uri).toString(), node);
    return node;
  }

  /**
   * The row of a file in the tree in hand, to reveal it (`TreeView.reveal` finds a row by its id, through
   * `getParent`): a phase document's, a finding's, a project plan's; else, for another file of a phase (an
   * artifact), the phase's. Undefined when the file is in no phase, or the folder's rows are not shown.
   */
  nodeFor(uri: vscode.Uri): PhaseTreeNode | undefined {
    const data = this.data;
    if (!data) return undefined;
    const s = uri.toString();
    const folders = shownFolders(data);
    for (const folder of folders) {
      if (folder.disabled) continue;
      const plan = folder.plans.find((p) => normUri(p) === s);
      if (plan) return { type: 'plan', uri: plan, folder };
    }
    const ref = phaseAt(data, uri);
    const folder = ref && folders.find((f) => f.uri === ref.folderUri);
    if (!ref || !folder || folder.disabled) return undefined;
    const group: PhaseTreeNode = { type: 'group', group: ref.group, folder };
    const phase: PhaseTreeNode = { type: 'phase', ref, parent: group };
    const index = ref.phase.documents.findIndex((d) => d.exists && normUri(d.uri) === s);
    if (index >= 0) return { type: 'document', doc: ref.phase.documents[index], phase: ref.phase, parent: phase, index };
    const findings = vscode.Uri.joinPath(vscode.Uri.parse(ref.phase.uri), FINDINGS_FOLDER).toString();
    if (keepsFindings(ref.phase.layout) && s.startsWith(`${findings}/`) && /\.md$/i.test(uri.path)) {
      // Its files are those the view fetches for the row (reveal finds the finding among them).
      const parent: PhaseTreeNode = { type: 'findings', ref, parent: phase, files: [] };
      return { type: 'finding', uri: s, ref, parent };
    }
    return phase;
  }

  getParent(node: PhaseTreeNode): PhaseTreeNode | undefined {
    switch (node.type) {
      case 'group':
      case 'plan': {
        return shownFolders(this.data).length > 1 ? { type: 'folder', folder: node.folder } : undefined;
      }
      case 'phase':
      case 'document':
      case 'findings':
      case 'finding':
      case 'gates':
      case 'gate':
        return node.parent;
      default:
        return undefined;
    }
  }

  getTreeItem(node: PhaseTreeNode): vscode.TreeItem {
    const item = this.treeItem(node);
    // The id the view finds the row by (idOf), whatever the row.
    const id = idOf(node);
    if (id !== undefined) item.id = id;
    return item;
  }

  /** A row's tree item, but for its id (see getTreeItem). */
  private treeItem(node: PhaseTreeNode): vscode.TreeItem {
    switch (node.type) {
      case 'folder': {
        const empty = node.folder.disabled || (!!node.folder.notice && !node.folder.groups.length && !node.folder.plans.length);
        const item = new vscode.TreeItem(node.folder.name, empty ? vscode.TreeItemCollapsibleState.None : vscode.TreeItemCollapsibleState.Expanded);
        if (node.folder.disabled) item.description = 'turned off (phasegate.enable)';
        else if (empty) {
          item.description = 'not checked: a phase of a project above it';
          item.tooltip = node.folder.notice;
        } else {
          const phases = node.folder.groups.flatMap((g) => g.phases);
          const checking = checkingCount(phases);
          if (checking) item.description = `checking ${checking} of ${phases.length} phases…`;
        }
        if (node.folder.workspaceFolderUri !== undefined) item.tooltip = `${node.folder.name}: a project with a phasegate.yaml of its own, checked with it`;
        item.iconPath = vscode.ThemeIcon.Folder;
        item.resourceUri = vscode.Uri.parse(node.folder.uri);
        // `.needsPlan`: an iAI project of the folder has no project plan (New Project Plan applies).
        item.contextValue = iaiProjects({ folders: [node.folder] } as PhasesResult).some((p) => !p.hasPlan) ? 'folder.needsPlan' : 'folder';
        return item;
      }
      case 'group':
        return groupItem(node.group, node.folder);
      case 'plan': {
        const item = new vscode.TreeItem(vscode.Uri.parse(node.uri), vscode.TreeItemCollapsibleState.None);
        item.label = 'Project implementation plan';
        // Its project, by its folder in the workspace folder (several projects each have a plan row).
        const project = planProject(node.uri, node.folder.uri);
        if (project) item.description = project;
        item.tooltip = `The project implementation plan of ${project ?? node.folder.name}: ${vscode.Uri.parse(node.uri).fsPath}`;
        item.iconPath = new vscode.ThemeIcon('project');
        item.contextValue = 'plan';
        item.command = { command: 'vscode.open', title: 'Open', arguments: [vscode.Uri.parse(node.uri)] };
        return item;
      }
      case 'phase':
        return phaseItem(node.ref);
      case 'document':
        return documentItem(node.doc, node.phase);
      case 'gates': {
        const { passed, total } = gateCounts(node.ref.phase);
        const item = new vscode.TreeItem('Gates', vscode.TreeItemCollapsibleState.Collapsed);
        item.description = `${passed}/${total} passed`;
        item.iconPath = new vscode.ThemeIcon('checklist');
        item.contextValue = 'gates';
        item.tooltip = blockersTooltip(node.ref.phase) ?? 'Every gate passed';
        return item;
      }
      case 'gate':
        return gateItem(node);
      case 'findings': {
        const n = node.files.length;
        const item = new vscode.TreeItem('Findings', n ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
        item.description = n ? `${n} in ${FINDINGS_FOLDER}/` : `none yet in ${FINDINGS_FOLDER}/`;
        item.iconPath = new vscode.ThemeIcon('search');
        item.resourceUri = vscode.Uri.joinPath(vscode.Uri.parse(node.ref.phase.uri), FINDINGS_FOLDER);
        // `findings`: New Finding applies.
        item.contextValue = 'findings';
        item.tooltip = `The findings of ${node.ref.phase.id}: the Markdown files of its ${FINDINGS_FOLDER}/ folder`;
        return item;
      }
      case 'finding': {
        const uri = vscode.Uri.parse(node.uri);
        const item = new vscode.TreeItem(uri, vscode.TreeItemCollapsibleState.None);
        // One in a subfolder: its folder beside its name.
        const folder = vscode.Uri.joinPath(vscode.Uri.parse(node.ref.phase.uri), FINDINGS_FOLDER).path;
        const sub = uri.path.startsWith(`${folder}/`) ? uri.path.slice(folder.length + 1, uri.path.lastIndexOf('/')) : '';
        if (sub) item.description = `${sub}/`;
        item.command = { command: 'vscode.open', title: 'Open', arguments: [uri] };
        // `document`: Open and Reveal in Explorer apply, as to the phase's documents.
        item.contextValue = 'document';
        return item;
      }
      case 'message': {
        const item = new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
        item.iconPath = new vscode.ThemeIcon(node.icon ?? 'info');
        item.contextValue = 'message';
        return item;
      }
    }
  }

  dispose(): void {
    this.current?.cancel.cancel();
    this.subs.forEach((s) => s.dispose());
    this.changed.dispose();
    this.loaded.dispose();
    this.gave.dispose();
  }
}

/** The folder of a plan's project relative to the workspace folder (`all_use_iai_project`); undefined at its root. */
function planProject(planUri: string, folderUri: string): string | undefined {
  const plan = vscode.Uri.parse(planUri).path;
  const folder = vscode.Uri.parse(folderUri).path.replace(/\/$/, '');
  const dir = plan.slice(0, plan.lastIndexOf('/'));
  return dir.startsWith(`${folder}/`) ? dir.slice(folder.length + 1) : undefined;
}

/** How deep findings are looked for below the findings folder (a finding may sit in a subfolder). */
const FINDINGS_DEPTH = 4;

/**
 * The Markdown files of a phase's findings folder and its subfolders (each is a finding), sorted by path;
 * undefined when the phase has no such folder.
 */
async function findingFiles(phaseUri: string): Promise<string[] | undefined> {
  const root = vscode.Uri.joinPath(vscode.Uri.parse(phaseUri), FINDINGS_FOLDER);
  const out: [string, string][] = [];
  const walk = async (dir: vscode.Uri, rel: string, depth: number): Promise<boolean> => {
    let entries: [string, vscode.FileType][];
    try {
      entries = await vscode.workspace.fs.readDirectory(dir);
    } catch {
      return false;
    }
    for (const [name, type] of entries) {
      const uri = vscode.Uri.joinPath(dir, name);
      if (type & vscode.FileType.Directory) {
        if (depth < FINDINGS_DEPTH) await walk(uri, `${rel}${name}/`, depth + 1);
      } else if (type & vscode.FileType.File && /\.md$/i.test(name)) out.push([`${rel}${name}`, uri.toString()]);
    }
    return true;
  };
  if (!(await walk(root, '', 1))) return undefined;
  return out.sort((a, b) => a[0].localeCompare(b[0])).map(([, uri]) => uri);
}

/** The phase folder of a finding: the folder that holds the nearest findings folder above it. */
function phaseOfFinding(uri: vscode.Uri): string | undefined {
  const parts = uri.path.split('/');
  const at = parts.lastIndexOf(FINDINGS_FOLDER, parts.length - 2);
  return at > 0 ? uri.with({ path: parts.slice(0, at).join('/') }).toString() : undefined;
}

function groupItem(group: GroupNode, folder: WorkspaceFolderNode): vscode.TreeItem {
  const item = new vscode.TreeItem(group.label, vscode.TreeItemCollapsibleState.Expanded);
  const complete = group.phases.filter((p) => p.status === 'complete').length;
  // Phases not checked yet count as neither complete nor not: the row says how many are still being checked.
  const checking = checkingCount(group.phases);
  const still = checking ? ` · ${checking} checking…` : '';
  item.description = `${group.workstream !== null ? 'workstream · ' : ''}${complete}/${group.phases.length} complete${still}`;
  item.iconPath = new vscode.ThemeIcon(group.workstream !== null ? 'layers' : 'folder-library');
  item.resourceUri = vscode.Uri.parse(group.uri);
  item.tooltip = `${group.label} — ${group.layout} layout, ${group.phases.length} phase${group.phases.length === 1 ? '' : 's'}${
    checking ? ` (${checking} still being checked)` : ''
  }`;
  // `.needsPlan`: a workstream of an iAI project without a project plan (New Project Plan applies).
  const project = group.workstream !== null ? iaiProjects({ folders: [{ ...folder, groups: [group] }] } as PhasesResult)[0] : undefined;
  item.contextValue = project && !project.hasPlan ? 'group.needsPlan' : 'group';
  return item;
}

function phaseItem(ref: PhaseRef): vscode.TreeItem {
  const p = ref.phase;
  // The label stays what the phase is called on disk; its title (from its brief or prompt) comes first in the description.
  const label = phaseLabel(p);
  const title = phaseTitleText(p);
  const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.Collapsed);
  const { passed, total } = gateCounts(p);
  const problems = problemText(p.problems);
  item.description = [title, PHASE_STATUS_LABEL[p.status], total ? `${passed}/${total} gates` : '', problems].filter(Boolean).join(' · ');
  item.iconPath = phaseIcon(p.status);
  const md = gateTooltip();
  md.appendMarkdown(`**${escapeMd(title ?? label)}**${title ? ` (${escapeMd(p.id)})` : ''} — ${PHASE_STATUS_LABEL[p.status]}\n\n`);
  if (isChecking(p)) md.appendMarkdown('Not checked yet: its gates and problems show once Phasegate has checked it.\n');
  appendGates(md, p);
  if (problems) md.appendMarkdown(`\n${problems}\n`);
  const blockers = blockersMarkdown(p);
  if (blockers) md.appendMarkdown(`\n**Blocking the handoff**\n\n${blockers}\n`);
  item.tooltip = md;
  // `phase`, then `.hasNext` (Complete Handoff applies), then `.findings` (New Finding applies).
  item.contextValue = `phase${handoffTarget(ref) ? '.hasNext' : ''}${keepsFindings(p.layout) ? '.findings' : ''}`;
  return item;
}

function documentItem(doc: DocumentNode, phase: PhaseNode): vscode.TreeItem {
  const uri = vscode.Uri.parse(doc.uri);
  const item = new vscode.TreeItem(doc.file, vscode.TreeItemCollapsibleState.None);
  if (doc.exists) {
    // resourceUri lends the item the file icon and the Problems decoration of the file.
    item.resourceUri = uri;
    item.description = [doc.name, problemText(doc.problems)].filter(Boolean).join(' · ');
    item.command = { command: 'vscode.open', title: 'Open', arguments: [uri] };
    item.contextValue = 'document';
  } else {
    item.description = doc.required ? 'missing' : 'not written';
    item.iconPath = new vscode.ThemeIcon(
      doc.required ? 'circle-slash' : 'circle-large-outline',
      doc.required ? new vscode.ThemeColor('problemsErrorIcon.foreground') : undefined,
    );
    item.contextValue = 'document.missing';
    item.command = { command: 'phasegate.phases.newDocument', title: 'Create from Template', arguments: [{ type: 'document', doc, phase }] };
  }
  item.tooltip = `${doc.name}${doc.exists ? '' : ` (${item.description})`}\n${uri.fsPath}`;
  return item;
}

/** A tooltip whose links may go to what holds a gate (and run no other command). */
function gateTooltip(): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  md.isTrusted = { enabledCommands: [GO_TO_GATE_CAUSE] };
  return md;
}

function blockersTooltip(p: PhaseNode): vscode.MarkdownString | undefined {
  const blockers = blockersMarkdown(p);
  if (!blockers) return undefined;
  const md = gateTooltip();
  md.appendMarkdown(`**Blocking the handoff**\n\n${blockers}\n`);
  return md;
}

function gateItem(node: Extract<PhaseTreeNode, { type: 'gate' }>): vscode.TreeItem {
  const { gate, ref } = node;
  const item = new vscode.TreeItem(gate.name, vscode.TreeItemCollapsibleState.None);
  const reasons = gateReasons(ref.phase, gate.name);
  item.description = [gate.status, reasons[0] && `${reasons[0]}${reasons.length > 1 ? ` (+${reasons.length - 1})` : ''}`].filter(Boolean).join(' · ');
  item.iconPath = gateIcon(gate.status);
  const md = new vscode.MarkdownString(undefined, true);
  md.appendMarkdown(`${gateCodicon(gate.status)} **Gate ${escapeMd(gate.name)}**: ${gate.status}\n\n`);
  if (gate.status === 'passed') {
    // `gate`: Open shows its checklist.
    item.contextValue = 'gate';
    md.appendMarkdown('Click to open its checklist.');
    item.command = { command: 'phasegate.phases.open', title: 'Show Gate', arguments: [node] };
  } else {
    // `gate.held`: Go to What Holds a Gate applies too.
    item.contextValue = 'gate.held';
    if (reasons.length) md.appendMarkdown(`${reasons.map((r) => `- ${escapeMd(r)}`).join('\n')}\n\n`);
    md.appendMarkdown('Click to go to what holds it.');
    item.command = { command: GO_TO_GATE_CAUSE, title: 'Go to What Holds the Gate', arguments: [node] };
  }
  item.tooltip = md;
  return item;
}

/** The phase a row belongs to (its folder URI), if any. */
function phaseUriOf(node: PhaseTreeNode | undefined): string | undefined {
  switch (node?.type) {
    case 'phase':
    case 'findings':
    case 'finding':
    case 'gates':
    case 'gate':
      return node.ref.phase.uri;
    case 'document':
      return node.phase.uri;
    default:
      return undefined;
  }
}

/** A row's id (its tree item's): the view finds the row it holds by it. */
export function idOf(node: PhaseTreeNode): string | undefined {
  switch (node.type) {
    case 'folder':
      return `folder:${node.folder.uri}`;
    case 'group':
      return `group:${node.group.id}`;
    case 'plan':
      return `plan:${node.uri}`;
    case 'phase':
      return `phase:${node.ref.phase.uri}`;
    case 'document':
      // The document's place in its phase, and a gate's among the phase's gates: the view refuses two rows of one id.
      return `doc:${node.index ?? 0}:${node.doc.uri}`;
    case 'findings':
      return `findings:${node.ref.phase.uri}`;
    case 'finding':
      return `finding:${node.uri}`;
    case 'gates':
      return `gates:${node.ref.phase.uri}`;
    case 'gate':
      return `gate:${node.ref.phase.uri}#${node.index ?? 0}:${node.gate.name}`;
    default:
      return undefined;
  }
}

/**
 * The Phases view follows the active editor, as the Explorer does, without unfolding the user's rows: the row of its
 * document (a phase document, a finding, a project plan) is selected when the rows above it are expanded, else the
 * nearest row above it that shows (its phase's, usually); a file of a phase without a row of its own (an artifact)
 * selects its phase's. It follows while the view is visible, when the editor changes, when the view shows, and when
 * the first tree comes. The view keeps its focus, and a gate the user selected in the same phase (which led to the
 * document) stays selected.
 *
 * Only rows the view holds are revealed: a row made anew would have the view fetch rows, and a redraw meanwhile
 * would fail the reveal (which VS Code logs as an error).
 */
export class ActiveEditorReveal implements vscode.Disposable {
  private readonly subs: vscode.Disposable[];
  /** The URI last revealed: the tree's reloads reveal it again only when it is another. */
  private revealed: string | undefined;
  /** The ids of the row to reveal and of the rows above it, nearest first. */
  private pending: string[] | undefined;
  /** The rows the user expanded, and those drawn expanded (folders, groups) that the user collapsed, by id. */
  private readonly expanded = new Set<string>();
  private readonly collapsed = new Set<string>();
  /**
   * The row the user last selected or ran a row's command from (a gate's opens what holds it): told by the command
   * too, as the view may report the selection after the editor the command opened.
   */
  private used: PhaseTreeNode | undefined;

  constructor(
    private readonly tree: PhaseTreeProvider,
    private readonly view: vscode.TreeView<PhaseTreeNode>,
  ) {
    const mark = (node: PhaseTreeNode, open: boolean) => {
      const id = idOf(node);
      if (!id) return;
      (open ? this.expanded : this.collapsed).add(id);
      (open ? this.collapsed : this.expanded).delete(id);
    };
    this.subs = [
      vscode.window.onDidChangeActiveTextEditor(() => this.reveal(true)),
      view.onDidChangeVisibility(() => this.reveal(true)),
      view.onDidExpandElement((e) => mark(e.element, true)),
      view.onDidCollapseElement((e) => mark(e.element, false)),
      view.onDidChangeSelection((e) => (this.used = e.selection[0])),
      tree.onDidLoad(() => this.reveal(false)),
      tree.onDidGiveRows(() => this.step()),
    ];
  }

  /** A row's command runs (from the view): the editor it opens keeps that row selected if it is a gate of its phase. */
  rowUsed(node: PhaseTreeNode): void {
    this.used = node;
  }

  /** Whether the row shows its children: folders and groups are drawn expanded, the other rows collapsed. */
  private isExpanded(node: PhaseTreeNode, id: string): boolean {
    return node.type === 'folder' || node.type === 'group' ? !this.collapsed.has(id) : this.expanded.has(id);
  }

  /** `again`: also when the editor's file was revealed last (the user may have moved the selection since). */
  reveal(again: boolean): void {
    const editor = vscode.window.activeTextEditor;
    if (!this.view.visible || !editor || editor.document.uri.scheme !== 'file') return;
    const uri = editor.document.uri;
    if (!again && this.revealed === uri.toString()) return this.step();
    const node = this.tree.nodeFor(uri);
    if (!node) return;
    this.revealed = uri.toString();
    const selected = this.used ?? this.view.selection[0];
    const samePhase = !!selected && phaseUriOf(selected) !== undefined && phaseUriOf(selected) === phaseUriOf(node);
    // A gate of the phase selected (clicking it opened what holds it), or, for a file of the phase that has no row
    // of its own, any row of the phase: kept.
    if (samePhase && (node.type === 'phase' || selected.type === 'gate' || selected.type === 'gates')) {
      this.pending = undefined;
      return;
    }
    const chain: string[] = [];
    for (let n: PhaseTreeNode | undefined = node; n; n = this.tree.getParent(n)) {
      const id = idOf(n);
      if (id) chain.push(id);
    }
    this.pending = chain;
    this.step();
  }

  /** Once the tree is settled: selects the pending row, or the nearest row above it that shows. */
  private step(): void {
    const chain = this.pending;
    if (!chain || !this.view.visible || !this.tree.settled) return;
    let shown: PhaseTreeNode | undefined;
    for (let i = chain.length - 1; i >= 0; i--) {
      const row = this.tree.row(chain[i]);
      // Not held yet, though the row above it shows its children (the view fetches them): once it is.
      if (!row) return;
      shown = row;
      if (!this.isExpanded(row, chain[i])) break;
    }
    if (!shown) return;
    this.pending = undefined;
    this.view.reveal(shown, { select: true, focus: false }).then(undefined, () => undefined);
  }

  dispose(): void {
    this.subs.forEach((s) => s.dispose());
  }
}
