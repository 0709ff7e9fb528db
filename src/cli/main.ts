/**
 * `illustrate`: Illustrate's command-line tool, for docs pipelines and CI. The editor's core
 * (scan, plan, run, names, links, messages) with the files on disk.
 *
 * Exit codes: 0 all done, 1 some images failed, 2 usage error, 3 key missing or refused,
 * 4 nothing could be reached.
 */
import * as l10n from '@vscode/l10n';
import { IllustrateError } from '../core/errors';
import { failureMessage } from '../core/fill/fill';
import { altCommand } from './commands/alt';
import { checkCommand } from './commands/check';
import { fillCommand } from './commands/fill';
import { generateCommand } from './commands/generate';
import { mcpCommand } from './commands/mcp';
import { modelsCommand } from './commands/models';
import { variantsCommand } from './commands/variants';
import { reviewCommand } from './commands/review';
import { UsageError } from './config';
import { help } from './help';
import { actionsIo, exitCodeOf, Io } from './output';
import { VERSION } from './version';

/**
 * Runs one command line; returns the exit code. Every failure is one line on stderr. `stop` asks
 * a fill to start nothing new and let the requests in flight finish (the first Ctrl+C); `signal`
 * aborts everything (the second). Other commands stop at once on either.
 */
export async function run(argv: string[], terminal: Io, signal: AbortSignal, stop: AbortSignal = signal): Promise<number> {
  const io = process.env.GITHUB_ACTIONS ? actionsIo(terminal) : terminal;
  const [command, ...rest] = argv;
  const either = AbortSignal.any([signal, stop]);
  try {
    switch (command) {
      case 'generate':
        return await generateCommand(rest, io, either);
      case 'fill':
        return await fillCommand(rest, io, signal, stop);
      case 'models':
        return await modelsCommand(rest, io, either);
      case 'check':
        return await checkCommand(rest, io, either);
      case 'alt':
        return await altCommand(rest, io, signal, stop);
      case 'review':
        return await reviewCommand(rest, io, signal, stop);
      case 'mcp':
        return await mcpCommand(rest, io);
      case 'variants':
        return await variantsCommand(rest, io, signal, stop);
      case '--version':
      case '-v':
        io.out(VERSION);
        return 0;
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        (command === undefined ? io.err : io.out)(help());
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(l10n.t('Unknown command "{0}". Commands: generate, fill, check, alt, review, variants, models, mcp (see illustrate --help).', command.slice(0, 40)));
    }
  } catch (e: unknown) {
    if (e instanceof UsageError) {
      io.err(`illustrate: ${e.message}`);
      return 2;
    }
    if (e instanceof IllustrateError) {
      io.err(`illustrate: ${e.message}`);
      return e.kind === 'cancelled' ? 130 : exitCodeOf(e.kind);
    }
    io.err(l10n.t('illustrate: {0} (run with --verbose for details)', failureMessage(e)));
    if (argv.includes('--verbose')) {
      io.err(String((e as Error)?.stack ?? e));
    }
    return 1;
  }
}
