//! The JSON side of decoding: serde visitors that read a frame straight into
//! the few typed fields the engine looks at, borrowing every string that has
//! no escapes from the frame itself.
//!
//! Why not `serde_json::Value`: building a tree of `String`s and maps for
//! every frame, only to read a handful of keys, was a third of the client's
//! time under load. Why not `#[derive(Deserialize)]`: derived structs reject
//! duplicate keys and a mistyped field, where the tree kept the last value
//! and the accessors shrugged at a wrong type. These visitors keep the
//! tree's rules exactly: the last of duplicate keys wins, any JSON type is
//! accepted for any field (the accessors decide what it means), and values
//! nobody reads are still parsed in full ([`Skip`]), so a syntax error or an
//! out-of-range number anywhere in the frame still fails the frame.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{Deserialize, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Number;

/// One JSON value as the accessors read it.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) enum Scalar<'a> {
    /// The key was not there.
    #[default]
    Absent,
    Null,
    Str(Cow<'a, str>),
    Num(Number),
    Bool(bool),
    /// An array or object: validated, not kept.
    Composite,
}

impl Scalar<'_> {
    /// Present, even if `null` (what `Map::get(..).is_some()` said).
    pub(crate) fn is_present(&self) -> bool {
        !matches!(self, Scalar::Absent)
    }

    /// Present and not `null` (what the rich-to-thin flattening copies).
    pub(crate) fn is_some_value(&self) -> bool {
        !matches!(self, Scalar::Absent | Scalar::Null)
    }

    pub(crate) fn as_str(&self) -> Option<&str> {
        match self {
            Scalar::Str(s) => Some(s),
            _ => None,
        }
    }

    pub(crate) fn as_bool(&self) -> Option<bool> {
        match self {
            Scalar::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// Reads an id-like value as a string. Ids are opaque strings on the
    /// wire, but a careless producer may send a number; anything else is
    /// absent. Borrowed unless it was a number or had escapes.
    pub(crate) fn id(&self) -> Option<Cow<'_, str>> {
        match self {
            Scalar::Str(s) => Some(Cow::Borrowed(s)),
            Scalar::Num(n) => Some(Cow::Owned(n.to_string())),
            _ => None,
        }
    }
}

impl<'de> Deserialize<'de> for Scalar<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ScalarVisitor)
    }
}

struct ScalarVisitor;

impl<'de> Visitor<'de> for ScalarVisitor {
    type Value = Scalar<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Scalar::Str(Cow::Borrowed(v)))
    }
    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Scalar::Str(Cow::Owned(v.to_owned())))
    }
    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(Scalar::Str(Cow::Owned(v)))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Scalar::Num(v.into()))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Scalar::Num(v.into()))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
        // As `Value` does: a float JSON cannot represent reads as null.
        Ok(Number::from_f64(v).map_or(Scalar::Null, Scalar::Num))
    }
    fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Scalar::Bool(v))
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(Scalar::Null)
    }
    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(Scalar::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        SkipVisitor.visit_seq(seq).map(|_| Scalar::Composite)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        SkipVisitor.visit_map(map).map(|_| Scalar::Composite)
    }
}

/// A value nobody reads, parsed in full and dropped without allocating.
/// (`serde::de::IgnoredAny` only scans numbers, so `1e400` would pass.)
pub(crate) struct Skip;

impl<'de> Deserialize<'de> for Skip {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(SkipVisitor)
    }
}

struct SkipVisitor;

impl<'de> Visitor<'de> for SkipVisitor {
    type Value = Skip;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_str<E>(self, _: &str) -> Result<Skip, E> {
        Ok(Skip)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Skip, E> {
        Ok(Skip)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Skip, E> {
        Ok(Skip)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Skip, E> {
        Ok(Skip)
    }
    fn visit_bool<E>(self, _: bool) -> Result<Skip, E> {
        Ok(Skip)
    }
    fn visit_unit<E>(self) -> Result<Skip, E> {
        Ok(Skip)
    }
    fn visit_none<E>(self) -> Result<Skip, E> {
        Ok(Skip)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Skip, A::Error> {
        while seq.next_element::<Skip>()?.is_some() {}
        Ok(Skip)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Skip, A::Error> {
        while map.next_entry::<Skip, Skip>()?.is_some() {}
        Ok(Skip)
    }
}

/// A JSON object read into typed fields: a key is mapped to a field name
/// (without allocating, escaped or not) and its value read into that field;
/// a later duplicate overwrites an earlier one.
pub(crate) trait Fields<'de>: Default {
    type Key: for<'k> From<&'k str>;
    fn read<A: MapAccess<'de>>(&mut self, key: Self::Key, map: &mut A) -> Result<(), A::Error>;
}

/// A value expected to be an object, read where it lies: what it was
/// (`null`, an object, or something else, which was still validated), and
/// its fields, which are the defaults unless it was an object.
///
/// The fields are always there, not only in an `Object` variant, so that
/// reading an object fills them in place: the typed fields of a frame are
/// most of a kilobyte, and building them anew for each object (then moving
/// them into place) was a visible share of a flood's time in `memmove`.
#[derive(Clone, Debug, Default)]
pub(crate) struct Shape<T> {
    pub(crate) kind: ShapeKind,
    fields: T,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) enum ShapeKind {
    #[default]
    Absent,
    Null,
    Object,
    Other,
}

impl<T> Shape<T> {
    pub(crate) fn object(&self) -> Option<&T> {
        (self.kind == ShapeKind::Object).then_some(&self.fields)
    }

    pub(crate) fn object_mut(&mut self) -> Option<&mut T> {
        (self.kind == ShapeKind::Object).then_some(&mut self.fields)
    }
}

/// Only what [`Shape::object`] shows counts: the fields of a value that
/// turned out not to be an object are not compared.
impl<T: PartialEq> PartialEq for Shape<T> {
    fn eq(&self, other: &Self) -> bool {
        self.kind == other.kind && self.object() == other.object()
    }
}

/// Reads a value into a [`Shape`] where it lies (see there why).
pub(crate) struct ShapeSeed<'s, T>(pub(crate) &'s mut Shape<T>);

impl<'de, T: Fields<'de>> DeserializeSeed<'de> for ShapeSeed<'_, T> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de, T: Fields<'de>> Visitor<'de> for ShapeSeed<'_, T> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let fields = self.0.fill();
        while let Some(FieldKey(key)) = map.next_key::<FieldKey<T::Key>>()? {
            fields.read(key, &mut map)?;
        }
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        self.0.kind = ShapeKind::Null;
        Ok(())
    }
    fn visit_none<E>(self) -> Result<(), E> {
        self.0.kind = ShapeKind::Null;
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        SkipVisitor.visit_seq(seq)?;
        self.0.kind = ShapeKind::Other;
        Ok(())
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        self.0.kind = ShapeKind::Other;
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        self.0.kind = ShapeKind::Other;
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        self.0.kind = ShapeKind::Other;
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        self.0.kind = ShapeKind::Other;
        Ok(())
    }
    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        self.0.kind = ShapeKind::Other;
        Ok(())
    }
}

impl<T: Default> Shape<T> {
    /// Takes the object's fields, or empty ones when it was not an object.
    pub(crate) fn take_object(&mut self) -> T {
        match std::mem::take(&mut self.kind) {
            ShapeKind::Object => std::mem::take(&mut self.fields),
            _ => T::default(),
        }
    }

    /// Becomes an empty object and hands out its fields. They are still
    /// the defaults unless an earlier duplicate key wrote them: only then
    /// are they reset (the later key starts afresh).
    fn fill(&mut self) -> &mut T {
        if self.kind != ShapeKind::Absent {
            self.fields = T::default();
        }
        self.kind = ShapeKind::Object;
        &mut self.fields
    }
}

/// An object key turned straight into a field name.
struct FieldKey<K>(K);

impl<'de, K: for<'k> From<&'k str>> Deserialize<'de> for FieldKey<K> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor<K>(PhantomData<K>);
        impl<K: for<'k> From<&'k str>> Visitor<'_> for KeyVisitor<K> {
            type Value = FieldKey<K>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object key")
            }
            fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
                Ok(FieldKey(K::from(v)))
            }
        }
        deserializer.deserialize_str(KeyVisitor(PhantomData))
    }
}

/// A value expected to be an array of ids; anything else is `NotAList`.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) enum List<'a> {
    #[default]
    NotAList,
    Items(Vec<Scalar<'a>>),
}

impl<'de> Deserialize<'de> for List<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ListVisitor)
    }
}

struct ListVisitor;

impl<'de> Visitor<'de> for ListVisitor {
    type Value = List<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Scalar<'de>>()? {
            items.push(item);
        }
        Ok(List::Items(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        SkipVisitor.visit_map(map).map(|_| List::NotAList)
    }
    fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
        Ok(List::NotAList)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
        Ok(List::NotAList)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
        Ok(List::NotAList)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
        Ok(List::NotAList)
    }
    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Ok(List::NotAList)
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(List::NotAList)
    }
    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(List::NotAList)
    }
}
