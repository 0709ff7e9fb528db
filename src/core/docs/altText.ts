/**
 * Alt text that cannot serve as a description (nor as a prompt): the words linters flag
 * (markdownlint-github's no-default-alt-text, jsx-a11y's redundant words) and file-name-like text.
 */
import { basename } from '../paths';

/** Words that name a kind of picture, not what it shows. */
const GENERIC = new Set(
  [
    'image',
    'img',
    'picture',
    'pic',
    'photo',
    'photograph',
    'screenshot',
    'screen shot',
    'screen capture',
    'screencap',
    'screengrab',
    'capture',
    'snapshot',
    'alt text',
    'alt',
    'output',
    'figure',
    'graphic',
    'illustration',
    'icon',
    'diagram',
    'placeholder',
    'untitled',
    'todo',
    'tbd',
    'demo',
    'example',
    'preview',
  ].map((w) => w.toLowerCase()),
);

/** Screenshot tools' default names with a date: `Screen Shot 2024-05-01 at 10.32.11`. */
const TOOL_DEFAULT = /^(screen ?shot|screenshot|clean ?shot|screencast|screen recording|capture d[’']écran|bildschirmfoto)\b.*\d{4}-\d{2}-\d{2}/i;
const IMAGE_FILE = /\.(png|jpe?g|gif|webp|avif|svg|bmp|tiff?|heic)$/i;

/**
 * Why `alt` cannot describe the picture (so cannot be its prompt), or undefined when it can.
 * `target` is the link, to tell alt text that only repeats the file name.
 */
export function genericAlt(alt: string, target: string): 'generic' | 'fileName' | undefined {
  const text = alt.trim().replace(/\s+/g, ' ');
  if (!text) {
    return undefined;
  }
  const lower = text.toLowerCase().replace(/[.:!]+$/, '');
  // No letter at all (`✔`, `---`, `1`) describes nothing.
  if (GENERIC.has(lower) || GENERIC.has(lower.replace(/[\s_-]*\d+$/, '')) || TOOL_DEFAULT.test(text) || !/\p{L}/u.test(text)) {
    return 'generic';
  }
  const file = basename(target.split(/[?#]/)[0]);
  // The file name itself; one word that is also the file's stem (`![fox](fox.png)`) may still describe it.
  if (IMAGE_FILE.test(text) || lower === file.toLowerCase()) {
    return 'fileName';
  }
  // One token that reads like an identifier (`perf-basic-scheduling`, `failure1`, `img_023`): a name, not a description.
  if (!/\s/.test(text) && /[-_]|\d/.test(text) && /^[\w.-]+$/.test(text)) {
    return 'fileName';
  }
  return undefined;
}
