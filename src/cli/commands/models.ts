/** `illustrate models`: the image models the endpoint offers, with their prices. */
import * as l10n from '@vscode/l10n';
import { listImageModels } from '../../core/api/modelList';
import { quotedPrice } from '../../core/api/models';
import { formatCost } from '../../core/api/pricing';
import { nodeFetch } from '../../node/http';
import { noArguments, parse, start } from '../args';
import { help } from '../help';
import { Io } from '../output';

export async function modelsCommand(args: string[], io: Io, signal: AbortSignal): Promise<number> {
  const { values, positionals } = parse(args, {});
  if (values.bool('help')) {
    io.out(help());
    return 0;
  }
  noArguments('models', positionals);
  const s = await start(io, values, {});
  const settings = s.configured.settings;
  const listing = await listImageModels(settings.baseUrl, settings.authHeader, s.configured.key, AbortSignal.any([signal, AbortSignal.timeout(30_000)]), nodeFetch);
  const rows = listing.models.map((m) => {
    const { size, price } = quotedPrice(m.known, settings.imageSize);
    return { id: m.id, label: m.label, listed: m.listed, status: m.known?.status ?? 'unknown', pricePerImage: price ?? null, size, sizes: m.known?.sizes ?? [] };
  });
  if (values.bool('json')) {
    io.out(JSON.stringify({ endpoint: settings.baseUrl, fromEndpoint: !listing.fallbackReason, note: listing.fallbackReason ?? null, models: rows }));
    return 0;
  }
  if (listing.fallbackReason) {
    io.err(l10n.t('illustrate: showing Illustrate\'s own table ({0}).', listing.fallbackReason));
  }
  const width = Math.max(...rows.map((r) => r.id.length), 2);
  for (const r of rows) {
    const price = r.pricePerImage === null ? l10n.t('price unknown') : l10n.t('{0} per image at {1}', formatCost(r.pricePerImage), r.size);
    const known = listing.models.find((m) => m.id === r.id)?.known;
    const status = r.status === 'preview' ? l10n.t(' · preview') : r.status === 'retired' ? l10n.t(' · retired at Google') : r.status === 'deprecated' ? l10n.t(' · deprecated: {0} replaces it', known?.successor ?? '') : '';
    io.out(`${r.id.padEnd(width)}  ${r.label} · ${price}${status}${known?.recommended ? l10n.t(' · recommended') : ''}${r.id === settings.model ? l10n.t(' · (current)') : ''}`);
  }
  return 0;
}
