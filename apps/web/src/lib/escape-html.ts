const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Text made safe to place inside an HTML string. ECharts renders the string a tooltip or label
 * formatter returns as HTML, so every user-supplied name (site, indicator, team, person) that goes
 * into one passes through here; React's own rendering needs no help.
 */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}
