//! PLACEHOLDER: leverage-dependency live example (being written).

use crate::lesson::{Lesson, Unavailable};

pub static LESSON: Lesson = Lesson {
    slug: "leverage-dependency",
    controls: &[],
    needs: &[],
    primary: None,
    build: |_, _| Err(Unavailable::new("not built yet")),
};
