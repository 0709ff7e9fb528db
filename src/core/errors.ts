import * as l10n from '@vscode/l10n';

export type ErrorKind =
  | 'noKey'
  | 'badKey'
  | 'permission'
  | 'quota'
  /** A spending limit (MCP max_cost) would be passed: refused before sending. */
  | 'budget'
  | 'rateLimited'
  | 'overloaded'
  | 'server'
  | 'modelNotFound'
  | 'invalidArgument'
  | 'precondition'
  | 'blocked'
  | 'textOnly'
  | 'timeout'
  | 'cancelled'
  | 'network'
  | 'malformed'
  | 'options'
  | 'destination'
  | 'unwritable'
  | 'redirect'
  | 'tooLarge'
  /** The two renders of a transparent picture (on white, on black) do not make one picture: nothing was written. */
  | 'matte'
  | 'unexpected';

/** The message of a bug: never its stack (that goes to the log). */
/** The one error of a cancelled request or run. */
export function cancelled(): IllustrateError {
  return new IllustrateError('cancelled', l10n.t('Image generation was cancelled. Nothing was saved.'));
}

/** What stops a run, the same in every host: no other image or description could succeed after it (a key missing, refused or not allowed). */
export function stopsRun(e: unknown): boolean {
  return e instanceof IllustrateError && (e.kind === 'noKey' || e.kind === 'badKey' || e.kind === 'permission');
}

export function unexpectedMessage(): string {
  return l10n.t('Illustrate hit an unexpected error — see the Illustrate output for details, and try again.');
}

/** Every failure the user can see: `message` is complete, safe to show, and says what to do next. */
export class IllustrateError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
    readonly detail: { readonly status?: number; readonly retryDelayMs?: number; readonly daily?: boolean } = {},
    /** For 'unexpected': the bug behind it, for the log only. */
    readonly bug?: unknown,
  ) {
    super(message);
    this.name = 'IllustrateError';
  }

  get retryable(): boolean {
    return this.kind === 'overloaded' || this.kind === 'server' || this.kind === 'network' || this.kind === 'rateLimited';
  }
}

const MAX_SERVER_TEXT = 300;

/** Server text is shown to users: keep it one short line, with no markup and no secrets. */
export function cleanServerText(text: string, secret?: string): string {
  // A tag ends at the next `<` too: a run of `<` without `>` is then read once, not once per `<`.
  let clean = text.replace(/<[^<>]*>/g, ' ').replace(/\s+/g, ' ').trim();
  if (secret && secret.length >= 4) {
    clean = clean.split(secret).join('***');
  }
  clean = clean.replace(/\b(sk-|AIza)[A-Za-z0-9_\-]{8,}/g, '***');
  return clean.length > MAX_SERVER_TEXT ? `${clean.slice(0, MAX_SERVER_TEXT - 1)}…` : clean;
}

/** Google's Duration JSON: "22s", "45.837906927s". */
export function parseDuration(value: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)s\s*$/.exec(value);
  return m ? Math.round(parseFloat(m[1]) * 1000) : undefined;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What the log gets for a failure: the kind, and for a bug its stack (never shown to the user). */
export function describeForLog(e: unknown): string {
  const cause = e instanceof IllustrateError ? (e.kind === 'unexpected' ? e.bug : undefined) : e;
  if (e instanceof IllustrateError && e.kind !== 'unexpected') {
    return `${e.kind}${e.detail.status ? ` (HTTP ${e.detail.status})` : ''}`;
  }
  return `unexpected: ${cause instanceof Error ? (cause.stack ?? `${cause.name}: ${cause.message}`) : String(cause)}`;
}

/** One formatter for everything shown to the user. */
export function formatError(e: unknown): string {
  if (e instanceof IllustrateError) {
    return e.message;
  }
  return unexpectedMessage();
}
