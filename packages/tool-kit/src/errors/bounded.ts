/**
 * `text` when it is at most `max` characters, else its first `max` characters followed by
 * `…(<length> chars)`: whatever a caller sends (a megabyte-long argument name), what is
 * echoed back or logged stays small, and says how long the original was.
 */
export function bounded(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}…(${text.length} chars)`;
}
