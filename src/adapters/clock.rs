//! Time from the browser, as milliseconds since the Unix epoch.

/// Now, in milliseconds since the Unix epoch.
pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// `HH:MM:SS` in the user's local time, for "Đã lưu lúc …".
pub fn local_time(ms: f64) -> String {
    let d = js_sys::Date::new(&ms.into());
    format!(
        "{:02}:{:02}:{:02}",
        d.get_hours(),
        d.get_minutes(),
        d.get_seconds()
    )
}

/// `DD/MM/YYYY HH:MM` in the user's local time.
pub fn local_date_time(ms: f64) -> String {
    let d = js_sys::Date::new(&ms.into());
    format!(
        "{:02}/{:02}/{} {:02}:{:02}",
        d.get_date(),
        d.get_month() + 1,
        d.get_full_year(),
        d.get_hours(),
        d.get_minutes()
    )
}

/// `(day, month, year)` of today in local time, for the report's "…, ngày … tháng … năm …".
pub fn today() -> (u32, u32, u32) {
    let d = js_sys::Date::new_0();
    (d.get_date(), d.get_month() + 1, d.get_full_year())
}

/// A short random id for a new assessment, from the clock and `Math.random`.
pub fn new_id() -> String {
    let rand = (js_sys::Math::random() * 1e9) as u64;
    format!("{:x}{:x}", now_ms() as u64, rand)
}
