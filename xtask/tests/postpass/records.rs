///`Kind`: generated from `#/components/schemas/Kind` in the Case spec.
#[derive(Clone, Debug, Eq, Hash, Ord, PartialEq, PartialOrd)]
pub enum Kind {
    Alpha,
    Beta,
    /// A value this version of the spec does not list, kept as it came.
    Unknown(::std::string::String),
}
///`Record`: generated from `#/components/schemas/Record` in the Case spec.
#[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, Default, PartialEq)]
pub struct Record {
    #[serde(
        default,
        skip_serializing_if = "::std::option::Option::is_none",
        deserialize_with = "deserialize_some"
    )]
    pub count: ::std::option::Option<::std::option::Option<i64>>,
    #[serde(skip_serializing_if = "::std::option::Option::is_none")]
    pub id: ::std::option::Option<::std::string::String>,
    #[serde(skip_serializing_if = "::std::option::Option::is_none")]
    pub kind: ::std::option::Option<Kind>,
    #[serde(default, skip_serializing_if = "::std::option::Option::is_none")]
    pub meta: ::std::option::Option<
        ::indexmap::IndexMap<::std::string::String, ::std::string::String>,
    >,
    #[serde(
        default,
        skip_serializing_if = "::std::option::Option::is_none",
        deserialize_with = "deserialize_some"
    )]
    pub note: ::std::option::Option<::std::option::Option<::std::string::String>>,
    #[serde(skip_serializing_if = "::std::option::Option::is_none")]
    pub object: ::std::option::Option<RecordObject>,
    #[serde(
        default,
        skip_serializing_if = "::std::option::Option::is_none",
        deserialize_with = "deserialize_some"
    )]
    pub parent: ::std::option::Option<::std::option::Option<::std::boxed::Box<Record>>>,
    #[serde(skip_serializing_if = "::std::option::Option::is_none")]
    pub score: ::std::option::Option<::serde_json::Number>,
    #[serde(default, skip_serializing_if = "::std::option::Option::is_none")]
    pub tags: ::std::option::Option<::std::vec::Vec<::std::string::String>>,
    /// Fields this schema does not name, kept as they came.
    #[serde(flatten, default, skip_serializing_if = "::serde_json::Map::is_empty")]
    pub extra: ::serde_json::Map<::std::string::String, ::serde_json::Value>,
}
///`RecordObject`: an inline schema within `#/components/schemas/Record` in the Case spec.
#[derive(Clone, Debug, Eq, Hash, Ord, PartialEq, PartialOrd)]
pub enum RecordObject {
    Record,
    /// A value this version of the spec does not list, kept as it came.
    Unknown(::std::string::String),
}
pub mod error {
    /// Error from a `TryFrom` or `FromStr` implementation.
    pub struct ConversionError(::std::borrow::Cow<'static, str>);
    impl ::std::error::Error for ConversionError {}
    impl ::std::fmt::Display for ConversionError {
        fn fmt(
            &self,
            f: &mut ::std::fmt::Formatter<'_>,
        ) -> Result<(), ::std::fmt::Error> {
            ::std::fmt::Display::fmt(&self.0, f)
        }
    }
    impl ::std::fmt::Debug for ConversionError {
        fn fmt(
            &self,
            f: &mut ::std::fmt::Formatter<'_>,
        ) -> Result<(), ::std::fmt::Error> {
            ::std::fmt::Debug::fmt(&self.0, f)
        }
    }
    impl From<&'static str> for ConversionError {
        fn from(value: &'static str) -> Self {
            Self(value.into())
        }
    }
    impl From<String> for ConversionError {
        fn from(value: String) -> Self {
            Self(value.into())
        }
    }
}
const _: () = {
    impl Kind {
        /// The value as it is on the wire.
        pub fn as_str(&self) -> &str {
            match self {
                Self::Alpha => "alpha",
                Self::Beta => "beta",
                Self::Unknown(other) => other.as_str(),
            }
        }
        /// Whether the value is one this version of the spec does not list.
        pub fn is_unknown(&self) -> bool {
            matches!(self, Self::Unknown(_))
        }
    }
    impl ::std::convert::From<&str> for Kind {
        fn from(value: &str) -> Self {
            match value {
                "alpha" => Self::Alpha,
                "beta" => Self::Beta,
                other => Self::Unknown(other.to_owned()),
            }
        }
    }
    impl ::std::convert::From<::std::string::String> for Kind {
        fn from(value: ::std::string::String) -> Self {
            match value.as_str() {
                "alpha" => Self::Alpha,
                "beta" => Self::Beta,
                _ => Self::Unknown(value),
            }
        }
    }
    impl ::std::str::FromStr for Kind {
        type Err = ::std::convert::Infallible;
        fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
            Ok(Self::from(value))
        }
    }
    impl ::std::fmt::Display for Kind {
        fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
            f.write_str(self.as_str())
        }
    }
    impl ::serde::Serialize for Kind {
        fn serialize<S: ::serde::Serializer>(
            &self,
            serializer: S,
        ) -> ::std::result::Result<S::Ok, S::Error> {
            serializer.serialize_str(self.as_str())
        }
    }
    impl<'de> ::serde::Deserialize<'de> for Kind {
        fn deserialize<D: ::serde::Deserializer<'de>>(
            deserializer: D,
        ) -> ::std::result::Result<Self, D::Error> {
            deserializer
                .deserialize_str(OpenEnumVisitor::<Self>(::std::marker::PhantomData))
        }
    }
};
const _: () = {
    impl RecordObject {
        /// The value as it is on the wire.
        pub fn as_str(&self) -> &str {
            match self {
                Self::Record => "record",
                Self::Unknown(other) => other.as_str(),
            }
        }
        /// Whether the value is one this version of the spec does not list.
        pub fn is_unknown(&self) -> bool {
            matches!(self, Self::Unknown(_))
        }
    }
    impl ::std::convert::From<&str> for RecordObject {
        fn from(value: &str) -> Self {
            match value {
                "record" => Self::Record,
                other => Self::Unknown(other.to_owned()),
            }
        }
    }
    impl ::std::convert::From<::std::string::String> for RecordObject {
        fn from(value: ::std::string::String) -> Self {
            match value.as_str() {
                "record" => Self::Record,
                _ => Self::Unknown(value),
            }
        }
    }
    impl ::std::str::FromStr for RecordObject {
        type Err = ::std::convert::Infallible;
        fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
            Ok(Self::from(value))
        }
    }
    impl ::std::fmt::Display for RecordObject {
        fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
            f.write_str(self.as_str())
        }
    }
    impl ::serde::Serialize for RecordObject {
        fn serialize<S: ::serde::Serializer>(
            &self,
            serializer: S,
        ) -> ::std::result::Result<S::Ok, S::Error> {
            serializer.serialize_str(self.as_str())
        }
    }
    impl<'de> ::serde::Deserialize<'de> for RecordObject {
        fn deserialize<D: ::serde::Deserializer<'de>>(
            deserializer: D,
        ) -> ::std::result::Result<Self, D::Error> {
            deserializer
                .deserialize_str(OpenEnumVisitor::<Self>(::std::marker::PhantomData))
        }
    }
};
/// Fields a value holds that this version of the spec does not name (kept in the
/// `extra` of their struct), found anywhere inside it.
pub trait UnknownFields {
    /// Calls `found` with the JSON pointer of each unknown field, `at` (the
    /// value's own pointer) being its prefix; `at` is as it was on return.
    fn unknown_fields(
        &self,
        at: &mut ::std::string::String,
        found: &mut dyn FnMut(&str),
    );
}
/// Appends `/key` to a JSON pointer (`~` and `/` escaped).
fn push_key(at: &mut ::std::string::String, key: &str) {
    at.push('/');
    if !key.contains(['~', '/']) {
        at.push_str(key);
        return;
    }
    for c in key.chars() {
        match c {
            '~' => at.push_str("~0"),
            '/' => at.push_str("~1"),
            c => at.push(c),
        }
    }
}
/// Appends `/index` to a JSON pointer.
fn push_index(at: &mut ::std::string::String, index: usize) {
    use ::std::fmt::Write as _;
    let _ = ::std::write!(at, "/{index}");
}
impl UnknownFields for Record {
    #[allow(unused_variables)]
    fn unknown_fields(
        &self,
        at: &mut ::std::string::String,
        found: &mut dyn FnMut(&str),
    ) {
        {
            let len = at.len();
            at.push_str("/parent");
            if let ::std::option::Option::Some(v) = &self.parent {
                if let ::std::option::Option::Some(v) = v {
                    UnknownFields::unknown_fields(&**v, at, found);
                }
            }
            at.truncate(len);
        }
        for k in (&self.extra).keys() {
            let len = at.len();
            push_key(at, k);
            found(at);
            at.truncate(len);
        }
    }
}
/// The one string visitor behind every open enum's `Deserialize`.
struct OpenEnumVisitor<T>(::std::marker::PhantomData<T>);
impl<'de, T> ::serde::de::Visitor<'de> for OpenEnumVisitor<T>
where
    T: for<'a> ::std::convert::From<&'a str>
        + ::std::convert::From<::std::string::String>,
{
    type Value = T;
    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
        f.write_str("a string")
    }
    fn visit_str<E: ::serde::de::Error>(
        self,
        value: &str,
    ) -> ::std::result::Result<T, E> {
        Ok(T::from(value))
    }
    fn visit_string<E: ::serde::de::Error>(
        self,
        value: ::std::string::String,
    ) -> ::std::result::Result<T, E> {
        Ok(T::from(value))
    }
}
/// Deserializes a present value (or `null`) as `Some`, so that an optional
/// and nullable field tells absent (`None`) from `null` (`Some(None)`).
fn deserialize_some<'de, D, T>(
    deserializer: D,
) -> ::std::result::Result<::std::option::Option<T>, D::Error>
where
    D: ::serde::Deserializer<'de>,
    T: ::serde::Deserialize<'de>,
{
    <T as ::serde::Deserialize>::deserialize(deserializer)
        .map(::std::option::Option::Some)
}
