/**
 * The library's own sources (lib/src/**\/*.ts by path), for showSource in a page, which cannot read
 * files: empty here; scripts/book/library-bundle.ts fills this module in when it bundles the library
 * for the browser, so that a page shows the same text as the repository. Node reads lib/src itself.
 */
export const LIBRARY_SOURCES: Readonly<Record<string, string>> | null = null;
