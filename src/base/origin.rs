//! Web origins: which ones the app will talk to.

/// Whether `origin` (from a `message` event) may talk to the embedded view: a plain http(s) origin, and one of
/// `allowed` when the site lists any.
pub fn origin_allowed(origin: &str, allowed: &[String]) -> bool {
    let well_formed = (origin.starts_with("https://") || origin.starts_with("http://"))
        && !origin
            .trim_start_matches("https://")
            .trim_start_matches("http://")
            .contains('/')
        && origin.len() <= 200;
    well_formed && (allowed.is_empty() || allowed.iter().any(|a| a == origin))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_listed_well_formed_origins_are_heard() {
        assert!(origin_allowed("https://docs.example", &[]));
        assert!(!origin_allowed("null", &[]));
        assert!(!origin_allowed("https://docs.example/path", &[]));
        let list = vec!["https://docs.example".to_string()];
        assert!(origin_allowed("https://docs.example", &list));
        assert!(!origin_allowed("https://evil.example", &list));
    }
}
