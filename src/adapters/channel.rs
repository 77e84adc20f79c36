//! BroadcastChannel: messages (texts) between the tabs of this app in this browser, for live
//! updates and for asking the tab that edits an assessment to let go of it.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{BroadcastChannel, MessageEvent};

const NAME: &str = "xa-tre-em";

/// An open channel; messages arrive until it is dropped.
pub struct Channel {
    channel: BroadcastChannel,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
}

impl Channel {
    /// `None` where the browser has no BroadcastChannel: tabs then learn of each other's
    /// changes only when they read the store again.
    pub fn open(mut on_message: impl FnMut(String) + 'static) -> Option<Channel> {
        let channel = BroadcastChannel::new(NAME).ok()?;
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
            if let Some(text) = ev.data().as_string() {
                on_message(text);
            }
        });
        channel.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        Some(Channel {
            channel,
            _on_message: on_message,
        })
    }

    /// Sends `text` to every other tab (never to this one).
    pub fn post(&self, text: &str) {
        let _ = self.channel.post_message(&text.into());
    }
}

impl Drop for Channel {
    fn drop(&mut self) {
        self.channel.set_onmessage(None);
        self.channel.close();
    }
}
