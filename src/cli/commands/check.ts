/** `illustrate check`: what the images need (missing, stale, alt text, a failed review), as text, JSON or GitHub Actions annotations. */
import * as l10n from '@vscode/l10n';
import { actionsAnnotation, printable } from '../../core/escape';
import { CHECK_GROUPS, checkKinds } from '../../core/fill/check';
import { parse, start } from '../args';
import { UsageError } from '../config';
import { help } from '../help';
import { annotate, Io } from '../output';
import { checkImages } from '../run';

/** `illustrate check`: what the images need, spending nothing; exit 1 when anything does. */
export async function checkCommand(args: string[], io: Io, signal: AbortSignal): Promise<number> {
  const { values, positionals } = parse(args, { format: { type: 'string' }, site: { type: 'string' }, only: { type: 'string' } });
  if (values.bool('help')) {
    io.out(help());
    return 0;
  }
  const format = values.str('format') ?? 'text';
  if (!['text', 'github'].includes(format)) {
    throw new UsageError(l10n.t('--format takes text or github.'));
  }
  const only = values.str('only');
  const kinds = only === undefined ? undefined : checkKinds(only);
  if (only !== undefined && !kinds) {
    throw new UsageError(l10n.t('--only takes a comma-separated list of {0}.', Object.keys(CHECK_GROUPS).join(', ')));
  }
  const s = await start(io, values, {});
  const checked = await checkImages(s, positionals, () => signal.aborted);
  const { plan } = checked;
  const findings = kinds ? checked.findings.filter((f) => kinds.has(f.kind)) : checked.findings;
  const rel = (p: string): string => s.workspace.relative(p);
  if (values.bool('json')) {
    io.out(JSON.stringify({ documents: plan.documents, findings: findings.map((f) => ({ kind: f.kind, document: rel(f.document), line: f.line, link: f.link, file: rel(f.file), message: f.message, fix: f.fix })) }));
  } else if (format === 'github') {
    for (const f of findings) {
      annotate(io, actionsAnnotation('warning', { file: rel(f.document), line: f.line, title: `Illustrate: ${f.kind}` }, `${f.link} — ${f.message}. Run: ${f.fix}`));
    }
  } else {
    for (const f of findings) {
      io.out(`${printable(rel(f.document))}:${f.line}  ${printable(f.link.slice(0, 200))}  — ${printable(f.message)} (${printable(f.fix)})`);
    }
  }
  const counts = { missing: 0, stale: 0, staleTranslation: 0, genericAlt: 0, missingAlt: 0, reviewFailed: 0 };
  findings.forEach((f) => counts[f.kind]++);
  const documents = plan.documents === 1 ? l10n.t('1 document') : l10n.t('{0} documents', plan.documents);
  const reviewed = counts.reviewFailed ? l10n.t(' · {0} whose last review failed', counts.reviewFailed) : '';
  io.err(l10n.t('illustrate check: {0} · {1} missing · {2} stale · {3} with an alt text that cannot describe the picture · {4} without alt text', documents, counts.missing, counts.stale + counts.staleTranslation, counts.genericAlt, counts.missingAlt) + reviewed);
  return findings.length ? 1 : 0;
}
