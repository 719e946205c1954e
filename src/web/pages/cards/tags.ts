/** Tags as typed: separated by commas and/or spaces, each once, in the order given. */
export function parseTags(text: string): string[] {
  return [...new Set(text.split(/[\s,]+/).filter(Boolean))];
}

/** Tags back into the text box. */
export function formatTags(tags: readonly string[]): string {
  return tags.join(', ');
}

/** An optional text field: blank means "none" (null), which also clears it on an update. */
export function optionalText(value: string): string | null {
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}
