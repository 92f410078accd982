/**
 * The frame of every console page: the search box at the top, where the console works, the
 * navigation, and a style that works by keyboard (visible focus, a skip link) and down to 360 px
 * (tables scroll inside their box, forms wrap). Plain server-rendered HTML, no script, every
 * value escaped; the headers allow nothing from outside and forms only to the console itself.
 */
import { escapeHtml as h } from '../../shared/html.js';

/** Headers of every console page: no outside resources, forms only to itself, never cached. */
export const CONSOLE_PAGE_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
  'referrer-policy': 'same-origin',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
};

export const SEARCH_PATH = '/console/search';

const STYLE = `
*{box-sizing:border-box}
body{margin:0;background:#f1f3f4;color:#1a1a1a;font:14px/1.45 system-ui,-apple-system,"Segoe UI","Noto Sans","Noto Sans CJK JP",sans-serif}
a{color:#174ea6}
.skip{position:absolute;left:-999px;top:0;background:#fff;color:#174ea6;padding:8px 12px;z-index:2}.skip:focus{left:8px}
header{background:#1f4e79;color:#fff;padding:10px 24px;display:flex;flex-wrap:wrap;gap:8px 18px;align-items:center}
header a{color:#fff;text-decoration:none;font-weight:600}header .place{color:#fff;font-weight:600}
header form{display:flex;gap:6px;flex:1 1 280px;max-width:520px;margin-left:auto}
header label{position:absolute;left:-999px}
header input{flex:1;min-width:0;padding:7px 10px;border:0;border-radius:6px;font:inherit}
:focus-visible{outline:3px solid #f29900;outline-offset:2px}
main{max-width:1100px;margin:18px auto;background:#fff;padding:24px;border-radius:8px;box-shadow:0 1px 3px #0002}
h1{font-size:22px;margin:0 0 12px;color:#1f4e79;overflow-wrap:anywhere}h2{font-size:14px;color:#5f6368;text-transform:uppercase;margin:24px 0 8px}
.scroll{overflow-x:auto}
table{width:100%;border-collapse:collapse}th{background:#f1f3f4;color:#5f6368;font-size:12px;text-align:left;padding:6px}
td{padding:6px;border-bottom:1px solid #e0e0e0;vertical-align:top}.num{text-align:right;white-space:nowrap}
dl.facts{display:grid;grid-template-columns:minmax(110px,max-content) 1fr;gap:4px 16px;margin:0}dl.facts dt{color:#5f6368}dl.facts dd{margin:0;overflow-wrap:anywhere}
.status{font-weight:600}.FAILED,.DIED,.COMPLETED_WITH_FAILURES,.VOID,.unpaid,.written_off,.revoked{color:#b3261e}.SUCCEEDED,.NOTIFIED,.paid,.active{color:#1e7b34}.RUNNING{color:#8a5a00}
form.inline{display:inline}button{padding:7px 14px;border:0;border-radius:6px;background:#1f4e79;color:#fff;font-weight:600;cursor:pointer;font:inherit;font-weight:600}
button.danger{background:#b3261e}
input[type=text],input[type=date],select,textarea{padding:6px;border:1px solid #767676;border-radius:4px;width:220px;max-width:100%;font:inherit}
.field{display:flex;flex-direction:column;gap:2px;margin:0 12px 8px 0}.fields{display:flex;flex-wrap:wrap;align-items:flex-end}
details.action{border:1px solid #e0e0e0;border-radius:6px;margin:6px 0;padding:6px 10px}details.action summary{cursor:pointer;font-weight:600}
.muted{color:#5f6368}.hint{color:#5f6368;font-size:12px}
.notice{background:#fff4e5;padding:8px 12px;border-radius:6px;margin:8px 0}.done{background:#e6f4ea}
@media (max-width:600px){header{padding:8px 12px}main{margin:0;border-radius:0;padding:14px}h1{font-size:19px}}`;

/** The frame's options of consolePage: where, and as whom. */
export const frameOptions = (frame: PageFrame): { place: string; role?: string } => ({
  place: frame.place,
  ...(frame.role ? { role: frame.role } : {}),
});

/** What every page shows besides its content: the form token, and where the console works. */
export interface PageFrame {
  csrf: string;
  /** The target: a local data dir, or a deployed stack (so that prod is never mistaken for local). */
  place: string;
  /** What the caller may do here (AWS roles): undefined or true: every action. */
  mayAct?: boolean;
  /** The caller's role as shown at the top (e.g. "support (read-only)"). */
  role?: string;
}

export function consolePage(
  title: string,
  body: string,
  options: { refreshSeconds?: number; place?: string; query?: string; role?: string } = {},
): string {
  const where = options.place ? ` · ${h(options.place)}` : '';
  const place = options.place ? `<span class="place">${h(options.place)}</span>` : '';
  const role = options.role ? `<span>${h(options.role)}</span>` : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${options.refreshSeconds ? `<meta http-equiv="refresh" content="${options.refreshSeconds}">` : ''}
<title>${h(title)} · invoicer console${where}</title>
<style>${STYLE}</style>
</head>
<body>
<a class="skip" href="#content">Skip to content</a>
<header><nav aria-label="Console"><a href="/console">Runs</a> · <a href="/console/payments/unmatched">Unmatched credits</a> · <a href="/console/import">Import</a></nav>${place}${role}
<form role="search" method="get" action="${SEARCH_PATH}"><label for="search-q">Search customers, documents, payments</label><input id="search-q" type="search" name="q" value="${h(options.query ?? '')}" placeholder="Name, e-mail, customer id, invoice number, reference" autocomplete="off"><button type="submit">Search</button></form></header>
<main id="content" tabindex="-1">
${body}
</main>
</body>
</html>
`;
}

export const statusBadge = (s: string): string => `<span class="status ${h(s)}">${h(s)}</span>`;

/** A table in a box that scrolls sideways on a narrow screen, instead of widening the page; `id` names the box. */
export const scrollTable = (head: string[], rows: string, empty: string, id?: string): string =>
  `<div class="scroll"${id ? ` id="${h(id)}"` : ''}><table><thead><tr>${head
    .map((c) => (c.startsWith('#') ? `<th class="num">${h(c.slice(1))}</th>` : `<th>${h(c)}</th>`))
    .join('')}</tr></thead>
<tbody>${rows || `<tr><td colspan="${head.length}" class="muted">${h(empty)}</td></tr>`}</tbody></table></div>`;
