/** A folder of the language server's over a test's engine: its methods, and the fields they use, without a server. */
import { Folder } from '../../server/src/lsp/workspaces';
import { pathToUri } from '../../server/src/lsp/uri';
import type { PhasegateService } from '../../server/src/service';
import { ROOT } from './workspace';

export function folderOver(svc: PhasegateService): Folder {
  return Object.assign(Object.create(Folder.prototype) as Folder, {
    uri: pathToUri(ROOT),
    path: ROOT,
    name: 'ws',
    svc,
    ready: Promise.resolve(),
    loaded: true,
    disposed: false,
    busy: 0,
    deps: {},
  });
}
