/** Turning thrown values into text for messages and the log. */

/** A one-line message for a notification. */
export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message.split('\n')[0];
  return String(e);
}

/** The full text for the log (stack included). */
export function errorDetail(e: unknown): string {
  if (e instanceof Error) return e.stack ?? e.message;
  return String(e);
}

/** Whether an error is an AbortSignal's abort. */
export function isAbort(e: unknown): boolean {
  return e instanceof Error && (e.name === 'AbortError' || e.name === 'RmlCancelledError');
}
