/**
 * When the extension's bundle started evaluating. Imported first by extension.ts, so the
 * difference to the end of activate() covers loading our modules and activating.
 */
export const MODULE_START = performance.now();
