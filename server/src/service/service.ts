/**
 * The engine: one workspace folder, its config, its phase model, its parsed documents,
 * and the rules run over them. Hosts (CLI, language server, tests) inject file access.
 */
import type Ajv from 'ajv';
import type { ValidateFunction } from 'ajv';
import picomatch from 'picomatch';
import { globCaseProblems } from './glob-case';
import { CaseProblem, layoutCaseProblems, layoutCaseProblemsInSlices } from './layout-case';
import { pathRange } from './yamlpath';
import { CONFIG_FILES, ResolvedConfig, RuleSetting, configLines, defaultConfig, parseConfig } from './config';
import { FileSystem, Logger, basename, dirname, isInside, joinPath, normalizePath, relativePath, silentLogger } from './host';
import { Repository, repositoryAbove } from './repo-root';
import { LayoutSpec, MetricSpec, PLAN_FILE } from './layout';
import { metricsInForce } from './metric-scope';
import { ParsedDocument, parseDocument, parseDocuments, parseYamlDocument } from './markdown';
import { ALL_RULES } from './rules/index';
import { comparesTwoBack, namesOther } from './rules/phase-copied';
import { caseConflictRule } from './rules/doc-case';
import type { CaseConflict, Rule } from './rules/rule';
import { CheckContext } from './check-context';
import {
  MAX_FILES,
  Phase,
  ScanResult,
  WorkspaceModel,
  SYNC_SLICE_MS,
  buildModel,
  buildModelInSlices,
  atOnce,
  kindOf,
  modelWithFile,
  nestedWorkspacesInSlices,
  pathBelow,
  phaseAfter,
  phaseBefore,
  phaseDocument,
  phaseFiles,
  phaseOf,
  scanTree,
  skippedFolder,
  withoutNested,
} from './workspace';
import { INPUT_HANDOFF, OUTPUT_HANDOFF } from './handoff';
import { UNVALIDATED_HANDOFF } from './rules/phase-predecessor';
import { planSteps, trackedPhases } from './rules/phase-plan';
import { Slicer, slicer } from './slicer';
import { lowerBound } from './sorted';
import { CancellationToken, Diagnostic, Range, noCancellation, range, throwIfCancelled } from './types';
import { GateResult, PhaseStatus, evaluateGates, phaseStatus } from './gates';
import { readWorkspaceSchema, schemaProblems } from './schema-safety';
import { ignoreGlobs } from './glob-safety';
import { loadWorkspaceTemplates, templateNames, workspaceTemplateFolder } from './templates';
import { nearest } from './rules/doc-fm-typos';
import { createAjv, precompiled } from './precompiled';

/** A batch of `checkBatch`: at most this many phases, and beyond its first phase at most this many files (it bounds the models held at once). */
const BATCH_PHASES = 16;
const BATCH_FILES = 256;
/**
 * Parsed models kept at once, open documents' aside (a model takes about six times the memory of its
 * text). Beyond it the least recently used is dropped, and parsed again from its kept text if anything
 * asks for it: a language server over a large workspace keeps the models it works with, not every
 * model it has checked. Well above BATCH_FILES, so that a batch's models outlive the batch.
 */
const MAX_PARSED = 1024;

/** Built-in schemas and templates, read by the host from the extension's folders. */
export interface Assets {
  /** JSON Schemas by id (`brief`, `output-handoff`, …, `config`). */
  schemas: Record<string, object>;
  /** Handlebars template sources by name. */
  templates: Record<string, string>;
}

/** Options of `PhasegateService.load`. */
export interface LoadOptions {
  /** Absolute path of a config file to use instead of the workspace's own `phasegate.yaml` (the CLI's `--config`). */
  configFile?: string;
  /**
   * Which checked files to read at load (all when absent). A host that splits the checking
   * (the CLI's worker threads) reads only its share; `readDocuments` reads more later.
   */
  only?: (path: string) => boolean;
  /**
   * The tree of `root` as another engine scanned it just before, with the same config (the CLI's
   * worker threads get the main thread's): used instead of scanning again.
   */
  scan?: ScanResult;
}

export interface ServiceInit {
  fs: FileSystem;
  assets: Assets;
  logger?: Logger;
  /** In an untrusted workspace only built-in schemas and templates apply. */
  trusted?: boolean;
  /** Parsed models kept at once, beyond open documents' (default `MAX_PARSED`; tests set fewer). */
  maxParsed?: number;
}

/** Documents parsed together between two pauses of `checkBatchInSlices`. */
const PARSED_AT_ONCE = 8;

/** The files of the batch of `checkBatch` from `phases[from]` on, and how many phases it takes. */
function batchOf(phases: readonly Phase[], from: number): { files: string[]; count: number } {
  const files: string[] = [];
  let to = from;
  for (; to < phases.length && to - from < BATCH_PHASES; to++) {
    const q = phases[to];
    if (to > from && files.length + q.markdown.length > BATCH_FILES) break;
    files.push(...phaseFiles(q));
  }
  return { files, count: to - from };
}

/**
 * The change log (`changedSince`) lists at most this many paths; past it, a change counts as one of every result
 * (a host visits them all, as after a load).
 */
const MAX_CHANGE_LOG = 65_536;

/** Files larger than this are not read as phase documents. */
export const MAX_DOCUMENT_BYTES = 16 * 1024 * 1024;
/** Largest config file read (a config is a few hundred lines). */
export const MAX_CONFIG_BYTES = 1024 * 1024;

interface DocEntry {
  text: string | undefined;
  parsed: ParsedDocument | undefined;
  /** Reason the file cannot be checked (binary, not UTF-8, too large, unreadable). */
  problem: string | undefined;
  /** Editor text overrides the disk. */
  overlay: boolean;
}

const EMPTY_DOC = parseDocument('');

const NO_CONFLICTS: readonly CaseConflict[] = [];

/** Where the validator of phasegate.yaml is kept among the front matter validators (no document kind's id). */
const CONFIG_VALIDATOR = '\u0000config';

/** Whether some item of `items` passes `test`, stopping at the first that does (no array of them all made). */
function someOf<T>(items: Iterable<T>, test: (item: T) => boolean): boolean {
  for (const x of items) if (test(x)) return true;
  return false;
}

export class PhasegateService {
  readonly fs: FileSystem;
  readonly assets: Assets;
  readonly logger: Logger;
  readonly trusted: boolean;
  root = '/';
  /**
   * The repository around the workspace when its root is above `root`, found at each load: links written from a
   * root (`/docs/x.md`) are read from there, and paths that leave the workspace into it looked for (repo-root.ts).
   */
  repository: Repository | undefined;
  config: ResolvedConfig = defaultConfig('/');
  model: WorkspaceModel = { root: '/', phases: [], byFolder: new Map(), groups: new Map(), plans: [] };
  scan: ScanResult = { files: new Set(), dirs: new Set(), problems: [], truncated: false };
  private readonly docs = new Map<string, DocEntry>();
  /** Paths of the documents whose model is kept (`MAX_PARSED`), least recently used first. */
  private readonly parsedOrder = new Set<string>();
  private readonly maxParsed: number;
  private readonly diagCache = new Map<string, Diagnostic[]>();
  /**
   * The documents whose links name places in another one (broken-anchor), by that one: among its dependents. An
   * entry a document's links no longer make only costs it a check again.
   */
  private readonly anchorReaders = new Map<string, Set<string>>();
  /**
   * Gate results by phase (performance only: the plan rule asks for every complete phase's gates, and
   * the CLI for every phase's). A phase's gates follow from its documents and their diagnostics, so a
   * change drops the gates of the phases whose files' diagnostics it drops (`invalidate`); reading
   * documents and a new file set drop them all.
   */
  private readonly gateCache = new Map<Phase, GateResult[]>();
  /** Built on first use (`ajv`): a run whose schemas are all precompiled never builds one. */
  private ajvInstance: Ajv | undefined;
  private readonly validators = new Map<string, ValidateFunction | string>();
  private ignoreMatcher: (rel: string, folder: boolean) => boolean = () => false;
  /** The config's `ignore` globs, compiled (see `ignoreGlobs`). */
  private configIgnore: ((rel: string, folder: boolean) => boolean) | undefined;
  /** Folders (absolute) inside the root that the host gives another engine: nested workspace folders. */
  private excluded: string[] = [];
  /**
   * The nested workspaces (projects) the last load found in the root's tree: folders inside it holding a
   * config file of their own, outside its phase folders, that its scan enters (see `nestedWorkspaces`). The
   * engine leaves them out, as it does the host's excluded folders: each is checked by an engine of its own.
   */
  nested: string[] = [];
  /** How many times the engine (re)loaded: a host tells by it that a change reloaded the workspace. */
  loads = 0;
  /**
   * Counts the changes the engine took that may change a result (a load, documents read, a document's text,
   * files that came or went, the rule severities): a host that reads many results over a while (the phase
   * tree, which yields meanwhile) tells by it that they all come from one state.
   */
  revision = 0;
  /**
   * The change log (see `changedSince`): counts each change recorded (`changes`, only up), and lists the paths a
   * change may have changed the results of (`changedPaths`), each with the count after it (`changedAt`, ascending).
   * A change that may change any result (a load, documents read, the file set or the rule severities changed) empties
   * the list and sets `changedAllAt`; so does a list grown past MAX_CHANGE_LOG (`changeLogFrom`).
   */
  private changes = 0;
  private changedPaths: string[] = [];
  private changedAt: number[] = [];
  private changedAllAt = 0;
  /** By phase folder: the count of `edits` when a file of the phase last changed its text (see `phaseEdited`). */
  private readonly phaseEdits = new Map<string, number>();
  /** Counts the changes of a file's text (it only counts up: the revision is set back after `diagnoseWithText`). */
  private edits = 0;
  private loadOptions: LoadOptions = {};
  private workspaceSchemas: Record<string, object> = {};
  private configText: string | undefined;
  /** The problems `reportTemplateProblems` added to the config's. */
  private templateConfigProblems: Diagnostic[] = [];
  /** The problems `reportGlobCaseProblems` added to the config's. */
  private globCaseConfigProblems: Diagnostic[] = [];
  /** The built-in layouts' names the workspace writes in another case (layout-case.ts), found after each scan or model change. */
  private caseProblems: CaseProblem[] = [];
  /** The scan's files and folders by their paths in lower case (built when first asked for, dropped when the scan changes). */
  private pathsByLowerCase: Map<string, string[]> | undefined;
  /** The keys of `pathsByLowerCase` that hold two paths or more (built and kept with it): paths that differ only in case. */
  private lowerCaseCollisions = new Set<string>();
  /**
   * The scan's files by folder and by name in lower case (broken-link's likely target): built when first asked for,
   * again once the scan, or the files in it, changed.
   */
  private fileNames: { scan: ScanResult; revision: number; size: number; byFolder: Map<string, string[]>; byName: Map<string, string[]> } | undefined;
  /**
   * The names that differ only in case of one folder (`caseConflictsAt`), by the path each is told at: built from
   * `lowerCaseCollisions` when first asked for, dropped when the scan, the model or the layouts' names in another case change.
   */
  private caseConflictsByPath: Map<string, CaseConflict[]> | undefined;
  /** Rule severities set by the host over the config's (the editor's `phasegate.rules` setting). */
  private ruleOverrides: Readonly<Record<string, RuleSetting>> = {};

  constructor(init: ServiceInit) {
    this.fs = init.fs;
    this.assets = init.assets;
    this.logger = init.logger ?? silentLogger;
    this.trusted = init.trusted ?? true;
    this.maxParsed = Math.max(1, init.maxParsed ?? MAX_PARSED);
  }

  /**
   * The run-time schema compiler, for workspace schemas and built-in ones that differ from their
   * precompiled validator (precompiled.ts). Built, and ajv's code loaded, only when first needed:
   * loading, constructing and the meta-schema compile cost tens of milliseconds. Same options as the
   * precompiled validators (scripts/gen-validators.mjs): no remote $ref is ever fetched, formats unchecked.
   */
  private get ajv(): Ajv {
    return (this.ajvInstance ??= createAjv());
  }

  /** Scans `root`, reads its config, builds the phase model and parses every phase document. */
  async load(root: string, token: CancellationToken = noCancellation, options: LoadOptions = this.loadOptions): Promise<void> {
    this.root = normalizePath(root);
    this.loads++;
    this.revision++;
    this.changedAll();
    // A given scan is good for this load only: a reload (config changed) scans again.
    const { scan, ...kept } = options;
    this.loadOptions = kept;
    // Found again by this load's scan.
    this.nested = [];
    this.docs.clear();
    this.parsedOrder.clear();
    this.phaseEdits.clear();
    this.diagCache.clear();
    this.anchorReaders.clear();
    this.gateCache.clear();
    this.repository = await repositoryAbove(this.fs, this.root);
    await this.loadConfig();
    // Workspace template overrides (trusted workspaces only), cached for rendering.
    this.templateConfigProblems = [];
    this.reportTemplateProblems(await loadWorkspaceTemplates(this));
    throwIfCancelled(token);
    // A host that must stay responsive (the language server) is let run within the scan and the model's
    // building, and between the steps after them, every SYNC_SLICE_MS or so; the engine takes their results
    // at once, at the end.
    const pause = this.fs.pause?.bind(this.fs);
    const slices = slicer(pause, SYNC_SLICE_MS, token);
    // The scan and the model's building let the host run on their own: a new slice starts after each.
    const build = async (s: ScanResult) => {
      const model = await buildModelInSlices(this.root, s, this.config, pause, token);
      slices.restart();
      return model;
    };
    let found = scan ?? (await scanTree(this.fs, this.root, this.ignoreMatcher, token));
    slices.restart();
    let model = await build(found);
    // The nested workspaces are found in the scan just made (a given one has them left out already), and
    // what lies in them leaves this engine's tree and model, as if the scan had not entered them.
    const nested = scan ? (scan.nested ?? []) : await nestedWorkspacesInSlices(this.root, found, model, CONFIG_FILES, pause, token);
    slices.restart();
    if (nested.length && !scan) {
      if (slices.due()) await slices.breathe();
      found = withoutNested(found, nested);
      if (slices.due()) await slices.breathe();
      model = await build(found);
    }
    if (slices.due()) await slices.breathe();
    const caseProblems = await layoutCaseProblemsInSlices(this.config, found, model, pause, token);
    this.scan = found;
    this.model = model;
    if (nested.length) {
      this.nested = nested;
      this.composeIgnore();
    }
    this.globCaseConfigProblems = [];
    this.reportGlobCaseProblems();
    this.pathsByLowerCase = undefined;
    this.caseConflictsByPath = undefined;
    this.caseProblems = caseProblems;
    const only = options.only;
    await this.readAll(only ? this.checkedFiles().filter(only) : this.checkedFiles(), token);
  }

  /** Reads (or reads again) documents from the file system; editor text stays in force. */
  async readDocuments(paths: string[], token: CancellationToken = noCancellation): Promise<void> {
    await this.readAll(paths.map(normalizePath), token);
  }

  /**
   * Adopts results computed by another engine over the same workspace (the CLI's worker threads):
   * the diagnostics of a file, valid until it or a file it depends on changes, as `diagnose` caches.
   */
  primeDiagnostics(path: string, diagnostics: Diagnostic[]): void {
    this.diagCache.set(normalizePath(path), diagnostics);
    this.changedAll();
  }

  /** Adopts a phase's gate results computed by another engine over the same workspace (see `primeDiagnostics`). */
  primeGates(phase: Phase, gates: GateResult[]): void {
    this.gateCache.set(phase, gates);
    this.changedAll();
  }

  private async loadConfig(): Promise<void> {
    this.config = defaultConfig(this.root);
    this.configText = undefined;
    const explicit = this.loadOptions.configFile;
    for (const file of explicit ? [normalizePath(explicit)] : CONFIG_FILES.map((n) => joinPath(this.root, n))) {
      const name = basename(file);
      const st = await this.fs.stat(file).catch(() => undefined);
      if (!st || st.kind !== 'file') {
        // A config file named by the host (the CLI's --config) must exist; a workspace's own that is a folder,
        // a pipe or a device is reported (and never read: a pipe would block), and the search goes on to the
        // next name (`phasegate.yml`, `.phasegate.yaml`); without one, the defaults apply.
        if (explicit || st)
          this.configUnreadable(
            file,
            `${name} cannot be read: ${!st ? 'no such file' : st.kind === 'directory' ? 'it is a folder' : 'it is not a regular file'}`,
          );
        continue;
      }
      if (st.size > MAX_CONFIG_BYTES) {
        this.configUnreadable(file, `${name} cannot be read: it is too large (${st.size} bytes; limit ${MAX_CONFIG_BYTES})`);
        break;
      }
      let text: string;
      try {
        text = decode(await this.fs.readFile(file));
        this.configText = text;
      } catch (e) {
        this.configUnreadable(file, `${name} cannot be read: ${(e as Error).message}`);
        break;
      }
      // The names passed over that are no file (reported above) stay reported beside the config read.
      const passed = this.config.problems;
      this.config = this.parseConfigText(file, text);
      this.config.problems.unshift(...passed);
      break;
    }
    await this.loadWorkspaceSchemas();
    this.configIgnore = this.config.ignore.length ? ignoreGlobs(this.config.ignore) : undefined;
    this.composeIgnore();
  }

  /** What the scan skips: the config's `ignore` globs and the excluded folders. */
  private composeIgnore(): void {
    const ignore = this.configIgnore;
    const excluded = [...this.excluded, ...this.nested].filter((p) => p !== this.root && isInside(this.root, p)).map((p) => relativePath(this.root, p));
    if (!excluded.length) {
      this.ignoreMatcher = ignore ?? (() => false);
      return;
    }
    const inExcluded = (rel: string): boolean => excluded.some((x) => rel === x || rel.startsWith(x + '/'));
    this.ignoreMatcher = ignore ? (rel, folder) => inExcluded(rel) || ignore(rel, folder) : inExcluded;
  }

  /**
   * Why the scan leaves out `path` (absolute, inside the root), when it does: it, or a folder it lies in,
   * matches a glob of the config's `ignore`, lies in a folder another engine checks, or in a folder no
   * scan enters (`node_modules`, a hidden one). Undefined when the scan covers it.
   */
  scanExclusion(path: string, isFile: boolean): string | undefined {
    if (path === this.root || !isInside(this.root, path)) return undefined;
    const whole = relativePath(this.root, path);
    const parts = whole.split('/');
    for (let k = 1; k <= parts.length; k++) {
      const rel = parts.slice(0, k).join('/');
      // Said of the path itself, or of the folder it lies in (`.hidden` is one, `.hidden/x` lies in one).
      const itself = k === parts.length;
      const folder = !itself || !isFile;
      if (this.configIgnore?.(rel, folder)) {
        const k = this.config.ignore.findIndex((g) => ignoreGlobs([g])(rel, folder));
        const glob = k < 0 ? undefined : this.config.ignore[k];
        // Quoted as the config writes it (`./archive/`), which the user finds there, not as it is matched (`archive`).
        const quoted = glob === undefined ? undefined : (this.config.ignoreWritten?.[k] ?? glob);
        const matches = `${quoted !== undefined ? `"${quoted}" of ` : ''}ignore in ${this.config.file ? basename(this.config.file) : 'the config'}`;
        return itself || (glob && picomatch.isMatch(whole, glob, { dot: true })) ? `it matches ${matches}` : `it lies in ${rel}, which matches ${matches}`;
      }
      if (this.ignoreMatcher(rel, folder)) {
        const project = this.nested.find((n) => isInside(n, path));
        return project
          ? `it lies in ${relativePath(this.root, project)}, a project with a config of its own, checked on its own`
          : 'it lies in another workspace folder, checked on its own';
      }
      const name = parts[k - 1];
      if (folder && skippedFolder(name)) {
        if (!itself) return `it lies in ${name}, a folder Phasegate does not look into`;
        return `it is a ${name.startsWith('.') ? 'hidden' : name} folder, which Phasegate does not look into`;
      }
    }
    return undefined;
  }

  /**
   * Folders inside the root that this engine leaves to others (the nested folders of a multi-root
   * workspace, each checked by its own engine with its own config): not scanned, so that their phases
   * are shown and judged once. Takes effect at the next `load`; returns whether the set changed.
   */
  setExcludedFolders(paths: readonly string[]): boolean {
    const abs = paths.map((p) => normalizePath(p)).sort();
    if (abs.join('\n') === this.excluded.join('\n')) return false;
    this.excluded = abs;
    return true;
  }

  /**
   * Why the template folder is not read (`loadWorkspaceTemplates`), in the log, and as an `invalid-config`
   * problem: at the config's `templates:` key when the config names the folder; for the default
   * `.phasegate/templates`, at the config file's start, or, without a config file, at the folder itself
   * (so that `check` reports it and `new` refuses, as for a template file that leads outside). With it, in a
   * trusted workspace (an untrusted one reads no workspace template, so cannot tell), each `template:` of the
   * config's layouts that names no template, workspace or built-in, at its value. Replaces the previous
   * ones; returns whether the config's problems changed.
   */
  private reportTemplateProblems(why: string | undefined): boolean {
    const cfg = this.config;
    const found: Diagnostic[] = [];
    if (why) {
      this.logger.log(why);
      const file = cfg.templates !== undefined ? cfg.file : (cfg.file ?? workspaceTemplateFolder(this));
      if (file !== undefined)
        found.push({
          file,
          range: (cfg.templates !== undefined && cfg.templatesRange) || range(0, 0, 0, 0),
          severity: 'error',
          code: 'invalid-config',
          message: why,
        });
    }
    if (this.trusted && cfg.file !== undefined && cfg.templateRefs?.length) {
      const names = templateNames(this);
      for (const ref of cfg.templateRefs) {
        if (names.includes(ref.name)) continue;
        const near = nearest(ref.name, names);
        const hint = near ? `: did you mean \`${near}\`?` : '';
        found.push({
          file: cfg.file,
          range: ref.range ?? range(0, 0, 0, 0),
          severity: 'error',
          code: 'invalid-config',
          message: `${ref.at}: \`${ref.name}\` names no template, neither a workspace one (${relativePath(this.root, workspaceTemplateFolder(this))}/${ref.name}.md.hbs) nor a built-in one${hint}`,
        });
      }
    }
    const problems = replaceProblems(cfg.problems, this.templateConfigProblems, found);
    if (!problems) return false;
    cfg.problems = problems;
    this.templateConfigProblems = found;
    return true;
  }

  /**
   * The config's globs that miss only by case (glob-case.ts), as `invalid-config` warnings, after the phase
   * model was built from the scan. Replaces the previous ones; returns whether the config's problems changed.
   */
  private reportGlobCaseProblems(): boolean {
    const found = globCaseProblems(this.config, this.root, this.scan);
    const problems = replaceProblems(this.config.problems, this.globCaseConfigProblems, found);
    if (!problems) return false;
    this.config.problems = problems;
    this.globCaseConfigProblems = found;
    return true;
  }

  /** Records a config file that cannot be read; the built-in configuration stays in force. */
  private configUnreadable(file: string, message: string): void {
    this.config.file = file;
    this.config.problems.push({ file, range: range(0, 0, 0, 0), severity: 'error', code: 'invalid-config', message });
  }

  /**
   * Front matter schemas the workspace names in its config (trusted workspaces only): read as
   * JSON, checked by `schemaProblems`, compiled once; any problem becomes an `invalid-config`
   * diagnostic and the built-in schema stays in force.
   */
  private async loadWorkspaceSchemas(): Promise<void> {
    this.workspaceSchemas = {};
    this.validators.clear();
    const cfg = this.config;
    const entries = Object.entries(cfg.schemas);
    if (!entries.length) return;
    const report = (kind: string, message: string) =>
      cfg.problems.push({ file: cfg.file ?? this.root, range: this.configKeyRange(`schemas`, kind), severity: 'error', code: 'invalid-config', message });
    if (!this.trusted) {
      // A warning: the config is not wrong (trusting the folder applies it), so what refuses a config with an
      // error (the template commands) does not refuse this one.
      cfg.problems.push({
        file: cfg.file ?? this.root,
        range: this.configKeyRange(`schemas`, entries[0][0]),
        severity: 'warning',
        code: 'invalid-config',
        message: 'workspace schemas are ignored in an untrusted workspace; the built-in schemas apply',
      });
      return;
    }
    for (const [kind, file] of entries) {
      let schema: unknown;
      try {
        schema = await readWorkspaceSchema(this.fs, this.root, file, decode);
      } catch (e) {
        report(kind, `schema for '${kind}' cannot be read: ${(e as Error).message}`);
        continue;
      }
      const problems = schemaProblems(schema);
      if (problems.length) {
        report(kind, `schema for '${kind}' is not accepted: ${problems.slice(0, 3).join('; ')}`);
        continue;
      }
      try {
        this.validators.set(kind, this.ajv.compile(schema as object));
        this.workspaceSchemas[kind] = schema as object;
      } catch (e) {
        report(kind, `schema for '${kind}' does not compile: ${(e as Error).message}`);
      }
    }
  }

  /** Range of the value of `section.key` in the config file (its first line when not found). */
  private configKeyRange(section: string, key: string): Range {
    const { lines, yaml: text } = configLines(this.configText ?? '');
    const doc = parseYamlDocument(text, { prettyErrors: false });
    const pointer = `/${[section, key].map((s) => s.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;
    return (!doc.errors.length && pathRange(doc, lines, 0, text, pointer)) || range(0, 0, 0, (lines[0] ?? '').length);
  }

  /**
   * Compiled validator of a schema id: the build-time one when the schema in force is the unchanged
   * built-in one, else compiled now. A schema that does not compile yields its error text.
   */
  /** The config `text` holds, read as `load` reads the config file's. */
  private parseConfigText(file: string, text: string): ResolvedConfig {
    const schemaIds = Object.keys(this.assets.schemas).filter((id) => id !== 'config');
    return parseConfig(file, text, this.root, this.configValidator(), schemaIds);
  }

  /**
   * The problems of the config file while it holds `text` (an editor's text not saved): the config's in
   * force when that is the text it was read from (or it could not be read), else those of `text` read as
   * the config file is (what reading its schemas and templates finds comes with the saved file).
   */
  configProblemsOf(text: string): Diagnostic[] {
    if (!this.config.file || this.configText === undefined || text === this.configText) return this.config.problems;
    const passed = this.config.problems.filter((d) => d.file !== this.config.file);
    return [...passed, ...this.parseConfigText(this.config.file, text).problems];
  }

  /** The schema of phasegate.yaml: always the built-in one (a workspace's `schemas: {config: …}` is a document kind's). */
  private configValidator(): ValidateFunction | undefined {
    return this.compiled('config', undefined, CONFIG_VALIDATOR);
  }

  validator(id: string): ValidateFunction | undefined {
    return this.compiled(id, this.workspaceSchemas[id], id);
  }

  /** The validator of schema `id` (the workspace's `workspace`, else the built-in one), compiled once and kept under `key`. */
  private compiled(id: string, workspace: object | undefined, key: string): ValidateFunction | undefined {
    let v = this.validators.get(key);
    if (v === undefined) {
      const schema = workspace ?? this.assets.schemas[id];
      if (!schema) return undefined;
      v = workspace ? undefined : precompiled(id, schema);
      if (!v) {
        try {
          v = this.ajv.compile(schema);
        } catch (e) {
          v = `schema '${id}' does not compile: ${(e as Error).message}`;
          this.logger.log(v);
        }
      }
      this.validators.set(key, v);
    }
    return typeof v === 'string' ? undefined : v;
  }

  /** Every file the engine checks: phase Markdown, project plans, the config file, and empty phase folders. */
  checkedFiles(): string[] {
    const out: string[] = [];
    for (const p of this.model.phases) out.push(...p.markdown);
    for (const p of this.model.plans) out.push(p.path);
    return out;
  }

  /**
   * Reads `paths` into `docs` (the engine's documents, or a map the engine takes later: `filesCameOrWent`); a
   * document the editor holds keeps its text. Only reading into the engine's own drops its gates.
   */
  private async readAll(paths: string[], token: CancellationToken, docs: Map<string, DocEntry> = this.docs): Promise<void> {
    const own = docs === this.docs;
    let done = 0;
    if (this.fs.readSmallFileSync) {
      try {
        // A host that must stay responsive (the language server) is let run after every SYNC_SLICE_MS of reading;
        // one that withdraws its synchronous reads (they turned slow) has the rest read the other way, below.
        // A cancellation is seen before each read (not at the pause: the last read's does not throw).
        const slices = slicer(this.fs.pause?.bind(this.fs), SYNC_SLICE_MS);
        for (; done < paths.length && this.fs.readSmallFileSync; done++) {
          throwIfCancelled(token);
          const p = paths[done];
          if (!this.docs.get(p)?.overlay) docs.set(p, this.readEntrySync(p));
          if (slices.due()) await slices.breathe();
        }
      } finally {
        if (own) {
          this.gateCache.clear();
          this.revision++;
          this.changedAll();
        }
      }
      if (done === paths.length) return;
    }
    const queue = done ? paths.slice(done) : [...paths];
    // A shared index, not queue.shift(): shifting a 100,000-path array is quadratic (performance only).
    let next = 0;
    const worker = async () => {
      for (let p = queue[next++]; p !== undefined; p = queue[next++]) {
        throwIfCancelled(token);
        if (this.docs.get(p)?.overlay) continue;
        docs.set(p, await this.readEntry(p));
      }
    };
    try {
      await Promise.all(Array.from({ length: 32 }, worker));
    } finally {
      if (own) {
        this.gateCache.clear();
        this.revision++;
        this.changedAll();
      }
    }
  }

  /** `readEntry` through the host's synchronous read (see `FileSystem.readSmallFileSync`). */
  private readEntrySync(path: string): DocEntry {
    try {
      const read = this.fs.readSmallFileSync!(path, MAX_DOCUMENT_BYTES);
      if (typeof read === 'number') return { text: undefined, parsed: undefined, problem: tooLarge(read), overlay: false };
      return { text: decode(read), parsed: undefined, problem: undefined, overlay: false };
    } catch (e) {
      return { text: undefined, parsed: undefined, problem: (e as Error).message, overlay: false };
    }
  }

  private async readEntry(path: string): Promise<DocEntry> {
    try {
      const st = await this.fs.stat(path);
      if (st && st.size > MAX_DOCUMENT_BYTES) {
        return { text: undefined, parsed: undefined, problem: tooLarge(st.size), overlay: false };
      }
      const bytes = await this.fs.readFile(path);
      const text = decode(bytes);
      return { text, parsed: undefined, problem: undefined, overlay: false };
    } catch (e) {
      return { text: undefined, parsed: undefined, problem: (e as Error).message, overlay: false };
    }
  }

  /** Why a document read from disk cannot be checked (binary, not UTF-8, too large, unreadable), or undefined. */
  unreadableReason(path: string): string | undefined {
    return this.docs.get(this.keyOf(path))?.problem;
  }

  /** The parsed model of a document (editor text wins over disk); undefined when it cannot be read. */
  getDocument(path: string): ParsedDocument | undefined {
    // `keyOf(path)` and its entry in one look-up when the path is found as given (performance only).
    const e = this.docs.get(path);
    if (e) return this.parsedOf(path, e);
    const key = normalizePath(path);
    const n = key === path ? undefined : this.docs.get(key);
    return n && this.parsedOf(key, n);
  }

  /** The parsed model of the document `e`, under `key` in `docs` (see getDocument). */
  private parsedOf(key: string, e: DocEntry): ParsedDocument | undefined {
    if (e.text === undefined) return undefined;
    if (e.parsed) {
      this.touchParsed(key);
      return e.parsed;
    }
    return this.keepParsed(key, e, parseDocument(e.text));
  }

  /** The key of a document in `docs`: its normal path (one found as given needs no normalising, performance only). */
  private keyOf(path: string): string {
    return this.docs.has(path) ? path : normalizePath(path);
  }

  /** Sets a document's model and makes it the most recently used; drops the least recently used beyond `maxParsed`. */
  private keepParsed(key: string, e: DocEntry, parsed: ParsedDocument): ParsedDocument {
    e.parsed = parsed;
    this.touchParsed(key);
    if (this.parsedOrder.size > this.maxParsed) {
      for (const old of this.parsedOrder) {
        this.parsedOrder.delete(old);
        const o = this.docs.get(old);
        // An open document keeps its model (the editor asks for it at every keystroke); it is
        // listed again when next used.
        if (o && !o.overlay) o.parsed = undefined;
        if (this.parsedOrder.size <= this.maxParsed) break;
      }
    }
    return parsed;
  }

  private touchParsed(key: string): void {
    this.parsedOrder.delete(key);
    this.parsedOrder.add(key);
  }

  /** Drops a document's model (performance only: it is parsed again from its text if asked for). */
  private dropParsed(key: string): void {
    const e = this.docs.get(key);
    if (e) e.parsed = undefined;
    this.parsedOrder.delete(key);
  }

  /** Parses those of `paths` that are read and not parsed yet, together (see `parseDocuments`). */
  private parseMany(paths: readonly string[]): void {
    atOnce(this.parseSteps(paths, undefined));
  }

  /** `parseMany` in steps: given `due`, a few documents at a time, stopping (yielding) between them where it says the slice is spent. */
  private *parseSteps(paths: readonly string[], due: (() => boolean) | undefined): Generator<void, void, void> {
    const keys: string[] = [];
    const entries: DocEntry[] = [];
    const texts: string[] = [];
    for (const path of paths) {
      const key = this.keyOf(path);
      const e = this.docs.get(key);
      if (!e || e.text === undefined || e.parsed) continue;
      keys.push(key);
      entries.push(e);
      texts.push(e.text);
    }
    if (!due) {
      const parsed = parseDocuments(texts);
      for (let i = 0; i < entries.length; i++) this.keepParsed(keys[i], entries[i], parsed[i]);
      return;
    }
    for (let from = 0; from < entries.length; from += PARSED_AT_ONCE) {
      if (from > 0 && due()) yield;
      const to = Math.min(entries.length, from + PARSED_AT_ONCE);
      const parsed = parseDocuments(texts.slice(from, to));
      for (let i = from; i < to; i++) this.keepParsed(keys[i], entries[i], parsed[i - from]);
    }
  }

  getText(path: string): string | undefined {
    // Found as given without normalising it, as getDocument (performance only: the phase tree asks for every phase's brief).
    return (this.docs.get(path) ?? this.docs.get(normalizePath(path)))?.text;
  }

  exists(path: string): boolean {
    if (this.scan.files.has(path) || this.scan.dirs.has(path)) return true;
    const p = normalizePath(path);
    // A normal path was looked up already (performance only).
    if (p !== path && (this.scan.files.has(p) || this.scan.dirs.has(p))) return true;
    // The editor's buffer of a file whose folder is not on disk (deleted while it was open) is no file there.
    const e = this.docs.get(p);
    return !!e && !(e.overlay && !this.onDiskFolder(dirname(p)));
  }

  /** Whether folder `dir` is on disk, as the scan and the file events since found it: the workspace folder, or one in it. */
  private onDiskFolder(dir: string): boolean {
    return dir === this.root || this.scan.dirs.has(dir);
  }

  /** Whether `path` is a folder of the workspace (as last scanned): a file of that name is none. */
  isFolder(path: string): boolean {
    if (this.scan.dirs.has(path)) return true;
    const p = normalizePath(path);
    return p !== path && this.scan.dirs.has(p);
  }

  /** Notes that the diagnostics of `reader` read the anchors (headings) of `target`: see `dependents`. */
  readsAnchorsOf(reader: string, target: string): void {
    const t = normalizePath(target);
    let readers = this.anchorReaders.get(t);
    if (!readers) this.anchorReaders.set(t, (readers = new Set()));
    readers.add(normalizePath(reader));
  }

  /** Whether `path` lies in a folder left to another engine: a nested workspace, or a folder the host excludes. */
  leftOut(path: string): boolean {
    if (!this.nested.length && !this.excluded.length) return false;
    const p = normalizePath(path);
    const left = (x: string) => x !== this.root && isInside(this.root, x) && isInside(x, p);
    return this.nested.some(left) || this.excluded.some(left);
  }

  /** Sets the editor's text of a document. Returns the files whose diagnostics may have changed. */
  setOverlay(path: string, text: string): string[] {
    const p = normalizePath(path);
    this.docs.set(p, { text, parsed: undefined, problem: undefined, overlay: true });
    // A document of a nested workspace is its engine's: it does not join this one's files.
    // Nor does one the scan leaves out (an `ignore` glob, node_modules): `check` does not see it.
    // Nor one whose folder is not on disk (deleted while it was open, or before a reload): the editor's buffer
    // makes no folder exist, and no phase; saved, the file is created on disk and joins then (`filesChanged`).
    // A new document not saved yet in a folder that is there (`06-OUTPUT_HANDOFF.md` of a phase) joins.
    if (!this.scan.files.has(p) && isInside(this.root, p) && this.onDiskFolder(dirname(p)) && !this.leftOut(p) && !this.scanExclusion(p, true)) {
      this.scan.files.add(p);
      return this.fileJoinedOrLeft(p, true);
    }
    return this.invalidate(p);
  }

  /**
   * The diagnostics the document at `path` (a file the engine checks) would have with `text`: tried out on
   * the engine, which holds its own text again afterwards. Undefined for a file the engine does not hold.
   */
  diagnoseWithText(path: string, text: string): Diagnostic[] | undefined {
    const p = normalizePath(path);
    const held = this.docs.get(p);
    if (!held || !this.scan.files.has(p)) return undefined;
    // What the text it holds gave (the files that depend on it, their phases' gates): kept for afterwards.
    const diags = this.dependents(p).flatMap((d) => (this.diagCache.has(d) ? [[d, this.diagCache.get(d)!] as const] : []));
    const gates = [...this.gateCache];
    const revision = this.revision;
    this.docs.set(p, { text, parsed: undefined, problem: undefined, overlay: true });
    this.invalidate(p);
    try {
      return this.diagnose(p);
    } finally {
      this.docs.set(p, held);
      this.invalidate(p);
      for (const [d, v] of diags) this.diagCache.set(d, v);
      for (const [q, v] of gates) if (!this.gateCache.has(q)) this.gateCache.set(q, v);
      // Its own text again, and the same results: the same state.
      this.revision = revision;
    }
  }

  /**
   * Drops the editor's text; the disk's applies again. A document that is not on disk (a new buffer
   * closed unsaved) leaves the workspace's files. When the editor opens it again while the disk is
   * read, its new text stands.
   */
  async clearOverlay(path: string): Promise<string[]> {
    const p = normalizePath(path);
    const e = this.docs.get(p);
    if (!e?.overlay) return [];
    // A document the engine does not check (a README beside the phases) leaves its texts; it leaves the scan's files
    // too when it is not on disk (a new buffer closed unsaved): a link to it is broken again.
    const checked = this.isChecked(p);
    if (!checked && !this.scan.files.has(p)) {
      this.docs.delete(p);
      return this.invalidate(p);
    }
    const st = await this.fs.stat(p).catch(() => undefined);
    if (this.docs.get(p) !== e) return [];
    if (!checked && st) {
      this.docs.delete(p);
      return this.invalidate(p);
    }
    if (!st) {
      this.dropParsed(p);
      this.docs.delete(p);
      if (this.scan.files.delete(p)) {
        // Its folders go too when they are gone from disk and hold nothing else (kept for it while it was open).
        let foldersWent = false;
        // Its phase's other files first (performance only: one of them in the folder is one of the scan's files there,
        // found without going through the whole scan).
        const near = phaseOf(this.model, p)?.files ?? [];
        for (let d = dirname(p); d !== this.root && isInside(this.root, d) && this.scan.dirs.has(d); d = dirname(d)) {
          const holds = (x: string) => x !== d && isInside(d, x);
          const nearHeld = someOf(near, (x) => x !== p && holds(x) && this.scan.files.has(x));
          if (nearHeld || someOf(this.scan.files, holds) || someOf(this.scan.dirs, holds)) break;
          if (await this.fs.stat(d).catch(() => undefined)) break;
          this.scan.dirs.delete(d);
          foldersWent = true;
        }
        return foldersWent ? this.fileSetChanged() : this.fileJoinedOrLeft(p, false);
      }
      return this.invalidate(p);
    }
    const read = await this.readEntry(p);
    if (this.docs.get(p) !== e) return [];
    this.docs.set(p, read);
    return this.invalidate(p);
  }

  /** Why not every file of the workspace is checked (the scan stopped at its limit), when it did. */
  scanLimit(): string | undefined {
    if (!this.scan.truncated) return undefined;
    return `it holds more than ${MAX_FILES.toLocaleString('en')} files or folders: only the first ${MAX_FILES.toLocaleString('en')} found are checked, and links to the others read as broken (leave folders out with ignore: in phasegate.yaml)`;
  }

  /**
   * Whether a 'changed' event at `path` may change what the engine reports (`filesChanged` acts on it): its config or
   * a schema, a workspace template, or a document it checks whose text the editor does not hold. Another file is
   * read for its existence alone, which a change of its text leaves as it was.
   */
  changeMatters(path: string): boolean {
    const p = normalizePath(path);
    if (!isInside(this.root, p)) return false;
    return this.isConfigInput(p) || isInside(workspaceTemplateFolder(this), p) || this.checkedOnDisk(p);
  }

  /** A document the engine checks whose text is read from disk (the editor does not hold it). */
  private checkedOnDisk(path: string): boolean {
    return !this.docs.get(path)?.overlay && this.isChecked(path);
  }

  /** Whether `path` is read with the config: the config file, or a front matter schema its `schemas:` names. */
  isConfigInput(path: string): boolean {
    const p = normalizePath(path);
    return CONFIG_FILES.includes(relativePath(this.root, p)) || Object.values(this.config.schemas).some((f) => normalizePath(f) === p);
  }

  /** Whether deleting `path` ends a nested workspace: it is one (or holds one), or the config file of one. */
  private endsNested(path: string): boolean {
    return this.nested.some((n) => isInside(path, n) || (dirname(path) === n && CONFIG_FILES.includes(basename(path))));
  }

  /** Applies file-system events. Returns the files whose diagnostics may have changed. */
  async filesChanged(events: { path: string; type: 'created' | 'changed' | 'deleted' }[]): Promise<string[]> {
    const created: string[] = [];
    const deleted: string[] = [];
    const affected = new Set<string>();
    for (const ev of events) {
      const p = normalizePath(ev.path);
      if (!isInside(this.root, p)) continue;
      // A config file read with this workspace's, or a nested workspace that goes: the workspace loads again
      // (its scan enters the folder left to that workspace, and finds which nested ones it holds now).
      if (this.isConfigInput(p) || (ev.type === 'deleted' && this.endsNested(p))) {
        await this.load(this.root);
        return this.checkedFiles();
      }
      if (isInside(workspaceTemplateFolder(this), p)) {
        if (this.reportTemplateProblems(await loadWorkspaceTemplates(this))) {
          this.revision++;
          if (this.config.file) {
            affected.add(this.config.file);
            this.changed([this.config.file]);
          }
        }
        continue;
      }
      if (ev.type === 'changed') {
        // Nor one the editor holds (its text wins), nor one it does not check (see `changeMatters`).
        if (!this.checkedOnDisk(p)) continue;
        this.docs.set(p, await this.readEntry(p));
        this.invalidate(p).forEach((f) => affected.add(f));
      } else if (ev.type === 'created') created.push(p);
      else deleted.push(p);
    }
    return created.length || deleted.length ? this.filesCameOrWent(created, deleted, affected) : [...affected];
  }

  /**
   * `filesChanged`'s files that came (`created`) or went (`deleted`). The scan is changed on a copy, the model built
   * from it, the documents the new model checks that are not read are read aside, and the engine takes the new
   * scan, model, documents and case problems at once. A host that must stay responsive (the language server, with
   * `FileSystem.pause`) is let run every SYNC_SLICE_MS or so meanwhile: at a pause the engine is as it was before
   * the events (but for a file written anew over one it checks, whose text it takes as for a `changed` event, and
   * the files of a folder created over one the scan holds when nothing else came or went, likewise) or as it is
   * after them, never half way.
   */
  private async filesCameOrWent(created: string[], deleted: string[], affected: Set<string>): Promise<string[]> {
    const pause = this.fs.pause?.bind(this.fs);
    // The slice checked with `tick` (the clock read every 256 calls: most are for one path). No token: the events
    // are taken whole.
    const slices = slicer(pause, SYNC_SLICE_MS);
    const copy = async (from: Set<string>) => {
      const to = new Set<string>();
      for (const x of from) {
        to.add(x);
        if (slices.tick()) await slices.breathe();
      }
      return to;
    };
    const old = this.scan;
    const scan: ScanResult = { ...old, files: await copy(old.files), dirs: await copy(old.dirs), problems: [...old.problems] };
    const size = () => scan.files.size + scan.dirs.size;
    /** Documents of files deleted: dropped when the engine takes the new state. */
    const dropped = new Set<string>();
    let removed = false;
    for (const p of deleted) {
      // A document the editor holds stays one of the workspace's files (its text wins) while its folder is on
      // disk (the file alone deleted: the editor keeps it, as a new document not saved yet). Its folder deleted,
      // it goes with it: the editor's buffer makes no folder exist (its text is kept, for a save that writes it back).
      const open: string[] = [];
      for (const [f, e] of this.docs) {
        if (!e.overlay || !isInside(p, f)) continue;
        const st = await this.fs.stat(dirname(f)).catch(() => undefined);
        if (st?.kind === 'directory') open.push(f);
      }
      // Deleting from a set while going through it visits the others still.
      for (const f of scan.files) {
        if (slices.tick()) await slices.breathe();
        if (isInside(p, f) && !open.includes(f)) removed = scan.files.delete(f) || removed;
      }
      for (const d of scan.dirs) {
        if (slices.tick()) await slices.breathe();
        if (isInside(p, d) && !open.some((f) => isInside(d, f))) removed = scan.dirs.delete(d) || removed;
      }
      for (const [f, e] of this.docs) {
        if (slices.tick()) await slices.breathe();
        if (isInside(p, f) && !e.overlay) dropped.add(f);
      }
      // What the scan could not read there (a folder deleted while it was listed) went with it.
      const problems = scan.problems.filter((pr) => !isInside(p, pr.path));
      if (problems.length !== scan.problems.length) {
        scan.problems = problems;
        removed = true;
      }
    }
    const afterDeletes = size();
    /**
     * Files of a folder created over one the scan holds (a branch switched away and back whose client reported the
     * folders alone, or a batch taken while a checkout was writing them): written anew, their texts may have changed.
     */
    const rewritten = new Set<string>();
    for (const p of created) {
      const st = await this.fs.stat(p).catch(() => undefined);
      if (!st) continue;
      // What the scan leaves out (an ignore glob, node_modules, a hidden folder) stays out when it appears later.
      if (this.scanExclusion(p, st.kind === 'file')) continue;
      if (st.kind === 'directory') {
        const sub = await scanTree(this.fs, p, (rel, folder) => this.ignoreMatcher(relativePath(this.root, joinPath(p, rel)), folder));
        for (const f of sub.files) {
          if (scan.files.has(f)) rewritten.add(f);
          else scan.files.add(f);
          if (slices.tick()) await slices.breathe();
        }
        for (const d of sub.dirs) {
          scan.dirs.add(d);
          if (slices.tick()) await slices.breathe();
        }
      } else if (st.kind === 'file') {
        if (scan.files.has(p)) {
          // A file written anew over one the scan holds (a save through a rename): its text changed.
          if (!this.docs.get(p)?.overlay && this.isChecked(p)) this.docs.set(p, await this.readEntry(p));
          this.invalidate(p).forEach((f) => affected.add(f));
          continue;
        }
        scan.files.add(p);
        for (let d = dirname(p); isInside(this.root, d) && !scan.dirs.has(d); d = dirname(d)) scan.dirs.add(d);
      }
    }
    // Nothing the scan holds came or went (a change in a folder it leaves out): the model and every cached result
    // stand (the copy is dropped).
    if (!removed && size() === afterDeletes) {
      // But the files written anew: read again, as for `changed` events.
      if (rewritten.size) {
        await this.readAll(
          [...rewritten].filter((f) => this.isChecked(f)),
          noCancellation,
        );
        for (const f of rewritten) this.invalidate(f).forEach((x) => affected.add(x));
      }
      return [...affected];
    }
    const model = await buildModelInSlices(this.root, scan, this.config, pause);
    // A config file came in a folder outside the phases (or a folder holding one): a nested workspace, which leaves
    // this one's tree, as at load.
    if (size() !== afterDeletes) {
      const nested = await nestedWorkspacesInSlices(this.root, scan, model, CONFIG_FILES, pause);
      if (nested.length) {
        await this.load(this.root);
        return this.checkedFiles();
      }
    }
    const caseProblems = await layoutCaseProblemsInSlices(this.config, scan, model, pause);
    // The documents the new model checks that the engine has not read (or that went and came back), read aside.
    const read = new Map<string, DocEntry>();
    const unread: string[] = [];
    for (const p of model.phases)
      for (const f of p.markdown) {
        if (slices.tick()) await slices.breathe();
        if (!this.docs.has(f) || dropped.has(f) || rewritten.has(f)) unread.push(f);
      }
    for (const p of model.plans) if (!this.docs.has(p.path) || dropped.has(p.path) || rewritten.has(p.path)) unread.push(p.path);
    await this.readAll(unread, noCancellation, read);
    // The new state, at once.
    for (const f of dropped) if (!this.docs.get(f)?.overlay) this.docs.delete(f);
    for (const [f, e] of read) this.docs.set(f, e);
    this.scan = scan;
    this.fileSetTaken(model, caseProblems).forEach((f) => affected.add(f));
    return [...affected];
  }

  /** Rebuilds the phase model after files were added to or removed from the scan. */
  private fileSetChanged(): string[] {
    const model = buildModel(this.root, this.scan, this.config);
    return this.fileSetTaken(model, layoutCaseProblems(this.config, this.scan, model));
  }

  /**
   * `fileSetChanged` after one file, `p`, joined the scan's files (`joined`) or left them, its folders staying:
   * the model changed for its phase and group alone, and the layouts' names in another case found again only when
   * its name may be one (performance only: at N = 10,000 rebuilding the model kept the language server from
   * answering for some 300 ms when the editor opened a new document not saved yet). The same state.
   */
  private fileJoinedOrLeft(p: string, joined: boolean): string[] {
    const model = modelWithFile(this.model, this.scan, this.config, p, joined);
    if (!model) return this.fileSetChanged();
    // What layout-case.ts reads of a file: a name that is the plan's or a layout document's in any case; the
    // latter in a phase folder (the phases are the same) only when it is in another case, or a file named as it
    // is in another case is there (the one beside the other).
    const lower = basename(p).toLowerCase();
    const owner = model.byFolder.get(dirname(p));
    const named =
      lower === PLAN_FILE.toLowerCase() ||
      (this.config.layouts.some((l) => l.documents.some((d) => d.file.toLowerCase() === lower)) &&
        (!owner ||
          !owner.layout.documents.some((d) => d.file === basename(p)) ||
          owner.files.some((f) => f !== p && f.length === p.length && f.toLowerCase() === p.toLowerCase())));
    const index = this.pathsByLowerCase;
    const files = this.fileSetTaken(model, named ? layoutCaseProblems(this.config, this.scan, model) : this.caseProblems);
    // The index of paths in lower case kept, with the file (performance only: built again, it costs a pass over the scan).
    if (index) {
      const key = p.toLowerCase();
      const list = [...(index.get(key) ?? [])];
      if (joined) list.push(p);
      else if (list.includes(p)) list.splice(list.lastIndexOf(p), 1);
      if (list.length) index.set(key, list);
      else index.delete(key);
      if (list.length > 1) this.lowerCaseCollisions.add(key);
      else this.lowerCaseCollisions.delete(key);
      this.pathsByLowerCase = index;
    }
    return files;
  }

  /** Takes the phase model built from the scan after files came or went, and the layouts' names in another case found in them. */
  private fileSetTaken(model: WorkspaceModel, caseProblems: CaseProblem[]): string[] {
    // The folders of phases without a document, which their problems are told at (see diagnosedPaths): those that
    // were, and those that are now (the last document of a phase deleted), are affected too.
    const folders = this.model.phases.filter((p) => p.markdown.length === 0).map((p) => p.folder);
    // The documents the editor holds that the model checked: one whose phase folder was deleted is no phase's now,
    // and the problems shown on it go (the new model's files do not name it).
    const open: string[] = [];
    for (const [f, e] of this.docs) if (e.overlay && this.diagnoses(f)) open.push(f);
    this.revision++;
    this.model = model;
    // Links anywhere may now resolve or break: every cached result is stale.
    this.diagCache.clear();
    this.gateCache.clear();
    this.changedAll();
    const files = this.diagnosedPaths();
    for (const f of folders) if (!model.byFolder.get(f) || model.byFolder.get(f)!.markdown.length > 0) files.push(f);
    for (const f of open) if (!this.diagnoses(f)) files.push(f);
    // A folder named as a glob would match it ignoring case came or went.
    if (this.reportGlobCaseProblems() && this.config.file) files.push(this.config.file);
    // A layout's name in another case (`Workstreams/`) came or went: the files it is told at.
    this.pathsByLowerCase = undefined;
    this.caseConflictsByPath = undefined;
    const before = this.caseProblems;
    this.caseProblems = caseProblems;
    for (const p of [...before, ...this.caseProblems]) if (!files.includes(p.file)) files.push(p.file);
    return files;
  }

  /**
   * Whether the engine reports on `path` (normal): a document it checks, or the config file. A change that
   * affects no such file (filesChanged) changes no diagnostic, gate or phase.
   */
  reportsOn(path: string): boolean {
    return path === this.config.file || this.isChecked(path);
  }

  /**
   * Whether the editor shows problems and fixes for the document at `path` (any path): the config file,
   * or a file that `check` checks. Not a Markdown file outside the phases (a README beside them), nor one
   * the scan leaves out (an `ignore` glob, `node_modules`, a hidden folder, another engine's folder),
   * even while it is open; nor one that is none of the workspace's files (open in the editor, its folder
   * deleted: a finding whose `03-FINDINGS/` went, which `check` no longer sees).
   */
  checksDocument(path: string): boolean {
    const p = normalizePath(path);
    if (p === this.config.file) return true;
    return isInside(this.root, p) && this.scan.files.has(p) && this.isChecked(p) && !this.leftOut(p) && !this.scanExclusion(p, true);
  }

  private isChecked(path: string): boolean {
    if (basename(path) === 'project_implementation_plan.md') return true;
    const phase = phaseOf(this.model, path);
    return !!phase && /\.(md|markdown)$/i.test(path);
  }

  /**
   * Files whose diagnostics depend on `path`: itself, its phase, the next phase, the input handoff of the
   * phase after next, and, for a phase of an iAI workstream, the project plans. Phase N's files read phase N-1's
   * output handoff, so phase N's gates follow from the documents of phases N-1 and N; phase N+1's input handoff reads
   * those gates (`unvalidated-handoff`): a change in phase N-1 reaches it. No rule of phase N-1 reads phase N (its
   * output handoff is checked on its own; phase N's input handoff is checked against it), so the previous
   * phase is not among them, but for copied-document, which compares a document with the one of the same file in
   * the phase before it (whatever its number), the one before that, and the one after it when it names that phase
   * (a copy the other way): those of its documents that read this one (see `comparedCopies`). A plan reads only the iAI phases it tracks (`planPhases`: their names, statuses and
   * gates): a change in another phase (an audit phase's, or one of another project's `workstreams/`) leaves its
   * problems as they were.
   */
  dependents(path: string): string[] {
    const p = normalizePath(path);
    const out = new Set<string>([p]);
    // The documents whose links name places in this one (broken-anchor), wherever they are.
    this.anchorReaders.get(p)?.forEach((r) => {
      if (this.scan.files.has(r)) out.add(r);
    });
    const phase = phaseOf(this.model, p);
    if (phase) {
      phase.markdown.forEach((f) => out.add(f));
      phase.next?.markdown.forEach((f) => out.add(f));
      const input = this.inputAfterNext(phase);
      if (input) out.add(input);
      const copies = this.comparedCopies(phase, p);
      copies.docs.forEach((f) => out.add(f));
      copies.inputs.forEach((f) => out.add(f));
      // Phase N's gates read phases N-1 and N: the plans that track this phase or the next one.
      if (phase.workstream !== undefined)
        for (const pl of this.model.plans) {
          const tracked = trackedPhases(this.model, pl.path);
          if (tracked.has(phase) || (phase.next && tracked.has(phase.next))) out.add(pl.path);
        }
    }
    return [...out];
  }

  /**
   * The documents whose copied-document check reads the document at `path`, of `phase` (a document of its layout), as
   * `docs`: those of the same file of the phase after it across a gap (the next is a dependent anyway), of the one
   * after that when it claims progress and is not the same as the next one's but for its numbers (it is then compared
   * with this one), and of the phase before when it names this phase (a copy the other way); and, as `inputs`, the
   * input handoffs that read the gates of those later phases (`unvalidated-handoff`).
   */
  private comparedCopies(phase: Phase, path: string): { docs: string[]; inputs: string[] } {
    const docs: string[] = [];
    const inputs: string[] = [];
    if (!kindOf(this.model, path).spec) return { docs, inputs };
    const rel = pathBelow(phase.folder, path);
    const at = (q: Phase | undefined) => {
      const f = q && joinPath(q.folder, rel);
      return f && q.markdown.includes(f) ? f : undefined;
    };
    const later = (q: Phase, f: string) => {
      docs.push(f);
      const input = q.next && phaseDocument(q.next, INPUT_HANDOFF);
      if (input?.exists) inputs.push(input.path);
    };
    const after = phaseAfter(this.model, phase);
    const next = at(after);
    if (next && after !== phase.next) later(after!, next);
    const afterAfter = after && phaseAfter(this.model, after);
    const third = at(afterAfter);
    const doc = third && this.getDocument(third);
    if (doc && comparesTwoBack(this.model, doc, afterAfter!, next === undefined ? undefined : this.getText(next), after!)) later(afterAfter!, third!);
    // The phase before reads this one's only where its document names this phase.
    const before = phaseBefore(this.model, phase);
    const earlier = at(before);
    const spec = earlier && kindOf(this.model, earlier).spec;
    const other = spec && this.getDocument(earlier!);
    if (other && namesOther(this.model.phases, other, spec!, before!, phase)) docs.push(earlier!);
    return { docs, inputs };
  }

  /** The input handoff of the phase after the next one, when it has one. */
  private inputAfterNext(phase: Phase): string | undefined {
    const input = phase.next?.next && phaseDocument(phase.next.next, INPUT_HANDOFF);
    return input?.exists ? input.path : undefined;
  }

  /**
   * A number that differs each time a file of `phase` changes its text (an edit, or a change on disk); undefined if
   * none did since the workspace loaded. What is read of a phase without checking it (the title the phase tree shows
   * for a phase not checked yet, scanned from its brief) may have changed then.
   */
  phaseEdited(phase: Phase): number | undefined {
    return this.phaseEdits.get(phase.folder);
  }

  /**
   * A number that grows with each change the engine takes (see `changedSince`): a host marks with it the state it
   * read results from.
   */
  changeMark(): number {
    return this.changes;
  }

  /**
   * The paths whose results (diagnostics, and the gates and titles of their phases) may differ from what they were
   * at `mark` (a `changeMark()`): each file a change since dropped the cached diagnostics of (see `dependents`; an
   * input handoff whose phase's gates it dropped stands for them too), and each file whose text changed (a file not
   * checked among them). Undefined when any result may differ: the workspace loaded again, documents were read, files
   * came or went (the model was built again), the rule severities changed, or too many changes came to be listed.
   * Paths the engine does not report on may be among them; a change that left a result as it was may name it too.
   */
  changedSince(mark: number): Set<string> | undefined {
    if (mark < this.changedAllAt || mark > this.changes) return undefined;
    const at = this.changedAt;
    // The first entry after `mark` (the counts ascend).
    let lo = 0;
    for (let hi = at.length; lo < hi;) {
      const mid = (lo + hi) >>> 1;
      if (at[mid] <= mark) lo = mid + 1;
      else hi = mid;
    }
    const out = new Set<string>();
    for (let i = lo; i < at.length; i++) out.add(this.changedPaths[i]);
    return out;
  }

  /** Records a change of the results of `paths` (see `changedSince`). */
  private changed(paths: readonly string[]): void {
    const at = ++this.changes;
    if (this.changedPaths.length + paths.length > MAX_CHANGE_LOG) {
      this.changedAll();
      return;
    }
    for (const p of paths) {
      this.changedPaths.push(p);
      this.changedAt.push(at);
    }
  }

  /** Records a change that may change any result (see `changedSince`). */
  private changedAll(): void {
    this.changedAllAt = ++this.changes;
    this.changedPaths = [];
    this.changedAt = [];
  }

  private invalidate(path: string): string[] {
    this.revision++;
    const deps = this.dependents(path);
    this.changed(deps);
    // The input handoff of the phase after next changes in its unvalidated-handoff problem only, which
    // no gate counts: its phase's gates stand.
    const phase = phaseOf(this.model, normalizePath(path));
    if (phase) this.phaseEdits.set(phase.folder, ++this.edits);
    // So do those that read the gates of phases whose documents copied-document compares with this one.
    const kept = new Set<string>();
    if (phase) {
      const afterNext = this.inputAfterNext(phase);
      if (afterNext) kept.add(afterNext);
      const copies = this.comparedCopies(phase, normalizePath(path));
      copies.inputs.forEach((f) => kept.add(f));
      // Unless copied-document reads them too (an edit of an input handoff), which its gates count.
      copies.docs.forEach((f) => kept.delete(f));
    }
    for (const d of deps) {
      this.diagCache.delete(d);
      const q = kept.has(d) ? undefined : phaseOf(this.model, d);
      if (q) this.gateCache.delete(q);
    }
    return deps;
  }

  /** Diagnostics of one file (cached until it or a file it depends on changes). */
  diagnose(path: string, token: CancellationToken = noCancellation): Diagnostic[] {
    // Keys are normal paths: one that is found as given needs no normalising (performance only).
    const hit = this.diagCache.get(path);
    if (hit) return hit;
    const p = normalizePath(path);
    const cached = this.diagCache.get(p);
    if (cached) return cached;
    throwIfCancelled(token);
    const out = this.runRules(p);
    this.diagCache.set(p, out);
    return out;
  }

  /**
   * The scan's problems (files and folders it could not read, link loops, broken links): `unreadable-file` warnings;
   * and the built-in layouts' names the workspace writes in another case (layout-case.ts).
   */
  scanDiagnostics(): Diagnostic[] {
    const out: Diagnostic[] = this.scan.problems.map((pr) => ({
      file: pr.path,
      range: range(0, 0, 0, 0),
      severity: 'warning',
      code: 'unreadable-file',
      message: pr.message,
    }));
    // The built-in layouts' names in another case, as warnings of their rules (unless the rule is off, or set otherwise).
    for (const p of this.caseProblems) {
      const setting = this.ruleSetting(p.code);
      if (setting !== 'off') out.push({ file: p.file, range: range(0, 0, 0, 0), severity: setting ?? 'warning', code: p.code, message: p.message });
    }
    return out;
  }

  /** The scan's diagnostics (`scanDiagnostics`) at `path`. */
  scanDiagnosticsOf(path: string): Diagnostic[] {
    const p = normalizePath(path);
    if (!this.caseProblems.some((c) => c.file === p) && !this.scan.problems.some((pr) => pr.path === p)) return [];
    return this.scanDiagnostics().filter((d) => d.file === p);
  }

  /**
   * The file or folder of the scan that `path`, or a folder of it below the workspace folder, is in another case,
   * where that one is not there as written (`wanted`): `Workstreams` for `…/workstreams/Build/Phase_1/implementation_prompt.md`,
   * `01-input_handoff.md` for `…/01-INPUT_HANDOFF.md`. Names match case-sensitively on every system: creating `wanted`
   * would make a sibling differing only in case (Linux), or write into the other one (Windows, macOS).
   */
  inOtherCase(path: string): { existing: string; wanted: string; folder: boolean } | undefined {
    const p = normalizePath(path);
    if (p === this.root || !isInside(this.root, p)) return undefined;
    let at = this.root;
    for (const part of relativePath(this.root, p).split('/')) {
      const wanted = joinPath(at, part);
      if (this.exists(wanted)) {
        at = wanted;
        continue;
      }
      const other = this.otherCases(wanted)[0];
      return other === undefined ? undefined : { existing: other, wanted, folder: this.scan.dirs.has(other) };
    }
    return undefined;
  }

  /** Folders of the scan named as `path` is in another case (not `path` itself): `03-findings` for `…/03-FINDINGS`. */
  foldersInOtherCase(path: string): string[] {
    return this.otherCases(normalizePath(path)).filter((d) => this.scan.dirs.has(d));
  }

  /**
   * The names that differ only in case in one folder (files, folders, or both) that are told at `path` (`case-conflict`,
   * rules/doc-case.ts), each once: a checked document among them tells them at itself (each such one); any other, in a
   * phase (a findings or artifacts folder or file), at the phase's anchor, the document that tells the phase's own
   * problems; one of folders holding phases or project plans (`workstreams/Build/` and `workstreams/build/`, `phase-1/`
   * and `Phase-1/`), at the anchor of the first of those phases in path order (or at the first plan); any other in a
   * folder that holds phases or workstreams but the workspace folder (`workstreams/Build/notes/` and `Notes/`), at the
   * anchor of its first phase. Not told: what a layout-case warning tells (`03-Findings/` beside `03-FINDINGS/`; those
   * left, if two or more), what a phase's missing-document or missing-folder problem tells (two files in another case
   * of a required document, and none as named), and names outside what the engine checks (the workspace folder's own,
   * those deeper in a folder that holds no phase). A folder's names within two such folders (`Build/a.md`,
   * `build/A.md`) are told by the folders'.
   */
  caseConflictsAt(path: string): readonly CaseConflict[] {
    this.lowerCaseIndex();
    if (!this.lowerCaseCollisions.size) return NO_CONFLICTS;
    const at = (this.caseConflictsByPath ??= this.findCaseConflicts());
    return at.get(path) ?? at.get(normalizePath(path)) ?? NO_CONFLICTS;
  }

  /** Every name told by `caseConflictsAt`, by the path it is told at. One pass over the paths that differ only in case. */
  private findCaseConflicts(): Map<string, CaseConflict[]> {
    const index = this.lowerCaseIndex();
    const out = new Map<string, CaseConflict[]>();
    const add = (at: string, c: CaseConflict) => {
      const list = out.get(at);
      if (list) list.push(c);
      else out.set(at, [c]);
    };
    const told = new Set(this.caseProblems.map((p) => p.file));
    /** The phases' folders and the plans, sorted: where a conflict of folders holding them is told (built when first needed). */
    let carriers: string[] | undefined;
    let layoutFolders: Set<string> | undefined;
    for (const key of [...this.lowerCaseCollisions].sort()) {
      const bySibling = new Map<string, string[]>();
      for (const p of index.get(key) ?? []) {
        const d = dirname(p);
        const list = bySibling.get(d);
        if (list) list.push(p);
        else bySibling.set(d, [p]);
      }
      for (const d of [...bySibling.keys()].sort()) {
        const paths = bySibling
          .get(d)!
          .filter((p) => !told.has(p))
          .sort();
        if (paths.length < 2) continue;
        const folders = paths.filter((p) => this.scan.dirs.has(p));
        if (this.toldAsLayoutName(paths, folders.length)) continue;
        const checked = paths.filter((p) => !this.scan.dirs.has(p) && this.isChecked(p));
        if (checked.length) {
          for (const c of checked) add(c, { paths: [c, ...paths.filter((p) => p !== c)], folders, own: true });
          continue;
        }
        const phase = phaseOf(this.model, paths[0]);
        if (phase) {
          add(this.phaseAnchor(phase), { paths, folders, own: false });
          continue;
        }
        // Folders outside the phases: told at the first phase (its anchor) or plan in them, if any.
        carriers ??= [...this.model.phases.map((p) => p.folder), ...this.model.plans.map((p) => p.path)].sort();
        let first: string | undefined;
        for (const f of folders) {
          // The folder itself a phase, else the first of the carriers below it (those in it are together, after `f/`).
          const inside = f + '/';
          let c: string | undefined = this.model.byFolder.has(f) ? f : carriers[lowerBound(carriers, (x) => x < inside)];
          if (c !== undefined && c !== f && !c.startsWith(inside)) c = undefined;
          if (c !== undefined && (first === undefined || c < first)) first = c;
        }
        // Else names in a folder that holds phases, or workstreams (`workstreams/Build/notes/` and `Notes/`, `sprints/README.md`
        // and `Readme.md`), but the workspace folder: told at its first phase.
        if (first === undefined && d !== this.model.root) {
          layoutFolders ??= this.layoutFolders();
          if (layoutFolders.has(d)) {
            const inside = d + '/';
            const c = carriers[lowerBound(carriers, (x) => x < inside)];
            if (c !== undefined && c.startsWith(inside)) first = c;
          }
        }
        if (first === undefined) continue;
        const carrier = this.model.byFolder.get(first);
        add(carrier ? this.phaseAnchor(carrier) : first, { paths, folders, own: false });
      }
    }
    return out;
  }

  /**
   * The folders the layouts put phases in (`sprints/`, `workstreams/Build/`) and, for workstreams, the folder holding
   * them (`workstreams/`): the names in them are Phasegate's too (see findCaseConflicts).
   */
  private layoutFolders(): Set<string> {
    const out = new Set<string>();
    for (const p of this.model.phases) {
      const d = dirname(p.folder);
      out.add(d);
      if (p.workstream !== undefined) out.add(dirname(d));
    }
    return out;
  }

  /**
   * Whether `paths` (sorted, of one folder; `folders` of them folders) are told by their phase's missing-document or
   * missing-folder problem (rules/structure.ts): all files named as a required document is in another case, or all
   * folders named as a required folder is, and none named as it is.
   */
  private toldAsLayoutName(paths: readonly string[], folders: number): boolean {
    const phase = phaseOf(this.model, paths[0]);
    if (!phase || phase.unreadable || (folders && folders !== paths.length)) return false;
    const lower = paths[0].toLowerCase();
    if (!folders) return phase.documents.some((d) => d.spec.required && !this.exists(d.path) && d.path.toLowerCase() === lower);
    return phase.layout.folders.some((f) => {
      const folder = joinPath(phase.folder, f.name);
      return f.required && !this.exists(folder) && folder.toLowerCase() === lower;
    });
  }

  /** The scan's files and folders beside `path` (a normal path) named as it is in another case, sorted. */
  private otherCases(path: string): string[] {
    const at = dirname(path);
    return (this.lowerCaseIndex().get(path.toLowerCase()) ?? []).filter((d) => d !== path && dirname(d) === at).sort();
  }

  /** The files of the scan in folder `dir` (not in its subfolders). */
  filesIn(dir: string): readonly string[] {
    return this.fileNameIndex().byFolder.get(normalizePath(dir)) ?? [];
  }

  /** The files of the scan named `name`, in any case, wherever they are. */
  filesNamed(name: string): readonly string[] {
    return this.fileNameIndex().byName.get(name.toLowerCase()) ?? [];
  }

  private fileNameIndex(): { byFolder: Map<string, string[]>; byName: Map<string, string[]> } {
    const kept = this.fileNames;
    if (kept && kept.scan === this.scan && kept.revision === this.revision && kept.size === this.scan.files.size) return kept;
    const byFolder = new Map<string, string[]>();
    const byName = new Map<string, string[]>();
    const add = (index: Map<string, string[]>, key: string, f: string) => {
      const list = index.get(key);
      if (list) list.push(f);
      else index.set(key, [f]);
    };
    for (const f of this.scan.files) {
      add(byFolder, dirname(f), f);
      add(byName, basename(f).toLowerCase(), f);
    }
    this.fileNames = { scan: this.scan, revision: this.revision, size: this.scan.files.size, byFolder, byName };
    return this.fileNames;
  }

  /** `pathsByLowerCase`, built when first asked for (with `lowerCaseCollisions`): one pass over the scan. */
  private lowerCaseIndex(): Map<string, string[]> {
    if (this.pathsByLowerCase) return this.pathsByLowerCase;
    const index = new Map<string, string[]>();
    const collisions = new Set<string>();
    for (const set of [this.scan.dirs, this.scan.files])
      for (const d of set) {
        const key = d.toLowerCase();
        const list = index.get(key);
        if (list) {
          list.push(d);
          collisions.add(key);
        } else index.set(key, [d]);
      }
    this.lowerCaseCollisions = collisions;
    return (this.pathsByLowerCase = index);
  }

  /** Every path `diagnose` reports on: the checked files, and the folder of each phase without a document. */
  diagnosedPaths(): string[] {
    const out = this.checkedFiles();
    for (const phase of this.model.phases) if (phase.markdown.length === 0) out.push(phase.folder);
    return out;
  }

  /** Whether `path` (normal) is one of `diagnosedPaths()`, without listing them. */
  diagnoses(path: string): boolean {
    if (this.model.plans.some((pl) => pl.path === path)) return true;
    const phase = this.model.byFolder.get(path) ?? phaseOf(this.model, path);
    if (!phase) return false;
    return phase.markdown.length ? phase.markdown.includes(path) : path === phase.folder;
  }

  /** Diagnostics of every checked file, plus config and scan problems. */
  diagnoseAll(token: CancellationToken = noCancellation): Diagnostic[] {
    const out: Diagnostic[] = [...this.config.problems, ...this.scanDiagnostics()];
    // Appended one by one: spreading a file's diagnostics into push() overflows the stack past ~100,000.
    const append = (ds: Diagnostic[]) => {
      for (let i = 0; i < ds.length; i++) out.push(ds[i]);
    };
    for (const f of this.diagnosedPaths()) {
      throwIfCancelled(token);
      append(this.diagnose(f, token));
    }
    return out;
  }

  /**
   * Diagnoses the files of `phases` and evaluates their gates, phase by phase, calling `visit` while
   * the phase's documents are parsed. A phase's parsed models are dropped once it is done, but for
   * its output handoff, which the next phase's handoff check reads, dropped when that phase is done:
   * a batch run holds the models of a few phases at a time (a batch, see `checkBatch`), not every
   * model of the workspace (performance only: the results stay cached, and a dropped model is parsed
   * again from the kept text if anything asks for it).
   */
  checkPhases(phases: readonly Phase[] = this.model.phases, visit?: (phase: Phase) => void): void {
    const done = new Set<Phase>();
    const release = (p: Phase, keep: string | undefined) => {
      for (const f of p.markdown) if (f !== keep) this.dropParsed(f);
    };
    let parsedTo = 0;
    for (let pi = 0; pi < phases.length; pi++) {
      const p = phases[pi];
      // The next phases are checked together, a batch at a time (about 0.1 s less at N = 1,000).
      if (pi >= parsedTo) parsedTo = pi + this.checkBatch(phases, pi);
      for (const f of phaseFiles(p)) this.diagnose(f);
      this.gates(p);
      visit?.(p);
      done.add(p);
      if (p.prev && done.has(p.prev)) release(p.prev, undefined);
      release(p, p.next && !done.has(p.next) ? phaseDocument(p, OUTPUT_HANDOFF)?.path : undefined);
    }
  }

  /**
   * Diagnoses the files of one batch of phases from `phases[from]` on (at most BATCH_PHASES phases
   * and, beyond the first phase, BATCH_FILES files). Their documents are parsed together, then each
   * rule runs over all of them before the next (performance only: the parser's and each rule's code
   * stay hot over the batch). The results are cached as `diagnose` caches them, and the models are
   * kept as any other (the most recent `MAX_PARSED`). Returns how many phases the batch took (at
   * least one, unless `from` is past the end).
   */
  checkBatch(phases: readonly Phase[], from = 0): number {
    const { files, count } = batchOf(phases, from);
    // Only files not diagnosed yet are parsed: over a checked workspace (the server's workspace
    // diagnostics after an edit) a batch parses what the edit made stale, not every dropped model.
    this.parseMany(files.filter((f) => !this.diagCache.has(f)));
    this.diagnoseMany(files);
    return count;
  }

  /**
   * `checkBatch` for a host that must stay responsive while a large workspace is checked (the language
   * server's phase tree and workspace diagnostics): `pause` is awaited after every `sliceMs` of work, within
   * the batch's parsing and between its rules' runs over its files. A change the engine takes meanwhile (its
   * revision or model changed) ends the batch there: what it had diagnosed before stands (the change dropped
   * what it made stale), the rest is diagnosed when asked for. Returns how many phases the batch took.
   */
  async checkBatchInSlices(phases: readonly Phase[], from: number, pause: () => Promise<void>, sliceMs = SYNC_SLICE_MS): Promise<number> {
    const { files, count } = batchOf(phases, from);
    const slices = slicer(pause, sliceMs);
    await this.stepsWhileSame(this.batchSteps(files, slices.due), slices, this.sameAsNow());
    return count;
  }

  /** Whether the engine is still as it is now: no change taken (its revision and model the same). */
  private sameAsNow(): () => boolean {
    const revision = this.revision;
    const model = this.model;
    return () => this.revision === revision && this.model === model;
  }

  /**
   * Runs `steps`, letting the host run (`slices.breathe`) where they stop; a change the engine took meanwhile
   * (`same` false) ends them there. Whether they ran to their end.
   */
  private async stepsWhileSame(steps: Generator<void, void, void>, slices: Slicer, same: () => boolean): Promise<boolean> {
    for (let r = steps.next(); !r.done; r = steps.next()) {
      await slices.breathe();
      if (!same()) {
        steps.return();
        return false;
      }
    }
    return true;
  }

  /** The work of a batch (`checkBatch`), in steps: it stops (yields) where `due()` says its slice is spent. */
  private *batchSteps(files: readonly string[], due: () => boolean): Generator<void, void, void> {
    yield* this.parseSteps(
      files.filter((f) => !this.diagCache.has(f)),
      due,
    );
    yield* this.diagnoseSteps(files, due);
  }

  /** The file that carries a phase's phase-level diagnostics. */
  phaseAnchor(phase: Phase): string {
    const doc = phase.documents.find((d) => d.exists);
    return doc ? doc.path : (phase.markdown[0] ?? phase.folder);
  }

  /**
   * The problems of a file as if it had no `phasegate-disable…` directive (not cached: for the editor's
   * help on directives, which ranks the rules reported on the lines a directive covers).
   */
  diagnoseWithoutDirectives(path: string): Diagnostic[] {
    const ctx = this.contextFor(normalizePath(path), true);
    if (Array.isArray(ctx)) return ctx;
    for (let i = 0; i < ALL_RULES.length; i++) this.runRule(ALL_RULES[i], ctx);
    return ctx.out;
  }

  /** A file's check context, or its diagnostics when no rule runs on it (unreadable, or not a document). */
  private contextFor(path: string, ignoreDirectives = false): CheckContext | Diagnostic[] {
    const entry = this.docs.get(path);
    const folderPhase = this.model.byFolder.get(path);
    const { phase, spec } = folderPhase ? { phase: folderPhase, spec: undefined } : kindOf(this.model, path);
    const isFolder = folderPhase !== undefined;
    // Only Markdown is checked: an editor may ask for any file it has open (a nested project's phasegate.yaml).
    if (!isFolder && !/\.(md|markdown)$/i.test(path)) return [];
    const layout: LayoutSpec | undefined = phase?.layout;
    // Custom layouts carry their own thresholds; the built-in ones take the config's (defaults merged in). Of
    // those, the phase's own: an entry scoped to other phases is not in force here.
    const metrics: MetricSpec[] = metricsInForce(layout?.phaseGlobs && layout.metrics.length ? layout.metrics : this.config.metrics, phase?.number);
    const anchor = !!phase && this.phaseAnchor(phase) === path;
    if (!isFolder && entry?.problem) {
      const unreadable: Diagnostic = {
        file: path,
        range: range(0, 0, 0, 0),
        severity: 'error',
        code: 'unreadable-file',
        message: `Cannot check this file: ${entry.problem}`,
      };
      if (!anchor) {
        // Its own names in another case are still told at it (case-conflict needs no text): the other rules read none.
        if (!this.caseConflictsAt(path).length) return [unreadable];
        const own = new CheckContext(this, path, EMPTY_DOC, undefined, phase, layout, this.model, this.config, metrics, false, ignoreDirectives);
        own.out.push(unreadable);
        this.runRule(caseConflictRule, own);
        return own.result();
      }
      // The phase's own problems (a missing document or folder, its number) are its first document's: an
      // unreadable one still carries them, as a phase folder without documents does (status names them too).
      const ctx = new CheckContext(this, path, EMPTY_DOC, undefined, phase, layout, this.model, this.config, metrics, true, ignoreDirectives);
      ctx.out.push(unreadable);
      return ctx;
    }
    // `getDocument(path)`, the entry already found (performance only).
    const doc = isFolder ? EMPTY_DOC : entry ? this.parsedOf(path, entry) : this.getDocument(path);
    if (!doc) return [];
    return new CheckContext(this, path, doc, spec, phase, layout, this.model, this.config, metrics, anchor, ignoreDirectives);
  }

  private runRule(rule: Rule, ctx: CheckContext): void {
    // A document too large for the Markdown model is checked by the rules that need none of it.
    if (!ctx.doc.modelled && !rule.withoutModel) return;
    try {
      rule.check(ctx);
    } catch (e) {
      this.logger.log(`rule ${rule.ids.join(',')} failed on ${ctx.path}: ${(e as Error).stack ?? e}`);
    }
  }

  private runRules(path: string): Diagnostic[] {
    const ctx = this.contextFor(path);
    if (Array.isArray(ctx)) return ctx;
    for (let i = 0; i < ALL_RULES.length; i++) this.runRule(ALL_RULES[i], ctx);
    return ctx.result();
  }

  /**
   * Diagnoses `paths` as `diagnose` would one by one, but rule by rule: each rule runs over all of
   * them before the next (performance only: a rule's code stays hot over a batch of documents). A
   * file that a rule had diagnosed meanwhile (through another file's check) keeps that result.
   */
  private diagnoseMany(paths: readonly string[]): void {
    atOnce(this.diagnoseSteps(paths, undefined));
  }

  /** `diagnoseMany` in steps: given `due`, it stops (yields) between two rules' runs over the batch where it says the slice is spent. */
  private *diagnoseSteps(paths: readonly string[], due: (() => boolean) | undefined): Generator<void, void, void> {
    const batch: CheckContext[] = [];
    for (const path of paths) {
      if (this.diagCache.has(path)) continue;
      const p = normalizePath(path);
      if (this.diagCache.has(p)) continue;
      const c = this.contextFor(p);
      if (Array.isArray(c)) this.diagCache.set(p, c);
      else batch.push(c);
    }
    // Whether a file of the batch was diagnosed meanwhile is asked only once the cache has grown, which is all
    // it does while rules run (performance only: not one look-up per rule and file).
    let live = batch;
    let known = this.diagCache.size;
    let r = 0;
    for (; r < ALL_RULES.length && !ALL_RULES[r].readsGates; r++) {
      if (due?.()) yield;
      this.runOver(ALL_RULES[r], live, known);
      if (this.diagCache.size !== known) {
        live = live.filter((c) => !this.diagCache.has(c.path));
        known = this.diagCache.size;
      }
    }
    // The rules that read other phases' gates (they come last), file by file: a phase's gates read its
    // files' results, kept as each file is done, so that the next phase's input handoff, asking for
    // them, does not check that phase's files again.
    for (const ctx of batch) {
      if (due?.()) yield;
      if (this.diagCache.has(ctx.path)) continue;
      for (let i = r; i < ALL_RULES.length; i++) this.runRule(ALL_RULES[i], ctx);
      this.diagCache.set(ctx.path, ctx.result());
    }
  }

  /**
   * Runs `rule` over the contexts of `live` whose files were not diagnosed meanwhile (while the cache holds `known`
   * results, none was). A plain loop, outside the steps of `diagnoseSteps` (performance only: the rules' runs are
   * the hot loop of a check, and a generator's body is compiled less well).
   */
  private runOver(rule: Rule, live: readonly CheckContext[], known: number): void {
    for (const ctx of live) if (this.diagCache.size === known || !this.diagCache.has(ctx.path)) this.runRule(rule, ctx);
  }

  /** The severity a rule reports at (or `off`): the host's override, else the config's; undefined for the rule's default. */
  ruleSetting(code: string): RuleSetting | undefined {
    return this.ruleOverrides[code] ?? this.config.rules[code];
  }

  /**
   * Sets the host's rule severities over the config's (the editor's `phasegate.rules` setting), so
   * that diagnostics and the gates and statuses that count them agree. Every cached result is
   * stale when they change; returns whether they did.
   */
  setRuleOverrides(rules: Readonly<Record<string, RuleSetting>>): boolean {
    const keys = Object.keys(rules);
    const old = this.ruleOverrides;
    if (keys.length === Object.keys(old).length && keys.every((k) => old[k] === rules[k])) return false;
    this.ruleOverrides = { ...rules };
    this.revision++;
    this.diagCache.clear();
    this.gateCache.clear();
    this.changedAll();
    return true;
  }

  /**
   * The project plans' check prepared in slices, for a host that must stay responsive (the language server's
   * workspace diagnostics): the plan rule's work that grows with the project (`planSteps`: which phases each row
   * and item names) is done ahead, `pause` awaited after every `sliceMs` of it, and the rule finds it done when the
   * plan is diagnosed. The results are the same. A change the engine takes meanwhile (its revision or model changed)
   * ends it: the rest is done when the plan is diagnosed.
   */
  async preparePlansInSlices(pause: () => Promise<void>, sliceMs = SYNC_SLICE_MS): Promise<void> {
    const model = this.model;
    const same = this.sameAsNow();
    // One slice for all the plans: a plan's work (its parse, its phases, its look-ups) counts in the slice the
    // next one goes on with, and the host is let run between two plans once it is spent (several small plans,
    // none of which stops on its own, are not done in one piece).
    const slices = slicer(pause, sliceMs);
    for (const [i, plan] of model.plans.entries()) {
      if (i > 0 && slices.due()) {
        await slices.breathe();
        if (!same()) return;
      }
      if (this.diagCache.has(plan.path)) continue;
      const doc = this.getDocument(plan.path);
      if (!doc?.modelled) continue;
      if (!(await this.stepsWhileSame(planSteps(model, plan.path, doc, slices.due), slices, same))) return;
    }
  }

  /**
   * Whether a phase is checked: each file it is diagnosed by (its Markdown files, or its folder when it has none)
   * diagnosed and its gates evaluated, the results cached (`diagnose` and `gates` answer them without work). A
   * query that checks nothing (a few lookups), for a host that shows the phases before every one is checked.
   */
  phaseChecked(phase: Phase): boolean {
    if (!this.gateCache.has(phase)) return false;
    for (const f of phaseFiles(phase)) if (!this.diagCache.has(f)) return false;
    return true;
  }

  /** Gate results of a phase. */
  gates(phase: Phase): GateResult[] {
    let g = this.gateCache.get(phase);
    if (g) return g;
    // A phase's gates read its input handoff's diagnostics, whose unvalidated-handoff check asks for
    // the previous phase's gates, and so on back along the chain: the previous phases whose gates
    // that would evaluate are evaluated first, the earliest first, so that each asks only for gates
    // known by then (a chain of 2,000 phases would otherwise recurse 2,000 deep).
    const chain: Phase[] = [];
    for (let q = this.gatesAsked(phase); q; q = this.gatesAsked(q)) chain.push(q);
    for (let i = chain.length - 1; i >= 0; i--) {
      if (!this.gateCache.has(chain[i])) this.gateCache.set(chain[i], evaluateGates(this, chain[i]));
    }
    g = evaluateGates(this, phase);
    this.gateCache.set(phase, g);
    return g;
  }

  /**
   * The previous phase, when evaluating `phase`'s gates would ask for its gates and they are not known:
   * its input handoff is not diagnosed yet, and its unvalidated-handoff check runs.
   */
  private gatesAsked(phase: Phase): Phase | undefined {
    const prev = phase.prev;
    if (!prev || this.gateCache.has(prev) || this.ruleSetting(UNVALIDATED_HANDOFF) === 'off') return undefined;
    const input = phaseDocument(phase, INPUT_HANDOFF);
    return input?.exists && !this.diagCache.has(input.path) ? prev : undefined;
  }

  status(phase: Phase): PhaseStatus {
    return phaseStatus(this, phase, this.gates(phase));
  }

  /** Diagnostics of every file of a phase (the folder's own included). */
  phaseDiagnostics(phase: Phase): Diagnostic[] {
    return phaseFiles(phase).flatMap((f) => this.diagnose(f));
  }

  findPhase(idOrFolder: string): Phase | undefined {
    return this.model.phases.find((p) => p.id === idOrFolder || p.folder === normalizePath(idOrFolder));
  }
}

function tooLarge(size: number): string {
  return `file is too large to check (${size} bytes; limit ${MAX_DOCUMENT_BYTES})`;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Decodes UTF-8 text; throws a clear error for binary or non-UTF-8 content. */
export function decode(bytes: Uint8Array): string {
  const head = bytes.subarray(0, 8192);
  if (head.includes(0)) throw new Error('binary content (NUL bytes)');
  try {
    return utf8.decode(bytes);
  } catch {
    throw new Error('not valid UTF-8 text');
  }
}

/**
 * The config's problems with `found` in place of `before` (problems a check of its own added earlier), as a new
 * list (the language server tells a changed report by its list); undefined when that changes nothing (the same
 * ranges and messages still there).
 */
function replaceProblems(problems: readonly Diagnostic[], before: readonly Diagnostic[], found: Diagnostic[]): Diagnostic[] | undefined {
  const key = (list: readonly Diagnostic[]) => list.map((d) => `${d.range.start.line}:${d.range.start.character} ${d.message}`).join('\n');
  if (key(before) === key(found) && before.every((d) => problems.includes(d))) return undefined;
  return [...problems.filter((d) => !before.includes(d)), ...found];
}
