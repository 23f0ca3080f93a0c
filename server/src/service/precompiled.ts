/**
 * Schema validators without compiling at run time: the built-in schemas are compiled at build time
 * (generated/validators.ts, written by scripts/gen-validators.mjs), and ajv itself is loaded only
 * when something else must be compiled (a workspace schema, or a built-in one that differs).
 * The generated code is plain JavaScript over ajv's runtime helpers: no file access, so the engine
 * imports it directly and every host (CLI, its worker threads, language server, tests) gets it.
 */
import type Ajv from 'ajv';
import type { ValidateFunction } from 'ajv';
import { AJV_OPTIONS, PRECOMPILED } from './generated/validators';
import { boundedRegExp } from './regex-safety';

/**
 * The precompiled validator of schema `id`, when `schema` is exactly (as JSON text) the schema it
 * was compiled from; otherwise undefined and the caller compiles `schema` itself. The check costs
 * one `JSON.stringify` of the schema (well under a millisecond), once per engine and schema id.
 */
export function precompiled(id: string, schema: object): ValidateFunction | undefined {
  const pre = Object.prototype.hasOwnProperty.call(PRECOMPILED, id) ? PRECOMPILED[id] : undefined;
  if (!pre || JSON.stringify(schema) !== pre.source) return undefined;
  // As on an ajv-compiled function: readers of `.schema` (fixes/document.ts) get the schema in force.
  pre.validate.schema = schema;
  return pre.validate;
}

/**
 * A new run-time compiler with the options the precompiled validators were generated with (same errors),
 * whose patterns are tested on strings of bounded length (`boundedRegExp`: workspace schemas' patterns).
 */
export function createAjv(): Ajv {
  // Loaded here, not imported at the top: a run with only built-in schemas never loads ajv's compiler.
  const { default: AjvClass } = require('ajv') as typeof import('ajv');
  const { default: addFormats } = require('ajv-formats') as typeof import('ajv-formats');
  // A workspace schema's `format`s are checked (the built-in schemas use none); `schemaProblems` refuses
  // a format ajv-formats does not know, which ajv would ignore. Its fast forms: simple expressions, linear.
  const ajv = new AjvClass({ ...AJV_OPTIONS, validateFormats: true, code: { regExp: boundedRegExp } });
  addFormats(ajv, { mode: 'fast' });
  return ajv;
}
