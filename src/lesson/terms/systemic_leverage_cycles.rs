//! PLACEHOLDER: systemic-leverage-cycles live example (being written).

use crate::lesson::{Lesson, Unavailable};

pub static LESSON: Lesson = Lesson {
    slug: "systemic-leverage-cycles",
    controls: &[],
    needs: &[],
    primary: None,
    build: |_, _| Err(Unavailable::new("not built yet")),
};
