import { toBase64 } from '../bytes';
import { trimEndOf } from '../text';
import { findModel, GenerationOptions } from './models';

export type AuthHeaderStyle = 'auto' | 'bearer' | 'x-goog-api-key';

export interface ReferenceImage {
  readonly mimeType: string;
  readonly data: Uint8Array;
}

/** A part of an earlier model answer, sent back unchanged in the edit loop. */
export interface ModelPart {
  readonly text?: string;
  readonly image?: ReferenceImage;
  readonly thoughtSignature?: string;
}

export interface ImageRequest {
  readonly prompt: string;
  readonly options: GenerationOptions;
  readonly references?: readonly ReferenceImage[];
  /** An earlier turn to edit: the prompt that made it and the model's parts. */
  readonly history?: { readonly prompt: string; readonly references?: readonly ReferenceImage[]; readonly modelParts: readonly ModelPart[] };
}

/** The endpoint without its trailing slashes and `/v1beta`, as every request path is built on it. */
export function apiBase(baseUrl: string): string {
  return trimEndOf(baseUrl.trim(), /\//).replace(/\/v1beta$/, '');
}

export function endpointUrl(baseUrl: string, model: string): string {
  return `${apiBase(baseUrl)}/v1beta/models/${encodeURIComponent(model)}:generateContent`;
}

export function authHeaders(baseUrl: string, style: AuthHeaderStyle, key: string): Record<string, string> {
  let resolved = style;
  if (style === 'auto') {
    let host = '';
    try {
      host = new URL(baseUrl).hostname.toLowerCase();
    } catch {
      host = '';
    }
    resolved = host === 'googleapis.com' || host.endsWith('.googleapis.com') ? 'x-goog-api-key' : 'bearer';
  }
  return resolved === 'x-goog-api-key' ? { 'x-goog-api-key': key } : { Authorization: `Bearer ${key}` };
}

function imagePart(image: ReferenceImage, thoughtSignature?: string): Record<string, unknown> {
  const part: Record<string, unknown> = { inlineData: { mimeType: image.mimeType, data: toBase64(image.data) } };
  if (thoughtSignature) {
    part.thoughtSignature = thoughtSignature;
  }
  return part;
}

function userParts(prompt: string, references: readonly ReferenceImage[] = []): Record<string, unknown>[] {
  return [{ text: prompt }, ...references.map((r) => imagePart(r))];
}

/** The generateContent body, as GEMINI-API.md shows it. */
export function buildRequestBody(request: ImageRequest): Record<string, unknown> {
  const { options } = request;
  const model = findModel(options.model);
  const imageConfig: Record<string, string> = {};
  if (options.aspectRatio) {
    imageConfig.aspectRatio = options.aspectRatio;
  }
  // gemini-2.5-flash-image answers 400 to any imageSize; unknown models get what the user chose.
  if (options.imageSize && (!model || model.sizes.length > 0)) {
    imageConfig.imageSize = options.imageSize;
  }
  const generationConfig: Record<string, unknown> = {
    responseModalities: options.includeText ? ['TEXT', 'IMAGE'] : ['IMAGE'],
  };
  if (Object.keys(imageConfig).length > 0) {
    generationConfig.imageConfig = imageConfig;
  }
  if (!model || model.thinkingLevels.length > 0) {
    generationConfig.thinkingConfig = { thinkingLevel: options.thinkingLevel, includeThoughts: options.includeText };
  }
  const contents: Record<string, unknown>[] = [];
  if (request.history) {
    contents.push({ role: 'user', parts: userParts(request.history.prompt, request.history.references) });
    contents.push({
      role: 'model',
      parts: request.history.modelParts.map((p) => {
        if (p.image) {
          return imagePart(p.image, p.thoughtSignature);
        }
        return p.thoughtSignature ? { text: p.text ?? '', thoughtSignature: p.thoughtSignature } : { text: p.text ?? '' };
      }),
    });
  }
  contents.push({ role: 'user', parts: userParts(request.prompt, request.references) });
  return { contents, generationConfig };
}
