//! A driver for profilers (callgrind, perf): runs one operation of the
//! benchmarks on one plan size a number of times, without criterion.
//!
//! ```text
//! cargo bench --bench profile --no-run      # then, with the printed binary:
//! valgrind --tool=callgrind target/release/deps/profile-… OP SIZE [TIMES]
//! ```
//!
//! OP is one of: `load`, `toml`, `typed`, `split`, `parts`, `validate`,
//! `locate`, `metrics`, `completeness`, `smart`, `gaps-json`, `render-N`
//! (step N = 1…10), `keystroke`, `save`, `save-parts`, `clone`,
//! `search-index`, `search-find`. Set-up
//! (generating, parsing, opening the app) happens before the measured
//! part; profile with `--toggle-collect=profile::run*` to see only that.
//! Without arguments (a plain `cargo bench`) it does nothing.

#[path = "fixtures/mod.rs"]
mod fixtures;

use std::hint::black_box;
use std::path::Path;

use fixtures::Size;
use ratatui::crossterm::event::KeyCode;

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    if args.is_empty() {
        return;
    }
    let (Some(op), Some(size)) = (args.first(), args.get(1).and_then(|s| Size::parse(s))) else {
        eprintln!("usage: profile OP S|M|L [TIMES]");
        std::process::exit(2);
    };
    let times: usize = args.get(2).and_then(|t| t.parse().ok()).unwrap_or(1);
    let today = fixtures::today();
    let text = fixtures::text(size);
    let start = std::time::Instant::now();
    match op.as_str() {
        "load" => run_n(times, || {
            black_box(rumbo::store::load::parse(Path::new("p.toml"), text).expect("parses"));
        }),
        "split" => run_n(times, || {
            black_box(rumbo::store::chunk::split(text));
        }),
        "parts" => run_n(times, || {
            black_box(rumbo::store::chunk::parse(text).expect("a plan"));
        }),
        "validate" | "locate" => {
            let plan = rumbo::store::chunk::parse_parts(text).expect("a plan");
            let problems = rumbo::plan::validate(&plan);
            run_n(times, || {
                if op == "validate" {
                    black_box(rumbo::plan::validate(&plan));
                } else {
                    black_box(rumbo::store::load::locate_all(
                        Path::new("p.toml"),
                        text,
                        &problems,
                    ));
                }
            });
        }
        "typed" => run_n(times, || {
            black_box(toml::from_str::<rumbo::plan::Plan>(text).expect("a plan"));
        }),
        "toml" => run_n(times, || {
            black_box(toml::from_str::<toml::Value>(text).expect("valid TOML"));
        }),
        "metrics" | "completeness" | "smart" | "gaps-json" => {
            let plan = rumbo::store::load::parse(Path::new("p.toml"), text)
                .expect("parses")
                .plan;
            run_n(times, || match op.as_str() {
                "completeness" => {
                    black_box(rumbo::metrics::completeness(&plan, today));
                }
                "smart" => {
                    let index = rumbo::metrics::KpiIndex::new(&plan);
                    for g in &plan.goals {
                        black_box(rumbo::metrics::smart_check_indexed(g, &plan, today, &index));
                    }
                }
                "gaps-json" => {
                    black_box(rumbo::metrics::gaps_json_pretty(&plan, today, None).expect("ok"));
                }
                _ => {
                    black_box(rumbo::metrics::gap_table(&plan, today, None).expect("ok"));
                    black_box(rumbo::metrics::completeness(&plan, today));
                    let index = rumbo::metrics::KpiIndex::new(&plan);
                    for g in &plan.goals {
                        black_box(rumbo::metrics::smart_check_indexed(g, &plan, today, &index));
                    }
                }
            });
        }
        "keystroke" => {
            let (_dir, mut app) = fixtures::open_app(size);
            let mut terminal = fixtures::terminal();
            fixtures::go_to_step(&mut app, 5);
            fixtures::focus(&mut app, "f.kpi_name");
            fixtures::draw(&mut terminal, &mut app);
            let mut typed = false;
            run_n(times, || {
                let key = if typed {
                    KeyCode::Backspace
                } else {
                    KeyCode::Char('x')
                };
                typed = !typed;
                fixtures::press(&mut app, key);
                fixtures::draw(&mut terminal, &mut app);
            });
        }
        "search-index" | "search-find" => {
            let plan = rumbo::store::load::parse(Path::new("p.toml"), text)
                .expect("parses")
                .plan;
            let index = rumbo::tui::search::index(&plan, today);
            eprintln!("{} searchable texts", index.len());
            run_n(times, || {
                if op == "search-index" {
                    black_box(rumbo::tui::search::index(&plan, today));
                } else {
                    black_box(rumbo::tui::search::find(&index, "pipeline"));
                }
            });
        }
        "save-parts" => {
            let base = rumbo::store::chunk::parse(text).expect("parses");
            let mut plan = base.clone();
            plan.kpis[0].name.push('x');
            run_n(times, || {
                black_box(
                    rumbo::store::chunk::render(text, &base, &plan).expect("element by element"),
                );
            });
        }
        "clone" => {
            let base = rumbo::store::chunk::parse(text).expect("parses");
            run_n(times, || {
                black_box(base.clone());
            });
        }
        "save" => {
            let mut plan = rumbo::store::load::parse(Path::new("p.toml"), text)
                .expect("parses")
                .plan;
            plan.kpis[0].name.push('x');
            run_n(times, || {
                black_box(rumbo::store::save::render(Some(text), &plan));
            });
        }
        render if render.starts_with("render-") => {
            let step: usize = render["render-".len()..].parse().expect("render-N");
            let (_dir, mut app) = fixtures::open_app(size);
            let mut terminal = fixtures::terminal();
            fixtures::go_to_step(&mut app, step);
            fixtures::draw(&mut terminal, &mut app);
            run_n(times, || fixtures::draw(&mut terminal, &mut app));
        }
        other => {
            eprintln!("unknown operation {other:?}");
            std::process::exit(2);
        }
    }
    let per = start.elapsed().as_secs_f64() / times.max(1) as f64;
    eprintln!(
        "{op} {}: {} per run (set-up included)",
        size.name(),
        fixtures::human(per)
    );
}

/// The measured part: a name for `--toggle-collect=profile::run*`.
#[inline(never)]
fn run_n(times: usize, mut f: impl FnMut()) {
    let start = std::time::Instant::now();
    for _ in 0..times {
        f();
    }
    let per = start.elapsed().as_secs_f64() / times.max(1) as f64;
    eprintln!("measured: {} per run", fixtures::human(per));
}
