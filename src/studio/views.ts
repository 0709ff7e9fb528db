/**
 * What the webview is shown of the history and the references: display strings and webview URIs,
 * never bytes. Projections of the store's records; `src` turns a file into a URI the webview may load.
 */
import * as vscode from 'vscode';
import { formatBytes } from '../core/display';
import { formatCost } from '../core/api/pricing';
import { EntryView, ImageView, ReferenceView } from './protocol';
import { HistoryEntry, StoredImage } from './store';

export type ToSrc = (file: vscode.Uri) => string;

export function imageView(image: StoredImage, file: vscode.Uri, src: ToSrc): ImageView {
  return {
    id: image.id,
    src: src(file),
    width: image.width,
    height: image.height,
    format: image.format,
    bytes: image.bytes,
    tokens: image.tokens,
    cost: formatCost(image.cost),
    texts: image.texts,
    thoughts: image.thoughts,
    savedAs: image.savedAs ? vscode.workspace.asRelativePath(vscode.Uri.parse(image.savedAs)) : undefined,
    savedWeight: savedWeight(image),
    review: image.review,
  };
}

/** The saved file's weight when it differs from what the model sent (a conversion). */
export function savedWeight(image: StoredImage): string | undefined {
  return image.savedBytes !== undefined && image.savedFormat !== undefined && image.savedFormat !== image.format ? `${formatBytes(image.savedBytes)} ${image.savedFormat.toUpperCase()}` : undefined;
}

export function entryView(entry: HistoryEntry, fileOf: (image: StoredImage) => vscode.Uri, src: ToSrc): EntryView {
  const costs = entry.images.map((i) => i.cost);
  const total = costs.some((c) => c === undefined) ? undefined : costs.reduce<number>((a, c) => a + (c ?? 0), 0);
  return {
    id: entry.id,
    date: entry.date,
    prompt: entry.prompt,
    options: entry.options,
    references: entry.references,
    images: entry.images.map((i) => imageView(i, fileOf(i), src)),
    errors: entry.errors,
    tokens: entry.images.reduce((a, i) => a + i.tokens, 0),
    cost: entry.images.length ? formatCost(total) : '',
    durationMs: entry.durationMs,
    editOf: entry.editOf,
  };
}

export function referenceView(reference: { readonly id: string; readonly name: string; readonly uri: vscode.Uri; readonly data: Uint8Array }, src: ToSrc): ReferenceView {
  return { id: reference.id, name: reference.name, src: src(reference.uri), bytes: reference.data.length };
}
