// Types for the serializer and deserializer inside the `xmlrpc` package (its own typings cover
// only the client and server). The transport uses them to speak XML-RPC over fetch with timeouts;
// nothing outside connectors/odoo imports `xmlrpc` (the test fakes aside).
declare module 'xmlrpc/lib/serializer' {
  export function serializeMethodCall(method: string, params: unknown[], encoding?: string): string;
  export function serializeMethodResponse(value: unknown): string;
  export function serializeFault(fault: { faultCode: number; faultString: string }): string;
}

declare module 'xmlrpc/lib/deserializer' {
  import type { Readable } from 'node:stream';

  class Deserializer {
    constructor(encoding?: string);
    deserializeMethodResponse(
      stream: Readable,
      callback: (error: (Error & { faultCode?: unknown; faultString?: unknown }) | null, value: unknown) => void,
    ): void;
    deserializeMethodCall(stream: Readable, callback: (error: Error | null, methodName: string, params: unknown[]) => void): void;
    // Internals the transport's stricter subclass (xmlrpc-response.ts) overrides or uses.
    protected parser: NodeJS.EventEmitter;
    protected stack: unknown[];
    protected marks: number[];
    protected value: boolean;
    protected error: Error | null;
    protected push(value: unknown): void;
    protected onError(error: Error | string): void;
    protected onOpentag(node: { name: string }): void;
    protected onClosetag(name: string): void;
    protected onText(text: string): void;
    protected endInt(data: string): void;
    protected endDouble(data: string): void;
    protected endStruct(data: string): void;
    protected endArray(data: string): void;
  }
  export = Deserializer;
}
