//! The live S/M/A/R/T check of a goal (step 4): which criteria a goal meets
//! and, as reason codes the UI translates, what is missing.
//!
//! - **S**pecific: the description names an action (a measurable verb, in
//!   English or Spanish), an object, and something concrete — a number, a
//!   percentage, or at least four words. "more customers" fails.
//! - **M**easurable: a KPI measures it (the goal's `kpi`, or else a KPI whose
//!   `goal` names this goal), and that KPI exists (a KPI always has a target).
//! - **A**chievable: the achievability note is written. A warning (the
//!   criterion stays met) when the KPI needs more than 3× its recent trend.
//! - **R**elevant: the relevance note is written, or the goal's KPI is the
//!   plan's north star.
//! - **T**ime-bound: start and end dates, the end after the start.

use serde::Serialize;

use crate::plan::{Date, Goal, Kpi, Plan};

use super::kpi::{counted_actuals, kpi_metrics, months, sign};

/// Why a criterion fails, or (in `warnings`) what looks doubtful.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "reason")]
pub enum SmartReason {
    /// S: the specific description is empty.
    SpecificEmpty,
    /// S: no measurable action verb (increase, cut, launch, aumentar…).
    SpecificNoVerb,
    /// S: the verb has no object (what is to be increased?).
    SpecificNoObject,
    /// S: nothing concrete: no number, no %, fewer than four words.
    SpecificNotConcrete,
    /// M: no KPI is linked to the goal.
    NoKpi,
    /// M: the goal names a KPI id the plan does not have.
    KpiUnknown,
    /// A: the achievability note is empty.
    AchievableEmpty,
    /// A (warning): the change still needed per month is more than three
    /// times the recent monthly trend. Both in the KPI's own sign convention
    /// (positive = the good direction).
    RequiredFarBeyondTrend { required: f64, trend: f64 },
    /// R: no relevance note and the KPI is not the north star.
    RelevantMissing,
    /// T: no start date.
    NoStart,
    /// T: no end date.
    NoEnd,
    /// T: the end date is not after the start date.
    EndBeforeStart,
}

impl SmartReason {
    /// A stable snake_case name, e.g. for locale keys (`smart.no_kpi`).
    pub fn key(self) -> &'static str {
        match self {
            SmartReason::SpecificEmpty => "specific_empty",
            SmartReason::SpecificNoVerb => "specific_no_verb",
            SmartReason::SpecificNoObject => "specific_no_object",
            SmartReason::SpecificNotConcrete => "specific_not_concrete",
            SmartReason::NoKpi => "no_kpi",
            SmartReason::KpiUnknown => "kpi_unknown",
            SmartReason::AchievableEmpty => "achievable_empty",
            SmartReason::RequiredFarBeyondTrend { .. } => "required_far_beyond_trend",
            SmartReason::RelevantMissing => "relevant_missing",
            SmartReason::NoStart => "no_start",
            SmartReason::NoEnd => "no_end",
            SmartReason::EndBeforeStart => "end_before_start",
        }
    }
}

/// One letter of SMART.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Criterion {
    /// True when `reasons` is empty; warnings do not make it false.
    pub ok: bool,
    /// What makes the criterion fail.
    pub reasons: Vec<SmartReason>,
    /// Doubts that do not fail it.
    pub warnings: Vec<SmartReason>,
}

impl Criterion {
    fn from_reasons(reasons: Vec<SmartReason>) -> Criterion {
        Criterion {
            ok: reasons.is_empty(),
            reasons,
            warnings: Vec::new(),
        }
    }
}

/// The five checks of one goal.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SmartCheck {
    pub s: Criterion,
    pub m: Criterion,
    pub a: Criterion,
    pub r: Criterion,
    pub t: Criterion,
}

impl SmartCheck {
    /// The criteria with their letters, in S-M-A-R-T order.
    pub fn letters(&self) -> [(char, &Criterion); 5] {
        [
            ('S', &self.s),
            ('M', &self.m),
            ('A', &self.a),
            ('R', &self.r),
            ('T', &self.t),
        ]
    }

    /// True when all five criteria are met.
    pub fn is_smart(&self) -> bool {
        self.letters().iter().all(|(_, c)| c.ok)
    }
}

/// The KPI measuring `goal`: `Ok(None)` when none is linked, `Err(())` when
/// the goal names an id the plan lacks.
fn goal_kpi<'a>(goal: &Goal, plan: &'a Plan) -> Result<Option<&'a Kpi>, ()> {
    if goal.kpi.trim().is_empty() {
        Ok(plan
            .kpis
            .iter()
            .find(|k| !goal.id.is_empty() && k.goal == goal.id))
    } else {
        plan.kpi(goal.kpi.trim()).map(Some).ok_or(())
    }
}

/// Checks `goal` against the plan as of `today` (today matters only for the
/// trend warning).
pub fn smart_check(goal: &Goal, plan: &Plan, today: Date) -> SmartCheck {
    check(goal, plan, today, goal_kpi(goal, plan))
}

/// KPIs by id and by the goal they measure, to check many goals at once.
pub struct KpiIndex<'a> {
    by_id: std::collections::HashMap<&'a str, &'a Kpi>,
    by_goal: std::collections::HashMap<&'a str, &'a Kpi>,
}

impl<'a> KpiIndex<'a> {
    pub fn new(plan: &'a Plan) -> KpiIndex<'a> {
        let mut by_id = std::collections::HashMap::with_capacity(plan.kpis.len());
        let mut by_goal = std::collections::HashMap::new();
        for k in &plan.kpis {
            // The first of equal ids or goals, as a search from the start finds.
            by_id.entry(k.id.as_str()).or_insert(k);
            if !k.goal.is_empty() {
                by_goal.entry(k.goal.as_str()).or_insert(k);
            }
        }
        KpiIndex { by_id, by_goal }
    }

    fn goal_kpi(&self, goal: &Goal) -> Result<Option<&'a Kpi>, ()> {
        if goal.kpi.trim().is_empty() {
            Ok((!goal.id.is_empty())
                .then(|| self.by_goal.get(goal.id.as_str()).copied())
                .flatten())
        } else {
            self.by_id.get(goal.kpi.trim()).copied().map(Some).ok_or(())
        }
    }
}

/// [`smart_check`] with the plan's KPIs indexed (same result).
pub fn smart_check_indexed(goal: &Goal, plan: &Plan, today: Date, index: &KpiIndex) -> SmartCheck {
    check(goal, plan, today, index.goal_kpi(goal))
}

fn check(goal: &Goal, plan: &Plan, today: Date, kpi: Result<Option<&Kpi>, ()>) -> SmartCheck {
    let m = Criterion::from_reasons(match kpi {
        Ok(Some(_)) => vec![],
        Ok(None) => vec![SmartReason::NoKpi],
        Err(()) => vec![SmartReason::KpiUnknown],
    });

    let mut a = Criterion::from_reasons(if goal.achievable.trim().is_empty() {
        vec![SmartReason::AchievableEmpty]
    } else {
        vec![]
    });
    if let Ok(Some(k)) = kpi
        && let Some(warning) = trend_warning(k, today)
    {
        a.warnings.push(warning);
    }

    let north_star = plan.plan.north_star.trim();
    let serves_north_star =
        !north_star.is_empty() && matches!(kpi, Ok(Some(k)) if k.id == north_star);
    let r = Criterion::from_reasons(if goal.relevant.trim().is_empty() && !serves_north_star {
        vec![SmartReason::RelevantMissing]
    } else {
        vec![]
    });

    let mut t = Vec::new();
    if goal.start.is_none() {
        t.push(SmartReason::NoStart);
    }
    if goal.end.is_none() {
        t.push(SmartReason::NoEnd);
    }
    if let (Some(start), Some(end)) = (goal.start, goal.end)
        && end <= start
    {
        t.push(SmartReason::EndBeforeStart);
    }

    SmartCheck {
        s: Criterion::from_reasons(specific_reasons(&goal.specific)),
        m,
        a,
        r,
        t: Criterion::from_reasons(t),
    }
}

/// The average monthly change over the last (up to) three counted actuals,
/// in the KPI's sign convention; `None` with fewer than two of them or when
/// they share one date.
pub fn recent_trend(kpi: &Kpi, today: Date) -> Option<f64> {
    let mut counted: Vec<_> = counted_actuals(kpi, today).collect();
    // Stable: for equal dates the later entry in the file stays last.
    counted.sort_by_key(|a| a.date);
    let recent = &counted[counted.len().saturating_sub(3)..];
    let (first, last) = (recent.first()?, recent.last()?);
    let span = months(first.date, last.date);
    if recent.len() < 2 || span <= 0.0 {
        return None;
    }
    let trend = sign(kpi.direction) * (last.value - first.value) / span;
    trend.is_finite().then_some(trend)
}

/// The A warning: the change needed per month is more than 3× the trend.
fn trend_warning(kpi: &Kpi, today: Date) -> Option<SmartReason> {
    let trend = recent_trend(kpi, today)?;
    let required = kpi_metrics(kpi, today, 1.0)?.required_per_month?;
    (required > 0.0 && required > 3.0 * trend)
        .then_some(SmartReason::RequiredFarBeyondTrend { required, trend })
}

/// Stems of measurable action verbs. English stems match their usual forms
/// (`increase`, `increases`, `increased`, `increasing`); Spanish stems match
/// any word they begin, since Spanish verbs have many endings.
const ENGLISH_VERBS: &[&str] = &[
    "increas",
    "rais",
    "cut",
    "reduc",
    "grow",
    "convert",
    "add",
    "hir",
    "launch",
    "shorten",
    "lift",
    "expand",
    "doubl",
    "tripl",
    "reach",
    "win",
    "sign",
    "boost",
    "decreas",
    "lower",
    "gain",
    "acquir",
    "clos",
    "generat",
    "book",
    "retain",
    "improv",
    "halv",
    "achiev",
    "deliver",
    "publish",
    "onboard",
    "recruit",
    "open",
    "enter",
    "attract",
    "captur",
    "sell",
    "hit",
    "drop",
    "lengthen",
    "upsell",
    "accelerat",
    "speed",
    "minimiz",
    "minimis",
    "maximiz",
    "maximis",
];
const ENGLISH_IRREGULAR: &[&str] = &["grew", "grown", "won", "sold", "rose", "risen", "sped"];
const ENGLISH_SUFFIXES: &[&str] = &["", "e", "s", "es", "ed", "d", "ing", "en"];
const SPANISH_VERBS: &[&str] = &[
    "aument",
    "reduc",
    "reduj",
    "reduz",
    "crec",
    "crez",
    "convert",
    "conviert",
    "convirt",
    "lanz",
    "lanc",
    "contrat",
    "duplic",
    "dupliqu",
    "triplic",
    "alcanz",
    "alcanc",
    "ganar",
    "ganam",
    "ganan",
    "ganad",
    "ganem",
    "ampli",
    "increment",
    "dismin",
    "recort",
    "acort",
    "consegu",
    "consig",
    "capt",
    "cerrar",
    "cerram",
    "cierr",
    "firmar",
    "firmem",
    "vender",
    "vendem",
    "abrir",
    "abrim",
    "incorpor",
    "mejorar",
    "mejorem",
    "subir",
    "bajar",
];

/// Words that never make an object on their own.
const FILLER: &[&str] = &[
    "a", "an", "the", "to", "of", "in", "on", "by", "for", "and", "or", "our", "we", "more",
    "less", "some", "much", "many", "very", "better", "el", "la", "los", "las", "un", "una", "de",
    "del", "en", "por", "para", "y", "o", "nuestro", "nuestra", "nuestros", "nuestras", "más",
    "mas", "menos", "muy", "mejor",
];

fn is_verb(word: &str) -> bool {
    let doubled = |stem: &str, rest: &str| {
        // cut → cutting, win → winning, sign → signs
        let last = stem.chars().last();
        rest.starts_with(|c| Some(c) == last) && matches!(&rest[1..], "ed" | "ing" | "er")
    };
    ENGLISH_IRREGULAR.contains(&word)
        || ENGLISH_VERBS.iter().any(|stem| {
            word.strip_prefix(stem)
                .is_some_and(|rest| ENGLISH_SUFFIXES.contains(&rest) || doubled(stem, rest))
        })
        || SPANISH_VERBS.iter().any(|stem| word.starts_with(stem))
}

/// The S reasons for a specific description (empty when it passes).
fn specific_reasons(text: &str) -> Vec<SmartReason> {
    let text = text.trim();
    if text.is_empty() {
        return vec![SmartReason::SpecificEmpty];
    }
    let lower = text.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let verb_at = words.iter().position(|w| is_verb(w));
    let has_object = words.iter().enumerate().any(|(i, w)| {
        Some(i) != verb_at
            && w.chars().any(char::is_alphabetic)
            && w.chars().count() >= 2
            && !FILLER.contains(w)
    });
    let concrete =
        text.contains('%') || text.chars().any(|c| c.is_ascii_digit()) || words.len() >= 4;
    let mut reasons = Vec::new();
    if verb_at.is_none() {
        reasons.push(SmartReason::SpecificNoVerb);
    }
    if !has_object {
        reasons.push(SmartReason::SpecificNoObject);
    }
    if !concrete {
        reasons.push(SmartReason::SpecificNotConcrete);
    }
    reasons
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::test_support::*;

    fn today() -> Date {
        d("2026-05-31")
    }

    /// A goal that passes every criterion, measured by the worked-example KPI.
    fn good_goal() -> Goal {
        Goal {
            id: "grow-mrr".into(),
            title: "Double MRR".into(),
            specific: "Increase MRR from 10k to 20k by December".into(),
            kpi: "mrr".into(),
            achievable: "Two new reps and the partner channel.".into(),
            relevant: "MRR is how investors judge us.".into(),
            start: Some(d("2026-01-01")),
            end: Some(d("2026-12-31")),
            ..Goal::default()
        }
    }

    fn plan() -> Plan {
        plan_with(vec![mrr_example()])
    }

    fn check(goal: &Goal) -> SmartCheck {
        smart_check(goal, &plan(), today())
    }

    #[test]
    fn a_complete_goal_is_smart() {
        let c = check(&good_goal());
        assert!(c.is_smart(), "{c:?}");
        assert!(c.letters().iter().all(|(_, c)| c.reasons.is_empty()));
        assert_eq!(c.letters().map(|(l, _)| l), ['S', 'M', 'A', 'R', 'T']);
    }

    fn s_reasons(text: &str) -> Vec<SmartReason> {
        specific_reasons(text)
    }

    #[test]
    fn a_wish_is_not_specific() {
        assert_eq!(
            s_reasons("more customers"),
            [
                SmartReason::SpecificNoVerb,
                SmartReason::SpecificNotConcrete
            ]
        );
        assert_eq!(s_reasons("   "), [SmartReason::SpecificEmpty]);
        assert_eq!(s_reasons(""), [SmartReason::SpecificEmpty]);
        assert_eq!(
            s_reasons("increase"),
            [
                SmartReason::SpecificNoObject,
                SmartReason::SpecificNotConcrete
            ]
        );
        assert_eq!(
            s_reasons("grow revenue"),
            [SmartReason::SpecificNotConcrete]
        );
        assert_eq!(s_reasons("increase 10%"), [SmartReason::SpecificNoObject]);
        assert_eq!(
            s_reasons("be the best company in the world"),
            [SmartReason::SpecificNoVerb]
        );
        let check = check(&Goal {
            specific: "more customers".into(),
            ..good_goal()
        });
        assert!(!check.s.ok);
        assert!(!check.is_smart());
    }

    #[test]
    fn the_example_goal_shapes_are_specific() {
        for text in [
            "convert 10 % more MQLs to SQLs",
            "cut churn by 5% before quarter end",
            "add 3 sales reps and shorten time to conversion by 5 days",
            "raise customer lifetime value by 200 through upsell",
            "expand into a new region",
            "lift conversion of new accounts by 8% through pricing",
            "Hiring two SDRs in Q3",
            "Reduced onboarding time to 2 days",
            "Cutting CAC by a third this year",
            "Win five logistics accounts in Portugal",
            "Double MRR to 20k",
            "aumentar el MRR un 20 %",
            "Reducir la tasa de cancelación a la mitad este año",
            "Duplicaremos las ventas en Portugal",
            "contratar 2 comerciales",
            "Alcanzar 500 clientes",
        ] {
            assert_eq!(s_reasons(text), [], "{text}");
        }
    }

    #[test]
    fn verb_matching_needs_whole_word_forms() {
        assert!(is_verb("increase") && is_verb("increasing") && is_verb("increased"));
        assert!(is_verb("cuts") && is_verb("cutting") && is_verb("winning") && is_verb("won"));
        assert!(is_verb("aumentaremos") && is_verb("reduzca") && is_verb("lancemos"));
        assert!(!is_verb("customers"));
        assert!(!is_verb("address"));
        assert!(!is_verb("window"));
        assert!(!is_verb("significant"));
        assert!(!is_verb("history"));
        assert!(!is_verb("more"));
    }

    #[test]
    fn measurable_needs_an_existing_kpi() {
        let c = check(&Goal {
            kpi: String::new(),
            ..good_goal()
        });
        assert_eq!(c.m.reasons, [SmartReason::NoKpi]);
        assert!(!c.m.ok);
        let c = check(&Goal {
            kpi: "arr".into(),
            ..good_goal()
        });
        assert_eq!(c.m.reasons, [SmartReason::KpiUnknown]);
    }

    #[test]
    fn a_kpi_pointing_at_the_goal_also_measures_it() {
        let mut k = mrr_example();
        k.goal = "grow-mrr".into();
        let plan = plan_with(vec![k]);
        let c = smart_check(
            &Goal {
                kpi: String::new(),
                ..good_goal()
            },
            &plan,
            today(),
        );
        assert!(c.m.ok);
    }

    #[test]
    fn achievable_needs_a_note() {
        let c = check(&Goal {
            achievable: " ".into(),
            ..good_goal()
        });
        assert_eq!(c.a.reasons, [SmartReason::AchievableEmpty]);
        assert!(!c.a.ok);
    }

    #[test]
    fn required_far_beyond_the_trend_warns_but_stays_ok() {
        // Last three actuals: ≈ +100 a month; 7100 still to go in 7 months.
        let k = mrr_example().actuals(&[
            ("2026-01-31", 12600.0),
            ("2026-02-28", 12700.0),
            ("2026-03-31", 12800.0),
            ("2026-04-30", 12900.0),
        ]);
        let trend = recent_trend(&k, today()).unwrap();
        close(trend, 200.0 / (61.0 / 30.4375), 1e-9);
        let c = smart_check(&good_goal(), &plan_with(vec![k]), today());
        assert!(c.a.ok);
        assert!(c.a.reasons.is_empty());
        match c.a.warnings.as_slice() {
            [SmartReason::RequiredFarBeyondTrend { required, trend: t }] => {
                close(*required, 1009.84, 0.005);
                close(*t, trend, 1e-9);
            }
            other => panic!("expected one trend warning, got {other:?}"),
        }
        assert!(c.is_smart());
    }

    #[test]
    fn required_within_three_times_the_trend_does_not_warn() {
        // 1900 in 61 days ≈ 948 a month: 1009.84 is well within 3 × 948.
        let k = mrr_example().actuals(&[
            ("2026-02-28", 11000.0),
            ("2026-03-31", 12000.0),
            ("2026-04-30", 12900.0),
        ]);
        let c = smart_check(&good_goal(), &plan_with(vec![k]), today());
        assert!(c.a.warnings.is_empty(), "{c:?}");
        // The worked example: 1400 in 61 days ≈ 699 a month; 1009.84 < 3 × 699.
        let c = check(&good_goal());
        assert!(c.a.warnings.is_empty());
    }

    #[test]
    fn a_trend_in_the_wrong_direction_warns() {
        let k = kpi("churn", 8.0, "2026-01-01", 4.0, "2026-12-31")
            .decreasing()
            .actuals(&[("2026-03-31", 7.0), ("2026-04-30", 7.5)]);
        let trend = recent_trend(&k, today()).unwrap();
        assert!(trend < 0.0, "{trend}");
        let plan = plan_with(vec![k]);
        let goal = Goal {
            kpi: "churn".into(),
            ..good_goal()
        };
        let c = smart_check(&goal, &plan, today());
        assert_eq!(c.a.warnings.len(), 1);
        assert_eq!(c.a.warnings[0].key(), "required_far_beyond_trend");
    }

    #[test]
    fn trend_needs_two_counted_actuals_on_different_dates() {
        let k = mrr_example().actuals(&[("2026-04-30", 12900.0)]);
        assert_eq!(recent_trend(&k, today()), None);
        let k = mrr_example().actuals(&[("2026-04-30", 12900.0), ("2026-04-30", 13000.0)]);
        assert_eq!(recent_trend(&k, today()), None);
        // The second one is in the future: does not count.
        let k = mrr_example().actuals(&[("2026-04-30", 12900.0), ("2026-06-30", 13000.0)]);
        assert_eq!(recent_trend(&k, today()), None);
        // No trend, no warning.
        let c = smart_check(
            &good_goal(),
            &plan_with(vec![mrr_example().actuals(&[("2026-04-30", 10001.0)])]),
            today(),
        );
        assert!(c.a.warnings.is_empty());
    }

    #[test]
    fn a_met_kpi_never_warns() {
        let k = mrr_example().actuals(&[
            ("2026-03-31", 20000.0),
            ("2026-04-30", 20000.0),
            ("2026-05-01", 20000.0),
        ]);
        let c = smart_check(&good_goal(), &plan_with(vec![k]), today());
        assert!(c.a.warnings.is_empty());
    }

    #[test]
    fn relevant_needs_a_note_unless_the_kpi_is_the_north_star() {
        let goal = Goal {
            relevant: String::new(),
            ..good_goal()
        };
        let mut plan = plan();
        assert_eq!(
            smart_check(&goal, &plan, today()).r.reasons,
            [SmartReason::RelevantMissing]
        );
        plan.plan.north_star = "mrr".into();
        assert!(smart_check(&goal, &plan, today()).r.ok);
        plan.plan.north_star = "arr".into();
        assert!(!smart_check(&goal, &plan, today()).r.ok);
    }

    #[test]
    fn time_bound_needs_an_end_after_the_start() {
        let no_dates = check(&Goal {
            start: None,
            end: None,
            ..good_goal()
        });
        assert_eq!(
            no_dates.t.reasons,
            [SmartReason::NoStart, SmartReason::NoEnd]
        );
        let no_end = check(&Goal {
            end: None,
            ..good_goal()
        });
        assert_eq!(no_end.t.reasons, [SmartReason::NoEnd]);
        let same_day = check(&Goal {
            end: Some(d("2026-01-01")),
            ..good_goal()
        });
        assert_eq!(same_day.t.reasons, [SmartReason::EndBeforeStart]);
        let backwards = check(&Goal {
            end: Some(d("2025-06-01")),
            ..good_goal()
        });
        assert_eq!(backwards.t.reasons, [SmartReason::EndBeforeStart]);
        assert!(!backwards.t.ok);
    }

    #[test]
    fn reasons_serialize_with_their_keys() {
        let v = serde_json::to_value(SmartReason::RequiredFarBeyondTrend {
            required: 3.0,
            trend: 1.0,
        })
        .unwrap();
        assert_eq!(
            v,
            serde_json::json!({"reason": "required_far_beyond_trend", "required": 3.0, "trend": 1.0})
        );
        assert_eq!(
            serde_json::to_value(SmartReason::NoKpi).unwrap(),
            serde_json::json!({"reason": "no_kpi"})
        );
    }
}
