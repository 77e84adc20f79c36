//! Công cụ tự đánh giá xã, phường phù hợp với trẻ em.

pub mod domain;
pub mod routes;

#[cfg(target_arch = "wasm32")]
pub mod adapters;
#[cfg(target_arch = "wasm32")]
pub mod ui;
