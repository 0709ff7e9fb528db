/** The MCP tool `translate_images` (`illustrate variants --lang`): its output schema and its facts as data. */
import { pathToFileURL } from 'url';
import { z } from 'zod';
import { madeReviewJson } from '../core/review/made';
import { TranslationPlan, TranslationRun } from '../core/variants/translate';
import { Session } from './run';

const file = z.string().describe('A file, relative to the root (/ separators).');
const dollars = z.number().min(0);

export const TRANSLATE_OUTPUT = {
  dry_run: z.boolean().describe('True when nothing was translated (dry_run, or nothing to translate).'),
  documents: z.number().int().min(0),
  model: z.string(),
  estimated_cost: dollars.optional().describe('The plan\'s estimate (looks, edits and reviews); absent when a price is unknown.'),
  planned: z
    .array(
      z.object({
        file: file.describe('The source picture, edited into the language.'),
        out: file.describe('Where its translation is written.'),
        lang: z.string().describe('The language tag (ja, zh-CN).'),
        language: z.string().describe('The language in English.'),
        text: z.enum(['asked', 'look']).describe('asked: its record says its words asked for text; look: the describe model looks first, and a picture without text is left alone.'),
        replaces: z.boolean().describe('True when out is an older translation, written over.'),
        pages: z.array(file).describe('The translated pages whose link changes to out (none for MkDocs\' i18n plugin, which picks NAME.<lang>.EXT itself).'),
      }),
    )
    .describe('Every picture of the plan.'),
  skipped: z.array(z.object({ file, lang: z.string().optional(), reason: z.string() })).describe('Pictures left alone, and why.'),
  made: z.array(z.object({ file, uri: z.string(), source: file, lang: z.string(), cost: dollars.optional(), review: z.record(z.string(), z.unknown()).optional() })).describe('Translations written (each also a resource_link in the content).'),
  no_text: z.array(z.object({ file, lang: z.string() })).describe('Pictures the describe model saw no text in: left alone.'),
  pages_changed: z.array(file).describe('Pages whose links now point at a translation.'),
  failed: z.array(z.object({ file, message: z.string() })),
  not_started: z.array(file),
  not_written: z.array(z.string()).describe('Paid for but not written (a page changed meanwhile, say).'),
  cost: dollars.describe('What the run spent (0 for a dry run).'),
  stopped: z.string().optional(),
};

/** The plan as the tool's facts (nothing run yet). */
export function translateFacts(s: Session, plan: TranslationPlan<string>, cost: number | undefined): Record<string, unknown> {
  const rel = (p: string): string => s.workspace.relative(p);
  return {
    dry_run: true,
    documents: plan.documents,
    model: s.configured.settings.model,
    ...(cost === undefined ? {} : { estimated_cost: cost }),
    planned: plan.targets.map((t) => ({ file: rel(t.uri), out: rel(t.out), lang: t.lang, language: t.language, text: t.text, replaces: t.replace, pages: [...new Set(t.edits.map((e) => rel(e.document)))] })),
    skipped: plan.skipped.map((k) => ({ file: rel(k.file), ...(k.lang ? { lang: k.lang } : {}), reason: k.reason })),
    made: [],
    no_text: [],
    pages_changed: [],
    failed: [],
    not_started: [],
    not_written: [],
    cost: 0,
  };
}

/** What a run came to, over the plan's facts. */
export function translateRunFacts(s: Session, facts: Record<string, unknown>, run: TranslationRun<string>): Record<string, unknown> {
  const rel = (p: string): string => s.workspace.relative(p);
  const { outcome } = run;
  return {
    ...facts,
    dry_run: false,
    made: outcome.made.flatMap((m) =>
      m.made.kind === 'made' ? [{ file: rel(m.target.out), uri: pathToFileURL(m.target.out).href, source: rel(m.target.uri), lang: m.target.lang, ...(m.made.image.cost === undefined ? {} : { cost: m.made.image.cost }), ...(m.made.review ? { review: madeReviewJson(m.made.review) } : {}) }] : [],
    ),
    no_text: outcome.made.flatMap((m) => (m.made.kind === 'noText' ? [{ file: rel(m.target.uri), lang: m.target.lang }] : [])),
    pages_changed: run.result.edits.map((e) => rel(e.document)),
    failed: outcome.failed.map((f) => ({ file: rel(f.target.uri), message: f.message })),
    not_started: outcome.cancelled.map((t) => rel(t.uri)),
    not_written: [...run.unwritten],
    cost: outcome.cost,
    ...(outcome.stopped ? { stopped: outcome.stopped } : {}),
  };
}
