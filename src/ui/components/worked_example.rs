//! A term's worked example as a calculator in place: the article's input numbers become fields (type, drag to
//! scrub, arrow keys), every output number follows, and the edited inputs go into the link. The article keeps
//! its published text until someone edits; all computing is in [`crate::lesson::worked`].

use std::collections::BTreeMap;

use leptos::ev;
use leptos::portal::Portal;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::lesson::worked::{Input, LINK_PREFIX, Model, Outputs, Problem, Values};
use crate::state::query::param;
use crate::ui::components::panel_chart::PanelChart;

/// How long after the last edit the link is rewritten (browsers limit how often a page may call
/// replaceState, and a scrub edits many times a second).
const LINK_DELAY_MS: u64 = 250;
/// Pixels of horizontal drag per step when scrubbing.
const PX_PER_STEP: f64 = 6.0;
/// A press that moves less than this is a click (it places the caret), not a scrub.
const SCRUB_SLOP_PX: f64 = 3.0;
/// The section the build marks as explorable.
const SECTION: &str = "section.explorable";

/// The calculator's state, shared by its bar (fields, Reset, messages) and its ladder chart.
#[derive(Clone, Copy)]
pub struct WorkedState {
    model: &'static Model,
    values: RwSignal<Values>,
    /// What a person typed that is not (yet) a good value, by input key; the field shows it as typed.
    typed: RwSignal<BTreeMap<&'static str, String>>,
    /// Messages about what was typed, by input key.
    problems: RwSignal<BTreeMap<&'static str, String>>,
    /// Every output's text for the current values, or why they do not work together.
    rendered: Memo<Result<Outputs, Problem>>,
    /// Values from the link that could not be used.
    link_notices: RwSignal<Vec<String>>,
}

impl WorkedState {
    /// Seeds the values from the link (`x.<key>=…`).
    pub fn new(model: &'static Model) -> Self {
        let search = window().location().search().unwrap_or_default();
        let (values, notices) = Values::from_link(model, |k| param(&search, k));
        let values = RwSignal::new(values);
        Self {
            model,
            values,
            typed: RwSignal::new(BTreeMap::new()),
            problems: RwSignal::new(BTreeMap::new()),
            rendered: Memo::new(move |_| values.with(|v| model.render(v))),
            link_notices: RwSignal::new(notices),
        }
    }

    /// The example's current values (the contagion example's network reads its cut).
    pub fn values(&self) -> RwSignal<Values> {
        self.values
    }

    /// Applies a good value and recomputes; a compute problem is shown next to the field it names.
    fn set(&self, input: &'static Input, value: f64) {
        let mut next = self.values.get_untracked();
        if let Err(message) = next.set(input.key, value) {
            self.problems.update(|p| {
                p.insert(input.key, message);
            });
            return;
        }
        self.problems.update(|p| {
            p.remove(input.key);
        });
        self.link_notices.set(Vec::new());
        self.values.set(next);
    }

    fn reset(&self) {
        self.typed.set(BTreeMap::new());
        self.problems.set(BTreeMap::new());
        self.link_notices.set(Vec::new());
        self.values.set(Values::defaults(self.model));
    }

    /// Whether the numbers on screen are the last good ones rather than the inputs' (a bad field, or inputs
    /// that do not work together).
    fn stale(&self) -> bool {
        self.problems.with(|p| !p.is_empty()) || self.rendered.with(Result::is_err)
    }

    /// The message for one field: what was typed there, or a problem of the inputs together that names it.
    fn message(&self, key: &str) -> Option<String> {
        let typed = self.problems.with(|p| p.get(key).cloned());
        if typed.as_deref() == Some("") {
            // Half-typed: nothing to say yet.
            return None;
        }
        typed.or_else(|| {
            self.rendered.with(|r| match r {
                Err(problem) if problem.input == Some(key) => Some(problem.message.clone()),
                _ => None,
            })
        })
    }

    /// A problem of the inputs together that names no single field.
    fn general_problem(&self) -> Option<String> {
        self.rendered.with(|r| match r {
            Err(problem) if problem.input.is_none() => Some(problem.message.clone()),
            _ => None,
        })
    }
}

/// Writes the edited inputs into the address; inputs back at their published value leave it.
fn write_link(model: &'static Model, values: &Values) {
    let pairs = values.to_pairs();
    let keys: Vec<String> = model
        .inputs
        .iter()
        .map(|input| format!("{LINK_PREFIX}{}", input.key))
        .collect();
    crate::ui::router::replace_params(keys.iter().map(|key| {
        let value = pairs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str());
        (key.as_str(), value)
    }));
}

/// The marked numbers of the article on screen: `(key, element)` for `.x-in` or `.x-out`.
fn marks(class: &str) -> Vec<(String, web_sys::Element)> {
    let Some(list) = document()
        .query_selector_all(&format!("{SECTION} .{class}[data-x]"))
        .ok()
    else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<web_sys::Element>().ok())
        .filter_map(|el| Some((el.get_attribute("data-x")?, el)))
        .collect()
}

fn show_outputs(outputs: &Outputs, out_marks: &[(String, web_sys::Element)]) {
    for (key, element) in out_marks {
        if let Some((_, text)) = outputs.iter().find(|(k, _)| k == key)
            && element.text_content().as_deref() != Some(text.as_str())
        {
            element.set_text_content(Some(text));
        }
    }
}

/// The bar above the example (hint, Reset, messages) and the fields it puts in place of the input numbers.
#[component]
pub fn WorkedExample(state: WorkedState) -> impl IntoView {
    let model = state.model;
    // The input numbers become fields: their text is cleared and a field is mounted in their place, in the
    // same task, so no frame shows neither.
    let fields = RwSignal::new_local(Vec::<(&'static Input, web_sys::Element)>::new());
    Effect::new(move |_| {
        let found = marks("x-in")
            .into_iter()
            .filter_map(|(key, el)| {
                let input = model.inputs.iter().copied().find(|i| i.key == key)?;
                el.set_text_content(None);
                Some((input, el))
            })
            .collect();
        fields.set(found);
    });

    // The derived numbers follow every good result; when the inputs do not work together the last good
    // numbers stay, and the section says they are stale.
    let out_marks = StoredValue::new_local(None::<Vec<(String, web_sys::Element)>>);
    Effect::new(move |_| {
        state.rendered.with(|r| {
            if let Ok(outputs) = r {
                if out_marks.with_value(Option::is_none) {
                    out_marks.set_value(Some(marks("x-out")));
                }
                out_marks.with_value(|marks| {
                    show_outputs(outputs, marks.as_deref().unwrap_or_default())
                });
            }
        });
        if let Some(section) = document().query_selector(SECTION).ok().flatten() {
            let _ = if state.stale() {
                section.set_attribute("data-stale", "")
            } else {
                section.remove_attribute("data-stale")
            };
        }
    });

    // The link follows the edits a moment later; an edit still waiting when the page goes is written then.
    let link_ticket = StoredValue::new(0u64);
    let pending = StoredValue::new(false);
    Effect::new(move |first: Option<()>| {
        state.values.track();
        if first.is_none() {
            return;
        }
        link_ticket.update_value(|n| *n += 1);
        pending.set_value(true);
        let ticket = link_ticket.get_value();
        set_timeout(
            move || {
                if link_ticket.try_get_value() == Some(ticket)
                    && let Some(values) = state.values.try_get_untracked()
                {
                    pending.set_value(false);
                    write_link(model, &values);
                }
            },
            std::time::Duration::from_millis(LINK_DELAY_MS),
        );
    });
    on_cleanup(move || {
        if pending.try_get_value() == Some(true)
            && let Some(values) = state.values.try_get_untracked()
        {
            write_link(model, &values);
        }
    });

    // Reset also clears a link's refused numbers (and their notice) from the address.
    let published = move || {
        state.values.with(Values::is_published)
            && !state.stale()
            && state.link_notices.with(Vec::is_empty)
    };
    let reset = move |_| {
        state.reset();
        write_link(model, &Values::defaults(model));
        pending.set_value(false);
    };
    view! {
        <div class="worked-bar">
            <p class="worked-hint">
                "Edit the underlined numbers: type, drag sideways, or use ↑ ↓ (Shift for ×10). Everything after them follows."
            </p>
            <button type="button" class="button secondary worked-reset" on:click=reset
                disabled=published>"Reset"</button>
            <p class="worked-status" role="status">
                {move || state.general_problem().or_else(|| state.stale().then(|| {
                    "Showing the last good result: fix the marked number.".to_string()
                }))}
            </p>
            {move || state.link_notices.with(|n| (!n.is_empty()).then(|| view! {
                <div class="message warning validation" role="alert">
                    <p>"Some numbers in the link could not be used:"</p>
                    <ul>{n.iter().map(|m| view! { <li>{m.clone()}</li> }).collect_view()}</ul>
                </div>
            }))}
        </div>
        {move || fields.get().into_iter().map(|(input, element)| view! {
            <Portal mount=element><Field input state /></Portal>
        }).collect_view()}
    }
}

/// One editable number.
#[component]
fn Field(input: &'static Input, state: WorkedState) -> impl IntoView {
    let key = input.key;
    let value = move || state.values.with(|v| v.of(input));
    let text = move || {
        state
            .typed
            .with(|t| t.get(key).cloned())
            .unwrap_or_else(|| input.format(value()))
    };
    let problem = move || state.message(key);
    let id = format!("x-{key}");
    let message_id = format!("x-{key}-message");

    let apply_typed = move |raw: String| {
        let parsed = input.parse(&raw);
        state.typed.update(|t| {
            t.insert(key, raw.clone());
        });
        match parsed {
            Ok(v) => state.set(input, v),
            // Half-typed (`-`, nothing yet): wait for more before saying anything.
            Err(_) if Input::is_incomplete(&raw) => state.problems.update(|p| {
                p.insert(key, String::new());
            }),
            Err(message) => state.problems.update(|p| {
                p.insert(key, message);
            }),
        }
    };
    let on_key = move |e: ev::KeyboardEvent| {
        let big = if e.shift_key() { 10.0 } else { 1.0 };
        let target = match e.key().as_str() {
            "ArrowUp" => Some(input.nudge(value(), big)),
            "ArrowDown" => Some(input.nudge(value(), -big)),
            "PageUp" => Some(input.nudge(value(), 10.0)),
            "PageDown" => Some(input.nudge(value(), -10.0)),
            // Home and End of a spin button go to its bounds; with a modifier they stay caret keys.
            "Home" if e.ctrl_key() || e.meta_key() => Some(input.min),
            "End" if e.ctrl_key() || e.meta_key() => Some(input.max),
            _ => None,
        };
        let Some(next) = target else { return };
        e.prevent_default();
        state.typed.update(|t| {
            t.remove(key);
        });
        state.set(input, next);
    };
    // Scrubbing: a press on a field that is not being edited drags its value sideways; a press that does not
    // move opens it for typing. Once it has focus, the pointer edits text as in any field.
    // (pointer id, start x, start value, scrubbing yet)
    let press = StoredValue::new(None::<(i32, f64, f64, bool)>);
    let field_of = |e: &ev::PointerEvent| {
        e.target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
    };
    let on_down = move |e: ev::PointerEvent| {
        let focused = field_of(&e).is_some_and(|field| {
            document().active_element().is_some_and(|active| {
                let active: &wasm_bindgen::JsValue = active.as_ref();
                let field: &wasm_bindgen::JsValue = field.as_ref();
                active == field
            })
        });
        if e.button() == 0 && e.is_primary() && !focused {
            // No focus and no text selection yet: the press may become a scrub, so the field follows the
            // pointer even when a fast drag leaves it.
            e.prevent_default();
            if let Some(field) = field_of(&e) {
                let _ = field.set_pointer_capture(e.pointer_id());
            }
            press.set_value(Some((
                e.pointer_id(),
                f64::from(e.client_x()),
                value(),
                false,
            )));
        }
    };
    let on_move = move |e: ev::PointerEvent| {
        let Some((id, x0, v0, scrubbing)) = press.get_value() else {
            return;
        };
        if e.pointer_id() != id {
            return;
        }
        if e.buttons() & 1 == 0 {
            // The release was missed (the window lost focus mid-press): hovering must not scrub.
            press.set_value(None);
            return;
        }
        let dx = f64::from(e.client_x()) - x0;
        if !scrubbing && dx.abs() < SCRUB_SLOP_PX {
            return;
        }
        press.set_value(Some((id, x0, v0, true)));
        e.prevent_default();
        let next = input.nudge(v0, (dx / PX_PER_STEP).round());
        if next != value() {
            state.typed.update(|t| {
                t.remove(key);
            });
            state.set(input, next);
        }
    };
    let on_up = move |e: ev::PointerEvent| {
        if let Some((id, _, _, false)) = press.get_value()
            && id == e.pointer_id()
            && let Some(field) = field_of(&e)
        {
            let _ = field.focus();
            field.select();
        }
        press.set_value(None);
    };
    let on_cancel = move |_e: ev::PointerEvent| press.set_value(None);
    // Leaving a good field writes its value the way the article writes numbers.
    let on_blur = move |_| {
        if !state.problems.with(|p| p.contains_key(key)) {
            state.typed.update(|t| {
                t.remove(key);
            });
        }
    };

    view! {
        <input
            id=id
            class="x-field"
            type="text"
            // Phone keypads for "decimal" have no minus key: inputs that may be negative get the full keyboard.
            inputmode=if input.min < 0.0 { "text" } else { "decimal" }
            autocomplete="off"
            spellcheck="false"
            role="spinbutton"
            aria-label=input.label
            aria-valuemin=input.min
            aria-valuemax=input.max
            aria-valuenow=value
            aria-valuetext=text
            aria-invalid=move || problem().is_some().to_string()
            aria-describedby=message_id.clone()
            size=move || text().chars().count().clamp(2, 16)
            prop:value=text
            on:input=move |e| apply_typed(event_target_value(&e))
            on:keydown=on_key
            on:pointerdown=on_down
            on:pointermove=on_move
            on:pointerup=on_up
            on:pointercancel=on_cancel
            on:lostpointercapture=on_cancel
            on:blur=on_blur
        />
        <span class="x-message" id=message_id aria-live="polite">{problem}</span>
    }
}

/// The answer across the main input's range under the example, the current value marked.
#[component]
pub fn WorkedLadder(state: WorkedState) -> impl IntoView {
    let model = state.model;
    let panel = Memo::new(move |_| state.values.with(|v| model.ladder_panel(v)));
    let has_ladder = model.ladder.is_some();
    has_ladder.then(|| {
        view! {
            <div class="worked-ladder">
                <h3>{move || panel.with(|p| p.as_ref().map(|p| p.title.clone()))}</h3>
                <PanelChart panel id="worked-ladder" height_px=200.0 empty="nothing in the range computes with these numbers" />
            </div>
        }
    })
}
