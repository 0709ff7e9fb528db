import * as assert from 'assert';
import { IllustrateError, cleanServerText, formatError } from '../../src/core/errors';
import { errorFromResponse } from '../../src/core/api/httpErrors';
import { formatOfExtension, pixelSize, sniffFormat } from '../../src/core/images/imageFormat';
import { joinWithInsert, metadataInsert, readMetadata } from '../../src/core/images/metadata';
import { checkOptions, expectedPixels } from '../../src/core/api/models';
import { costOfUsage, estimateCost, formatCost } from '../../src/core/api/pricing';
import { authHeaders, buildRequestBody, endpointUrl } from '../../src/core/api/request';
import { makeJpeg, makePng, makeWebp } from '../fake-gemini/images';

const META = { prompt: 'a cat — on a mat', model: 'gemini-3.1-flash-image', aspectRatio: '16:9', imageSize: '1K', date: '2026-11-24T10:00:00.000Z' };

describe('formats, metadata, options, prices and errors', () => {
  it('sniffs the format from magic numbers and reads pixel sizes', () => {
    assert.strictEqual(sniffFormat(makePng(3, 2)), 'png');
    assert.strictEqual(sniffFormat(makeJpeg(3, 2)), 'jpeg');
    assert.strictEqual(sniffFormat(makeWebp(30, 20)), 'webp');
    assert.strictEqual(sniffFormat(Buffer.from('<html>')), undefined);
    assert.deepStrictEqual(pixelSize(makePng(1376, 768)), { width: 1376, height: 768 });
    assert.deepStrictEqual(pixelSize(makeJpeg(1200, 896)), { width: 1200, height: 896 });
    assert.deepStrictEqual(pixelSize(makeWebp(30, 20)), { width: 30, height: 20 });
    assert.strictEqual(formatOfExtension('.JPEG'), 'jpeg');
    assert.strictEqual(formatOfExtension('.txt'), undefined);
  });

  it('embeds the prompt, model, options and date in a PNG (tEXt/iTXt) and keeps it valid', () => {
    const png = makePng(8, 8);
    const insert = metadataInsert('png', META)!;
    const out = joinWithInsert([png.subarray(0, 20), png.subarray(20)], png.length, insert);
    assert.ok(Buffer.from(out.subarray(0, 33)).equals(png.subarray(0, 33)));
    assert.ok(Buffer.from(out.subarray(33 + insert.bytes.length)).equals(png.subarray(33)));
    const meta = readMetadata(out);
    assert.match(meta.Description, /a cat — on a mat/);
    assert.match(meta.Comment, /gemini-3\.1-flash-image/);
    assert.match(meta.Comment, /16:9/);
    assert.match(meta.Comment, /2026-11-24/);
    assert.deepStrictEqual(pixelSize(out), { width: 8, height: 8 });
  });

  it('embeds the same in a JPEG COM segment', () => {
    const jpg = makeJpeg(16, 16);
    const out = joinWithInsert([jpg], jpg.length, metadataInsert('jpeg', META));
    assert.deepStrictEqual([...out.subarray(0, 2)], [0xff, 0xd8]);
    assert.match(readMetadata(out).Comment, /a cat — on a mat/);
    assert.deepStrictEqual(pixelSize(out), { width: 16, height: 16 });
  });

  it('checks ratio and size against the model, naming the valid values; unknown models pass', () => {
    const base = { model: 'gemini-3-pro-image', aspectRatio: '8:1', imageSize: '1K', thinkingLevel: 'minimal' as const, includeText: false };
    assert.match(checkOptions(base)!, /does not take the aspect ratio "8:1". Valid: 1:1, 2:3/);
    assert.match(checkOptions({ ...base, aspectRatio: '1:1', imageSize: '512' })!, /Valid: 1K, 2K, 4K/);
    assert.match(checkOptions({ ...base, aspectRatio: '1:1', imageSize: '1k' })!, /upper-case K/);
    assert.strictEqual(checkOptions({ ...base, model: 'gemini-3.1-flash-image', imageSize: '512' }), undefined);
    assert.strictEqual(checkOptions({ ...base, model: 'my-own-model', aspectRatio: '7:3', imageSize: 'huge' }), undefined);
    assert.match(checkOptions({ ...base, aspectRatio: '1:1' }, 15)!, /at most 14/);
    assert.deepStrictEqual(expectedPixels('16:9', '4K'), { width: 5504, height: 3072 });
  });

  it('builds the URL and auth header', () => {
    assert.strictEqual(endpointUrl('https://api.apiyi.com/', 'gemini-3-pro-image'), 'https://api.apiyi.com/v1beta/models/gemini-3-pro-image:generateContent');
    assert.strictEqual(endpointUrl('https://generativelanguage.googleapis.com/v1beta', 'm'), 'https://generativelanguage.googleapis.com/v1beta/models/m:generateContent');
    assert.deepStrictEqual(authHeaders('https://generativelanguage.googleapis.com', 'auto', 'k'), { 'x-goog-api-key': 'k' });
    assert.deepStrictEqual(authHeaders('https://api.apiyi.com', 'auto', 'k'), { Authorization: 'Bearer k' });
    assert.deepStrictEqual(authHeaders('https://evilgoogleapis.com', 'auto', 'k'), { Authorization: 'Bearer k' });
    assert.deepStrictEqual(authHeaders('https://api.apiyi.com', 'x-goog-api-key', 'k'), { 'x-goog-api-key': 'k' });
  });

  it('asks for text and thoughts only when includeText is on', () => {
    const body = buildRequestBody({ prompt: 'p', options: { model: 'gemini-3.1-flash-image', aspectRatio: '', imageSize: '2K', thinkingLevel: 'high', includeText: true } });
    assert.deepStrictEqual(body.generationConfig, { responseModalities: ['TEXT', 'IMAGE'], imageConfig: { imageSize: '2K' }, thinkingConfig: { thinkingLevel: 'high', includeThoughts: true } });
  });

  it('estimates cost from tokens and the price table, overridable', () => {
    const usage = { promptTokens: 1000, outputTokens: 1120, totalTokens: 2120 };
    const cost = costOfUsage('gemini-3.1-flash-image', usage)!;
    assert.ok(Math.abs(cost - (1000 * 0.5 + 1120 * 60) / 1e6) < 1e-9, String(cost));
    assert.strictEqual(costOfUsage('gemini-3.1-flash-image', usage, { 'gemini-3.1-flash-image': { inputPerMillion: 0, outputPerMillion: 100 } }), 0.112);
    assert.strictEqual(costOfUsage('unknown-model', usage), undefined);
    assert.match(formatCost(0.0677), /^≈ \$0\.068$/);
    const est = estimateCost('gemini-3-pro-image', '4K', 'a short prompt', 0, 2)!;
    assert.ok(est > 0.47 && est < 0.49, String(est));
  });

  it('turns the three error shapes into one clear message without markup or key', () => {
    const key = 'AIzaSyD-secret-key-1234567890';
    const google = errorFromResponse(400, 'application/json', JSON.stringify({ error: { code: 400, status: 'INVALID_ARGUMENT', message: `bad value for ${key}` } }), 'm', key);
    assert.strictEqual(google.kind, 'invalidArgument');
    assert.ok(!google.message.includes(key));
    const gateway = errorFromResponse(429, 'application/json', JSON.stringify({ error: { message: 'rate limit (request id: 1)', type: 'x', code: 'rate_limit' } }), 'm');
    assert.ok(gateway.kind === 'rateLimited' || gateway.kind === 'quota', gateway.kind);
    const html = errorFromResponse(502, 'text/html', '<html><body><h1>502 Bad Gateway</h1><hr>nginx</body></html>', 'm');
    assert.strictEqual(html.kind, 'server');
    assert.ok(!/[<>]/.test(html.message));
    assert.ok(!cleanServerText(`Bearer sk-abcdefghijklmnop and ${key}`).includes('sk-abcdefghijklmnop'));
    assert.ok(!cleanServerText(`key ${key}`).includes(key));
    assert.match(formatError(new Error('boom')), /unexpected error — see the Illustrate output/);
    assert.ok(new IllustrateError('overloaded', 'x').retryable);
    assert.ok(!new IllustrateError('badKey', 'x').retryable);
  });
});
