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
