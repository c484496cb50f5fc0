//! Prometheus metrics: counters and latency histograms kept in memory and rendered in the
//! text exposition format at `/metrics`. Labels hold names (surface, provider, model,
//! status), never keys.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;

/// Histogram bucket bounds, in seconds.
const BUCKETS: [f64; 16] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
    120.0,
];

/// (name, help, type) of every metric.
const METRICS: &[(&str, &str, &str)] = &[
    (
        "aigw_requests_total",
        "Requests answered, by surface, provider, model and status.",
        "counter",
    ),
    (
        "aigw_request_duration_seconds",
        "Time from the request to the response head, by surface and provider.",
        "histogram",
    ),
    (
        "aigw_upstream_errors_total",
        "Failed upstream attempts and broken streams, by provider and reason.",
        "counter",
    ),
    (
        "aigw_retries_total",
        "Retries of an upstream, by provider.",
        "counter",
    ),
    (
        "aigw_fallbacks_total",
        "Moves to a route's next target, by the provider given up on.",
        "counter",
    ),
    (
        "aigw_translations_total",
        "Requests translated to another protocol, by surface, provider and path (fast: read and written as bytes; general: through the typed wire types).",
        "counter",
    ),
    (
        "aigw_tokens_total",
        "Tokens read from usage (responses and streams), by provider, model and kind.",
        "counter",
    ),
];

#[derive(Default)]
struct Histogram {
    buckets: [u64; BUCKETS.len()],
    sum: f64,
    count: u64,
}

#[derive(Default)]
struct Inner {
    counters: BTreeMap<(&'static str, String), u64>,
    histograms: BTreeMap<(&'static str, String), Histogram>,
}

/// The registry.
#[derive(Default)]
pub struct Metrics {
    inner: Mutex<Inner>,
}

fn labels(pairs: &[(&str, &str)]) -> String {
    let mut out = String::new();
    for (i, (k, v)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(k);
        out.push_str("=\"");
        for c in v.chars() {
            match c {
                '\\' => out.push_str("\\\\"),
                '"' => out.push_str("\\\""),
                '\n' => out.push_str("\\n"),
                c => out.push(c),
            }
        }
        out.push('"');
    }
    out
}

impl Metrics {
    /// Adds `by` to a counter.
    pub fn add(&self, name: &'static str, pairs: &[(&str, &str)], by: u64) {
        if by == 0 {
            return;
        }
        let key = (name, labels(pairs));
        if let Ok(mut inner) = self.inner.lock() {
            *inner.counters.entry(key).or_default() += by;
        }
    }

    /// Records one observation (seconds) in a histogram.
    pub fn observe(&self, name: &'static str, pairs: &[(&str, &str)], seconds: f64) {
        let key = (name, labels(pairs));
        if let Ok(mut inner) = self.inner.lock() {
            let h = inner.histograms.entry(key).or_default();
            for (i, bound) in BUCKETS.iter().enumerate() {
                if seconds <= *bound {
                    h.buckets[i] += 1;
                }
            }
            h.sum += seconds;
            h.count += 1;
        }
    }

    /// The value of a counter (tests and diagnostics).
    pub fn counter(&self, name: &str, pairs: &[(&str, &str)]) -> u64 {
        let key = labels(pairs);
        self.inner
            .lock()
            .ok()
            .and_then(|inner| {
                inner
                    .counters
                    .iter()
                    .find(|((n, l), _)| *n == name && *l == key)
                    .map(|(_, v)| *v)
            })
            .unwrap_or(0)
    }

    /// The text exposition format.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let Ok(inner) = self.inner.lock() else {
            return out;
        };
        for (name, help, kind) in METRICS {
            let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}");
            for ((n, l), v) in inner.counters.iter().filter(|((n, _), _)| n == name) {
                let _ = writeln!(out, "{n}{{{l}}} {v}");
            }
            for ((n, l), h) in inner.histograms.iter().filter(|((n, _), _)| n == name) {
                let sep = if l.is_empty() { "" } else { "," };
                for (i, bound) in BUCKETS.iter().enumerate() {
                    let _ = writeln!(out, "{n}_bucket{{{l}{sep}le=\"{bound}\"}} {}", h.buckets[i]);
                }
                let _ = writeln!(out, "{n}_bucket{{{l}{sep}le=\"+Inf\"}} {}", h.count);
                let _ = writeln!(out, "{n}_sum{{{l}}} {}", h.sum);
                let _ = writeln!(out, "{n}_count{{{l}}} {}", h.count);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_counters_and_histograms() {
        let m = Metrics::default();
        m.add(
            "aigw_requests_total",
            &[("provider", "a\"b"), ("status", "200")],
            2,
        );
        m.observe("aigw_request_duration_seconds", &[("provider", "x")], 0.003);
        let text = m.render();
        assert!(
            text.contains("aigw_requests_total{provider=\"a\\\"b\",status=\"200\"} 2"),
            "{text}"
        );
        assert!(
            text.contains("aigw_request_duration_seconds_bucket{provider=\"x\",le=\"0.0025\"} 0")
        );
        assert!(
            text.contains("aigw_request_duration_seconds_bucket{provider=\"x\",le=\"0.005\"} 1")
        );
        assert!(text.contains("aigw_request_duration_seconds_count{provider=\"x\"} 1"));
        assert_eq!(
            m.counter(
                "aigw_requests_total",
                &[("provider", "a\"b"), ("status", "200")]
            ),
            2
        );
    }
}
