/**
 * Translated pictures on disk, for the command line and the MCP server: core's plan and run
 * (core/variants/translate) over the project's files, the result written as one change (each
 * picture inside the project, each page only if it did not change meanwhile).
 */
import * as fs from 'fs/promises';
import { Budget } from '../core/api/budget';
import { FillPlan, FillProgress, failureMessage, scanMissing } from '../core/fill/fill';
import { MAX_IMAGE_BYTES } from '../core/images/imageFormat';
import { dirname } from '../core/paths';
import { DEFAULT_DESCRIBE_MODEL } from '../core/api/describe';
import { runTranslateJob, staleTranslationTargets, TranslateHost, TranslationPlan, TranslationRun, TranslationTarget, planTranslations } from '../core/variants/translate';
import { staleTranslations } from '../core/variants/staleTranslations';
import { readSmallFile } from '../node/files';
import { readProjectFile } from '../node/realPath';
import { Session } from './run';

/** An image's first bytes, where Illustrate's record is. */
function head(file: string): Promise<Uint8Array | undefined> {
  return readSmallFile(file, 256 * 1024).then((r) => r?.bytes);
}

/** The plan's host: the scan's, with the record and whole-file readers (inside the project only). */
export function translateHost(s: Session): TranslateHost<string> {
  return { ...s.workspace.scanHost(), head, read: (file) => readProjectFile(s.workspace.root, file, MAX_IMAGE_BYTES) };
}

/**
 * What `illustrate variants --lang` would translate: the whole project is scanned (a translated
 * page's source page may be outside `paths`), and only translated pages under `paths` (all when
 * none) in the `langs` asked for are planned.
 */
export async function planLanguageVariants(s: Session, paths: readonly string[], langs: readonly string[], isCancelled?: () => boolean): Promise<TranslationPlan<string>> {
  const all = await s.workspace.markdownFiles([], s.configured.excludes);
  const chosen = paths.length ? new Set(await s.workspace.markdownFiles(paths, s.configured.excludes)) : undefined;
  const scanned = await scanMissing(all, s.workspace.scanHost(), isCancelled);
  const plan = await planTranslations(scanned, translateHost(s), langs, chosen ? (d) => chosen.has(d) : undefined);
  return { ...plan, documents: chosen ? chosen.size : plan.documents };
}

/** The translations `fill --stale` makes again: those whose source picture changed since. */
export async function planStaleTranslations(s: Session, plan: FillPlan<string>): Promise<TranslationTarget<string>[]> {
  const present = plan.present ?? [];
  const host = translateHost(s);
  return staleTranslationTargets(await staleTranslations(present, host), present, (p) => p);
}

/** Runs the translations at Fill's pace, then writes the pictures and the pages' links as one change. */
export function runLanguageVariants(s: Session, targets: readonly TranslationTarget<string>[], signal: AbortSignal, onProgress: (p: FillProgress) => void, stop?: AbortSignal, budget?: Budget): Promise<TranslationRun<string>> {
  const settings = s.configured.settings;
  const { workspace } = s;
  return runTranslateJob(
    {
      generator: s.generator,
      describer: s.describer,
      reviewer: s.reviewer,
      settings: () => settings,
      read: (t) => readProjectFile(workspace.root, t.uri, MAX_IMAGE_BYTES),
      name: (p) => workspace.relative(p),
      path: (p) => p,
      apply: async (result) => {
        const unwritten: string[] = [];
        const written = new Set<string>();
        for (const f of result.files) {
          try {
            const placement = { settings, prompt: '', model: settings.model, wanted: f.uri, link: { kind: 'none' } as const, replace: true };
            await workspace.preflight(placement);
            await fs.mkdir(dirname(f.uri), { recursive: true });
            await workspace.place(placement, f.bytes, /\.jpe?g$/i.test(f.uri) ? 'jpeg' : /\.webp$/i.test(f.uri) ? 'webp' : 'png');
            written.add(f.uri);
          } catch (e: unknown) {
            unwritten.push(failureMessage(e));
          }
        }
        // A link is pointed only at a picture that was written.
        for (const page of result.edits) {
          const edits = page.edits.filter((e) => written.has(e.to));
          if (edits.length) {
            await workspace.writeEdits(page.document, page.text, edits).catch((e: unknown) => unwritten.push(failureMessage(e)));
          }
        }
        return unwritten;
      },
    },
    targets,
    { concurrency: settings.fillConcurrency, signal, stop, onProgress, budget, lookModel: settings.describeModel || DEFAULT_DESCRIBE_MODEL },
  );
}
