//! PLACEHOLDER: leverage-ratio-monitoring live example (being written).

use crate::lesson::{Lesson, Unavailable};

pub static LESSON: Lesson = Lesson {
    slug: "leverage-ratio-monitoring",
    controls: &[],
    needs: &[],
    primary: None,
    build: |_, _| Err(Unavailable::new("not built yet")),
};
