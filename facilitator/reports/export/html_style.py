"""The report's stylesheet: system fonts only (nothing to fetch), a phone layout, and a print layout.

Phones first: nothing is wider than the screen (390 px is tested). Tables have at most four or
five columns (per-level numbers are a list inside the item's cell) and long words wrap; charts
scale with the page and their text stays 13 px or more there (html_charts.py).
"""

STYLE = """
:root { --ink: #1d232b; --muted: #5b6672; --rule: #d9dee4; --band: #f4f6f8; --accent: #0b5cad; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body { margin: 0; color: var(--ink); background: #fff;
  font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif; }
main { max-width: 820px; margin: 0 auto; padding: 32px 24px 8px; overflow-wrap: break-word; }
header { border-bottom: 3px solid var(--accent); padding-bottom: 12px; margin-bottom: 8px; }
.kicker { margin: 0; color: var(--accent); font-weight: 600; font-size: 0.9rem; letter-spacing: 0.02em; }
h1 { margin: 4px 0 6px; font-size: 2rem; line-height: 1.2; }
h2 { margin: 32px 0 10px; font-size: 1.3rem; border-bottom: 1px solid var(--rule); padding-bottom: 4px; }
.meta, .muted, footer, figcaption, caption { color: var(--muted); }
.meta { margin: 0; font-size: 0.95rem; }
.stats { display: grid; grid-template-columns: repeat(auto-fit, minmax(5.5em, 1fr)); gap: 10px; margin: 8px 0 12px; }
.stat { background: var(--band); border-radius: 8px; padding: 10px 14px; }
.stat b { display: block; font-size: 1.6rem; line-height: 1.1; }
.stat span { color: var(--muted); font-size: 0.9rem; }
.legend { list-style: none; display: flex; flex-wrap: wrap; gap: 6px 18px; padding: 0; margin: 8px 0; }
.swatch { display: inline-block; width: 14px; height: 14px; border-radius: 3px; margin-right: 6px; vertical-align: -2px; }
figure { margin: 8px 0 12px; }
figcaption { font-size: 0.85rem; display: flex; flex-wrap: wrap; align-items: center; gap: 4px 16px; }
figcaption .legend { margin: 0; gap: 4px 14px; }
svg.chart { display: block; width: 100%; max-width: 36rem; height: auto; font: 15px system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; }
svg .label { fill: var(--ink); }
svg .num { fill: var(--muted); font-weight: 600; }
svg .tick { fill: var(--muted); font-size: 14px; }
svg .total { fill: var(--ink); font-weight: 600; }
svg .grid { stroke: var(--rule); stroke-width: 1; }
svg .axis { stroke: var(--ink); stroke-width: 1.5; }
table { width: 100%; border-collapse: collapse; margin: 8px 0 4px; font-size: 0.9rem; }
caption { caption-side: top; text-align: left; font-size: 0.85rem; padding-bottom: 4px; }
th, td { text-align: left; vertical-align: top; padding: 5px 8px; border-bottom: 1px solid var(--rule); }
thead th { background: var(--band); font-weight: 600; overflow-wrap: normal; }
tbody th { overflow-wrap: anywhere; }
tbody th .by { overflow-wrap: break-word; }
td.n, th.n { text-align: right; }
td.n { white-space: nowrap; }
td.text { overflow-wrap: anywhere; }
table.items td.n:first-child { width: 3em; }
.levels { list-style: none; margin: 4px 0 0; padding: 0; display: flex; flex-wrap: wrap; gap: 0 12px; font-size: 0.85rem; color: var(--muted); }
.levels b { color: var(--ink); }
.share { color: var(--muted); }
.num { color: var(--muted); font-weight: 600; }
.kind { color: var(--muted); font-size: 0.85rem; font-weight: 600; }
.by, .why { display: block; color: var(--muted); font-size: 0.85rem; }
.why { font-style: italic; }
.readings { padding-left: 1.2em; }
a { color: var(--accent); }
.url { overflow-wrap: anywhere; }
.note { background: #fff6e0; border-left: 4px solid #e69f00; padding: 8px 12px; }
footer { max-width: 820px; margin: 24px auto 32px; padding: 12px 24px 0; border-top: 1px solid var(--rule); font-size: 0.85rem; }
@media (max-width: 600px) {
  main { padding: 20px 14px 8px; }
  h1 { font-size: 1.6rem; }
  th, td { padding: 5px 5px; }
  table.balance { font-size: 0.8rem; }
  table.balance th, table.balance td { padding: 4px 3px; }
  .stat { padding: 8px 10px; }
  .stat b { font-size: 1.35rem; }
  footer { padding: 12px 14px 0; }
}
@media print {
  @page { margin: 14mm; }
  body { font-size: 10.5pt; }
  main { max-width: none; padding: 0; }
  h2 { break-after: avoid; page-break-after: avoid; }
  figure, tr, .stats { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  figure { overflow: visible; }
  footer { margin: 12px 0 0; padding: 8px 0 0; }
  a { color: inherit; text-decoration: none; }
}
"""
