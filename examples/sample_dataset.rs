//! Prints the embedded simulated sample as DataSet JSON, for the local mock exchange the end-to-end tests start
//! (so the mock serves exactly the data the app ships with). `cargo run --example sample_dataset > sample.json`
#![allow(clippy::print_stdout)] // printing is this tool's job

fn main() {
    let set = leverage_lens::market::sample::sample_dataset();
    match serde_json::to_string(&set) {
        Ok(json) => println!("{json}"),
        Err(e) => {
            eprintln!("could not serialise the sample: {e}");
            std::process::exit(1);
        }
    }
}
