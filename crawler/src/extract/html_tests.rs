//! Tests of `extract_html`: small inline fixtures for each rule, then the
//! mirror's pages when they are present.

use chrono::NaiveDate;
use url::Url;

use super::*;
use crate::DocType;

fn page(url: &str, html: &str) -> HtmlPage {
    extract_html(&Url::parse(url).unwrap(), html, "emn-belgium")
}

fn texts(page: &HtmlPage) -> Vec<String> {
    page.document.blocks.iter().map(|b| b.text.clone()).collect()
}

fn d(y: i32, m: u32, day: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, day)
}

const ARTICLE: &str = r##"<!DOCTYPE html><html lang="en"><head>
<title>Georgia joins | EMN Belgium</title>
<link rel="canonical" href="https://emnbelgium.be/news/georgia">
<link rel="alternate" hreflang="nl" href="/nl/nieuws/georgie">
</head><body>
<a href="#main-content" class="skip-link">Skip to main content</a>
<header role="banner"><a href="/"><img src="/logo.svg" alt="Home"></a>
<ul class="language-switcher"><li><a href="/fr/news/georgia" hreflang="fr">FR</a></li></ul></header>
<nav><ul><li><a href="/news?page=0">News</a></li><li><a href="mailto:info@emnbelgium.be">Mail</a></li>
<li><a href="javascript:void(0)">JS</a></li><li><a href="tel:+32">Call</a></li></ul></nav>
<div class="breadcrumb"><a href="/">Home</a></div>
<main><article>
<h1>Georgia and Moldova have joined the EMN</h1>
<div class="meta">When17 March 2021</div>
<p>Georgia and Moldova have joined the EMN in March 2021 as observers, on 2 March 2021 to be precise. This will enhance collaboration.</p>
<div class="share-buttons"><a href="https://twitter.com/share">Tweet</a></div>
<div class="theme"><strong>Main Theme:</strong><a href="/cross-sectional">Cross-sectional</a></div>
<div><span>Keywords:</span> <a href="/keywords/eastern-europe">Eastern Europe</a>, <a href="/keywords/enlargement">enlargement</a></div>
</article></main>
<aside><h2>Related</h2><a href="/news/other#top">Other news</a></aside>
<footer><a href="/legal">Legal notice</a></footer>
</body></html>"##;

#[test]
fn article_fields() {
    let p = page("https://emnbelgium.be/news/georgia?utm=x#frag", ARTICLE);
    let doc = &p.document;
    assert_eq!(doc.title, "Georgia and Moldova have joined the EMN");
    assert_eq!(doc.url, "https://emnbelgium.be/news/georgia");
    assert_eq!(doc.source, "emn-belgium");
    assert_eq!(doc.date, d(2021, 3, 17));
    assert_eq!(doc.themes, ["Cross-sectional"]);
    assert_eq!(doc.keywords, ["Eastern Europe", "enlargement"]);
    assert_eq!(doc.doc_type, DocType::Event);
    assert_eq!(doc.languages, ["en"]);
    assert_eq!(doc.organisations, ["EMN"]);
}

#[test]
fn boilerplate_is_removed() {
    let p = page("https://emnbelgium.be/news/georgia", ARTICLE);
    let blocks = texts(&p);
    assert_eq!(blocks.len(), 2, "{blocks:?}");
    assert!(blocks[0].starts_with("When17 March 2021"));
    assert!(blocks[1].starts_with("Georgia and Moldova have joined the EMN in March 2021"));
    let all = blocks.join(" ");
    for junk in [
        "Skip to",
        "Home",
        "News",
        "Tweet",
        "Related",
        "Legal",
        "Main Theme",
        "Keywords",
        "FR",
    ] {
        assert!(!all.contains(junk), "{junk} in {all}");
    }
}

#[test]
fn links_are_resolved_and_filtered() {
    let p = page("https://emnbelgium.be/news/georgia", ARTICLE);
    let urls: Vec<&str> = p.links.iter().map(|l| l.url.as_str()).collect();
    assert!(urls.contains(&"https://emnbelgium.be/news?page=0"));
    assert!(urls.contains(&"https://emnbelgium.be/news/other"));
    assert!(urls.contains(&"https://twitter.com/share"));
    assert!(urls.iter().all(|u| u.starts_with("http") && !u.contains('#')));
    assert!(
        !urls
            .iter()
            .any(|u| u.contains("mailto") || u.contains("javascript") || u.contains("tel:"))
    );
    let home = p
        .links
        .iter()
        .find(|l| l.url.as_str() == "https://emnbelgium.be/")
        .unwrap();
    assert_eq!(home.text, "Home");
    assert_eq!(
        p.canonical.as_ref().map(Url::as_str),
        Some("https://emnbelgium.be/news/georgia")
    );
    let alternates: Vec<(&str, &str)> = p
        .alternates
        .iter()
        .map(|(l, u)| (l.as_str(), u.as_str()))
        .collect();
    assert_eq!(
        alternates,
        [
            ("nl", "https://emnbelgium.be/nl/nieuws/georgie"),
            ("fr", "https://emnbelgium.be/fr/news/georgia")
        ]
    );
}

#[test]
fn labels_glued_empty_and_dutch() {
    let html = r#"<html lang="nl"><body><main><h1>Nieuw verblijfsrecht</h1>
        <p>Publicatiedatum:22 maart 2021</p><p>Hoofdthema: Migratie, Internationale bescherming</p>
        <p>Trefwoorden:</p>
        <p>Op 22 februari 2024 keurde de plenaire vergadering van de Kamer een wetsontwerp goed betreffende staatloosheid.</p>
        </main></body></html>"#;
    let p = page("https://emnbelgium.be/nl/nieuws/verblijfsrecht", html);
    assert_eq!(p.document.date, d(2021, 3, 22));
    assert_eq!(p.document.themes, ["Migration", "International Protection"]);
    assert!(p.document.keywords.is_empty());
    assert_eq!(p.document.doc_type, DocType::News);
    assert_eq!(p.document.languages, ["nl"]);
    assert!(
        texts(&p)
            .iter()
            .all(|t| !t.contains("Hoofdthema") && !t.contains("Publicatiedatum"))
    );
}

#[test]
fn date_comes_from_the_page_not_the_body_sentence() {
    let html = r#"<html><body><main><h1>FRA report</h1><div>15 June 2021</div>
        <p>On 10 June 2021, the European Union Agency for Fundamental Rights (FRA) published its report.</p></main></body></html>"#;
    assert_eq!(
        page("https://emnbelgium.be/news/fra", html).document.date,
        d(2021, 6, 15)
    );

    let html = r#"<html><body><main><h1>FRA report</h1>
        <p>On 10 June 2021, the European Union Agency for Fundamental Rights (FRA) published its report.</p></main></body></html>"#;
    assert_eq!(page("https://emnbelgium.be/news/fra", html).document.date, None);

    let html = r#"<html><head><meta property="article:published_time" content="2020-05-07T10:00:00+02:00"></head>
        <body><main><h1>T</h1><p>Text on 1 May 2020 with a date.</p></main></body></html>"#;
    assert_eq!(
        page("https://emnbelgium.be/news/t", html).document.date,
        d(2020, 5, 7)
    );

    let html = r#"<html><body><main><h1>T</h1><div><time datetime="2020-06-18T12:00:00Z">18 June 2020</time></div>
        <p>Body.</p></main></body></html>"#;
    assert_eq!(
        page("https://emnbelgium.be/news/t", html).document.date,
        d(2020, 6, 18)
    );
}

#[test]
fn escaped_paragraphs_are_stripped() {
    let html = r#"<html lang="fr"><body><h1>Communiqué</h1><div class="pr-meta"><span>17/12/2025</span><span>08:00</span></div>
        <div class="body">&lt;p&gt;Plusieurs projets belges financés par le Fonds Asile, Migration et Intégration arrivent à leur terme.&lt;/p&gt;
        <p>Une série d'initiatives menées au sein de l'organisation publique fédérale clôturent trois années.</p></div></body></html>"#;
    let p = extract_html(
        &Url::parse("https://media4cohesion.belgashare.be/fr/press-releases/1").unwrap(),
        html,
        "media4cohesion",
    );
    let blocks = texts(&p);
    assert!(
        blocks.iter().all(|b| !b.contains("<p>") && !b.contains("&lt;")),
        "{blocks:?}"
    );
    assert!(blocks.iter().any(|b| b.starts_with("Plusieurs projets belges")));
    assert_eq!(p.document.date, d(2025, 12, 17));
    assert_eq!(p.document.doc_type, DocType::PressRelease);
    assert_eq!(p.document.languages, ["fr"]);
}

#[test]
fn title_fallbacks() {
    let og = r#"<html><head><meta property="og:title" content="From og"><title>From title | EMN Belgium</title></head>
        <body><p>Body text here.</p></body></html>"#;
    assert_eq!(page("https://emnbelgium.be/x", og).document.title, "From og");
    let title = r#"<html><head><title>Fonds européens - Fedasil</title></head><body><p>Body text here.</p></body></html>"#;
    assert_eq!(
        page("https://fedasil.be/x", title).document.title,
        "Fonds européens"
    );
    let none =
        r#"<html><body><p>Main theme: Asylum</p><p>First sentence of the text. Then more.</p></body></html>"#;
    assert_eq!(
        page("https://emnbelgium.be/x", none).document.title,
        "First sentence of the text."
    );
    let leak = r#"<html><body><main><h1>A title Publication date: 01 July 2021</h1><p>Body.</p></main></body></html>"#;
    let p = page("https://emnbelgium.be/x", leak);
    assert_eq!(p.document.title, "A title");
}

#[test]
fn immigration_office_project() {
    let html = r#"<html lang="en"><body><div id="content"><h1>AMIF-046-078 Circular migration</h1>
        <p>Code: AMIF-046-078<br>Project duration: 01/01/2022 -31/12/2024<br>Budget: € 1,146,889.91</p>
        <p>The project supports circular migration with partner countries and the Immigration Office.</p></div></body></html>"#;
    let url =
        Url::parse("https://dofi.ibz.be/en/documentation/projects-funded-eu/amif-046-078-circular").unwrap();
    let p = extract_html(&url, html, "immigration-office");
    assert_eq!(p.document.doc_type, DocType::Project);
    assert_eq!(p.document.keywords, ["AMIF-046-078"]);
    assert_eq!(p.document.date, d(2022, 1, 1));
    assert!(
        p.document
            .organisations
            .contains(&"Immigration Office".to_string())
    );
}

#[test]
fn empty_and_odd_input_does_not_panic() {
    for html in [
        "",
        "<html>",
        "<<<>>>",
        "<body><a href='http://[::1'>x</a></body>",
        "\u{0}\u{FFFF}",
    ] {
        let p = page("https://emnbelgium.be/x", html);
        assert_eq!(p.document.date, None);
    }
}

#[test]
fn definition_list_labels() {
    let html = r#"<html lang="en"><body><article><h1>Annual report</h1><dl>
        <dt>Publication date</dt><dd>01 July 2021</dd>
        <dt>Main theme</dt><dd><a href="/asylum">Asylum</a>, <a href="/migration">Migration</a></dd>
        <dt>Publication Type</dt><dd>EMN inform</dd></dl>
        <p>The report gives an overview of the key developments in the EU Member States.</p></article></body></html>"#;
    let p = page("https://emnbelgium.be/node/12", html);
    assert_eq!(p.document.date, d(2021, 7, 1));
    assert_eq!(p.document.themes, ["Asylum", "Migration"]);
    assert_eq!(p.document.doc_type, DocType::Publication);
    assert_eq!(
        texts(&p),
        ["The report gives an overview of the key developments in the EU Member States."]
    );
}

#[test]
fn event_labels_with_icons_and_french_dates() {
    let html = r#"<html lang="fr"><body><main><h1>Conférence</h1>
        <p><strong>When</strong> <i class="icon">?</i> Wednesday, 26 April 2017 08:30 to 12:45</p>
        <p><strong>Where</strong> ? Résidence Palace, Brussels</p>
        <p>Le 22 février 2024, la Chambre a adopté un projet de loi concernant les apatrides.</p></main></body></html>"#;
    let p = page("https://emnbelgium.be/fr/news/conference", html);
    assert_eq!(p.document.date, d(2017, 4, 26));
    assert_eq!(p.document.doc_type, DocType::Event);

    let html = r#"<html lang="fr"><body><main><h1>Titre</h1><p>Date de publication : 1er juillet 2021</p>
        <p>Texte.</p></main></body></html>"#;
    assert_eq!(
        page("https://emnbelgium.be/fr/x", html).document.date,
        d(2021, 7, 1)
    );
}

#[test]
fn fedasil_style_news_date_under_title() {
    let html = r#"<html lang="nl"><body><div id="content"><h1>Nieuwe opvangplaatsen</h1><div class="date">13/04/2018</div>
        <p>Fedasil opent op 20/04/2018 om 14u nieuwe opvangplaatsen voor verzoekers om internationale bescherming.</p>
        </div></body></html>"#;
    let url = Url::parse("https://www.fedasil.be/nl/nieuws/opvang/nieuwe-opvangplaatsen").unwrap();
    let p = extract_html(&url, html, "fedasil");
    assert_eq!(p.document.date, d(2018, 4, 13));
    assert_eq!(p.document.doc_type, DocType::News);
    assert_eq!(p.document.organisations, ["Fedasil"]);
    assert_eq!(p.document.languages, ["nl"]);
}

#[test]
fn no_date_anywhere_gives_none() {
    let html = r#"<html><body><main><h1>About us</h1><p>EMN Belgium provides information on migration and asylum.</p>
        </main></body></html>"#;
    let p = page("https://emnbelgium.be/about", html);
    assert_eq!(p.document.date, None);
    assert_eq!(p.document.doc_type, DocType::Page);
}

// The bundled mirror (committed under mirror/site) as fixtures.

fn mirror(path: &str) -> String {
    let file = format!("{}/../mirror/site/{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{file}: {e}"))
}

fn mirror_page(host: &str, path: &str, source: &str) -> Option<HtmlPage> {
    // The mirror's file rule: `/news?page=1` → `news__page=1.html`.
    let html = mirror(&format!("{host}/{}.html", path.replace('?', "__")));
    let url = Url::parse(&format!("https://{host}/{path}")).unwrap();
    Some(extract_html(&url, &html, source))
}

#[test]
fn mirror_emn_article() {
    let p = mirror_page(
        "emnbelgium.be",
        "news/on-10-june-2021-the-european-union-agency-for-fundamental",
        "emn-belgium",
    )
    .unwrap();
    let doc = &p.document;
    assert_eq!(doc.date, d(2021, 6, 15));
    assert!(
        doc.title
            .starts_with("On 10 June 2021, the European Union Agency")
    );
    assert_eq!(doc.themes, ["Cross-sectional"]);
    assert_eq!(doc.doc_type, DocType::News);
    assert_eq!(doc.organisations, ["FRA"]);
    assert_eq!(doc.blocks.len(), 1, "{:?}", texts(&p));
    assert!(p.alternates.iter().any(|(l, _)| l == "nl"));
}

#[test]
fn mirror_emn_event() {
    let p = mirror_page(
        "emnbelgium.be",
        "news/emn-belgium-policy-event-2024-discussing-annual-report-2023-migration-asylum-and-considering",
        "emn-belgium",
    )
    .unwrap();
    assert_eq!(p.document.doc_type, DocType::Event);
    assert_eq!(p.document.date, d(2024, 4, 18));
    assert!(
        p.links
            .iter()
            .any(|l| l.url.path().ends_with("emn-policy-event-2024-programme.pdf"))
    );
    // The event's day and hours, and the list of session titles, are no sessions.
    assert!(p.document.passages.is_empty(), "{:?}", p.document.passages);
}

#[test]
fn mirror_media4cohesion() {
    let p = mirror_page(
        "media4cohesion.belgashare.be",
        "fr/press-releases/14498",
        "media4cohesion",
    )
    .unwrap();
    let doc = &p.document;
    assert!(doc.title.starts_with("Journée internationale des migrants"));
    assert_eq!(doc.date, d(2025, 12, 17));
    assert_eq!(doc.doc_type, DocType::PressRelease);
    assert_eq!(doc.languages, ["fr"]);
    let all = doc.text();
    assert!(!all.contains("<p>") && !all.contains("&lt;"));
    assert!(all.contains("Plusieurs projets belges"));
    assert!(!all.contains(&doc.title), "title repeated");
    assert_eq!(doc.keywords, ["Asile et migration", "Politique et gouvernement"]);
    for org in ["Immigration Office", "Fedasil", "CGRS"] {
        assert!(doc.organisations.iter().any(|o| o == org), "{org}");
    }
}

#[test]
fn mirror_fedasil() {
    let p = mirror_page("fedasil.be", "fr/international/fonds-europeens", "fedasil").unwrap();
    let doc = &p.document;
    assert_eq!(doc.title, "Fonds européens");
    assert_eq!(doc.doc_type, DocType::Project);
    assert_eq!(doc.date, None);
    assert_eq!(doc.languages, ["fr"]);
    assert!(!doc.text().contains("Accueil > International"));
    assert_eq!(p.alternates.len(), 3);

    // One passage per project section, with its text and period.
    let projects: Vec<(&str, &str, Option<&str>)> = doc
        .passages
        .iter()
        .map(|p| (p.title.as_str(), p.anchor.as_str(), p.slot.as_deref()))
        .collect();
    assert_eq!(
        projects,
        [
            (
                "Projet AMIF Accueil 2024-2025",
                "project-projet-amif-accueil-2024-2025",
                Some("2024-2025")
            ),
            (
                "Projet AMIF Retour Volontaire 2024-2025",
                "project-projet-amif-retour-volontaire-2024-2025",
                Some("2024-2025")
            ),
        ]
    );
    let text = |i: usize| {
        doc.passages[i]
            .blocks
            .iter()
            .map(|b| b.text.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    };
    assert!(text(0).contains("4 axes") && !text(0).contains("Retour Volontaire a été créé"));
    assert!(text(1).to_lowercase().contains("retour volontaire"));
    assert!(text(1).contains("datalisation"));
    for passage in &doc.passages {
        assert_eq!(passage.kind, crate::PassageKind::Project);
        assert_eq!(passage.languages, ["fr"]);
        assert!(passage.translation_key.is_none());
    }
    assert!(doc.passages[1].organisations.iter().any(|o| o == "IOM"));
}

#[test]
fn project_sections_in_dutch_and_english_pages() {
    let dutch = extract_html(
        &Url::parse("https://fedasil.be/nl/internationaal/europese-fondsen").unwrap(),
        r#"<html lang="nl"><body><main><h1>Europese fondsen</h1>
        <p>Fedasil voert projecten uit die gefinancierd worden door het Asiel-, Migratie- en Integratiefonds.</p>
        <h3>AMIF-project Opvang</h3>
        <p>Code: AMIF-123-456</p>
        <p>Het project versterkt het opvangnetwerk en de ondersteuning van de bewoners van de opvangcentra.</p>
        <h4>Doelstellingen</h4><ul><li>Een flexibeler opvangnetwerk uitbouwen.</li></ul>
        <h3>AMIF-project Vrijwillige terugkeer 2024-2025</h3>
        <p>Het project ondersteunt de vrijwillige terugkeer en de re-integratie, samen met de IOM en Caritas.</p>
        <h2>Contact</h2><p>Stuur een e-mail naar de dienst Internationaal.</p></main></body></html>"#,
        "fedasil",
    )
    .document;
    let got: Vec<(&str, Option<&str>, usize)> = dutch
        .passages
        .iter()
        .map(|p| (p.anchor.as_str(), p.slot.as_deref(), p.blocks.len()))
        .collect();
    assert_eq!(
        got,
        [
            ("project-amif-project-opvang", Some("AMIF-123-456"), 4),
            (
                "project-amif-project-vrijwillige-terugkeer-2024-2025",
                Some("2024-2025"),
                1
            ),
        ]
    );
    assert!(dutch.passages.iter().all(|p| p.languages == ["nl"]));
    assert!(
        !dutch.passages[1].blocks.iter().any(|b| b.text.contains("e-mail")),
        "the section ends at the next h2"
    );

    // Projects headed by paragraphs in bold, codes in the headings.
    let english = extract_html(
        &Url::parse("https://dofi.ibz.be/en/documentation/projects-funded-eu").unwrap(),
        r#"<html lang="en"><body><div id="content"><h1>Projects funded by the EU</h1>
        <p>The Immigration Office carries out several projects with the support of European funds.</p>
        <p><strong>Project AMIF-046-078</strong></p>
        <p>The project supports circular migration between Belgium and partner countries with Enabel.</p>
        <p><b>Project ISF-12-34 </b><strong>Border management</strong></p>
        <p>The project modernises border checks at the airports.</p>
        </div></body></html>"#,
        "immigration-office",
    )
    .document;
    let got: Vec<(&str, Option<&str>)> = english
        .passages
        .iter()
        .map(|p| (p.title.as_str(), p.slot.as_deref()))
        .collect();
    assert_eq!(
        got,
        [
            ("Project AMIF-046-078", Some("AMIF-046-078")),
            ("Project ISF-12-34 Border management", Some("ISF-12-34")),
        ]
    );
    assert!(english.passages[0].organisations.iter().any(|o| o == "Enabel"));
    assert!(english.passages.iter().all(|p| p.languages == ["en"]));
}

#[test]
fn one_project_page_and_plain_pages_have_no_passages() {
    let html = r#"<html lang="en"><body><div id="content"><h1>AMIF-046-078 Circular migration</h1>
        <p>Code: AMIF-046-078<br>Project duration: 01/01/2022 - 31/12/2024</p>
        <h2>Project AMIF Circular migration</h2>
        <p>The project supports circular migration with partner countries and the Immigration Office.</p></div></body></html>"#;
    let url =
        Url::parse("https://dofi.ibz.be/en/documentation/projects-funded-eu/amif-046-078-circular").unwrap();
    assert!(
        extract_html(&url, html, "immigration-office")
            .document
            .passages
            .is_empty()
    );
    let p = page("https://emnbelgium.be/news/georgia", ARTICLE);
    assert!(p.document.passages.is_empty());
}

#[test]
fn event_page_with_a_programme_has_sessions() {
    let html = r#"<html lang="en"><body><main><h1>EMN Belgium annual conference 2025</h1>
        <p><strong>When ?</strong> Thursday, 15 May 2025</p>
        <h2>Programme</h2>
        <table><tr><td>9:00-9:30</td><td>Registration</td></tr>
        <tr><td>9:30-10:30</td><td>L'intégration des bénéficiaires / De integratie van begunstigden</td></tr></table>
        <h3>L'intégration des bénéficiaires de protection (9:30-10:30)</h3>
        <p>Dans cette session, Myria et le HCR présentent les résultats de leur étude sur l'intégration des bénéficiaires de protection internationale.</p>
        <p>Session bilingue (français-néerlandais)</p>
        <h3>De integratie van begunstigden van bescherming (9:30-10:30)</h3>
        <p>In deze sessie stellen Myria en UNHCR de resultaten voor van hun studie over de integratie van begunstigden van internationale bescherming.</p>
        <p>Tweetalige sessie (Nederlands-Frans)</p>
        <p>We look forward to your participation!</p></main></body></html>"#;
    let doc = extract_html(
        &Url::parse("https://emnbelgium.be/news/annual-conference-2025").unwrap(),
        html,
        "emn-belgium",
    )
    .document;
    assert_eq!(doc.doc_type, DocType::Event);
    let got: Vec<(&str, Option<&str>, Option<&str>)> = doc
        .passages
        .iter()
        .map(|p| {
            (
                p.anchor.as_str(),
                p.slot.as_deref(),
                p.languages.first().map(String::as_str),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (
                "session-lintegration-des-beneficiaires-de-protection",
                Some("09.30-10.30"),
                Some("fr")
            ),
            (
                "session-de-integratie-van-begunstigden-van-bescherming",
                Some("09.30-10.30"),
                Some("nl")
            ),
        ]
    );
    let key = doc.passages[0].translation_key.as_deref();
    assert_eq!(key, Some("session-lintegration-des-beneficiaires-de-protection"));
    assert_eq!(doc.passages[1].translation_key.as_deref(), key);
    assert!(doc.passages.iter().all(|p| p.blocks.len() == 1));
}
#[test]
fn mirror_news_articles_all_have_title_date_and_theme_or_text() {
    let dir = format!("{}/../mirror/site/emnbelgium.be/news", env!("CARGO_MANIFEST_DIR"));
    let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{dir}: {e}"));
    let mut checked = 0;
    for entry in entries.flatten() {
        checked += 1;
        let path = entry.path();
        let Some(slug) = path.file_stem().and_then(|s| s.to_str()) else {
            continue;
        };
        let p = mirror_page("emnbelgium.be", &format!("news/{slug}"), "emn-belgium").unwrap();
        let doc = &p.document;
        assert!(!doc.title.is_empty(), "{slug}");
        assert!(doc.date.is_some(), "{slug}");
        assert!(!doc.blocks.is_empty(), "{slug}");
        assert!(matches!(doc.doc_type, DocType::News | DocType::Event), "{slug}");
        assert!(doc.themes.iter().all(|t| !t.contains("Read more")), "{slug}");
        // The event page lists bilingual French/Dutch session titles.
        assert!(doc.languages.iter().any(|l| l == "en"), "{slug}");
    }
    // 24 news items (one kept only in the listing) and the event page.
    assert!(checked >= 25, "only {checked} mirror articles");
}

#[test]
fn mirror_listing_keeps_teaser_dates_out_of_metadata_values() {
    let p = mirror_page("emnbelgium.be", "news?page=0", "emn-belgium").unwrap();
    assert_eq!(p.document.doc_type, DocType::Page);
    assert!(
        p.document
            .themes
            .iter()
            .all(|t| crate::themes::EMN_THEMES.contains(&t.as_str()))
    );
    assert!(
        p.links
            .iter()
            .any(|l| l.url.as_str() == "https://emnbelgium.be/news?page=1")
    );
}

/// Markup unlike the mirror's, in the sources' conventions: the extractors
/// must rely on labels and structure, not on one site's class names.
#[test]
fn unseen_markup_in_the_sources_conventions() {
    let publication = extract_html(
        &Url::parse("https://emnbelgium.be/publication/annual-report-2020").unwrap(),
        r#"<html lang="en"><head><title>Annual Report 2020 | EMN Belgium</title></head><body>
        <div class="layout-content"><h1 class="page-title"><span>Annual Report on Migration and Asylum 2020</span></h1>
        <div>Publication date: 01 July 2021</div><div>Publication Type: Annual Policy Reports</div>
        <div>Main theme: Cross-sectional, Asylum, Migration</div>
        <div><p>On 1 June 2021 the report was published, with contributions from the Office des étrangers and the CGVS.</p></div>
        <div>Keywords: annual report, statistics</div></div>
        <div class="sidebar"><h2>Latest news</h2><div>10 February 2022</div></div></body></html>"#,
        "emn-belgium",
    )
    .document;
    assert_eq!(publication.title, "Annual Report on Migration and Asylum 2020");
    assert_eq!(publication.date, d(2021, 7, 1));
    assert_eq!(publication.doc_type, DocType::Publication);
    assert_eq!(publication.themes, ["Cross-sectional", "Asylum", "Migration"]);
    assert_eq!(publication.keywords, ["annual report", "statistics"]);
    assert_eq!(publication.organisations, ["Immigration Office", "CGRS"]);

    let dutch = extract_html(
        &Url::parse("https://emnbelgium.be/nl/nieuws/terugkeer").unwrap(),
        r#"<html lang="nl"><body><main><article><h1>Vrijwillige terugkeer daalt voor het derde jaar op rij</h1>
        <p>22 maart 2021</p><p>Het aantal vrijwillige terugkeerders daalt voor het derde opeenvolgende jaar, meldt de Dienst Vreemdelingenzaken.</p>
        <p><strong>Hoofdthema:</strong> Migratie</p><p><strong>Trefwoorden:</strong> terugkeer</p></article></main></body></html>"#,
        "emn-belgium",
    )
    .document;
    assert_eq!(dutch.date, d(2021, 3, 22));
    assert_eq!(dutch.doc_type, DocType::News);
    assert_eq!(dutch.themes, ["Migration"]);
    assert_eq!(dutch.languages, ["nl"]);

    let release = extract_html(
        &Url::parse("https://media4cohesion.belgashare.be/nl/press-releases/14500").unwrap(),
        r#"<html lang="nl"><body><div class="release"><h2 class="title">België sluit een cyclus van AMIF-projecten af</h2>
        <span>17/12/2025</span><span>08:00</span><div class="body">&lt;p&gt;Verschillende Belgische projecten gefinancierd door het
        Asiel-, Migratie- en Integratiefonds lopen eind 2025 af, meldt Belga.&lt;/p&gt;</div></div></body></html>"#,
        "media4cohesion",
    )
    .document;
    assert_eq!(release.date, d(2025, 12, 17));
    assert_eq!(release.doc_type, DocType::PressRelease);
    assert!(!release.text().contains("<p>"), "{}", release.text());
}
