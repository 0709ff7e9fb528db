import * as assert from 'assert';
import * as vscode from 'vscode';
import { HistoryEntry, StudioStore } from '../../src/studio/store';
import { FlakyFs } from './flakyFs';

const OPTIONS = { model: 'gemini-3.1-flash-image', aspectRatio: '1:1', imageSize: '1K', thinkingLevel: 'minimal' as const, includeText: false };

function entry(id: string, file = `${id}.png`): HistoryEntry {
  return {
    id,
    date: new Date().toISOString(),
    prompt: `prompt ${id}`,
    options: OPTIONS,
    variants: 1,
    references: [],
    images: [{ id: `img-${id}`, file, format: 'png', width: 1, height: 1, bytes: 1, tokens: 1, cost: 0, texts: [], thoughts: [], textParts: [] }],
    errors: [],
    durationMs: 1,
  };
}

describe('Image Studio history store, through vscode.workspace.fs', () => {
  const flaky = new FlakyFs();
  let registration: vscode.Disposable;
  let n = 0;

  before(() => {
    registration = vscode.workspace.registerFileSystemProvider('illustrate-flaky', flaky);
  });
  after(() => registration.dispose());

  function newStore(reports: string[]): StudioStore {
    const dir = vscode.Uri.from({ scheme: 'illustrate-flaky', path: `/store${n++}` });
    return new StudioStore(dir, () => 200, (m) => reports.push(m));
  }

  function index(store: StudioStore): HistoryEntry[] {
    return JSON.parse(Buffer.from(flaky.files.get(`${store.dir.path}/history.json`)!).toString('utf8')) as HistoryEntry[];
  }

  it('a failed write is reported once, does not block later writes, and the next write saves everything', async () => {
    const reports: string[] = [];
    const store = newStore(reports);
    await store.add(entry('a'));
    flaky.failWrites = true;
    await store.add(entry('b'));
    await store.add(entry('c'));
    assert.strictEqual(reports.length, 1, `one report for the failing streak: ${reports.join(' | ')}`);
    assert.match(reports[0], /could not be saved \(.*No space left on device.*\)/);
    assert.deepStrictEqual(index(store).map((e) => e.id), ['a'], 'the last good index is untouched');
    flaky.failWrites = false;
    await store.add(entry('d'));
    assert.deepStrictEqual(index(store).map((e) => e.id), ['d', 'c', 'b', 'a']);
    assert.ok(![...flaky.files.keys()].some((k) => k.startsWith(store.dir.path) && k.endsWith('.tmp')), 'no temporary file left');
  });

  it('a damaged index is kept aside and reported, never overwritten', async () => {
    const reports: string[] = [];
    const store = newStore(reports);
    flaky.dirs.add(store.dir.path);
    flaky.files.set(`${store.dir.path}/history.json`, Buffer.from('[{"id":"x","images":[], "prompt": "half'));
    assert.deepStrictEqual(await store.load(), []);
    const aside = [...flaky.files.keys()].filter((k) => k.startsWith(`${store.dir.path}/history.json.corrupt-`));
    assert.strictEqual(aside.length, 1);
    assert.strictEqual(Buffer.from(flaky.files.get(aside[0])!).toString('utf8'), '[{"id":"x","images":[], "prompt": "half');
    assert.strictEqual(reports.length, 1);
    assert.match(reports[0], /could not be read.*kept as/);
    await store.add(entry('new'));
    assert.deepStrictEqual(index(store).map((e) => e.id), ['new']);
    assert.ok(flaky.files.has(aside[0]), 'the damaged file is still there');
  });

  it('two loads at once read once and give the same list', async () => {
    const store = newStore([]);
    flaky.dirs.add(store.dir.path);
    flaky.files.set(`${store.dir.path}/history.json`, Buffer.from(JSON.stringify([entry('one')])));
    flaky.files.set(`${store.dir.path}/one.png`, Buffer.from('x'));
    const [a, b] = await Promise.all([store.load(), store.load()]);
    assert.strictEqual(a, b);
    assert.deepStrictEqual(a.map((e) => e.id), ['one']);
  });

  it('files no entry refers to are swept on load; referenced ones stay', async () => {
    const store = newStore([]);
    flaky.dirs.add(store.dir.path);
    flaky.files.set(`${store.dir.path}/history.json`, Buffer.from(JSON.stringify([entry('kept')])));
    flaky.files.set(`${store.dir.path}/kept.png`, Buffer.from('x'));
    flaky.files.set(`${store.dir.path}/orphan.png`, Buffer.from('x'));
    flaky.files.set(`${store.dir.path}/history.json.1234.tmp`, Buffer.from('[]'));
    await store.load();
    const left = [...flaky.files.keys()].filter((k) => k.startsWith(`${store.dir.path}/`)).map((k) => k.slice(store.dir.path.length + 1)).sort();
    assert.deepStrictEqual(left, ['history.json', 'kept.png']);
  });
});
