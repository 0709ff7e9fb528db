import * as vscode from 'vscode';
import { listImageModels, OfferedModel } from '../core/modelList';
import { listPrice } from '../core/models';
import { formatCost } from '../core/pricing';
import { readSettings } from '../platform/settings';
import { Services } from '../platform/services';

const LIST_TIMEOUT_MS = 15_000;

interface ModelItem extends vscode.QuickPickItem {
  readonly id: string;
}

function describe(model: OfferedModel, imageSize: string, current: string): ModelItem {
  const info = model.known;
  const size = info && info.sizes.length > 0 && !info.sizes.includes(imageSize as never) ? info.sizes[0] : imageSize || '1K';
  const price = info ? listPrice(info, size) : undefined;
  const facts = info
    ? [
        `${formatCost(price)} per image${info.sizes.length ? ` at ${size}` : ''}`,
        info.sizes.length ? `sizes ${info.sizes.join(', ')}` : 'one size',
        `${info.ratios.length} aspect ratios`,
        `up to ${info.maxReferences} references`,
        info.status === 'retired' ? `retired on Google's endpoint on ${info.retiredOn}` : info.status === 'preview' ? 'preview' : '',
      ]
    : ['not in Illustrate\'s table: sent as written, price unknown'];
  return {
    id: model.id,
    label: `${model.id === current ? '$(check) ' : ''}${model.label}`,
    description: model.id,
    detail: facts.filter(Boolean).join(' · '),
  };
}

/**
 * A quick pick of the image models the endpoint offers (or the table's, when it cannot list
 * them), each with its price at the current size; the pick is written to the user's settings.
 */
export async function chooseModel(services: Services): Promise<{ readonly model?: string; readonly offered: readonly string[]; readonly fromEndpoint: boolean }> {
  const settings = readSettings();
  const listing = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: 'Illustrate: listing the endpoint\'s models' },
    async () => listImageModels(settings.baseUrl, settings.authHeader, await services.keys.get(), AbortSignal.timeout(LIST_TIMEOUT_MS), services.fetch),
  );
  if (listing.fallbackReason) {
    services.log.info(`Choose Model: showing Illustrate's own table (${listing.fallbackReason}).`);
  }
  const items = listing.models.map((m) => describe(m, settings.imageSize, settings.model));
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Illustrate: Choose Model',
    placeHolder: listing.fallbackReason ? `Known models (${listing.fallbackReason})` : `Image models at ${new URL(settings.baseUrl).host}`,
    matchOnDescription: true,
    matchOnDetail: true,
  });
  const offered = items.map((i) => i.id);
  if (!picked) {
    return { offered, fromEndpoint: !listing.fallbackReason };
  }
  await vscode.workspace.getConfiguration('illustrate').update('model', picked.id, vscode.ConfigurationTarget.Global);
  services.log.info(`Choose Model: illustrate.model is now ${picked.id}.`);
  return { model: picked.id, offered, fromEndpoint: !listing.fallbackReason };
}
