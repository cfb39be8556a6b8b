//! The OpenAPI schemas follow the serde names (built with `--features openapi`).

use utoipa::PartialSchema;

fn schema_json<T: PartialSchema>() -> serde_json::Value {
    serde_json::to_value(T::schema()).expect("schema serialises")
}

#[test]
fn schemas_use_the_serialised_names() {
    let hit = schema_json::<crate::Hit>();
    assert!(hit["properties"]["type"].is_object(), "{hit}");
    assert!(hit["properties"]["snippets"].is_object(), "{hit}");
    assert!(hit["properties"].get("doc_type").is_none(), "{hit}");
    let filters = schema_json::<crate::Filters>();
    assert!(filters["properties"]["type"].is_object(), "{filters}");
    assert!(filters["properties"]["keyword"].is_object(), "{filters}");
    let facets = schema_json::<crate::Facets>();
    assert!(facets["properties"]["type"].is_object(), "{facets}");
    let sort = schema_json::<crate::Sort>();
    assert!(sort.to_string().contains("\"relevance\""), "{sort}");
    // The stored document's fields sit beside its id.
    let stored = schema_json::<crate::StoredDocument>().to_string();
    assert!(
        stored.contains("\"id\"") && stored.contains("Document"),
        "{stored}"
    );
    let stats = schema_json::<crate::IndexStats>();
    assert!(stats["properties"]["size_bytes"].is_object(), "{stats}");
}
