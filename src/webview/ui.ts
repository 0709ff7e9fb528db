import type { WebviewMessage } from '../studio/protocol';
import type { Composer, StudioState } from './state';

/** What the views get: the state to draw, and the few ways to change it. */
export interface Ui {
  readonly state: StudioState;
  send(message: WebviewMessage): void;
  /** Changes the composer and saves it; `rerender: false` keeps the DOM (while typing) and refreshes the estimate. */
  compose(change: Partial<Composer>, rerender?: boolean): void;
  generate(): void;
}
