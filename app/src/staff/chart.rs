//! Gifts per time slice as an SVG bar chart, drawn by the page itself.

use super::Chart;
use crate::dates::Timestamp;
use crate::i18n::{fill, use_locale};
use leptos::prelude::*;

const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 180.0;
/// Room under the bars for the time labels.
const AXIS: f64 = 22.0;

/// A bar per slice, scaled to the busiest one, with its first and last times beneath and the
/// busiest count beside. Each bar tells its count and time to a pointer or a screen reader.
#[component]
pub fn GiftChart(
    #[prop(into)] chart: Signal<Chart>,
    heading: String,
    utc_offset_minutes: i16,
    testid: &'static str,
) -> impl IntoView {
    let t = use_locale().words();
    let time_at = move |i: usize| {
        chart.with(|c| {
            let offset = i64::try_from(i).unwrap_or(0) * c.bucket_minutes * 60_000;
            Timestamp::from_unix_ms(c.start.unix_ms() + offset).display_time(utc_offset_minutes)
        })
    };
    let peak = move || chart.with(|c| c.gifts.iter().copied().max().unwrap_or(0));
    let total = move || chart.with(|c| c.gifts.iter().map(|g| u64::from(*g)).sum::<u64>());
    let bars = move || {
        let gifts = chart.with(|c| c.gifts.clone());
        let n = gifts.len().max(1);
        let step = WIDTH / n as f64;
        let peak = f64::from(peak().max(1));
        gifts
            .into_iter()
            .enumerate()
            .map(|(i, count)| {
                let h = (f64::from(count) / peak) * (HEIGHT - AXIS - 8.0);
                let label = fill(
                    t.dashboard_bar(),
                    &[("count", &count.to_string()), ("time", &time_at(i))],
                );
                view! {
                    <rect
                        class="chart-bar"
                        x=format!("{:.2}", i as f64 * step + step * 0.1)
                        y=format!("{:.2}", HEIGHT - AXIS - h)
                        width=format!("{:.2}", step * 0.8)
                        height=format!("{:.2}", h.max(if count > 0 { 1.5 } else { 0.0 }))
                        data-count=count
                    >
                        <title>{label}</title>
                    </rect>
                }
            })
            .collect_view()
    };
    let last = move || chart.with(|c| c.gifts.len().saturating_sub(1));
    let summary = move || {
        fill(
            t.dashboard_chart_summary(),
            &[
                ("total", &total().to_string()),
                ("peak", &peak().to_string()),
                ("minutes", &chart.with(|c| c.bucket_minutes).to_string()),
            ],
        )
    };
    view! {
        <figure class="chart" data-testid=testid>
            <figcaption>
                <span class="chart-heading">{heading}</span>
                <span class="chart-summary" data-testid=format!("{testid}-summary")>{summary}</span>
            </figcaption>
            <svg
                viewBox=format!("0 0 {WIDTH} {HEIGHT}")
                preserveAspectRatio="none"
                role="img"
                aria-label=summary
            >
                <line class="chart-axis" x1="0" x2=WIDTH y1=HEIGHT - AXIS y2=HEIGHT - AXIS />
                {bars}
            </svg>
            <div class="chart-times" aria-hidden="true">
                <span>{move || time_at(0)}</span>
                <span>{move || time_at(last())}</span>
            </div>
        </figure>
    }
}
