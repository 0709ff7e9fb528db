/** `illustrate --help`: the one usage text, shown by every command's --help and by a bare `illustrate`. */
import * as l10n from '@vscode/l10n';
import { translationHelp } from './helpLang';

export function help(): string {
  return l10n.t(`illustrate: AI images for your docs, from the command line (Gemini "Nano Banana" models)

Usage:
  illustrate generate "PROMPT" [-o PATH] [--into DOC.md[:LINE]] [--model ID] [--aspect RATIO]
                     [--size SIZE] [--ref IMAGE]... [--style TEXT | --no-style] [--json]
                     [--format png|jpeg|webp] [--quality 1-100] [--max-width PX] [--site GEN[:DIR]]
                     [--review off|report|retry] [--transparent]
  illustrate fill [PATH...] [--dry-run] [--yes] [--concurrency N] [--batch [--no-wait]]
                  [--job NAME [--no-wait]] [--json] [--report FILE]
                  [--format png|jpeg|webp] [--quality 1-100] [--max-width PX]
                  [--site GEN[:DIR]] [--stale] [--review off|report|retry]
  illustrate check [PATH...] [--json] [--format text|github] [--only missing,stale,alt,review]
                   [--site GEN[:DIR]]
  illustrate alt [PATH...] [--dry-run] [--yes] [--json] [--describe-model ID]
  illustrate review [PATH...] [--dry-run] [--yes] [--json] [--review-model ID]
  illustrate variants IMAGE... --transparent [-o PATH] [--dry-run] [--yes] [--json]
  illustrate variants [PATH...] --dark [--dry-run] [--yes] [--json]
  illustrate variants [PATH...] --lang ja,zh-CN|all [--dry-run] [--yes] [--json]
  illustrate models [--json]
  illustrate mcp [--base-url URL] [--auth-header H] [--api-key-file FILE] [--describe-model ID]
                 [--review-model ID]  run the MCP server over stdio (for agents)

generate   Makes one image and prints its path and markdown link. With --into, the link goes
           into the document: where a missing link with this prompt (or -o path) already is,
           else at LINE, else at the end.
fill       Finds every image the markdown files link to but that does not exist, and makes
           it from its alt text. Without --yes it shows the plan and cost and asks on a
           terminal; elsewhere it prints the plan and spends nothing.
           --batch sends one Batch API job at half price and waits for it; with --no-wait it
           prints the job's name and exits. --job NAME picks that job up later (from any
           checkout of the same docs): it places what is ready, or with --no-wait says the
           job is still running and spends nothing.
           --stale makes again, in place, the images Illustrate made whose alt text changed
           since (what illustrate check calls stale), with the same plan and question.
           --report FILE writes the run as markdown: each image a thumbnail with its
           review, failed reviews first.
--review   After generate and fill (not --batch) make a picture, a Gemini text model checks
           it against its words: text spelled as asked, the subject there, nothing unasked,
           no obvious defects. report (the default, or illustrate.review) prints the verdict
           and keeps it in the file; retry makes a failed picture once more with the reasons
           and keeps the better one; off reviews nothing. The plan shows what reviews cost.
           A failed review does not change the exit code.
check      Spends nothing: lists every image that is missing, stale (made by Illustrate from
           an alt text that has changed since), linked with an alt text that cannot
           describe it or with none, or whose last review failed, one line each with what
           to run; --format github prints GitHub Actions annotations; --only limits it to
           some of missing, stale, alt and review. Exit 1 when it finds anything.
alt        Finds every image whose alt text is missing or describes nothing ("image", a file
           name), describes it with a Gemini text model (--describe-model) that sees the
           picture and the text around it, and writes the description as its alt text: only
           the alt text changes. Plan, cost and question as for fill.
review     Looks at every image the docs link to with a Gemini text model (--review-model):
           Illustrate's against the prompt, style and edit they were made from, others
           against their alt text. It checks that quoted text is spelled exactly, the subject
           and its stated parts are there, nothing unasked (a frame, a watermark, a mock-up)
           and no obvious defects. Each verdict is kept in the image Illustrate made, for
           illustrate check. Plan, cost and question as for fill; exit 1 when a picture failed
           its review or could not be reviewed.
models     The image models the endpoint offers, with their prices.

Key, endpoint and what alt text and reviews buy (never read from the repository):
  ILLUSTRATE_API_KEY or GEMINI_API_KEY   the API key (or --api-key-file FILE outside the project)
  --base-url URL / ILLUSTRATE_BASE_URL   default https://api.apiyi.com (Google's own endpoint
                                         when only GEMINI_API_KEY is set)
  --auth-header auto|bearer|x-goog-api-key / ILLUSTRATE_AUTH_HEADER
  --describe-model ID / ILLUSTRATE_DESCRIBE_MODEL   the text model that writes alt text
                                         (default: the cheapest Flash-Lite the endpoint lists)
  --review-model ID / ILLUSTRATE_REVIEW_MODEL       the text model that reviews pictures
                                         (default: the describe model)

Destination, file name, style, model and sizes come from .vscode/settings.json (illustrate.*)
in the current folder, the project root. Nothing is written outside it.

Exit codes: 0 done, 1 some images failed, 2 usage error, 3 key missing or refused,
            4 the endpoint could not be reached.
`) + transparencyHelp() + translationHelp();
}

/** The transparency commands, a section of its own. */
function transparencyHelp(): string {
  return l10n.t(`
Transparent backgrounds (image models cannot draw one: each picture is rendered on pure white,
that render is edited onto pure black, and the alpha is worked out from the two; two image calls):
  illustrate generate "PROMPT" --transparent [-o PATH.png|PATH.webp] [generate's other options]
  illustrate variants IMAGE... --transparent [-o PATH] [--dry-run] [--yes] [--json]

variants   Makes images already there transparent: each is edited onto white, then onto black,
           and written over itself as a PNG or WebP with alpha (a JPEG needs -o NAME.png).
           Plan, cost and question as for fill. If the two renders do not line up (the model
           moved something), nothing is written and the message says so: try again.
           With --dark: each image the pages under PATH link gets its dark twin (one edit: the
           same picture for a dark background), written beside it as NAME.dark.EXT
           (illustrate.variants.darkSuffix), and each link switches to it in dark mode in the
           markup its site uses (<picture>; Docusaurus and MkDocs Material: their fragments).
           A twin already there is not made again.
`);
}
