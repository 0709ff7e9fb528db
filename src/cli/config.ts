/**
 * What the command-line tool and the MCP server run with. The key comes only from the
 * environment (or a file outside the project); the endpoint and the describe and review models only from flags
 * or the environment, never from the repository (prices not at all); the rest (destination, file
 * name, style, model…) from the project's `.vscode/settings.json`, so the editor and CI agree.
 */
import * as l10n from '@vscode/l10n';
import { promises as fs } from 'fs';
import { IllustrateError } from '../core/errors';
import { excludeGlobs } from '../core/fill/fill';
import { KeySource } from '../core/api/generator';
import { parseJsonc } from '../core/jsonc';
import { isInside } from '../core/paths';
import { endpointForKey, GOOGLE_BASE_URL, Settings, settingsFrom } from '../core/settings';
import { siteOverride, SiteOverride } from '../core/docs/sites';
import { readSmallFile } from '../node/files';
import { toPosix } from '../node/disk';

const MAX_SETTINGS_BYTES = 1024 * 1024;
const MAX_KEY_BYTES = 4096;

export function noKeyMessage(): string {
  return l10n.t('No API key: set ILLUSTRATE_API_KEY (or GEMINI_API_KEY) in the environment, or pass --api-key-file with a file outside the project.');
}

/** A usage mistake: exit code 2. */
export class UsageError extends Error {}

/** The project's `.vscode/settings.json`, or nothing when it is missing or unreadable. */
export async function projectSettings(root: string, warn: (line: string) => void): Promise<Record<string, unknown>> {
  const read = await readSmallFile(`${root}/.vscode/settings.json`, MAX_SETTINGS_BYTES);
  if (!read) {
    return {};
  }
  if (read.truncated) {
    warn(l10n.t('.vscode/settings.json is larger than 1 MB; its settings are not used.'));
    return {};
  }
  const text = new TextDecoder().decode(read.bytes);
  try {
    const value = parseJsonc(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    warn(l10n.t('.vscode/settings.json is not valid JSON; its settings are not used.'));
    return {};
  }
}

export interface EndpointFlags {
  readonly baseUrl?: string;
  readonly authHeader?: string;
  readonly apiKeyFile?: string;
  /** `--site GENERATOR[:ROOT]`. */
  readonly site?: SiteOverride;
  /** `--describe-model ID`: the text model alt text buys (the user's choice, as in the editor's user settings). */
  readonly describeModel?: string;
  /** `--review-model ID`: the text model a review buys ('' or absent: the describe model). */
  readonly reviewModel?: string;
}

export interface Configured {
  readonly settings: Settings;
  /** `illustrate.site` of the project, or `--site`: what the site detection cannot know. */
  readonly site?: SiteOverride;
  readonly key: string | undefined;
  /** `files.exclude` and `search.exclude` globs of the project. */
  readonly excludes: readonly string[];
}

/** The key: the environment, or a file the user names that is not inside the project. */
async function readKey(root: string, env: NodeJS.ProcessEnv, file: string | undefined): Promise<string | undefined> {
  if (file !== undefined) {
    const p = toPosix(file);
    const real = toPosix(await fs.realpath(p).catch(() => p));
    const realRoot = toPosix(await fs.realpath(root).catch(() => root));
    if (isInside(p, root) || isInside(real, realRoot)) {
      throw new UsageError(l10n.t('--api-key-file is inside the project: keep the key outside the repository (or in ILLUSTRATE_API_KEY).'));
    }
    const read = await readSmallFile(p, MAX_KEY_BYTES);
    if (!read || read.truncated) {
      throw new UsageError(l10n.t('--api-key-file must name a small file holding only the key.'));
    }
    return new TextDecoder().decode(read.bytes).trim() || undefined;
  }
  return env.ILLUSTRATE_API_KEY?.trim() || env.GEMINI_API_KEY?.trim() || undefined;
}

/**
 * The settings: `overrides` (from flags) first, then the project's `illustrate.*` keys; the
 * endpoint and the describe model from flags, then the environment. With only GEMINI_API_KEY set,
 * Google's own endpoint.
 */
export async function configure(root: string, env: NodeJS.ProcessEnv, endpoint: EndpointFlags, overrides: Readonly<Record<string, unknown>>, warn: (line: string) => void): Promise<Configured> {
  const project = await projectSettings(root, warn);
  const key = await readKey(root, env, endpoint.apiKeyFile);
  const googleKeyOnly = endpoint.apiKeyFile === undefined && !env.ILLUSTRATE_API_KEY?.trim() && !!env.GEMINI_API_KEY?.trim();
  const endpointValues: Record<string, unknown> = {
    baseUrl: endpoint.baseUrl ?? env.ILLUSTRATE_BASE_URL ?? (googleKeyOnly ? GOOGLE_BASE_URL : undefined),
    authHeader: endpoint.authHeader ?? env.ILLUSTRATE_AUTH_HEADER,
    describeModel: endpoint.describeModel ?? env.ILLUSTRATE_DESCRIBE_MODEL,
    reviewModel: endpoint.reviewModel ?? env.ILLUSTRATE_REVIEW_MODEL,
  };
  const chosen = settingsFrom(
    (k) => (overrides[k] !== undefined ? overrides[k] : project[`illustrate.${k}`]),
    (k) => endpointValues[k],
  );
  // A Google key with the endpoint left at its default goes to Google, never to a gateway nobody chose.
  const routed = key ? endpointForKey(chosen, key) : { settings: chosen, switched: false };
  if (routed.switched) {
    warn(l10n.t('the API key is a Google AI Studio key, so it goes to Google\'s endpoint ({0}), not to the default gateway. Pass --base-url (or set ILLUSTRATE_BASE_URL) to choose another endpoint.', new URL(GOOGLE_BASE_URL).host));
  }
  return { settings: routed.settings, key, excludes: excludeGlobs((key) => project[key]), site: endpoint.site ?? siteOverride(project['illustrate.site']) };
}

/** The key for the generator: there, or a clear 'noKey' failure (exit code 3). */
export function keySource(key: string | undefined): KeySource {
  return {
    require: async () => {
      if (!key) {
        throw new IllustrateError('noKey', noKeyMessage());
      }
      return key;
    },
  };
}
