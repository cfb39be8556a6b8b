#!/usr/bin/env python3
"""Regenerate the bundled offline mirror under mirror/site/ from the seeds.

Usage:  python3 mirror/build.py [SEEDS_DIR]
SEEDS_DIR defaults to <repo>/../shared/seeds (i.e. /work/shared/seeds).
Needs Python 3.11 stdlib + reportlab (for the programme PDF).

URL -> file rule (the mirror server relies on it):
  /                      -> <host>/index.html
  /a/b.pdf (extension)   -> <host>/a/b.pdf
  /a/b                   -> <host>/a/b.html
  /a/b?query             -> <host>/a/b__query.html
"""
from __future__ import annotations

import html
import re
import shutil
import sys
import unicodedata
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
SITE = HERE / "site"
DEFAULT_SEEDS = HERE.parent.parent / "shared" / "seeds"

MONTHS = ["January", "February", "March", "April", "May", "June", "July",
          "August", "September", "October", "November", "December"]
WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


def esc(s: str) -> str:
    """Escape text for HTML content (quotes left as they are)."""
    return html.escape(s, quote=False)


def attr(s: str) -> str:
    return html.escape(s, quote=True)


def slugify(text: str, max_words: int = 10) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", folded.lower())
    return "-".join(words[:max_words])


def url_to_file(host: str, url_path: str) -> Path:
    path, _, query = url_path.partition("?")
    if path == "/":
        rel = "index.html"
    else:
        last = path.rsplit("/", 1)[-1]
        if "." in last:
            rel = path.lstrip("/")
        else:
            rel = path.lstrip("/") + (f"__{query}" if query else "") + ".html"
    return SITE / host / rel


def write(host: str, url_path: str, content: str | bytes) -> None:
    f = url_to_file(host, url_path)
    f.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        f.write_bytes(content)
    else:
        f.write_text(content, encoding="utf-8")
    WRITTEN.append(f"https://{host}{url_path}")


WRITTEN: list[str] = []

# --------------------------------------------------------------------------
# EMN Belgium
# --------------------------------------------------------------------------
EMN = "emnbelgium.be"
EVENT_SLUG = ("emn-belgium-policy-event-2024-discussing-annual-report-2023-"
              "migration-asylum-and-considering")
EVENT_TITLE = ("EMN Belgium Policy Event 2024: discussing the Annual Report 2023 "
               "on Migration & Asylum")
PDF_PATH = "/sites/default/files/2024-03/emn-policy-event-2024-programme.pdf"
PDF_TITLE = "EMN Belgium Policy Event 2024 - Programme"


def parse_news(text: str) -> list[dict]:
    items = []
    date_re = re.compile(r"^(\d{2}) (%s) (\d{4})$" % "|".join(MONTHS))
    cur = None
    for line in text.split("\n"):
        m = date_re.match(line.strip())
        if m:
            cur = {"date_str": line.strip(),
                   "date": date(int(m.group(3)), MONTHS.index(m.group(2)) + 1, int(m.group(1))),
                   "body": None, "themes": [], "keywords": []}
            items.append(cur)
            continue
        if cur is None or not line.strip():
            continue
        if line.startswith("Main Theme:"):
            cur["themes"] = [t.strip() for t in line[len("Main Theme:"):].split(",") if t.strip()]
        elif line.startswith("Keywords:"):
            cur["keywords"] = [t.strip() for t in line[len("Keywords:"):].split(",") if t.strip()]
        else:
            assert cur["body"] is None, line
            cur["body"] = line  # verbatim, trailing no-break spaces included
    seen: set[str] = set()
    for it in items:
        body = it["body"].strip()
        m = re.search(r"[.?!](?=\s|$)", body)
        title = body[: m.end()] if m else body
        title = title.strip().rstrip(".").strip()
        it["title"] = title
        slug = slugify(title)
        base, n = slug, 2
        while slug in seen:
            slug = f"{base}-{n}"
            n += 1
        seen.add(slug)
        it["slug"] = slug
    return items


EMN_STYLE = """
.visually-hidden{position:absolute!important;clip:rect(1px,1px,1px,1px);overflow:hidden;height:1px;width:1px}
.site-header{background:#004494;color:#fff}.site-branding a{color:#fff;font-weight:700}
.menu--main ul{display:flex;gap:1.5rem;list-style:none}.views-row{border-bottom:1px solid #ddd;padding:1rem 0}
.field--label-inline .field__label,.field--label-inline .field__item{display:inline}
.pager__items{display:flex;gap:.5rem;list-style:none}.layout-sidebar-second{float:right;width:28%}
"""


def emn_settings(current_path: str) -> str:
    cp = current_path.replace("/", "\\/")
    return ('{"path":{"baseUrl":"\\/","scriptPath":null,"pathPrefix":"","currentPath":"%s",'
            '"currentPathIsAdmin":false,"isFront":%s,"currentLanguage":"en"},'
            '"pluralDelimiter":"\\u0003","suppressDeprecationErrors":true,'
            '"ajaxTrustedUrl":{"\\/search":true},"user":{"uid":0,"permissionsHash":"d1f0c2"}}'
            % (cp, "true" if current_path == "node" else "false"))


def emn_page(*, title: str, main: str, crumbs: list[tuple[str, str | None]],
             current_path: str, canonical: str | None = None,
             aside: str = "", body_class: str = "") -> str:
    crumb_html = "".join(
        f'<li class="breadcrumb__item"><a href="{attr(h)}">{esc(t)}</a></li>' if h else
        f'<li class="breadcrumb__item">{esc(t)}</li>' for t, h in crumbs)
    canon = f'\n  <link rel="canonical" href="{attr(canonical)}">' if canonical else ""
    return f"""<!DOCTYPE html>
<html lang="en" dir="ltr">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  <meta name="Generator" content="Drupal 10 (https://www.drupal.org)">
  <title>{esc(title)} | EMN Belgium</title>{canon}
  <link rel="icon" href="/themes/custom/emn/favicon.ico" type="image/vnd.microsoft.icon">
  <style media="all">{EMN_STYLE}</style>
  <script>document.documentElement.className += ' js';</script>
</head>
<body class="path-{'frontpage' if current_path == 'node' else 'node'} {body_class}">
  <a href="#main-content" class="visually-hidden focusable skip-link">Skip to main content</a>
  <div class="dialog-off-canvas-main-canvas" data-off-canvas-main-canvas>
  <div class="layout-container" id="top">
    <header role="banner" class="site-header">
      <div class="region region-header">
        <div id="block-emn-branding" class="block block-system block-system-branding-block site-branding">
          <a href="/" rel="home" class="site-logo"><img src="/themes/custom/emn/logo.svg" alt="Home"></a>
          <div class="site-name"><a href="/" title="Home" rel="home">EMN Belgium</a></div>
          <div class="site-slogan">Belgian National Contact Point of the European Migration Network</div>
        </div>
        <div class="language-switcher-language-url block block-language" id="block-languageswitcher" role="navigation">
          <ul class="links">
            <li hreflang="en" class="en is-active"><a href="/" class="language-link is-active" hreflang="en">EN</a></li>
            <li hreflang="nl" class="nl"><a href="/nl" class="language-link" hreflang="nl">NL</a></li>
            <li hreflang="fr" class="fr"><a href="/fr" class="language-link" hreflang="fr">FR</a></li>
          </ul>
        </div>
        <div class="search-block-form block block-search" role="search" id="block-emn-search">
          <form action="/search" method="get" accept-charset="UTF-8">
            <label for="edit-keys" class="visually-hidden">Search</label>
            <input title="Enter the terms you wish to search for." type="search" id="edit-keys" name="keys" value="" size="15" maxlength="128">
            <input type="submit" value="Search" class="button">
          </form>
        </div>
      </div>
      <nav role="navigation" aria-labelledby="block-emn-main-menu-menu" id="block-emn-main-menu" class="block block-menu navigation menu--main">
        <h2 class="visually-hidden" id="block-emn-main-menu-menu">Main navigation</h2>
        <ul class="menu">
          <li class="menu-item"><a href="/" data-drupal-link-system-path="&lt;front&gt;">Home</a></li>
          <li class="menu-item"><a href="/news?page=0">News</a></li>
          <li class="menu-item"><a href="/news/{EVENT_SLUG}">Policy Event 2024</a></li>
          <li class="menu-item"><a href="/search?keys=asylum">Search publications</a></li>
          <li class="menu-item"><a href="https://ec.europa.eu/home-affairs">EU Home Affairs</a></li>
          <li class="menu-item"><a href="/user/login">Log in</a></li>
        </ul>
      </nav>
    </header>
    <div class="region region-breadcrumb">
      <nav class="breadcrumb" role="navigation" aria-labelledby="system-breadcrumb">
        <h2 id="system-breadcrumb" class="visually-hidden">Breadcrumb</h2>
        <ol>{crumb_html}</ol>
      </nav>
    </div>
    <main role="main">
      <a id="main-content" tabindex="-1"></a>
      <div class="layout-content">
        <div class="region region-content">
{main}
        </div>
      </div>
{aside}
    </main>
    <footer role="contentinfo" class="site-footer">
      <div class="region region-footer">
        <div id="block-footer-contact" class="block block-block-content">
          <h2>EMN Belgium</h2>
          <p>Belgian National Contact Point of the European Migration Network</p>
          <p><img src="/themes/custom/emn/images/eu-flag.png" alt="European Union flag"> Funded by the European Union</p>
        </div>
        <nav role="navigation" aria-labelledby="block-footer-menu" class="block block-menu menu--footer">
          <h2 class="visually-hidden" id="block-footer-menu">Footer</h2>
          <ul class="menu">
            <li class="menu-item"><a href="/contact">Contact</a></li>
            <li class="menu-item"><a href="/legal-notice">Legal notice</a></li>
            <li class="menu-item"><a href="/privacy-policy">Privacy policy</a></li>
            <li class="menu-item"><a href="https://ec.europa.eu/home-affairs">European Commission - Migration and Home Affairs</a></li>
            <li class="menu-item"><a href="#top">Back to top</a></li>
          </ul>
        </nav>
      </div>
    </footer>
  </div>
  </div>
  <script type="application/json" data-drupal-selector="drupal-settings-json">{emn_settings(current_path)}</script>
  <script>
    var _paq = window._paq = window._paq || [];
    _paq.push(['trackPageView']); _paq.push(['enableLinkTracking']);
    (function() {{ var u = 'https://stats.emnbelgium.be/'; _paq.push(['setSiteId', '3']); }})();
  </script>
  <noscript><p>Please enable JavaScript for the best experience on this site.</p></noscript>
</body>
</html>
"""


def theme_link(t: str) -> str:
    return f'<a href="/{slugify(t)}" hreflang="en">{esc(t)}</a>'


def kw_link(k: str) -> str:
    return f'<a href="/keywords/{slugify(k)}" hreflang="en">{esc(k)}</a>'


def long_date(d: date) -> str:
    return f"{d.day:02d} {MONTHS[d.month - 1]} {d.year}"


def old_date(d: date) -> str:
    return f"{WEEKDAYS[d.weekday()]} {d.day:02d} {MONTHS[d.month - 1][:3]} {d.year}"


def date_style(it: dict, idx: int) -> str:
    """'old' = 'Publication Date: Wed 12 Feb 2020', 'label' = 'Publication date: 12 February 2020',
    'alone' = the date alone under the title."""
    if it["date"].year == 2019 or it["date"] == date(2020, 2, 12):
        return "old"
    return "label" if idx % 2 == 0 else "alone"


# Pages whose labels are glued to their values in the text content.
GLUED = {date(2020, 6, 18), date(2019, 11, 5)}


def taxonomy_fields(it: dict, glued: bool) -> str:
    out = []
    if it["themes"]:
        vals = ", ".join(theme_link(t) for t in it["themes"])
        if glued:
            out.append(f'<div class="node-main-theme"><strong>Main Theme:</strong>{vals}</div>')
        else:
            out.append('<div class="field field--name-field-main-theme field--type-entity-reference field--label-inline">'
                       f'<div class="field__label">Main Theme:</div><div class="field__item">{vals}</div></div>')
    if it["keywords"]:
        vals = ", ".join(kw_link(k) for k in it["keywords"])
        if glued:
            out.append(f'<div class="node-keywords"><strong>Keywords:</strong>{vals}</div>')
        else:
            out.append('<div class="field field--name-field-keywords field--type-entity-reference field--label-inline">'
                       f'<div class="field__label">Keywords:</div><div class="field__items"><div class="field__item">{vals}</div></div></div>')
    return "\n".join(out)


def emn_article(it: dict, idx: int, related: list[dict], nid: int) -> str:
    d = it["date"]
    style = date_style(it, idx)
    if style == "old":
        date_html = f'<div class="field field--name-field-publication-date">Publication Date: {old_date(d)}</div>'
    elif style == "label":
        date_html = ('<div class="field field--name-field-publication-date field--label-inline">'
                     f'<span class="field__label">Publication date:</span> <span class="field__item">'
                     f'<time datetime="{d.isoformat()}T12:00:00Z">{it["date_str"]}</time></span></div>')
    else:
        date_html = (f'<div class="node__meta"><span class="date-display-single">'
                     f'<time datetime="{d.isoformat()}T12:00:00Z">{it["date_str"]}</time></span></div>')
    body = (f'<div class="clearfix text-formatted field field--name-body field--type-text-with-summary field__item">'
            f'<p>{esc(it["body"])}</p></div>')
    main = f"""          <article role="article" data-history-node-id="{nid}" class="node node--type-news node--promoted node--view-mode-full">
            <h1 class="page-title"><span class="field field--name-title field--type-string">{esc(it['title'])}</span></h1>
            {date_html}
            <div class="node__content">
              {body}
              {taxonomy_fields(it, d in GLUED)}
            </div>
          </article>"""
    aside = emn_related(related, trap=(idx == 1))
    return emn_page(title=it["title"], main=main, current_path=f"node/{nid}",
                    crumbs=[("Home", "/"), ("News", "/news?page=0"), (it["title"], None)],
                    canonical=f"https://{EMN}/news/{it['slug']}", aside=aside,
                    body_class="page-node-type-news")


def emn_related(related: list[dict], trap: bool = False) -> str:
    lis = []
    for j, r in enumerate(related):
        href = f"/news/{r['slug']}"
        if trap and j == 0:
            href = f"{href}?q=/news/{r['slug']}"
        lis.append(f'<li><a href="{attr(href)}">{esc(r["title"])}</a> <span class="related-date">{r["date_str"]}</span></li>')
    return f"""      <aside class="layout-sidebar-second" role="complementary">
        <div class="views-element-container block block-views" id="block-views-related-news">
          <h2>Related</h2>
          <ul>{''.join(lis)}</ul>
          <div class="more-link"><a href="/news?page=0#block-views-news">More news</a></div>
        </div>
      </aside>"""


def emn_listing_page(items: list[dict], page: int, pages: int, per: int) -> str:
    rows = []
    for i, it in enumerate(items[page * per:(page + 1) * per]):
        href = f"/news/{it['slug']}"
        more = f"{href}?q={href}" if (page == 0 and i == 1) else href
        tax = []
        if it["themes"]:
            tax.append('<div class="views-field views-field-field-main-theme"><span class="views-label">Main Theme: </span>'
                       f'<div class="field-content">{", ".join(theme_link(t) for t in it["themes"])}</div></div>')
        if it["keywords"]:
            tax.append('<div class="views-field views-field-field-keywords"><span class="views-label">Keywords: </span>'
                       f'<div class="field-content">{", ".join(kw_link(k) for k in it["keywords"])}</div></div>')
        rows.append(f"""            <div class="views-row">
              <div class="views-field views-field-field-publication-date"><div class="field-content">{it['date_str']}</div></div>
              <div class="views-field views-field-title"><h3 class="field-content"><a href="{attr(href)}" hreflang="en">{esc(it['title'])}</a></h3></div>
              <div class="views-field views-field-body"><div class="field-content"><p>{esc(it['body'])}</p></div></div>
              {''.join(tax)}
              <div class="views-field views-field-view-node"><span class="field-content"><a href="{attr(more)}" hreflang="en">Read more<span class="visually-hidden"> about {esc(it['title'])}</span></a></span></div>
            </div>""")
    pager = []
    if page > 0:
        pager.append('<li class="pager__item pager__item--first"><a href="/news?page=0" title="Go to first page"><span class="visually-hidden">First page</span><span aria-hidden="true">« first</span></a></li>')
        pager.append(f'<li class="pager__item pager__item--previous"><a href="/news?page={page - 1}" title="Go to previous page" rel="prev"><span class="visually-hidden">Previous page</span><span aria-hidden="true">‹ previous</span></a></li>')
    for p in range(pages):
        if p == page:
            pager.append(f'<li class="pager__item is-active"><a href="/news?page={p}" title="Current page" aria-current="page"><span class="visually-hidden">Current page</span>{p + 1}</a></li>')
        else:
            pager.append(f'<li class="pager__item"><a href="/news?page={p}" title="Go to page {p + 1}"><span class="visually-hidden">Page </span>{p + 1}</a></li>')
    if page < pages - 1:
        pager.append(f'<li class="pager__item pager__item--next"><a href="/news?page={page + 1}" title="Go to next page" rel="next"><span class="visually-hidden">Next page</span><span aria-hidden="true">next ›</span></a></li>')
        pager.append(f'<li class="pager__item pager__item--last"><a href="/news?page={pages - 1}" title="Go to last page"><span class="visually-hidden">Last page</span><span aria-hidden="true">last »</span></a></li>')
    main = f"""          <div class="views-element-container" id="block-views-news">
            <h1 class="page-title">News</h1>
            <div class="view view-news view-id-news view-display-id-page_1">
              <div class="view-content">
{chr(10).join(rows)}
              </div>
              <nav class="pager" role="navigation" aria-labelledby="pagination-heading">
                <h4 id="pagination-heading" class="visually-hidden">Pagination</h4>
                <ul class="pager__items js-pager__items">{''.join(pager)}</ul>
              </nav>
            </div>
          </div>"""
    return emn_page(title="News", main=main, current_path="news",
                    crumbs=[("Home", "/"), ("News", None)], body_class="page-view-news")


def emn_event_page(prog: dict) -> str:
    sessions = "".join(f"<li>{esc(s)}</li>" for s in prog["sessions"])
    main = f"""          <article role="article" data-history-node-id="2391" class="node node--type-event node--view-mode-full">
            <h1 class="page-title"><span class="field field--name-title field--type-string">{esc(EVENT_TITLE)}</span></h1>
            <div class="node__content">
              <div class="field field--name-field-event-date">
                <h3 class="field__label">When ?</h3>
                <div class="field__item"><time datetime="2024-04-18T09:00:00Z">Thursday, 18 April 2024</time></div>
                <div class="field__item">9.00-17.00</div>
              </div>
              <div class="field field--name-field-location">
                <h3 class="field__label">Where ?</h3>
                <div class="field__item">Room Galaxy, Pacheco Centre, Boulevard Pachéco 44, 1000 Brussels</div>
              </div>
              <div class="clearfix text-formatted field field--name-body">
                <p>{esc(EVENT_TEASER)}</p>
                <p>The programme opens with registration and a welcome and keynote speech by EMN Belgium, continues with parallel sessions in the morning and the afternoon, and ends with a closing session on key takeaways. The parallel sessions are:</p>
                <ul>{sessions}</ul>
              </div>
              <div class="field field--name-field-attachments">
                <div class="field__label">Attachments</div>
                <div class="field__item"><span class="file file--mime-application-pdf file--application-pdf"><a href="{PDF_PATH}" type="application/pdf" title="emn-policy-event-2024-programme.pdf">Programme (PDF)</a></span></div>
              </div>
              <div class="field field--name-field-main-theme field--label-inline"><div class="field__label">Main Theme:</div><div class="field__item">{theme_link('Cross-sectional')}</div></div>
            </div>
          </article>"""
    return main


EVENT_TEASER = ("Policy event on the Annual Report on Migration & Asylum, Thursday 18 April 2024 "
                "(9.00-17.00), Pacheco Centre, Brussels. Sessions are given in French and Dutch, "
                "or in English.")


def emn_home(items: list[dict]) -> str:
    latest = "".join(
        f'<li><span class="date">{it["date_str"]}</span> <a href="/news/{it["slug"]}">{esc(it["title"])}</a></li>'
        for it in items[:4])
    main = f"""          <div id="block-emn-content" class="block block-system block-system-main-block">
            <h1 class="visually-hidden">EMN Belgium</h1>
            <section class="front-intro">
              <p>EMN Belgium is the Belgian National Contact Point of the European Migration Network (EMN).</p>
            </section>
            <section class="front-latest-news">
              <h2>Latest news</h2>
              <ul>{latest}</ul>
              <p><a href="/news?page=0">All news</a></p>
            </section>
          </div>"""
    return emn_page(title="Home", main=main, current_path="node", crumbs=[("Home", None)],
                    body_class="path-frontpage")


EMN_ROBOTS = """# robots.txt for emnbelgium.be
# Keep crawlers out of admin, search and account pages.

User-agent: *
# CSS, JS, Images
Allow: /core/*.css$
Allow: /core/*.js$
Allow: /themes/*.css
# Directories
Disallow: /core/
Disallow: /profiles/
Disallow: /admin/
# Files
Disallow: /README.md
Disallow: /web.config
# Paths (clean URLs)
Disallow: /comment/reply/
Disallow: /filter/tips
Disallow: /node/add/
Disallow: /search
Disallow: /user/
# Tag listings duplicate the news pages.
Disallow: /keywords/
# Paths (no clean URLs)
Disallow: /index.php/admin/
Disallow: /index.php/search/
Disallow: /index.php/user/
"""


# Items left in the listing whose article page is gone (404), as happens on
# the real site: their teaser in the listing is all there is to index.
LISTING_ONLY = {"today-emn-belgium-has-launched-a-twitter-account-to-better"}


def build_emn(seeds: Path, prog: dict) -> list[dict]:
    items = parse_news((seeds / "emn-belgium-news-listing.txt").read_text(encoding="utf-8"))
    event = {"date_str": "18 April 2024", "date": date(2024, 4, 18), "body": EVENT_TEASER,
             "themes": ["Cross-sectional"], "keywords": [], "title": EVENT_TITLE, "slug": EVENT_SLUG}
    all_items = [event] + items
    per = 10
    pages = (len(all_items) + per - 1) // per
    write(EMN, "/robots.txt", EMN_ROBOTS)
    write(EMN, "/", emn_home(all_items))
    for p in range(pages):
        write(EMN, f"/news?page={p}", emn_listing_page(all_items, p, pages, per))
    # event page
    aside = emn_related(all_items[1:4], trap=True)
    write(EMN, f"/news/{EVENT_SLUG}", emn_page(
        title=EVENT_TITLE, main=emn_event_page(prog), current_path="node/2391",
        crumbs=[("Home", "/"), ("News", "/news?page=0"), (EVENT_TITLE, None)],
        canonical=f"https://{EMN}/news/{EVENT_SLUG}", aside=aside,
        body_class="page-node-type-event"))
    for idx, it in enumerate(items):
        if it["slug"] in LISTING_ONLY:
            continue
        related = [items[(idx + k) % len(items)] for k in (1, 2, 3)]
        write(EMN, f"/news/{it['slug']}", emn_article(it, idx, related, 1200 + idx))
    write(EMN, PDF_PATH, build_pdf(prog))
    return items


# --------------------------------------------------------------------------
# Programme PDF
# --------------------------------------------------------------------------
TIME_RE = re.compile(r"^\(?\d{1,2}\.\d{2}-\d{1,2}\.\d{2}")


def clean(s: str) -> str:
    s = re.sub(r"</?i>", "", s).replace("**", "")
    s = re.sub(r"<(https?://[^>]+)>", r"\1", s)
    return s.strip()


def parse_programme(text: str) -> dict:
    lines = text.split("\n")
    i_prog = next(i for i, l in enumerate(lines) if l.startswith("PROGRAMME (morning)"))
    i_sess = next(i for i, l in enumerate(lines) if l.startswith("Mesures en réponse") and "\t" not in l)
    cover = lines[:i_prog]
    table = lines[i_prog:i_sess]
    rest = lines[i_sess:]
    # session titles for the HTML page, from the morning table (unique, in order)
    sessions: list[str] = []
    for l in table:
        if "\t" in l:
            for c in l.split("\t")[1:]:
                c = clean(c)
                if c and not re.match(r"(Registration|Welcome|Lunch|Closing|Parallel)", c) and c not in sessions:
                    sessions.append(c)
    return {"cover": cover, "table": table, "rest": rest, "sessions": sessions}


def to_winansi(s: str) -> str:
    out = []
    for ch in s:
        try:
            ch.encode("cp1252")
            out.append(ch)
        except UnicodeEncodeError:
            folded = unicodedata.normalize("NFKD", ch).encode("ascii", "ignore").decode()
            out.append(folded or "?")
    return "".join(out)


def build_pdf(prog: dict) -> bytes:
    import io
    from xml.sax.saxutils import escape as xesc
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer

    base = ParagraphStyle("base", fontName="Helvetica", fontSize=10, leading=13.5, spaceAfter=9)
    cover_big = ParagraphStyle("coverbig", parent=base, fontName="Helvetica-Bold", fontSize=24,
                               leading=30, alignment=TA_CENTER, spaceAfter=2)
    cover = ParagraphStyle("cover", parent=base, fontSize=14, leading=18, alignment=TA_CENTER, spaceAfter=2)
    h1 = ParagraphStyle("h1", parent=base, fontName="Helvetica-Bold", fontSize=16, leading=20,
                        spaceBefore=6, spaceAfter=14)
    h2 = ParagraphStyle("h2", parent=base, fontName="Helvetica-Bold", fontSize=13, leading=16,
                        spaceBefore=18, spaceAfter=6)
    timestyle = ParagraphStyle("time", parent=base, fontName="Helvetica-Oblique", spaceAfter=8)
    row = ParagraphStyle("row", parent=base, spaceAfter=3, leftIndent=2.4 * cm, firstLineIndent=-2.4 * cm)
    cell = ParagraphStyle("cell", parent=base, spaceAfter=3, leftIndent=2.4 * cm)
    bullet = ParagraphStyle("bullet", parent=base, leftIndent=0.6 * cm, spaceAfter=4)
    small = ParagraphStyle("small", parent=base, fontSize=8, leading=10, spaceAfter=1)

    def P(text: str, style: ParagraphStyle) -> Paragraph:
        return Paragraph(xesc(to_winansi(text)), style)

    story = [Spacer(1, 3 * cm)]
    group_gap = False
    for l in prog["cover"]:
        l = clean(l)
        if not l:
            group_gap = True
            continue
        if group_gap and len(story) > 1:
            story.append(Spacer(1, 1.1 * cm))
        group_gap = False
        big = l.isupper() and not any(c.isdigit() for c in l)
        story.append(P(l, cover_big if big or l in ("18",) else cover))
    story.append(PageBreak())

    for l in prog["table"]:
        if not l.strip():
            continue
        if "\t" not in l:
            if l.startswith("PROGRAMME (afternoon)"):
                story.append(Spacer(1, 0.8 * cm))
            story.append(P(l, h1))
            continue
        cells = [clean(c) for c in l.split("\t")]
        cells = [c for c in cells if c]
        if not cells:
            continue
        if TIME_RE.match(cells[0]) and len(cells) > 1:
            story.append(Paragraph(xesc(to_winansi(cells[0])) + "&nbsp;" * 4 + xesc(to_winansi(cells[1])), row))
            for c in cells[2:]:
                story.append(P(c, cell))
        else:
            story.append(P(" ".join(cells), ParagraphStyle("sub", parent=h2, spaceBefore=8)))
        story.append(Spacer(1, 5))
    story.append(PageBreak())

    rest = prog["rest"]
    frame_w = A4[0] - 4 * cm
    for n, l in enumerate(rest):
        l = clean(l)
        if not l:
            continue
        nxt = next((clean(x) for x in rest[n + 1:] if x.strip()), "")
        if re.search(r"\(\d{1,2}\.\d{2}-\d{1,2}\.\d{2}\)$", l) or (
                TIME_RE.match(nxt) and not TIME_RE.match(l) and len(l) < 100):
            story.append(P(l, h2))
        elif TIME_RE.match(l):
            story.append(P(l, timestyle))
        elif l.startswith("- "):
            story.append(P(l, bullet))
        elif l in ("Home Affairs", "Funded by", "the European Union"):
            story.append(P(l, small))
        elif "https://" in l:
            url = re.search(r"https://\S+", l).group(0)
            size = 10
            while stringWidth(url, "Helvetica", size) > frame_w and size > 6:
                size -= 0.5
            story.append(P(l, ParagraphStyle("url", parent=base, fontSize=size, leading=size * 1.35,
                                             spaceBefore=8, splitLongWords=0)))
        else:
            story.append(P(l, base))

    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=2 * cm, rightMargin=2 * cm,
                            topMargin=2 * cm, bottomMargin=2 * cm, title=PDF_TITLE,
                            author="EMN Belgium", subject="Annual Report on Migration & Asylum - Policy Event",
                            creator="EMN Belgium", invariant=1)
    doc.build(story)
    return buf.getvalue()


# --------------------------------------------------------------------------
# Fedasil
# --------------------------------------------------------------------------
FED = "fedasil.be"
FED_PATH = "/fr/international/fonds-europeens"


def build_fedasil(seeds: Path) -> None:
    lines = [l for l in (seeds / "fedasil-amif-page-fr.txt").read_text(encoding="utf-8").split("\n")]
    nonempty = [l for l in lines if l.strip()]
    assert nonempty[0] == "Accueil" and nonempty[1] == "Fonds européens"
    parts: list[str] = []
    ul: list[str] = []

    def flush():
        if ul:
            parts.append("<ul>" + "".join(f"<li>{esc(x)}</li>" for x in ul) + "</ul>")
            ul.clear()

    for l in nonempty[2:]:
        s = l.strip()
        if s.startswith("•"):
            ul.append(s[1:].strip())
            continue
        flush()
        if s[-1] not in ".:;!?":
            parts.append(f"<h2>{esc(s)}</h2>")
        else:
            parts.append(f"<p>{esc(s)}</p>")
    flush()
    body = "\n              ".join(parts)
    page = f"""<!DOCTYPE html>
<html lang="fr" dir="ltr" prefix="og: https://ogp.me/ns#">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>Fonds européens | Fedasil</title>
<link rel="canonical" href="https://{FED}{FED_PATH}">
<meta property="og:site_name" content="Fedasil">
<meta property="og:title" content="Fonds européens">
<style>
#header{{border-bottom:4px solid #e2001a}}.language-switcher{{list-style:none;display:flex;gap:8px}}
#content .breadcrumb{{font-size:.85em}}#sidebar-first{{float:left;width:25%}}
</style>
<script>window.dataLayer = window.dataLayer || []; function gtag(){{dataLayer.push(arguments);}} gtag('js', new Date());</script>
</head>
<body class="lang-fr section-international path-node page-node-type-page">
<a href="#main-content" class="skip-link visually-hidden">Aller au contenu principal</a>
<div id="page-wrapper">
 <div id="page">
  <header id="header" class="header" role="banner" aria-label="En-tête du site">
    <div class="header__branding">
      <a href="/fr" title="Accueil" rel="home" class="header__logo"><img src="/themes/custom/fedasil/logo.svg" alt="Accueil"></a>
      <span class="header__name">Fedasil</span>
      <span class="header__slogan">Agence fédérale pour l'accueil des demandeurs d'asile</span>
    </div>
    <ul class="language-switcher">
      <li class="fr is-active"><a href="{FED_PATH}" hreflang="fr" class="language-link is-active">FR</a></li>
      <li class="nl"><a href="/nl/internationaal/europese-fondsen" hreflang="nl" class="language-link">NL</a></li>
      <li class="en"><a href="/en/international/european-funds" hreflang="en" class="language-link">EN</a></li>
    </ul>
    <div class="header__nav" id="navbar">
      <ul class="navbar-nav main-menu">
        <li><a href="/fr">Accueil</a></li>
        <li class="active-trail"><a href="/fr/international">International</a></li>
      </ul>
    </div>
  </header>
  <div id="main-wrapper" class="layout-main-wrapper clearfix">
    <div id="sidebar-first" class="column sidebar">
      <div class="menu-block section-menu">
        <h2 class="block-title">International</h2>
        <ul class="menu">
          <li class="menu-item menu-item--active-trail"><a href="{FED_PATH}" class="is-active">Fonds européens</a></li>
        </ul>
      </div>
    </div>
    <div id="content" class="column main-content">
      <a id="main-content" tabindex="-1"></a>
      <div class="breadcrumb" aria-label="Fil d'Ariane">
        <a href="/fr">Accueil</a> &gt; <a href="/fr/international">International</a> &gt; <span class="breadcrumb__current">Fonds européens</span>
      </div>
      <div class="content-header"><h1 class="title page-title">Fonds européens</h1></div>
      <div class="node node--type-page node--view-mode-full">
        <div class="field field--name-body field--type-text-with-summary field--label-hidden field__item">
              {body}
        </div>
      </div>
    </div>
  </div>
  <div id="footer" class="site-footer">
    <div class="footer__contact">
      <p>Fedasil - Agence fédérale pour l'accueil des demandeurs d'asile</p>
      <ul class="footer__links">
        <li><a href="/fr/contact">Contact</a></li>
        <li><a href="/fr/mentions-legales">Mentions légales</a></li>
        <li><a href="/fr/vie-privee">Vie privée</a></li>
        <li><a href="https://www.belgium.be/fr">Belgium.be</a></li>
      </ul>
    </div>
  </div>
 </div>
</div>
<script type="application/json" data-drupal-selector="drupal-settings-json">{{"path":{{"baseUrl":"\\/","pathPrefix":"fr\\/","currentPath":"node\\/1432","currentLanguage":"fr"}}}}</script>
</body>
</html>
"""
    write(FED, "/robots.txt", "User-agent: *\nDisallow: /admin/\n")
    write(FED, FED_PATH, page)


# --------------------------------------------------------------------------
# media4cohesion (Belga)
# --------------------------------------------------------------------------
M4C = "media4cohesion.belgashare.be"
M4C_PATH = "/fr/press-releases/14498"


def m4c_page(title: str, inner: str, canonical: str) -> str:
    return f"""<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>{esc(title)} - media4cohesion</title>
<link rel="canonical" href="{attr(canonical)}">
<style>
.app-shell{{font-family:Arial,sans-serif}}.topbar{{display:flex;justify-content:space-between}}
.pr-meta span{{margin-right:12px}}.tag-chip{{border:1px solid #ccc;border-radius:12px;padding:2px 8px}}
.disclaimer-bar{{background:#f3f3f3;font-size:12px}}
</style>
<script>window.__BELGASHARE__ = {{"tenant":"media4cohesion","locale":"fr","features":{{"copyLink":true}}}};</script>
</head>
<body>
<div id="app" class="app-shell">
  <div class="topbar">
    <a class="topbar__brand" href="/fr">media4cohesion</a>
    <div class="topbar__locales"><a href="/fr/press-releases" class="active">FR</a> <a href="/nl/press-releases">NL</a> <a href="/en/press-releases">EN</a></div>
    <div class="topbar__links"><a href="/fr/press-releases">Communiqués de presse</a></div>
  </div>
  <div class="page-body">
{inner}
  </div>
  <div class="disclaimer-bar">
    <img src="/assets/eu-cofunded.png" alt="Cofinancé par l'Union européenne">
    <p>{esc(M4C_DISCLAIMER)}</p>
    <div class="disclaimer-bar__contact"><span>Contact</span> <a href="https://www.belga.be">https://www.belga.be</a></div>
    <div class="disclaimer-bar__powered"><span>Powered by</span> <a href="https://www.belga.be"><img src="/assets/belga-logo.svg" alt="Belga"></a></div>
  </div>
</div>
<script>document.querySelectorAll('[data-copy-link]').forEach(function(b){{b.addEventListener('click',function(){{navigator.clipboard.writeText(location.href);}});}});</script>
</body>
</html>
"""


M4C_DISCLAIMER = ""


def build_m4c(seeds: Path) -> None:
    global M4C_DISCLAIMER
    raw = (seeds / "media4cohesion-amif-press-fr.txt").read_text(encoding="utf-8")
    L = [l for l in raw.split("\n") if l.strip()]
    assert L[0] == "media4cohesion" and L[2] == "Copier le lien" and L[3] == "Cover Image"
    title = L[1]
    assert L[4] == title
    date_s, time_s, tag1, tag2 = L[5], L[6], L[7], L[8]
    i_docs = L.index("Documents et médias")
    body = L[9:i_docs]
    assert L[i_docs + 1] == "Images"
    img_name, credit, disclaimer = L[i_docs + 2], L[i_docs + 3], L[i_docs + 4]
    assert L[i_docs + 5:] == ["Contact", "https://www.belga.be", "Powered by"], L[i_docs + 5:]
    M4C_DISCLAIMER = disclaimer
    # the quirk: first paragraph arrives as escaped HTML inside the body container
    body_html = esc(body[0]) + "\n" + "\n".join(f"      <p>{esc(p)}</p>" for p in body[1:])
    tags = "".join(f'<a class="tag-chip" href="/fr/press-releases?category={slugify(t)}">{esc(t)}</a> '
                   for t in (tag1, tag2))
    inner = f"""    <div class="pr-hero">
      <h1 class="pr-hero__title">{esc(title)}</h1>
      <button type="button" class="btn btn-link" data-copy-link>Copier le lien</button>
      <img class="pr-hero__cover" src="https://media4cohesion.belgashare.be/media/press-releases/14498/cover.jpg" alt="Cover Image">
    </div>
    <div class="pr-detail">
      <h2 class="pr-detail__title">{esc(title)}</h2>
      <div class="pr-meta"><span class="pr-meta__date">{date_s}</span><span class="pr-meta__time">{time_s}</span></div>
      <div class="pr-tags">{tags}</div>
      <div class="pr-detail__body">
      {body_html}
      </div>
      <div class="pr-media">
        <h3>Documents et médias</h3>
        <h4>Images</h4>
        <figure class="pr-media__item">
          <img src="https://media4cohesion.belgashare.be/media/press-releases/14498/{attr(img_name)}" alt="{attr(img_name)}">
          <figcaption><span class="pr-media__name">{esc(img_name)}</span><span class="pr-media__credit">{esc(credit)}</span></figcaption>
        </figure>
      </div>
    </div>"""
    write(M4C, "/robots.txt", "User-agent: *\nCrawl-delay: 1\nDisallow: /admin/\n")
    write(M4C, M4C_PATH, m4c_page(title, inner, f"https://{M4C}{M4C_PATH}"))
    listing = f"""    <h1 class="page-title">Communiqués de presse</h1>
    <div class="pr-list">
      <div class="pr-card">
        <a class="pr-card__link" href="{M4C_PATH}"><h2 class="pr-card__title">{esc(title)}</h2></a>
        <div class="pr-meta"><span class="pr-meta__date">{date_s}</span><span class="pr-meta__time">{time_s}</span></div>
        <div class="pr-tags">{tags}</div>
      </div>
    </div>"""
    write(M4C, "/fr/press-releases", m4c_page("Communiqués de presse", listing,
                                              f"https://{M4C}/fr/press-releases"))


# --------------------------------------------------------------------------
def main() -> None:
    seeds = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_SEEDS
    if SITE.exists():
        shutil.rmtree(SITE)
    prog = parse_programme((seeds / "emn-policy-event-2024-programme.txt").read_text(encoding="utf-8"))
    build_emn(seeds, prog)
    build_fedasil(seeds)
    build_m4c(seeds)
    write("dofi.ibz.be", "/robots.txt", "User-agent: *\nDisallow: /admin/\n")
    for u in WRITTEN:
        print(u)


if __name__ == "__main__":
    main()
