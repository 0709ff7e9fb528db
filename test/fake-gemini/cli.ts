/** Runs the stand-in API server on its own: `node out/test/fake-gemini/cli.js [port]`. */
import { FAKE_KEY, FakeGemini } from './server';

const fake = new FakeGemini();
fake.start(Number(process.argv[2] ?? 0)).then((url) => {
  // One machine-readable line for the scripts that start it.
  console.log(JSON.stringify({ url, key: FAKE_KEY }));
});
const stop = (): void => {
  void fake.stop().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
