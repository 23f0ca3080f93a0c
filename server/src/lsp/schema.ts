/** Reads the front matter schema of a document kind for completion and hover (properties, enums, descriptions). */
import type { PhasegateService } from '../service/service';
import type { DocumentKindSpec } from '../service/layout';

export interface PropertyInfo {
  name: string;
  description: string | undefined;
  type: string | undefined;
  enumValues: unknown[];
  required: boolean;
}

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

/** Resolves a local `$ref` (`#/definitions/x`, `#/$defs/x`) or one into another built-in schema (`common.schema.json#/…`). */
function resolve(svc: PhasegateService, root: Json, node: Json, depth = 0): Json {
  const ref = node.$ref;
  if (typeof ref !== 'string' || depth > 8) return node;
  const [file, pointer = ''] = ref.split('#');
  const docRoot: unknown = file ? svc.assets.schemas[file.replace(/^.*\//, '').replace(/\.schema\.json$|\.json$/, '')] : root;
  let base: unknown = docRoot;
  for (const seg of pointer.split('/').filter(Boolean)) {
    base = isObject(base) ? base[decodeURIComponent(seg).replace(/~1/g, '/').replace(/~0/g, '~')] : undefined;
  }
  if (!isObject(base)) return node;
  const rest = { ...node };
  delete rest.$ref;
  return { ...resolve(svc, isObject(docRoot) ? docRoot : root, base, depth + 1), ...rest };
}

function collect(svc: PhasegateService, root: Json, node: Json, out: Map<string, PropertyInfo>, required: Set<string>, depth = 0): void {
  if (depth > 8) return;
  const n = resolve(svc, root, node);
  if (Array.isArray(n.required)) for (const r of n.required) if (typeof r === 'string') required.add(r);
  if (isObject(n.properties)) {
    for (const [name, raw] of Object.entries(n.properties)) {
      if (!isObject(raw)) continue;
      const p = resolve(svc, root, raw);
      const prev = out.get(name);
      const items = isObject(p.items) ? resolve(svc, root, p.items) : undefined;
      const enumValues = Array.isArray(p.enum) ? p.enum : p.const !== undefined ? [p.const] : Array.isArray(items?.enum) ? (items!.enum as unknown[]) : [];
      const anyOfEnums = [...(Array.isArray(p.anyOf) ? p.anyOf : []), ...(Array.isArray(p.oneOf) ? p.oneOf : [])].filter(isObject).flatMap((x) => {
        const r = resolve(svc, root, x);
        return Array.isArray(r.enum) ? r.enum : r.const !== undefined ? [r.const] : [];
      });
      out.set(name, {
        name,
        description:
          (typeof p.description === 'string' ? p.description : undefined) ?? (typeof p.title === 'string' ? p.title : undefined) ?? prev?.description,
        type: typeof p.type === 'string' ? p.type : Array.isArray(p.type) ? p.type.join(' | ') : prev?.type,
        enumValues: [...enumValues, ...anyOfEnums],
        required: false,
      });
    }
  }
  for (const k of ['allOf', 'anyOf', 'oneOf']) {
    const list = n[k];
    if (Array.isArray(list)) for (const sub of list) if (isObject(sub)) collect(svc, root, sub, out, required, depth + 1);
  }
}

/** The front matter properties the schema of `spec` describes, in schema order. */
export function schemaProperties(svc: PhasegateService, spec: DocumentKindSpec | undefined): PropertyInfo[] {
  const id = spec?.schema;
  const schema = id ? svc.assets.schemas[id] : undefined;
  if (!isObject(schema)) return [];
  const out = new Map<string, PropertyInfo>();
  const required = new Set<string>();
  try {
    collect(svc, schema, schema, out, required);
  } catch (e) {
    svc.logger.log(`reading schema ${id} failed: ${(e as Error).message}`);
  }
  return [...out.values()].map((p) => ({ ...p, required: required.has(p.name) }));
}
