/**
 * `illustrate mcp`: Illustrate as an MCP server over stdio, for agents (Claude Code, Cursor,
 * Gemini CLI, VS Code). Nine tools, each the command-line tool's operation: `generate_image`,
 * `fill_missing_images`, `make_transparent`, `make_dark_twins`, `translate_images`, `write_alt_text`, `review_images`, `check_images` (read only), `list_models`. Each returns
 * its text and `structuredContent` (its `outputSchema`); written images come back as
 * `resource_link`s. Files are written only inside the server's root (the roots the client lists; the
 * working directory for a client without roots), by the same rules as the editor's. A failure is a
 * tool result with `isError` and the clear message; the server keeps serving.
 */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { ErrorCode, isJSONRPCRequest, RootsListChangedNotificationSchema, ServerNotification, ServerRequest } from '@modelcontextprotocol/sdk/types.js';
import { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import { fileURLToPath, pathToFileURL } from 'url';
import { z } from 'zod';
import { IllustrateError } from '../core/errors';
import { failureMessage, fillEstimate, FillProgress } from '../core/fill/fill';
import { listImageModels } from '../core/api/modelList';
import { quotedPrice } from '../core/api/models';
import { isInside } from '../core/paths';
import { formatCost } from '../core/api/pricing';
import { optionsFromSettings } from '../core/settings';
import { Budget } from '../core/api/budget';
import { DESCRIBE_MAX_OUTPUT_TOKENS, worstAltCost } from '../core/api/describe';
import { toPosix } from '../node/disk';
import { nodeFetch } from '../node/http';
import { printable } from '../core/escape';
import { configure, EndpointFlags, noKeyMessage, UsageError } from './config';
import { VERSION } from './version';
import { checkImages, darkTwinOf, generateOne, planAlt, planDark, planFill, planReviewImages, planTransparent, runAlt, runDark, runPlan, runReview, runTransparent, session, Session, twinsAfterFill } from './run';
import { transparentJobEstimate } from '../core/fill/jobs';
import { REVIEW_MAX_OUTPUT_TOKENS, worstReviewCost } from '../core/review/review';
import { verdictReasons, verdictsInOrder } from '../core/review/job';
import { linkText } from '../core/docs/docScan';
import { checkKinds } from '../core/fill/check';
import { darkPlanEstimate } from '../core/fill/dark';
import { darkTwinEstimate } from '../core/images/darkTwin';
import { ALT_OUTPUT, CHECK_OUTPUT, DARK_OUTPUT, FILL_OUTPUT, GENERATE_OUTPUT, MODELS_OUTPUT, REVIEW_INPUT, REVIEW_OUTPUT, TRANSPARENT_OUTPUT } from './mcpSchemas';
import { madeReviewJson, reviewPlan } from '../core/review/made';
import { reviewLines } from './output';
import { translateFacts, translateRunFacts, TRANSLATE_OUTPUT } from './mcpLang';
import { planLanguageVariants, runLanguageVariants } from './translate';
import { translationEstimate } from '../core/variants/translate';
import { DEFAULT_DESCRIBE_MODEL } from '../core/api/describe';
import { langList, translationPlanLines } from './commands/variantsLang';

type Content = { type: 'text'; text: string } | { type: 'resource_link'; uri: string; name: string; mimeType: string };
type ToolResult = { content: Content[]; structuredContent?: Record<string, unknown>; isError?: boolean };
type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;

function text(lines: readonly string[]): ToolResult {
  return { content: [{ type: 'text', text: lines.join('\n') }] };
}

/** The text as before, the same facts as data, and each written image as a link to its file (never its bytes). */
function result(lines: readonly string[], structured: Record<string, unknown>, images: readonly { file: string; name: string; format: string }[] = []): ToolResult {
  const links = images.map((i): Content => ({ type: 'resource_link', uri: pathToFileURL(i.file).href, name: i.name, mimeType: `image/${i.format}` }));
  return { content: [...text(lines).content, ...links], structuredContent: structured };
}

/** A value as data under `key`, absent when it is not known. */
function optional<K extends string>(key: K, value: number | undefined): Partial<Record<K, number>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, number>);
}

/** The cost as data: a price that is not known is absent, never 0. */
function known(cost: number | undefined): { cost?: number } {
  return cost === undefined ? {} : { cost };
}

/**
 * `notifications/progress` for a run of images, when the client asked for them (a progressToken);
 * only when the count moves, as the specification wants each progress higher than the last.
 */
function progressReporter(extra: Extra, verb: string): (p: FillProgress) => void {
  const token = extra._meta?.progressToken;
  let last = -1;
  return (p) => {
    const progress = p.done + p.failed;
    if (token === undefined || progress <= last) {
      return;
    }
    last = progress;
    const message = `${verb} ${p.done} of ${p.total} · ${p.failed} failed · ≈ $${p.cost.toFixed(3)}`;
    // A client gone meanwhile is no reason to stop the run.
    void extra.sendNotification({ method: 'notifications/progress', params: { progressToken: token, progress, total: p.total, message } }).catch(() => undefined);
  };
}

/** A run's own signal: a client's cancel stops it between images (through `stop`), never in the middle of one it is billed for. */
const NEVER = new AbortController().signal;

/** Said after a run's cost when some calls had no known price: never a silent $0 for them. */
function unpricedNote(unpriced: number | undefined): string {
  return unpriced ? ` + ${unpriced} call(s) of unknown price` : '';
}

/**
 * Before a run spends: a plan whose worst case is above `max_cost` (or unpriced) is refused with
 * `refusal` and the plan; without a key, the key's message. Undefined: go on.
 */
function beforeSpending(s: Session, maxCost: number | undefined, worst: number | undefined, planned: readonly string[], refusal: (maxCost: number) => string): ToolResult | undefined {
  if (maxCost !== undefined && (worst === undefined || worst > maxCost)) {
    return { ...text([refusal(maxCost), ...planned]), isError: true };
  }
  if (!s.configured.key) {
    throw new IllustrateError('noKey', noKeyMessage());
  }
  return undefined;
}

/**
 * A run of text-model calls (write_alt_text, review_images) held to `max_cost` at its worst case:
 * refused before anything is sent when that is above max_cost, or unpriced (`beforeSpending`);
 * otherwise what `run` returns, given the budget each call is held to.
 */
async function withinMaxCost<R>(
  s: Session,
  maxCost: number | undefined,
  plan: { readonly count: number; readonly model: string; readonly cost: number | undefined; readonly worst: number | undefined; readonly planned: readonly string[] },
  words: { readonly done: string; readonly calls: string; readonly verb: string; readonly maxOutputTokens: number },
  run: (budget: { readonly budget: Budget; readonly model: string } | undefined) => Promise<R>,
): Promise<{ readonly refused: ToolResult } | { readonly ran: R }> {
  const { worst } = plan;
  const refused = beforeSpending(s, maxCost, worst, plan.planned, (max) =>
    worst === undefined
      ? `Nothing was ${words.done}: the price of ${plan.model} is unknown, so the cost cannot be held to max_cost ($${max}).`
      : `Nothing was ${words.done}: ${plan.count} ${words.calls} could cost up to ${formatCost(worst)} (each answer at most ${words.maxOutputTokens.toLocaleString('en-US')} output tokens; estimated ${formatCost(plan.cost)}), above max_cost ($${max}). Raise max_cost, or ${words.verb} a smaller path.`,
  );
  if (refused) {
    return { refused };
  }
  return { ran: await run(maxCost === undefined ? undefined : { budget: new Budget(maxCost, 'max_cost'), model: plan.model }) };
}

function failure(e: unknown): ToolResult {
  const message = e instanceof IllustrateError || e instanceof UsageError ? e.message : failureMessage(e);
  return { content: [{ type: 'text', text: message }], isError: true };
}

/** How long a tool call waits for the client's roots before it is refused. */
const ROOTS_WAIT_MS = 10_000;

/**
 * The specification lists an unknown tool as a JSON-RPC error (-32602, "Unknown tool"); the SDK
 * answers it as a tool result, so such a call is answered here before it reaches the SDK.
 */
function refuseUnknownTools(transport: Transport, tools: readonly string[]): void {
  const deliver = transport.onmessage;
  transport.onmessage = (message, extra) => {
    if (isJSONRPCRequest(message) && message.method === 'tools/call') {
      const name = message.params?.name;
      if (typeof name === 'string' && !tools.includes(name)) {
        const error = { code: ErrorCode.InvalidParams, message: `Unknown tool: ${printable(name.slice(0, 100))}. Illustrate's tools are ${tools.join(', ')}.` };
        void transport.send({ jsonrpc: '2.0', id: message.id, error }).catch(() => undefined);
        return;
      }
    }
    deliver?.(message, extra);
  };
}

/** The `path` of the tools that work on a docs tree. */
const TREE_PATH = z.string().max(1000).optional().describe('A folder or markdown file, relative to the project root (default: the whole project).');

/** Every tool the server has, for the answer to a call of another. */
const TOOLS = ['generate_image', 'fill_missing_images', 'make_transparent', 'write_alt_text', 'make_dark_twins', 'review_images', 'translate_images', 'check_images', 'list_models'];

export async function serveMcp(cwd: string, env: NodeJS.ProcessEnv, endpoint: EndpointFlags, log: (line: string) => void): Promise<void> {
  const server = new McpServer({ name: 'illustrate', version: VERSION }, { capabilities: { tools: {} } });
  // A client without roots gets the working directory; a client with roots gets only its roots.
  let roots: string[] = [cwd];
  /** Why the client's roots could not be listed, while they cannot: every call is refused meanwhile. */
  let rootsUnavailable: string | undefined;
  let rootsAnswers = 0;

  const refreshRoots = async (): Promise<void> => {
    if (!server.server.getClientCapabilities()?.roots) {
      return;
    }
    try {
      const listed = await server.server.listRoots(undefined, { timeout: ROOTS_WAIT_MS });
      const paths = listed.roots.filter((r) => r.uri.startsWith('file:')).map((r) => toPosix(fileURLToPath(r.uri)));
      // A client that declares roots but lists none leaves no folder to write in: not the working directory.
      roots = paths;
      rootsUnavailable = undefined;
      log(`illustrate mcp: roots ${paths.length ? paths.join(', ') : '(none: every write is refused)'}`);
    } catch (e: unknown) {
      // Never the working directory for a client that has roots: it may not be the folder the user opened.
      roots = [];
      // The client's own words, without the SDK's "MCP error -32603: " in front.
      rootsUnavailable = printable((e as Error).message.replace(/^MCP error -?\d+: /, ''));
      log(`illustrate mcp: could not list the client's roots (${rootsUnavailable}); every call is refused until they can be listed`);
    } finally {
      rootsAnswers++;
    }
  };
  // Tool calls wait for the first answer about roots: none runs with a root the client did not give.
  let rootsReady: Promise<void> = new Promise((resolve) => {
    server.server.oninitialized = () => {
      void refreshRoots().finally(resolve);
    };
  });
  server.server.setNotificationHandler(RootsListChangedNotificationSchema, () => {
    rootsReady = refreshRoots();
  });

  /** The root a path belongs to (relative paths are from the first root), and a session there. */
  const open = async (paths: readonly (string | undefined)[], overrides: Record<string, unknown> = {}): Promise<{ s: Session; at: (p: string) => string }> => {
    const answers = rootsAnswers;
    await rootsReady;
    if (rootsUnavailable !== undefined && rootsAnswers === answers) {
      // The failure is older than this call: the client may answer now.
      rootsReady = refreshRoots();
      await rootsReady;
    }
    if (rootsUnavailable !== undefined) {
      throw new UsageError(`Illustrate could not get the client's roots (${rootsUnavailable}), so it has no folder it may write in. Check that the client lists the docs folder as a root, then call again.`);
    }
    if (!roots.length) {
      throw new UsageError('The client declared no roots, so Illustrate has no folder it may write in. Add the docs folder as a root.');
    }
    const first = roots[0];
    const absolute = (p: string): string => toPosix(p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) ? p : `${first}/${p}`);
    const given = paths.filter((p): p is string => typeof p === 'string' && p.length > 0).map(absolute);
    const root = given.length ? roots.find((r) => given.every((p) => isInside(p, r))) : first;
    if (!root) {
      throw new UsageError(`That path is outside the server's root${roots.length > 1 ? 's' : ''} (${roots.join(', ')}), so Illustrate will not touch it. Use a path inside it.`);
    }
    const configured = await configure(root, env, endpoint, overrides, log);
    return { s: session(root, configured, nodeFetch, { info: () => undefined, warn: log, error: log }), at: absolute };
  };

  server.registerTool(
    'generate_image',
    {
      title: 'Generate an image into the docs',
      description:
        'Generates one image with Gemini (Nano Banana) and writes it into the project. With `document`, its markdown link goes into that document: where a missing link with this prompt (or this path) already is, else at `line`, else at the end. Returns the file, the markdown link and the cost.',
      inputSchema: {
        prompt: z.string().min(1).max(10_000).describe('What the image shows.'),
        path: z.string().max(1000).optional().describe('Where to write it, relative to the project root (default: the project destination setting).'),
        document: z.string().max(1000).optional().describe('Markdown file to link the image from.'),
        line: z.number().int().min(1).optional().describe('1-based line for the new link in `document`.'),
        model: z.string().max(100).optional().describe('The image model, an id list_models gives (for example gemini-3.1-flash-image); default: the project\'s illustrate.model setting.'),
        aspect_ratio: z.string().max(10).optional().describe('For example 16:9, 1:1, 4:3.'),
        image_size: z.string().max(10).optional().describe('512, 1K, 2K or 4K, where the model takes one.'),
        review: REVIEW_INPUT,
        transparent: z.boolean().optional().describe('A transparent background: the picture rendered on white, then edited onto black, and the alpha worked out from the two (two image calls); written as PNG or WebP (a .jpg path is refused before anything is bought). Default: the project\'s illustrate.transparentBackground setting.'),
      },
      // It edits an existing document (a link inserted or repointed) and spends money: clients should ask.
      outputSchema: GENERATE_OUTPUT,
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
    },
    async (args, extra) => {
      try {
        const { s, at } = await open([args.path, args.document], { model: args.model, aspectRatio: args.aspect_ratio, imageSize: args.image_size, review: args.review, transparentBackground: args.transparent });
        const made = await generateOne(
          s,
          { prompt: args.prompt, options: optionsFromSettings(s.configured.settings), output: args.path ? at(args.path) : undefined, document: args.document ? at(args.document) : undefined, line: args.line },
          extra.signal,
        );
        const { image } = made;
        const file = s.workspace.relative(made.file);
        const document = args.document ? { document: s.workspace.relative(at(args.document)) } : {};
        // illustrate.variants.dark: the picture's dark twin, its link switching in the page (one more image edit), as `illustrate generate --into` does.
        const twin = s.configured.settings.darkTwins && args.document && !extra.signal.aborted ? await darkTwinOf(s, at(args.document), made.file, extra.signal) : undefined;
        return result(
          [
            `Wrote ${file} (${image.width}×${image.height} ${image.format.toUpperCase()}, ${image.options.model}, ${formatCost(image.cost)}).`,
            args.document ? `Linked in ${s.workspace.relative(at(args.document))} as:` : 'Markdown link (relative to the document or the project root):',
            made.link,
            ...reviewLines(made.review, true),
            ...(twin?.file ? [`Made its dark twin ${printable(twin.file)} (${formatCost(twin.cost)}): the link switches to it in dark mode.`] : twin ? [`No dark twin: ${printable(twin.error ?? '')}`] : []),
          ],
          { file, uri: pathToFileURL(made.file).href, link: made.link, ...document, width: image.width, height: image.height, format: image.format, model: image.options.model, ...known(image.cost), ...(made.review ? { review: madeReviewJson(made.review) } : {}), ...(twin ? { dark_twin: twin } : {}) },
          [{ file: made.file, name: file, format: image.format }],
        );
      } catch (e: unknown) {
        return failure(e);
      }
    },
  );

  server.registerTool(
    'fill_missing_images',
    {
      title: 'Fill the missing images of a docs tree',
      description:
        'Finds every image the markdown files under `path` link to but that does not exist yet, and generates each from its alt text, at the link\'s own path. With dry_run, only lists them with the estimated cost.',
      inputSchema: {
        path: TREE_PATH,
        dry_run: z.boolean().optional().describe('List what would be made and its cost; generate nothing.'),
        max_cost: z.number().min(0).max(10_000).optional().describe('The most this call may spend, in US dollars: a plan estimated above it (or whose price is unknown) is refused and nothing is generated; during the run, an image that could take the spending past it is not asked for.'),
        stale: z.boolean().optional().describe('Instead of the missing images, make again (in place) the images Illustrate made whose alt text changed since (what check_images calls stale).'),
        review: REVIEW_INPUT,
      },
      outputSchema: FILL_OUTPUT,
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
    },
    async (args, extra) => {
      try {
        const { s, at } = await open([args.path], { review: args.review });
        const rel = (p: string): string => s.workspace.relative(p);
        const paths = args.path ? [at(args.path)] : [];
        const plan = await planFill(s, paths, () => extra.signal.aborted, args.stale === true);
        // Dark twins: with `stale`, those whose picture changed since; with illustrate.variants.dark, one for each new picture. In the estimate, as in `illustrate fill`.
        const staleTwins = args.stale ? await planDark(s, paths, { staleOnly: true, isCancelled: () => extra.signal.aborted }) : undefined;
        const twinCount = (staleTwins?.targets.length ?? 0) + (s.configured.settings.darkTwins ? plan.targets.length : 0);
        const twinOne = darkTwinEstimate(s.configured.settings);
        const images = fillEstimate(s.configured.settings, plan.targets);
        const cost = images === undefined || (twinCount && twinOne === undefined) ? undefined : images + twinCount * (twinOne ?? 0);
        const reviews = reviewPlan(s.configured.settings, plan.targets);
        // What max_cost is held to before the run: the pictures, their twins and their reviews (retries are held one by one during it).
        const total = cost === undefined || (reviews && reviews.cost === undefined) ? undefined : cost + (reviews?.cost ?? 0);
        const planned = [
          `${plan.targets.length} ${args.stale ? 'stale' : 'missing'} image(s) in ${plan.documents} document(s) · ${s.configured.settings.model} · estimated ${formatCost(cost)}${twinCount ? ` (${twinCount} dark twin(s) included: one image edit each)` : ''}`,
          ...(reviews && plan.targets.length ? [`review: ${reviews.mode} with ${reviews.model} · estimated ${formatCost(reviews.cost)} (${formatCost(reviews.perImage)} an image)${reviews.mode === 'retry' ? ` · pictures made again after a failed review: at most ${formatCost(reviews.retriesAtMost)}` : ''}`] : []),
          ...plan.targets.map((t) => `+ ${printable(rel(t.uri))} — ${printable(t.prompt)}`),
          ...plan.skipped.map((k) => `- ${printable(rel(k.document))}: ${printable(k.image.target)} — skipped: ${k.reason}`),
        ];
        const facts = {
          mode: args.stale ? 'stale' : 'missing',
          dry_run: true,
          documents: plan.documents,
          model: s.configured.settings.model,
          ...(cost === undefined ? {} : { estimated_cost: cost }),
          planned: plan.targets.map((t) => ({ file: rel(t.uri), prompt: t.prompt })),
          skipped: plan.skipped.map((k) => ({ document: rel(k.document), link: k.image.target, reason: k.reason })),
          ...(reviews
            ? { review_plan: { mode: reviews.mode as 'report' | 'retry', model: reviews.model, ...optional('per_image', reviews.perImage), ...optional('estimated_cost', reviews.cost), ...optional('retries_at_most', reviews.retriesAtMost) } }
            : {}),
          made: [],
          failed: [],
          not_started: [],
          cost: 0,
          unpriced: 0,
          ...(twinCount ? { dark_twins: { planned: twinCount, made: [], failed: [] } } : {}),
        };
        if (args.dry_run || (!plan.targets.length && !staleTwins?.targets.length)) {
          return result(planned, facts);
        }
        const refused = beforeSpending(s, args.max_cost, total, planned, (max) =>
          total === undefined
            ? `Nothing was generated: the price of ${cost === undefined ? s.configured.settings.model : reviews?.model} is unknown, so the cost cannot be held to max_cost ($${max}).`
            : `Nothing was generated: the plan is estimated at ${formatCost(total)}, above max_cost ($${max})${reviews ? ', its reviews included' : ''}. Raise max_cost, or fill a smaller path${reviews ? ', or pass review: "off"' : ''}.`,
        );
        if (refused) {
          return refused;
        }
        const budget = args.max_cost === undefined ? undefined : new Budget(args.max_cost, 'max_cost');
        const outcome = await runPlan(s, plan, s.configured.settings.fillConcurrency, NEVER, progressReporter(extra, 'Filled'), extra.signal, args.stale === true, budget);
        const twins = await twinsAfterFill(s, paths, outcome.made.map((m) => m.file), NEVER, extra.signal, staleTwins, budget);
        const twinFacts = twins
          ? {
              dark_twins: {
                planned: twinCount,
                made: twins.outcome.made.map((m) => ({ file: rel(m.target.twin), source: rel(m.target.uri), ...known(m.image.cost) })),
                failed: [...twins.outcome.failed.map((f) => ({ file: rel(f.target.twin), message: f.message })), ...twins.unwritten.map((message) => ({ message }))],
              },
            }
          : {};
        const spent = outcome.cost + (twins?.outcome.cost ?? 0);
        const ran = result(
          [
            `Filled ${outcome.made.length} of ${plan.targets.length} · ${outcome.failed.length} failed · ${outcome.cancelled.length} not started · cost ≈ $${spent.toFixed(3)}${unpricedNote(outcome.unpriced)} (estimated ${formatCost(total)} before the run${reviews ? ', its reviews included' : ''}${twins ? ', dark twins included' : ''})`,
            ...outcome.made.flatMap((m) => [`made ${printable(rel(m.file))} — ${printable(m.target.prompt)}`, ...reviewLines(m.review).map((l) => `  ${l}`)]),
            ...outcome.failed.map((f) => `failed ${printable(rel(f.target.uri))}: ${f.message}`),
            ...(outcome.review
              ? [`reviewed: ${outcome.review.passed} passed · ${outcome.review.failed} failed · ${outcome.review.unreviewed} not reviewed · ${outcome.review.retried} made again (${outcome.review.keptRetries} kept) · reviews ≈ $${outcome.review.cost.toFixed(4)}, pictures made again ≈ $${outcome.review.retryCost.toFixed(3)}`]
              : []),
            ...(twins
              ? [
                  ...twins.outcome.made.map((m) => `made ${printable(rel(m.target.twin))}, the dark twin of ${printable(rel(m.target.uri))}`),
                  ...twins.outcome.failed.map((f) => `no dark twin for ${printable(rel(f.target.uri))}: ${f.message}`),
                  ...twins.unwritten.map((m) => `not written: ${printable(m)}`),
                ]
              : []),
            ...(outcome.stopped ? [`stopped: ${outcome.stopped}`] : []),
          ],
          {
            ...facts,
            ...twinFacts,
            dry_run: false,
            made: outcome.made.map((m) => ({ file: rel(m.file), uri: pathToFileURL(m.file).href, prompt: m.target.prompt, ...known(m.image.cost), ...(m.review ? { review: madeReviewJson(m.review) } : {}) })),
            failed: outcome.failed.map((f) => ({ file: rel(f.target.uri), message: f.message })),
            not_started: outcome.cancelled.map((t) => rel(t.uri)),
            cost: spent,
            unpriced: outcome.unpriced ?? 0,
            ...(outcome.review
              ? { review: { passed: outcome.review.passed, failed: outcome.review.failed, unreviewed: outcome.review.unreviewed, retried: outcome.review.retried, kept_retries: outcome.review.keptRetries, cost: outcome.review.cost, retry_cost: outcome.review.retryCost } }
              : {}),
            ...(outcome.stopped ? { stopped: outcome.stopped } : {}),
          },
          outcome.made.map((m) => ({ file: m.file, name: rel(m.file), format: m.image.format })),
        );
        return outcome.made.length || !outcome.failed.length ? ran : { ...ran, isError: true };
      } catch (e: unknown) {
        return failure(e);
      }
    },
  );

  server.registerTool(
    'make_transparent',
    {
      title: 'Make the background of images transparent',
      description:
        'Takes the background away from images already in the project: each is edited onto plain white, that render onto plain black, and the alpha worked out from the two (two image calls an image). A PNG or WebP is replaced in place with the same picture and an alpha channel; a JPEG needs `out` (a .png or .webp path, one image). An image whose two renders do not line up is left as it was, and the result says so. With dry_run, only lists them with the estimated cost.',
      inputSchema: {
        images: z.array(z.string().min(1).max(1000)).min(1).max(100).describe('The image files, relative to the project root.'),
        out: z.string().max(1000).optional().describe('With one image: write the transparent picture here (.png or .webp) instead of replacing it.'),
        dry_run: z.boolean().optional().describe('List what would be made and its cost; make nothing.'),
        max_cost: z.number().min(0).max(10_000).optional().describe('The most this call may spend, in US dollars: a plan estimated above it (or whose price is unknown) is refused and nothing is made.'),
      },
      outputSchema: TRANSPARENT_OUTPUT,
      // It replaces images and spends money: clients should ask.
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
    },
    async (args, extra) => {
      try {
        if (args.out !== undefined && args.images.length > 1) {
          throw new UsageError('`out` names one file: give it with one image.');
        }
        const { s, at } = await open([...args.images, args.out]);
        const rel = (p: string): string => s.workspace.relative(p);
        const settings = s.configured.settings;
        const plan = await planTransparent(s, args.images.map(at), args.out === undefined ? undefined : at(args.out), '`out`');
        const cost = transparentJobEstimate(plan.targets, () => settings);
        const planned = [
          `${plan.targets.length} image(s) to make transparent · ${plan.targets.length * 2} image calls · ${settings.model} · estimated ${formatCost(cost)}`,
          ...plan.targets.map((t) => `+ ${printable(rel(t.uri))} → ${t.out === t.uri ? `replaced by a ${t.output.format.toUpperCase()} with alpha` : printable(rel(t.out))}`),
          ...plan.skipped.map((k) => `- ${printable(k.file)}: ${printable(k.reason)}`),
        ];
        const facts = {
          dry_run: true,
          model: settings.model,
          calls: plan.targets.length * 2,
          ...(cost === undefined ? {} : { estimated_cost: cost }),
          planned: plan.targets.map((t) => ({ file: rel(t.uri), out: rel(t.out), format: t.output.format, replaces: t.out === t.uri, prompt: t.prompt })),
          skipped: plan.skipped.map((k) => ({ file: k.file, reason: k.reason })),
          made: [],
          failed: [],
          cost: 0,
        };
        if (args.dry_run || !plan.targets.length) {
          return result(planned, facts);
        }
        const refused = beforeSpending(s, args.max_cost, cost, planned, (max) =>
          cost === undefined
            ? `Nothing was made: the price of ${settings.model} is unknown, so the cost cannot be held to max_cost ($${max}).`
            : `Nothing was made: the plan is estimated at ${formatCost(cost)}, above max_cost ($${max}). Raise max_cost, or give fewer images.`,
        );
        if (refused) {
          return refused;
        }
        const outcome = await runTransparent(s, plan, extra.signal, progressReporter(extra, 'Made transparent'), NEVER);
        const ran = result(
          [
            `Made ${outcome.made.length} of ${plan.targets.length} transparent · ${outcome.failed.length} failed · cost ≈ $${outcome.cost.toFixed(3)}${unpricedNote(outcome.unpriced)}`,
            ...outcome.made.map((m) => `made ${printable(rel(m.file))} (${m.image.width}×${m.image.height} ${m.image.format.toUpperCase()} with alpha)`),
            ...outcome.failed.map((f) => `failed ${printable(rel(f.target.uri))}: ${f.message}`),
            ...(outcome.stopped ? [`stopped: ${outcome.stopped}`] : []),
          ],
          {
            ...facts,
            dry_run: false,
            made: outcome.made.map((m) => ({ file: rel(m.file), uri: pathToFileURL(m.file).href, source: rel(m.target.uri), width: m.image.width, height: m.image.height, format: m.image.format, ...known(m.image.cost) })),
            failed: outcome.failed.map((f) => ({ file: rel(f.target.uri), message: f.message })),
            cost: outcome.cost,
            ...(outcome.stopped ? { stopped: outcome.stopped } : {}),
          },
          outcome.made.map((m) => ({ file: m.file, name: rel(m.file), format: m.image.format })),
        );
        return outcome.made.length || !outcome.failed.length ? ran : { ...ran, isError: true };
      } catch (e: unknown) {
        return failure(e);
      }
    },
  );

  server.registerTool(
    'write_alt_text',
    {
      title: 'Write the missing alt text of a docs tree',
      description:
        'Finds every image under `path` whose alt text is missing or describes nothing ("image", a file name), describes each with a Gemini text model that sees the picture and the text around it, and writes the description as its alt text (only the alt text changes). With dry_run, only lists them with the estimated cost. Remote images are never downloaded.',
      inputSchema: {
        path: TREE_PATH,
        dry_run: z.boolean().optional().describe('List the images that need alt text and the cost; describe nothing.'),
        max_cost: z.number().min(0).max(10_000).optional().describe('The most this call may spend, in US dollars: a plan that could cost more (each answer counted at its most output tokens), or whose price is unknown, is refused and nothing is described.'),
      },
      outputSchema: ALT_OUTPUT,
      // It edits documents (their alt texts) and rewrites the images Illustrate made: clients should ask.
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
    },
    async (args, extra) => {
      try {
        const { s, at } = await open([args.path]);
        const rel = (p: string): string => s.workspace.relative(p);
        const settings = s.configured.settings;
        const plan = await planAlt(s, args.path ? [at(args.path)] : [], () => extra.signal.aborted);
        const { model, cost } = await s.describer.estimate(settings, plan.targets.length, plan.targets.length > 0 && s.configured.key !== undefined, extra.signal);
        const planned = [
          `${plan.targets.length} image(s) need alt text in ${plan.documents} document(s) · ${model} · estimated ${formatCost(cost)}`,
          ...plan.targets.flatMap((t) => t.links.map((l) => `+ ${printable(rel(l.document))}:${l.line}  ${printable(linkText(l.image).slice(0, 200))} → ${printable(rel(t.uri))}`)),
          ...plan.skipped.map((k) => `- ${printable(rel(k.link.document))}:${k.link.line} ${printable(rel(k.file))} — skipped: ${k.reason}`),
        ];
        const facts = {
          dry_run: true,
          documents: plan.documents,
          model,
          ...(cost === undefined ? {} : { estimated_cost: cost }),
          planned: plan.targets.flatMap((t) => t.links.map((l) => ({ file: rel(t.uri), document: rel(l.document), line: l.line, link: linkText(l.image) }))),
          skipped: plan.skipped.map((k) => ({ document: rel(k.link.document), line: k.link.line, file: rel(k.file), reason: k.reason })),
          described: [],
          failed: [],
          not_written: [],
          cost: 0,
          unpriced: 0,
        };
        if (args.dry_run || !plan.targets.length) {
          return result(planned, facts);
        }
        // The budget is held to what the calls can bill at most (an answer of maxOutputTokens each), not to the estimate.
        const paid = await withinMaxCost(
          s,
          args.max_cost,
          { count: plan.targets.length, model, cost, worst: worstAltCost(model, plan.targets, settings), planned },
          { done: 'described', calls: 'descriptions', verb: 'describe', maxOutputTokens: DESCRIBE_MAX_OUTPUT_TOKENS },
          (budget) => runAlt(s, plan, plan.targets, NEVER, progressReporter(extra, 'Described'), extra.signal, budget),
        );
        if ('refused' in paid) {
          return paid.refused;
        }
        const { outcome, unwritten } = paid.ran;
        const ran = result(
          [
            `Described ${outcome.made.length} of ${plan.targets.length} · ${outcome.failed.length} failed · cost ≈ $${outcome.cost.toFixed(4)}${unpricedNote(outcome.unpriced)}`,
            ...outcome.made.map((m) => (m.described.decorative ? `decorative ${printable(rel(m.target.uri))}: alt text left empty` : `wrote ${printable(rel(m.target.uri))}: ${printable(m.described.text)}`)),
            ...outcome.failed.map((f) => `failed ${printable(rel(f.target.uri))}: ${f.message}`),
            ...unwritten.map((u) => `not written: ${printable(u)}`),
            ...(outcome.stopped ? [`stopped: ${outcome.stopped}`] : []),
          ],
          {
            ...facts,
            dry_run: false,
            described: outcome.made.map((m) => ({ file: rel(m.target.uri), alt: m.described.decorative ? '' : m.described.text, decorative: m.described.decorative })),
            failed: outcome.failed.map((f) => ({ file: rel(f.target.uri), message: f.message })),
            not_written: unwritten,
            cost: outcome.cost,
            unpriced: outcome.unpriced ?? 0,
            ...(outcome.stopped ? { stopped: outcome.stopped } : {}),
          },
        );
        return outcome.made.length || !outcome.failed.length ? ran : { ...ran, isError: true };
      } catch (e: unknown) {
        return failure(e);
      }
    },
  );

  server.registerTool(
    'make_dark_twins',
    {
      title: 'Make the dark-mode twins of a docs tree\'s images',
      description:
        'For every PNG, JPEG or WebP image the markdown files under `path` link to, makes its dark-mode twin (one image edit: the same picture, layout and text for a dark background), writes it beside it as NAME.dark.EXT, and makes each link show it in dark mode in the markup its site uses (<picture> with prefers-color-scheme; Docusaurus and MkDocs Material: their #fragments). A twin already there is not made again; links that already switch are left alone. With dry_run, only lists them with the estimated cost.',
      inputSchema: {
        path: TREE_PATH,
        dry_run: z.boolean().optional().describe('List the twins and the pages they switch, and the cost; make and edit nothing.'),
        max_cost: z.number().min(0).max(10_000).optional().describe('The most this call may spend, in US dollars: a plan estimated above it (or whose price is unknown) is refused and nothing is made; during the run, a twin that could take the spending past it is not asked for.'),
      },
      outputSchema: DARK_OUTPUT,
      // It writes images and edits documents (their image markup): clients should ask.
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
    },
    async (args, extra) => {
      try {
        const { s, at } = await open([args.path]);
        const rel = (p: string): string => s.workspace.relative(p);
        const settings = s.configured.settings;
        const plan = await planDark(s, args.path ? [at(args.path)] : [], { isCancelled: () => extra.signal.aborted });
        const cost = darkPlanEstimate(plan.targets, () => settings);
        const making = plan.targets.filter((t) => t.make);
        const planned = [
          `${making.length} dark twin(s) to make, ${plan.targets.length - making.length} already there · ${plan.switching} link(s) already switch · ${settings.model} · estimated ${formatCost(cost)}`,
          ...plan.targets.map((t) => `+ ${printable(rel(t.uri))} → ${printable(rel(t.twin))}${t.make ? '' : ' (already there)'}${t.edits.length ? ` · ${t.edits.map((e) => printable(rel(e.document))).join(', ')}` : ''}`),
          ...plan.skipped.map((k) => `- ${printable(rel(k.file))}${k.document !== undefined ? ` (${printable(rel(k.document))}:${k.line ?? 0})` : ''} — skipped: ${k.reason}`),
        ];
        const facts = {
          dry_run: true,
          model: settings.model,
          ...(cost === undefined ? {} : { estimated_cost: cost }),
          planned: plan.targets.map((t) => ({ file: rel(t.uri), twin: rel(t.twin), make: t.make, documents: t.edits.map((e) => rel(e.document)) })),
          switching: plan.switching,
          skipped: plan.skipped.map((k) => ({ file: rel(k.file), ...(k.document !== undefined ? { document: rel(k.document) } : {}), ...(k.line !== undefined ? { line: k.line } : {}), reason: k.reason })),
          made: [],
          edited: [],
          failed: [],
          not_written: [],
          cost: 0,
        };
        if (args.dry_run || !plan.targets.length) {
          return result(planned, facts);
        }
        if (making.length) {
          const refused = beforeSpending(s, args.max_cost, cost, planned, (max) =>
            cost === undefined ? `Nothing was made: the price of ${settings.model} is unknown, so the cost cannot be held to max_cost ($${max}).` : `Nothing was made: the plan is estimated at ${formatCost(cost)}, above max_cost ($${max}). Raise max_cost, or make the twins of a smaller path.`,
          );
          if (refused) {
            return refused;
          }
        }
        const budget = args.max_cost === undefined ? undefined : new Budget(args.max_cost, 'max_cost');
        const { outcome, edits, unwritten } = await runDark(s, plan, NEVER, progressReporter(extra, 'Made'), extra.signal, budget);
        const ran = result(
          [
            `Made ${outcome.made.length} of ${making.length} dark twin(s) · switched links in ${edits.length} page(s) · ${outcome.failed.length} failed · cost ≈ $${outcome.cost.toFixed(4)}`,
            ...outcome.made.map((m) => `made ${printable(rel(m.target.twin))} (${m.image.width}×${m.image.height}), the dark twin of ${printable(rel(m.target.uri))}`),
            ...edits.map((e) => `switched ${e.edits.length / 2} link(s) in ${printable(rel(e.document))}`),
            ...outcome.failed.map((f) => `failed ${printable(rel(f.target.uri))}: ${f.message}`),
            ...unwritten.map((u) => `not written: ${printable(u)}`),
            ...(outcome.stopped ? [`stopped: ${outcome.stopped}`] : []),
          ],
          {
            ...facts,
            dry_run: false,
            made: outcome.made.map((m) => ({ file: rel(m.target.twin), source: rel(m.target.uri), width: m.image.width, height: m.image.height, ...(m.image.cost === undefined ? {} : { cost: m.image.cost }) })),
            edited: edits.map((e) => ({ document: rel(e.document), links: e.edits.length / 2 })),
            failed: outcome.failed.map((f) => ({ file: rel(f.target.uri), message: f.message })),
            not_written: unwritten,
            cost: outcome.cost,
            ...(outcome.stopped ? { stopped: outcome.stopped } : {}),
          },
        );
        return outcome.made.length || !outcome.failed.length ? ran : { ...ran, isError: true };
      } catch (e: unknown) {
        return failure(e);
      }
    },
  );

  server.registerTool(
    'review_images',
    {
      title: 'Review the pictures of a docs tree',
      description:
        'Looks at every image the markdown files under `path` link to with a Gemini text model: the images Illustrate made against the prompt, style and edit instruction they were made from, others against their alt text. It checks that quoted or named text appears exactly as written, the subject and its stated parts are there, there is no frame, watermark, mock-up or text nobody asked for, and no obvious defects. Returns pass, fail (each problem with a short reason) or unreviewed per image; each verdict is kept in the image Illustrate made, and check_images then lists the failed ones. With dry_run, only lists them with the estimated cost.',
      inputSchema: {
        path: TREE_PATH,
        dry_run: z.boolean().optional().describe('List the images to review and the cost; review nothing.'),
        max_cost: z.number().min(0).max(10_000).optional().describe('The most this call may spend, in US dollars: a plan that could cost more (each answer counted at its most output tokens), or whose price is unknown, is refused and nothing is reviewed.'),
      },
      outputSchema: REVIEW_OUTPUT,
      // It spends money and rewrites the images Illustrate made (their record, never their pixels): clients should ask.
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
    },
    async (args, extra) => {
      try {
        const { s, at } = await open([args.path]);
        const rel = (p: string): string => s.workspace.relative(p);
        const settings = s.configured.settings;
        const plan = await planReviewImages(s, args.path ? [at(args.path)] : [], () => extra.signal.aborted);
        const words = plan.targets.map((t) => t.words);
        const { model, cost } = await s.reviewer.estimate(settings, words, plan.targets.length > 0 && s.configured.key !== undefined, extra.signal);
        const planned = [
          `${plan.targets.length} image(s) to review in ${plan.documents} document(s) · ${model} · estimated ${formatCost(cost)}`,
          ...plan.targets.map((t) => `+ ${printable(rel(t.uri))} against its ${t.words.from === 'alt' ? 'alt text' : 'prompt'}: ${printable(t.words.prompt.slice(0, 200))}`),
          ...plan.skipped.map((k) => `- ${printable(rel(k.file))} — skipped: ${k.reason}`),
        ];
        const facts = {
          dry_run: true,
          documents: plan.documents,
          model,
          ...(cost === undefined ? {} : { estimated_cost: cost }),
          planned: plan.targets.map((t) => ({ file: rel(t.uri), against: t.words.from === 'alt' ? ('alt' as const) : ('record' as const), prompt: t.words.prompt })),
          skipped: plan.skipped.map((k) => ({ file: rel(k.file), document: rel(k.link.document), line: k.link.line, reason: k.reason })),
          reviewed: [],
          failed: [],
          not_written: [],
          cost: 0,
          unpriced: 0,
        };
        if (args.dry_run || !plan.targets.length) {
          return result(planned, facts);
        }
        // The budget is held to what the calls can bill at most (the picture at high resolution, an answer of maxOutputTokens each).
        const paid = await withinMaxCost(
          s,
          args.max_cost,
          { count: plan.targets.length, model, cost, worst: worstReviewCost(model, words, settings.prices), planned },
          { done: 'reviewed', calls: 'reviews', verb: 'review', maxOutputTokens: REVIEW_MAX_OUTPUT_TOKENS },
          (budget) => runReview(s, plan.targets, NEVER, progressReporter(extra, 'Reviewed'), extra.signal, budget),
        );
        if ('refused' in paid) {
          return paid.refused;
        }
        const { outcome, unwritten } = paid.ran;
        const { made, ...count } = verdictsInOrder(outcome);
        const ran = result(
          [
            `Reviewed ${count.pass + count.fail} of ${plan.targets.length} · ${count.pass} passed · ${count.fail} failed review · ${count.unreviewed + outcome.failed.length} not reviewed · cost ≈ $${outcome.cost.toFixed(4)}${unpricedNote(outcome.unpriced)}`,
            ...made.map((m) => `${m.verdict.status === 'unreviewed' ? 'not reviewed' : m.verdict.status} ${printable(rel(m.target.uri))}${m.verdict.status === 'pass' ? '' : `: ${printable(verdictReasons(m.verdict))}`}`),
            ...outcome.failed.map((f) => `failed ${printable(rel(f.target.uri))}: ${f.message}`),
            ...unwritten.map((u) => `not written: ${printable(u)}`),
            ...(outcome.stopped ? [`stopped: ${outcome.stopped}`] : []),
          ],
          {
            ...facts,
            dry_run: false,
            reviewed: made.map((m) => {
              const v = m.verdict;
              return v.status === 'unreviewed'
                ? { file: rel(m.target.uri), status: v.status, problems: [], reason: v.reason, kept: false, ...known(v.cost) }
                : { file: rel(m.target.uri), status: v.status, problems: v.problems.map((p) => ({ kind: p.kind, reason: p.reason })), kept: m.kept, ...known(v.cost) };
            }),
            failed: outcome.failed.map((f) => ({ file: rel(f.target.uri), message: f.message })),
            not_written: unwritten,
            cost: outcome.cost,
            unpriced: outcome.unpriced ?? 0,
            ...(outcome.stopped ? { stopped: outcome.stopped } : {}),
          },
        );
        return outcome.made.length || !outcome.failed.length ? ran : { ...ran, isError: true };
      } catch (e: unknown) {
        return failure(e);
      }
    },
  );

  server.registerTool(
    'translate_images',
    {
      title: 'Translate the pictures of translated pages',
      description:
        'For each translated page under `path` (Docusaurus i18n/<locale>/, VitePress, Hugo, Starlight or MkDocs locale folders, NAME.<lang>.md) in the languages asked for, finds the pictures it shares with its source page that hold text, and edits each into the page\'s language (layout and style kept), using the page\'s translated alt text and caption. The translation is written where that locale\'s pages can link it and only the translated pages\' links change. With dry_run, only lists them with the estimated cost.',
      inputSchema: {
        path: TREE_PATH,
        langs: z.array(z.string().max(40)).min(1).max(50).describe('Language tags (["ja", "zh-CN"]), or ["all"] for every translated language.'),
        dry_run: z.boolean().optional().describe('List what would be translated and its cost; translate nothing.'),
        max_cost: z.number().min(0).max(10_000).optional().describe('The most this call may spend, in US dollars: a plan estimated above it (or whose price is unknown) is refused and nothing is translated; during the run, a picture that could take the spending past it is not started.'),
        review: REVIEW_INPUT,
      },
      outputSchema: TRANSLATE_OUTPUT,
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
    },
    async (args, extra) => {
      try {
        const { s, at } = await open([args.path], { review: args.review });
        const settings = s.configured.settings;
        const plan = await planLanguageVariants(s, args.path ? [at(args.path)] : [], langList(args.langs.join(',')), () => extra.signal.aborted);
        const cost = translationEstimate(plan.targets, () => settings, settings.describeModel || DEFAULT_DESCRIBE_MODEL);
        const planned = translationPlanLines(s, plan, cost).map((l) => l.trim());
        const facts = translateFacts(s, plan, cost);
        if (args.dry_run || !plan.targets.length) {
          return result(planned, facts);
        }
        const refused = beforeSpending(s, args.max_cost, cost, planned, (max) =>
          cost === undefined ? `Nothing was translated: a price is unknown, so the cost cannot be held to max_cost ($${max}).` : `Nothing was translated: the plan is estimated at ${formatCost(cost)}, above max_cost ($${max}). Raise max_cost, or translate a smaller path or fewer languages.`,
        );
        if (refused) {
          return refused;
        }
        const budget = args.max_cost === undefined ? undefined : new Budget(args.max_cost, 'max_cost');
        const run = await runLanguageVariants(s, plan.targets, NEVER, progressReporter(extra, 'Translated'), extra.signal, budget);
        const rel = (p: string): string => s.workspace.relative(p);
        const { outcome } = run;
        const made = outcome.made.flatMap((m) => (m.made.kind === 'made' ? [{ file: m.target.out, name: rel(m.target.out), format: m.made.image.format, from: m.target.uri, language: m.target.language }] : []));
        const ran = result(
          [
            `Translated ${made.length} of ${plan.targets.length} · ${run.result.edits.length} page(s) changed · ${outcome.failed.length} failed · cost ≈ $${outcome.cost.toFixed(3)}`,
            ...made.map((m) => `made ${printable(m.name)} — ${printable(rel(m.from))} in ${printable(m.language)}`),
            ...outcome.made.flatMap((m) => (m.made.kind === 'noText' ? [`left alone ${printable(rel(m.target.uri))}: no text in it`] : [])),
            ...outcome.failed.map((f) => `failed ${printable(rel(f.target.uri))}: ${f.message}`),
            ...run.unwritten.map((u) => `not written: ${printable(u)}`),
            ...(outcome.stopped ? [`stopped: ${outcome.stopped}`] : []),
          ],
          translateRunFacts(s, facts, run),
          made,
        );
        return made.length || !outcome.failed.length ? ran : { ...ran, isError: true };
      } catch (e: unknown) {
        return failure(e);
      }
    },
  );

  server.registerTool(
    'check_images',
    {
      title: 'Check the images of a docs tree',
      description:
        'Spends nothing. Lists every image the markdown files under `path` link to that is missing, stale (made by Illustrate from an alt text that has changed since), or linked with an alt text that cannot describe it or with none (write_alt_text fixes those two), each with its document:line and what to do.',
      inputSchema: {
        path: TREE_PATH,
        only: z
          .array(z.enum(['missing', 'stale', 'alt', 'review']))
          .max(4)
          .optional()
          .describe('Only these findings (default: all): missing images, stale images, alt text (missing or generic), images whose last review failed.'),
      },
      outputSchema: CHECK_OUTPUT,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async (args, extra) => {
      try {
        const { s, at } = await open([args.path]);
        const rel = (p: string): string => s.workspace.relative(p);
        const checked = await checkImages(s, args.path ? [at(args.path)] : [], () => extra.signal.aborted);
        const { plan } = checked;
        const kinds = args.only?.length ? checkKinds(args.only.join(',')) : undefined;
        const findings = kinds ? checked.findings.filter((f) => kinds.has(f.kind)) : checked.findings;
        return result(
          [
            `${findings.length} finding(s) in ${plan.documents} document(s)`,
            ...findings.map((f) => `${printable(rel(f.document))}:${f.line}  ${printable(f.link.slice(0, 200))} — ${f.kind}: ${printable(f.message)} (${printable(f.fix)})`),
          ],
          { documents: plan.documents, findings: findings.map((f) => ({ kind: f.kind, document: rel(f.document), line: f.line, link: f.link, file: rel(f.file), message: f.message, fix: f.fix })) },
        );
      } catch (e: unknown) {
        return failure(e);
      }
    },
  );

  server.registerTool(
    'list_models',
    {
      title: 'List the image models',
      description: 'The image models the configured endpoint offers, with their price per image.',
      inputSchema: {},
      outputSchema: MODELS_OUTPUT,
      annotations: { readOnlyHint: true, openWorldHint: true },
    },
    async (_args, extra) => {
      try {
        const { s } = await open([]);
        const settings = s.configured.settings;
        const listing = await listImageModels(settings.baseUrl, settings.authHeader, s.configured.key, AbortSignal.any([extra.signal, AbortSignal.timeout(30_000)]), nodeFetch);
        const quoted = listing.models.map((m) => ({ m, ...quotedPrice(m.known, settings.imageSize) }));
        return result(
          [
            ...(listing.fallbackReason ? [`(Illustrate's own table: ${listing.fallbackReason})`] : []),
            ...quoted.map(({ m, size, price }) => `${m.id} — ${m.label} · ${price === undefined ? 'price unknown' : `${formatCost(price)} per image at ${size}`}${m.id === settings.model ? ' (current)' : ''}`),
          ],
          {
            current: settings.model,
            ...(listing.fallbackReason ? { fallback_reason: listing.fallbackReason } : {}),
            models: quoted.map(({ m, size, price }) => ({ id: m.id, label: m.label, listed: m.listed, size, ...(price === undefined ? {} : { price }) })),
          },
        );
      } catch (e: unknown) {
        return failure(e);
      }
    },
  );

  // The tool list never changes while the server runs: no `tools.listChanged` (the SDK declares it with the first tool).
  server.server.registerCapabilities({ tools: { listChanged: undefined } });

  // The endpoint every call uses, said once at start (a bad --api-key-file stops the server here).
  const serving = (await configure(cwd, env, endpoint, {}, log)).settings.baseUrl;
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => {
    transport.onclose = () => resolve();
    process.stdin.on('end', () => resolve());
  });
  await server.connect(transport);
  refuseUnknownTools(transport, TOOLS);
  log(`illustrate mcp: serving on stdio; endpoint ${new URL(serving).origin}; root ${roots.join(', ')} until the client lists its roots`);
  await closed;
}
