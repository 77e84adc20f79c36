#[cfg(target_arch = "wasm32")]
fn main() {
    xa_phu_hop_tre_em::ui::mount();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("Ứng dụng chạy trong trình duyệt: dùng `make run` rồi mở http://127.0.0.1:8080/");
}
