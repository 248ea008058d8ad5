//! Plan against spending, line by line, as bars people take in at a glance: each line's planned
//! amount as a pale bar, what was spent on it drawn over it, all on one scale so lines compare.
//! The names and figures are text beside each bar, so the chart reads on a narrow phone and to a
//! screen reader; the bars are SVG drawn here, with no script.

use crate::i18n::{fill, use_locale};
use crate::money::{format_minor, Currency};
use leptos::prelude::*;

/// Width of a bar's drawing in SVG units; the bar is stretched to the row's width.
const WIDTH: i64 = 1000;
/// The least a line with any spending draws, so a small first expense on a large plan shows.
const SLIVER: i64 = 6;

/// One budget line as the chart draws it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChartLine {
    pub name: String,
    pub planned_minor: i64,
    pub spent_minor: i64,
}

/// Where a line's bars end, in SVG units, on a scale shared by every line.
#[derive(Debug, PartialEq, Eq)]
struct Bars {
    planned: i64,
    spent: i64,
}

/// The scale is the largest amount planned or spent on any line, so the longest bar fills the
/// row and an overspent line shows past its plan.
fn bars(line: &ChartLine, scale_minor: i64) -> Bars {
    let width = |minor: i64| {
        if scale_minor <= 0 || minor <= 0 {
            0
        } else {
            // i128: amounts times WIDTH cannot overflow.
            let exact =
                i128::from(minor.min(scale_minor)) * i128::from(WIDTH) / i128::from(scale_minor);
            (exact as i64).max(SLIVER)
        }
    };
    Bars {
        planned: width(line.planned_minor),
        spent: width(line.spent_minor),
    }
}

/// Spent as a whole percentage of planned, rounded down, and "<1%" for any spending below
/// that; none for a line planned at nothing.
fn percent(line: &ChartLine) -> Option<String> {
    (line.planned_minor > 0).then(|| {
        let whole =
            (i128::from(line.spent_minor.max(0)) * 100 / i128::from(line.planned_minor)) as i64;
        if whole == 0 && line.spent_minor > 0 {
            "<1%".to_owned()
        } else {
            format!("{whole}%")
        }
    })
}

/// The chart of a plan's lines.
#[component]
pub fn PlanChart(lines: Vec<ChartLine>, currency: Currency) -> impl IntoView {
    let locale = use_locale();
    let t = locale.words();
    let money = move |minor: i64| format_minor(minor, currency, locale);
    let scale = lines
        .iter()
        .map(|l| l.planned_minor.max(l.spent_minor))
        .max()
        .unwrap_or(0);
    let rows = lines
        .into_iter()
        .map(|line| {
            let bars = bars(&line, scale);
            let over = line.spent_minor > line.planned_minor;
            let figures = fill(
                t.plan_chart_figures(),
                &[
                    ("spent", &money(line.spent_minor)),
                    ("planned", &money(line.planned_minor)),
                ],
            );
            let percent = percent(&line).map(|p| format!(" · {p}"));
            view! {
                <li data-testid="plan-chart-line" class:over=over>
                    <span class="plan-chart-name">{line.name}</span>
                    <span class="plan-chart-figures">{figures} {percent}</span>
                    <svg
                        class="plan-chart-bar"
                        viewBox=format!("0 0 {WIDTH} 10")
                        preserveAspectRatio="none"
                        aria-hidden="true"
                        focusable="false"
                    >
                        <rect class="planned" x="0" y="0" width=bars.planned.to_string() height="10" />
                        <rect class="spent" x="0" y="2" width=bars.spent.to_string() height="6" />
                    </svg>
                </li>
            }
            .into_any()
        })
        .collect_view();
    view! {
        <figure class="plan-chart" data-testid="plan-chart">
            <figcaption>{t.plan_chart_caption()}</figcaption>
            <ul>{rows}</ul>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(planned: i64, spent: i64) -> ChartLine {
        ChartLine {
            name: "Studio rent".into(),
            planned_minor: planned,
            spent_minor: spent,
        }
    }

    #[test]
    fn bars_share_one_scale_so_lines_compare() {
        assert_eq!(
            bars(&line(500, 250), 1000),
            Bars {
                planned: 500,
                spent: 250
            }
        );
        assert_eq!(
            bars(&line(1000, 0), 1000),
            Bars {
                planned: 1000,
                spent: 0
            }
        );
    }

    #[test]
    fn an_overspent_line_draws_past_its_plan() {
        let b = bars(&line(400, 800), 800);
        assert_eq!(
            b,
            Bars {
                planned: 500,
                spent: 1000
            }
        );
        assert_eq!(percent(&line(400, 800)).as_deref(), Some("200%"));
    }

    #[test]
    fn reversals_and_empty_plans_draw_nothing_odd() {
        // A line whose reversals exceed its expenses, and a plan with nothing in it.
        assert_eq!(
            bars(&line(500, -100), 500),
            Bars {
                planned: 1000,
                spent: 0
            }
        );
        assert_eq!(
            bars(&line(0, 0), 0),
            Bars {
                planned: 0,
                spent: 0
            }
        );
        assert_eq!(percent(&line(0, 10)), None);
        assert_eq!(percent(&line(300, 100)).as_deref(), Some("33%"));
        assert_eq!(percent(&line(300, 0)).as_deref(), Some("0%"));
    }

    #[test]
    fn a_small_first_expense_on_a_large_plan_still_shows() {
        // ¥12,000 of ¥6,300,000.
        let line = line(630_000_000, 1_200_000);
        assert_eq!(bars(&line, 630_000_000).spent, SLIVER);
        assert_eq!(percent(&line).as_deref(), Some("<1%"));
    }

    #[test]
    fn the_largest_amounts_do_not_overflow() {
        let b = bars(&line(i64::MAX, i64::MAX / 2), i64::MAX);
        assert_eq!(b.planned, WIDTH);
        // Rounded down: half of an odd maximum is a shade under half.
        assert_eq!(b.spent, WIDTH / 2 - 1);
    }
}
