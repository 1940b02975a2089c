import { Writable } from 'node:stream';

import { describe, expect, it } from 'vitest';

import { createLogger } from '../../../worker/src/core/logger';

function capture(): { stream: Writable; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      text += chunk.toString();
      callback();
    },
  });
  return { stream, text: () => text };
}

describe('logger', () => {
  it('redacts secrets at any of the first three levels', () => {
    const out = capture();
    const logger = createLogger('info', out.stream);
    logger.info(
      {
        password: 'pw-top',
        token: 'tok-top',
        odoo: { apiKey: 'odoo-key', url: 'https://odoo.example' },
        request: { headers: { authorization: 'Bearer admin-secret', 'x-wc-webhook-signature': 'sig-value', 'x-synchub-signature': 'v2=sig2-value' } },
        siigo: { access_key: 'siigo-key', username: 'api@example.com' },
      },
      'configured',
    );
    const line = out.text();
    for (const secret of ['pw-top', 'tok-top', 'odoo-key', 'admin-secret', 'sig-value', 'sig2-value', 'siigo-key']) expect(line).not.toContain(secret);
    expect(line).toContain('https://odoo.example');
    expect(line).toContain('api@example.com');
    expect(line).toContain('[redacted]');
  });
});
