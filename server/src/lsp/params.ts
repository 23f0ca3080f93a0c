/**
 * Checks of the parameters of the custom requests (`phasegate/*`): a client that sends the wrong
 * shape gets an InvalidParams error naming the field, instead of a fallback answer and a stack
 * trace in the server's log.
 */
import { ErrorCodes, ResponseError } from 'vscode-languageserver';

type Kind = 'string' | 'number' | 'boolean' | 'object';

export interface ParamSpec {
  [field: string]: { kind: Kind; optional?: boolean };
}

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

/**
 * `params` as `T` when it has the fields of `spec`; throws a ResponseError (InvalidParams) otherwise.
 * `within` names the parameter that holds the fields checked (`options`), when it is not the whole.
 */
export function checkParams<T>(method: string, params: unknown, spec: ParamSpec, within?: string): T {
  if (kindOf(params) !== 'object')
    throw new ResponseError(ErrorCodes.InvalidParams, `${method}: ${within ? `\`${within}\`` : 'the parameters'} must be an object, not ${kindOf(params)}`);
  const p = params as Record<string, unknown>;
  for (const [field, { kind, optional }] of Object.entries(spec)) {
    const v = p[field];
    if (v === undefined && optional) continue;
    const k = kindOf(v);
    const ok = k === kind && (kind !== 'number' || Number.isFinite(v));
    if (!ok)
      throw new ResponseError(
        ErrorCodes.InvalidParams,
        `${method}: \`${within ? `${within}.` : ''}${field}\` must be ${kind === 'object' ? 'an' : 'a'} ${kind}${optional ? ' when given' : ''}, not ${k}`,
      );
  }
  return params as T;
}

/** What a standard request on a document carries besides `textDocument`, as `checkDocumentParams` checks it. */
export interface DocumentParamSpec {
  position?: boolean;
  range?: boolean;
  /** `context`: a code action's (an object, `only` an array of strings when given) or references' (an object). */
  context?: 'codeAction' | 'references';
}

function invalid(method: string, field: string, what: string, v: unknown): ResponseError<void> {
  return new ResponseError(ErrorCodes.InvalidParams, `${method}: \`${field}\` must be ${what}, not ${kindOf(v)}`);
}

/** A position of the protocol: whole numbers from 0 (`line`, `character`). */
function checkPosition(method: string, field: string, v: unknown): void {
  if (kindOf(v) !== 'object') throw invalid(method, field, 'a position ({ line, character })', v);
  const p = v as Record<string, unknown>;
  for (const k of ['line', 'character']) {
    const n = p[k];
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) throw invalid(method, `${field}.${k}`, 'a whole number from 0', n);
  }
}

/**
 * Checks the parameters of a standard request on a document (`textDocument/hover`, `…/codeAction`, …): an object
 * with `textDocument.uri` a string, and the position, range or context the request carries. A client that sends
 * another shape gets an InvalidParams error naming the field, instead of an answer computed from nothing and a
 * TypeError in the server's log. Returns `params` as `T`.
 */
export function checkDocumentParams<T>(method: string, params: T, spec: DocumentParamSpec = {}): T {
  if (kindOf(params) !== 'object') throw new ResponseError(ErrorCodes.InvalidParams, `${method}: the parameters must be an object, not ${kindOf(params)}`);
  const p = params as Record<string, unknown>;
  if (kindOf(p.textDocument) !== 'object') throw invalid(method, 'textDocument', 'an object ({ uri })', p.textDocument);
  const uri = (p.textDocument as Record<string, unknown>).uri;
  if (typeof uri !== 'string') throw invalid(method, 'textDocument.uri', 'a string', uri);
  if (spec.position) checkPosition(method, 'position', p.position);
  if (spec.range) {
    if (kindOf(p.range) !== 'object') throw invalid(method, 'range', 'a range ({ start, end })', p.range);
    const r = p.range as Record<string, unknown>;
    checkPosition(method, 'range.start', r.start);
    checkPosition(method, 'range.end', r.end);
  }
  if (spec.context === 'codeAction') {
    if (kindOf(p.context) !== 'object') throw invalid(method, 'context', 'an object', p.context);
    const only = (p.context as Record<string, unknown>).only;
    if (only !== undefined && (!Array.isArray(only) || only.some((k) => typeof k !== 'string')))
      throw invalid(method, 'context.only', 'an array of strings when given', only);
  }
  // Optional in practice (`includeDeclaration` is read with a default), an object when given.
  if (spec.context === 'references' && p.context !== undefined && kindOf(p.context) !== 'object')
    throw invalid(method, 'context', 'an object when given', p.context);
  return params;
}

/** Checks `workspace/diagnostic`'s parameters: `previousResultIds` an array of `{ uri, value }` strings. */
export function checkWorkspaceDiagnosticParams<T extends { previousResultIds: unknown }>(params: T): T {
  const method = 'workspace/diagnostic';
  if (kindOf(params) !== 'object') throw new ResponseError(ErrorCodes.InvalidParams, `${method}: the parameters must be an object, not ${kindOf(params)}`);
  const ids = params.previousResultIds;
  if (!Array.isArray(ids)) throw invalid(method, 'previousResultIds', 'an array', ids);
  for (const [i, id] of ids.entries()) {
    if (kindOf(id) !== 'object') throw invalid(method, `previousResultIds[${i}]`, 'an object ({ uri, value })', id);
    const p = id as Record<string, unknown>;
    for (const k of ['uri', 'value']) if (typeof p[k] !== 'string') throw invalid(method, `previousResultIds[${i}].${k}`, 'a string', p[k]);
  }
  return params;
}
