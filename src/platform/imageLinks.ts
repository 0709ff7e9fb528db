/** The image link near the cursor (only the lines around it are read) and the file it names. */
import * as vscode from 'vscode';
import { imageAt, MarkdownImage } from '../core/docs/markdown';
import { DocImage, scanDocument } from '../core/docs/docScan';
import { isInsideScope, scopeFor } from './placement';
import { LiveSites, resolveTarget } from './sites';

const NEAR_LINES = 50;

/** The lines around `position` (where an image under the cursor must be), their start, and the position in them. */
function around(document: vscode.TextDocument, position: vscode.Position): { text: string; base: number; at: number } {
  const first = Math.max(0, position.line - NEAR_LINES);
  const last = Math.min(document.lineCount - 1, position.line + NEAR_LINES);
  const near = new vscode.Range(first, 0, last, document.lineAt(last).text.length);
  const base = document.offsetAt(near.start);
  return { text: document.getText(near), base, at: document.offsetAt(position) - base };
}

/**
 * The markdown image at a position; only the lines around it are read (a reference-style image's
 * definition is looked up in the whole document, so its target offsets are already the document's).
 */
export function imageNear(document: vscode.TextDocument, position: vscode.Position): MarkdownImage | undefined {
  const { text, base, at } = around(document, position);
  const found = imageAt(text, at, () => document.getText());
  return found && shifted(found, base, found.reference === undefined);
}

/** The image (markdown or HTML `<img>`) at a position, as a scan sees it; only the lines around it are read. */
export function docImageNear(document: vscode.TextDocument, position: vscode.Position): DocImage | undefined {
  const { text, base, at } = around(document, position);
  const found = scanDocument(text, { gif: true }).find((i) => i.start <= at && at <= i.end);
  if (found?.skip === 'jsx' && base > 0) {
    // `<img src={hero}>` of an MDX page whose `import hero from './hero.png'` is above the lines
    // read: the whole page is scanned, only for such a tag under the cursor.
    const offset = base + at;
    return scanDocument(document.getText(), { gif: true }).find((i) => i.start <= offset && offset <= i.end);
  }
  return found && shifted(found, base, true);
}

/**
 * The image a link under the cursor names for the generate commands: a markdown image, else an
 * HTML `<img>` or an MDX image named by an import (`imported`: the page is never changed for it).
 */
export function linkedImageNear(document: vscode.TextDocument, position: vscode.Position): DocImage | undefined {
  const markdown = imageNear(document, position);
  if (markdown) {
    return markdown;
  }
  const html = docImageNear(document, position);
  return html?.html && (!html.skip || html.skip === 'emptyAlt') ? html : undefined;
}

/** An image found in part of a document, with its offsets in the whole document (its target's too, when they were the part's). */
function shifted<I extends DocImage>(i: I, base: number, target: boolean): I {
  return {
    ...i,
    start: i.start + base,
    end: i.end + base,
    targetStart: target ? i.targetStart + base : i.targetStart,
    targetEnd: target ? i.targetEnd + base : i.targetEnd,
    altEnd: i.altEnd === undefined ? undefined : i.altEnd + base,
    altValue: i.altValue && { ...i.altValue, start: i.altValue.start + base, end: i.altValue.end + base },
  };
}

/** The workspace file a link in `document` shows, if it is one that exists inside the workspace. */
export async function linkedFile(document: vscode.Uri, image: MarkdownImage & { readonly html?: boolean }, sites: LiveSites): Promise<vscode.Uri | undefined> {
  let root: vscode.Uri;
  try {
    root = scopeFor(document).root;
  } catch {
    return undefined;
  }
  const file = await resolveTarget(document, root, image.target, image.html === true, sites.sites, true);
  return file && isInsideScope(root, file) ? file : undefined;
}
