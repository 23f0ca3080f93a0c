/**
 * Regular expressions from a workspace (a custom layout's `number`, a workspace schema's `pattern`
 * and `patternProperties`) run on folder names and front matter values, in the language server
 * and the CLI: a pattern that backtracks catastrophically would hang them. JavaScript's engine
 * cannot be interrupted, so a pattern is parsed and judged before it is ever compiled, by a
 * conservative check: what it accepts matches in time about linear in the input for each start
 * position (`regExpProblem`); what it cannot vouch for, it refuses, with the reason.
 *
 * The rules, in the order they are applied:
 * - no back-references (matching with them is NP-hard);
 * - no counted repetition above {@link MAX_COUNT};
 * - a part repeated more than once (`*`, `+`, `{2,}`, `{n,m}` with m > 1) holds no quantifier, nothing
 *   that matches the empty string, and only alternatives that start with different characters;
 * - two choices (a repeated or optional part, alternatives that can start alike) never compete for
 *   the same characters: between them stands a required character the first cannot match
 *   (`\d+-\d+` is accepted, `\d+\d+`, `a?a?` and `.*x.*` are not);
 * - the alternatives that can match the same text multiply to at most {@link MAX_AMBIGUITY} ways.
 *
 * The rules keep the matching cost at worst about `MAX_AMBIGUITY × n` per start position (`n` the
 * input's length). Hosts bound `n` too: folder names are short, and a schema's pattern is tested
 * on at most {@link MAX_PATTERN_INPUT} characters (see `boundedRegExp`).
 */

/** Longest pattern source accepted. */
export const MAX_PATTERN = 200;
/** Largest bound of a counted repetition (`{n}`, `{n,m}`). */
export const MAX_COUNT = 1000;
/** Most ways the alternatives of a pattern can match the same text, multiplied together. */
export const MAX_AMBIGUITY = 8;
/** Longest string a workspace schema's pattern is tested on; a longer one does not match. */
export const MAX_PATTERN_INPUT = 4096;

class Refused extends Error {}

/** Characters an atom can match: the ASCII ones exactly, any other as one flag (conservative). */
class CharSet {
  constructor(
    readonly bits = new Uint32Array(4),
    public other = false,
  ) {}
  static empty(): CharSet {
    return new CharSet();
  }
  static all(): CharSet {
    return new CharSet(new Uint32Array([~0, ~0, ~0, ~0]), true);
  }
  add(code: number, ignoreCase: boolean): this {
    if (code >= 128) this.other = true;
    else {
      this.bits[code >> 5] |= 1 << (code & 31);
      if (ignoreCase && ((code >= 65 && code <= 90) || (code >= 97 && code <= 122))) {
        const o = code ^ 32;
        this.bits[o >> 5] |= 1 << (o & 31);
      }
    }
    return this;
  }
  addRange(lo: number, hi: number, ignoreCase: boolean): this {
    for (let c = lo; c <= Math.min(hi, 127); c++) this.add(c, ignoreCase);
    if (hi >= 128) this.other = true;
    return this;
  }
  union(o: CharSet): CharSet {
    const r = new CharSet(new Uint32Array(4), this.other || o.other);
    for (let i = 0; i < 4; i++) r.bits[i] = this.bits[i] | o.bits[i];
    return r;
  }
  negate(): CharSet {
    const r = new CharSet(new Uint32Array(4), true);
    for (let i = 0; i < 4; i++) r.bits[i] = ~this.bits[i];
    return r;
  }
  intersects(o: CharSet): boolean {
    if (this.other && o.other) return true;
    for (let i = 0; i < 4; i++) if (this.bits[i] & o.bits[i]) return true;
    return false;
  }
  isEmpty(): boolean {
    return !this.other && this.bits.every((b) => b === 0);
  }
}

const DIGIT = new CharSet().addRange(48, 57, false);
const WORD = new CharSet().addRange(48, 57, false).addRange(65, 90, false).addRange(97, 122, false).add(95, false);
const SPACE = new CharSet().addRange(9, 13, false).add(32, false);
SPACE.other = true;

type Node =
  { t: 'chars'; set: CharSet } | { t: 'assert' } | { t: 'group'; alts: Node[][]; look: boolean } | { t: 'repeat'; min: number; max: number; body: Node };

/** A recursive-descent parser of ECMAScript pattern syntax, enough to judge a pattern (it refuses what it does not know). */
class Parser {
  private i = 0;
  constructor(
    private readonly src: string,
    private readonly unicode: boolean,
    private readonly ignoreCase: boolean,
  ) {}

  parse(): Node[][] {
    const alts = this.disjunction();
    if (this.i < this.src.length) throw new Refused(`unmatched ')' at ${this.i}`);
    return alts;
  }

  private peek(): string {
    return this.src[this.i];
  }

  private disjunction(): Node[][] {
    const alts: Node[][] = [this.alternative()];
    while (this.peek() === '|') {
      this.i++;
      alts.push(this.alternative());
    }
    return alts;
  }

  private alternative(): Node[] {
    const terms: Node[] = [];
    while (this.i < this.src.length && this.peek() !== '|' && this.peek() !== ')') terms.push(this.term());
    return terms;
  }

  private term(): Node {
    const atom = this.atom();
    const q = this.quantifier();
    if (!q) return atom;
    if (atom.t === 'assert') throw new Refused('a quantifier after an anchor or word boundary');
    if (atom.t === 'group' && atom.look && this.unicode) throw new Refused('a quantifier after a lookaround');
    return { t: 'repeat', min: q.min, max: q.max, body: atom };
  }

  private quantifier(): { min: number; max: number } | undefined {
    const c = this.peek();
    let q: { min: number; max: number } | undefined;
    if (c === '*') q = { min: 0, max: Infinity };
    else if (c === '+') q = { min: 1, max: Infinity };
    else if (c === '?') q = { min: 0, max: 1 };
    if (q) this.i++;
    else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.i));
      if (!m) {
        if (this.unicode) throw new Refused(`a lone '{' at ${this.i}`);
        return undefined; // A literal '{' (Annex B); `atom` reads it.
      }
      const min = Number(m[1]);
      const max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
      if (min > MAX_COUNT || (max !== Infinity && max > MAX_COUNT)) throw new Refused(`a repetition count above ${MAX_COUNT}`);
      if (max < min) throw new Refused(`numbers out of order in ${m[0]}`);
      this.i += m[0].length;
      q = { min, max };
    } else return undefined;
    if (this.peek() === '?') this.i++; // Lazy: same cost.
    return q;
  }

  private atom(): Node {
    const c = this.src[this.i++];
    switch (c) {
      case '^':
      case '$':
        return { t: 'assert' };
      case '.':
        return { t: 'chars', set: CharSet.all() };
      case '[':
        return { t: 'chars', set: this.charClass() };
      case '\\':
        return this.atomEscape();
      case '(':
        return this.group();
      case '*':
      case '+':
      case '?':
        throw new Refused(`nothing to repeat at ${this.i - 1}`);
      case ')':
        throw new Refused(`unmatched ')' at ${this.i - 1}`);
      case '{':
      case '}':
      case ']':
        if (this.unicode) throw new Refused(`a lone '${c}' at ${this.i - 1}`);
        return this.literal(c.charCodeAt(0));
      default:
        return this.literal(this.src.codePointAt(this.i - 1) ?? 0);
    }
  }

  private literal(code: number): Node {
    if (code > 0xffff) this.i++;
    return { t: 'chars', set: new CharSet().add(code, this.ignoreCase) };
  }

  private group(): Node {
    let look = false;
    if (this.src.startsWith('?:', this.i)) this.i += 2;
    else if (this.src.startsWith('?=', this.i) || this.src.startsWith('?!', this.i)) {
      this.i += 2;
      look = true;
    } else if (this.src.startsWith('?<=', this.i) || this.src.startsWith('?<!', this.i)) {
      this.i += 3;
      look = true;
    } else if (this.src.startsWith('?<', this.i)) {
      const m = /^\?<[\p{L}\p{Nl}$_][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}$\u200c\u200d]*>/u.exec(this.src.slice(this.i));
      if (!m) throw new Refused(`an invalid group name at ${this.i}`);
      this.i += m[0].length;
    } else if (this.peek() === '?') throw new Refused(`an unsupported group '(?${this.src[this.i + 1] ?? ''}' at ${this.i - 1}`);
    const alts = this.disjunction();
    if (this.peek() !== ')') throw new Refused('an unterminated group');
    this.i++;
    return { t: 'group', alts, look };
  }

  /** After a backslash, outside a class. */
  private atomEscape(): Node {
    const c = this.src[this.i];
    if (c === undefined) throw new Refused('a trailing backslash');
    if (c === 'b' || c === 'B') {
      this.i++;
      return { t: 'assert' };
    }
    if (/[1-9]/.test(c) || (c === 'k' && (this.unicode || this.src.includes('(?<')))) throw new Refused('back-references are not allowed');
    return { t: 'chars', set: this.classEscape() };
  }

  /** After a backslash: the characters of an escape (inside or outside a class). */
  private classEscape(): CharSet {
    const c = this.src[this.i++];
    const ic = this.ignoreCase;
    switch (c) {
      case 'd':
        return DIGIT;
      case 'D':
        return DIGIT.negate();
      case 'w':
        return WORD;
      case 'W':
        return WORD.negate();
      case 's':
        return SPACE;
      case 'S':
        return SPACE.negate();
      case 'p':
      case 'P':
        if (this.unicode) {
          const m = /^\{[A-Za-z0-9_=]+\}/.exec(this.src.slice(this.i));
          if (!m) throw new Refused(`an invalid property escape at ${this.i - 2}`);
          this.i += m[0].length;
          return CharSet.all();
        }
        return new CharSet().add(c.charCodeAt(0), ic);
      case 'n':
        return new CharSet().add(10, ic);
      case 'r':
        return new CharSet().add(13, ic);
      case 't':
        return new CharSet().add(9, ic);
      case 'v':
        return new CharSet().add(11, ic);
      case 'f':
        return new CharSet().add(12, ic);
      case 'c': {
        const l = this.src[this.i];
        if (l !== undefined && /[A-Za-z]/.test(l)) {
          this.i++;
          return new CharSet().add(l.charCodeAt(0) % 32, ic);
        }
        if (this.unicode) throw new Refused(`an invalid control escape at ${this.i - 2}`);
        this.i--; // Annex B: the backslash is itself, 'c' is read next.
        return new CharSet().add(92, ic);
      }
      case 'x': {
        const m = /^[0-9A-Fa-f]{2}/.exec(this.src.slice(this.i));
        if (m) {
          this.i += 2;
          return new CharSet().add(parseInt(m[0], 16), ic);
        }
        return new CharSet().add(120, ic);
      }
      case 'u': {
        const rest = this.src.slice(this.i);
        const braced = this.unicode ? /^\{([0-9A-Fa-f]{1,6})\}/.exec(rest) : null;
        const m = braced ?? /^([0-9A-Fa-f]{4})/.exec(rest);
        if (m) {
          this.i += m[0].length;
          return new CharSet().add(parseInt(m[1], 16), ic);
        }
        if (this.unicode) throw new Refused(`an invalid unicode escape at ${this.i - 2}`);
        return new CharSet().add(117, ic);
      }
      case '0':
        // \0, or an octal escape (Annex B): some character below 256.
        while (!this.unicode && /[0-7]/.test(this.src[this.i] ?? '') && this.i < this.src.length) this.i++;
        return new CharSet().addRange(0, 255, ic);
      default:
        if (/[1-9]/.test(c)) {
          // Inside a class (Annex B): an octal escape or the digit itself.
          while (/[0-7]/.test(this.src[this.i] ?? '')) this.i++;
          return new CharSet().addRange(0, 255, ic);
        }
        return new CharSet().add(this.src.codePointAt(this.i - 1) ?? 0, ic);
    }
  }

  /** After '[': the characters of a class. */
  private charClass(): CharSet {
    let negate = false;
    if (this.peek() === '^') {
      negate = true;
      this.i++;
    }
    let set = CharSet.empty();
    for (;;) {
      if (this.i >= this.src.length) throw new Refused('an unterminated character class');
      if (this.peek() === ']') {
        this.i++;
        break;
      }
      const lo = this.classAtom();
      if (this.peek() === '-' && this.src[this.i + 1] !== ']' && this.i + 1 < this.src.length) {
        this.i++;
        const hi = this.classAtom();
        if (typeof lo === 'number' && typeof hi === 'number') {
          if (hi < lo) throw new Refused('a character class range out of order');
          set = set.union(new CharSet().addRange(lo, hi, this.ignoreCase));
        } else {
          if (this.unicode) throw new Refused('a character class escape in a range');
          set = set
            .union(typeof lo === 'number' ? new CharSet().add(lo, this.ignoreCase) : lo)
            .union(typeof hi === 'number' ? new CharSet().add(hi, this.ignoreCase) : hi)
            .add(45, false);
        }
      } else set = set.union(typeof lo === 'number' ? new CharSet().add(lo, this.ignoreCase) : lo);
    }
    return negate ? set.negate() : set;
  }

  /** One character of a class (its code), or a class escape's characters. */
  private classAtom(): number | CharSet {
    const c = this.src[this.i++];
    if (c !== '\\') {
      const code = this.src.codePointAt(this.i - 1) ?? 0;
      if (code > 0xffff) this.i++;
      return code;
    }
    const e = this.src[this.i];
    if (e === 'b') {
      this.i++;
      return 8;
    }
    if (e === '-') {
      this.i++;
      return 45;
    }
    const start = this.i;
    const set = this.classEscape();
    // A single character escape gives its code (so it can bound a range).
    if ('dDwWsSpP'.includes(e) || (e >= '0' && e <= '9')) return set;
    const one = this.src.slice(start - 1, this.i);
    const code = singleCode(one, this.unicode);
    return code ?? set;
  }
}

/** The code of a single-character escape such as `\x41`, `\u0041`, `\n`, `\.`. */
function singleCode(esc: string, unicode: boolean): number | undefined {
  const simple: Record<string, number> = { n: 10, r: 13, t: 9, v: 11, f: 12 };
  const e = esc.slice(1);
  if (e.length === 1 && simple[e] !== undefined) return simple[e];
  let m = /^x([0-9A-Fa-f]{2})$/.exec(e) ?? /^u([0-9A-Fa-f]{4})$/.exec(e) ?? (unicode ? /^u\{([0-9A-Fa-f]{1,6})\}$/.exec(e) : null);
  if (m) return parseInt(m[1], 16);
  m = /^c([A-Za-z])$/.exec(e);
  if (m) return m[1].charCodeAt(0) % 32;
  if (e.length >= 1 && !/^[xuc]/.test(e)) return e.codePointAt(0);
  return undefined;
}

interface Info {
  /** Characters a match can start with. */
  first: CharSet;
  /** Characters a match can hold. */
  all: CharSet;
  /** Whether it can match the empty string. */
  nullable: boolean;
  /** Whether a quantifier is inside (at any depth). */
  quantified: boolean;
}

function info(n: Node): Info {
  switch (n.t) {
    case 'chars':
      return { first: n.set, all: n.set, nullable: false, quantified: false };
    case 'assert':
      return { first: CharSet.empty(), all: CharSet.empty(), nullable: true, quantified: false };
    case 'repeat': {
      const b = info(n.body);
      return { first: b.first, all: b.all, nullable: n.min === 0 || b.nullable, quantified: true };
    }
    case 'group': {
      const alts = n.alts.map(seqInfo);
      const r: Info = {
        first: alts.reduce((s, a) => s.union(a.first), CharSet.empty()),
        all: alts.reduce((s, a) => s.union(a.all), CharSet.empty()),
        nullable: alts.some((a) => a.nullable),
        quantified: alts.some((a) => a.quantified),
      };
      // A lookaround consumes nothing: it starts nothing and can always be passed over.
      return n.look ? { ...r, first: CharSet.empty(), nullable: true } : r;
    }
  }
}

function seqInfo(terms: Node[]): Info {
  let first = CharSet.empty();
  let all = CharSet.empty();
  let nullable = true;
  let quantified = false;
  for (const t of terms) {
    const i = info(t);
    if (nullable) first = first.union(i.first);
    nullable &&= i.nullable;
    all = all.union(i.all);
    quantified ||= i.quantified;
  }
  return { first, all, nullable, quantified };
}

/** Whether alternatives can never both go on from one position: none matches empty, no two start alike. */
function deterministic(alts: Node[][]): boolean {
  const infos = alts.map(seqInfo);
  for (let a = 0; a < infos.length; a++) {
    if (infos[a].nullable) return false;
    for (let b = a + 1; b < infos.length; b++) if (infos[a].first.intersects(infos[b].first)) return false;
  }
  return true;
}

/** Refuses alternations in a repeated part whose alternatives can start alike (at any depth). */
function checkRepeatedAlternations(n: Node): void {
  if (n.t === 'group') {
    if (n.alts.length > 1 && !deterministic(n.alts)) throw new Refused('a repeated group has alternatives that can match the same text (e.g. (a|ab)+)');
    for (const a of n.alts) a.forEach(checkRepeatedAlternations);
  } else if (n.t === 'repeat') checkRepeatedAlternations(n.body);
}

const COMPETE = 'quantified or optional parts can match the same text one after the other (e.g. \\d+\\d+, a?a?, .*x.*)';

/**
 * Judges a pattern: walks each sequence keeping the characters that the choices still open in
 * the current stretch (since the last required character they cannot match) may consume.
 */
class Judge {
  private ambiguity = 1;

  pattern(alts: Node[][]): void {
    for (const a of alts) this.seq(a, CharSet.empty());
  }

  private seq(terms: Node[], open: CharSet): CharSet {
    for (const t of terms) open = this.term(t, open);
    return open;
  }

  private term(n: Node, open: CharSet): CharSet {
    switch (n.t) {
      case 'chars':
        return n.set.intersects(open) ? open : CharSet.empty();
      case 'assert':
        return open;
      case 'group':
        return n.look ? this.lookaround(n, open) : this.alternatives(n.alts, open);
      case 'repeat':
        return this.repeat(n, open);
    }
  }

  private lookaround(n: Node & { t: 'group' }, open: CharSet): CharSet {
    const body = info(n);
    this.alternatives(n.alts, CharSet.empty());
    if (!body.quantified && n.alts.length < 2) return open;
    // A lookaround with choices inside costs its input's length wherever it is tried.
    if (body.all.intersects(open)) throw new Refused(COMPETE);
    return open.union(body.all);
  }

  private alternatives(alts: Node[][], open: CharSet): CharSet {
    if (alts.length > 1 && !deterministic(alts)) {
      this.ambiguity *= alts.length;
      if (this.ambiguity > MAX_AMBIGUITY) throw new Refused(`more than ${MAX_AMBIGUITY} ways to match the same text through alternatives that start alike`);
    }
    return alts.reduce((s, a) => s.union(this.seq(a, open)), CharSet.empty());
  }

  private repeat(n: Node & { t: 'repeat' }, open: CharSet): CharSet {
    if (n.max === 0) return open;
    const body = info(n.body);
    if (n.max === 1) {
      if (n.min === 1) return this.term(n.body, open);
      if (body.nullable) throw new Refused('an optional part that can match nothing');
      if (body.first.intersects(open)) throw new Refused(COMPETE);
      // Taken (the body's own stretch goes on) or passed over (its first characters stay open).
      return this.term(n.body, open).union(open).union(body.first);
    }
    if (body.quantified) throw new Refused('nested quantifiers are not allowed (e.g. (a+)+, (a?){9})');
    if (body.nullable) throw new Refused('a repeated part that can match nothing');
    checkRepeatedAlternations(n.body);
    this.term(n.body, CharSet.empty());
    const required = n.min >= 1 && !body.first.intersects(open);
    if (n.min === n.max) return required ? CharSet.empty() : open;
    const o = required ? CharSet.empty() : open;
    if (body.all.intersects(o)) throw new Refused(COMPETE);
    return o.union(body.all);
  }
}

/**
 * Why `source` (with `flags`, of which only `i` and `u` matter here) is refused, or undefined when
 * it is accepted. It must still compile (`new RegExp`), which this does not check fully.
 */
export function regExpProblem(source: string, flags = ''): string | undefined {
  if (source.length > MAX_PATTERN) return `pattern longer than ${MAX_PATTERN} characters`;
  try {
    const alts = new Parser(source, flags.includes('u') || flags.includes('v'), flags.includes('i')).parse();
    new Judge().pattern(alts);
    return undefined;
  } catch (e) {
    if (e instanceof Refused) return e.message;
    throw e;
  }
}

/**
 * A pattern from a workspace, compiled once it is accepted: the RegExp, or why it is refused or
 * does not compile.
 */
export function safeRegExp(source: string, flags = 'i'): RegExp | string {
  const problem = regExpProblem(source, flags);
  if (problem) return problem;
  try {
    return new RegExp(source, flags);
  } catch (e) {
    return (e as Error).message;
  }
}

/**
 * ajv's regular expression engine for workspace schemas: the pattern is compiled as ajv would,
 * and a string longer than {@link MAX_PATTERN_INPUT} does not match (it bounds the time of any
 * accepted pattern). The schemas' patterns are judged by `schemaProblems` before compiling.
 */
export const boundedRegExp = Object.assign(
  (pattern: string, u: string): { test(s: string): boolean } => {
    const re = new RegExp(pattern, u);
    return { test: (s: string) => s.length <= MAX_PATTERN_INPUT && re.test(s) };
  },
  { code: 'boundedRegExp' },
);
