//! Save: the format-preserving render of a plan file after one changed
//! value — merging the plan into the whole file's document
//! (`save::render`), and element by element (`chunk::render`, what big
//! plans use: unchanged elements are copied as they are) — and Ctrl-S in
//! the app after typing one character: the part on the UI thread (what
//! would delay typing) and the whole save until the file is on disk
//! (render, atomic write with fsync, re-validation; off the UI thread for
//! big plans).

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
        let base = rumbo::store::load::parse(Path::new("plan.toml"), text)
            .expect("the bench plan parses")
            .plan;
        group.bench_function("render_element_wise", |b| {
            b.iter(|| black_box(rumbo::store::chunk::render(black_box(text), &base, &plan)))
        });
        let element_wise = fixtures::median_secs(if size == Size::L { 5 } else { 21 }, || {
            black_box(rumbo::store::chunk::render(text, &base, &plan));
        });
        if size != Size::S {
            assert_eq!(
                rumbo::store::chunk::render(text, &base, &plan).as_deref(),
                Some(out.as_str()),
                "element by element gives what the whole merge gives"
            );
        }

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
        group.bench_function("app_type+ctrl_s+written", |b| {
            b.iter(|| {
                type_and_save(&mut app);
                fixtures::settle(&mut app);
            })
        });
        let runs = if size == Size::L { 5 } else { 21 };
        let mut ui = Vec::new();
        let whole = fixtures::median_secs(runs, || {
            let start = std::time::Instant::now();
            type_and_save(&mut app);
            ui.push(start.elapsed().as_secs_f64());
            fixtures::settle(&mut app);
        });
        ui.sort_by(f64::total_cmp);
        let ui = ui[ui.len() / 2];
        assert!(!app.session().expect("open").dirty, "the save went through");
        group.finish();
        summary.push((size, element_wise, ui, whole));
    }
    println!(
        "\nsave after one change: element-wise render; keystroke + Ctrl-S on the UI thread (budget 16 ms); until written"
    );
    for (size, element_wise, ui, whole) in summary {
        println!(
            "  {}: render {:>9}   UI thread {:>9}{}   written {:>9}",
            size.name(),
            fixtures::human(element_wise),
            fixtures::human(ui),
            if ui > 0.016 { " (blocks typing)" } else { "" },
            fixtures::human(whole),
        );
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
