import * as vscode from 'vscode';
import { listImageModels, OfferedModel } from '../core/api/modelList';
import { quotedPrice } from '../core/api/models';
import { formatCost } from '../core/api/pricing';
import { endpointForKey } from '../core/settings';
import { readSettings } from '../platform/settings';
import { Services } from '../platform/services';

const LIST_TIMEOUT_MS = 15_000;

interface ModelItem extends vscode.QuickPickItem {
  readonly id: string;
}

function describe(model: OfferedModel, imageSize: string, current: string): ModelItem {
  const info = model.known;
  const { size, price } = quotedPrice(info, imageSize);
  const facts = info
    ? [
        info.sizes.length ? vscode.l10n.t('{0} per image at {1}', formatCost(price), size) : vscode.l10n.t('{0} per image', formatCost(price)),
        info.sizes.length ? vscode.l10n.t('sizes {0}', info.sizes.join(', ')) : vscode.l10n.t('one size'),
        vscode.l10n.t('{0} aspect ratios', info.ratios.length),
        vscode.l10n.t('up to {0} references', info.maxReferences),
        info.status === 'retired'
          ? vscode.l10n.t('retired on Google\'s endpoint on {0}', info.retiredOn ?? '')
          : info.status === 'deprecated'
            ? vscode.l10n.t('deprecated by Google on {0}: {1} replaces it', info.deprecatedOn ?? '', info.successor ?? '')
            : info.status === 'preview'
              ? vscode.l10n.t('preview')
              : '',
        info.recommended ? vscode.l10n.t('Google\'s recommended image model') : '',
      ]
    : [vscode.l10n.t('not in Illustrate\'s table: sent as written, price unknown')];
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
export async function chooseModel(services: Services): Promise<{ readonly model?: string; readonly offered: readonly string[]; readonly fromEndpoint: boolean; readonly details: Readonly<Record<string, string>> }> {
  const key = await services.keys.get();
  // The list comes from where the key would go (a Google key left at the default: Google's endpoint).
  const settings = key ? endpointForKey(readSettings(), key).settings : readSettings();
  const listing = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Illustrate: listing the endpoint\'s models') },
    async () => listImageModels(settings.baseUrl, settings.authHeader, key, AbortSignal.timeout(LIST_TIMEOUT_MS), services.fetch),
  );
  if (listing.fallbackReason) {
    services.log.info(`Choose Model: showing Illustrate's own table (${listing.fallbackReason}).`);
  }
  const items = listing.models.map((m) => describe(m, settings.imageSize, settings.model));
  const picked = await vscode.window.showQuickPick(items, {
    title: vscode.l10n.t('Illustrate: Choose Model'),
    placeHolder: listing.fallbackReason ? vscode.l10n.t('Known models ({0})', listing.fallbackReason) : vscode.l10n.t('Image models at {0}', new URL(settings.baseUrl).host),
    matchOnDescription: true,
    matchOnDetail: true,
  });
  const offered = items.map((i) => i.id);
  // What each line of the list says, for automation (and tests) that cannot read the quick pick.
  const details = Object.fromEntries(items.map((i) => [i.id, `${i.label} · ${i.detail ?? ''}`]));
  if (!picked) {
    return { offered, fromEndpoint: !listing.fallbackReason, details };
  }
  await vscode.workspace.getConfiguration('illustrate').update('model', picked.id, vscode.ConfigurationTarget.Global);
  services.log.info(`Choose Model: illustrate.model is now ${picked.id}.`);
  return { model: picked.id, offered, fromEndpoint: !listing.fallbackReason, details };
}
