/**
 * Translated pictures whose source changed since they were made: what `check` reports and
 * `fill --stale` makes again. Only records and paths: no run, so `check` can use it freely.
 */
import * as l10n from '@vscode/l10n';
import type { FillLink } from '../fill/fill';
import { fingerprint, ImageMetadata, readProvenance, TwinOf } from '../images/metadata';
import { dirname, joinPath } from '../paths';
import { languageName } from './language';

/** A translation whose source picture changed (or is gone) since it was made. */
export interface StaleTranslation<L> {
  readonly twin: L;
  readonly source: L;
  readonly twinOf: TwinOf;
  readonly meta: ImageMetadata;
  readonly links: readonly FillLink<L>[];
  readonly gone: boolean;
}

/** The translations Illustrate made among the pictures that are there whose source's bytes are not those it translated. */
export async function staleTranslations<L>(present: readonly { readonly uri: L; readonly links: readonly FillLink<L>[] }[], host: { head(file: L): Promise<Uint8Array | undefined>; read(file: L): Promise<Uint8Array | undefined>; at(root: L, path: string): L; path(location: L): string }): Promise<StaleTranslation<L>[]> {
  const out: StaleTranslation<L>[] = [];
  for (const p of present) {
    const meta = readProvenance((await host.head(p.uri).catch(() => undefined)) ?? new Uint8Array());
    const twinOf = meta?.twinOf;
    if (!meta || twinOf?.kind !== 'translation') {
      continue;
    }
    const source = host.at(p.uri, joinPath(dirname(host.path(p.uri)), twinOf.path));
    const bytes = await host.read(source).catch(() => undefined);
    if (!bytes || fingerprint(bytes) !== twinOf.source) {
      out.push({ twin: p.uri, source, twinOf, meta, links: p.links, gone: !bytes });
    }
  }
  return out;
}

/** What `check` says of a stale translation. */
export function staleTranslationMessage<L>(s: StaleTranslation<L>, name: (l: L) => string): string {
  const language = languageName(s.twinOf.lang ?? '');
  return s.gone
    ? l10n.t('the picture it translates into {0}, {1}, is gone', language, name(s.source))
    : l10n.t('{0} changed since this picture was translated from it into {1}', name(s.source), language);
}

