//! The search parameters in the OpenAPI description, as query parameters
//! (`GET`) and as the JSON body of `POST /api/search`: one list, with a
//! parameter per facet of [`index::FACETS`] after `q`, so a new facet is
//! described without touching this file.

use std::borrow::Cow;

use utoipa::openapi::path::{Parameter, ParameterBuilder, ParameterIn};
use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Schema, Type};
use utoipa::openapi::{RefOr, Required};
use utoipa::{IntoParams, PartialSchema, ToSchema};

use crate::params::closed_values;

/// A parameter's JSON type.
#[derive(Clone, Copy)]
enum Kind {
    Text,
    Count,
    Switch,
}

/// A search parameter besides the facets.
struct Param {
    name: &'static str,
    kind: Kind,
    description: &'static str,
}

const fn param(name: &'static str, kind: Kind, description: &'static str) -> Param {
    Param {
        name,
        kind,
        description,
    }
}

const QUERY: Param = param(
    "q",
    Kind::Text,
    "Words (all must match), \"phrases\", OR, -exclusions. Empty lists everything.",
);

/// After the facets, in this order.
const OTHERS: &[Param] = &[
    param("from", Kind::Text, "Earliest date, `YYYY-MM-DD`."),
    param("to", Kind::Text, "Latest date, `YYYY-MM-DD`."),
    param(
        "sort",
        Kind::Text,
        "`relevance` (default) or `date` (newest first).",
    ),
    param("page", Kind::Count, "Page, from 1 to 500."),
    param("per_page", Kind::Count, "Hits per page, 1 to 100 (default 20)."),
    param(
        "expand",
        Kind::Switch,
        "Search the thesaurus terms of other languages too (default true).",
    ),
    param("fuzzy", Kind::Switch, "Tolerate typos (default true)."),
    param(
        "decompound",
        Kind::Switch,
        "Search compounds as their parts (default true).",
    ),
    param(
        "collapse",
        Kind::Switch,
        "Translations as one hit (default true).",
    ),
    param(
        "lang",
        Kind::Text,
        "Language a collapsed hit shows first: `fr`, `nl`, `en` or `de`.",
    ),
    param(
        "facet_size",
        Kind::Count,
        "Values listed per facet, 1 to 100 (selected values always listed).",
    ),
    param(
        "snippets",
        Kind::Count,
        "Snippets per hit, 0 to 3 (default 3); 0 gives none (`snippet` empty).",
    ),
    param(
        "disjunctive",
        Kind::Switch,
        "Count each selected facet without its own filter (default true); false counts every \
         facet under every filter.",
    ),
];

/// The search parameters, as query string (`GET`) or JSON body (`POST`).
/// Repeatable ones filter with OR between their values.
pub struct SearchQuery;

/// One facet parameter's description: the table's line, the values of a
/// closed list, the aliases.
fn facet_description(facet: &index::FacetDef) -> String {
    let mut text = facet.description.to_owned();
    if let Some(values) = closed_values(facet) {
        let quoted: Vec<String> = values.iter().map(|value| format!("`{value}`")).collect();
        text += &format!(": {}", quoted.join(", "));
    }
    if !facet.aliases.is_empty() {
        let quoted: Vec<String> = facet.aliases.iter().map(|alias| format!("`{alias}`")).collect();
        text += &format!(" (alias {})", quoted.join(", "));
    }
    text + ". Repeatable."
}

/// Every parameter in order: name, description, schema of one value, and
/// whether it repeats.
fn parameters() -> Vec<(&'static str, String, Schema, bool)> {
    let scalar = |kind: Kind| -> Schema {
        match kind {
            Kind::Text => ObjectBuilder::new().schema_type(Type::String).into(),
            Kind::Count => ObjectBuilder::new()
                .schema_type(Type::Integer)
                .minimum(Some(0))
                .into(),
            Kind::Switch => ObjectBuilder::new().schema_type(Type::Boolean).into(),
        }
    };
    let fixed = |p: &Param| (p.name, p.description.to_owned(), scalar(p.kind), false);
    let facets = index::FACETS.iter().map(|facet| {
        let value: Schema = match facet.kind {
            index::ValueKind::Year => ObjectBuilder::new().schema_type(Type::Integer).into(),
            index::ValueKind::Text => ObjectBuilder::new().schema_type(Type::String).into(),
        };
        (facet.name, facet_description(facet), value, true)
    });
    std::iter::once(fixed(&QUERY))
        .chain(facets)
        .chain(OTHERS.iter().map(fixed))
        .collect()
}

impl IntoParams for SearchQuery {
    fn into_params(parameter_in: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        parameters()
            .into_iter()
            .map(|(name, description, value, repeated)| {
                let schema: Schema = match repeated {
                    true => ArrayBuilder::new().items(RefOr::T(value)).into(),
                    false => value,
                };
                ParameterBuilder::new()
                    .name(name)
                    .parameter_in(parameter_in().unwrap_or(ParameterIn::Query))
                    .description(Some(description))
                    .required(Required::False)
                    .schema(Some(schema))
                    .build()
            })
            .collect()
    }
}

impl PartialSchema for SearchQuery {
    fn schema() -> RefOr<Schema> {
        let mut object = ObjectBuilder::new().description(Some(
            "The search parameters, as query string (`GET`) or JSON body (`POST`).\n\
             Repeatable ones filter with OR between their values: one value or an array.",
        ));
        for (name, description, value, repeated) in parameters() {
            let schema: Schema = match repeated {
                true => ArrayBuilder::new()
                    .items(RefOr::T(value))
                    .description(Some(description))
                    .into(),
                false => match value {
                    Schema::Object(object) => Schema::Object(
                        utoipa::openapi::schema::ObjectBuilder::from(object)
                            .description(Some(description))
                            .build(),
                    ),
                    other => other,
                },
            };
            object = object.property(name, schema);
        }
        object.into()
    }
}

impl ToSchema for SearchQuery {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("SearchQuery")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_facet_and_every_parameter_is_described() {
        let names: Vec<String> = SearchQuery::into_params(|| Some(ParameterIn::Query))
            .into_iter()
            .map(|p| p.name)
            .collect();
        for facet in index::FACETS {
            assert!(names.iter().any(|n| n == facet.name), "{}", facet.name);
        }
        assert!(names.iter().any(|n| n == "snippets"));
        assert!(names.iter().any(|n| n == "disjunctive"));
        let source = facet_description(index::facet("source").unwrap());
        for id in crate::params::configured_sources() {
            assert!(source.contains(id.as_str()), "{source}");
        }
    }
}
