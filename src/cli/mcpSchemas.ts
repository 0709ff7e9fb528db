/**
 * What each MCP tool returns as `structuredContent`, declared as its `outputSchema` (the SDK checks
 * every result against it before sending, and clients check it again). Paths are relative to the
 * server's root, as the text says them; `uri` is the file's `file:` URI; costs are US dollars.
 */
import { z } from 'zod';

const file = z.string().describe('A file, relative to the root (/ separators).');
const dollars = z.number().min(0);
const line = z.number().int().min(1).describe('1-based line in the document.');

const verdict = z.object({
  status: z.enum(['pass', 'fail', 'unreviewed']).describe('pass or fail: what the reviewer said; unreviewed: no verdict (never a pass).'),
  problems: z.array(z.object({ kind: z.string().describe('text, subject, unasked, defect or other.'), reason: z.string() })).describe('For a fail, each problem with a reason a person can act on.'),
  model: z.string().nullable().describe('The text model that reviewed.'),
  cost: dollars.nullable().describe('What the review cost; null when unknown.'),
  reason: z.string().optional().describe('Why a picture is unreviewed.'),
});

/** A made picture's review (illustrate.review or the `review` argument): its verdict, and what a retry came to. */
const review = verdict
  .extend({
    cost: dollars.nullable().describe('What its reviews cost in all.'),
    mode: z.enum(['report', 'retry']),
    retry: z
      .object({
        kept: z.enum(['first', 'retry']).describe('Which picture is in the file: the first, or the one made again with the reasons.'),
        other: verdict.optional().describe('The verdict of the picture not kept.'),
        error: z.string().optional().describe('Why the picture could not be made again.'),
        cost: dollars.describe('What making it again cost.'),
      })
      .optional()
      .describe('Present when a failed picture was made once more (retry mode).'),
    note: z.string().optional(),
  })
  .describe('The review of the picture in the file.');

/** The `review` argument of the tools that make pictures. */
export const REVIEW_INPUT = z
  .enum(['off', 'report', 'retry'])
  .optional()
  .describe('After each picture is made: off, no review; report (the default, or the project\'s illustrate.review), a text model checks it against its words and the verdict is returned and kept in the file; retry, a failed picture is made once more with the reasons and the better one kept.');

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
  review: review.optional(),
  dark_twin: z
    .object({ file: file.optional(), cost: dollars.optional(), error: z.string().optional().describe('Why no twin was made (the picture is written all the same).') })
    .optional()
    .describe('With the project\'s illustrate.variants.dark and a `document`: the dark-mode twin made beside the picture (one more image edit), its link switching to it in dark mode.'),
};

export const TRANSPARENT_OUTPUT = {
  dry_run: z.boolean().describe('True when nothing was made (dry_run, or nothing to make).'),
  model: z.string(),
  calls: z.number().int().min(0).describe('Image calls the plan makes: two an image (onto white, then onto black).'),
  estimated_cost: dollars.optional().describe('The plan\'s estimate; absent when the model has no known price.'),
  planned: z.array(z.object({ file, out: file, format: z.enum(['png', 'webp']), replaces: z.boolean().describe('True: the image is replaced in place.'), prompt: z.string() })),
  skipped: z.array(z.object({ file, reason: z.string() })).describe('Images left alone, and why (no such file, already transparent, not an image).'),
  made: z.array(z.object({ file, uri: z.string().describe('The written image as a file: URI (also a resource_link in the content).'), source: file, width: z.number().int().min(1), height: z.number().int().min(1), format: z.string(), cost: dollars.optional() })),
  failed: z.array(z.object({ file, message: z.string() })).describe('Images whose two renders did not make one picture (moved parts, no plain background), or whose calls failed: each left as it was.'),
  cost: dollars.describe('What the run spent (0 for a dry run), calls of unknown price not counted.'),
  stopped: z.string().optional().describe('Why the run stopped before the end.'),
};

export const FILL_OUTPUT = {
  mode: z.enum(['missing', 'stale']).describe('missing: images the documents link to that do not exist; stale: images made again in place.'),
  dry_run: z.boolean().describe('True when nothing was generated (dry_run, or nothing to make).'),
  documents: z.number().int().min(0),
  model: z.string(),
  estimated_cost: dollars.optional().describe('The plan\'s estimate; absent when the model has no known price.'),
  planned: z.array(z.object({ file, prompt: z.string() })).describe('Every image of the plan, with the alt text it is made from.'),
  skipped: z.array(z.object({ document: file, link: z.string(), reason: z.string() })).describe('Links the plan leaves alone, and why.'),
  made: z.array(z.object({ file, uri: z.string(), prompt: z.string(), cost: dollars.optional(), review: review.optional() })).describe('Images written (each also a resource_link in the content), each with its review when reviews are on.'),
  review_plan: z
    .object({
      mode: z.enum(['report', 'retry']),
      model: z.string(),
      per_image: dollars.optional().describe('Estimated per picture; absent when the price is unknown.'),
      estimated_cost: dollars.optional().describe('Estimated for every picture of the plan (not in `estimated_cost` above).'),
      retries_at_most: dollars.optional().describe('In retry mode, the most pictures made again could add.'),
    })
    .optional()
    .describe('The reviews the run makes; absent when they are off.'),
  review: z
    .object({ passed: z.number().int().min(0), failed: z.number().int().min(0), unreviewed: z.number().int().min(0), retried: z.number().int().min(0), kept_retries: z.number().int().min(0), cost: dollars, retry_cost: dollars })
    .optional()
    .describe('The reviews made, in sum (their cost and the retries\' are in `cost`).'),
  failed: z.array(z.object({ file, message: z.string() })),
  not_started: z.array(file).describe('Images not asked for (the run stopped, or was cancelled).'),
  cost: dollars.describe('What the run spent (0 for a dry run), calls of unknown price not counted.'),
  unpriced: z.number().int().min(0).describe('Calls whose price is unknown, not in `cost`.'),
  stopped: z.string().optional().describe('Why the run stopped before the end.'),
  dark_twins: z
    .object({
      planned: z.number().int().min(0).describe('Twins the plan makes: one for each new picture (illustrate.variants.dark), and with `stale` those whose picture changed since; in `estimated_cost`.'),
      made: z.array(z.object({ file, source: file, cost: dollars.optional() })),
      failed: z.array(z.object({ file: file.optional().describe('The twin not made; absent for a page that could not be written.'), message: z.string() })),
    })
    .optional()
    .describe('The dark-mode twins, when there are any to make.'),
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

export const DARK_OUTPUT = {
  dry_run: z.boolean().describe('True when nothing was made or edited (dry_run, or nothing to do).'),
  model: z.string(),
  estimated_cost: dollars.optional().describe('The plan\'s estimate (one image edit per twin to make); absent when the model has no known price.'),
  planned: z
    .array(z.object({ file, twin: file, make: z.boolean().describe('False: the twin is already there; only the pages\' markup is added.'), documents: z.array(file).describe('The pages whose links switch to the twin.') }))
    .describe('Every image of the plan and its dark twin beside it.'),
  switching: z.number().int().min(0).describe('Links that already switch between a light and a dark picture: left as they are.'),
  skipped: z.array(z.object({ file, document: file.optional(), line: line.optional(), reason: z.string() })),
  made: z.array(z.object({ file: file.describe('The twin written.'), source: file, width: z.number().int(), height: z.number().int(), cost: dollars.optional() })),
  edited: z.array(z.object({ document: file, links: z.number().int().min(0) })).describe('Pages whose links now switch, and how many links each.'),
  failed: z.array(z.object({ file, message: z.string() })),
  not_written: z.array(z.string()).describe('Twins or page edits paid for but not written (a page changed meanwhile, say).'),
  cost: dollars.describe('What the run spent (0 for a dry run), calls of unknown price not counted.'),
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
      kind: z.enum(['missing', 'stale', 'staleTranslation', 'genericAlt', 'missingAlt', 'reviewFailed']).describe('reviewFailed: the last review of the picture (review_images) failed; the message says why. staleTranslation: a translated picture whose source picture changed since (fill_missing_images with stale makes it again).'),
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
