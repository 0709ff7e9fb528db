/**
 * The browser twin of node/codec: the web build has no image codec yet, so images keep the
 * model's format there (a .webp link is repointed to the PNG or JPEG written, as before).
 */
import { ImageCodec } from '../core/images/codec';

export function createCodec(_dir: string): ImageCodec | undefined {
  return undefined;
}
