//! RFC 8785 (JSON Canonicalization Scheme) held to the RFC's own examples, and the number layout
//! to ECMAScript's `Number.prototype.toString` over a corpus Node.js wrote
//! (tests/vectors/jcs-numbers.txt, made by scripts/jcs-numbers.mjs).
#![cfg(not(target_arch = "wasm32"))]

use serde_json::Value;
use xa_phu_hop_tre_em::domain::exchange::jcs::{canonical, digest, es_number, utf16_order};

fn canon(json: &str) -> String {
    let value: Value = serde_json::from_str(json).unwrap();
    String::from_utf8(canonical(&value)).unwrap()
}

/// RFC 8785, Appendix B: IEEE 754 doubles (as bits) and their canonical text.
#[test]
fn appendix_b_numbers() {
    let vectors = [
        ("0000000000000000", "0"),
        ("8000000000000000", "0"),
        ("0000000000000001", "5e-324"),
        ("8000000000000001", "-5e-324"),
        ("7fefffffffffffff", "1.7976931348623157e+308"),
        ("ffefffffffffffff", "-1.7976931348623157e+308"),
        ("4340000000000000", "9007199254740992"),
        ("c340000000000000", "-9007199254740992"),
        ("4430000000000000", "295147905179352830000"),
        ("44b52d02c7e14af5", "9.999999999999997e+22"),
        ("44b52d02c7e14af6", "1e+23"),
        ("44b52d02c7e14af7", "1.0000000000000001e+23"),
        ("444b1ae4d6e2ef4e", "999999999999999700000"),
        ("444b1ae4d6e2ef4f", "999999999999999900000"),
        ("444b1ae4d6e2ef50", "1e+21"),
        ("3eb0c6f7a0b5ed8c", "9.999999999999997e-7"),
        ("3eb0c6f7a0b5ed8d", "0.000001"),
        ("41b3de4355555553", "333333333.3333332"),
        ("41b3de4355555554", "333333333.33333325"),
        ("41b3de4355555555", "333333333.3333333"),
        ("41b3de4355555556", "333333333.3333334"),
        ("41b3de4355555557", "333333333.33333343"),
        ("becbf647612f3696", "-0.0000033333333333333333"),
        ("43143ff3c1cb0959", "1424953923781206.2"),
    ];
    for (bits, text) in vectors {
        let x = f64::from_bits(u64::from_str_radix(bits, 16).unwrap());
        assert_eq!(es_number(x), text, "{bits}");
        // Written as JSON and read back, the number keeps its canonical text.
        if x != 0.0 || x.is_sign_positive() {
            assert_eq!(canon(&format!("[{text}]")), format!("[{text}]"), "{bits}");
        }
    }
    // NaN and the infinities are not JSON numbers.
    assert_eq!(es_number(f64::NAN), "null");
    assert_eq!(es_number(f64::INFINITY), "null");
}

/// RFC 8785, 3.2.2: the sample input and its canonical output.
#[test]
fn the_rfc_sample_object() {
    let input = r#"{
        "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
        "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
        "literals": [null, true, false]
    }"#;
    let expected = r#"{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}"#;
    assert_eq!(canon(input), expected);
}

/// RFC 8785, 3.2.3: names sorted by UTF-16 code units, the output bytes as the RFC lists them.
#[test]
fn the_rfc_sorting_sample() {
    let input = r#"{
        "\u20ac": "Euro Sign",
        "\r": "Carriage Return",
        "\ufb33": "Hebrew Letter Dalet With Dagesh",
        "1": "One",
        "\ud83d\ude00": "Emoji: Grinning Face",
        "\u0080": "Control",
        "\u00f6": "Latin Small Letter O With Diaeresis"
    }"#;
    let expected = "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u{80}\":\"Control\",\
                    \"ö\":\"Latin Small Letter O With Diaeresis\",\"€\":\"Euro Sign\",\
                    \"😀\":\"Emoji: Grinning Face\",\"\u{fb33}\":\"Hebrew Letter Dalet With Dagesh\"}";
    assert_eq!(canon(input), expected);
    assert_eq!(utf16_order("😀", "\u{fb33}"), std::cmp::Ordering::Less);
    assert_eq!(utf16_order("\u{fb33}", "😀"), std::cmp::Ordering::Greater);
    assert_eq!(utf16_order("a", "ab"), std::cmp::Ordering::Less);
}

/// Every pair of names made of characters from each range UTF-8 and UTF-16 order differently
/// (below U+E000, U+E000–U+FFFF, beyond U+FFFF), after a common prefix or not, compares as their
/// UTF-16 code units do.
#[test]
fn names_compare_as_utf16_code_units() {
    let chars = [
        'a',
        'z',
        'ö',
        'ẫ',
        '\u{d7ff}',
        '\u{e000}',
        '\u{fb33}',
        '\u{ffff}',
        '😀',
        '\u{10000}',
        '\u{10ffff}',
    ];
    let mut names = vec![String::new()];
    for a in chars {
        names.push(a.to_string());
        for b in chars {
            names.push(format!("{a}{b}"));
            names.push(format!("x{a}y{b}"));
        }
    }
    for a in &names {
        for b in &names {
            assert_eq!(
                utf16_order(a, b),
                a.encode_utf16().cmp(b.encode_utf16()),
                "«{a}» against «{b}»"
            );
        }
    }
}

#[test]
fn strings_escape_only_what_json_requires() {
    let all_controls: String = (0u8..0x20).map(char::from).collect();
    let value = Value::from(format!("{all_controls}\"\\/\u{7f}ăẫ\u{2028}😀"));
    let text = String::from_utf8(canonical(&value)).unwrap();
    assert_eq!(
        text,
        "\"\\u0000\\u0001\\u0002\\u0003\\u0004\\u0005\\u0006\\u0007\\b\\t\\n\\u000b\\f\\r\\u000e\\u000f\
         \\u0010\\u0011\\u0012\\u0013\\u0014\\u0015\\u0016\\u0017\\u0018\\u0019\\u001a\\u001b\\u001c\
         \\u001d\\u001e\\u001f\\\"\\\\/\u{7f}ăẫ\u{2028}😀\""
    );
}

#[test]
fn nesting_whitespace_and_integers() {
    assert_eq!(
        canon(" { \"b\" : [ 1 , { \"d\" : -0.0 , \"c\" : 10.50 } ] , \"a\" : { } , \"\" : [ ] } "),
        r#"{"":[],"a":{},"b":[1,{"c":10.5,"d":0}]}"#
    );
    // Integers past 2^53 are doubles in JSON's number model.
    assert_eq!(canon("[9007199254740993]"), "[9007199254740992]");
    assert_eq!(canon("[18446744073709551615]"), "[18446744073709552000]");
    assert_eq!(canon("[-9223372036854775808]"), "[-9223372036854776000]");
    assert_eq!(
        canon("[1e21, 1e20, 123456789012345680000]"),
        "[1e+21,100000000000000000000,123456789012345680000]"
    );
    // The digest is SHA-256 of the canonical bytes, in lower-case hex.
    assert_eq!(
        digest(b"abc"),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
}

/// ECMAScript's own output for doubles of every magnitude (bits, text), as Node.js printed it.
#[test]
fn numbers_as_node_writes_them() {
    let corpus = include_str!("vectors/jcs-numbers.txt");
    let mut n = 0;
    for line in corpus.lines().filter(|l| !l.starts_with('#')) {
        let (bits, text) = line.split_once(' ').unwrap();
        let x = f64::from_bits(u64::from_str_radix(bits, 16).unwrap());
        assert_eq!(es_number(x), text, "{bits}");
        // And the number that text denotes is read back as the same double.
        let read: Value = serde_json::from_str(text).unwrap();
        assert_eq!(read.as_f64(), Some(x), "{text}");
        n += 1;
    }
    assert!(n >= 10_000, "{n}");
}

proptest::proptest! {
    /// Members come out in UTF-16 order whatever their names: ASCII, Vietnamese letters,
    /// characters from U+E000 up and beyond U+FFFF (which order differently in UTF-8).
    #[test]
    fn members_are_in_utf16_order(
        members in proptest::collection::btree_map("[a-zA-Zđệ0-9\u{E000}-\u{E003}\u{FF5E}\u{1F600}-\u{1F603}]{0,4}", 0u32..1000, 0..12)
    ) {
        let value = Value::Object(members.iter().map(|(k, v)| (k.clone(), Value::from(*v))).collect());
        let mut sorted: Vec<(&String, &u32)> = members.iter().collect();
        sorted.sort_by(|a, b| a.0.encode_utf16().cmp(b.0.encode_utf16()));
        let expected = format!(
            "{{{}}}",
            sorted
                .iter()
                .map(|(k, v)| format!("{}:{v}", serde_json::to_string(k).unwrap()))
                .collect::<Vec<_>>()
                .join(",")
        );
        proptest::prop_assert_eq!(String::from_utf8(canonical(&value)).unwrap(), expected);
    }
}
