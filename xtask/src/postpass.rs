//! The syn post-pass over typify's output: makes every generated type
//! forward-compatible and round-trip exact, and replaces typify's docs with ones that
//! name the schema and its JSON pointer.
//!
//! - every struct (and struct variant) keeps unknown fields in
//!   `#[serde(flatten)] pub extra: serde_json::Map<String, Value>`; `deny_unknown_fields`
//!   is removed; a struct that already flattens (typify's `additionalProperties` map) is
//!   left with that one catch-all;
//! - every string enum is open: `Unknown(String)` keeps a new value and writes it back
//!   unchanged (hand-rolled serde impls, no buffering). One-value enums (constants such as
//!   `object: "chat.completion"` or a variant's `type` tag) are open too: unions do not
//!   rely on them, they dispatch on the raw tag (below);
//! - every union typify renders `#[serde(untagged)]` gets a hand-written `Deserialize`
//!   and an `Unknown(Value)` arm: where its variants carry a constant tag field it reads the
//!   tag and deserializes that variant once (an unknown tag is `Unknown`); otherwise
//!   (and when the tag is absent) it tries the variants, catch-alls last, and takes the
//!   first that reproduces the input exactly, else keeps the raw JSON. serde-tagged enums
//!   get an untagged `Unknown(Value)` arm;
//! - optional arrays and maps are `Option<..>` (typify skips them when empty, losing a
//!   present `[]`), and optional-and-nullable properties are `Option<Option<T>>`
//!   (absent ≠ null);
//! - `Copy`, `Hash`, `Ord`, `PartialOrd`, `Eq` are dropped where a `Value` or `Map` may now
//!   sit;
//! - every struct and union implements the crate's `UnknownFields`: the JSON pointers of
//!   the unknown fields (`extra` keys) anywhere inside a value, so that a consumer can
//!   report what its version of the spec does not name (the gateway's translations report
//!   them as lost). A union's `Unknown` arm is kept whole and not walked.

use std::collections::{BTreeMap, BTreeSet};

use heck::ToPascalCase;
use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, format_ident, quote};
use syn::punctuated::Punctuated;
use syn::visit_mut::VisitMut;
use syn::{Attribute, Fields, Ident, Item, ItemEnum, ItemStruct, Meta, Token, Type, parse_quote};

/// progenitor's output split into the `types` module's items and the client's.
pub struct Split {
    pub types: syn::File,
    pub client: Vec<Item>,
}

/// Splits progenitor's file into types and client.
pub fn split(file: syn::File) -> Split {
    let mut types = Vec::new();
    let mut client = Vec::new();
    for item in file.items {
        match item {
            Item::Mod(m) if m.ident == "types" => {
                if let Some((_, items)) = m.content {
                    types.extend(items);
                }
            }
            other => client.push(other),
        }
    }
    Split {
        types: file_of(types),
        client,
    }
}

/// A file holding `items`.
pub fn file_of(items: Vec<Item>) -> syn::File {
    let mut file: syn::File = parse_quote! {};
    file.items = items;
    file
}

/// Formats a file.
pub fn format(file: &syn::File) -> String {
    prettyplease::unparse(file)
}

/// The Rust type name typify gives a component schema.
pub fn type_name_of(schema: &str) -> String {
    let cleaned: String = schema
        .replace('\'', "")
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    cleaned.to_pascal_case()
}

/// What the post-pass learns about the types before rewriting them.
#[derive(Default)]
struct Index {
    /// One-value enums: name → the constant.
    constants: BTreeMap<String, String>,
    /// Structs: name → fields (JSON name, type's last path segment, required).
    structs: BTreeMap<String, Vec<FieldInfo>>,
    /// String enums (all open): name → the values they list.
    open_enums: BTreeMap<String, Vec<String>>,
    /// Structs that get the post-pass's `extra` (all but those that already flatten).
    with_extra: BTreeSet<String>,
    /// Newtype unions (they get a hand-written `Deserialize` and `is_unknown`).
    unions: BTreeSet<String>,
}

#[derive(Clone)]
struct FieldInfo {
    json: String,
    ty: String,
    required: bool,
}

/// Applies every rule of the module doc to the `types` items.
pub fn forward_compatible(
    file: syn::File,
    origins: &BTreeMap<String, String>,
    title: &str,
) -> syn::File {
    let mut items = file.items;
    hoist_struct_variants(&mut items);
    let index = build_index(&items);
    let dispatch = plan_dispatch(&items, &index);
    let mut with_extra = BTreeSet::new();
    let mut out = Vec::with_capacity(items.len());
    let mut extra_items: Vec<Item> = Vec::new();
    let names_by_type: BTreeMap<String, &String> =
        origins.keys().map(|k| (type_name_of(k), k)).collect();

    for item in items.drain(..) {
        match item {
            Item::Struct(mut s) => {
                strip_docs(&mut s.attrs);
                let name = s.ident.to_string();
                rewrite_struct(&mut s, &mut with_extra);
                s.attrs
                    .insert(0, doc_attr(&doc_for(&name, &names_by_type, origins, title)));
                out.push(Item::Struct(s));
            }
            Item::Enum(mut e) => {
                strip_docs(&mut e.attrs);
                let name = e.ident.to_string();
                let doc = doc_for(&name, &names_by_type, origins, title);
                if index.open_enums.contains_key(&name) {
                    extra_items.extend(open_string_enum(&mut e));
                } else if let Some(plan) = dispatch.get(&name) {
                    extra_items.push(union_with_deserialize(&mut e, Some(plan), &index));
                } else if is_newtype_union(&e) {
                    extra_items.push(union_with_deserialize(&mut e, None, &index));
                } else {
                    close_data_enum(&mut e, &index);
                }
                e.attrs.insert(0, doc_attr(&doc));
                out.push(Item::Enum(e));
            }
            Item::Impl(mut i) => {
                let self_name = last_segment(&i.self_ty);
                if index.open_enums.contains_key(&self_name) && is_replaced_enum_impl(&i) {
                    continue;
                }
                strip_docs(&mut i.attrs);
                for it in &mut i.items {
                    if let syn::ImplItem::Fn(f) = it {
                        strip_docs(&mut f.attrs);
                    }
                }
                out.push(Item::Impl(i));
            }
            Item::Mod(mut m) => {
                strip_docs(&mut m.attrs);
                out.push(Item::Mod(m));
            }
            other => out.push(other),
        }
    }
    // Struct literals (typify's `Default` impls) need the new field.
    let mut literals = AddExtraToLiterals {
        structs: &with_extra,
    };
    for item in &mut out {
        literals.visit_item_mut(item);
    }
    out.extend(extra_items);
    let unknown = unknown_fields_impls(&out, &index);
    out.extend(unknown);
    out.push(parse_quote! {
        /// The one string visitor behind every open enum's `Deserialize`.
        struct OpenEnumVisitor<T>(::std::marker::PhantomData<T>);
    });
    out.push(parse_quote! {
        impl<'de, T> ::serde::de::Visitor<'de> for OpenEnumVisitor<T>
        where
            T: for<'a> ::std::convert::From<&'a str> + ::std::convert::From<::std::string::String>,
        {
            type Value = T;
            fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: ::serde::de::Error>(self, value: &str) -> ::std::result::Result<T, E> {
                Ok(T::from(value))
            }
            fn visit_string<E: ::serde::de::Error>(self, value: ::std::string::String) -> ::std::result::Result<T, E> {
                Ok(T::from(value))
            }
        }
    });
    out.push(parse_quote! {
        /// Deserializes a present value (or `null`) as `Some`, so that an optional
        /// and nullable field tells absent (`None`) from `null` (`Some(None)`).
        fn deserialize_some<'de, D, T>(deserializer: D) -> ::std::result::Result<::std::option::Option<T>, D::Error>
        where
            D: ::serde::Deserializer<'de>,
            T: ::serde::Deserialize<'de>,
        {
            <T as ::serde::Deserialize>::deserialize(deserializer).map(::std::option::Option::Some)
        }
    });
    file_of(out)
}

/// The `UnknownFields` trait and its impls: every struct reports the keys of its `extra`
/// (fields the spec does not name) and walks its fields; every union walks the variant it
/// holds. Paths are JSON pointers from the value walked.
fn unknown_fields_impls(items: &[Item], index: &Index) -> Vec<Item> {
    let walkable: BTreeSet<String> = items
        .iter()
        .filter_map(|i| match i {
            Item::Struct(s) => Some(s.ident.to_string()),
            Item::Enum(e) if !index.open_enums.contains_key(&e.ident.to_string()) => {
                Some(e.ident.to_string())
            }
            _ => None,
        })
        .collect();
    let mut out: Vec<Item> = vec![
        parse_quote! {
            /// Fields a value holds that this version of the spec does not name (kept in the
            /// `extra` of their struct), found anywhere inside it.
            pub trait UnknownFields {
                /// Calls `found` with the JSON pointer of each unknown field, `at` (the
                /// value's own pointer) being its prefix; `at` is as it was on return.
                fn unknown_fields(&self, at: &mut ::std::string::String, found: &mut dyn FnMut(&str));
            }
        },
        parse_quote! {
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
        },
        parse_quote! {
            /// Appends `/index` to a JSON pointer.
            fn push_index(at: &mut ::std::string::String, index: usize) {
                use ::std::fmt::Write as _;
                let _ = ::std::write!(at, "/{index}");
            }
        },
    ];
    for item in items {
        match item {
            Item::Struct(s) => {
                let body = match &s.fields {
                    Fields::Named(named) => named_fields_walk(
                        &named.named,
                        |f| {
                            let id = f.ident.as_ref().expect("a named field");
                            quote!(&self.#id)
                        },
                        &walkable,
                    ),
                    Fields::Unnamed(u) if u.unnamed.len() == 1 => {
                        walk(quote!(&self.0), &u.unnamed[0].ty, &walkable).unwrap_or_default()
                    }
                    _ => TokenStream::new(),
                };
                let name = &s.ident;
                out.push(parse_quote! {
                    impl UnknownFields for #name {
                        #[allow(unused_variables)]
                        fn unknown_fields(&self, at: &mut ::std::string::String, found: &mut dyn FnMut(&str)) {
                            #body
                        }
                    }
                });
            }
            Item::Enum(e) if walkable.contains(&e.ident.to_string()) => {
                let mut arms = Vec::new();
                let mut rest = false;
                for v in &e.variants {
                    let id = &v.ident;
                    match &v.fields {
                        Fields::Unnamed(u) if u.unnamed.len() == 1 => {
                            match walk(quote!(v), &u.unnamed[0].ty, &walkable) {
                                Some(w) => arms.push(quote!(Self::#id(v) => { #w })),
                                None => rest = true,
                            }
                        }
                        Fields::Named(n) => {
                            // Bound under names of their own: a field called `at` or
                            // `found` must not hide the walk's.
                            let bound = |f: &syn::Field| {
                                let id = f.ident.as_ref().expect("a named field");
                                format_ident!("field_{}", id.to_string().trim_start_matches("r#"))
                            };
                            let binds = n.named.iter().map(|f| {
                                let (id, b) = (f.ident.as_ref(), bound(f));
                                quote!(#id: #b)
                            });
                            let body = named_fields_walk(
                                &n.named,
                                |f| {
                                    let b = bound(f);
                                    quote!(#b)
                                },
                                &walkable,
                            );
                            arms.push(quote!(Self::#id { #(#binds),* } => { #body }));
                        }
                        _ => rest = true,
                    }
                }
                if rest {
                    arms.push(quote!(_ => {}));
                }
                let name = &e.ident;
                out.push(parse_quote! {
                    impl UnknownFields for #name {
                        #[allow(unused_variables)]
                        fn unknown_fields(&self, at: &mut ::std::string::String, found: &mut dyn FnMut(&str)) {
                            match self {
                                #(#arms)*
                            }
                        }
                    }
                });
            }
            _ => {}
        }
    }
    out
}

/// The walk of a struct's (or struct variant's) named fields, each reached by `access`:
/// the `extra` keys reported, the other fields walked under their JSON names (a flattened
/// map of known values under its keys).
fn named_fields_walk(
    fields: &Punctuated<syn::Field, Token![,]>,
    access: impl Fn(&syn::Field) -> TokenStream,
    walkable: &BTreeSet<String>,
) -> TokenStream {
    let mut steps = Vec::new();
    for f in fields {
        let value = access(f);
        let flatten = has_serde_word(&f.attrs, "flatten");
        if flatten && f.ident.as_ref().is_some_and(|i| i == "extra") {
            steps.push(quote! {
                for k in (#value).keys() {
                    let len = at.len();
                    push_key(at, k);
                    found(at);
                    at.truncate(len);
                }
            });
        } else if flatten {
            if let Some(w) = walk(value, &f.ty, walkable) {
                steps.push(w);
            }
        } else if let Some(w) = walk(value, &f.ty, walkable) {
            // The field's pointer token, escaped here once.
            let token = format!("/{}", json_name(f).replace('~', "~0").replace('/', "~1"));
            steps.push(quote! {
                {
                    let len = at.len();
                    at.push_str(#token);
                    #w
                    at.truncate(len);
                }
            });
        }
    }
    quote!(#(#steps)*)
}

/// The walk of `value` (an expression of type `&ty`), if `ty` can hold a generated type.
fn walk(value: TokenStream, ty: &Type, walkable: &BTreeSet<String>) -> Option<TokenStream> {
    let Type::Path(p) = ty else {
        return None;
    };
    let seg = p.path.segments.last()?;
    let args: Vec<&Type> = match &seg.arguments {
        syn::PathArguments::AngleBracketed(a) => a
            .args
            .iter()
            .filter_map(|g| match g {
                syn::GenericArgument::Type(t) => Some(t),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    let name = seg.ident.to_string();
    match (name.as_str(), args.as_slice()) {
        ("Option", [inner]) => {
            let w = walk(quote!(v), inner, walkable)?;
            Some(quote! {
                if let ::std::option::Option::Some(v) = #value {
                    #w
                }
            })
        }
        ("Vec", [inner]) => {
            let w = walk(quote!(v), inner, walkable)?;
            Some(quote! {
                for (i, v) in (#value).iter().enumerate() {
                    let len = at.len();
                    push_index(at, i);
                    #w
                    at.truncate(len);
                }
            })
        }
        ("Box", [inner]) => walk(quote!(&**#value), inner, walkable),
        ("IndexMap" | "Map", [_, inner]) => {
            let w = walk(quote!(v), inner, walkable)?;
            Some(quote! {
                for (k, v) in (#value).iter() {
                    let len = at.len();
                    push_key(at, k);
                    #w
                    at.truncate(len);
                }
            })
        }
        (n, []) if walkable.contains(n) => {
            Some(quote!(UnknownFields::unknown_fields(#value, at, found);))
        }
        _ => None,
    }
}

fn build_index(items: &[Item]) -> Index {
    let mut index = Index::default();
    for item in items {
        match item {
            Item::Enum(e) if is_unit_enum(e) => {
                let values: Vec<String> = e.variants.iter().map(variant_wire_name).collect();
                if let [only] = values.as_slice() {
                    index.constants.insert(e.ident.to_string(), only.clone());
                }
                index.open_enums.insert(e.ident.to_string(), values);
            }
            Item::Enum(e) if is_newtype_union(e) => {
                index.unions.insert(e.ident.to_string());
            }
            Item::Struct(s) => {
                if let Fields::Named(named) = &s.fields {
                    let fields = named
                        .named
                        .iter()
                        .map(|f| FieldInfo {
                            json: json_name(f),
                            // Through `Option`: every property is optional, a tag too.
                            ty: if is_option(&f.ty) {
                                option_inner(&f.ty)
                            } else {
                                last_segment(&f.ty)
                            },
                            required: !is_option(&f.ty),
                        })
                        .collect();
                    index.structs.insert(s.ident.to_string(), fields);
                    if !named
                        .named
                        .iter()
                        .any(|f| has_serde_word(&f.attrs, "flatten"))
                    {
                        index.with_extra.insert(s.ident.to_string());
                    }
                }
            }
            _ => {}
        }
    }
    index
}

/// typify renders a union's inline object branches as struct variants of an untagged
/// enum, which serde tries in order (the first all-optional variant takes every object).
/// Each becomes a struct of its own (named after its constant `type` where it has one,
/// `CustomToolChatCompletionsCustomFormatGrammar`) and a newtype variant, so the union
/// dispatches on tags like every other.
fn hoist_struct_variants(items: &mut Vec<Item>) {
    let constants: BTreeMap<String, String> = items
        .iter()
        .filter_map(|i| match i {
            Item::Enum(e) if is_unit_enum(e) && e.variants.len() == 1 => {
                Some((e.ident.to_string(), variant_wire_name(&e.variants[0])))
            }
            _ => None,
        })
        .collect();
    let mut hoisted = Vec::new();
    for item in items.iter_mut() {
        let Item::Enum(e) = item else { continue };
        if !has_serde_word(&e.attrs, "untagged") {
            continue;
        }
        let enum_name = e.ident.to_string();
        let mut taken: BTreeSet<String> = e.variants.iter().map(|v| v.ident.to_string()).collect();
        for v in e.variants.iter_mut() {
            let Fields::Named(named) = &v.fields else {
                continue;
            };
            let tag = named.named.iter().find_map(|f| {
                (json_name(f) == "type").then(|| {
                    let ty = if is_option(&f.ty) {
                        option_inner(&f.ty)
                    } else {
                        last_segment(&f.ty)
                    };
                    constants.get(&ty).cloned()
                })?
            });
            let variant = match tag.map(|t| type_name_of(&t)) {
                Some(t) if !t.is_empty() && (v.ident == t || taken.insert(t.clone())) => {
                    Ident::new(&t, Span::call_site())
                }
                _ => v.ident.clone(),
            };
            let struct_name = format_ident!("{}{}", enum_name, variant);
            let mut fields = named.clone();
            for f in fields.named.iter_mut() {
                f.vis = parse_quote!(pub);
            }
            hoisted.push(Item::Struct(parse_quote! {
                #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, Default, PartialEq)]
                pub struct #struct_name #fields
            }));
            v.ident = variant;
            v.fields = Fields::Unnamed(parse_quote!((#struct_name)));
        }
    }
    items.extend(hoisted);
}

/// An enum of unit variants with no serde tagging.
fn is_unit_enum(e: &ItemEnum) -> bool {
    !e.variants.is_empty()
        && e.variants.iter().all(|v| matches!(v.fields, Fields::Unit))
        && !has_serde_word(&e.attrs, "tag")
        && !has_serde_word(&e.attrs, "untagged")
}

/// How a union dispatches on its tag: a decision tree over constant fields.
#[derive(Clone, Debug)]
struct DispatchPlan {
    field: String,
    /// tag value → what it selects, in the order the variants are declared.
    tagged: Vec<(String, Choice)>,
    /// variants tried in order when the tag is absent.
    fallback: Vec<Ident>,
}

/// What one tag value selects.
#[derive(Clone, Debug)]
enum Choice {
    One(Ident),
    /// Several variants share the value (OpenAI's input and output `message` items): a
    /// second tag (`role`) tells them apart, else they are tried in order.
    Several(Vec<Ident>, Option<Box<DispatchPlan>>),
}

/// Finds the untagged unions whose variants are told apart by constant fields.
fn plan_dispatch(items: &[Item], index: &Index) -> BTreeMap<String, DispatchPlan> {
    let mut plans: BTreeMap<String, DispatchPlan> = BTreeMap::new();
    // Iterate to a fixpoint so that unions of unions take their members' tags: a union
    // planned before its member union was is planned again once the member has a plan.
    for _ in 0..16 {
        let mut next = BTreeMap::new();
        for item in items {
            let Item::Enum(e) = item else { continue };
            if !has_serde_word(&e.attrs, "untagged") {
                continue;
            }
            let Some(variants) = e
                .variants
                .iter()
                .map(|v| match &v.fields {
                    Fields::Unnamed(u) if u.unnamed.len() == 1 => {
                        Some((v.ident.clone(), last_segment(&u.unnamed[0].ty)))
                    }
                    _ => None,
                })
                .collect::<Option<Vec<_>>>()
            else {
                continue;
            };
            if let Some(plan) = plan_among(&variants, index, &plans, &[]) {
                next.insert(e.ident.to_string(), plan);
            }
        }
        if format!("{next:?}") == format!("{plans:?}") {
            break;
        }
        plans = next;
    }
    plans
}

/// A plan that tells `variants` (ident, type name) apart by one constant field not in
/// `used`, with sub-plans where a value is shared.
fn plan_among(
    variants: &[(Ident, String)],
    index: &Index,
    plans: &BTreeMap<String, DispatchPlan>,
    used: &[String],
) -> Option<DispatchPlan> {
    // Candidate tag fields: JSON names of enum-typed fields of any struct variant; those
    // that are a constant somewhere first, `type` first of all.
    let mut candidates: Vec<(bool, String)> = Vec::new();
    for (_, ty) in variants {
        for f in index.structs.get(ty).into_iter().flatten() {
            if index.open_enums.contains_key(&f.ty) && !used.contains(&f.json) {
                let constant = index.constants.contains_key(&f.ty);
                match candidates.iter_mut().find(|(_, c)| *c == f.json) {
                    Some((c, _)) => *c |= constant,
                    None => candidates.push((constant, f.json.clone())),
                }
            }
        }
    }
    candidates.sort_by_key(|(constant, c)| (!constant, c != "type"));
    let candidates = candidates.into_iter().map(|(_, c)| c);
    'field: for field in candidates {
        let mut by_value: Vec<(String, Vec<Ident>)> = Vec::new();
        let mut add =
            |value: &str, ident: &Ident| match by_value.iter_mut().find(|(v, _)| v == value) {
                Some((_, idents)) if !idents.contains(ident) => idents.push(ident.clone()),
                Some(_) => {}
                None => by_value.push((value.to_owned(), vec![ident.clone()])),
            };
        let mut fallback = Vec::new();
        for (ident, ty) in variants {
            if let Some(fields) = index.structs.get(ty) {
                match fields.iter().find(|f| f.json == field) {
                    // The tag's type lists the values that select this variant: one
                    // (a constant) or several (`web_search_preview` and its dated alias).
                    Some(f) => match index.open_enums.get(&f.ty) {
                        Some(values) => {
                            values.iter().for_each(|v| add(v, ident));
                            if !f.required {
                                fallback.push(ident.clone());
                            }
                        }
                        // A free-form field of that name: no tag.
                        None => continue 'field,
                    },
                    None => fallback.push(ident.clone()),
                }
            } else if let Some(inner) = plans.get(ty).filter(|p| p.field == field) {
                inner.tagged.iter().for_each(|(v, _)| add(v, ident));
                if !inner.fallback.is_empty() {
                    fallback.push(ident.clone());
                }
            } else {
                fallback.push(ident.clone());
            }
        }
        let tagged_variants: BTreeSet<&Ident> = by_value.iter().flat_map(|(_, ids)| ids).collect();
        // A field tells variants apart only if its values select different sets of them
        // (a `status` every variant shares selects all of them for every value).
        let tells_apart = by_value
            .iter()
            .any(|(_, ids)| ids.len() < tagged_variants.len());
        if (tagged_variants.len() >= 2 && tells_apart)
            || (tagged_variants.len() == 1 && fallback.is_empty())
        {
            let mut deeper = used.to_vec();
            deeper.push(field.clone());
            let tagged = by_value
                .into_iter()
                .map(|(value, idents)| {
                    let choice = match idents.as_slice() {
                        [one] => Choice::One(one.clone()),
                        _ => {
                            let group: Vec<(Ident, String)> = variants
                                .iter()
                                .filter(|(id, _)| idents.contains(id))
                                .cloned()
                                .collect();
                            let sub = plan_among(&group, index, plans, &deeper).map(Box::new);
                            Choice::Several(idents, sub)
                        }
                    };
                    (value, choice)
                })
                .collect();
            return Some(DispatchPlan {
                field,
                tagged,
                fallback,
            });
        }
    }
    None
}

fn rewrite_struct(s: &mut ItemStruct, with_extra: &mut BTreeSet<String>) {
    remove_serde_word(&mut s.attrs, "deny_unknown_fields");
    prune_derives(&mut s.attrs, &["Copy", "Hash", "Ord", "PartialOrd", "Eq"]);
    let name = s.ident.to_string();
    let Fields::Named(named) = &mut s.fields else {
        return;
    };
    let mut has_flatten = false;
    let mut idents = BTreeSet::new();
    for field in named.named.iter_mut() {
        let nullable = doc_text(&field.attrs).contains(crate::normalize::NULLABLE_MARKER);
        strip_docs(&mut field.attrs);
        dedupe_ident(field, &mut idents);
        has_flatten |= has_serde_word(&field.attrs, "flatten");
        let json = json_name(field);
        unbox_optional(field, &json);
        if is_option(&field.ty) && option_inner(&field.ty) == "Value" {
            // `Option<Value>`: `null` is a value (`Some(Value::Null)`), absent is `None`.
            set_serde_attrs(
                field,
                &json,
                quote!(
                    default,
                    skip_serializing_if = "::std::option::Option::is_none",
                    deserialize_with = "deserialize_some"
                ),
            );
        } else if nullable && is_option(&field.ty) {
            let ty = field.ty.clone();
            field.ty = parse_quote!(::std::option::Option<#ty>);
            set_serde_attrs(
                field,
                &json,
                quote!(
                    default,
                    skip_serializing_if = "::std::option::Option::is_none",
                    deserialize_with = "deserialize_some"
                ),
            );
        } else if let Some(skip) = serde_value(&field.attrs, "skip_serializing_if")
            && (skip.ends_with("Vec::is_empty") || skip.ends_with("Map::is_empty"))
        {
            // Optional collection: keep a present `[]` / `{}`.
            let ty = field.ty.clone();
            field.ty = parse_quote!(::std::option::Option<#ty>);
            set_serde_attrs(
                field,
                &json,
                quote!(
                    default,
                    skip_serializing_if = "::std::option::Option::is_none"
                ),
            );
        }
    }
    if !has_flatten {
        named.named.push(extra_field());
        with_extra.insert(name);
    }
}

/// The text of a field's doc attributes.
fn doc_text(attrs: &[Attribute]) -> String {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .map(|a| a.to_token_stream().to_string())
        .collect()
}

/// typify renders an optional recursive field as `Box<Option<T>>` with `default` and no
/// skip, writing `null` for an absent field: make it `Option<Box<T>>`, skipped when absent.
fn unbox_optional(field: &mut syn::Field, json: &str) {
    let Type::Path(p) = &field.ty else { return };
    let Some(seg) = p.path.segments.last() else {
        return;
    };
    if seg.ident != "Box" {
        return;
    }
    let syn::PathArguments::AngleBracketed(args) = &seg.arguments else {
        return;
    };
    let Some(syn::GenericArgument::Type(Type::Path(ip))) = args.args.first() else {
        return;
    };
    let Some(iseg) = ip.path.segments.last() else {
        return;
    };
    if iseg.ident != "Option" {
        return;
    }
    let syn::PathArguments::AngleBracketed(iargs) = &iseg.arguments else {
        return;
    };
    let Some(syn::GenericArgument::Type(t)) = iargs.args.first() else {
        return;
    };
    let t = t.clone();
    field.ty = parse_quote!(::std::option::Option<::std::boxed::Box<#t>>);
    set_serde_attrs(
        field,
        json,
        quote!(
            default,
            skip_serializing_if = "::std::option::Option::is_none"
        ),
    );
}

/// The last segment of `T` in `Option<T>`.
fn option_inner(ty: &Type) -> String {
    let Type::Path(p) = ty else {
        return String::new();
    };
    let Some(seg) = p.path.segments.last() else {
        return String::new();
    };
    match &seg.arguments {
        syn::PathArguments::AngleBracketed(a) => match a.args.first() {
            Some(syn::GenericArgument::Type(t)) => last_segment(t),
            _ => String::new(),
        },
        _ => String::new(),
    }
}

/// Two JSON names can map to one identifier (Gemini's `responseJsonSchema` and
/// `_responseJsonSchema`): the later one gets a numbered identifier and an explicit rename.
fn dedupe_ident(field: &mut syn::Field, seen: &mut BTreeSet<String>) {
    let Some(ident) = field.ident.clone() else {
        return;
    };
    let mut candidate = ident.to_string();
    let mut n = 1;
    while !seen.insert(candidate.clone()) {
        n += 1;
        candidate = format!("{ident}_{n}");
    }
    if ident != candidate {
        let json = json_name(field);
        if serde_value(&field.attrs, "rename").is_none() {
            field.attrs.push(parse_quote!(#[serde(rename = #json)]));
        }
        field.ident = Some(Ident::new(&candidate, ident.span()));
    }
}

fn extra_field() -> syn::Field {
    let holder: ItemStruct = parse_quote! {
        struct Holder {
            /// Fields this schema does not name, kept as they came.
            #[serde(flatten, default, skip_serializing_if = "::serde_json::Map::is_empty")]
            pub extra: ::serde_json::Map<::std::string::String, ::serde_json::Value>,
        }
    };
    match holder.fields {
        Fields::Named(n) => n.named.into_iter().next().expect("one field"),
        _ => unreachable!("named"),
    }
}

/// Replaces a field's serde attributes, keeping its JSON name.
fn set_serde_attrs(field: &mut syn::Field, json: &str, rest: TokenStream) {
    let ident = field
        .ident
        .as_ref()
        .map(|i| i.to_string())
        .unwrap_or_default();
    field.attrs.retain(|a| !a.path().is_ident("serde"));
    let rename = if ident.trim_start_matches("r#") != json {
        quote!(rename = #json,)
    } else {
        quote!()
    };
    field.attrs.push(parse_quote!(#[serde(#rename #rest)]));
}

/// Open string enum: `Unknown(String)`, and serde/`Display`/`FromStr` impls by hand.
fn open_string_enum(e: &mut ItemEnum) -> Vec<Item> {
    let name = e.ident.clone();
    let unknown = catch_all(e);
    let wire: Vec<String> = e.variants.iter().map(variant_wire_name).collect();
    let idents: Vec<Ident> = e.variants.iter().map(|v| v.ident.clone()).collect();
    for v in e.variants.iter_mut() {
        v.attrs.retain(|a| !a.path().is_ident("serde"));
        strip_docs(&mut v.attrs);
    }
    e.variants.push(parse_quote! {
        /// A value this version of the spec does not list, kept as it came.
        #unknown(::std::string::String)
    });
    e.attrs.retain(|a| !a.path().is_ident("serde"));
    prune_derives(
        &mut e.attrs,
        &["Copy", "::serde::Deserialize", "::serde::Serialize"],
    );
    vec![parse_quote! {
        const _: () = {
            impl #name {
                /// The value as it is on the wire.
                pub fn as_str(&self) -> &str {
                    match self {
                        #(Self::#idents => #wire,)*
                        Self::#unknown(other) => other.as_str(),
                    }
                }
                /// Whether the value is one this version of the spec does not list.
                pub fn is_unknown(&self) -> bool {
                    matches!(self, Self::#unknown(_))
                }
            }
            impl ::std::convert::From<&str> for #name {
                fn from(value: &str) -> Self {
                    match value {
                        #(#wire => Self::#idents,)*
                        other => Self::#unknown(other.to_owned()),
                    }
                }
            }
            impl ::std::convert::From<::std::string::String> for #name {
                fn from(value: ::std::string::String) -> Self {
                    match value.as_str() {
                        #(#wire => Self::#idents,)*
                        _ => Self::#unknown(value),
                    }
                }
            }
            impl ::std::str::FromStr for #name {
                type Err = ::std::convert::Infallible;
                fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                    Ok(Self::from(value))
                }
            }
            impl ::std::fmt::Display for #name {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.write_str(self.as_str())
                }
            }
            impl ::serde::Serialize for #name {
                fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                    serializer.serialize_str(self.as_str())
                }
            }
            impl<'de> ::serde::Deserialize<'de> for #name {
                fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                    deserializer.deserialize_str(OpenEnumVisitor::<Self>(::std::marker::PhantomData))
                }
            }
        };
    }]
}

/// Typify's own impls of an enum the post-pass reopens (they assume a closed set).
fn is_replaced_enum_impl(i: &syn::ItemImpl) -> bool {
    let Some((path, _)) = &i.trait_ else {
        return false;
    };
    let tr = path
        .segments
        .last()
        .map(|s| s.ident.to_string())
        .unwrap_or_default();
    matches!(tr.as_str(), "Display" | "FromStr" | "TryFrom")
}

/// A union with a hand-written `Deserialize` and an `Unknown(Value)` arm. With a tag
/// plan, a known tag deserializes its variant once and an unknown tag is `Unknown` (so is
/// a known tag whose body no longer fits its variant: a changed type upstream); an
/// absent tag (or no plan) tries the candidate variants in order and takes the first that
/// reproduces the input exactly, else keeps the raw JSON: nothing is ever dropped.
fn union_with_deserialize(e: &mut ItemEnum, plan: Option<&DispatchPlan>, index: &Index) -> Item {
    let name = e.ident.clone();
    let unknown = catch_all(e);
    prune_derives(
        &mut e.attrs,
        &[
            "Copy",
            "Hash",
            "Ord",
            "PartialOrd",
            "Eq",
            "::serde::Deserialize",
        ],
    );
    for v in e.variants.iter_mut() {
        strip_docs(&mut v.attrs);
    }
    if plan.is_none() {
        let mut variants: Vec<syn::Variant> = std::mem::take(&mut e.variants).into_iter().collect();
        variants.sort_by_key(|v| specificity(v, index));
        e.variants = variants.into_iter().collect();
    }
    let candidates: Vec<(Ident, Type)> = match plan {
        Some(plan) => plan
            .fallback
            .iter()
            .filter_map(|id| variant_type(e, id).map(|t| (id.clone(), t)))
            .collect(),
        None => e
            .variants
            .iter()
            .filter_map(|v| variant_type(e, &v.ident).map(|t| (v.ident.clone(), t)))
            .collect(),
    };
    e.variants.push(parse_quote! {
        /// A variant this version of the spec does not know, kept whole.
        #unknown(::serde_json::Value)
    });
    let fallback_ids: Vec<Ident> = candidates.iter().map(|(id, _)| id.clone()).collect();
    let tries = trials(e, &fallback_ids, index);
    let dispatch = plan.map(|plan| dispatch_on_tag(e, plan, &unknown, false, index));
    parse_quote! {
        const _: () = {
            impl #name {
                /// Whether this is a variant this version of the spec does not know.
                pub fn is_unknown(&self) -> bool {
                    matches!(self, Self::#unknown(_))
                }
            }
            impl<'de> ::serde::Deserialize<'de> for #name {
                fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                    #[allow(unused_imports)]
                    use ::serde::de::Error as _;
                    let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                    #dispatch
                    #tries
                    Ok(Self::#unknown(value))
                }
            }
        };
    }
}

/// Tries `ids` in order and takes the first variant that reads `value` and writes it back
/// exactly and knows it at the top (a struct's own fields name every key, nothing in its
/// `extra`; an enum or union is not `Unknown`); failing that, the first that reads it back
/// exactly. A `String`, number or `Value` variant needs no check.
fn trials(e: &ItemEnum, ids: &[Ident], index: &Index) -> TokenStream {
    let mut needs_loose = false;
    let tries: Vec<TokenStream> = ids
        .iter()
        .filter_map(|id| {
            let ty = variant_type(e, id)?;
            let name = last_segment(&ty);
            if matches!(
                name.as_str(),
                "String" | "bool" | "i64" | "u64" | "Number" | "Value"
            ) {
                return Some(quote! {
                    if let Ok(v) = <#ty as ::serde::Deserialize>::deserialize(&value) {
                        return Ok(Self::#id(v));
                    }
                });
            }
            let exact = quote! {
                ::serde_json::to_value(&v).ok().as_ref() == Some(&value)
            };
            let known = if index.with_extra.contains(&name) {
                Some(quote!(v.extra.is_empty()))
            } else if index.open_enums.contains_key(&name) || index.unions.contains(&name) {
                Some(quote!(!v.is_unknown()))
            } else {
                None
            };
            Some(if let Some(known) = known {
                needs_loose = true;
                quote! {
                    if let Ok(v) = <#ty as ::serde::Deserialize>::deserialize(&value) {
                        if #exact {
                            if #known {
                                return Ok(Self::#id(v));
                            }
                            loose.get_or_insert(Self::#id(v));
                        }
                    }
                }
            } else {
                quote! {
                    if let Ok(v) = <#ty as ::serde::Deserialize>::deserialize(&value) {
                        if #exact {
                            return Ok(Self::#id(v));
                        }
                    }
                }
            })
        })
        .collect();
    if !needs_loose {
        return quote!(#(#tries)*);
    }
    quote! {
        {
            let mut loose = None;
            #(#tries)*
            if let Some(v) = loose {
                return Ok(v);
            }
        }
    }
}

/// The `match` on a plan's tag field. A value that selects one variant deserializes it
/// once (a body that no longer fits is kept as `Unknown`); a shared value descends into its
/// sub-plan, then tries its variants. At the top, an unknown tag is `Unknown` and an absent
/// one falls through to the caller's trials; `nested`, both fall through to the group's.
fn dispatch_on_tag(
    e: &ItemEnum,
    plan: &DispatchPlan,
    unknown: &Ident,
    nested: bool,
    index: &Index,
) -> TokenStream {
    let field = &plan.field;
    // Values that select the same single variant share one arm.
    let mut grouped: Vec<(Vec<&String>, &Choice)> = Vec::new();
    for (tag, choice) in &plan.tagged {
        match (
            choice,
            grouped.iter_mut().find(|(_, c)| same_one(c, choice)),
        ) {
            (Choice::One(_), Some((tags, _))) => tags.push(tag),
            _ => grouped.push((vec![tag], choice)),
        }
    }
    let arms = grouped.into_iter().map(|(tags, choice)| match choice {
        Choice::One(id) => quote! {
            Some(#(#tags)|*) => return Ok(match ::serde::Deserialize::deserialize(&value) {
                Ok(v) => Self::#id(v),
                Err(_) => Self::#unknown(value),
            }),
        },
        Choice::Several(ids, sub) => {
            let sub = sub
                .as_ref()
                .map(|p| dispatch_on_tag(e, p, unknown, true, index));
            let tries = trials(e, ids, index);
            quote! {
                Some(#(#tags)|*) => {
                    #sub
                    #tries
                    return Ok(Self::#unknown(value));
                }
            }
        }
    });
    let other = if nested {
        quote!(Some(_) | None => {})
    } else {
        quote!(Some(_) => return Ok(Self::#unknown(value)), None => {})
    };
    quote! {
        match value.get(#field).and_then(::serde_json::Value::as_str) {
            #(#arms)*
            #other
        }
    }
}

/// Whether two choices select the same single variant.
fn same_one(a: &Choice, b: &Choice) -> bool {
    matches!((a, b), (Choice::One(x), Choice::One(y)) if x == y)
}

/// The type of a newtype variant.
fn variant_type(e: &ItemEnum, id: &Ident) -> Option<Type> {
    e.variants
        .iter()
        .find(|v| &v.ident == id)
        .and_then(|v| match &v.fields {
            Fields::Unnamed(u) if u.unnamed.len() == 1 => Some(u.unnamed[0].ty.clone()),
            _ => None,
        })
}

/// An untagged enum whose variants are all newtypes (the form typify gives unions).
fn is_newtype_union(e: &ItemEnum) -> bool {
    has_serde_word(&e.attrs, "untagged")
        && e.variants
            .iter()
            .all(|v| matches!(&v.fields, Fields::Unnamed(u) if u.unnamed.len() == 1))
}

/// Untagged and serde-tagged data enums: catch-all arm, most specific variant first.
fn close_data_enum(e: &mut ItemEnum, index: &Index) {
    prune_derives(&mut e.attrs, &["Copy", "Hash", "Ord", "PartialOrd", "Eq"]);
    for v in e.variants.iter_mut() {
        strip_docs(&mut v.attrs);
        if let Fields::Named(named) = &mut v.fields
            && !named
                .named
                .iter()
                .any(|f| has_serde_word(&f.attrs, "flatten"))
        {
            let mut extra = extra_field();
            extra.vis = syn::Visibility::Inherited;
            named.named.push(extra);
        }
    }
    let untagged = has_serde_word(&e.attrs, "untagged");
    if untagged {
        let mut variants: Vec<syn::Variant> = std::mem::take(&mut e.variants).into_iter().collect();
        variants.sort_by_key(|v| specificity(v, index));
        e.variants = variants.into_iter().collect();
    }
    let already_catch_all = e.variants.iter().any(|v| match &v.fields {
        Fields::Unnamed(u) => u.unnamed.len() == 1 && last_segment(&u.unnamed[0].ty) == "Value",
        _ => false,
    });
    if untagged && already_catch_all {
        return;
    }
    let attr: TokenStream = if untagged {
        quote!()
    } else {
        quote!(#[serde(untagged)])
    };
    let unknown = catch_all(e);
    e.variants.push(parse_quote! {
        /// A shape this version of the spec does not know, kept whole.
        #attr
        #unknown(::serde_json::Value)
    });
}

/// Sort key: catch-alls last, structs by required-field count (more first).
fn specificity(v: &syn::Variant, index: &Index) -> (u8, isize) {
    match &v.fields {
        Fields::Unnamed(u) if u.unnamed.len() == 1 => {
            let ty = last_segment(&u.unnamed[0].ty);
            if ty == "Value" || ty == "Map" {
                return (2, 0);
            }
            match index.structs.get(&ty) {
                Some(fields) => (1, -(fields.iter().filter(|f| f.required).count() as isize)),
                None => (0, 0),
            }
        }
        _ => (0, 0),
    }
}

struct AddExtraToLiterals<'a> {
    structs: &'a BTreeSet<String>,
}

impl VisitMut for AddExtraToLiterals<'_> {
    fn visit_item_impl_mut(&mut self, i: &mut syn::ItemImpl) {
        let self_name = last_segment(&i.self_ty);
        if self.structs.contains(&self_name) {
            let mut inner = LiteralFixer { name: self_name };
            inner.visit_item_impl_mut(i);
        }
    }
}

struct LiteralFixer {
    name: String,
}

impl VisitMut for LiteralFixer {
    fn visit_expr_struct_mut(&mut self, e: &mut syn::ExprStruct) {
        let target = e
            .path
            .segments
            .last()
            .map(|s| s.ident.to_string())
            .unwrap_or_default();
        if (target == "Self" || target == self.name)
            && e.rest.is_none()
            && !e
                .fields
                .iter()
                .any(|f| matches!(&f.member, syn::Member::Named(n) if n == "extra"))
        {
            e.fields
                .push(parse_quote!(extra: ::std::default::Default::default()));
        }
        syn::visit_mut::visit_expr_struct_mut(self, e);
    }
}

/// The name of the catch-all variant: `Unknown`, unless the enum already has one.
fn catch_all(e: &ItemEnum) -> Ident {
    let taken = |name: &str| e.variants.iter().any(|v| v.ident == name);
    let name = ["Unknown", "UnknownValue", "UnknownVariant"]
        .into_iter()
        .find(|n| !taken(n))
        .unwrap_or("UnknownOther");
    Ident::new(name, Span::call_site())
}

fn doc_attr(text: &str) -> Attribute {
    parse_quote!(#[doc = #text])
}

/// The doc of a generated type: the schema it comes from and its JSON pointer.
fn doc_for(
    name: &str,
    names_by_type: &BTreeMap<String, &String>,
    origins: &BTreeMap<String, String>,
    title: &str,
) -> String {
    if let Some(schema) = names_by_type.get(name) {
        let pointer = &origins[*schema];
        return format!("`{schema}`: generated from `{pointer}` in the {title} spec.");
    }
    // Inline schema: name it by the longest component whose type name prefixes it.
    let parent = names_by_type
        .iter()
        .filter(|(ty, _)| name.starts_with(ty.as_str()))
        .max_by_key(|(ty, _)| ty.len());
    match parent {
        Some((_, schema)) => format!(
            "`{name}`: an inline schema within `{}` in the {title} spec.",
            origins[*schema]
        ),
        None => format!("`{name}`: an inline schema of an operation in the {title} spec."),
    }
}

fn strip_docs(attrs: &mut Vec<Attribute>) {
    attrs.retain(|a| !a.path().is_ident("doc"));
}

fn serde_metas(attrs: &[Attribute]) -> Vec<Meta> {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("serde"))
        .filter_map(|a| {
            a.parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated)
                .ok()
        })
        .flatten()
        .collect()
}

fn has_serde_word(attrs: &[Attribute], word: &str) -> bool {
    serde_metas(attrs).iter().any(|m| m.path().is_ident(word))
}

fn serde_value(attrs: &[Attribute], key: &str) -> Option<String> {
    serde_metas(attrs).into_iter().find_map(|m| match m {
        Meta::NameValue(nv) if nv.path.is_ident(key) => match nv.value {
            syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            }) => Some(s.value()),
            _ => None,
        },
        _ => None,
    })
}

fn remove_serde_word(attrs: &mut Vec<Attribute>, word: &str) {
    let mut rebuilt = Vec::new();
    for attr in attrs.drain(..) {
        if !attr.path().is_ident("serde") {
            rebuilt.push(attr);
            continue;
        }
        let Ok(metas) = attr.parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated)
        else {
            rebuilt.push(attr);
            continue;
        };
        let kept: Punctuated<Meta, Token![,]> = metas
            .into_iter()
            .filter(|m| !m.path().is_ident(word))
            .collect();
        if !kept.is_empty() {
            rebuilt.push(parse_quote!(#[serde(#kept)]));
        }
    }
    *attrs = rebuilt;
}

/// Removes the named derives (compared without spaces, e.g. `::serde::Deserialize`).
fn prune_derives(attrs: &mut [Attribute], drop: &[&str]) {
    for attr in attrs.iter_mut().filter(|a| a.path().is_ident("derive")) {
        let Ok(paths) = attr.parse_args_with(Punctuated::<syn::Path, Token![,]>::parse_terminated)
        else {
            continue;
        };
        let kept: Punctuated<syn::Path, Token![,]> = paths
            .into_iter()
            .filter(|p| {
                let text = p.to_token_stream().to_string().replace(' ', "");
                !drop.iter().any(|d| *d == text)
            })
            .collect();
        *attr = parse_quote!(#[derive(#kept)]);
    }
}

/// The JSON name of a field: its serde rename, else its identifier.
fn json_name(field: &syn::Field) -> String {
    serde_value(&field.attrs, "rename").unwrap_or_else(|| {
        field
            .ident
            .as_ref()
            .map(|i| i.to_string().trim_start_matches("r#").to_owned())
            .unwrap_or_default()
    })
}

/// The wire string of a unit variant: its serde rename, else its identifier.
fn variant_wire_name(v: &syn::Variant) -> String {
    serde_value(&v.attrs, "rename").unwrap_or_else(|| v.ident.to_string())
}

fn is_option(ty: &Type) -> bool {
    last_segment(ty) == "Option"
}

/// The last path segment's identifier of a type (`::std::option::Option<T>` → `Option`;
/// `Box<T>` → `T`'s).
fn last_segment(ty: &Type) -> String {
    match ty {
        Type::Path(p) => {
            let Some(seg) = p.path.segments.last() else {
                return String::new();
            };
            if seg.ident == "Box"
                && let syn::PathArguments::AngleBracketed(args) = &seg.arguments
                && let Some(syn::GenericArgument::Type(inner)) = args.args.first()
            {
                return last_segment(inner);
            }
            seg.ident.to_string()
        }
        _ => String::new(),
    }
}

/// The by-schema-name round-trip table (`registry.rs`, behind the `registry` feature).
pub fn registry(types: &syn::File, origins: &BTreeMap<String, String>) -> syn::File {
    let defined: BTreeSet<String> = types
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Struct(s) => Some(s.ident.to_string()),
            Item::Enum(e) => Some(e.ident.to_string()),
            _ => None,
        })
        .collect();
    let pairs: Vec<(&String, Ident)> = origins
        .keys()
        .filter_map(|schema| {
            let ty = type_name_of(schema);
            defined
                .contains(&ty)
                .then(|| (schema, Ident::new(&ty, Span::call_site())))
        })
        .collect();
    let names = pairs.iter().map(|(s, _)| s.as_str());
    let names2 = names.clone();
    let idents = pairs.iter().map(|(_, i)| i);
    parse_quote! {
        //! Schema name → generated type, for tests and tools that hold JSON and a schema name.

        /// Every component schema the crate generates, by its name in the spec.
        pub const SCHEMAS: &[&str] = &[#(#names2),*];

        /// A value taken through the generated type of a schema.
        #[derive(Clone, Debug, PartialEq)]
        pub struct RoundTrip {
            /// The typed value serialized back.
            pub value: ::serde_json::Value,
            /// The typed value's `Debug` form: shows what landed in `extra` or `Unknown`.
            pub debug: ::std::string::String,
        }

        /// Deserializes `value` as the type generated for `schema` and serializes it back.
        /// `None` when the crate has no type for `schema`.
        pub fn roundtrip(
            schema: &str,
            value: ::serde_json::Value,
        ) -> ::std::option::Option<::std::result::Result<RoundTrip, ::serde_json::Error>> {
            fn go<T: ::serde::de::DeserializeOwned + ::serde::Serialize + ::std::fmt::Debug>(
                value: ::serde_json::Value,
            ) -> ::std::result::Result<RoundTrip, ::serde_json::Error> {
                let typed: T = ::serde_json::from_value(value)?;
                Ok(RoundTrip {
                    value: ::serde_json::to_value(&typed)?,
                    debug: ::std::format!("{typed:?}"),
                })
            }
            Some(match schema {
                #(#names => go::<crate::types::#idents>(value),)*
                _ => return None,
            })
        }
    }
}
