//! Conversions to the [`http`] crate's types (feature `http`).

use crate::error::{Error, ErrorKind, Result};
use crate::message::{Header, Request, Response, Version};

fn version(v: Version) -> http::Version {
    match v {
        Version::Http10 => http::Version::HTTP_10,
        Version::Http11 => http::Version::HTTP_11,
    }
}

fn invalid(reason: String) -> Error {
    Error::ours(ErrorKind::Header, 0, reason)
}

/// Builds an [`http::HeaderMap`] (copies names and values; order of equal names kept).
///
/// ```
/// let mut parser = arsenal_http::DefaultParser::new()?;
/// let input = b"GET / HTTP/1.1\r\nHost: a\r\nAccept: x\r\nAccept: y\r\n\r\n";
/// let (req, _) = parser.parse_request(input)?.complete().unwrap();
/// let map = arsenal_http::header_map(&req.headers)?;
/// assert_eq!(map.get_all("accept").iter().count(), 2);
/// # Ok::<(), arsenal_http::Error>(())
/// ```
pub fn header_map(headers: &[Header<'_>]) -> Result<http::HeaderMap> {
    let mut map = http::HeaderMap::with_capacity(headers.len());
    for h in headers {
        let name = http::HeaderName::from_bytes(h.name)
            .map_err(|e| invalid(format!("header name: {e}")))?;
        let value = http::HeaderValue::from_bytes(h.value)
            .map_err(|e| invalid(format!("header value: {e}")))?;
        map.append(name, value);
    }
    Ok(map)
}

impl Request<'_> {
    /// The request head as [`http::request::Parts`] (method, URI, version, headers).
    ///
    /// ```
    /// let mut parser = arsenal_http::DefaultParser::new()?;
    /// let input = b"PUT /a?b=1 HTTP/1.1\r\nHost: example.com\r\nContent-Length: 2\r\n\r\nhi";
    /// let (req, _) = parser.parse_request(input)?.complete().unwrap();
    /// let parts = req.to_http_parts()?;
    /// assert_eq!(parts.method, http::Method::PUT);
    /// assert_eq!(parts.uri.query(), Some("b=1"));
    /// assert_eq!(parts.headers["host"], "example.com");
    /// # Ok::<(), arsenal_http::Error>(())
    /// ```
    pub fn to_http_parts(&self) -> Result<http::request::Parts> {
        let method = http::Method::from_bytes(self.method.as_bytes())
            .map_err(|e| Error::ours(ErrorKind::Method, 0, format!("method: {e}")))?;
        let uri = http::Uri::try_from(self.target)
            .map_err(|e| Error::ours(ErrorKind::StartLine, 0, format!("request target: {e}")))?;
        let (mut parts, ()) = http::Request::new(()).into_parts();
        parts.method = method;
        parts.uri = uri;
        parts.version = version(self.version);
        parts.headers = header_map(&self.headers)?;
        Ok(parts)
    }

    /// The whole request as an [`http::Request`] with the body copied into a `Vec`.
    pub fn to_http(&self) -> Result<http::Request<Vec<u8>>> {
        Ok(http::Request::from_parts(
            self.to_http_parts()?,
            self.body.to_vec(),
        ))
    }
}

impl Response<'_> {
    /// The response head as [`http::response::Parts`].
    pub fn to_http_parts(&self) -> Result<http::response::Parts> {
        let status = http::StatusCode::from_u16(self.status)
            .map_err(|e| Error::ours(ErrorKind::StartLine, 0, format!("status: {e}")))?;
        let (mut parts, ()) = http::Response::new(()).into_parts();
        parts.status = status;
        parts.version = version(self.version);
        parts.headers = header_map(&self.headers)?;
        Ok(parts)
    }

    /// The whole response as an [`http::Response`] with the body copied into a `Vec`.
    pub fn to_http(&self) -> Result<http::Response<Vec<u8>>> {
        Ok(http::Response::from_parts(
            self.to_http_parts()?,
            self.body.to_vec(),
        ))
    }
}
