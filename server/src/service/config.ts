/**
 * The workspace config file, `phasegate.yaml`: custom layouts, rule severities,
 * metric thresholds, ignored paths, the workspace template folder.
 */
import * as YAML from 'yaml';
import type { ValidateFunction } from 'ajv';
import { BUILTIN_LAYOUTS, DEFAULT_METRICS, DocumentKindSpec, builtinDocument, GateSpec, LayoutSpec, MetricSpec, SectionSpec } from './layout';
import { parseLabelledThresholds, parseThreshold } from './rules/doc-quantity';
import { MAX_YAML_DEPTH, normalizeTitle, parseFrontMatter, parseYamlDocument, yamlOffsetRange, yamlTooDeep } from './markdown';
import { Diagnostic, Range, Severity, range } from './types';
import { pathRange } from './yamlpath';
import { normalizePath } from './host';
import { safeRegExp } from './regex-safety';
import { globProblem } from './glob-safety';
import { UNVALIDATED_HANDOFF } from './rules/phase-predecessor';
import { configSchemaProblems, keyName } from './config-errors';
import { firstShared, metricKey, parsePhaseScope, sharedName } from './metric-scope';

export { safeRegExp };

export const CONFIG_FILE = 'phasegate.yaml';
export const CONFIG_FILES = ['phasegate.yaml', 'phasegate.yml', '.phasegate.yaml'];

export type RuleSetting = Severity | 'off';

export interface CustomLayoutConfig {
  name: string;
  description?: string;
  phases: string | string[];
  number?: string;
  documents: {
    kind: string;
    file: string;
    name?: string;
    required?: boolean;
    heading?: string;
    schema?: string;
    template?: string;
    sections?: (string | SectionSpec)[];
  }[];
  folders?: { name: string; required?: boolean; purpose?: string }[];
  gates?: { name: string; description?: string; failOn?: string[] }[];
  metrics?: MetricSpec[];
}

export interface PhasegateConfig {
  layouts?: CustomLayoutConfig[];
  rules?: Record<string, RuleSetting>;
  metrics?: MetricSpec[];
  ignore?: string[];
  templates?: string;
  /** Workspace JSON Schemas for front matter, by document kind, relative to the workspace folder. */
  schemas?: Record<string, string>;
}

export interface ResolvedConfig {
  /** Path of the config file, when there is one. */
  file: string | undefined;
  /** Folder the config's relative paths start from: the workspace folder, wherever the config file is. */
  root: string;
  layouts: LayoutSpec[];
  rules: Record<string, RuleSetting>;
  metrics: MetricSpec[];
  ignore: string[];
  /** Each glob of `ignore` as the config writes it (`./archive/` for `archive`), at the same index: what messages quote. */
  ignoreWritten?: string[];
  templates: string | undefined;
  /** Where `templates` is written in the config file (for a problem with the folder it names). */
  templatesRange?: Range;
  /** The templates the layouts' documents name (`template:`), where (`layouts[i].documents[j].template`), and its range: checked once the templates are known. */
  templateRefs?: { name: string; at: string; range: Range | undefined }[];
  /**
   * The globs of `ignore` and of the layouts' `phases` that are used, as they are matched, where (`ignore[0]`,
   * `layouts[1].phases`) and their range: checked against the scan for one that misses only by case (`globCaseProblems`).
   */
  globRefs?: { glob: string; key: 'ignore' | 'phases'; at: string; range: Range | undefined }[];
  /** Workspace schema files by kind (absolute paths). */
  schemas: Record<string, string>;
  /** Problems found in the config file. */
  problems: Diagnostic[];
}

export function defaultConfig(root: string): ResolvedConfig {
  return {
    file: undefined,
    root,
    layouts: [...BUILTIN_LAYOUTS],
    rules: {},
    metrics: DEFAULT_METRICS,
    ignore: [],
    templates: undefined,
    schemas: {},
    problems: [],
  };
}

/**
 * Why `path` (a custom layout's document `file` or folder `name`) is not a relative path that stays
 * inside the phase folder, or undefined when it is: no `..`, not absolute, no drive letter. Its
 * backslashes are separators (see `slashes`).
 */
export function phasePathProblem(path: string): string | undefined {
  const why = 'must be a relative path inside the phase folder';
  const p = slashes(path);
  if (p.startsWith('/') || /^[A-Za-z]:/.test(p)) return `${why}, not an absolute path`;
  if (p.split('/').includes('..')) return `${why}, without '..'`;
  if (p.includes('\0') || /(^|\/)\.?(\/|$)/.test(p)) return `${why}: a file or folder name, not ${JSON.stringify(path)}`;
  return undefined;
}

/** A path or glob of phasegate.yaml with its backslashes read as separators, as Windows writes them (`sprints\\sprint-*`). */
export function slashes(p: string): string {
  return p.replace(/\\/g, '/');
}

/**
 * A `phases` or `ignore` glob as it is matched, against paths relative to the workspace folder `root`
 * (with forward slashes), or why it cannot match anything there. The spellings with one meaning are
 * read so: a backslash is a separator; an absolute path inside the workspace folder is relative to
 * it; any other leading `/` stands for the workspace folder (`/sprints/*` is `sprints/*`); `./`,
 * doubled slashes and a trailing `/` are dropped (`drafts/` is the folder `drafts`, and so, for
 * `ignore`, all it holds). Refused: `..`, an absolute path outside the workspace folder (a drive
 * letter, or a path that starts with the first folder of the workspace folder's own path), and a
 * glob of the workspace folder itself.
 */
export function workspaceGlob(glob: string, root: string): { glob: string } | { problem: string } {
  let g = slashes(glob).replace(/\/{2,}/g, '/');
  const r = normalizePath(root);
  const drive = /^[A-Za-z]:/.test(g);
  if (drive || g.startsWith('/')) {
    const abs = drive ? g[0].toLowerCase() + g.slice(1) : g;
    const base = /^[A-Za-z]:/.test(r) ? r[0].toLowerCase() + r.slice(1) : r;
    const prefix = base.endsWith('/') ? base : base + '/';
    if (abs === base || abs.startsWith(prefix)) g = abs.slice(prefix.length);
    else if (drive || (base !== '/' && abs.split('/')[1] === base.split('/')[1]))
      return { problem: `must be a glob inside the workspace folder, not an absolute path outside it (${r})` };
    else g = g.slice(1);
  }
  const parts = g.split('/').filter((part) => part !== '' && part !== '.');
  if (parts.includes('..')) return { problem: "must be a glob inside the workspace folder, without '..'" };
  if (!parts.length) return { problem: 'must be a glob of paths inside the workspace folder, not the workspace folder itself' };
  return { glob: parts.join('/') };
}

/** The key at a JSON pointer of the config, as messages name it: `layouts[0].phases[1]` for `/layouts/0/phases/1`. */

/**
 * Takes `unvalidated-handoff` out of the `failOn` lists of the config's data (the schema does not allow
 * it there, and would refuse the whole config): returns the pointers of those it took out, the rest of
 * the config applies.
 */
function dropChainedGates(data: unknown): string[] {
  const out: string[] = [];
  const layouts = (data as { layouts?: unknown } | null)?.layouts;
  if (!Array.isArray(layouts)) return out;
  layouts.forEach((l: unknown, i) => {
    const gates = (l as { gates?: unknown } | null)?.gates;
    if (!Array.isArray(gates)) return;
    gates.forEach((g: unknown, j) => {
      const failOn = (g as { failOn?: unknown } | null)?.failOn;
      if (!Array.isArray(failOn) || !failOn.includes(UNVALIDATED_HANDOFF)) return;
      failOn.forEach((id, k) => id === UNVALIDATED_HANDOFF && out.push(`/layouts/${i}/gates/${j}/failOn/${k}`));
      (g as { failOn: unknown[] }).failOn = failOn.filter((id) => id !== UNVALIDATED_HANDOFF);
    });
  });
  return out;
}

/** How many capture groups `re` has (an empty alternative always matches, with every group unset). */
function captureGroups(re: RegExp): number {
  return (new RegExp(`(?:${re.source})|`, re.flags.replace(/[gy]/g, '')).exec('') as RegExpExecArray).length - 1;
}

/**
 * The lines of a config file's text, and the text as YAML is to read it: its lines joined by `\n`. YAML
 * reads a lone CR as a line break, as the lines are split, but the `yaml` package does not; and offsets
 * in the joined text are those {@link yamlOffsetRange} maps to lines.
 */
export function configLines(text: string): { lines: string[]; yaml: string } {
  const lines = text.split(/\r\n|\r|\n/);
  return { lines, yaml: text.includes('\r') ? lines.join('\n') : text };
}

/**
 * The config of `text`. With `schemaIds` (the ids of the built-in front matter schemas), a document's
 * `schema` must be one of them or a kind that `schemas:` names.
 */
export function parseConfig(file: string, text: string, root: string, validate: ValidateFunction | undefined, schemaIds?: readonly string[]): ResolvedConfig {
  const cfg = defaultConfig(root);
  cfg.file = file;
  const { lines, yaml: src } = configLines(text);
  // The file's own name (`--config ci/strict.yaml` names another than phasegate.yaml).
  const name = file.slice(file.lastIndexOf('/') + 1) || CONFIG_FILE;
  const problem = (message: string, r = range(0, 0, 0, (lines[0] ?? '').length), severity: Severity = 'error') =>
    cfg.problems.push({ file, range: r, severity, code: 'invalid-config', message });
  let doc: YAML.Document.Parsed;
  try {
    doc = parseYamlDocument(src, { prettyErrors: false });
  } catch (e) {
    problem(`${name} could not be read: ${(e as Error).message}`);
    return cfg;
  }
  const deep = yamlTooDeep(doc);
  if (deep) {
    problem(`${name} is nested too deeply (more than ${MAX_YAML_DEPTH} levels of lists and mappings)`, yamlOffsetRange(lines, 0, src, deep[0], deep[0] + 1));
    return cfg;
  }
  if (doc.errors.length) {
    for (const e of doc.errors) {
      // A quoted value not closed runs to the end of the file, where the parser reports it: at its opening quote.
      const open = e.code === 'MISSING_CHAR' ? unclosedQuote(doc, e.pos[0]) : undefined;
      if (open !== undefined) problem(`${e.message.split('\n')[0]}: the value that opens here is not closed`, yamlOffsetRange(lines, 0, src, open, open + 1));
      else problem(e.message.split('\n')[0], yamlOffsetRange(lines, 0, src, e.pos[0], e.pos[1]));
    }
    return cfg;
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    problem(`${name} could not be read: ${(e as Error).message}`);
    return cfg;
  }
  if (data === null || data === undefined) return cfg;
  /** The range of the value at a JSON pointer, on the config's own lines (undefined when not found). */
  const valueAt = (pointer: string): Range | undefined => pathRange(doc, lines, 0, src, pointer) ?? undefined;
  for (const at of dropChainedGates(data)) {
    problem(
      `${keyName(at)}: no gate answers for \`${UNVALIDATED_HANDOFF}\`, which reports that the previous phase has not passed its gates: a gate that did would hold every later phase with the one before; left out`,
      valueAt(at),
    );
  }
  if (validate && !validate(data)) {
    for (const p of configSchemaProblems(validate.errors ?? [], validate.schema, data, name))
      problem(p.message, pathRange(doc, lines, 0, src, p.pointer, p.key) ?? range(0, 0, 0, 0));
    return cfg;
  }
  if (typeof data !== 'object' || Array.isArray(data)) {
    problem(`${name} must be a mapping of settings.`);
    return cfg;
  }
  const c = data as PhasegateConfig;
  cfg.rules = { ...(c.rules ?? {}) };
  /** The globs at `pointer` that can match, as they are matched (see `workspaceGlob`), and that match in bounded time (see `globProblem`); each other one is reported at its value. */
  const globs = (value: string | string[], pointer: string, written?: string[]): string[] => {
    const list = Array.isArray(value) ? value.map((g, j) => ({ g, at: `${pointer}/${j}` })) : [{ g: value, at: pointer }];
    const out: string[] = [];
    for (const { g, at } of list) {
      const read = workspaceGlob(g, root);
      const why = 'glob' in read ? globProblem(read.glob) : read.problem;
      if (why === undefined && 'glob' in read) {
        out.push(read.glob);
        written?.push(g);
        (cfg.globRefs ??= []).push({ glob: read.glob, key: pointer === '/ignore' ? 'ignore' : 'phases', at: keyName(at), range: valueAt(at) });
      } else problem(`${keyName(at)}: ${why}`, valueAt(at));
    }
    return out;
  };
  cfg.ignoreWritten = [];
  cfg.ignore = globs(c.ignore ?? [], '/ignore', cfg.ignoreWritten);
  cfg.templates = c.templates;
  if (c.templates !== undefined) cfg.templatesRange = pathRange(doc, lines, 0, src, '/templates');
  for (const [kind, rel] of Object.entries(c.schemas ?? {})) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(rel)) {
      problem(`schemas.${kind}: remote schemas are never fetched; give a path inside the workspace`, valueAt(`/schemas/${kind}`));
      continue;
    }
    cfg.schemas[kind] = rel.startsWith('/') ? rel : `${root}/${rel}`;
  }
  // A threshold the metric rule cannot read would leave its metric unchecked, and nothing would say why.
  const readable = (metrics: MetricSpec[] | undefined, at: string): MetricSpec[] | undefined =>
    metrics &&
    scoped(
      metrics
        .map((m, k) => ({ m, k }))
        .filter(({ m, k }) => {
          if (parseThreshold(m.threshold) || parseLabelledThresholds(m.threshold)) return true;
          problem(
            `${keyName(`${at}/${k}`)}.threshold: \`${m.threshold}\` is no threshold: write a comparison and a number, as \`>= 80%\`, \`< 5 min\` or \`0 critical, < 5 high\``,
            valueAt(`${at}/${k}/threshold`),
          );
          return false;
        }),
      at,
    );
  // Each entry's `phases` read as its scope: one that names no phase, or a phase an entry of its name before it names, is left out.
  const scoped = (metrics: { m: MetricSpec; k: number }[], at: string): MetricSpec[] => {
    const kept: { m: MetricSpec; k: number }[] = [];
    // In its phases a scoped entry puts out the unscoped one of its name (the list's, else the built-in one, which only
    // the workspace's list keeps): it answers to that one's aliases too (`Coverage` of `Code coverage`), which would else
    // name no threshold there.
    const putOut = (m: MetricSpec): string[] => {
      const own = metrics.filter((o) => o.m.phases === undefined && metricKey(o.m) === metricKey(m)).map((o) => o.m);
      const from = own.length || at !== '/metrics' ? own : DEFAULT_METRICS.filter((d) => metricKey(d) === metricKey(m));
      return from.flatMap((o) => o.aliases ?? []);
    };
    for (const { m: entry, k } of metrics) {
      const inherited = entry.phases === undefined ? [] : putOut(entry);
      const m = inherited.length ? { ...entry, aliases: [...(entry.aliases ?? []), ...inherited] } : entry;
      if (m.phases === undefined) {
        kept.push({ m, k });
        continue;
      }
      const where = `${keyName(`${at}/${k}`)}.phases`;
      const scope = parsePhaseScope(m.phases);
      if ('problem' in scope) {
        problem(`${where}: ${scope.problem}`, valueAt(`${at}/${k}/phases`));
        continue;
      }
      // One metric, also when the two name it differently: a name or alias of one is the other's (`Coverage`, an alias of
      // `Code coverage`), and a row so named would be held to whichever comes first.
      const other = kept.find((o) => o.m.scope && firstShared(o.m.scope, scope) !== undefined && sharedName(o.m, m) !== undefined);
      if (other) {
        const first = firstShared(other.m.scope!, scope);
        const otherAt = keyName(`${at}/${other.k}`);
        const shared = sharedName(other.m, m)!;
        problem(
          metricKey(other.m) === metricKey(m)
            ? `${where}: \`${m.name}\` has a threshold for ${other.m.scope!.label} at ${otherAt}, and phase ${first} is in both; give a phase one threshold of a metric (left out)`
            : `${where}: \`${m.name}\` and \`${other.m.name}\` at ${otherAt} are one metric (a row named \`${shared}\` is either), which has a threshold for ${other.m.scope!.label} there, and phase ${first} is in both; give a phase one threshold of a metric (left out)`,
          valueAt(`${at}/${k}/phases`),
        );
        continue;
      }
      kept.push({ m: { ...m, scope }, k });
    }
    return kept.map(({ m }) => m);
  };
  c.metrics = readable(c.metrics, '/metrics');
  if (c.metrics) {
    // A name given unscoped replaces the built-in metric; one given for some phases only leaves it to the others.
    const names = new Set(c.metrics.filter((m) => !m.scope).map((m) => m.name.toLowerCase()));
    cfg.metrics = [...c.metrics, ...DEFAULT_METRICS.filter((m) => !names.has(m.name.toLowerCase()))];
    // The built-in layouts carry the default thresholds: the workspace's own replace them.
    cfg.layouts = cfg.layouts.map((l) => (l.metrics === DEFAULT_METRICS ? { ...l, metrics: cfg.metrics } : l));
  }
  // Custom layouts are tried in the order listed, before the built-in ones: a folder the globs of two
  // layouts claim is a phase of the first.
  const custom: LayoutSpec[] = [];
  const named = new Map<string, number>();
  (c.layouts ?? []).forEach((l, i) => {
    // A layout is known by its name (the tree, --format json, the gates of the built-in ones): one name, one
    // layout, whatever the case (`Audit` would read as the built-in one in the tree and in `status`).
    const key = l.name.toLowerCase();
    const taken = BUILTIN_LAYOUTS.some((b) => b.name === key)
      ? 'the name of a built-in layout'
      : named.has(key)
        ? `the name of layouts[${named.get(key)}]`
        : undefined;
    // A layout refused for its name or its number is left out, but the rest of it is read all the same, so that
    // its other problems are told at once, not one fix after the other.
    let refused = false;
    if (taken) {
      problem(`layouts[${i}].name: \`${l.name}\` is ${taken}; give this layout a name of its own`, valueAt(`/layouts/${i}/name`));
      refused = true;
    } else named.set(key, i);
    let pattern: RegExp = /(\d+)/;
    if (l.number) {
      const re = safeRegExp(l.number);
      // Without a group the layout's phases would have no numbers, and nothing would say why.
      const why =
        typeof re === 'string'
          ? re
          : captureGroups(re) === 0
            ? 'no capture group: group 1, in parentheses, is the phase number (as in sprint-(\\d+))'
            : undefined;
      if (typeof re === 'string' || why !== undefined) {
        problem(`layouts[${i}].number: ${why}`, valueAt(`/layouts/${i}/number`));
        refused = true;
      } else pattern = re;
    }
    const inPhase = (p: string, key: string): boolean => {
      const why = phasePathProblem(p);
      if (why)
        problem(
          `layouts[${i}].${key
            .split('/')
            .join('.')
            .replace(/\.(\d+)\./g, '[$1].')}: ${why}`,
          valueAt(`/layouts/${i}/${key}`),
        );
      return !why;
    };
    // A template name is checked once the templates are read (see PhasegateService.reportTemplateProblems).
    l.documents.forEach((d, j) => {
      if (d.template !== undefined)
        (cfg.templateRefs ??= []).push({
          name: d.template,
          at: `layouts[${i}].documents[${j}].template`,
          range: valueAt(`/layouts/${i}/documents/${j}/template`),
        });
    });
    // A schema id is a built-in one or a kind that schemas: names: any other would check nothing.
    l.documents.forEach((d, j) => {
      if (d.schema === undefined || !schemaIds || schemaIds.includes(d.schema) || d.schema in cfg.schemas) return;
      problem(
        `layouts[${i}].documents[${j}].schema: \`${d.schema}\` names no schema: give a built-in one (${schemaIds.join(', ')}) or a kind that schemas: names`,
        valueAt(`/layouts/${i}/documents/${j}/schema`),
      );
    });
    // One document per file and one gate per name (as a checklist heading names it): a second would
    // be the first one again, checked twice and listed twice.
    const files = new Map<string, number>();
    const documents: DocumentKindSpec[] = l.documents
      .filter((d, j) => {
        if (!inPhase(d.file, `documents/${j}/file`)) return false;
        const key = slashes(d.file);
        const first = files.get(key);
        if (first === undefined) {
          files.set(key, j);
          return true;
        }
        problem(
          `layouts[${i}].documents[${j}].file: \`${d.file}\` is the file of layouts[${i}].documents[${first}]; give each document a file of its own`,
          valueAt(`/layouts/${i}/documents/${j}/file`),
        );
        return false;
      })
      .map((d) => ({
        kind: d.kind,
        file: slashes(d.file),
        // A built-in kind's name (`Output handoff`) when the layout gives none, as its heading (see kindHeading).
        name: d.name ?? builtinDocument(d.kind)?.name ?? d.kind,
        required: d.required ?? true,
        heading: placeholders(d.heading),
        schema: d.schema,
        template: d.template,
        sections: (d.sections ?? []).map((s) =>
          typeof s === 'string'
            ? { title: placeholders(s)! }
            : {
                ...s,
                title: placeholders(s.title)!,
                description: placeholders(s.description),
                ...(s.aliases ? { aliases: s.aliases.map((a) => placeholders(a)!) } : {}),
              },
        ),
      }));
    // A gate's checklist is found by the words of its name (`normalizeTitle`: case, punctuation and
    // emoji dropped): a second name with the same words would be read from the first one's heading.
    const gateNames = new Map<string, number>();
    const gateKeys = new Map<string, number>();
    const gates: GateSpec[] = (l.gates ?? [])
      .filter((g, j) => {
        const at = valueAt(`/layouts/${i}/gates/${j}/name`);
        const name = g.name.trim().toLowerCase();
        const key = normalizeTitle(g.name);
        const first = gateNames.get(name);
        const same = gateKeys.get(key);
        if (first !== undefined)
          problem(`layouts[${i}].gates[${j}].name: \`${g.name}\` is the name of layouts[${i}].gates[${first}]; give each gate a name of its own`, at);
        else if (key === '')
          problem(
            `layouts[${i}].gates[${j}].name: \`${g.name}\` has no letter or digit, and a gate's checklist heading is found by the words of its name; give it a name with words`,
            at,
          );
        else if (same !== undefined)
          problem(
            `layouts[${i}].gates[${j}].name: \`${g.name}\` and layouts[${i}].gates[${same}] (\`${l.gates![same].name}\`) are both read from the same heading (\`## Gate N: ${g.name}\` is matched by its words, \`${key}\`, as \`## Gate N: ${l.gates![same].name}\` is); give each gate words of its own`,
            at,
          );
        else {
          gateNames.set(name, j);
          gateKeys.set(key, j);
          return true;
        }
        return false;
      })
      .map((g) => ({ name: g.name, description: g.description ?? '', failOn: g.failOn ?? [] }));
    const layout: LayoutSpec = {
      name: l.name,
      description: l.description ?? `Custom layout ${l.name}`,
      folderPattern: pattern,
      workstreams: false,
      documents,
      folders: (l.folders ?? [])
        .filter((f, j) => inPhase(f.name, `folders/${j}/name`))
        .map((f) => ({ name: slashes(f.name), required: f.required ?? false, purpose: f.purpose ?? '' })),
      gates,
      metrics: readable(l.metrics, `/layouts/${i}/metrics`) ?? cfg.metrics,
      phaseGlobs: globs(l.phases, `/layouts/${i}/phases`),
    };
    if (!refused) custom.push(layout);
  });
  cfg.layouts = [...custom, ...cfg.layouts];
  return cfg;
}

/**
 * `text` with its phase-number placeholders as the engine reads them: `{n}`, `{ N }`, `{N + 1}` and `{{N}}`
 * (as Handlebars writes a value) are `{N}` and `{N+1}`, as they were meant.
 */
export function placeholders(text: string | undefined): string | undefined {
  if (text === undefined || !text.includes('{')) return text;
  return text.replace(/\{{1,2} *[Nn] *(?:([+-]) *(\d{1,9}) *)?\}{1,2}/g, (m, sign: string | undefined, d: string | undefined) =>
    (m.startsWith('{{') && !m.endsWith('}}')) || (!m.startsWith('{{') && m.endsWith('}}')) ? m : `{N${sign ? sign + d : ''}}`,
  );
}

export { parseFrontMatter };

/** The offset of the opening quote of a quoted value that runs to `end` (where a missing closing quote is reported). */
function unclosedQuote(doc: YAML.Document.Parsed, end: number): number | undefined {
  let found: number | undefined;
  YAML.visit(doc, {
    Scalar(_key, node) {
      if ((node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') && node.range && node.range[1] >= end) found ??= node.range[0];
    },
  });
  return found;
}
