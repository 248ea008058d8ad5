//! The one error type that crosses the server-function boundary, with its HTTP status.

use http::StatusCode;
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// What a page or server function can fail with, as the browser sees it.
///
/// Internal failures carry no detail: the cause is logged on the server, once, where it happens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    /// A one-time link that was used, or has expired.
    #[error("this link was used or has expired")]
    Gone,
    #[error("{0}")]
    BadRequest(String),
    /// Staff only: nobody is signed in, or the session ended.
    #[error("sign in first")]
    SignInRequired,
    /// A wrong email or a wrong password: one answer for both.
    #[error("that email and password do not match an account")]
    SignInFailed,
    /// Signed in, but the role does not allow it.
    #[error("your role does not allow this")]
    Forbidden,
    #[error("too many attempts; try again later")]
    TooManyAttempts,
    #[error("something went wrong on our side; please try again")]
    Internal,
    #[error("could not reach the server: {0}")]
    Transport(String),
}

impl AppError {
    /// The HTTP status this error is answered with.
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Gone => StatusCode::GONE,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::SignInRequired | AppError::SignInFailed => StatusCode::UNAUTHORIZED,
            AppError::Forbidden => StatusCode::FORBIDDEN,
            AppError::TooManyAttempts => StatusCode::TOO_MANY_REQUESTS,
            AppError::Internal | AppError::Transport(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(msg) | ServerFnErrorErr::MissingArg(msg) => {
                AppError::BadRequest(msg)
            }
            ServerFnErrorErr::Request(msg) | ServerFnErrorErr::Response(msg) => {
                AppError::Transport(msg)
            }
            _ => AppError::Internal,
        }
    }
}

#[cfg(feature = "ssr")]
impl From<anyhow::Error> for AppError {
    /// Logs the whole cause chain once and hides it from the client.
    fn from(error: anyhow::Error) -> Self {
        tracing::error!(error = format!("{error:#}"), "request failed");
        AppError::Internal
    }
}
