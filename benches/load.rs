//! Load: read + parse + validate + build the model (`store::load::parse`,
//! and `store::open` from a file), side by side with the baseline, a bare
//! `toml::from_str::<toml::Value>` of the same text. Budget (issue 7): our
//! load ≤ 2× the bare parse.
//!
//! After the criterion groups it prints the ratio, measured interleaved in
//! one run (medians).

#[path = "fixtures/mod.rs"]
mod fixtures;

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use fixtures::Size;

fn rumbo_parse(text: &str) {
    let parsed = rumbo::store::load::parse(Path::new("plan.toml"), black_box(text))
        .expect("the bench plan parses");
    black_box(parsed);
}

fn toml_value(text: &str) {
    let value: toml::Value = toml::from_str(black_box(text)).expect("valid TOML");
    black_box(value);
}

fn load(c: &mut Criterion) {
    let sizes = fixtures::sizes();
    for &size in &sizes {
        let text = fixtures::text(size);
        let path = fixtures::path(size);
        let mut group = c.benchmark_group(format!("load/{}", size.name()));
        fixtures::tune(&mut group, size);
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function("rumbo_parse", |b| b.iter(|| rumbo_parse(text)));
        group.bench_function("toml_value", |b| b.iter(|| toml_value(text)));
        group.bench_function("rumbo_open_file", |b| {
            b.iter(|| black_box(rumbo::store::open(black_box(path)).expect("opens")))
        });
        group.finish();
    }
    ratios(&sizes);
}

/// Our parse against the bare TOML parse, interleaved, medians.
fn ratios(sizes: &[Size]) {
    println!("\nload ratio (rumbo parse / bare toml::Value parse; budget ≤ 2.00×)");
    for &size in sizes {
        let text = fixtures::text(size);
        let runs = match (size, fixtures::quick()) {
            (Size::S, _) => 200,
            (Size::M, false) => 30,
            (Size::M, true) => 10,
            (Size::L, false) => 5,
            (Size::L, true) => 3,
        };
        let mut ours = Vec::new();
        let mut bare = Vec::new();
        for _ in 0..runs {
            ours.push(fixtures::median_secs(1, || rumbo_parse(text)));
            bare.push(fixtures::median_secs(1, || toml_value(text)));
        }
        let median = |v: &mut Vec<f64>| {
            v.sort_by(f64::total_cmp);
            v[v.len() / 2]
        };
        let (ours, bare) = (median(&mut ours), median(&mut bare));
        let ratio = ours / bare;
        println!(
            "  {}: {:>9} vs {:>9} → {ratio:.2}× {}",
            size.name(),
            fixtures::human(ours),
            fixtures::human(bare),
            if ratio <= 2.0 { "ok" } else { "MISSED" }
        );
    }
}

criterion_group!(benches, load);
criterion_main!(benches);
