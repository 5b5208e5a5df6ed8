/** The platform the library runs on: Node here; the book's browser bundle swaps this file for browser.ts. */
export * from "./node";
