//! A resource's attributes, parsed on demand.
//!
//! Profiling showed that a pack spends most of its time turning the batch
//! into `serde_json::Value` trees, although each rule reads only a few
//! attributes (the tags pack reads every kind, but only `tags` and
//! `tags_all`). So [`parse_batch`](crate::parse_batch) only checks the
//! batch's syntax and records where each top-level attribute's JSON text
//! lies; an attribute becomes a `Value` the first time a rule reads it, and
//! stays cached for the other rules.

use std::borrow::Cow;
use std::fmt;
use std::ops::{Deref, Index, IndexMut};
use std::sync::{Arc, OnceLock};

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use serde_json::value::RawValue;

/// The `attributes` object of a resource.
///
/// [`get`](Self::get) and [`pointer`](Self::pointer) parse only the
/// top-level attribute they reach. Other `Value` methods, reached through
/// `Deref`, parse the whole object once.
#[derive(Clone, Default)]
pub struct Attributes(Repr);

#[derive(Clone)]
enum Repr {
    /// Already a tree: built in tests, read by a generic deserializer, or
    /// attributes that are not an object.
    Parsed(Value),
    Lazy(Lazy),
}

impl Default for Repr {
    fn default() -> Self {
        Repr::Parsed(Value::Null)
    }
}

#[derive(Clone)]
struct Lazy {
    /// The whole batch's text, shared by its resources, so that no
    /// attribute is copied until it is read.
    text: Arc<str>,
    members: Vec<Member>,
    /// The object as a whole, for the `Value` methods reached through `Deref`.
    whole: OnceLock<Value>,
}

#[derive(Clone)]
struct Member {
    key: Key,
    /// Byte range of the value's JSON text in `Lazy::text`.
    start: usize,
    end: usize,
    value: OnceLock<Value>,
}

#[derive(Clone)]
enum Key {
    /// Byte range in `Lazy::text`: the key had no escapes.
    Span(usize, usize),
    /// A key with escapes, unescaped.
    Owned(Box<str>),
}

static NULL: Value = Value::Null;

impl Attributes {
    /// The top-level attribute `key`, like [`Value::get`] on an object.
    pub fn get(&self, key: &str) -> Option<&Value> {
        match &self.0 {
            Repr::Parsed(v) => v.get(key),
            Repr::Lazy(lazy) => lazy.get(key),
        }
    }

    /// The value at a JSON pointer, like [`Value::pointer`].
    pub fn pointer(&self, pointer: &str) -> Option<&Value> {
        let lazy = match &self.0 {
            Repr::Parsed(v) => return v.pointer(pointer),
            Repr::Lazy(lazy) => lazy,
        };
        if pointer.is_empty() {
            return Some(lazy.whole());
        }
        let rest = pointer.strip_prefix('/')?;
        let (token, tail) = match rest.find('/') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, ""),
        };
        walk(lazy.get(&unescape(token))?, tail)
    }

    /// The JSON text of the top-level attribute `key` as the batch holds
    /// it, for a rule that reads a large attribute into its own borrowed
    /// types rather than a `Value`. `None` when it is absent, or when the
    /// attributes were not read from a batch (built from a `Value`, or
    /// edited): the rule then reads the `Value`.
    pub fn raw(&self, key: &str) -> Option<&str> {
        let Repr::Lazy(lazy) = &self.0 else {
            return None;
        };
        // The last of duplicate keys wins, as in `get`.
        let member = lazy.members.iter().rev().find(|m| lazy.key_is(m, key))?;
        lazy.text.get(member.start..member.end)
    }

    /// The attributes as one `Value` (parsed in full on first use).
    pub fn value(&self) -> &Value {
        match &self.0 {
            Repr::Parsed(v) => v,
            Repr::Lazy(lazy) => lazy.whole(),
        }
    }

    /// The attributes as an owned `Value`, for code that edits them.
    pub fn into_value(self) -> Value {
        match self.0 {
            Repr::Parsed(v) => v,
            Repr::Lazy(lazy) => lazy.whole().clone(),
        }
    }

    /// Turns lazy attributes into a tree that can be edited in place.
    fn parsed_mut(&mut self) -> &mut Value {
        if let Repr::Lazy(lazy) = &self.0 {
            self.0 = Repr::Parsed(lazy.whole().clone());
        }
        match &mut self.0 {
            Repr::Parsed(v) => v,
            // Replaced just above.
            Repr::Lazy(_) => unreachable!("lazy attributes were just parsed"),
        }
    }
}

/// `value.pointer(pointer)`, without a new `String` per token: rules read
/// nested attributes (`/metadata_options/http_tokens`) all the time, and
/// `Value::pointer` unescapes every token into a copy.
fn walk<'v>(value: &'v Value, pointer: &str) -> Option<&'v Value> {
    if pointer.is_empty() {
        return Some(value);
    }
    let rest = pointer.strip_prefix('/')?;
    rest.split('/').try_fold(value, |target, token| {
        let token = unescape(token);
        match target {
            Value::Object(map) => map.get(token.as_ref()),
            Value::Array(list) => array_index(&token).and_then(|i| list.get(i)),
            _ => None,
        }
    })
}

/// A pointer token with its RFC 6901 escapes undone, in the same order as
/// `Value::pointer`; borrowed when it has none.
fn unescape(token: &str) -> Cow<'_, str> {
    if token.contains('~') {
        Cow::Owned(token.replace("~1", "/").replace("~0", "~"))
    } else {
        Cow::Borrowed(token)
    }
}

/// An array index as `Value::pointer` reads one: digits, without a sign
/// or a leading zero.
fn array_index(token: &str) -> Option<usize> {
    if token.starts_with('+') || (token.starts_with('0') && token.len() != 1) {
        return None;
    }
    token.parse().ok()
}

impl Lazy {
    fn key<'a>(&'a self, member: &'a Member) -> &'a str {
        match &member.key {
            Key::Span(start, end) => self.text.get(*start..*end).unwrap_or(""),
            Key::Owned(k) => k,
        }
    }

    fn get(&self, key: &str) -> Option<&Value> {
        // The last of duplicate keys wins, as when parsing into a `Value`.
        let member = self.members.iter().rev().find(|m| self.key_is(m, key))?;
        Some(member.value.get_or_init(|| self.parse(member)))
    }

    /// Whether `member`'s key is `key`. Every attribute read scans the
    /// members, so a key of another length is ruled out before its text
    /// is sliced and compared.
    fn key_is(&self, member: &Member, key: &str) -> bool {
        match &member.key {
            Key::Span(start, end) => {
                end.checked_sub(*start) == Some(key.len())
                    && self.text.as_bytes().get(*start..*end) == Some(key.as_bytes())
            }
            Key::Owned(k) => **k == *key,
        }
    }

    fn parse(&self, member: &Member) -> Value {
        // The text was checked as JSON when the batch was read; what could
        // still fail (a number beyond f64) the host never writes, and would
        // read as absent.
        self.text
            .get(member.start..member.end)
            .and_then(|t| serde_json::from_str(t).ok())
            .unwrap_or(Value::Null)
    }

    fn whole(&self) -> &Value {
        self.whole.get_or_init(|| {
            let mut map = serde_json::Map::new();
            for m in &self.members {
                let value = m.value.get().cloned().unwrap_or_else(|| self.parse(m));
                map.insert(self.key(m).to_owned(), value);
            }
            Value::Object(map)
        })
    }
}

impl From<Value> for Attributes {
    fn from(v: Value) -> Self {
        Attributes(Repr::Parsed(v))
    }
}

impl Deref for Attributes {
    type Target = Value;
    fn deref(&self) -> &Value {
        self.value()
    }
}

impl Index<&str> for Attributes {
    type Output = Value;
    fn index(&self, key: &str) -> &Value {
        self.get(key).unwrap_or(&NULL)
    }
}

/// As `Value`'s: assigning to a missing key inserts it. Used by tests that
/// vary one attribute of a resource.
impl IndexMut<&str> for Attributes {
    fn index_mut(&mut self, key: &str) -> &mut Value {
        &mut self.parsed_mut()[key]
    }
}

impl PartialEq for Attributes {
    fn eq(&self, other: &Self) -> bool {
        self.value() == other.value()
    }
}

impl fmt::Debug for Attributes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Repr::Parsed(v) => v.fmt(f),
            Repr::Lazy(lazy) => f
                .debug_map()
                .entries(
                    lazy.members
                        .iter()
                        .map(|m| (lazy.key(m), lazy.text.get(m.start..m.end).unwrap_or(""))),
                )
                .finish(),
        }
    }
}

/// A generic deserializer may not lend its input, so this parses in full;
/// the batch path ([`RawAttributes`]) is the lazy one.
impl<'de> Deserialize<'de> for Attributes {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Value::deserialize(d).map(Attributes::from)
    }
}

/// `attributes` as read from a batch: the top-level members' text, borrowed
/// from the batch, or a parsed value if the attributes are not an object.
pub(crate) enum RawAttributes<'a> {
    Members(Vec<(Cow<'a, str>, &'a RawValue)>),
    Other(Value),
}

impl Default for RawAttributes<'_> {
    fn default() -> Self {
        RawAttributes::Other(Value::Null)
    }
}

impl RawAttributes<'_> {
    /// Lazy attributes over `text`, which must be the string the members
    /// were borrowed from.
    pub(crate) fn into_attributes(self, text: &Arc<str>) -> Attributes {
        let members = match self {
            RawAttributes::Other(v) => return Attributes::from(v),
            RawAttributes::Members(m) => m,
        };
        let base = text.as_ptr() as usize;
        let span = |s: &str| {
            let start = (s.as_ptr() as usize).wrapping_sub(base);
            (start <= text.len() && s.len() <= text.len() - start).then_some(start)
        };
        // Sized up front: a filtered iterator would grow the vector from
        // four members, copying it each time, for every resource.
        let mut lazy_members = Vec::with_capacity(members.len());
        lazy_members.extend(members.into_iter().filter_map(|(key, raw)| {
            let value = raw.get();
            let start = span(value)?;
            let key = match key {
                Cow::Borrowed(k) => match span(k) {
                    Some(s) => Key::Span(s, s + k.len()),
                    None => Key::Owned(k.into()),
                },
                Cow::Owned(k) => Key::Owned(k.into_boxed_str()),
            };
            Some(Member {
                key,
                start,
                end: start + value.len(),
                value: OnceLock::new(),
            })
        }));
        Attributes(Repr::Lazy(Lazy {
            text: Arc::clone(text),
            members: lazy_members,
            whole: OnceLock::new(),
        }))
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for RawAttributes<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(RawAttributesVisitor)
    }
}

struct RawAttributesVisitor;

impl<'de> Visitor<'de> for RawAttributesVisitor {
    type Value = RawAttributes<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut members = Vec::with_capacity(map.size_hint().unwrap_or(16));
        while let Some(KeyText(key)) = map.next_key()? {
            let value: &'de RawValue = map.next_value()?;
            members.push((key, value));
        }
        Ok(RawAttributes::Members(members))
    }

    // Anything but an object is parsed as it is; the host never sends it.
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        Value::deserialize(de::value::SeqAccessDeserializer::new(seq)).map(RawAttributes::Other)
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(RawAttributes::Other(Value::Null))
    }
    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(RawAttributes::Other(Value::Null))
    }
    fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
        Ok(RawAttributes::Other(Value::Bool(v)))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(RawAttributes::Other(Value::from(v)))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok(RawAttributes::Other(Value::from(v)))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
        Ok(RawAttributes::Other(Value::from(v)))
    }
    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(RawAttributes::Other(Value::String(v.to_owned())))
    }
}

/// An object key, borrowed from the input when it has no escapes.
struct KeyText<'a>(Cow<'a, str>);

impl<'de: 'a, 'a> Deserialize<'de> for KeyText<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = KeyText<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(KeyText(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
                Ok(KeyText(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
                Ok(KeyText(Cow::Owned(v)))
            }
        }
        d.deserialize_str(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn lazy(text: &str) -> Attributes {
        let text: Arc<str> = Arc::from(text);
        let raw: RawAttributes<'_> = serde_json::from_str(&text).expect("valid JSON");
        raw.into_attributes(&text)
    }

    #[test]
    fn lazy_reads_like_a_parsed_value() {
        let text = r#"{"a": {"b": [1, 2]}, "a~b": 1, "c/d": 2, "e\"f": 3, "n": null, "a": {"b": [3]},
            "m": {"~x": {"/y": [0, {"": 1}]}, "": {"": 2}}}"#;
        let attrs = lazy(text);
        let parsed: Value = serde_json::from_str(text).expect("valid JSON");
        for p in [
            "",
            "/a",
            "/a/b",
            "/a/b/0",
            "/a/b/1",
            "/a~0b",
            "/c~1d",
            "/e\"f",
            "/n",
            "/x",
            "a",
            "/a/",
            "/m/~0x/~1y/1/",
            "/m/~0x/~1y/01",
            "/m/~0x/~1y/+1",
            "/m/~0x/~1y/-0",
            "/m//",
            "/m/",
            "/m/~0x/~1y/0/x",
            "/m/~01x",
            "/m/~0x/~1y/ 1",
            "/m/~0x/~1y/1",
        ] {
            assert_eq!(attrs.pointer(p), parsed.pointer(p), "{p}");
        }
        for k in ["a", "a~b", "c/d", "e\"f", "n", "x"] {
            assert_eq!(attrs.get(k), parsed.get(k), "{k}");
            let raw = attrs.raw(k).map(|t| serde_json::from_str::<Value>(t).ok());
            assert_eq!(raw, parsed.get(k).map(|v| Some(v.clone())), "{k}");
        }
        assert_eq!(attrs.value(), &parsed);
        assert_eq!(attrs.as_object().map(|o| o.len()), Some(6));
        // Attributes built from a `Value` have no text.
        assert_eq!(Attributes::from(parsed).raw("a"), None);
    }

    #[test]
    fn non_objects_are_kept_as_they_are() {
        assert_eq!(lazy("null").value(), &Value::Null);
        assert_eq!(lazy("[1]").pointer("/0"), Some(&json!(1)));
    }

    #[test]
    fn editing_a_lazy_attribute_parses_it_first() {
        let mut attrs = lazy(r#"{"a": 1, "b": 2}"#);
        attrs["a"] = json!(3);
        attrs["c"] = json!(4);
        assert_eq!(attrs.value(), &json!({"a": 3, "b": 2, "c": 4}));
    }
}
