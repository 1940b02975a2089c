// Types for the serializer and deserializer inside the `xmlrpc` package (its own typings cover
// only the client and server). The transport uses them to speak XML-RPC over fetch with timeouts.
declare module 'xmlrpc/lib/serializer' {
  export function serializeMethodCall(method: string, params: unknown[], encoding?: string): string;
  export function serializeMethodResponse(value: unknown): string;
  export function serializeFault(fault: { faultCode: number; faultString: string }): string;
}

declare module 'xmlrpc/lib/deserializer' {
  import type { Readable } from 'node:stream';

  class Deserializer {
    constructor(encoding?: string);
    deserializeMethodResponse(stream: Readable, callback: (error: (Error & { faultCode?: unknown; faultString?: unknown }) | null, value: unknown) => void): void;
    deserializeMethodCall(stream: Readable, callback: (error: Error | null, methodName: string, params: unknown[]) => void): void;
  }
  export = Deserializer;
}
