export function escapeHtml(s: string) {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/** The markup of a self-contained page: the title as heading, then the given body (HTML). */
export function plainPageHtml(title: string, bodyHtml: string) {
  return `<!doctype html><html lang="it"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><link rel="stylesheet" href="/bootstrap-italia/css/bootstrap-italia.min.css"></head>
<body><main class="container my-5" id="contenuto"><h1>${escapeHtml(title)}</h1>${bodyHtml}</main></body></html>`;
}

/**
 * A self-contained HTML page for resource routes (sign-in errors, the test IdP), which cannot
 * render through the app's React layout.
 */
export function plainPage(status: number, title: string, bodyHtmlOrText: string, opts: { html?: boolean; headers?: HeadersInit } = {}) {
  const body = opts.html ? bodyHtmlOrText : `<p>${escapeHtml(bodyHtmlOrText)}</p><p><a class="btn btn-primary" href="/accedi">Torna all'accesso</a></p>`;
  const html = plainPageHtml(title, body);
  const headers = new Headers(opts.headers);
  headers.set("Content-Type", "text/html; charset=utf-8");
  return new Response(html, { status, headers });
}
