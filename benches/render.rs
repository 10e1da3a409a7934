//! Render: draw each of the ten steps at 200×60 into a `TestBackend`, with
//! nothing edited since the last frame (what a frame costs when the user
//! only moves around). Budget (issue 7): a step on L ≤ 1.5× the same step
//! on S. The ratios are printed after the groups.

#[path = "fixtures/mod.rs"]
mod fixtures;

use std::collections::HashMap;

use criterion::{Criterion, criterion_group, criterion_main};
use fixtures::Size;

fn bench(c: &mut Criterion) {
    let sizes = fixtures::sizes();
    let mut medians: HashMap<(Size, usize), f64> = HashMap::new();
    for &size in &sizes {
        let (_dir, mut app) = fixtures::open_app(size);
        let mut terminal = fixtures::terminal();
        let mut group = c.benchmark_group(format!("render/{}", size.name()));
        fixtures::tune(&mut group, size);
        for step in 1..=10 {
            fixtures::go_to_step(&mut app, step);
            // The first frame after a jump may fill caches: not measured.
            fixtures::draw(&mut terminal, &mut app);
            group.bench_function(format!("step{step:02}"), |b| {
                b.iter(|| fixtures::draw(&mut terminal, &mut app))
            });
            let runs = if size == Size::L { 5 } else { 30 };
            medians.insert(
                (size, step),
                fixtures::median_secs(runs, || fixtures::draw(&mut terminal, &mut app)),
            );
        }
        group.finish();
    }
    if sizes.contains(&Size::S) {
        println!("\nrender ratio per step (size / S; budget L ≤ 1.50×)");
        for step in 1..=10 {
            let s = medians[&(Size::S, step)];
            let mut line = format!("  step {step:2}: S {:>9}", fixtures::human(s));
            for &size in sizes.iter().filter(|&&z| z != Size::S) {
                let t = medians[&(size, step)];
                let ratio = t / s;
                line += &format!(
                    "  {} {:>9} ({ratio:.2}×{})",
                    size.name(),
                    fixtures::human(t),
                    if size == Size::L && ratio > 1.5 {
                        " MISSED"
                    } else {
                        ""
                    }
                );
            }
            println!("{line}");
        }
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
