/**
 * Which model id to send, so Illustrate keeps working while ids come and go: a retired id is not
 * sent to Google's endpoint (its successor is), and an id an endpoint does not know (404) is tried
 * once under its alias (preview ↔ GA), which is then remembered for that endpoint.
 */
import * as l10n from '@vscode/l10n';
import { ClientConfig, ClientDeps, generateImage, GenerateOutcome } from './client';
import { IllustrateError } from '../errors';
import { findModel } from './models';
import { ImageRequest } from './request';

/** Which id worked for which requested id, per endpoint; kept by the caller (VS Code's global state, a file). */
export interface ModelMemory {
  get(baseUrl: string, model: string): string | undefined;
  set(baseUrl: string, model: string, working: string): void;
}

export function isGoogleEndpoint(baseUrl: string): boolean {
  try {
    const host = new URL(baseUrl).hostname.toLowerCase();
    return host === 'googleapis.com' || host.endsWith('.googleapis.com');
  } catch {
    return false;
  }
}

function hostOf(baseUrl: string): string {
  try {
    return new URL(baseUrl).host;
  } catch {
    return baseUrl;
  }
}

/** The id to send first for `model`, and a line for the log when it is not `model` itself. */
export function routeModel(model: string, baseUrl: string, memory?: ModelMemory): { readonly send: string; readonly note?: string } {
  const remembered = memory?.get(baseUrl, model);
  if (remembered && remembered !== model) {
    return { send: remembered, note: `using ${remembered} for ${model} at ${hostOf(baseUrl)} (it worked there before)` };
  }
  const info = findModel(model);
  if (info?.status === 'retired' && isGoogleEndpoint(baseUrl)) {
    if (!info.successor) {
      throw new IllustrateError(
        'modelNotFound',
        l10n.t('{0} was retired on Google\'s endpoint on {1}. Run "Illustrate: Choose Model…" and pick a current model.', model, info.retiredOn ?? l10n.t('an earlier date')),
      );
    }
    return { send: info.successor, note: `${model} was retired on Google's endpoint on ${info.retiredOn}; using its successor ${info.successor}` };
  }
  return { send: model };
}

export interface RoutedOutcome extends GenerateOutcome {
  /** The id that answered. */
  readonly model: string;
}

/** generateImage, with the model routed and healed as the module comment says. */
export async function generateRouted(
  config: ClientConfig,
  request: ImageRequest,
  signal: AbortSignal,
  deps: ClientDeps & { readonly memory?: ModelMemory },
): Promise<RoutedOutcome> {
  const requested = request.options.model;
  const route = routeModel(requested, config.baseUrl, deps.memory);
  if (route.note) {
    deps.log?.(route.note);
  }
  const attempt = (model: string): Promise<GenerateOutcome> => generateImage(config, { ...request, options: { ...request.options, model } }, signal, deps);
  try {
    return { ...(await attempt(route.send)), model: route.send };
  } catch (e: unknown) {
    if (!(e instanceof IllustrateError) || e.kind !== 'modelNotFound') {
      throw e;
    }
    // The same model under its other id first (preview <-> GA), then what replaces it (a deprecated
    // or retired id's successor): each once, the one that works remembered for this endpoint.
    const tried = [route.send];
    // What worked here before may be gone too: then the model asked for, and its own candidates.
    const candidates = route.send === requested ? healingCandidates(requested, config.baseUrl) : [requested, ...healingCandidates(requested, config.baseUrl), ...healingCandidates(route.send, config.baseUrl)];
    for (const next of [...new Set(candidates)].filter((m) => m !== route.send)) {
      deps.log?.(`${tried[tried.length - 1]} is not available at ${hostOf(config.baseUrl)} (HTTP 404); trying ${next}`);
      tried.push(next);
      let outcome: GenerateOutcome;
      try {
        outcome = await attempt(next);
      } catch (again: unknown) {
        if (again instanceof IllustrateError && again.kind === 'modelNotFound') {
          continue;
        }
        throw again;
      }
      deps.memory?.set(config.baseUrl, requested, next);
      deps.log?.(next === requested ? `${requested} works at ${hostOf(config.baseUrl)} again` : `${next} works at ${hostOf(config.baseUrl)}: it is used for ${requested} there from now on`);
      return { ...outcome, model: next };
    }
    throw notFound(requested, tried, config.baseUrl);
  }
}

/** What to try after a 404, in order: the alias (never a retired id on Google's endpoint), then the successor. */
function healingCandidates(model: string, baseUrl: string): string[] {
  const google = isGoogleEndpoint(baseUrl);
  const info = findModel(model);
  const alias = info?.aliases.find((a) => a !== model && !(google && findModel(a)?.status === 'retired'));
  const successor = info?.successor && info.successor !== model ? info.successor : undefined;
  return [...new Set([alias, successor].filter((m): m is string => m !== undefined))];
}

function notFound(model: string, tried: readonly string[], baseUrl: string): IllustrateError {
  const list = tried.length > 1 ? `${tried.slice(0, -1).join(', ')} and ${tried[tried.length - 1]}` : tried[0];
  const also = tried.length > 1 || tried[0] !== model ? ` (tried ${list})` : '';
  return new IllustrateError(
    'modelNotFound',
    l10n.t('The model {0} is not available at {1}{2}: it may be retired or misspelled. Run "Illustrate: Choose Model…" to pick one the endpoint offers.', model, hostOf(baseUrl), also),
    { status: 404 },
  );
}
