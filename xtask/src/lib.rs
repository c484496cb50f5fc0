//! The generator library behind `cargo xtask`: spec pins and fetching, schema
//! normalization, selection, generation with progenitor/typify, and the syn
//! post-pass that makes every generated type forward-compatible.

pub mod codegen;
pub mod diff;
pub mod examples;
pub mod generate;
pub mod normalize;
pub mod postpass;
pub mod select;
pub mod specs;
pub mod update;
