/** The engine's public surface: what the language server, the CLI and tests import. */
export * from './types';
export * from './host';
export * from './layout';
export * from './markdown';
export * from './config';
export * from './workspace';
export * from './gates';
export * from './service';
export * from './actions';
export * from './templates';
export { RULES, RULE_IDS, ruleInfo, ruleDocsUrl } from './rules/catalog';
export * from './scaffold';
export { completeHandoff } from './fixes/phase';
