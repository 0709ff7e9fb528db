import * as assert from 'assert';
import { IllustrateError } from '../../src/core/errors';
import { ImageData, JsonStreamParser } from '../../src/core/api/jsonStream';
import { parseAnswerStream } from '../../src/core/api/response';
import { makeJpeg, makePng } from '../fake-gemini/images';
import { joinWithInsert, metadataInsert } from '../../src/core/images/metadata';

async function* pieces(bytes: Buffer, cuts: number[]): AsyncIterable<Uint8Array> {
  let at = 0;
  for (const cut of [...cuts, bytes.length]) {
    if (cut > at) {
      yield bytes.subarray(at, cut);
      at = cut;
    }
  }
}

const draft = makePng(16, 9, { tint: 200 });
const final = makeJpeg(24, 16);
// Odd sizes, so the base64 ends with padding and quadruples straddle many cut points.
assert.ok(final.length % 3 !== 0 || draft.length % 3 !== 0);

const answer = {
  candidates: [
    {
      content: {
        role: 'model',
        parts: [
          { text: 'Planning \u00e9\u2014\ud83c\udf4c "quoted" \\ back\nslash', thought: true },
          { inlineData: { mimeType: 'image/png', data: draft.toString('base64') }, thought: true },
          { text: 'Voil\u00e0 \ud83c\udf4c', thoughtSignature: 'c2lnLTE=' },
          { inlineData: { mimeType: 'image/png', data: final.toString('base64') }, thoughtSignature: 'c2lnLTI=' },
        ],
      },
      finishReason: 'STOP',
    },
  ],
  usageMetadata: { promptTokenCount: 12, candidatesTokenCount: 1120, totalTokenCount: 1312 },
  modelVersion: 'fake-001',
};
// Escape every non-ASCII character as \uXXXX, as some servers do, so cuts fall inside escapes.
const escaped = Buffer.from(JSON.stringify(answer).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`), 'utf8');
const raw = Buffer.from(JSON.stringify(answer), 'utf8');

function check(parsed: Awaited<ReturnType<typeof parseAnswerStream>>, where: string): void {
  assert.deepStrictEqual(Buffer.concat(parsed.image.chunks), final, `final image at ${where}`);
  assert.strictEqual(parsed.format, 'jpeg', where);
  assert.strictEqual(parsed.mimeLabel, 'image/png', where);
  assert.deepStrictEqual(parsed.texts, ['Voil\u00e0 \ud83c\udf4c'], where);
  assert.deepStrictEqual(parsed.thoughts, ['Planning \u00e9\u2014\ud83c\udf4c "quoted" \\ back\nslash'], where);
  assert.strictEqual(parsed.usage.outputTokens, 1120, where);
  assert.strictEqual(parsed.usage.promptTokens, 12, where);
  assert.strictEqual(parsed.finishReason, 'STOP', where);
}

describe('streamed answer parser', () => {
  it('reads the whole answer in one chunk', async () => {
    check(await parseAnswerStream(pieces(raw, [])), 'one chunk');
  });

  it('reads the answer split at every byte boundary (UTF-8 inside multi-byte characters included)', async () => {
    for (let i = 1; i < raw.length; i++) {
      check(await parseAnswerStream(pieces(raw, [i])), `cut ${i}`);
    }
  });

  it('reads \\u-escaped text split at every byte boundary, inside the escapes and surrogate pairs', async () => {
    for (let i = 1; i < escaped.length; i++) {
      check(await parseAnswerStream(pieces(escaped, [i])), `cut ${i}`);
    }
  });

  it('reads the answer one byte at a time', async () => {
    const cuts = Array.from({ length: escaped.length }, (_, i) => i);
    check(await parseAnswerStream(pieces(escaped, cuts)), 'bytes');
  });

  it('cuts inside every position of a base64 quadruple of the final image', async () => {
    const start = escaped.indexOf(final.toString('base64').slice(0, 16));
    for (let k = 0; k < 8; k++) {
      const cuts = [start + k, start + k + 5, start + k + 6, start + k + 13];
      check(await parseAnswerStream(pieces(escaped, cuts)), `quad ${k}`);
    }
  });

  it('keeps thought images out: a draft before the final image is not the answer', async () => {
    const parsed = await parseAnswerStream(pieces(raw, [100, 200]));
    assert.notDeepStrictEqual(Buffer.concat(parsed.image.chunks), draft);
  });

  it('falls back to the last thought image when there is no final one', async () => {
    const only = JSON.parse(JSON.stringify(answer));
    only.candidates[0].content.parts.splice(3, 1);
    const parsed = await parseAnswerStream(pieces(Buffer.from(JSON.stringify(only)), [57]));
    assert.deepStrictEqual(Buffer.concat(parsed.image.chunks), draft);
  });

  it('a missing final image (text only) is a text-only error with the text', async () => {
    const textOnly = { candidates: [{ content: { parts: [{ text: 'I cannot draw that.' }] }, finishReason: 'STOP' }] };
    await assert.rejects(parseAnswerStream(pieces(Buffer.from(JSON.stringify(textOnly)), [10])), (e: unknown) => e instanceof IllustrateError && e.kind === 'textOnly' && /I cannot draw that/.test(e.message));
  });

  it('a truncated body is an error at every cut, never an image', async () => {
    for (let i = 0; i < raw.length; i += 7) {
      await assert.rejects(parseAnswerStream(pieces(raw.subarray(0, i), [Math.floor(i / 2)])), (e: unknown) => e instanceof IllustrateError && e.kind === 'malformed', `cut ${i}`);
    }
  });

  it('accepts snake_case inline_data as some gateways send it', async () => {
    const snake = JSON.stringify(answer).replace(/"inlineData"/g, '"inline_data"').replace(/"mimeType"/g, '"mime_type"');
    const parsed = await parseAnswerStream(pieces(Buffer.from(snake), [333]));
    assert.deepStrictEqual(Buffer.concat(parsed.image.chunks), final);
  });

  it('parses ordinary JSON exactly as JSON.parse does', () => {
    const samples = ['{"a":[1,-2.5e3,true,false,null,"x\\"y"],"b":{"c":{}}}', '[]', '"\\ud83c\\udf4c"', '  {"n": 0.125 , "s":"\\t\\/"}  '];
    for (const s of samples) {
      const p = new JsonStreamParser();
      for (const b of Buffer.from(s)) {
        p.write(Uint8Array.of(b));
      }
      assert.deepStrictEqual(p.end(), JSON.parse(s), s);
    }
  });

  it('rejects trailing garbage and bad literals', () => {
    for (const s of ['{"a":1} x', '{"a":tru}', '{"a" 1}', '[1,]']) {
      const p = new JsonStreamParser();
      assert.throws(() => {
        p.write(Buffer.from(s));
        p.end();
      }, s);
    }
  });

  describe('base64 of an image', () => {
    function decode(text: string, cut: number): ImageData {
      const data = new ImageData();
      data.pushBytes(Buffer.from(text.slice(0, cut), 'latin1'));
      data.pushBytes(Buffer.from(text.slice(cut), 'latin1'));
      data.finish();
      return data;
    }
    const bytes = Buffer.from(Array.from({ length: 61 }, (_, i) => (i * 37) & 0xff));

    it('accepts a data: URL prefix, cut at every byte', () => {
      const text = `data:image/png;base64,${bytes.toString('base64')}`;
      for (let cut = 0; cut <= text.length; cut++) {
        const out = decode(text, cut);
        assert.strictEqual(out.invalid, false, `cut ${cut}`);
        assert.deepStrictEqual(Buffer.concat(out.chunks), bytes, `cut ${cut}`);
      }
    });

    it('decodes plain base64 that starts with "d" or "da" (not a data URL)', () => {
      for (const head of [Buffer.from([0x75, 0xa0, 0x00]), Buffer.from([0x75, 0xab, 0x5a]), Buffer.from('data'.padEnd(3))]) {
        const sample = Buffer.concat([head, bytes]);
        const text = sample.toString('base64');
        for (let cut = 0; cut <= 8; cut++) {
          assert.deepStrictEqual(Buffer.concat(decode(text, cut).chunks), sample, `${text.slice(0, 6)} cut ${cut}`);
        }
      }
    });

    it('rejects padding in the middle, stray characters, a lone sextet and a bad data URL header', () => {
      const b64 = bytes.toString('base64');
      const bad = [
        `${Buffer.from('ab').toString('base64')}${b64}`,
        `${b64.slice(0, 10)}!${b64.slice(10)}`,
        `${b64}A`.replace(/=+$/, '') + 'A'.repeat(b64.endsWith('==') ? 3 : 1),
        `data:text/html;base64,${b64}`,
        `data:image/png,${b64}`,
        `${b64}===`,
        'é'.repeat(4),
      ];
      for (const text of bad) {
        const data = new ImageData();
        data.push(text);
        data.finish();
        assert.strictEqual(data.invalid, true, text.slice(0, 30));
      }
    });

    it('allows line breaks and unpadded endings', () => {
      const b64 = bytes.toString('base64');
      const wrapped = b64.replace(/(.{16})/g, '$1\r\n').replace(/=+$/, '');
      const data = decode(wrapped, 7);
      assert.strictEqual(data.invalid, false);
      assert.deepStrictEqual(Buffer.concat(data.chunks), bytes);
    });
  });

  describe('an image as a data URL in a text part', () => {
    const png = makePng(20, 10);
    for (const [name, text] of [
      ['bare', `data:image/png;base64,${png.toString('base64')}`],
      ['markdown, with text after it', `![the image](data:image/png;base64,${png.toString('base64')})\n\nDone.`],
    ] as const) {
      it(`${name}: decoded as it streams, cut at every byte, slashes escaped`, async () => {
        const answer = { candidates: [{ content: { parts: [{ text: 'Sure.' }, { text }] }, finishReason: 'STOP' }] };
        const body = Buffer.from(JSON.stringify(answer).replace(/\//g, '\\/'));
        for (let cut = 1; cut < body.length; cut += 3) {
          const parsed = await parseAnswerStream(pieces(body, [cut]));
          assert.deepStrictEqual(Buffer.concat(parsed.image.chunks), png, `cut ${cut}`);
          assert.deepStrictEqual(parsed.texts, ['Sure.'], `cut ${cut}`);
        }
      });
    }

    it('a text that only mentions data: stays text', async () => {
      const answer = { candidates: [{ content: { parts: [{ text: 'data: none here' }, { inlineData: { mimeType: 'image/png', data: makePng(4, 4).toString('base64') } }] }, finishReason: 'STOP' }] };
      const parsed = await parseAnswerStream(pieces(Buffer.from(JSON.stringify(answer)), [9]));
      assert.deepStrictEqual(parsed.texts, ['data: none here']);
    });
  });
});

describe('ImageData.withInsert: the metadata put in front without copying the image', () => {
  const meta = { prompt: 'a lighthouse at dusk', model: 'm', aspectRatio: '16:9', imageSize: '1K', date: '2026-11-30T00:00:00.000Z' };

  for (const [name, image, format] of [
    ['a PNG in one block', makePng(300, 200), 'png'],
    ['a JPEG in one block', makeJpeg(300, 200), 'jpeg'],
    ['a PNG over several blocks', makePng(900, 700, { noise: true }), 'png'],
  ] as const) {
    it(`${name}: the same bytes as a copy would give`, () => {
      const decoded = new ImageData();
      const b64 = Buffer.from(image.toString('base64'));
      for (let i = 0; i < b64.length; i += 65536) {
        decoded.pushBytes(b64.subarray(i, i + 65536));
      }
      decoded.finish();
      const expected = joinWithInsert([image], image.length, metadataInsert(format, meta));
      const got = decoded.withInsert(metadataInsert(format, meta), joinWithInsert);
      assert.ok(Buffer.from(got).equals(Buffer.from(expected)));
    });
  }
});
