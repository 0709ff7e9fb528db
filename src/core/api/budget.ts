/**
 * One budget for every paid call of a run (the MCP tools' `max_cost`): before each call its worst
 * case is held against what is left, and a call that does not fit is refused before anything is
 * sent; after it, what the answer says it cost (its usage) takes the hold's place.
 */
import * as l10n from '@vscode/l10n';
import { IllustrateError } from '../errors';
import { formatCost } from './pricing';

/** Float sums of prices are off in the last digits: a call that fits exactly still fits. */
const EPSILON = 1e-9;

export class Budget {
  /** Spent, plus held for the calls in flight. */
  private committed = 0;

  /** `name` is how the user set the limit, for the message ("max_cost"). */
  constructor(
    readonly limit: number,
    private readonly name: string,
  ) {}

  /** What has been spent or is held so far. */
  get used(): number {
    return this.committed;
  }

  /**
   * Holds `worst` for one call, or refuses it (kind 'budget') when its price is unknown or it does
   * not fit what is left. `settle` gives the call's real cost (undefined: the worst case stays spent).
   */
  hold(worst: number | undefined): { settle(cost: number | undefined): void; release(): void } {
    if (worst === undefined) {
      throw new IllustrateError('budget', l10n.t('The price of the next call is unknown, so it cannot be held to {0} (${1}). Nothing more was sent.', this.name, this.limit));
    }
    if (this.committed + worst > this.limit + EPSILON) {
      throw new IllustrateError(
        'budget',
        l10n.t('The next call could cost up to {0}, more than is left of {1} (${2}, {3} spent or running). Nothing more was sent: raise {1}, or do fewer at once.', formatCost(worst), this.name, this.limit, formatCost(this.committed)),
      );
    }
    this.committed += worst;
    let open = true;
    const close = (cost: number): void => {
      if (open) {
        open = false;
        this.committed += cost - worst;
      }
    };
    return { settle: (cost) => close(cost ?? worst), release: () => close(0) };
  }
}

/**
 * `make` with each call held to `budget` (none: `make` itself). A call that fails keeps its worst
 * case (gateways bill refused and abandoned requests), except a rate limit, which is not billed.
 */
export function withinBudget<T, R extends { readonly cost: number | undefined }>(
  budget: Budget | undefined,
  worst: (item: T) => number | undefined,
  make: (item: T, signal: AbortSignal) => Promise<R>,
): (item: T, signal: AbortSignal) => Promise<R> {
  if (!budget) {
    return make;
  }
  return async (item, signal) => {
    const held = budget.hold(worst(item));
    try {
      const made = await make(item, signal);
      held.settle(made.cost);
      return made;
    } catch (e: unknown) {
      if (e instanceof IllustrateError && e.kind === 'rateLimited') {
        held.release();
      } else {
        held.settle(undefined);
      }
      throw e;
    }
  };
}
