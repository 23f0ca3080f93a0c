/**
 * Front matter completion and hover against the schema in force, as the diagnostics apply it: a
 * trusted workspace's own schemas (also for custom layouts' document kinds), the built-in ones in an
 * untrusted workspace, and a hostile schema. Every offered edit is applied as an editor would, and the
 * resulting front matter must still be valid YAML (no `invalid-front-matter`).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as YAML from 'yaml';
import {
  CompletionItem,
  CompletionList,
  CompletionRequest,
  Diagnostic,
  DocumentDiagnosticRequest,
  Hover,
  HoverRequest,
  MarkupContent,
  TextEdit,
} from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { buildServer, copyFixture, stopOnFixture, TestClient } from './client';

const BRIEF = 'audit/phase-2/00-PHASE_BRIEF.md';
const DECISIONS = 'audit/phase-2/05-DECISIONS.md';
const GOALS = 'sprints/sprint-1/GOALS.md';
const FINDING = 'audit/phase-1/03-FINDINGS/outdated-dependencies.md';

const BUILT_IN_STATUS = ['draft', 'in-progress', 'review', 'complete', 'blocked'];

const CONFIG = [
  'schemas:',
  '  brief: myschemas/brief.json',
  '  decisions: myschemas/hostile.json',
  '  goals: myschemas/goals.json',
  '  finding: myschemas/finding.json',
  'layouts:',
  '  - name: sprint',
  '    phases: "sprints/sprint-*"',
  '    number: "sprint-(\\\\d+)"',
  '    documents:',
  '      - kind: goals',
  '        file: GOALS.md',
  '        schema: goals',
  '        sections: [Objectives]',
  '',
].join('\n');

const BRIEF_SCHEMA = {
  type: 'object',
  required: ['phase', 'status', 'sponsor'],
  properties: {
    phase: { type: 'string' },
    title: { type: 'string' },
    status: { enum: ['todo', 'doing', 'done'], description: 'WORKSPACE status' },
    sponsor: { type: 'string', description: 'WORKSPACE: who pays' },
    tags: { type: 'array', items: { enum: ['sec', 'a: b'] } },
  },
};

const GOALS_SCHEMA = {
  type: 'object',
  required: ['sprint'],
  properties: {
    sprint: { enum: ['alpha', 'beta'], description: 'GOALS sprint name' },
    velocity: { type: 'number', description: 'GOALS velocity' },
  },
};

const FINDING_SCHEMA = {
  type: 'object',
  properties: { severity: { enum: ['S1', 'S2'], description: 'WORKSPACE finding severity' } },
};

/** A finding as the template writes it, with an empty `severity` on line 4. */
const FINDING_TEXT = [
  '---',
  'phase: "phase-1"',
  'title: "Finding 1: Outdated dependencies"',
  'status: draft',
  'severity: ',
  '---',
  '',
  '# Finding 1: Outdated dependencies',
  '',
].join('\n');

/** Values YAML would misread when written plain, and values that are not strings. */
const ODD_VALUES: unknown[] = [
  'a: b',
  'x #y',
  'true',
  '1.0',
  "it's",
  '"q"',
  '- item',
  '`tick`',
  ' lead',
  'trail ',
  'multi\nline',
  'plain one',
  3,
  null,
  { o: 1 },
];

/**
 * Compiles (ajv) and passes the engine's safety checks, but its `$ref`s recurse through a property, two
 * hundred times over, and two definitions nothing uses refer to each other (a chain that leads back to
 * itself through the same value is refused: see robust.test.ts).
 */
const HOSTILE_SCHEMA = {
  type: 'object',
  definitions: {
    a: { $ref: '#/definitions/b' },
    b: { $ref: '#/definitions/a' },
    loop: { properties: { deep: { $ref: '#/definitions/loop' } } },
  },
  allOf: Array.from({ length: 200 }, () => ({ $ref: '#/definitions/loop' })),
  anyOf: [{ $ref: '#/definitions/loop' }, true],
  properties: {
    status: { enum: ODD_VALUES },
    'odd: key': { type: 'string', 'x-odd': [1, {}] },
    true: true,
    never: false,
    list: { items: [{ enum: [1] }] },
    big: { enum: Array.from({ length: 5000 }, (_, i) => `v${i}`) },
  },
};

const GOALS_TEXT = ['---', 'sprint: alpha', '---', '', '# Sprint 1', '', '## Objectives', '', '- Ship.', ''].join('\n');

const items = (r: CompletionItem[] | CompletionList | null) => (Array.isArray(r) ? r : (r?.items ?? []));
const labels = (r: CompletionItem[]) => r.map((i) => i.label);
const hoverText = (h: Hover | null) => (h ? (h.contents as MarkupContent).value : '');

/** The text after accepting `item`, as an editor applies its text edit. */
function accept(text: string, item: CompletionItem): string {
  assert.ok(item.textEdit && 'range' in item.textEdit, `${item.label} has a text edit`);
  return TextDocument.applyEdits(TextDocument.create('file:///x.md', 'markdown', 1, text), [item.textEdit as TextEdit]);
}

/** The front matter of `text` parsed as the engine parses it; fails on any YAML error. */
function frontMatter(text: string): Record<string, unknown> {
  const lines = text.split(/\r\n|\r|\n/);
  assert.equal(lines[0], '---');
  const end = lines.indexOf('---', 1);
  assert.ok(end > 0, 'front matter is closed');
  const doc = YAML.parseDocument(lines.slice(1, end).join('\n'), { uniqueKeys: true, strict: true, prettyErrors: false });
  assert.deepEqual(
    doc.errors.map((e) => e.message),
    [],
    `valid YAML:\n${lines.slice(0, end + 1).join('\n')}`,
  );
  return (doc.toJS() ?? {}) as Record<string, unknown>;
}

/** A server on a copy of the fixture with `files` written into it. */
function server(files: Record<string, string>, trusted: boolean): { root: string; c: TestClient } {
  const s = {} as { root: string; c: TestClient };
  before(async () => {
    await buildServer();
    s.root = copyFixture();
    for (const [rel, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(s.root, rel)), { recursive: true });
      fs.writeFileSync(path.join(s.root, rel), text);
    }
    s.c = await TestClient.start(s.root, { pull: true, initializationOptions: { trusted } });
  });
  after(async () => {
    assert.deepEqual(await stopOnFixture(s.c, s.root), [], 'the server logged no errors');
  });
  return s;
}

function helpers(s: { c: TestClient }) {
  const complete = async (u: string, line: number, character: number) =>
    items(await s.c.conn.sendRequest(CompletionRequest.type, { textDocument: { uri: u }, position: { line, character } }));
  const hover = (u: string, line: number, character: number) =>
    s.c.conn.sendRequest(HoverRequest.type, { textDocument: { uri: u }, position: { line, character } });
  const diagnostics = async (u: string, text: string): Promise<Diagnostic[]> => {
    await s.c.change(u, text);
    return ((await s.c.conn.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri: u } })) as { items: Diagnostic[] }).items;
  };
  /** Applies `item` to `text`, sends the result and checks that its front matter is valid YAML for the server as well. */
  const acceptValid = async (u: string, text: string, item: CompletionItem) => {
    const next = accept(text, item);
    const data = frontMatter(next);
    const invalid = (await diagnostics(u, next)).filter((d) => d.code === 'invalid-front-matter');
    assert.deepEqual(invalid, [], `no invalid-front-matter after accepting ${item.label}`);
    return { next, data };
  };
  return { complete, hover, diagnostics, acceptValid };
}

const files = {
  'phasegate.yaml': CONFIG,
  'myschemas/brief.json': JSON.stringify(BRIEF_SCHEMA),
  'myschemas/goals.json': JSON.stringify(GOALS_SCHEMA),
  'myschemas/hostile.json': JSON.stringify(HOSTILE_SCHEMA),
  'myschemas/finding.json': JSON.stringify(FINDING_SCHEMA),
  [GOALS]: GOALS_TEXT,
  [FINDING]: FINDING_TEXT,
};

describe('language server: completion and hover follow the front matter schema in force', function () {
  this.timeout(60_000);

  describe('in a trusted workspace with its own schemas', () => {
    const s = server(files, true);
    const { complete, hover, diagnostics, acceptValid } = helpers(s);

    it('offers the workspace schema keys and values, and hover shows its descriptions', async () => {
      const { uri: u, text } = await s.c.open(BRIEF);
      const blank = text.replace('status: in-progress\n', 'status: \n\n');
      await s.c.change(u, blank);
      const values = await complete(u, 3, 8);
      assert.deepEqual(labels(values), ['todo', 'doing', 'done']);
      const keys = labels(await complete(u, 4, 0));
      assert.ok(keys.includes('sponsor'), keys.join());
      assert.ok(!keys.includes('owner'), 'a key only the built-in schema has is not offered');
      // The diagnostics agree: the accepted value is valid for the schema they apply.
      const { next } = await acceptValid(
        u,
        blank,
        values.find((i) => i.label === 'doing')!,
      );
      const ds = await diagnostics(u, next);
      assert.ok(!ds.some((d) => d.code === 'front-matter-schema' && /status/.test(String(d.message))), JSON.stringify(ds));
      const sponsor = (await complete(u, 4, 0)).find((i) => i.label === 'sponsor')!;
      const { next: withSponsor } = await acceptValid(u, next, sponsor);
      const done = withSponsor.replace('sponsor: ', 'sponsor: Ann');
      assert.deepEqual(
        (await diagnostics(u, done)).filter((d) => /front-matter/.test(String(d.code))),
        [],
      );
      const h = hoverText(await hover(u, 3, 2));
      assert.match(h, /WORKSPACE status/);
      assert.match(h, /`todo`, `doing`, `done`/);
      assert.doesNotMatch(h, /Where the document stands/);
      await s.c.change(u, text);
    });

    it('completes the values of a list item, after its dash', async () => {
      const { uri: u, text } = await s.c.open(BRIEF);
      for (const dash of ['  - ', '  -']) {
        const withTags = text.replace('status: in-progress\n', `status: doing\ntags:\n${dash}\n`);
        await s.c.change(u, withTags);
        const got = await complete(u, 5, dash.length);
        assert.deepEqual(labels(got), ['sec', '"a: b"']);
        for (const item of got) {
          const { data } = await acceptValid(u, withTags, item);
          assert.deepEqual(data.tags, [JSON.parse(item.label.startsWith('"') ? item.label : JSON.stringify(item.label))]);
        }
      }
      await s.c.change(u, text);
    });

    it("uses a custom layout's own schema id", async () => {
      const { uri: u, text } = await s.c.open(GOALS);
      const empty = text.replace('sprint: alpha', 'sprint: ');
      await s.c.change(u, empty);
      assert.deepEqual(labels(await complete(u, 1, 8)), ['alpha', 'beta']);
      const withBlank = text.replace('sprint: alpha\n', 'sprint: alpha\n\n');
      await s.c.change(u, withBlank);
      assert.deepEqual(labels(await complete(u, 2, 0)), ['velocity']);
      await s.c.change(u, text);
      assert.match(hoverText(await hover(u, 1, 1)), /GOALS sprint name/);
    });

    it("offers a finding's keys and values from the workspace's finding schema, and hover shows its description", async () => {
      const { uri: u } = await s.c.open(FINDING);
      assert.deepEqual(labels(await complete(u, 4, 10)), ['S1', 'S2']);
      assert.match(hoverText(await hover(u, 4, 2)), /WORKSPACE finding severity/);
    });

    it('stays well with a hostile schema ($ref cycles, odd keys and values, a large enum): every edit gives valid YAML', async () => {
      // A hostile schema would hold the server in its cycles: the test's timeout is the hang deadline, not a speed bound.
      const { uri: u, text } = await s.c.open(DECISIONS);
      const empty = text.replace('status: in-progress', 'status:');
      await s.c.change(u, empty);
      const values = await complete(u, 3, 7);
      assert.equal(values.length, ODD_VALUES.length);
      for (const item of values) {
        const { data } = await acceptValid(u, empty, item);
        assert.ok(
          ODD_VALUES.some((v) => JSON.stringify(v) === JSON.stringify(data.status)),
          `${item.label} reads back as one of the schema's values, not as ${JSON.stringify(data.status)}`,
        );
      }
      assert.deepEqual(
        values.map((i) => JSON.stringify(frontMatter(accept(empty, i)).status)),
        ODD_VALUES.map((v) => JSON.stringify(v)),
        'each value reads back as itself',
      );
      const blank = text.replace('status: in-progress\n', 'status: in-progress\n\n');
      await s.c.change(u, blank);
      const keys = await complete(u, 4, 0);
      assert.ok(labels(keys).includes('odd: key') && labels(keys).includes('true') && labels(keys).includes('big'), labels(keys).join());
      assert.ok(!labels(keys).includes('never'), 'a key the schema forbids is not offered');
      for (const item of keys) {
        const { data } = await acceptValid(u, blank, item);
        assert.ok(Object.hasOwn(data, item.label), `${item.label} is a key of ${JSON.stringify(data)}`);
      }
      const big = blank.replace('status: in-progress\n\n', 'status: in-progress\nbig: \n');
      await s.c.change(u, big);
      assert.ok((await complete(u, 4, 5)).length > 0);
      assert.match(hoverText(await hover(u, 4, 1)), /5000 in all/);
      assert.match(hoverText(await hover(u, 3, 1)), /`"a: b"`/);
      await s.c.change(u, text);
    });
  });

  describe('in an untrusted workspace with its own schemas', () => {
    const s = server(files, false);
    const { complete, hover } = helpers(s);

    it('keeps to the built-in schema, as the diagnostics do', async () => {
      const { uri: u, text } = await s.c.open(BRIEF);
      await s.c.change(u, text.replace('status: in-progress\n', 'status: \n\n'));
      assert.deepEqual(labels(await complete(u, 3, 8)), BUILT_IN_STATUS);
      const keys = labels(await complete(u, 4, 0));
      assert.ok(keys.includes('owner') && !keys.includes('sponsor'), keys.join());
      await s.c.change(u, text);
      const h = hoverText(await hover(u, 3, 2));
      assert.match(h, /Where the document stands/);
      assert.doesNotMatch(h, /WORKSPACE/);
      const goals = await s.c.open(GOALS);
      assert.deepEqual(labels(await complete(goals.uri, 1, 8)), [], 'no schema applies to the custom kind');
    });

    it("offers a finding's keys and values from the built-in finding schema, and hover shows its descriptions", async () => {
      const { uri: u, text } = await s.c.open(FINDING);
      assert.deepEqual(labels(await complete(u, 4, 10)), ['critical', 'high', 'medium', 'low']);
      assert.deepEqual(labels(await complete(u, 3, 8)), BUILT_IN_STATUS);
      assert.match(hoverText(await hover(u, 4, 2)), /How serious the finding is/);
      assert.match(hoverText(await hover(u, 1, 2)), /findings folder holds the finding/);
      await s.c.change(u, text.replace('severity: \n', 'severity: high\n\n'));
      const keys = labels(await complete(u, 5, 0));
      assert.ok(keys.includes('owner') && keys.includes('date') && !keys.includes('severity'), keys.join());
    });
  });
});

describe('language server: front matter completion edits give valid YAML', function () {
  this.timeout(60_000);
  const s = server({}, true);
  const { complete, acceptValid } = helpers(s);

  for (const [name, eol] of [
    ['LF', '\n'],
    ['CRLF', '\r\n'],
  ] as const) {
    const read = (text: string) => text.replace(/\r?\n/g, eol);
    const keepsEol = (text: string) => assert.equal(eol === '\r\n' ? /[^\r]\n/.test(text) : text.includes('\r'), false, 'line endings kept');

    it(`a value right after "key:" gets a space before it (${name})`, async () => {
      const { uri: u, text: lf } = await s.c.open(BRIEF);
      const text = read(lf);
      for (const [typed, ch] of [
        ['status:', 7],
        ['status:dr', 9],
        ['status:  ', 9],
      ] as const) {
        const before = text.replace('status: in-progress', typed);
        await s.c.change(u, before);
        const got = await complete(u, 3, ch);
        assert.deepEqual(labels(got), BUILT_IN_STATUS);
        for (const item of got) {
          const { next, data } = await acceptValid(u, before, item);
          assert.equal(data.status, item.label);
          assert.match(next.split(/\r?\n/)[3], new RegExp(`^status: +${item.label}$`));
          keepsEol(next);
        }
      }
      await s.c.change(u, lf);
    });

    it(`a key at the start of a "key: value" line replaces the key and keeps the value (${name})`, async () => {
      const { uri: u, text: lf } = await s.c.open(BRIEF);
      const text = read(lf);
      for (const ch of [0, 3, 6]) {
        await s.c.change(u, text);
        const got = await complete(u, 3, ch);
        assert.ok(labels(got).includes('status') && labels(got).includes('owner'), labels(got).join());
        assert.ok(!labels(got).includes('phase') && !labels(got).includes('title'), 'keys present on other lines are not offered');
        for (const item of got) {
          // The server checks the result once per item; the other cursor positions give the same edits.
          const { next, data } = ch === 0 ? await acceptValid(u, text, item) : { next: accept(text, item), data: frontMatter(accept(text, item)) };
          assert.equal(next.split(/\r?\n/)[3], `${item.label}: in-progress`);
          assert.equal(data[item.label], 'in-progress');
          keepsEol(next);
        }
      }
      await s.c.change(u, lf);
    });
  }

  it('a value replaces only the scalar under the cursor: a comment after it, an anchor or tag before it stay', async () => {
    const { uri: u, text } = await s.c.open(BRIEF);
    const directive = ' # phasegate-disable-line front-matter-schema';
    for (const [typed, ch, expected] of [
      [`status: dr${directive}`, 10, `status: review${directive}`],
      [`status: "dr # x"${directive}`, 11, `status: review${directive}`],
      ['status: dr #x', 9, 'status: review #x'],
      ['status: dr #x', 11, 'status: review #x'],
      ['status: dr #x', 12, undefined],
      ['status: dr  #x', 11, 'status: review #x'],
      ['status: &s ', 11, 'status: &s review'],
      ['status: !!str dr', 16, 'status: !!str review'],
      ['status: &s', 10, undefined],
    ] as const) {
      const before = text.replace('status: in-progress', typed);
      await s.c.change(u, before);
      const got = await complete(u, 3, ch);
      // In a comment (directives are offered there) or an anchor: no value.
      if (expected === undefined) {
        assert.ok(!labels(got).includes('review'), typed);
        continue;
      }
      assert.deepEqual(labels(got), BUILT_IN_STATUS, typed);
      const { next, data } = await acceptValid(
        u,
        before,
        got.find((i) => i.label === 'review')!,
      );
      assert.equal(next.split('\n')[3], expected);
      assert.equal(data.status, 'review');
    }
    await s.c.change(u, text);
  });

  it('offers no key where one would turn the rest of the line into a broken value', async () => {
    const { uri: u, text } = await s.c.open(BRIEF);
    const withList = text.replace('status: in-progress\n', 'status: in-progress\nreviewers:\n  - Ann\n"owner": Bob\n\n');
    await s.c.change(u, withList);
    assert.deepEqual(labels(await complete(u, 5, 0)), [], 'a list item');
    assert.deepEqual(labels(await complete(u, 6, 0)), [], 'a quoted key');
    const keys = labels(await complete(u, 7, 0));
    assert.ok(!keys.includes('owner') && !keys.includes('reviewers'), `quoted and block keys count as present: ${keys.join()}`);
    await s.c.change(u, text);
  });
});

/** A workspace brief schema with what vscode-yaml reads of a schema: value descriptions, a default, a boolean, a list of allowed items. */
const DESCRIBED_SCHEMA = {
  type: 'object',
  properties: {
    phase: { type: 'string' },
    status: { enum: ['todo', 'done'], enumDescriptions: ['Not started.', 'Finished.'], default: 'todo', description: 'Where it stands.' },
    urgent: { type: 'boolean', description: 'Whether it jumps the queue.' },
    labels: { type: 'array', items: { enum: ['red', 'blue'], enumDescriptions: ['Stop.', 'Calm.'] }, description: 'Colour labels.' },
    meta: {
      type: 'object',
      properties: {
        level: { enum: ['low', 'high'], description: 'How much.' },
        owner: { type: 'string' },
        flags: { type: 'array', items: { enum: ['x', 'y'] } },
      },
    },
    approvals: { type: 'array', items: { $ref: '#/definitions/approval' } },
    note: { type: 'string', markdownDescription: 'A **note**.', description: 'A note (plain).' },
    colour: { enum: ['r', 'g'], enumDescriptions: ['Red (plain).', 'Green (plain).'], markdownEnumDescriptions: ['**Red**.', '**Green**.'] },
    priority: { type: 'integer', default: 3, examples: [1, 5, 3] },
    legacy: { type: 'string', deprecationMessage: 'Use `note`.' },
    old: { type: 'string', deprecated: true },
    internal: { type: 'string', doNotSuggest: true, description: 'Written by tools.' },
  },
  definitions: {
    approval: { type: 'object', required: ['by'], properties: { by: { type: 'string', description: 'Who approves.' }, state: { enum: ['ok', 'no'] } } },
  },
};

describe('language server: front matter values described as the schema describes them', function () {
  this.timeout(60_000);
  const s = server({ 'phasegate.yaml': 'schemas:\n  brief: myschemas/brief.json\n', 'myschemas/brief.json': JSON.stringify(DESCRIBED_SCHEMA) }, true);
  const { complete, hover, diagnostics, acceptValid } = helpers(s);
  const range = (h: Hover | null) => h?.range && [h.range.start.line, h.range.start.character, h.range.end.character];

  it('hover on a value says what that value means, then what its key is; on a key, its default and examples', async () => {
    // The built-in decisions schema: each status described.
    const { uri: d, text: dt } = await s.c.open(DECISIONS);
    const withDate = dt.replace('status: in-progress\n', 'status: review\ndate: 2025-10-17\n');
    await s.c.change(d, withDate);
    const onValue = await hover(d, 3, 10);
    assert.match(hoverText(onValue), /^`review`: Ready for peer review\.\n\n\*\*status\*\* `string` \(required\)/);
    assert.deepEqual(range(onValue), [3, 8, 14]);
    assert.match(hoverText(await hover(d, 3, 2)), /\n\nDefault: `draft`$/);
    // A value no description names: its key's description and examples.
    assert.match(hoverText(await hover(d, 4, 9)), /^\*\*date\*\* `string`\n\nDate of the last substantive change, as YYYY-MM-DD\.\n\nExample: `2025-10-17`$/);
    await s.c.change(d, dt);
    // A workspace schema: the items of a block list and of a flow list.
    const { uri: u, text } = await s.c.open(BRIEF);
    await s.c.change(u, text.replace('status: in-progress\n', 'status: done\nlabels:\n  - red\n'));
    assert.match(hoverText(await hover(u, 5, 5)), /^`red`: Stop\.\n\n\*\*labels\*\* `array`\n\nColour labels\./);
    assert.match(hoverText(await hover(u, 3, 9)), /^`done`: Finished\.\n\n\*\*status\*\*\n\nWhere it stands\./);
    await s.c.change(u, text.replace('status: in-progress\n', 'status: done\nlabels: [blue, red]\n'));
    const flow = await hover(u, 4, 11);
    assert.match(hoverText(flow), /^`blue`: Calm\./);
    assert.deepEqual(range(flow), [4, 9, 13]);
    await s.c.change(u, text);
  });

  it("offers a boolean's true and false, each allowed value with its description, and starts a list's first item", async () => {
    const { uri: u, text } = await s.c.open(BRIEF);
    const blank = text.replace('status: in-progress\n', 'status: \nurgent: \n\n');
    await s.c.change(u, blank);
    const values = await complete(u, 3, 8);
    assert.deepEqual(
      values.map((i) => [i.label, i.documentation]),
      [
        ['todo', 'Not started. (default)'],
        ['done', 'Finished.'],
      ],
    );
    const flags = await complete(u, 4, 8);
    assert.deepEqual(labels(flags), ['true', 'false']);
    assert.equal((await acceptValid(u, blank, flags[1])).data.urgent, false);
    // A date (the built-in decisions schema's): today's, as the editor's machine dates it.
    const { uri: d, text: dt } = await s.c.open(DECISIONS);
    const dated = dt.replace('status: in-progress\n', 'status: in-progress\ndate: \n');
    await s.c.change(d, dated);
    const day = (n: Date) => `${n.getFullYear()}-${String(n.getMonth() + 1).padStart(2, '0')}-${String(n.getDate()).padStart(2, '0')}`;
    const first = day(new Date());
    const dates = await complete(d, 4, 6);
    assert.equal(dates.length, 1);
    assert.ok([first, day(new Date())].includes(String(dates[0].label)), String(dates[0].label));
    assert.equal((await acceptValid(d, dated, dates[0])).data.date, dates[0].label);
    assert.deepEqual(
      (await diagnostics(d, accept(dated, dates[0]))).filter((x) => x.code === 'front-matter-schema'),
      [],
    );
    await s.c.change(d, dt);
    // A list's key on a line of its own: the key and its first item's dash; the item is then completed.
    for (const eol of ['\n', '\r\n']) {
      const typed = blank.replace('urgent: \n\n', 'urgent: true\nlab\n').replace(/\n/g, eol);
      await s.c.change(u, typed);
      const key = (await complete(u, 5, 3)).find((i) => i.label === 'labels')!;
      assert.equal((key.textEdit as TextEdit).newText, `labels:${eol}  - `);
      // The editor asks for the item's values at once.
      assert.equal(key.command?.command, 'editor.action.triggerSuggest');
      const { next, data } = await acceptValid(u, typed, key);
      assert.deepEqual(data.labels, [null]);
      const items = await complete(u, 6, 4);
      assert.deepEqual(labels(items), ['red', 'blue']);
      assert.deepEqual((await acceptValid(u, next, items[0])).data.labels, ['red']);
    }
    // Over items already there, or before a value on its line, the key alone.
    const above = blank.replace('urgent: \n\n', 'lab\n  - red\n');
    await s.c.change(u, above);
    assert.equal(((await complete(u, 4, 3)).find((i) => i.label === 'labels')!.textEdit as TextEdit).newText, 'labels: ');
    await s.c.change(u, text);
  });

  it('completes and describes the keys and values of nested mappings and of the mappings of a list', async () => {
    const { uri: u, text } = await s.c.open(BRIEF);
    const nested = text.replace('status: in-progress\n', 'status: done\nmeta:\n  level: low\n  o\napprovals:\n  - by: Ann\n    st\n  - \n');
    await s.c.change(u, nested);
    const lines = nested.split('\n');
    const line = (l: string) => lines.indexOf(l);
    // A key of `meta`, those it holds left out; a list's key starts its item at the key's indent.
    const metaKeys = await complete(u, line('  o'), 3);
    assert.deepEqual(
      metaKeys.map((i) => [i.label, (i.textEdit as TextEdit).newText]),
      [
        ['owner', 'owner: '],
        ['flags', 'flags:\n    - '],
      ],
    );
    const alone = text.replace('status: in-progress\n', 'status: done\nmeta:\n  level: low\n  o\n');
    await s.c.change(u, alone);
    const { data } = await acceptValid(
      u,
      alone,
      (await complete(u, 6, 3)).find((i) => i.label === 'flags')!,
    );
    assert.deepEqual(data.meta, { level: 'low', flags: [null] });
    // The item the list key started: its allowed values.
    assert.deepEqual(labels(await complete(u, 7, 6)), ['x', 'y']);
    await s.c.change(u, nested);
    // A key of an approval (a `$ref`), after its `- ` or under its first key.
    assert.deepEqual(labels(await complete(u, line('  - '), 4)), ['by', 'state']);
    assert.deepEqual(labels(await complete(u, line('    st'), 6)), ['state']);
    // Values of nested keys, and of the items of a nested flow list, those listed left out.
    const withValues = nested.replace('    st\n', '    state: \n').replace('  o\n', '  flags: [x, ]\n').replace('  - \n', '');
    await s.c.change(u, withValues);
    const valueLines = withValues.split('\n');
    assert.deepEqual(labels(await complete(u, valueLines.indexOf('  level: low'), 10)), ['low', 'high']);
    assert.deepEqual(labels(await complete(u, valueLines.indexOf('    state: '), 11)), ['ok', 'no']);
    const flow = await complete(u, valueLines.indexOf('  flags: [x, ]'), 13);
    assert.deepEqual(labels(flow), ['y']);
    assert.deepEqual((await acceptValid(u, withValues, flow[0])).data.meta, { level: 'low', flags: ['x', 'y'] });
    // Hover on a nested key and value.
    await s.c.change(u, withValues);
    assert.match(hoverText(await hover(u, valueLines.indexOf('  level: low'), 4)), /^\*\*level\*\*\n\nHow much\./);
    assert.match(hoverText(await hover(u, valueLines.indexOf('  level: low'), 10)), /^\*\*level\*\*\n\nHow much\./);
    assert.match(hoverText(await hover(u, valueLines.indexOf('  - by: Ann'), 5)), /^\*\*by\*\* `string` \(required\)\n\nWho approves\./);
    await s.c.change(u, text);
  });

  it('reads markdownDescription and markdownEnumDescriptions before the plain ones, offers a default and examples, and marks deprecated keys', async () => {
    const { uri: u, text } = await s.c.open(BRIEF);
    const t = text.replace('status: in-progress\n', 'status: done\nnote: x\ncolour: r\npriority: \n');
    await s.c.change(u, t);
    assert.match(hoverText(await hover(u, 4, 1)), /^\*\*note\*\* `string`\n\nA \*\*note\*\*\.$/);
    assert.match(hoverText(await hover(u, 5, 8)), /^`r`: \*\*Red\*\*\.\n\n\*\*colour\*\*/);
    assert.deepEqual(
      (await complete(u, 5, 8)).map((i) => [i.label, i.documentation]),
      [
        ['r', '**Red**.'],
        ['g', '**Green**.'],
      ],
    );
    // No allowed values: the default, then the examples (each once).
    const priorities = await complete(u, 6, 10);
    assert.deepEqual(
      priorities.map((i) => [i.label, i.documentation]),
      [
        ['3', '(default)'],
        ['1', 'Example.'],
        ['5', 'Example.'],
      ],
    );
    assert.equal((await acceptValid(u, t, priorities[0])).data.priority, 3);
    await s.c.change(u, t);
    // A deprecated key: struck through (tag 1), why in its documentation, after the others; in hover too.
    await s.c.change(u, t.replace('priority: \n', 'priority: \nl\n'));
    const keys = await complete(u, 7, 1);
    const legacy = keys.find((i) => i.label === 'legacy')!;
    assert.deepEqual(legacy.tags, [1]);
    assert.equal((legacy.documentation as MarkupContent).value, '**Deprecated**: Use `note`.');
    assert.deepEqual(keys.find((i) => i.label === 'old')!.tags, [1]);
    assert.deepEqual(
      keys.filter((i) => i.tags).map((i) => i.label),
      keys.slice(-2).map((i) => i.label),
    );
    const sorted = [...keys].sort((a, b) => (a.sortText! < b.sortText! ? -1 : 1)).map((i) => i.label);
    assert.deepEqual(sorted.slice(-2), ['legacy', 'old']);
    // A key the schema keeps out of completion (`doNotSuggest`): not offered, still described by hover.
    assert.ok(!keys.some((i) => i.label === 'internal'));
    await s.c.change(u, t.replace('priority: \n', 'priority: \nlegacy: x\n'));
    assert.match(hoverText(await hover(u, 7, 2)), /^\*\*legacy\*\* `string`\n\n\*\*Deprecated\*\*: Use `note`\.$/);
    await s.c.change(u, t.replace('priority: \n', 'priority: \ninternal: x\n'));
    assert.match(hoverText(await hover(u, 7, 2)), /^\*\*internal\*\* `string`\n\nWritten by tools\.$/);
    await s.c.change(u, text);
  });

  it('completes and describes the keys and values of flow mappings, and the items of a flow list in one', async () => {
    const { uri: u, text } = await s.c.open(BRIEF);
    const t = text.replace('status: in-progress\n', 'status: done\nmeta: {level: low, }\napprovals: [{by: Ann, }]\n');
    await s.c.change(u, t);
    const lines = t.split('\n');
    const metaLine = lines.indexOf('meta: {level: low, }');
    const keys = await complete(u, metaLine, 19);
    assert.deepEqual(
      keys.map((i) => [i.label, (i.textEdit as TextEdit).newText]),
      [
        ['owner', 'owner: '],
        ['flags', 'flags: '],
      ],
    );
    const { next, data } = await acceptValid(u, t, keys[0]);
    assert.deepEqual(data.meta, { level: 'low', owner: null });
    await s.c.change(u, t);
    assert.deepEqual(labels(await complete(u, lines.indexOf('approvals: [{by: Ann, }]'), 21)), ['state']);
    // A key retyped over its value keeps the value.
    const over = t.replace('{level: low, }', '{lev: low}');
    await s.c.change(u, over);
    const retyped = (await complete(u, metaLine, 9)).find((i) => i.label === 'level')!;
    assert.equal(retyped.command?.command, 'editor.action.triggerSuggest');
    assert.deepEqual((await acceptValid(u, over, retyped)).data.meta, { level: 'low' });
    // Values of a flow mapping's key, and items of a flow list in a flow mapping.
    const values = next.replace('owner: }', 'flags: [x, ]}').replace('level: low', 'level: ');
    await s.c.change(u, values);
    assert.equal(values.split('\n')[metaLine], 'meta: {level: , flags: [x, ]}');
    const levels = await complete(u, metaLine, 14);
    assert.deepEqual(labels(levels), ['low', 'high']);
    assert.deepEqual((await acceptValid(u, values, levels[1])).data.meta, { level: 'high', flags: ['x'] });
    await s.c.change(u, values);
    const flags = await complete(u, metaLine, 26);
    assert.deepEqual(labels(flags), ['y']);
    assert.deepEqual((await acceptValid(u, values, flags[0])).data.meta, { level: null, flags: ['x', 'y'] });
    // Hover on a flow mapping's key.
    await s.c.change(u, t);
    const h = await hover(u, metaLine, 9);
    assert.match(hoverText(h), /^\*\*level\*\*\n\nHow much\./);
    assert.deepEqual(range(h), [metaLine, 7, 12]);
    await s.c.change(u, text);
  });

  it('reads a $schema modeline as a comment: no problem, and a hover names the schema that checks the document', async () => {
    for (const [rel, which] of [
      [BRIEF, "the `brief` schema of its document kind (the workspace's own, from `schemas:` in phasegate.yaml)"],
      [DECISIONS, 'the `decisions` schema of its document kind (the built-in one)'],
    ]) {
      const { uri: u, text } = await s.c.open(rel);
      // Valid front matter for the schema in force (the workspace's brief schema allows todo and done).
      const valid = rel === BRIEF ? text.replace('status: in-progress\n', 'status: done\n') : text;
      const t = valid.replace('---\n', '---\n# yaml-language-server: $schema=https://example.com/s.json\n');
      const problems = (await diagnostics(u, t)).filter((d) => d.range.start.line === 1 || /front-matter/.test(String(d.code)));
      assert.deepEqual(problems, [], rel);
      const h = await hover(u, 1, 10);
      assert.equal(
        hoverText(h),
        `**Not read by Phasegate**: its front matter is checked against ${which}, whatever schema this comment names. Front matter schemas are chosen by document kind in phasegate.yaml (\`schemas:\`, or a layout document's \`schema\`).`,
      );
      assert.deepEqual(range(h), [1, 0, 58]);
      await s.c.change(u, text);
    }
  });

  it("starts a mapping's keys on the next line when its key is accepted on a line of its own, and offers them at once", async () => {
    const { uri: u, text } = await s.c.open(BRIEF);
    for (const eol of ['\n', '\r\n']) {
      const typed = text.replace('status: in-progress\n', 'status: done\nme\n').replace(/\n/g, eol);
      await s.c.change(u, typed);
      const key = (await complete(u, 4, 2)).find((i) => i.label === 'meta')!;
      assert.equal((key.textEdit as TextEdit).newText, `meta:${eol}  `);
      assert.equal(key.command?.command, 'editor.action.triggerSuggest');
      const { next, data } = await acceptValid(u, typed, key);
      assert.deepEqual(data.meta, null);
      assert.deepEqual(labels(await complete(u, 5, 2)), ['level', 'owner', 'flags']);
      assert.equal(next.split(eol)[5], '  ');
    }
    // A key with a value after it, or over the mapping's keys already there: the key alone.
    const over = text.replace('status: in-progress\n', 'status: done\nme\n  level: low\n');
    await s.c.change(u, over);
    assert.equal(((await complete(u, 4, 2)).find((i) => i.label === 'meta')!.textEdit as TextEdit).newText, 'meta: ');
    await s.c.change(u, text);
  });
});
