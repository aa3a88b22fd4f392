//! PLACEHOLDER: systemic-leverage-risk live example (being written).

use crate::lesson::{Lesson, Unavailable};

pub static LESSON: Lesson = Lesson {
    slug: "systemic-leverage-risk",
    controls: &[],
    needs: &[],
    primary: None,
    build: |_, _| Err(Unavailable::new("not built yet")),
};
