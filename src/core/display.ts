/**
 * Text from a repository (alt text, file names, link targets) on its way to a terminal, a
 * line-oriented file or a confirmation: it shows as itself and cannot add lines, move the cursor,
 * recolour or hide what follows.
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

/** A file's size for a person: `812 B`, `48 KB`, `1.9 MB`. */
export function formatBytes(n: number): string {
  if (n < 1024) {
    return `${n} B`;
  }
  if (n < 1024 * 1024) {
    return `${Math.round(n / 1024)} KB`;
  }
  return `${(n / (1024 * 1024)).toFixed(1)} MB`;
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
