/** The command line read: flags shared by every command, each flag checked, and the session they open. */
import * as l10n from '@vscode/l10n';
import { parseArgs } from 'util';
import { GENERATORS, Generator, SiteOverride } from '../core/docs/sites';
import { printable } from '../core/escape';
import { REVIEW_MODES } from '../core/settings';
import { toPosix } from '../node/disk';
import { nodeFetch } from '../node/http';
import { configure, UsageError } from './config';
import { Io, logTo } from './output';
import { session, Session } from './run';

const COMMON = {
  'base-url': { type: 'string' },
  'auth-header': { type: 'string' },
  'api-key-file': { type: 'string' },
  json: { type: 'boolean' },
  verbose: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** `--format`, `--quality`, `--max-width`: what `illustrate.output.*` says, for this run. */
export const OUTPUT_FLAGS = {
  format: { type: 'string' },
  quality: { type: 'string' },
  'max-width': { type: 'string' },
} as const;

type OptionSpec = Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }>;

/** Parsed flags, read by name. */
export class Flags {
  constructor(private readonly values: Record<string, unknown>) {}
  str(name: string): string | undefined {
    const v = this.values[name];
    return typeof v === 'string' ? v : undefined;
  }
  bool(name: string): boolean {
    return this.values[name] === true;
  }
  list(name: string): string[] {
    const v = this.values[name];
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  }
}

export function parse(args: string[], options: OptionSpec): { values: Flags; positionals: string[] } {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args, options: { ...COMMON, ...options }, allowPositionals: true, strict: true });
  } catch (e: unknown) {
    throw new UsageError(l10n.t('{0} (see illustrate --help)', printable((e as Error).message.split('\n')[0].slice(0, 200))));
  }
  // An empty value is a mistake to say, never a flag silently ignored (`--report ""`).
  for (const [name, value] of Object.entries(parsed.values)) {
    if (value === '' || (Array.isArray(value) && value.includes(''))) {
      throw new UsageError(l10n.t('--{0} needs a value (see illustrate --help)', name));
    }
  }
  return { values: new Flags(parsed.values), positionals: parsed.positionals };
}

/** The output flags as settings overrides, checked. */
export function outputOverrides(values: Flags): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const format = values.str('format');
  if (format !== undefined) {
    if (!['png', 'jpeg', 'webp'].includes(format)) {
      throw new UsageError(l10n.t('--format takes png, jpeg or webp.'));
    }
    out['output.format'] = format;
  }
  for (const [flag, key, min, max] of [
    ['quality', 'output.quality', 1, 100],
    ['max-width', 'output.maxWidth', 0, 16384],
  ] as const) {
    const raw = values.str(flag);
    if (raw !== undefined) {
      const n = Number(raw);
      if (!Number.isInteger(n) || n < min || n > max) {
        throw new UsageError(l10n.t('--{0} takes a whole number from {1} to {2}.', flag, min, max));
      }
      // 0 keeps the model's size; a width below 64 would be raised to 64 by the encoder: refused, not changed.
      if (flag === 'max-width' && n > 0 && n < 64) {
        throw new UsageError(l10n.t('--max-width takes 0 (the model’s size) or a whole number from 64 to 16384.'));
      }
      out[key] = n;
    }
  }
  return out;
}

/** `--review off|report|retry`: what happens after each picture is made, over `illustrate.review`. */
export const REVIEW_FLAG = {
  review: { type: 'string' },
} as const;

/** `--review` as a settings override, checked. */
export function reviewOverride(values: Flags): Record<string, unknown> {
  const review = values.str('review');
  if (review === undefined) {
    return {};
  }
  if (!(REVIEW_MODES as readonly string[]).includes(review)) {
    throw new UsageError(l10n.t('--review takes off, report or retry.'));
  }
  return { review };
}

/** `--auth-header`, checked. */
export function authHeaderFlag(values: Flags): string | undefined {
  const auth = values.str('auth-header');
  if (auth !== undefined && !['auto', 'bearer', 'x-goog-api-key'].includes(auth)) {
    throw new UsageError(l10n.t('--auth-header must be auto, bearer or x-goog-api-key.'));
  }
  return auth;
}

/** `--site GENERATOR[:ROOT]`: the site, where detection cannot know it. */
function siteFlag(values: Flags): SiteOverride | undefined {
  const given = values.str('site');
  if (given === undefined) {
    return undefined;
  }
  const [generator, root] = given.split(/:(.*)/s, 2);
  if (!GENERATORS.includes(generator as Generator)) {
    throw new UsageError(l10n.t('--site takes one of {0}, optionally with :FOLDER (for example docusaurus:website).', GENERATORS.join(', ')));
  }
  return { generator: generator as Generator, root: root || undefined };
}

/** A command that takes options only: a stray argument is a usage error, never ignored. */
export function noArguments(command: 'mcp' | 'models', positionals: readonly string[]): void {
  if (positionals.length) {
    throw new UsageError(l10n.t('{0} takes no arguments, only options: {1} (see illustrate --help)', command, printable(positionals[0].slice(0, 40))));
  }
}

export async function start(io: Io, values: Flags, overrides: Record<string, unknown>): Promise<Session> {
  const auth = authHeaderFlag(values);
  const root = toPosix(process.cwd());
  const configured = await configure(root, process.env, { baseUrl: values.str('base-url'), authHeader: auth, apiKeyFile: values.str('api-key-file'), site: siteFlag(values), describeModel: values.str('describe-model'), reviewModel: values.str('review-model') }, overrides, (w) => io.err(`illustrate: ${printable(w)}`));
  return session(root, configured, nodeFetch, logTo(io, values.bool('verbose')), (line) => io.err(`illustrate: ${printable(line)}`));
}
