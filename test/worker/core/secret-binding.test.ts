import { describe, expect, it } from 'vitest';

import { boundSecret, changedOriginFields, SecretRequiredError, secretForOrigin } from '../../../worker/src/core/secret-binding';

const odoo = { url: 'https://shop.odoo.com', db: 'shop', username: 'bot@shop.example' };

describe('changedOriginFields', () => {
  it.each([
    ['nothing changed', odoo, []],
    ['a trailing slash', { ...odoo, url: 'https://shop.odoo.com/' }, []],
    ['the host in capitals and the default port', { ...odoo, url: 'HTTPS://SHOP.odoo.com:443' }, []],
    ['another host', { ...odoo, url: 'https://evil.example' }, ['url']],
    ['http instead of https', { ...odoo, url: 'http://shop.odoo.com' }, ['url']],
    ['another port', { ...odoo, url: 'https://shop.odoo.com:8443' }, ['url']],
    ['another path on the same host', { ...odoo, url: 'https://shop.odoo.com/other' }, ['url']],
    ['a userinfo trick', { ...odoo, url: 'https://shop.odoo.com@evil.example' }, ['url']],
    ['another database', { ...odoo, db: 'other' }, ['db']],
    ['another login', { ...odoo, username: 'admin' }, ['username']],
    ['the login in other letter case', { ...odoo, username: 'Bot@shop.example' }, ['username']],
    ['a field cleared', { ...odoo, db: undefined }, ['db']],
    ['everything', { url: 'https://evil.example', db: 'x', username: 'y' }, ['db', 'url', 'username']],
  ])('%s → %j', (_label, next, changed) => {
    expect(changedOriginFields(odoo, next)).toEqual(changed);
  });
});

describe('secretForOrigin', () => {
  const saved = { secret: 'saved-key', origin: odoo };
  it.each([
    ['same origin, no key sent: the saved key', { provided: undefined, saved, next: odoo }, 'saved-key'],
    ['same origin, a key sent: the sent key', { provided: 'new-key', saved, next: odoo }, 'new-key'],
    ['new URL with a key: the sent key', { provided: 'new-key', saved, next: { ...odoo, url: 'https://other.example' } }, 'new-key'],
    ['nothing saved, nothing sent: none', { provided: undefined, saved: undefined, next: { ...odoo, url: 'https://other.example' } }, undefined],
    ['an empty key counts as not sent', { provided: '   ', saved, next: odoo }, 'saved-key'],
  ])('%s', (_label, input, expected) => {
    expect(secretForOrigin({ ...input, field: 'api_key' })).toBe(expected);
  });

  it.each([
    ['a new URL', { url: 'https://evil.example' }, ['url']],
    ['a new database', { db: 'other' }, ['db']],
    ['a new login', { username: 'admin' }, ['username']],
    ['a new URL and login', { url: 'http://127.0.0.1:1', username: 'admin' }, ['url', 'username']],
    ['an empty key and a new URL', { url: 'https://evil.example', provided: '' }, ['url']],
  ])('%s without the key → SecretRequiredError (400 secret_required naming the field)', (_label, change, changed) => {
    const { provided, ...fields } = { provided: undefined as string | undefined, ...change };
    let thrown: unknown;
    try {
      secretForOrigin({ provided, saved, next: { ...odoo, ...fields }, field: 'api_key' });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(SecretRequiredError);
    expect(thrown).toMatchObject({ status: 400, code: 'secret_required', details: { field: 'api_key', changed } });
  });
});

describe('boundSecret', () => {
  const env = { secret: 'env-key', origin: odoo };
  it.each([
    ['the environment key for the environment origin', odoo, [undefined, env], 'env-key'],
    ['not the environment key for a saved URL', { ...odoo, url: 'https://evil.example' }, [undefined, env], undefined],
    ['not the environment key for a saved database', { ...odoo, db: 'other' }, [undefined, env], undefined],
    [
      'a saved key first',
      { ...odoo, url: 'https://new.example' },
      [{ secret: 'saved-key', origin: { ...odoo, url: 'https://new.example' } }, env],
      'saved-key',
    ],
    ['the environment key when the saved record has no key', odoo, [{ secret: undefined, origin: odoo }, env], 'env-key'],
    ['none at all', odoo, [undefined, { secret: undefined, origin: odoo }], undefined],
  ])('%s', (_label, origin, candidates, expected) => {
    expect(boundSecret(origin, candidates)).toBe(expected);
  });
});
