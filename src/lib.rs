//! rumbo: a ten-step sales and marketing plan, kept alive in a terminal.
//!
//! Layers, one direction of dependency: `plan` (types, validation) and
//! `metrics` (pure computations) know nothing of files or terminals; `store`
//! reads and writes plan files; `tui` and `cli` turn keys and arguments into
//! calls on the layers below.

pub mod actuals;
pub mod catalogue;
pub mod cli;
pub mod config;
pub mod export;
pub mod i18n;
pub mod keymap;
pub mod metrics;
pub mod plan;
pub mod review;
pub mod store;
pub mod summary;
pub mod tui;
