fn main() {
    leverage_lens::crash::install_panic_hook();
    leptos::mount::mount_to_body(leverage_lens::App);
}
