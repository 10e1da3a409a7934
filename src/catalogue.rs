//! The built-in KPI catalogue of step 5, embedded from `assets/catalogue.toml`.
//!
//! Pure: the file is compiled into the binary and parsed once. Entries are
//! grouped two ways, by the objective they serve and by the sales-plan question
//! they answer; `search` finds them by any word of their name, id, definition,
//! formula or group, in English or Spanish, ignoring case and accents;
//! `Entry::to_kpi` turns one into a plan KPI ready to be filled in.
//!
//! The texts come in each language rumbo speaks: `catalogue.toml` holds the
//! entries with their English texts, `catalogue.es.toml` the Spanish texts by
//! id. [`catalogue`] is the catalogue in the language in force.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use serde::Deserialize;

use crate::i18n::{self, Lang};
use crate::plan::{Date, Direction, Forecast, Kpi, Observation, Unit};

const SOURCE: &str = include_str!("../assets/catalogue.toml");
const SOURCE_ES: &str = include_str!("../assets/catalogue.es.toml");

static CATALOGUE: LazyLock<Catalogue> = LazyLock::new(|| {
    // The catalogue is ours and tested; a broken one is a bug.
    toml::from_str(SOURCE).expect("embedded KPI catalogue is valid")
});

static SPANISH_TEXTS: LazyLock<Texts> =
    LazyLock::new(|| toml::from_str(SOURCE_ES).expect("embedded Spanish KPI catalogue is valid"));

static CATALOGUE_ES: LazyLock<Catalogue> = LazyLock::new(|| SPANISH_TEXTS.apply(&CATALOGUE));

/// The texts of the catalogue in another language, by id.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Texts {
    pub objectives: BTreeMap<String, String>,
    pub questions: BTreeMap<String, String>,
    pub kpis: BTreeMap<String, EntryTexts>,
}

/// The texts of one entry in another language.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EntryTexts {
    pub name: String,
    pub definition: String,
    #[serde(default)]
    pub formula: Option<String>,
}

impl Texts {
    /// `base` with these texts; English stays wherever one is missing.
    fn apply(&self, base: &Catalogue) -> Catalogue {
        let mut cat = base.clone();
        for g in &mut cat.objectives {
            if let Some(name) = self.objectives.get(&g.id) {
                g.name.clone_from(name);
            }
        }
        for q in &mut cat.questions {
            if let Some(text) = self.questions.get(&q.id) {
                q.question.clone_from(text);
            }
        }
        for e in &mut cat.kpis {
            if let Some(t) = self.kpis.get(&e.id) {
                e.name.clone_from(&t.name);
                e.definition.clone_from(&t.definition);
                if t.formula.is_some() {
                    e.formula.clone_from(&t.formula);
                }
            }
        }
        cat
    }
}

/// The Spanish texts, by id (for tests and tooling).
pub fn spanish_texts() -> &'static Texts {
    &SPANISH_TEXTS
}

/// The whole catalogue, in file order.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Catalogue {
    pub objectives: Vec<Group>,
    pub questions: Vec<Question>,
    pub kpis: Vec<Entry>,
}

/// `[[objectives]]`: an objective KPIs can serve ("Increase sales").
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Group {
    pub id: String,
    pub name: String,
}

/// `[[questions]]`: a sales-plan question KPIs can answer ("Is growth steady?").
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    pub id: String,
    pub question: String,
}

/// `[[kpis]]`: one catalogue KPI.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub id: String,
    pub name: String,
    pub definition: String,
    pub unit: Unit,
    pub direction: Direction,
    #[serde(default)]
    pub formula: Option<String>,
    /// Ids of `Catalogue::objectives`.
    #[serde(default)]
    pub objectives: Vec<String>,
    /// Ids of `Catalogue::questions`.
    #[serde(default)]
    pub questions: Vec<String>,
}

impl Catalogue {
    /// The objective with this id.
    pub fn objective(&self, id: &str) -> Option<&Group> {
        self.objectives.iter().find(|g| g.id == id)
    }

    /// The question with this id.
    pub fn question(&self, id: &str) -> Option<&Question> {
        self.questions.iter().find(|q| q.id == id)
    }
}

impl Entry {
    /// A plan KPI pre-filled from this entry: its name, unit and direction,
    /// a baseline dated today and a target dated at the end of the year
    /// (next year's when today is already December 31), both with no value
    /// until the user types them (the catalogue has none), and a linear
    /// forecast. Owner, goal and actuals are left empty for the user.
    pub fn to_kpi(&self, id: &str, today: Date) -> Kpi {
        Kpi {
            id: id.to_string(),
            catalogue: self.id.clone(),
            name: self.name.clone(),
            unit: Some(self.unit),
            direction: self.direction,
            owner: String::new(),
            goal: String::new(),
            baseline: Observation {
                value: None,
                date: today,
            },
            target: Observation {
                value: None,
                date: end_of_year_after(today),
            },
            actuals: Vec::new(),
            forecast: Some(Forecast::Linear),
        }
    }
}

/// December 31 of `today`'s year, or of the next year when that is today.
fn end_of_year_after(today: Date) -> Date {
    let this_year = Date::new(today.year(), 12, 31).unwrap_or(today);
    if this_year > today {
        return this_year;
    }
    today
        .year()
        .checked_add(1)
        .and_then(|y| Date::new(y, 12, 31))
        .unwrap_or(this_year)
}

/// The embedded catalogue, in the language in force.
pub fn catalogue() -> &'static Catalogue {
    catalogue_in(i18n::lang())
}

/// The embedded catalogue with the texts of `lang`. Every language has the
/// same entries in the same order; only the texts differ.
pub fn catalogue_in(lang: Lang) -> &'static Catalogue {
    match lang {
        Lang::En => &CATALOGUE,
        Lang::Es => &CATALOGUE_ES,
    }
}

/// The entry with this id.
pub fn entry(id: &str) -> Option<&'static Entry> {
    catalogue().kpis.iter().find(|e| e.id == id)
}

/// The entries serving objective `id`, in file order.
pub fn by_objective(id: &str) -> Vec<&'static Entry> {
    catalogue()
        .kpis
        .iter()
        .filter(|e| e.objectives.iter().any(|o| o == id))
        .collect()
}

/// The entries answering question `id`, in file order.
pub fn by_question(id: &str) -> Vec<&'static Entry> {
    catalogue()
        .kpis
        .iter()
        .filter(|e| e.questions.iter().any(|q| q == id))
        .collect()
}

/// Entries matching every word of `query`, ignoring case, accents and
/// punctuation. A word may match the name, id, definition, formula or the
/// name of one of the entry's objectives or questions. Best first: the exact
/// id or a name starting with the query's first word (and holding all the
/// others), then names holding every word, then the rest; file order within
/// each rank. An empty query returns every entry in file order.
pub fn search(query: &str) -> Vec<&'static Entry> {
    let query = fold(query);
    let words: Vec<&str> = query.split(' ').filter(|w| !w.is_empty()).collect();
    let cat = catalogue();
    if words.is_empty() {
        return cat.kpis.iter().collect();
    }
    let query_id = words.join("_");
    // The other languages' texts are searched too, ranked after the names
    // of the language in force.
    let others: Vec<&'static Catalogue> = Lang::ALL
        .iter()
        .map(|&l| catalogue_in(l))
        .filter(|c| !std::ptr::eq(*c, cat))
        .collect();
    let mut ranked: Vec<(u8, &'static Entry)> = cat
        .kpis
        .iter()
        .enumerate()
        .filter_map(|(i, e)| {
            let mut best = rank(cat, e, &words, &query_id);
            for other in &others {
                if let Some(r) = other
                    .kpis
                    .get(i)
                    .and_then(|o| rank(other, o, &words, &query_id))
                {
                    let r = r.max(1);
                    best = Some(best.map_or(r, |b| b.min(r)));
                }
            }
            best.map(|r| (r, e))
        })
        .collect();
    // Stable: file order is kept within a rank.
    ranked.sort_by_key(|&(r, _)| r);
    ranked.into_iter().map(|(_, e)| e).collect()
}

/// 0 best, 2 worst, `None` when some word matches nowhere.
fn rank(cat: &Catalogue, e: &Entry, words: &[&str], query_id: &str) -> Option<u8> {
    let name = fold(&e.name);
    let in_name = |w: &&str| name.contains(*w);
    if words.iter().all(in_name) {
        let starts = name.starts_with(words[0]);
        return Some(if starts || e.id == query_id { 0 } else { 1 });
    }
    let mut rest = vec![fold(&e.id), fold(&e.definition)];
    if let Some(f) = &e.formula {
        rest.push(fold(f));
    }
    rest.extend(
        e.objectives
            .iter()
            .filter_map(|id| cat.objective(id))
            .map(|g| fold(&g.name)),
    );
    rest.extend(
        e.questions
            .iter()
            .filter_map(|id| cat.question(id))
            .map(|q| fold(&q.question)),
    );
    let found = words
        .iter()
        .all(|w| name.contains(w) || rest.iter().any(|h| h.contains(w)));
    if !found {
        None
    } else if e.id == query_id {
        Some(0)
    } else {
        Some(2)
    }
}

/// Lower case, Latin accents removed, anything but letters and digits turned
/// into single spaces: `"Lead-to-Conversión"` → `"lead to conversion"`.
fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars().flat_map(char::to_lowercase) {
        let base = match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => "a",
            'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => "c",
            'ď' | 'đ' => "d",
            'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => "e",
            'ĝ' | 'ğ' | 'ġ' | 'ģ' => "g",
            'ĥ' | 'ħ' => "h",
            'ì' | 'í' | 'î' | 'ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' => "i",
            'ĵ' => "j",
            'ķ' => "k",
            'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' => "l",
            'ñ' | 'ń' | 'ņ' | 'ň' => "n",
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ŏ' | 'ő' => "o",
            'ŕ' | 'ŗ' | 'ř' => "r",
            'ś' | 'ŝ' | 'ş' | 'š' => "s",
            'ţ' | 'ť' | 'ŧ' => "t",
            'ù' | 'ú' | 'û' | 'ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' => "u",
            'ŵ' => "w",
            'ý' | 'ÿ' | 'ŷ' => "y",
            'ź' | 'ż' | 'ž' => "z",
            'ß' => "ss",
            'æ' => "ae",
            'œ' => "oe",
            c if c.is_alphanumeric() => {
                out.push(c);
                continue;
            }
            _ => " ",
        };
        if base == " " {
            if !out.is_empty() && !out.ends_with(' ') {
                out.push(' ');
            }
        } else {
            out.push_str(base);
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    fn date(y: i16, m: i8, d: i8) -> Date {
        Date::new(y, m, d).unwrap()
    }

    fn first(query: &str) -> &'static str {
        search(query)
            .first()
            .map(|e| e.id.as_str())
            .unwrap_or_else(|| panic!("`{query}` finds nothing"))
    }

    #[test]
    fn the_asset_parses() {
        let cat = catalogue();
        assert_eq!(cat.objectives.len(), 7);
        assert_eq!(cat.questions.len(), 10);
        assert!(cat.kpis.len() >= 35, "{} entries", cat.kpis.len());
    }

    #[test]
    fn ids_are_unique_slugs() {
        let cat = catalogue();
        let slug = |s: &str| {
            !s.is_empty()
                && s.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        };
        let mut seen = HashSet::new();
        for id in cat.kpis.iter().map(|e| &e.id) {
            assert!(slug(id), "kpi id `{id}` is not a slug");
            assert!(seen.insert(id.clone()), "kpi id `{id}` repeats");
        }
        let mut seen = HashSet::new();
        for id in cat.objectives.iter().map(|g| &g.id) {
            assert!(slug(id), "objective id `{id}` is not a slug");
            assert!(seen.insert(id.clone()), "objective id `{id}` repeats");
        }
        let mut seen = HashSet::new();
        for id in cat.questions.iter().map(|q| &q.id) {
            assert!(slug(id), "question id `{id}` is not a slug");
            assert!(seen.insert(id.clone()), "question id `{id}` repeats");
        }
    }

    #[test]
    fn every_reference_exists_and_every_group_is_used() {
        let cat = catalogue();
        for e in &cat.kpis {
            assert!(!e.name.trim().is_empty(), "{} has no name", e.id);
            assert!(
                !e.definition.trim().is_empty(),
                "{} has no definition",
                e.id
            );
            for o in &e.objectives {
                assert!(cat.objective(o).is_some(), "{}: objective `{o}`", e.id);
            }
            for q in &e.questions {
                assert!(cat.question(q).is_some(), "{}: question `{q}`", e.id);
            }
        }
        for g in &cat.objectives {
            assert!(
                !by_objective(&g.id).is_empty(),
                "objective {} is empty",
                g.id
            );
        }
        for q in &cat.questions {
            assert!(!by_question(&q.id).is_empty(), "question {} is empty", q.id);
        }
    }

    #[test]
    fn groups_hold_the_kpis_of_the_method() {
        let ids = |v: Vec<&'static Entry>| v.into_iter().map(|e| e.id.as_str()).collect::<Vec<_>>();
        assert_eq!(
            ids(by_question("steady_growth"))
                .into_iter()
                .filter(|id| ["mrr", "arr"].contains(id))
                .count(),
            2
        );
        let sales = ids(by_objective("increase_sales"));
        for id in [
            "prospect_calls",
            "closing_calls",
            "contracts_sent",
            "contract_signing_rate",
        ] {
            assert!(sales.contains(&id), "{id}");
        }
        assert!(ids(by_question("customers_lost")).contains(&"churn_rate"));
        assert!(by_objective("nope").is_empty());
        assert_eq!(entry("churn_rate").unwrap().direction, Direction::Decrease);
        assert_eq!(entry("sales_cycle_length").unwrap().unit, Unit::Days);
        assert!(entry("nope").is_none());
    }

    #[test]
    fn every_kpi_of_the_method_is_found_by_a_natural_query() {
        let cases = [
            // increase sales
            ("prospect calls", "prospect_calls"),
            ("closing calls", "closing_calls"),
            ("contracts sent", "contracts_sent"),
            ("signed sent", "contract_signing_rate"),
            // brand awareness
            ("guest posts", "guest_posts"),
            ("referral traffic", "referral_traffic_growth"),
            // lead generation
            ("leads", "leads"),
            ("lead growth", "lead_growth"),
            ("cost per lead", "cost_per_lead"),
            ("visitor lead", "visitor_to_lead_rate"),
            ("MQL", "mqls"),
            ("sql", "sqls"),
            // website performance
            ("sessions", "sessions"),
            ("unique visitors", "unique_visitors"),
            ("pages per visit", "pages_per_visit"),
            ("bounce", "bounce_rate"),
            ("time on site", "time_on_site"),
            // social engagement
            ("follower", "follower_growth"),
            ("comments", "social_comments"),
            ("shares", "social_shares"),
            ("sign-ups social", "social_signups"),
            ("social traffic", "social_traffic_share"),
            // new customers
            ("new customers", "new_customers"),
            ("change new customers", "new_customer_growth"),
            ("cost per new customer", "cost_per_new_customer"),
            ("lead to customer", "lead_conversion_rate"),
            // customer lifetime value
            ("repeat", "repeat_customers"),
            ("retention", "retention_rate"),
            ("lifetime spend", "lifetime_spend"),
            // questions
            ("MRR", "mrr"),
            ("monthly recurring", "mrr"),
            ("ARR", "arr"),
            ("deals closed", "deals_closed"),
            ("velocity", "sales_velocity"),
            ("CAC", "cac"),
            ("acquisition cost", "cac"),
            ("average order", "average_order_value"),
            ("lifetime value", "lifetime_value"),
            ("LTV", "lifetime_value"),
            ("churn", "churn_rate"),
            ("sales cycle", "sales_cycle_length"),
            ("lead opportunity", "lead_to_opportunity_rate"),
            ("win rate", "opportunity_win_rate"),
            ("lead conversion", "lead_conversion_rate"),
        ];
        for (query, id) in cases {
            assert_eq!(first(query), id, "search({query:?})");
        }
        // Every entry is reachable by its own name and id.
        for e in &catalogue().kpis {
            assert_eq!(first(&e.id), e.id, "search by id {}", e.id);
            assert!(search(&e.name).iter().any(|f| f.id == e.id), "{}", e.name);
        }
    }

    #[test]
    fn search_ranks_and_filters() {
        assert_eq!(search("").len(), catalogue().kpis.len());
        assert_eq!(search("   ").len(), catalogue().kpis.len());
        assert_eq!(search("").first().unwrap().id, catalogue().kpis[0].id);
        assert!(search("zzzz").is_empty());
        // Every word must match somewhere.
        assert!(search("churn zzzz").is_empty());
        // Name prefix before name contains before other fields.
        let found: Vec<_> = search("referral traffic")
            .into_iter()
            .map(|e| e.id.as_str())
            .collect();
        assert_eq!(
            found[..2],
            ["referral_traffic_growth", "social_traffic_share"]
        );
        // Group names are searched: "steady" only appears in a question.
        assert!(search("steady").iter().any(|e| e.id == "mrr"));
    }

    #[test]
    fn search_ignores_case_and_accents() {
        let ids: Vec<_> = search("conversión").into_iter().map(|e| &e.id).collect();
        for id in [
            "contract_signing_rate",
            "visitor_to_lead_rate",
            "lead_conversion_rate",
        ] {
            assert!(ids.iter().any(|f| *f == id), "{id} in {ids:?}");
        }
        assert_eq!(search("CONVERSIÓN"), search("conversion"));
        assert_eq!(first("Churn"), "churn_rate");
        assert_eq!(fold("Ñandú  Straße—Œuvre"), "nandu strasse oeuvre");
    }

    #[test]
    fn every_entry_objective_and_question_has_its_spanish_text() {
        let cat = catalogue_in(Lang::En);
        let es = spanish_texts();
        for e in &cat.kpis {
            let t = es
                .kpis
                .get(&e.id)
                .unwrap_or_else(|| panic!("{} has no Spanish text", e.id));
            assert!(!t.name.trim().is_empty(), "{}: Spanish name", e.id);
            assert!(
                !t.definition.trim().is_empty(),
                "{}: Spanish definition",
                e.id
            );
            assert_ne!(
                t.name, e.name,
                "{}: the Spanish name is a translation",
                e.id
            );
            assert_ne!(t.definition, e.definition, "{}: Spanish definition", e.id);
            assert_eq!(
                t.formula.is_some(),
                e.formula.is_some(),
                "{}: a Spanish formula exactly where English has one",
                e.id
            );
        }
        for g in &cat.objectives {
            assert!(es.objectives.contains_key(&g.id), "objective {}", g.id);
        }
        for q in &cat.questions {
            assert!(es.questions.contains_key(&q.id), "question {}", q.id);
        }
        // Nothing in the Spanish file that the catalogue does not have.
        for id in es.kpis.keys() {
            assert!(
                entry_in(Lang::En, id).is_some(),
                "Spanish text for unknown KPI {id}"
            );
        }
        for id in es.objectives.keys() {
            assert!(cat.objective(id).is_some(), "unknown objective {id}");
        }
        for id in es.questions.keys() {
            assert!(cat.question(id).is_some(), "unknown question {id}");
        }
    }

    fn entry_in(lang: Lang, id: &str) -> Option<&'static Entry> {
        catalogue_in(lang).kpis.iter().find(|e| e.id == id)
    }

    #[test]
    fn in_spanish_the_catalogue_speaks_spanish_and_keeps_its_shape() {
        let en = catalogue_in(Lang::En);
        let es = catalogue_in(Lang::Es);
        assert_eq!(en.kpis.len(), es.kpis.len());
        for (a, b) in en.kpis.iter().zip(&es.kpis) {
            assert_eq!((&a.id, a.unit, a.direction), (&b.id, b.unit, b.direction));
            assert_eq!((&a.objectives, &a.questions), (&b.objectives, &b.questions));
        }
        i18n::with_lang(Lang::Es, || {
            assert_eq!(
                entry("churn_rate").unwrap().name,
                "Tasa de cancelación (churn)"
            );
            assert_eq!(
                catalogue().objective("lead_generation").unwrap().name,
                "Generar leads"
            );
            let k = entry("mrr").unwrap().to_kpi("mrr", date(2026, 3, 15));
            assert_eq!(k.name, "Ingresos recurrentes mensuales (MRR)");
        });
    }

    #[test]
    fn spanish_search_finds_spanish_words_and_still_english_ones() {
        i18n::with_lang(Lang::Es, || {
            for (query, id) in [
                ("cancelación", "churn_rate"),
                ("coste por lead", "cost_per_lead"),
                ("tasa de rebote", "bounce_rate"),
                ("visitantes unicos", "unique_visitors"),
                ("ciclo de venta", "sales_cycle_length"),
                ("valor de vida", "lifetime_value"),
                ("llamadas de cierre", "closing_calls"),
                ("MRR", "mrr"),
                ("CAC", "cac"),
                // English words still work in Spanish.
                ("churn", "churn_rate"),
                ("bounce", "bounce_rate"),
                ("cost per lead", "cost_per_lead"),
            ] {
                assert_eq!(first(query), id, "search({query:?}) in Spanish");
            }
            // A question only Spanish has the words of.
            assert!(search("constante").iter().any(|e| e.id == "mrr"));
        });
        // And Spanish words in English.
        assert_eq!(first("cancelación"), "churn_rate");
    }

    #[test]
    fn to_kpi_prefills_a_plan_kpi() {
        let e = entry("mrr").unwrap();
        let k = e.to_kpi("mrr_2", date(2026, 3, 15));
        assert_eq!(k.id, "mrr_2");
        assert_eq!(k.catalogue, "mrr");
        assert_eq!(k.name, e.name);
        assert_eq!(k.unit, Some(Unit::Currency));
        assert_eq!(k.direction, Direction::Increase);
        assert_eq!(k.baseline.value, None);
        assert_eq!(k.baseline.date, date(2026, 3, 15));
        assert_eq!(k.target.value, None);
        assert_eq!(k.target.date, date(2026, 12, 31));
        assert_eq!(k.forecast, Some(Forecast::Linear));
        assert!(k.owner.is_empty() && k.goal.is_empty() && k.actuals.is_empty());
    }

    #[test]
    fn to_kpi_target_rolls_over_on_new_years_eve() {
        let e = entry("churn_rate").unwrap();
        let k = e.to_kpi("churn", date(2026, 12, 31));
        assert_eq!(k.target.date, date(2027, 12, 31));
        let k = e.to_kpi("churn", date(2026, 12, 30));
        assert_eq!(k.target.date, date(2026, 12, 31));
        let k = e.to_kpi("churn", date(2028, 1, 1));
        assert_eq!(k.target.date, date(2028, 12, 31));
    }
}
