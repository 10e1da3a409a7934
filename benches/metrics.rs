//! Metrics: the full gap table + reverse funnel + step completeness + SMART
//! checks of every goal, on a plan already in memory; and each part alone,
//! to see which one grows with the plan.

#[path = "fixtures/mod.rs"]
mod fixtures;

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use rumbo::metrics;
use rumbo::plan::{Date, Plan};

/// Everything the gap, funnel, progress and goal screens derive.
fn all(plan: &Plan, today: Date) {
    black_box(metrics::gap_table(plan, today, None).expect("base scenario"));
    if let Some(f) = &plan.funnel {
        let _ = black_box(metrics::reverse_funnel(f));
    }
    black_box(metrics::completeness(plan, today));
    let index = metrics::KpiIndex::new(plan);
    for g in &plan.goals {
        black_box(metrics::smart_check_indexed(g, plan, today, &index));
    }
}

fn bench(c: &mut Criterion) {
    let today = fixtures::today();
    for size in fixtures::sizes() {
        let plan = rumbo::store::load::parse(Path::new("plan.toml"), fixtures::text(size))
            .expect("the bench plan parses")
            .plan;
        let plan = &plan;
        let mut group = c.benchmark_group(format!("metrics/{}", size.name()));
        fixtures::tune(&mut group, size);
        group.bench_function("all", |b| b.iter(|| all(black_box(plan), today)));
        group.bench_function("gap_table", |b| {
            b.iter(|| black_box(metrics::gap_table(black_box(plan), today, None)))
        });
        group.bench_function("reverse_funnel", |b| {
            b.iter(|| black_box(plan.funnel.as_ref().map(metrics::reverse_funnel)))
        });
        group.bench_function("completeness", |b| {
            b.iter(|| black_box(metrics::completeness(black_box(plan), today)))
        });
        group.bench_function("smart_all_goals", |b| {
            b.iter(|| {
                let index = metrics::KpiIndex::new(plan);
                for g in &plan.goals {
                    black_box(metrics::smart_check_indexed(g, plan, today, &index));
                }
            })
        });
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
