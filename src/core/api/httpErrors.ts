/** An HTTP answer that is not a success, read into the one error the user sees. */
import * as l10n from '@vscode/l10n';
import { cleanServerText, IllustrateError, isRecord, parseDuration } from '../errors';
import { GA_MODEL_IDS } from './models';

interface ParsedBody {
  message?: string;
  status?: string;
  reasons: string[];
  retryDelayMs?: number;
  daily: boolean;
  /** The quota is 0 (a free-tier key on an image model): no wait will clear it. */
  noQuota?: boolean;
  code?: string;
}

/** Google's google.rpc.Status, a gateway's OpenAI-style body, or anything else (HTML, text). */
function parseBody(text: string): ParsedBody | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const root = Array.isArray(json) ? json[0] : json;
  if (!isRecord(root) || !isRecord(root.error)) {
    return undefined;
  }
  const error = root.error;
  const parsed: ParsedBody = { reasons: [], daily: false };
  if (typeof error.message === 'string') {
    parsed.message = error.message;
  }
  if (typeof error.status === 'string') {
    parsed.status = error.status;
  }
  if (typeof error.code === 'string') {
    parsed.code = error.code;
  }
  if (typeof error.type === 'string' && !parsed.code) {
    parsed.code = error.type;
  }
  const details = Array.isArray(error.details) ? error.details : [];
  for (const d of details) {
    if (!isRecord(d)) {
      continue;
    }
    if (typeof d.reason === 'string') {
      parsed.reasons.push(d.reason);
    }
    if (typeof d.retryDelay === 'string') {
      const ms = parseDuration(d.retryDelay);
      if (ms !== undefined) {
        parsed.retryDelayMs = ms;
      }
    }
    if (Array.isArray(d.violations)) {
      for (const v of d.violations) {
        if (isRecord(v) && typeof v.quotaId === 'string' && /PerDay/i.test(v.quotaId)) {
          parsed.daily = true;
        }
        if (isRecord(v) && (v.quotaValue === '0' || v.quotaValue === 0)) {
          parsed.noQuota = true;
        }
      }
    }
  }
  // Free-tier keys on image models: "Quota exceeded for metric: …, limit: 0, model: …".
  if (typeof parsed.message === 'string' && /\blimit: 0\b/.test(parsed.message)) {
    parsed.noQuota = true;
  }
  return parsed;
}

/** Turns a non-2xx HTTP answer into the one error the user sees. */
export function errorFromResponse(status: number, contentType: string, bodyText: string, model: string, secret?: string): IllustrateError {
  const body = /html/i.test(contentType) || /^\s*</.test(bodyText) ? undefined : parseBody(bodyText);
  const serverText = body?.message ? cleanServerText(body.message, secret) : '';
  const said = serverText ? l10n.t(' The server said: "{0}"', serverText) : '';
  const reasons = body?.reasons ?? [];

  if (reasons.includes('API_KEY_INVALID') || status === 401 || /api[_ ]key[_ ]?(not valid|invalid)|invalid token|无效的令牌/i.test(serverText)) {
    return new IllustrateError('badKey', l10n.t('The API key was rejected (HTTP {0}). Run "Illustrate: Set API Key" and paste a valid key.', status), { status });
  }
  if (status === 403) {
    return new IllustrateError(
      'permission',
      l10n.t('The API refused this key (HTTP 403): it is missing, revoked or not allowed to use {0}. Run "Illustrate: Set API Key" with a working key.{1}', model, said),
      { status },
    );
  }
  if (status === 429 || body?.status === 'RESOURCE_EXHAUSTED') {
    if (body?.noQuota) {
      // Waiting never helps: the key's project has no quota at all for this model.
      return new IllustrateError(
        'quota',
        l10n.t('This key has no quota for {0} (HTTP 429, limit 0): Google\'s free tier does not include image models. Use a key of a Google Cloud project with billing enabled, or a gateway\'s key.', model),
        { status, daily: true },
      );
    }
    if (body?.daily) {
      return new IllustrateError('quota', l10n.t('The daily quota for {0} is used up (HTTP 429). Try again tomorrow, or use a key or plan with more quota.', model), {
        status,
        daily: true,
      });
    }
    return new IllustrateError('rateLimited', l10n.t('Rate limit or quota reached for {0} (HTTP 429). Wait a minute and try again, or check your plan\'s quota.', model), {
      status,
      retryDelayMs: body?.retryDelayMs,
    });
  }
  if (status === 404) {
    return new IllustrateError(
      'modelNotFound',
      l10n.t('The model "{0}" was not found (HTTP 404): it may be retired or misspelled. Set "illustrate.model" to one of {1}.', model, GA_MODEL_IDS.join(', ')),
      { status },
    );
  }
  if (status === 400 && body?.status === 'FAILED_PRECONDITION') {
    return new IllustrateError('precondition', l10n.t('The API cannot serve this request (HTTP 400).{0} Check your plan and region.', said), { status });
  }
  if (status === 400 || status === 422) {
    return new IllustrateError('invalidArgument', l10n.t('The API rejected the request (HTTP {0}).{1}', status, said || l10n.t(' Check the model, aspect ratio and size settings.')), { status });
  }
  if (status === 503 || /overloaded/i.test(serverText)) {
    return new IllustrateError('overloaded', l10n.t('The model is overloaded right now (HTTP {0}). Try again in a minute.', status), { status });
  }
  if (status >= 500) {
    return new IllustrateError('server', l10n.t('The API had a server error (HTTP {0}{1}). Try again in a minute.', status, body?.status ? ` ${body.status}` : ''), { status });
  }
  return new IllustrateError('malformed', l10n.t('The API answered HTTP {0}, which Illustrate does not understand.{1} Check "illustrate.baseUrl".', status, said), { status });
}

