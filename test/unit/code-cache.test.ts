/** The user's code cache of the CLI bundle (server/src/node/code-cache.ts): where it is, when it is trusted, how it is written. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  KEEP_CACHES,
  cacheFileName,
  privateFolder,
  readUserCache,
  runsTheEngine,
  userCacheFile,
  userCacheRoot,
  writeUserCache,
} from '../../server/src/node/code-cache';

const posix = process.platform !== 'win32';

describe('code cache of the CLI in the user cache folder', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'pg-cc-')));
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('is kept where each platform keeps a user’s caches, or where PHASEGATE_CACHE_DIR says', () => {
    assert.equal(userCacheRoot({}, 'linux', '/home/u'), path.join('/home/u', '.cache', 'phasegate'));
    assert.equal(userCacheRoot({ XDG_CACHE_HOME: '/var/cache/u' }, 'linux', '/home/u'), path.join('/var/cache/u', 'phasegate'));
    // A relative XDG_CACHE_HOME is invalid by the specification and ignored.
    assert.equal(userCacheRoot({ XDG_CACHE_HOME: 'rel' }, 'linux', '/home/u'), path.join('/home/u', '.cache', 'phasegate'));
    assert.equal(userCacheRoot({}, 'darwin', '/Users/u'), path.join('/Users/u', 'Library', 'Caches', 'phasegate'));
    assert.equal(
      userCacheRoot({ LOCALAPPDATA: 'C:\\Users\\u\\AppData\\Local' }, 'win32', 'C:\\Users\\u'),
      path.join('C:\\Users\\u\\AppData\\Local', 'phasegate', 'Cache'),
    );
    assert.equal(userCacheRoot({ PHASEGATE_CACHE_DIR: tmp }, 'linux', '/home/u'), tmp);
    assert.equal(userCacheRoot({}, 'linux', ''), undefined);
  });

  it('is named for the Node that made it and for the bundle it was made of', () => {
    const bundle = path.join(tmp, 'b.js');
    fs.writeFileSync(bundle, 'x');
    const st = fs.statSync(bundle);
    const name = cacheFileName(st, '11.3.244.8-node.38', 'x64');
    assert.match(name, /^cli-11\.3\.244\.8-node\.38-x64-1-\d+\.cache$/);
    assert.notEqual(cacheFileName(st, '13.6.233.17-node.53', 'x64'), name, 'another V8');
    assert.notEqual(cacheFileName(st, '11.3.244.8-node.38', 'arm64'), name, 'another architecture');
    fs.writeFileSync(bundle, 'xy');
    assert.notEqual(cacheFileName(fs.statSync(bundle), '11.3.244.8-node.38', 'x64'), name, 'another bundle');
    for (const off of ['off', 'OFF', ' Off ', 'false', 'no', '0'])
      assert.equal(userCacheFile(bundle, { PHASEGATE_CACHE_DIR: tmp, PHASEGATE_CODE_CACHE: off }), undefined, off);
    for (const on of ['', 'on', '1']) assert.equal(path.dirname(userCacheFile(bundle, { PHASEGATE_CACHE_DIR: tmp, PHASEGATE_CODE_CACHE: on })!), tmp, on);
    assert.equal(userCacheFile(path.join(tmp, 'missing.js'), { PHASEGATE_CACHE_DIR: tmp }), undefined);
    assert.equal(path.dirname(userCacheFile(bundle, { PHASEGATE_CACHE_DIR: tmp })!), tmp);
  });

  it('is written whole into a private folder it makes, and read back', () => {
    const file = path.join(tmp, 'a', 'b', 'cli-x.cache');
    assert.equal(writeUserCache(file, Buffer.from('code')), true);
    assert.equal(readUserCache(file)?.toString(), 'code');
    assert.deepEqual(fs.readdirSync(path.dirname(file)), ['cli-x.cache'], 'no temporary file left');
    if (posix) {
      assert.equal(fs.statSync(path.dirname(file)).mode & 0o777, 0o700);
      assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    }
    assert.equal(readUserCache(path.join(tmp, 'a', 'b', 'none.cache')), undefined);
  });

  (posix ? it : it.skip)('is neither read from nor written to a folder others can write to or another user owns', () => {
    const open = path.join(tmp, 'open');
    fs.mkdirSync(open);
    fs.chmodSync(open, 0o777);
    const file = path.join(open, 'cli-x.cache');
    fs.writeFileSync(file, 'planted');
    assert.equal(readUserCache(file), undefined);
    assert.equal(writeUserCache(file, Buffer.from('code')), false);
    assert.equal(fs.readFileSync(file, 'utf8'), 'planted');
    fs.chmodSync(open, 0o700);
    assert.equal(readUserCache(file)?.toString(), 'planted');
    const st = fs.statSync(open);
    assert.equal(privateFolder(st, st.uid), true);
    assert.equal(privateFolder(st, st.uid + 1), false, 'owned by another user');
    assert.equal(privateFolder(fs.statSync(file), st.uid), false, 'not a folder');
  });

  it(`keeps the newest ${KEEP_CACHES} caches, the one written among them, and nothing else of the folder is touched`, () => {
    const old = Date.now() / 1000 - 1000;
    for (let i = 0; i < KEEP_CACHES + 2; i++) {
      const f = path.join(tmp, `cli-old${i}.cache`);
      fs.writeFileSync(f, 'old');
      fs.utimesSync(f, old + i, old + i);
    }
    fs.writeFileSync(path.join(tmp, 'notes.txt'), 'mine');
    fs.chmodSync(tmp, 0o700);
    assert.equal(writeUserCache(path.join(tmp, 'cli-new.cache'), Buffer.from('new')), true);
    const kept = fs.readdirSync(tmp).sort();
    const newestOld = Array.from({ length: KEEP_CACHES - 1 }, (_, k) => `cli-old${KEEP_CACHES + 1 - k}.cache`);
    assert.deepEqual(kept, ['cli-new.cache', ...newestOld, 'notes.txt'].sort());
  });

  it('is written by a run of the engine (check, status), not by --version or new', () => {
    assert.equal(runsTheEngine(['check', 'ws', '--format', 'json']), true);
    assert.equal(runsTheEngine(['--format', 'json', 'status']), true);
    assert.equal(runsTheEngine(['check', '--help']), false);
    assert.equal(runsTheEngine(['--version']), false);
    assert.equal(runsTheEngine(['new', 'phase', 'ws']), false);
    assert.equal(runsTheEngine([]), false);
  });
});
