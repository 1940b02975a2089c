import type { RequestHandler } from 'express';

import { safeEqual } from '../crypto';
import { HttpError } from './errors';

/** `Authorization: Bearer <SYNCHUB_ADMIN_TOKEN>` for every admin route. */
export function requireAdmin(adminToken: string): RequestHandler {
  return (req, _res, next) => {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer\s+(.+)$/i.exec(header);
    if (!match?.[1]) return next(new HttpError(401, 'unauthorized', 'An admin bearer token is required.'));
    if (!safeEqual(match[1].trim(), adminToken)) return next(new HttpError(401, 'unauthorized', 'The admin token is not valid.'));
    next();
  };
}
