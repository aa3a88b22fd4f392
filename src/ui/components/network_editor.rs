//! The contagion worked example's own network: a table of 2–6 institutions to edit, add to and remove from,
//! cleared with the example's cut. All the computing is in [`crate::lesson::worked::network`].

use leptos::prelude::*;

use crate::lesson::worked::LINK_PREFIX;
use crate::lesson::worked::contagion::cut;
use crate::lesson::worked::network::{
    AMOUNT, Cell, Cleared, LINK_KEY, MAX_INSTITUTIONS, MIN_INSTITUTIONS, Network,
};
use crate::state::query::param;
use crate::ui::components::worked_example::WorkedState;

fn link_key() -> String {
    format!("{LINK_PREFIX}{LINK_KEY}")
}

fn write_link(network: &Network) {
    let key = link_key();
    let value = (*network != Network::default()).then(|| network.to_link());
    crate::ui::router::replace_params([(key.as_str(), value.as_deref())]);
}

fn cell_label(cell: Cell) -> String {
    match cell {
        Cell::ExternalAssets(i) => format!("Institution {i}'s external assets"),
        Cell::ExternalLiabilities(i) => format!("Institution {i}'s external liabilities"),
        Cell::Owes { from, to } => format!("What institution {from} owes institution {to}"),
    }
}

#[component]
pub fn NetworkEditor(state: WorkedState) -> impl IntoView {
    let search = window().location().search().unwrap_or_default();
    let (initial, notice) = match param(&search, &link_key()) {
        Some(raw) => match Network::from_link(&raw) {
            Ok(network) => (network, None),
            Err(why) => (
                Network::default(),
                Some(format!("{why} Showing the published ring.")),
            ),
        },
        None => (Network::default(), None),
    };
    let network = RwSignal::new(initial);
    let notice = RwSignal::new(notice);
    // The cell whose text is not a usable amount, and why.
    let problem = RwSignal::new(None::<(Cell, String)>);
    let values = state.values();
    let cleared = Memo::new(move |_| {
        let cut = values.with(cut);
        network.with(|n| n.clear(cut))
    });
    let last_good = StoredValue::new(Vec::<Cleared>::new());
    let rows = move || match cleared.get() {
        Ok(rows) => {
            last_good.set_value(rows.clone());
            rows
        }
        Err(_) => last_good.get_value(),
    };
    let stale = move || problem.with(Option::is_some) || cleared.with(Result::is_err);
    let message = move || {
        problem
            .get()
            .map(|(cell, why)| format!("{}: {why}", cell_label(cell)))
            .or_else(|| cleared.with(|r| r.as_ref().err().map(|p| p.message.clone())))
    };
    let size = Memo::new(move |_| network.with(Network::len));

    let edit = move |cell: Cell, raw: String| {
        let parsed = AMOUNT.parse(&raw);
        let mut next = network.get_untracked();
        match parsed.and_then(|v| next.set(cell, v)) {
            Ok(()) => {
                problem.set(None);
                notice.set(None);
                write_link(&next);
                network.set(next);
            }
            Err(why) => problem.set(Some((cell, why))),
        }
    };
    let add = move |_| {
        let mut next = network.get_untracked();
        if next.add() {
            problem.set(None);
            write_link(&next);
            network.set(next);
        }
    };
    let remove = move |i: usize| {
        let mut next = network.get_untracked();
        if next.remove(i) {
            problem.set(None);
            write_link(&next);
            network.set(next);
        }
    };
    let reset = move |_| {
        problem.set(None);
        notice.set(None);
        write_link(&Network::default());
        network.set(Network::default());
    };

    let field = move |cell: Cell| {
        let invalid = move || problem.with(|p| p.as_ref().is_some_and(|(c, _)| *c == cell));
        view! {
            <input
                class="net-field"
                type="text"
                inputmode="decimal"
                autocomplete="off"
                aria-label=cell_label(cell)
                aria-invalid=move || invalid().to_string()
                prop:value=network.with_untracked(|n| AMOUNT.format(n.get(cell)))
                on:input=move |e| edit(cell, event_target_value(&e))
            />
        }
    };
    let table = move || {
        let n = size.get();
        view! {
            <table class="net-table">
                <thead>
                    <tr>
                        <th scope="col">"Institution"</th>
                        <th scope="col">"External assets"</th>
                        <th scope="col">"External liabilities"</th>
                        {(0..n).map(|j| view! { <th scope="col">{format!("Owes {j}")}</th> }).collect_view()}
                        <th scope="col"><span class="visually-hidden">"Remove"</span></th>
                    </tr>
                </thead>
                <tbody>
                    {(0..n).map(|i| view! {
                        <tr>
                            <th scope="row">{i}</th>
                            <td>{field(Cell::ExternalAssets(i))}</td>
                            <td>{field(Cell::ExternalLiabilities(i))}</td>
                            {(0..n).map(|j| if i == j {
                                view! { <td class="net-self" aria-label="nothing">"—"</td> }.into_any()
                            } else {
                                view! { <td>{field(Cell::Owes { from: i, to: j })}</td> }.into_any()
                            }).collect_view()}
                            <td>
                                <button type="button" class="button secondary net-remove"
                                    disabled=move || { size.get() <= MIN_INSTITUTIONS }
                                    on:click=move |_| remove(i)>
                                    {format!("Remove {i}")}
                                </button>
                            </td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        }
    };

    view! {
        <section class="network-editor" aria-labelledby="network-editor-heading">
            <h3 id="network-editor-heading">"Your own network"</h3>
            <p>
                "Change any amount, add an institution (up to " {MAX_INSTITUTIONS} ") or remove one. The table under it
                 clears the network with the cut of " {move || crate::lesson::worked::tidy(values.with(cut) * 100.0, 2)}
                " % set above, by the same fictitious-default rounds."
            </p>
            {move || notice.get().map(|n| view! { <p class="message warning" role="alert">{n}</p> })}
            <div class="net-scroll">{table}</div>
            <p class="button-row">
                <button type="button" class="button secondary" on:click=add
                    disabled=move || { size.get() >= MAX_INSTITUTIONS }>"Add an institution"</button>
                <button type="button" class="button secondary" on:click=reset>"Back to the published ring"</button>
            </p>
            <p class="net-message" aria-live="polite">{message}</p>
            <table class="net-results" class:stale=stale>
                <thead>
                    <tr>
                        <th scope="col">"Institution"</th>
                        <th scope="col">"Pays"</th>
                        <th scope="col">"Equity before"</th>
                        <th scope="col">"Equity after the cut"</th>
                    </tr>
                </thead>
                <tbody>
                    {move || rows().into_iter().enumerate().map(|(i, r)| view! {
                        <tr data-institution=i>
                            <th scope="row">{i}</th>
                            <td class="net-pays">{r.pays}{r.defaults.then_some(" (defaults)")}</td>
                            <td>{r.equity_before}</td>
                            <td class="net-equity">{r.equity_after}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}
