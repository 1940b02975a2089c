import { createHash } from 'node:crypto';

/** The fields whose text is embedded; everything else (price, stock, images) is metadata. */
export interface ProductText {
  name: string;
  short_description: string;
  description: string;
  categories: readonly string[];
  tags: readonly string[];
}

const collapse = (value: string): string => value.replace(/\s+/g, ' ').trim();

/** Which formula makes the content hash (`PRODUCTS_CONTENT_HASH`); see docs/products-content-hash.md. */
export const CONTENT_HASH_FORMULAS = ['synchub', 'original'] as const;
export type ContentHashFormula = (typeof CONTENT_HASH_FORMULAS)[number];

/**
 * SHA-256 over the embedded text only. Whitespace runs collapse and category / tag order does not
 * matter, so a save that only moves a price or reorders terms keeps the hash — and the embeddings.
 */
export function contentHash(text: ProductText, formula: ContentHashFormula = 'synchub'): string {
  if (formula === 'original') return originalContentHash(text);
  const canonical = JSON.stringify([
    collapse(text.name),
    collapse(text.short_description),
    collapse(text.description),
    [...new Set(text.categories.map(collapse))].sort(),
    [...new Set(text.tags.map(collapse))].sort(),
  ]);
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}

/**
 * The original ingestion backend's formula, byte for byte: SHA-256 (hex) of the UTF-8 string
 * `name|short_description|description|categories joined by ","|tags joined by ","`, values as sent
 * (no whitespace folding, terms in the order given). Hashes stored by that backend therefore match.
 */
export function originalContentHash(text: ProductText): string {
  const content = [text.name, text.short_description, text.description, text.categories.join(','), text.tags.join(',')].join('|');
  return createHash('sha256').update(content, 'utf8').digest('hex');
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', '#39': "'" };

/** WooCommerce descriptions are HTML: keep the words, drop the markup (script/style bodies too). */
export function htmlToText(html: string): string {
  return html
    .replace(/<(script|style)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<\s*(br|\/p|\/div|\/li|\/h[1-6])\s*\/?>/gi, '\n')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(#?\w+);/g, (whole, name: string) => ENTITIES[name.toLowerCase()] ?? whole)
    .split('\n')
    .map(collapse)
    .filter(Boolean)
    .join('\n');
}

/** The document that is chunked and embedded. */
export function productDocument(text: ProductText): string {
  const parts = [collapse(text.name), htmlToText(text.short_description), htmlToText(text.description)];
  if (text.categories.length > 0) parts.push(`Categories: ${text.categories.map(collapse).join(', ')}`);
  if (text.tags.length > 0) parts.push(`Tags: ${text.tags.map(collapse).join(', ')}`);
  return parts.filter(Boolean).join('\n\n');
}

/**
 * Splits a document into chunks of at most `size` characters, cutting at the last paragraph,
 * line, sentence or word break inside the window, with `overlap` characters repeated between
 * neighbours so a sentence cut in two is still found whole in one of them.
 */
export function chunkText(document: string, size = 1_000, overlap = 100): string[] {
  if (size < 1 || overlap < 0 || overlap >= size) throw new RangeError('chunk size must be positive and larger than the overlap');
  const textValue = document.trim();
  if (textValue === '') return [];
  const chunks: string[] = [];
  let start = 0;
  while (start < textValue.length) {
    let end = Math.min(start + size, textValue.length);
    if (end < textValue.length) {
      const window = textValue.slice(start, end);
      const floor = Math.floor(size / 2);
      const cut = [/\n\n(?=[^\n]*$)/, /\n(?=[^\n]*$)/, /[.!?]\s(?=[^.!?]*$)/, /\s(?=\S*$)/]
        .map((pattern) => pattern.exec(window))
        .map((match) => (match ? match.index + match[0].length : -1))
        .find((index) => index > floor);
      if (cut !== undefined) end = start + cut;
    }
    const chunk = textValue.slice(start, end).trim();
    if (chunk) chunks.push(chunk);
    if (end >= textValue.length) break;
    const next = end - overlap;
    // Start the overlap at a word boundary when there is one.
    const space = textValue.indexOf(' ', next);
    start = space !== -1 && space < end ? space + 1 : Math.max(next, start + 1);
  }
  return chunks;
}

export const chunkHash = (chunk: string): string => createHash('sha256').update(chunk, 'utf8').digest('hex');
