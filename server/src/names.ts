/**
 * Rules for names the user types that the engine refuses, shared by the engine (scaffold.ts) and the
 * VS Code client, which checks them as they are typed rather than after the next question.
 */

/** Why `name` cannot name a workstream (a folder of `workstreams/`), or undefined when it can. */
export function workstreamNameProblem(name: string): string | undefined {
  if (!name.trim() || /[\\/]/.test(name) || name === '.' || name === '..') return `'${name}' is not a workstream name`;
  return undefined;
}
