/** `text` with LIKE's wildcards escaped, for a pattern used with `escape '\'` (search boxes take them literally). */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
