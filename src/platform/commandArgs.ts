/**
 * A command's arguments can come from anyone who shows a command link (a hover, a preview, another
 * extension). The ones Illustrate's own Quick Fixes and hover pass carry a ticket only this window
 * issued; arguments without one are not trusted to pick what is read, sent or spent on: the
 * command works on the cursor instead. A document named by a ticket is still checked to be in a
 * workspace folder, reached through no link out of it.
 */
import * as vscode from 'vscode';
import { checkWorkspaceFile } from './workspaceFiles';

/** Arguments of the commands about one image link: the document and the image's offset in it. */
export interface ImageLinkArgs {
  readonly uri: string;
  readonly offset: number;
  readonly ticket: string;
}

/** The tickets this window handed out, newest last; the oldest are dropped past the cap. */
const issued = new Set<string>();
const MAX_TICKETS = 512;

function newTicket(): string {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Arguments for a command link or a Quick Fix on the image at `offset` of `document`. */
export function imageLinkArgs(document: vscode.Uri, offset: number): ImageLinkArgs {
  const ticket = newTicket();
  issued.add(ticket);
  if (issued.size > MAX_TICKETS) {
    issued.delete(issued.values().next().value!);
  }
  return { uri: document.toString(), offset, ticket };
}

/** Arguments this window issued: an object with a ticket it handed out, a document and an offset. */
export function issuedHere(args: unknown): args is ImageLinkArgs {
  const a = args as Partial<ImageLinkArgs> | undefined;
  return !!a && typeof a === 'object' && typeof a.ticket === 'string' && issued.has(a.ticket) && typeof a.uri === 'string' && typeof a.offset === 'number' && Number.isSafeInteger(a.offset) && a.offset >= 0;
}

/**
 * Where a command about one image points: the arguments Illustrate issued (a Quick Fix, the
 * hover), else the cursor. Any other arguments are ignored.
 */
export async function documentAt(args: unknown): Promise<{ document: vscode.TextDocument; position: vscode.Position } | undefined> {
  if (issuedHere(args)) {
    const uri = vscode.Uri.parse(args.uri, true);
    await checkWorkspaceFile(uri);
    const document = await vscode.workspace.openTextDocument(uri);
    return { document, position: document.positionAt(args.offset) };
  }
  const editor = vscode.window.activeTextEditor;
  return editor && { document: editor.document, position: editor.selection.active };
}
