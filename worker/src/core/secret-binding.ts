import { HttpError } from './http/errors';

/**
 * The fields that say where a secret goes: the peer's URL and whatever picks the account there
 * (Odoo database and login, SIIGO user and Partner-Id). A saved secret is bound to the origin it
 * was saved with and never travels anywhere else.
 */
export type Origin = Readonly<Record<string, string | undefined>>;

export interface BoundSecret<O extends Origin> {
  secret: string;
  origin: O;
}

/** URLs compare by scheme, host, port, path (without trailing slashes) and query; other fields as trimmed text. */
function canonical(value: string | undefined): string {
  const text = (value ?? '').trim();
  if (!/^https?:\/\//i.test(text)) return text;
  try {
    const url = new URL(text);
    return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}${url.search}`;
  } catch {
    return text;
  }
}

/** The origin fields whose values differ between `saved` and `next`; pure. */
export function changedOriginFields<O extends Origin>(saved: O, next: O): string[] {
  const fields = new Set([...Object.keys(saved), ...Object.keys(next)]);
  return [...fields].filter((field) => canonical(saved[field]) !== canonical(next[field])).sort();
}

/** A request would send a saved secret to an origin it was not saved for: the admin API's 400 `secret_required`. */
export class SecretRequiredError extends HttpError {
  constructor(
    /** The request field that must carry the secret again (`api_key`, `credentials.access_key`…). */
    readonly field: string,
    readonly changed: string[],
  ) {
    super(400, 'secret_required', `Enter the key again (${field}): the saved one is only sent to the ${changed.join(', ')} it was saved for.`, {
      field,
      changed,
    });
    this.name = 'SecretRequiredError';
  }
}

/**
 * The secret to use with `next`: the one sent with the request; else the saved one when `next`
 * is exactly the origin it was saved with; else, if a saved secret exists, SecretRequiredError
 * (it must not follow the change); else none. Pure.
 */
export function secretForOrigin<O extends Origin>(input: {
  provided: string | undefined;
  saved: BoundSecret<O> | undefined;
  next: O;
  field: string;
}): string | undefined {
  if (input.provided !== undefined && input.provided.trim() !== '') return input.provided;
  if (!input.saved) return undefined;
  const changed = changedOriginFields(input.saved.origin, input.next);
  if (changed.length > 0) throw new SecretRequiredError(input.field, changed);
  return input.saved.secret;
}

/**
 * At run time: the first candidate secret bound to exactly `origin` (saved settings before the
 * environment), else undefined. Keeps an environment key from following a URL saved from
 * wp-admin, whatever is stored. Pure.
 */
export function boundSecret<O extends Origin>(origin: O, candidates: ReadonlyArray<Partial<BoundSecret<O>> | undefined>): string | undefined {
  for (const candidate of candidates) {
    if (candidate?.secret && candidate.origin && changedOriginFields(candidate.origin, origin).length === 0) return candidate.secret;
  }
  return undefined;
}
