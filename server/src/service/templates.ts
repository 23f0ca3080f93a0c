/**
 * Template rendering: the built-in Handlebars templates (templates/<name>.md.hbs, handed in
 * by the host as assets) and, in a trusted workspace only, overrides of them read from
 * `.phasegate/templates/` (or the folder named by `templates:` in phasegate.yaml).
 *
 * Templates are data, not code: they get our few helpers and nothing else (no helpers or
 * partials from the workspace, no prototype access, no `log` to stdout, which is the LSP
 * stream in the language server).
 */
import type Handlebars from 'handlebars';
import type { PhasegateService } from './service';
import type { DocumentKindSpec, GateSpec, LayoutSpec, MetricSpec, SectionSpec } from './layout';
import {
  AUDIT_LAYOUT,
  DEFAULT_METRICS,
  FINDING_KIND,
  IAI_LAYOUT,
  PLAN_KIND,
  expandTitle,
  fixedHeading,
  kindHeading,
  titlePrefix,
  writtenTitle,
} from './layout';
import { metricsInForce } from './metric-scope';
import { basename, dirname, isInside, joinPath, normalizePath, relativePath } from './host';
import { headingText, headingTextStart, normalizeTitle, sectionByTitle } from './markdown';
import { parseFlatFrontMatter } from './frontmatter-fast';
import { scanTitle } from './title-scan';
import type { Heading, ParsedDocument } from './markdown';
import { expandedTitleKey, kindSections } from './rules/doc-util';
import { deliverablesOf } from './rules/phase-deliverables';
import {
  answeredQuestion,
  copyItem,
  copyRow,
  handoffItems,
  itemsAndRows,
  linkDestination,
  meaningfulItem,
  pathBases,
  prerequisitesOf,
  rowAsItem,
  topItems,
} from './handoff';
import { escapeCell } from './plan-row';
import { asksQuestion, rowAsQuestion } from './fixes/handoff-table';
import type { Phase } from './workspace';
import { replaceCodeSpans } from './text-scan';

/** A template that does not compile or render, named by its file and line. */
export class TemplateError extends Error {
  constructor(
    /** The template file: a workspace path, or `templates/<name>.md.hbs` for a built-in one. */
    readonly file: string,
    /** 1-based line of the error, when Handlebars tells it. */
    readonly line: number | undefined,
    readonly reason: string,
  ) {
    super(`Template ${file}${line !== undefined ? `, line ${line}` : ''}: ${reason}`);
    this.name = 'TemplateError';
  }
}

// ---------------------------------------------------------------------------------------------
// The Handlebars environment: isolated from the global one, with our helpers only.

const HELPERS: Record<string, (...args: unknown[]) => unknown> = {
  /** `{{add a b}}`: sum of two numbers (empty when either is not one). */
  add: (a, b) => (typeof a === 'number' && typeof b === 'number' ? a + b : ''),
  /** `{{pad n 2}}`: `n` left-padded with zeros to the width. */
  pad: (n, w) => (n === undefined || n === null ? '' : String(n).padStart(typeof w === 'number' ? Math.min(w, 20) : 2, '0')),
  /** `{{#if (eq a b)}}`. */
  eq: (a, b) => a === b,
  /** `{{quote s}}`: a double-quoted YAML (JSON) string, for front matter. */
  quote: (s) => JSON.stringify(s === undefined || s === null ? '' : String(s)),
  /** `{{concat "Phase " phase.number}}`: its arguments as one string. */
  concat: (...args) =>
    args
      .slice(0, -1)
      .map((a) => (a === undefined || a === null ? '' : String(a)))
      .join(''),
  /** `{{join list ", "}}`. */
  join: (list, sep) => (Array.isArray(list) ? list.map(String).join(typeof sep === 'string' ? sep : ', ') : ''),
  // Replaces the built-in `log`, which writes to the console (stdout is the protocol in the server).
  log: () => '',
};
let environment: typeof Handlebars | undefined;

/** The helpers Handlebars brings: kept (knownHelpersOnly lets templates call them), but metered like ours. */
const BUILTIN_HELPERS = ['each', 'with', 'if', 'unless', 'lookup', 'blockHelperMissing', 'helperMissing'];

/**
 * The environment, made on first use: a check that renders no template never loads Handlebars
 * (its code is a few milliseconds of every start otherwise). Every helper, Handlebars' own
 * included, is metered (see RenderBudget).
 */
function handlebars(): typeof Handlebars {
  if (!environment) {
    const hb = (require('handlebars') as typeof Handlebars).create();
    for (const name of BUILTIN_HELPERS) {
      const fn = hb.helpers[name] as ((...args: unknown[]) => unknown) | undefined;
      if (fn) hb.registerHelper(name, meteredHelper(fn) as Handlebars.HelperDelegate);
    }
    for (const [name, fn] of Object.entries(HELPERS)) hb.registerHelper(name, meteredHelper(fn) as Handlebars.HelperDelegate);
    // Proto-access denials are reported through the (shared) Handlebars logger on the console:
    // silence it; denial is the expected outcome, not news.
    hb.logger.level = 4;
    environment = hb;
  }
  return environment;
}

// ---------------------------------------------------------------------------------------------
// The work of a render is bounded. Without partials a template cannot recurse, but nested
// `{{#each}}` blocks multiply (12 blocks over the 6 documents of the audit layout are 6^12 runs
// of the innermost one): every run of a block body and every helper call spends from the render's
// budget, and a render that runs out stops with a TemplateError instead of holding the thread.
// The metering wraps the compiled template's own programs (whatever helper or hook runs them:
// each, with, if, unless, `{{#path}}` blocks over lists, lookup subexpressions) and every helper.

/** Most steps a render may take: a run of a block body costs 1 + its compiled size / RENDER_STEP_CHARS, a helper call 1. */
export const MAX_RENDER_STEPS = 1_000_000;
/** Characters of compiled code a step stands for. */
const RENDER_STEP_CHARS = 100;
/**
 * Most characters a render may produce, counted over the results of its block bodies and helpers
 * (text nested N blocks deep counts N times): the largest document a check reads.
 */
export const MAX_RENDER_CHARS = 16 * 1024 * 1024;
/** Deepest nesting of blocks in a template (an `{{else if}}` chain is one level). */
export const MAX_BLOCK_DEPTH = 10;
/**
 * Deepest nesting the parser is given, counted on the source's tags before parsing: open blocks
 * plus the `{{else if}}`s chained in them. Handlebars' parse time grows with its square (4,000
 * nested blocks take seconds, 15,000 minutes) and its tree walk overflows the stack near 2,000.
 */
const MAX_PARSE_DEPTH = 100;

/** What a render has spent so far, and the line of the block or helper it is in. */
interface RenderBudget {
  steps: number;
  chars: number;
  line: number | undefined;
}

/** The budget of the render in progress (renders are synchronous and do not nest). */
let budget: RenderBudget | undefined;
/** What the last render spent. */
let lastSpent: { steps: number; chars: number } = { steps: 0, chars: 0 };

/** Steps and characters the last render spent (finished or stopped): for tests and measurements. */
export function lastRenderSpent(): { steps: number; chars: number } {
  return { ...lastSpent };
}

/** The TemplateErrors of renders that ran out of budget. */
const outOfBudget = new WeakSet<TemplateError>();

/** Thrown inside a render that ran out of budget; the render reports it as a TemplateError. */
class BudgetExceeded extends Error {
  constructor(
    readonly line: number | undefined,
    readonly reason: string,
  ) {
    super(reason);
  }
}

function spend(b: RenderBudget, steps: number, result: unknown): void {
  b.steps += steps;
  if (typeof result === 'string') b.chars += result.length;
  if (b.steps > MAX_RENDER_STEPS) {
    throw new BudgetExceeded(
      b.line,
      `rendering stopped after ${MAX_RENDER_STEPS.toLocaleString('en')} steps (a step is a run of a block body or a helper call; nested {{#each}} blocks multiply them)`,
    );
  }
  if (b.chars > MAX_RENDER_CHARS) {
    throw new BudgetExceeded(b.line, `rendering stopped: the template produces more than ${MAX_RENDER_CHARS / (1024 * 1024)} MB of text`);
  }
}

/** A helper that spends a step (and its result's length) per call, and names its line if the budget runs out inside it. */
function meteredHelper(fn: (...args: unknown[]) => unknown): (...args: unknown[]) => unknown {
  return function (this: unknown, ...args: unknown[]): unknown {
    const b = budget;
    if (!b) return fn.apply(this, args);
    const options = args[args.length - 1] as { loc?: { start?: { line?: number } } } | undefined;
    const outer = b.line;
    b.line = options?.loc?.start?.line ?? outer;
    try {
      const result = fn.apply(this, args);
      spend(b, 1, result);
      return result;
    } finally {
      b.line = outer;
    }
  };
}

/** A compiled program (the template's main one or a block body) that spends `steps` per run, and its result's length. */
function meteredProgram(fn: (...args: unknown[]) => unknown, steps: number): (...args: unknown[]) => unknown {
  return function (this: unknown, ...args: unknown[]): unknown {
    const b = budget;
    if (b) spend(b, steps, undefined);
    const result = fn.apply(this, args);
    if (b) spend(b, 0, result);
    return result;
  };
}

const COMPILE_OPTIONS: CompileOptions = {
  noEscape: true,
  strict: false,
  knownHelpersOnly: true,
  knownHelpers: Object.fromEntries(Object.keys(HELPERS).map((k) => [k, true])),
};
type CompileOptions = Parameters<typeof Handlebars.compile>[1];
type TemplateSpecification = Parameters<typeof Handlebars.template>[0];
const RUNTIME_OPTIONS: Handlebars.RuntimeOptions = {
  allowProtoPropertiesByDefault: false,
  allowProtoMethodsByDefault: false,
  allowedProtoProperties: {},
  allowedProtoMethods: {},
  partials: {},
};

/** Largest workspace template read, in bytes. */
export const MAX_TEMPLATE_BYTES = 256 * 1024;

type Compiled = (context: unknown) => string;

/** 1-based line and a one-line reason from a Handlebars exception. */
function describe(e: unknown): { line: number | undefined; reason: string } {
  const err = e as { message?: string; lineNumber?: number };
  const msg = String(err.message ?? e);
  const m = /^(?:Parse|Lexical) error on line (\d+)[:.]?\s*/.exec(msg);
  if (m) {
    // Jison's message: header, the source excerpt, a pointer line, then what it expected.
    const rest = msg.slice(m[0].length).split('\n');
    const reason = (rest.length >= 3 ? rest.slice(2) : rest).join(' ').trim() || 'syntax error';
    return { line: Number(m[1]), reason };
  }
  const loc = / - (\d+):(\d+)$/.exec(msg);
  return { line: err.lineNumber ?? (loc ? Number(loc[1]) : undefined), reason: loc ? msg.slice(0, loc.index) : msg };
}

interface AstNode {
  type?: string;
  loc?: { start: { line: number } };
  [k: string]: unknown;
}

/**
 * Partials and decorators would reach outside the template, blocks nested deeper than
 * MAX_BLOCK_DEPTH are no document's: refuse them up front.
 */
function checkAst(node: unknown, file: string, depth = 0): void {
  if (!node || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    node.forEach((n) => checkAst(n, file, depth));
    return;
  }
  const n = node as AstNode;
  if (n.type === 'PartialStatement' || n.type === 'PartialBlockStatement') {
    throw new TemplateError(file, n.loc?.start.line, 'partials are not supported in Phasegate templates');
  }
  if (n.type === 'Decorator' || n.type === 'DecoratorBlock') {
    throw new TemplateError(file, n.loc?.start.line, 'decorators (including inline partials) are not supported in Phasegate templates');
  }
  if (n.type === 'BlockStatement') {
    const inner = depth + 1;
    if (inner > MAX_BLOCK_DEPTH) throw new TemplateError(file, n.loc?.start.line, `blocks are nested more than ${MAX_BLOCK_DEPTH} deep`);
    for (const [k, v] of Object.entries(n)) {
      // The body of `{{else if …}}` is the chained block itself, at the level of the block it continues.
      if (k === 'program') checkAst(v, file, inner);
      else if (k === 'inverse') checkAst(v, file, (v as { chained?: boolean } | null)?.chained ? depth : inner);
      else if (k !== 'loc' && v && typeof v === 'object') checkAst(v, file, depth);
    }
    return;
  }
  for (const [k, v] of Object.entries(n)) if (k !== 'loc' && v && typeof v === 'object') checkAst(v, file, depth);
}

/** Handlebars' lexer (not in its type declarations): the parser's, whose tokens it names in `terminals_`. */
interface Lexer {
  setInput(input: string, yy: object): void;
  lex(): number | string;
  yylineno: number;
}

/**
 * Refuses, before Handlebars parses it, a source whose blocks or subexpressions nest deeper than
 * MAX_PARSE_DEPTH. Counted on the tokens of Handlebars' own lexer (linear), so what counts is what
 * the parser would see: tags in comments, raw blocks and escaped text do not.
 */
function checkNesting(hb: typeof Handlebars, source: string, file: string): void {
  const parser = (hb as unknown as { Parser: { lexer: Lexer; terminals_: Record<number, string> } }).Parser;
  const lexer = Object.create(parser.lexer) as Lexer;
  lexer.setInput(source, {});
  const open: number[] = [];
  let depth = 0;
  for (;;) {
    let token: string;
    try {
      const t = lexer.lex();
      token = typeof t === 'number' ? parser.terminals_[t] : t;
    } catch (e) {
      const d = describe(e);
      throw new TemplateError(file, d.line, d.reason);
    }
    if (token === 'EOF' || token === undefined) return;
    if (token === 'OPEN_BLOCK' || token === 'OPEN_INVERSE' || token === 'OPEN_PARTIAL_BLOCK' || token === 'OPEN_SEXPR') {
      open.push(1);
      depth++;
    } else if (token === 'OPEN_INVERSE_CHAIN' && open.length) {
      // `{{else if …}}`: one more block, nested in the one it continues.
      open[open.length - 1]++;
      depth++;
    } else if (token === 'OPEN_ENDBLOCK' || token === 'CLOSE_SEXPR') {
      depth -= open.pop() ?? 0;
    }
    if (depth > MAX_PARSE_DEPTH) {
      throw new TemplateError(file, lexer.yylineno + 1, `blocks, {{else …}} chains and subexpressions are nested more than ${MAX_PARSE_DEPTH} deep`);
    }
  }
}

/** The compilers of a Handlebars environment (not in its type declarations). */
interface Compilers {
  Compiler: new () => { compile(ast: hbs.AST.Program, options: CompileOptions): unknown };
  JavaScriptCompiler: new () => { compile(environment: unknown, options: CompileOptions, context: undefined, asObject: true): Record<string, unknown> };
}

/**
 * Compiles a template source; syntax errors, unknown helpers, partials, blocks nested too deep
 * → TemplateError naming `file`. Rendering it throws a TemplateError too, for a template that
 * fails at run time or runs out of its budget (MAX_RENDER_STEPS, MAX_RENDER_CHARS).
 */
export function compileTemplate(source: string, file: string): Compiled {
  const hb = handlebars();
  checkNesting(hb, source, file);
  let ast: hbs.AST.Program;
  try {
    ast = hb.parse(source);
  } catch (e) {
    const d = describe(e);
    throw new TemplateError(file, d.line, d.reason);
  }
  checkAst(ast, file);
  let template: Handlebars.TemplateDelegate;
  try {
    // What Handlebars.compile does on first use, done now (unknown helpers fail here, not at first
    // use) and on the template's spec, whose programs are then metered.
    const options: CompileOptions = { ...COMPILE_OPTIONS, data: true };
    const { Compiler, JavaScriptCompiler } = hb as unknown as Compilers;
    const spec = new JavaScriptCompiler().compile(new Compiler().compile(ast, options), options, undefined, true);
    for (const [k, v] of Object.entries(spec)) {
      if (typeof v === 'function') {
        const program = v as (...args: unknown[]) => unknown;
        spec[k] = meteredProgram(program, 1 + Math.floor(program.toString().length / RENDER_STEP_CHARS));
      }
    }
    template = hb.template(spec as unknown as TemplateSpecification);
  } catch (e) {
    const d = describe(e);
    throw new TemplateError(file, d.line, d.reason);
  }
  return (context) => {
    const outer = budget;
    const b: RenderBudget = (budget = { steps: 0, chars: 0, line: undefined });
    try {
      return template(context, RUNTIME_OPTIONS);
    } catch (e) {
      if (e instanceof BudgetExceeded) {
        const err = new TemplateError(file, e.line, e.reason);
        outOfBudget.add(err);
        throw err;
      }
      const d = describe(e);
      throw new TemplateError(file, d.line, d.reason);
    } finally {
      budget = outer;
      lastSpent = { steps: b.steps, chars: b.chars };
    }
  };
}

// ---------------------------------------------------------------------------------------------
// Built-in and workspace templates.

/**
 * Compiled built-in templates by name, then by source (assets may differ between engines). Looked up by the source
 * string itself, whose hash V8 keeps (a key made of name and source would be a new string to hash at each render).
 */
const builtinCache = new Map<string, Map<string, Compiled>>();

function builtin(svc: PhasegateService, name: string): Compiled | undefined {
  if (!Object.prototype.hasOwnProperty.call(svc.assets.templates, name)) return undefined;
  const source = svc.assets.templates[name];
  let bySource = builtinCache.get(name);
  if (!bySource) builtinCache.set(name, (bySource = new Map()));
  let c = bySource.get(source);
  if (!c) bySource.set(source, (c = compileTemplate(source, `templates/${name}.md.hbs`)));
  return c;
}

interface WorkspaceTemplate {
  file: string;
  source: string;
  compiled?: Compiled;
  error?: TemplateError;
}

interface WorkspaceTemplates {
  folder: string | undefined;
  byName: Map<string, WorkspaceTemplate>;
}

const workspaceTemplates = new WeakMap<PhasegateService, WorkspaceTemplates>();

/** The folder a workspace's template overrides live in (`templates:` of the config, else `.phasegate/templates`). */
export function workspaceTemplateFolder(svc: PhasegateService): string {
  const t = svc.config.templates;
  if (!t) return joinPath(svc.root, '.phasegate', 'templates');
  return t.startsWith('/') || /^[A-Za-z]:[\\/]/.test(t) ? normalizePath(t) : joinPath(svc.config.root, t);
}

const TEMPLATE_FILE = /^([A-Za-z0-9][A-Za-z0-9._-]*)\.md\.hbs$/;

/** Why a template folder entry of each other kind is not read. */
const NOT_A_FILE: Record<string, string> = {
  directory: 'it is a folder, not a file',
  other: 'not a regular file (a pipe or a device)',
  'symlink-loop': 'a symbolic link loop',
  'broken-link': 'a symbolic link to nothing',
};

/**
 * Reads the workspace's template overrides through the service's file system and caches
 * them (compiled on first use). Does nothing in an untrusted workspace. Call after the
 * config is loaded, and again when a file in the template folder changes.
 *
 * The folder must be inside the workspace, also after its symbolic links are followed (when the host
 * can resolve them), as a workspace schema must: one that is not is neither listed nor read, and the
 * built-in templates apply; the result is then why, in one line (undefined otherwise). A template file
 * that leads outside the workspace through a symbolic link is not read either, nor one that is no
 * regular file (a folder, a pipe, a device): using it is an error that names it (`phasegate new` exits
 * 2 with it, a fix preview falls back to the built-in template). A folder the config names (other than the
 * default one) that does not exist, or is no folder, is a problem too: its templates would be silently unused.
 */
export async function loadWorkspaceTemplates(svc: PhasegateService): Promise<string | undefined> {
  const state: WorkspaceTemplates = { folder: undefined, byName: new Map() };
  workspaceTemplates.set(svc, state);
  if (!svc.trusted) return undefined;
  const folder = workspaceTemplateFolder(svc);
  const named = `templates folder '${svc.config.templates ?? relativePath(svc.root, folder)}'`;
  const ignored = 'it is not read and the built-in templates apply';
  // A folder the config names is to be there (its templates would be silently unused), but for the default one, named or not.
  const explicit = svc.config.templates !== undefined && folder !== joinPath(svc.root, '.phasegate', 'templates');
  const missing = explicit ? `${named} does not exist; the built-in templates apply` : undefined;
  if (!isInside(svc.root, folder)) return `${named} is outside the workspace; ${ignored}`;
  let realRoot: string | undefined;
  if (svc.fs.realpath) {
    const [real, root] = await Promise.all([svc.fs.realpath(folder), svc.fs.realpath(svc.root)]).catch(() => [undefined, undefined]);
    if (real === undefined || root === undefined) {
      // Nothing there (a link to nothing included): no override folder, the built-in templates apply.
      if (!(await svc.fs.stat(folder).catch(() => undefined))) return missing;
      return `${named}: its location cannot be resolved; ${ignored}`;
    }
    if (!isInside(root, real)) return `${named} leads outside the workspace through a symbolic link; ${ignored}`;
    realRoot = root;
  }
  state.folder = folder;
  // No override folder: the built-in templates apply.
  const st = await svc.fs.stat(folder).catch(() => undefined);
  if (!st) return missing;
  if (st.kind !== 'directory') return explicit ? `${named} is not a folder; ${ignored}` : undefined;
  let entries: { name: string; kind: string }[];
  try {
    entries = await svc.fs.readDirectory(folder);
  } catch {
    return undefined; // Not listed: the built-in templates apply.
  }
  const decoder = new TextDecoder('utf-8', { fatal: true });
  for (const e of entries) {
    const m = TEMPLATE_FILE.exec(e.name);
    if (!m) continue;
    const file = joinPath(folder, e.name);
    try {
      // A template that is no regular file is refused, never read (a pipe would block), as a schema is.
      if (e.kind !== 'file') throw new Error(NOT_A_FILE[e.kind] ?? 'not a regular file');
      if (realRoot !== undefined && svc.fs.realpath) {
        const real = await svc.fs.realpath(file).catch(() => undefined);
        if (real === undefined) throw new Error('its location cannot be resolved');
        if (!isInside(realRoot, real)) throw new Error('it leads outside the workspace through a symbolic link');
      }
      const st = await svc.fs.stat(file);
      if (st && st.size > MAX_TEMPLATE_BYTES) throw new Error(`larger than ${MAX_TEMPLATE_BYTES} bytes`);
      state.byName.set(m[1], { file, source: decoder.decode(await svc.fs.readFile(file)) });
    } catch (err) {
      state.byName.set(m[1], { file, source: '', error: new TemplateError(file, undefined, `cannot be read: ${(err as Error).message}`) });
    }
  }
  return undefined;
}

function workspaceTemplate(svc: PhasegateService, name: string): WorkspaceTemplate | undefined {
  if (!svc.trusted) return undefined;
  const t = workspaceTemplates.get(svc)?.byName.get(name);
  if (!t || t.error || t.compiled) return t;
  try {
    t.compiled = compileTemplate(t.source, t.file);
  } catch (e) {
    t.error = e instanceof TemplateError ? e : new TemplateError(t.file, undefined, String(e));
  }
  return t;
}

/** The workspace's template overrides that do not compile or ran out of budget (for the host to show). */
export function templateProblems(svc: PhasegateService): TemplateError[] {
  const names = [...(workspaceTemplates.get(svc)?.byName.keys() ?? [])];
  return names.map((n) => workspaceTemplate(svc, n)?.error).filter((e): e is TemplateError => !!e);
}

/** The names of the templates there are: the workspace's (trusted workspaces only) and the built-in ones. */
export function templateNames(svc: PhasegateService): string[] {
  const own = svc.trusted ? [...(workspaceTemplates.get(svc)?.byName.keys() ?? [])] : [];
  return [...new Set([...own, ...Object.keys(svc.assets.templates)])].sort();
}

/**
 * Renders template `name`: the workspace's override when trusted, else the built-in one.
 * A broken override throws its TemplateError, unless `fallback` asks for the built-in one
 * instead (fix previews). Undefined when there is no template of that name.
 */
export function renderTemplate(svc: PhasegateService, name: string, context: TemplateContext, opts: { fallback?: boolean } = {}): string | undefined {
  const marked = markHeadingEnds(context) as TemplateContext;
  const out = renderMarked(svc, name, marked, opts);
  return out === undefined || marked === context ? out : finishHeadingEnds(out);
}

/** Marks the end of a context value that a `#` run ends (`C #`): written at the end of a heading, it is escaped (see finishHeadingEnds). */
const HEADING_END_MARK = '\uFDD0';
const HASHES_END = /(^|[ \t])#+[ \t]*$/;
/** Around the phase's title in a context value, where a heading would read it otherwise: escaped in a heading (see headingTitle). */
const TITLE_OPEN = '\uFDD1';
const TITLE_CLOSE = '\uFDD2';
const TITLE_RE = /\uFDD1([^\uFDD1\uFDD2]*)\uFDD2/g;
const MARKS_RE = /[\uFDD0-\uFDD2]/g;
const HAS_MARK = /[\uFDD0-\uFDD2]/;

/** markHeadingEnds's walk of frozen values, by value, at the depth it was walked at (performance only). */
const unmarked = new WeakMap<object, { depth: number; walked: unknown }>();

/**
 * `context`, its strings that end in a run of `#` after a blank (or are one: `C #`, `#`) followed by HEADING_END_MARK; `context`
 * itself when it has none (the common case). Exported for tests.
 */
export function markHeadingEnds(context: unknown): unknown {
  // The phase's title where it would not read back from a heading as it is (`Fix *args*`): each time a value holds it
  // (`phase.title`, `phase.heading`, a document's heading), between TITLE_OPEN and TITLE_CLOSE.
  const title = (context as Partial<TemplateContext> | undefined)?.phase?.title;
  const escaped = typeof title === 'string' && title !== '' && headingTitle(title) !== title ? title : undefined;
  const walk = (v: unknown, depth: number): unknown => {
    if (typeof v === 'string') {
      const w = escaped !== undefined && v.includes(escaped) ? v.split(escaped).join(TITLE_OPEN + escaped + TITLE_CLOSE) : v;
      // Without a `#` no run of them ends it (performance only: the pattern is tried at every position).
      return v.includes('#') && HASHES_END.test(v) ? w + HEADING_END_MARK : w;
    }
    if (depth > 8 || v === null || typeof v !== 'object') return v;
    // A frozen value (a layout's context, shared by every document's) walked once without a title to escape.
    const kept = escaped === undefined && Object.isFrozen(v) ? unmarked.get(v) : undefined;
    if (kept && kept.depth === depth) return kept.walked;
    const walked = walkObject(v, depth);
    if (escaped === undefined && Object.isFrozen(v)) unmarked.set(v, { depth, walked });
    return walked;
  };
  // A copy only of a value with a value marked in it (walked again then: most are not, and a walk allocates nothing
  // until it finds one; performance only).
  const walkObject = (v: object, depth: number): unknown => {
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        if (!(i in v)) continue;
        const x: unknown = v[i];
        if (walk(x, depth + 1) !== x) return v.map((y) => walk(y, depth + 1));
      }
      return v;
    }
    // Its getters (`phase.heading`) as the values they give.
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o);
    for (const k of keys) {
      const x = o[k];
      if (walk(x, depth + 1) !== x) return Object.fromEntries(keys.map((key) => [key, walk(o[key], depth + 1)]));
    }
    return v;
  };
  return walk(context, 0);
}

/**
 * A rendered template with the values marked by markHeadingEnds that end an ATX heading (`## {{title}}` of a section titled
 * `C #`) escaped as `headingText` does (`## C \#`), so that the heading reads back as written rather than losing its `#` as
 * a closing sequence; the phase's title escaped in an ATX heading where it would not read back as it is (see headingTitle);
 * the marks taken out. Lines of fenced code are left as they are.
 */
function finishHeadingEnds(text: string): string {
  const lines = text.split('\n');
  let fence: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const f = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (f && (fence === undefined || (f[0] === fence[0] && f.length >= fence.length))) fence = fence === undefined ? f : undefined;
    if (!HAS_MARK.test(line)) continue;
    const heading = fence === undefined && /^ {0,3}#{1,6}(?:[ \t]|$)/.test(line);
    // The phase's title in an ATX heading, escaped (`# Phase 3: Fix \*args\*`).
    const titled = heading && line.includes(TITLE_OPEN) ? line.replace(TITLE_RE, (_m, t: string) => headingTitle(t)) : line;
    // An ATX heading whose text a marked value ends (blanks and a CR after it aside).
    const text = titled.trimEnd();
    if (heading && text.endsWith(HEADING_END_MARK)) {
      const start = headingTextStart(text);
      lines[i] = text.slice(0, start) + headingText(text.slice(start).split(HEADING_END_MARK).join('')) + titled.slice(text.length);
    } else lines[i] = titled;
    lines[i] = lines[i].replace(MARKS_RE, '');
  }
  return lines.join('\n');
}

function renderMarked(svc: PhasegateService, name: string, context: TemplateContext, opts: { fallback?: boolean }): string | undefined {
  const w = workspaceTemplate(svc, name);
  if (w) {
    try {
      if (w.error) throw w.error;
      return w.compiled!(context);
    } catch (e) {
      // A template that ran out of budget is set aside until it changes: later requests (the editor
      // asks for code actions at every move) fall back at once instead of spending it again.
      if (e instanceof TemplateError && outOfBudget.has(e)) w.error = e;
      if (!opts.fallback) throw e;
      svc.logger.log(`${(e as Error).message}; using the built-in template`);
    }
  }
  return builtin(svc, name)?.(context);
}

// ---------------------------------------------------------------------------------------------
// The context templates see.

export interface TemplatePhase {
  id: string;
  number: number | undefined;
  /** Number of the next phase (N+1) and of the previous one (N-1; absent for the first: phase 0, or phase 1 without a phase 0 before it). */
  next: number | undefined;
  prev: number | undefined;
  /** The phase's title (not its folder name), when known. */
  title: string | undefined;
  /** How documents name the phase: `Phase 3`; a phase without a number by its folder's name (`Spike`). */
  name: string;
  /** The phase's title line: `Phase 3: Title` (`Phase 3: [Phase title]` without a title); `Title` (or the folder's name) without a number. */
  heading: string;
  workstream: string | undefined;
  /** Folder relative to the workspace root. */
  folder: string;
}

export interface TemplateGate {
  number: number;
  name: string;
  description: string;
  /** Checklist items the validation template writes under the gate. */
  items: string[];
}

export interface PrevHandoff {
  phase: { id: string; number: number | undefined; folder: string };
  /** Path of the previous output handoff relative to the document being written. */
  path: string;
  /** `path` as a link's destination: in `<…>` where it holds a blank (`<../Phase 1/06-OUTPUT_HANDOFF.md>`). */
  link: string;
  /** File name of the previous output handoff. */
  label: string;
  /** Items of "Phase {N} Inputs", whole (further lines indented for a `- ` marker), their relative paths rebased onto the new document. */
  inputs: string[];
  /** Items of "Phase {N} Prerequisites" (checkbox removed). */
  prerequisites: string[];
  openQuestions: string[];
}

export interface TemplateContext {
  phase: TemplatePhase;
  /** ISO date, YYYY-MM-DD. */
  date: string;
  layout: { name: string; description: string; gates: TemplateGate[]; documents: { kind: string; file: string; name: string }[] };
  /** Success metrics relevant to the phase; `scope` names the phases of a threshold given for some only (`phases 1-2`). */
  metrics: { name: string; threshold: string; scope?: string }[];
  prevHandoff?: PrevHandoff;
  /** Deliverables of the phase's brief (output handoff) or prompt (response). */
  deliverables?: readonly string[];
  /** For a finding: its number and title. */
  finding?: { number: number; title: string | undefined };
  /** For the project plan: one row per phase. */
  phases?: { workstream: string; phase: string; status: string }[];
  /** The document being written, as its layout declares it (see documentContext). */
  document?: TemplateDocument;
}

export interface TemplateSection {
  /** The section's heading text, `{N}` and `{N+1}` expanded. */
  title: string;
  description: string;
  required: boolean;
  /** The placeholder its body gets: `[Description]` (`[Content]` without a description). */
  placeholder: string;
}

export interface TemplateDocument {
  kind: string;
  /** File name within the phase folder. */
  file: string;
  name: string;
  /**
   * The `#` heading the layout gives the document (`heading`, `{N}` and `{N+1}` expanded; one ending in
   * `: ` followed by the phase title or `[Phase title]`), when it is not the built-in kind's own; the
   * built-in templates then write it as the document's title. Undefined otherwise: the template's own.
   */
  heading: string | undefined;
  /** The sections the layout declares for the document, in order (empty when it declares none). */
  sections: TemplateSection[];
  /**
   * The layout declares sections that the kind's built-in template does not write, in their order (a
   * custom layout's own `sections` for a built-in kind; always, for a kind of its own): the built-in
   * templates (all but the project plan's) then write `sections`, each with its placeholder, instead of their own.
   */
  ownSections: boolean;
  /** The path of the phase's prompt (its layout's document of kind `prompt`) relative to this document, when its layout has one. */
  prompt: string | undefined;
}

/** Checklist items of the six audit gates; other gates get their description as one item. */
const GATE_ITEMS: Record<string, string[]> = {
  completeness: ['All deliverables of the brief are produced', 'Every artifact of the output handoff is in 04-ARTIFACTS'],
  quality: ['The success metrics below meet their targets', 'No critical finding is left open'],
  documentation: ['Every decision is logged with its rationale in 05-DECISIONS.md', 'The output handoff is complete'],
  testing: ['Validation tests pass'],
  review: ['Peer review completed by [Reviewer]'],
  approval: ['Stakeholder sign-off by [Stakeholder]'],
  tests: ['The response lists the unit and integration tests it adds'],
  proof: ['The response shows the test run passing'],
};

/**
 * The gates for the templates, each with its checklist items: a built-in layout's gate (or a custom gate of the
 * same name without a description) its own items, any other gate its description (else its name).
 */
function gatesOf(gates: GateSpec[]): TemplateGate[] {
  return gates.map((g, i) => {
    const own = g.description.trim() !== '' && !BUILTIN_GATES.has(g);
    return {
      number: i + 1,
      name: g.name,
      description: g.description,
      items: (!own && GATE_ITEMS[g.name.toLowerCase()]) || [g.description.replace(/\.\s*$/, '') || g.name],
    };
  });
}

const BUILTIN_GATES = new Set<GateSpec>([...AUDIT_LAYOUT.gates, ...IAI_LAYOUT.gates]);

/** The seed's metric groups: phases 1-2 (foundation, testing), 3-5 (containers, deployment), 6-8 (monitoring, production). */
const METRIC_GROUPS: string[][] = [
  ['code coverage', 'critical vulnerabilities', 'high vulnerabilities', 'test execution time', 'documentation coverage'],
  ['container build time', 'deployment time', 'rollback time', 'infrastructure provisioning'],
  ['alert response time', 'log retention', 'uptime sla', 'mean time to recovery'],
];

/** The index in METRIC_GROUPS of the group of phase `n`. */
function metricGroup(n: number | undefined): number {
  return n === undefined ? 0 : n <= 2 ? 0 : n <= 5 ? 1 : 2;
}

/**
 * Metrics relevant to phase `n`, of those in force in it (see `metricsInForce`): its group's defaults (thresholds as
 * configured), every custom metric, and every metric scoped to phases (its scope names `n`: it is this phase's).
 */
export function metricsForPhase(n: number | undefined, metrics: MetricSpec[]): MetricSpec[] {
  const group = metricGroup(n);
  const known = new Set(DEFAULT_METRICS.map((m) => m.name.toLowerCase()));
  return metrics.filter((m) => {
    const k = m.name.toLowerCase();
    return m.scope || !known.has(k) || METRIC_GROUPS[group].includes(k);
  });
}

/**
 * Text without its emphasis markup: `**Phase 2: Testing** (Weeks 3-4)` → `Phase 2: Testing (Weeks 3-4)`.
 * Only delimiters that open and close a run, as Markdown reads them: `Phase_3_Advanced_CI` and `2 * 3` keep
 * theirs; so does what a code span holds (`` `__init__.py` ``, `` `*.yml` ``).
 */
export function withoutEmphasis(text: string): string {
  if (!text.includes('*') && !text.includes('_')) return text;
  // Code spans stand aside while emphasis is read, as private-use characters that are neither word nor delimiter; so do
  // backslash escapes outside them (`\*` is a star, not a delimiter), kept as written.
  return outsideCodeSpans(text, (masked) => {
    const escapes: string[] = [];
    const plain = masked.includes('\\')
      ? masked.replace(ESCAPE, (m: string) => `\uE002${String.fromCharCode(0xe100 + Math.min(escapes.push(m) - 1, 0x7ff))}\uE003`)
      : masked;
    const out = plain
      .replace(/(\*\*|__)(?=\S)(.+?)(?<=\S)\1/g, (m, d: string, inner: string, at: number, all: string) =>
        d === '__' && (/\w/.test(all[at - 1] ?? '') || /\w/.test(all[at + m.length] ?? '')) ? m : inner,
      )
      .replace(/(?<![\w*])\*(?=[^\s*])([^*]*?[^\s*])\*(?![\w*])/g, '$1')
      .replace(/(?<![\w_])_(?=[^\s_])([^_]*?[^\s_])_(?![\w_])/g, '$1');
    return escapes.length ? out.replace(/\uE002([\uE100-\uE8FF])\uE003/g, (_m, c: string) => escapes[c.charCodeAt(0) - 0xe100] ?? '') : out;
  });
}

/** A backslash escape: a backslash before ASCII punctuation (CommonMark). */
const ESCAPE = /\\[!-/:-@[-`{-~]/g;

/** `f` of `text` with its code spans set aside (as private-use characters), then put back as they were. */
function outsideCodeSpans(text: string, f: (masked: string) => string): string {
  if (!text.includes('`')) return f(text);
  const spans: string[] = [];
  const masked = replaceCodeSpans(text, (m: string) => `\uE000${String.fromCharCode(0xe100 + Math.min(spans.push(m) - 1, 0x7ff))}\uE001`);
  const out = f(masked);
  return spans.length ? out.replace(/\uE000([\uE100-\uE8FF])\uE001/g, (_m, c: string) => spans[c.charCodeAt(0) - 0xe100] ?? '') : out;
}

/** Heading text with its backslash escapes read as Markdown reads them (`\*` → `*`, `\\` → `\`), but in code spans. */
export function unescapeMarkdown(text: string): string {
  return text.includes('\\') ? outsideCodeSpans(text, (t) => t.replace(ESCAPE, (m) => m[1])) : text;
}

/**
 * `title` as written in a heading so that it reads back as it is (see cleanPhaseTitle): when emphasis or a backslash
 * escape would change it (`Fix *args*`, `__init__`), its `*`, `_` and backslashes before punctuation escaped, outside
 * code spans (`Fix \*args\*`); else as it is (`Phase_3`, `2 * 3`).
 */
export function headingTitle(title: string): string {
  if (!/[*_\\]/.test(title) || unescapeMarkdown(withoutEmphasis(title)) === title) return title;
  return outsideCodeSpans(title, (t) => t.replace(/[*_]|\\(?=[!-/:-@[-`{-~])/g, '\\$&'));
}

/**
 * `Build Phase 3: Advanced CI — Implementation Prompt` → `Advanced CI` (the title as the user wrote it); undefined for a placeholder.
 * `phaseWords`: whether a `Phase N` before the title is the heading's (the built-in kinds', and kinds without a
 * heading), else it is the title's own (`Phase 2 migration` of a sprint without a number, headed `Sprint {N}: `).
 */
export function cleanPhaseTitle(text: string, workstream?: string, markdown = true, prefix?: RegExp, phaseWords = true): string | undefined {
  // A front matter title is plain YAML, not Markdown: its `*` and `_` are its own (`Refactor __init__`).
  // What the kind's heading writes before the title (`Sprint 3: ` of `Sprint {N}: `): that, once (`Phase 3: Phase 4
  // prep` is titled `Phase 4 prep`); else the workstream and `Phase N` the iAI templates write. As written first (a
  // heading's own `*` and `_` are no emphasis: `Build *{N}*: `), else without emphasis (`**Sprint 3**: Kickoff`).
  const written = prefix?.exec(text.trim());
  let t = written ? text.trim().slice(written[0].length) : text;
  t = (markdown ? withoutEmphasis(t) : t).trim();
  const headed = written ?? prefix?.exec(t);
  if (headed && !written) t = t.slice(headed[0].length);
  for (const ws of workstream && !headed && phaseWords ? [workstream, workstream.replace(/_/g, ' ')] : []) {
    if (t.toLowerCase().startsWith(ws.toLowerCase() + ' ') && /^\s*phase\s*\d/i.test(t.slice(ws.length))) {
      t = t.slice(ws.length);
      break;
    }
  }
  if (!headed && phaseWords) t = t.replace(/^\s*phase\s*\d+\s*[:.\-–—]?\s*/i, '');
  t = t
    // The suffix the prompt and response templates put after the title (sought from the start of a run of blanks: each run gone over once).
    .replace(/(?<!\s)\s+[—–-]+\s+implementation\s+(prompt|response)\s*$/i, '')
    // The note the iAI framework puts after every phase's name: `(iAI Prompt-Driven)`, `(iAI Managed)`.
    .replace(/(?<!\s)\s*\(\s*iAI\s+(?:prompt[\s-]*driven|managed)\s*\)\s*$/i, '')
    .trim();
  // A heading's backslash escapes read (`Fix \*args\*` is titled `Fix *args*`), a placeholder (`[Phase title]`) told first.
  return t && !/^\[[^\]]*\]$/.test(t) ? (markdown ? unescapeMarkdown(t) : t) : undefined;
}

/**
 * The title of the phase's brief (audit) or prompt (iAI): its H1, else its front matter title, without "Phase N:" (or
 * what its kind's `heading` writes before the title, `Sprint 3: `) and the template's decorations. A custom layout
 * without a brief or a prompt: its documents whose `heading` is followed by the phase's title (`Sprint {N}: `).
 */
export function leadTitle(svc: PhasegateService, phase: Phase): string | undefined {
  return firstLeadTitle(phase, (path, heading) => documentTitle(svc, path, phase.workstream, heading));
}

/**
 * The first title `read` gives of the documents a phase's title is read from (its brief or prompt, else its documents
 * whose `heading` is followed by the title), those that exist, in order.
 */
function firstLeadTitle<T>(phase: Phase, read: (path: string, heading: string | undefined) => T | undefined): T | undefined {
  const lead = phase.documents.filter((d) => d.spec.kind === 'brief' || d.spec.kind === 'prompt');
  for (const d of lead.length ? lead : phase.documents.filter((d) => d.spec.heading !== undefined && titlePrefix(d.spec.heading))) {
    if (!d.exists) continue;
    const t = read(d.path, kindHeading(d.spec));
    if (t) return t;
  }
  return undefined;
}

/**
 * `leadTitle` without parsing a document: read from the titles read before, else from a scan of the document's text
 * (title-scan.ts); `UNKNOWN` when a document's text is not held or the scan cannot tell its title heading. Where it
 * answers, the answer is `leadTitle`'s (test/unit/title-scan.test.ts).
 */
export function scannedLeadTitle(svc: PhasegateService, phase: Phase): string | undefined | typeof UNKNOWN {
  return firstLeadTitle(phase, (path, heading) => scannedDocumentTitle(svc, path, phase.workstream, heading));
}

/** What `scannedLeadTitle` answers when it cannot tell. */
export const UNKNOWN: unique symbol = Symbol('unknown');

/**
 * The title the tree shows for a phase not checked yet: the one it will show once checked (`shownTitle`), when the
 * titles read before or a scan of its brief or prompt tell it, else its folder's (`phase-3`, `Phase_3_Advanced_CI` →
 * `Advanced CI`).
 */
export function checkingTitle(svc: PhasegateService, phase: Phase): string {
  const t = scannedLeadTitle(svc, phase);
  return (t === UNKNOWN ? undefined : t) ?? folderTitle(phase.folder) ?? phase.title;
}

/**
 * Titles read from documents, by engine and path, while the document's text is the one they were read
 * from (performance only: the phase tree asks for every phase's title at each update, and a document
 * whose model was dropped would be parsed again each time).
 */
const titles = new WeakMap<
  PhasegateService,
  Map<string, { text: string; workstream: string | undefined; heading: string | undefined; title: string | undefined }>
>();

/** The title read before from `text` (the document's at `path`) for `workstream` and `heading`, if any. */
function titleRead(svc: PhasegateService, path: string, text: string, workstream: string | undefined, heading: string | undefined) {
  const hit = titles.get(svc)?.get(path);
  return hit && hit.text === text && hit.workstream === workstream && hit.heading === heading ? hit : undefined;
}

function documentTitle(svc: PhasegateService, path: string, workstream: string | undefined, heading: string | undefined): string | undefined {
  const text = svc.getText(path);
  const hit = text === undefined ? undefined : titleRead(svc, path, text, workstream, heading);
  if (hit) return hit.title;
  const doc = svc.getDocument(path);
  if (!doc) return undefined;
  const fm = doc.frontMatter?.data as { title?: unknown } | undefined;
  // Its front matter is parsed: the title is known (never UNKNOWN).
  const title = titleOf(titleHeading(doc)?.text, () => fm?.title, workstream, heading) as string | undefined;
  if (text !== undefined) {
    let cache = titles.get(svc);
    if (!cache) titles.set(svc, (cache = new Map()));
    cache.set(path, { text, workstream, heading, title });
  }
  return title;
}

/** `documentTitle` from a scan of the document's text (see scannedLeadTitle); UNKNOWN when the scan cannot tell. */
function scannedDocumentTitle(
  svc: PhasegateService,
  path: string,
  workstream: string | undefined,
  heading: string | undefined,
): string | undefined | typeof UNKNOWN {
  const text = svc.getText(path);
  if (text === undefined) return UNKNOWN;
  const hit = titleRead(svc, path, text, workstream, heading);
  if (hit) return hit.title;
  const scan = scanTitle(text);
  if (!scan) return UNKNOWN;
  const h1 = scan.h1 ?? scan.headings.find(isPhaseHeading);
  return titleOf(
    h1,
    () => {
      if (scan.frontMatter === undefined) return undefined;
      // Flat front matter, read as the model reads it; other YAML is parsed with the document.
      const data = parseFlatFrontMatter(scan.frontMatter);
      return data === undefined ? UNKNOWN : data.title;
    },
    workstream,
    heading,
  );
}

/**
 * A document's title from the text of its title heading (`titleHeading`), else its front matter's `title` (`fmTitle`,
 * asked only then; UNKNOWN passed through), as the phase's title: see leadTitle.
 */
function titleOf(
  h1: string | undefined,
  fmTitle: () => unknown,
  workstream: string | undefined,
  heading: string | undefined,
): string | undefined | typeof UNKNOWN {
  const prefix = heading === undefined ? undefined : titlePrefix(heading);
  // A heading that holds no title (`Mission {N} Charter`) written as it is names the document, not the phase; so
  // does the heading as a phase without a number gets it (`Mission Charter`, see headingOf).
  const phaseWords = heading === undefined || /^\s*phase\s*\{N/i.test(heading);
  const own = heading !== undefined && !prefix ? [fixedHeading(heading), fixedHeading(withoutNumbers(heading))] : [];
  const clean = (t: string, markdown: boolean) => {
    const c = cleanPhaseTitle(t, workstream, markdown, prefix, phaseWords);
    // Compared as written too: a heading's `*` and `_` are no emphasis to take off (`Build *{N}*`).
    return c !== undefined && own.some((re) => re.test(c) || re.test(t)) ? undefined : c;
  };
  const fromHeading = h1 === undefined ? undefined : clean(h1, true);
  if (fromHeading !== undefined) return fromHeading;
  const fm = fmTitle();
  return fm === UNKNOWN ? UNKNOWN : typeof fm === 'string' ? clean(oneLine(fm), false) : undefined;
}

/** Line breaks, tabs and other control characters: a title is shown on one line. */
const BREAKS = /[\x00-\x1f\x7f\u0085\u2028\u2029]+/g;

/** A front matter title on one line: a folded or literal scalar (`title: >`), an escaped `\n` or a tab read as a space. */
function oneLine(title: string): string {
  // Without a control character or a separator there is nothing to replace (performance only).
  return /[\x00-\x1f\x7f\u0085\u2028\u2029]/.test(title) ? title.replace(BREAKS, ' ').replace(/ {2,}/g, ' ').trim() : title;
}

/**
 * The heading that titles a document: its first `#` heading, else (a document headed as the phase system
 * design heads a phase, `### **Phase 3: Containerization & Packaging** (Weeks 5-6)`) its first heading
 * that starts with `Phase N`.
 */
export function titleHeading(doc: ParsedDocument): Heading | undefined {
  return doc.headings.find((h) => h.level === 1) ?? doc.headings.find((h) => isPhaseHeading(h.text));
}

/** Whether a heading's text starts with `Phase N` (its emphasis aside: `**Phase 3: Containers**`). */
function isPhaseHeading(text: string): boolean {
  return /^[^\p{L}\p{N}]*phase\s*\d/iu.test(withoutEmphasis(text));
}

/** Words of a phase folder's name after its number: `Phase_3_Advanced_CI` → `Advanced CI`. */
export function folderTitle(folder: string): string | undefined {
  // eslint-disable-next-line regexp/no-super-linear-backtracking -- a folder's name: at most 255 characters
  const m = /^phase[\s_-]*\d+[\s_-]*(.*)$/i.exec(basename(folder));
  const t = m?.[1].replace(/_/g, ' ').trim();
  return t || undefined;
}

/** The phase's title: from its brief or prompt (see leadTitle), else the words of its folder name (iAI: `Phase_1_Source_Control` → `Source Control`). */
export function phaseTitle(svc: PhasegateService, phase: Phase): string | undefined {
  return leadTitle(svc, phase) ?? folderTitle(phase.folder);
}

/** The title the tree, `status` and hovers show: `phaseTitle`, else the phase's folder name (`phase-1`). */
export function shownTitle(svc: PhasegateService, phase: Phase): string {
  return phaseTitle(svc, phase) ?? phase.title;
}

/** layoutContext's answers by layout (performance only: every document's context holds its layout's; templates only read it). */
const layoutContexts = new WeakMap<LayoutSpec, TemplateContext['layout']>();

function layoutContext(layout: LayoutSpec | undefined): TemplateContext['layout'] {
  if (!layout) return { name: '', description: '', gates: [], documents: [] };
  let c = layoutContexts.get(layout);
  if (!c)
    layoutContexts.set(
      layout,
      (c = deepFreeze({
        name: layout.name,
        description: layout.description,
        // Its own copies of the gates' items (frozen here, shared by no other value).
        gates: gatesOf(layout.gates).map((g) => ({ ...g, items: [...g.items] })),
        documents: layout.documents.map((d) => ({ kind: d.kind, file: d.file, name: d.name })),
      })),
    );
  return c;
}

function deepFreeze<T>(v: T): T {
  if (v !== null && typeof v === 'object' && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const x of Object.values(v)) deepFreeze(x);
  }
  return v;
}

/** The date of `now` where the user is (the local time zone), YYYY-MM-DD. */
export function today(now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** Context for a phase-less document or a phase (existing or about to be created). */
export function baseContext(
  svc: PhasegateService,
  p: {
    id: string;
    number: number | undefined;
    title: string | undefined;
    workstream: string | undefined;
    folder: string;
    layout: LayoutSpec | undefined;
    /** Whether a phase numbered N-1 precedes it in its sequence (its parent folder or workstream): phase 1's is a phase 0. */
    hasPrev?: boolean;
  },
  date = today(),
): TemplateContext {
  const n = p.number;
  const folderName = basename(p.folder) || p.id;
  return {
    phase: {
      id: p.id,
      number: n,
      next: n === undefined ? undefined : n + 1,
      // Absent for a first phase: phase 0, and phase 1 where there is no phase 0 before it.
      prev: n === undefined || n < 1 || (n === 1 && !p.hasPrev) ? undefined : n - 1,
      title: p.title,
      name: n === undefined ? folderName : `Phase ${n}`,
      // Follows a title set after (`new phase --title`).
      get heading(): string {
        return n === undefined ? (this.title ?? folderName) : `Phase ${n}: ${this.title ?? '[Phase title]'}`;
      },
      workstream: p.workstream,
      folder: relativePath(svc.root, p.folder),
    },
    date,
    layout: layoutContext(p.layout),
    // The same thresholds the metric rule applies (see PhasegateService.contextFor).
    metrics: metricsContext(p.layout?.metrics.length ? p.layout.metrics : svc.config.metrics, n),
  };
}

/** metricsContext's answers by metric list and the group of phases a number is in (performance only: every phase renders them). */
const metricContexts = new WeakMap<MetricSpec[], TemplateContext['metrics'][]>();

/**
 * The metrics of `metrics` (a layout's or the config's) relevant to phase `n`, as templates see them. Without a metric
 * scoped to phases they depend on `n` by its group alone (see metricsForPhase): made once per list and group then, and
 * frozen (templates only read them, and markHeadingEnds walks a frozen value once).
 */
function metricsContext(metrics: MetricSpec[], n: number | undefined): TemplateContext['metrics'] {
  const make = () =>
    metricsForPhase(n, metricsInForce(metrics, n)).map((m) =>
      m.scope ? { name: m.name, threshold: m.threshold, scope: m.scope.label } : { name: m.name, threshold: m.threshold },
    );
  if (metrics.some((m) => m.scope)) return make();
  let byGroup = metricContexts.get(metrics);
  if (!byGroup) metricContexts.set(metrics, (byGroup = []));
  const group = metricGroup(n);
  return (byGroup[group] ??= deepFreeze(make()));
}

/**
 * Deliverables of a phase: its brief's (audit) or its prompt's (iAI) `## Deliverables`, as the
 * unaddressed-deliverable rule reads them (items, table rows, or a bold label's inline list).
 */
export function phaseDeliverables(svc: PhasegateService, phase: Phase): readonly string[] {
  const src = phase.documents.find((d) => d.spec.kind === 'brief' || d.spec.kind === 'prompt');
  if (!src?.exists) return [];
  const doc = svc.getDocument(src.path);
  if (!doc) return [];
  const kept = deliverablesRead.get(doc);
  if (kept?.spec === src.spec) return kept.deliverables;
  // A deliverable left as a template placeholder is no deliverable yet.
  const deliverables = Object.freeze(
    kindSections(doc, src.spec, 'Deliverables')
      .flatMap((sec) => deliverablesOf(doc, sec))
      .map((d) => d.text.trim())
      .filter((t) => t !== '' && !/^\[[A-Z][^\]]*\]$/.test(t)),
  );
  deliverablesRead.set(doc, { spec: src.spec, deliverables });
  return deliverables;
}

/**
 * phaseDeliverables's answers by the model of the brief or prompt they were read from, and its kind (performance only:
 * the documents of a phase that write its deliverables, its output handoff and its execution plan, ask in turn).
 */
const deliverablesRead = new WeakMap<ParsedDocument, { spec: DocumentKindSpec; deliverables: readonly string[] }>();

/** What the previous phase's output handoff hands to `phase`, for its input handoff at `file` (paths rebased onto it). */
export function previousHandoff(svc: PhasegateService, phase: { number: number | undefined; prev?: Phase }, file: string): PrevHandoff | undefined {
  const prev = phase.prev;
  const out = prev?.documents.find((d) => d.spec.kind === 'output-handoff');
  const doc = out?.exists ? svc.getDocument(out.path) : undefined;
  if (!prev || !out || !doc) return undefined;
  const from = dirname(out.path);
  const to = dirname(file);
  const exists = (p: string) => svc.exists(p);
  const bases = pathBases(svc.model.root, prev);
  // Items that are nothing but placeholders hand nothing off; the others are copied whole, as Complete handoff copies them.
  const items = (title: string) =>
    topItems(doc, sectionByTitle(doc, expandTitle(title, phase.number)))
      .filter(meaningfulItem)
      .map((it) => {
        const c = copyItem(doc, it, from, to, exists, bases);
        return [c.line, ...c.more].join('\n');
      });
  // Inputs handed off in a table (and no list): each row as the list item it reads as, as Complete handoff writes it.
  const inputs = () => {
    const sec = sectionByTitle(doc, expandTitle('Phase {N} Inputs', phase.number));
    const listed = items('Phase {N} Inputs');
    if (listed.length || !sec || topItems(doc, sec).length) return listed;
    return handoffItems(doc, sec, from, bases, true).flatMap((h) => {
      const row = copyRow(doc, h.item.line, from, to, exists, bases);
      return row ? [rowAsItem(row)] : [];
    });
  };
  // Open questions asked in a table too: each row as the list item it reads as, as Complete handoff writes it.
  const questions = () =>
    itemsAndRows(doc, sectionByTitle(doc, expandTitle('Open Questions', phase.number)))
      .filter((it) => meaningfulItem(it) && !answeredQuestion(doc, it))
      .flatMap((it) => {
        const row = copyRow(doc, it.line, from, to, exists, bases);
        // A row whose question cell is empty asks nothing.
        if (row) return asksQuestion(row) ? [rowAsQuestion(row)] : [];
        const c = copyItem(doc, it, from, to, exists, bases);
        return [[c.line, ...c.more].join('\n')];
      });
  return {
    phase: { id: prev.id, number: prev.number, folder: relativePath(svc.root, prev.folder) },
    path: relativePath(to, out.path),
    link: linkDestination(relativePath(to, out.path)),
    label: `${basename(prev.folder)}/${out.spec.file}`,
    inputs: inputs(),
    // Items, or the rows of a table of prerequisites (the name's cell), as Complete handoff copies them.
    prerequisites: prerequisitesOf(doc, sectionByTitle(doc, expandTitle('Phase {N} Prerequisites', phase.number)))
      .map((p) => p.item)
      .filter(meaningfulItem)
      .map((it) => {
        const c = copyItem(doc, it, from, to, exists, bases);
        return [c.line, ...c.more].join('\n');
      }),
    openQuestions: questions(),
  };
}

const STATUS_WORDS: Record<string, string> = { 'not-started': 'Not started', 'in-progress': 'In progress', complete: 'Complete', blocked: 'Blocked' };

/** Rows of the project plan under `root`: every iAI phase below it, with its status. */
export function planRows(svc: PhasegateService, root: string): NonNullable<TemplateContext['phases']> {
  return svc.model.phases
    .filter((p) => p.workstream !== undefined && isInside(root, p.folder))
    .map((p) => ({ workstream: escapeCell(p.workstream!), phase: escapeCell(basename(p.folder)), status: STATUS_WORDS[svc.status(p)] ?? 'Not started' }));
}

/** One more than the findings in `folder` of `phase` (their count, or the highest `finding-N` among them), `except` left out. */
export function nextFindingNumber(phase: Phase, folder: string, except?: string): number {
  const existing = phase.files.filter((f) => dirname(f) === folder && f !== except && /\.md$/i.test(f));
  const used = existing
    .map((f) => /^finding-(\d+)/i.exec(basename(f))?.[1])
    .filter((x): x is string => !!x)
    .map(Number);
  return Math.max(existing.length, ...used, 0) + 1;
}

/** The number of finding `file` of `phase`: the one its name gives (`finding-3.md`), else the next one in its folder. */
function findingNumber(phase: Phase, file: string): number {
  const own = /^finding-(\d+)/i.exec(basename(file))?.[1];
  return own ? Number(own) : nextFindingNumber(phase, dirname(file), file);
}

/** The context for rendering document `spec` of an existing phase (fix previews, `new` on a phase). */
export function kindContext(
  svc: PhasegateService,
  spec: DocumentKindSpec,
  phase: Phase | undefined,
  file?: string,
  date?: string,
  base: TemplateContext = phaseContext(svc, phase, date),
): TemplateContext {
  const ctx = { ...base };
  if (phase && (spec.kind === 'output-handoff' || spec.kind === 'response' || spec.kind === 'execution-plan')) {
    const d = phaseDeliverables(svc, phase);
    if (d.length) ctx.deliverables = d;
  }
  if (phase && spec.kind === 'input-handoff') {
    ctx.prevHandoff = previousHandoff(svc, phase, file ?? joinPath(phase.folder, spec.file));
  }
  if (spec.kind === 'plan') ctx.phases = planRows(svc, file ? dirname(file) : svc.root);
  if (phase && spec.kind === 'finding') ctx.finding = { number: findingNumber(phase, file ?? joinPath(phase.folder, spec.file)), title: undefined };
  return ctx;
}

/**
 * The context of every document of `phase` (or of a phase-less one), on `date`, before what its kind adds (see
 * kindContext, which takes a copy of it: the documents of a phase compared with their templates share one).
 */
export function phaseContext(svc: PhasegateService, phase: Phase | undefined, date?: string): TemplateContext {
  return phase
    ? baseContext(
        svc,
        {
          id: phase.id,
          number: phase.number,
          title: phaseTitle(svc, phase),
          workstream: phase.workstream,
          folder: phase.folder,
          layout: phase.layout,
          hasPrev: phase.prev !== undefined,
        },
        date,
      )
    : baseContext(svc, { id: '', number: undefined, title: undefined, workstream: undefined, folder: svc.root, layout: undefined }, date);
}

/**
 * The placeholder a section's body gets in a document written from its spec: `[Its description]` (`{N}` and `{N+1}`
 * expanded), else `[Content]`; a section headed as a gate of the layout (`Review`, `Gate 1: Review`), that gate's
 * checklist, as the validation template writes it (a gate's checklist without checkbox items keeps it pending).
 */
function sectionPlaceholder(s: SectionSpec, n: number | undefined, gates: TemplateGate[] = []): string {
  const key = normalizeTitle(writtenTitle(s.title, n)).replace(/^gate # /, '');
  const gate = gates.find((g) => normalizeTitle(g.name) === key);
  if (gate) return gate.items.map((item) => `- [ ] ${item} — Evidence: [Evidence]`).join('\n');
  return `[${writtenTitle(s.description ?? 'Content', n)
    .replace(/[[\]`]/g, '')
    .replace(/\.\s*$/, '')}]`;
}

/**
 * A kind's `heading` for phase `n`: `{N}` and `{N+1}` expanded; one ending in `: ` (`Mission {N}: `) followed by the phase's title.
 * A phase without a number has no `{N}` to write: a heading ending in `: ` is its title alone (or `folder`'s name, as
 * `phase.heading` is), any other loses its `{N}`s (`Sprint {N} Retro` → `Sprint Retro`).
 */
function headingOf(heading: string, n: number | undefined, title: string | undefined, folder?: string): string {
  const own = /:\s+$/.test(heading);
  if (n === undefined && /\{N(?:[+-]\d+)?\}/.test(heading)) {
    if (own) return title ?? (folder || '[Phase title]');
    return withoutNumbers(heading) || (title ?? (folder || '[Phase title]'));
  }
  const h = writtenTitle(heading, n);
  // A heading of nothing but a `{N-1}` that names no phase (`{N-1}: `, `{N-1}` in phase 0): as a phase without a number writes it.
  if (n !== undefined && PLACEHOLDER.test(h)) return title ?? (folder || '[Phase title]');
  return own ? `${h.trimEnd()} ${title ?? '[Phase title]'}` : h.trim();
}

/** A `{N}` (`{N+1}`, `{N-1}`) left in a heading as `new` writes it for a numbered phase: one that names no phase, kept as written. */
const PLACEHOLDER = /\{N(?:[+-]\d+)?\}/;

/** A kind's `heading` without its `{N}`s, as a phase without a number gets it (`Sprint {N} Retro` → `Sprint Retro`). */
function withoutNumbers(heading: string): string {
  return heading
    .replace(/\{N(?:[+-]\d+)?\}/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** A document with the kind's sections and a placeholder in each, for phase `n` (titled `title`): for kinds without a template. */
export function sectionsDocument(spec: DocumentKindSpec, n: number | undefined, title?: string, folder?: string, gates?: TemplateGate[]): string {
  const lines: string[] = [
    `# ${headingText(spec.heading === undefined ? writtenTitle(spec.name, n).trim() : headingOf(spec.heading, n, title === undefined ? undefined : headingTitle(title), folder))}`,
    '',
  ];
  for (const s of spec.sections) {
    lines.push(`## ${headingText(writtenTitle(s.title, n))}`, '', sectionPlaceholder(s, n, gates), '');
  }
  return lines.join('\n');
}

const BUILTIN_KINDS: DocumentKindSpec[] = [...AUDIT_LAYOUT.documents, ...IAI_LAYOUT.documents, PLAN_KIND, FINDING_KIND];

/**
 * The titles of the sections the built-in template of kind `b` writes, in order: its spec's (the
 * validation checklist: a `Gate K: Name` per gate of the layout, then the success metrics).
 */
function writtenTitles(b: DocumentKindSpec, ctx: TemplateContext): string[] {
  if (b.kind === 'validation') return [...ctx.layout.gates.map((g) => `Gate ${g.number}: ${g.name}`), 'Success Metrics'];
  return b.sections.map((s) => s.title);
}

/** Whether headings titled `titles` hold every section of `sections` in their order, each by its title or an alias. */
function holdsInOrder(titles: string[], sections: SectionSpec[], n: number | undefined): boolean {
  let i = 0;
  for (const s of sections) {
    const keys = new Set([s.title, ...(s.aliases ?? [])].map((t) => expandedTitleKey(t, n)));
    while (i < titles.length && !keys.has(expandedTitleKey(titles[i], n))) i++;
    if (i++ >= titles.length) return false;
  }
  return true;
}

/**
 * sectionsContext's answers by document kind and gates, for a numbered phase when no title or description of the kind's
 * sections holds a `{` (its number is then written nowhere in them; performance only: every phase renders them).
 */
const sectionContexts = new WeakMap<DocumentKindSpec, WeakMap<TemplateGate[], TemplateSection[]>>();

/** The sections of document `spec` in phase `n` of a layout with `gates`, as templates see them. */
function sectionsContext(spec: DocumentKindSpec, n: number | undefined, gates: TemplateGate[]): TemplateSection[] {
  const make = () =>
    spec.sections.map((s) => ({
      title: writtenTitle(s.title, n),
      description: writtenTitle(s.description ?? '', n),
      required: s.required ?? true,
      placeholder: sectionPlaceholder(s, n, gates),
    }));
  if (n === undefined || spec.sections.some((s) => s.title.includes('{') || s.description?.includes('{'))) return make();
  let byGates = sectionContexts.get(spec);
  if (!byGates) sectionContexts.set(spec, (byGates = new WeakMap()));
  let c = byGates.get(gates);
  // Frozen: templates only read them, and markHeadingEnds walks a frozen value once.
  if (!c) byGates.set(gates, (c = deepFreeze(make())));
  return c;
}

/**
 * The document `spec` as its layout declares it, for the templates (`document`): its heading when
 * it is not the built-in kind's, its sections, and whether the built-in template of its kind would
 * leave out any of them (a custom layout's `brief` with sections of its own: the template writes
 * those instead of its own, so that the document passes once filled in).
 */
export function documentContext(spec: DocumentKindSpec, ctx: TemplateContext): TemplateDocument {
  const n = ctx.phase.number;
  const b = BUILTIN_KINDS.find((d) => d.kind === spec.kind);
  const own = spec !== b;
  const promptFile = ctx.layout.documents.find((d) => d.kind === 'prompt')?.file;
  return {
    kind: spec.kind,
    file: spec.file,
    name: spec.name,
    // A heading the layout declares is written as declared, also one that is the built-in kind's own
    // (`Phase {N}: ` for a prompt, whose template would add its workstream and `— Implementation Prompt`).
    heading: own && spec.heading !== undefined ? headingOf(spec.heading, n, ctx.phase.title, basename(ctx.phase.folder)) : undefined,
    sections: sectionsContext(spec, n, ctx.layout.gates),
    ownSections: own && (!b || !holdsInOrder(writtenTitles(b, ctx), spec.sections, n)),
    prompt: promptFile === undefined ? undefined : relativePath(dirname(`/${spec.file}`), `/${promptFile}`),
  };
}

/**
 * Renders the document of `spec` for `phase`: the workspace's override, the built-in
 * template, or (custom kinds) a document with the kind's sections. Never throws for a
 * broken override: fix previews fall back to the built-in template. A finding is titled `findingTitle`.
 */
export function renderKind(svc: PhasegateService, spec: DocumentKindSpec, phase: Phase | undefined, findingTitle?: string): string {
  const name = spec.template ?? spec.kind;
  try {
    const ctx = kindContext(svc, spec, phase);
    if (ctx.finding && findingTitle) ctx.finding.title = findingTitle;
    ctx.document = documentContext(spec, ctx);
    const out = renderTemplate(svc, name, ctx, { fallback: true });
    if (out !== undefined) return out;
  } catch (e) {
    svc.logger.log(`rendering ${name}: ${(e as Error).message}`);
  }
  return sectionsDocument(spec, phase?.number, phase && phaseTitle(svc, phase), phase && basename(phase.folder), phase && gatesOf(phase.layout.gates));
}
