//! The messages shown above every screen, and how long each stays.
//!
//! A warning or an error stays until the user closes it: it is about data. A plain report
//! («Đã xuất … vào tệp …») is about what was just done: it follows the user to the next
//! screen (an action often ends by opening another screen, which must still say what
//! happened), and goes at the move after that — otherwise, on a phone, a few exports left
//! a stack of old reports above every screen.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Info,
    Warning,
    Error,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub id: u32,
    pub text: String,
    pub tone: Tone,
    /// The screen it was written on, counted by moves since the app opened.
    screen: u32,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Notices {
    shown: Vec<Notice>,
    next_id: u32,
    screen: u32,
}

impl Notices {
    pub fn shown(&self) -> &[Notice] {
        &self.shown
    }

    pub fn push(&mut self, text: String, tone: Tone) {
        if let Some(last) = self.shown.last_mut() {
            // The same message twice in a row says nothing new; it is as recent as the second.
            if last.text == text && last.tone == tone {
                last.screen = self.screen;
                return;
            }
        }
        self.next_id += 1;
        self.shown.push(Notice {
            id: self.next_id,
            text,
            tone,
            screen: self.screen,
        });
    }

    pub fn dismiss(&mut self, id: u32) {
        self.shown.retain(|n| n.id != id);
    }

    /// The user moved to another screen: reports written before the one they leave go.
    pub fn moved_on(&mut self) {
        let left = self.screen;
        self.screen += 1;
        self.shown
            .retain(|n| n.tone != Tone::Info || n.screen == left);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(n: &Notices) -> Vec<&str> {
        n.shown().iter().map(|x| x.text.as_str()).collect()
    }

    #[test]
    fn a_report_follows_to_the_next_screen_and_goes_at_the_move_after() {
        let mut n = Notices::default();
        n.push("Đã xuất tệp".into(), Tone::Info);
        n.moved_on();
        assert_eq!(texts(&n), ["Đã xuất tệp"]);
        n.moved_on();
        assert!(n.shown().is_empty());
    }

    #[test]
    fn warnings_and_errors_stay_until_closed() {
        let mut n = Notices::default();
        n.push("Không lưu được".into(), Tone::Error);
        n.push("Bản này dùng bộ cũ".into(), Tone::Warning);
        n.push("Đã nhập".into(), Tone::Info);
        for _ in 0..5 {
            n.moved_on();
        }
        assert_eq!(texts(&n), ["Không lưu được", "Bản này dùng bộ cũ"]);
        let id = n.shown()[0].id;
        n.dismiss(id);
        assert_eq!(texts(&n), ["Bản này dùng bộ cũ"]);
    }

    #[test]
    fn a_report_repeated_on_a_later_screen_counts_from_there() {
        let mut n = Notices::default();
        n.push("Đã xuất tệp".into(), Tone::Info);
        n.moved_on();
        n.push("Đã xuất tệp".into(), Tone::Info);
        assert_eq!(n.shown().len(), 1);
        n.moved_on();
        assert_eq!(texts(&n), ["Đã xuất tệp"]);
        n.moved_on();
        assert!(n.shown().is_empty());
    }

    #[test]
    fn ids_are_never_reused_so_a_close_button_closes_its_own_notice() {
        let mut n = Notices::default();
        n.push("một".into(), Tone::Info);
        n.push("hai".into(), Tone::Error);
        let first = n.shown()[0].id;
        n.moved_on();
        n.moved_on();
        n.push("ba".into(), Tone::Info);
        assert_ne!(n.shown()[1].id, first);
        n.dismiss(first);
        assert_eq!(texts(&n), ["hai", "ba"]);
    }
}
