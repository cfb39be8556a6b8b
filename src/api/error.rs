//! The one place errors become HTTP responses, and the layer that gives the
//! errors of the framework and middleware (405, 413, timeouts) the same
//! JSON body as ours.

use axum::Json;
use axum::extract::Request;
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

use crate::params::ParamError;

/// Every error the API returns.
#[derive(Debug)]
pub enum ApiError {
    /// The caller sent a bad parameter or body (400).
    InvalidParameter(ParamError),
    /// No such document, archive copy or route (404).
    NotFound(String),
    /// Any other status with its code and message, for errors raised
    /// outside the handlers (405, 413, 503 ...).
    Status {
        status: StatusCode,
        code: &'static str,
        message: String,
    },
    /// Our fault (500); the detail is logged only.
    Internal(String),
}

/// The body of every error response.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

/// What went wrong.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable machine-readable code: `invalid_parameter`, `not_found`,
    /// `method_not_allowed`, `payload_too_large`, `timeout`, `internal`, ...
    pub code: String,
    /// For people; may change.
    pub message: String,
    /// The parameter at fault, for `invalid_parameter`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parameter: Option<String>,
}

impl ApiError {
    /// A 400 naming the parameter at fault.
    pub fn invalid(parameter: &str, message: impl Into<String>) -> ApiError {
        ApiError::InvalidParameter(ParamError {
            parameter: parameter.to_owned(),
            message: message.into(),
        })
    }

    fn parts(self) -> (StatusCode, ErrorDetail) {
        let detail = |code: &str, message: String, parameter: Option<String>| ErrorDetail {
            code: code.to_owned(),
            message,
            parameter,
        };
        match self {
            ApiError::InvalidParameter(e) => (
                StatusCode::BAD_REQUEST,
                detail("invalid_parameter", e.to_string(), Some(e.parameter)),
            ),
            ApiError::NotFound(what) => (StatusCode::NOT_FOUND, detail("not_found", what, None)),
            ApiError::Status {
                status,
                code,
                message,
            } => (status, detail(code, message, None)),
            ApiError::Internal(detail_text) => {
                tracing::error!(detail = %detail_text, "internal error");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    detail("internal", "internal error, see the server log".into(), None),
                )
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, error) = self.parts();
        (status, Json(ErrorBody { error })).into_response()
    }
}

impl From<ParamError> for ApiError {
    fn from(e: ParamError) -> Self {
        ApiError::InvalidParameter(e)
    }
}

impl From<index::Error> for ApiError {
    fn from(e: index::Error) -> Self {
        match e {
            index::Error::InvalidRequest(message) => ApiError::invalid("request", message),
            other => ApiError::Internal(other.to_string()),
        }
    }
}

/// Longest framework error text kept as the message.
const MAX_MESSAGE_BYTES: usize = 1024;

/// Rewrites error responses that are not JSON yet (axum's rejections, the
/// body limit's 413, the timeout's 503) into our error body, keeping their
/// status and text, so clients parse one shape everywhere.
pub async fn json_errors(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let status = response.status();
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !(status.is_client_error() || status.is_server_error()) || is_json {
        return response;
    }
    let (parts, body) = response.into_parts();
    let text = axum::body::to_bytes(body, MAX_MESSAGE_BYTES)
        .await
        .map(|bytes| String::from_utf8_lossy(&bytes).trim().to_owned())
        .unwrap_or_default();
    let code = match status {
        StatusCode::BAD_REQUEST => "bad_request",
        StatusCode::NOT_FOUND => "not_found",
        StatusCode::METHOD_NOT_ALLOWED => "method_not_allowed",
        StatusCode::PAYLOAD_TOO_LARGE => "payload_too_large",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
        StatusCode::REQUEST_TIMEOUT | StatusCode::SERVICE_UNAVAILABLE => "timeout",
        _ if status.is_server_error() => "internal",
        _ => "error",
    };
    let message = match (status, text.is_empty()) {
        (StatusCode::PAYLOAD_TOO_LARGE, _) => {
            format!("request body larger than {} bytes", super::MAX_BODY_BYTES)
        }
        (StatusCode::SERVICE_UNAVAILABLE | StatusCode::REQUEST_TIMEOUT, _) => format!(
            "the request took longer than {} s",
            super::REQUEST_TIMEOUT.as_secs()
        ),
        (_, true) => status.canonical_reason().unwrap_or("error").to_lowercase(),
        (_, false) => text,
    };
    let mut rewritten = ApiError::Status {
        status,
        code,
        message,
    }
    .into_response();
    // Keep headers such as `Allow` on a 405.
    for (name, value) in parts.headers.iter() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            rewritten.headers_mut().append(name.clone(), value.clone());
        }
    }
    rewritten
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use axum::Router;
    use axum::routing::get;
    use tower_http::timeout::TimeoutLayer;

    use super::*;

    #[tokio::test]
    async fn a_timeout_becomes_a_json_503() {
        let app = Router::new()
            .route(
                "/slow",
                get(|| async {
                    tokio::time::sleep(Duration::from_secs(5)).await;
                    "late"
                }),
            )
            .layer(TimeoutLayer::with_status_code(
                StatusCode::SERVICE_UNAVAILABLE,
                Duration::from_millis(20),
            ))
            .layer(axum::middleware::from_fn(json_errors));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await });
        let response = reqwest::get(format!("http://{addr}/slow")).await.unwrap();
        assert_eq!(response.status().as_u16(), 503);
        let body: serde_json::Value = response.json().await.unwrap();
        assert_eq!(body["error"]["code"], "timeout");
        assert!(
            body["error"]["message"].as_str().unwrap().contains("10 s"),
            "{body}"
        );
    }
}
