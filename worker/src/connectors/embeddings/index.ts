export { EmbeddingsClient } from './client';
export { embeddingsConfigSchema, embeddingsEndpoint, type EmbeddingsConfig, type EmbeddingsConfigInput } from './config';
export { EmbeddingsError, EmbeddingsPermanentError, EmbeddingsRetryableError, errorForStatus } from './errors';
