//! Công cụ tự đánh giá xã, phường phù hợp với trẻ em.

pub mod domain;
