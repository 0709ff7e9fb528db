/**
 * Translated pictures for translated pages, for every host: the plan (which pictures a translated
 * page shares with its source page and that hold text, where each translation goes, which links
 * change), the run over a host interface (a cheap look for text where the record cannot say, the
 * image edit, the review against the translated words), and the result as data: the files to
 * write and the page edits, so a host applies them as one change (the editor: one WorkspaceEdit).
 * Each translation records `twinOf: {kind: 'translation', path, source, lang}`: `check` reports
 * it when its source changes and `fill --stale` makes it again.
 */
import * as l10n from '@vscode/l10n';
import { Describer } from '../api/describe';
import { GenerateInput, GeneratedImage, Generator } from '../api/generator';
import { estimateCost } from '../api/pricing';
import { MAX_REFERENCE_BYTES } from '../api/models';
import { TextEdit } from '../docs/altText';
import { DocImage, linkText } from '../docs/docScan';
import { localTarget } from '../docs/markdown';
import { SiteModel } from '../docs/sites';
import { htmlAttribute } from '../escape';
import { IllustrateError } from '../errors';
import { outputFor } from '../images/codec';
import { MIME_TYPES, referenceFormat } from '../images/imageFormat';
import { fingerprint, ImageMetadata, readProvenance, TwinOf, withMetadata } from '../images/metadata';
import { linkTarget, retargetLink } from '../images/placement';
import { basename, dirname, isInside, joinPath, relativePath } from '../paths';
import { optionsFromSettings, Settings } from '../settings';
import { plannedReviewModel, MadeReview, reviewMade } from '../review/made';
import { estimateReviewCost, Reviewer } from '../review/review';
import { FillHost, FillLink, FillOutcome, FillPlan, FillTarget } from '../fill/fill';
import { JobRunOptions, runOnImages } from '../fill/jobs';
import { PageTranslation, translatedPlace, TranslatedPlace, translationOf } from './pages';
import { languageName } from './language';
import { lookForText, TextLook, worstLookCost } from './textLook';
import { StaleTranslation } from './staleTranslations';

/** The words a page gives a picture, and the words its source page gives it. */
export interface TranslationWords {
  readonly alt: string;
  readonly caption?: string;
  readonly sourceAlt: string;
  readonly sourceCaption?: string;
}

/** One replacement in one page, with the page's text it was planned on. */
export interface PageEdit<L> {
  readonly document: L;
  readonly text: string;
  readonly edit: TextEdit;
}

/** A picture to translate: `uri` is the source picture (read and sent), `prompt` the translated words recorded with it. */
export interface TranslationTarget<L> extends FillTarget<L> {
  /** Where the translation is written. */
  readonly out: L;
  /** The locale as the pages' paths write it (the file name takes it). */
  readonly locale: string;
  /** The language tag (`ja`, `zh-CN`). */
  readonly lang: string;
  /** The language's name in English, for the instruction. */
  readonly language: string;
  readonly words: readonly TranslationWords[];
  /** `asked`: its record says the words asked for text; `look`: the describe model looks first, and a picture without text is left alone. */
  readonly text: 'asked' | 'look';
  /** `out` is a translation made before, of an older source: written over. */
  readonly replace: boolean;
  readonly rule: TranslatedPlace['rule'];
  /** The translated pages' link edits; none when nothing changes (MkDocs, a translation made again). */
  readonly edits: readonly PageEdit<L>[];
}

export interface TranslationSkip<L> {
  readonly file: L;
  readonly lang?: string;
  readonly document?: L;
  readonly line?: number;
  readonly reason: string;
}

export interface TranslationPlan<L> {
  readonly targets: readonly TranslationTarget<L>[];
  readonly skipped: readonly TranslationSkip<L>[];
  /** Pages scanned. */
  readonly documents: number;
}

/** What the plan needs of its host beyond the scan's: an image's first bytes (its record) and its whole bytes (its fingerprint). */
export interface TranslateHost<L> extends FillHost<L> {
  head(file: L): Promise<Uint8Array | undefined>;
  read(file: L): Promise<Uint8Array | undefined>;
}

/** Whether a locale asked for (`ja`, `zh-CN`, `zh`) takes a page's language tag: the same, or one is the other's language without its region or script. */
export function langMatches(asked: string, lang: string): boolean {
  const a = asked.toLowerCase().replace(/_/g, '-');
  const b = lang.toLowerCase().replace(/_/g, '-');
  return a === b || a.split('-')[0] === b || b.split('-')[0] === a;
}

/** Words that ask a picture for text: a quotation, or naming a label, a title, a caption… */
const TEXT_ASKED = /["“”「『«„]|\b(?:text|labels?|labell?ed|titled?|caption(?:ed)?|heading|button|says?|saying|reads|words?|lettering|legend)\b/i;

/** Whether the words a picture was made from ask for text in it. */
export function asksForText(prompt: string): boolean {
  return TEXT_ASKED.test(prompt.slice(0, 4000));
}

const RASTER = /\.(?:png|jpe?g|webp)$/i;

/**
 * A figure's caption right after an image: a `<figcaption>` within the figure, or a line of
 * emphasis alone (`*Figure 1: …*`) on the next line. Bounded: a few hundred characters are read.
 */
export function captionAfter(text: string, end: number): string | undefined {
  const after = text.slice(end, end + 600);
  const open = after.indexOf('<figcaption');
  if (open >= 0 && !after.slice(0, open).includes('</figure>')) {
    const start = after.indexOf('>', open);
    const close = after.indexOf('</figcaption>', start);
    if (start >= 0 && close > start) {
      const caption = after.slice(start + 1, close).replace(/<[^<>]{0,200}>/g, '').replace(/\s+/g, ' ').trim();
      return caption || undefined;
    }
  }
  const lines = after.split('\n');
  const next = (lines[0].trim() ? lines[0] : lines[1] ?? '').trim();
  const m = /^([*_])([^*_\n]{1,300})\1$/.exec(next);
  return m ? m[2].trim() : undefined;
}

/** The edit of one link that points a translated page at its translated picture; undefined when the link is code (an import) or not a local path. */
export function translatedLinkEdit(image: DocImage, documentPath: string, sourcePath: string, outPath: string): TextEdit | undefined {
  const local = image.imported ? undefined : localTarget(image.target);
  if (local === undefined) {
    return undefined;
  }
  const html = image.html === true;
  let target: string;
  if (dirname(outPath) === dirname(sourcePath)) {
    // Beside the source: the link keeps its style (`/img/x.png` → `/img/x.ja.png`, `./x.png` → `./x.ja.png`).
    target = retargetLink(local, image.bracketed || html, basename(outPath));
  } else {
    target = html ? relativePath(dirname(documentPath), outPath) : linkTarget(dirname(documentPath), outPath);
  }
  return { start: image.targetStart, end: image.targetEnd, text: html ? htmlAttribute(target) : target };
}

/** The words of each translated link, each with its source page's. */
async function wordsOf<L>(host: FillHost<L>, links: readonly FillLink<L>[], sourceLinks: readonly FillLink<L>[]): Promise<TranslationWords[]> {
  const captionOf = async (l: FillLink<L>): Promise<string | undefined> => captionAfter(await host.text(l.document).catch(() => ''), l.image.end);
  const source = sourceLinks[0];
  const sourceAlt = source?.image.alt.trim() ?? '';
  const sourceCaption = source ? await captionOf(source) : undefined;
  const out: TranslationWords[] = [];
  const seen = new Set<string>();
  for (const l of links) {
    const alt = l.image.alt.trim();
    const caption = await captionOf(l);
    const key = `${alt}\u0000${caption ?? ''}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push({ alt, sourceAlt, ...(caption ? { caption } : {}), ...(sourceCaption ? { sourceCaption } : {}) });
    }
  }
  return out;
}

interface Group<L> {
  readonly image: { readonly uri: L; readonly links: readonly FillLink<L>[] };
  readonly site: SiteModel;
  readonly translation: PageTranslation;
  /** Links that point at the source picture: they change to point at the translation. */
  readonly links: FillLink<L>[];
  /** Links that already point where the translation goes (a Docusaurus copy's relative link into its own tree, still missing). */
  readonly ready: FillLink<L>[];
  readonly sourceLinks: readonly FillLink<L>[];
}

/** Whether a file's record says it is a translation Illustrate made of `sourcePath` into `lang`. */
function translates(meta: ImageMetadata | undefined, outPath: string, sourcePath: string, lang: string): boolean {
  const twin = meta?.twinOf;
  return twin?.kind === 'translation' && langMatches(twin.lang ?? '', lang) && joinPath(dirname(outPath), twin.path) === sourcePath;
}

/**
 * The plan: for each picture that pages in the asked languages share with their source pages
 * (`langs`: language tags; all when empty), where its translation goes, which links change and
 * the words to use; and what is left alone, with why. `only` limits the translated pages.
 */
export async function planTranslations<L>(scanned: FillPlan<L>, host: TranslateHost<L>, langs: readonly string[], only?: (document: L) => boolean): Promise<TranslationPlan<L>> {
  const groups = new Map<string, Group<L>>();
  const unshared = new Map<string, TranslationSkip<L>>();
  for (const image of scanned.present ?? []) {
    for (const l of image.links) {
      if (!l.copy || (only && !only(l.document))) {
        continue;
      }
      const root = host.root(l.document);
      if (root === undefined) {
        continue;
      }
      const site = await host.site(l.document, root);
      const translation = translationOf(site, host.path(l.document));
      if (!translation || (langs.length && !langs.some((a) => langMatches(a, translation.lang)))) {
        continue;
      }
      const sourceLinks = image.links.filter((s) => translation.sources.includes(host.path(s.document)));
      const key = `${host.key(image.uri)}\u0000${translation.locale}`;
      if (!sourceLinks.length) {
        unshared.set(key, { file: image.uri, lang: translation.lang, document: l.document, line: l.line, reason: l10n.t('its source page does not link this picture: only the translated page has it') });
        continue;
      }
      const group = groups.get(key) ?? { image, site, translation, links: [], ready: [], sourceLinks };
      group.links.push(l);
      groups.set(key, group);
    }
  }
  // A Docusaurus copy keeps its page's relative links: they lead into the locale's own tree, where the picture is missing.
  const presentAt = new Map((scanned.present ?? []).map((p) => [host.key(p.uri), p]));
  for (const missing of scanned.targets) {
    for (const l of missing.links) {
      const root = l.copy && (!only || only(l.document)) ? host.root(l.document) : undefined;
      const site = root === undefined ? undefined : await host.site(l.document, root);
      const translation = site && translationOf(site, host.path(l.document));
      const tree = translation?.tree;
      if (!site || !translation || !tree || !isInside(host.path(missing.uri), tree.translated) || (langs.length && !langs.some((a) => langMatches(a, translation.lang)))) {
        continue;
      }
      const image = presentAt.get(host.key(host.at(missing.uri, joinPath(tree.source, host.path(missing.uri).slice(tree.translated.length + 1)))));
      const sourceLinks = image?.links.filter((s) => translation.sources.includes(host.path(s.document))) ?? [];
      if (image && sourceLinks.length) {
        const key = `${host.key(image.uri)}\u0000${translation.locale}`;
        const group = groups.get(key) ?? { image, site, translation, links: [], ready: [], sourceLinks };
        group.ready.push(l);
        groups.set(key, group);
      }
    }
  }
  const targets: TranslationTarget<L>[] = [];
  const skipped: TranslationSkip<L>[] = [];
  for (const [k, s] of unshared) {
    if (!groups.has(k)) {
      // Linked by the translated page alone: often the translation made before.
      const twin = readProvenance((await host.head(s.file).catch(() => undefined)) ?? new Uint8Array())?.twinOf;
      skipped.push(twin?.kind === 'translation' ? { ...s, reason: l10n.t('already translated: {0} is the translation of {1}', host.name(s.file), twin.path) } : s);
    }
  }
  for (const g of groups.values()) {
    const target = await planOne(g, host);
    if ('reason' in target) {
      skipped.push(target);
    } else {
      targets.push(target);
    }
  }
  return { targets, skipped, documents: scanned.documents };
}

/** One picture in one language: a target, or why it is left alone. */
async function planOne<L>(g: Group<L>, host: TranslateHost<L>): Promise<TranslationTarget<L> | TranslationSkip<L>> {
  const { image, translation, site } = g;
  const first = g.links[0] ?? g.ready[0];
  const skip = (reason: string): TranslationSkip<L> => ({ file: image.uri, lang: translation.lang, document: first.document, line: first.line, reason });
  const sourcePath = host.path(image.uri);
  if (!RASTER.test(sourcePath)) {
    return skip(l10n.t('not a PNG, JPEG or WebP picture'));
  }
  const meta = readProvenance((await host.head(image.uri).catch(() => undefined)) ?? new Uint8Array());
  if (meta?.twinOf) {
    return skip(meta.twinOf.kind === 'translation' ? l10n.t('it is itself a translation of another picture') : l10n.t('it is itself the dark twin of another picture'));
  }
  if (meta && !asksForText(meta.prompt)) {
    return skip(l10n.t('Illustrate made it from words that ask for no text, so there is nothing to translate'));
  }
  const place = translatedPlace(site, translation, sourcePath, host.path(first.document));
  const out = host.at(image.uri, place.path);
  let replace = false;
  if (await host.exists(out)) {
    const there = readProvenance((await host.head(out).catch(() => undefined)) ?? new Uint8Array());
    if (!translates(there, place.path, sourcePath, translation.lang)) {
      return skip(l10n.t('{0} is already there and is not a translation Illustrate made: move it, or link it by hand', host.name(out)));
    }
    const bytes = await host.read(image.uri).catch(() => undefined);
    if (bytes && there?.twinOf?.source === fingerprint(bytes)) {
      return skip(l10n.t('already translated: {0}', host.name(out)));
    }
    replace = true;
  }
  const edits: PageEdit<L>[] = [];
  if (place.relink && !replace) {
    for (const l of g.links) {
      const edit = translatedLinkEdit(l.image, host.path(l.document), sourcePath, place.path);
      if (!edit) {
        return skip(l10n.t('{0} names it in code (an import): change that page by hand', host.name(l.document)));
      }
      edits.push({ document: l.document, text: await host.text(l.document), edit });
    }
  }
  const words = await wordsOf(host, [...g.links, ...g.ready], g.sourceLinks);
  const prompt = words.find((w) => w.alt)?.alt ?? words[0]?.sourceAlt ?? meta?.prompt ?? '';
  return {
    uri: image.uri,
    prompt,
    links: [...g.links, ...g.ready],
    out,
    locale: translation.locale,
    lang: translation.lang,
    language: languageName(translation.lang),
    words,
    text: meta ? 'asked' : 'look',
    replace,
    rule: place.rule,
    edits,
  };
}

/** The edit instruction: every text into the language, everything else kept; the page's own words where it has them (as JSON strings). */
export function translationInstruction(language: string, lang: string, words: readonly TranslationWords[]): string {
  const lines = [
    `Edit the provided image: translate every piece of text in it into ${language} (${lang}).`,
    'Keep everything else exactly as it is: the layout, every position and size, the colours, the style and weight of the lettering, the icons, shapes, lines, arrows and the background. Put each translation where its original text was, fitted to the same space. Add, remove or move nothing else.',
    'Leave as they are: product and brand names, code, commands, file names, URLs and numbers.',
  ];
  const given = words.filter((w) => (w.alt && w.alt !== w.sourceAlt) || w.caption);
  if (given.length) {
    lines.push(`Use the words the ${language} page gives the picture where they fit:`);
    for (const w of given.slice(0, 8)) {
      if (w.alt && w.alt !== w.sourceAlt) {
        lines.push(`- alt text ${JSON.stringify(w.sourceAlt.slice(0, 500))} is ${JSON.stringify(w.alt.slice(0, 500))}`);
      }
      if (w.caption) {
        lines.push(`- caption ${JSON.stringify((w.sourceCaption ?? '').slice(0, 500))} is ${JSON.stringify(w.caption.slice(0, 500))}`);
      }
    }
  }
  return lines.join('\n');
}

/** What a target costs before it is bought: the look (when needed), the edit, the review (when on). */
export function translationEstimate<L>(targets: readonly TranslationTarget<L>[], settings: (t: TranslationTarget<L>) => Settings, lookModel: string): number | undefined {
  let total = 0;
  for (const t of targets) {
    const s = settings(t);
    const edit = estimateCost(s.model, s.imageSize, translationInstruction(t.language, t.lang, t.words), 1, 1, s.prices);
    const look = t.text === 'look' ? worstLookCost(lookModel, t.prompt, s.prices) : 0;
    const review = s.review === 'off' ? 0 : estimateReviewCost(plannedReviewModel(s), 1, s.prices);
    if (edit === undefined || look === undefined || review === undefined) {
      return undefined;
    }
    total += edit + look + review;
  }
  return total;
}

/** What the run needs of its host. */
export interface TranslateJobHost<L> {
  readonly generator: Generator;
  readonly describer: Describer;
  /** Reviews each translation against the translated words (`illustrate.review` not off). */
  readonly reviewer?: Reviewer;
  settings(target: TranslationTarget<L>): Settings;
  /** The source picture's bytes, through the host's one reader. */
  read(target: TranslationTarget<L>): Promise<Uint8Array | undefined>;
  name(location: L): string;
  path(location: L): string;
  /** Writes the result (the pictures and the page edits): the host's one change. Returns what could not be written, one message each. */
  apply(result: TranslationResult<L>): Promise<string[]>;
}

/** What one target came to. */
export type TranslationMade = { readonly kind: 'made'; readonly image: GeneratedImage; readonly review?: MadeReview } | { readonly kind: 'noText'; readonly look: TextLook };

/** The files to write and the page edits, as data: the host applies them as one change. */
export interface TranslationResult<L> {
  readonly files: readonly { readonly uri: L; readonly bytes: Uint8Array; readonly replace: boolean; readonly source: L }[];
  /** Each page once, with the text the edits were planned on; each edit names the file its link will point at (`to`). */
  readonly edits: readonly { readonly document: L; readonly text: string; readonly edits: readonly (TextEdit & { readonly to: L })[] }[];
}

export interface TranslationRun<L> {
  readonly outcome: FillOutcome<L, { readonly made: TranslationMade }, TranslationTarget<L>>;
  readonly result: TranslationResult<L>;
  /** Paid for but not written (a page changed meanwhile, say). */
  readonly unwritten: readonly string[];
}

/** The picture with its twin record (what it translates, that picture's fingerprint, the language). */
function withTwin(image: GeneratedImage, twinOf: TwinOf): GeneratedImage {
  const metadata: ImageMetadata = { ...image.metadata, twinOf };
  const bytes = image.format === 'gif' ? image.bytes : withMetadata(image.bytes, image.format, metadata, { width: image.width, height: image.height });
  return { ...image, bytes, metadata };
}

/**
 * Translates each target at Fill's pace (each held to the budget at its estimate): a picture the
 * record cannot vouch for is looked at first, and left alone when it holds no text; the rest are
 * edited into the language, reviewed against the translated words when reviews are on, and kept
 * with their twin record. Then the result (files and page edits) goes to the host as one change,
 * what was made being written even after a stop, since it was paid for.
 */
export async function runTranslateJob<L>(host: TranslateJobHost<L>, targets: readonly TranslationTarget<L>[], options: JobRunOptions & { readonly lookModel: string }): Promise<TranslationRun<L>> {
  // One look per source picture: its languages share the answer, and the first pays for it.
  const looks = new Map<string, Promise<TextLook>>();
  const outcome = await runOnImages<L, { made: TranslationMade }, TranslationTarget<L>>(
    { read: (t) => host.read(t), name: (l) => host.name(l) },
    targets,
    options,
    (t) => translationEstimate([t], (x) => host.settings(x), options.lookModel),
    async (target, bytes, run) => {
      const settings = host.settings(target);
      const format = referenceFormat(bytes);
      if (!format) {
        throw new IllustrateError('options', l10n.t('{0} is not a PNG, JPEG or WebP picture.', host.name(target.uri)));
      }
      if (bytes.length > MAX_REFERENCE_BYTES) {
        throw new IllustrateError('tooLarge', l10n.t('{0} is {1} MB; the API takes at most {2} MB per image. Save it smaller, then try again.', host.name(target.uri), (bytes.length / 1048576).toFixed(1), MAX_REFERENCE_BYTES / 1048576));
      }
      let spent = 0;
      if (target.text === 'look') {
        const key = host.path(target.uri);
        const asked = looks.get(key);
        const pending = asked ?? lookForText(host.describer, { bytes, format }, target.words[0]?.sourceAlt || target.prompt, settings, run);
        if (!asked) {
          looks.set(key, pending);
          // A look that failed is asked again by the next language.
          pending.catch(() => looks.delete(key));
        }
        const look = await pending;
        spent += asked ? 0 : (look.cost ?? 0);
        if (!look.hasText) {
          return { value: { made: { kind: 'noText', look } }, cost: spent };
        }
      }
      const instruction = translationInstruction(target.language, target.lang, target.words);
      const input: GenerateInput = {
        prompt: instruction,
        // The model keeps an edited picture's own shape when no aspect ratio is asked.
        options: { ...optionsFromSettings(settings), aspectRatio: '' },
        references: [{ mimeType: MIME_TYPES[format], data: bytes }],
        applyStyle: false,
        retryRateLimited: false,
        edit: { instruction, source: fingerprint(bytes) },
        recordAs: target.prompt,
        output: outputFor(host.path(target.out), settings.output),
      };
      let image = await host.generator.generate(input, settings, run);
      spent += image.cost ?? 0;
      let review: MadeReview | undefined;
      if (host.reviewer && settings.review !== 'off') {
        const r = await reviewMade({ reviewer: host.reviewer, generator: host.generator, budget: options.budget, stop: options.stop }, image, input, settings, settings.review, run);
        image = r.image;
        review = r.review;
        spent += r.review.reviewCost + r.review.retryCost;
      }
      const outPath = host.path(target.out);
      image = withTwin(image, { kind: 'translation', path: relativePath(dirname(outPath), host.path(target.uri)), source: fingerprint(bytes), lang: target.lang });
      return { value: { made: { kind: 'made', image, review } }, cost: spent };
    },
  );
  const result = translationResult(outcome.made, host.path);
  const unwritten = result.files.length || result.edits.length ? await host.apply(result) : [];
  return { outcome, result, unwritten };
}

/** The made pictures and their pages' edits, each page once (a link two targets share is changed once). */
export function translationResult<L>(made: readonly { readonly target: TranslationTarget<L>; readonly made: TranslationMade }[], path: (l: L) => string): TranslationResult<L> {
  const files: { uri: L; bytes: Uint8Array; replace: boolean; source: L }[] = [];
  const pages = new Map<string, { document: L; text: string; edits: Map<number, TextEdit & { to: L }> }>();
  for (const m of made) {
    if (m.made.kind !== 'made') {
      continue;
    }
    files.push({ uri: m.target.out, bytes: m.made.image.bytes, replace: m.target.replace, source: m.target.uri });
    for (const e of m.target.edits) {
      const key = path(e.document);
      const page = pages.get(key) ?? { document: e.document, text: e.text, edits: new Map<number, TextEdit & { to: L }>() };
      page.edits.set(e.edit.start, { ...e.edit, to: m.target.out });
      pages.set(key, page);
    }
  }
  return { files, edits: [...pages.values()].map((p) => ({ document: p.document, text: p.text, edits: [...p.edits.values()] })) };
}

/**
 * The stale translations as targets to make again in place (`fill --stale`): the source picture
 * edited again into the language, with the words of the pages that link the translation and of
 * the pages that link the source; no link changes. A source that is gone cannot be translated.
 */
export function staleTranslationTargets<L>(stale: readonly StaleTranslation<L>[], present: readonly { readonly uri: L; readonly links: readonly FillLink<L>[] }[], key: (l: L) => string): TranslationTarget<L>[] {
  const linksOf = new Map(present.map((p) => [key(p.uri), p.links]));
  return stale
    .filter((s) => !s.gone)
    .map((s) => {
      const sourceLinks = (linksOf.get(key(s.source)) ?? []).filter((l) => !l.copy);
      const sourceAlt = sourceLinks[0]?.image.alt.trim() ?? '';
      const alts = [...new Set(s.links.map((l) => l.image.alt.trim()).filter(Boolean))];
      const lang = s.twinOf.lang ?? '';
      return {
        uri: s.source,
        prompt: alts[0] ?? s.meta.prompt,
        links: s.links,
        out: s.twin,
        locale: lang,
        lang,
        language: languageName(lang),
        words: (alts.length ? alts : [s.meta.prompt]).map((alt) => ({ alt, sourceAlt })),
        text: 'asked' as const,
        replace: true,
        rule: 'besideSource' as const,
        edits: [],
      };
    });
}

/** A plan's line for one target, shared by the hosts: `SOURCE → OUT (ja, Japanese)`. */
export function targetLine<L>(t: TranslationTarget<L>, rel: (l: L) => string): string {
  return `${rel(t.uri)} → ${rel(t.out)} (${t.lang}, ${t.language})`;
}

/** Every link a target changes, as written in its page (for the plan). */
export function changedLinks<L>(t: TranslationTarget<L>): string[] {
  return t.links.filter((l) => t.edits.some((e) => e.edit.start === l.image.targetStart)).map((l) => linkText(l.image));
}
