///`Content`: generated from `#/components/schemas/Content` in the Case spec.
#[derive(::serde::Serialize, Clone, Debug, PartialEq)]
#[serde(untagged)]
pub enum Content {
    String(::std::string::String),
    Array(::std::vec::Vec<Part>),
    /// A variant this version of the spec does not know, kept whole.
    Unknown(::serde_json::Value),
}
impl ::std::convert::From<::std::vec::Vec<Part>> for Content {
    fn from(value: ::std::vec::Vec<Part>) -> Self {
        Self::Array(value)
    }
}
///`EasyMessage`: generated from `#/components/schemas/EasyMessage` in the Case spec.
#[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, Default, PartialEq)]
pub struct EasyMessage {
    #[serde(skip_serializing_if = "::std::option::Option::is_none")]
    pub content: ::std::option::Option<Content>,
    #[serde(skip_serializing_if = "::std::option::Option::is_none")]
    pub role: ::std::option::Option<EasyMessageRole>,
    #[serde(rename = "type", skip_serializing_if = "::std::option::Option::is_none")]
    pub type_: ::std::option::Option<EasyMessageType>,
    /// Fields this schema does not name, kept as they came.
    #[serde(flatten, default, skip_serializing_if = "::serde_json::Map::is_empty")]
    pub extra: ::serde_json::Map<::std::string::String, ::serde_json::Value>,
}
///`EasyMessageRole`: an inline schema within `#/components/schemas/EasyMessage` in the Case spec.
#[derive(Clone, Debug, Eq, Hash, Ord, PartialEq, PartialOrd)]
pub enum EasyMessageRole {
    User,
    Assistant,
    /// A value this version of the spec does not list, kept as it came.
    Unknown(::std::string::String),
}
///`EasyMessageType`: an inline schema within `#/components/schemas/EasyMessage` in the Case spec.
#[derive(Clone, Debug, Eq, Hash, Ord, PartialEq, PartialOrd)]
pub enum EasyMessageType {
    Message,
    /// A value this version of the spec does not list, kept as it came.
    Unknown(::std::string::String),
}
///`FunctionCall`: generated from `#/components/schemas/FunctionCall` in the Case spec.
#[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, Default, PartialEq)]
pub struct FunctionCall {
    #[serde(skip_serializing_if = "::std::option::Option::is_none")]
    pub arguments: ::std::option::Option<::std::string::String>,
    #[serde(skip_serializing_if = "::std::option::Option::is_none")]
    pub name: ::std::option::Option<::std::string::String>,
    #[serde(rename = "type", skip_serializing_if = "::std::option::Option::is_none")]
    pub type_: ::std::option::Option<FunctionCallType>,
    /// Fields this schema does not name, kept as they came.
    #[serde(flatten, default, skip_serializing_if = "::serde_json::Map::is_empty")]
    pub extra: ::serde_json::Map<::std::string::String, ::serde_json::Value>,
}
///`FunctionCallType`: an inline schema within `#/components/schemas/FunctionCall` in the Case spec.
#[derive(Clone, Debug, Eq, Hash, Ord, PartialEq, PartialOrd)]
pub enum FunctionCallType {
    FunctionCall,
    /// A value this version of the spec does not list, kept as it came.
    Unknown(::std::string::String),
}
///`InputItem`: generated from `#/components/schemas/InputItem` in the Case spec.
#[derive(::serde::Serialize, Clone, Debug, PartialEq)]
#[serde(untagged)]
pub enum InputItem {
    EasyMessage(EasyMessage),
    Item(Item),
    /// A variant this version of the spec does not know, kept whole.
    Unknown(::serde_json::Value),
}
impl ::std::convert::From<EasyMessage> for InputItem {
    fn from(value: EasyMessage) -> Self {
        Self::EasyMessage(value)
    }
}
impl ::std::convert::From<Item> for InputItem {
    fn from(value: Item) -> Self {
        Self::Item(value)
    }
}
///`InputMessage`: generated from `#/components/schemas/InputMessage` in the Case spec.
#[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, Default, PartialEq)]
pub struct InputMessage {
    #[serde(skip_serializing_if = "::std::option::Option::is_none")]
    pub content: ::std::option::Option<Content>,
    #[serde(skip_serializing_if = "::std::option::Option::is_none")]
    pub role: ::std::option::Option<InputMessageRole>,
    #[serde(rename = "type", skip_serializing_if = "::std::option::Option::is_none")]
    pub type_: ::std::option::Option<InputMessageType>,
    /// Fields this schema does not name, kept as they came.
    #[serde(flatten, default, skip_serializing_if = "::serde_json::Map::is_empty")]
    pub extra: ::serde_json::Map<::std::string::String, ::serde_json::Value>,
}
///`InputMessageRole`: an inline schema within `#/components/schemas/InputMessage` in the Case spec.
#[derive(Clone, Debug, Eq, Hash, Ord, PartialEq, PartialOrd)]
pub enum InputMessageRole {
    User,
    System,
    /// A value this version of the spec does not list, kept as it came.
    Unknown(::std::string::String),
}
///`InputMessageType`: an inline schema within `#/components/schemas/InputMessage` in the Case spec.
#[derive(Clone, Debug, Eq, Hash, Ord, PartialEq, PartialOrd)]
pub enum InputMessageType {
    Message,
    /// A value this version of the spec does not list, kept as it came.
    Unknown(::std::string::String),
}
///`Item`: generated from `#/components/schemas/Item` in the Case spec.
#[derive(::serde::Serialize, Clone, Debug, PartialEq)]
#[serde(untagged)]
pub enum Item {
    InputMessage(InputMessage),
    OutputMessage(OutputMessage),
    FunctionCall(FunctionCall),
    WebSearch(WebSearch),
    /// A variant this version of the spec does not know, kept whole.
    Unknown(::serde_json::Value),
}
impl ::std::convert::From<InputMessage> for Item {
    fn from(value: InputMessage) -> Self {
        Self::InputMessage(value)
    }
}
impl ::std::convert::From<OutputMessage> for Item {
    fn from(value: OutputMessage) -> Self {
        Self::OutputMessage(value)
    }
}
impl ::std::convert::From<FunctionCall> for Item {
    fn from(value: FunctionCall) -> Self {
        Self::FunctionCall(value)
    }
}
impl ::std::convert::From<WebSearch> for Item {
    fn from(value: WebSearch) -> Self {
        Self::WebSearch(value)
    }
}
///`OutputMessage`: generated from `#/components/schemas/OutputMessage` in the Case spec.
#[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, Default, PartialEq)]
pub struct OutputMessage {
    #[serde(skip_serializing_if = "::std::option::Option::is_none")]
    pub content: ::std::option::Option<Content>,
    #[serde(skip_serializing_if = "::std::option::Option::is_none")]
    pub id: ::std::option::Option<::std::string::String>,
    #[serde(skip_serializing_if = "::std::option::Option::is_none")]
    pub role: ::std::option::Option<OutputMessageRole>,
    #[serde(rename = "type", skip_serializing_if = "::std::option::Option::is_none")]
    pub type_: ::std::option::Option<OutputMessageType>,
    /// Fields this schema does not name, kept as they came.
    #[serde(flatten, default, skip_serializing_if = "::serde_json::Map::is_empty")]
    pub extra: ::serde_json::Map<::std::string::String, ::serde_json::Value>,
}
///`OutputMessageRole`: an inline schema within `#/components/schemas/OutputMessage` in the Case spec.
#[derive(Clone, Debug, Eq, Hash, Ord, PartialEq, PartialOrd)]
pub enum OutputMessageRole {
    Assistant,
    /// A value this version of the spec does not list, kept as it came.
    Unknown(::std::string::String),
}
///`OutputMessageType`: an inline schema within `#/components/schemas/OutputMessage` in the Case spec.
#[derive(Clone, Debug, Eq, Hash, Ord, PartialEq, PartialOrd)]
pub enum OutputMessageType {
    Message,
    /// A value this version of the spec does not list, kept as it came.
    Unknown(::std::string::String),
}
///`Part`: generated from `#/components/schemas/Part` in the Case spec.
#[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, Default, PartialEq)]
pub struct Part {
    #[serde(skip_serializing_if = "::std::option::Option::is_none")]
    pub text: ::std::option::Option<::std::string::String>,
    #[serde(rename = "type", skip_serializing_if = "::std::option::Option::is_none")]
    pub type_: ::std::option::Option<PartType>,
    /// Fields this schema does not name, kept as they came.
    #[serde(flatten, default, skip_serializing_if = "::serde_json::Map::is_empty")]
    pub extra: ::serde_json::Map<::std::string::String, ::serde_json::Value>,
}
///`PartType`: an inline schema within `#/components/schemas/Part` in the Case spec.
#[derive(Clone, Debug, Eq, Hash, Ord, PartialEq, PartialOrd)]
pub enum PartType {
    Text,
    /// A value this version of the spec does not list, kept as it came.
    Unknown(::std::string::String),
}
///`WebSearch`: generated from `#/components/schemas/WebSearch` in the Case spec.
#[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, Default, PartialEq)]
pub struct WebSearch {
    #[serde(skip_serializing_if = "::std::option::Option::is_none")]
    pub query: ::std::option::Option<::std::string::String>,
    #[serde(rename = "type", skip_serializing_if = "::std::option::Option::is_none")]
    pub type_: ::std::option::Option<WebSearchType>,
    /// Fields this schema does not name, kept as they came.
    #[serde(flatten, default, skip_serializing_if = "::serde_json::Map::is_empty")]
    pub extra: ::serde_json::Map<::std::string::String, ::serde_json::Value>,
}
///`WebSearchType`: an inline schema within `#/components/schemas/WebSearch` in the Case spec.
#[derive(Clone, Debug, Eq, Hash, Ord, PartialEq, PartialOrd)]
pub enum WebSearchType {
    WebSearch,
    WebSearch20250826,
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
    impl Content {
        /// Whether this is a variant this version of the spec does not know.
        pub fn is_unknown(&self) -> bool {
            matches!(self, Self::Unknown(_))
        }
    }
    impl<'de> ::serde::Deserialize<'de> for Content {
        fn deserialize<D: ::serde::Deserializer<'de>>(
            deserializer: D,
        ) -> ::std::result::Result<Self, D::Error> {
            #[allow(unused_imports)]
            use ::serde::de::Error as _;
            let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(
                deserializer,
            )?;
            if let Ok(v) = <::std::string::String as ::serde::Deserialize>::deserialize(
                &value,
            ) {
                return Ok(Self::String(v));
            }
            if let Ok(v) = <::std::vec::Vec<
                Part,
            > as ::serde::Deserialize>::deserialize(&value) {
                if ::serde_json::to_value(&v).ok().as_ref() == Some(&value) {
                    return Ok(Self::Array(v));
                }
            }
            Ok(Self::Unknown(value))
        }
    }
};
const _: () = {
    impl EasyMessageRole {
        /// The value as it is on the wire.
        pub fn as_str(&self) -> &str {
            match self {
                Self::User => "user",
                Self::Assistant => "assistant",
                Self::Unknown(other) => other.as_str(),
            }
        }
        /// Whether the value is one this version of the spec does not list.
        pub fn is_unknown(&self) -> bool {
            matches!(self, Self::Unknown(_))
        }
    }
    impl ::std::convert::From<&str> for EasyMessageRole {
        fn from(value: &str) -> Self {
            match value {
                "user" => Self::User,
                "assistant" => Self::Assistant,
                other => Self::Unknown(other.to_owned()),
            }
        }
    }
    impl ::std::convert::From<::std::string::String> for EasyMessageRole {
        fn from(value: ::std::string::String) -> Self {
            match value.as_str() {
                "user" => Self::User,
                "assistant" => Self::Assistant,
                _ => Self::Unknown(value),
            }
        }
    }
    impl ::std::str::FromStr for EasyMessageRole {
        type Err = ::std::convert::Infallible;
        fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
            Ok(Self::from(value))
        }
    }
    impl ::std::fmt::Display for EasyMessageRole {
        fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
            f.write_str(self.as_str())
        }
    }
    impl ::serde::Serialize for EasyMessageRole {
        fn serialize<S: ::serde::Serializer>(
            &self,
            serializer: S,
        ) -> ::std::result::Result<S::Ok, S::Error> {
            serializer.serialize_str(self.as_str())
        }
    }
    impl<'de> ::serde::Deserialize<'de> for EasyMessageRole {
        fn deserialize<D: ::serde::Deserializer<'de>>(
            deserializer: D,
        ) -> ::std::result::Result<Self, D::Error> {
            deserializer
                .deserialize_str(OpenEnumVisitor::<Self>(::std::marker::PhantomData))
        }
    }
};
const _: () = {
    impl EasyMessageType {
        /// The value as it is on the wire.
        pub fn as_str(&self) -> &str {
            match self {
                Self::Message => "message",
                Self::Unknown(other) => other.as_str(),
            }
        }
        /// Whether the value is one this version of the spec does not list.
        pub fn is_unknown(&self) -> bool {
            matches!(self, Self::Unknown(_))
        }
    }
    impl ::std::convert::From<&str> for EasyMessageType {
        fn from(value: &str) -> Self {
            match value {
                "message" => Self::Message,
                other => Self::Unknown(other.to_owned()),
            }
        }
    }
    impl ::std::convert::From<::std::string::String> for EasyMessageType {
        fn from(value: ::std::string::String) -> Self {
            match value.as_str() {
                "message" => Self::Message,
                _ => Self::Unknown(value),
            }
        }
    }
    impl ::std::str::FromStr for EasyMessageType {
        type Err = ::std::convert::Infallible;
        fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
            Ok(Self::from(value))
        }
    }
    impl ::std::fmt::Display for EasyMessageType {
        fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
            f.write_str(self.as_str())
        }
    }
    impl ::serde::Serialize for EasyMessageType {
        fn serialize<S: ::serde::Serializer>(
            &self,
            serializer: S,
        ) -> ::std::result::Result<S::Ok, S::Error> {
            serializer.serialize_str(self.as_str())
        }
    }
    impl<'de> ::serde::Deserialize<'de> for EasyMessageType {
        fn deserialize<D: ::serde::Deserializer<'de>>(
            deserializer: D,
        ) -> ::std::result::Result<Self, D::Error> {
            deserializer
                .deserialize_str(OpenEnumVisitor::<Self>(::std::marker::PhantomData))
        }
    }
};
const _: () = {
    impl FunctionCallType {
        /// The value as it is on the wire.
        pub fn as_str(&self) -> &str {
            match self {
                Self::FunctionCall => "function_call",
                Self::Unknown(other) => other.as_str(),
            }
        }
        /// Whether the value is one this version of the spec does not list.
        pub fn is_unknown(&self) -> bool {
            matches!(self, Self::Unknown(_))
        }
    }
    impl ::std::convert::From<&str> for FunctionCallType {
        fn from(value: &str) -> Self {
            match value {
                "function_call" => Self::FunctionCall,
                other => Self::Unknown(other.to_owned()),
            }
        }
    }
    impl ::std::convert::From<::std::string::String> for FunctionCallType {
        fn from(value: ::std::string::String) -> Self {
            match value.as_str() {
                "function_call" => Self::FunctionCall,
                _ => Self::Unknown(value),
            }
        }
    }
    impl ::std::str::FromStr for FunctionCallType {
        type Err = ::std::convert::Infallible;
        fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
            Ok(Self::from(value))
        }
    }
    impl ::std::fmt::Display for FunctionCallType {
        fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
            f.write_str(self.as_str())
        }
    }
    impl ::serde::Serialize for FunctionCallType {
        fn serialize<S: ::serde::Serializer>(
            &self,
            serializer: S,
        ) -> ::std::result::Result<S::Ok, S::Error> {
            serializer.serialize_str(self.as_str())
        }
    }
    impl<'de> ::serde::Deserialize<'de> for FunctionCallType {
        fn deserialize<D: ::serde::Deserializer<'de>>(
            deserializer: D,
        ) -> ::std::result::Result<Self, D::Error> {
            deserializer
                .deserialize_str(OpenEnumVisitor::<Self>(::std::marker::PhantomData))
        }
    }
};
const _: () = {
    impl InputItem {
        /// Whether this is a variant this version of the spec does not know.
        pub fn is_unknown(&self) -> bool {
            matches!(self, Self::Unknown(_))
        }
    }
    impl<'de> ::serde::Deserialize<'de> for InputItem {
        fn deserialize<D: ::serde::Deserializer<'de>>(
            deserializer: D,
        ) -> ::std::result::Result<Self, D::Error> {
            #[allow(unused_imports)]
            use ::serde::de::Error as _;
            let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(
                deserializer,
            )?;
            match value.get("type").and_then(::serde_json::Value::as_str) {
                Some("message") => {
                    {
                        let mut loose = None;
                        if let Ok(v) = <EasyMessage as ::serde::Deserialize>::deserialize(
                            &value,
                        ) {
                            if ::serde_json::to_value(&v).ok().as_ref() == Some(&value) {
                                if v.extra.is_empty() {
                                    return Ok(Self::EasyMessage(v));
                                }
                                loose.get_or_insert(Self::EasyMessage(v));
                            }
                        }
                        if let Ok(v) = <Item as ::serde::Deserialize>::deserialize(
                            &value,
                        ) {
                            if ::serde_json::to_value(&v).ok().as_ref() == Some(&value) {
                                if !v.is_unknown() {
                                    return Ok(Self::Item(v));
                                }
                                loose.get_or_insert(Self::Item(v));
                            }
                        }
                        if let Some(v) = loose {
                            return Ok(v);
                        }
                    }
                    return Ok(Self::Unknown(value));
                }
                Some("function_call" | "web_search" | "web_search_2025_08_26") => {
                    return Ok(
                        match ::serde::Deserialize::deserialize(&value) {
                            Ok(v) => Self::Item(v),
                            Err(_) => Self::Unknown(value),
                        },
                    );
                }
                Some(_) => return Ok(Self::Unknown(value)),
                None => {}
            }
            {
                let mut loose = None;
                if let Ok(v) = <EasyMessage as ::serde::Deserialize>::deserialize(
                    &value,
                ) {
                    if ::serde_json::to_value(&v).ok().as_ref() == Some(&value) {
                        if v.extra.is_empty() {
                            return Ok(Self::EasyMessage(v));
                        }
                        loose.get_or_insert(Self::EasyMessage(v));
                    }
                }
                if let Ok(v) = <Item as ::serde::Deserialize>::deserialize(&value) {
                    if ::serde_json::to_value(&v).ok().as_ref() == Some(&value) {
                        if !v.is_unknown() {
                            return Ok(Self::Item(v));
                        }
                        loose.get_or_insert(Self::Item(v));
                    }
                }
                if let Some(v) = loose {
                    return Ok(v);
                }
            }
            Ok(Self::Unknown(value))
        }
    }
};
const _: () = {
    impl InputMessageRole {
        /// The value as it is on the wire.
        pub fn as_str(&self) -> &str {
            match self {
                Self::User => "user",
                Self::System => "system",
                Self::Unknown(other) => other.as_str(),
            }
        }
        /// Whether the value is one this version of the spec does not list.
        pub fn is_unknown(&self) -> bool {
            matches!(self, Self::Unknown(_))
        }
    }
    impl ::std::convert::From<&str> for InputMessageRole {
        fn from(value: &str) -> Self {
            match value {
                "user" => Self::User,
                "system" => Self::System,
                other => Self::Unknown(other.to_owned()),
            }
        }
    }
    impl ::std::convert::From<::std::string::String> for InputMessageRole {
        fn from(value: ::std::string::String) -> Self {
            match value.as_str() {
                "user" => Self::User,
                "system" => Self::System,
                _ => Self::Unknown(value),
            }
        }
    }
    impl ::std::str::FromStr for InputMessageRole {
        type Err = ::std::convert::Infallible;
        fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
            Ok(Self::from(value))
        }
    }
    impl ::std::fmt::Display for InputMessageRole {
        fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
            f.write_str(self.as_str())
        }
    }
    impl ::serde::Serialize for InputMessageRole {
        fn serialize<S: ::serde::Serializer>(
            &self,
            serializer: S,
        ) -> ::std::result::Result<S::Ok, S::Error> {
            serializer.serialize_str(self.as_str())
        }
    }
    impl<'de> ::serde::Deserialize<'de> for InputMessageRole {
        fn deserialize<D: ::serde::Deserializer<'de>>(
            deserializer: D,
        ) -> ::std::result::Result<Self, D::Error> {
            deserializer
                .deserialize_str(OpenEnumVisitor::<Self>(::std::marker::PhantomData))
        }
    }
};
const _: () = {
    impl InputMessageType {
        /// The value as it is on the wire.
        pub fn as_str(&self) -> &str {
            match self {
                Self::Message => "message",
                Self::Unknown(other) => other.as_str(),
            }
        }
        /// Whether the value is one this version of the spec does not list.
        pub fn is_unknown(&self) -> bool {
            matches!(self, Self::Unknown(_))
        }
    }
    impl ::std::convert::From<&str> for InputMessageType {
        fn from(value: &str) -> Self {
            match value {
                "message" => Self::Message,
                other => Self::Unknown(other.to_owned()),
            }
        }
    }
    impl ::std::convert::From<::std::string::String> for InputMessageType {
        fn from(value: ::std::string::String) -> Self {
            match value.as_str() {
                "message" => Self::Message,
                _ => Self::Unknown(value),
            }
        }
    }
    impl ::std::str::FromStr for InputMessageType {
        type Err = ::std::convert::Infallible;
        fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
            Ok(Self::from(value))
        }
    }
    impl ::std::fmt::Display for InputMessageType {
        fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
            f.write_str(self.as_str())
        }
    }
    impl ::serde::Serialize for InputMessageType {
        fn serialize<S: ::serde::Serializer>(
            &self,
            serializer: S,
        ) -> ::std::result::Result<S::Ok, S::Error> {
            serializer.serialize_str(self.as_str())
        }
    }
    impl<'de> ::serde::Deserialize<'de> for InputMessageType {
        fn deserialize<D: ::serde::Deserializer<'de>>(
            deserializer: D,
        ) -> ::std::result::Result<Self, D::Error> {
            deserializer
                .deserialize_str(OpenEnumVisitor::<Self>(::std::marker::PhantomData))
        }
    }
};
const _: () = {
    impl Item {
        /// Whether this is a variant this version of the spec does not know.
        pub fn is_unknown(&self) -> bool {
            matches!(self, Self::Unknown(_))
        }
    }
    impl<'de> ::serde::Deserialize<'de> for Item {
        fn deserialize<D: ::serde::Deserializer<'de>>(
            deserializer: D,
        ) -> ::std::result::Result<Self, D::Error> {
            #[allow(unused_imports)]
            use ::serde::de::Error as _;
            let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(
                deserializer,
            )?;
            match value.get("type").and_then(::serde_json::Value::as_str) {
                Some("message") => {
                    match value.get("role").and_then(::serde_json::Value::as_str) {
                        Some("user" | "system") => {
                            return Ok(
                                match ::serde::Deserialize::deserialize(&value) {
                                    Ok(v) => Self::InputMessage(v),
                                    Err(_) => Self::Unknown(value),
                                },
                            );
                        }
                        Some("assistant") => {
                            return Ok(
                                match ::serde::Deserialize::deserialize(&value) {
                                    Ok(v) => Self::OutputMessage(v),
                                    Err(_) => Self::Unknown(value),
                                },
                            );
                        }
                        Some(_) | None => {}
                    }
                    {
                        let mut loose = None;
                        if let Ok(v) = <InputMessage as ::serde::Deserialize>::deserialize(
                            &value,
                        ) {
                            if ::serde_json::to_value(&v).ok().as_ref() == Some(&value) {
                                if v.extra.is_empty() {
                                    return Ok(Self::InputMessage(v));
                                }
                                loose.get_or_insert(Self::InputMessage(v));
                            }
                        }
                        if let Ok(v) = <OutputMessage as ::serde::Deserialize>::deserialize(
                            &value,
                        ) {
                            if ::serde_json::to_value(&v).ok().as_ref() == Some(&value) {
                                if v.extra.is_empty() {
                                    return Ok(Self::OutputMessage(v));
                                }
                                loose.get_or_insert(Self::OutputMessage(v));
                            }
                        }
                        if let Some(v) = loose {
                            return Ok(v);
                        }
                    }
                    return Ok(Self::Unknown(value));
                }
                Some("function_call") => {
                    return Ok(
                        match ::serde::Deserialize::deserialize(&value) {
                            Ok(v) => Self::FunctionCall(v),
                            Err(_) => Self::Unknown(value),
                        },
                    );
                }
                Some("web_search" | "web_search_2025_08_26") => {
                    return Ok(
                        match ::serde::Deserialize::deserialize(&value) {
                            Ok(v) => Self::WebSearch(v),
                            Err(_) => Self::Unknown(value),
                        },
                    );
                }
                Some(_) => return Ok(Self::Unknown(value)),
                None => {}
            }
            {
                let mut loose = None;
                if let Ok(v) = <InputMessage as ::serde::Deserialize>::deserialize(
                    &value,
                ) {
                    if ::serde_json::to_value(&v).ok().as_ref() == Some(&value) {
                        if v.extra.is_empty() {
                            return Ok(Self::InputMessage(v));
                        }
                        loose.get_or_insert(Self::InputMessage(v));
                    }
                }
                if let Ok(v) = <OutputMessage as ::serde::Deserialize>::deserialize(
                    &value,
                ) {
                    if ::serde_json::to_value(&v).ok().as_ref() == Some(&value) {
                        if v.extra.is_empty() {
                            return Ok(Self::OutputMessage(v));
                        }
                        loose.get_or_insert(Self::OutputMessage(v));
                    }
                }
                if let Ok(v) = <FunctionCall as ::serde::Deserialize>::deserialize(
                    &value,
                ) {
                    if ::serde_json::to_value(&v).ok().as_ref() == Some(&value) {
                        if v.extra.is_empty() {
                            return Ok(Self::FunctionCall(v));
                        }
                        loose.get_or_insert(Self::FunctionCall(v));
                    }
                }
                if let Ok(v) = <WebSearch as ::serde::Deserialize>::deserialize(&value) {
                    if ::serde_json::to_value(&v).ok().as_ref() == Some(&value) {
                        if v.extra.is_empty() {
                            return Ok(Self::WebSearch(v));
                        }
                        loose.get_or_insert(Self::WebSearch(v));
                    }
                }
                if let Some(v) = loose {
                    return Ok(v);
                }
            }
            Ok(Self::Unknown(value))
        }
    }
};
const _: () = {
    impl OutputMessageRole {
        /// The value as it is on the wire.
        pub fn as_str(&self) -> &str {
            match self {
                Self::Assistant => "assistant",
                Self::Unknown(other) => other.as_str(),
            }
        }
        /// Whether the value is one this version of the spec does not list.
        pub fn is_unknown(&self) -> bool {
            matches!(self, Self::Unknown(_))
        }
    }
    impl ::std::convert::From<&str> for OutputMessageRole {
        fn from(value: &str) -> Self {
            match value {
                "assistant" => Self::Assistant,
                other => Self::Unknown(other.to_owned()),
            }
        }
    }
    impl ::std::convert::From<::std::string::String> for OutputMessageRole {
        fn from(value: ::std::string::String) -> Self {
            match value.as_str() {
                "assistant" => Self::Assistant,
                _ => Self::Unknown(value),
            }
        }
    }
    impl ::std::str::FromStr for OutputMessageRole {
        type Err = ::std::convert::Infallible;
        fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
            Ok(Self::from(value))
        }
    }
    impl ::std::fmt::Display for OutputMessageRole {
        fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
            f.write_str(self.as_str())
        }
    }
    impl ::serde::Serialize for OutputMessageRole {
        fn serialize<S: ::serde::Serializer>(
            &self,
            serializer: S,
        ) -> ::std::result::Result<S::Ok, S::Error> {
            serializer.serialize_str(self.as_str())
        }
    }
    impl<'de> ::serde::Deserialize<'de> for OutputMessageRole {
        fn deserialize<D: ::serde::Deserializer<'de>>(
            deserializer: D,
        ) -> ::std::result::Result<Self, D::Error> {
            deserializer
                .deserialize_str(OpenEnumVisitor::<Self>(::std::marker::PhantomData))
        }
    }
};
const _: () = {
    impl OutputMessageType {
        /// The value as it is on the wire.
        pub fn as_str(&self) -> &str {
            match self {
                Self::Message => "message",
                Self::Unknown(other) => other.as_str(),
            }
        }
        /// Whether the value is one this version of the spec does not list.
        pub fn is_unknown(&self) -> bool {
            matches!(self, Self::Unknown(_))
        }
    }
    impl ::std::convert::From<&str> for OutputMessageType {
        fn from(value: &str) -> Self {
            match value {
                "message" => Self::Message,
                other => Self::Unknown(other.to_owned()),
            }
        }
    }
    impl ::std::convert::From<::std::string::String> for OutputMessageType {
        fn from(value: ::std::string::String) -> Self {
            match value.as_str() {
                "message" => Self::Message,
                _ => Self::Unknown(value),
            }
        }
    }
    impl ::std::str::FromStr for OutputMessageType {
        type Err = ::std::convert::Infallible;
        fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
            Ok(Self::from(value))
        }
    }
    impl ::std::fmt::Display for OutputMessageType {
        fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
            f.write_str(self.as_str())
        }
    }
    impl ::serde::Serialize for OutputMessageType {
        fn serialize<S: ::serde::Serializer>(
            &self,
            serializer: S,
        ) -> ::std::result::Result<S::Ok, S::Error> {
            serializer.serialize_str(self.as_str())
        }
    }
    impl<'de> ::serde::Deserialize<'de> for OutputMessageType {
        fn deserialize<D: ::serde::Deserializer<'de>>(
            deserializer: D,
        ) -> ::std::result::Result<Self, D::Error> {
            deserializer
                .deserialize_str(OpenEnumVisitor::<Self>(::std::marker::PhantomData))
        }
    }
};
const _: () = {
    impl PartType {
        /// The value as it is on the wire.
        pub fn as_str(&self) -> &str {
            match self {
                Self::Text => "text",
                Self::Unknown(other) => other.as_str(),
            }
        }
        /// Whether the value is one this version of the spec does not list.
        pub fn is_unknown(&self) -> bool {
            matches!(self, Self::Unknown(_))
        }
    }
    impl ::std::convert::From<&str> for PartType {
        fn from(value: &str) -> Self {
            match value {
                "text" => Self::Text,
                other => Self::Unknown(other.to_owned()),
            }
        }
    }
    impl ::std::convert::From<::std::string::String> for PartType {
        fn from(value: ::std::string::String) -> Self {
            match value.as_str() {
                "text" => Self::Text,
                _ => Self::Unknown(value),
            }
        }
    }
    impl ::std::str::FromStr for PartType {
        type Err = ::std::convert::Infallible;
        fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
            Ok(Self::from(value))
        }
    }
    impl ::std::fmt::Display for PartType {
        fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
            f.write_str(self.as_str())
        }
    }
    impl ::serde::Serialize for PartType {
        fn serialize<S: ::serde::Serializer>(
            &self,
            serializer: S,
        ) -> ::std::result::Result<S::Ok, S::Error> {
            serializer.serialize_str(self.as_str())
        }
    }
    impl<'de> ::serde::Deserialize<'de> for PartType {
        fn deserialize<D: ::serde::Deserializer<'de>>(
            deserializer: D,
        ) -> ::std::result::Result<Self, D::Error> {
            deserializer
                .deserialize_str(OpenEnumVisitor::<Self>(::std::marker::PhantomData))
        }
    }
};
const _: () = {
    impl WebSearchType {
        /// The value as it is on the wire.
        pub fn as_str(&self) -> &str {
            match self {
                Self::WebSearch => "web_search",
                Self::WebSearch20250826 => "web_search_2025_08_26",
                Self::Unknown(other) => other.as_str(),
            }
        }
        /// Whether the value is one this version of the spec does not list.
        pub fn is_unknown(&self) -> bool {
            matches!(self, Self::Unknown(_))
        }
    }
    impl ::std::convert::From<&str> for WebSearchType {
        fn from(value: &str) -> Self {
            match value {
                "web_search" => Self::WebSearch,
                "web_search_2025_08_26" => Self::WebSearch20250826,
                other => Self::Unknown(other.to_owned()),
            }
        }
    }
    impl ::std::convert::From<::std::string::String> for WebSearchType {
        fn from(value: ::std::string::String) -> Self {
            match value.as_str() {
                "web_search" => Self::WebSearch,
                "web_search_2025_08_26" => Self::WebSearch20250826,
                _ => Self::Unknown(value),
            }
        }
    }
    impl ::std::str::FromStr for WebSearchType {
        type Err = ::std::convert::Infallible;
        fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
            Ok(Self::from(value))
        }
    }
    impl ::std::fmt::Display for WebSearchType {
        fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
            f.write_str(self.as_str())
        }
    }
    impl ::serde::Serialize for WebSearchType {
        fn serialize<S: ::serde::Serializer>(
            &self,
            serializer: S,
        ) -> ::std::result::Result<S::Ok, S::Error> {
            serializer.serialize_str(self.as_str())
        }
    }
    impl<'de> ::serde::Deserialize<'de> for WebSearchType {
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
impl UnknownFields for Content {
    #[allow(unused_variables)]
    fn unknown_fields(
        &self,
        at: &mut ::std::string::String,
        found: &mut dyn FnMut(&str),
    ) {
        match self {
            Self::Array(v) => {
                for (i, v) in (v).iter().enumerate() {
                    let len = at.len();
                    push_index(at, i);
                    UnknownFields::unknown_fields(v, at, found);
                    at.truncate(len);
                }
            }
            _ => {}
        }
    }
}
impl UnknownFields for EasyMessage {
    #[allow(unused_variables)]
    fn unknown_fields(
        &self,
        at: &mut ::std::string::String,
        found: &mut dyn FnMut(&str),
    ) {
        {
            let len = at.len();
            at.push_str("/content");
            if let ::std::option::Option::Some(v) = &self.content {
                UnknownFields::unknown_fields(v, at, found);
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
impl UnknownFields for FunctionCall {
    #[allow(unused_variables)]
    fn unknown_fields(
        &self,
        at: &mut ::std::string::String,
        found: &mut dyn FnMut(&str),
    ) {
        for k in (&self.extra).keys() {
            let len = at.len();
            push_key(at, k);
            found(at);
            at.truncate(len);
        }
    }
}
impl UnknownFields for InputItem {
    #[allow(unused_variables)]
    fn unknown_fields(
        &self,
        at: &mut ::std::string::String,
        found: &mut dyn FnMut(&str),
    ) {
        match self {
            Self::EasyMessage(v) => {
                UnknownFields::unknown_fields(v, at, found);
            }
            Self::Item(v) => {
                UnknownFields::unknown_fields(v, at, found);
            }
            _ => {}
        }
    }
}
impl UnknownFields for InputMessage {
    #[allow(unused_variables)]
    fn unknown_fields(
        &self,
        at: &mut ::std::string::String,
        found: &mut dyn FnMut(&str),
    ) {
        {
            let len = at.len();
            at.push_str("/content");
            if let ::std::option::Option::Some(v) = &self.content {
                UnknownFields::unknown_fields(v, at, found);
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
impl UnknownFields for Item {
    #[allow(unused_variables)]
    fn unknown_fields(
        &self,
        at: &mut ::std::string::String,
        found: &mut dyn FnMut(&str),
    ) {
        match self {
            Self::InputMessage(v) => {
                UnknownFields::unknown_fields(v, at, found);
            }
            Self::OutputMessage(v) => {
                UnknownFields::unknown_fields(v, at, found);
            }
            Self::FunctionCall(v) => {
                UnknownFields::unknown_fields(v, at, found);
            }
            Self::WebSearch(v) => {
                UnknownFields::unknown_fields(v, at, found);
            }
            _ => {}
        }
    }
}
impl UnknownFields for OutputMessage {
    #[allow(unused_variables)]
    fn unknown_fields(
        &self,
        at: &mut ::std::string::String,
        found: &mut dyn FnMut(&str),
    ) {
        {
            let len = at.len();
            at.push_str("/content");
            if let ::std::option::Option::Some(v) = &self.content {
                UnknownFields::unknown_fields(v, at, found);
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
impl UnknownFields for Part {
    #[allow(unused_variables)]
    fn unknown_fields(
        &self,
        at: &mut ::std::string::String,
        found: &mut dyn FnMut(&str),
    ) {
        for k in (&self.extra).keys() {
            let len = at.len();
            push_key(at, k);
            found(at);
            at.truncate(len);
        }
    }
}
impl UnknownFields for WebSearch {
    #[allow(unused_variables)]
    fn unknown_fields(
        &self,
        at: &mut ::std::string::String,
        found: &mut dyn FnMut(&str),
    ) {
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
