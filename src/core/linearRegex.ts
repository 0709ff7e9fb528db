/**
 * Regular expressions written in settings a repository may hold (`${name/regex/replacement/flags}`
 * in `illustrate.destination` and `illustrate.fileName`, which the command line reads from the
 * project), run without JavaScript's backtracking: `(a+)+$` there would hang the editor or CI on a
 * long name. This is a Pike VM, as RE2's: every thread advances one character at a time, so a match
 * costs the text's length times the program's, and a budget caps the whole replacement.
 *
 * It reads literals, `.`, classes with ranges, `\d \w \s` (and `\D \W \S`), `\n \t \r \f \v \0
 * \xHH \uHHHH`, escaped punctuation, groups (capturing and `(?:…)`), `|`, `* + ? {n} {n,} {n,m}`
 * (greedy or lazy), `^ $ \b \B`, and the flags `g i m s`. Backreferences, lookaround and named
 * groups cannot be run this way: `compileLinear` returns undefined for them.
 */

type Test = (c: string) => boolean;

type Node =
  | { readonly kind: 'char'; readonly test: Test }
  | { readonly kind: 'assert'; readonly at: '^' | '$' | 'b' | 'B' }
  | { readonly kind: 'group'; readonly index: number | undefined; readonly body: Node }
  | { readonly kind: 'seq'; readonly items: readonly Node[] }
  | { readonly kind: 'alt'; readonly options: readonly Node[] }
  | { readonly kind: 'repeat'; readonly body: Node; readonly min: number; readonly max: number; readonly greedy: boolean };

type Inst =
  | { readonly op: 'char'; readonly test: Test }
  | { readonly op: 'split'; x: number; y: number }
  | { readonly op: 'jmp'; x: number }
  | { readonly op: 'save'; readonly slot: number }
  | { readonly op: 'assert'; readonly at: '^' | '$' | 'b' | 'B' }
  | { readonly op: 'match' };

/** A compiled pattern: `replace` gives undefined when the budget ran out. */
export interface LinearRegex {
  replace(text: string, replacement: string): string | undefined;
}

const MAX_PATTERN = 1000;
const MAX_PROGRAM = 2000;
const MAX_REPEAT = 100;
/** Threads stepped over one replacement: a path of 4,096 characters through a program of 250 instructions. */
const BUDGET = 1_000_000;

class Unsupported extends Error {}

const BRACED = /^\{\d+(?:,\d*)?\}/;

const isWord: Test = (c) => /\w/.test(c);
const isDigit: Test = (c) => c >= '0' && c <= '9';
const isSpace: Test = (c) => /\s/.test(c);
const isLineEnd: Test = (c) => c === '\n' || c === '\r' || c === '\u2028' || c === '\u2029';

function not(test: Test): Test {
  return (c) => !test(c);
}

/** A character as JavaScript's `i` flag compares it (without `u`): upper case, unless that leaves or enters ASCII. */
function canonical(c: string): string {
  const upper = c.toUpperCase();
  return upper.length !== 1 || (c.charCodeAt(0) >= 128 && upper.charCodeAt(0) < 128) ? c : upper;
}

class Parser {
  private at = 0;
  groups = 0;

  constructor(
    private readonly src: string,
    private readonly dotAll: boolean,
    private readonly ignoreCase: boolean,
  ) {}

  /** One character, in any case with `i`. */
  private literal(ch: string): Test {
    if (!this.ignoreCase) {
      return (x) => x === ch;
    }
    const want = canonical(ch);
    return (x) => canonical(x) === want;
  }

  /** A set of characters (before any negation), in any case with `i`. */
  private anyCase(test: Test): Test {
    if (!this.ignoreCase) {
      return test;
    }
    const lower = (x: string): string => {
      const l = x.toLowerCase();
      return l.length === 1 && l.charCodeAt(0) < 128 === x.charCodeAt(0) < 128 ? l : x;
    };
    return (x) => test(x) || test(lower(x)) || test(canonical(x));
  }

  parse(): Node {
    const node = this.alternation();
    if (this.at < this.src.length) {
      throw new Unsupported();
    }
    return node;
  }

  private alternation(): Node {
    const options = [this.sequence()];
    while (this.src[this.at] === '|') {
      this.at++;
      options.push(this.sequence());
    }
    return options.length === 1 ? options[0] : { kind: 'alt', options };
  }

  private sequence(): Node {
    const items: Node[] = [];
    while (this.at < this.src.length && this.src[this.at] !== '|' && this.src[this.at] !== ')') {
      const atom = this.atom();
      items.push(this.quantified(atom));
    }
    return { kind: 'seq', items };
  }

  private quantified(atom: Node): Node {
    const c = this.src[this.at];
    let min: number;
    let max: number;
    if (c === '*' || c === '+' || c === '?') {
      this.at++;
      [min, max] = c === '*' ? [0, Infinity] : c === '+' ? [1, Infinity] : [0, 1];
    } else if (c === '{' && BRACED.test(this.src.slice(this.at))) {
      const close = this.src.indexOf('}', this.at);
      const [lo, hi] = this.src.slice(this.at + 1, close).split(',');
      min = Number(lo);
      max = hi === undefined ? min : hi === '' ? Infinity : Number(hi);
      this.at = close + 1;
      if (min > MAX_REPEAT || (max !== Infinity && (max > MAX_REPEAT || max < min))) {
        throw new Unsupported();
      }
    } else {
      return atom;
    }
    if (atom.kind === 'assert') {
      throw new Unsupported();
    }
    const lazy = this.src[this.at] === '?';
    if (lazy) {
      this.at++;
    }
    return { kind: 'repeat', body: atom, min, max, greedy: !lazy };
  }

  private atom(): Node {
    const c = this.src[this.at++];
    switch (c) {
      case '(': {
        let index: number | undefined;
        if (this.src.startsWith('?:', this.at)) {
          this.at += 2;
        } else if (this.src[this.at] === '?') {
          throw new Unsupported();
        } else {
          index = ++this.groups;
        }
        const body = this.alternation();
        if (this.src[this.at++] !== ')') {
          throw new Unsupported();
        }
        return { kind: 'group', index, body };
      }
      case '[':
        return { kind: 'char', test: this.charClass() };
      case '.':
        return { kind: 'char', test: this.dotAll ? () => true : not(isLineEnd) };
      case '^':
      case '$':
        return { kind: 'assert', at: c };
      case '\\': {
        const e = this.src[this.at];
        if (e === 'b' || e === 'B') {
          this.at++;
          return { kind: 'assert', at: e };
        }
        const escaped = this.escape(false);
        return { kind: 'char', test: typeof escaped === 'string' ? this.literal(escaped) : escaped };
      }
      case '*':
      case '+':
      case '?':
      case ')':
        throw new Unsupported();
      default:
        // `{2}` with nothing before it is an error in JavaScript too; a `{` that is no quantifier is itself.
        if (c === '{' && BRACED.test(this.src.slice(this.at - 1))) {
          throw new Unsupported();
        }
        return { kind: 'char', test: this.literal(c) };
    }
  }

  /** After a backslash: a class (`\d`…) as a test, or the one character it stands for. */
  private escape(inClass: boolean): string | Test {
    const e = this.src[this.at++];
    if (e === undefined) {
      throw new Unsupported();
    }
    const classes: Record<string, Test> = { d: isDigit, D: not(isDigit), w: isWord, W: not(isWord), s: isSpace, S: not(isSpace) };
    const controls: Record<string, string> = { n: '\n', r: '\r', t: '\t', f: '\f', v: '\v' };
    if (classes[e] || controls[e]) {
      return classes[e] ?? controls[e];
    }
    if (e === 'b' && inClass) {
      return '\b';
    }
    if (e === '0' && !isDigit(this.src[this.at] ?? '')) {
      return '\0';
    }
    if (e === 'x' || e === 'u') {
      const digits = e === 'x' ? 2 : 4;
      const hex = this.src.slice(this.at, this.at + digits);
      if (hex.length !== digits || !/^[0-9a-fA-F]+$/.test(hex)) {
        throw new Unsupported();
      }
      this.at += hex.length;
      return String.fromCharCode(parseInt(hex, 16));
    }
    // Backreferences, \c, \k, \p and letters with no meaning yet: not run here.
    if (/[0-9A-Za-z]/.test(e)) {
      throw new Unsupported();
    }
    return e;
  }

  /** After `[`: the class up to its `]`. */
  private charClass(): Test {
    const negate = this.src[this.at] === '^';
    if (negate) {
      this.at++;
    }
    const parts: Test[] = [];
    while (this.src[this.at] !== ']') {
      if (this.at >= this.src.length) {
        throw new Unsupported();
      }
      const from = this.classAtom();
      if (this.src[this.at] === '-' && this.at + 1 < this.src.length && this.src[this.at + 1] !== ']') {
        this.at++;
        const to = this.classAtom();
        if (typeof from !== 'string' || typeof to !== 'string' || from > to) {
          throw new Unsupported();
        }
        parts.push((x) => x >= from && x <= to);
      } else {
        parts.push(typeof from === 'string' ? (x) => x === from : from);
      }
    }
    this.at++;
    const test = this.anyCase((x) => parts.some((p) => p(x)));
    return negate ? not(test) : test;
  }

  /** One character of a class, or a class escape. */
  private classAtom(): string | Test {
    const c = this.src[this.at++];
    return c === '\\' ? this.escape(true) : c;
  }
}

function compile(node: Node, prog: Inst[]): void {
  if (prog.length > MAX_PROGRAM) {
    throw new Unsupported();
  }
  switch (node.kind) {
    case 'char':
      prog.push({ op: 'char', test: node.test });
      return;
    case 'assert':
      prog.push({ op: 'assert', at: node.at });
      return;
    case 'group':
      if (node.index !== undefined) {
        prog.push({ op: 'save', slot: node.index * 2 });
      }
      compile(node.body, prog);
      if (node.index !== undefined) {
        prog.push({ op: 'save', slot: node.index * 2 + 1 });
      }
      return;
    case 'seq':
      for (const item of node.items) {
        compile(item, prog);
      }
      return;
    case 'alt': {
      const jumps: { op: 'jmp'; x: number }[] = [];
      node.options.forEach((option, i) => {
        if (i < node.options.length - 1) {
          const split = { op: 'split' as const, x: prog.length + 1, y: 0 };
          prog.push(split);
          compile(option, prog);
          const jmp = { op: 'jmp' as const, x: 0 };
          prog.push(jmp);
          jumps.push(jmp);
          split.y = prog.length;
        } else {
          compile(option, prog);
        }
      });
      for (const j of jumps) {
        j.x = prog.length;
      }
      return;
    }
    case 'repeat': {
      for (let i = 0; i < node.min; i++) {
        compile(node.body, prog);
      }
      // One optional copy of the body: its split goes on (greedy) or skips first (lazy); the exit is set after.
      const optional = (): { op: 'split'; x: number; y: number } => {
        const split = { op: 'split' as const, x: 0, y: 0 };
        prog.push(split);
        const body = prog.length;
        compile(node.body, prog);
        if (node.greedy) {
          split.x = body;
        } else {
          split.y = body;
        }
        return split;
      };
      const exits: { op: 'split'; x: number; y: number }[] = [];
      if (node.max === Infinity) {
        const loop = prog.length;
        exits.push(optional());
        prog.push({ op: 'jmp', x: loop });
      } else {
        for (let i = node.min; i < node.max; i++) {
          exits.push(optional());
        }
      }
      for (const split of exits) {
        if (node.greedy) {
          split.y = prog.length;
        } else {
          split.x = prog.length;
        }
      }
      return;
    }
  }
}

/** `replacement` as String.prototype.replace reads it: `$$`, `$&`, `` $` ``, `$'`, `$1`…`$99`. */
function expand(replacement: string, saves: readonly number[], text: string, groups: number): string {
  return replacement.replace(/\$([$&`']|\d\d?)/g, (whole, what: string) => {
    if (what === '$') {
      return '$';
    }
    if (what === '&') {
      return text.slice(saves[0], saves[1]);
    }
    if (what === '`') {
      return text.slice(0, saves[0]);
    }
    if (what === "'") {
      return text.slice(saves[1]);
    }
    let n = Number(what);
    let rest = '';
    if (n > groups && what.length === 2) {
      n = Number(what[0]);
      rest = what[1];
    }
    if (n < 1 || n > groups) {
      return whole;
    }
    const [s, e] = [saves[n * 2], saves[n * 2 + 1]];
    return (s >= 0 && e >= 0 ? text.slice(s, e) : '') + rest;
  });
}

/** The pattern with its flags, or undefined when it uses what this engine does not run (or is not a pattern). */
export function compileLinear(pattern: string, flags: string): LinearRegex | undefined {
  if (pattern.length > MAX_PATTERN || !/^[gims]*$/.test(flags) || new Set(flags).size !== flags.length) {
    return undefined;
  }
  const multiline = flags.includes('m');
  let prog: Inst[];
  let groups: number;
  try {
    const parser = new Parser(pattern, flags.includes('s'), flags.includes('i'));
    const node = parser.parse();
    groups = parser.groups;
    prog = [{ op: 'save', slot: 0 }];
    compile(node, prog);
    prog.push({ op: 'save', slot: 1 }, { op: 'match' });
  } catch (e: unknown) {
    if (e instanceof Unsupported) {
      return undefined;
    }
    throw e;
  }
  const slots = (groups + 1) * 2;

  const holds = (at: '^' | '$' | 'b' | 'B', text: string, sp: number): boolean => {
    switch (at) {
      case '^':
        return sp === 0 || (multiline && isLineEnd(text[sp - 1]));
      case '$':
        return sp === text.length || (multiline && isLineEnd(text[sp]));
      default: {
        const edge = (sp > 0 && isWord(text[sp - 1])) !== (sp < text.length && isWord(text[sp]));
        return at === 'b' ? edge : !edge;
      }
    }
  };

  /** The leftmost-first match at or after `from` (its slots), undefined for none, 'budget' when it ran out. */
  const search = (text: string, from: number, budget: { left: number }): number[] | undefined | 'budget' => {
    const marks = new Int32Array(prog.length).fill(-1);
    let generation = 0;
    type Thread = { pc: number; saves: number[] };
    const add = (list: Thread[], pc: number, saves: number[], sp: number): void => {
      const stack: Thread[] = [{ pc, saves }];
      // Depth first, in priority order: the preferred branch is pushed last so it is taken first.
      while (stack.length) {
        const t = stack.pop() as Thread;
        if (marks[t.pc] === generation) {
          continue;
        }
        marks[t.pc] = generation;
        budget.left--;
        const inst = prog[t.pc];
        if (inst.op === 'jmp') {
          stack.push({ pc: inst.x, saves: t.saves });
        } else if (inst.op === 'split') {
          stack.push({ pc: inst.y, saves: t.saves }, { pc: inst.x, saves: t.saves });
        } else if (inst.op === 'save') {
          const saves2 = t.saves.slice();
          saves2[inst.slot] = sp;
          stack.push({ pc: t.pc + 1, saves: saves2 });
        } else if (inst.op === 'assert') {
          if (holds(inst.at, text, sp)) {
            stack.push({ pc: t.pc + 1, saves: t.saves });
          }
        } else {
          list.push(t);
        }
      }
    };
    let matched: number[] | undefined;
    let current: Thread[] = [];
    generation++;
    add(current, 0, new Array<number>(slots).fill(-1), from);
    for (let sp = from; ; sp++) {
      if (budget.left < 0) {
        return 'budget';
      }
      const next: Thread[] = [];
      generation++;
      for (const t of current) {
        const inst = prog[t.pc];
        if (inst.op === 'match') {
          matched = t.saves;
          break;
        }
        if (inst.op === 'char' && sp < text.length && inst.test(text[sp])) {
          add(next, t.pc + 1, t.saves, sp + 1);
        }
      }
      if (sp >= text.length) {
        return matched;
      }
      if (!matched) {
        // A new start, of the lowest priority: the search is unanchored until something matched.
        add(next, 0, new Array<number>(slots).fill(-1), sp + 1);
      } else if (!next.length) {
        return matched;
      }
      current = next;
    }
  };

  return {
    replace(text: string, replacement: string): string | undefined {
      const budget = { left: BUDGET };
      const parts: string[] = [];
      let last = 0;
      for (let from = 0; from <= text.length; ) {
        const m = search(text, from, budget);
        if (m === 'budget') {
          return undefined;
        }
        if (!m) {
          break;
        }
        parts.push(text.slice(last, m[0]), expand(replacement, m, text, groups));
        last = m[1];
        from = m[1] === m[0] ? m[1] + 1 : m[1];
        if (!flags.includes('g')) {
          break;
        }
      }
      parts.push(text.slice(last));
      return parts.join('');
    },
  };
}
