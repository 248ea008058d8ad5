//! JSON as the browser reads it: the islands' data and the live stream's events.
//!
//! The server writes these values with serde. The browser reads them with this small parser
//! and [`FromJson`], which each type it receives implements field by field (most with
//! [`from_json_fields!`](crate::from_json_fields)). serde_json's reader is compiled again for
//! every type it reads, and was the largest part of the donor's page code; this one is compiled
//! once, and reading a type is a few lookups (docs/ARCHITECTURE.md, "What a phone downloads").
//! Each reading is tested against what serde writes for the same value.

/// A parsed JSON value.
#[derive(Clone, Debug, PartialEq)]
pub enum Json {
    Null,
    Bool(bool),
    /// A number, as written: the pages read whole numbers from it, and no fractions (reading
    /// them would bring a float parser into the page's code).
    Number(String),
    String(String),
    Array(Vec<Json>),
    Object(Fields),
}

/// An object's members, in the order written.
#[derive(Clone, Debug, PartialEq)]
pub struct Fields(Vec<(String, Json)>);

/// How many arrays and objects may nest in one another: the pages' data nests five deep at most,
/// and a recursive parser must not run out of stack on a hostile answer.
const MAX_DEPTH: u32 = 64;

/// `text` parsed as one JSON value, or None when it is not JSON.
pub fn parse(text: &str) -> Option<Json> {
    let mut parser = Parser { text, at: 0 };
    let value = parser.value(0)?;
    parser.skip_space();
    (parser.at == text.len()).then_some(value)
}

/// A value of `T` from `text`, or None when it is not JSON or not a `T`.
pub fn read<T: FromJson>(text: &str) -> Option<T> {
    T::from_json(&parse(text)?)
}

/// A type the browser reads from JSON the server wrote for it with serde.
pub trait FromJson: Sized {
    /// The value `json` holds, or None when it does not hold one.
    fn from_json(json: &Json) -> Option<Self>;
}

impl Json {
    /// The members, if this is an object.
    pub fn as_object(&self) -> Option<&Fields> {
        match self {
            Json::Object(fields) => Some(fields),
            _ => None,
        }
    }
}

impl Fields {
    /// Member `name` as a `T`. A missing member reads as `null`: an `Option` is then `None`, as
    /// serde reads it, and anything else is missing.
    pub fn get<T: FromJson>(&self, name: &str) -> Option<T> {
        T::from_json(self.find(name).unwrap_or(&Json::Null))
    }

    /// Member `name` as a `T`, or `default` when it is missing (serde's `#[serde(default)]`).
    pub fn get_or<T: FromJson>(&self, name: &str, default: T) -> Option<T> {
        match self.find(name) {
            Some(json) => T::from_json(json),
            None => Some(default),
        }
    }

    fn find(&self, name: &str) -> Option<&Json> {
        self.0
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, json)| json)
    }
}

/// Implements [`FromJson`] for a struct whose named fields serde writes under their own names,
/// each a [`FromJson`] type: `from_json_fields!(Titles { en, zh_cn });`.
#[macro_export]
macro_rules! from_json_fields {
    ($type:ident { $($field:ident),+ $(,)? }) => {
        impl $crate::json::FromJson for $type {
            fn from_json(json: &$crate::json::Json) -> Option<Self> {
                let fields = json.as_object()?;
                Some($type { $($field: fields.get(stringify!($field))?),+ })
            }
        }
    };
}

impl FromJson for Json {
    fn from_json(json: &Json) -> Option<Self> {
        Some(json.clone())
    }
}

impl FromJson for String {
    fn from_json(json: &Json) -> Option<Self> {
        match json {
            Json::String(text) => Some(text.clone()),
            _ => None,
        }
    }
}

impl FromJson for bool {
    fn from_json(json: &Json) -> Option<Self> {
        match json {
            Json::Bool(value) => Some(*value),
            _ => None,
        }
    }
}

/// Whole numbers, refused with a fraction or an exponent, or out of the type's range, as serde
/// refuses them (serde also refuses `-0`, which no serializer writes for an integer).
macro_rules! whole_numbers {
    ($($type:ty),+) => {$(
        impl FromJson for $type {
            fn from_json(json: &Json) -> Option<Self> {
                match json {
                    Json::Number(text) => text.parse().ok(),
                    _ => None,
                }
            }
        }
    )+};
}

whole_numbers!(i64, u64, u32, u8);

impl<T: FromJson> FromJson for Option<T> {
    fn from_json(json: &Json) -> Option<Self> {
        match json {
            Json::Null => Some(None),
            json => T::from_json(json).map(Some),
        }
    }
}

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(json: &Json) -> Option<Self> {
        match json {
            Json::Array(items) => items.iter().map(T::from_json).collect(),
            _ => None,
        }
    }
}

struct Parser<'a> {
    text: &'a str,
    /// The byte read next.
    at: usize,
}

impl Parser<'_> {
    /// A value inside `depth` arrays and objects.
    fn value(&mut self, depth: u32) -> Option<Json> {
        self.skip_space();
        match self.peek()? {
            b'n' => self.word("null", Json::Null),
            b't' => self.word("true", Json::Bool(true)),
            b'f' => self.word("false", Json::Bool(false)),
            b'"' => self.string().map(Json::String),
            b'[' if depth < MAX_DEPTH => self.array(depth),
            b'{' if depth < MAX_DEPTH => self.object(depth),
            b'-' | b'0'..=b'9' => self.number(),
            _ => None,
        }
    }

    fn array(&mut self, depth: u32) -> Option<Json> {
        self.at += 1;
        let mut items = Vec::new();
        self.skip_space();
        if self.eat(b']') {
            return Some(Json::Array(items));
        }
        loop {
            items.push(self.value(depth + 1)?);
            self.skip_space();
            if !self.eat(b',') {
                return self.eat(b']').then_some(Json::Array(items));
            }
        }
    }

    fn object(&mut self, depth: u32) -> Option<Json> {
        self.at += 1;
        let mut members = Vec::new();
        self.skip_space();
        if self.eat(b'}') {
            return Some(Json::Object(Fields(members)));
        }
        loop {
            self.skip_space();
            if self.peek()? != b'"' {
                return None;
            }
            let key = self.string()?;
            self.skip_space();
            if !self.eat(b':') {
                return None;
            }
            members.push((key, self.value(depth + 1)?));
            self.skip_space();
            if !self.eat(b',') {
                return self.eat(b'}').then_some(Json::Object(Fields(members)));
            }
        }
    }

    /// A string, the opening quote next.
    fn string(&mut self) -> Option<String> {
        self.at += 1;
        let mut text = String::new();
        loop {
            let start = self.at;
            while self
                .peek()
                .is_some_and(|b| b != b'"' && b != b'\\' && b >= 0x20)
            {
                self.at += 1;
            }
            // Stopped on an ASCII byte (or the end): `start..at` is whole characters.
            text.push_str(&self.text[start..self.at]);
            match self.next()? {
                b'"' => return Some(text),
                b'\\' => text.push(self.escape()?),
                _ => return None,
            }
        }
    }

    /// The character an escape stands for, the backslash read.
    fn escape(&mut self) -> Option<char> {
        Some(match self.next()? {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let unit = self.hex4()?;
                if (0xD800..0xDC00).contains(&unit) {
                    // A character beyond the BMP: a surrogate pair, written as two escapes.
                    if !(self.eat(b'\\') && self.eat(b'u')) {
                        return None;
                    }
                    let low = self.hex4()?;
                    if !(0xDC00..0xE000).contains(&low) {
                        return None;
                    }
                    char::from_u32(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))?
                } else {
                    char::from_u32(unit)?
                }
            }
            _ => return None,
        })
    }

    fn hex4(&mut self) -> Option<u32> {
        let digits = self.text.get(self.at..self.at + 4)?;
        if !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        self.at += 4;
        u32::from_str_radix(digits, 16).ok()
    }

    /// A number as JSON writes it: `-`, digits without a leading zero, then a fraction and an
    /// exponent, each optional.
    fn number(&mut self) -> Option<Json> {
        let start = self.at;
        self.eat(b'-');
        if !self.eat(b'0') && self.digits() == 0 {
            return None;
        }
        if self.eat(b'.') && self.digits() == 0 {
            return None;
        }
        if self.eat(b'e') || self.eat(b'E') {
            let _ = self.eat(b'+') || self.eat(b'-');
            if self.digits() == 0 {
                return None;
            }
        }
        Some(Json::Number(self.text[start..self.at].to_owned()))
    }

    fn digits(&mut self) -> usize {
        let start = self.at;
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.at += 1;
        }
        self.at - start
    }

    fn word(&mut self, word: &str, value: Json) -> Option<Json> {
        self.text[self.at..].starts_with(word).then(|| {
            self.at += word.len();
            value
        })
    }

    fn skip_space(&mut self) {
        while self
            .peek()
            .is_some_and(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
        {
            self.at += 1;
        }
    }

    fn eat(&mut self, byte: u8) -> bool {
        let here = self.peek() == Some(byte);
        if here {
            self.at += 1;
        }
        here
    }

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.at).copied()
    }

    fn next(&mut self) -> Option<u8> {
        let byte = self.peek()?;
        self.at += 1;
        Some(byte)
    }
}

/// Checks that what serde writes for `value` reads back as the same value.
#[cfg(test)]
pub fn assert_reads_back<T>(value: &T)
where
    T: FromJson + serde::Serialize + std::fmt::Debug + PartialEq,
{
    let written = serde_json::to_string(value).expect("serialises");
    assert_eq!(read::<T>(&written).as_ref(), Some(value), "{written}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_serde_json_writes_is_read_back() {
        let value = serde_json::json!({
            "text": "a \"quoted\" \\ line\nnext\ttab \u{1} 认领 🎨 \u{7f}",
            "whole": -9_007_199_254_740_993_i64,
            "big": u64::MAX,
            "fraction": 12.5,
            "flags": [true, false, null],
            "nested": {"empty": {}, "none": []},
        });
        let written = serde_json::to_string(&value).unwrap();
        let read = parse(&written).expect("parses");
        let fields = read.as_object().expect("an object");
        assert_eq!(
            fields.get::<String>("text").unwrap(),
            value["text"].as_str().unwrap()
        );
        assert_eq!(fields.get::<i64>("whole"), Some(-9_007_199_254_740_993));
        assert_eq!(fields.get::<u64>("big"), Some(u64::MAX));
        assert_eq!(fields.get::<i64>("big"), None);
        // A fraction is a number, but no whole number.
        assert_eq!(
            fields.get::<Json>("fraction"),
            Some(Json::Number("12.5".into()))
        );
        assert_eq!(fields.get::<i64>("fraction"), None);
        assert_eq!(
            fields.get::<Vec<Option<bool>>>("flags"),
            Some(vec![Some(true), Some(false), None])
        );
        assert_eq!(fields.get::<Option<String>>("missing"), Some(None));
        assert_eq!(fields.get::<String>("missing"), None);
        assert_eq!(fields.get_or("missing", 7_u32), Some(7));
    }

    #[test]
    fn escapes_read_as_the_characters_they_stand_for() {
        assert_eq!(
            read::<String>(r#""\u00e9\u8ba4\ud83c\udfa8\/\b\f\r""#).as_deref(),
            Some("é认🎨/\u{8}\u{c}\r")
        );
        // A lone or reversed surrogate is not a character.
        for bad in [
            r#""\ud83c""#,
            r#""\udfa8\ud83c""#,
            r#""\ud83cx""#,
            r#""\u12zz""#,
        ] {
            assert_eq!(parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn what_is_not_json_is_refused() {
        for bad in [
            "",
            " ",
            "nul",
            "tru",
            "[1,]",
            "[1 2]",
            "{\"a\" 1}",
            "{\"a\":1,}",
            "{a:1}",
            "01",
            "1.",
            "-",
            "1e",
            ".5",
            "\"open",
            "\"a\u{1}b\"",
            "[",
            "{",
            "1 2",
            "\"\\x\"",
            "[1]]",
            "{\"a\":}",
        ] {
            assert_eq!(parse(bad), None, "{bad:?}");
        }
        assert_eq!(
            read::<Vec<Json>>(" [ 1 , -0 , 2E+3 ] "),
            Some(["1", "-0", "2E+3"].map(|n| Json::Number(n.into())).to_vec())
        );
    }

    #[test]
    fn deep_nesting_is_refused_without_exhausting_the_stack() {
        let nested = |depth: usize| "[".repeat(depth) + &"]".repeat(depth);
        assert_eq!(parse(&nested(100_000)), None);
        assert_eq!(parse(&nested(65)), None);
        assert!(parse(&nested(64)).is_some());
        let holding = "[".repeat(64) + "{\"a\":1}" + &"]".repeat(64);
        assert_eq!(parse(&holding), None);
        let holding = "[".repeat(63) + "{\"a\":1}" + &"]".repeat(63);
        assert!(parse(&holding).is_some());
    }

    #[test]
    fn numbers_out_of_a_types_range_are_refused() {
        assert_eq!(read::<u8>("256"), None);
        assert_eq!(read::<u64>("-1"), None);
        assert_eq!(read::<u32>("4294967295"), Some(u32::MAX));
        assert_eq!(read::<i64>("12.0"), None);
        assert_eq!(read::<i64>("2e3"), None);
        assert_eq!(read::<u64>("18446744073709551616"), None);
    }
}
