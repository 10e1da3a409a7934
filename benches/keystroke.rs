//! A keystroke: in step 5, with the KPI name field focused, type one
//! character (or erase it again: the benches alternate, so the name does
//! not grow), let the app recompute what depends on the edit, and draw one
//! frame at 200×60. Budget (issue 7): on L, well inside one 60 Hz frame
//! (16 ms) on a 2-core machine.
//!
//! Also measured, to attribute the cost: the edit alone (`handle` only),
//! and scrolling the gap table of step 7 (↓/↑ + one frame), which edits
//! nothing.

#[path = "fixtures/mod.rs"]
mod fixtures;

use criterion::{Criterion, criterion_group, criterion_main};
use fixtures::Size;
use ratatui::crossterm::event::KeyCode;

fn bench(c: &mut Criterion) {
    let mut summary = Vec::new();
    for size in fixtures::sizes() {
        let (_dir, mut app) = fixtures::open_app(size);
        let mut terminal = fixtures::terminal();
        let mut group = c.benchmark_group(format!("keystroke/{}", size.name()));
        fixtures::tune(&mut group, size);

        fixtures::go_to_step(&mut app, 5);
        fixtures::focus(&mut app, "f.kpi_name");
        fixtures::press(&mut app, KeyCode::End);
        fixtures::draw(&mut terminal, &mut app);
        let mut typed = false;
        let mut keystroke = |app: &mut rumbo::tui::App| {
            let key = if typed {
                KeyCode::Backspace
            } else {
                KeyCode::Char('x')
            };
            typed = !typed;
            fixtures::press(app, key);
        };
        group.bench_function("type_in_kpi_name+draw", |b| {
            b.iter(|| {
                keystroke(&mut app);
                fixtures::draw(&mut terminal, &mut app);
            })
        });
        group.bench_function("type_in_kpi_name_only", |b| b.iter(|| keystroke(&mut app)));
        let runs = if size == Size::L { 7 } else { 31 };
        let typing = fixtures::median_secs(runs, || {
            keystroke(&mut app);
            fixtures::draw(&mut terminal, &mut app);
        });
        // What waits for the pause after typing on a big plan: validation
        // and step completeness (`App::idle`), once per pause.
        let pause_only = {
            let mut v = Vec::new();
            for _ in 0..runs {
                keystroke(&mut app);
                let start = std::time::Instant::now();
                fixtures::settle(&mut app);
                v.push(start.elapsed().as_secs_f64());
            }
            v.sort_by(f64::total_cmp);
            v[v.len() / 2]
        };
        let name = &app.session().expect("open").plan().kpis[0].name;
        assert!(
            name.ends_with('x') || !name.is_empty(),
            "the keys reached the name field"
        );

        fixtures::go_to_step(&mut app, 7);
        fixtures::draw(&mut terminal, &mut app);
        let mut down = true;
        let mut scroll = |app: &mut rumbo::tui::App| {
            fixtures::press(app, if down { KeyCode::Down } else { KeyCode::Up });
            down = !down;
        };
        group.bench_function("scroll_gap_table+draw", |b| {
            b.iter(|| {
                scroll(&mut app);
                fixtures::draw(&mut terminal, &mut app);
            })
        });
        let scrolling = fixtures::median_secs(runs, || {
            scroll(&mut app);
            fixtures::draw(&mut terminal, &mut app);
        });
        group.finish();
        summary.push((size, typing, scrolling, pause_only));
    }
    println!("\nkeystroke + recompute + frame (budget on L: well inside 16 ms)");
    for (size, typing, scrolling, pause) in summary {
        println!(
            "  {}: type in KPI name {:>9}{}   scroll gap table {:>9}{}   checks at the pause {:>9}",
            size.name(),
            fixtures::human(typing),
            if typing > 0.016 { " MISSED" } else { "" },
            fixtures::human(scrolling),
            if scrolling > 0.016 { " MISSED" } else { "" },
            fixtures::human(pause),
        );
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
