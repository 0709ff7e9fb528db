/**
 * Globs and ignore files from the repository (`files.exclude`, `search.exclude`, `.gitignore` at
 * every level, `.git/info/exclude`), matched without regular expressions: a pattern is a small
 * automaton run over the path once, so a hostile pattern (`a*a*a*…b`) against a long name costs
 * the pattern's length times the path's, never more. Patterns that cannot be read are skipped
 * with a warning, never fatal.
 */
import { trimEndOf, trimStartOf } from '../text';

/** Folders never scanned, as VS Code's default `files.exclude` and `search.exclude` (the editor and the CLI alike). */
export const DEFAULT_EXCLUDES: readonly string[] = ['**/.git/**', '**/node_modules/**', '**/bower_components/**', '**/.hg/**', '**/.svn/**'];

/** Longest pattern, path and brace expansion read; longer ones are skipped (patterns) or not matched (paths). */
export const MAX_PATTERN = 1000;
const MAX_PATH = 4096;
const MAX_ALTERNATIVES = 64;
/** Most rules read from all ignore files and settings of one scan. */
export const MAX_RULES = 20_000;
/** Largest ignore file read; the rest of a larger one is left unread, with a warning. */
export const MAX_IGNORE_BYTES = 256 * 1024;

type Token =
  | { readonly kind: 'char'; readonly c: string }
  | { readonly kind: 'any' }
  | { readonly kind: 'class'; readonly negate: boolean; readonly ranges: readonly (readonly [number, number])[] }
  | { readonly kind: 'star' }
  | { readonly kind: 'globstar' }
  | { readonly kind: 'segments' };

/** A compiled glob: `test` takes a relative posix path. */
export interface Glob {
  readonly source: string;
  test(path: string): boolean;
}

/** `{a,b}` alternatives expanded (nested too), at most MAX_ALTERNATIVES; undefined when braces do not balance or expand too far. */
function expandBraces(glob: string): string[] | undefined {
  let depth = 0;
  let open = -1;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '\\') {
      i++;
    } else if (c === '[') {
      const close = classEnd(glob, i);
      if (close > 0) {
        i = close;
      }
    } else if (c === '{') {
      if (depth++ === 0) {
        open = i;
      }
    } else if (c === '}') {
      if (depth === 0) {
        return undefined;
      }
      if (--depth === 0) {
        const parts: string[] = [];
        let level = 0;
        let from = open + 1;
        for (let j = open + 1; j < i; j++) {
          const d = glob[j];
          if (d === '\\') {
            j++;
          } else if (d === '{') {
            level++;
          } else if (d === '}') {
            level--;
          } else if (d === ',' && level === 0) {
            parts.push(glob.slice(from, j));
            from = j + 1;
          }
        }
        parts.push(glob.slice(from, i));
        const rest = expandBraces(glob.slice(i + 1));
        if (!rest) {
          return undefined;
        }
        const out: string[] = [];
        for (const part of parts) {
          const inner = expandBraces(part);
          if (!inner) {
            return undefined;
          }
          for (const a of inner) {
            for (const b of rest) {
              out.push(glob.slice(0, open) + a + b);
              if (out.length > MAX_ALTERNATIVES) {
                return undefined;
              }
            }
          }
        }
        return out;
      }
    }
  }
  return depth === 0 ? [glob] : undefined;
}

/** Where a `[...]` class starting at `i` ends (its `]`), or -1 when it does not close. */
function classEnd(glob: string, i: number): number {
  let j = i + 1;
  if (glob[j] === '!' || glob[j] === '^') {
    j++;
  }
  if (glob[j] === ']') {
    j++;
  }
  for (; j < glob.length; j++) {
    if (glob[j] === '\\') {
      j++;
    } else if (glob[j] === ']') {
      return j;
    } else if (glob[j] === '/') {
      return -1;
    }
  }
  return -1;
}

function tokenize(glob: string): Token[] {
  const tokens: Token[] = [];
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') {
      let n = i;
      while (glob[n + 1] === '*') {
        n++;
      }
      const double = n > i;
      const atStart = i === 0 || glob[i - 1] === '/';
      i = n;
      if (double && atStart && glob[i + 1] === '/') {
        tokens.push({ kind: 'segments' });
        i++;
      } else if (double && atStart && i === glob.length - 1) {
        tokens.push({ kind: 'globstar' });
      } else if (tokens[tokens.length - 1]?.kind !== 'star') {
        tokens.push({ kind: 'star' });
      }
    } else if (c === '?') {
      tokens.push({ kind: 'any' });
    } else if (c === '[' && classEnd(glob, i) > 0) {
      const end = classEnd(glob, i);
      let j = i + 1;
      const negate = glob[j] === '!' || glob[j] === '^';
      if (negate) {
        j++;
      }
      const ranges: [number, number][] = [];
      for (let first = true; j < end; first = false) {
        let a = glob[j];
        if (a === '\\' && j + 1 < end) {
          a = glob[++j];
        } else if (a === ']' && !first) {
          break;
        }
        j++;
        if (glob[j] === '-' && j + 1 < end) {
          let b = glob[j + 1];
          j += 2;
          if (b === '\\' && j < end) {
            b = glob[j++];
          }
          ranges.push([a.charCodeAt(0), b.charCodeAt(0)]);
        } else {
          ranges.push([a.charCodeAt(0), a.charCodeAt(0)]);
        }
      }
      tokens.push({ kind: 'class', negate, ranges });
      i = end;
    } else if (c === '\\' && i + 1 < glob.length) {
      tokens.push({ kind: 'char', c: glob[++i] });
    } else {
      tokens.push({ kind: 'char', c });
    }
  }
  return tokens;
}

function inClass(t: Extract<Token, { kind: 'class' }>, code: number): boolean {
  let hit = false;
  for (const [a, b] of t.ranges) {
    if (code >= a && code <= b) {
      hit = true;
      break;
    }
  }
  return hit !== t.negate;
}

/**
 * Runs the tokens as an automaton over `path`. State 2k is "before token k"; for a `**\/` token,
 * 2k+1 is "inside a segment it skips". Only live states are visited, each once per character.
 */
function runTokens(tokens: readonly Token[], path: string): boolean {
  const n = tokens.length;
  const mark = new Uint32Array(2 * n + 2);
  let generation = 1;
  let live: number[] = [];
  let next: number[] = [];
  const add = (list: number[], state: number): void => {
    // Star-like tokens may match nothing: "before k" also means "before k+1".
    for (let s = state; mark[s] !== generation; ) {
      mark[s] = generation;
      list.push(s);
      if (s % 2 === 1 || s === 2 * n) {
        break;
      }
      const kind = tokens[s / 2].kind;
      if (kind !== 'star' && kind !== 'globstar' && kind !== 'segments') {
        break;
      }
      s += 2;
    }
  };
  add(live, 0);
  for (let i = 0; i < path.length; i++) {
    const ch = path[i];
    const slash = ch === '/';
    generation++;
    next.length = 0;
    for (const state of live) {
      if (state === 2 * n) {
        continue;
      }
      const k = state >> 1;
      const t = tokens[k];
      if (state % 2 === 1) {
        add(next, slash ? 2 * k : state);
        continue;
      }
      switch (t.kind) {
        case 'char':
          if (t.c === ch) {
            add(next, state + 2);
          }
          break;
        case 'any':
          if (!slash) {
            add(next, state + 2);
          }
          break;
        case 'class':
          if (!slash && inClass(t, ch.charCodeAt(0))) {
            add(next, state + 2);
          }
          break;
        case 'star':
          if (!slash) {
            add(next, state);
          }
          break;
        case 'globstar':
          add(next, state);
          break;
        case 'segments':
          add(next, slash ? state : state + 1);
          break;
      }
    }
    if (!next.length) {
      return false;
    }
    [live, next] = [next, live];
  }
  return live.includes(2 * n);
}

/** The longest run of literal characters in a pattern (`/.git/` of `**\/.git/**`): every path it matches holds it. */
function longestLiteral(tokens: readonly Token[]): string {
  let longest = '';
  let run = '';
  for (const t of tokens) {
    run = t.kind === 'char' ? run + t.c : '';
    if (run.length > longest.length) {
      longest = run;
    }
  }
  return longest;
}

/** A glob (`*`, `?`, `**`, `[…]`, `{a,b}`) for relative posix paths; undefined when it cannot be read. */
export function compileGlob(glob: string): Glob | undefined {
  if (glob.length === 0 || glob.length > MAX_PATTERN || glob.includes('\0')) {
    return undefined;
  }
  const alternatives = expandBraces(glob);
  if (!alternatives) {
    return undefined;
  }
  const compiled = alternatives.map((alternative) => {
    const tokens = tokenize(alternative);
    return { tokens, literal: longestLiteral(tokens) };
  });
  return {
    source: glob,
    // A path without the pattern's longest literal part cannot match: most paths are settled by one substring search.
    test: (path) => path.length <= MAX_PATH && compiled.some(({ tokens, literal }) => path.includes(literal) && runTokens(tokens, path)),
  };
}

/** One rule of an ignore file, relative to the folder that holds it. */
export interface IgnoreRule {
  /** The folder it applies under, relative to the scan's root ('' for the root). */
  readonly base: string;
  readonly glob: Glob;
  readonly negate: boolean;
  readonly directoryOnly: boolean;
}

/** The rules of one `.gitignore` (or `.git/info/exclude`) in folder `base`; what cannot be read goes to `warn`. */
export function gitignoreRules(text: string, base: string, warn: (problem: string) => void, source: string): IgnoreRule[] {
  const out: IgnoreRule[] = [];
  let lineNumber = 0;
  for (const raw of text.split('\n')) {
    lineNumber++;
    let line = raw.replace(/\r$/, '');
    if (!line || line.startsWith('#')) {
      continue;
    }
    // Trailing spaces are dropped unless escaped (`\ ` keeps one).
    const unspaced = trimEndOf(line, / /);
    line = unspaced.endsWith('\\') && unspaced.length < line.length ? `${unspaced} ` : unspaced;
    const negate = line.startsWith('!');
    if (negate) {
      line = line.slice(1);
    } else if (line.startsWith('\\!') || line.startsWith('\\#')) {
      line = line.slice(1);
    }
    const directoryOnly = line.endsWith('/');
    const name = trimEndOf(line, /\//);
    if (!name) {
      continue;
    }
    const anchored = trimStartOf(name, /\//);
    const pattern = name.slice(0, -1).includes('/') || name.startsWith('/') ? anchored : `**/${anchored}`;
    const glob = compileGlob(pattern);
    if (!glob) {
      warn(`${source}:${lineNumber}`);
      continue;
    }
    out.push({ base, glob, negate, directoryOnly });
  }
  return out;
}

/** Globs from settings (`files.exclude`…), each for the whole tree; the unreadable ones go to `warn`. */
export function globRules(globs: readonly string[], warn: (problem: string) => void): IgnoreRule[] {
  const out: IgnoreRule[] = [];
  for (const g of globs) {
    const glob = compileGlob(trimEndOf(g.replace(/^\.\//, ''), /\//));
    if (glob) {
      out.push({ base: '', glob, negate: false, directoryOnly: false });
    } else {
      warn(g.length > 80 ? `${g.slice(0, 80)}…` : g);
    }
  }
  return out;
}

/**
 * Whether `path` (relative to the scan's root, posix) is ignored by `rules` (later rules win, as
 * in git): the entry itself or, for a file, any folder above it.
 */
export function isIgnored(rules: readonly IgnoreRule[], path: string, isDirectory: boolean): boolean {
  const parts = path.split('/');
  for (let i = 1; i < parts.length; i++) {
    if (matchesLast(rules, parts.slice(0, i).join('/'), true)) {
      return true;
    }
  }
  return matchesLast(rules, path, isDirectory);
}

/** The last rule that speaks of exactly this entry decides. */
export function matchesLast(rules: readonly IgnoreRule[], path: string, isDirectory: boolean): boolean {
  for (let r = rules.length - 1; r >= 0; r--) {
    const rule = rules[r];
    if (rule.directoryOnly && !isDirectory) {
      continue;
    }
    if (rule.base && !(path === rule.base || path.startsWith(`${rule.base}/`))) {
      continue;
    }
    const rel = rule.base ? path.slice(rule.base.length + 1) : path;
    // A folder is also "everything in it": `build/**` leaves out the folder `build` itself.
    if (rel && (rule.glob.test(rel) || (isDirectory && rule.glob.test(`${rel}/`)))) {
      return !rule.negate;
    }
  }
  return false;
}
