/** The `illustrate` executable: the terminal, Ctrl+C, the exit code. */
import * as l10n from '@vscode/l10n';
import * as readline from 'readline';
import { useLocale } from './locale';
import { run } from './main';
import { Io } from './output';

function terminalIo(): Io {
  const interactive = process.stdin.isTTY === true && process.stderr.isTTY === true;
  return {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    interactive,
    ask: (question) =>
      new Promise((resolve) => {
        const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
        rl.question(question, (answer) => {
          rl.close();
          resolve(answer);
        });
      }),
    progress: (line) => process.stderr.write(`\r\x1b[2K${line}`),
  };
}

export function main(): void {
  useLocale(process.env);
  // Gateways bill a request the client abandons: the first Ctrl+C starts nothing new and lets the
  // requests in flight finish and be placed; the second aborts them; a third quits at once.
  const stop = new AbortController();
  const abort = new AbortController();
  process.on('SIGINT', () => {
    if (!stop.signal.aborted) {
      process.stderr.write(l10n.t('\nillustrate: stopping: no new image is started; the requests in flight finish and are placed (Ctrl+C again to abort them)\n'));
      stop.abort();
    } else if (!abort.signal.aborted) {
      process.stderr.write(l10n.t('\nillustrate: aborting the requests in flight (finished images stay; Ctrl+C again to quit now)\n'));
      abort.abort();
    } else {
      process.exit(130);
    }
  });
  void run(process.argv.slice(2), terminalIo(), abort.signal, stop.signal).then((code) => {
    process.exitCode = code;
    // Idle keep-alive sockets must not hold the exit up; output already written is flushed first.
    setTimeout(() => process.exit(code), 1000).unref();
  });
}

main();
