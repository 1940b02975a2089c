export {
  ADDRESS_CLASS_LABEL,
  classifyAddress,
  judgeAddress,
  parseTargetPolicy,
  STRICT_POLICY,
  type AddressClass,
  type TargetPolicy,
  type TargetVerdict,
} from './address';
export {
  ALLOW_PRIVATE_VARIABLE,
  Egress,
  egressRefusal,
  EgressRefusedError,
  EgressUnresolvedError,
  strictFetch,
  strictRequest,
  type FetchLike,
  type RequestLike,
  type Resolver,
} from './guard';
export { assertTarget } from './http';
export { readBodyCapped } from './read-capped';
