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
