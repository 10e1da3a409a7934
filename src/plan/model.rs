//! The plan as Rust types: the whole schema of `shared/spec/plan-format.md`.
//!
//! Every struct rejects unknown keys. Free text is a `String` that is left out
//! of a new file when empty; optional numbers, dates and choices are `Option`s.
//! Nothing here reads files or draws anything.

use serde::{Deserialize, Serialize};

use super::date::Date;

/// The schema version this program reads and writes.
pub const SCHEMA_VERSION: i64 = 1;

fn is_false(b: &bool) -> bool {
    !*b
}

fn is_default<T: Default + PartialEq>(v: &T) -> bool {
    *v == T::default()
}

/// A whole plan file.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Plan {
    pub schema_version: i64,
    pub plan: PlanHeader,
    #[serde(default)]
    pub research: Research,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub personas: Vec<Persona>,
    #[serde(default)]
    pub situation: Situation,
    #[serde(default)]
    pub marketing_mix: MarketingMix,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub goals: Vec<Goal>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub kpis: Vec<Kpi>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scenarios: Vec<Scenario>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub funnel: Option<Funnel>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub remedies: Vec<Remedy>,
    #[serde(default)]
    pub team: Team,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub actions: Vec<Action>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tools: Vec<Tool>,
}

impl Plan {
    /// An empty plan with only its name (and today's date as created).
    pub fn new(name: &str, created: Option<Date>) -> Plan {
        Plan {
            schema_version: SCHEMA_VERSION,
            plan: PlanHeader {
                name: name.to_string(),
                created,
                ..PlanHeader::default()
            },
            ..Plan::default()
        }
    }

    pub fn kpi(&self, id: &str) -> Option<&Kpi> {
        self.kpis.iter().find(|k| k.id == id)
    }

    pub fn member(&self, id: &str) -> Option<&Member> {
        self.team.members.iter().find(|m| m.id == id)
    }

    pub fn persona(&self, id: &str) -> Option<&Persona> {
        self.personas.iter().find(|p| p.id == id)
    }

    pub fn goal(&self, id: &str) -> Option<&Goal> {
        self.goals.iter().find(|g| g.id == id)
    }
}

/// `[plan]`: what the plan is and who it is for.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanHeader {
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub company: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub currency: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stage: Option<Stage>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub north_star: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reviewed: Option<Date>,
}

/// Where the company is: it changes the advice the wizard gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Pre-seed or seed: validate the idea, find product-market fit.
    PreRevenue,
    /// Selling already: reduce churn, grow the team, justify spend.
    Growth,
}

impl Stage {
    pub const ALL: [Stage; 2] = [Stage::PreRevenue, Stage::Growth];

    pub fn key(self) -> &'static str {
        match self {
            Stage::PreRevenue => "pre_revenue",
            Stage::Growth => "growth",
        }
    }
}

/// `[research]`, step 1.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Research {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub industry_trends: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub consumer_behaviour: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub psychographics: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub channel_effectiveness: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub adjacent_trends: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub competitors: Vec<Competitor>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<Source>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Competitor {
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub positioning: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub pricing: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub channels: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub strengths: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub weaknesses: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub performance: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub notes: String,
}

/// A data source looked at (or to look at) in step 1.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<SourceKind>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub done: bool,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    BalanceSheet,
    ProfitAndLoss,
    Budget,
    PreviousPlan,
    IndustryReport,
    CompetitorReport,
    MarketStudy,
    Interview,
    CaseStudy,
    Other,
}

impl SourceKind {
    pub const ALL: [SourceKind; 10] = [
        SourceKind::BalanceSheet,
        SourceKind::ProfitAndLoss,
        SourceKind::Budget,
        SourceKind::PreviousPlan,
        SourceKind::IndustryReport,
        SourceKind::CompetitorReport,
        SourceKind::MarketStudy,
        SourceKind::Interview,
        SourceKind::CaseStudy,
        SourceKind::Other,
    ];

    pub fn key(self) -> &'static str {
        match self {
            SourceKind::BalanceSheet => "balance_sheet",
            SourceKind::ProfitAndLoss => "profit_and_loss",
            SourceKind::Budget => "budget",
            SourceKind::PreviousPlan => "previous_plan",
            SourceKind::IndustryReport => "industry_report",
            SourceKind::CompetitorReport => "competitor_report",
            SourceKind::MarketStudy => "market_study",
            SourceKind::Interview => "interview",
            SourceKind::CaseStudy => "case_study",
            SourceKind::Other => "other",
        }
    }
}

/// `[[personas]]`, step 2: one ideal-customer profile.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Persona {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub demographics: Demographics,
    #[serde(default)]
    pub psychographics: Psychographics,
    #[serde(default)]
    pub needs: Needs,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Demographics {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub who: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub location: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub occupation: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub age_group: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub income: String,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Psychographics {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub beliefs: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub motivations: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub values_and_boycotts: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub price_vs_quality: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub advice_sources: String,
    /// `family`, `work`, `social`, `mixed`, or free text.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub life_priority: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub free_time: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub novelty: String,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Needs {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub pains: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub channels: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub message: String,
}

/// `[situation]`, step 3: the self-assessment.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Situation {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub performance: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub versus_estimates: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub market_alignment: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub where_customers_look: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub challenges: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub better_ways: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub strengths: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub weaknesses: Vec<String>,
}

/// `[marketing_mix]`, step 3: the 5 Ps.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MarketingMix {
    #[serde(default)]
    pub product: Product,
    #[serde(default)]
    pub place: Place,
    #[serde(default)]
    pub price: Price,
    #[serde(default)]
    pub promotion: Promotion,
    #[serde(default)]
    pub people: People,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Product {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub offer: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub differentiation: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub benefits: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub usp: String,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Place {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub availability: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub channels: Vec<SalesChannel>,
}

/// A distribution channel and the share of sales expected through it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SalesChannel {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub share_pct: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Price {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub model: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price_point: Option<f64>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub margin: String,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "toml_int::opt"
    )]
    pub break_even_months: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Promotion {
    /// A persona id.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub persona: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reach: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub conversion: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub channels: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub budget: Option<f64>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub tracking: String,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct People {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub who: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub hiring: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub first_hire: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub responsibilities: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reviews: String,
}

/// `[[goals]]`, step 4: a SMART goal.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Goal {
    pub id: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub specific: String,
    /// The KPI id that measures it.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub kpi: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub achievable: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub relevant: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<Date>,
    /// A team member id.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub owner: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<GoalTeam>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GoalTeam {
    Marketing,
    Sales,
    Both,
}

/// `[[kpis]]`, step 5.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Kpi {
    pub id: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub catalogue: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<Unit>,
    pub direction: Direction,
    /// A team member id.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub owner: String,
    /// A goal id.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub goal: String,
    pub baseline: Observation,
    pub target: Observation,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub actuals: Vec<Actual>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub forecast: Option<Forecast>,
}

impl Kpi {
    /// Both the baseline and the target value are set: the KPI has a gap,
    /// a progress and a status (else it shows "target not set").
    pub fn has_values(&self) -> bool {
        self.baseline.value.is_some() && self.target.value.is_some()
    }
}

/// A value at a date: a KPI's baseline or target.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Observation {
    /// `None` until the user types it (a KPI added in the wizard or from
    /// the catalogue): left out of the file, reported by validation as a
    /// missing required key, and never taken for 0 by the metrics.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
    pub date: Date,
}

/// A measured value of a KPI.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Actual {
    pub date: Date,
    pub value: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    Count,
    Currency,
    Percent,
    Ratio,
    Days,
    Hours,
}

impl Unit {
    pub const ALL: [Unit; 6] = [
        Unit::Count,
        Unit::Currency,
        Unit::Percent,
        Unit::Ratio,
        Unit::Days,
        Unit::Hours,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Unit::Count => "count",
            Unit::Currency => "currency",
            Unit::Percent => "percent",
            Unit::Ratio => "ratio",
            Unit::Days => "days",
            Unit::Hours => "hours",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Increase,
    Decrease,
}

impl Direction {
    pub fn key(self) -> &'static str {
        match self {
            Direction::Increase => "increase",
            Direction::Decrease => "decrease",
        }
    }
}

/// How a KPI is projected to its deadline (rules in `metrics.md`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "method", rename_all = "snake_case", deny_unknown_fields)]
pub enum Forecast {
    None,
    Linear,
    Growth { monthly_rate: f64 },
    Manual { values: Vec<Actual> },
}

/// `[[scenarios]]`: a multiplier on the change a forecast predicts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    pub name: String,
    pub multiplier: f64,
}

/// `[funnel]`, step 6: the reverse funnel.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Funnel {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revenue_goal: Option<f64>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "toml_int::opt"
    )]
    pub months: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub average_deal_value: Option<f64>,
    #[serde(default)]
    pub rates: FunnelRates,
    #[serde(default)]
    pub definitions: StageDefinitions,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sales: Option<SalesEffort>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sla: Option<Sla>,
}

#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FunnelRates {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visit_to_lead: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lead_to_mql: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mql_to_sql: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sql_to_customer: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StageDefinitions {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub lead: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub mql: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub sql: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SalesEffort {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meetings_per_sql: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calls_per_meeting: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calls_per_rep_per_month: Option<f64>,
}

/// The marketing–sales service-level agreement.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sla {
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "toml_int::opt"
    )]
    pub mql_per_month: Option<u64>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "toml_int::opt"
    )]
    pub sql_per_month: Option<u64>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "toml_int::opt"
    )]
    pub follow_up_hours: Option<u64>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reporting: String,
}

/// `[[remedies]]`, step 7: what will be done about a KPI's gap.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Remedy {
    pub kpi: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub option: Option<RemedyOption>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RemedyOption {
    Hire,
    Budget,
    Tactics,
    NewChannel,
    Other,
}

/// `[team]`, step 8.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Team {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub communication: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub performance_review: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub challenges: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub expansion_triggers: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<Member>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub headcount: Vec<Headcount>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stakeholders: Vec<Stakeholder>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Member {
    pub id: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub role: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<TeamKind>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub responsibilities: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TeamKind {
    Marketing,
    Sales,
    Other,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Headcount {
    pub team: TeamKind,
    #[serde(
        default,
        skip_serializing_if = "is_default",
        deserialize_with = "toml_int::plain"
    )]
    pub now: u64,
    #[serde(
        default,
        skip_serializing_if = "is_default",
        deserialize_with = "toml_int::plain"
    )]
    pub planned: u64,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stakeholder {
    pub name: String,
    #[serde(default, skip_serializing_if = "is_false")]
    pub consulted: bool,
}

/// `[[actions]]`, step 9.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Action {
    pub id: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<TeamKind>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub owner: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<Date>,
    #[serde(default, skip_serializing_if = "is_default")]
    pub status: ActionStatus,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub goal: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub kpi: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionStatus {
    #[default]
    Todo,
    Doing,
    Done,
    Dropped,
}

impl ActionStatus {
    /// The status `Space` moves an action to: to do → doing → done →
    /// dropped → to do (step 9 and the weekly review).
    pub fn next(self) -> ActionStatus {
        match self {
            ActionStatus::Todo => ActionStatus::Doing,
            ActionStatus::Doing => ActionStatus::Done,
            ActionStatus::Done => ActionStatus::Dropped,
            ActionStatus::Dropped => ActionStatus::Todo,
        }
    }
}

/// `[[tools]]`, step 10.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tool {
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub purpose: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub monthly_cost: Option<f64>,
    #[serde(default, skip_serializing_if = "is_default")]
    pub status: ToolStatus,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tracks: Vec<String>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub saves_effort: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    pub success_stories: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    pub reliable: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    pub active_team: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    pub community: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ToolStatus {
    #[default]
    Evaluating,
    Adopted,
    Rejected,
}

/// Whole numbers as TOML has them: 64-bit signed. A bigger one (which the
/// parser lets through as unsigned) could not be written back, so it is
/// refused where it stands when the file is read.
mod toml_int {
    use serde::{Deserialize, Deserializer, de::Error};

    fn check<E: Error>(n: u64) -> Result<u64, E> {
        if i64::try_from(n).is_ok() {
            Ok(n)
        } else {
            Err(E::custom(crate::i18n::tf(
                "load.integer_too_big",
                &[("value", &n), ("max", &i64::MAX)],
            )))
        }
    }

    pub fn plain<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
        check(u64::deserialize(d)?)
    }

    pub fn opt<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
        Option::<u64>::deserialize(d)?.map(check).transpose()
    }
}
