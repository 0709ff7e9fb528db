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

/** Where a file of the store is (`StudioStore.imageUri`). */
export type FileOf = (stored: { readonly file: string }) => vscode.Uri;

export function imageView(image: StoredImage, fileOf: FileOf, src: ToSrc): ImageView {
  const { dark } = image;
  return {
    id: image.id,
    src: src(fileOf(image)),
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
    ...(dark ? { dark: { src: src(fileOf(dark)), width: dark.width, height: dark.height, format: dark.format, bytes: dark.bytes, cost: formatCost(dark.cost) } } : {}),
    ...(image.darkError ? { darkError: image.darkError } : {}),
  };
}

/** The saved file's weight when it differs from what the model sent (a conversion). */
export function savedWeight(image: StoredImage): string | undefined {
  return image.savedBytes !== undefined && image.savedFormat !== undefined && image.savedFormat !== image.format ? `${formatBytes(image.savedBytes)} ${image.savedFormat.toUpperCase()}` : undefined;
}

export function entryView(entry: HistoryEntry, fileOf: FileOf, src: ToSrc): EntryView {
  // What the entry cost: its variants and their twins.
  const costs = entry.images.flatMap((i) => (i.dark ? [i.cost, i.dark.cost] : [i.cost]));
  const total = costs.some((c) => c === undefined) ? undefined : costs.reduce<number>((a, c) => a + (c ?? 0), 0);
  return {
    id: entry.id,
    date: entry.date,
    prompt: entry.prompt,
    options: entry.options,
    references: entry.references,
    images: entry.images.map((i) => imageView(i, fileOf, src)),
    errors: entry.errors,
    tokens: entry.images.reduce((a, i) => a + i.tokens + (i.dark?.tokens ?? 0), 0),
    cost: entry.images.length ? formatCost(total) : '',
    durationMs: entry.durationMs,
    editOf: entry.editOf,
  };
}

export function referenceView(reference: { readonly id: string; readonly name: string; readonly uri: vscode.Uri; readonly data: Uint8Array }, src: ToSrc): ReferenceView {
  return { id: reference.id, name: reference.name, src: src(reference.uri), bytes: reference.data.length };
}
