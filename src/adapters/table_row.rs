//! Texts written into a table row that the framework drew once with empty cells. A table whose
//! rows show other data at each sort or filter changes every text of the page at once: through
//! the framework that cost effects per text or redrawn elements (with erased components, a
//! redrawn element has all its attributes removed and set again), and the browser styled the
//! new text nodes. Here a text changes the data of the node already there. Nothing can fail
//! that the user could act on: a row missing an element is left as it is.

use web_sys::{Element, Node};

/// What one element shows: its text and, when the caller sets it, its `class`.
pub type Shown = (String, Option<&'static str>);

/// Attributes set on one element: name and value.
pub type Attributes = Vec<(&'static str, String)>;

/// One row of the table as [`Slot::fill`] last wrote it. The row's elements are found once
/// and every value is written only when it differs from the one written before: a sort of
/// 10,000 rows wrote about 60 values and walked 40 elements a row through JavaScript, one
/// call each, though a year, a threshold, most points and every class mostly stay.
pub struct Slot {
    row: Element,
    found: Option<Found>,
}

/// The row's elements and what was written into them.
struct Found {
    /// The leaves of the leading cells, each with the text node its text goes into.
    leaves: Vec<(Element, Option<Node>, Option<Shown>)>,
    /// The cells after the framework's, before the last one: one per entry of `cells`.
    cells: Vec<(Element, Option<Node>, Option<Shown>)>,
    /// The row's last cell: new cells go before it.
    last: Element,
    /// The elements inside the last cell, in document order, with the attributes set on them.
    inside_last: Vec<(Element, Attributes)>,
}

impl Slot {
    pub fn new(row: Element) -> Slot {
        Slot { row, found: None }
    }

    /// Writes into the row (a `tr`), in this order:
    /// - `lead`, one text each, into the leaf elements (those without element children) of its
    ///   first `lead_cells` cells, in document order;
    /// - nothing into the next `kept` cells (the framework's);
    /// - `cells`, one `td` each, created or removed as needed so that they are exactly the
    ///   cells between those and the row's last cell;
    /// - `last_attributes`, one list each, onto the elements inside the last cell, in
    ///   document order.
    ///
    /// The row's cells are found at the first call: the framework must not draw them again.
    pub fn fill(
        &mut self,
        lead_cells: usize,
        lead: &[Shown],
        kept: usize,
        cells: &[Shown],
        last_attributes: &[Attributes],
    ) {
        if self.found.is_none() {
            self.found = find(&self.row, lead_cells, kept);
        }
        let Some(found) = self.found.as_mut() else {
            return;
        };
        for ((element, was), attributes) in found.inside_last.iter_mut().zip(last_attributes) {
            for (name, value) in attributes {
                if !was.iter().any(|(n, v)| n == name && v == value) {
                    let _ = element.set_attribute(name, value);
                }
            }
            *was = attributes.clone();
        }
        for (leaf, shown) in found.leaves.iter_mut().zip(lead) {
            show(leaf, shown);
        }
        for (cell, _, _) in found.cells.drain(cells.len().min(found.cells.len())..) {
            cell.remove();
        }
        let document = self.row.owner_document();
        for shown in &cells[found.cells.len()..] {
            let Some(Ok(cell)) = document.as_ref().map(|d| d.create_element("td")) else {
                break;
            };
            if self.row.insert_before(&cell, Some(&found.last)).is_err() {
                break;
            }
            let mut made = (cell, None, None);
            show(&mut made, shown);
            found.cells.push(made);
        }
        for (cell, shown) in found.cells.iter_mut().zip(cells) {
            show(cell, shown);
        }
    }
}

/// The row's elements, or `None` when it has no cell at all.
fn find(row: &Element, lead_cells: usize, kept: usize) -> Option<Found> {
    let mut all = Vec::with_capacity(lead_cells + kept + 1);
    let mut next = row.first_element_child();
    while let Some(cell) = next {
        next = cell.next_element_sibling();
        all.push(cell);
    }
    let (last, all) = all.split_last()?;
    let mut inside = Vec::new();
    push_descendants(last, &mut inside);
    let (lead_part, rest) = all.split_at(all.len().min(lead_cells));
    let mut leaves = Vec::with_capacity(lead_part.len());
    lead_part
        .iter()
        .for_each(|cell| push_leaves(cell, &mut leaves));
    let text_node = |element: Element| {
        let node = element
            .first_child()
            .filter(|n| n.node_type() == Node::TEXT_NODE);
        (element, node, None)
    };
    let (_, cells) = rest.split_at(rest.len().min(kept));
    Some(Found {
        leaves: leaves.into_iter().map(text_node).collect(),
        cells: cells.iter().cloned().map(text_node).collect(),
        last: last.clone(),
        inside_last: inside.into_iter().map(|e| (e, Vec::new())).collect(),
    })
}

fn push_descendants(element: &Element, out: &mut Vec<Element>) {
    let mut child = element.first_element_child();
    while let Some(c) = child {
        out.push(c.clone());
        push_descendants(&c, out);
        child = c.next_element_sibling();
    }
}

fn push_leaves(element: &Element, leaves: &mut Vec<Element>) {
    let mut child = element.first_element_child();
    if child.is_none() {
        leaves.push(element.clone());
    }
    while let Some(c) = child {
        push_leaves(&c, leaves);
        child = c.next_element_sibling();
    }
}

/// The text goes into the element's text node when it has one (the framework may leave a
/// comment in an empty element: the first text replaces it, and its node is kept).
fn show((element, node, was): &mut (Element, Option<Node>, Option<Shown>), shown: &Shown) {
    let same_text = was.as_ref().is_some_and(|w| w.0 == shown.0);
    match node {
        _ if same_text => {}
        Some(node) => node.set_node_value(Some(&shown.0)),
        None => {
            element.set_text_content(Some(&shown.0));
            *node = element.first_child();
        }
    }
    if let Some(class) = shown.1 {
        if was.as_ref().is_none_or(|w| w.1 != Some(class)) {
            element.set_class_name(class);
        }
    }
    *was = Some(shown.clone());
}
