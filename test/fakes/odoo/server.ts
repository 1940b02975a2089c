import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

import { serializeFault, serializeMethodResponse } from 'xmlrpc/lib/serializer';
import Deserializer from 'xmlrpc/lib/deserializer';

import { closeServer, listenOnLoopback } from '../../support/listen';
import { FakeFault, FakeOrm, nowDatetime, validationError, valueError, type OdooMajor } from './models';

export type FailureKind = 'timeout' | 'http500' | 'http429' | 'lost-response' | 'fault';

export interface FailureRule {
  /** Matches `common.version`, `common.authenticate`, `object.execute_kw`, or `<model>.<method>`. */
  match: string;
  kind: FailureKind;
  /** How many calls it affects (default 1). */
  times?: number;
  fault?: { code: number; message: string };
  retryAfterSeconds?: number;
}

export interface FakeOdooOptions {
  version?: OdooMajor;
  db?: string;
  login?: string;
  apiKey?: string;
  userName?: string;
  latencyMs?: number;
  /** Currencies active besides USD (the company's); a fresh Odoo has only USD active. */
  activeCurrencies?: string[];
}

export interface FakeOdoo {
  url: string;
  db: string;
  login: string;
  apiKey: string;
  uid: number;
  orm: FakeOrm;
  latencyMs: number;
  /** Calls per `service.method` and per `<model>.<method>`. */
  calls: Record<string, number>;
  totalCalls(): number;
  resetCalls(): void;
  inject(rule: FailureRule): void;
  /** Drops every injected failure not used up yet (the outage is over). */
  clearFailures(): void;
  close(): Promise<void>;
}

type Kwargs = Record<string, unknown>;

const asKwargs = (value: unknown): Kwargs => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Kwargs) : {});
const asIds = (value: unknown): number[] => {
  if (typeof value === 'number') return [value];
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'number')) throw valueError(`Expected a list of ids, got ${JSON.stringify(value)}`);
  return value as number[];
};
const asFields = (value: unknown): string[] | undefined =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : undefined;

/** Groups as a fresh Odoo has them (XML id, name in 17/18, implied groups). */
const GROUPS: Array<{ xmlId: string; name: (version: OdooMajor) => string; implies: string[] }> = [
  { xmlId: 'base.group_user', name: () => 'User types / Internal User', implies: [] },
  { xmlId: 'base.group_partner_manager', name: () => 'Extra Rights / Contact Creation', implies: [] },
  { xmlId: 'sales_team.group_sale_salesman', name: () => 'Sales / User: Own Documents Only', implies: ['base.group_user'] },
  { xmlId: 'sales_team.group_sale_salesman_all_leads', name: () => 'Sales / User: All Documents', implies: ['sales_team.group_sale_salesman'] },
  {
    xmlId: 'sales_team.group_sale_manager',
    name: () => 'Sales / Administrator',
    implies: ['sales_team.group_sale_salesman_all_leads', 'base.group_partner_manager'],
  },
  {
    xmlId: 'account.group_account_invoice',
    name: (version) => (version === 17 ? 'Invoicing / Billing' : 'Invoicing / Invoicing'),
    implies: ['base.group_user'],
  },
  {
    xmlId: 'account.group_account_manager',
    name: (version) => (version === 17 ? 'Invoicing / Billing Administrator' : 'Invoicing / Administrator'),
    implies: ['account.group_account_invoice'],
  },
];

/**
 * Model access as a fresh Odoo 17/18 grants it (measured with check_access_rights on the real
 * servers): the groups allowed to `create`/`write`; reading is open to internal users.
 */
const ACCESS: Record<string, string[]> = {
  'sale.order:create': ['sales_team.group_sale_salesman'],
  'sale.order:write': ['sales_team.group_sale_salesman'],
  'sale.advance.payment.inv:create': ['sales_team.group_sale_salesman'],
  'res.partner:create': ['base.group_partner_manager'],
  'res.partner:write': ['base.group_partner_manager'],
  'product.product:create': ['sales_team.group_sale_manager'],
  'product.pricelist:create': ['sales_team.group_sale_manager'],
  'account.tax:create': ['account.group_account_manager'],
  'account.move:create': ['account.group_account_invoice'],
};

/** The user's groups with everything they imply. */
function userGroups(orm: FakeOrm, uid: number): Set<string> {
  const ids = (orm.get('res.users', uid)?.groups_id as number[] | undefined) ?? [];
  const xmlIds = new Set(
    ids
      .map((id) => orm.rows('ir.model.data').find((row) => row.model === 'res.groups' && row.res_id === id))
      .filter(Boolean)
      .map((row) => `${String(row?.module)}.${String(row?.name)}`),
  );
  let grew = true;
  while (grew) {
    grew = false;
    for (const group of GROUPS) {
      if (!xmlIds.has(group.xmlId)) continue;
      for (const implied of group.implies)
        if (!xmlIds.has(implied)) {
          xmlIds.add(implied);
          grew = true;
        }
    }
  }
  return xmlIds;
}

function allowed(orm: FakeOrm, uid: number, model: string, operation: string): boolean {
  const groups = userGroups(orm, uid);
  if (!groups.has('base.group_user')) return false;
  const needed = ACCESS[`${model}:${operation}`];
  return !needed || needed.some((group) => groups.has(group));
}

const accessError = (model: string, operation: string) =>
  new FakeFault(
    4,
    `You are not allowed to ${operation === 'create' ? 'create' : 'modify'} '${model}' (${model}) records.\n\nNo group currently allows this operation.\n\nContact your administrator to request access if necessary.`,
  );

/** `create_invoices` returns None: Odoo's XML-RPC (allow_none off) answers this fault after the work is done. */
const MARSHAL_NONE_FAULT = `Traceback (most recent call last):
  File "/opt/odoo/odoo/addons/base/controllers/rpc.py", line 165, in xmlrpc_2
    response = self._xmlrpc(service)
  File "/opt/odoo/odoo/addons/base/controllers/rpc.py", line 140, in _xmlrpc
    return dumps((result,))
  File "/usr/lib/python3.11/xmlrpc/client.py", line 536, in dump_nil
    raise TypeError("cannot marshal None unless allow_none is enabled")
TypeError: cannot marshal None unless allow_none is enabled
`;

/** The model methods the fake implements (public ORM methods plus the sale ones Sync Hub calls). */
function executeMethod(orm: FakeOrm, model: string, method: string, args: unknown[], kwargs: Kwargs, uid: number): unknown {
  if (method.startsWith('_')) throw new FakeFault(4, `Private methods (such as '${model}.${method}') cannot be called remotely.`);
  const defs = orm.model(model).fields;
  const limited = (rows: ReturnType<FakeOrm['search']>) => {
    const offset = typeof kwargs.offset === 'number' ? kwargs.offset : 0;
    const limit = typeof kwargs.limit === 'number' && kwargs.limit > 0 ? kwargs.limit : undefined;
    const sorted = typeof kwargs.order === 'string' && /\bdesc\b/i.test(kwargs.order) ? [...rows].reverse() : rows;
    return sorted.slice(offset, limit === undefined ? undefined : offset + limit);
  };
  switch (method) {
    case 'search':
      return limited(orm.search(model, args[0] ?? [])).map((row) => row.id);
    case 'search_count':
      return orm.search(model, args[0] ?? []).length;
    case 'search_read': {
      const fields = asFields(kwargs.fields ?? args[1]);
      return limited(orm.search(model, args[0] ?? [])).map((row) => orm.present(model, row, fields));
    }
    case 'read': {
      const fields = asFields(args[1] ?? kwargs.fields);
      return asIds(args[0]).flatMap((id) => {
        const row = orm.get(model, id);
        if (!row) throw validationError(`Record does not exist or has been deleted.\n(Record: ${model}(${id},), User: 2)`);
        return [orm.present(model, row, fields)];
      });
    }
    case 'check_access_rights': {
      const operation = String(args[0] ?? kwargs.operation ?? 'read');
      const ok = allowed(orm, uid, model, operation);
      if (!ok && kwargs.raise_exception !== false) throw accessError(model, operation);
      return ok;
    }
    case 'load': {
      // The import API, as Sync Hub uses it: `.id` (database id) plus plain fields.
      const [fields, rows] = args as [unknown, unknown];
      if (!Array.isArray(fields) || !Array.isArray(rows)) throw valueError('load() expects fields and rows');
      const idColumn = fields.indexOf('.id');
      const ids: number[] = [];
      for (const row of rows as unknown[][]) {
        const id = Number(row[idColumn]);
        const record = orm.get(model, id);
        if (!record)
          return {
            ids: false,
            messages: [
              {
                type: 'error',
                message: `No matching record found for database id '${String(row[idColumn])}' in field 'Database ID'`,
                field: '.id',
                rows: {},
                record: 0,
              },
            ],
            nextrow: 0,
          };
        if (!allowed(orm, uid, model, 'write')) throw accessError(model, 'write');
        fields.forEach((field, index) => {
          if (index === idColumn) return;
          if (!defs[String(field)]) throw valueError(`Invalid field '${String(field)}' on model '${model}'`);
          record[String(field)] = row[index] as string;
        });
        ids.push(id);
      }
      return { ids, messages: [], nextrow: 0 };
    }
    case 'create': {
      if (!allowed(orm, uid, model, 'create')) throw accessError(model, 'create');
      const vals = args[0];
      // Like Odoo's unique constraint on account.tax (name, company, type): a second tax of the same name is refused.
      if (model === 'account.tax') {
        const names = (Array.isArray(vals) ? vals : [vals]).map((item) => String((item as Record<string, unknown>)?.name ?? ''));
        const taken = new Set(orm.rows('account.tax').map((row) => String(row.name)));
        for (const name of names) {
          if (taken.has(name)) throw validationError(`Tax names must be unique!\n- ${name} in My Company`);
          taken.add(name);
        }
      }
      if (Array.isArray(vals)) return vals.map((item) => orm.createOne(model, item as Record<string, unknown>));
      return orm.createOne(model, vals as Record<string, unknown>);
    }
    case 'write': {
      const vals = asKwargs(args[1]);
      for (const key of Object.keys(vals)) if (!defs[key]) throw valueError(`Invalid field '${key}' on model '${model}'`);
      for (const id of asIds(args[0])) {
        const row = orm.get(model, id);
        if (!row) continue;
        Object.assign(row, vals);
        // Like Odoo's computed fields: a line's amounts and its order's totals follow the write.
        if (model === 'sale.order.line') {
          orm.computeLine(row);
          orm.computeAmounts(Number(row.order_id));
        }
      }
      return true;
    }
    case 'unlink': {
      const ids = asIds(args[0]);
      if (model === 'sale.order') {
        for (const id of ids) {
          const state = orm.get(model, id)?.state;
          if (state !== undefined && state !== 'draft' && state !== 'cancel')
            throw validationError('You can not delete a sent quotation or a confirmed sales order. You must first cancel it.');
        }
        for (const line of orm.rows('sale.order.line')) if (ids.includes(Number(line.order_id))) orm.tables.get('sale.order.line')?.delete(line.id as number);
      }
      for (const id of ids) orm.tables.get(model)?.delete(id);
      return true;
    }
    case 'action_cancel': {
      if (model !== 'sale.order') break;
      const ids = asIds(args[0]);
      const orders = ids.map((id) => orm.get(model, id)).filter((row): row is NonNullable<typeof row> => row !== undefined);
      // Odoo 17/18 answer a confirmed order's cancel with the cancel wizard unless told not to warn.
      if (!asKwargs(kwargs.context).disable_cancel_warning && orders.some((order) => order.state !== 'draft')) {
        return {
          name: 'Cancel Sales Order',
          type: 'ir.actions.act_window',
          view_mode: 'form',
          res_model: 'sale.order.cancel',
          target: 'new',
          context: { default_order_id: ids[0] },
        };
      }
      for (const order of orders) order.state = 'cancel';
      return true;
    }
    case 'fields_get':
      return Object.fromEntries(
        Object.entries(defs).map(([name, def]) => [
          name,
          {
            type: def.type,
            string: def.string,
            required: def.required ?? false,
            ...(def.selection ? { selection: def.selection.map((value) => [value, value]) } : {}),
          },
        ]),
      );
    case 'action_confirm': {
      if (model !== 'sale.order') break;
      const ids = asIds(args[0]);
      for (const id of ids) {
        const order = orm.get(model, id);
        if (!order) throw validationError(`Record does not exist or has been deleted.\n(Record: sale.order(${id},), User: 2)`);
        if (order.state !== 'draft' && order.state !== 'sent') throw validationError(`Some orders are not in a state requiring confirmation.`);
      }
      // Like Odoo: confirmation stamps the time of confirmation on date_order.
      for (const id of ids) Object.assign(orm.get(model, id) ?? {}, { state: 'sale', date_order: nowDatetime() });
      return true;
    }
    case 'create_invoices': {
      if (model !== 'sale.advance.payment.inv') break;
      for (const wizardId of asIds(args[0])) {
        const wizard = orm.get(model, wizardId);
        const context = asKwargs(kwargs.context);
        const orderIds = (wizard?.sale_order_ids as number[] | undefined)?.length ? (wizard?.sale_order_ids as number[]) : asIds(context.active_ids ?? []);
        for (const orderId of orderIds) {
          const order = orm.get('sale.order', orderId);
          if (!order || order.state !== 'sale')
            throw validationError(
              'There is no invoiceable line. If a product has a Delivered quantities invoicing policy, please make sure that a quantity has been delivered.',
            );
          if (((order.invoice_ids as number[]) ?? []).length > 0)
            throw validationError(
              'There is no invoiceable line. If a product has a Delivered quantities invoicing policy, please make sure that a quantity has been delivered.',
            );
          // Draft invoice names: 18 leaves them empty; 17 numbers the journal's first draft (so the
          // sequence can be edited) and gives later drafts '/'.
          const first = orm.rows('account.move').length === 0;
          const draftName = orm.version === 18 ? false : first ? `INV/${new Date().getUTCFullYear()}/00001` : '/';
          const moveId = orm.createOne('account.move', { invoice_origin: String(order.name), name: draftName });
          Object.assign(orm.get('account.move', moveId) ?? {}, { amount_total: order.amount_total, currency_id: order.currency_id });
          order.invoice_ids = [...((order.invoice_ids as number[]) ?? []), moveId];
        }
      }
      // The invoices exist now; the wizard's None cannot be sent back.
      throw new FakeFault(1, MARSHAL_NONE_FAULT);
    }
    default:
      break;
  }
  throw new FakeFault(1, `Traceback (most recent call last):\nAttributeError: The method '${method}' does not exist on the model '${model}'`);
}

function readCall(req: IncomingMessage): Promise<{ method: string; params: unknown[] }> {
  return new Promise((resolve, reject) => {
    new Deserializer().deserializeMethodCall(req, (error, method, params) => (error ? reject(error) : resolve({ method, params })));
  });
}

/** A protocol-faithful Odoo 17/18 on `/xmlrpc/2/common` and `/xmlrpc/2/object`. */
export async function startFakeOdoo(options: FakeOdooOptions = {}): Promise<FakeOdoo> {
  const orm = new FakeOrm(options.version ?? 17);
  const db = options.db ?? 'odoo';
  const login = options.login ?? 'bot@example.com';
  const apiKey = options.apiKey ?? 'fake-odoo-api-key-0001';
  // A fresh install: USD company, EUR and JPY present but not active, the 15 % default sale tax.
  const usd = orm.createOne('res.currency', { name: 'USD' });
  for (const name of ['EUR', 'GBP', 'JPY', 'COP'])
    orm.createOne('res.currency', { name, active: (options.activeCurrencies ?? []).includes(name), rounding: name === 'JPY' ? 1 : 0.01 });
  orm.createOne('res.company', { name: 'My Company', currency_id: usd });
  orm.createOne('account.tax', {
    name: '15%',
    amount: 15,
    amount_type: 'percent',
    type_tax_use: 'sale',
    ...(orm.version === 18 ? {} : { price_include: false }),
  });
  const groupIds = new Map<string, number>();
  for (const group of GROUPS) {
    const id = orm.createOne('res.groups', { name: group.name(orm.version).split(' / ').pop() ?? group.xmlId, full_name: group.name(orm.version) });
    const [module, name] = group.xmlId.split('.') as [string, string];
    orm.createOne('ir.model.data', { module, name, model: 'res.groups', res_id: id });
    groupIds.set(group.xmlId, id);
  }
  const adminGroups = ['sales_team.group_sale_manager', 'account.group_account_manager'].map((xmlId) => groupIds.get(xmlId) as number);
  orm.createOne('res.users', { name: 'OdooBot', login: '__system__' });
  const uid = orm.createOne('res.users', { name: options.userName ?? 'Sync Bot', login, groups_id: [[6, 0, adminGroups]] });
  const rules: Array<FailureRule & { left: number }> = [];

  const fake: FakeOdoo = {
    url: '',
    db,
    login,
    apiKey,
    uid,
    orm,
    latencyMs: options.latencyMs ?? 0,
    calls: {},
    totalCalls: () => (fake.calls['common.version'] ?? 0) + (fake.calls['common.authenticate'] ?? 0) + (fake.calls['object.execute_kw'] ?? 0),
    resetCalls: () => {
      for (const key of Object.keys(fake.calls)) delete fake.calls[key];
    },
    inject: (rule) => rules.push({ ...rule, left: rule.times ?? 1 }),
    clearFailures: () => {
      rules.length = 0;
    },
    close: () => closeServer(server),
  };
  const count = (key: string) => {
    fake.calls[key] = (fake.calls[key] ?? 0) + 1;
  };
  const takeRule = (keys: string[]) => {
    const rule = rules.find((entry) => entry.left > 0 && keys.includes(entry.match));
    if (rule) rule.left -= 1;
    return rule;
  };

  function dispatch(service: string, method: string, params: unknown[]): unknown {
    if (service === 'common' && method === 'version')
      return {
        server_version: `${orm.version}.0`,
        server_version_info: [orm.version, 0, 0, 'final', 0, ''],
        server_serie: `${orm.version}.0`,
        protocol_version: 1,
      };
    if (service === 'common' && method === 'authenticate') {
      const [dbName, user, key] = params;
      if (dbName !== db)
        throw new FakeFault(
          1,
          `Traceback (most recent call last):\npsycopg2.OperationalError: connection to server failed: FATAL:  database "${String(dbName)}" does not exist`,
        );
      if (user === login && key === apiKey) return uid;
      // Users made over XML-RPC log in with their password.
      const other = orm.rows('res.users').find((row) => row.login === user && row.id !== uid);
      return other && typeof other.password === 'string' && other.password !== '' && other.password === key ? other.id : false;
    }
    if (service === 'object' && method === 'execute_kw') {
      const [dbName, callerUid, key, model, odooMethod, args, kwargs] = params;
      const caller = typeof callerUid === 'number' ? orm.get('res.users', callerUid) : undefined;
      const keyOk =
        callerUid === uid ? key === apiKey : caller !== undefined && typeof caller.password === 'string' && caller.password !== '' && caller.password === key;
      if (dbName !== db || !keyOk) throw new FakeFault(3, 'Access Denied');
      if (typeof model !== 'string' || typeof odooMethod !== 'string') throw valueError('execute_kw needs a model and a method name');
      return executeMethod(orm, model, odooMethod, Array.isArray(args) ? args : [], asKwargs(kwargs), callerUid as number);
    }
    throw new FakeFault(1, `Traceback (most recent call last):\nNameError: method not available ${service}.${method}`);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const match = /^\/xmlrpc\/2\/(common|object)$/.exec(req.url ?? '');
    if (req.method !== 'POST' || !match?.[1]) {
      res.writeHead(404, { 'Content-Type': 'text/html' }).end('<h1>Not Found</h1>');
      return;
    }
    const service = match[1];
    const { method, params } = await readCall(req);
    const keys = [`${service}.${method}`];
    count(keys[0] as string);
    if (service === 'object' && method === 'execute_kw' && typeof params[3] === 'string' && typeof params[4] === 'string') {
      keys.push(`${params[3]}.${params[4]}`);
      count(keys[1] as string);
    }
    if (fake.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, fake.latencyMs));
    const rule = takeRule(keys);
    if (rule?.kind === 'timeout') return; // never answers; the client's timeout fires
    if (rule?.kind === 'http500') {
      res.writeHead(500, { 'Content-Type': 'text/html' }).end('<h1>Internal Server Error</h1>');
      return;
    }
    if (rule?.kind === 'http429') {
      res.writeHead(429, { 'Content-Type': 'text/html', 'Retry-After': String(rule.retryAfterSeconds ?? 1) }).end('Too Many Requests');
      return;
    }
    let xml: string;
    try {
      if (rule?.kind === 'fault') throw new FakeFault(rule.fault?.code ?? 2, rule.fault?.message ?? 'Injected failure');
      const result = dispatch(service, method, params);
      if (rule?.kind === 'lost-response') {
        req.socket.destroy(); // the work is done, the answer never arrives
        return;
      }
      xml = serializeMethodResponse(result);
    } catch (error) {
      const fault =
        error instanceof FakeFault ? error : new FakeFault(1, `Traceback (most recent call last):\n${error instanceof Error ? error.message : String(error)}`);
      xml = serializeFault({ faultCode: fault.faultCode, faultString: fault.faultString });
    }
    res.writeHead(200, { 'Content-Type': 'text/xml' }).end(xml);
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(400, { 'Content-Type': 'text/html' }).end('<h1>Bad Request</h1>');
    });
  });
  fake.url = await listenOnLoopback(server);
  return fake;
}
