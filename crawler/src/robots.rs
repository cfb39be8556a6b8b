//! robots.txt decisions, following RFC 9309.
//!
//! | robots.txt answer        | decision                                  |
//! |--------------------------|-------------------------------------------|
//! | 2xx                      | parse it; rules and Crawl-delay apply     |
//! | 4xx (404, 403, 410, ...) | no rules: everything is allowed           |
//! | 5xx or unreachable       | the host is fully disallowed for now      |
//! | unparsable 2xx body      | treated as empty: everything allowed      |

use std::time::Duration;

use texting_robots::Robot;

/// What we may do on one host.
pub enum RobotsPolicy {
    /// Parsed rules from a 2xx robots.txt.
    Rules(Box<Robot>),
    /// No usable rules (4xx, or an empty or unparsable file): all allowed.
    AllowAll,
    /// robots.txt failed with 5xx or could not be fetched: nothing allowed.
    DisallowAll { reason: String },
}

impl RobotsPolicy {
    /// The policy for a fetched robots.txt (`status` after redirects).
    pub fn from_response(status: u16, body: &[u8], user_agent: &str) -> RobotsPolicy {
        match status {
            200..=299 => match Robot::new(agent_token(user_agent), body) {
                Ok(robot) => RobotsPolicy::Rules(Box::new(robot)),
                Err(_) => RobotsPolicy::AllowAll,
            },
            400..=499 => RobotsPolicy::AllowAll,
            _ => RobotsPolicy::DisallowAll {
                reason: format!("robots.txt answered {status}"),
            },
        }
    }

    /// The policy when robots.txt could not be fetched at all.
    pub fn unreachable(reason: impl Into<String>) -> RobotsPolicy {
        RobotsPolicy::DisallowAll {
            reason: reason.into(),
        }
    }

    pub fn allowed(&self, url: &str) -> bool {
        match self {
            RobotsPolicy::Rules(robot) => robot.allowed(url),
            RobotsPolicy::AllowAll => true,
            RobotsPolicy::DisallowAll { .. } => false,
        }
    }

    /// The host's Crawl-delay, if it sets one.
    pub fn crawl_delay(&self) -> Option<Duration> {
        match self {
            RobotsPolicy::Rules(robot) => robot
                .delay
                .filter(|d| d.is_finite() && *d > 0.0)
                // A broken file must not stall the crawl for days.
                .map(|d| Duration::from_secs_f32(d.min(60.0))),
            _ => None,
        }
    }

    pub fn sitemaps(&self) -> &[String] {
        match self {
            RobotsPolicy::Rules(robot) => &robot.sitemaps,
            _ => &[],
        }
    }
}

/// The product token robots.txt groups are matched against (`migrasearch`).
fn agent_token(user_agent: &str) -> &str {
    user_agent.split(['/', ' ']).next().unwrap_or(user_agent)
}

#[cfg(test)]
mod tests {
    use super::*;

    const UA: &str = "migrasearch/0.1 (+https://example.org)";

    #[test]
    fn disallow_and_crawl_delay_apply() {
        let body = b"User-agent: *\nDisallow: /search\nDisallow: /user/\nCrawl-delay: 2\n";
        let policy = RobotsPolicy::from_response(200, body, UA);
        assert!(policy.allowed("https://emnbelgium.be/news/x"));
        assert!(!policy.allowed("https://emnbelgium.be/search?keys=asylum"));
        assert!(!policy.allowed("https://emnbelgium.be/user/login"));
        assert_eq!(policy.crawl_delay(), Some(Duration::from_secs(2)));
    }

    #[test]
    fn group_for_our_agent_wins() {
        let body = b"User-agent: *\nDisallow: /\n\nUser-agent: migrasearch\nAllow: /\n";
        let policy = RobotsPolicy::from_response(200, body, UA);
        assert!(policy.allowed("https://example.org/page"));
    }

    #[test]
    fn client_error_allows_everything() {
        for status in [404, 403, 410] {
            assert!(RobotsPolicy::from_response(status, b"", UA).allowed("https://x.org/a"));
        }
    }

    #[test]
    fn server_error_or_unreachable_disallows_everything() {
        assert!(!RobotsPolicy::from_response(500, b"", UA).allowed("https://x.org/a"));
        assert!(!RobotsPolicy::from_response(503, b"", UA).allowed("https://x.org/"));
        assert!(!RobotsPolicy::unreachable("timeout").allowed("https://x.org/"));
    }

    #[test]
    fn absurd_crawl_delay_is_capped() {
        let policy = RobotsPolicy::from_response(200, b"User-agent: *\nCrawl-delay: 86400\n", UA);
        assert_eq!(policy.crawl_delay(), Some(Duration::from_secs(60)));
    }
}
