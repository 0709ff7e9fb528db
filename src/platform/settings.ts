import * as vscode from 'vscode';
import { DEFAULT_MODEL, THINKING_LEVELS, ThinkingLevel } from '../core/models';
import { PriceTable } from '../core/pricing';
import { AuthHeaderStyle } from '../core/request';

export const DEFAULTS = {
  baseUrl: 'https://api.apiyi.com',
  authHeader: 'auto' as AuthHeaderStyle,
  model: DEFAULT_MODEL,
  aspectRatio: '16:9',
  imageSize: '1K',
  thinkingLevel: 'minimal' as ThinkingLevel,
  includeText: false,
  requestTimeoutSeconds: 360,
  destination: 'images/',
  fileName: '${promptSlug}',
  historyLimit: 200,
};

export interface Settings {
  readonly baseUrl: string;
  readonly authHeader: AuthHeaderStyle;
  readonly model: string;
  readonly aspectRatio: string;
  readonly imageSize: string;
  readonly thinkingLevel: ThinkingLevel;
  readonly includeText: boolean;
  readonly requestTimeoutSeconds: number;
  readonly destination: string;
  readonly fileName: string;
  readonly prices: PriceTable;
  readonly historyLimit: number;
}

function str(value: unknown, fallback: string): string {
  return typeof value === 'string' && value.trim() ? value.trim() : fallback;
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], fallback: T): T {
  return typeof value === 'string' && (allowed as readonly string[]).includes(value) ? (value as T) : fallback;
}

/** A number within the schema's range: a workspace cannot set a 0.05 s timeout or a history of 1. */
function inRange(value: unknown, min: number, max: number, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? Math.min(max, Math.max(min, value)) : fallback;
}

function prices(value: unknown): PriceTable {
  const out: Record<string, { inputPerMillion: number; outputPerMillion: number }> = {};
  if (typeof value !== 'object' || value === null) {
    return out;
  }
  for (const [model, p] of Object.entries(value as Record<string, unknown>)) {
    if (typeof p === 'object' && p !== null) {
      const rec = p as Record<string, unknown>;
      if (typeof rec.inputPerMillion === 'number' && typeof rec.outputPerMillion === 'number') {
        out[model] = { inputPerMillion: rec.inputPerMillion, outputPerMillion: rec.outputPerMillion };
      }
    }
  }
  return out;
}

/** Endpoint settings are read from the user's own settings only, so a workspace cannot redirect the key. */
function userLevel<T>(config: vscode.WorkspaceConfiguration, key: string): T | undefined {
  const inspected = config.inspect<T>(key);
  return inspected?.globalValue ?? inspected?.defaultValue;
}

export function readSettings(): Settings {
  const c = vscode.workspace.getConfiguration('illustrate');
  const imageSize = c.get<string>('imageSize');
  return {
    baseUrl: str(userLevel(c, 'baseUrl'), DEFAULTS.baseUrl),
    authHeader: oneOf(userLevel(c, 'authHeader'), ['auto', 'bearer', 'x-goog-api-key'], DEFAULTS.authHeader),
    model: str(c.get('model'), DEFAULTS.model),
    aspectRatio: typeof c.get('aspectRatio') === 'string' ? (c.get<string>('aspectRatio') ?? '').trim() : DEFAULTS.aspectRatio,
    // Any string is passed on for unknown models; known models are checked before sending.
    imageSize: typeof imageSize === 'string' ? imageSize.trim() : DEFAULTS.imageSize,
    thinkingLevel: oneOf(c.get('thinkingLevel'), THINKING_LEVELS, DEFAULTS.thinkingLevel),
    includeText: c.get('includeText') === true,
    requestTimeoutSeconds: inRange(c.get('requestTimeoutSeconds'), 10, 1800, DEFAULTS.requestTimeoutSeconds),
    destination: str(c.get('destination'), DEFAULTS.destination),
    fileName: str(c.get('fileName'), DEFAULTS.fileName),
    prices: prices(c.get('prices')),
    historyLimit: Math.floor(inRange(c.get('historyLimit'), 1, 10_000, DEFAULTS.historyLimit)),
  };
}
