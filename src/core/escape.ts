/**
 * The one place outside text (a repository's files and names, a model's answer, a server's message)
 * is made safe for where it goes. One function per sink; a sink not listed here gets no outside text.
 *
 * | sink                                   | function             |
 * |----------------------------------------|----------------------|
 * | a terminal line, an MCP text result    | `printable`          |
 * | markdown prose (a hover, a plan, a report) | `markdownText`   |
 * | an inline code span                    | `markdownCode`       |
 * | a code span in a markdown table cell   | `tableCode`          |
 * | a markdown image description `![…]`    | `imageDescription`   |
 * | a markdown link destination `(…)`      | `linkDestination`    |
 * | an HTML (or MDX JSX) attribute value   | `htmlAttribute`      |
 * | a URL inside trusted markup            | `urlInMarkup`        |
 * | a URL in an HTML `srcset` attribute    | `srcsetUrl`          |
 * | a GitHub Actions log line              | `actionsLogLine`     |
 * | a GitHub Actions annotation            | `actionsAnnotation`  |
 */

/** C0 and C1 controls, DEL, and the bidirectional overrides that reorder what a reader sees. */
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;

/** The text on one line, every control character shown as its escape (`\x1b`, `\n`, `\u202e`). */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (c) => {
    switch (c) {
      case '\n':
        return '\\n';
      case '\r':
        return '\\r';
      case '\t':
        return '\\t';
      default: {
        const code = c.charCodeAt(0);
        return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
      }
    }
  });
}

/** Text as itself inside markdown prose: one line, its markdown and HTML characters escaped. */
export function markdownText(text: string): string {
  return printable(text).replace(/[\\`*_{}[\]()#+!<>|~&]/g, '\\$&');
}

/** Text as an inline code span: one line, fenced with more backticks than it holds. */
export function markdownCode(text: string): string {
  const shown = printable(text);
  let longest = 0;
  for (const run of shown.match(/`+/g) ?? []) {
    longest = Math.max(longest, run.length);
  }
  const fence = '`'.repeat(longest + 1);
  const pad = shown.startsWith('`') || shown.endsWith('`') || shown === '' ? ' ' : '';
  return `${fence}${pad}${shown}${pad}${fence}`;
}

/**
 * Text as an inline code span inside a GitHub markdown table cell (a job summary's table): the
 * table splits its row at every `|` before reading code spans, so each is written `\|`, which
 * GitHub's tables read back as `|` even inside code.
 */
export function tableCode(text: string): string {
  return markdownCode(text).replace(/\|/g, '\\|');
}

/** The markup a page is written in: MDX also reads `{…}` as an expression and `<…>` as JSX. */
export type Dialect = 'markdown' | 'mdx';

/** The dialect of a document from its name. */
export function dialectOf(path: string): Dialect {
  return /\.mdx$/i.test(path) ? 'mdx' : 'markdown';
}

/**
 * Text as a markdown image description (between `![` and `]`): one line with no controls, and
 * nothing in it can open markup that reaches past the `]`: brackets, backslashes, code spans,
 * raw HTML or autolinks (`<`), and in MDX expressions (`{`, `}`); `&` before what reads as a
 * character reference, emphasis marks, a `_` at a word's edge and `|` (a table cell's edge) are
 * escaped too, so the text reads as written.
 */
export function imageDescription(text: string, dialect: Dialect = 'markdown'): string {
  const line = text.replace(UNPRINTABLE, ' ').replace(/\s+/g, ' ').trim();
  const special = dialect === 'mdx' ? /[\\[\]`<>{}*~|]|&(?=#?[0-9A-Za-z]{1,32};)|_(?![0-9A-Za-z])|(?<![0-9A-Za-z])_/g : /[\\[\]`<*~|]|&(?=#?[0-9A-Za-z]{1,32};)|_(?![0-9A-Za-z])|(?<![0-9A-Za-z])_/g;
  return line.replace(special, '\\$&');
}

/**
 * A link destination from a document to a file (a relative posix path): wrapped in `<…>` when it
 * holds spaces, controls or unbalanced parentheses, `<` and `>` then percent-encoded.
 */
export function linkDestination(relPath: string): string {
  const needsBrackets = /[\s<>\x00-\x1f]/.test(relPath) || !balancedParens(relPath);
  return needsBrackets ? `<${relPath.replace(/[<>\n\r]/g, (c) => encodeURIComponent(c))}>` : relPath;
}

function balancedParens(text: string): boolean {
  let depth = 0;
  for (const c of text) {
    if (c === '(') {
      depth++;
    } else if (c === ')') {
      depth--;
      if (depth < 0) {
        return false;
      }
    }
  }
  return depth === 0;
}

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Text as an HTML attribute value, whichever quote surrounds it (or in MDX's JSX): one line, and
 * `&`, `<`, `>`, `"` and `'` as character references.
 */
export function htmlAttribute(text: string): string {
  return text
    .replace(UNPRINTABLE, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

/**
 * A URL (already encoded by its builder) inside trusted markup: every character that could end an
 * attribute, a link destination or a line is percent-encoded, so a file name cannot add markup.
 */
export function urlInMarkup(url: string): string {
  return url.replace(/[^A-Za-z0-9\-._~:/?#@!$&*+,;=%]/g, (c) => encodeURIComponent(c).replace(/[!'()*]/g, (x) => `%${x.charCodeAt(0).toString(16).toUpperCase()}`));
}

/**
 * A URL as one `srcset` candidate inside an attribute value: whitespace and commas (which separate
 * candidates and their descriptors) percent-encoded, then escaped as an attribute value.
 */
export function srcsetUrl(url: string): string {
  return htmlAttribute(url.replace(UNPRINTABLE, (c) => encodeURIComponent(c)).replace(/[\s,]/g, (c) => encodeURIComponent(c)));
}

/**
 * A line for a GitHub Actions log (`GITHUB_ACTIONS` set): shown as itself, and never read as a
 * workflow command. The runner reads `::…` at a line's start (after any space) and the older
 * `##[…]` anywhere in it: a leading `::` gets a `\\` before it, and every `##[` is written
 * `##\\u005b` (in a JSON line that is the same `[`, so the line stays valid JSON with the same data).
 */
export function actionsLogLine(text: string): string {
  const shown = printable(text).split('##[').join('##\\u005b');
  return shown.trimStart().startsWith('::') ? `\\${shown}` : shown;
}

/** A GitHub Actions annotation: the properties' and message's text escaped as the runner reads them, and printable. */
export function actionsAnnotation(level: 'warning' | 'error' | 'notice', properties: Readonly<Record<string, string | number>>, message: string): string {
  const props = Object.entries(properties)
    .map(([k, v]) => `${k}=${actionsEscape(printable(String(v)), true)}`)
    .join(',');
  return `::${level} ${props}::${actionsEscape(printable(message), false)}`;
}

/** Workflow command text: `%`, CR, LF (and in properties `:` and `,`) escaped as the runner unescapes them. */
function actionsEscape(text: string, property: boolean): string {
  // The runner's older parser looks for ##[ anywhere in a line, an annotation's too.
  const out = text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A').split('##[').join('##\\u005b');
  return property ? out.replace(/:/g, '%3A').replace(/,/g, '%2C') : out;
}
