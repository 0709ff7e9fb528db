import * as vscode from 'vscode';
import { generateInto, prepareGeneration } from '../platform/generation';
import { documentAt } from '../platform/commandArgs';
import { IllustrateError } from '../core/errors';
import { DocImage } from '../core/docs/docScan';
import { basename, relativePath } from '../core/paths';
import { linkedImageNear } from '../platform/imageLinks';
import { uriExists } from '../platform/placement';
import { showFailure, showSaved, withGenerationProgress } from '../platform/feedback';
import { Anchor, LinkPlacement, scopeFor } from '../platform/placement';
import { pageHead, resolveTarget } from '../platform/sites';
import { CommandResult, Services } from '../platform/services';
import { isMarkdownDocument } from '../platform/markdownDocuments';
import { twinOfGenerated } from './darkTwins';


async function findImage(args: unknown): Promise<{ document: vscode.TextDocument; image: DocImage }> {
  // The Quick Fix's own arguments, else the cursor: arguments Illustrate did not issue pick nothing.
  const at = await documentAt(args);
  const document = at?.document;
  const offset = at && document?.offsetAt(at.position);
  if (!document || !isMarkdownDocument(document) || offset === undefined) {
    throw new IllustrateError('options', vscode.l10n.t('Open a markdown file and put the cursor in an image such as ![a diagram of the build](images/build.png), then run the command again.'));
  }
  const image = linkedImageNear(document, document.positionAt(offset));
  if (!image) {
    throw new IllustrateError('options', vscode.l10n.t('The cursor is not in a markdown image. Put it inside ![alt text](path) and run the command again.'));
  }
  if (!image.alt.trim()) {
    throw new IllustrateError('options', vscode.l10n.t('This image has no alt text to use as the prompt. Describe the picture between "![" and "]", then run the command again.'));
  }
  return { document, image };
}

export async function generateFromAltText(services: Services, args?: unknown): Promise<CommandResult> {
  let anchor: Anchor | undefined;
  try {
    const { document, image } = await findImage(args);
    const scope = scopeFor(document.uri);
    const wanted = await resolveTarget(document.uri, scope.root, image.target, image.html === true && !image.imported, services.sites.sites, false, pageHead(document));
    if (image.imported && (!wanted || (await uriExists(wanted)))) {
      // The page's code names the file: it is made exactly there, or not at all (the import is never rewritten).
      throw new IllustrateError('options', wanted ? vscode.l10n.t('{0} already exists. Open it, or use Regenerate on it.', basename(wanted.path)) : vscode.l10n.t('The page imports {0}, which is not a file of this workspace.', image.target));
    }
    // The link's own format is written (an .avif link is refused here, before anything is bought).
    const prepared = await prepareGeneration(image.alt.trim(), scope, wanted, image.target);
    // The link target's place is tracked like an insertion, in case the user types meanwhile.
    anchor = new Anchor(document, image.targetStart);
    const link: LinkPlacement = image.imported ? { kind: 'none' } : { kind: 'retarget', anchor, image, html: image.html === true };
    return await withGenerationProgress(services, vscode.l10n.t('Illustrate: generating image from alt text'), async (signal, onProgress) => {
      const { image: generated, placed } = await generateInto(services, prepared, link, signal, onProgress);
      if (link.kind !== 'none' && prepared.settings.darkTwins) {
        await twinOfGenerated(services, document.uri, placed.file);
      }
      return { ok: true, message: showSaved(services, generated, relativePath(scope.root.path, placed.file.path)), file: placed.file.toString() };
    });
  } catch (e: unknown) {
    return showFailure(services, e);
  } finally {
    anchor?.dispose();
  }
}
