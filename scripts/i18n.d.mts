// Types of the functions scripts/i18n.mjs exports for the tests.

export interface CatalogEntry {
  msgctxt: string | undefined;
  msgid: string;
  msgid_plural: string | undefined;
  /** `file:line` of every call. */
  references: string[];
  /** Translator comments. */
  comments: string[];
}

export interface Catalog {
  entries: Map<string, CatalogEntry>;
  issues: string[];
}

export interface Translation {
  msgstr: string[];
  fuzzy: boolean;
  file: string;
}

export interface Fragments {
  translations: Map<string, Translation>;
  issues: string[];
  files: string[];
}

export interface JedData {
  domain: 'messages';
  locale_data: {
    messages: Record<string, string[] | { domain: string; lang: string; 'plural-forms': string }>;
  };
}

export const ROOT: string;
export const DOMAIN: string;
export const SCRIPT_PATH: string;
export const LOCALES: Record<'es_ES' | 'fa_IR', string>;
export function entryKey(msgctxt: string | undefined, msgid: string): string;
export function createCatalog(): Catalog;
export function extract(): Catalog;
export function extractJs(catalog: Catalog, file: string): void;
export function extractPhp(catalog: Catalog, file: string): void;
export function isScriptEntry(entry: CatalogEntry): boolean;
export function commentProblems(catalog: Catalog): string[];
export function loadFragments(locale: string): Fragments;
export function placeholders(text: string): string[];
export function localeProblems(catalog: Catalog, translations: Map<string, Translation>, locale: string): string[];
export function jsonFileName(locale: string): string;
export function jedData(catalog: Catalog, translations: Map<string, Translation>, locale: string): JedData;
export function outputs(catalog: Catalog, merged: Record<string, Fragments>): Map<string, Buffer>;
