import { DomainError, filterRows, type FieldValue, type Row } from './domain';

/** An Odoo fault as `/xmlrpc/2` sends it: integer code, message (fault 1: a traceback). */
export class FakeFault extends Error {
  constructor(
    readonly faultCode: number,
    readonly faultString: string,
  ) {
    super(faultString);
  }
}

const traceback = (exception: string) =>
  `Traceback (most recent call last):\n  File "/usr/lib/python3/dist-packages/odoo/service/model.py", line 156, in retrying\n    result = func()\n${exception}`;
export const valueError = (message: string) => new FakeFault(1, traceback(`ValueError: ${message}`));
export const validationError = (message: string) => new FakeFault(2, message);

export type FieldType = 'char' | 'integer' | 'float' | 'boolean' | 'selection' | 'datetime' | 'many2one' | 'one2many' | 'many2many';

export interface FieldDef {
  type: FieldType;
  string: string;
  required?: boolean;
  selection?: string[];
  relation?: string;
  /** one2many: the field on the comodel pointing back. */
  inverse?: string;
  default?: FieldValue;
  readonly?: boolean;
}

export type OdooMajor = 17 | 18;

export function modelDefinitions(version: OdooMajor): Record<string, { description: string; fields: Record<string, FieldDef> }> {
  const productTypes = version === 17 ? ['consu', 'service', 'product'] : ['consu', 'service', 'combo'];
  const productFields: Record<string, FieldDef> = {
    name: { type: 'char', string: 'Name', required: true },
    default_code: { type: 'char', string: 'Internal Reference' },
    list_price: { type: 'float', string: 'Sales Price', default: 1 },
    sale_ok: { type: 'boolean', string: 'Can be Sold', default: true },
    purchase_ok: { type: 'boolean', string: 'Can be Purchased', default: true },
    type: { type: 'selection', string: 'Product Type', selection: productTypes, default: 'consu', required: true },
    invoice_policy: { type: 'selection', string: 'Invoicing Policy', selection: ['order', 'delivery'], default: 'order' },
    active: { type: 'boolean', string: 'Active', default: true },
  };
  if (version === 17)
    productFields.detailed_type = { type: 'selection', string: 'Product Type', selection: ['consu', 'service', 'product', 'event'], default: 'consu' };
  else productFields.is_storable = { type: 'boolean', string: 'Track Inventory', default: false };
  const taxFields: Record<string, FieldDef> = {
    name: { type: 'char', string: 'Tax Name', required: true },
    amount: { type: 'float', string: 'Amount', default: 0 },
    amount_type: { type: 'selection', string: 'Tax Computation', selection: ['group', 'fixed', 'percent', 'division'], default: 'percent', required: true },
    type_tax_use: { type: 'selection', string: 'Tax Type', selection: ['sale', 'purchase', 'none'], default: 'sale', required: true },
    include_base_amount: { type: 'boolean', string: 'Affect Base of Subsequent Taxes', default: false },
    sequence: { type: 'integer', string: 'Sequence', default: 1 },
    active: { type: 'boolean', string: 'Active', default: true },
    // 17 stores the flag; 18 computes it from price_include_override (empty: the company's default, excluded).
    price_include: { type: 'boolean', string: 'Included in Price', default: false, readonly: version === 18 },
  };
  if (version === 18) taxFields.price_include_override = { type: 'selection', string: 'Included in Price', selection: ['tax_included', 'tax_excluded'] };
  return {
    'res.users': {
      description: 'User',
      fields: {
        name: { type: 'char', string: 'Name', required: true },
        login: { type: 'char', string: 'Login', required: true },
        password: { type: 'char', string: 'Password' },
        groups_id: { type: 'many2many', string: 'Groups', relation: 'res.groups' },
        company_id: { type: 'many2one', string: 'Company', relation: 'res.company', default: 1 },
        tz: { type: 'char', string: 'Timezone' },
      },
    },
    'res.groups': {
      description: 'Access Groups',
      fields: {
        name: { type: 'char', string: 'Name', required: true },
        full_name: { type: 'char', string: 'Group Name' },
        implied_ids: { type: 'many2many', string: 'Inherits', relation: 'res.groups' },
      },
    },
    'ir.model.data': {
      description: 'Model Data',
      fields: {
        module: { type: 'char', string: 'Module', required: true },
        name: { type: 'char', string: 'External Identifier', required: true },
        model: { type: 'char', string: 'Model Name', required: true },
        res_id: { type: 'integer', string: 'Record ID' },
      },
    },
    'res.company': {
      description: 'Companies',
      fields: {
        name: { type: 'char', string: 'Company Name', required: true },
        currency_id: { type: 'many2one', string: 'Currency', relation: 'res.currency', required: true },
      },
    },
    'res.currency': {
      description: 'Currency',
      fields: {
        name: { type: 'char', string: 'Currency', required: true },
        rounding: { type: 'float', string: 'Rounding Factor', default: 0.01 },
        active: { type: 'boolean', string: 'Active', default: true },
      },
    },
    'product.pricelist': {
      description: 'Pricelist',
      fields: {
        name: { type: 'char', string: 'Pricelist Name', required: true },
        currency_id: { type: 'many2one', string: 'Currency', relation: 'res.currency', required: true },
        active: { type: 'boolean', string: 'Active', default: true },
      },
    },
    'account.tax': { description: 'Tax', fields: taxFields },
    'res.partner': {
      description: 'Contact',
      fields: {
        name: { type: 'char', string: 'Name', required: true },
        email: { type: 'char', string: 'Email' },
        phone: { type: 'char', string: 'Phone' },
        ref: { type: 'char', string: 'Reference' },
        customer_rank: { type: 'integer', string: 'Customer Rank', default: 0 },
        supplier_rank: { type: 'integer', string: 'Supplier Rank', default: 0 },
        is_company: { type: 'boolean', string: 'Is a Company', default: false },
        active: { type: 'boolean', string: 'Active', default: true },
      },
    },
    'product.product': { description: 'Product Variant', fields: productFields },
    'sale.order': {
      description: 'Sales Order',
      fields: {
        name: { type: 'char', string: 'Order Reference', readonly: true },
        partner_id: { type: 'many2one', string: 'Customer', relation: 'res.partner', required: true },
        client_order_ref: { type: 'char', string: 'Customer Reference' },
        origin: { type: 'char', string: 'Source Document' },
        date_order: { type: 'datetime', string: 'Order Date' },
        pricelist_id: { type: 'many2one', string: 'Pricelist', relation: 'product.pricelist' },
        currency_id: { type: 'many2one', string: 'Currency', relation: 'res.currency', readonly: true },
        amount_untaxed: { type: 'float', string: 'Untaxed Amount', readonly: true },
        amount_tax: { type: 'float', string: 'Taxes', readonly: true },
        state: { type: 'selection', string: 'Status', selection: ['draft', 'sent', 'sale', 'cancel'], default: 'draft', readonly: true },
        order_line: { type: 'one2many', string: 'Order Lines', relation: 'sale.order.line', inverse: 'order_id' },
        invoice_ids: { type: 'many2many', string: 'Invoices', relation: 'account.move', readonly: true },
        amount_total: { type: 'float', string: 'Total', readonly: true },
      },
    },
    'sale.order.line': {
      description: 'Sales Order Line',
      fields: {
        order_id: { type: 'many2one', string: 'Order Reference', relation: 'sale.order', required: true },
        product_id: { type: 'many2one', string: 'Product', relation: 'product.product', required: true },
        name: { type: 'char', string: 'Description' },
        product_uom_qty: { type: 'float', string: 'Quantity', default: 1 },
        price_unit: { type: 'float', string: 'Unit Price', default: 0 },
        discount: { type: 'float', string: 'Discount (%)', default: 0 },
        tax_id: { type: 'many2many', string: 'Taxes', relation: 'account.tax' },
        price_subtotal: { type: 'float', string: 'Subtotal', readonly: true },
        price_tax: { type: 'float', string: 'Total Tax', readonly: true },
        price_total: { type: 'float', string: 'Total', readonly: true },
      },
    },
    'sale.advance.payment.inv': {
      description: 'Sales Advance Payment Invoice',
      fields: {
        advance_payment_method: { type: 'selection', string: 'Create Invoice', selection: ['delivered', 'percentage', 'fixed'], required: true },
        sale_order_ids: { type: 'many2many', string: 'Sales Orders', relation: 'sale.order' },
      },
    },
    'account.move': {
      description: 'Journal Entry',
      fields: {
        name: { type: 'char', string: 'Number' },
        invoice_origin: { type: 'char', string: 'Origin' },
        amount_total: { type: 'float', string: 'Total', readonly: true },
        currency_id: { type: 'many2one', string: 'Currency', relation: 'res.currency', readonly: true },
        move_type: { type: 'selection', string: 'Type', selection: ['out_invoice'], default: 'out_invoice' },
        state: { type: 'selection', string: 'Status', selection: ['draft', 'posted'], default: 'draft' },
      },
    },
  };
}

const round2 = (value: number): number => Math.round((value + Number.EPSILON) * 100) / 100;
/** Now as Odoo writes datetimes: UTC `YYYY-MM-DD HH:MM:SS`. */
export const nowDatetime = (): string => new Date().toISOString().slice(0, 19).replace('T', ' ');

const DATETIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

/** In-memory tables with the ORM's checks: unknown fields, types, selections, required fields. */
export class FakeOrm {
  readonly models: ReturnType<typeof modelDefinitions>;
  readonly tables = new Map<string, Map<number, Row>>();
  private nextId = new Map<string, number>();
  private readonly sequences = new Map<string, number>();

  constructor(readonly version: OdooMajor) {
    this.models = modelDefinitions(version);
    for (const model of Object.keys(this.models)) this.tables.set(model, new Map());
  }

  model(name: string) {
    const model = this.models[name];
    if (!model) throw new FakeFault(1, traceback(`KeyError: '${name}'`));
    return model;
  }

  rows(model: string): Row[] {
    return [...(this.tables.get(model)?.values() ?? [])];
  }

  get(model: string, id: number): Row | undefined {
    return this.tables.get(model)?.get(id);
  }

  private checkValue(model: string, field: string, def: FieldDef, value: unknown): FieldValue {
    const bad = () => valueError(`Wrong value for ${model}.${field}: ${JSON.stringify(value)}`);
    if (value === false && def.type !== 'boolean' && !def.type.endsWith('2many')) return false;
    switch (def.type) {
      case 'char':
        if (typeof value !== 'string') throw bad();
        return value;
      case 'integer':
        if (typeof value !== 'number' || !Number.isInteger(value)) throw bad();
        return value;
      case 'float':
        if (typeof value !== 'number') throw bad();
        return value;
      case 'boolean':
        if (typeof value !== 'boolean') throw bad();
        return value;
      case 'selection':
        if (typeof value !== 'string' || !def.selection?.includes(value)) throw valueError(`Wrong value for ${model}.${field}: '${String(value)}'`);
        return value;
      case 'datetime':
        if (typeof value !== 'string' || !DATETIME.test(value)) throw valueError(`time data '${String(value)}' does not match format '%Y-%m-%d %H:%M:%S'`);
        return value;
      case 'many2one':
        if (typeof value !== 'number' || !Number.isInteger(value)) throw bad();
        if (!this.get(def.relation ?? '', value))
          throw validationError(`The operation cannot be completed: the record ${def.relation}(${value},) referenced by ${model}.${field} does not exist.`);
        return value;
      default:
        throw bad();
    }
  }

  /** Applies x2many commands `[0,0,vals]`, `[4,id,0]`, `[6,0,ids]`, returns the resulting id list. */
  private applyCommands(model: string, field: string, def: FieldDef, ownerId: number, current: number[], commands: unknown): number[] {
    if (!Array.isArray(commands)) throw valueError(`Wrong value for ${model}.${field}: ${JSON.stringify(commands)}`);
    let ids = [...current];
    for (const command of commands) {
      if (!Array.isArray(command) || typeof command[0] !== 'number') throw valueError(`Wrong command for ${model}.${field}: ${JSON.stringify(command)}`);
      const [code, id, payload] = command as [number, unknown, unknown];
      if (code === 0 && def.type === 'one2many' && def.relation && def.inverse) {
        ids.push(this.createOne(def.relation, { ...(payload as Record<string, unknown>), [def.inverse]: ownerId }));
      } else if (code === 4 && typeof id === 'number') {
        ids.push(id);
      } else if (code === 6 && Array.isArray(payload)) {
        ids = payload.filter((item): item is number => typeof item === 'number');
      } else if (code === 5) {
        ids = [];
      } else {
        throw valueError(`Unsupported command ${JSON.stringify(command)} for ${model}.${field}`);
      }
    }
    return ids;
  }

  createOne(model: string, vals: Record<string, unknown>): number {
    const { fields, description } = this.model(model);
    if (vals === null || typeof vals !== 'object' || Array.isArray(vals)) throw valueError(`create() expects a dict, got ${JSON.stringify(vals)}`);
    for (const key of Object.keys(vals)) if (!fields[key]) throw valueError(`Invalid field '${key}' on model '${model}'`);
    const id = this.nextId.get(model) ?? 1;
    this.nextId.set(model, id + 1);
    const row: Row = { id };
    const later: Array<[string, FieldDef, unknown]> = [];
    for (const [name, def] of Object.entries(fields)) {
      const given = Object.prototype.hasOwnProperty.call(vals, name);
      if (def.type.endsWith('2many')) {
        row[name] = [];
        if (given) later.push([name, def, vals[name]]);
        continue;
      }
      row[name] = given && !def.readonly ? this.checkValue(model, name, def, vals[name]) : (def.default ?? false);
    }
    // Like PostgreSQL's NOT NULL, checked after the values were converted.
    for (const [name, def] of Object.entries(fields)) {
      if (def.required && (row[name] === false || row[name] === '')) {
        throw validationError(
          `The operation cannot be completed:\n- Create/update: a mandatory field is not set.\n- Delete: another model requires the record being deleted. If possible, archive it instead.\n\nModel: ${description} (${model})\nField: ${def.string} (${name})`,
        );
      }
    }
    if (model === 'sale.order') {
      const next = (this.sequences.get(model) ?? 0) + 1;
      this.sequences.set(model, next);
      row.name = `S${String(next).padStart(5, '0')}`;
    }
    this.tables.get(model)?.set(id, row);
    for (const [name, def, commands] of later) row[name] = this.applyCommands(model, name, def, id, [], commands);
    if (model === 'account.tax' && this.version === 18) row.price_include = vals.price_include_override === 'tax_included';
    if (model === 'sale.order') {
      // Untouched by a pricelist, the order's currency is the company's (USD on a fresh install).
      const pricelist = typeof row.pricelist_id === 'number' ? this.get('product.pricelist', row.pricelist_id) : undefined;
      row.currency_id = (pricelist?.currency_id as number | undefined) ?? (this.get('res.company', 1)?.currency_id as number | undefined) ?? false;
      if (row.date_order === false) row.date_order = nowDatetime();
      this.computeAmounts(id);
    }
    if (model === 'sale.order.line') {
      if (!Object.prototype.hasOwnProperty.call(vals, 'tax_id'))
        row.tax_id = this.rows('account.tax')
          .filter((tax) => tax.type_tax_use === 'sale' && tax.active !== false)
          .slice(0, 1)
          .map((tax) => tax.id as number);
      this.computeLine(row);
    }
    return id;
  }

  /**
   * Odoo's tax computation, rounded per line (the default): price-included taxes come out of the
   * price, excluded ones are added; a line created without taxes gets the product's default sale
   * tax (the fresh install's 15 %), which an explicit empty list avoids.
   */
  computeLine(line: Row): void {
    const base = Number(line.product_uom_qty) * Number(line.price_unit) * (1 - Number(line.discount) / 100);
    const taxes = ((line.tax_id as number[] | undefined) ?? []).map((taxId) => this.get('account.tax', taxId)).filter((tax): tax is Row => tax !== undefined);
    const included = taxes.filter((tax) => tax.price_include === true);
    const excluded = taxes.filter((tax) => tax.price_include !== true);
    const includedPercent = included.reduce((sum, tax) => sum + Number(tax.amount), 0);
    const excl = base / (1 + includedPercent / 100);
    const includedTax = included.reduce((sum, tax) => sum + round2((excl * Number(tax.amount)) / 100), 0);
    const subtotal = round2(base - includedTax);
    const excludedTax = excluded.reduce((sum, tax) => sum + round2((subtotal * Number(tax.amount)) / 100), 0);
    line.price_subtotal = subtotal;
    line.price_tax = round2(includedTax + excludedTax);
    line.price_total = round2(subtotal + includedTax + excludedTax);
  }

  computeAmounts(orderId: number): void {
    const order = this.get('sale.order', orderId);
    if (!order) return;
    const lines = this.rows('sale.order.line').filter((line) => line.order_id === orderId);
    order.amount_untaxed = round2(lines.reduce((sum, line) => sum + Number(line.price_subtotal), 0));
    order.amount_tax = round2(lines.reduce((sum, line) => sum + Number(line.price_tax), 0));
    order.amount_total = round2(Number(order.amount_untaxed) + Number(order.amount_tax));
  }

  search(model: string, domain: unknown): Row[] {
    const { fields } = this.model(model);
    try {
      const rows = this.rows(model).filter((row) => !('active' in fields) || row.active !== false || JSON.stringify(domain).includes('"active"'));
      return filterRows(rows, domain, (name) => name === 'id' || name in fields);
    } catch (error) {
      if (error instanceof DomainError) throw valueError(error.message);
      throw error;
    }
  }

  /** Like `read`: many2one as `[id, display name]` or false. */
  present(model: string, row: Row, fields: string[] | undefined): Record<string, unknown> {
    const defs = this.model(model).fields;
    const names = fields && fields.length > 0 ? fields : Object.keys(defs);
    const out: Record<string, unknown> = { id: row.id };
    for (const name of names) {
      if (name === 'id') continue;
      const def = defs[name];
      if (!def) throw valueError(`Invalid field '${name}' on model '${model}'`);
      const value = row[name] ?? false;
      if (def.type === 'many2one' && typeof value === 'number') {
        const target = this.get(def.relation ?? '', value);
        out[name] = [value, String(target?.name ?? '')];
      } else {
        out[name] = value;
      }
    }
    return out;
  }
}
