//! Small adapters around browser APIs. Each that can fail returns a typed error that the UI
//! turns into a Vietnamese message; nothing here renders.

pub mod channel;
pub mod clock;
pub mod crash;
pub mod criteria_store;
pub mod data;
pub mod files;
pub mod focus;
pub mod idb;
pub mod locks;
pub mod print;
pub mod published;
pub mod storage;
pub mod styles;
pub mod table_row;
pub mod tick;
