/**
 * file: URIs <-> engine paths (absolute, forward slashes). Written here rather than pulled
 * from a library: the server only ever sees file URIs, and VS Code encodes them its own way
 * (`file:///c%3A/x`), which this decodes.
 */
import { normalizePath } from '../service/host';

export function uriToPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  let rest = uri.slice('file:'.length);
  let authority = '';
  if (rest.startsWith('//')) {
    rest = rest.slice(2);
    const slash = rest.indexOf('/');
    authority = slash < 0 ? rest : rest.slice(0, slash);
    rest = slash < 0 ? '/' : rest.slice(slash);
  }
  const q = rest.search(/[?#]/);
  if (q >= 0) rest = rest.slice(0, q);
  let p: string;
  try {
    p = decodeURIComponent(rest);
  } catch {
    p = rest;
  }
  // file:///c:/x -> c:/x
  if (/^\/[A-Za-z]:/.test(p)) p = p[1].toLowerCase() + p.slice(2);
  // UNC hosts (file://server/share): `//server/share/…`, which the engine's paths keep (normalizePath).
  if (authority && authority !== 'localhost') return normalizePath(`//${authority}${p}`);
  return normalizePath(p);
}

/**
 * A path segment percent-encoded as VS Code writes it (vscode-uri's `encodeURIComponentFast`): every
 * character but the unreserved `A-Z a-z 0-9 - . _ ~` is encoded, upper-case hex. encodeURIComponent
 * leaves `! ' ( ) *` as they are, VS Code does not; a URI spelt otherwise than the client spells it
 * would name the same file twice in the client's views.
 */
function encodeSegment(seg: string): string {
  return encodeURIComponent(seg).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

/** A path every character of which a file URI keeps as it is: `/` and the unreserved characters, no `//` first. */
const PLAIN_PATH = /^\/(?!\/)[\w.~/-]*$/;

export function pathToUri(path: string): string {
  // The common case, the general code's result without its work (performance only).
  if (PLAIN_PATH.test(path)) return 'file://' + path;
  let p = path.replace(/\\/g, '/');
  // A UNC path (`//server/share/…`): the host is the URI's authority, lower case as VS Code writes it.
  const unc = /^\/\/([^/]+)(\/.*)?$/.exec(p);
  if (unc) return `file://${encodeSegment(unc[1].toLowerCase())}${pathToUri(unc[2] ?? '/').slice('file://'.length)}`;
  if (/^[A-Za-z]:/.test(p)) p = '/' + p[0].toLowerCase() + ':' + p.slice(2);
  const encoded = p
    .split('/')
    .map((seg, i) => (i === 1 && /^[a-z]:$/.test(seg) ? seg.replace(':', '%3A') : encodeSegment(seg)))
    .join('/');
  return 'file://' + encoded;
}
