/**
 * The image models an endpoint offers (`GET {baseUrl}/v1beta/models`, paged), merged with the
 * model table for labels, prices and limits. When the listing fails, or the gateway has none,
 * the table alone is the list.
 */
import * as l10n from '@vscode/l10n';
import { checkEndpoint, HttpFetch, readCapped } from './client';
import { isRecord } from '../errors';
import { findModel, KNOWN_MODELS, ModelInfo } from './models';
import { apiBase, authHeaders, AuthHeaderStyle } from './request';
import { isGoogleEndpoint } from './modelRoute';

export interface OfferedModel {
  readonly id: string;
  readonly label: string;
  /** From the table, when Illustrate knows the model. */
  readonly known?: ModelInfo;
  /** Whether the endpoint listed it (false: from the table only). */
  readonly listed: boolean;
}

export interface ModelListing {
  readonly models: readonly OfferedModel[];
  /** Why the endpoint's own list is not shown, when it is not. */
  readonly fallbackReason?: string;
}

const MAX_PAGES = 20;
const MAX_PAGE_BYTES = 1024 * 1024;

/** An image-output model by its id: Gemini's image models and their nano-banana aliases. */
function isImageModel(id: string, methods: unknown): boolean {
  const generates = !Array.isArray(methods) || methods.includes('generateContent');
  return generates && /(^|-)image(-|$)|nano-banana/i.test(id) && !/imagen|embedding/i.test(id);
}

async function listPages(baseUrl: string, auth: AuthHeaderStyle, apiKey: string, signal: AbortSignal, fetch: HttpFetch, wanted: (id: string, methods: unknown) => boolean = isImageModel): Promise<{ id: string; displayName?: string }[]> {
  checkEndpoint(baseUrl);
  const base = apiBase(baseUrl);
  const found: { id: string; displayName?: string }[] = [];
  let token = '';
  for (let page = 0; page < MAX_PAGES; page++) {
    const url = `${base}/v1beta/models?pageSize=100${token ? `&pageToken=${encodeURIComponent(token)}` : ''}`;
    const res = await fetch(url, { method: 'GET', headers: authHeaders(baseUrl, auth, apiKey), signal });
    const text = await readCapped(res.body, MAX_PAGE_BYTES);
    if (!res.ok) {
      throw new Error(`HTTP ${res.status}`);
    }
    const json = JSON.parse(text) as unknown;
    const models = isRecord(json) && Array.isArray(json.models) ? json.models : [];
    for (const m of models) {
      if (isRecord(m) && typeof m.name === 'string') {
        const id = m.name.replace(/^models\//, '');
        if (wanted(id, m.supportedGenerationMethods)) {
          found.push({ id, displayName: typeof m.displayName === 'string' ? m.displayName : undefined });
        }
      }
    }
    token = isRecord(json) && typeof json.nextPageToken === 'string' ? json.nextPageToken : '';
    if (!token) {
      break;
    }
  }
  return found;
}

/** The table's models for an endpoint: current ones, and on a gateway the older ids too. */
function tableModels(baseUrl: string): OfferedModel[] {
  const google = isGoogleEndpoint(baseUrl);
  return KNOWN_MODELS.filter((m) => !(google && m.status === 'retired')).map((m) => ({ id: m.id, label: m.label, known: m, listed: false }));
}

export async function listImageModels(baseUrl: string, auth: AuthHeaderStyle, apiKey: string | undefined, signal: AbortSignal, fetch: HttpFetch): Promise<ModelListing> {
  if (!apiKey) {
    return { models: tableModels(baseUrl), fallbackReason: l10n.t('no API key is set') };
  }
  let listed: { id: string; displayName?: string }[];
  try {
    listed = await listPages(baseUrl, auth, apiKey, signal, fetch);
  } catch (e: unknown) {
    const why = e instanceof Error && /^HTTP \d+$/.test(e.message) ? l10n.t('the endpoint answered {0}', e.message) : l10n.t('the endpoint could not list its models');
    return { models: tableModels(baseUrl), fallbackReason: why };
  }
  if (listed.length === 0) {
    return { models: tableModels(baseUrl), fallbackReason: l10n.t('the endpoint lists no image models') };
  }
  const unique = [...new Map(listed.map((m) => [m.id, m])).values()];
  const order = (id: string): number => {
    const at = KNOWN_MODELS.findIndex((k) => k.id === id);
    return at < 0 ? KNOWN_MODELS.length : at;
  };
  unique.sort((a, b) => order(a.id) - order(b.id) || a.id.localeCompare(b.id));
  return {
    models: unique.map((m) => {
      const known = findModel(m.id);
      return { id: m.id, label: known?.label ?? m.displayName ?? m.id, known, listed: true };
    }),
  };
}

/** The ids of the text models (generateContent, no image output) an endpoint lists; [] when it cannot list them. */
export async function listTextModels(baseUrl: string, auth: AuthHeaderStyle, apiKey: string, signal: AbortSignal, fetch: HttpFetch): Promise<string[]> {
  const text = (id: string, methods: unknown): boolean => (!Array.isArray(methods) || methods.includes('generateContent')) && /^gemini-/i.test(id) && !isImageModel(id, methods) && !/embedding|tts|live|audio/i.test(id);
  try {
    return (await listPages(baseUrl, auth, apiKey, signal, fetch, text)).map((m) => m.id);
  } catch {
    return [];
  }
}
