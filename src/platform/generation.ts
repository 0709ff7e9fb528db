/**
 * The one generation path of the editor: scope, settings, the checks before anything is sent (the
 * destination, the link's name, the format), then generate and place. The generate commands and
 * Copilot's generate tool supply only where the picture goes and how its link is written.
 */
import * as vscode from 'vscode';
import { GeneratedImage, OutputRequest } from '../core/api/generator';
import { GenerationOptions } from '../core/api/models';
import { outputFor } from '../core/images/codec';
import { optionsFromSettings, Settings } from '../core/settings';
import { LinkPlacement, Placed, PlacementScope, placeImage, preflight } from './placement';
import { Services } from './services';
import { readSettings } from './settings';
import { ProgressEvent } from '../core/api/client';

/** A generation, checked and ready: nothing has been sent yet. */
export interface PreparedGeneration {
  readonly prompt: string;
  readonly scope: PlacementScope;
  readonly settings: Settings;
  readonly options: GenerationOptions;
  readonly wanted?: vscode.Uri;
  /** The format written, decided once, before the request: the link's own, else the setting's. */
  readonly output: OutputRequest;
}

/**
 * Everything checked before anything is bought: the destination (inside the folder, through no link
 * out of it), the link's file name, and the format (an .avif link is refused here).
 */
export async function prepareGeneration(prompt: string, scope: PlacementScope, wanted?: vscode.Uri, formatFrom?: string, options?: GenerationOptions): Promise<PreparedGeneration> {
  const settings = readSettings(scope.document ?? scope.root);
  const chosen = options ?? optionsFromSettings(settings);
  await preflight(scope, settings, prompt, chosen.model, wanted);
  return { prompt, scope, settings, options: chosen, wanted, output: outputFor(wanted?.path ?? formatFrom, settings.output) };
}

/** Generates the prepared picture and places it with its link (one edit, one undo). */
export async function generateInto(services: Services, g: PreparedGeneration, link: LinkPlacement, signal: AbortSignal, onProgress?: (e: ProgressEvent) => void): Promise<{ readonly image: GeneratedImage; readonly placed: Placed }> {
  const image = await services.generator.generate({ prompt: g.prompt, options: g.options, output: g.output }, g.settings, signal, onProgress);
  const placed = await placeImage({ scope: g.scope, settings: g.settings, prompt: g.prompt, model: image.options.model, image, wanted: g.wanted, link, signal });
  return { image, placed };
}
