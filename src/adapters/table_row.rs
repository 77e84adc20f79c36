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

/// Writes into `row` (a `tr`), in this order:
/// - `lead`, one text each, into the leaf elements (those without element children) of its first
///   `lead_cells` cells, in document order;
/// - nothing into the next `kept` cells (the framework's);
/// - `cells`, one `td` each, created or removed as needed so that they are exactly the cells
///   between those and the row's last cell;
/// - `last_attributes`, one list each, onto the elements inside the last cell, in document order.
pub fn fill(
    row: &Element,
    lead_cells: usize,
    lead: &[Shown],
    kept: usize,
    cells: &[Shown],
    last_attributes: &[Attributes],
) {
    let mut all = Vec::with_capacity(lead_cells + kept + cells.len() + 1);
    let mut next = row.first_element_child();
    while let Some(cell) = next {
        next = cell.next_element_sibling();
        all.push(cell);
    }
    let Some((last, all)) = all.split_last() else {
        return;
    };
    let mut inside = Vec::with_capacity(last_attributes.len());
    push_descendants(last, &mut inside);
    for (element, attributes) in inside.iter().zip(last_attributes) {
        for (name, value) in attributes {
            let _ = element.set_attribute(name, value);
        }
    }
    let (lead_part, rest) = all.split_at(all.len().min(lead_cells));
    let mut leaves = Vec::with_capacity(lead.len());
    lead_part
        .iter()
        .for_each(|cell| push_leaves(cell, &mut leaves));
    for (element, shown) in leaves.iter().zip(lead) {
        show(element, shown);
    }
    let (_, have) = rest.split_at(rest.len().min(kept));
    for surplus in have.iter().skip(cells.len()) {
        surplus.remove();
    }
    let document = row.owner_document();
    for (i, shown) in cells.iter().enumerate() {
        let cell = match have.get(i) {
            Some(cell) => cell.clone(),
            None => {
                let Some(Ok(cell)) = document.as_ref().map(|d| d.create_element("td")) else {
                    return;
                };
                if row.insert_before(&cell, Some(last)).is_err() {
                    return;
                }
                cell
            }
        };
        show(&cell, shown);
    }
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
/// comment in an empty element: the first text replaces it).
fn show(element: &Element, (text, class): &Shown) {
    match element.first_child() {
        Some(node) if node.node_type() == Node::TEXT_NODE => node.set_node_value(Some(text)),
        _ => element.set_text_content(Some(text)),
    }
    if let Some(class) = class {
        element.set_class_name(class);
    }
}
