export { OdooClient, type OdooVersion, type ProductTypeFields } from './client';
export { connectionKey, odooConnectionSchema, resolveConnection, type OdooConnection } from './config';
export { faultToError, isOdooError, OdooAccessDeniedError, OdooUnavailableError, OdooValidationError, type OdooError } from './errors';
export { odooDatetime, type PartnerInput, type SaleOrderInput, type SaleOrderLineInput, type ServiceProductInput } from './mappers';
export { OdooSales, type SaleOrderRow, type SaleOrderTotals } from './sales';
export { XmlRpcTransport, type OdooTransport } from './transport';
