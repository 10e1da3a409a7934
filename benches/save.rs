//! Save: the format-preserving render of a plan file after one changed
//! value (`save::render(Some(text), &plan)`: merge the plan into the
//! file's document, keeping comments and layout), and the whole Ctrl-S in
//! the app after typing one character (check the file on disk, render,
//! write atomically with fsync, re-validate), which is what blocks the UI
//! thread while the user types.

#[path = "fixtures/mod.rs"]
mod fixtures;

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use fixtures::Size;
use ratatui::crossterm::event::KeyCode;

fn bench(c: &mut Criterion) {
    let mut summary = Vec::new();
    for size in fixtures::sizes() {
        let text = fixtures::text(size);
        let mut plan = rumbo::store::load::parse(Path::new("plan.toml"), text)
            .expect("the bench plan parses")
            .plan;
        // One changed value: the last actual of the first KPI.
        let actual = plan.kpis[0].actuals.last_mut().expect("actuals");
        actual.value += 1.0;
        let mut group = c.benchmark_group(format!("save/{}", size.name()));
        fixtures::tune(&mut group, size);
        group.bench_function("render_one_change", |b| {
            b.iter(|| black_box(rumbo::store::save::render(Some(black_box(text)), &plan)))
        });
        let out = rumbo::store::save::render(Some(text), &plan);
        assert_ne!(out, text, "the change is in the output");
        assert!(out.len().abs_diff(text.len()) < 8, "nothing else changed");

        // Ctrl-S in the app after one keystroke in the plan name (step 1).
        let (_dir, mut app) = fixtures::open_app(size);
        fixtures::press(&mut app, KeyCode::End);
        let mut typed = false;
        let mut type_and_save = |app: &mut rumbo::tui::App| {
            fixtures::press(
                app,
                if typed {
                    KeyCode::Backspace
                } else {
                    KeyCode::Char('x')
                },
            );
            typed = !typed;
            fixtures::ctrl(app, 's');
        };
        group.bench_function("app_type+ctrl_s", |b| b.iter(|| type_and_save(&mut app)));
        let runs = if size == Size::L { 5 } else { 21 };
        let ctrl_s = fixtures::median_secs(runs, || type_and_save(&mut app));
        assert!(!app.session().expect("open").dirty, "the save went through");
        group.finish();
        summary.push((size, ctrl_s));
    }
    println!("\nkeystroke + Ctrl-S on the UI thread (a save that blocks typing if > 16 ms)");
    for (size, secs) in summary {
        println!(
            "  {}: {:>9}{}",
            size.name(),
            fixtures::human(secs),
            if secs > 0.016 { " (blocks typing)" } else { "" }
        );
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
