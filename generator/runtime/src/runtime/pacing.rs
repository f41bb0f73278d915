//! Client-side pacing: requests wait for budget instead of collecting 429s.
//!
//! An API's documented limits (for PostHog: 480 requests a minute and 4,800 an hour per
//! personal API key, lower for its analytics endpoints) are written once in the generator's
//! settings and generated into the client's `ApiInfo` as rate classes; each operation names its class.
//! [`RateLimits::documented`] reads them; [`ClientBuilder::rate_limits`] turns pacing on, for
//! the client and every clone of it, which then share one budget.
//!
//! The limiter is `governor`'s GCRA, on Tokio's clock (so that tests can pause time). A
//! server counting requests in a sliding window (as Django REST framework's throttles do)
//! sees no more than the quota in any window: each quota becomes a burst of a tenth of it
//! plus a steady rate of the rest.
//!
//! [`ClientBuilder::rate_limits`]: super::ClientBuilder::rate_limits

use governor::clock::Clock;
use governor::middleware::NoOpMiddleware;
use governor::state::{InMemoryState, NotKeyed};
use std::collections::BTreeMap;
use std::fmt;
use std::num::NonZeroU32;
use std::time::Duration;

/// The class an operation belongs to when the API description names none.
pub const DEFAULT_CLASS: &str = "default";

/// At most `requests` requests in any window of `per`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Quota {
    /// Requests allowed in one window.
    pub requests: u32,
    /// The window.
    pub per: Duration,
}

impl Quota {
    /// `requests` a second.
    pub const fn per_second(requests: u32) -> Self {
        Quota {
            requests,
            per: Duration::from_secs(1),
        }
    }

    /// `requests` a minute.
    pub const fn per_minute(requests: u32) -> Self {
        Quota {
            requests,
            per: Duration::from_secs(60),
        }
    }

    /// `requests` an hour.
    pub const fn per_hour(requests: u32) -> Self {
        Quota {
            requests,
            per: Duration::from_secs(3600),
        }
    }

    /// The GCRA parameters that keep any window of `per` at or under `requests`: a burst of
    /// a tenth (at least one), and the rest spread evenly over the window.
    fn to_governor(self) -> Option<governor::Quota> {
        if self.requests == 0 || self.per.is_zero() {
            return None;
        }
        let burst = (self.requests / 10).max(1);
        let steady = (self.requests - burst).max(1);
        let period = self.per / steady;
        Some(governor::Quota::with_period(period)?.allow_burst(NonZeroU32::new(burst)?))
    }
}

/// Budgets per rate class: each class has its own quotas, and a request waits until every
/// quota of its class has room. Classes without quotas are not paced.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RateLimits {
    classes: BTreeMap<String, Vec<Quota>>,
}

impl RateLimits {
    /// No budgets: nothing is paced.
    pub fn none() -> Self {
        RateLimits::default()
    }

    /// Sets the quotas of one class (replacing what it had); an empty list stops pacing it.
    pub fn class(
        mut self,
        class: impl Into<String>,
        quotas: impl IntoIterator<Item = Quota>,
    ) -> Self {
        let quotas: Vec<Quota> = quotas.into_iter().collect();
        let class = class.into();
        if quotas.is_empty() {
            self.classes.remove(&class);
        } else {
            self.classes.insert(class, quotas);
        }
        self
    }

    /// The quotas of a class.
    pub fn quotas(&self, class: &str) -> &[Quota] {
        self.classes.get(class).map_or(&[], Vec::as_slice)
    }

    /// The classes with quotas.
    pub fn classes(&self) -> impl Iterator<Item = &str> {
        self.classes.keys().map(String::as_str)
    }

    pub(crate) fn check(&self) -> Result<(), String> {
        for (class, quotas) in &self.classes {
            for quota in quotas {
                if quota.to_governor().is_none() {
                    return Err(format!(
                        "class `{class}`: {} requests per {:?} is not a budget",
                        quota.requests, quota.per
                    ));
                }
            }
        }
        Ok(())
    }
}

/// Tokio's clock, as governor sees it: time since the pacer was made. Paused or advanced
/// Tokio time (in tests) moves it too.
#[derive(Debug, Clone)]
struct TokioClock {
    start: tokio::time::Instant,
}

impl Clock for TokioClock {
    type Instant = Duration;

    fn now(&self) -> Duration {
        tokio::time::Instant::now().duration_since(self.start)
    }
}

type Limiter = governor::RateLimiter<NotKeyed, InMemoryState, TokioClock, NoOpMiddleware<Duration>>;

/// The shared limiters of one client and its clones.
pub(crate) struct Pacer {
    clock: TokioClock,
    /// Per class, its limiters, the longest window first.
    classes: BTreeMap<String, Vec<Limiter>>,
}

impl fmt::Debug for Pacer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pacer")
            .field("classes", &self.classes.keys().collect::<Vec<_>>())
            .finish()
    }
}

impl Pacer {
    pub(crate) fn new(limits: &RateLimits) -> Self {
        let clock = TokioClock {
            start: tokio::time::Instant::now(),
        };
        let classes = limits
            .classes
            .iter()
            .map(|(class, quotas)| {
                let mut quotas = quotas.clone();
                quotas.sort_by_key(|q| std::cmp::Reverse(q.per));
                let limiters = quotas
                    .iter()
                    .filter_map(|q| q.to_governor())
                    .map(|q| governor::RateLimiter::direct_with_clock(q, clock.clone()))
                    .collect();
                (class.clone(), limiters)
            })
            .collect();
        Pacer { clock, classes }
    }

    /// Waits until the class has budget for one request, and takes it. The longest window
    /// is asked first and the shortest last, so that the budget taken last (and most
    /// tightly) is the one closest to when the request is sent.
    pub(crate) async fn until_ready(&self, class: &str) {
        let Some(limiters) = self.classes.get(class) else {
            return;
        };
        for limiter in limiters {
            while let Err(not_until) = limiter.check() {
                let wait = not_until.wait_time_from(self.clock.now());
                tracing::debug!(class, ?wait, "waiting for rate budget");
                tokio::time::sleep(wait.max(Duration::from_millis(1))).await;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    /// The counts of requests in the busiest window of `per`.
    fn busiest_window(times: &[Duration], per: Duration) -> usize {
        let mut best = 0;
        let mut start = 0;
        for end in 0..times.len() {
            while times[end] - times[start] >= per {
                start += 1;
            }
            best = best.max(end - start + 1);
        }
        best
    }

    /// 1,000 calls from 32 tasks against 120 a minute and 600 an hour: no window of a
    /// minute holds more than 120, and the calls keep going at the quota's pace.
    #[tokio::test(start_paused = true)]
    async fn thirty_two_tasks_stay_within_the_budget() {
        let limits =
            RateLimits::none().class("default", [Quota::per_minute(120), Quota::per_hour(6000)]);
        let pacer = Arc::new(Pacer::new(&limits));
        let started = tokio::time::Instant::now();
        let times = Arc::new(std::sync::Mutex::new(Vec::new()));
        let tasks: Vec<_> = (0..32)
            .map(|task| {
                let pacer = Arc::clone(&pacer);
                let times = Arc::clone(&times);
                tokio::spawn(async move {
                    for _ in 0..(1000 / 32 + usize::from(task < 1000 % 32)) {
                        pacer.until_ready("default").await;
                        times.lock().unwrap().push(started.elapsed());
                    }
                })
            })
            .collect();
        for task in tasks {
            task.await.unwrap();
        }
        let mut times = times.lock().unwrap().clone();
        times.sort();
        assert_eq!(times.len(), 1000);
        let busiest = busiest_window(&times, Duration::from_secs(60));
        assert!(busiest <= 120, "{busiest} calls in one minute");
        // Not slower than the pacing promises: a burst of 12, then 108 a minute (the
        // other nine tenths of the quota), so the last call goes out after 988 / 108 minutes.
        let total = times.last().unwrap().as_secs_f64();
        let expected = 988.0 / 108.0 * 60.0;
        assert!(
            (total - expected).abs() < 2.0,
            "{total} s, expected {expected} s"
        );
    }

    /// An hourly quota binds when it is the tighter one.
    #[tokio::test(start_paused = true)]
    async fn the_tighter_quota_binds() {
        let limits =
            RateLimits::none().class("queries", [Quota::per_minute(100), Quota::per_hour(120)]);
        let pacer = Pacer::new(&limits);
        let started = tokio::time::Instant::now();
        let mut times = Vec::new();
        for _ in 0..240 {
            pacer.until_ready("queries").await;
            times.push(started.elapsed());
        }
        assert!(busiest_window(&times, Duration::from_secs(3600)) <= 120);
        assert!(busiest_window(&times, Duration::from_secs(60)) <= 100);
        // Another class is not paced.
        let before = tokio::time::Instant::now();
        pacer.until_ready("default").await;
        assert_eq!(before.elapsed(), Duration::ZERO);
    }

    #[test]
    fn documented_limits_and_overrides() {
        let limits = RateLimits::documented::<super::super::ClientCore>()
            .class("default", [Quota::per_second(5)]);
        assert_eq!(limits.quotas("default"), &[Quota::per_second(5)]);
        assert!(limits
            .clone()
            .class("default", [])
            .quotas("default")
            .is_empty());
        assert!(RateLimits::none()
            .class("x", [Quota::per_minute(0)])
            .check()
            .is_err());
    }
}
