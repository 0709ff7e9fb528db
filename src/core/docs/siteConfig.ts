/**
 * Reading a site's config files as data, never running them: literals after a key, YAML scalars
 * and lists, the top-level keys of a script config's exported object, Hugo's module mounts,
 * Jekyll's collections. Every reader is one pass over the text (capped by its caller).
 */
import { trimOf } from '../text';

const QUOTES = `"'` + '`';

/**
 * The first index at or after `from` where `is` holds, or -1. Asked at positions that only move
 * forward, it looks at each character once (a search from every position would rescan the rest).
 */
function forwardFinder(text: string, is: (c: string) => boolean): (from: number) => number {
  // The last answer holds for every `from` in [lookedFrom, found] (to the end when found is -1).
  let lookedFrom = Infinity;
  let found = -1;
  return (from) => {
    if (from >= lookedFrom && (found === -1 || from <= found)) {
      return found;
    }
    let i = from;
    while (i < text.length && !is(text[i])) {
      i++;
    }
    lookedFrom = from;
    found = i < text.length ? i : -1;
    return found;
  };
}

function isSpace(c: string | undefined): boolean {
  return c !== undefined && /\s/.test(c);
}

/**
 * The string literal values of `key: '…'` (or `key = "…"`, `"key": ["…", …]`) in a config text, at
 * most 16: the key after a start, a space, `{` or `,`; a string of at most 500 characters on one
 * line, or a list of at most 2,000. One pass over the text.
 */
export function literals(text: string, key: string): string[] {
  const out: string[] = [];
  const nextClose = forwardFinder(text, (c) => c === ']');
  const nextStop = forwardFinder(text, (c) => QUOTES.includes(c) || c === '\n');
  let done = 0;
  for (let at = text.indexOf(key); at >= 0 && out.length < 16; at = text.indexOf(key, Math.max(at + 1, done))) {
    const quoted = at > 0 && (text[at - 1] === '"' || text[at - 1] === "'");
    const before = quoted ? at - 1 : at;
    // A match begins at the character before (or at the start) and never inside the last one.
    if (Math.max(0, before - 1) < done || (before > 0 && !isSpace(text[before - 1]) && text[before - 1] !== '{' && text[before - 1] !== ',')) {
      continue;
    }
    let i = at + key.length;
    if (text[i] === '"' || text[i] === "'") {
      i++;
    }
    while (isSpace(text[i])) {
      i++;
    }
    if (text[i] !== ':' && text[i] !== '=') {
      continue;
    }
    i++;
    while (isSpace(text[i])) {
      i++;
    }
    if (text[i] === '[') {
      const close = nextClose(i + 1);
      if (close >= 0 && close - (i + 1) <= 2000) {
        for (const item of text.slice(i + 1, close).matchAll(/["'`]([^"'`\n]{1,500})["'`]/g)) {
          // A template literal with ${…} is computed, not a literal: it is not taken.
          if (!(item[0].startsWith('`') && item[1].includes('${'))) {
            out.push(item[1]);
          }
        }
        done = close + 1;
      }
    } else if (QUOTES.includes(text[i] ?? '\n')) {
      const stop = nextStop(i + 1);
      const value = text.slice(i + 1, stop);
      if (stop >= 0 && stop - (i + 1) <= 500 && text[stop] !== '\n' && !(text[i] === '`' && value.includes('${'))) {
        out.push(value);
        done = stop + 1;
      }
    }
  }
  return out.slice(0, 16);
}

/** A YAML scalar at the top level (`key: value`, quoted or not, a `#` comment after it), or undefined. */
export function yamlScalar(text: string, key: string): string | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(key)) {
      continue;
    }
    const rest = line.slice(key.length).trimStart();
    if (!rest.startsWith(':')) {
      continue;
    }
    const hash = rest.indexOf('#');
    let value = rest.slice(1, hash < 0 ? undefined : hash).trim();
    value = value.startsWith('"') || value.startsWith("'") ? value.slice(1) : value;
    value = value.endsWith('"') || value.endsWith("'") ? value.slice(0, -1) : value;
    // A quote inside is YAML this reader does not follow: the line is not read, as before.
    if (!value.includes('"') && !value.includes("'")) {
      return value.trim();
    }
  }
  return undefined;
}

/** The theme an mkdocs.yml names (`theme: material`, or `name: material` under `theme:`), lower-cased; undefined when none. */
export function mkdocsTheme(text: string): string | undefined {
  const inline = yamlScalar(text, 'theme');
  if (inline) {
    return inline.toLowerCase();
  }
  const start = /^theme[ \t]*:[ \t]*(?:#.*)?$/m.exec(text);
  if (!start) {
    return undefined;
  }
  for (const line of text.slice(start.index + start[0].length).split('\n').slice(1, 200)) {
    if (/^\S/.test(line)) {
      break;
    }
    const m = /^[ \t]+name[ \t]*:[ \t]*["']?([\w.-]+)/.exec(line);
    if (m) {
      return m[1].toLowerCase();
    }
  }
  return undefined;
}

/** The top-level `markdown_extensions` of an mkdocs.yml, as names. */
export function mkdocsExtensions(text: string): Set<string> {
  const out = new Set<string>();
  const start = /^markdown_extensions\s*:\s*$/m.exec(text);
  if (!start) {
    return out;
  }
  for (const line of text.slice(start.index + start[0].length).split('\n').slice(1, 400)) {
    if (/^\S/.test(line)) {
      break;
    }
    const m = /^\s*-\s*([A-Za-z0-9_.]+)/.exec(line);
    if (m) {
      out.add(m[1]);
    }
  }
  return out;
}

function isIdentifierChar(c: string | undefined): boolean {
  return c !== undefined && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c === '_' || c === '$');
}

/** The string a quote at `at` opens, when it closes on the same line within 500 characters and computes nothing (no `${`); else undefined. */
function quotedAt(text: string, at: number): { value: string; end: number } | undefined {
  const quote = text[at];
  if (!QUOTES.includes(quote ?? '\n')) {
    return undefined;
  }
  for (let i = at + 1; i < text.length && i <= at + 501; i++) {
    const c = text[i];
    if (c === '\n' || c === '\\' || (quote === '`' && c === '$' && text[i + 1] === '{')) {
      return undefined;
    }
    if (c === quote) {
      return { value: text.slice(at + 1, i), end: i + 1 };
    }
  }
  return undefined;
}

/** A property's literal value at `at`: a string, or a list of strings only (at most 16); else undefined. */
function literalValueAt(text: string, at: number): string[] | undefined {
  const one = quotedAt(text, at);
  if (one) {
    return [one.value];
  }
  if (text[at] !== '[') {
    return undefined;
  }
  const out: string[] = [];
  for (let i = at + 1; i < text.length && i <= at + 2000; ) {
    const c = text[i];
    if (c === ']') {
      return out.slice(0, 16);
    }
    if (isSpace(c) || c === ',') {
      i++;
      continue;
    }
    const item = quotedAt(text, i);
    if (!item) {
      return undefined;
    }
    out.push(item.value);
    i = item.end;
  }
  return undefined;
}

/** Keys only the config object itself has (Docusaurus' required and usual top-level keys). */
export const DOCUSAURUS_TOP_KEYS = new Set(['url', 'baseUrl', 'title', 'presets', 'themeConfig', 'onBrokenLinks', 'organizationName', 'projectName', 'favicon', 'staticDirectories', 'i18n', 'plugins', 'themes', 'tagline']);

/**
 * The literal values of a script config's own top-level keys: the object literal nearest the top
 * (the fewest braces in) that has one of `topKeys` as a property. A key of a nested object, or a
 * local `const baseUrl = …` in a function, is not one. Strings and comments are skipped; one pass.
 */
export function topLevelLiterals(text: string, topKeys: ReadonlySet<string>): Map<string, string[] | undefined> {
  const found: { key: string; depth: number; value: string[] | undefined }[] = [];
  let depth = 0;
  let last = '';
  let i = 0;
  const key = (name: string, after: number): void => {
    let j = after;
    while (isSpace(text[j])) {
      j++;
    }
    if ((last === '{' || last === ',') && text[j] === ':' && text[j + 1] !== ':') {
      j++;
      while (isSpace(text[j])) {
        j++;
      }
      if (found.length < 10_000) {
        found.push({ key: name, depth, value: literalValueAt(text, j) });
      }
    }
  };
  while (i < text.length) {
    const c = text[i];
    if (c === '/' && text[i + 1] === '/') {
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 2;
    } else if (QUOTES.includes(c)) {
      let j = i + 1;
      while (j < text.length && text[j] !== c && (c === '`' || text[j] !== '\n')) {
        j += text[j] === '\\' ? 2 : 1;
      }
      key(text.slice(i + 1, j), j + 1);
      last = c;
      i = j + 1;
    } else if (isIdentifierChar(c)) {
      let j = i + 1;
      while (isIdentifierChar(text[j])) {
        j++;
      }
      key(text.slice(i, j), j);
      last = 'a';
      i = j;
    } else {
      if (c === '{') {
        depth++;
      } else if (c === '}') {
        depth = Math.max(0, depth - 1);
      }
      if (!isSpace(c)) {
        last = c;
      }
      i++;
    }
  }
  const top = Math.min(...found.filter((f) => topKeys.has(f.key)).map((f) => f.depth));
  const out = new Map<string, string[] | undefined>();
  for (const f of found) {
    if (f.depth === top && !out.has(f.key)) {
      out.set(f.key, f.value);
    }
  }
  return out;
}

/** A YAML line's value without its comment (`#` after a space) and surrounding space. */
function yamlUncommented(value: string): string {
  const hash = value.startsWith('#') ? 0 : value.indexOf(' #');
  return (hash < 0 ? value : value.slice(0, hash)).trim();
}

/** A plain YAML value: quotes and an anchor (`&name`) taken off, an alias (`*name`) followed to its anchor on one line; undefined when it is not a plain string. */
function yamlPlain(raw: string, text: string): string | undefined {
  let value = yamlUncommented(raw);
  if (value.startsWith('&')) {
    const space = value.indexOf(' ');
    value = space < 0 ? '' : value.slice(space + 1).trim();
  } else if (value.startsWith('*')) {
    const anchor = text.indexOf(`&${value.slice(1)} `);
    const end = anchor < 0 ? -1 : text.indexOf('\n', anchor);
    value = anchor < 0 ? '' : yamlUncommented(text.slice(anchor + value.length + 1, end < 0 ? undefined : end));
  }
  const quote = value[0];
  if ((quote === '"' || quote === "'") && value.length >= 2 && value.endsWith(quote)) {
    value = value.slice(1, -1);
  }
  // Anything else (a flow mapping, a block scalar, a tag, a quote left inside) is YAML this reader does not follow.
  if (!value || value.length > 500 || /^[[{|>!*&]/.test(value) || value.includes('"') || value.includes("'")) {
    return undefined;
  }
  return value;
}

/** The values of a top-level YAML key: a scalar, a flow list `[a, b]` or a block list of `- a` lines (at most 16). One pass. */
export function yamlValues(text: string, key: string): string[] {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (!line.startsWith(key)) {
      continue;
    }
    const rest = line.slice(key.length).trimStart();
    if (!rest.startsWith(':')) {
      continue;
    }
    const value = yamlUncommented(rest.slice(1));
    const plain = (v: string): v is string => v !== '';
    if (value === '') {
      const out: string[] = [];
      for (let j = i + 1; j < lines.length && out.length < 16; j++) {
        const item = lines[j].trimStart();
        if (item === '' || item.startsWith('#')) {
          continue;
        }
        if (item === lines[j] || !item.startsWith('- ')) {
          break;
        }
        out.push(yamlPlain(item.slice(2), text) ?? '');
      }
      return out.filter(plain);
    }
    if (value.startsWith('[') && value.endsWith(']')) {
      return value
        .slice(1, -1)
        .split(',')
        .slice(0, 16)
        .map((v) => yamlPlain(v, text) ?? '')
        .filter(plain);
    }
    const one = yamlPlain(value, text);
    return one === undefined ? [] : [one];
  }
  return [];
}

/** A key's literal values in a data config (YAML top-level; TOML and JSON quoted strings), or in a script. */
export function configValues(text: string, file: string, key: string): string[] {
  return /\.ya?ml$/.test(file) ? yamlValues(text, key) : literals(text, key);
}

// A mount's `source` or `target` with its value: quoted, or bare YAML up to a comma, brace or comment.
const MOUNT_KEY = /["']?\b(source|target)["']?[ \t]*[:=][ \t]*(?:"([^"\n]*)"|'([^'\n]*)'|([^\s"',}#][^,}#\n]*))/g;

/**
 * Hugo module mounts (`module.mounts`, `[[module.mounts]]`, `[[mounts]]` of module.toml) as
 * source/target pairs, in order: a mount starts at a list item or table, or when a key repeats.
 * At most 64. One pass over the lines.
 */
export function hugoMounts(text: string): { source: string; target: string }[] {
  const out: { source: string; target: string }[] = [];
  let current: { source?: string; target?: string } = {};
  for (const line of text.split('\n')) {
    const trimmed = line.trimStart();
    if (trimmed.startsWith('- ') || trimmed.startsWith('[[')) {
      current = {};
    }
    for (const m of line.matchAll(MOUNT_KEY)) {
      const key = m[1] as 'source' | 'target';
      if (current[key] !== undefined) {
        current = {};
      }
      // Aliases are not followed here: one search of the text per mount would not be linear.
      const bare = m[4] === undefined ? undefined : yamlPlain(m[4], '');
      current[key] = m[2] ?? m[3] ?? bare ?? '';
      if (current.source !== undefined && current.target !== undefined) {
        if (current.source && current.target && out.length < 64) {
          out.push({ source: current.source, target: current.target });
        }
        current = {};
      }
    }
  }
  return out;
}

/** The collections with `output: true` of a Jekyll `_config.yml` (the mapping form), at most 64. One pass over the lines. */
export function jekyllCollections(text: string): { name: string; permalink?: string }[] {
  const out: { name: string; output: boolean; permalink?: string }[] = [];
  let inside = false;
  let indent = -1;
  for (const line of text.split('\n')) {
    const trimmed = line.trimStart();
    if (!inside) {
      inside = line.startsWith('collections') && yamlUncommented(line.slice('collections'.length).trimStart()) === ':';
      continue;
    }
    if (trimmed === '' || trimmed.startsWith('#')) {
      continue;
    }
    const depth = line.length - trimmed.length;
    if (depth === 0 || out.length >= 64) {
      break;
    }
    indent = indent < 0 ? depth : indent;
    const colon = trimmed.indexOf(':');
    if (colon <= 0) {
      continue;
    }
    const key = trimmed.slice(0, colon).trim();
    const value = trimmed.slice(colon + 1);
    if (depth === indent) {
      out.push({ name: key, output: false });
    } else if (out.length && key === 'output') {
      out[out.length - 1].output = yamlUncommented(value) === 'true';
    } else if (out.length && key === 'permalink') {
      out[out.length - 1].permalink = yamlPlain(value, '');
    }
  }
  return out.filter((c) => c.output).map((c) => (c.permalink ? { name: c.name, permalink: c.permalink } : { name: c.name }));
}

/**
 * A top-level setting of a Hugo config that is a boolean (keys are case-insensitive, as Hugo reads
 * them): true or false; 'other' when it is set to something else (a table of sections); undefined
 * when not set. TOML: before the first table; YAML: an unindented line; JSON: anywhere. One pass.
 */
export function configFlag(text: string, file: string, key: string): boolean | 'other' | undefined {
  const name = key.toLowerCase();
  const yaml = /\.ya?ml$/.test(file);
  const json = file.endsWith('.json');
  let found: boolean | 'other' | undefined;
  let topLevel = true;
  for (const raw of text.split('\n')) {
    const line = json ? raw.trim() : raw;
    const lower = line.toLowerCase();
    if (!yaml && !json && lower.trimStart().startsWith('[')) {
      // A table of its own (`[uglyURLs]`) sets it per section; any table ends the top level.
      found = trimOf(lower, /[\s[\]]/) === name ? 'other' : found;
      topLevel = false;
      continue;
    }
    const keyEnd = json ? (lower.startsWith(`"${name}"`) ? name.length + 2 : -1) : lower.startsWith(name) ? name.length : -1;
    if (keyEnd < 0 || !topLevel) {
      continue;
    }
    const rest = line.slice(keyEnd).trimStart();
    if (!rest.startsWith(yaml || json ? ':' : '=')) {
      continue;
    }
    const value = yamlUncommented(rest.slice(1)).replace(/,$/, '').trim();
    found = value === 'true' ? true : value === 'false' ? false : 'other';
  }
  return found;
}

/**
 * The sections whose regular pages a Hugo config gives a permalink pattern (`[permalinks]`,
 * `[permalinks.page]`, or YAML's `permalinks:` with `page:` under it); '*' when it cannot tell
 * which (JSON, an inline table). At most 64. One pass over the lines.
 */
export function hugoPermalinkSections(text: string, file: string): string[] {
  if (file.endsWith('.json')) {
    return text.includes('"permalinks"') ? ['*'] : [];
  }
  const yaml = /\.ya?ml$/.test(file);
  const out: string[] = [];
  let inside = false;
  // YAML: the indent of permalinks' own keys, and whether the lines under the current one are `page:`'s.
  let indent = -1;
  let under: 'page' | 'other' | undefined;
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (out.length >= 64) {
      break;
    }
    if (trimmed === '' || trimmed.startsWith('#')) {
      continue;
    }
    const lower = trimmed.toLowerCase();
    if (!yaml) {
      if (trimmed.startsWith('[')) {
        const table = trimOf(lower, /[\s[\]]/);
        inside = table === 'permalinks' || table === 'permalinks.page';
      } else if (/^permalinks[ \t]*=/.test(lower) && !inside) {
        out.push('*');
      } else if (inside) {
        const eq = trimmed.indexOf('=');
        if (eq > 0) {
          out.push(trimmed.slice(0, eq).trim().replace(/^["']|["']$/g, ''));
        }
      }
      continue;
    }
    const depth = line.length - line.trimStart().length;
    if (depth === 0) {
      inside = /^permalinks[ \t]*:/.test(lower);
      if (inside && yamlUncommented(trimmed.slice(trimmed.indexOf(':') + 1)) !== '') {
        out.push('*');
        inside = false;
      }
      indent = -1;
      continue;
    }
    if (!inside) {
      continue;
    }
    indent = indent < 0 ? depth : indent;
    const colon = trimmed.indexOf(':');
    if (colon <= 0) {
      continue;
    }
    const key = trimmed.slice(0, colon).trim().replace(/^["']|["']$/g, '');
    const value = yamlUncommented(trimmed.slice(colon + 1));
    if (depth === indent) {
      under = value === '' ? (key.toLowerCase() === 'page' ? 'page' : 'other') : undefined;
      if (value !== '') {
        out.push(key);
      }
    } else if (under === 'page' && value !== '') {
      out.push(key);
    }
  }
  return out;
}
