/**
 * `phasegate.*` settings, read per resource with workspace/configuration, defaults merged
 * in, cached until didChangeConfiguration.
 */
import type { Connection } from 'vscode-languageserver';
import { DEFAULT_SETTINGS, PhasegateSettings } from '../protocol';
import type { Folder } from './workspaces';

const SEVERITIES = new Set(['error', 'warning', 'information', 'hint', 'off']);

/** Merges what the client sent over the defaults, ignoring values of the wrong type. */
export function mergeSettings(raw: unknown): PhasegateSettings {
  const r = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const validate = (r.validate && typeof r.validate === 'object' ? r.validate : {}) as Record<string, unknown>;
  const codeLens = (r.codeLens && typeof r.codeLens === 'object' ? r.codeLens : {}) as Record<string, unknown>;
  const rules: PhasegateSettings['rules'] = {};
  if (r.rules && typeof r.rules === 'object') {
    for (const [k, v] of Object.entries(r.rules as Record<string, unknown>)) {
      if (typeof v === 'string' && SEVERITIES.has(v)) rules[k] = v as PhasegateSettings['rules'][string];
    }
  }
  const debounce = validate.debounceMs;
  return {
    enable: typeof r.enable === 'boolean' ? r.enable : DEFAULT_SETTINGS.enable,
    validate: {
      debounceMs: typeof debounce === 'number' && debounce >= 0 && debounce <= 10_000 ? debounce : DEFAULT_SETTINGS.validate.debounceMs,
    },
    rules,
    codeLens: { enable: typeof codeLens.enable === 'boolean' ? codeLens.enable : DEFAULT_SETTINGS.codeLens.enable },
  };
}

export class Settings {
  private readonly cache = new Map<string, Promise<PhasegateSettings>>();
  /** Settings pushed with didChangeConfiguration, for clients without workspace/configuration. */
  private pushed: PhasegateSettings = DEFAULT_SETTINGS;

  constructor(
    private readonly connection: Connection,
    private readonly canPull: () => boolean,
    private readonly log: (m: string) => void,
  ) {}

  /** Settings in force for a resource (a document or folder URI). */
  get(uri: string | undefined): Promise<PhasegateSettings> {
    if (!this.canPull()) return Promise.resolve(this.pushed);
    const key = uri ?? '';
    let p = this.cache.get(key);
    if (!p) {
      p = this.connection.workspace.getConfiguration({ scopeUri: uri, section: 'phasegate' }).then(
        (v: unknown) => mergeSettings(v),
        (e: unknown) => {
          this.log(`Reading settings failed: ${(e as Error).message}`);
          return DEFAULT_SETTINGS;
        },
      );
      this.cache.set(key, p);
    }
    return p;
  }

  /** Counts the settings changes (didChangeConfiguration): a value read before the last one may be out of date. */
  generation = 0;

  /** On didChangeConfiguration: forget every cached value. */
  changed(payload: unknown): void {
    this.generation++;
    this.cache.clear();
    const s = (payload as { settings?: { phasegate?: unknown } } | undefined)?.settings?.phasegate;
    if (s !== undefined) this.pushed = mergeSettings(s);
  }

  forget(uri: string): void {
    this.cache.delete(uri);
  }
}

/** Gives a folder's engine the rule severities of its settings, which its gates count as its diagnostics do. */
export async function applyRuleSeverities(settings: Settings, folder: Folder): Promise<boolean> {
  return folder.svc.setRuleOverrides((await settings.get(folder.uri)).rules);
}

/**
 * A settings change (didChangeConfiguration): the settings are read again, and each loaded folder's engine
 * takes their rule severities as part of its work (`Folder.exclusive`), queued at once with the change: a
 * request that reads an engine waits for its new severities, and a reader that holds its changes (a phase
 * tree) reads the old ones throughout.
 */
export async function settingsChanged(settings: Settings, folders: readonly Folder[], change: unknown): Promise<void> {
  settings.changed(change);
  await Promise.all(folders.flatMap((f) => (f.loaded ? [f.exclusive(() => applyRuleSeverities(settings, f))] : [])));
}
