//! The app's module keeps its relocations: scripts/wasm-split.mjs needs them to split off the
//! parts loaded on demand (docs/architecture.md, «Tải theo nhu cầu»).
fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    if std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("wasm32") {
        println!("cargo:rustc-link-arg-bin=xa-phu-hop-tre-em=--emit-relocs");
    }
}
