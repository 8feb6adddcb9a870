//! The HTTP/1.x conformance suite, once per enabled backend.

#[cfg(feature = "llhttp")]
arsenal_conformance::http_conformance!(llhttp, arsenal_http::backend::llhttp::LlhttpHead);
#[cfg(feature = "picohttpparser")]
arsenal_conformance::http_conformance!(
    picohttpparser,
    arsenal_http::backend::picohttpparser::PicoHead
);
#[cfg(feature = "http_parser")]
arsenal_conformance::http_conformance!(
    http_parser,
    arsenal_http::backend::http_parser::HttpParserHead
);

/// Every backend gives the same outcome on deterministic mutations of the data file's
/// inputs (what the `http_cross` fuzz target checks).
#[cfg(all(
    feature = "llhttp",
    feature = "picohttpparser",
    feature = "http_parser"
))]
#[test]
fn cross_backend_agreement() {
    arsenal_conformance::http::check_cross_backend(20_000);
}

/// Every backend gives the same outcome on the inputs the fuzz targets found.
#[cfg(all(
    feature = "llhttp",
    feature = "picohttpparser",
    feature = "http_parser"
))]
#[test]
fn cross_backend_fuzz_findings() {
    arsenal_conformance::http::check_cross_findings();
}
