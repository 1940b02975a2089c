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
  if (version === 17) productFields.detailed_type = { type: 'selection', string: 'Product Type', selection: ['consu', 'service', 'product', 'event'], default: 'consu' };
  else productFields.is_storable = { type: 'boolean', string: 'Track Inventory', default: false };
  return {
    'res.users': { description: 'User', fields: { name: { type: 'char', string: 'Name', required: true }, login: { type: 'char', string: 'Login', required: true } } },
    'res.partner': {
      description: 'Contact',
      fields: {
        name: { type: 'char', string: 'Name', required: true },
        email: { type: 'char', string: 'Email' },
        phone: { type: 'char', string: 'Phone' },
        ref: { type: 'char', string: 'Reference' },
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
        state: { type: 'selection', string: 'Status', selection: ['draft', 'sent', 'sale', 'cancel'], default: 'draft', readonly: true },
        order_line: { type: 'one2many', string: 'Order Lines', relation: 'sale.order.line', inverse: 'order_id' },
        invoice_ids: { type: 'many2many', string: 'Invoices', relation: 'account.move', readonly: true },
        amount_untaxed: { type: 'float', string: 'Untaxed Amount', readonly: true },
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
        move_type: { type: 'selection', string: 'Type', selection: ['out_invoice'], default: 'out_invoice' },
        state: { type: 'selection', string: 'Status', selection: ['draft', 'posted'], default: 'draft' },
      },
    },
  };
}

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
        if (!this.get(def.relation ?? '', value)) throw validationError(`The operation cannot be completed: the record ${def.relation}(${value},) referenced by ${model}.${field} does not exist.`);
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
      row[name] = given && !def.readonly ? this.checkValue(model, name, def, vals[name]) : def.default ?? false;
    }
    // Like PostgreSQL's NOT NULL, checked after the values were converted.
    for (const [name, def] of Object.entries(fields)) {
      if (def.required && (row[name] === false || row[name] === '')) {
        throw validationError(`The operation cannot be completed:\n- Create/update: a mandatory field is not set.\n- Delete: another model requires the record being deleted. If possible, archive it instead.\n\nModel: ${description} (${model})\nField: ${def.string} (${name})`);
      }
    }
    if (model === 'sale.order') {
      const next = (this.sequences.get(model) ?? 0) + 1;
      this.sequences.set(model, next);
      row.name = `S${String(next).padStart(5, '0')}`;
    }
    this.tables.get(model)?.set(id, row);
    for (const [name, def, commands] of later) row[name] = this.applyCommands(model, name, def, id, [], commands);
    // No taxes in the fake: the untaxed amount is the total.
    if (model === 'sale.order') row.amount_untaxed = row.amount_total = this.orderTotal(id);
    return id;
  }

  private orderTotal(orderId: number): number {
    return this.rows('sale.order.line')
      .filter((line) => line.order_id === orderId)
      .reduce((sum, line) => sum + Number(line.product_uom_qty) * Number(line.price_unit) * (1 - Number(line.discount) / 100), 0);
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
