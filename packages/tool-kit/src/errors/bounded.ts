/**
 * `text` when it is at most `max` characters, else its first `max` characters followed by
 * `…(<length> chars)`: whatever a caller sends (a megabyte-long argument name), what is
 * echoed back or logged stays small, and says how long the original was.
 */
export function bounded(text: string, max: number): string {
  if (text.length <= max) return text;
  // Never cut between the halves of a surrogate pair: a lone half is not text.
  const last = text.charCodeAt(max - 1);
  const cut = last >= 0xd800 && last <= 0xdbff ? max - 1 : max;
  return `${text.slice(0, cut)}…(${text.length} chars)`;
}
