//! Checks a plan's values: ids, references between sections, ranges.
//!
//! Each problem names the value it is about by its path in the file
//! (`kpis[2].owner`), so that `store` can turn it into `FILE:LINE:COL`.
//! Errors are wrong values; warnings are values that are legal but probably
//! not what the founder meant. A plan with problems still opens.

use std::collections::HashSet;
use std::fmt;

use crate::i18n::{t, tf};

use super::model::*;

/// The largest magnitude of any figure rumbo takes, in a file, on the
/// command line, in an import or typed (10^15 either way): far beyond any
/// plan's money or counts, and still exact enough in an `f64` to add up.
pub const MAX_MAGNITUDE: f64 = 1e15;
/// The same bound for whole numbers (counts, hours, headcount).
pub const MAX_COUNT: u64 = 1_000_000_000_000_000;
/// The longest period in months (the funnel's, break-even): 100 years.
pub const MAX_MONTHS: u64 = 1200;
/// A monthly growth rate above this (100 % a month: the figure doubles
/// every month) is legal but rarely meant: a warning.
pub const GROWTH_WARN: f64 = 1.0;
/// A monthly growth rate above this (1000 % a month) is no plan: an error.
pub const GROWTH_MAX: f64 = 10.0;
/// A scenario multiplier above this is legal but rarely meant (`12` typed
/// for `1.2`): a warning.
pub const MULTIPLIER_WARN: f64 = 5.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// One step of a path into the plan file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathSeg {
    Key(String),
    Index(usize),
}

/// Something wrong with a plan's values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub severity: Severity,
    pub path: Vec<PathSeg>,
    pub message: String,
}

impl Problem {
    /// The path as the file would spell it: `kpis[2].owner`.
    pub fn path_text(&self) -> String {
        let mut out = String::new();
        for seg in &self.path {
            match seg {
                PathSeg::Key(k) => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(k);
                }
                PathSeg::Index(i) => out.push_str(&format!("[{i}]")),
            }
        }
        out
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.message)
    }
}

/// A path under construction: cheap to extend (static keys, no strings
/// copied), turned into `PathSeg`s only when a problem is reported.
#[derive(Clone, Default)]
struct P(Vec<Seg>);

#[derive(Clone, Copy)]
enum Seg {
    Key(&'static str),
    Index(usize),
}

impl P {
    fn k(&self, key: &'static str) -> P {
        let mut v = Vec::with_capacity(self.0.len() + 1);
        v.extend_from_slice(&self.0);
        v.push(Seg::Key(key));
        P(v)
    }
    fn i(&self, index: usize) -> P {
        let mut v = Vec::with_capacity(self.0.len() + 1);
        v.extend_from_slice(&self.0);
        v.push(Seg::Index(index));
        P(v)
    }
    fn segs(&self) -> Vec<PathSeg> {
        self.0
            .iter()
            .map(|s| match s {
                Seg::Key(k) => PathSeg::Key((*k).to_string()),
                Seg::Index(i) => PathSeg::Index(*i),
            })
            .collect()
    }
}

fn root(key: &'static str) -> P {
    P::default().k(key)
}

struct Checker<'a> {
    plan: &'a Plan,
    problems: Vec<Problem>,
    kpi_ids: HashSet<&'a str>,
    member_ids: HashSet<&'a str>,
    goal_ids: HashSet<&'a str>,
    persona_ids: HashSet<&'a str>,
}

impl<'a> Checker<'a> {
    fn push(&mut self, severity: Severity, path: P, message: String) {
        self.problems.push(Problem {
            severity,
            path: path.segs(),
            message,
        });
    }

    fn error(&mut self, path: P, message: String) {
        self.push(Severity::Error, path, message);
    }

    fn warning(&mut self, path: P, message: String) {
        self.push(Severity::Warning, path, message);
    }

    fn required_text(&mut self, path: P, value: &str) {
        if value.trim().is_empty() {
            let key = match path.0.last() {
                Some(Seg::Key(k)) => (*k).to_string(),
                _ => String::new(),
            };
            self.error(path, tf("problem.empty_required", &[("key", &key)]));
        }
    }

    /// Checks slugs and duplicates of a list's ids; returns the set of ids.
    fn ids<T>(
        &mut self,
        list: &'a [T],
        base: P,
        id_of: impl Fn(&'a T) -> &'a str,
    ) -> HashSet<&'a str> {
        let mut seen = HashSet::new();
        for (i, item) in list.iter().enumerate() {
            let id = id_of(item);
            if !super::is_slug(id) {
                self.error(base.i(i).k("id"), tf("problem.bad_id", &[("id", &id)]));
            }
            if !seen.insert(id) {
                self.error(
                    base.i(i).k("id"),
                    tf("problem.duplicate_id", &[("id", &id)]),
                );
            }
        }
        seen
    }

    fn reference(&mut self, path: P, value: &str, known: RefKind) {
        if value.is_empty() {
            return;
        }
        let (set, key) = match known {
            RefKind::Kpi => (&self.kpi_ids, "problem.unknown_kpi"),
            RefKind::Member => (&self.member_ids, "problem.unknown_member"),
            RefKind::Goal => (&self.goal_ids, "problem.unknown_goal"),
            RefKind::Persona => (&self.persona_ids, "problem.unknown_persona"),
        };
        if !set.contains(value) {
            self.error(path, tf(key, &[("id", &value)]));
        }
    }

    fn rate(&mut self, path: P, value: Option<f64>) {
        if let Some(v) = value
            && !(v > 0.0 && v <= 1.0)
        {
            self.error(path, tf("problem.rate_range", &[("value", &v)]));
        }
    }

    fn positive(&mut self, path: P, value: Option<f64>) {
        match value {
            Some(v) if !(v > 0.0 && v.is_finite()) => {
                self.error(path, tf("problem.not_positive", &[("value", &v)]));
            }
            Some(v) => self.finite(path, v),
            None => {}
        }
    }

    fn non_negative(&mut self, path: P, value: Option<f64>) {
        match value {
            Some(v) if !v.is_finite() => self.finite(path, v),
            Some(v) if v < 0.0 => {
                self.error(
                    path,
                    tf("problem.negative", &[("value", &format_number(v))]),
                );
            }
            Some(v) => self.finite(path, v),
            None => {}
        }
    }

    fn finite(&mut self, path: P, value: f64) {
        if !value.is_finite() {
            self.error(path, tf("problem.not_finite", &[("value", &value)]));
        } else if value.abs() > MAX_MAGNITUDE {
            self.error(
                path,
                tf("problem.too_large", &[("value", &format_number(value))]),
            );
        }
    }

    /// A whole number of months: at most [`MAX_MONTHS`].
    fn months(&mut self, path: P, value: Option<u64>) {
        if let Some(n) = value
            && n > MAX_MONTHS
        {
            self.error(
                path,
                tf(
                    "problem.months_large",
                    &[("value", &n), ("max", &MAX_MONTHS)],
                ),
            );
        }
    }

    /// A count: at most [`MAX_COUNT`].
    fn count(&mut self, path: P, value: Option<u64>) {
        if let Some(n) = value
            && n > MAX_COUNT
        {
            self.error(path, tf("problem.too_large", &[("value", &n)]));
        }
    }
}

#[derive(Clone, Copy)]
enum RefKind {
    Kpi,
    Member,
    Goal,
    Persona,
}

/// Lists every problem of the plan's values, in file order of sections.
pub fn validate(plan: &Plan) -> Vec<Problem> {
    let mut c = Checker {
        plan,
        problems: Vec::new(),
        kpi_ids: HashSet::new(),
        member_ids: HashSet::new(),
        goal_ids: HashSet::new(),
        persona_ids: HashSet::new(),
    };
    c.persona_ids = c.ids(&plan.personas, root("personas"), |p| p.id.as_str());
    c.goal_ids = c.ids(&plan.goals, root("goals"), |g| g.id.as_str());
    c.kpi_ids = c.ids(&plan.kpis, root("kpis"), |k| k.id.as_str());
    c.member_ids = c.ids(&plan.team.members, root("team").k("members"), |m| {
        m.id.as_str()
    });
    let action_ids = c.ids(&plan.actions, root("actions"), |a| a.id.as_str());
    let _ = action_ids;

    header(&mut c);
    research(&mut c);
    for (i, p) in plan.personas.iter().enumerate() {
        c.required_text(root("personas").i(i).k("name"), &p.name);
    }
    mix(&mut c);
    for (i, g) in plan.goals.iter().enumerate() {
        let at = root("goals").i(i);
        c.required_text(at.k("title"), &g.title);
        c.reference(at.k("kpi"), &g.kpi, RefKind::Kpi);
        c.reference(at.k("owner"), &g.owner, RefKind::Member);
        if let (Some(start), Some(end)) = (g.start, g.end)
            && end <= start
        {
            c.error(
                at.k("end"),
                tf(
                    "problem.end_before_start",
                    &[("start", &format_date(start)), ("end", &format_date(end))],
                ),
            );
        }
    }
    kpis(&mut c);
    scenarios(&mut c);
    funnel(&mut c);
    for (i, r) in plan.remedies.iter().enumerate() {
        c.reference(root("remedies").i(i).k("kpi"), &r.kpi, RefKind::Kpi);
    }
    team(&mut c);
    for (i, a) in plan.actions.iter().enumerate() {
        let at = root("actions").i(i);
        c.required_text(at.k("title"), &a.title);
        c.reference(at.k("owner"), &a.owner, RefKind::Member);
        c.reference(at.k("goal"), &a.goal, RefKind::Goal);
        c.reference(at.k("kpi"), &a.kpi, RefKind::Kpi);
    }
    for (i, t) in plan.tools.iter().enumerate() {
        let at = root("tools").i(i);
        c.required_text(at.k("name"), &t.name);
        c.non_negative(at.k("monthly_cost"), t.monthly_cost);
        for (j, kpi) in t.tracks.iter().enumerate() {
            c.reference(at.k("tracks").i(j), kpi, RefKind::Kpi);
        }
    }
    c.problems
}

fn header(c: &mut Checker) {
    let h = &c.plan.plan;
    c.required_text(root("plan").k("name"), &h.name);
    let iso = h.currency.len() == 3 && h.currency.bytes().all(|b| b.is_ascii_uppercase());
    if !h.currency.is_empty() && !iso {
        c.warning(
            root("plan").k("currency"),
            tf("problem.currency", &[("value", &h.currency)]),
        );
    }
    c.reference(root("plan").k("north_star"), &h.north_star, RefKind::Kpi);
}

fn research(c: &mut Checker) {
    let r = &c.plan.research;
    for (i, comp) in r.competitors.iter().enumerate() {
        c.required_text(root("research").k("competitors").i(i).k("name"), &comp.name);
    }
    for (i, s) in r.sources.iter().enumerate() {
        c.required_text(root("research").k("sources").i(i).k("name"), &s.name);
    }
}

fn mix(c: &mut Checker) {
    let m = &c.plan.marketing_mix;
    let place = root("marketing_mix").k("place");
    let mut total = 0.0;
    let mut any_share = false;
    for (i, ch) in m.place.channels.iter().enumerate() {
        let at = place.k("channels").i(i);
        c.required_text(at.k("name"), &ch.name);
        if let Some(share) = ch.share_pct {
            any_share = true;
            total += share;
            if !(0.0..=100.0).contains(&share) {
                c.error(
                    at.k("share_pct"),
                    tf("problem.share_range", &[("value", &share)]),
                );
            }
        }
    }
    if any_share && (total - 100.0).abs() > 0.01 {
        c.warning(
            place.k("channels"),
            tf("problem.shares_total", &[("total", &format_number(total))]),
        );
    }
    let price = root("marketing_mix").k("price");
    c.non_negative(price.k("price_point"), m.price.price_point);
    c.months(price.k("break_even_months"), m.price.break_even_months);
    let promo = root("marketing_mix").k("promotion");
    c.reference(promo.k("persona"), &m.promotion.persona, RefKind::Persona);
    c.non_negative(promo.k("budget"), m.promotion.budget);
}

fn kpis(c: &mut Checker) {
    for (i, k) in c.plan.kpis.iter().enumerate() {
        let at = root("kpis").i(i);
        c.required_text(at.k("name"), &k.name);
        c.reference(at.k("owner"), &k.owner, RefKind::Member);
        c.reference(at.k("goal"), &k.goal, RefKind::Goal);
        for (key, which, value) in [
            ("baseline", "problem.which_baseline", k.baseline.value),
            ("target", "problem.which_target", k.target.value),
        ] {
            match value {
                Some(v) => c.finite(at.k(key).k("value"), v),
                // Required by the format: never taken for 0.
                None => c.error(
                    at.k(key),
                    tf(
                        "problem.value_not_set",
                        &[("kpi", &k.id), ("which", &t(which)), ("key", &key)],
                    ),
                ),
            }
        }
        if k.target.date <= k.baseline.date {
            c.error(
                at.k("target").k("date"),
                tf(
                    "problem.deadline_before_baseline",
                    &[
                        ("deadline", &format_date(k.target.date)),
                        ("baseline", &format_date(k.baseline.date)),
                    ],
                ),
            );
        }
        // Paths are built only for a problem: a plan can hold a million actuals.
        for (j, a) in k.actuals.iter().enumerate() {
            if !a.value.is_finite() || a.value.abs() > MAX_MAGNITUDE {
                c.finite(at.k("actuals").i(j).k("value"), a.value);
            }
            if a.date < k.baseline.date {
                c.warning(
                    at.k("actuals").i(j).k("date"),
                    tf(
                        "problem.actual_before_baseline",
                        &[
                            ("date", &format_date(a.date)),
                            ("baseline", &format_date(k.baseline.date)),
                        ],
                    ),
                );
            }
        }
        match &k.forecast {
            Some(Forecast::Growth { monthly_rate }) => {
                let path = at.k("forecast").k("monthly_rate");
                match growth_problem(*monthly_rate) {
                    Some((Severity::Error, m)) => c.error(path, m),
                    Some((Severity::Warning, m)) => c.warning(path, m),
                    None => {}
                }
            }
            Some(Forecast::Manual { values }) => {
                for (j, v) in values.iter().enumerate() {
                    c.finite(at.k("forecast").k("values").i(j).k("value"), v.value);
                }
            }
            _ => {}
        }
    }
}

fn scenarios(c: &mut Checker) {
    let mut seen = HashSet::new();
    for (i, s) in c.plan.scenarios.iter().enumerate() {
        let at = root("scenarios").i(i);
        c.required_text(at.k("name"), &s.name);
        if !seen.insert(s.name.as_str()) {
            c.error(
                at.k("name"),
                tf("problem.duplicate_scenario", &[("name", &s.name)]),
            );
        }
        if !s.multiplier.is_finite() || s.multiplier > MAX_MAGNITUDE {
            c.finite(at.k("multiplier"), s.multiplier);
        } else if s.multiplier < 0.0 {
            c.error(
                at.k("multiplier"),
                tf(
                    "problem.negative",
                    &[("value", &format_number(s.multiplier))],
                ),
            );
        } else if s.name == "base" && s.multiplier != 1.0 {
            c.warning(at.k("multiplier"), tf("problem.base_multiplier", &[]));
        } else if let Some(m) = multiplier_warning(s.multiplier) {
            c.warning(at.k("multiplier"), m);
        }
    }
}

fn funnel(c: &mut Checker) {
    let Some(f) = &c.plan.funnel else { return };
    let at = root("funnel");
    c.non_negative(at.k("revenue_goal"), f.revenue_goal);
    if f.months == Some(0) {
        c.error(at.k("months"), tf("problem.months_zero", &[]));
    }
    c.months(at.k("months"), f.months);
    c.positive(at.k("average_deal_value"), f.average_deal_value);
    let rates = at.k("rates");
    c.rate(rates.k("visit_to_lead"), f.rates.visit_to_lead);
    c.rate(rates.k("lead_to_mql"), f.rates.lead_to_mql);
    c.rate(rates.k("mql_to_sql"), f.rates.mql_to_sql);
    c.rate(rates.k("sql_to_customer"), f.rates.sql_to_customer);
    if let Some(s) = &f.sales {
        let sales = at.k("sales");
        c.positive(sales.k("meetings_per_sql"), s.meetings_per_sql);
        c.positive(sales.k("calls_per_meeting"), s.calls_per_meeting);
        c.positive(
            sales.k("calls_per_rep_per_month"),
            s.calls_per_rep_per_month,
        );
    }
    if let Some(s) = &f.sla {
        let sla = at.k("sla");
        c.count(sla.k("mql_per_month"), s.mql_per_month);
        c.count(sla.k("sql_per_month"), s.sql_per_month);
        c.count(sla.k("follow_up_hours"), s.follow_up_hours);
    }
}

fn team(c: &mut Checker) {
    let t = &c.plan.team;
    for (i, m) in t.members.iter().enumerate() {
        c.required_text(root("team").k("members").i(i).k("name"), &m.name);
    }
    let mut seen = HashSet::new();
    for (i, h) in t.headcount.iter().enumerate() {
        let at = root("team").k("headcount").i(i);
        c.count(at.k("now"), Some(h.now));
        c.count(at.k("planned"), Some(h.planned));
        if !seen.insert(h.team) {
            c.warning(
                root("team").k("headcount").i(i).k("team"),
                tf("problem.duplicate_headcount", &[]),
            );
        }
    }
    for (i, s) in t.stakeholders.iter().enumerate() {
        c.required_text(root("team").k("stakeholders").i(i).k("name"), &s.name);
    }
}

/// What is wrong with a monthly growth rate (a fraction: 0.02 is 2 %), if
/// anything: an error at or below −100 % or above [`GROWTH_MAX`], a warning
/// above [`GROWTH_WARN`]. The TUI shows the same beside the field.
pub fn growth_problem(rate: f64) -> Option<(Severity, String)> {
    let pct = || format_number(rate * 100.0);
    if !rate.is_finite() {
        Some((
            Severity::Error,
            tf("problem.not_finite", &[("value", &rate)]),
        ))
    } else if rate <= -1.0 {
        Some((
            Severity::Error,
            tf("problem.growth_rate", &[("value", &format_number(rate))]),
        ))
    } else if rate > GROWTH_MAX {
        Some((
            Severity::Error,
            tf("problem.growth_absurd", &[("value", &format_number(rate))]),
        ))
    } else if rate > GROWTH_WARN {
        Some((
            Severity::Warning,
            tf("problem.growth_high", &[("pct", &pct())]),
        ))
    } else {
        None
    }
}

/// The warning for a scenario multiplier above [`MULTIPLIER_WARN`].
pub fn multiplier_warning(multiplier: f64) -> Option<String> {
    (multiplier > MULTIPLIER_WARN).then(|| {
        tf(
            "problem.multiplier_high",
            &[("value", &format_number(multiplier))],
        )
    })
}

/// A number without a needless `.0` (for messages), with the decimal mark
/// of the language in force; huge ones in scientific notation.
pub fn format_number(v: f64) -> String {
    crate::i18n::number::format(v, 2, crate::i18n::number::Use::Input)
}

/// A date for messages, as the language in force writes it (`23/11/2026`
/// in Spanish, `2026-11-23` in English).
pub fn format_date(d: super::Date) -> String {
    crate::i18n::date::format(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn severity(rate: f64) -> Option<Severity> {
        growth_problem(rate).map(|(s, _)| s)
    }

    #[test]
    fn growth_rates_are_checked_against_their_sane_range() {
        assert_eq!(severity(0.05), None);
        assert_eq!(severity(-0.99), None);
        assert_eq!(severity(GROWTH_WARN), None);
        assert_eq!(severity(1.5), Some(Severity::Warning));
        assert_eq!(severity(GROWTH_MAX), Some(Severity::Warning));
        assert_eq!(severity(10.5), Some(Severity::Error));
        assert_eq!(severity(1e308), Some(Severity::Error));
        assert_eq!(severity(-1.0), Some(Severity::Error));
        assert_eq!(severity(f64::NAN), Some(Severity::Error));
        assert_eq!(severity(f64::INFINITY), Some(Severity::Error));
        assert!(multiplier_warning(MULTIPLIER_WARN).is_none());
        assert!(multiplier_warning(12.0).is_some());
    }

    #[test]
    fn every_figure_and_count_is_bounded() {
        let mut plan = Plan::new("x", None);
        plan.marketing_mix.promotion.budget = Some(2e15);
        plan.marketing_mix.price.break_even_months = Some(MAX_MONTHS + 1);
        plan.team.headcount.push(Headcount {
            team: TeamKind::Sales,
            now: MAX_COUNT + 1,
            planned: 1,
        });
        let paths: Vec<String> = validate(&plan)
            .iter()
            .filter(|p| p.severity == Severity::Error)
            .map(Problem::path_text)
            .collect();
        assert_eq!(
            paths,
            [
                "marketing_mix.price.break_even_months",
                "marketing_mix.promotion.budget",
                "team.headcount[0].now",
            ]
        );
    }
}
