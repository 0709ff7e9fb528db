/**
 * A picture's dark twin, for every host: the same picture (its layout, subject and text) redrawn
 * for a dark background by one image edit, written beside it as `NAME<suffix>.EXT`, its record
 * tying it to the source (`twinOf`: the source's path and fingerprint) so a changed source shows.
 */
import { GeneratedImage, Generator } from '../api/generator';
import { estimateCost } from '../api/pricing';
import { ReferenceImage } from '../api/request';
import { optionsFromSettings, Settings } from '../settings';
import { OutputRequest } from '../api/generator';
import { fingerprint } from './metadata';

/** The edit that makes a twin. */
export const DARK_TWIN_INSTRUCTION =
  'Edit the provided image into its dark-mode twin, for a page with a dark background: the same picture with the same layout, composition, subject, shapes, positions, size and every word of text exactly as it is. Only change the colours: a dark background (near-black or deep grey, no pure white areas), light strokes and text that read well on it, accent colours kept recognisable but adjusted for contrast on dark. Do not add, remove, move, redraw, crop or reword anything.';

/** What the record of a twin says was done. */
const RECORDED_EDIT = 'made the dark-mode twin';

/** One twin's price before it is bought: one edit with the source sent along. */
export function darkTwinEstimate(settings: Settings): number | undefined {
  return estimateCost(settings.model, settings.imageSize, DARK_TWIN_INSTRUCTION, 1, 1, settings.prices);
}

export interface DarkTwinRequest {
  /** The source picture's bytes and type. */
  readonly source: ReferenceImage;
  /** The twin's path relative to its own folder's view of the source (`logo.png`), `/`-separated. */
  readonly sourcePath: string;
  /** What the twin stands for (the source's prompt, else its alt text): recorded as its prompt. */
  readonly prompt: string;
  /** The twin's format and weight (its extension's). */
  readonly output: OutputRequest;
  readonly retryRateLimited?: boolean;
}

/**
 * The dark twin of `source`: one edit at the source's own shape (no aspect ratio asked), without
 * the workspace style (it is already in the picture), recorded as an edit of the source with
 * `twinOf` (kind `dark`, the source's path and fingerprint).
 */
export function makeDarkTwin(generator: Generator, request: DarkTwinRequest, settings: Settings, signal: AbortSignal): Promise<GeneratedImage> {
  const source = fingerprint(request.source.data);
  return generator.generate(
    {
      prompt: DARK_TWIN_INSTRUCTION,
      options: { ...optionsFromSettings(settings), aspectRatio: '' },
      references: [request.source],
      applyStyle: false,
      retryRateLimited: request.retryRateLimited,
      recordAs: request.prompt || RECORDED_EDIT,
      edit: { instruction: RECORDED_EDIT, source },
      twinOf: { kind: 'dark', path: request.sourcePath, source },
      output: request.output,
    },
    settings,
    signal,
  );
}
