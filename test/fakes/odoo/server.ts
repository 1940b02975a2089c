import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

import { serializeFault, serializeMethodResponse } from 'xmlrpc/lib/serializer';
import Deserializer from 'xmlrpc/lib/deserializer';

import { closeServer, listenOnLoopback } from '../../support/listen';
import { FakeFault, FakeOrm, validationError, valueError, type OdooMajor } from './models';

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
const asFields = (value: unknown): string[] | undefined => (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : undefined);

/** The model methods the fake implements (public ORM methods plus the sale ones Sync Hub calls). */
function executeMethod(orm: FakeOrm, model: string, method: string, args: unknown[], kwargs: Kwargs): unknown {
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
    case 'create': {
      const vals = args[0];
      if (Array.isArray(vals)) return vals.map((item) => orm.createOne(model, item as Record<string, unknown>));
      return orm.createOne(model, vals as Record<string, unknown>);
    }
    case 'write': {
      const vals = asKwargs(args[1]);
      for (const key of Object.keys(vals)) if (!defs[key]) throw valueError(`Invalid field '${key}' on model '${model}'`);
      for (const id of asIds(args[0])) Object.assign(orm.get(model, id) ?? {}, vals);
      return true;
    }
    case 'fields_get':
      return Object.fromEntries(Object.entries(defs).map(([name, def]) => [name, { type: def.type, string: def.string, required: def.required ?? false, ...(def.selection ? { selection: def.selection.map((value) => [value, value]) } : {}) }]));
    case 'action_confirm': {
      if (model !== 'sale.order') break;
      const ids = asIds(args[0]);
      for (const id of ids) {
        const order = orm.get(model, id);
        if (!order) throw validationError(`Record does not exist or has been deleted.\n(Record: sale.order(${id},), User: 2)`);
        if (order.state !== 'draft' && order.state !== 'sent') throw validationError(`Some orders are not in a state requiring confirmation.`);
      }
      for (const id of ids) Object.assign(orm.get(model, id) ?? {}, { state: 'sale' });
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
          if (!order || order.state !== 'sale') throw validationError('There is no invoiceable line. If a product has a Delivered quantities invoicing policy, please make sure that a quantity has been delivered.');
          const moveId = orm.createOne('account.move', { invoice_origin: String(order.name), name: `INV/${orderId}` });
          order.invoice_ids = [...((order.invoice_ids as number[]) ?? []), moveId];
        }
      }
      return { type: 'ir.actions.act_window', res_model: 'account.move' };
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
  orm.createOne('res.users', { name: 'OdooBot', login: '__system__' });
  const uid = orm.createOne('res.users', { name: options.userName ?? 'Sync Bot', login });
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
    if (service === 'common' && method === 'version') return { server_version: `${orm.version}.0`, server_version_info: [orm.version, 0, 0, 'final', 0, ''], server_serie: `${orm.version}.0`, protocol_version: 1 };
    if (service === 'common' && method === 'authenticate') {
      const [dbName, user, key] = params;
      if (dbName !== db) throw new FakeFault(1, `Traceback (most recent call last):\npsycopg2.OperationalError: connection to server failed: FATAL:  database "${String(dbName)}" does not exist`);
      return user === login && key === apiKey ? uid : false;
    }
    if (service === 'object' && method === 'execute_kw') {
      const [dbName, callerUid, key, model, odooMethod, args, kwargs] = params;
      if (dbName !== db || callerUid !== uid || key !== apiKey) throw new FakeFault(3, 'Access Denied');
      if (typeof model !== 'string' || typeof odooMethod !== 'string') throw valueError('execute_kw needs a model and a method name');
      return executeMethod(orm, model, odooMethod, Array.isArray(args) ? args : [], asKwargs(kwargs));
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
      const fault = error instanceof FakeFault ? error : new FakeFault(1, `Traceback (most recent call last):\n${error instanceof Error ? error.message : String(error)}`);
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
