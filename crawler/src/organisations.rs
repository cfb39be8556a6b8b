//! Organisation mentions, mapped to one canonical name per body.
//!
//! The sources name the same bodies in three languages and by acronyms
//! (`CGRA`, `CGVS`, `CGRS` are one commissariat). Full names are matched on
//! a folded copy of the text (lowercase, no accents, hyphens and apostrophes
//! as spaces) so spelling variants meet; acronyms are matched case-sensitively
//! on the original text, as whole words, so `rem` or `oe` in prose never count.
//! Both automatons are built once.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use crate::document::OrganisationMention;

/// One body: canonical name (as in `SOURCES.md`), folded name patterns
/// (regex syntax over folded text), and case-sensitive acronyms.
struct Organisation {
    canonical: &'static str,
    names: &'static [&'static str],
    acronyms: &'static [&'static str],
}

const ORGANISATIONS: &[Organisation] = &[
    Organisation {
        canonical: "Immigration Office",
        names: &[
            "office des etrangers",
            "dienst vreemdelingenzaken",
            "immigration office",
            "aliens office",
            "foreigners office",
        ],
        acronyms: &["OE", "DVZ"],
    },
    Organisation {
        canonical: "CGRS",
        names: &[
            "commissariat general aux refugies et (?:aux )?apatrides",
            "commissariaat generaal voor de vluchtelingen en (?:de )?staatlozen",
            "commissioner general for refugees and stateless persons",
        ],
        acronyms: &["CGRA", "CGVS", "CGRS"],
    },
    Organisation {
        canonical: "Fedasil",
        names: &[
            "fedasil",
            "agence federale pour l accueil des demandeurs d asile",
            "federaal agentschap voor de opvang van asielzoekers",
            "federal agency for the reception of asylum seekers",
        ],
        acronyms: &[],
    },
    Organisation {
        canonical: "Myria",
        names: &[
            "myria",
            "centre federal migration",
            "federaal migratiecentrum",
            "federal migration cent(?:re|er)",
        ],
        acronyms: &[],
    },
    Organisation {
        canonical: "Council for Alien Law Litigation",
        names: &[
            "conseil du contentieux des etrangers",
            "raad voor vreemdelingenbetwistingen",
            "council for alien law litigation",
        ],
        acronyms: &["CCE", "RVV"],
    },
    Organisation {
        canonical: "FPS Home Affairs",
        names: &[
            "spf interieur",
            "service public federal interieur",
            "fod binnenlandse zaken",
            "federale overheidsdienst binnenlandse zaken",
            "fps home affairs",
            "federal public service home affairs",
        ],
        acronyms: &["IBZ"],
    },
    Organisation {
        canonical: "EMN",
        names: &[
            "reseau europeen des migrations",
            "europees migratienetwerk",
            "european migration network",
        ],
        acronyms: &["EMN", "REM"],
    },
    Organisation {
        canonical: "European Commission (DG HOME)",
        names: &[
            "commission europeenne",
            "europese commissie",
            "european commission",
            "dg home",
            "directorate general for migration and home affairs",
        ],
        acronyms: &[],
    },
    Organisation {
        canonical: "UNHCR",
        names: &[
            "haut commissariat des nations unies pour les refugies",
            "united nations high commissioner for refugees",
            "un refugee agency",
            "vluchtelingenorganisatie van de verenigde naties",
            "hoog commissariaat van de verenigde naties voor de vluchtelingen",
        ],
        acronyms: &["UNHCR", "HCR"],
    },
    Organisation {
        canonical: "IOM",
        names: &[
            "organisation internationale pour les migrations",
            "internationale organisatie voor migratie",
            "international organi[sz]ation for migration",
        ],
        acronyms: &["IOM", "OIM"],
    },
    Organisation {
        canonical: "FRA",
        names: &[
            "agence des droits fondamentaux de l (?:ue|union europeenne)",
            "agence de l union europeenne pour les droits fondamentaux",
            "bureau voor de grondrechten",
            "agentschap van de europese unie voor grondrechten",
            "(?:eu|european union) agency for fundamental rights",
        ],
        acronyms: &["FRA"],
    },
    Organisation {
        canonical: "OECD",
        names: &[
            "organisation for economic co operation and development",
            "organisation de cooperation et de developpement economiques",
            "organisatie voor economische samenwerking en ontwikkeling",
        ],
        acronyms: &["OECD", "OCDE", "OESO"],
    },
    Organisation {
        canonical: "EUAA (formerly EASO)",
        names: &[
            "agence de l (?:ue|union europeenne) pour l asile",
            "asielagentschap van de (?:eu|europese unie)",
            "(?:eu|european union) agency for asylum",
            "european asylum support office",
            "bureau europeen d appui en matiere d asile",
            "europees ondersteuningsbureau voor asielzaken",
        ],
        acronyms: &["EUAA", "EASO"],
    },
    Organisation {
        canonical: "Caritas International",
        names: &["caritas(?: international(?:e|is)?)?"],
        acronyms: &[],
    },
    Organisation {
        canonical: "Enabel",
        names: &["enabel", "belgian development agency"],
        acronyms: &[],
    },
    Organisation {
        canonical: "Red Cross",
        names: &["croix rouge", "rode kruis", "red cross"],
        acronyms: &[],
    },
    Organisation {
        canonical: "NANSEN",
        names: &["belgian refugee council", "nansen vzw", "nansen asbl"],
        acronyms: &["NANSEN", "Nansen"],
    },
    Organisation {
        canonical: "Fragomen",
        names: &["fragomen"],
        acronyms: &[],
    },
    Organisation {
        canonical: "Council of Europe",
        names: &["conseil de l europe", "raad van europa", "council of europe"],
        acronyms: &[],
    },
    Organisation {
        canonical: "Belgian Chamber of Representatives",
        names: &[
            "chambre des representants",
            "kamer van volksvertegenwoordigers",
            "(?:belgian )?chamber of representatives",
            "belgian house of representatives",
        ],
        acronyms: &[],
    },
    Organisation {
        canonical: "Eurostat",
        names: &["eurostat"],
        acronyms: &[],
    },
    Organisation {
        canonical: "GRETA",
        names: &["group of experts on action against trafficking in human beings"],
        acronyms: &["GRETA"],
    },
    Organisation {
        canonical: "ECRE",
        names: &["european council on refugees and exiles"],
        acronyms: &["ECRE"],
    },
    Organisation {
        canonical: "Egmont Institute",
        names: &[
            "egmont institute",
            "institut egmont",
            "egmont instituut",
            "egmont royal institute",
        ],
        acronyms: &[],
    },
    Organisation {
        canonical: "King Baudouin Foundation",
        names: &[
            "king baudouin foundation",
            "fondation roi baudouin",
            "koning boudewijnstichting",
        ],
        acronyms: &[],
    },
    Organisation {
        canonical: "Unia",
        names: &[
            "centre interfederal pour l egalite des chances",
            "interfederaal gelijkekansencentrum",
            "interfederal centre for equal opportunities",
        ],
        acronyms: &["Unia", "UNIA"],
    },
    Organisation {
        canonical: "CPAS/OCMW",
        names: &[
            "centres? publics? d action sociale",
            "openbare? centr(?:um|a) voor maatschappelijk welzijn",
            "public social welfare cent(?:re|er)s?",
        ],
        acronyms: &["CPAS", "OCMW", "PCSW"],
    },
    Organisation {
        canonical: "State Secretary for Asylum and Migration",
        names: &[
            "state secretary for asylum and migration",
            "secretary of state for asylum and migration",
            "secretaire d etat a l asile et (?:a )?la migration",
            "staatssecretaris voor asiel en migratie",
        ],
        acronyms: &[],
    },
];

/// Folds one character for name matching: lowercase, accents folded
/// (other characters, non-ASCII ones included, kept).
fn fold_char(c: char, out: &mut String) {
    for lower in c.to_lowercase() {
        match crate::slug::fold_char(lower) {
            Some(folded) => out.push_str(folded),
            None => out.push(lower),
        }
    }
}

/// Characters that separate words in names: spacing, hyphens, apostrophes.
fn is_separator(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '-' | '‐' | '‑' | '–' | '—' | '\'' | '’' | '‘' | '`' | '´' | '_'
        )
}

/// The folded text and, for each folded byte, the original byte range of
/// the character it came from (to report mentions in the original text).
fn fold(text: &str) -> (String, Vec<Range<usize>>) {
    let mut folded = String::with_capacity(text.len());
    let mut origin = Vec::with_capacity(text.len());
    let mut pending_space = false;
    for (i, c) in text.char_indices() {
        let span = i..i + c.len_utf8();
        if is_separator(c) {
            pending_space = !folded.is_empty();
            continue;
        }
        if pending_space {
            folded.push(' ');
            origin.push(span.start..span.start);
            pending_space = false;
        }
        let before = folded.len();
        fold_char(c, &mut folded);
        origin.extend(std::iter::repeat_n(span, folded.len() - before));
    }
    (folded, origin)
}

/// Group name of organisation `i` in the combined regexes.
fn group(i: usize) -> String {
    format!("o{i}")
}

/// Builds `(?P<o0>a|b)|(?P<o1>c)...` from each organisation's patterns,
/// longest first so that `caritas international` beats `caritas`.
fn combined(pick: impl Fn(&Organisation) -> Vec<String>, prefix: &str) -> Regex {
    let groups: Vec<String> = ORGANISATIONS
        .iter()
        .enumerate()
        .filter_map(|(i, org)| {
            let mut alternatives = pick(org);
            if alternatives.is_empty() {
                return None;
            }
            alternatives.sort_by_key(|a| std::cmp::Reverse(a.len()));
            Some(format!("(?P<{}>{})", group(i), alternatives.join("|")))
        })
        .collect();
    let pattern = format!(r"{prefix}\b(?:{})\b", groups.join("|"));
    Regex::new(&pattern).expect("organisation regex is valid")
}

static NAMES: LazyLock<Regex> =
    LazyLock::new(|| combined(|o| o.names.iter().map(|n| n.to_string()).collect(), ""));

static ACRONYMS: LazyLock<Regex> =
    LazyLock::new(|| combined(|o| o.acronyms.iter().map(|a| regex::escape(a)).collect(), ""));

fn matches_of(re: &Regex, text: &str) -> Vec<(usize, Range<usize>)> {
    re.captures_iter(text)
        .filter_map(|caps| {
            let whole = caps.get(0)?.range();
            let org = (0..ORGANISATIONS.len()).find(|&i| caps.name(&group(i)).is_some())?;
            Some((org, whole))
        })
        .collect()
}

/// Every mention, in text order, with its byte range in `text`.
pub fn find_organisation_mentions(text: &str) -> Vec<(String, Range<usize>)> {
    let (folded, origin) = fold(text);
    let mut mentions: Vec<(usize, Range<usize>)> = matches_of(&NAMES, &folded)
        .into_iter()
        .filter_map(|(org, r)| {
            let start = origin.get(r.start)?.start;
            let end = origin.get(r.end.checked_sub(1)?)?.end;
            Some((org, start..end))
        })
        .collect();
    for (org, r) in matches_of(&ACRONYMS, text) {
        // An acronym inside a full name already found (`FRA` in a title) is
        // the same mention.
        let inside = mentions.iter().any(|(_, m)| m.start <= r.start && r.end <= m.end);
        if !inside {
            mentions.push((org, r));
        }
    }
    mentions.sort_by_key(|(_, r)| (r.start, std::cmp::Reverse(r.end)));
    mentions
        .into_iter()
        .map(|(org, r)| (ORGANISATIONS[org].canonical.to_string(), r))
        .collect()
}

/// Canonical names of the organisations mentioned, by first mention, once each.
pub fn find_organisations(text: &str) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for (name, _) in find_organisation_mentions(text) {
        if !names.contains(&name) {
            names.push(name);
        }
    }
    names
}

/// Every mention in a document's blocks (given as their texts, in order),
/// located by block index and byte range within that block.
pub fn find_mentions_in_blocks<'a>(blocks: impl IntoIterator<Item = &'a str>) -> Vec<OrganisationMention> {
    let mut out = Vec::new();
    for (block, text) in blocks.into_iter().enumerate() {
        for (name, range) in find_organisation_mentions(text) {
            let Some(written) = text.get(range.clone()) else {
                continue;
            };
            out.push(OrganisationMention {
                name,
                block,
                start: range.start,
                end: range.end,
                text: written.to_string(),
            });
        }
    }
    out
}

/// Sets a document's organisations (from its title and text) and where
/// each is mentioned in its blocks: the last step of every extractor.
pub fn annotate(document: &mut crate::Document) {
    let full_text = format!("{}\n\n{}", document.title, document.text());
    document.organisations = find_organisations(&full_text);
    document.organisation_mentions = find_mentions_in_blocks(document.blocks.iter().map(|b| b.text.as_str()));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn orgs(text: &str) -> Vec<String> {
        find_organisations(text)
    }

    #[test]
    fn cgrs_in_all_spellings() {
        for text in [
            "au CGVS",
            "le CGRA",
            "the CGRS",
            "Commissariat général aux réfugiés et aux apatrides",
            "COMMISSARIAT GENERAL AUX REFUGIES ET AUX APATRIDES",
            "het Commissariaat-generaal voor de Vluchtelingen en de Staatlozen",
            "het Commissariaat Generaal voor de Vluchtelingen en Staatlozen",
            "Office of the Commissioner General for Refugees and Stateless Persons",
        ] {
            assert_eq!(orgs(text), ["CGRS"], "{text}");
        }
    }

    #[test]
    fn names_with_apostrophes_hyphens_and_accents() {
        assert_eq!(orgs("l'Office des Étrangers"), ["Immigration Office"]);
        assert_eq!(orgs("l’Office des etrangers"), ["Immigration Office"]);
        assert_eq!(orgs("DVZ-OE"), ["Immigration Office"]);
        assert_eq!(orgs("the EMN"), ["EMN"]);
        assert_eq!(
            orgs("Agence fédérale pour l’accueil des demandeurs d’asile"),
            ["Fedasil"]
        );
        assert_eq!(orgs("FEDASIL et fedasil"), ["Fedasil"]);
        assert_eq!(orgs("la Croix-Rouge"), ["Red Cross"]);
        assert_eq!(orgs("Organisation internationale pour les migrations"), ["IOM"]);
        assert_eq!(orgs("IOM Belgium & Luxembourg"), ["IOM"]);
        assert_eq!(
            orgs("the European Union Agency for Fundamental Rights (FRA)"),
            ["FRA"]
        );
        assert_eq!(
            orgs("the Belgian House of Representatives"),
            ["Belgian Chamber of Representatives"]
        );
        assert_eq!(orgs("Caritas International"), ["Caritas International"]);
        assert_eq!(orgs("avec Caritas"), ["Caritas International"]);
        assert_eq!(orgs("Koning Boudewijnstichting"), ["King Baudouin Foundation"]);
        assert_eq!(orgs("le CPAS et l'OCMW"), ["CPAS/OCMW"]);
        assert_eq!(
            orgs("Secrétaire d'État à l'Asile et la Migration"),
            ["State Secretary for Asylum and Migration"]
        );
        assert_eq!(orgs("EMN-OECD inform"), ["EMN", "OECD"]);
    }

    #[test]
    fn acronyms_only_as_capitalised_words() {
        assert!(orgs("une rem de oe; the rem phase, hcr, fra").is_empty());
        assert!(orgs("REMARK, OEUVRE, FRAME, BIOM, SOIM, FRANCE").is_empty());
        assert!(orgs("nothing to see here").is_empty());
    }

    #[test]
    fn mentions_carry_original_byte_ranges() {
        let text = "Selon l’Office des Étrangers et le CGRA…";
        let mentions = find_organisation_mentions(text);
        assert_eq!(mentions.len(), 2);
        assert_eq!(&text[mentions[0].1.clone()], "Office des Étrangers");
        assert_eq!(&text[mentions[1].1.clone()], "CGRA");
    }

    #[test]
    fn oe_hcr_and_rem_count_only_as_standalone_capitals() {
        let mentions = find_organisation_mentions("Le HCR et l'OE saluent le rapport du REM.");
        let found: Vec<(&str, &str)> = mentions
            .iter()
            .map(|(name, range)| {
                (
                    name.as_str(),
                    &"Le HCR et l'OE saluent le rapport du REM."[range.clone()],
                )
            })
            .collect();
        assert_eq!(
            found,
            [("UNHCR", "HCR"), ("Immigration Office", "OE"), ("EMN", "REM")]
        );
        assert_eq!(
            orgs("Selon l’OE, (HCR) et REM-BE."),
            ["Immigration Office", "UNHCR", "EMN"]
        );
        for text in [
            "un discours cohérent",
            "COHÉRENT",
            "une oeuvre, une œuvre, l'Œuvre, OEuvre",
            "mise en oeuvre",
            "rem, Rem, la phase rem du sommeil",
            "Remarque: Hcr, hcr, Oe, oe",
            "UNHCRS, XHCR, OES, DOE, REMS, PREM",
        ] {
            assert!(find_organisation_mentions(text).is_empty(), "{text}");
        }
    }

    #[test]
    fn block_mentions_give_ranges_within_each_block() {
        let blocks = [
            "Rapport annuel",
            "Le CGVS et l’Office des Étrangers.",
            "Avec le HCR et l'OE.",
        ];
        let mentions = find_mentions_in_blocks(blocks);
        let summary: Vec<(&str, usize, &str)> = mentions
            .iter()
            .map(|m| (m.name.as_str(), m.block, m.text.as_str()))
            .collect();
        assert_eq!(
            summary,
            [
                ("CGRS", 1, "CGVS"),
                ("Immigration Office", 1, "Office des Étrangers"),
                ("UNHCR", 2, "HCR"),
                ("Immigration Office", 2, "OE"),
            ]
        );
        for mention in &mentions {
            assert_eq!(&blocks[mention.block][mention.start..mention.end], mention.text);
        }
        assert!(find_mentions_in_blocks(["", "nothing here"]).is_empty());
    }

    #[test]
    fn ordered_by_first_mention() {
        assert_eq!(orgs("UNHCR, then Fedasil, then UNHCR"), ["UNHCR", "Fedasil"]);
    }

    fn seed(name: &str) -> String {
        let path = format!("{}/../../shared/seeds/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read_to_string(path).unwrap_or_default()
    }

    fn sorted(mut v: Vec<String>) -> Vec<String> {
        v.sort();
        v
    }

    #[test]
    fn seeds_give_expected_sets() {
        let cases: [(&str, &[&str]); 4] = [
            (
                "emn-belgium-news-listing.txt",
                &[
                    "Belgian Chamber of Representatives",
                    "CGRS",
                    "Council of Europe",
                    "EMN",
                    "European Commission (DG HOME)",
                    "FRA",
                    "OECD",
                    "State Secretary for Asylum and Migration",
                ],
            ),
            (
                "emn-policy-event-2024-programme.txt",
                &[
                    "Belgian Chamber of Representatives",
                    "CGRS",
                    "Caritas International",
                    "EMN",
                    "Enabel",
                    "European Commission (DG HOME)",
                    "Fedasil",
                    "Fragomen",
                    "IOM",
                    "Immigration Office",
                    "NANSEN",
                    "State Secretary for Asylum and Migration",
                    "UNHCR",
                ],
            ),
            (
                "fedasil-amif-page-fr.txt",
                &["Caritas International", "Fedasil", "IOM"],
            ),
            (
                "media4cohesion-amif-press-fr.txt",
                &["CGRS", "Fedasil", "Immigration Office"],
            ),
        ];
        for (name, expected) in cases {
            let text = seed(name);
            if text.is_empty() {
                // Seeds live outside the crate; nothing to check without them.
                continue;
            }
            let expected: Vec<String> = expected.iter().map(|s| s.to_string()).collect();
            assert_eq!(sorted(orgs(&text)), sorted(expected), "{name}");
        }
    }
}
