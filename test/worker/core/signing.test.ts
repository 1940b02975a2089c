import { describe, expect, it } from 'vitest';

import { SIGNATURE_WINDOW_SECONDS, signedHeaders, signV2, verifyV2, type SignaturePurpose } from '../../../worker/src/core/signing';

const SECRET = 'synchub-test-vector-secret-0123456789';
const EVENT_ID = '8c6f2a7e-3b1d-4c55-9a0e-2f4b6d8e1a93';
const T = 1_767_225_600;

describe('v2 signature', () => {
  // Values computed independently, e.g.
  // printf 'synchub-v2:plugin-to-worker\n1767225600\n<event id>\norder.paid\n{"id":1}' | openssl dgst -sha256 -hmac <secret> -binary | base64
  // test/plugin/Security/SignatureTest.php checks the PHP side against the same two vectors.
  it.each([
    ['plugin-to-worker', 'order.paid', '{"id":1}', 'v2=aRX6WY3PdlYXm9F/yflYDYN03GnnSEwA2W5+Ll6Rylk='],
    ['worker-to-plugin', 'stock.update', '{"items":[{"sku":"A","stock_quantity":1}]}', 'v2=uS8gKy1BG5zRoGcjJzaQXNPv3Z0SeBAt2hgf991I1Z8='],
  ] as const)('%s over %s matches the documented format', (purpose, topic, body, expected) => {
    expect(signV2(SECRET, purpose, { timestamp: T, eventId: EVENT_ID, topic }, body)).toBe(expected);
  });

  const body = Buffer.from('{"id":1}');
  const reader = (headers: Record<string, string>) => (name: string) => Object.entries(headers).find(([key]) => key.toLowerCase() === name.toLowerCase())?.[1];
  const good = (overrides: { purpose?: SignaturePurpose; nowMs?: number; secret?: string; topic?: string } = {}) =>
    signedHeaders(overrides.secret ?? SECRET, overrides.purpose ?? 'plugin-to-worker', {
      topic: overrides.topic ?? 'order.paid',
      body,
      eventId: EVENT_ID,
      nowMs: overrides.nowMs ?? T * 1000,
    });
  const verify = (headers: Record<string, string>, nowMs = T * 1000, input = body) => verifyV2(reader(headers), input, SECRET, 'plugin-to-worker', nowMs);
  const W = SIGNATURE_WINDOW_SECONDS;

  it.each([
    ['signed now', good(), T, true, undefined],
    ["signed at the window's old edge", good(), T + W, true, undefined],
    ["signed at the window's future edge", good(), T - W, true, undefined],
    ['one second too old', good(), T + W + 1, false, 'signature_expired'],
    ['one second too far ahead', good(), T - W - 1, false, 'signature_expired'],
    ["the other direction's signature", good({ purpose: 'worker-to-plugin' }), T, false, 'invalid_signature'],
    ['another secret', good({ secret: `${SECRET}x` }), T, false, 'invalid_signature'],
    ['event id changed after signing', { ...good(), 'X-SyncHub-Event-Id': 'another-event' }, T, false, 'invalid_signature'],
    ['topic changed after signing', { ...good(), 'X-SyncHub-Topic': 'order.refunded' }, T, false, 'invalid_signature'],
    ['timestamp moved after signing', { ...good(), 'X-SyncHub-Timestamp': String(T + 1) }, T, false, 'invalid_signature'],
    ['no version prefix', { ...good(), 'X-SyncHub-Signature': (good()['X-SyncHub-Signature'] as string).slice(3) }, T, false, 'invalid_signature'],
    ['v1 prefix', { ...good(), 'X-SyncHub-Signature': `v1=${(good()['X-SyncHub-Signature'] as string).slice(3)}` }, T, false, 'invalid_signature'],
    ['empty signature', { ...good(), 'X-SyncHub-Signature': 'v2=' }, T, false, 'invalid_signature'],
    ['no timestamp', { ...good(), 'X-SyncHub-Timestamp': '' }, T, false, 'incomplete_signature'],
    ['timestamp in milliseconds notation', { ...good(), 'X-SyncHub-Timestamp': '1.7e9' }, T, false, 'incomplete_signature'],
    ['no event id', { ...good(), 'X-SyncHub-Event-Id': '' }, T, false, 'incomplete_signature'],
    ['event id with a line feed', { ...good(), 'X-SyncHub-Event-Id': 'a\nb' }, T, false, 'incomplete_signature'],
    ['no topic', { ...good(), 'X-SyncHub-Topic': '' }, T, false, 'incomplete_signature'],
  ] as const)('%s → ok %s', (_label, headers, nowSeconds, ok, code) => {
    const verdict = verify(headers as Record<string, string>, nowSeconds * 1000);
    expect(verdict.ok).toBe(ok);
    if (!verdict.ok) expect(verdict.code).toBe(code);
    else expect(verdict.fields).toEqual({ timestamp: T, eventId: EVENT_ID, topic: 'order.paid' });
  });

  it('covers the body byte for byte', () => {
    expect(verify(good(), T * 1000, Buffer.from('{"id":2}')).ok).toBe(false);
    expect(verify(good(), T * 1000, Buffer.from('{"id":1} ')).ok).toBe(false);
  });

  it('an expired but otherwise valid signature is told apart only after the HMAC matched', () => {
    const forged = {
      ...good(),
      'X-SyncHub-Signature': signV2('not-the-secret-0123456789abcdef0123', 'plugin-to-worker', { timestamp: T, eventId: EVENT_ID, topic: 'order.paid' }, body),
    };
    const verdict = verify(forged, (T + W + 60) * 1000);
    expect(verdict).toMatchObject({ ok: false, code: 'invalid_signature' });
  });
});
