//! Writes a benchmark plan to a file, for harnesses outside Rust
//! (`benches/startup.py`):
//!
//! ```text
//! cargo bench --bench plangen -- L /tmp/l.toml
//! ```
//!
//! With no size and path (as in a plain `cargo bench`, which passes only
//! flags) it does nothing.

#[path = "fixtures/mod.rs"]
mod fixtures;

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let [size, out] = args.as_slice() else {
        if !args.is_empty() {
            eprintln!("usage: cargo bench --bench plangen -- S|M|L OUT.toml");
            std::process::exit(2);
        }
        return;
    };
    let Some(size) = fixtures::Size::parse(size) else {
        eprintln!("unknown size {size:?}: expected S, M or L");
        std::process::exit(2);
    };
    fixtures::write(std::path::Path::new(out), size);
    println!("{out}");
}
