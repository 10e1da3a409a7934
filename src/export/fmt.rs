//! Numbers, money, units and dates as the documents print them.
//!
//! Display only: the JSON and CSV exports keep full precision. Values of
//! 1,000 or more are rounded to whole numbers, smaller ones to at most two
//! decimals; the separators come from the locale (`export.number.*`), through
//! the one formatter of `i18n::number`. Dates come from `i18n::date`
//! (`23/11/2026` in Spanish, `2026-11-23` in English).

use crate::i18n::{date as dates, number, t, tf, tn};
use crate::plan::{Date, Unit};

/// A number for reading: grouped thousands, at most two decimals (none from
/// 1,000 up); `—` when it is not finite.
pub fn num(v: f64) -> String {
    let decimals = if v.abs() >= 1000.0 { 0 } else { 2 };
    number::format(v, decimals, number::Use::Document)
}

/// An optional number, `—` when undefined.
pub fn opt_num(v: Option<f64>) -> String {
    v.map_or_else(|| t("export.none").to_string(), num)
}

/// An amount of money in the plan's currency.
pub fn money(v: f64, currency: &str) -> String {
    if currency.trim().is_empty() {
        num(v)
    } else {
        tf(
            "export.money",
            &[("value", &num(v)), ("currency", &currency.trim())],
        )
    }
}

/// A KPI value with its unit (`2.27 %`, `18,000 EUR`, `32 days`).
pub fn value(v: f64, unit: Option<Unit>, currency: &str) -> String {
    if !v.is_finite() {
        return t("export.none").to_string();
    }
    match unit {
        Some(Unit::Currency) => money(v, currency),
        Some(Unit::Percent) => tf("export.unit_value.percent", &[("value", &num(v))]),
        Some(Unit::Days) => {
            // "1 day" only when it reads as exactly one.
            let shown = num(v);
            let one = shown == num(1.0);
            tn(
                "export.unit_value.days",
                u64::from(one),
                &[("value", &shown)],
            )
        }
        Some(Unit::Hours) => tf("export.unit_value.hours", &[("value", &num(v))]),
        Some(Unit::Count | Unit::Ratio) | None => num(v),
    }
}

/// An optional KPI value, `—` when undefined.
pub fn opt_value(v: Option<f64>, unit: Option<Unit>, currency: &str) -> String {
    v.map_or_else(
        || t("export.none").to_string(),
        |v| value(v, unit, currency),
    )
}

/// A fraction as a percentage: 0.025 → `2.5 %`.
pub fn rate(r: f64) -> String {
    tf("export.unit_value.percent", &[("value", &num(r * 100.0))])
}

/// A share already in percent: 60 → `60 %`.
pub fn percent(p: f64) -> String {
    tf("export.unit_value.percent", &[("value", &num(p))])
}

/// A date as the language writes it.
pub fn date(d: Date) -> String {
    dates::format(d)
}

/// An optional date, empty when absent.
pub fn opt_date(d: Option<Date>) -> String {
    dates::format_opt(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_grouped_and_rounded_for_reading() {
        assert_eq!(num(0.0), "0");
        assert_eq!(num(2.27), "2.27");
        assert_eq!(num(2.2), "2.2");
        assert_eq!(num(145.555), "145.56");
        assert_eq!(num(1000.0), "1,000");
        assert_eq!(num(29343.857), "29,344");
        assert_eq!(num(-1256.14), "-1,256");
        assert_eq!(num(1234567.0), "1,234,567");
        assert_eq!(num(-0.001), "0");
        assert_eq!(num(f64::NAN), "—");
    }

    #[test]
    fn units_are_written_after_the_value() {
        assert_eq!(value(18000.0, Some(Unit::Currency), "EUR"), "18,000 EUR");
        assert_eq!(value(18000.0, Some(Unit::Currency), ""), "18,000");
        assert_eq!(value(2.5, Some(Unit::Percent), "EUR"), "2.5 %");
        assert_eq!(rate(0.025), "2.5 %");
        assert_eq!(opt_value(None, None, ""), "—");
    }

    #[test]
    fn one_day_is_singular_and_every_other_amount_plural() {
        crate::i18n::with_lang(crate::i18n::Lang::En, || {
            assert_eq!(value(1.0, Some(Unit::Days), ""), "1 day");
            assert_eq!(value(1.001, Some(Unit::Days), ""), "1 day");
            assert_eq!(value(1.5, Some(Unit::Days), ""), "1.5 days");
            assert_eq!(value(0.0, Some(Unit::Days), ""), "0 days");
            assert_eq!(value(32.0, Some(Unit::Days), ""), "32 days");
        });
        crate::i18n::with_lang(crate::i18n::Lang::Es, || {
            assert_eq!(value(1.0, Some(Unit::Days), ""), "1 día");
            assert_eq!(value(3.0, Some(Unit::Days), ""), "3 días");
        });
    }
}
