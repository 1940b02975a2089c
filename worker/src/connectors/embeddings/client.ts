import type { Dispatcher } from 'undici';

import { egressRefusal, readBodyCapped, strictRequest, type RequestLike } from '../../core/egress';
import { embeddingsConfigSchema, embeddingsEndpoint, type EmbeddingsConfig, type EmbeddingsConfigInput } from './config';
import { EmbeddingsPermanentError, errorForStatus, EmbeddingsRetryableError } from './errors';
import { embeddingsRequest, vectorsFromResponse, type EncodingFormat } from './mappers';

/** Requests of one `embed` call in flight at once. */
const REQUESTS_IN_FLIGHT = 4;

/**
 * The largest answer read for a request: 1 MiB plus 256 KiB per input, room for 8,192-dimension
 * vectors written out as JSON. Past it the answer is cut off, so a broken or hostile endpoint
 * cannot fill the worker's memory.
 */
const ANSWER_BASE_BYTES = 1024 * 1024;
const ANSWER_BYTES_PER_INPUT = 256 * 1024;
/** Of an error answer only the start is read: it goes into a message cut at 300 characters anyway. */
const ERROR_ANSWER_BYTES = 64 * 1024;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One transport to an OpenAI-compatible `POST /embeddings`. */
export class EmbeddingsClient {
  readonly config: EmbeddingsConfig;
  private readonly endpoint: string;
  /**
   * Inputs per request: `maxBatch`, halved for good each time the endpoint answers 413 (Hugging
   * Face TEI refuses more than its `--max-client-batch-size`, 32 unless set, with a 413; so does a
   * proxy's body size limit).
   */
  private inputsPerRequest: number;
  /** Vectors are asked for as base64 until the endpoint refuses the field (then as numbers, for good). */
  private encoding: EncodingFormat = 'base64';

  constructor(
    config: EmbeddingsConfigInput,
    /** The runtime's egress request (target policy); the strict one when none is given. */
    private readonly requestImpl: RequestLike = strictRequest,
  ) {
    this.config = embeddingsConfigSchema.parse(config);
    this.endpoint = embeddingsEndpoint(this.config.url);
    this.inputsPerRequest = this.config.maxBatch;
  }

  /** Inputs each request carries now (`maxBatch` until the endpoint refused a size). */
  get batchSize(): number {
    return this.inputsPerRequest;
  }

  get model(): string {
    return this.config.model;
  }

  /**
   * One vector per input, in order. Inputs are sent `batchSize` per request, up to
   * REQUESTS_IN_FLIGHT requests at once (a remote model answers each in a few hundred ms); after a
   * failure no further request starts, and the failure is thrown.
   */
  async embed(inputs: string[]): Promise<number[][]> {
    const size = this.inputsPerRequest;
    const slices: string[][] = [];
    for (let start = 0; start < inputs.length; start += size) slices.push(inputs.slice(start, start + size));
    const answers: number[][][] = [];
    let next = 0;
    let failed = false;
    const sendSlices = async (): Promise<void> => {
      for (let index = next++; index < slices.length && !failed; index = next++) {
        try {
          answers[index] = await this.embedBatch(slices[index] as string[]);
        } catch (error) {
          failed = true;
          throw error;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(REQUESTS_IN_FLIGHT, slices.length) }, sendSlices));
    return answers.flat();
  }

  /** The credentials check behind "Test connection". */
  async test(): Promise<{ dimensions: number }> {
    const [vector] = await this.embed(['connection test']);
    return { dimensions: vector?.length ?? 0 };
  }

  /**
   * One request's inputs. Refused as too large, they are sent again in smaller requests: at half
   * this size when the refusal is news, at the size already learned when a request sent before
   * it was learned comes back refused too. One input refused as too large stays an error.
   */
  private async embedBatch(inputs: string[]): Promise<number[][]> {
    try {
      return await this.requestWaitingOnce(inputs);
    } catch (error) {
      if (!(error instanceof EmbeddingsPermanentError && error.status === 413 && inputs.length > 1)) throw error;
      if (inputs.length <= this.inputsPerRequest) this.inputsPerRequest = Math.ceil(inputs.length / 2);
      const size = this.inputsPerRequest;
      const vectors: number[][] = [];
      for (let start = 0; start < inputs.length; start += size) vectors.push(...(await this.embedBatch(inputs.slice(start, start + size))));
      return vectors;
    }
  }

  private async requestWaitingOnce(inputs: string[]): Promise<number[][]> {
    try {
      return await this.request(inputs);
    } catch (error) {
      const wait = error instanceof EmbeddingsRetryableError ? error.retryAfterMs : undefined;
      if (wait === undefined || wait > this.config.maxInlineRetryAfterMs) throw error;
      await sleep(wait);
      return this.request(inputs);
    }
  }

  /** Inputs answered in base64, or as numbers once an endpoint refused base64 (a 400 or 422 that numbers do not get). */
  private async request(inputs: string[]): Promise<number[][]> {
    const encoding = this.encoding;
    try {
      return await this.send(inputs, encoding);
    } catch (error) {
      if (!(encoding === 'base64' && error instanceof EmbeddingsPermanentError && (error.status === 400 || error.status === 422))) throw error;
      const vectors = await this.send(inputs, 'float');
      this.encoding = 'float';
      return vectors;
    }
  }

  private async send(inputs: string[], encoding: EncodingFormat): Promise<number[][]> {
    const headers: Record<string, string> = { 'Content-Type': 'application/json', Accept: 'application/json' };
    if (this.config.apiKey) headers.Authorization = `Bearer ${this.config.apiKey}`;
    let response: Dispatcher.ResponseData;
    try {
      response = await this.requestImpl(this.endpoint, {
        method: 'POST',
        headers,
        body: JSON.stringify(embeddingsRequest(this.config.model, inputs, encoding)),
        signal: AbortSignal.timeout(this.config.timeoutMs),
      });
    } catch (error) {
      const refused = egressRefusal(error);
      if (refused) throw new EmbeddingsPermanentError(refused.message);
      const reason =
        error instanceof Error && error.name === 'TimeoutError'
          ? `timed out after ${this.config.timeoutMs} ms`
          : error instanceof Error
            ? error.message
            : String(error);
      throw new EmbeddingsRetryableError(`embeddings endpoint unreachable: ${reason}`);
    }
    // Every path reads the body to its end or drops the connection, so no socket is left half read.
    if (response.statusCode < 200 || response.statusCode > 299) {
      const detail = (await readBodyCapped(response.body, ERROR_ANSWER_BYTES).catch(() => '')) ?? '';
      const retryAfter = response.headers['retry-after'];
      throw errorForStatus(response.statusCode, detail, (Array.isArray(retryAfter) ? retryAfter[0] : retryAfter) ?? null, Date.now());
    }
    const maxBytes = ANSWER_BASE_BYTES + ANSWER_BYTES_PER_INPUT * inputs.length;
    let text: string | null;
    try {
      text = await readBodyCapped(response.body, maxBytes);
    } catch (error) {
      throw new EmbeddingsRetryableError(`embeddings answer cut off: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (text === null) {
      throw new EmbeddingsPermanentError(`the embeddings endpoint answered more than ${Math.round(maxBytes / 1024 / 1024)} MiB for ${inputs.length} inputs`);
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw errorForStatus(502, 'the answer is not JSON', null, Date.now());
    }
    return vectorsFromResponse(body, inputs.length);
  }
}
