/**
 * Reads the front matter schema of a document kind for completion and hover (properties, enums,
 * descriptions): the schema in force, as the diagnostics apply it (`svc.validator`): a trusted
 * workspace's own schema (phasegate.yaml `schemas:`) when it has one, else the built-in one. The
 * schema is read as the engine reads it (service/schema-props.ts).
 */
import type { PhasegateService } from '../service/service';
import type { DocumentKindSpec } from '../service/layout';
import { PropertyInfo, propertiesAt } from '../service/schema-props';

export { PropertyInfo, valueKey } from '../service/schema-props';

/** The front matter schema in force for documents of `spec`, as the diagnostics validate them; undefined when none applies. */
export function schemaInForce(svc: PhasegateService, spec: DocumentKindSpec | undefined): unknown {
  const id = spec?.schema;
  return id ? svc.validator(id)?.schema : undefined;
}

/**
 * The properties the schema in force for `spec` describes for the mapping at `path` of the front matter (keys, and
 * item indexes of lists: `['approvals', 0]`); none where it says nothing.
 */
export function schemaPropertiesAt(svc: PhasegateService, spec: DocumentKindSpec | undefined, path: (string | number)[]): PropertyInfo[] {
  return propertiesAt(schemaInForce(svc, spec), path, (e) => svc.logger.log(`reading schema ${spec?.schema} failed: ${e.message}`)).props;
}

/** The front matter properties the schema in force for `spec` describes, in schema order. */
export function schemaProperties(svc: PhasegateService, spec: DocumentKindSpec | undefined): PropertyInfo[] {
  return schemaPropertiesAt(svc, spec, []);
}
