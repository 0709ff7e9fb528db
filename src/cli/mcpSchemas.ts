/**
 * What each MCP tool returns as `structuredContent`, declared as its `outputSchema` (the SDK checks
 * every result against it before sending, and clients check it again). Paths are relative to the
 * server's root, as the text says them; `uri` is the file's `file:` URI; costs are US dollars.
 */
import { z } from 'zod';

const file = z.string().describe('A file, relative to the root (/ separators).');
const dollars = z.number().min(0);
const line = z.number().int().min(1).describe('1-based line in the document.');

export const GENERATE_OUTPUT = {
  file,
  uri: z.string().describe('The written image as a file: URI (also a resource_link in the content).'),
  link: z.string().describe('The markdown link: relative to `document` when there is one, else to the root.'),
  document: file.optional().describe('The document the link was written into, when one was given.'),
  width: z.number().int().min(1),
  height: z.number().int().min(1),
  format: z.string().describe('png, jpeg or webp.'),
  model: z.string(),
  cost: dollars.optional().describe('What the image cost; absent when the model has no known price.'),
};

export const FILL_OUTPUT = {
  mode: z.enum(['missing', 'stale']).describe('missing: images the documents link to that do not exist; stale: images made again in place.'),
  dry_run: z.boolean().describe('True when nothing was generated (dry_run, or nothing to make).'),
  documents: z.number().int().min(0),
  model: z.string(),
  estimated_cost: dollars.optional().describe('The plan\'s estimate; absent when the model has no known price.'),
  planned: z.array(z.object({ file, prompt: z.string() })).describe('Every image of the plan, with the alt text it is made from.'),
  skipped: z.array(z.object({ document: file, link: z.string(), reason: z.string() })).describe('Links the plan leaves alone, and why.'),
  made: z.array(z.object({ file, uri: z.string(), prompt: z.string(), cost: dollars.optional() })).describe('Images written (each also a resource_link in the content).'),
  failed: z.array(z.object({ file, message: z.string() })),
  not_started: z.array(file).describe('Images not asked for (the run stopped, or was cancelled).'),
  cost: dollars.describe('What the run spent (0 for a dry run), calls of unknown price not counted.'),
  unpriced: z.number().int().min(0).describe('Calls whose price is unknown, not in `cost`.'),
  stopped: z.string().optional().describe('Why the run stopped before the end.'),
};

export const ALT_OUTPUT = {
  dry_run: z.boolean().describe('True when nothing was described (dry_run, or nothing to describe).'),
  documents: z.number().int().min(0),
  model: z.string(),
  estimated_cost: dollars.optional().describe('The plan\'s estimate; absent when the model has no known price.'),
  planned: z.array(z.object({ file, document: file, line, link: z.string() })).describe('Every link that needs alt text, and its image.'),
  skipped: z.array(z.object({ document: file, line, file, reason: z.string() })),
  described: z
    .array(z.object({ file, alt: z.string(), decorative: z.boolean().describe('True: the image adds nothing to the text, so its alt text was left empty.') }))
    .describe('Images described, with the alt text written to their links.'),
  failed: z.array(z.object({ file, message: z.string() })),
  not_written: z.array(z.string()).describe('Descriptions paid for but not written (a document changed meanwhile, say).'),
  cost: dollars.describe('What the run spent (0 for a dry run), calls of unknown price not counted.'),
  unpriced: z.number().int().min(0).describe('Calls whose price is unknown, not in `cost`.'),
  stopped: z.string().optional().describe('Why the run stopped before the end.'),
};

export const REVIEW_OUTPUT = {
  dry_run: z.boolean().describe('True when nothing was reviewed (dry_run, or nothing to review).'),
  documents: z.number().int().min(0),
  model: z.string().describe('The text model that reviews.'),
  estimated_cost: dollars.optional().describe('The plan\'s estimate; absent when the model has no known price.'),
  planned: z
    .array(z.object({ file, against: z.enum(['record', 'alt']).describe('record: the prompt Illustrate made it from; alt: its alt text.'), prompt: z.string() }))
    .describe('Every image of the plan, with the words it is reviewed against.'),
  skipped: z.array(z.object({ file, document: file, line, reason: z.string() })),
  reviewed: z
    .array(
      z.object({
        file,
        status: z.enum(['pass', 'fail', 'unreviewed']).describe('unreviewed: the reviewer gave no verdict (refused, malformed, the call failed): never a pass.'),
        problems: z.array(z.object({ kind: z.enum(['text', 'subject', 'unasked', 'defect', 'other']), reason: z.string() })).describe('What is wrong, most important first (a fail has at least one).'),
        reason: z.string().optional().describe('Why it is unreviewed.'),
        kept: z.boolean().describe('Whether the verdict is kept in the image\'s record (images Illustrate made).'),
        cost: dollars.optional(),
      }),
    )
    .describe('Each image reviewed, failures first.'),
  failed: z.array(z.object({ file, message: z.string() })),
  not_written: z.array(z.string()).describe('Verdicts paid for but not kept (a file that could not be written).'),
  cost: dollars.describe('What the run spent (0 for a dry run), calls of unknown price not counted.'),
  unpriced: z.number().int().min(0).describe('Calls whose price is unknown, not in `cost`.'),
  stopped: z.string().optional().describe('Why the run stopped before the end.'),
};

export const CHECK_OUTPUT = {
  documents: z.number().int().min(0),
  findings: z.array(
    z.object({
      kind: z.enum(['missing', 'stale', 'genericAlt', 'missingAlt', 'reviewFailed']).describe('reviewFailed: the last review of the picture (review_images) failed; the message says why.'),
      document: file,
      line,
      link: z.string().describe('The link as the page has it.'),
      file: file.describe('The image the link points at.'),
      message: z.string(),
      fix: z.string().describe('What to run about it.'),
    }),
  ),
};

export const MODELS_OUTPUT = {
  current: z.string().describe('The model calls use when none is given.'),
  fallback_reason: z.string().optional().describe('Why the list is Illustrate\'s own table, not the endpoint\'s, when it is.'),
  models: z.array(
    z.object({
      id: z.string(),
      label: z.string(),
      listed: z.boolean().describe('Whether the endpoint listed it (false: from Illustrate\'s table only).'),
      size: z.string().describe('The image size the price is for.'),
      price: dollars.optional().describe('Per image at `size`; absent when unknown.'),
    }),
  ),
};
