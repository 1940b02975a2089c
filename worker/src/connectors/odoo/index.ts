export { OdooClient, type OdooVersion, type ProductTypeFields } from './client';
export { connectionKey, odooConnectionSchema, resolveConnection, type OdooConnection } from './config';
export { faultToError, isOdooError, OdooAccessDeniedError, OdooUnavailableError, OdooValidationError, type OdooError } from './errors';
export {
  emailDomain,
  odooDatetime,
  taxKeyId,
  type TaxKey,
  type PartnerInput,
  type SaleOrderInput,
  type SaleOrderLineInput,
  type ServiceProductInput,
} from './mappers';
export { MARSHAL_NONE, OdooCurrencyError, OdooSales, type RightCheck, type SaleOrderRow, type SaleOrderTotals } from './sales';
export { XmlRpcTransport, type OdooTransport } from './transport';
