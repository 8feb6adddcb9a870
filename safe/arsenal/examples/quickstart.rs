//! The README's example: parse JSON through Arsenal three ways.
//!
//! Run with `cargo run -p arsenal --example quickstart`.
use arsenal::json::prelude::*; // Parser, Document, JsonValue
use arsenal::Strategy;

#[derive(serde::Deserialize)]
struct Tweet {
    id: u64,
    text: String,
}

fn main() -> Result<(), arsenal::json::Error> {
    let bytes = br#"{"id": 1, "text": "hello", "tags": ["a", "b"]}"#;
    let doc = arsenal::parse_json(bytes, Strategy::Latency)?; // backend picked at run time
    let tags = doc.root().get("tags").and_then(|t| t.len());
    let tweet: Tweet = arsenal::json::from_slice(bytes)?; // serde, like serde_json::from_slice
    let mut parser = arsenal::json::Simdjson::new()?; // or a backend type, reused
    let count = parser.parse(bytes)?.root().len();
    println!("{} {} {:?} {:?}", tweet.id, tweet.text, tags, count);
    assert_eq!((tags, count), (Some(2), Some(3)));
    Ok(())
}
