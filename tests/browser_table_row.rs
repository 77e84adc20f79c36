//! Texts written into a table row drawn once (`adapters::table_row`), as the dashboard's row
//! slots do at each sort and filter: the texts land in the leaf elements of the leading cells,
//! the attributes on the elements of the last cell, the framework's cells are left alone, the
//! per-criterion cells follow the count asked for and stay before the last cell, a text
//! already shown keeps its node, and a value already written is not written again. In headless
//! Chromium (`make test-browser`).

#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::*;
use web_sys::{Document, Element};
use xa_phu_hop_tre_em::adapters::table_row::{Attributes, Shown, Slot};

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> Document {
    web_sys::window().unwrap().document().unwrap()
}

fn element(tag: &str, children: &[Element]) -> Element {
    let element = document().create_element(tag).unwrap();
    for child in children {
        element.append_child(child).unwrap();
    }
    element
}

/// `<tr><th><span/><span/></th><td/><td><strong/></td><td>khung</td><td><span><a>cuối</a></span></td></tr>`.
fn row() -> Element {
    let kept = element("td", &[]);
    kept.set_text_content(Some("khung"));
    let link = element("a", &[]);
    link.set_text_content(Some("cuối"));
    let last = element("td", &[element("span", &[link])]);
    let name = element("th", &[element("span", &[]), element("span", &[])]);
    let total = element("td", &[element("strong", &[])]);
    element("tr", &[name, element("td", &[]), total, kept, last])
}

fn cells(row: &Element) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut next = row.first_element_child();
    while let Some(cell) = next {
        out.push((cell.text_content().unwrap_or_default(), cell.class_name()));
        next = cell.next_element_sibling();
    }
    out
}

/// Texts, each with the class it sets (or none).
fn shown(texts: &[(&str, Option<&'static str>)]) -> Vec<Shown> {
    texts.iter().map(|&(t, c)| (t.to_string(), c)).collect()
}

/// Nothing on the last cell's `span`, a link on its `a`, and a list with no element to go to.
fn link_to(href: &str, label: &str) -> Vec<Attributes> {
    vec![
        vec![],
        vec![("href", href.into()), ("aria-label", label.into())],
        vec![("title", "thừa".into())],
    ]
}

fn first(element: &Element) -> Element {
    element.first_element_child().unwrap()
}

/// The attributes `name` of the elements in the row's last cell.
fn last_attributes(row: &Element, name: &str) -> Vec<Option<String>> {
    let span = first(&row.last_element_child().unwrap());
    let link = first(&span);
    vec![span.get_attribute(name), link.get_attribute(name)]
}

fn lead() -> Vec<Shown> {
    shown(&[
        ("Xã A", None),
        ("Mã 1", None),
        ("Hà Nội", None),
        ("900", None),
    ])
}

#[wasm_bindgen_test]
fn texts_fill_the_leaves_and_the_criteria_cells_follow_the_count() {
    let row = row();
    let mut slot = Slot::new(row.clone());
    let criteria = shown(&[
        ("10", Some("num")),
        ("0", Some("num zero")),
        ("—", Some("num")),
    ]);
    slot.fill(3, &lead(), 1, &criteria, &link_to("#/a", "Xã A"));
    let want = |s: &str, c: &str| (s.to_string(), c.to_string());
    assert_eq!(
        cells(&row),
        [
            want("Xã AMã 1", ""),
            want("Hà Nội", ""),
            want("900", ""),
            want("khung", ""),
            want("10", "num"),
            want("0", "num zero"),
            want("—", "num"),
            want("cuối", ""),
        ]
    );
    assert_eq!(last_attributes(&row, "href"), [None, Some("#/a".into())]);
    assert_eq!(
        last_attributes(&row, "aria-label"),
        [None, Some("Xã A".into())]
    );
    assert_eq!(last_attributes(&row, "title"), [None, None]);
    let name = first(&first(&row));
    let node = name.first_child().unwrap();

    // Fewer criteria: the surplus goes, the last cell stays last; the name's node is kept.
    let other = shown(&[("Xã B", None), ("Mã 2", None), ("Huế", None), ("850", None)]);
    slot.fill(
        3,
        &other,
        1,
        &shown(&[("7", Some("num"))]),
        &link_to("#/b", "Xã B"),
    );
    assert_eq!(
        cells(&row),
        [
            want("Xã BMã 2", ""),
            want("Huế", ""),
            want("850", ""),
            want("khung", ""),
            want("7", "num"),
            want("cuối", ""),
        ]
    );
    assert!(name.first_child().unwrap().is_same_node(Some(&node)));
    assert_eq!(last_attributes(&row, "href"), [None, Some("#/b".into())]);
    assert!(node.next_sibling().is_none());

    // More again: new cells before the last one.
    slot.fill(3, &lead(), 1, &criteria[..2], &[]);
    let shown = cells(&row);
    assert_eq!(shown.len(), 7);
    assert_eq!(
        shown[4..],
        [want("10", "num"), want("0", "num zero"), want("cuối", "")]
    );
}

#[wasm_bindgen_test]
fn a_comment_left_in_an_empty_cell_gives_way_to_the_text() {
    let row = row();
    let province = first(&row).next_element_sibling().unwrap();
    province.set_inner_html("<!---->");
    let comment = province.first_child().unwrap();
    assert_eq!(comment.node_type(), web_sys::Node::COMMENT_NODE);
    Slot::new(row.clone()).fill(3, &lead(), 1, &[], &[]);
    let text = province.first_child().unwrap();
    assert_eq!(text.node_type(), web_sys::Node::TEXT_NODE);
    assert_eq!(text.node_value().as_deref(), Some("Hà Nội"));
    assert!(text.next_sibling().is_none());
}

#[wasm_bindgen_test]
fn a_row_with_fewer_cells_than_texts_is_filled_as_far_as_it_goes() {
    let row = element("tr", &[element("th", &[]), element("td", &[])]);
    Slot::new(row.clone()).fill(3, &lead(), 1, &shown(&[("5", Some("num"))]), &[]);
    // The th takes the first text; the last cell is left alone and the criterion goes before it.
    assert_eq!(
        cells(&row),
        [
            ("Xã A".to_string(), String::new()),
            ("5".to_string(), "num".to_string()),
            (String::new(), String::new()),
        ]
    );
    Slot::new(element("tr", &[])).fill(3, &lead(), 1, &shown(&[("5", None)]), &link_to("#/c", "C"));
}

/// A value changed behind the slot's back (here by the test) shows what the slot writes only
/// when the slot writes another value there: an unchanged text, class or attribute is not
/// written again, a changed one is.
#[wasm_bindgen_test]
fn only_what_changed_is_written_again() {
    let row = row();
    let mut slot = Slot::new(row.clone());
    let criteria = shown(&[("10", Some("num")), ("0", Some("num zero"))]);
    slot.fill(3, &lead(), 1, &criteria, &link_to("#/a", "Xã A"));
    let province = first(&row).next_element_sibling().unwrap();
    let link = first(&first(&row.last_element_child().unwrap()));
    let criterion = row.children().item(4).unwrap();
    province
        .first_child()
        .unwrap()
        .set_node_value(Some("sửa tay"));
    criterion.set_class_name("tay");
    link.set_attribute("href", "#/tay").unwrap();
    link.set_attribute("aria-label", "tay").unwrap();

    slot.fill(3, &lead(), 1, &criteria, &link_to("#/a", "Xã B"));
    assert_eq!(province.text_content().as_deref(), Some("sửa tay"));
    assert_eq!(criterion.class_name(), "tay");
    assert_eq!(link.get_attribute("href").as_deref(), Some("#/tay"));
    assert_eq!(link.get_attribute("aria-label").as_deref(), Some("Xã B"));

    let other = shown(&[("Xã B", None), ("Mã 2", None), ("Huế", None), ("850", None)]);
    let points = shown(&[("10", Some("num zero")), ("0", Some("num zero"))]);
    slot.fill(3, &other, 1, &points, &link_to("#/b", "Xã B"));
    assert_eq!(province.text_content().as_deref(), Some("Huế"));
    assert_eq!(criterion.class_name(), "num zero");
    assert_eq!(criterion.text_content().as_deref(), Some("10"));
    assert_eq!(link.get_attribute("href").as_deref(), Some("#/b"));
}
