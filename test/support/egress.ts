import { Egress, parseTargetPolicy } from '../../worker/src/core/egress';

/**
 * Connector tests talk to fakes on loopback: the connectors refuse that by default (core/egress),
 * so they get this fetch (and request), which allow loopback and nothing else private.
 */
export const loopbackEgress = new Egress(parseTargetPolicy('127.0.0.0/8,::1'));
export const LOOPBACK_FETCH = loopbackEgress.fetch;
export const LOOPBACK_REQUEST = loopbackEgress.request;
