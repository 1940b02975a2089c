import type { Dispatcher } from 'undici';

import { egressRefusal, strictRequest, type RequestLike } from '../../core/egress';
import { embeddingsConfigSchema, embeddingsEndpoint, type EmbeddingsConfig, type EmbeddingsConfigInput } from './config';
import { EmbeddingsPermanentError, errorForStatus, EmbeddingsRetryableError } from './errors';
import { embeddingsRequest, vectorsFromResponse } from './mappers';

/** Requests of one `embed` call in flight at once. */
const REQUESTS_IN_FLIGHT = 4;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One transport to an OpenAI-compatible `POST /embeddings`. */
export class EmbeddingsClient {
  readonly config: EmbeddingsConfig;
  private readonly endpoint: string;

  constructor(
    config: EmbeddingsConfigInput,
    /** The runtime's egress request (target policy); the strict one when none is given. */
    private readonly requestImpl: RequestLike = strictRequest,
  ) {
    this.config = embeddingsConfigSchema.parse(config);
    this.endpoint = embeddingsEndpoint(this.config.url);
  }

  get model(): string {
    return this.config.model;
  }

  /**
   * One vector per input, in order. Inputs are sent `maxBatch` per request, up to
   * REQUESTS_IN_FLIGHT requests at once (a remote model answers each in a few hundred ms); after a
   * failure no further request starts, and the failure is thrown.
   */
  async embed(inputs: string[]): Promise<number[][]> {
    const slices: string[][] = [];
    for (let start = 0; start < inputs.length; start += this.config.maxBatch) slices.push(inputs.slice(start, start + this.config.maxBatch));
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

  private async embedBatch(inputs: string[]): Promise<number[][]> {
    try {
      return await this.request(inputs);
    } catch (error) {
      const wait = error instanceof EmbeddingsRetryableError ? error.retryAfterMs : undefined;
      if (wait === undefined || wait > this.config.maxInlineRetryAfterMs) throw error;
      await sleep(wait);
      return this.request(inputs);
    }
  }

  private async request(inputs: string[]): Promise<number[][]> {
    const headers: Record<string, string> = { 'Content-Type': 'application/json', Accept: 'application/json' };
    if (this.config.apiKey) headers.Authorization = `Bearer ${this.config.apiKey}`;
    let response: Dispatcher.ResponseData;
    try {
      response = await this.requestImpl(this.endpoint, {
        method: 'POST',
        headers,
        body: JSON.stringify(embeddingsRequest(this.config.model, inputs)),
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
    // Every path reads the body to its end, so the connection goes back to the pool.
    if (response.statusCode < 200 || response.statusCode > 299) {
      const detail = await response.body.text().catch(() => '');
      const retryAfter = response.headers['retry-after'];
      throw errorForStatus(response.statusCode, detail, (Array.isArray(retryAfter) ? retryAfter[0] : retryAfter) ?? null, Date.now());
    }
    let body: unknown;
    try {
      body = await response.body.json();
    } catch {
      throw errorForStatus(502, 'the answer is not JSON', null, Date.now());
    }
    return vectorsFromResponse(body, inputs.length);
  }
}
