//! PLACEHOLDER: leverage-skew live example (being written).

use crate::lesson::{Lesson, Unavailable};

pub static LESSON: Lesson = Lesson {
    slug: "leverage-skew",
    controls: &[],
    needs: &[],
    primary: None,
    build: |_, _| Err(Unavailable::new("not built yet")),
};
