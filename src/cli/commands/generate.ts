/** `illustrate generate`: one image from a prompt, its path and link printed, the link optionally placed in a document. */
import * as l10n from '@vscode/l10n';
import { promises as fs } from 'fs';
import { GeneratedImage, weightNote } from '../../core/api/generator';
import { MAX_REFERENCE_BYTES } from '../../core/api/models';
import { formatCost } from '../../core/api/pricing';
import { ReferenceImage } from '../../core/api/request';
import { printable } from '../../core/escape';
import { OutputFormat } from '../../core/images/codec';
import { MIME_TYPES, referenceFormat } from '../../core/images/imageFormat';
import { optionsFromSettings } from '../../core/settings';
import { toPosix } from '../../node/disk';
import { OUTPUT_FLAGS, outputOverrides, parse, REVIEW_FLAG, reviewOverride, start } from '../args';
import { UsageError } from '../config';
import { help } from '../help';
import { Io, reviewLines } from '../output';
import { madeReviewJson } from '../../core/review/made';
import { darkTwinOf, generateOne } from '../run';

/** `--ref` images: the user's own files, checked like any reference (size first, then the bytes). */
async function readRefs(paths: readonly string[]): Promise<ReferenceImage[]> {
  const out: ReferenceImage[] = [];
  for (const p of paths) {
    const stat = await fs.stat(p).catch(() => undefined);
    if (!stat?.isFile()) {
      throw new UsageError(l10n.t('--ref {0}: no such file.', p));
    }
    if (stat.size > MAX_REFERENCE_BYTES) {
      throw new UsageError(l10n.t('--ref {0} is {1} MB; the API takes at most 7 MB per image.', p, (stat.size / 1048576).toFixed(1)));
    }
    const data = await fs.readFile(p);
    const format = referenceFormat(data);
    if (!format) {
      throw new UsageError(l10n.t('--ref {0} is not a PNG, JPEG or WebP image.', p));
    }
    out.push({ mimeType: MIME_TYPES[format], data });
  }
  return out;
}

/** What `--json` adds for a transparent image: that it is, and the two calls it took. */
export function transparency(image: GeneratedImage): { transparent: true; requests: 2 } | Record<string, never> {
  return image.metadata.transparent ? { transparent: true, requests: 2 } : {};
}

export async function generateCommand(args: string[], io: Io, signal: AbortSignal): Promise<number> {
  const { values, positionals } = parse(args, {
    output: { type: 'string', short: 'o' },
    into: { type: 'string' },
    model: { type: 'string' },
    aspect: { type: 'string' },
    size: { type: 'string' },
    ref: { type: 'string', multiple: true },
    style: { type: 'string' },
    'no-style': { type: 'boolean' },
    site: { type: 'string' },
    transparent: { type: 'boolean' },
    ...OUTPUT_FLAGS,
    ...REVIEW_FLAG,
  });
  if (values.bool('help')) {
    io.out(help());
    return 0;
  }
  const prompt = positionals.join(' ').trim();
  if (!prompt) {
    throw new UsageError(l10n.t('generate needs a prompt: illustrate generate "a lighthouse at dusk"'));
  }
  let document: string | undefined;
  let line: number | undefined;
  if (values.str('into') !== undefined) {
    const m = /^(.*?)(?::(\d+))?$/.exec(values.str('into') as string) as RegExpExecArray;
    document = m[1];
    line = m[2] === undefined ? undefined : Number(m[2]);
    if (line !== undefined && line < 1) {
      throw new UsageError(l10n.t('--into DOC.md:LINE counts lines from 1.'));
    }
  }
  const overrides: Record<string, unknown> = { model: values.str('model'), aspectRatio: values.str('aspect'), imageSize: values.str('size'), style: values.str('style'), ...outputOverrides(values), ...reviewOverride(values) };
  const s = await start(io, values, overrides);
  const references = await readRefs(values.list('ref'));
  const generated = await generateOne(
    s,
    { prompt, options: optionsFromSettings(s.configured.settings), output: values.str('output'), document, line, references, applyStyle: !values.bool('no-style'), formatOverride: values.str('format') as OutputFormat | undefined, transparent: values.bool('transparent') },
    signal,
  );
  const rel = s.workspace.relative(generated.file);
  // "illustrate.variants.dark": the new picture's dark twin, and its link switching in the page (one more image edit).
  const twin = s.configured.settings.darkTwins && document !== undefined && !signal.aborted ? await darkTwinOf(s, document, generated.file, signal) : undefined;
  if (values.bool('json')) {
    const { image } = generated;
    const review = generated.review ? { review: madeReviewJson(generated.review) } : {};
    io.out(JSON.stringify({ file: rel, link: generated.link, document: document ? s.workspace.relative(toPosix(document)) : undefined, width: image.width, height: image.height, format: image.format, bytes: image.bytes.length, receivedBytes: image.receivedBytes, model: image.options.model, cost: image.cost ?? null, ...transparency(image), ...review, ...(twin ? { darkTwin: twin } : {}) }));
  } else {
    io.out(printable(rel));
    io.out(printable(generated.link));
    const transparent = generated.image.metadata.transparent ? l10n.t(' · transparent (2 image calls)') : '';
    io.err(`${generated.image.width}×${generated.image.height} ${weightNote(generated.image) || generated.image.format.toUpperCase()}${transparent} · ${generated.image.options.model} · ${formatCost(generated.image.cost)}${document ? ` · linked in ${s.workspace.relative(toPosix(document))}` : ''}`);
    // The verdict (a pass too), its reasons and what a retry came to: on stderr, beside the size and cost.
    reviewLines(generated.review, true).forEach((l) => io.err(l));
    if (twin?.file) {
      io.err(l10n.t('made {0}, its dark twin ({1}); the link switches to it in dark mode', printable(twin.file), formatCost(twin.cost)));
    } else if (twin) {
      io.err(l10n.t('no dark twin: {0}', printable(twin.error ?? '')));
    }
  }
  // A failed review is advice, not an error: the picture was made and written (exit 0).
  return 0;
}
