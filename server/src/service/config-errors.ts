/**
 * The config schema's errors (ajv's, one per failed keyword) as the problems a person reads: one per
 * mistake, at its key or value, in the keys' own notation (`layouts[0].documents`), with the key or rule
 * id a misspelling was probably meant as. ajv reports a misspelt required key twice (`documnets` is not
 * allowed, `documents` is missing), an `anyOf` value once per branch and once for the `anyOf`, and an
 * unknown rule id in `failOn` with the whole list of rule ids.
 */
import type { ErrorObject } from 'ajv';
import { nearest } from './rules/doc-fm-typos';
import { RULE_IDS } from './rules/catalog';

export interface ConfigSchemaProblem {
  /** JSON pointer of the value the problem is about. */
  pointer: string;
  /** The key itself, when the problem is the key (not allowed): its range is the key's. */
  key?: string;
  message: string;
}

/** `layouts[0].documents` for `/layouts/0/documents`; `file` (the config file's name) for the whole file. */
export function keyName(pointer: string, file = 'phasegate.yaml'): string {
  if (pointer === '') return file;
  return pointer
    .slice(1)
    .replace(/\/(\d+)(?=\/|$)/g, '[$1]')
    .replace(/\//g, '.')
    .replace(/~1/g, '/')
    .replace(/~0/g, '~');
}

function at(data: unknown, pointer: string): unknown {
  let cur = data;
  for (const part of pointer.split('/').slice(1)) {
    const key = part.replace(/~1/g, '/').replace(/~0/g, '~');
    cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[key] : undefined;
  }
  return cur;
}

/** The subschema at a schema path (`#/properties/layouts/items`). */
function schemaAt(schema: unknown, schemaPath: string): Record<string, unknown> | undefined {
  const s = at(schema, schemaPath.replace(/^#/, ''));
  return s && typeof s === 'object' ? (s as Record<string, unknown>) : undefined;
}

const parentPath = (schemaPath: string) => schemaPath.slice(0, schemaPath.lastIndexOf('/'));

/** The type names of a failed `type` keyword. */
function typeNames(e: ErrorObject): string[] {
  const t = (e.params as { type?: string | string[] }).type;
  return Array.isArray(t) ? t : t ? t.split(',') : [];
}

/**
 * Leaves, of the errors under each `anyOf`, those of the one branch whose type the value has (a section
 * given as a mapping is read as the mapping branch: "must have required property 'title'", not also
 * "must be string" and "must match a schema in anyOf"); when the value has no branch's type, one error
 * naming the types it may have.
 */
function pruneAnyOf(errors: ErrorObject[]): ErrorObject[] {
  let out = errors;
  for (const any of errors.filter((e) => e.keyword === 'anyOf')) {
    const prefix = any.schemaPath + '/';
    // Its own value's errors: the same `anyOf` fails at each value of a list (`metrics[0].phases`, `metrics[1].phases`).
    const inside = out.filter(
      (e) => e.schemaPath.startsWith(prefix) && (e.instancePath === any.instancePath || e.instancePath.startsWith(any.instancePath + '/')),
    );
    const branches = new Map<string, ErrorObject[]>();
    for (const e of inside) {
      const k = e.schemaPath.slice(prefix.length).split('/')[0];
      branches.set(k, [...(branches.get(k) ?? []), e]);
    }
    const wrongType = (errs: ErrorObject[]) => errs.some((e) => e.keyword === 'type' && e.instancePath === any.instancePath);
    const fitting = [...branches.values()].filter((errs) => !wrongType(errs));
    const drop = new Set<ErrorObject>(inside);
    if (fitting.length === 1) {
      for (const e of fitting[0]) drop.delete(e);
      drop.add(any);
      out = out.filter((e) => !drop.has(e));
    } else if (fitting.length === 0 && branches.size > 0) {
      const types = [
        ...new Set(
          [...branches.values()].flatMap((errs) => errs.filter((e) => e.keyword === 'type' && e.instancePath === any.instancePath).flatMap(typeNames)),
        ),
      ];
      const merged: ErrorObject = { ...any, keyword: 'type', params: { type: types.join(',') }, message: `must be ${types.map(typeWord).join(' or ')}` };
      out = out.filter((e) => !drop.has(e)).map((e) => (e === any ? merged : e));
    }
  }
  return out;
}

function typeWord(t: string): string {
  return t === 'array' ? 'a list' : t === 'object' ? 'a mapping' : t;
}

/** The problems of a config's data (`data`) that failed its schema (`schema`) with `errors`. */
export function configSchemaProblems(errors: readonly ErrorObject[], schema: unknown, data: unknown, file = 'phasegate.yaml'): ConfigSchemaProblem[] {
  const kept = pruneAnyOf([...errors]);
  const out: ConfigSchemaProblem[] = [];
  // A required key that a key not allowed beside it misspells is reported once, as that key.
  const unknownKeys = kept.filter((e) => e.keyword === 'additionalProperties');
  for (const e of kept) {
    // An unknown key or rule id is reported once, by its own error, over the key itself.
    if (e.propertyName !== undefined && e.keyword !== 'propertyNames') continue;
    const params = e.params as { additionalProperty?: string; propertyName?: string; missingProperty?: string; allowedValues?: unknown[] };
    const where = keyName(e.instancePath, file);
    if (e.keyword === 'additionalProperties' || e.keyword === 'propertyNames') {
      const key = (e.keyword === 'additionalProperties' ? params.additionalProperty : params.propertyName) ?? '';
      if (e.instancePath === '/rules') {
        const near = nearest(key, RULE_IDS);
        out.push({ pointer: e.instancePath, key, message: `${where}: \`${key}\` is not a known rule id${near ? `: did you mean \`${near}\`?` : ''}` });
        continue;
      }
      const allowed = Object.keys(schemaAt(schema, `${parentPath(e.schemaPath)}/properties`) ?? {});
      const present = at(data, e.instancePath);
      const near = nearest(
        key,
        allowed.filter((k) => !(present && typeof present === 'object' && k in present)),
      );
      out.push({ pointer: e.instancePath, key, message: `${where}: \`${key}\` is not an allowed key${near ? `: did you mean \`${near}\`?` : ''}` });
      continue;
    }
    if (e.keyword === 'required' && params.missingProperty !== undefined) {
      if (unknownKeys.some((u) => u.instancePath === e.instancePath && meantAs(u, params.missingProperty!))) continue;
      out.push({ pointer: e.instancePath, message: `${where}: \`${params.missingProperty}\` is required` });
      continue;
    }
    if (e.keyword === 'enum' && params.allowedValues) {
      const value = at(data, e.instancePath);
      const values = params.allowedValues.map(String);
      if (values.length > 8) {
        const rules = values.every((v) => RULE_IDS.has(v));
        const near = typeof value === 'string' ? nearest(value, values) : undefined;
        const what = rules ? 'a known rule id' : `one of the ${values.length} allowed values`;
        out.push({ pointer: e.instancePath, message: `${where}: \`${String(value)}\` is not ${what}${near ? `: did you mean \`${near}\`?` : ''}` });
      } else out.push({ pointer: e.instancePath, message: `${where} must be one of: ${values.join(', ')}` });
      continue;
    }
    // A pattern says what it wants in words (`patternErrorMessage`, as VS Code's schemas do), not as the expression.
    const patternMessage = e.keyword === 'pattern' ? schemaAt(schema, parentPath(e.schemaPath))?.patternErrorMessage : undefined;
    if (typeof patternMessage === 'string') {
      out.push({ pointer: e.instancePath, message: `${where}: \`${String(at(data, e.instancePath))}\` ${patternMessage}` });
      continue;
    }
    out.push({ pointer: e.instancePath, message: `${where} ${e.message ?? 'is invalid'}` });
  }
  return out;
}

/** Whether a key that is not allowed (`u`) is a misspelling of the required key `missing`. */
function meantAs(u: ErrorObject, missing: string): boolean {
  const key = (u.params as { additionalProperty?: string }).additionalProperty ?? '';
  return nearest(key, [missing]) === missing;
}
