import * as assert from 'node:assert/strict';
import { pathToUri, uriToPath } from '../../server/src/lsp/uri';
import { assertAgree } from '../helpers/fuzz';

/** pathToUri before its plain-path shortcut (kept to hold the shortcut to it). */
function encodeSegment(seg: string): string {
  return encodeURIComponent(seg).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}
function generalPathToUri(path: string): string {
  let p = path.replace(/\\/g, '/');
  const unc = /^\/\/([^/]+)(\/.*)?$/.exec(p);
  if (unc) return `file://${encodeSegment(unc[1].toLowerCase())}${generalPathToUri(unc[2] ?? '/').slice('file://'.length)}`;
  if (/^[A-Za-z]:/.test(p)) p = '/' + p[0].toLowerCase() + ':' + p.slice(2);
  const encoded = p
    .split('/')
    .map((seg, i) => (i === 1 && /^[a-z]:$/.test(seg) ? seg.replace(':', '%3A') : encodeSegment(seg)))
    .join('/');
  return 'file://' + encoded;
}

describe('fast paths (uri): file URIs of plain paths', () => {
  const pieces = [
    '/',
    '//',
    'a',
    'Z',
    '0',
    '_',
    '-',
    '.',
    '~',
    'phase-1',
    'C:',
    'c:',
    '\\',
    ' ',
    '%',
    '#',
    '?',
    '!',
    "'",
    '(',
    '*',
    ':',
    'é',
    '目',
    '@',
    '+',
    ',',
    ';',
    '=',
  ];

  it('gives every path the URI the general encoding gives it', () => {
    assertAgree(pieces, pathToUri, generalPathToUri);
    assertAgree(
      pieces,
      (t) => pathToUri('/' + t),
      (t) => generalPathToUri('/' + t),
    );
  });

  it('keeps the cases the shortcut must leave alone', () => {
    for (const p of ['/', '/ws/audit/phase-1/00-BRIEF.md', '//server/share/x', '/c:/x', 'C:/x', '/a b', '/a/b!', '/a//b', '/~user/x.md', '/a\\b'])
      assert.equal(pathToUri(p), generalPathToUri(p), p);
    assert.equal(pathToUri('/ws/audit/phase-1/00-BRIEF.md'), 'file:///ws/audit/phase-1/00-BRIEF.md');
    assert.equal(uriToPath(pathToUri('/ws/a_b/c~d.md')), '/ws/a_b/c~d.md');
  });
});
