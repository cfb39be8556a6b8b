//! The vocabulary of the synthetic corpus, one per language: function words
//! at the top ranks, then real migration-policy words (a hand-written list,
//! the thesaurus terms, Dutch compounds), then generated rare words in the
//! long tail. Words are drawn Zipf-distributed by rank, so a few are very
//! frequent and most are rare, as in real text.

use std::collections::HashSet;

use super::rng::{Rng, Zipf};

/// The languages of the corpus, with their share of documents.
pub const LANGS: &[(&str, f64)] = &[("fr", 0.40), ("nl", 0.35), ("en", 0.25)];

/// The thesaurus gives real multi-word terms in the three languages; read at
/// build time so the corpus does not depend on the working directory.
const THESAURUS: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/index/data/thesaurus.toml"));

const FUNCTION_FR: &str = "de la le les des et à en du un une pour dans sur par au aux est sont qui \
    que avec ont été plus ne pas a il elle leur ces cette son sa ses ou lors entre selon ainsi \
    également afin vers depuis";
const FUNCTION_NL: &str = "de het een van en in op te voor met is zijn die dat aan door bij om als \
    ook worden wordt er naar niet uit over tot hun deze dit werd heeft hebben meer na of tussen \
    volgens zoals sinds binnen onder zal kunnen";
const FUNCTION_EN: &str = "the of and to in a for on is are by with that this as be was were from \
    at an or it which their has have been more not its also between into under within such these \
    will can other than after during through";

const COMMON_FR: &str = "asile accueil demandeur réfugié protection migration retour séjour étranger \
    frontière visa intégration regroupement familial travail emploi procédure décision recours \
    centre place capacité réseau politique rapport étude statistiques données année mois \
    gouvernement ministre secrétaire état européen belge Belgique union commission directive \
    règlement loi arrêté projet programme fonds financement partenaire organisation conférence \
    séminaire atelier présentation publication analyse enquête mineur accompagné vulnérable \
    personne famille enfant femme homme jeune droit droits fondamental national international \
    nouvelle nouveau mesure plan action stratégie évaluation résultat chiffre nombre hausse baisse \
    crise solution soutien aide service social logement santé scolarité formation langue \
    citoyenneté nationalité naturalisation traite trafic passeur victime détention éloignement \
    expulsion volontaire réintégration pays origine transit tiers sûr Dublin transfert \
    relocalisation réinstallation humanitaire subsidiaire statut apatride apatridie irrégulier \
    régularisation papiers économique étudiant chercheur saisonnier permis unique carte bleue \
    marché compétence pénurie contrôle surveillance garde côte Schengen système base information \
    échange coopération dialogue partenariat Afrique Syrie Afghanistan Ukraine Érythrée \
    temporaire afflux massif solidarité responsabilité pacte réforme accord négociation parlement \
    conseil audition entretien officier interprète avocat tuteur âge estimation examen médical \
    psychologique hébergement individuel collectif initiative locale ville commune région \
    Bruxelles Wallonie Flandre";
const COMMON_NL: &str = "asiel opvang verzoeker vluchteling bescherming migratie terugkeer verblijf \
    vreemdeling grens visum integratie gezinshereniging arbeid werk procedure beslissing beroep \
    centrum plaats capaciteit netwerk beleid rapport studie statistieken gegevens jaar maand \
    regering minister staatssecretaris staat Europees Europese Belgisch België unie commissie \
    richtlijn verordening wet besluit project programma fonds financiering partner organisatie \
    conferentie seminarie workshop presentatie publicatie analyse enquête minderjarige onbegeleide \
    kwetsbare persoon gezin kind kinderen vrouw man jongere recht rechten fundamentele nationaal \
    internationaal nieuwe maatregel plan actie strategie evaluatie resultaat cijfers aantal \
    stijging daling crisis oplossing steun hulp dienst sociaal huisvesting gezondheid onderwijs \
    opleiding taal burgerschap nationaliteit naturalisatie mensenhandel mensensmokkel smokkelaar \
    slachtoffer detentie verwijdering uitzetting vrijwillige herintegratie land herkomst doorreis \
    derde veilig Dublin overdracht herplaatsing hervestiging humanitaire subsidiaire status \
    staatloze staatloosheid irreguliere regularisatie papierlozen economische student onderzoeker \
    seizoenarbeider vergunning kaart blauwe arbeidsmarkt vaardigheden tekort knelpuntberoepen \
    controle toezicht kustwacht Schengen systeem informatie uitwisseling samenwerking dialoog \
    partnerschap Afrika Syrië Afghanistan Oekraïne Eritrea tijdelijke massale toestroom \
    solidariteit verantwoordelijkheid pact hervorming akkoord onderhandelingen parlement raad \
    gehoor interview tolk advocaat voogd leeftijd leeftijdsschatting onderzoek medisch \
    psychologisch individuele collectieve initiatief lokale stad gemeente regio Brussel Wallonië \
    Vlaanderen";
const COMMON_EN: &str = "asylum reception applicant refugee protection migration return residence \
    foreigner border visa integration reunification family labour employment procedure decision \
    appeal centre place capacity network policy report study statistics data year month \
    government minister secretary state European Belgian Belgium union commission directive \
    regulation law decree project programme fund funding partner organisation conference seminar \
    workshop presentation publication analysis survey minor unaccompanied vulnerable person \
    child children woman man youth right rights fundamental national international new measure \
    plan action strategy evaluation result figures number increase decrease crisis solution \
    support aid service social housing health schooling training language citizenship \
    nationality naturalisation trafficking smuggling smuggler victim detention removal expulsion \
    voluntary reintegration country origin transit third safe Dublin transfer relocation \
    resettlement humanitarian subsidiary status stateless statelessness irregular regularisation \
    undocumented economic student researcher seasonal worker permit single card blue market \
    skills shortage occupations control surveillance coast guard Schengen system information \
    exchange cooperation dialogue partnership Africa Syria Afghanistan Ukraine Eritrea temporary \
    massive influx solidarity responsibility pact reform agreement negotiations parliament \
    council hearing interview interpreter lawyer guardian age assessment examination medical \
    psychological accommodation individual collective initiative local city municipality region \
    Brussels Wallonia Flanders";

/// Dutch compounds: first parts (with their linking `s`) and heads.
const NL_FIRST: &str = "asiel opvang terugkeer verblijfs vreemdelingen migratie vluchtelingen \
    integratie arbeids gezins grens beschermings inburgerings detentie nationaliteits visum \
    hervestigings uitzettings werk onderwijs huisvestings begeleidings";
const NL_HEAD: &str = "centrum aanvraag beleid vergunning procedure netwerk crisis zoeker zoekers \
    dienst wet recht plaats kosten traject termijn beslissing statistieken programma capaciteit \
    onderzoek overeenkomst regeling dossier project fonds plan";

/// Syllables of each language's generated rare words (names, jargon, typos
/// of the real world), so the tail looks like the language.
const SYLLABLES_FR: &[&str] = &[
    "ra", "lé", "mi", "tion", "eau", "que", "ment", "ver", "pon", "cha", "gé", "lis", "bour", "ssi", "tre",
    "du", "nor", "vil", "ain", "ette", "pré", "con",
];
const SYLLABLES_NL: &[&str] = &[
    "ge", "lijk", "heid", "vaar", "oor", "schap", "kel", "berg", "wa", "in", "aar", "tje", "dorp", "hui",
    "ster", "zee", "ont", "ver", "ing", "sluis",
];
const SYLLABLES_EN: &[&str] = &[
    "ar", "ton", "ly", "ness", "ver", "mar", "ish", "ing", "cal", "ford", "wel", "dor", "ent", "ham", "sy",
    "pro", "ment", "ive",
];

/// Generated rare words per language.
const RARE_WORDS: usize = 2500;

/// Organisations of the canonical list (crawler/src/organisations.rs) with
/// how the text names them in French, Dutch and English, and how often.
pub const ORGANISATIONS: &[(&str, [&[&str]; 3], f64)] = &[
    (
        "CGRS",
        [
            &["Commissariat général aux réfugiés et aux apatrides", "CGRA"],
            &[
                "Commissariaat-generaal voor de Vluchtelingen en de Staatlozen",
                "CGVS",
            ],
            &["Commissioner General for Refugees and Stateless Persons", "CGRS"],
        ],
        5.0,
    ),
    (
        "Immigration Office",
        [
            &["Office des étrangers", "OE"],
            &["Dienst Vreemdelingenzaken", "DVZ"],
            &["Immigration Office"],
        ],
        4.0,
    ),
    (
        "Fedasil",
        [
            &["Fedasil", "Agence fédérale pour l'accueil des demandeurs d'asile"],
            &["Fedasil", "Federaal agentschap voor de opvang van asielzoekers"],
            &["Fedasil", "Federal Agency for the Reception of Asylum Seekers"],
        ],
        4.0,
    ),
    (
        "EMN",
        [
            &["Réseau européen des migrations", "REM"],
            &["Europees Migratienetwerk", "EMN"],
            &["European Migration Network", "EMN"],
        ],
        3.0,
    ),
    (
        "Myria",
        [&["Myria"], &["Myria", "Federaal Migratiecentrum"], &["Myria"]],
        1.5,
    ),
    (
        "Council for Alien Law Litigation",
        [
            &["Conseil du contentieux des étrangers", "CCE"],
            &["Raad voor Vreemdelingenbetwistingen", "RvV"],
            &["Council for Alien Law Litigation"],
        ],
        1.5,
    ),
    (
        "FPS Home Affairs",
        [
            &["SPF Intérieur"],
            &["FOD Binnenlandse Zaken"],
            &["FPS Home Affairs"],
        ],
        1.0,
    ),
    (
        "European Commission (DG HOME)",
        [
            &["Commission européenne"],
            &["Europese Commissie"],
            &["European Commission", "DG HOME"],
        ],
        2.0,
    ),
    (
        "UNHCR",
        [
            &["HCR", "Haut Commissariat des Nations unies pour les réfugiés"],
            &["UNHCR"],
            &["UNHCR"],
        ],
        1.5,
    ),
    (
        "IOM",
        [
            &["Organisation internationale pour les migrations", "OIM"],
            &["Internationale Organisatie voor Migratie", "IOM"],
            &["International Organization for Migration", "IOM"],
        ],
        1.5,
    ),
    (
        "Red Cross",
        [&["Croix-Rouge"], &["Rode Kruis"], &["Red Cross"]],
        1.0,
    ),
    (
        "EUAA (formerly EASO)",
        [
            &["Agence de l'Union européenne pour l'asile"],
            &["Asielagentschap van de Europese Unie"],
            &["European Union Agency for Asylum", "EUAA"],
        ],
        1.0,
    ),
    (
        "CPAS/OCMW",
        [&["CPAS"], &["OCMW"], &["public social welfare centre"]],
        1.0,
    ),
];

/// One language's vocabulary, ordered by rank (most frequent first).
pub struct Vocab {
    pub lang: &'static str,
    pub words: Vec<String>,
    /// Ranks below this are function words (never queried alone: our
    /// index drops them as stop words, the plain one does not).
    pub function_words: usize,
    /// Ranks from this on are the generated rare words.
    pub rare_start: usize,
    zipf: Zipf,
}

impl Vocab {
    pub fn sample(&self, rng: &mut Rng) -> &str {
        &self.words[self.zipf.sample(rng)]
    }

    /// Single-word entries of real vocabulary (no function words), by rank.
    pub fn content_words(&self) -> impl Iterator<Item = &str> {
        self.words[self.function_words..self.rare_start]
            .iter()
            .map(String::as_str)
            .filter(|w| w.chars().all(char::is_alphabetic))
    }

    /// Multi-word terms (thesaurus concepts): the phrases of the query mix.
    pub fn phrases(&self) -> impl Iterator<Item = &str> {
        self.words[self.function_words..self.rare_start]
            .iter()
            .map(String::as_str)
            .filter(|w| w.contains(' ') && !w.contains('"'))
    }

    pub fn rare_words(&self) -> &[String] {
        &self.words[self.rare_start..]
    }
}

/// The three vocabularies, in the order of [`LANGS`]. They do not depend on
/// the corpus seed: the seed draws documents over one fixed "language".
pub fn build() -> Vec<Vocab> {
    let thesaurus: toml::Table = THESAURUS.parse().expect("the thesaurus is valid TOML");
    let concepts = thesaurus
        .get("concept")
        .and_then(toml::Value::as_array)
        .cloned()
        .unwrap_or_default();
    let rng = Rng::new(0x0076_6f63_6162);
    LANGS
        .iter()
        .enumerate()
        .map(|(i, (lang, _))| {
            let (function, common, syllables) = match *lang {
                "fr" => (FUNCTION_FR, COMMON_FR, SYLLABLES_FR),
                "nl" => (FUNCTION_NL, COMMON_NL, SYLLABLES_NL),
                _ => (FUNCTION_EN, COMMON_EN, SYLLABLES_EN),
            };
            let terms = concepts.iter().filter_map(|c| c.get(*lang)?.as_array()).flatten();
            let mut content: Vec<String> = common.split_whitespace().map(str::to_owned).collect();
            content.extend(terms.filter_map(|t| t.as_str()).map(str::to_owned));
            if *lang == "nl" {
                for first in NL_FIRST.split_whitespace() {
                    for head in NL_HEAD.split_whitespace() {
                        content.push(format!("{first}{head}"));
                    }
                }
            }
            build_one(lang, function, content, syllables, &mut rng.fork(i as u64))
        })
        .collect()
}

fn build_one(
    lang: &'static str,
    function: &str,
    content: Vec<String>,
    syllables: &[&str],
    rng: &mut Rng,
) -> Vocab {
    let mut seen = HashSet::new();
    let mut words: Vec<String> = function.split_whitespace().map(str::to_owned).collect();
    seen.extend(words.iter().map(|w| w.to_lowercase()));
    let function_words = words.len();
    let mut content: Vec<String> = content
        .into_iter()
        .filter(|w| seen.insert(w.to_lowercase()))
        .collect();
    // Real words in a random order of frequency, but the hand-written list
    // (general policy words) stays mostly ahead of thesaurus jargon.
    let common = content.len().min(200);
    rng.shuffle(&mut content[..common]);
    rng.shuffle(&mut content[common..]);
    words.extend(content);
    let rare_start = words.len();
    while words.len() < rare_start + RARE_WORDS {
        let parts = rng.range(2, 4);
        let word: String = (0..parts).map(|_| *rng.pick(syllables)).collect();
        if word.chars().count() >= 5 && seen.insert(word.clone()) {
            words.push(word);
        }
    }
    // s = 1 with a small offset: function words take about 40 % of tokens.
    let zipf = Zipf::new(words.len(), 1.0, 2.7);
    Vocab {
        lang,
        words,
        function_words,
        rare_start,
        zipf,
    }
}
