//! How far each of the ten steps is filled in: for every step a fixed list
//! of checks, how many pass, and which are still missing.
//!
//! The rules are documented for founders in `docs/completeness.md`; keep the
//! two in step. A check about "every X" (every KPI, every goal…) only passes
//! when there is at least one X, so an empty plan never looks complete.

use serde::Serialize;

use crate::plan::{ActionStatus, Date, Kpi, Plan, ToolStatus};

use super::funnel::reverse_funnel;
use super::kpi::kpi_metrics;
use std::collections::HashSet;

use super::smart::{KpiIndex, smart_check_indexed};

/// One thing a step needs, named so the UI can say what is missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Check {
    // Step 1
    IndustryTrends,
    ConsumerBehaviour,
    Psychographics,
    ChannelEffectiveness,
    AdjacentTrends,
    Competitor,
    SourceDone,
    // Step 2
    Persona,
    PersonasWho,
    PersonasPsychographics,
    PersonasPains,
    // Step 3
    SelfAssessment,
    Strength,
    Weakness,
    Product,
    Place,
    Price,
    Promotion,
    People,
    // Step 4
    Goal,
    GoalsSmart,
    // Steps 5 and 7
    Kpi,
    // Step 5
    KpisOwned,
    // Step 6
    FunnelComputes,
    StageDefinitions,
    KpisForecast,
    // Step 7
    /// Every KPI has its baseline and target values (none "target not set").
    KpiTargetsSet,
    LaggingKpisRemedied,
    // Step 8
    Member,
    Communication,
    PerformanceReview,
    TeamChallenges,
    ExpansionTriggers,
    KpiOwnersAreMembers,
    // Step 9
    Action,
    ActionsOwned,
    ActionsDue,
    // Step 10
    AdoptedTool,
    KpisTracked,
}

impl Check {
    /// Every check, step by step in form order.
    pub const ALL: [Check; 39] = [
        Check::IndustryTrends,
        Check::ConsumerBehaviour,
        Check::Psychographics,
        Check::ChannelEffectiveness,
        Check::AdjacentTrends,
        Check::Competitor,
        Check::SourceDone,
        Check::Persona,
        Check::PersonasWho,
        Check::PersonasPsychographics,
        Check::PersonasPains,
        Check::SelfAssessment,
        Check::Strength,
        Check::Weakness,
        Check::Product,
        Check::Place,
        Check::Price,
        Check::Promotion,
        Check::People,
        Check::Goal,
        Check::GoalsSmart,
        Check::Kpi,
        Check::KpisOwned,
        Check::FunnelComputes,
        Check::StageDefinitions,
        Check::KpisForecast,
        Check::KpiTargetsSet,
        Check::LaggingKpisRemedied,
        Check::Member,
        Check::Communication,
        Check::PerformanceReview,
        Check::TeamChallenges,
        Check::ExpansionTriggers,
        Check::KpiOwnersAreMembers,
        Check::Action,
        Check::ActionsOwned,
        Check::ActionsDue,
        Check::AdoptedTool,
        Check::KpisTracked,
    ];

    /// The snake_case name, e.g. for locale keys (`completeness.kpis_owned`).
    pub fn key(self) -> &'static str {
        match self {
            Check::IndustryTrends => "industry_trends",
            Check::ConsumerBehaviour => "consumer_behaviour",
            Check::Psychographics => "psychographics",
            Check::ChannelEffectiveness => "channel_effectiveness",
            Check::AdjacentTrends => "adjacent_trends",
            Check::Competitor => "competitor",
            Check::SourceDone => "source_done",
            Check::Persona => "persona",
            Check::PersonasWho => "personas_who",
            Check::PersonasPsychographics => "personas_psychographics",
            Check::PersonasPains => "personas_pains",
            Check::SelfAssessment => "self_assessment",
            Check::Strength => "strength",
            Check::Weakness => "weakness",
            Check::Product => "product",
            Check::Place => "place",
            Check::Price => "price",
            Check::Promotion => "promotion",
            Check::People => "people",
            Check::Goal => "goal",
            Check::GoalsSmart => "goals_smart",
            Check::Kpi => "kpi",
            Check::KpisOwned => "kpis_owned",
            Check::FunnelComputes => "funnel_computes",
            Check::StageDefinitions => "stage_definitions",
            Check::KpisForecast => "kpis_forecast",
            Check::KpiTargetsSet => "kpi_targets_set",
            Check::LaggingKpisRemedied => "lagging_kpis_remedied",
            Check::Member => "member",
            Check::Communication => "communication",
            Check::PerformanceReview => "performance_review",
            Check::TeamChallenges => "team_challenges",
            Check::ExpansionTriggers => "expansion_triggers",
            Check::KpiOwnersAreMembers => "kpi_owners_are_members",
            Check::Action => "action",
            Check::ActionsOwned => "actions_owned",
            Check::ActionsDue => "actions_due",
            Check::AdoptedTool => "adopted_tool",
            Check::KpisTracked => "kpis_tracked",
        }
    }
}

/// Where a step stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StepState {
    /// No check passes.
    Empty,
    /// Some, not all.
    Partial,
    /// Every check passes.
    Complete,
}

impl StepState {
    pub fn key(self) -> &'static str {
        match self {
            StepState::Empty => "empty",
            StepState::Partial => "partial",
            StepState::Complete => "complete",
        }
    }
}

/// One step's checks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StepCompleteness {
    /// 1 to 10.
    pub step: u8,
    /// How many checks pass.
    pub filled: usize,
    /// How many checks the step has (fixed per step).
    pub required: usize,
    /// The checks that do not pass yet, in the order of the step's form.
    pub missing: Vec<Check>,
}

impl StepCompleteness {
    pub fn state(&self) -> StepState {
        if self.filled == 0 {
            StepState::Empty
        } else if self.filled >= self.required {
            StepState::Complete
        } else {
            StepState::Partial
        }
    }

    pub fn is_complete(&self) -> bool {
        self.state() == StepState::Complete
    }

    fn from_checks(step: u8, checks: &[(Check, bool)]) -> StepCompleteness {
        StepCompleteness {
            step,
            filled: checks.iter().filter(|(_, ok)| *ok).count(),
            required: checks.len(),
            missing: checks
                .iter()
                .filter(|(_, ok)| !ok)
                .map(|(c, _)| *c)
                .collect(),
        }
    }
}

fn written(s: &str) -> bool {
    !s.trim().is_empty()
}

/// True when `items` is not empty and every item passes.
fn every<T>(items: &[T], pred: impl Fn(&T) -> bool) -> bool {
    !items.is_empty() && items.iter().all(pred)
}

/// The checks of step `step` (1–10); `today` decides KPI statuses (step 7)
/// and nothing else.
fn checks(plan: &Plan, today: Date, step: u8) -> Vec<(Check, bool)> {
    match step {
        1 => {
            let r = &plan.research;
            vec![
                (Check::IndustryTrends, written(&r.industry_trends)),
                (Check::ConsumerBehaviour, written(&r.consumer_behaviour)),
                (Check::Psychographics, written(&r.psychographics)),
                (
                    Check::ChannelEffectiveness,
                    written(&r.channel_effectiveness),
                ),
                (Check::AdjacentTrends, written(&r.adjacent_trends)),
                (
                    Check::Competitor,
                    r.competitors.iter().any(|c| written(&c.name)),
                ),
                (Check::SourceDone, r.sources.iter().any(|s| s.done)),
            ]
        }
        2 => {
            let p = &plan.personas;
            vec![
                (Check::Persona, !p.is_empty()),
                (
                    Check::PersonasWho,
                    every(p, |p| {
                        written(&p.demographics.who) || written(&p.demographics.occupation)
                    }),
                ),
                (
                    Check::PersonasPsychographics,
                    every(p, |p| {
                        let ps = &p.psychographics;
                        [
                            &ps.beliefs,
                            &ps.motivations,
                            &ps.values_and_boycotts,
                            &ps.price_vs_quality,
                            &ps.advice_sources,
                            &ps.life_priority,
                            &ps.free_time,
                            &ps.novelty,
                        ]
                        .iter()
                        .filter(|s| written(s))
                        .count()
                            >= 3
                    }),
                ),
                (Check::PersonasPains, every(p, |p| written(&p.needs.pains))),
            ]
        }
        3 => {
            let s = &plan.situation;
            let m = &plan.marketing_mix;
            let answers = [
                &s.performance,
                &s.versus_estimates,
                &s.market_alignment,
                &s.where_customers_look,
                &s.challenges,
                &s.better_ways,
            ]
            .iter()
            .filter(|a| written(a))
            .count();
            vec![
                (Check::SelfAssessment, answers >= 4),
                (Check::Strength, s.strengths.iter().any(|x| written(x))),
                (Check::Weakness, s.weaknesses.iter().any(|x| written(x))),
                (Check::Product, written(&m.product.offer)),
                (
                    Check::Place,
                    written(&m.place.availability) || !m.place.channels.is_empty(),
                ),
                (
                    Check::Price,
                    written(&m.price.model) || m.price.price_point.is_some(),
                ),
                (
                    Check::Promotion,
                    written(&m.promotion.persona) || written(&m.promotion.reach),
                ),
                (Check::People, written(&m.people.who)),
            ]
        }
        4 => vec![
            (Check::Goal, !plan.goals.is_empty()),
            (Check::GoalsSmart, {
                let index = KpiIndex::new(plan);
                every(&plan.goals, |g| {
                    smart_check_indexed(g, plan, today, &index).is_smart()
                })
            }),
        ],
        5 => vec![
            (Check::Kpi, !plan.kpis.is_empty()),
            (Check::KpisOwned, every(&plan.kpis, |k| written(&k.owner))),
        ],
        6 => {
            let f = plan.funnel.as_ref();
            vec![
                (
                    Check::FunnelComputes,
                    f.is_some_and(|f| reverse_funnel(f).is_ok()),
                ),
                (
                    Check::StageDefinitions,
                    f.is_some_and(|f| {
                        let d = &f.definitions;
                        written(&d.lead) && written(&d.mql) && written(&d.sql)
                    }),
                ),
                (
                    Check::KpisForecast,
                    every(&plan.kpis, |k| {
                        !matches!(k.forecast, None | Some(crate::plan::Forecast::None))
                    }),
                ),
            ]
        }
        7 => vec![
            (Check::Kpi, !plan.kpis.is_empty()),
            (Check::KpiTargetsSet, every(&plan.kpis, Kpi::has_values)),
            (Check::LaggingKpisRemedied, {
                let remedied: HashSet<&str> = plan
                    .remedies
                    .iter()
                    .filter(|r| r.option.is_some() || written(&r.note))
                    .map(|r| r.kpi.as_str())
                    .collect();
                !plan.kpis.is_empty()
                    && plan.kpis.iter().all(|k| {
                        remedied.contains(k.id.as_str())
                            || kpi_metrics(k, today, 1.0).is_none_or(|m| !m.status.is_lagging())
                    })
            }),
        ],
        8 => {
            let t = &plan.team;
            vec![
                (Check::Member, !t.members.is_empty()),
                (Check::Communication, written(&t.communication)),
                (Check::PerformanceReview, written(&t.performance_review)),
                (Check::TeamChallenges, written(&t.challenges)),
                (Check::ExpansionTriggers, written(&t.expansion_triggers)),
                (Check::KpiOwnersAreMembers, {
                    let members: HashSet<&str> = t.members.iter().map(|m| m.id.as_str()).collect();
                    every(&plan.kpis, |k| members.contains(k.owner.as_str()))
                }),
            ]
        }
        9 => {
            let live: Vec<_> = plan
                .actions
                .iter()
                .filter(|a| a.status != ActionStatus::Dropped)
                .collect();
            vec![
                (Check::Action, !live.is_empty()),
                (Check::ActionsOwned, every(&live, |a| written(&a.owner))),
                (Check::ActionsDue, every(&live, |a| a.due.is_some())),
            ]
        }
        10 => {
            let adopted: Vec<_> = plan
                .tools
                .iter()
                .filter(|t| t.status == ToolStatus::Adopted)
                .collect();
            vec![
                (Check::AdoptedTool, !adopted.is_empty()),
                (Check::KpisTracked, {
                    let tracked: HashSet<&str> = adopted
                        .iter()
                        .flat_map(|t| t.tracks.iter().map(String::as_str))
                        .collect();
                    every(&plan.kpis, |k| tracked.contains(k.id.as_str()))
                }),
            ]
        }
        _ => Vec::new(),
    }
}

/// The completeness of one step (1–10). A step number outside 1–10 has no
/// checks (and reads as empty).
pub fn step_completeness(plan: &Plan, today: Date, step: u8) -> StepCompleteness {
    StepCompleteness::from_checks(step, &checks(plan, today, step))
}

/// The completeness of all ten steps, step 1 first.
pub fn completeness(plan: &Plan, today: Date) -> [StepCompleteness; 10] {
    std::array::from_fn(|i| step_completeness(plan, today, i as u8 + 1))
}

/// How many steps are complete (the header's "7/10").
pub fn complete_steps(steps: &[StepCompleteness]) -> usize {
    steps.iter().filter(|s| s.is_complete()).count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::test_support::*;
    use crate::plan::{
        Action, Competitor, Forecast, Funnel, FunnelRates, Goal, Member, Persona, Remedy,
        RemedyOption, Source, StageDefinitions, Tool,
    };

    fn today() -> Date {
        d("2026-05-31")
    }

    fn step(plan: &Plan, n: u8) -> StepCompleteness {
        step_completeness(plan, today(), n)
    }

    fn empty() -> Plan {
        plan_with(vec![])
    }

    /// A plan where every step is complete.
    fn full() -> Plan {
        let mut p = plan_with(vec![mrr_example().owner("ana")]);
        p.plan.north_star = "mrr".into();
        let r = &mut p.research;
        r.industry_trends = "x".into();
        r.consumer_behaviour = "x".into();
        r.psychographics = "x".into();
        r.channel_effectiveness = "x".into();
        r.adjacent_trends = "x".into();
        r.competitors = vec![Competitor {
            name: "Rival".into(),
            ..Competitor::default()
        }];
        r.sources = vec![Source {
            name: "P&L".into(),
            done: true,
            ..Source::default()
        }];
        let mut persona = Persona {
            id: "ops".into(),
            name: "Ops lead".into(),
            ..Persona::default()
        };
        persona.demographics.occupation = "Operations".into();
        persona.psychographics.beliefs = "x".into();
        persona.psychographics.motivations = "x".into();
        persona.psychographics.novelty = "x".into();
        persona.needs.pains = "x".into();
        p.personas = vec![persona];
        let s = &mut p.situation;
        s.performance = "x".into();
        s.versus_estimates = "x".into();
        s.market_alignment = "x".into();
        s.challenges = "x".into();
        s.strengths = vec!["fast".into()];
        s.weaknesses = vec!["small".into()];
        let m = &mut p.marketing_mix;
        m.product.offer = "x".into();
        m.place.availability = "x".into();
        m.price.price_point = Some(49.0);
        m.promotion.persona = "ops".into();
        m.people.who = "x".into();
        p.goals = vec![Goal {
            id: "grow-mrr".into(),
            title: "Double MRR".into(),
            specific: "Increase MRR from 10k to 20k".into(),
            kpi: "mrr".into(),
            achievable: "x".into(),
            start: Some(d("2026-01-01")),
            end: Some(d("2026-12-31")),
            ..Goal::default()
        }];
        p.funnel = Some(Funnel {
            revenue_goal: Some(1000.0),
            months: Some(12),
            average_deal_value: Some(10.0),
            rates: FunnelRates {
                visit_to_lead: Some(0.5),
                lead_to_mql: Some(0.5),
                mql_to_sql: Some(0.5),
                sql_to_customer: Some(0.5),
            },
            definitions: StageDefinitions {
                lead: "x".into(),
                mql: "x".into(),
                sql: "x".into(),
            },
            ..Funnel::default()
        });
        // The worked example is off track on 2026-05-31: it needs a remedy.
        p.remedies = vec![Remedy {
            kpi: "mrr".into(),
            option: Some(RemedyOption::NewChannel),
            note: String::new(),
        }];
        let t = &mut p.team;
        t.communication = "x".into();
        t.performance_review = "x".into();
        t.challenges = "x".into();
        t.expansion_triggers = "x".into();
        t.members = vec![Member {
            id: "ana".into(),
            name: "Ana".into(),
            ..Member::default()
        }];
        p.actions = vec![Action {
            id: "script".into(),
            title: "Call script".into(),
            owner: "ana".into(),
            due: Some(d("2026-06-15")),
            ..Action::default()
        }];
        p.tools = vec![Tool {
            name: "CRM".into(),
            status: ToolStatus::Adopted,
            tracks: vec!["mrr".into()],
            ..Tool::default()
        }];
        p
    }

    #[test]
    fn a_full_plan_completes_every_step() {
        let steps = completeness(&full(), today());
        for s in &steps {
            assert_eq!(s.state(), StepState::Complete, "{s:?}");
            assert!(s.missing.is_empty());
        }
        assert_eq!(complete_steps(&steps), 10);
        assert_eq!(
            steps.iter().map(|s| s.step).collect::<Vec<_>>(),
            (1..=10).collect::<Vec<u8>>()
        );
        assert_eq!(
            steps.iter().map(|s| s.required).collect::<Vec<_>>(),
            [7, 4, 8, 2, 2, 3, 3, 6, 3, 2]
        );
    }

    #[test]
    fn an_empty_plan_has_every_step_empty() {
        let steps = completeness(&empty(), today());
        for s in &steps {
            assert_eq!(s.filled, 0, "{s:?}");
            assert_eq!(s.state(), StepState::Empty);
            assert_eq!(s.missing.len(), s.required);
        }
        assert_eq!(complete_steps(&steps), 0);
    }

    #[test]
    fn state_follows_the_counts() {
        let s = |filled, required| StepCompleteness {
            step: 1,
            filled,
            required,
            missing: vec![],
        };
        assert_eq!(s(0, 3).state(), StepState::Empty);
        assert_eq!(s(1, 3).state(), StepState::Partial);
        assert_eq!(s(3, 3).state(), StepState::Complete);
        assert_eq!(StepState::Partial.key(), "partial");
    }

    #[test]
    fn step1_counts_texts_competitors_and_done_sources() {
        let mut p = full();
        p.research.adjacent_trends = "  ".into();
        p.research.sources[0].done = false;
        let s = step(&p, 1);
        assert_eq!((s.filled, s.required), (5, 7));
        assert_eq!(s.missing, [Check::AdjacentTrends, Check::SourceDone]);
        assert_eq!(s.state(), StepState::Partial);
    }

    #[test]
    fn step2_needs_every_persona_filled() {
        let mut p = full();
        let mut second = p.personas[0].clone();
        second.id = "cfo".into();
        second.psychographics.novelty.clear(); // only two answers left
        second.demographics.occupation.clear();
        second.demographics.who = "CFO".into(); // who is enough
        p.personas.push(second);
        let s = step(&p, 2);
        assert_eq!(s.missing, [Check::PersonasPsychographics]);
        p.personas.clear();
        assert_eq!(step(&p, 2).filled, 0);
    }

    #[test]
    fn step3_needs_four_answers_lists_and_the_five_ps() {
        let mut p = full();
        p.situation.challenges.clear(); // three answers
        p.situation.weaknesses = vec![" ".into()];
        p.marketing_mix.price.price_point = None;
        p.marketing_mix.promotion.persona.clear();
        p.marketing_mix.promotion.reach = "LinkedIn".into(); // reach is enough
        let s = step(&p, 3);
        assert_eq!(
            s.missing,
            [Check::SelfAssessment, Check::Weakness, Check::Price]
        );
        assert_eq!(s.filled, 5);
    }

    #[test]
    fn step4_needs_every_goal_smart() {
        let mut p = full();
        p.goals.push(Goal {
            id: "wish".into(),
            title: "More customers".into(),
            specific: "more customers".into(),
            ..Goal::default()
        });
        assert_eq!(step(&p, 4).missing, [Check::GoalsSmart]);
        p.goals.clear();
        assert_eq!(step(&p, 4).missing, [Check::Goal, Check::GoalsSmart]);
    }

    #[test]
    fn step5_needs_an_owner_on_every_kpi() {
        let mut p = full();
        p.kpis
            .push(kpi("churn", 5.0, "2026-01-01", 3.0, "2026-12-31").decreasing());
        assert_eq!(step(&p, 5).missing, [Check::KpisOwned]);
    }

    #[test]
    fn step6_needs_funnel_definitions_and_forecasts() {
        let mut p = full();
        p.kpis[0].forecast = Some(Forecast::None);
        p.funnel.as_mut().unwrap().rates.mql_to_sql = None;
        assert_eq!(
            step(&p, 6).missing,
            [Check::FunnelComputes, Check::KpisForecast]
        );
        p.funnel = None;
        p.kpis[0].forecast = None;
        assert_eq!(step(&p, 6).filled, 0);
    }

    #[test]
    fn step7_needs_a_remedy_for_each_lagging_kpi() {
        let mut p = full();
        p.remedies.clear();
        assert_eq!(step(&p, 7).missing, [Check::LaggingKpisRemedied]);
        // A remedy with neither an option nor a note does not count.
        p.remedies.push(Remedy {
            kpi: "mrr".into(),
            option: None,
            note: " ".into(),
        });
        assert_eq!(step(&p, 7).missing, [Check::LaggingKpisRemedied]);
        p.remedies[0].note = "Open a partner channel".into();
        assert!(step(&p, 7).is_complete());
        // With the growth forecast the KPI is on track: no remedy needed.
        p.remedies.clear();
        p.kpis[0].forecast = Some(Forecast::Growth { monthly_rate: 0.06 });
        assert!(step(&p, 7).is_complete());
        // The same KPI is overdue once the deadline has passed.
        assert!(!step_completeness(&p, d("2027-01-15"), 7).is_complete());
    }

    #[test]
    fn step8_needs_members_answers_and_known_owners() {
        let mut p = full();
        p.kpis[0].owner = "bob".into();
        p.team.expansion_triggers.clear();
        assert_eq!(
            step(&p, 8).missing,
            [Check::ExpansionTriggers, Check::KpiOwnersAreMembers]
        );
    }

    #[test]
    fn step9_ignores_dropped_actions() {
        let mut p = full();
        p.actions.push(Action {
            id: "old".into(),
            title: "Old idea".into(),
            status: ActionStatus::Dropped,
            ..Action::default()
        });
        assert!(step(&p, 9).is_complete());
        p.actions.push(Action {
            id: "new".into(),
            title: "New idea".into(),
            owner: "ana".into(),
            ..Action::default()
        });
        assert_eq!(step(&p, 9).missing, [Check::ActionsDue]);
        p.actions.retain(|a| a.status == ActionStatus::Dropped);
        assert_eq!(step(&p, 9).filled, 0);
    }

    #[test]
    fn step10_needs_every_kpi_tracked_by_an_adopted_tool() {
        let mut p = full();
        p.kpis
            .push(kpi("churn", 5.0, "2026-01-01", 3.0, "2026-12-31").owner("ana"));
        assert_eq!(step(&p, 10).missing, [Check::KpisTracked]);
        p.tools.push(Tool {
            name: "Churn tool".into(),
            status: ToolStatus::Evaluating,
            tracks: vec!["churn".into()],
            ..Tool::default()
        });
        assert_eq!(step(&p, 10).missing, [Check::KpisTracked]);
        p.tools[1].status = ToolStatus::Adopted;
        assert!(step(&p, 10).is_complete());
    }

    #[test]
    fn step_numbers_outside_one_to_ten_have_no_checks() {
        assert_eq!(step(&full(), 0).required, 0);
        assert_eq!(step(&full(), 11).state(), StepState::Empty);
    }

    #[test]
    fn check_keys_are_unique_and_match_serde() {
        let keys: std::collections::HashSet<_> = Check::ALL.iter().map(|c| c.key()).collect();
        assert_eq!(keys.len(), Check::ALL.len());
        for c in Check::ALL {
            assert_eq!(serde_json::to_value(c).unwrap(), c.key());
        }
        assert_eq!(Check::LaggingKpisRemedied.key(), "lagging_kpis_remedied");
    }

    #[test]
    fn every_check_belongs_to_a_step() {
        let empty = completeness(&empty(), today());
        let used: std::collections::HashSet<Check> = empty
            .iter()
            .flat_map(|s| s.missing.iter().copied())
            .collect();
        assert_eq!(used, Check::ALL.into_iter().collect());
    }
}
