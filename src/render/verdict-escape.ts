/**
 * Escaping for text that came from a backlog file (titles, hypotheses, metric and gate names).
 * Whoever writes a backlog item must not be able to inject markup, links, mentions or table
 * cells into a pull-request comment, a digest or a page.
 */

/**
 * Markdown as GitHub renders it: HTML is neutralised as entities, markdown punctuation is
 * backslash-escaped, `@name` cannot mention anybody, and a line break cannot start a new block.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/\r\n|[\r\n\t]/g, " ")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/[\\`*_{}[\]()#!|~]/g, "\\$&")
    .replace(/@/g, "&#64;");
}

/** HTML text and attribute values; control characters (terminal escapes) are dropped. */
export function escapeHtml(text: string): string {
  return (
    text
      // biome-ignore lint/suspicious/noControlCharactersInRegex: dropping them is the point
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, "")
      .replace(/&/g, "&amp;")
      .replace(/</g, "&lt;")
      .replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;")
      .replace(/'/g, "&#39;")
  );
}
